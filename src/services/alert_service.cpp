// AlertService's evaluation: each bus event is matched against the rules in memory (no store
// work for an event no rule cares about), and the uptime rules on a timer; what a rule finds is
// written as one unit of work (scope, de-duplication, deliveries), and AlertChanged is published
// after its commit.
#include <cmath>
#include <fmt/format.h>

#include "alert_state.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/services/availability_service.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

auto &log() {
  return core::log(core::Component::App);
}

core::metrics::Counter &raised_counter(AlertSeverity s) {
  return core::metrics::registry().counter("gridlane_alerts_raised_total",
                                           "Alerts raised (a new alert; a repeat of an open one is not counted)",
                                           {{"severity", std::string(name_of(alert_severities, s))}});
}

bool failed_start(const CommandRecord &c) {
  return std::holds_alternative<commands::RemoteStart>(c.command) &&
         (c.status == CommandStatus::Rejected || c.status == CommandStatus::Failed ||
          c.status == CommandStatus::TimedOut || c.status == CommandStatus::StationOffline);
}

std::string connector_subject(const StatusReport &s) {
  return fmt::format("{}/{}/{}", s.station.str(), s.evse_id, s.connector_id);
}

std::string number(double v) {
  return fmt::format("{:g}", v);
}

//! The rule covers the station (scope), read inside the unit.
bool in_scope(const AlertRule &rule, const std::string &station, const std::optional<LocationId> &location) {
  switch (rule.scope) {
  case AlertScope::All: return true;
  case AlertScope::Station: return station == rule.scope_id;
  case AlertScope::Location: return location && location->str() == rule.scope_id;
  }
  return false;
}

} // namespace

int enqueue_alert_deliveries(Repository &r, const AlertRule &rule, const Alert &alert, AlertEvent event,
                             core::Timestamp now) {
  if (rule.channels.empty()) return 0;
  std::optional<core::Timestamp> held;
  if (rule.quiet_hours) {
    auto zone = core::TimeZone::find("UTC");
    if (auto id = StationId::parse(alert.station)) {
      if (auto st = r.station(*id); st && st->location_id) {
        if (auto loc = r.location(*st->location_id); loc && loc->time_zone)
          if (auto z = core::TimeZone::find(*loc->time_zone)) zone = z;
      }
    }
    if (zone) held = quiet_hours_end(*rule.quiet_hours, now, *zone);
  }
  int n = 0;
  for (auto id : rule.channels) {
    auto channel = r.alert_channel(id);
    if (!channel || !channel->enabled) continue;
    AlertDelivery d;
    d.alert_id = alert.id;
    d.channel_id = id;
    d.channel_kind = channel->kind;
    d.event = event;
    d.created_at = now;
    d.next_attempt_at = held.value_or(now);
    d.held_until = held;
    r.insert_alert_delivery(d);
    ++n;
  }
  return n;
}

AlertService::AlertService(StoreExecutor &store, const core::Clock &clock, EventBus &bus, Scheduler scheduler,
                           AlertOptions options)
    : store_(store), clock_(clock), bus_(bus), scheduler_(std::move(scheduler)), options_(options),
      state_(std::make_shared<State>()) {
  for (auto s : {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical})
    raised_counter(s); // every series exposed from the start, at 0
}

AlertService::~AlertService() {
  stop();
}

void AlertService::set_wake(std::function<void()> wake) {
  std::lock_guard lock{state_->mutex};
  state_->wake = std::move(wake);
}

void AlertService::start() {
  struct Loaded {
    std::vector<AlertRule> rules;
    std::vector<Alert> unresolved;
  };
  run_unit<Loaded>(
      store_,
      [](Repository &r) {
        return Loaded{r.alert_rules(), r.unresolved_alerts()};
      },
      [state = state_](Outcome<Loaded> o) {
        if (!o.ok()) return log().error("alerts: loading the rules failed: {}", o.error());
        std::lock_guard lock{state->mutex};
        state->rules = std::move(o.value().rules);
        for (const auto &a : o.value().unresolved)
          state->unresolved.emplace(a.rule_id, a.subject);
        state->loaded = true;
      });
  subscription_ = bus_.subscribe([this](const Event &e) {
    try {
      on_event(e);
    } catch (const std::exception &ex) {
      log().error("alerts: evaluating an event failed: {}", ex.what());
    }
  });
  schedule_uptime_check();
}

