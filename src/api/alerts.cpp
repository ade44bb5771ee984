// Alerts (docs/operations.md "Alerts"): /alert-rules, /alert-channels, /alerts (acknowledge,
// resolve) and /alert-deliveries (the delivery log). The rules are services::AlertService's;
// this file reads requests and writes answers. A webhook's secret is answered once, when the
// channel is created; a viewer sees neither a channel's URL nor its recipients.
#include <cmath>
#include <fmt/format.h>
#include <set>
#include <string>
#include <type_traits>

#include "gridlane/services/alert_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_alerts(services::AlertService &alerts) {
  impl_->alerts = &alerts;
}

namespace {

json::value opt_time(const std::optional<Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}
json::value opt_number(const std::optional<double> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
std::string hhmm(int minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

json::object rule_json(const AlertRule &r) {
  json::array channels;
  for (auto id : r.channels)
    channels.push_back(id);
  json::value quiet = nullptr;
  if (r.quiet_hours)
    quiet = json::object{{"start", hhmm(r.quiet_hours->start_minute)}, {"end", hhmm(r.quiet_hours->end_minute)}};
  return json::object{{"id", r.id},
                      {"name", r.name},
                      {"condition", name_of(alert_conditions, r.condition)},
                      {"severity", name_of(alert_severities, r.severity)},
                      {"scope", name_of(alert_scopes, r.scope)},
                      {"scope_id", r.scope == AlertScope::All ? json::value(nullptr) : json::value(r.scope_id)},
                      {"minutes", r.minutes},
                      {"count", r.count},
                      {"error_code", r.error_code ? json::value(to_string(*r.error_code)) : json::value(nullptr)},
                      {"measurand", r.measurand.empty() ? json::value(nullptr) : json::value(r.measurand)},
                      {"min", opt_number(r.min)},
                      {"max", opt_number(r.max)},
                      {"quiet_hours", std::move(quiet)},
                      {"enabled", r.enabled},
                      {"channels", std::move(channels)},
                      {"created_at", core::format_iso8601(r.created_at)},
                      {"updated_at", core::format_iso8601(r.updated_at)}};
}

json::object channel_json(const AlertChannel &ch, bool operator_view, bool with_secret) {
  json::object o{{"id", ch.id},
                 {"name", ch.name},
                 {"kind", name_of(alert_channel_kinds, ch.kind)},
                 {"enabled", ch.enabled},
                 {"created_at", core::format_iso8601(ch.created_at)}};
  if (ch.kind == AlertChannelKind::Webhook) {
    o["url"] = operator_view ? json::value(ch.url) : json::value(nullptr);
    if (with_secret) o["secret"] = ch.secret;
  } else {
    json::array to;
    if (operator_view)
      for (const auto &r : ch.recipients)
        to.push_back(json::value(r));
    o["recipients"] = std::move(to);
  }
  return o;
}

json::object alert_json(const Alert &a) {
  return json::object{
      {"id", a.id},
      {"rule_id", a.rule_id},
      {"subject", a.subject},
      {"station", a.station.empty() ? json::value(nullptr) : json::value(a.station)},
      {"severity", name_of(alert_severities, a.severity)},
      {"state", name_of(alert_states, a.state)},
      {"summary", a.summary},
      {"count", a.count},
      {"first_at", core::format_iso8601(a.first_at)},
      {"last_at", core::format_iso8601(a.last_at)},
      {"acknowledged_at", opt_time(a.acknowledged_at)},
      {"acknowledged_by", a.acknowledged_by.empty() ? json::value(nullptr) : json::value(a.acknowledged_by)},
      {"resolved_at", opt_time(a.resolved_at)},
      {"resolved_by", a.resolved_by.empty() ? json::value(nullptr) : json::value(a.resolved_by)}};
}

json::object delivery_json(const AlertDelivery &d) {
  return json::object{{"id", d.id},
                      {"alert_id", d.alert_id},
                      {"channel_id", d.channel_id},
                      {"channel_kind", name_of(alert_channel_kinds, d.channel_kind)},
                      {"event", name_of(alert_events, d.event)},
                      {"state", name_of(alert_delivery_states, d.state)},
                      {"attempts", d.attempts},
                      {"created_at", core::format_iso8601(d.created_at)},
                      {"next_attempt_at", d.state == AlertDeliveryState::Pending
                                              ? json::value(core::format_iso8601(d.next_attempt_at))
                                              : json::value(nullptr)},
                      {"held_until", opt_time(d.held_until)},
                      {"last_attempt_at", opt_time(d.last_attempt_at)},
                      {"delivered_at", opt_time(d.delivered_at)},
                      {"response_status", d.response_status ? json::value(*d.response_status) : json::value(nullptr)},
                      {"last_error", d.last_error.empty() ? json::value(nullptr) : json::value(d.last_error)}};
}

template <class E, std::size_t N>
Result<E> enum_member(const json::object &o, std::string_view key, const NameTable<E, N> &names,
                      std::type_identity_t<std::optional<E>> fallback) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (fallback) return *fallback;
    return ServiceError::invalid(fmt::format("'{}' is required", key), std::string(key));
  }
  std::string one_of;
  for (const auto &[e, n] : names)
    one_of += (one_of.empty() ? "" : ", ") + std::string(n);
  if (!v->is_string())
    return ServiceError::invalid(fmt::format("'{}' must be one of {}", key, one_of), std::string(key));
  auto value = value_of(names, v->get_string());
  if (!value) return ServiceError::invalid(fmt::format("'{}' must be one of {}", key, one_of), std::string(key));
  return *value;
}

Result<std::optional<std::int64_t>> int_member(const json::object &o, std::string_view key, std::int64_t lo,
                                               std::int64_t hi) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  if (!v->is_int64() || v->get_int64() < lo || v->get_int64() > hi)
    return ServiceError::invalid(fmt::format("'{}' must be a whole number from {} to {}", key, lo, hi),
                                 std::string(key));
  return std::optional<std::int64_t>{v->get_int64()};
}

