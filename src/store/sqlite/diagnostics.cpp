//! DiagnosticsStore over SQLite (migration 0030): hosted uploads and files, monitors,
//! monitoring events, customer information.
#include "gridlane/domain/diagnostics_names.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

LogType log_type_of(const std::string &text) {
  return parse_enum<LogType>(text).value_or(LogType::DiagnosticsLog);
}

// Columns component .. variable_instance at `first`.
ComponentVariable where_of(const Statement &s, int first) {
  ComponentVariable w;
  w.component = s.text(first);
  w.component_instance = s.opt_text(first + 1);
  w.evse_id = s.opt_int64(first + 2);
  w.connector_id = s.opt_int64(first + 3);
  w.variable = s.text(first + 4);
  w.variable_instance = s.opt_text(first + 5);
  return w;
}

void bind_where(Statement &s, int first, const ComponentVariable &w) {
  s.bind(first, w.component)
      .bind(first + 1, w.component_instance)
      .bind(first + 2, w.evse_id)
      .bind(first + 3, w.connector_id)
      .bind(first + 4, w.variable)
      .bind(first + 5, w.variable_instance);
}

constexpr std::string_view file_columns = "id, upload_id, station_id, log_type, file_name, stored_path, size_bytes, "
                                          "sha256, content_type, received_at";

DiagnosticsFile file_of(const Statement &s) {
  DiagnosticsFile f;
  f.id = s.int64(0);
  f.upload_id = s.int64(1);
  f.station = StationId::unchecked(s.text(2));
  f.log_type = log_type_of(s.text(3));
  f.file_name = s.text(4);
  f.stored_path = s.text(5);
  f.size_bytes = s.int64(6);
  f.sha256 = s.text(7);
  f.content_type = s.text(8);
  f.received_at = from_unix_ms(s.int64(9));
  return f;
}

std::int64_t count_of(Database &db, std::string_view sql, const StationId &station) {
  auto s = db.prepare(sql);
  s.bind(1, station.str());
  return s.step() ? s.int64(0) : 0;
}

} // namespace

