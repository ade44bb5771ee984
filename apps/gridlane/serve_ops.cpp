#include "serve_ops.hpp"

#include <optional>

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/healing_service.hpp"
#include "gridlane/services/maintenance_service.hpp"
#include "gridlane/services/maintenance_watch.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // healing and maintenance: ticket rules, what opens tickets, the playbooks
  std::optional<services::MaintenanceService> maintenance;
  std::optional<services::MaintenanceWatch> maintenance_watch;
  std::optional<services::HealingService> healing;

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    // healing and maintenance (docs/operations.md "Self-healing", "Maintenance tickets")
    maintenance.emplace(deps.config.maintenance);
    deps.api.set_maintenance(*maintenance, deps.bus, deps.config.healing.enabled);
    maintenance_watch.emplace(deps.store, deps.clock, deps.bus, deps.scheduler, *maintenance,
                              std::chrono::seconds(deps.config.maintenance.inspection_check_s));
    healing.emplace(deps.store, deps.clock, deps.bus, deps.commands, deps.gateway, deps.scheduler, deps.config.healing,
                    *maintenance);
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
    // healing and maintenance
    if (healing) healing->stop();
    if (maintenance_watch) maintenance_watch->stop();
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
