#pragma once
//! Alerts (docs/operations.md "Alerts"): the rules' conditions evaluated over the bus's typed
//! events, one alert per (rule, subject) until it is resolved (a repeat raises its count), the
//! alert's deliveries stored in the unit of work that raises or resolves it (alerts::Dispatcher
//! sends them), AlertChanged published after each commit. Rules, channels, acknowledging and
//! resolving are this service's too, so the API and any other caller obey the same rules.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/alerts.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::services {

struct AlertOptions {
  bool smtp_configured = false;              //!< e-mail channels need [alerts] smtp_url
  bool allow_plain_http_to_loopback = false; //!< webhooks to http://127.0.0.1... (tests, local relays)
  std::chrono::milliseconds uptime_check_interval{std::chrono::minutes(15)}; //!< how often uptime_below rules look
};

//! When a delivery made at `now` may go out under quiet hours `q` in `zone`: nullopt when `now`
//! is not within them, else the instant they end (the next local end time; DST-aware).
std::optional<core::Timestamp> quiet_hours_end(const domain::QuietHours &q, core::Timestamp now,
                                               const core::TimeZone &zone);

//! The rule's own fields in range (conditions' parameters, quiet hours, a name); the store's
//! references (scope, channels) are checked when it is written.
domain::Result<domain::AlertRule> check_alert_rule(domain::AlertRule rule);
//! A channel's own fields: a webhook's URL (https://, or http:// to a loopback host when allowed),
//! e-mail recipients (plain addresses, at most 20; only with an SMTP relay configured).
domain::Result<domain::AlertChannel> check_alert_channel(domain::AlertChannel channel, const AlertOptions &options);

class AlertService {
public:
  //! Runs `f` after `delay` (the server's timer thread).
  using Scheduler = std::function<void(std::chrono::milliseconds delay, std::function<void()> f)>;

  AlertService(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus, Scheduler scheduler,
               AlertOptions options = {});
  ~AlertService();
  AlertService(const AlertService &) = delete;
  AlertService &operator=(const AlertService &) = delete;

  //! Loads the rules and the unresolved alerts, then watches the bus.
  void start();
  //! No more evaluation (timers already set do nothing). Idempotent.
  void stop();
  //! Called after a commit that stored deliveries (the dispatcher's wake-up).
  void set_wake(std::function<void()> wake);

  void create_rule(domain::AlertRule rule, Reply<domain::Result<domain::AlertRule>> reply);
  void replace_rule(std::int64_t id, domain::AlertRule rule, Reply<domain::Result<domain::AlertRule>> reply);
  void delete_rule(std::int64_t id, Reply<domain::Result<bool>> reply);
  //! A webhook's secret is made here ("whsec_" + 43 random characters) and answered this once.
  void create_channel(domain::AlertChannel channel, Reply<domain::Result<domain::AlertChannel>> reply);
  void delete_channel(std::int64_t id, Reply<domain::Result<bool>> reply);
  //! Open -> acknowledged (again: unchanged); a resolved alert is a conflict.
  void acknowledge(std::int64_t id, std::string by, Reply<domain::Result<domain::Alert>> reply);
  //! Open or acknowledged -> resolved, delivered as alert.resolved (again: unchanged).
  void resolve(std::int64_t id, std::string by, Reply<domain::Result<domain::Alert>> reply);

  //! The bus handler (public for tests): evaluates the rules, never blocks.
  void on_event(const domain::Event &event);
  //! Evaluates the uptime_below rules against every port in their scope (the timer runs it every
  //! AlertOptions::uptime_check_interval; public for tests).
  void check_uptime();

  struct State;

private:
  struct Finding;
  void apply(std::vector<Finding> findings, core::Timestamp now);
  void changed(const std::vector<domain::Alert> &alerts, bool deliveries);
  void schedule_uptime_check();

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus &bus_;
  Scheduler scheduler_;
  AlertOptions options_;
  std::shared_ptr<State> state_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
