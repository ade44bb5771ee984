// domain::RoamingSessionStore over SQLite (migration 0025): the sessions and CDRs of roaming
// tokens, per partner, paged by last_updated for the OCPI GET lists.
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

std::int64_t as_int(std::size_t n) {
  return n > static_cast<std::size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(n);
}

std::optional<std::int64_t> ms(const std::optional<Timestamp> &t) {
  return t ? std::optional{to_unix_ms(*t)} : std::nullopt;
}

RoamingSession read_session(const Statement &s) {
  RoamingSession r;
  r.transaction_id = s.int64(0);
  r.partner_id = s.int64(1);
  r.last_updated = from_unix_ms(s.int64(2));
  if (auto at = s.opt_int64(3)) r.last_pushed_at = from_unix_ms(*at);
  r.periods_sent = s.int64(4);
  return r;
}

constexpr std::string_view session_columns = "transaction_id, partner_id, last_updated, last_pushed_at, periods_sent";
// ?1 partner, ?2 from (inclusive), ?3 to (exclusive)
constexpr std::string_view window = "WHERE partner_id = ?1 AND (?2 IS NULL OR last_updated >= ?2) "
                                    "AND (?3 IS NULL OR last_updated < ?3) ";

void bind_window(Statement &s, std::int64_t partner_id, const RoamingWindow &w) {
  s.bind(1, partner_id).bind(2, ms(w.from)).bind(3, ms(w.to));
}

} // namespace

bool SqliteRepository::insert_roaming_session(const RoamingSession &r) {
  auto s = db_.prepare("INSERT OR IGNORE INTO ocpi_sessions (transaction_id, partner_id, last_updated, "
                       "last_pushed_at, periods_sent) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, r.transaction_id).bind(2, r.partner_id).bind(3, to_unix_ms(r.last_updated));
  s.bind(4, ms(r.last_pushed_at)).bind(5, r.periods_sent);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::optional<RoamingSession> SqliteRepository::roaming_session(std::int64_t transaction_id) {
  auto s = db_.prepare("SELECT " + std::string(session_columns) + " FROM ocpi_sessions WHERE transaction_id = ?1");
  s.bind(1, transaction_id);
  if (!s.step()) return std::nullopt;
  return read_session(s);
}

void SqliteRepository::update_roaming_session(const RoamingSession &r) {
  auto s = db_.prepare("UPDATE ocpi_sessions SET last_updated = ?2, last_pushed_at = ?3, periods_sent = ?4 "
                       "WHERE transaction_id = ?1");
  s.bind(1, r.transaction_id).bind(2, to_unix_ms(r.last_updated)).bind(3, ms(r.last_pushed_at));
  s.bind(4, r.periods_sent);
  s.run();
}

Paged<RoamingSession> SqliteRepository::roaming_sessions(std::int64_t partner_id, const RoamingWindow &w,
                                                         PageRequest page) {
  static const std::string page_sql = "SELECT " + std::string(session_columns) + " FROM ocpi_sessions " +
                                      std::string(window) + "ORDER BY last_updated, transaction_id LIMIT ?4 OFFSET ?5";
  static const std::string count_sql = "SELECT COUNT(*) FROM ocpi_sessions " + std::string(window);
  Paged<RoamingSession> out;
  {
    auto s = db_.prepare(page_sql);
    bind_window(s, partner_id, w);
    s.bind(4, as_int(page.limit)).bind(5, as_int(page.offset));
    while (s.step())
      out.items.push_back(read_session(s));
  }
  auto s = db_.prepare(count_sql);
  bind_window(s, partner_id, w);
  if (s.step()) out.total = s.int64(0);
  return out;
}

bool SqliteRepository::insert_roaming_cdr(std::string_view cdr_id, std::int64_t partner_id, Timestamp at) {
  auto s = db_.prepare("INSERT OR IGNORE INTO ocpi_cdrs (cdr_id, partner_id, last_updated) VALUES (?1, ?2, ?3)");
  s.bind(1, cdr_id).bind(2, partner_id).bind(3, to_unix_ms(at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

Paged<std::string> SqliteRepository::roaming_cdr_ids(std::int64_t partner_id, const RoamingWindow &w,
                                                     PageRequest page) {
  static const std::string page_sql =
      "SELECT cdr_id FROM ocpi_cdrs " + std::string(window) + "ORDER BY last_updated, cdr_id LIMIT ?4 OFFSET ?5";
  static const std::string count_sql = "SELECT COUNT(*) FROM ocpi_cdrs " + std::string(window);
  Paged<std::string> out;
  {
    auto s = db_.prepare(page_sql);
    bind_window(s, partner_id, w);
    s.bind(4, as_int(page.limit)).bind(5, as_int(page.offset));
    while (s.step())
      out.items.push_back(s.text(0));
  }
  auto s = db_.prepare(count_sql);
  bind_window(s, partner_id, w);
  if (s.step()) out.total = s.int64(0);
  return out;
}

} // namespace gridlane::store::sqlite