Result<std::optional<double>> number_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<double>{};
  if (!v->is_number()) return ServiceError::invalid(fmt::format("'{}' must be a number", key), std::string(key));
  auto d = v->to_number<double>();
  if (!std::isfinite(d) || std::abs(d) > 1e12)
    return ServiceError::invalid(fmt::format("'{}' must be a finite number", key), std::string(key));
  return std::optional<double>{d};
}

//! "HH:MM" -> minutes after midnight.
std::optional<int> parse_hhmm(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  auto digit = [&t](std::size_t i) { return t[i] >= '0' && t[i] <= '9' ? t[i] - '0' : -100; };
  int h = digit(0) * 10 + digit(1);
  int m = digit(3) * 10 + digit(4);
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return h * 60 + m;
}

Result<AlertRule> rule_from(const json::object &o) {
  static const std::set<std::string, std::less<>> known{"name",    "condition",   "severity",   "scope",     "scope_id",
                                                        "minutes", "count",       "error_code", "measurand", "min",
                                                        "max",     "quiet_hours", "enabled",    "channels"};
  for (const auto &[k, v] : o)
    if (!known.contains(k))
      return ServiceError::invalid(fmt::format("unknown field '{}'", std::string(k)), std::string(k));
  AlertRule r;
  auto name = text_member(o, "name");
  if (!name) return name.error();
  r.name = *name;
  auto condition = enum_member(o, "condition", alert_conditions, std::nullopt);
  if (!condition) return condition.error();
  r.condition = *condition;
  auto severity = enum_member(o, "severity", alert_severities, AlertSeverity::Warning);
  if (!severity) return severity.error();
  r.severity = *severity;
  auto scope = enum_member(o, "scope", alert_scopes, AlertScope::All);
  if (!scope) return scope.error();
  r.scope = *scope;
  auto scope_id = optional_text_member(o, "scope_id", true);
  if (!scope_id) return scope_id.error();
  r.scope_id = scope_id->value_or("");
  auto minutes = int_member(o, "minutes", 0, 10080);
  if (!minutes) return minutes.error();
  r.minutes = static_cast<int>(minutes->value_or(0));
  auto count = int_member(o, "count", 1, 1000);
  if (!count) return count.error();
  // uptime_below: the window in days, a month by default.
  r.count = static_cast<int>(count->value_or(r.condition == AlertCondition::UptimeBelow ? 30 : 1));
  auto code = optional_text_member(o, "error_code", true);
  if (!code) return code.error();
  if (*code) {
    r.error_code = parse_connector_error_code(**code);
    if (!r.error_code)
      return ServiceError::invalid("'error_code' must be an OCPP 1.6 ChargePointErrorCode such as GroundFailure",
                                   "error_code");
  }
  auto measurand = optional_text_member(o, "measurand", true);
  if (!measurand) return measurand.error();
  r.measurand = measurand->value_or("");
  auto min = number_member(o, "min");
  if (!min) return min.error();
  r.min = *min;
  auto max = number_member(o, "max");
  if (!max) return max.error();
  r.max = *max;
  if (const auto *q = o.if_contains("quiet_hours"); q && !q->is_null()) {
    const auto *qo = q->if_object();
    const auto *start = qo ? qo->if_contains("start") : nullptr;
    const auto *end = qo ? qo->if_contains("end") : nullptr;
    std::optional<int> s;
    std::optional<int> e;
    if (start && start->is_string()) s = parse_hhmm(start->get_string());
    if (end && end->is_string()) e = parse_hhmm(end->get_string());
    if (!s || !e)
      return ServiceError::invalid("'quiet_hours' must be {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}", "quiet_hours");
    r.quiet_hours = QuietHours{*s, *e};
  }
  if (const auto *en = o.if_contains("enabled"); en && !en->is_null()) {
    if (!en->is_bool()) return ServiceError::invalid("'enabled' must be true or false", "enabled");
    r.enabled = en->get_bool();
  }
  if (const auto *ch = o.if_contains("channels"); ch && !ch->is_null()) {
    if (!ch->is_array()) return ServiceError::invalid("'channels' must be a list of channel ids", "channels");
    for (const auto &id : ch->get_array()) {
      if (!id.is_int64() || id.get_int64() < 1)
        return ServiceError::invalid("'channels' must be a list of channel ids", "channels");
      r.channels.push_back(id.get_int64());
    }
  }
  return r;
}

