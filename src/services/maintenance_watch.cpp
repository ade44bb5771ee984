// Problem reports and due inspections open tickets (maintenance_watch.hpp).
#include "gridlane/services/maintenance_watch.hpp"

#include "gridlane/core/logging.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

MaintenanceWatch::MaintenanceWatch(StoreExecutor &store, const core::Clock &clock, EventBus &bus, Scheduler scheduler,
                                   const MaintenanceService &maintenance, std::chrono::seconds check_interval)
    : store_(store), clock_(clock), bus_(bus), scheduler_(std::move(scheduler)), maintenance_(maintenance),
      interval_(check_interval) {
  subscription_ = bus_.subscribe([this](const Event &e) {
    const auto *p = std::get_if<ProblemReported>(&e);
    if (!p || stopped_) return;
    auto opened = std::make_shared<std::optional<Ticket>>();
    store_.submit([this, report = *p, opened](Repository &r) { *opened = maintenance_.on_problem_report(r, report); },
                  [this, opened](std::exception_ptr ex) {
                    if (ex) {
                      core::log(core::Component::App).error("maintenance: a problem report's ticket was not stored");
                      return;
                    }
                    if (*opened) bus_.publish(MaintenanceService::changed(**opened));
                  });
  });
  scheduler_(std::chrono::milliseconds(0), [this] { check(); });
}

MaintenanceWatch::~MaintenanceWatch() {
  stop();
}

void MaintenanceWatch::stop() {
  stopped_ = true;
  subscription_.reset();
}

void MaintenanceWatch::check() {
  if (stopped_) return;
  auto opened = std::make_shared<std::vector<Ticket>>();
  const auto now = clock_.now();
  store_.submit([this, opened, now](Repository &r) { *opened = maintenance_.run_due_inspections(r, now); },
                [this, opened](std::exception_ptr ex) {
                  if (ex) {
                    core::log(core::Component::App).error("maintenance: the inspection check failed");
                    opened->clear(); // rolled back: nothing was opened
                  }
                  for (const auto &t : *opened)
                    bus_.publish(MaintenanceService::changed(t));
                  if (!stopped_) scheduler_(interval_, [this] { check(); });
                });
}

} // namespace gridlane::services
