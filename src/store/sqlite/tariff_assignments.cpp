// domain::TariffAssignmentStore over SQLite (migration 0012): tariff assignments, the tariff
// snapshot of each transaction, and a connector's status changes during a session.
#include <string>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

std::string_view scope_text(AssignmentScope s) {
  switch (s) {
  case AssignmentScope::Default: return "DEFAULT";
  case AssignmentScope::Location: return "LOCATION";
  case AssignmentScope::Evse: return "EVSE";
  case AssignmentScope::Connector: return "CONNECTOR";
  }
  return "DEFAULT";
}

AssignmentScope parse_scope(std::string_view s) {
  if (s == "LOCATION") return AssignmentScope::Location;
  if (s == "EVSE") return AssignmentScope::Evse;
  if (s == "CONNECTOR") return AssignmentScope::Connector;
  return AssignmentScope::Default;
}

//! The target spelled as one text, unique per target ("connector:CS-1:2:1"): the uniqueness
//! of (target, group) without NULLs in the key.
std::string target_key(const TariffAssignment &a) {
  switch (a.scope) {
  case AssignmentScope::Default: return "default";
  case AssignmentScope::Location: return "location:" + (a.location ? a.location->str() : std::string{});
  case AssignmentScope::Evse:
    return "evse:" + (a.station ? a.station->str() : std::string{}) + ":" + std::to_string(a.evse_id.value_or(0));
  case AssignmentScope::Connector:
    return "connector:" + (a.station ? a.station->str() : std::string{}) + ":" + std::to_string(a.evse_id.value_or(0)) +
           ":" + std::to_string(a.connector_id.value_or(0));
  }
  return "default";
}

constexpr std::string_view assignment_columns =
    "id, tariff_id, scope, location_id, station_id, evse_id, connector_id, customer_group, created_at";

TariffAssignment read_assignment(const Statement &s) {
  TariffAssignment a;
  a.id = s.int64(0);
  a.tariff_id = s.text(1);
  a.scope = parse_scope(s.text(2));
  if (auto l = s.opt_text(3)) a.location = LocationId::unchecked(*l);
  if (auto st = s.opt_text(4)) a.station = StationId::unchecked(*st);
  if (auto e = s.opt_int64(5)) a.evse_id = static_cast<int>(*e);
  if (auto c = s.opt_int64(6)) a.connector_id = static_cast<int>(*c);
  if (auto g = s.text(7); !g.empty()) a.customer_group = g;
  a.created_at = from_unix_ms(s.int64(8));
  return a;
}

constexpr std::string_view filter_where = "WHERE (?1 IS NULL OR tariff_id = ?1) AND (?2 IS NULL OR location_id = ?2) "
                                          "AND (?3 IS NULL OR station_id = ?3)";

void bind_filter(Statement &s, const TariffAssignmentFilter &f) {
  s.bind(1, f.tariff_id);
  if (f.location)
    s.bind(2, f.location->str());
  else
    s.bind_null(2);
  if (f.station)
    s.bind(3, f.station->str());
  else
    s.bind_null(3);
}

} // namespace