void AlertService::schedule_uptime_check() {
  scheduler_(std::chrono::duration_cast<std::chrono::milliseconds>(options_.uptime_check_interval),
             [this, state = state_] {
               {
                 std::lock_guard lock{state->mutex};
                 if (state->stopped) return;
               }
               try {
                 check_uptime();
               } catch (const std::exception &ex) {
                 log().error("alerts: checking the uptime rules failed: {}", ex.what());
               }
               schedule_uptime_check();
             });
}

void AlertService::check_uptime() {
  std::vector<AlertRule> rules;
  {
    std::lock_guard lock{state_->mutex};
    if (!state_->loaded || state_->stopped) return;
    for (const auto &r : state_->rules)
      if (r.enabled && r.condition == AlertCondition::UptimeBelow) rules.push_back(r);
  }
  if (rules.empty()) return;
  const auto now = clock_.now();
  run_unit<std::vector<Finding>>(
      store_,
      [rules = std::move(rules), now](Repository &r) {
        std::vector<Finding> out;
        for (const auto &rule : rules) {
          UptimeScope scope;
          if (rule.scope == AlertScope::Station) {
            auto id = StationId::parse(rule.scope_id);
            if (!id) continue;
            scope.station = *id;
          } else if (rule.scope == AlertScope::Location) {
            scope.location = LocationId::unchecked(rule.scope_id);
          }
          UptimePeriod period;
          period.from = now - std::chrono::days(rule.count);
          period.to = now;
          auto report = uptime_report(r, scope, period, now);
          if (!report || !rule.min) continue; // its station or location is gone
          // Exactly, in millionths of a percent: up x 100 x 10^6 < threshold x T. A port's T is at
          // most 90 days (7.8 x 10^9 ms), so both products stay below 10^18.
          const std::int64_t threshold = std::llround(*rule.min * 1e6);
          for (const auto &p : report->ports) {
            const auto &u = p.uptime;
            if (u.period_ms <= 0) continue;
            const std::int64_t up = u.period_ms - (u.outage_ms - u.excluded_ms);
            const bool below = up * 100'000'000 < threshold * u.period_ms;
            out.push_back(
                Finding{rule, fmt::format("{}/{}", p.port.station.str(), p.port.evse_id), p.port.station.str(),
                        fmt::format("{} EVSE {}: uptime {} % over the last {} days, below {} %", p.port.station.str(),
                                    p.port.evse_id, u.percent().to_string(), rule.count, number(*rule.min)),
                        below});
          }
        }
        return out;
      },
      [this, state = state_, now](Outcome<std::vector<Finding>> o) {
        if (!o.ok()) return log().error("alerts: checking the uptime rules failed: {}", o.error());
        // Only what changes: a port already alerted is not raised again at every check.
        std::vector<Finding> changes;
        {
          std::lock_guard lock{state->mutex};
          if (state->stopped) return;
          for (const auto &f : o.value())
            if (f.raise != state->unresolved.contains({f.rule.id, f.subject})) changes.push_back(f);
        }
        if (!changes.empty()) apply(std::move(changes), now);
      });
}

void AlertService::stop() {
  subscription_.reset();
  std::lock_guard lock{state_->mutex};
  state_->stopped = true;
  state_->wake = nullptr;
}

