// Lists filtered, ordered and paged in SQL, with the number of rows the filter matches. Each
// list is two statements over the same WHERE clause (the page, the count) in one unit of work;
// a station page loads its connectors' statuses in one more statement, not one per station.
#include <functional>
#include <map>

#include <boost/json.hpp>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

std::int64_t as_int(std::size_t n) {
  return static_cast<std::int64_t>(n);
}

std::int64_t single_count(Database &db, std::string_view sql, const std::function<void(Statement &)> &bind) {
  auto s = db.prepare(sql);
  bind(s);
  return s.step() ? s.int64(0) : 0;
}

//! A JSON array of the ids, bound as one parameter and read with json_each: a set of any size
//! in a parameterised statement.
std::string id_set(const std::vector<StationId> &ids) {
  boost::json::array a;
  a.reserve(ids.size());
  for (const auto &id : ids)
    a.emplace_back(id.str());
  return boost::json::serialize(a);
}

// ?1 registration, ?2 connector status, ?3 site, ?4 protocol, ?5 search (a LIKE pattern),
// ?6 connected (1/0), ?7 the connected ids (JSON array), ?8 location.
constexpr std::string_view station_where =
    "WHERE (?1 IS NULL OR registration = ?1) "
    "AND (?2 IS NULL OR id IN (SELECT station_id FROM connector_status WHERE status = ?2)) "
    "AND (?3 IS NULL OR site = ?3) "
    "AND (?4 IS NULL OR protocol = ?4) "
    // LIKE is case-insensitive for ASCII; ?5 is the text with its wildcards escaped, in %...%.
    "AND (?5 IS NULL OR id LIKE ?5 ESCAPE '\\' OR vendor LIKE ?5 ESCAPE '\\' OR model LIKE ?5 ESCAPE '\\' "
    "     OR serial_number LIKE ?5 ESCAPE '\\' OR charge_box_serial_number LIKE ?5 ESCAPE '\\') "
    "AND (?6 IS NULL OR (id IN (SELECT value FROM json_each(?7))) = ?6) ";
// Only with a location filter: stations.location_id comes with the locations migration (0008), so
// a database without it still lists stations.
constexpr std::string_view station_location = "AND location_id = ?8 ";

std::string station_sql(bool by_location, bool counting) {
  std::string sql =
      counting ? "SELECT COUNT(*) FROM stations " : "SELECT " + std::string(station_columns) + " FROM stations ";
  sql += station_where;
  if (by_location) sql += station_location;
  if (!counting) sql += "ORDER BY id LIMIT ?9 OFFSET ?10";
  return sql;
}

void bind_station_filter(Statement &s, const StationFilter &f) {
  s.bind(1, f.registration ? std::optional{std::string(to_string(*f.registration))} : std::nullopt);
  s.bind(2, f.status ? std::optional{std::string(to_string(*f.status))} : std::nullopt);
  s.bind(3, f.site);
  s.bind(4, f.protocol ? std::optional{std::string(core::to_string(*f.protocol))} : std::nullopt);
  std::optional<std::string> search;
  if (f.search) { // the text as given: its '%', '_' and '\' are no wildcards
    search = "%";
    for (char ch : *f.search) {
      if (ch == '%' || ch == '_' || ch == '\\') search->push_back('\\');
      search->push_back(ch);
    }
    search->push_back('%');
  }
  s.bind(5, search);
  s.bind(6, f.connected ? std::optional<std::int64_t>{*f.connected ? 1 : 0} : std::nullopt);
  s.bind(7, id_set(f.connected_ids));
  if (f.location) s.bind(8, *f.location);
}

} // namespace

Paged<StationListing> SqliteRepository::list_stations(const StationFilter &f, PageRequest page) {
  // Four statement texts (with or without location, page or count), each prepared once.
  static const std::string page_sql[2] = {station_sql(false, false), station_sql(true, false)};
  static const std::string count_sql[2] = {station_sql(false, true), station_sql(true, true)};
  const int variant = f.location ? 1 : 0;
  Paged<StationListing> out;
  if (f.location) {
    // A database without the locations migration has no station in any location.
    auto has = db_.prepare("SELECT 1 FROM pragma_table_info('stations') WHERE name = 'location_id'");
    if (!has.step()) return out;
  }
  {
    auto s = db_.prepare(page_sql[variant]);
    bind_station_filter(s, f);
    s.bind(9, as_int(page.limit)).bind(10, as_int(page.offset));
    while (s.step())
      out.items.push_back(StationListing{read_station(s), {}});
  }
  out.total = single_count(db_, count_sql[variant], [&](Statement &s) { bind_station_filter(s, f); });
  if (out.items.empty()) return out;
  // The page's connector statuses in one statement, ordered as the page is.
  std::vector<StationId> ids;
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < out.items.size(); ++i) {
    ids.push_back(out.items[i].station.id);
    index.emplace(out.items[i].station.id.str(), i);
  }
  static const std::string status_sql = "SELECT " + std::string(status_columns) +
                                        " FROM connector_status WHERE station_id IN (SELECT value FROM json_each(?1)) "
                                        "ORDER BY station_id, evse_id, connector_id";
  auto s = db_.prepare(status_sql);
  s.bind(1, id_set(ids));
  while (s.step()) {
    auto report = read_status(s);
    if (auto it = index.find(report.station.str()); it != index.end())
      out.items[it->second].statuses.push_back(std::move(report));
  }
  return out;
}

