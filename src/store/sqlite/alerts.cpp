//! AlertStore over SQLite (migration 0027): alert rules and their channels, alerts, deliveries.
#include <algorithm>
#include <string>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

std::int64_t as_int(std::size_t n) {
  return static_cast<std::int64_t>(std::min<std::size_t>(n, 1U << 30));
}

template <class E, std::size_t N> E row_enum(const NameTable<E, N> &names, const std::string &text, E fallback) {
  return value_of(names, text).value_or(fallback);
}

// ---- rules ----

constexpr std::string_view rule_columns =
    "id, name, condition, severity, scope, scope_id, minutes, count, error_code, measurand, min_value, max_value, "
    "quiet_start, quiet_end, enabled, created_at, updated_at";

AlertRule rule_row(const Statement &s) {
  AlertRule r;
  r.id = s.int64(0);
  r.name = s.text(1);
  r.condition = row_enum(alert_conditions, s.text(2), AlertCondition::StationOffline);
  r.severity = row_enum(alert_severities, s.text(3), AlertSeverity::Warning);
  r.scope = row_enum(alert_scopes, s.text(4), AlertScope::All);
  r.scope_id = s.text(5);
  r.minutes = static_cast<int>(s.int64(6));
  r.count = static_cast<int>(s.int64(7));
  if (auto code = s.opt_text(8)) r.error_code = parse_connector_error_code(*code);
  r.measurand = s.text(9);
  r.min = s.opt_real(10);
  r.max = s.opt_real(11);
  if (auto start = s.opt_int64(12), end = s.opt_int64(13); start && end)
    r.quiet_hours = QuietHours{static_cast<int>(*start), static_cast<int>(*end)};
  r.enabled = s.int64(14) != 0;
  r.created_at = core::from_unix_ms(s.int64(15));
  r.updated_at = core::from_unix_ms(s.int64(16));
  return r;
}

void bind_rule(Statement &s, const AlertRule &r) {
  s.bind(1, r.name)
      .bind(2, name_of(alert_conditions, r.condition))
      .bind(3, name_of(alert_severities, r.severity))
      .bind(4, name_of(alert_scopes, r.scope))
      .bind(5, r.scope_id)
      .bind(6, r.minutes)
      .bind(7, r.count);
  if (r.error_code)
    s.bind(8, to_string(*r.error_code));
  else
    s.bind_null(8);
  s.bind(9, r.measurand).bind(10, r.min).bind(11, r.max);
  if (r.quiet_hours)
    s.bind(12, r.quiet_hours->start_minute).bind(13, r.quiet_hours->end_minute);
  else
    s.bind_null(12).bind_null(13);
  s.bind(14, r.enabled ? 1 : 0).bind(15, core::to_unix_ms(r.created_at)).bind(16, core::to_unix_ms(r.updated_at));
}

// ---- alerts ----

constexpr std::string_view alert_columns =
    "id, rule_id, subject, station, severity, state, summary, count, first_at, last_at, acknowledged_at, "
    "acknowledged_by, resolved_at, resolved_by";

Alert alert_row(const Statement &s) {
  Alert a;
  a.id = s.int64(0);
  a.rule_id = s.int64(1);
  a.subject = s.text(2);
  a.station = s.text(3);
  a.severity = row_enum(alert_severities, s.text(4), AlertSeverity::Warning);
  a.state = row_enum(alert_states, s.text(5), AlertState::Open);
  a.summary = s.text(6);
  a.count = s.int64(7);
  a.first_at = core::from_unix_ms(s.int64(8));
  a.last_at = core::from_unix_ms(s.int64(9));
  a.acknowledged_at = ts(s.opt_int64(10));
  a.acknowledged_by = s.text(11);
  a.resolved_at = ts(s.opt_int64(12));
  a.resolved_by = s.text(13);
  return a;
}

// ---- deliveries ----

constexpr std::string_view delivery_columns =
    "id, alert_id, channel_id, channel_kind, event, state, attempts, created_at, next_attempt_at, held_until, "
    "last_attempt_at, delivered_at, response_status, last_error";

