#include "serve_ops.hpp"

#include <future> // availability: the start's store read

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/availability_service.hpp" // availability
#include "gridlane/services/availability_watch.hpp"   // availability
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // availability (docs/operations.md "Availability and uptime"): the offline watch
  std::unique_ptr<services::AvailabilityRecorder> availability_log; // EVSE timelines and outages
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
    availability_log = std::make_unique<services::AvailabilityRecorder>(deps.store, deps.bus);
    availability = std::make_unique<services::AvailabilityWatch>(deps.clock, deps.bus, deps.live, deps.scheduler, o);
    // Stations heard from before this start are expected back; one that is not back within the
    // silence limit is counted offline from the start. One still offline when the server stopped
    // stays offline until it is back.
    struct Known {
      std::vector<domain::Station> stations;
      std::vector<domain::Outage> offline;
    };
    std::promise<Known> known;
    auto loaded = known.get_future();
    deps.store.submit(
        [&known](domain::Repository &r) {
          known.set_value(Known{r.stations(), r.open_offline_outages()});
        },
        [&known](const std::exception_ptr &e) {
          if (e) known.set_exception(e);
        });
    auto start = loaded.get();
    for (const auto &s : start.stations) {
      if (s.enabled && s.registration == domain::RegistrationStatus::Accepted && s.last_seen_at)
        availability->expect(s.id);
    }
    for (const auto &outage : start.offline) {
      auto reason = domain::value_of(domain::offline_reasons, outage.detail.value_or(""));
      availability->already_offline(outage.station, outage.started,
                                    reason.value_or(domain::OfflineReason::Disconnected));
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
