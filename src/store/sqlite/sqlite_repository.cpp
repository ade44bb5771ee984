#include "sqlite/sqlite_repository.hpp"

#include <cmath>

#include <boost/json.hpp>

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

std::optional<std::int64_t> ms(const std::optional<Timestamp> &t) {
  return t ? std::optional{to_unix_ms(*t)} : std::nullopt;
}
std::optional<Timestamp> ts(const std::optional<std::int64_t> &v) {
  return v ? std::optional{from_unix_ms(*v)} : std::nullopt;
}

constexpr std::string_view station_columns =
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

constexpr std::string_view status_columns =
    "station_id, evse_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, station_time, "
    "received_at";

StatusReport read_status(const Statement &s) {
  StatusReport r;
  r.station = StationId::unchecked(s.text(0));
  r.evse_id = static_cast<int>(s.int64(1));
  r.connector_id = static_cast<int>(s.int64(2));
  r.status = parse_connector_status(s.text(3)).value_or(ConnectorStatus::Unavailable);
  r.error_code = s.text(4);
  r.info = s.opt_text(5);
  r.vendor_id = s.opt_text(6);
  r.vendor_error_code = s.opt_text(7);
  r.station_time = ts(s.opt_int64(8));
  r.received_at = from_unix_ms(s.int64(9));
  return r;
}

constexpr std::string_view transaction_columns =
    "id, station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, reservation_id, state, "
    "meter_start_wh, meter_stop_wh, energy_wh, started_at, start_received_at, stopped_at, stop_received_at, "
    "stop_reason, stop_id_tag, auth_status, auth_expires_at, auth_parent_id, charging_state, number_of_phases, "
    "remote_start_id, last_seq_no, offline_events";

Transaction read_transaction(const Statement &s) {
  Transaction t;
  t.id = s.int64(0);
  t.station = StationId::unchecked(s.text(1));
  t.station_tx_id = s.text(2);
  t.protocol = core::protocol_from_subprotocol(s.text(3)).value_or(ProtocolVersion::Ocpp16);
  t.evse_id = static_cast<int>(s.int64(4));
  t.connector_id = static_cast<int>(s.int64(5));
  t.id_tag = s.text(6);
  t.reservation_id = s.opt_int64(7);
  t.state = s.text(8) == "Active" ? TransactionState::Active : TransactionState::Ended;
  t.meter_start_wh = s.int64(9);
  t.meter_stop_wh = s.opt_int64(10);
  t.energy_wh = s.int64(11);
  t.started_at = from_unix_ms(s.int64(12));
  t.start_received_at = from_unix_ms(s.int64(13));
  t.stopped_at = ts(s.opt_int64(14));
  t.stop_received_at = ts(s.opt_int64(15));
  t.stop_reason = s.opt_text(16);
  t.stop_id_tag = s.opt_text(17);
  t.start_authorization.status = parse_token_status(s.text(18)).value_or(TokenStatus::Invalid);
  t.start_authorization.expires_at = ts(s.opt_int64(19));
  t.start_authorization.parent_id = s.opt_text(20);
  t.charging_state = s.opt_text(21);
  if (auto n = s.opt_int64(22)) t.number_of_phases = static_cast<int>(*n);
  t.remote_start_id = s.opt_int64(23);
  t.last_seq_no = s.opt_int64(24);
  t.offline_events = s.int64(25) != 0;
  return t;
}

std::string select(std::string_view columns, std::string_view rest) {
  std::string sql = "SELECT ";
  sql += columns;
  sql += ' ';
  sql += rest;
  return sql;
}

} // namespace

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

