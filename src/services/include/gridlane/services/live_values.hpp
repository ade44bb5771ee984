#pragma once
//! What stations said last, held in memory: a station's last_seen_at and a running
//! transaction's energy. The store gets them at most every `write_interval` per station or
//! transaction (a busy station would otherwise rewrite the same pages many times a second), so
//! the store alone may be up to that interval behind; the API serves these values over the
//! stored ones, and serve() writes them all at shutdown. Thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "gridlane/domain/model.hpp"
#include "gridlane/domain/repository.hpp"

namespace gridlane::services {

class LiveValues {
public:
  explicit LiveValues(std::chrono::milliseconds write_interval = std::chrono::seconds(15))
      : interval_(write_interval) {}

  //! The station sent something at `at`. True when its row is due a write (never written,
  //! protocol changed, or write_interval passed since the last write); the caller writes it
  //! and reports a failed write with station_write_failed.
  bool station_seen(const domain::StationId &id, domain::ProtocolVersion protocol, domain::Timestamp at);
  void station_write_failed(const domain::StationId &id);

  //! A running transaction's energy so far. True when due a write, as above.
  bool energy(std::int64_t transaction_id, std::int64_t energy_wh, domain::Timestamp at);
  //! The write (or the unit that carried it) failed: the stored value is the older one.
  void energy_write_failed(std::int64_t transaction_id);
  //! The transaction ended (its final energy is stored with the stop).
  void ended(std::int64_t transaction_id);

  std::optional<domain::Timestamp> last_seen(const domain::StationId &id) const;
  std::optional<std::int64_t> energy_of(std::int64_t transaction_id) const;

  //! Applies the live values to records read from the store (what the API shows).
  void apply(domain::Station &s) const;
  void apply(domain::Transaction &t) const;

  //! Submits one unit that writes every value held (at shutdown, before the store stops).
  void flush(domain::StoreExecutor &store) const;

private:
  struct Seen {
    domain::Timestamp at;
    domain::ProtocolVersion protocol;
    std::optional<domain::Timestamp> written_at;
    domain::ProtocolVersion written_protocol;
  };
  struct Energy {
    std::int64_t wh = 0;
    std::optional<domain::Timestamp> written_at;
  };
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Seen> stations_;
  std::unordered_map<std::int64_t, Energy> energy_;
};

//! Notes that a station was seen and, when due, submits the write of its last_seen_at as a
//! unit of its own, queued before the caller's unit: it shares that unit's commit (no extra
//! disk sync) but not its fate (a rolled-back message was still received).
void touch_station(domain::StoreExecutor &store, LiveValues &live, const domain::StationId &id,
                   domain::ProtocolVersion protocol, domain::Timestamp now);

} // namespace gridlane::services