StoredAssignment SqliteRepository::put_tariff_assignment(const TariffAssignment &a) {
  const auto key = target_key(a);
  const std::string group = a.customer_group.value_or("");
  {
    auto found = db_.prepare("SELECT id FROM tariff_assignments WHERE target_key = ?1 AND customer_group = ?2");
    found.bind(1, key).bind(2, group);
    if (found.step()) {
      const auto id = found.int64(0);
      auto up = db_.prepare("UPDATE tariff_assignments SET tariff_id = ?2 WHERE id = ?1");
      up.bind(1, id).bind(2, a.tariff_id);
      up.run();
      return {id, false};
    }
  }
  auto s = db_.prepare("INSERT INTO tariff_assignments (tariff_id, scope, location_id, station_id, evse_id, "
                       "connector_id, customer_group, target_key, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
  s.bind(1, a.tariff_id).bind(2, scope_text(a.scope));
  if (a.location)
    s.bind(3, a.location->str());
  else
    s.bind_null(3);
  if (a.station)
    s.bind(4, a.station->str());
  else
    s.bind_null(4);
  s.bind(5, a.evse_id).bind(6, a.connector_id).bind(7, group).bind(8, key).bind(9, to_unix_ms(a.created_at));
  s.step();
  const auto id = s.int64(0);
  s.run();
  return {id, true};
}

std::optional<TariffAssignment> SqliteRepository::tariff_assignment(std::int64_t id) {
  static const std::string sql = select(assignment_columns, "FROM tariff_assignments WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_assignment(s);
}

std::vector<TariffAssignment> SqliteRepository::tariff_assignments(const TariffAssignmentFilter &f) {
  static const std::string sql =
      select(assignment_columns,
             std::string("FROM tariff_assignments ") + std::string(filter_where) + " ORDER BY id LIMIT ?4 OFFSET ?5");
  auto s = db_.prepare(sql);
  bind_filter(s, f);
  s.bind(4, static_cast<std::int64_t>(f.limit)).bind(5, static_cast<std::int64_t>(f.offset));
  std::vector<TariffAssignment> out;
  while (s.step())
    out.push_back(read_assignment(s));
  return out;
}

std::int64_t SqliteRepository::count_tariff_assignments(const TariffAssignmentFilter &f) {
  static const std::string sql = "SELECT COUNT(*) FROM tariff_assignments " + std::string(filter_where);
  auto s = db_.prepare(sql);
  bind_filter(s, f);
  s.step();
  return s.int64(0);
}

bool SqliteRepository::delete_tariff_assignment(std::int64_t id) {
  auto s = db_.prepare("DELETE FROM tariff_assignments WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<TariffAssignment> SqliteRepository::tariff_assignments_for(const std::optional<LocationId> &location,
                                                                       const StationId &station, int evse_id,
                                                                       int connector_id) {
  static const std::string sql =
      select(assignment_columns, "FROM tariff_assignments WHERE target_key IN ('default', ?1, ?2, ?3) ORDER BY id");
  auto s = db_.prepare(sql);
  TariffAssignment probe;
  probe.scope = AssignmentScope::Location;
  probe.location = location;
  if (location)
    s.bind(1, target_key(probe));
  else
    s.bind_null(1);
  probe.station = station;
  probe.evse_id = evse_id;
  probe.connector_id = connector_id;
  probe.scope = AssignmentScope::Evse;
  s.bind(2, target_key(probe));
  probe.scope = AssignmentScope::Connector;
  s.bind(3, target_key(probe));
  std::vector<TariffAssignment> out;
  while (s.step())
    out.push_back(read_assignment(s));
  return out;
}

void SqliteRepository::put_tariff_snapshot(const TariffSnapshot &t) {
  auto s = db_.prepare("INSERT INTO tariff_snapshots (transaction_id, tariff_id, assignment_id, customer_group, "
                       "tariff_json, resolved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                       "ON CONFLICT (transaction_id) DO UPDATE SET tariff_id = excluded.tariff_id, "
                       "assignment_id = excluded.assignment_id, customer_group = excluded.customer_group, "
                       "tariff_json = excluded.tariff_json, resolved_at = excluded.resolved_at");
  s.bind(1, t.transaction_id)
      .bind(2, t.tariff_id)
      .bind(3, t.assignment_id)
      .bind(4, t.customer_group)
      .bind(5, t.tariff_json)
      .bind(6, to_unix_ms(t.resolved_at));
  s.run();
}

std::optional<TariffSnapshot> SqliteRepository::tariff_snapshot(std::int64_t transaction_id) {
  auto s = db_.prepare("SELECT transaction_id, tariff_id, assignment_id, customer_group, tariff_json, resolved_at "
                       "FROM tariff_snapshots WHERE transaction_id = ?1");
  s.bind(1, transaction_id);
  if (!s.step()) return std::nullopt;
  return TariffSnapshot{s.int64(0), s.text(1), s.opt_int64(2), s.opt_text(3), s.text(4), from_unix_ms(s.int64(5))};
}

std::vector<StatusReport> SqliteRepository::connector_statuses_between(const StationId &station, int evse_id,
                                                                       int connector_id, Timestamp from, Timestamp to) {
  static const std::string sql =
      select(status_columns, "FROM status_history WHERE station_id = ?1 AND evse_id = ?2 AND connector_id = ?3 "
                             "AND COALESCE(station_time, received_at) BETWEEN ?4 AND ?5 ORDER BY id");
  auto s = db_.prepare(sql);
  s.bind(1, station.str()).bind(2, evse_id).bind(3, connector_id).bind(4, to_unix_ms(from)).bind(5, to_unix_ms(to));
  std::vector<StatusReport> out;
  while (s.step())
    out.push_back(read_status(s));
  return out;
}

} // namespace gridlane::store::sqlite
