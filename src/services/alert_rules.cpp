// AlertService's rules, channels and the operator's actions (acknowledge, resolve): each checked
// here and run as one unit of work; the in-memory rule set follows each committed change.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "alert_state.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

bool plain_address(std::string_view a) {
  auto at = a.find('@');
  return a.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find('@', at + 1) == std::string_view::npos &&
         std::all_of(a.begin(), a.end(), [](char ch) { return ch > ' ' && ch < 127 && ch != '<' && ch != '>'; });
}

bool loopback_http(std::string_view url) {
  if (!url.starts_with("http://")) return false;
  auto rest = url.substr(7);
  for (std::string_view host : {"127.0.0.1", "localhost", "[::1]"}) {
    if (rest.starts_with(host) && (rest.size() == host.size() || rest[host.size()] == ':' || rest[host.size()] == '/'))
      return true;
  }
  return false;
}

//! Scope and channels exist (inside the unit that writes the rule).
std::optional<ServiceError> check_references(Repository &r, const AlertRule &rule) {
  if (rule.scope == AlertScope::Station) {
    auto id = StationId::parse(rule.scope_id);
    if (!id || !r.station(*id)) return ServiceError::invalid("no such station: " + rule.scope_id, "scope_id");
  }
  if (rule.scope == AlertScope::Location && !r.location(LocationId::unchecked(rule.scope_id)))
    return ServiceError::invalid("no such location: " + rule.scope_id, "scope_id");
  for (auto ch : rule.channels)
    if (!r.alert_channel(ch)) return ServiceError::invalid("no such channel: " + std::to_string(ch), "channels");
  return std::nullopt;
}

} // namespace

std::optional<core::Timestamp> quiet_hours_end(const QuietHours &q, core::Timestamp now, const core::TimeZone &zone) {
  if (q.start_minute == q.end_minute) return std::nullopt;
  auto local = zone.to_local(now).local;
  const int minute = local.hour * 60 + local.minute;
  const bool quiet = q.start_minute < q.end_minute ? (minute >= q.start_minute && minute < q.end_minute)
                                                   : (minute >= q.start_minute || minute < q.end_minute);
  if (!quiet) return std::nullopt;
  // The end falls today when it is still ahead, else on the next calendar day (a span over
  // midnight). The next day by the calendar, not 24 hours on: a DST night is 23 or 25 hours.
  std::chrono::year_month_day day{std::chrono::year{local.year}, std::chrono::month{static_cast<unsigned>(local.month)},
                                  std::chrono::day{static_cast<unsigned>(local.day)}};
  if (minute >= q.end_minute) day = std::chrono::sys_days{day} + std::chrono::days{1};
  core::LocalDateTime end{static_cast<int>(day.year()),
                          static_cast<int>(static_cast<unsigned>(day.month())),
                          static_cast<int>(static_cast<unsigned>(day.day())),
                          q.end_minute / 60,
                          q.end_minute % 60,
                          0,
                          0};
  auto utc = zone.to_utc(end);
  if (!utc) return now + std::chrono::minutes((q.end_minute - minute + 1440) % 1440);
  return *utc;
}

