//! DriverStore over SQLite (migration 0018): driver logins and tokens, the public charger
//! search, portal sessions and problem reports.
#include <boost/json.hpp>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

constexpr std::string_view login_columns = "email, account_id, name, password_hash, id_token, disabled, created_at";

DriverLogin login_row(const Statement &s, int at = 0) {
  DriverLogin d;
  d.email = s.text(at);
  d.account_id = s.text(at + 1);
  d.name = s.opt_text(at + 2);
  d.password_hash = s.text(at + 3);
  d.id_token = s.text(at + 4);
  d.disabled = s.int64(at + 5) != 0;
  d.created_at = core::from_unix_ms(s.int64(at + 6));
  return d;
}

constexpr std::string_view session_columns =
    "id_hash, ref, evse_uid, station_id, evse_id, method, account_id, driver_email, payment_id, id_token, "
    "command_id, transaction_id, failure, created_at";

DriveSession session_row(const Statement &s) {
  DriveSession d;
  d.id_hash = s.text(0);
  d.ref = s.text(1);
  d.evse_uid = EvseUid{s.int64(2)};
  d.station = StationId::unchecked(s.text(3));
  d.evse_id = static_cast<int>(s.int64(4));
  d.method = parse_drive_payment_method(s.text(5)).value_or(DrivePaymentMethod::Card);
  d.account_id = s.opt_text(6);
  d.driver_email = s.opt_text(7);
  d.payment_id = s.opt_int64(8);
  d.id_token = s.text(9);
  d.command_id = s.opt_int64(10);
  d.transaction_id = s.opt_int64(11);
  d.failure = s.opt_text(12);
  d.created_at = core::from_unix_ms(s.int64(13));
  return d;
}

std::optional<DriveSession> one_session(Database &db, std::string_view where,
                                        const std::function<void(Statement &)> &bind) {
  auto s = db.prepare(select(session_columns, "FROM drive_sessions WHERE " + std::string(where)));
  bind(s);
  if (!s.step()) return std::nullopt;
  return session_row(s);
}

constexpr std::string_view report_columns =
    "id, evse_uid, station_id, evse_id, category, text, contact, remote, status, created_at, resolved_at";

ProblemReport report_row(const Statement &s) {
  ProblemReport p;
  p.id = s.int64(0);
  p.evse_uid = EvseUid{s.int64(1)};
  p.station = StationId::unchecked(s.text(2));
  p.evse_id = static_cast<int>(s.int64(3));
  p.category = parse_report_category(s.text(4)).value_or(ReportCategory::Other);
  p.text = s.text(5);
  p.contact = s.opt_text(6);
  p.remote = s.opt_text(7);
  p.status = parse_report_status(s.text(8)).value_or(ReportStatus::Open);
  p.created_at = core::from_unix_ms(s.int64(9));
  p.resolved_at = ts(s.opt_int64(10));
  return p;
}

constexpr std::string_view report_where = "WHERE (?1 IS NULL OR station_id = ?1) AND (?2 IS NULL OR status = ?2) ";

void bind_report_filter(Statement &s, const ReportFilter &f) {
  std::optional<std::string> station, status;
  if (f.station) station = f.station->str();
  if (f.status) status = std::string(to_string(*f.status));
  s.bind(1, station).bind(2, status);
}