Paged<IdToken> SqliteRepository::list_id_tokens(const TokenFilter &f, PageRequest page) {
  constexpr std::string_view where = "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR parent_id = ?2) ";
  static const std::string page_sql = "SELECT id, status, expires_at, parent_id FROM id_tokens " + std::string(where) +
                                      "ORDER BY id LIMIT ?3 OFFSET ?4";
  static const std::string count_sql = "SELECT COUNT(*) FROM id_tokens " + std::string(where);
  auto bind = [&f](Statement &s) {
    s.bind(1, f.status ? std::optional{std::string(to_string(*f.status))} : std::nullopt);
    s.bind(2, f.parent_id);
  };
  Paged<IdToken> out;
  {
    auto s = db_.prepare(page_sql);
    bind(s);
    s.bind(3, as_int(page.limit)).bind(4, as_int(page.offset));
    while (s.step()) {
      IdToken t;
      t.id = s.text(0);
      t.status = parse_token_status(s.text(1)).value_or(TokenStatus::Invalid);
      if (auto e = s.opt_int64(2)) t.expires_at = core::from_unix_ms(*e);
      t.parent_id = s.opt_text(3);
      out.items.push_back(std::move(t));
    }
  }
  out.total = single_count(db_, count_sql, bind);
  return out;
}

std::int64_t SqliteRepository::count_transactions(const TransactionFilter &f) {
  // The WHERE clause of SqliteRepository::transactions, parameter for parameter.
  return single_count(db_,
                      "SELECT COUNT(*) FROM transactions WHERE (?1 IS NULL OR station_id = ?1) AND "
                      "(?2 IS NULL OR state = ?2) AND (?3 IS NULL OR id_tag = ?3) AND "
                      "(?4 IS NULL OR started_at >= ?4) AND (?5 IS NULL OR started_at < ?5) AND "
                      "(?6 IS NULL OR station_id IN (SELECT id FROM stations WHERE site = ?6)) AND "
                      "(?7 IS NULL OR station_id IN (SELECT id FROM stations WHERE location_id = ?7))",
                      [&f](Statement &s) {
                        s.bind(1, f.station ? std::optional{f.station->str()} : std::nullopt);
                        s.bind(2, f.state ? std::optional{std::string(to_string(*f.state))} : std::nullopt);
                        s.bind(3, f.id_tag);
                        s.bind(4, f.from ? std::optional{core::to_unix_ms(*f.from)} : std::nullopt);
                        s.bind(5, f.to ? std::optional{core::to_unix_ms(*f.to)} : std::nullopt);
                        s.bind(6, f.site);
                        s.bind(7, f.location ? std::optional{f.location->str()} : std::nullopt);
                      });
}

std::int64_t SqliteRepository::count_users() {
  return single_count(db_, "SELECT COUNT(*) FROM users", [](Statement &) {});
}

std::int64_t SqliteRepository::count_api_keys() {
  return single_count(db_, "SELECT COUNT(*) FROM api_keys", [](Statement &) {});
}

std::int64_t SqliteRepository::count_audit() {
  return single_count(db_, "SELECT COUNT(*) FROM audit_log", [](Statement &) {});
}

std::int64_t SqliteRepository::count_commands(const std::optional<StationId> &station) {
  return single_count(db_, "SELECT COUNT(*) FROM commands WHERE (?1 IS NULL OR station_id = ?1)",
                      [&](Statement &s) { s.bind(1, station ? std::optional{station->str()} : std::nullopt); });
}

std::int64_t SqliteRepository::count_status_history(const StationId &station) {
  return single_count(db_, "SELECT COUNT(*) FROM status_history WHERE station_id = ?1",
                      [&](Statement &s) { s.bind(1, station.str()); });
}

std::int64_t SqliteRepository::count_anomalies(const StationId &station) {
  return single_count(db_, "SELECT COUNT(*) FROM anomalies WHERE station_id = ?1",
                      [&](Statement &s) { s.bind(1, station.str()); });
}

std::int64_t SqliteRepository::count_events(const StationId &station, const std::optional<std::string> &kind) {
  return single_count(db_, "SELECT COUNT(*) FROM station_events WHERE station_id = ?1 AND (?2 IS NULL OR kind = ?2)",
                      [&](Statement &s) { s.bind(1, station.str()).bind(2, kind); });
}

namespace {
std::string number_set(const std::vector<std::int64_t> &ids) {
  boost::json::array a(ids.begin(), ids.end());
  return boost::json::serialize(a);
}
} // namespace

std::map<std::int64_t, std::vector<MeterSample>>
SqliteRepository::meter_samples_of(const std::vector<std::int64_t> &transaction_ids) {
  static const std::string sql =
      "SELECT " + std::string(sample_columns) +
      ", r.transaction_id FROM meter_readings r, json_each(r.samples) j "
      "WHERE r.transaction_id IN (SELECT value FROM json_each(?1)) AND json_valid(r.samples) "
      "ORDER BY r.transaction_id, 1, r.id, j.key";
  std::map<std::int64_t, std::vector<MeterSample>> out;
  if (transaction_ids.empty()) return out;
  auto s = db_.prepare(sql);
  s.bind(1, number_set(transaction_ids));
  while (s.step())
    out[s.int64(10)].push_back(read_sample(s));
  return out;
}

std::map<std::int64_t, std::vector<TransactionEventRecord>>
SqliteRepository::transaction_events_of(const std::vector<std::int64_t> &transaction_ids) {
  static const std::string sql = "SELECT " + std::string(event_columns) +
                                 " FROM transaction_events WHERE transaction_id IN (SELECT value FROM json_each(?1)) "
                                 "ORDER BY transaction_id, seq_no, id";
  std::map<std::int64_t, std::vector<TransactionEventRecord>> out;
  if (transaction_ids.empty()) return out;
  auto s = db_.prepare(sql);
  s.bind(1, number_set(transaction_ids));
  while (s.step()) {
    auto e = read_event(s);
    out[e.transaction_id].push_back(std::move(e));
  }
  return out;
}

} // namespace gridlane::store::sqlite