AlertDelivery delivery_row(const Statement &s) {
  AlertDelivery d;
  d.id = s.int64(0);
  d.alert_id = s.int64(1);
  d.channel_id = s.int64(2);
  d.channel_kind = row_enum(alert_channel_kinds, s.text(3), AlertChannelKind::Webhook);
  d.event = row_enum(alert_events, s.text(4), AlertEvent::Raised);
  d.state = row_enum(alert_delivery_states, s.text(5), AlertDeliveryState::Pending);
  d.attempts = static_cast<int>(s.int64(6));
  d.created_at = core::from_unix_ms(s.int64(7));
  d.next_attempt_at = core::from_unix_ms(s.int64(8));
  d.held_until = ts(s.opt_int64(9));
  d.last_attempt_at = ts(s.opt_int64(10));
  d.delivered_at = ts(s.opt_int64(11));
  if (auto st = s.opt_int64(12)) d.response_status = static_cast<int>(*st);
  d.last_error = s.text(13);
  return d;
}

std::string clipped(const std::string &error) {
  return error.substr(0, std::min<std::size_t>(error.size(), 1000));
}

} // namespace

std::int64_t SqliteRepository::insert_alert_rule(const AlertRule &rule) {
  auto s = db_.prepare("INSERT INTO alert_rules (name, condition, severity, scope, scope_id, minutes, count, "
                       "error_code, measurand, min_value, max_value, quiet_start, quiet_end, enabled, created_at, "
                       "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  bind_rule(s, rule);
  s.run();
  auto id = db_.last_insert_rowid();
  for (auto channel : rule.channels)
    db_.prepare("INSERT OR IGNORE INTO alert_rule_channels (rule_id, channel_id) VALUES (?1, ?2)")
        .bind(1, id)
        .bind(2, channel)
        .run();
  return id;
}

bool SqliteRepository::update_alert_rule(const AlertRule &rule) {
  auto s = db_.prepare("UPDATE alert_rules SET name = ?1, condition = ?2, severity = ?3, scope = ?4, scope_id = ?5, "
                       "minutes = ?6, count = ?7, error_code = ?8, measurand = ?9, min_value = ?10, max_value = ?11, "
                       "quiet_start = ?12, quiet_end = ?13, enabled = ?14, updated_at = ?16 WHERE id = ?17");
  bind_rule(s, rule);
  s.bind(17, rule.id);
  s.run();
  if (sqlite3_changes(db_.handle()) == 0) return false;
  db_.prepare("DELETE FROM alert_rule_channels WHERE rule_id = ?1").bind(1, rule.id).run();
  for (auto channel : rule.channels)
    db_.prepare("INSERT OR IGNORE INTO alert_rule_channels (rule_id, channel_id) VALUES (?1, ?2)")
        .bind(1, rule.id)
        .bind(2, channel)
        .run();
  return true;
}

bool SqliteRepository::delete_alert_rule(std::int64_t id) {
  db_.prepare("DELETE FROM alert_rules WHERE id = ?1").bind(1, id).run();
  const bool deleted = sqlite3_changes(db_.handle()) > 0;
  db_.prepare("DELETE FROM alert_rule_channels WHERE rule_id = ?1").bind(1, id).run();
  return deleted;
}

std::optional<AlertRule> SqliteRepository::alert_rule(std::int64_t id) {
  auto s = db_.prepare(select(rule_columns, "FROM alert_rules WHERE id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto rule = rule_row(s);
  auto c = db_.prepare("SELECT channel_id FROM alert_rule_channels WHERE rule_id = ?1 ORDER BY channel_id");
  c.bind(1, id);
  while (c.step())
    rule.channels.push_back(c.int64(0));
  return rule;
}

std::vector<AlertRule> SqliteRepository::alert_rules() {
  std::vector<AlertRule> out;
  {
    auto s = db_.prepare(select(rule_columns, "FROM alert_rules ORDER BY id"));
    while (s.step())
      out.push_back(rule_row(s));
  }
  auto c = db_.prepare("SELECT rule_id, channel_id FROM alert_rule_channels ORDER BY rule_id, channel_id");
  while (c.step()) {
    auto it = std::lower_bound(out.begin(), out.end(), c.int64(0),
                               [](const AlertRule &r, std::int64_t id) { return r.id < id; });
    if (it != out.end() && it->id == c.int64(0)) it->channels.push_back(c.int64(1));
  }
  return out;
}

std::int64_t SqliteRepository::insert_alert_channel(const AlertChannel &channel) {
  std::string recipients;
  for (const auto &r : channel.recipients) {
    if (!recipients.empty()) recipients += '\n';
    recipients += r;
  }
  db_.prepare("INSERT INTO alert_channels (name, kind, url, recipients, secret, enabled, created_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(1, channel.name)
      .bind(2, name_of(alert_channel_kinds, channel.kind))
      .bind(3, channel.url)
      .bind(4, recipients)
      .bind(5, channel.secret)
      .bind(6, channel.enabled ? 1 : 0)
      .bind(7, core::to_unix_ms(channel.created_at))
      .run();
  return db_.last_insert_rowid();
}

bool SqliteRepository::delete_alert_channel(std::int64_t id) {
  db_.prepare("DELETE FROM alert_channels WHERE id = ?1").bind(1, id).run();
  const bool deleted = sqlite3_changes(db_.handle()) > 0;
  db_.prepare("DELETE FROM alert_rule_channels WHERE channel_id = ?1").bind(1, id).run();
  return deleted;
}

namespace {
constexpr std::string_view channel_columns = "id, name, kind, url, recipients, secret, enabled, created_at";
AlertChannel channel_row(const Statement &s) {
  AlertChannel c;
  c.id = s.int64(0);
  c.name = s.text(1);
  c.kind = row_enum(alert_channel_kinds, s.text(2), AlertChannelKind::Webhook);
  c.url = s.text(3);
  auto recipients = s.text(4);
  std::size_t start = 0;
  while (start < recipients.size()) {
    auto end = recipients.find('\n', start);
    if (end == std::string::npos) end = recipients.size();
    if (end > start) c.recipients.push_back(recipients.substr(start, end - start));
    start = end + 1;
  }
  c.secret = s.text(5);
  c.enabled = s.int64(6) != 0;
  c.created_at = core::from_unix_ms(s.int64(7));
  return c;
}
} // namespace

std::optional<AlertChannel> SqliteRepository::alert_channel(std::int64_t id) {
  auto s = db_.prepare(select(channel_columns, "FROM alert_channels WHERE id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return channel_row(s);
}

std::vector<AlertChannel> SqliteRepository::alert_channels() {
  auto s = db_.prepare(select(channel_columns, "FROM alert_channels ORDER BY id"));
  std::vector<AlertChannel> out;
  while (s.step())
    out.push_back(channel_row(s));
  return out;
}

std::optional<Alert> SqliteRepository::unresolved_alert(std::int64_t rule_id, std::string_view subject) {
  auto s =
      db_.prepare(select(alert_columns, "FROM alerts WHERE rule_id = ?1 AND subject = ?2 AND state <> 'resolved'"));
  s.bind(1, rule_id).bind(2, subject);
  if (!s.step()) return std::nullopt;
  return alert_row(s);
}

std::int64_t SqliteRepository::insert_alert(const Alert &a) {
  db_.prepare("INSERT INTO alerts (rule_id, subject, station, severity, state, summary, count, first_at, last_at, "
              "acknowledged_at, acknowledged_by, resolved_at, resolved_by) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
      .bind(1, a.rule_id)
      .bind(2, a.subject)
      .bind(3, a.station)
      .bind(4, name_of(alert_severities, a.severity))
      .bind(5, name_of(alert_states, a.state))
      .bind(6, a.summary)
      .bind(7, a.count)
      .bind(8, core::to_unix_ms(a.first_at))
      .bind(9, core::to_unix_ms(a.last_at))
      .bind(10, ms(a.acknowledged_at))
      .bind(11, a.acknowledged_by)
      .bind(12, ms(a.resolved_at))
      .bind(13, a.resolved_by)
      .run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_alert(const Alert &a) {
  db_.prepare("UPDATE alerts SET severity = ?2, state = ?3, summary = ?4, count = ?5, last_at = ?6, "
              "acknowledged_at = ?7, acknowledged_by = ?8, resolved_at = ?9, resolved_by = ?10 WHERE id = ?1")
      .bind(1, a.id)
      .bind(2, name_of(alert_severities, a.severity))
      .bind(3, name_of(alert_states, a.state))
      .bind(4, a.summary)
      .bind(5, a.count)
      .bind(6, core::to_unix_ms(a.last_at))
      .bind(7, ms(a.acknowledged_at))
      .bind(8, a.acknowledged_by)
      .bind(9, ms(a.resolved_at))
      .bind(10, a.resolved_by)
      .run();
}

std::optional<Alert> SqliteRepository::alert(std::int64_t id) {
  auto s = db_.prepare(select(alert_columns, "FROM alerts WHERE id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return alert_row(s);
}

Paged<Alert> SqliteRepository::alerts(const AlertFilter &f, const PageRequest &page) {
  static const std::string where = "FROM alerts WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR severity = ?2) "
                                   "AND (?3 IS NULL OR rule_id = ?3) AND (?4 = '' OR station = ?4)";
  auto bind = [&f](Statement &s) {
    std::optional<std::string> state;
    std::optional<std::string> severity;
    if (f.state) state = std::string(name_of(alert_states, *f.state));
    if (f.severity) severity = std::string(name_of(alert_severities, *f.severity));
    s.bind(1, state).bind(2, severity).bind(3, f.rule_id).bind(4, f.station);
  };
  Paged<Alert> out;
  {
    auto s = db_.prepare(select(alert_columns, where + " ORDER BY last_at DESC, id DESC LIMIT ?5 OFFSET ?6"));
    bind(s);
    s.bind(5, as_int(page.limit)).bind(6, as_int(page.offset));
    while (s.step())
      out.items.push_back(alert_row(s));
  }
  auto c = db_.prepare("SELECT COUNT(*) " + where);
  bind(c);
  if (c.step()) out.total = c.int64(0);
  return out;
}

std::vector<Alert> SqliteRepository::unresolved_alerts() {
  auto s = db_.prepare(select(alert_columns, "FROM alerts WHERE state <> 'resolved' ORDER BY id"));
  std::vector<Alert> out;
  while (s.step())
    out.push_back(alert_row(s));
  return out;
}

std::int64_t SqliteRepository::insert_alert_delivery(const AlertDelivery &d) {
  db_.prepare("INSERT INTO alert_deliveries (alert_id, channel_id, channel_kind, event, state, attempts, created_at, "
              "next_attempt_at, held_until) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8)")
      .bind(1, d.alert_id)
      .bind(2, d.channel_id)
      .bind(3, name_of(alert_channel_kinds, d.channel_kind))
      .bind(4, name_of(alert_events, d.event))
      .bind(5, name_of(alert_delivery_states, d.state))
      .bind(6, core::to_unix_ms(d.created_at))
      .bind(7, core::to_unix_ms(d.next_attempt_at))
      .bind(8, ms(d.held_until))
      .run();
  return db_.last_insert_rowid();
}

std::vector<AlertDelivery> SqliteRepository::due_alert_deliveries(Timestamp now, std::size_t max) {
  auto s = db_.prepare(select(delivery_columns, "FROM alert_deliveries WHERE state = 'pending' AND "
                                                "next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2"));
  s.bind(1, core::to_unix_ms(now)).bind(2, as_int(max));
  std::vector<AlertDelivery> out;
  while (s.step())
    out.push_back(delivery_row(s));
  return out;
}

std::optional<Timestamp> SqliteRepository::next_alert_delivery_at() {
  auto s = db_.prepare("SELECT MIN(next_attempt_at) FROM alert_deliveries WHERE state = 'pending'");
  if (!s.step()) return std::nullopt;
  return ts(s.opt_int64(0));
}

void SqliteRepository::update_alert_delivery(const AlertDelivery &d) {
  db_.prepare("UPDATE alert_deliveries SET state = ?2, attempts = ?3, next_attempt_at = ?4, last_attempt_at = ?5, "
              "delivered_at = ?6, response_status = ?7, last_error = ?8 WHERE id = ?1")
      .bind(1, d.id)
      .bind(2, name_of(alert_delivery_states, d.state))
      .bind(3, d.attempts)
      .bind(4, core::to_unix_ms(d.next_attempt_at))
      .bind(5, ms(d.last_attempt_at))
      .bind(6, ms(d.delivered_at))
      .bind(7, d.response_status)
      .bind(8, clipped(d.last_error))
      .run();
}

Paged<AlertDelivery> SqliteRepository::alert_deliveries(const AlertDeliveryFilter &f, const PageRequest &page) {
  static const std::string where = "FROM alert_deliveries WHERE (?1 IS NULL OR alert_id = ?1) AND "
                                   "(?2 IS NULL OR channel_id = ?2) AND (?3 IS NULL OR state = ?3)";
  auto bind = [&f](Statement &s) {
    std::optional<std::string> state;
    if (f.state) state = std::string(name_of(alert_delivery_states, *f.state));
    s.bind(1, f.alert_id).bind(2, f.channel_id).bind(3, state);
  };
  Paged<AlertDelivery> out;
  {
    auto s = db_.prepare(select(delivery_columns, where + " ORDER BY id DESC LIMIT ?4 OFFSET ?5"));
    bind(s);
    s.bind(4, as_int(page.limit)).bind(5, as_int(page.offset));
    while (s.step())
      out.items.push_back(delivery_row(s));
  }
  auto c = db_.prepare("SELECT COUNT(*) " + where);
  bind(c);
  if (c.step()) out.total = c.int64(0);
  return out;
}

} // namespace gridlane::store::sqlite