// The charger search: a published location with at least one EVSE (not removed) that matches
// every filter given. ?1 the search text as a LIKE pattern, ?2 a connector standard, ?3 a least
// power in W, ?4 available (1 or NULL), ?5 the connected stations (JSON array).
// An EVSE is available when its station is connected, it has a status and every status of it is
// Available, and no station-wide status (1.6 connector 0) is Faulted or Unavailable: the rule
// DriverService applies to what it shows.
constexpr std::string_view charger_where =
    "FROM locations l WHERE l.publish = 1 "
    "AND (?1 IS NULL OR l.name LIKE ?1 ESCAPE '\\' OR l.address LIKE ?1 ESCAPE '\\' OR l.city LIKE ?1 ESCAPE '\\' "
    "     OR l.postal_code LIKE ?1 ESCAPE '\\') "
    "AND EXISTS (SELECT 1 FROM stations s JOIN evses e ON e.station_id = s.id "
    "  WHERE s.location_id = l.id AND e.status <> 'REMOVED' "
    "  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM connectors c WHERE c.evse_uid = e.uid AND c.standard = ?2)) "
    "  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM connectors c WHERE c.evse_uid = e.uid "
    "                             AND c.max_electric_power_w >= ?3)) "
    "  AND (?4 IS NULL OR (s.id IN (SELECT value FROM json_each(?5)) "
    "    AND EXISTS (SELECT 1 FROM connector_status cs WHERE cs.station_id = s.id AND cs.evse_id = e.evse_id) "
    "    AND NOT EXISTS (SELECT 1 FROM connector_status cs WHERE cs.station_id = s.id "
    "      AND ((cs.evse_id = e.evse_id AND cs.status <> 'Available') "
    "           OR (cs.evse_id = 0 AND cs.status IN ('Faulted', 'Unavailable')))))))";

void bind_charger_filter(Statement &s, const ChargerFilter &f) {
  std::optional<std::string> search;
  if (f.query) { // the text as given: its '%', '_' and '\' are no wildcards
    search = "%";
    for (char ch : *f.query) {
      if (ch == '%' || ch == '_' || ch == '\\') search->push_back('\\');
      search->push_back(ch);
    }
    search->push_back('%');
  }
  s.bind(1, search);
  s.bind(2, f.connector ? std::optional{std::string(to_string(*f.connector))} : std::nullopt);
  s.bind(3, f.min_power_w);
  s.bind(4, f.available ? std::optional<std::int64_t>{1} : std::nullopt);
  boost::json::array ids;
  for (const auto &id : f.connected)
    ids.emplace_back(id.str());
  s.bind(5, boost::json::serialize(ids));
}

} // namespace

// ---- logins ---------------------------------------------------------------------------------

std::optional<DriverLogin> SqliteRepository::driver_login(std::string_view email) {
  auto s = db_.prepare(select(login_columns, "FROM driver_logins WHERE email = ?1"));
  s.bind(1, email);
  if (!s.step()) return std::nullopt;
  return login_row(s);
}