Result<AlertRule> check_alert_rule(AlertRule rule) {
  if (rule.name.empty() || rule.name.size() > 200)
    return ServiceError::invalid("'name' must be 1 to 200 characters", "name");
  if (rule.scope == AlertScope::All)
    rule.scope_id.clear();
  else if (rule.scope_id.empty() || rule.scope_id.size() > 48)
    return ServiceError::invalid("'scope_id' names the location or station of the scope", "scope_id");
  switch (rule.condition) {
  case AlertCondition::StationOffline:
    if (rule.minutes < 0 || rule.minutes > 10080)
      return ServiceError::invalid("'minutes' must be 0 to 10080", "minutes");
    break;
  case AlertCondition::FailedAuthorizations:
  case AlertCondition::FailedStarts:
    if (rule.count < 1 || rule.count > 1000) return ServiceError::invalid("'count' must be 1 to 1000", "count");
    break;
  case AlertCondition::ErrorCode:
    if (!rule.error_code || *rule.error_code == ConnectorErrorCode::NoError)
      return ServiceError::invalid("'error_code' names an OCPP ChargePointErrorCode other than NoError", "error_code");
    break;
  case AlertCondition::ReadingOutOfRange:
    if (rule.measurand.empty() || rule.measurand.size() > 64)
      return ServiceError::invalid("'measurand' names an OCPP measurand such as \"Voltage\"", "measurand");
    if (!rule.min && !rule.max) return ServiceError::invalid("'min' or 'max' is required", "min");
    if ((rule.min && !std::isfinite(*rule.min)) || (rule.max && !std::isfinite(*rule.max)))
      return ServiceError::invalid("'min' and 'max' must be finite numbers", "min");
    if (rule.min && rule.max && *rule.min > *rule.max)
      return ServiceError::invalid("'min' must not exceed 'max'", "min");
    break;
  case AlertCondition::UptimeBelow:
    if (rule.count < 1 || rule.count > 90)
      return ServiceError::invalid("'count' is the uptime's window in days: 1 to 90", "count");
    if (!rule.min || !std::isfinite(*rule.min) || *rule.min <= 0 || *rule.min > 100)
      return ServiceError::invalid("'min' is the uptime percentage below which a port alerts: above 0, at most 100",
                                   "min");
    break;
  case AlertCondition::ConnectorFaulted:
  case AlertCondition::FirmwareFailed: break;
  }
  if (rule.condition != AlertCondition::StationOffline) rule.minutes = 0;
  if (rule.condition != AlertCondition::FailedAuthorizations && rule.condition != AlertCondition::FailedStarts &&
      rule.condition != AlertCondition::UptimeBelow)
    rule.count = 1;
  if (rule.condition != AlertCondition::ErrorCode) rule.error_code.reset();
  if (rule.condition != AlertCondition::ReadingOutOfRange) {
    rule.measurand.clear();
    rule.max.reset();
    if (rule.condition != AlertCondition::UptimeBelow) rule.min.reset();
  }
  if (auto &q = rule.quiet_hours) {
    if (q->start_minute < 0 || q->start_minute >= 1440 || q->end_minute < 0 || q->end_minute >= 1440 ||
        q->start_minute == q->end_minute)
      return ServiceError::invalid("'quiet_hours' are two different local times HH:MM", "quiet_hours");
  }
  if (rule.channels.size() > 20) return ServiceError::invalid("at most 20 channels per rule", "channels");
  std::sort(rule.channels.begin(), rule.channels.end());
  rule.channels.erase(std::unique(rule.channels.begin(), rule.channels.end()), rule.channels.end());
  return rule;
}

Result<AlertChannel> check_alert_channel(AlertChannel channel, const AlertOptions &options) {
  if (channel.name.empty() || channel.name.size() > 200)
    return ServiceError::invalid("'name' must be 1 to 200 characters", "name");
  if (channel.kind == AlertChannelKind::Webhook) {
    channel.recipients.clear();
    const auto &url = channel.url;
    if (url.size() > 2000 || url.find_first_of(" \r\n\t") != std::string::npos)
      return ServiceError::invalid("'url' must be an absolute URL without spaces", "url");
    const bool https = url.starts_with("https://") && url.size() > 8;
    if (!https && !(options.allow_plain_http_to_loopback && loopback_http(url)))
      return ServiceError::invalid(options.allow_plain_http_to_loopback
                                       ? "'url' must be https:// (http:// only to a loopback host)"
                                       : "'url' must be https://",
                                   "url");
  } else {
    channel.url.clear();
    if (!options.smtp_configured)
      return ServiceError::invalid("e-mail needs an SMTP relay: set [alerts] smtp_url", "kind");
    if (channel.recipients.empty() || channel.recipients.size() > 20)
      return ServiceError::invalid("'recipients' lists 1 to 20 e-mail addresses", "recipients");
    for (const auto &a : channel.recipients)
      if (!plain_address(a))
        return ServiceError::invalid("'recipients': not a plain e-mail address: " + a, "recipients");
  }
  return channel;
}

void AlertService::create_rule(AlertRule rule, Reply<Result<AlertRule>> reply) {
  auto checked = check_alert_rule(std::move(rule));
  if (!checked) return reply(Outcome<Result<AlertRule>>::success(checked.error()));
  auto now = clock_.now();
  run_unit<Result<AlertRule>>(
      store_,
      [draft = *checked, now](Repository &r) mutable -> Result<AlertRule> {
        if (auto e = check_references(r, draft)) return *e;
        draft.created_at = draft.updated_at = now;
        draft.id = r.insert_alert_rule(draft);
        return draft;
      },
      [state = state_, reply = std::move(reply)](Outcome<Result<AlertRule>> o) {
        if (o.ok() && o.value()) {
          std::lock_guard lock{state->mutex};
          state->put_rule(*o.value());
        }
        reply(std::move(o));
      });
}

void AlertService::replace_rule(std::int64_t id, AlertRule rule, Reply<Result<AlertRule>> reply) {
  auto checked = check_alert_rule(std::move(rule));
  if (!checked) return reply(Outcome<Result<AlertRule>>::success(checked.error()));
  auto now = clock_.now();
  run_unit<Result<AlertRule>>(
      store_,
      [draft = *checked, id, now](Repository &r) mutable -> Result<AlertRule> {
        auto old = r.alert_rule(id);
        if (!old) return ServiceError::not_found("no such alert rule");
        if (auto e = check_references(r, draft)) return *e;
        draft.id = id;
        draft.created_at = old->created_at;
        draft.updated_at = now;
        r.update_alert_rule(draft);
        return draft;
      },
      [state = state_, reply = std::move(reply)](Outcome<Result<AlertRule>> o) {
        if (o.ok() && o.value()) {
          std::lock_guard lock{state->mutex};
          state->put_rule(*o.value());
        }
        reply(std::move(o));
      });
}