void SqliteRepository::insert_station(const Station &st) {
  auto s = db_.prepare("INSERT INTO stations (id, registration, enabled, password_hash, created_at, site) VALUES (?1, "
                       "?2, ?3, ?4, ?5, ?6)");
  s.bind(1, st.id.str())
      .bind(2, to_string(st.registration))
      .bind(3, st.enabled ? 1 : 0)
      .bind(4, st.password_hash)
      .bind(5, to_unix_ms(st.created_at.value_or(Timestamp{})))
      .bind(6, st.site);
  s.run();
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
        .bind(5, r.error_code)
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

std::optional<IdToken> SqliteRepository::id_token(std::string_view id) {
  auto s = db_.prepare("SELECT id, status, expires_at, parent_id FROM id_tokens WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return IdToken{s.text(0), parse_token_status(s.text(1)).value_or(TokenStatus::Invalid), ts(s.opt_int64(2)),
                 s.opt_text(3)};
}

void SqliteRepository::upsert_id_token(const IdToken &t) {
  auto s = db_.prepare(
      "INSERT INTO id_tokens (id, status, expires_at, parent_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO "
      "UPDATE SET status = excluded.status, expires_at = excluded.expires_at, parent_id = excluded.parent_id");
  s.bind(1, t.id).bind(2, to_string(t.status)).bind(3, ms(t.expires_at)).bind(4, t.parent_id);
  s.run();
}

std::vector<IdToken> SqliteRepository::id_tokens() {
  auto s = db_.prepare("SELECT id, status, expires_at, parent_id FROM id_tokens ORDER BY id");
  std::vector<IdToken> out;
  while (s.step())
    out.push_back(IdToken{s.text(0), parse_token_status(s.text(1)).value_or(TokenStatus::Invalid), ts(s.opt_int64(2)),
                          s.opt_text(3)});
  return out;
}

std::optional<Transaction> SqliteRepository::transaction(std::int64_t id) {
  static const std::string sql = select(transaction_columns, "FROM transactions WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

std::optional<Transaction> SqliteRepository::find_start(const StationId &station, int connector_id,
                                                        std::string_view id_tag, std::int64_t meter_start_wh,
                                                        Timestamp started_at) {
  static const std::string sql =
      select(transaction_columns, "FROM transactions WHERE station_id = ?1 AND connector_id = ?2 AND "
                                  "id_tag = ?3 AND meter_start_wh = ?4 AND started_at = ?5");
  auto s = db_.prepare(sql);
  s.bind(1, station.str())
      .bind(2, connector_id)
      .bind(3, id_tag)
      .bind(4, meter_start_wh)
      .bind(5, to_unix_ms(started_at));
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

bool SqliteRepository::has_active_transaction(std::string_view id_tag, std::optional<std::int64_t> except) {
  auto s = db_.prepare(
      "SELECT 1 FROM transactions WHERE id_tag = ?1 AND state = 'Active' AND (?2 IS NULL OR id <> ?2) LIMIT 1");
  s.bind(1, id_tag).bind(2, except);
  return s.step();
}

std::optional<Transaction> SqliteRepository::find_station_transaction(const StationId &station,
                                                                      std::string_view station_tx_id) {
  static const std::string sql =
      select(transaction_columns, "FROM transactions WHERE station_id = ?1 AND station_tx_id = ?2 AND "
                                  "protocol <> 'ocpp1.6'");
  auto s = db_.prepare(sql);
  s.bind(1, station.str()).bind(2, station_tx_id);
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

void SqliteRepository::update_transaction(const Transaction &t) {
  auto s = db_.prepare(
      "UPDATE transactions SET evse_id = ?2, connector_id = ?3, id_tag = ?4, state = ?5, meter_start_wh = ?6, "
      "meter_stop_wh = ?7, energy_wh = ?8, stopped_at = ?9, stop_received_at = ?10, stop_reason = ?11, "
      "stop_id_tag = ?12, charging_state = ?13, number_of_phases = ?14, remote_start_id = ?15, last_seq_no = ?16, "
      "offline_events = ?17, reservation_id = ?18, auth_status = ?19, auth_expires_at = ?20, auth_parent_id = ?21 "
      "WHERE id = ?1");
  s.bind(1, t.id)
      .bind(2, t.evse_id)
      .bind(3, t.connector_id)
      .bind(4, t.id_tag)
      .bind(5, to_string(t.state))
      .bind(6, t.meter_start_wh)
      .bind(7, t.meter_stop_wh)
      .bind(8, t.energy_wh)
      .bind(9, ms(t.stopped_at))
      .bind(10, ms(t.stop_received_at))
      .bind(11, t.stop_reason)
      .bind(12, t.stop_id_tag)
      .bind(13, t.charging_state)
      .bind(14, t.number_of_phases ? std::optional<std::int64_t>(*t.number_of_phases) : std::nullopt)
      .bind(15, t.remote_start_id)
      .bind(16, t.last_seq_no)
      .bind(17, t.offline_events ? 1 : 0)
      .bind(18, t.reservation_id)
      // A 2.x transaction learns its start verdict with the event that carries the idToken.
      .bind(19, to_string(t.start_authorization.status))
      .bind(20, ms(t.start_authorization.expires_at))
      .bind(21, t.start_authorization.parent_id);
  s.run();
}

void SqliteRepository::insert_transaction_event(const TransactionEventRecord &e) {
  auto s = db_.prepare(
      "INSERT INTO transaction_events (transaction_id, seq_no, event_type, trigger_reason, timestamp, offline, "
      "charging_state, id_token, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  s.bind(1, e.transaction_id)
      .bind(2, e.seq_no)
      .bind(3, e.event_type)
      .bind(4, e.trigger_reason)
      .bind(5, to_unix_ms(e.timestamp))
      .bind(6, e.offline ? 1 : 0)
      .bind(7, e.charging_state)
      .bind(8, e.id_token)
      .bind(9, to_unix_ms(e.received_at));
  s.run();
}

namespace {
constexpr std::string_view event_columns =
    "transaction_id, seq_no, event_type, trigger_reason, timestamp, offline, charging_state, id_token, received_at";

TransactionEventRecord read_event(const Statement &s) {
  TransactionEventRecord e;
  e.transaction_id = s.int64(0);
  e.seq_no = s.int64(1);
  e.event_type = s.text(2);
  e.trigger_reason = s.text(3);
  e.timestamp = from_unix_ms(s.int64(4));
  e.offline = s.int64(5) != 0;
  e.charging_state = s.opt_text(6);
  e.id_token = s.opt_text(7);
  e.received_at = from_unix_ms(s.int64(8));
  return e;
}
} // namespace

std::vector<TransactionEventRecord> SqliteRepository::transaction_events(std::int64_t transaction_id) {
  static const std::string sql =
      select(event_columns, "FROM transaction_events WHERE transaction_id = ?1 ORDER BY seq_no, id");
  auto s = db_.prepare(sql);
  s.bind(1, transaction_id);
  std::vector<TransactionEventRecord> out;
  while (s.step())
    out.push_back(read_event(s));
  return out;
}

std::vector<TransactionEventRecord> SqliteRepository::transaction_events_at(std::int64_t transaction_id,
                                                                            std::int64_t seq_no) {
  static const std::string sql =
      select(event_columns, "FROM transaction_events WHERE transaction_id = ?1 AND seq_no = ?2 ORDER BY id");
  auto s = db_.prepare(sql);
  s.bind(1, transaction_id).bind(2, seq_no);
  std::vector<TransactionEventRecord> out;
  while (s.step())
    out.push_back(read_event(s));
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
  std::int64_t previous = -1;
  {
    auto s = db_.prepare("SELECT last_seq_no FROM device_reports WHERE station_id = ?1 AND request_id = ?2");
    s.bind(1, station.str()).bind(2, part.request_id);
    if (s.step()) previous = s.int64(0);
  }
  auto s = db_.prepare(
      "INSERT INTO device_reports (station_id, request_id, parts, last_seq_no, complete, generated_at, received_at) "
      "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6) ON CONFLICT (station_id, request_id) DO UPDATE SET parts = parts + 1, "
      "last_seq_no = MAX(last_seq_no, excluded.last_seq_no), complete = MAX(complete, excluded.complete), "
      "generated_at = COALESCE(excluded.generated_at, generated_at), received_at = excluded.received_at");
  s.bind(1, station.str())
      .bind(2, part.request_id)
      .bind(3, part.seq_no)
      .bind(4, part.more_to_come ? 0 : 1)
      .bind(5, ms(part.generated_at))
      .bind(6, to_unix_ms(at));
  s.run();
  return previous;
}

bool SqliteRepository::has_complete_report(const StationId &station) {
  auto s = db_.prepare("SELECT 1 FROM device_reports WHERE station_id = ?1 AND complete = 1 LIMIT 1");
  s.bind(1, station.str());
  return s.step();
}

std::int64_t SqliteRepository::insert_transaction(const Transaction &t) {
  auto s = db_.prepare(
      "INSERT INTO transactions (station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, "
      "reservation_id, state, meter_start_wh, energy_wh, started_at, start_received_at, auth_status, "
      "auth_expires_at, auth_parent_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  s.bind(1, t.station.str())
      .bind(2, t.station_tx_id)
      .bind(3, core::to_string(t.protocol))
      .bind(4, t.evse_id)
      .bind(5, t.connector_id)
      .bind(6, t.id_tag)
      .bind(7, t.reservation_id)
      .bind(8, to_string(t.state))
      .bind(9, t.meter_start_wh)
      .bind(10, t.energy_wh)
      .bind(11, to_unix_ms(t.started_at))
      .bind(12, to_unix_ms(t.start_received_at))
      .bind(13, to_string(t.start_authorization.status))
      .bind(14, ms(t.start_authorization.expires_at))
      .bind(15, t.start_authorization.parent_id);
  s.run();
  auto id = db_.last_insert_rowid();
  if (t.station_tx_id.empty()) { // 1.6: the station knows the transaction by our id
    auto u = db_.prepare("UPDATE transactions SET station_tx_id = ?2 WHERE id = ?1");
    u.bind(1, id).bind(2, std::to_string(id));
    u.run();
  }
  return id;
}

void SqliteRepository::end_transaction(const Transaction &t) {
  auto s = db_.prepare("UPDATE transactions SET state = ?2, meter_stop_wh = ?3, energy_wh = ?4, stopped_at = ?5, "
                       "stop_received_at = ?6, stop_reason = ?7, stop_id_tag = ?8 WHERE id = ?1");
  s.bind(1, t.id)
      .bind(2, to_string(t.state))
      .bind(3, t.meter_stop_wh)
      .bind(4, t.energy_wh)
      .bind(5, ms(t.stopped_at))
      .bind(6, ms(t.stop_received_at))
      .bind(7, t.stop_reason)
      .bind(8, t.stop_id_tag);
  s.run();
}

void SqliteRepository::update_energy(std::int64_t transaction_id, std::int64_t energy_wh) {
  // How often this is written is the services' decision (services::LiveValues).
  auto s = db_.prepare("UPDATE transactions SET energy_wh = ?2 WHERE id = ?1 AND state = 'Active'");
  s.bind(1, transaction_id).bind(2, energy_wh);
  s.run();
}

std::vector<Transaction> SqliteRepository::transactions(const TransactionFilter &f) {
  static const std::string sql =
      select(transaction_columns, "FROM transactions WHERE (?1 IS NULL OR station_id = ?1) AND "
                                  "(?2 IS NULL OR state = ?2) AND (?3 IS NULL OR id_tag = ?3) AND "
                                  "(?4 IS NULL OR started_at >= ?4) AND (?5 IS NULL OR started_at < ?5) AND "
                                  "(?8 IS NULL OR station_id IN (SELECT id FROM stations WHERE site = ?8)) AND "
                                  "(?9 IS NULL OR station_id IN (SELECT id FROM stations WHERE location_id = ?9)) "
                                  "ORDER BY id LIMIT ?6 OFFSET ?7");
  auto s = db_.prepare(sql);
  s.bind(1, f.station ? std::optional{f.station->str()} : std::nullopt);
  s.bind(2, f.state ? std::optional{std::string(to_string(*f.state))} : std::nullopt);
  s.bind(3, f.id_tag);
  s.bind(4, ms(f.from));
  s.bind(5, ms(f.to));
  s.bind(6, static_cast<std::int64_t>(f.limit));
  s.bind(7, static_cast<std::int64_t>(f.offset));
  s.bind(8, f.site);
  s.bind(9, f.location ? std::optional{f.location->str()} : std::nullopt);
  std::vector<Transaction> out;
  while (s.step())
    out.push_back(read_transaction(s));
  return out;
}

void SqliteRepository::insert_meter_reading(const MeterReading &r) {
  if (r.samples.empty()) return;
  // One row per reading; the samples as compact JSON (keys in migration 0005).
  const auto first = to_unix_ms(r.samples.front().timestamp);
  boost::json::array samples;
  samples.reserve(r.samples.size());
  for (const auto &m : r.samples) {
    boost::json::object o;
    if (auto t = to_unix_ms(m.timestamp); t != first) o["t"] = t;
    o["v"] = m.value;
    if (m.numeric && std::isfinite(*m.numeric)) o["n"] = *m.numeric; // NaN and infinity are not JSON
    auto put = [&o](const char *key, const std::optional<std::string> &v) {
      if (v) o[key] = *v;
    };
    put("m", m.measurand);
    put("p", m.phase);
    put("l", m.location);
    put("u", m.unit);
    put("c", m.context);
    put("f", m.format);
    put("s", m.signed_data);
    samples.push_back(std::move(o));
  }
  auto s = db_.prepare(
      "INSERT INTO meter_readings (station_id, evse_id, connector_id, transaction_id, timestamp, received_at, samples) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, r.station.str())
      .bind(2, r.evse_id)
      .bind(3, r.connector_id)
      .bind(4, r.transaction_id)
      .bind(5, first)
      .bind(6, to_unix_ms(r.received_at))
      .bind(7, boost::json::serialize(samples));
  s.run();
}

std::vector<MeterSample> SqliteRepository::meter_samples(std::int64_t transaction_id) {
  auto s = db_.prepare(
      "SELECT COALESCE(j.value ->> 't', r.timestamp), j.value ->> 'v', j.value ->> 'n', j.value ->> 'm', "
      "j.value ->> 'p', j.value ->> 'l', j.value ->> 'u', j.value ->> 'c', j.value ->> 'f', j.value ->> 's' "
      "FROM meter_readings r, json_each(r.samples) j "
      // json_valid: a row that is not JSON (NaN from before migration 0007) must not fail the query
      "WHERE r.transaction_id = ?1 AND json_valid(r.samples) ORDER BY 1, r.id, j.key");
  s.bind(1, transaction_id);
  std::vector<MeterSample> out;
  while (s.step()) {
    MeterSample m;
    m.timestamp = from_unix_ms(s.int64(0));
    m.value = s.text(1);
    m.numeric = s.opt_real(2);
    if (m.numeric && !std::isfinite(*m.numeric)) m.numeric.reset();
    m.measurand = s.opt_text(3);
    m.phase = s.opt_text(4);
    m.location = s.opt_text(5);
    m.unit = s.opt_text(6);
    m.context = s.opt_text(7);
    m.format = s.opt_text(8);
    m.signed_data = s.opt_text(9);
    out.push_back(std::move(m));
  }
  return out;
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

bool SqliteRepository::delete_id_token(std::string_view id) {
  auto s = db_.prepare("DELETE FROM id_tokens WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

namespace {
constexpr std::string_view user_columns = "id, username, password_hash, role, created_at, disabled";
User read_user(const Statement &s) {
  return User{
      s.int64(0),     s.text(1), s.text(2), parse_role(s.text(3)).value_or(Role::Viewer), from_unix_ms(s.int64(4)),
      s.int64(5) != 0};
}
constexpr std::string_view api_key_columns = "id, name, key_hash, role, created_by, created_at, revoked_at";
ApiKey read_api_key(const Statement &s) {
  return ApiKey{s.int64(0),        s.text(1),
                s.text(2),         parse_role(s.text(3)).value_or(Role::Viewer),
                s.text(4),         from_unix_ms(s.int64(5)),
                ts(s.opt_int64(6))};
}
constexpr std::string_view command_columns = "id, station_id, kind, params, status, action, response, error, "
                                             "transaction_id, created_by, created_at, finished_at";
CommandRecord read_command(const Statement &s) {
  CommandRecord c;
  c.id = s.int64(0);
  c.station = StationId::unchecked(s.text(1));
  c.kind = s.text(2);
  c.params = s.text(3);
  c.status = parse_command_status(s.text(4)).value_or(CommandStatus::Failed);
  c.action = s.opt_text(5);
  c.response = s.opt_text(6);
  c.error = s.opt_text(7);
  c.transaction_id = s.opt_int64(8);
  c.created_by = s.text(9);
  c.created_at = from_unix_ms(s.int64(10));
  c.finished_at = ts(s.opt_int64(11));
  return c;
}
} // namespace

std::optional<User> SqliteRepository::user_by_name(std::string_view username) {
  static const std::string sql = select(user_columns, "FROM users WHERE username = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, username);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::optional<User> SqliteRepository::user_by_id(std::int64_t id) {
  static const std::string sql = select(user_columns, "FROM users WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

std::int64_t SqliteRepository::insert_user(const User &u) {
  auto s = db_.prepare(
      "INSERT INTO users (username, password_hash, role, created_at, disabled) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, u.username)
      .bind(2, u.password_hash)
      .bind(3, to_string(u.role))
      .bind(4, to_unix_ms(u.created_at))
      .bind(5, u.disabled ? 1 : 0);
  s.run();
  return db_.last_insert_rowid();
}

std::vector<User> SqliteRepository::users() {
  static const std::string sql = select(user_columns, "FROM users ORDER BY username");
  auto s = db_.prepare(sql);
  std::vector<User> out;
  while (s.step())
    out.push_back(read_user(s));
  return out;
}

void SqliteRepository::insert_session(std::string_view token_hash, std::int64_t user_id, Timestamp created,
                                      Timestamp expires) {
  auto s = db_.prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, token_hash).bind(2, user_id).bind(3, to_unix_ms(created)).bind(4, to_unix_ms(expires));
  s.run();
}

std::optional<User> SqliteRepository::session_user(std::string_view token_hash, Timestamp now) {
  static const std::string sql =
      "SELECT u.id, u.username, u.password_hash, u.role, u.created_at, u.disabled FROM sessions s "
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0";
  auto s = db_.prepare(sql);
  s.bind(1, token_hash).bind(2, to_unix_ms(now));
  if (!s.step()) return std::nullopt;
  return read_user(s);
}

void SqliteRepository::delete_session(std::string_view token_hash) {
  auto s = db_.prepare("DELETE FROM sessions WHERE token_hash = ?1");
  s.bind(1, token_hash);
  s.run();
}

std::int64_t SqliteRepository::insert_api_key(const ApiKey &k) {
  auto s =
      db_.prepare("INSERT INTO api_keys (name, key_hash, role, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, k.name)
      .bind(2, k.key_hash)
      .bind(3, to_string(k.role))
      .bind(4, k.created_by)
      .bind(5, to_unix_ms(k.created_at));
  s.run();
  return db_.last_insert_rowid();
}

std::optional<ApiKey> SqliteRepository::api_key_by_hash(std::string_view key_hash) {
  static const std::string sql = select(api_key_columns, "FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL");
  auto s = db_.prepare(sql);
  s.bind(1, key_hash);
  if (!s.step()) return std::nullopt;
  return read_api_key(s);
}

std::vector<ApiKey> SqliteRepository::api_keys() {
  static const std::string sql = select(api_key_columns, "FROM api_keys ORDER BY id");
  auto s = db_.prepare(sql);
  std::vector<ApiKey> out;
  while (s.step())
    out.push_back(read_api_key(s));
  return out;
}

bool SqliteRepository::revoke_api_key(std::int64_t id, Timestamp at) {
  auto s = db_.prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  s.bind(1, id).bind(2, to_unix_ms(at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteRepository::insert_audit(const AuditEntry &e) {
  auto s = db_.prepare(
      "INSERT INTO audit_log (at, actor, action, target, detail, remote, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, to_unix_ms(e.at))
      .bind(2, e.actor)
      .bind(3, e.action)
      .bind(4, e.target)
      .bind(5, e.detail)
      .bind(6, e.remote)
      .bind(7, e.status);
  s.run();
}

std::vector<AuditEntry> SqliteRepository::audit(std::size_t limit, std::size_t offset) {
  auto s = db_.prepare("SELECT id, at, actor, action, target, detail, remote, status FROM audit_log ORDER BY id DESC "
                       "LIMIT ?1 OFFSET ?2");
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<AuditEntry> out;
  while (s.step())
    out.push_back(AuditEntry{s.int64(0), from_unix_ms(s.int64(1)), s.text(2), s.text(3), s.opt_text(4), s.opt_text(5),
                             s.opt_text(6), static_cast<int>(s.int64(7))});
  return out;
}

std::int64_t SqliteRepository::insert_command(const CommandRecord &c) {
  auto s = db_.prepare("INSERT INTO commands (station_id, kind, params, status, created_by, created_at) VALUES (?1, "
                       "?2, ?3, ?4, ?5, ?6)");
  s.bind(1, c.station.str())
      .bind(2, c.kind)
      .bind(3, c.params)
      .bind(4, to_string(c.status))
      .bind(5, c.created_by)
      .bind(6, to_unix_ms(c.created_at));
  s.run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_command(const CommandRecord &c) {
  auto s = db_.prepare("UPDATE commands SET status = ?2, action = ?3, response = ?4, error = ?5, transaction_id = ?6, "
                       "finished_at = ?7 WHERE id = ?1");
  s.bind(1, c.id)
      .bind(2, to_string(c.status))
      .bind(3, c.action)
      .bind(4, c.response)
      .bind(5, c.error)
      .bind(6, c.transaction_id)
      .bind(7, ms(c.finished_at));
  s.run();
}

std::optional<CommandRecord> SqliteRepository::command(std::int64_t id) {
  static const std::string sql = select(command_columns, "FROM commands WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_command(s);
}

std::vector<CommandRecord> SqliteRepository::commands(const std::optional<StationId> &station, std::size_t limit,
                                                      std::size_t offset) {
  static const std::string sql = select(
      command_columns, "FROM commands WHERE (?1 IS NULL OR station_id = ?1) ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  auto s = db_.prepare(sql);
  s.bind(1, station ? std::optional{station->str()} : std::nullopt);
  s.bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<CommandRecord> out;
  while (s.step())
    out.push_back(read_command(s));
  return out;
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

void SqliteRepository::record_anomaly(const Anomaly &a) {
  auto s = db_.prepare("INSERT INTO anomalies (station_id, kind, detail, at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, a.station.str()).bind(2, a.kind).bind(3, a.detail).bind(4, to_unix_ms(a.at));
  s.run();
}

std::vector<Anomaly> SqliteRepository::anomalies(const StationId &station) {
  auto s = db_.prepare("SELECT station_id, kind, detail, at FROM anomalies WHERE station_id = ?1 ORDER BY id");
  s.bind(1, station.str());
  std::vector<Anomaly> out;
  while (s.step())
    out.push_back(Anomaly{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

void SqliteRepository::record_event(const StationEvent &e) {
  auto s = db_.prepare("INSERT INTO station_events (station_id, kind, payload, at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, e.station.str()).bind(2, e.kind).bind(3, e.payload).bind(4, to_unix_ms(e.at));
  s.run();
}

std::vector<StationEvent> SqliteRepository::events(const StationId &station) {
  auto s = db_.prepare("SELECT station_id, kind, payload, at FROM station_events WHERE station_id = ?1 ORDER BY id");
  s.bind(1, station.str());
  std::vector<StationEvent> out;
  while (s.step())
    out.push_back(StationEvent{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
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

std::vector<User> SqliteRepository::users(std::size_t limit, std::size_t offset) {
  static const std::string sql = select(user_columns, "FROM users ORDER BY username LIMIT ?1 OFFSET ?2");
  auto s = db_.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<User> out;
  while (s.step())
    out.push_back(read_user(s));
  return out;
}

std::vector<ApiKey> SqliteRepository::api_keys(std::size_t limit, std::size_t offset) {
  static const std::string sql = select(api_key_columns, "FROM api_keys ORDER BY id LIMIT ?1 OFFSET ?2");
  auto s = db_.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<ApiKey> out;
  while (s.step())
    out.push_back(read_api_key(s));
  return out;
}

std::vector<Anomaly> SqliteRepository::anomalies(const StationId &station, std::size_t limit, std::size_t offset) {
  auto s = db_.prepare("SELECT station_id, kind, detail, at FROM anomalies WHERE station_id = ?1 ORDER BY id "
                       "LIMIT ?2 OFFSET ?3");
  s.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<Anomaly> out;
  while (s.step())
    out.push_back(Anomaly{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

std::vector<StationEvent> SqliteRepository::events(const StationId &station, const std::optional<std::string> &kind,
                                                   std::size_t limit, std::size_t offset) {
  auto s = db_.prepare("SELECT station_id, kind, payload, at FROM station_events WHERE station_id = ?1 "
                       "AND (?2 IS NULL OR kind = ?2) ORDER BY id LIMIT ?3 OFFSET ?4");
  s.bind(1, station.str())
      .bind(2, kind)
      .bind(3, static_cast<std::int64_t>(limit))
      .bind(4, static_cast<std::int64_t>(offset));
  std::vector<StationEvent> out;
  while (s.step())
    out.push_back(StationEvent{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

} // namespace gridlane::store::sqlite
