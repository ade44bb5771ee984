#include "gridlane/services/compat_service.hpp"

#include "gridlane/core/logging.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

CompatService::~CompatService() {
  subscription_.reset();
}

void CompatService::remember(const StationId &station, const StationCompat &compat) {
  if (compat.any())
    settings_.insert_or_assign(station, compat);
  else
    settings_.erase(station);
}

void CompatService::load(StationStore &r) {
  auto stored = r.stations_with_compat();
  std::lock_guard lock{mutex_};
  settings_.clear();
  for (auto &[id, compat] : stored)
    remember(id, compat);
}

void CompatService::watch(EventBus &bus) {
  subscription_ = bus.subscribe([this](const Event &e) {
    const auto *connected = std::get_if<StationConnected>(&e);
    if (!connected) return;
    // Units complete in the order they run, so a later PUT's value is never overwritten by an
    // earlier read.
    run_unit<StationCompat>(
        store_, [station = connected->station](Repository &r) { return r.station_compat(station); },
        [this, station = connected->station](Outcome<StationCompat> o) {
          if (!o.ok()) return;
          std::lock_guard lock{mutex_};
          remember(station, o.value());
        });
  });
}

StationCompat CompatService::settings(const StationId &station) const {
  std::lock_guard lock{mutex_};
  auto it = settings_.find(station);
  return it == settings_.end() ? StationCompat{} : it->second;
}

void CompatService::record_use(const StationId &station, std::string kind, std::string detail) {
  Anomaly a{station, std::move(kind), std::move(detail), clock_.now()};
  store_.submit(
      [a](Repository &r) { r.record_anomaly(a); },
      [station](std::exception_ptr e) {
        if (e) core::log(core::Component::Compat).error("[{}] could not record a compatibility anomaly", station.str());
      });
}

void CompatService::set(const StationId &station, StationCompat compat, Reply<std::optional<StationCompat>> reply) {
  run_unit<std::optional<StationCompat>>(
      store_,
      [station, compat, now = clock_.now()](Repository &r) -> std::optional<StationCompat> {
        if (!r.station(station)) return std::nullopt;
        r.set_station_compat(station, compat, now);
        return compat;
      },
      [this, station, reply = std::move(reply)](Outcome<std::optional<StationCompat>> o) {
        if (o.ok() && o.value()) {
          std::lock_guard lock{mutex_};
          remember(station, *o.value());
        }
        reply(std::move(o));
      });
}

} // namespace gridlane::services
