#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

std::optional<std::int64_t> ms(const std::optional<Timestamp>& t) {
  return t ? std::optional{to_unix_ms(*t)} : std::nullopt;
}
std::optional<Timestamp> ts(const std::optional<std::int64_t>& v) {
  return v ? std::optional{from_unix_ms(*v)} : std::nullopt;
}

constexpr std::string_view station_columns =
    "id, registration, enabled, password_hash, vendor, model, serial_number, charge_box_serial_number, "
    "firmware_version, iccid, imsi, meter_type, meter_serial_number, boot_reason, protocol, created_at, "
    "last_boot_at, last_seen_at";

Station read_station(const Statement& s) {
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
  return st;
}

constexpr std::string_view status_columns =
    "station_id, evse_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, station_time, "
    "received_at";

StatusReport read_status(const Statement& s) {
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
    "stop_reason, stop_id_tag, auth_status, auth_expires_at, auth_parent_id";

Transaction read_transaction(const Statement& s) {
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

std::optional<Station> SqliteRepository::station(const StationId& id) {
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
  while (s.step()) out.push_back(read_station(s));
  return out;
}

void SqliteRepository::insert_station(const Station& st) {
  auto s = db_.prepare(
      "INSERT INTO stations (id, registration, enabled, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, st.id.str())
      .bind(2, to_string(st.registration))
      .bind(3, st.enabled ? 1 : 0)
      .bind(4, st.password_hash)
      .bind(5, to_unix_ms(st.created_at.value_or(Timestamp{})));
  s.run();
}

void SqliteRepository::update_station_boot(const StationId& id, const StationIdentity& i, Timestamp at) {
  auto s = db_.prepare(
      "UPDATE stations SET vendor = ?2, model = ?3, serial_number = ?4, charge_box_serial_number = ?5, "
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

void SqliteRepository::set_registration(const StationId& id, RegistrationStatus status) {
  auto s = db_.prepare("UPDATE stations SET registration = ?2 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, to_string(status));
  s.run();
}

void SqliteRepository::set_password_hash(const StationId& id, const std::optional<std::string>& hash) {
  auto s = db_.prepare("UPDATE stations SET password_hash = ?2 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, hash);
  s.run();
}

void SqliteRepository::touch_station(const StationId& id, ProtocolVersion protocol, Timestamp at) {
  auto s = db_.prepare("UPDATE stations SET last_seen_at = ?2, protocol = ?3 WHERE id = ?1");
  s.bind(1, id.str()).bind(2, to_unix_ms(at)).bind(3, core::to_string(protocol));
  s.run();
}

void SqliteRepository::record_status(const StatusReport& r) {
  auto bind_all = [&](Statement& s) {
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
  auto h = db_.prepare(
      "INSERT INTO status_history (station_id, evse_id, connector_id, status, error_code, info, vendor_id, "
      "vendor_error_code, station_time, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  bind_all(h);
  h.run();
}

std::vector<StatusReport> SqliteRepository::current_statuses(const StationId& id) {
  static const std::string sql =
      select(status_columns, "FROM connector_status WHERE station_id = ?1 ORDER BY evse_id, connector_id");
  auto s = db_.prepare(sql);
  s.bind(1, id.str());
  std::vector<StatusReport> out;
  while (s.step()) out.push_back(read_status(s));
  return out;
}

std::vector<StatusReport> SqliteRepository::status_history(const StationId& id, std::size_t limit) {
  static const std::string sql =
      select(status_columns, "FROM status_history WHERE station_id = ?1 ORDER BY id LIMIT ?2");
  auto s = db_.prepare(sql);
  s.bind(1, id.str()).bind(2, static_cast<std::int64_t>(limit));
  std::vector<StatusReport> out;
  while (s.step()) out.push_back(read_status(s));
  return out;
}

std::optional<IdToken> SqliteRepository::id_token(std::string_view id) {
  auto s = db_.prepare("SELECT id, status, expires_at, parent_id FROM id_tokens WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return IdToken{s.text(0), parse_token_status(s.text(1)).value_or(TokenStatus::Invalid), ts(s.opt_int64(2)),
                 s.opt_text(3)};
}

void SqliteRepository::upsert_id_token(const IdToken& t) {
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
    out.push_back(IdToken{s.text(0), parse_token_status(s.text(1)).value_or(TokenStatus::Invalid),
                          ts(s.opt_int64(2)), s.opt_text(3)});
  return out;
}

std::optional<Transaction> SqliteRepository::transaction(std::int64_t id) {
  static const std::string sql = select(transaction_columns, "FROM transactions WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

std::optional<Transaction> SqliteRepository::find_start(const StationId& station, int connector_id,
                                                        std::string_view id_tag, std::int64_t meter_start_wh,
                                                        Timestamp started_at) {
  static const std::string sql = select(transaction_columns,
                                        "FROM transactions WHERE station_id = ?1 AND connector_id = ?2 AND "
                                        "id_tag = ?3 AND meter_start_wh = ?4 AND started_at = ?5");
  auto s = db_.prepare(sql);
  s.bind(1, station.str()).bind(2, connector_id).bind(3, id_tag).bind(4, meter_start_wh).bind(5, to_unix_ms(started_at));
  if (!s.step()) return std::nullopt;
  return read_transaction(s);
}

bool SqliteRepository::has_active_transaction(std::string_view id_tag) {
  auto s = db_.prepare("SELECT 1 FROM transactions WHERE id_tag = ?1 AND state = 'Active' LIMIT 1");
  s.bind(1, id_tag);
  return s.step();
}

std::int64_t SqliteRepository::insert_transaction(const Transaction& t) {
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

void SqliteRepository::end_transaction(const Transaction& t) {
  auto s = db_.prepare(
      "UPDATE transactions SET state = ?2, meter_stop_wh = ?3, energy_wh = ?4, stopped_at = ?5, "
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
  auto s = db_.prepare("UPDATE transactions SET energy_wh = ?2 WHERE id = ?1 AND state = 'Active'");
  s.bind(1, transaction_id).bind(2, energy_wh);
  s.run();
}

std::vector<Transaction> SqliteRepository::transactions(const TransactionFilter& f) {
  static const std::string sql = select(transaction_columns,
                                        "FROM transactions WHERE (?1 IS NULL OR station_id = ?1) AND "
                                        "(?2 IS NULL OR state = ?2) ORDER BY id LIMIT ?3");
  auto s = db_.prepare(sql);
  s.bind(1, f.station ? std::optional{f.station->str()} : std::nullopt);
  s.bind(2, f.state ? std::optional{std::string(to_string(*f.state))} : std::nullopt);
  s.bind(3, static_cast<std::int64_t>(f.limit));
  std::vector<Transaction> out;
  while (s.step()) out.push_back(read_transaction(s));
  return out;
}

void SqliteRepository::insert_meter_reading(const MeterReading& r) {
  for (const auto& m : r.samples) {
    auto s = db_.prepare(
        "INSERT INTO meter_samples (station_id, evse_id, connector_id, transaction_id, timestamp, value, numeric, "
        "measurand, phase, location, unit, context, format, received_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    s.bind(1, r.station.str())
        .bind(2, r.evse_id)
        .bind(3, r.connector_id)
        .bind(4, r.transaction_id)
        .bind(5, to_unix_ms(m.timestamp))
        .bind(6, m.value)
        .bind(7, m.numeric)
        .bind(8, m.measurand)
        .bind(9, m.phase)
        .bind(10, m.location)
        .bind(11, m.unit)
        .bind(12, m.context)
        .bind(13, m.format)
        .bind(14, to_unix_ms(r.received_at));
    s.run();
  }
}

std::vector<MeterSample> SqliteRepository::meter_samples(std::int64_t transaction_id) {
  auto s = db_.prepare(
      "SELECT timestamp, value, numeric, measurand, phase, location, unit, context, format FROM meter_samples "
      "WHERE transaction_id = ?1 ORDER BY timestamp, id");
  s.bind(1, transaction_id);
  std::vector<MeterSample> out;
  while (s.step()) {
    MeterSample m;
    m.timestamp = from_unix_ms(s.int64(0));
    m.value = s.text(1);
    m.numeric = s.opt_real(2);
    m.measurand = s.opt_text(3);
    m.phase = s.opt_text(4);
    m.location = s.opt_text(5);
    m.unit = s.opt_text(6);
    m.context = s.opt_text(7);
    m.format = s.opt_text(8);
    out.push_back(std::move(m));
  }
  return out;
}

void SqliteRepository::record_anomaly(const Anomaly& a) {
  auto s = db_.prepare("INSERT INTO anomalies (station_id, kind, detail, at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, a.station.str()).bind(2, a.kind).bind(3, a.detail).bind(4, to_unix_ms(a.at));
  s.run();
}

std::vector<Anomaly> SqliteRepository::anomalies(const StationId& station) {
  auto s = db_.prepare("SELECT station_id, kind, detail, at FROM anomalies WHERE station_id = ?1 ORDER BY id");
  s.bind(1, station.str());
  std::vector<Anomaly> out;
  while (s.step()) out.push_back(Anomaly{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

void SqliteRepository::record_event(const StationEvent& e) {
  auto s = db_.prepare("INSERT INTO station_events (station_id, kind, payload, at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, e.station.str()).bind(2, e.kind).bind(3, e.payload).bind(4, to_unix_ms(e.at));
  s.run();
}

std::vector<StationEvent> SqliteRepository::events(const StationId& station) {
  auto s = db_.prepare("SELECT station_id, kind, payload, at FROM station_events WHERE station_id = ?1 ORDER BY id");
  s.bind(1, station.str());
  std::vector<StationEvent> out;
  while (s.step())
    out.push_back(StationEvent{StationId::unchecked(s.text(0)), s.text(1), s.text(2), from_unix_ms(s.int64(3))});
  return out;
}

} // namespace gridlane::store::sqlite
