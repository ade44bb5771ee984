//! StationStore over SQLite: stations, connector status, device model, reports, compatibility.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

#include <cmath>

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

// Row codecs, shared through sqlite/rows.hpp.
const std::string_view station_columns =
    "id, registration, enabled, password_hash, vendor, model, serial_number, charge_box_serial_number, "
    "firmware_version, iccid, imsi, meter_type, meter_serial_number, boot_reason, protocol, created_at, "
    "last_boot_at, last_seen_at, site, location_id";

Station read_station(const Statement &s) {
  Station st;
  st.id = StationId::unchecked(s.text(0));
  st.registration = parse_registration_status(s.text(1)).value_or(RegistrationStatus::Pending);
  st.enabled = s.int64(2) != 0;
  st.password_hash = s.opt_text(3);
  st.identity.vendor = s.text(4);
  st.identity.model = s.text(5);
  st.identity.serial_number = s.opt_text(6);
  st.identity.charge_box_serial_number = s.opt_text(7);
  st.identity.firmware_version = s.opt_text(8);
  st.identity.iccid = s.opt_text(9);
  st.identity.imsi = s.opt_text(10);
  st.identity.meter_type = s.opt_text(11);
  st.identity.meter_serial_number = s.opt_text(12);
  st.identity.boot_reason = s.opt_text(13);
  if (auto p = s.opt_text(14)) st.protocol = core::protocol_from_subprotocol(*p);
  st.created_at = ts(s.opt_int64(15));
  st.last_boot_at = ts(s.opt_int64(16));
  st.last_seen_at = ts(s.opt_int64(17));
  st.site = s.opt_text(18);
  if (auto l = s.opt_text(19)) st.location_id = LocationId::unchecked(*l);
  return st;
}

const std::string_view status_columns =
    "station_id, evse_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, station_time, "
    "received_at";

StatusReport read_status(const Statement &s) {
  StatusReport r;
  r.station = StationId::unchecked(s.text(0));
  r.evse_id = static_cast<int>(s.int64(1));
  r.connector_id = static_cast<int>(s.int64(2));
  r.status = parse_connector_status(s.text(3)).value_or(ConnectorStatus::Unavailable);
  r.error_code = parse_connector_error_code(s.text(4)).value_or(ConnectorErrorCode::OtherError);
  r.info = s.opt_text(5);
  r.vendor_id = s.opt_text(6);
  r.vendor_error_code = s.opt_text(7);
  r.station_time = ts(s.opt_int64(8));
  r.received_at = from_unix_ms(s.int64(9));
  return r;
}