void AlertService::delete_rule(std::int64_t id, Reply<Result<bool>> reply) {
  run_unit<Result<bool>>(
      store_,
      [id](Repository &r) -> Result<bool> {
        if (!r.delete_alert_rule(id)) return ServiceError::not_found("no such alert rule");
        return true;
      },
      [state = state_, id, reply = std::move(reply)](Outcome<Result<bool>> o) {
        if (o.ok() && o.value()) {
          std::lock_guard lock{state->mutex};
          std::erase_if(state->rules, [id](const AlertRule &r) { return r.id == id; });
        }
        reply(std::move(o));
      });
}

void AlertService::create_channel(AlertChannel channel, Reply<Result<AlertChannel>> reply) {
  auto checked = check_alert_channel(std::move(channel), options_);
  if (!checked) return reply(Outcome<Result<AlertChannel>>::success(checked.error()));
  checked->created_at = clock_.now();
  checked->secret = checked->kind == AlertChannelKind::Webhook ? core::random_token("whsec") : std::string{};
  run_unit<Result<AlertChannel>>(
      store_,
      [draft = *checked](Repository &r) mutable -> Result<AlertChannel> {
        draft.id = r.insert_alert_channel(draft);
        return draft;
      },
      std::move(reply));
}

void AlertService::delete_channel(std::int64_t id, Reply<Result<bool>> reply) {
  run_unit<Result<bool>>(
      store_,
      [id](Repository &r) -> Result<bool> {
        if (!r.delete_alert_channel(id)) return ServiceError::not_found("no such alert channel");
        return true;
      },
      [state = state_, id, reply = std::move(reply)](Outcome<Result<bool>> o) {
        if (o.ok() && o.value()) {
          std::lock_guard lock{state->mutex};
          for (auto &rule : state->rules)
            std::erase(rule.channels, id);
        }
        reply(std::move(o));
      });
}

namespace {
struct Acted {
  Result<Alert> alert = ServiceError::internal("not run");
  bool changed = false;
  bool deliveries = false;
};
} // namespace

void AlertService::acknowledge(std::int64_t id, std::string by, Reply<Result<Alert>> reply) {
  auto now = clock_.now();
  run_unit<Acted>(
      store_,
      [id, by = std::move(by), now](Repository &r) {
        Acted out;
        auto a = r.alert(id);
        if (!a) {
          out.alert = ServiceError::not_found("no such alert");
          return out;
        }
        if (a->state == AlertState::Resolved) {
          out.alert = ServiceError::conflict("the alert is resolved");
          return out;
        }
        if (a->state == AlertState::Open) {
          a->state = AlertState::Acknowledged;
          a->acknowledged_at = now;
          a->acknowledged_by = by;
          r.update_alert(*a);
          out.changed = true;
        }
        out.alert = *a;
        return out;
      },
      [this, reply = std::move(reply)](Outcome<Acted> o) {
        if (!o.ok()) return reply(Outcome<Result<Alert>>::failure(o.error()));
        if (o.value().changed) changed({*o.value().alert}, false);
        reply(Outcome<Result<Alert>>::success(o.value().alert));
      });
}

void AlertService::resolve(std::int64_t id, std::string by, Reply<Result<Alert>> reply) {
  auto now = clock_.now();
  run_unit<Acted>(
      store_,
      [id, by = std::move(by), now](Repository &r) {
        Acted out;
        auto a = r.alert(id);
        if (!a) {
          out.alert = ServiceError::not_found("no such alert");
          return out;
        }
        if (a->state != AlertState::Resolved) {
          a->state = AlertState::Resolved;
          a->resolved_at = now;
          a->resolved_by = by;
          r.update_alert(*a);
          out.changed = true;
          if (auto rule = r.alert_rule(a->rule_id))
            out.deliveries = enqueue_alert_deliveries(r, *rule, *a, AlertEvent::Resolved, now) > 0;
        }
        out.alert = *a;
        return out;
      },
      [this, reply = std::move(reply)](Outcome<Acted> o) {
        if (!o.ok()) return reply(Outcome<Result<Alert>>::failure(o.error()));
        if (o.value().changed) changed({*o.value().alert}, o.value().deliveries);
        reply(Outcome<Result<Alert>>::success(o.value().alert));
      });
}

} // namespace gridlane::services
