#include "serve_ops.hpp"

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/report_service.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // Reports: the daily roll-ups, kept as sessions end (the API reads them through its own
  // ReportService; the rules are the same class's).
  services::ReportService reports;

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    // Reports: each ended session rolled up in its own unit of work, and what a previous run
    // left without a roll-up at once.
    reports.watch(deps.bus, deps.store);
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
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
