//! AvailabilityStore over SQLite (migration 0026): EVSE timelines and outages.
#include <boost/json.hpp>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

std::int64_t bounded(std::size_t n) {
  return n > static_cast<std::size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(n);
}

EvseState state_column(const Statement &s, int col) {
  // The CHECK constraint admits only the table's names.
  return value_of(evse_states, s.text(col)).value_or(EvseState::Unavailable);
}

EvseStateSpan span_row(const Statement &s) {
  EvseStateSpan e;
  e.station = StationId::unchecked(s.text(0));
  e.evse_id = static_cast<int>(s.int64(1));
  e.state = state_column(s, 2);
  e.since = core::from_unix_ms(s.int64(3));
  e.until = ts(s.opt_int64(4));
  return e;
}

constexpr std::string_view span_columns = "station_id, evse_id, state, since_at, until_at";

constexpr std::string_view outage_columns =
    "o.id, o.station_id, o.evse_id, o.cause, o.detail, o.started_at, o.ended_at, o.exclusion_reason, "
    "o.justification, o.classified_by, o.classified_at";

Outage outage_row(const Statement &s) {
  Outage o;
  o.id = s.int64(0);
  o.station = StationId::unchecked(s.text(1));
  o.evse_id = static_cast<int>(s.int64(2));
  o.cause = state_column(s, 3);
  o.detail = s.opt_text(4);
  o.started = core::from_unix_ms(s.int64(5));
  o.ended = ts(s.opt_int64(6));
  if (auto reason = s.opt_text(7)) {
    OutageExclusion x;
    x.reason = value_of(exclusion_reasons, *reason).value_or(ExclusionReason::GridOutage);
    x.justification = s.text(8);
    x.by = s.text(9);
    x.at = core::from_unix_ms(s.opt_int64(10).value_or(0));
    o.exclusion = std::move(x);
  }
  return o;
}

//! The station ids as one JSON array parameter (read with json_each).
std::string id_set(const std::vector<StationId> &ids) {
  boost::json::array a;
  a.reserve(ids.size());
  for (const auto &id : ids)
    a.emplace_back(id.str());
  return boost::json::serialize(a);
}

// ?1 station ?2 location ?3 evse ?4 from ?5 to ?6 excluded ?7 open
constexpr std::string_view outage_where =
    "FROM outages o WHERE (?1 IS NULL OR o.station_id = ?1) "
    "AND (?2 IS NULL OR o.station_id IN (SELECT id FROM stations WHERE location_id = ?2)) "
    "AND (?3 IS NULL OR o.evse_id = ?3) "
    "AND (?5 IS NULL OR o.started_at < ?5) AND (?4 IS NULL OR o.ended_at IS NULL OR o.ended_at > ?4) "
    "AND (?6 IS NULL OR (o.exclusion_reason IS NOT NULL) = ?6) "
    "AND (?7 IS NULL OR (o.ended_at IS NULL) = ?7) ";

void bind_outage_filter(Statement &s, const OutageFilter &f) {
  s.bind(1, f.station ? std::optional{f.station->str()} : std::nullopt);
  s.bind(2, f.location ? std::optional{f.location->str()} : std::nullopt);
  s.bind(3, f.evse_id);
  s.bind(4, ms(f.from));
  s.bind(5, ms(f.to));
  s.bind(6, f.excluded ? std::optional<std::int64_t>{*f.excluded ? 1 : 0} : std::nullopt);
  s.bind(7, f.open ? std::optional<std::int64_t>{*f.open ? 1 : 0} : std::nullopt);
}

} // namespace

std::vector<EvseStateSpan> SqliteRepository::current_evse_states(const StationId &station) {
  auto s = db_.prepare(select(span_columns, "FROM evse_states WHERE station_id = ?1 AND until_at IS NULL "
                                            "ORDER BY evse_id"));
  s.bind(1, station.str());
  std::vector<EvseStateSpan> out;
  while (s.step())
    out.push_back(span_row(s));
  return out;
}

void SqliteRepository::set_evse_state(const StationId &station, int evse_id, EvseState state, Timestamp at) {
  const auto when = core::to_unix_ms(at);
  {
    // A row that began at this very millisecond is replaced rather than left empty.
    auto s = db_.prepare("DELETE FROM evse_states WHERE station_id = ?1 AND evse_id = ?2 AND until_at IS NULL "
                         "AND since_at >= ?3");
    s.bind(1, station.str()).bind(2, evse_id).bind(3, when);
    s.run();
  }
  {
    auto s = db_.prepare("UPDATE evse_states SET until_at = ?3 WHERE station_id = ?1 AND evse_id = ?2 "
                         "AND until_at IS NULL");
    s.bind(1, station.str()).bind(2, evse_id).bind(3, when);
    s.run();
  }
  {
    // A replaced row's predecessor may already end here: it is the current one again if its
    // state is the new one (no two rows of one state in a row).
    auto s = db_.prepare("UPDATE evse_states SET until_at = NULL WHERE station_id = ?1 AND evse_id = ?2 "
                         "AND until_at = ?3 AND state = ?4");
    s.bind(1, station.str()).bind(2, evse_id).bind(3, when).bind(4, name_of(evse_states, state));
    s.run();
    if (sqlite3_changes(db_.handle()) == 1) return;
  }
  auto s = db_.prepare("INSERT INTO evse_states (station_id, evse_id, state, since_at) VALUES (?1, ?2, ?3, ?4)");
  s.bind(1, station.str()).bind(2, evse_id).bind(3, name_of(evse_states, state)).bind(4, when);
  s.run();
}

