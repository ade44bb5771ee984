// The console's overview: one statement per figure over the whole fleet (docs/api.md
// "Overview"), served by indexes (migration 0020) so it stays fast at 10,000 stations.
#include <boost/json.hpp>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

//! The connected ids as one JSON array parameter, read with json_each.
std::string id_set(const std::vector<StationId> &ids) {
  boost::json::array a;
  a.reserve(ids.size());
  for (const auto &id : ids)
    a.emplace_back(id.str());
  return boost::json::serialize(a);
}

// ?1 the connected ids. A station counts as faulted with any connector Faulted (its last report,
// connected or not), as unavailable with one Unavailable and none Faulted.
constexpr std::string_view stations_sql =
    "SELECT COUNT(*), "
    "COALESCE(SUM(s.id IN (SELECT value FROM json_each(?1))), 0), "
    "COALESCE(SUM(EXISTS (SELECT 1 FROM connector_status c WHERE c.station_id = s.id AND c.status = 'Faulted')), 0), "
    "COALESCE(SUM(NOT EXISTS (SELECT 1 FROM connector_status c WHERE c.station_id = s.id AND c.status = 'Faulted') "
    "AND EXISTS (SELECT 1 FROM connector_status c WHERE c.station_id = s.id AND c.status = 'Unavailable')), 0) "
    "FROM stations s";

// ?1 the start of today, ?2 now. The active count reads the partial index on Active sessions.
constexpr std::string_view sessions_sql =
    "SELECT (SELECT COUNT(*) FROM transactions WHERE state = 'Active'), COUNT(*), COALESCE(SUM(energy_wh), 0) "
    "FROM transactions WHERE start_received_at >= ?1 AND start_received_at <= ?2";

// ?1 the start of today, ?2 now: CDRs of sessions that ended today (credits subtract).
constexpr std::string_view revenue_sql =
    "SELECT currency, SUM(total_excl_vat), SUM(total_incl_vat), COUNT(total_incl_vat) = COUNT(*) "
    "FROM cdrs WHERE end_at >= ?1 AND end_at <= ?2 GROUP BY currency ORDER BY currency";

// ?1 the window's start, ?2 now. Connector-time (connectors 1 and up: a 1.6 connector 0 is the
// station itself) from each connector's first known status, split into segments by its status
// changes: the changes inside the window, the status before the first of them, and connectors
// whose last change is older than the window (their status held throughout).
constexpr std::string_view availability_sql =
    "WITH w AS (SELECT station_id, evse_id, connector_id, status, received_at, id FROM status_history "
    "           WHERE received_at > ?1 AND received_at <= ?2 AND connector_id > 0), "
    "seg AS ("
    "  SELECT status, received_at AS a, "
    "         COALESCE(LEAD(received_at) OVER (PARTITION BY station_id, evse_id, connector_id "
    "                                          ORDER BY received_at, id), ?2) AS b FROM w "
    "  UNION ALL "
    "  SELECT (SELECT h.status FROM status_history h WHERE h.station_id = f.station_id AND h.evse_id = f.evse_id "
    "          AND h.connector_id = f.connector_id AND h.received_at <= ?1 ORDER BY h.id DESC LIMIT 1), ?1, f.first "
    "  FROM (SELECT station_id, evse_id, connector_id, MIN(received_at) AS first FROM w "
    "        GROUP BY station_id, evse_id, connector_id) f "
    "  UNION ALL "
    "  SELECT status, ?1, ?2 FROM connector_status WHERE received_at <= ?1 AND connector_id > 0) "
    "SELECT COALESCE(SUM(b - a), 0), "
    "COALESCE(SUM(CASE WHEN status IN ('Faulted', 'Unavailable') THEN b - a ELSE 0 END), 0) "
    "FROM seg WHERE status IS NOT NULL AND b > a";

} // namespace

OverviewCounts SqliteRepository::overview(const OverviewQuery &q) {
  OverviewCounts out;
  const auto day = core::to_unix_ms(q.day_start);
  const auto now = core::to_unix_ms(q.now);
  {
    auto s = db_.prepare(stations_sql);
    s.bind(1, id_set(q.connected));
    if (s.step()) {
      out.stations_total = s.int64(0);
      out.stations_online = s.int64(1);
      out.stations_faulted = s.int64(2);
      out.stations_unavailable = s.int64(3);
    }
  }
  {
    auto s = db_.prepare(sessions_sql);
    s.bind(1, day).bind(2, now);
    if (s.step()) {
      out.sessions_active = s.int64(0);
      out.sessions_today = s.int64(1);
      out.energy_today_wh = s.int64(2);
    }
  }
  {
    auto s = db_.prepare(revenue_sql);
    s.bind(1, day).bind(2, now);
    while (s.step()) {
      OverviewRevenue r;
      r.currency = s.text(0);
      r.excl_vat = s.int64(1);
      if (s.int64(3) != 0) r.incl_vat = s.int64(2);
      out.revenue_today.push_back(std::move(r));
    }
  }
  {
    auto s = db_.prepare(availability_sql);
    s.bind(1, core::to_unix_ms(q.window_start)).bind(2, now);
    if (s.step()) {
      out.connector_ms = s.int64(0);
      out.connector_down_ms = s.int64(1);
    }
  }
  return out;
}

} // namespace gridlane::store::sqlite
