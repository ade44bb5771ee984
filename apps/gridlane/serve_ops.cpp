#include "serve_ops.hpp"

#include <future> // availability: the start's store read

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/availability_watch.hpp" // availability
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // availability (docs/operations.md "Availability and uptime"): the offline watch
  std::unique_ptr<services::AvailabilityWatch> availability;

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    start_availability();
  }

  // availability: StationOffline / StationOnline from connections, silence and the start.
  void start_availability() {
    const auto &cfg = deps.config;
    services::AvailabilityOptions o;
    o.heartbeat_interval = std::chrono::seconds(cfg.ocpp.heartbeat_interval_s);
    o.offline_after_heartbeats = cfg.availability.offline_after_heartbeats;
    o.disconnect_grace = std::chrono::seconds(cfg.availability.disconnect_grace_s);
    availability = std::make_unique<services::AvailabilityWatch>(deps.clock, deps.bus, deps.live, deps.scheduler, o);
    // Stations heard from before this start are expected back; one that is not back within the
    // silence limit is counted offline from the start.
    std::promise<std::vector<domain::Station>> known;
    auto loaded = known.get_future();
    deps.store.submit([&known](domain::Repository &r) { known.set_value(r.stations()); },
                      [&known](const std::exception_ptr &e) {
                        if (e) known.set_exception(e);
                      });
    for (const auto &s : loaded.get()) {
      if (s.enabled && s.registration == domain::RegistrationStatus::Accepted && s.last_seen_at)
        availability->expect(s.id);
    }
    availability->start();
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
    if (availability) availability->stop(); // availability
  }
};

Operations::Operations(OperationsDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}

Operations::~Operations() {
  try {
    impl_->stop();
  } catch (const std::exception &e) {
    core::log(core::Component::App).error("stopping operations: {}", e.what());
  } catch (...) {
    core::log(core::Component::App).error("stopping operations failed");
  }
}

void Operations::stop() {
  impl_->stop();
}

} // namespace gridlane::app
