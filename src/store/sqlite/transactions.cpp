//! TransactionStore over SQLite: transactions, their events, meter readings.
#include "sqlite/enum_columns.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

#include <cmath>

#include <boost/json.hpp>

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

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
  t.stop_reason = enum_column(s.opt_text(16), parse_stop_reason);
  t.stop_id_tag = s.opt_text(17);
  t.start_authorization.status = parse_token_status(s.text(18)).value_or(TokenStatus::Invalid);
  t.start_authorization.expires_at = ts(s.opt_int64(19));
  t.start_authorization.parent_id = s.opt_text(20);
  t.charging_state = enum_column(s.opt_text(21), parse_charging_state);
  if (auto n = s.opt_int64(22)) t.number_of_phases = static_cast<int>(*n);
  t.remote_start_id = s.opt_int64(23);
  t.last_seq_no = s.opt_int64(24);
  t.offline_events = s.int64(25) != 0;
  return t;
}

} // namespace

// Row codecs, shared through sqlite/rows.hpp.
const std::string_view event_columns =
    "transaction_id, seq_no, event_type, trigger_reason, timestamp, offline, charging_state, id_token, received_at";

TransactionEventRecord read_event(const Statement &s) {
  TransactionEventRecord e;
  e.transaction_id = s.int64(0);
  e.seq_no = s.int64(1);
  e.event_type = parse_transaction_event_type(s.text(2)).value_or(TransactionEventType::Updated);
  e.trigger_reason = parse_trigger_reason(s.text(3)).value_or(TriggerReason::Trigger);
  e.timestamp = from_unix_ms(s.int64(4));
  e.offline = s.int64(5) != 0;
  e.charging_state = enum_column(s.opt_text(6), parse_charging_state);
  e.id_token = s.opt_text(7);
  e.received_at = from_unix_ms(s.int64(8));
  return e;
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
      .bind(11, enum_text(t.stop_reason))
      .bind(12, t.stop_id_tag)
      .bind(13, enum_text(t.charging_state))
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

bool SqliteRepository::insert_transaction_event(const TransactionEventRecord &e) {
  auto s = db_.prepare(
      "INSERT INTO transaction_events (transaction_id, seq_no, event_type, trigger_reason, timestamp, offline, "
      "charging_state, id_token, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
      // The same event again is one row (unique index of migration 0009), whoever stores it first.
      "ON CONFLICT DO NOTHING RETURNING id");
  s.bind(1, e.transaction_id)
      .bind(2, e.seq_no)
      .bind(3, to_string(e.event_type))
      .bind(4, to_string(e.trigger_reason))
      .bind(5, to_unix_ms(e.timestamp))
      .bind(6, e.offline ? 1 : 0)
      .bind(7, enum_text(e.charging_state))
      .bind(8, e.id_token)
      .bind(9, to_unix_ms(e.received_at));
  return s.step();
}

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

namespace {
constexpr std::string_view insert_transaction_sql =
    "INSERT INTO transactions (station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, "
    "reservation_id, state, meter_start_wh, energy_wh, started_at, start_received_at, auth_status, "
    "auth_expires_at, auth_parent_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

void bind_new_transaction(Statement &s, const Transaction &t) {
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
}
} // namespace

void SqliteRepository::number_transaction(const Transaction &t, std::int64_t id) {
  if (!t.station_tx_id.empty()) return;
  // 1.6: the station knows the transaction by our id.
  auto u = db_.prepare("UPDATE transactions SET station_tx_id = ?2 WHERE id = ?1");
  u.bind(1, id).bind(2, std::to_string(id));
  u.run();
}

std::int64_t SqliteRepository::insert_transaction(const Transaction &t) {
  auto s = db_.prepare(insert_transaction_sql);
  bind_new_transaction(s, t);
  s.run();
  auto id = db_.last_insert_rowid();
  number_transaction(t, id);
  return id;
}

StartedTransaction SqliteRepository::start_transaction(const Transaction &t) {
  // The conflict targets are the partial unique indexes of migration 0002: a 1.6 start is
  // known by what the station sent in StartTransaction, a 2.x one by its transactionId.
  static const std::string v16 =
      std::string(insert_transaction_sql) +
      " ON CONFLICT (station_id, connector_id, id_tag, meter_start_wh, started_at) WHERE protocol = 'ocpp1.6' "
      "DO NOTHING RETURNING id";
  static const std::string v2 = std::string(insert_transaction_sql) +
                                " ON CONFLICT (station_id, station_tx_id) WHERE protocol <> 'ocpp1.6' "
                                "DO NOTHING RETURNING id";
  const bool is_v16 = t.protocol == ProtocolVersion::Ocpp16;
  std::optional<std::int64_t> id;
  {
    auto s = db_.prepare(is_v16 ? v16 : v2);
    bind_new_transaction(s, t);
    if (s.step()) id = s.int64(0);
  }
  if (id) {
    number_transaction(t, *id);
    return {*id, true};
  }
  // Stored already (by an earlier attempt, or by another writer that won the race).
  auto existing = is_v16 ? find_start(t.station, t.connector_id, t.id_tag, t.meter_start_wh, t.started_at)
                         : find_station_transaction(t.station, t.station_tx_id);
  if (!existing) throw SqliteError("transaction start conflicts with a stored transaction that cannot be found");
  return {existing->id, false};
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
      .bind(7, enum_text(t.stop_reason))
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

const std::string_view sample_columns =
    "COALESCE(j.value ->> 't', r.timestamp), j.value ->> 'v', j.value ->> 'n', j.value ->> 'm', "
    "j.value ->> 'p', j.value ->> 'l', j.value ->> 'u', j.value ->> 'c', j.value ->> 'f', j.value ->> 's'";

MeterSample read_sample(const Statement &s) {
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
  return m;
}

std::vector<MeterSample> SqliteRepository::meter_samples(std::int64_t transaction_id) {
  static const std::string sql =
      select(sample_columns, "FROM meter_readings r, json_each(r.samples) j "
                             // json_valid: a row that is not JSON (NaN from before migration 0007) must not fail
                             "WHERE r.transaction_id = ?1 AND json_valid(r.samples) ORDER BY 1, r.id, j.key");
  auto s = db_.prepare(sql);
  s.bind(1, transaction_id);
  std::vector<MeterSample> out;
  while (s.step())
    out.push_back(read_sample(s));
  return out;
}

} // namespace gridlane::store::sqlite