std::optional<Station> SqliteRepository::station(const StationId &id) {
  static const std::string sql = select(station_columns, "FROM stations WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id.str());
  if (!s.step()) return std::nullopt;
  return read_station(s);
}

std::vector<Station> SqliteRepository::stations() {
  static const std::string sql = select(station_columns, "FROM stations ORDER BY id");
  auto s = db_.prepare(sql);
  std::vector<Station> out;
  while (s.step())
    out.push_back(read_station(s));
  return out;
}

namespace {
constexpr std::string_view insert_station_sql =
    "INSERT INTO stations (id, registration, enabled, password_hash, created_at, site) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
void bind_new_station(Statement &s, const Station &st) {
  s.bind(1, st.id.str())
      .bind(2, to_string(st.registration))
      .bind(3, st.enabled ? 1 : 0)
      .bind(4, st.password_hash)
      .bind(5, to_unix_ms(st.created_at.value_or(Timestamp{})))
      .bind(6, st.site);
}
} // namespace

void SqliteRepository::insert_station(const Station &st) {
  auto s = db_.prepare(insert_station_sql);
  bind_new_station(s, st);
  s.run();
}

bool SqliteRepository::insert_station_if_absent(const Station &st) {
  static const std::string sql = std::string(insert_station_sql) + " ON CONFLICT (id) DO NOTHING RETURNING id";
  auto s = db_.prepare(sql);
  bind_new_station(s, st);
  return s.step();
}

void SqliteRepository::update_station_boot(const StationId &id, const StationIdentity &i, Timestamp at) {
  auto s =
      db_.prepare("UPDATE stations SET vendor = ?2, model = ?3, serial_number = ?4, charge_box_serial_number = ?5, "
                  "firmware_version = ?6, iccid = ?7, imsi = ?8, meter_type = ?9, meter_serial_number = ?10, "
                  "boot_reason = ?11, last_boot_at = ?12 WHERE id = ?1");
  s.bind(1, id.str())
      .bind(2, i.vendor)
      .bind(3, i.model)
      .bind(4, i.serial_number)
      .bind(5, i.charge_box_serial_number)
      .bind(6, i.firmware_version)
      .bind(7, i.iccid)
      .bind(8, i.imsi)
      .bind(9, i.meter_type)
      .bind(10, i.meter_serial_number)
      .bind(11, i.boot_reason)
      .bind(12, to_unix_ms(at));
  s.run();
}

void SqliteRepository::set_registration(const StationId &id, RegistrationStatus status) {
  auto s = db_.prepare("UPDATE stations SET registration = ?2 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, to_string(status));
  s.run();
}

void SqliteRepository::set_password_hash(const StationId &id, const std::optional<std::string> &hash) {
  auto s = db_.prepare("UPDATE stations SET password_hash = ?2 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, hash);
  s.run();
}

void SqliteRepository::touch_station(const StationId &id, ProtocolVersion protocol, Timestamp at) {
  // How often this is written is the services' decision (services::LiveValues).
  auto s = db_.prepare("UPDATE stations SET last_seen_at = ?2, protocol = ?3 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, to_unix_ms(at)).bind(3, core::to_string(protocol));
  s.run();
}

void SqliteRepository::record_status(const StatusReport &r) {
  auto bind_all = [&](Statement &s) {
    s.bind(1, r.station.str())
        .bind(2, r.evse_id)
        .bind(3, r.connector_id)
        .bind(4, to_string(r.status))
        .bind(5, to_string(r.error_code))
        .bind(6, r.info)
        .bind(7, r.vendor_id)
        .bind(8, r.vendor_error_code)
        .bind(9, ms(r.station_time))
        .bind(10, to_unix_ms(r.received_at));
  };
  {
    auto s = db_.prepare(
        "INSERT INTO connector_status (station_id, evse_id, connector_id, status, error_code, info, vendor_id, "
        "vendor_error_code, station_time, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "ON CONFLICT (station_id, evse_id, connector_id) DO UPDATE SET status = excluded.status, "
        "error_code = excluded.error_code, info = excluded.info, vendor_id = excluded.vendor_id, "
        "vendor_error_code = excluded.vendor_error_code, station_time = excluded.station_time, "
        "received_at = excluded.received_at");
    bind_all(s);
    s.run();
  }
  auto h =
      db_.prepare("INSERT INTO status_history (station_id, evse_id, connector_id, status, error_code, info, vendor_id, "
                  "vendor_error_code, station_time, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  bind_all(h);
  h.run();
}

std::vector<StatusReport> SqliteRepository::current_statuses(const StationId &id) {
  static const std::string sql =
      select(status_columns, "FROM connector_status WHERE station_id = ?1 ORDER BY evse_id, connector_id");
  auto s = db_.prepare(sql);
  s.bind(1, id.str());
  std::vector<StatusReport> out;
  while (s.step())
    out.push_back(read_status(s));
  return out;
}

std::vector<StatusReport> SqliteRepository::status_history(const StationId &id, std::size_t limit) {
  static const std::string sql =
      select(status_columns, "FROM status_history WHERE station_id = ?1 ORDER BY id LIMIT ?2");
  auto s = db_.prepare(sql);
  s.bind(1, id.str()).bind(2, static_cast<std::int64_t>(limit));
  std::vector<StatusReport> out;
  while (s.step())
    out.push_back(read_status(s));
  return out;
}

void SqliteRepository::upsert_device_variable(const StationId &station, const DeviceVariable &v, Timestamp at) {
  // Characteristics and mutability only overwrite what is stored when they are reported.
  auto s = db_.prepare(
      "INSERT INTO device_variables (station_id, component, component_instance, evse_id, connector_id, variable, "
      "variable_instance, attribute_type, value, mutability, persistent, constant, data_type, unit, min_limit, "
      "max_limit, values_list, supports_monitoring, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
      "ON CONFLICT (station_id, component, component_instance, evse_id, connector_id, variable, variable_instance, "
      "attribute_type) DO UPDATE SET value = COALESCE(excluded.value, value), "
      "mutability = COALESCE(excluded.mutability, mutability), persistent = COALESCE(excluded.persistent, persistent), "
      "constant = COALESCE(excluded.constant, constant), data_type = COALESCE(excluded.data_type, data_type), "
      "unit = COALESCE(excluded.unit, unit), min_limit = COALESCE(excluded.min_limit, min_limit), "
      "max_limit = COALESCE(excluded.max_limit, max_limit), values_list = COALESCE(excluded.values_list, values_list), "
      "supports_monitoring = COALESCE(excluded.supports_monitoring, supports_monitoring), updated_at = "
      "excluded.updated_at");
  auto flag = [](const std::optional<bool> &b) { return b ? std::optional<std::int64_t>(*b ? 1 : 0) : std::nullopt; };
  s.bind(1, station.str())
      .bind(2, v.component)
      .bind(3, v.component_instance)
      .bind(4, v.evse_id)
      .bind(5, v.connector_id)
      .bind(6, v.variable)
      .bind(7, v.variable_instance)
      .bind(8, v.attribute_type)
      .bind(9, v.value)
      .bind(10, v.mutability)
      .bind(11, flag(v.persistent))
      .bind(12, flag(v.constant))
      .bind(13, v.data_type)
      .bind(14, v.unit)
      .bind(15, v.min_limit)
      .bind(16, v.max_limit)
      .bind(17, v.values_list)
      .bind(18, flag(v.supports_monitoring))
      .bind(19, to_unix_ms(at));
  s.run();
}

std::vector<DeviceVariable> SqliteRepository::device_variables(const StationId &station) {
  auto s = db_.prepare(
      "SELECT component, component_instance, evse_id, connector_id, variable, variable_instance, attribute_type, "
      "value, mutability, persistent, constant, data_type, unit, min_limit, max_limit, values_list, "
      "supports_monitoring FROM device_variables WHERE station_id = ?1 ORDER BY component, component_instance, "
      "evse_id, connector_id, variable, variable_instance, attribute_type");
  s.bind(1, station.str());
  auto flag = [&](int col) { return s.is_null(col) ? std::nullopt : std::optional<bool>(s.int64(col) != 0); };
  std::vector<DeviceVariable> out;
  while (s.step()) {
    DeviceVariable v;
    v.component = s.text(0);
    v.component_instance = s.text(1);
    v.evse_id = static_cast<int>(s.int64(2));
    v.connector_id = static_cast<int>(s.int64(3));
    v.variable = s.text(4);
    v.variable_instance = s.text(5);
    v.attribute_type = s.text(6);
    v.value = s.opt_text(7);
    v.mutability = s.opt_text(8);
    v.persistent = flag(9);
    v.constant = flag(10);
    v.data_type = s.opt_text(11);
    v.unit = s.opt_text(12);
    v.min_limit = s.opt_real(13);
    v.max_limit = s.opt_real(14);
    if (v.min_limit && !std::isfinite(*v.min_limit)) v.min_limit.reset(); // infinity is not JSON
    if (v.max_limit && !std::isfinite(*v.max_limit)) v.max_limit.reset();
    v.values_list = s.opt_text(15);
    v.supports_monitoring = flag(16);
    out.push_back(std::move(v));
  }
  return out;
}

std::int64_t SqliteRepository::record_report_part(const StationId &station, const ReportPart &part, Timestamp at) {
  // One statement records the part and answers the last seqNo before it (the SET expressions
  // read the row as it was), so a second writer cannot slip between a read and the write.
  auto s = db_.prepare(
      "INSERT INTO device_reports (station_id, request_id, parts, last_seq_no, complete, generated_at, received_at, "
      "previous_seq_no) VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, -1) ON CONFLICT (station_id, request_id) DO UPDATE SET "
      "parts = parts + 1, previous_seq_no = last_seq_no, last_seq_no = MAX(last_seq_no, excluded.last_seq_no), "
      "complete = MAX(complete, excluded.complete), generated_at = COALESCE(excluded.generated_at, generated_at), "
      "received_at = excluded.received_at RETURNING previous_seq_no");
  s.bind(1, station.str())
      .bind(2, part.request_id)
      .bind(3, part.seq_no)
      .bind(4, part.more_to_come ? 0 : 1)
      .bind(5, ms(part.generated_at))
      .bind(6, to_unix_ms(at));
  if (!s.step()) throw SqliteError("report part: the upsert returned no row");
  return s.int64(0);
}

bool SqliteRepository::has_complete_report(const StationId &station) {
  auto s = db_.prepare("SELECT 1 FROM device_reports WHERE station_id = ?1 AND complete = 1 LIMIT 1");
  s.bind(1, station.str());
  return s.step();
}

void SqliteRepository::set_enabled(const StationId &id, bool enabled) {
  auto s = db_.prepare("UPDATE stations SET enabled = ?2 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, enabled ? 1 : 0);
  s.run();
}

void SqliteRepository::set_site(const StationId &id, const std::optional<std::string> &site) {
  auto s = db_.prepare("UPDATE stations SET site = ?2 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, site);
  s.run();
}

bool SqliteRepository::delete_station(const StationId &id) {
  // Transactions, meter values and the audit trail stay: they are records of what happened.
  for (const char *sql :
       {"DELETE FROM connector_status WHERE station_id = ?1", "DELETE FROM status_history WHERE station_id = ?1",
        "DELETE FROM device_variables WHERE station_id = ?1", "DELETE FROM device_reports WHERE station_id = ?1"}) {
    auto s = db_.prepare(sql);
    s.bind(1, id.str());
    s.run();
  }
  auto s = db_.prepare("UPDATE stations SET enabled = 0, registration = 'Rejected', password_hash = NULL "
                       "WHERE id = ?1 AND EXISTS (SELECT 1 FROM transactions WHERE station_id = ?1)");
  s.bind(1, id.str());
  s.run();
  if (sqlite3_changes(db_.handle()) > 0) return true; // kept as a disabled record for its transactions
  auto d = db_.prepare("DELETE FROM stations WHERE id = ?1");
  d.bind(1, id.str());
  d.run();
  return sqlite3_changes(db_.handle()) > 0;
}

StationCompat SqliteRepository::station_compat(const StationId &station) {
  auto s = db_.prepare("SELECT timestamps_without_offset, extra_properties_in_answers FROM station_compat "
                       "WHERE station_id = ?1");
  s.bind(1, station.str());
  if (!s.step()) return {};
  return StationCompat{s.int64(0) != 0, s.int64(1) != 0};
}

void SqliteRepository::set_station_compat(const StationId &station, const StationCompat &compat, Timestamp at) {
  if (!compat.any()) {
    auto s = db_.prepare("DELETE FROM station_compat WHERE station_id = ?1");
    s.bind(1, station.str());
    s.run();
    return;
  }
  auto s = db_.prepare(
      "INSERT INTO station_compat (station_id, timestamps_without_offset, extra_properties_in_answers, updated_at) "
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (station_id) DO UPDATE SET timestamps_without_offset = ?2, "
      "extra_properties_in_answers = ?3, updated_at = ?4");
  s.bind(1, station.str())
      .bind(2, compat.timestamps_without_offset ? 1 : 0)
      .bind(3, compat.extra_properties_in_answers ? 1 : 0)
      .bind(4, to_unix_ms(at));
  s.run();
}

std::vector<std::pair<StationId, StationCompat>> SqliteRepository::stations_with_compat() {
  auto s = db_.prepare("SELECT station_id, timestamps_without_offset, extra_properties_in_answers FROM station_compat "
                       "ORDER BY station_id");
  std::vector<std::pair<StationId, StationCompat>> out;
  while (s.step())
    out.emplace_back(StationId::unchecked(s.text(0)), StationCompat{s.int64(1) != 0, s.int64(2) != 0});
  return out;
}

std::vector<StatusReport> SqliteRepository::status_history(const StationId &id, std::size_t limit, std::size_t offset) {
  static const std::string sql =
      select(status_columns, "FROM status_history WHERE station_id = ?1 ORDER BY id LIMIT ?2 OFFSET ?3");
  auto s = db_.prepare(sql);
  s.bind(1, id.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<StatusReport> out;
  while (s.step())
    out.push_back(read_status(s));
  return out;
}

} // namespace gridlane::store::sqlite