bool SqliteRepository::insert_driver_login(const DriverLogin &d) {
  auto s = db_.prepare("INSERT INTO driver_logins (" + std::string(login_columns) +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (email) DO NOTHING RETURNING email");
  s.bind(1, d.email)
      .bind(2, d.account_id)
      .bind(3, d.name)
      .bind(4, d.password_hash)
      .bind(5, d.id_token)
      .bind(6, d.disabled ? 1 : 0)
      .bind(7, core::to_unix_ms(d.created_at));
  bool inserted = s.step();
  s.run();
  return inserted;
}

std::vector<DriverLogin> SqliteRepository::driver_logins(std::string_view account_id, std::size_t limit,
                                                         std::size_t offset) {
  auto s =
      db_.prepare(select(login_columns, "FROM driver_logins WHERE account_id = ?1 ORDER BY email LIMIT ?2 OFFSET ?3"));
  s.bind(1, account_id).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<DriverLogin> out;
  while (s.step())
    out.push_back(login_row(s));
  return out;
}

std::int64_t SqliteRepository::count_driver_logins(std::string_view account_id) {
  auto s = db_.prepare("SELECT COUNT(*) FROM driver_logins WHERE account_id = ?1");
  s.bind(1, account_id);
  s.step();
  return s.int64(0);
}

std::vector<DriverLogin> SqliteRepository::all_driver_logins() {
  auto s = db_.prepare(select(login_columns, "FROM driver_logins ORDER BY email"));
  std::vector<DriverLogin> out;
  while (s.step())
    out.push_back(login_row(s));
  return out;
}

bool SqliteRepository::set_driver_disabled(std::string_view email, bool disabled) {
  auto s = db_.prepare("UPDATE driver_logins SET disabled = ?2 WHERE email = ?1 RETURNING email");
  s.bind(1, email).bind(2, disabled ? 1 : 0);
  bool found = s.step();
  s.run();
  return found;
}

bool SqliteRepository::delete_driver_login(std::string_view email) {
  delete_driver_tokens(email);
  auto s = db_.prepare("DELETE FROM driver_logins WHERE email = ?1 RETURNING email");
  s.bind(1, email);
  bool found = s.step();
  s.run();
  return found;
}

// ---- tokens ---------------------------------------------------------------------------------

void SqliteRepository::insert_driver_token(std::string_view token_hash, std::string_view email, Timestamp created,
                                           Timestamp expires) {
  auto s = db_.prepare("INSERT INTO driver_tokens (token_hash, email, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, token_hash).bind(2, email).bind(3, core::to_unix_ms(created)).bind(4, core::to_unix_ms(expires));
  s.run();
}

std::optional<DriverLogin> SqliteRepository::driver_of_token(std::string_view token_hash, Timestamp now) {
  auto s = db_.prepare("SELECT d.email, d.account_id, d.name, d.password_hash, d.id_token, d.disabled, d.created_at "
                       "FROM driver_tokens t JOIN driver_logins d ON d.email = t.email "
                       "WHERE t.token_hash = ?1 AND t.expires_at > ?2");
  s.bind(1, token_hash).bind(2, core::to_unix_ms(now));
  if (!s.step()) return std::nullopt;
  return login_row(s);
}

void SqliteRepository::delete_driver_token(std::string_view token_hash) {
  auto s = db_.prepare("DELETE FROM driver_tokens WHERE token_hash = ?1");
  s.bind(1, token_hash);
  s.run();
}

void SqliteRepository::delete_driver_tokens(std::string_view email) {
  auto s = db_.prepare("DELETE FROM driver_tokens WHERE email = ?1");
  s.bind(1, email);
  s.run();
}

// ---- the charger search -----------------------------------------------------------------------

std::vector<LocationId> SqliteRepository::charger_locations(const ChargerFilter &f) {
  auto s = db_.prepare("SELECT l.id " + std::string(charger_where) + " ORDER BY l.name LIMIT ?6 OFFSET ?7");
  bind_charger_filter(s, f);
  s.bind(6, static_cast<std::int64_t>(f.limit)).bind(7, static_cast<std::int64_t>(f.offset));
  std::vector<LocationId> out;
  while (s.step())
    out.push_back(LocationId::unchecked(s.text(0)));
  return out;
}

std::int64_t SqliteRepository::count_charger_locations(const ChargerFilter &f) {
  auto s = db_.prepare("SELECT COUNT(*) " + std::string(charger_where));
  bind_charger_filter(s, f);
  s.step();
  return s.int64(0);
}

// ---- portal sessions --------------------------------------------------------------------------

void SqliteRepository::insert_drive_session(const DriveSession &d) {
  auto s = db_.prepare("INSERT INTO drive_sessions (" + std::string(session_columns) +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  s.bind(1, d.id_hash)
      .bind(2, d.ref)
      .bind(3, d.evse_uid.value())
      .bind(4, d.station.str())
      .bind(5, d.evse_id)
      .bind(6, to_string(d.method))
      .bind(7, d.account_id)
      .bind(8, d.driver_email)
      .bind(9, d.payment_id)
      .bind(10, d.id_token)
      .bind(11, d.command_id)
      .bind(12, d.transaction_id)
      .bind(13, d.failure)
      .bind(14, core::to_unix_ms(d.created_at));
  s.run();
}

std::optional<DriveSession> SqliteRepository::drive_session_by_hash(std::string_view id_hash) {
  return one_session(db_, "id_hash = ?1", [&](Statement &s) { s.bind(1, id_hash); });
}

std::optional<DriveSession> SqliteRepository::drive_session_by_ref(std::string_view ref) {
  return one_session(db_, "ref = ?1", [&](Statement &s) { s.bind(1, ref); });
}

std::optional<DriveSession> SqliteRepository::drive_session_by_command(std::int64_t command_id) {
  return one_session(db_, "command_id = ?1", [&](Statement &s) { s.bind(1, command_id); });
}

void SqliteRepository::update_drive_session(const DriveSession &d) {
  auto s = db_.prepare(
      "UPDATE drive_sessions SET command_id = ?2, transaction_id = ?3, failure = ?4, payment_id = ?5 WHERE ref = ?1");
  s.bind(1, d.ref).bind(2, d.command_id).bind(3, d.transaction_id).bind(4, d.failure).bind(5, d.payment_id);
  s.run();
}

std::vector<DriveSession> SqliteRepository::drive_sessions_of_account(std::string_view account_id, std::size_t limit,
                                                                      std::size_t offset) {
  auto s = db_.prepare(select(session_columns, "FROM drive_sessions WHERE account_id = ?1 "
                                               "ORDER BY created_at DESC, ref DESC LIMIT ?2 OFFSET ?3"));
  s.bind(1, account_id).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<DriveSession> out;
  while (s.step())
    out.push_back(session_row(s));
  return out;
}

std::int64_t SqliteRepository::count_drive_sessions_of_account(std::string_view account_id) {
  auto s = db_.prepare("SELECT COUNT(*) FROM drive_sessions WHERE account_id = ?1");
  s.bind(1, account_id);
  s.step();
  return s.int64(0);
}

// ---- problem reports --------------------------------------------------------------------------

std::int64_t SqliteRepository::insert_problem_report(const ProblemReport &p) {
  auto s = db_.prepare("INSERT INTO problem_reports (" + std::string(report_columns.substr(4)) +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  s.bind(1, p.evse_uid.value())
      .bind(2, p.station.str())
      .bind(3, p.evse_id)
      .bind(4, to_string(p.category))
      .bind(5, p.text)
      .bind(6, p.contact)
      .bind(7, p.remote)
      .bind(8, to_string(p.status))
      .bind(9, core::to_unix_ms(p.created_at))
      .bind(10, ms(p.resolved_at));
  s.run();
  return db_.last_insert_rowid();
}

std::optional<ProblemReport> SqliteRepository::problem_report(std::int64_t id) {
  auto s = db_.prepare(select(report_columns, "FROM problem_reports WHERE id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return report_row(s);
}

std::vector<ProblemReport> SqliteRepository::problem_reports(const ReportFilter &f) {
  auto s = db_.prepare(select(report_columns, "FROM problem_reports " + std::string(report_where) +
                                                  "ORDER BY id DESC LIMIT ?3 OFFSET ?4"));
  bind_report_filter(s, f);
  s.bind(3, static_cast<std::int64_t>(f.limit)).bind(4, static_cast<std::int64_t>(f.offset));
  std::vector<ProblemReport> out;
  while (s.step())
    out.push_back(report_row(s));
  return out;
}

std::int64_t SqliteRepository::count_problem_reports(const ReportFilter &f) {
  auto s = db_.prepare("SELECT COUNT(*) FROM problem_reports " + std::string(report_where));
  bind_report_filter(s, f);
  s.step();
  return s.int64(0);
}

void SqliteRepository::update_problem_report(const ProblemReport &p) {
  auto s = db_.prepare("UPDATE problem_reports SET status = ?2, resolved_at = ?3 WHERE id = ?1");
  s.bind(1, p.id).bind(2, to_string(p.status)).bind(3, ms(p.resolved_at));
  s.run();
}

} // namespace gridlane::store::sqlite
