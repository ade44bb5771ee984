#pragma once
//! What opens maintenance tickets without an operator: a driver's problem report (the
//! ProblemReported event) and inspection schedules that fall due (checked every
//! [maintenance] inspection_check_s). Each ticket's TicketChanged is published after its commit.
#include <atomic>
#include <chrono>
#include <memory>

#include "gridlane/domain/events.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/maintenance_service.hpp"

namespace gridlane::services {

class MaintenanceWatch {
public:
  MaintenanceWatch(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus, Scheduler scheduler,
                   const MaintenanceService &maintenance, std::chrono::seconds check_interval);
  ~MaintenanceWatch();
  MaintenanceWatch(const MaintenanceWatch &) = delete;
  MaintenanceWatch &operator=(const MaintenanceWatch &) = delete;
  //! No more tickets opened; idempotent.
  void stop();

private:
  void check();
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus &bus_;
  Scheduler scheduler_;
  const MaintenanceService &maintenance_;
  std::chrono::seconds interval_;
  std::atomic<bool> stopped_{false};
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