Result<AlertChannel> channel_from(const json::object &o) {
  static const std::set<std::string, std::less<>> known{"name", "kind", "url", "recipients", "enabled"};
  for (const auto &[k, v] : o)
    if (!known.contains(k))
      return ServiceError::invalid(fmt::format("unknown field '{}'", std::string(k)), std::string(k));
  AlertChannel ch;
  auto name = text_member(o, "name");
  if (!name) return name.error();
  ch.name = *name;
  auto kind = enum_member(o, "kind", alert_channel_kinds, std::nullopt);
  if (!kind) return kind.error();
  ch.kind = *kind;
  if (ch.kind == AlertChannelKind::Webhook) {
    auto url = text_member(o, "url");
    if (!url) return url.error();
    ch.url = *url;
  } else {
    const auto *to = o.if_contains("recipients");
    if (!to || !to->is_array())
      return ServiceError::invalid("'recipients' must be a list of e-mail addresses", "recipients");
    for (const auto &r : to->get_array()) {
      if (!r.is_string()) return ServiceError::invalid("'recipients' must be a list of e-mail addresses", "recipients");
      ch.recipients.emplace_back(r.get_string());
    }
  }
  if (const auto *en = o.if_contains("enabled"); en && !en->is_null()) {
    if (!en->is_bool()) return ServiceError::invalid("'enabled' must be true or false", "enabled");
    ch.enabled = en->get_bool();
  }
  return ch;
}

services::AlertService *service(const CtxPtr &c) {
  if (!c->api->alerts) c->fail(ServiceError::unavailable("alerts are not enabled ([alerts] enabled)"));
  return c->api->alerts;
}

template <class T, class Encode> services::Reply<Result<T>> answer(const CtxPtr &c, int status, Encode encode) {
  return [c, status, encode](services::Outcome<Result<T>> o) {
    if (!o.ok()) return c->fail(ServiceError::internal(o.error()));
    if (!o.value()) return c->fail(o.value().error());
    c->reply(status, encode(*o.value()));
  };
}

bool operator_view(const CtxPtr &c) {
  return c->who.role != Role::Viewer;
}

//! A small configuration table, read whole and paged here.
template <class T, class Encode> json::value page_of(const std::vector<T> &all, const PageRequest &p, Encode encode) {
  json::array items;
  for (std::size_t i = p.offset; i < all.size() && items.size() < p.limit; ++i)
    items.push_back(encode(all[i]));
  return json::value(page_json(std::move(items), p, static_cast<std::int64_t>(all.size())));
}

} // namespace

void list_alert_rules(const CtxPtr &c) {
  auto p = c->page();
  if (!p) return c->fail(p.error());
  c->api->unit(c, 200, [p = *p](Repository &r) -> Result<json::value> {
    return page_of(r.alert_rules(), p, [](const AlertRule &x) { return json::value(rule_json(x)); });
  });
}

void get_alert_rule(const CtxPtr &c) {
  auto id = c->path_number("alert rule");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto rule = r.alert_rule(id);
    if (!rule) return ServiceError::not_found("no such alert rule");
    return json::value(rule_json(*rule));
  });
}

void create_alert_rule(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto rule = rule_from(*body);
  if (!rule) return c->fail(rule.error());
  s->create_rule(*rule, answer<AlertRule>(c, 201, [](const AlertRule &r) { return json::value(rule_json(r)); }));
}

void put_alert_rule(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto id = c->path_number("alert rule");
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto rule = rule_from(*body);
  if (!rule) return c->fail(rule.error());
  s->replace_rule(*id, *rule, answer<AlertRule>(c, 200, [](const AlertRule &r) { return json::value(rule_json(r)); }));
}

