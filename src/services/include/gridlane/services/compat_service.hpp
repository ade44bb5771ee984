#pragma once
//! Per-station compatibility settings: deviations from the OCPP schemas an operator accepts from
//! a station whose firmware is known to make them. Kept in the store and, for the protocol
//! layer's look-ups, in memory (only stations with a setting on); every use becomes an anomaly.
//! The memory follows the API's changes at once and the store's (the admin CLI, a deleted
//! station) when the station connects.
#include <mutex>
#include <unordered_map>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/compat.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::services {

class CompatService final : public domain::CompatDirectory {
public:
  CompatService(domain::StoreExecutor &store, const core::Clock &clock) : store_(store), clock_(clock) {}
  ~CompatService() override;

  //! Loads the stored settings; call once before stations connect, on the store's thread.
  void load(domain::StationStore &r);
  //! Re-reads a station's settings from the store whenever it connects.
  void watch(domain::EventBus &bus);

  domain::StationCompat settings(const domain::StationId &station) const override;
  void record_use(const domain::StationId &station, std::string kind, std::string detail) override;

  //! Stores the station's settings (replacing them) and applies them to its next message;
  //! replies nullopt when there is no such station.
  void set(const domain::StationId &station, domain::StationCompat compat,
           Reply<std::optional<domain::StationCompat>> reply);

private:
  void remember(const domain::StationId &station, const domain::StationCompat &compat); // with mutex_ held
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  mutable std::mutex mutex_;
  std::unordered_map<domain::StationId, domain::StationCompat> settings_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