void AlertService::on_event(const Event &event) {
  if (std::holds_alternative<AlertChanged>(event) || std::holds_alternative<StationConnected>(event) ||
      std::holds_alternative<StationDisconnected>(event))
    return;
  std::vector<Finding> found;
  std::vector<AlertRule> offline_later; // StationOffline rules with minutes > 0
  const auto now = clock_.now();
  {
    std::lock_guard lock{state_->mutex};
    auto &st = *state_;
    if (!st.loaded || st.stopped) return;
    auto add = [&found](const AlertRule &rule, std::string subject, const StationId &station, std::string summary,
                        bool raise) {
      found.push_back(Finding{rule, std::move(subject), station.str(), std::move(summary), raise});
    };
    auto clear = [&](const AlertRule &rule, const std::string &subject, const StationId &station) {
      if (st.unresolved.contains({rule.id, subject})) add(rule, subject, station, {}, false);
    };
    for (const auto &rule : st.rules) {
      if (!rule.enabled) continue;
      switch (rule.condition) {
      case AlertCondition::StationOffline:
        if (const auto *e = std::get_if<StationOffline>(&event)) {
          if (rule.minutes == 0)
            add(rule, e->station.str(), e->station,
                fmt::format("{} offline ({}) since {}", e->station.str(), name_of(offline_reasons, e->reason),
                            core::format_iso8601(e->last_seen.value_or(e->at))),
                true);
          else
            offline_later.push_back(rule);
        } else if (const auto *on = std::get_if<StationOnline>(&event)) {
          clear(rule, on->station.str(), on->station);
        }
        break;
      case AlertCondition::ConnectorFaulted:
        if (const auto *e = std::get_if<StatusChanged>(&event)) {
          const auto &s = e->report;
          if (s.status == ConnectorStatus::Faulted)
            add(rule, connector_subject(s), s.station,
                fmt::format("{} EVSE {} connector {} faulted ({})", s.station.str(), s.evse_id, s.connector_id,
                            to_string(s.error_code)),
                true);
          else
            clear(rule, connector_subject(s), s.station);
        }
        break;
      case AlertCondition::ErrorCode:
        if (const auto *e = std::get_if<StatusChanged>(&event)) {
          const auto &s = e->report;
          if (rule.error_code && s.error_code == *rule.error_code)
            add(rule, connector_subject(s), s.station,
                fmt::format("{} EVSE {} connector {} reports {} ({})", s.station.str(), s.evse_id, s.connector_id,
                            to_string(s.error_code), to_string(s.status)),
                true);
          else
            clear(rule, connector_subject(s), s.station);
        }
        break;
      case AlertCondition::FailedAuthorizations:
        if (const auto *e = std::get_if<AuthorizationRefused>(&event)) {
          auto &n = st.streaks[{rule.id, e->station.str()}];
          if (++n >= rule.count)
            add(rule, e->station.str(), e->station,
                fmt::format("{}: {} authorisations refused in a row (last: {})", e->station.str(), n,
                            to_string(e->status)),
                true);
        } else if (const auto *t = std::get_if<TransactionStarted>(&event)) {
          st.streaks.erase({rule.id, t->station.str()});
        }
        break;
      case AlertCondition::FailedStarts:
        if (const auto *e = std::get_if<CommandFinished>(&event); e && failed_start(e->command)) {
          auto &n = st.streaks[{rule.id, e->station.str()}];
          if (++n >= rule.count)
            add(rule, e->station.str(), e->station,
                fmt::format("{}: {} remote starts failed in a row (last: {})", e->station.str(), n,
                            to_string(e->command.status)),
                true);
        } else if (const auto *t = std::get_if<TransactionStarted>(&event)) {
          st.streaks.erase({rule.id, t->station.str()});
        }
        break;
      case AlertCondition::FirmwareFailed:
        if (const auto *e = std::get_if<FirmwareStatusChanged>(&event)) {
          if (firmware_failed(e->status))
            add(rule, e->station.str(), e->station,
                fmt::format("{}: firmware update failed ({})", e->station.str(), name_of(firmware_states, e->status)),
                true);
          else if (e->status == FirmwareState::Installed)
            clear(rule, e->station.str(), e->station);
        }
        break;
      case AlertCondition::ReadingOutOfRange:
        if (const auto *e = std::get_if<TransactionUpdated>(&event)) {
          bool seen = false;
          const MeterSample *out = nullptr;
          for (const auto &s : e->readings) {
            // OCPP: a sample without a measurand is Energy.Active.Import.Register.
            if (s.measurand.value_or("Energy.Active.Import.Register") != rule.measurand || !s.numeric) continue;
            seen = true;
            if ((rule.min && *s.numeric < *rule.min) || (rule.max && *s.numeric > *rule.max)) out = &s;
          }
          if (out)
            add(rule, e->station.str(), e->station,
                fmt::format("{}: {} {}{} outside [{}, {}]", e->station.str(), rule.measurand, out->value,
                            out->unit ? " " + *out->unit : std::string{}, rule.min ? number(*rule.min) : "-",
                            rule.max ? number(*rule.max) : "-"),
                true);
          else if (seen)
            clear(rule, e->station.str(), e->station);
        }
        break;
      case AlertCondition::UptimeBelow: break; // on a timer: check_uptime
      }
    }
    if (const auto *e = std::get_if<StationOffline>(&event))
      st.offline_since.insert_or_assign(e->station.str(), e->at);
    else if (const auto *e = std::get_if<StationOnline>(&event))
      st.offline_since.erase(e->station.str());
  }
  if (!offline_later.empty()) {
    const auto &e = std::get<StationOffline>(event);
    for (const auto &rule : offline_later) {
      // Raised only if the same offline spell is still going when the rule's minutes have passed.
      scheduler_(std::chrono::minutes(rule.minutes),
                 [this, state = state_, rule_id = rule.id, station = e.station, since = e.at, reason = e.reason] {
                   std::vector<Finding> late;
                   {
                     std::lock_guard lock{state->mutex};
                     if (state->stopped) return;
                     auto it = state->offline_since.find(station.str());
                     if (it == state->offline_since.end() || it->second != since) return;
                     for (const auto &r : state->rules)
                       if (r.id == rule_id && r.enabled)
                         late.push_back(Finding{r, station.str(), station.str(),
                                                fmt::format("{} offline ({}) for {} min since {}", station.str(),
                                                            name_of(offline_reasons, reason), r.minutes,
                                                            core::format_iso8601(since)),
                                                true});
                   }
                   if (!late.empty()) apply(std::move(late), clock_.now());
                 });
    }
  }
  if (!found.empty()) apply(std::move(found), now);
}

