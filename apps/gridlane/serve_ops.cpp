#include "serve_ops.hpp"

#include <optional>

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/metrics.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/station_service.hpp"
#include "serve_observability.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // Observability: /metrics, /ready, process gauges, command outcomes.
  std::optional<Observability> observability;

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    // Observability (docs/operations.md): mounted now; /ready says 200 once every part is built.
    observability.emplace(
        ObservabilityDeps{deps.config.metrics, core::metrics::registry(), deps.bus, deps.gateway, deps.server});
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
    // Observability: not ready from the first step of stopping.
    if (observability) observability->stop();
  }
};

Operations::Operations(OperationsDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  // Every part is built (the store open, its migrations applied, the listener bound): ready.
  if (impl_->observability) impl_->observability->set_started();
}

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