std::int64_t SqliteRepository::insert_diagnostics_upload(const DiagnosticsUpload &u) {
  auto s = db_.prepare("INSERT INTO diagnostics_uploads (station_id, token_hash, log_type, created_at, expires_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, u.station.str())
      .bind(2, u.token_hash)
      .bind(3, to_string(u.log_type))
      .bind(4, to_unix_ms(u.created_at))
      .bind(5, to_unix_ms(u.expires_at));
  s.run();
  return db_.last_insert_rowid();
}

std::optional<DiagnosticsUpload> SqliteRepository::diagnostics_upload_by_token(std::string_view token_hash) {
  auto s = db_.prepare("SELECT id, station_id, token_hash, log_type, created_at, expires_at, used_at "
                       "FROM diagnostics_uploads WHERE token_hash = ?1");
  s.bind(1, token_hash);
  if (!s.step()) return std::nullopt;
  DiagnosticsUpload u;
  u.id = s.int64(0);
  u.station = StationId::unchecked(s.text(1));
  u.token_hash = s.text(2);
  u.log_type = log_type_of(s.text(3));
  u.created_at = from_unix_ms(s.int64(4));
  u.expires_at = from_unix_ms(s.int64(5));
  u.used_at = ts(s.opt_int64(6));
  return u;
}

bool SqliteRepository::claim_diagnostics_upload(std::int64_t id, Timestamp at) {
  auto s = db_.prepare("UPDATE diagnostics_uploads SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL");
  s.bind(1, id).bind(2, to_unix_ms(at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteRepository::release_diagnostics_upload(std::int64_t id) {
  auto s = db_.prepare("UPDATE diagnostics_uploads SET used_at = NULL WHERE id = ?1");
  s.bind(1, id);
  s.run();
}

std::int64_t SqliteRepository::insert_diagnostics_file(const DiagnosticsFile &f) {
  auto s = db_.prepare("INSERT INTO diagnostics_files (upload_id, station_id, log_type, file_name, stored_path, "
                       "size_bytes, sha256, content_type, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.bind(1, f.upload_id)
      .bind(2, f.station.str())
      .bind(3, to_string(f.log_type))
      .bind(4, f.file_name)
      .bind(5, f.stored_path)
      .bind(6, f.size_bytes)
      .bind(7, f.sha256)
      .bind(8, f.content_type)
      .bind(9, to_unix_ms(f.received_at));
  s.run();
  return db_.last_insert_rowid();
}

std::optional<DiagnosticsFile> SqliteRepository::diagnostics_file(std::int64_t id) {
  auto s = db_.prepare("SELECT " + std::string(file_columns) + " FROM diagnostics_files WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return file_of(s);
}

std::vector<DiagnosticsFile> SqliteRepository::diagnostics_files(const StationId &station, std::size_t limit,
                                                                 std::size_t offset) {
  auto s = db_.prepare("SELECT " + std::string(file_columns) +
                       " FROM diagnostics_files WHERE station_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  s.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<DiagnosticsFile> out;
  while (s.step())
    out.push_back(file_of(s));
  return out;
}

std::int64_t SqliteRepository::count_diagnostics_files(const StationId &station) {
  return count_of(db_, "SELECT COUNT(*) FROM diagnostics_files WHERE station_id = ?1", station);
}

void SqliteRepository::upsert_station_monitor(const StationMonitor &m) {
  auto s = db_.prepare(
      "INSERT INTO station_monitors (station_id, monitor_id, component, component_instance, evse_id, connector_id, "
      "variable, variable_instance, transaction_only, value, type, severity, request_id, reported_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT (station_id, monitor_id) DO "
      "UPDATE SET component = excluded.component, component_instance = excluded.component_instance, "
      "evse_id = excluded.evse_id, connector_id = excluded.connector_id, variable = excluded.variable, "
      "variable_instance = excluded.variable_instance, transaction_only = excluded.transaction_only, "
      "value = excluded.value, type = excluded.type, severity = excluded.severity, "
      "request_id = excluded.request_id, reported_at = excluded.reported_at");
  s.bind(1, m.station.str()).bind(2, m.monitor_id);
  bind_where(s, 3, m.where);
  s.bind(9, m.transaction ? 1 : 0)
      .bind(10, m.value.to_string())
      .bind(11, to_string(m.type))
      .bind(12, m.severity)
      .bind(13, m.request_id)
      .bind(14, to_unix_ms(m.reported_at));
  s.run();
}

std::vector<StationMonitor> SqliteRepository::station_monitors(const StationId &station, std::size_t limit,
                                                               std::size_t offset) {
  auto s = db_.prepare("SELECT monitor_id, component, component_instance, evse_id, connector_id, variable, "
                       "variable_instance, transaction_only, value, type, severity, request_id, reported_at "
                       "FROM station_monitors WHERE station_id = ?1 ORDER BY monitor_id LIMIT ?2 OFFSET ?3");
  s.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<StationMonitor> out;
  while (s.step()) {
    StationMonitor m;
    m.station = station;
    m.monitor_id = s.int64(0);
    m.where = where_of(s, 1);
    m.transaction = s.int64(7) != 0;
    if (auto v = core::Decimal::parse(s.text(8)); v) m.value = *v;
    m.type = parse_enum<MonitorType>(s.text(9)).value_or(MonitorType::UpperThreshold);
    m.severity = s.int64(10);
    m.request_id = s.int64(11);
    m.reported_at = from_unix_ms(s.int64(12));
    out.push_back(std::move(m));
  }
  return out;
}

std::int64_t SqliteRepository::count_station_monitors(const StationId &station) {
  return count_of(db_, "SELECT COUNT(*) FROM station_monitors WHERE station_id = ?1", station);
}

std::int64_t SqliteRepository::insert_monitoring_event(const MonitoringEvent &e) {
  auto s = db_.prepare(
      "INSERT INTO monitoring_events (station_id, event_id, occurred_at, trigger, cause, actual_value, tech_code, "
      "tech_info, cleared, transaction_id, component, component_instance, evse_id, connector_id, variable, "
      "variable_instance, monitor_id, notification_type, received_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  s.bind(1, e.station.str())
      .bind(2, e.event_id)
      .bind(3, to_unix_ms(e.occurred_at))
      .bind(4, name_of(event_triggers, e.trigger))
      .bind(5, e.cause)
      .bind(6, e.actual_value)
      .bind(7, e.tech_code)
      .bind(8, e.tech_info)
      .bind(9, e.cleared ? 1 : 0)
      .bind(10, e.transaction_id);
  bind_where(s, 11, e.where);
  s.bind(17, e.monitor_id).bind(18, name_of(event_notifications, e.notification)).bind(19, to_unix_ms(e.received_at));
  s.run();
  return db_.last_insert_rowid();
}

std::vector<MonitoringEvent> SqliteRepository::monitoring_events(const StationId &station, std::size_t limit,
                                                                 std::size_t offset) {
  auto s = db_.prepare("SELECT id, event_id, occurred_at, trigger, cause, actual_value, tech_code, tech_info, cleared, "
                       "transaction_id, component, component_instance, evse_id, connector_id, variable, "
                       "variable_instance, monitor_id, notification_type, received_at FROM monitoring_events "
                       "WHERE station_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  s.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<MonitoringEvent> out;
  while (s.step()) {
    MonitoringEvent e;
    e.id = s.int64(0);
    e.station = station;
    e.event_id = s.int64(1);
    e.occurred_at = from_unix_ms(s.int64(2));
    e.trigger = value_of(event_triggers, s.text(3)).value_or(EventTrigger::Alerting);
    e.cause = s.opt_int64(4);
    e.actual_value = s.text(5);
    e.tech_code = s.opt_text(6);
    e.tech_info = s.opt_text(7);
    e.cleared = s.int64(8) != 0;
    e.transaction_id = s.opt_text(9);
    e.where = where_of(s, 10);
    e.monitor_id = s.opt_int64(16);
    e.notification = value_of(event_notifications, s.text(17)).value_or(EventNotification::HardWiredNotification);
    e.received_at = from_unix_ms(s.int64(18));
    out.push_back(std::move(e));
  }
  return out;
}

std::int64_t SqliteRepository::count_monitoring_events(const StationId &station) {
  return count_of(db_, "SELECT COUNT(*) FROM monitoring_events WHERE station_id = ?1", station);
}

std::int64_t SqliteRepository::insert_customer_information(const CustomerInformationPart &p) {
  auto s = db_.prepare("INSERT INTO customer_information (station_id, request_id, seq_no, data, more_to_come, "
                       "generated_at, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, p.station.str())
      .bind(2, p.request_id)
      .bind(3, p.seq_no)
      .bind(4, p.data)
      .bind(5, p.more_to_come ? 1 : 0)
      .bind(6, to_unix_ms(p.generated_at))
      .bind(7, to_unix_ms(p.received_at));
  s.run();
  return db_.last_insert_rowid();
}

std::vector<CustomerInformationPart> SqliteRepository::customer_information(const StationId &station, std::size_t limit,
                                                                            std::size_t offset) {
  auto s = db_.prepare("SELECT id, request_id, seq_no, data, more_to_come, generated_at, received_at "
                       "FROM customer_information WHERE station_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  s.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<CustomerInformationPart> out;
  while (s.step()) {
    CustomerInformationPart p;
    p.id = s.int64(0);
    p.station = station;
    p.request_id = s.int64(1);
    p.seq_no = s.int64(2);
    p.data = s.text(3);
    p.more_to_come = s.int64(4) != 0;
    p.generated_at = from_unix_ms(s.int64(5));
    p.received_at = from_unix_ms(s.int64(6));
    out.push_back(std::move(p));
  }
  return out;
}

std::int64_t SqliteRepository::count_customer_information(const StationId &station) {
  return count_of(db_, "SELECT COUNT(*) FROM customer_information WHERE station_id = ?1", station);
}

} // namespace gridlane::store::sqlite