void delete_alert_rule(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto id = c->path_number("alert rule");
  if (!id) return c->fail(id.error());
  s->delete_rule(*id, answer<bool>(c, 204, [](bool) { return json::value(nullptr); }));
}

void list_alert_channels(const CtxPtr &c) {
  auto p = c->page();
  if (!p) return c->fail(p.error());
  c->api->unit(c, 200, [p = *p, op = operator_view(c)](Repository &r) -> Result<json::value> {
    return page_of(r.alert_channels(), p,
                   [op](const AlertChannel &x) { return json::value(channel_json(x, op, false)); });
  });
}

void get_alert_channel(const CtxPtr &c) {
  auto id = c->path_number("alert channel");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id, op = operator_view(c)](Repository &r) -> Result<json::value> {
    auto ch = r.alert_channel(id);
    if (!ch) return ServiceError::not_found("no such alert channel");
    return json::value(channel_json(*ch, op, false));
  });
}

void create_alert_channel(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto ch = channel_from(*body);
  if (!ch) return c->fail(ch.error());
  s->create_channel(*ch, answer<AlertChannel>(
                             c, 201, [](const AlertChannel &x) { return json::value(channel_json(x, true, true)); }));
}

void delete_alert_channel(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto id = c->path_number("alert channel");
  if (!id) return c->fail(id.error());
  s->delete_channel(*id, answer<bool>(c, 204, [](bool) { return json::value(nullptr); }));
}

void list_alerts(const CtxPtr &c) {
  auto p = c->page();
  if (!p) return c->fail(p.error());
  AlertFilter f;
  if (auto s = c->query_param("state")) {
    f.state = value_of(alert_states, *s);
    if (!f.state) return c->fail(ServiceError::invalid("'state' must be open, acknowledged or resolved", "state"));
  }
  if (auto s = c->query_param("severity")) {
    f.severity = value_of(alert_severities, *s);
    if (!f.severity) return c->fail(ServiceError::invalid("'severity' must be info, warning or critical", "severity"));
  }
  if (auto s = c->query_param("rule_id")) {
    try {
      std::size_t used = 0;
      f.rule_id = std::stoll(*s, &used);
      if (used != s->size()) throw std::invalid_argument("rule_id");
    } catch (const std::exception &) {
      return c->fail(ServiceError::invalid("'rule_id' must be a rule id", "rule_id"));
    }
  }
  if (auto s = c->query_param("station")) f.station = *s;
  c->api->unit(c, 200, [p = *p, f](Repository &r) -> Result<json::value> {
    auto page = r.alerts(f, p);
    json::array items;
    for (const auto &a : page.items)
      items.push_back(alert_json(a));
    return json::value(page_json(std::move(items), p, page.total));
  });
}

void get_alert(const CtxPtr &c) {
  auto id = c->path_number("alert");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto a = r.alert(id);
    if (!a) return ServiceError::not_found("no such alert");
    return json::value(alert_json(*a));
  });
}

void acknowledge_alert(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto id = c->path_number("alert");
  if (!id) return c->fail(id.error());
  s->acknowledge(*id, c->who.actor, answer<Alert>(c, 200, [](const Alert &a) { return json::value(alert_json(a)); }));
}

void resolve_alert(const CtxPtr &c) {
  auto *s = service(c);
  if (!s) return;
  auto id = c->path_number("alert");
  if (!id) return c->fail(id.error());
  s->resolve(*id, c->who.actor, answer<Alert>(c, 200, [](const Alert &a) { return json::value(alert_json(a)); }));
}

void list_alert_deliveries(const CtxPtr &c) {
  auto p = c->page();
  if (!p) return c->fail(p.error());
  AlertDeliveryFilter f;
  for (const auto *key : {"alert_id", "channel_id"}) {
    auto s = c->query_param(key);
    if (!s) continue;
    try {
      std::size_t used = 0;
      auto v = std::stoll(*s, &used);
      if (used != s->size()) throw std::invalid_argument(key);
      (std::string_view(key) == "alert_id" ? f.alert_id : f.channel_id) = v;
    } catch (const std::exception &) {
      return c->fail(ServiceError::invalid(fmt::format("'{}' must be an id", key), key));
    }
  }
  if (auto s = c->query_param("state")) {
    f.state = value_of(alert_delivery_states, *s);
    if (!f.state) return c->fail(ServiceError::invalid("'state' must be pending, delivered or failed", "state"));
  }
  c->api->unit(c, 200, [p = *p, f](Repository &r) -> Result<json::value> {
    auto page = r.alert_deliveries(f, p);
    json::array items;
    for (const auto &d : page.items)
      items.push_back(delivery_json(d));
    return json::value(page_json(std::move(items), p, page.total));
  });
}

} // namespace gridlane::api
