#include "gridlane/services/live_values.hpp"

#include <tuple>
#include <vector>

namespace gridlane::services {
using namespace gridlane::domain;

namespace {
// A bound on transactions held: ended ones are removed; these are the ones whose end never came.
constexpr std::size_t max_transactions = 100000;
} // namespace

bool LiveValues::station_seen(const StationId &id, ProtocolVersion protocol, Timestamp at) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = stations_.try_emplace(id.str(), Seen{at, protocol, std::nullopt, protocol});
  auto &s = it->second;
  if (!fresh && at >= s.at) {
    s.at = at;
    s.protocol = protocol;
  }
  const bool due =
      !s.written_at || s.written_protocol != protocol || at < *s.written_at || at - *s.written_at >= interval_;
  if (due) {
    s.written_at = at;
    s.written_protocol = protocol;
  }
  return due;
}

void LiveValues::station_write_failed(const StationId &id) {
  std::lock_guard lock(mutex_);
  if (auto it = stations_.find(id.str()); it != stations_.end()) it->second.written_at.reset();
}

bool LiveValues::energy(std::int64_t transaction_id, std::int64_t energy_wh, Timestamp at) {
  std::lock_guard lock(mutex_);
  // Past the bound a transaction is not held: its value is written at once (as when due), so
  // none is lost to a forgotten entry.
  if (energy_.size() >= max_transactions && !energy_.count(transaction_id)) return true;
  auto &e = energy_[transaction_id];
  e.wh = energy_wh;
  const bool due = !e.written_at || at < *e.written_at || at - *e.written_at >= interval_;
  if (due) e.written_at = at;
  return due;
}

void LiveValues::energy_write_failed(std::int64_t transaction_id) {
  std::lock_guard lock(mutex_);
  energy_.erase(transaction_id); // the store's value is the one to show again
}

void LiveValues::ended(std::int64_t transaction_id) {
  std::lock_guard lock(mutex_);
  energy_.erase(transaction_id);
}

std::optional<Timestamp> LiveValues::last_seen(const StationId &id) const {
  std::lock_guard lock(mutex_);
  auto it = stations_.find(id.str());
  if (it == stations_.end()) return std::nullopt;
  return it->second.at;
}

std::optional<std::int64_t> LiveValues::energy_of(std::int64_t transaction_id) const {
  std::lock_guard lock(mutex_);
  auto it = energy_.find(transaction_id);
  if (it == energy_.end()) return std::nullopt;
  return it->second.wh;
}

void LiveValues::apply(Station &s) const {
  if (auto at = last_seen(s.id); at && (!s.last_seen_at || *at > *s.last_seen_at)) s.last_seen_at = at;
}

void LiveValues::apply(Transaction &t) const {
  if (t.state != TransactionState::Active) return;
  if (auto wh = energy_of(t.id)) t.energy_wh = *wh;
}

void LiveValues::flush(StoreExecutor &store) const {
  std::vector<std::tuple<StationId, ProtocolVersion, Timestamp>> stations;
  std::vector<std::pair<std::int64_t, std::int64_t>> energies;
  {
    std::lock_guard lock(mutex_);
    for (const auto &[id, s] : stations_) {
      if (!s.written_at || *s.written_at != s.at) stations.emplace_back(StationId::unchecked(id), s.protocol, s.at);
    }
    for (const auto &[tx, e] : energy_)
      energies.emplace_back(tx, e.wh);
  }
  if (stations.empty() && energies.empty()) return;
  store.submit(
      [stations = std::move(stations), energies = std::move(energies)](Repository &r) {
        for (const auto &[id, protocol, at] : stations)
          r.touch_station(id, protocol, at);
        for (const auto &[tx, wh] : energies)
          r.update_energy(tx, wh);
      },
      [](std::exception_ptr) {});
}

void touch_station(StoreExecutor &store, LiveValues &live, const StationId &id, ProtocolVersion protocol,
                   Timestamp now) {
  if (!live.station_seen(id, protocol, now)) return;
  store.submit([id, protocol, now](Repository &r) { r.touch_station(id, protocol, now); },
               [&live, id](std::exception_ptr e) {
                 if (e) live.station_write_failed(id);
               });
}

} // namespace gridlane::services