void AlertService::apply(std::vector<Finding> findings, core::Timestamp now) {
  struct Applied {
    std::vector<Alert> changed;
    std::vector<AlertSeverity> raised;
    bool deliveries = false;
  };
  run_unit<Applied>(
      store_,
      [findings = std::move(findings), now](Repository &r) {
        Applied out;
        std::map<std::string, std::optional<LocationId>> locations;
        for (const auto &f : findings) {
          if (f.rule.scope == AlertScope::Location && !locations.contains(f.station)) {
            auto id = StationId::parse(f.station);
            auto st = id ? r.station(*id) : std::nullopt;
            locations[f.station] = st ? st->location_id : std::nullopt;
          }
          if (!in_scope(f.rule, f.station, locations[f.station])) continue;
          auto existing = r.unresolved_alert(f.rule.id, f.subject);
          if (f.raise) {
            if (existing) {
              ++existing->count;
              existing->last_at = now;
              existing->summary = f.summary;
              r.update_alert(*existing);
              out.changed.push_back(*existing);
              continue;
            }
            Alert a;
            a.rule_id = f.rule.id;
            a.subject = f.subject;
            a.station = f.station;
            a.severity = f.rule.severity;
            a.summary = f.summary;
            a.first_at = a.last_at = now;
            a.id = r.insert_alert(a);
            out.deliveries |= enqueue_alert_deliveries(r, f.rule, a, AlertEvent::Raised, now) > 0;
            out.raised.push_back(a.severity);
            out.changed.push_back(std::move(a));
          } else if (existing) {
            existing->state = AlertState::Resolved;
            existing->resolved_at = now;
            existing->resolved_by = "auto";
            r.update_alert(*existing);
            out.deliveries |= enqueue_alert_deliveries(r, f.rule, *existing, AlertEvent::Resolved, now) > 0;
            out.changed.push_back(*existing);
          }
        }
        return out;
      },
      [this](Outcome<Applied> o) {
        if (!o.ok()) return log().error("alerts: recording a finding failed: {}", o.error());
        for (auto s : o.value().raised)
          raised_counter(s).inc();
        changed(o.value().changed, o.value().deliveries);
      });
}

void AlertService::changed(const std::vector<Alert> &alerts, bool deliveries) {
  std::function<void()> wake;
  {
    std::lock_guard lock{state_->mutex};
    for (const auto &a : alerts) {
      if (a.state == AlertState::Resolved)
        state_->unresolved.erase({a.rule_id, a.subject});
      else
        state_->unresolved.emplace(a.rule_id, a.subject);
    }
    if (deliveries) wake = state_->wake;
  }
  for (const auto &a : alerts) {
    AlertChanged e{StationId::unchecked(a.station), a.last_at, a.id, a.rule_id, a.severity, a.state, a.summary};
    if (a.state == AlertState::Acknowledged && a.acknowledged_at) e.at = *a.acknowledged_at;
    if (a.state == AlertState::Resolved && a.resolved_at) e.at = *a.resolved_at;
    bus_.publish(std::move(e));
  }
  if (wake) wake();
}

} // namespace gridlane::services