std::vector<EvseStateSpan> SqliteRepository::evse_timeline(const StationId &station, int evse_id, Timestamp from,
                                                           Timestamp to) {
  auto s = db_.prepare(select(span_columns, "FROM evse_states WHERE station_id = ?1 AND evse_id = ?2 "
                                            "AND since_at < ?4 AND (until_at IS NULL OR until_at > ?3) "
                                            "ORDER BY since_at"));
  s.bind(1, station.str()).bind(2, evse_id).bind(3, core::to_unix_ms(from)).bind(4, core::to_unix_ms(to));
  std::vector<EvseStateSpan> out;
  while (s.step())
    out.push_back(span_row(s));
  return out;
}

std::int64_t SqliteRepository::insert_outage(const Outage &o) {
  auto s = db_.prepare("INSERT INTO outages (station_id, evse_id, cause, detail, started_at, ended_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, o.station.str())
      .bind(2, o.evse_id)
      .bind(3, name_of(evse_states, o.cause))
      .bind(4, o.detail)
      .bind(5, core::to_unix_ms(o.started))
      .bind(6, ms(o.ended));
  s.run();
  return db_.last_insert_rowid();
}

std::optional<Outage> SqliteRepository::open_outage(const StationId &station, int evse_id) {
  auto s = db_.prepare(select(outage_columns, "FROM outages o WHERE o.station_id = ?1 AND o.evse_id = ?2 "
                                              "AND o.ended_at IS NULL"));
  s.bind(1, station.str()).bind(2, evse_id);
  if (!s.step()) return std::nullopt;
  return outage_row(s);
}

void SqliteRepository::end_outage(std::int64_t id, Timestamp at) {
  // Never before its start (a clock that stepped back).
  auto s = db_.prepare("UPDATE outages SET ended_at = MAX(started_at, ?2) WHERE id = ?1 AND ended_at IS NULL");
  s.bind(1, id).bind(2, core::to_unix_ms(at));
  s.run();
}

std::optional<Outage> SqliteRepository::outage(std::int64_t id) {
  auto s = db_.prepare(select(outage_columns, "FROM outages o WHERE o.id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return outage_row(s);
}

Paged<Outage> SqliteRepository::list_outages(const OutageFilter &f, PageRequest page) {
  static const std::string page_sql =
      select(outage_columns, std::string(outage_where) + "ORDER BY o.started_at DESC, o.id DESC LIMIT ?8 OFFSET ?9");
  static const std::string count_sql = "SELECT COUNT(*) " + std::string(outage_where);
  Paged<Outage> out;
  {
    auto s = db_.prepare(page_sql);
    bind_outage_filter(s, f);
    s.bind(8, bounded(page.limit)).bind(9, bounded(page.offset));
    while (s.step())
      out.items.push_back(outage_row(s));
  }
  auto s = db_.prepare(count_sql);
  bind_outage_filter(s, f);
  if (s.step()) out.total = s.int64(0);
  return out;
}

void SqliteRepository::set_outage_exclusion(std::int64_t id, const std::optional<OutageExclusion> &x) {
  auto s = db_.prepare("UPDATE outages SET exclusion_reason = ?2, justification = ?3, classified_by = ?4, "
                       "classified_at = ?5 WHERE id = ?1");
  s.bind(1, id);
  if (x) {
    s.bind(2, name_of(exclusion_reasons, x->reason))
        .bind(3, x->justification)
        .bind(4, x->by)
        .bind(5, core::to_unix_ms(x->at));
  } else {
    s.bind_null(2).bind_null(3).bind_null(4).bind_null(5);
  }
  s.run();
}

std::vector<Outage> SqliteRepository::outages_of(const std::vector<StationId> &stations, Timestamp from, Timestamp to) {
  auto s = db_.prepare(select(outage_columns, "FROM outages o WHERE (?1 = '[]' OR o.station_id IN "
                                              "(SELECT value FROM json_each(?1))) AND o.started_at < ?3 "
                                              "AND (o.ended_at IS NULL OR o.ended_at > ?2) "
                                              "ORDER BY o.station_id, o.evse_id, o.started_at"));
  s.bind(1, id_set(stations)).bind(2, core::to_unix_ms(from)).bind(3, core::to_unix_ms(to));
  std::vector<Outage> out;
  while (s.step())
    out.push_back(outage_row(s));
  return out;
}

std::vector<Outage> SqliteRepository::open_offline_outages() {
  auto s = db_.prepare(select(outage_columns, "FROM outages o WHERE o.ended_at IS NULL AND o.cause = 'offline' "
                                              "ORDER BY o.station_id, o.evse_id"));
  std::vector<Outage> out;
  while (s.step())
    out.push_back(outage_row(s));
  return out;
}

std::vector<Port> SqliteRepository::ports(const std::vector<StationId> &stations) {
  auto s = db_.prepare("SELECT p.station_id, p.evse_id, st.location_id FROM ("
                       "  SELECT station_id, evse_id FROM connector_status WHERE evse_id > 0 "
                       "  UNION SELECT station_id, evse_id FROM evse_states) p "
                       "JOIN stations st ON st.id = p.station_id "
                       "WHERE ?1 = '[]' OR p.station_id IN (SELECT value FROM json_each(?1)) "
                       "ORDER BY st.location_id, p.station_id, p.evse_id");
  s.bind(1, id_set(stations));
  std::vector<Port> out;
  while (s.step()) {
    Port p;
    p.station = StationId::unchecked(s.text(0));
    p.evse_id = static_cast<int>(s.int64(1));
    if (auto loc = s.opt_text(2)) p.location = LocationId::unchecked(*loc);
    out.push_back(std::move(p));
  }
  return out;
}

} // namespace gridlane::store::sqlite
