// domain::EnergyStore over SQLite (migration 0017): a location's electrical tree, its time
// series, prices and demand-response events, the priorities of customer groups and the departure
// needs of sessions. Quantities are integer columns of their base unit, prices Decimal units.
#include <boost/json.hpp>

#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

template <class Q> std::optional<std::int64_t> count_of(const std::optional<Q> &q) {
  return q ? std::optional{q->count()} : std::nullopt;
}
template <class Q> std::optional<Q> quantity(const std::optional<std::int64_t> &v) {
  return v ? std::optional{Q(*v)} : std::nullopt;
}

bool changed(Database &db) {
  return sqlite3_changes(db.handle()) > 0;
}

bool exists(Database &db, std::string_view sql, const std::string &a, const std::optional<std::string> &b = {}) {
  auto q = db.prepare(sql);
  q.bind(1, a);
  if (b) q.bind(2, *b);
  return q.step();
}

constexpr std::string_view grid_columns =
    "location_id, limit_per_phase_ma, limit_power_w, voltage_v, phases, fallback_per_evse_ma, demand_charge_units, "
    "site_meter, enabled, updated_at";

GridConnection read_grid(const Statement &s) {
  GridConnection g;
  g.location = LocationId::unchecked(s.text(0));
  g.limit.per_phase = quantity<core::Current>(s.opt_int64(1));
  g.limit.power = quantity<core::Power>(s.opt_int64(2));
  g.voltage = core::volts(s.int64(3));
  g.phases = static_cast<int>(s.int64(4));
  g.fallback_per_evse = core::milliamps(s.int64(5));
  if (auto u = s.opt_int64(6)) g.demand_charge_per_kw = core::Decimal::from_units(*u);
  if (auto m = s.opt_text(7)) g.site_meter = StationId::unchecked(*m);
  g.enabled = s.int64(8) != 0;
  g.updated_at = from_unix_ms(s.int64(9));
  return g;
}

constexpr std::string_view circuit_columns =
    "location_id, id, parent, limit_per_phase_ma, limit_power_w, name, updated_at";

Circuit read_circuit(const Statement &s) {
  Circuit c;
  c.location = LocationId::unchecked(s.text(0));
  c.id = s.text(1);
  c.parent = s.opt_text(2);
  c.limit.per_phase = quantity<core::Current>(s.opt_int64(3));
  c.limit.power = quantity<core::Power>(s.opt_int64(4));
  c.name = s.opt_text(5);
  c.updated_at = from_unix_ms(s.int64(6));
  return c;
}

constexpr std::string_view attachment_columns = "station_id, evse_id, circuit_id, rotation, max_current_ma, "
                                                "max_power_w, min_current_ma, dc, bidirectional, updated_at";

EvseAttachment read_attachment(const Statement &s) {
  EvseAttachment a;
  a.station = StationId::unchecked(s.text(0));
  a.evse_id = static_cast<int>(s.int64(1));
  a.circuit = s.opt_text(2);
  // A rotation Gridlane never writes reads as the default, like an unknown one on the wire.
  a.rotation = parse_phase_rotation(s.text(3)).value_or(PhaseRotation::RST);
  a.max_current = quantity<core::Current>(s.opt_int64(4));
  a.max_power = quantity<core::Power>(s.opt_int64(5));
  a.min_current = core::milliamps(s.int64(6));
  a.dc = s.int64(7) != 0;
  a.bidirectional = s.int64(8) != 0;
  a.updated_at = from_unix_ms(s.int64(9));
  return a;
}

constexpr std::string_view dr_columns = "id, location_id, from_at, to_at, max_power_w, source, created_at";

DemandResponseEvent read_dr(const Statement &s) {
  DemandResponseEvent e;
  e.id = s.int64(0);
  e.location = LocationId::unchecked(s.text(1));
  e.from = from_unix_ms(s.int64(2));
  e.to = from_unix_ms(s.int64(3));
  e.max_power = core::watts(s.int64(4));
  e.source = s.text(5);
  e.created_at = from_unix_ms(s.int64(6));
  return e;
}

constexpr std::string_view need_columns =
    "transaction_id, departure, energy_wh, battery_capacity_wh, state_of_charge, source, updated_at";

DepartureNeed read_need(const Statement &s) {
  DepartureNeed n;
  n.transaction_id = s.int64(0);
  n.departure = ts(s.opt_int64(1));
  n.energy = quantity<core::Energy>(s.opt_int64(2));
  n.battery_capacity = quantity<core::Energy>(s.opt_int64(3));
  if (auto soc = s.opt_int64(4)) n.state_of_charge = static_cast<int>(*soc);
  n.source = s.text(5);
  n.updated_at = from_unix_ms(s.int64(6));
  return n;
}

std::string number_set(const std::vector<std::int64_t> &ids) {
  boost::json::array a(ids.begin(), ids.end());
  return boost::json::serialize(a);
}

} // namespace

// ---- the tree -----------------------------------------------------------------------------------

std::optional<GridConnection> SqliteRepository::grid_connection(const LocationId &location) {
  static const std::string sql = select(grid_columns, "FROM energy_grid_connections WHERE location_id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, location.str());
  if (!s.step()) return std::nullopt;
  return read_grid(s);
}

std::vector<GridConnection> SqliteRepository::grid_connections() {
  static const std::string sql = select(grid_columns, "FROM energy_grid_connections ORDER BY location_id");
  auto s = db_.prepare(sql);
  std::vector<GridConnection> out;
  while (s.step())
    out.push_back(read_grid(s));
  return out;
}

bool SqliteRepository::put_grid_connection(const GridConnection &g) {
  const bool existed = exists(db_, "SELECT 1 FROM energy_grid_connections WHERE location_id = ?1", g.location.str());
  auto s = db_.prepare(
      "INSERT INTO energy_grid_connections (location_id, limit_per_phase_ma, limit_power_w, voltage_v, phases, "
      "fallback_per_evse_ma, demand_charge_units, site_meter, enabled, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (location_id) DO UPDATE SET "
      "limit_per_phase_ma = ?2, limit_power_w = ?3, voltage_v = ?4, phases = ?5, fallback_per_evse_ma = ?6, "
      "demand_charge_units = ?7, site_meter = ?8, enabled = ?9, updated_at = ?10");
  s.bind(1, g.location.str())
      .bind(2, count_of(g.limit.per_phase))
      .bind(3, count_of(g.limit.power))
      .bind(4, g.voltage.count())
      .bind(5, g.phases)
      .bind(6, g.fallback_per_evse.count())
      .bind(7, g.demand_charge_per_kw ? std::optional{g.demand_charge_per_kw->units()} : std::nullopt)
      .bind(8, g.site_meter ? std::optional{g.site_meter->str()} : std::nullopt)
      .bind(9, g.enabled ? 1 : 0)
      .bind(10, to_unix_ms(g.updated_at));
  s.run();
  return !existed;
}

bool SqliteRepository::delete_grid_connection(const LocationId &location) {
  // Attachments and circuits go with it (ON DELETE CASCADE); explicit so that the order does
  // not depend on how SQLite walks a self-referencing cascade.
  {
    auto a = db_.prepare("DELETE FROM energy_attachments WHERE location_id = ?1");
    a.bind(1, location.str());
    a.run();
  }
  {
    auto c = db_.prepare("DELETE FROM energy_circuits WHERE location_id = ?1");
    c.bind(1, location.str());
    c.run();
  }
  auto s = db_.prepare("DELETE FROM energy_grid_connections WHERE location_id = ?1");
  s.bind(1, location.str());
  s.run();
  return changed(db_);
}

std::vector<Circuit> SqliteRepository::circuits(const LocationId &location) {
  static const std::string sql = select(circuit_columns, "FROM energy_circuits WHERE location_id = ?1 ORDER BY id");
  auto s = db_.prepare(sql);
  s.bind(1, location.str());
  std::vector<Circuit> out;
  while (s.step())
    out.push_back(read_circuit(s));
  return out;
}

bool SqliteRepository::put_circuit(const Circuit &c) {
  const bool existed =
      exists(db_, "SELECT 1 FROM energy_circuits WHERE location_id = ?1 AND id = ?2", c.location.str(), c.id);
  // An upsert, never a replace: a REPLACE deletes the row first, and with it (cascade) every
  // circuit and attachment under it.
  auto s = db_.prepare("INSERT INTO energy_circuits (location_id, id, parent, limit_per_phase_ma, limit_power_w, "
                       "name, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (location_id, id) "
                       "DO UPDATE SET parent = ?3, limit_per_phase_ma = ?4, limit_power_w = ?5, name = ?6, "
                       "updated_at = ?7");
  s.bind(1, c.location.str())
      .bind(2, c.id)
      .bind(3, c.parent)
      .bind(4, count_of(c.limit.per_phase))
      .bind(5, count_of(c.limit.power))
      .bind(6, c.name)
      .bind(7, to_unix_ms(c.updated_at));
  s.run();
  return !existed;
}

bool SqliteRepository::delete_circuit(const LocationId &location, std::string_view id) {
  auto s = db_.prepare("DELETE FROM energy_circuits WHERE location_id = ?1 AND id = ?2");
  s.bind(1, location.str()).bind(2, id);
  s.run();
  return changed(db_);
}

std::vector<EvseAttachment> SqliteRepository::attachments(const LocationId &location) {
  static const std::string sql =
      select(attachment_columns, "FROM energy_attachments WHERE location_id = ?1 ORDER BY station_id, evse_id");
  auto s = db_.prepare(sql);
  s.bind(1, location.str());
  std::vector<EvseAttachment> out;
  while (s.step())
    out.push_back(read_attachment(s));
  return out;
}

std::optional<EvseAttachment> SqliteRepository::attachment(const StationId &station, int evse_id) {
  static const std::string sql =
      select(attachment_columns, "FROM energy_attachments WHERE station_id = ?1 AND evse_id = ?2");
  auto s = db_.prepare(sql);
  s.bind(1, station.str()).bind(2, evse_id);
  if (!s.step()) return std::nullopt;
  return read_attachment(s);
}

bool SqliteRepository::put_attachment(const LocationId &location, const EvseAttachment &a) {
  bool existed = false;
  {
    auto q = db_.prepare("SELECT 1 FROM energy_attachments WHERE station_id = ?1 AND evse_id = ?2");
    q.bind(1, a.station.str()).bind(2, a.evse_id);
    existed = q.step();
  }
  auto s = db_.prepare("INSERT INTO energy_attachments (station_id, evse_id, location_id, circuit_id, rotation, "
                       "max_current_ma, max_power_w, min_current_ma, dc, bidirectional, updated_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (station_id, evse_id) "
                       "DO UPDATE SET location_id = ?3, circuit_id = ?4, rotation = ?5, max_current_ma = ?6, "
                       "max_power_w = ?7, min_current_ma = ?8, dc = ?9, bidirectional = ?10, updated_at = ?11");
  s.bind(1, a.station.str())
      .bind(2, a.evse_id)
      .bind(3, location.str())
      .bind(4, a.circuit)
      .bind(5, to_string(a.rotation))
      .bind(6, count_of(a.max_current))
      .bind(7, count_of(a.max_power))
      .bind(8, a.min_current.count())
      .bind(9, a.dc ? 1 : 0)
      .bind(10, a.bidirectional ? 1 : 0)
      .bind(11, to_unix_ms(a.updated_at));
  s.run();
  return !existed;
}

bool SqliteRepository::delete_attachment(const StationId &station, int evse_id) {
  auto s = db_.prepare("DELETE FROM energy_attachments WHERE station_id = ?1 AND evse_id = ?2");
  s.bind(1, station.str()).bind(2, evse_id);
  s.run();
  return changed(db_);
}

std::optional<ElectricalTree> SqliteRepository::tree(const LocationId &location) {
  auto g = grid_connection(location);
  if (!g) return std::nullopt;
  return ElectricalTree{std::move(*g), circuits(location), attachments(location)};
}

// ---- inputs -------------------------------------------------------------------------------------

std::vector<SeriesPoint> SqliteRepository::series(const LocationId &location, SeriesKind kind, Timestamp from,
                                                  Timestamp to) {
  std::vector<SeriesPoint> out;
  const std::string k(to_string(kind));
  {
    auto s = db_.prepare("SELECT at, power_w, forecast FROM energy_series WHERE location_id = ?1 AND kind = ?2 "
                         "AND at < ?3 ORDER BY at DESC LIMIT 1");
    s.bind(1, location.str()).bind(2, k).bind(3, to_unix_ms(from));
    if (s.step()) out.push_back({from_unix_ms(s.int64(0)), core::watts(s.int64(1)), s.int64(2) != 0});
  }
  auto s = db_.prepare("SELECT at, power_w, forecast FROM energy_series WHERE location_id = ?1 AND kind = ?2 "
                       "AND at >= ?3 AND at < ?4 ORDER BY at");
  s.bind(1, location.str()).bind(2, k).bind(3, to_unix_ms(from)).bind(4, to_unix_ms(to));
  while (s.step())
    out.push_back({from_unix_ms(s.int64(0)), core::watts(s.int64(1)), s.int64(2) != 0});
  return out;
}

void SqliteRepository::put_series(const LocationId &location, SeriesKind kind, const std::vector<SeriesPoint> &points) {
  const std::string k(to_string(kind));
  for (const auto &p : points) {
    auto s = db_.prepare("INSERT INTO energy_series (location_id, kind, at, power_w, forecast) "
                         "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (location_id, kind, at) "
                         "DO UPDATE SET power_w = ?4, forecast = ?5");
    s.bind(1, location.str()).bind(2, k).bind(3, to_unix_ms(p.at)).bind(4, p.power.count()).bind(5, p.forecast ? 1 : 0);
    s.run();
  }
}

std::int64_t SqliteRepository::prune_series(const LocationId &location, Timestamp before) {
  auto s = db_.prepare("DELETE FROM energy_series WHERE location_id = ?1 AND at < ?2");
  s.bind(1, location.str()).bind(2, to_unix_ms(before));
  s.run();
  return sqlite3_changes(db_.handle());
}

std::vector<PricePoint> SqliteRepository::prices(const LocationId &location, Timestamp from, Timestamp to) {
  std::vector<PricePoint> out;
  auto read = [](const Statement &s) {
    return PricePoint{from_unix_ms(s.int64(0)), core::Decimal::from_units(s.int64(1)), s.text(2)};
  };
  {
    auto s = db_.prepare("SELECT from_at, per_kwh, currency FROM energy_prices WHERE location_id = ?1 "
                         "AND from_at < ?2 ORDER BY from_at DESC LIMIT 1");
    s.bind(1, location.str()).bind(2, to_unix_ms(from));
    if (s.step()) out.push_back(read(s));
  }
  auto s = db_.prepare("SELECT from_at, per_kwh, currency FROM energy_prices WHERE location_id = ?1 "
                       "AND from_at >= ?2 AND from_at < ?3 ORDER BY from_at");
  s.bind(1, location.str()).bind(2, to_unix_ms(from)).bind(3, to_unix_ms(to));
  while (s.step())
    out.push_back(read(s));
  return out;
}

void SqliteRepository::put_prices(const LocationId &location, const std::vector<PricePoint> &points) {
  for (const auto &p : points) {
    auto s = db_.prepare("INSERT INTO energy_prices (location_id, from_at, per_kwh, currency) VALUES (?1, ?2, ?3, ?4) "
                         "ON CONFLICT (location_id, from_at) DO UPDATE SET per_kwh = ?3, currency = ?4");
    s.bind(1, location.str()).bind(2, to_unix_ms(p.from)).bind(3, p.per_kwh.units()).bind(4, p.currency);
    s.run();
  }
}

std::int64_t SqliteRepository::delete_prices(const LocationId &location, Timestamp from, Timestamp to) {
  auto s = db_.prepare("DELETE FROM energy_prices WHERE location_id = ?1 AND from_at >= ?2 AND from_at < ?3");
  s.bind(1, location.str()).bind(2, to_unix_ms(from)).bind(3, to_unix_ms(to));
  s.run();
  return sqlite3_changes(db_.handle());
}

std::vector<DemandResponseEvent> SqliteRepository::demand_response(const LocationId &location, Timestamp from,
                                                                   Timestamp to) {
  static const std::string sql = select(
      dr_columns, "FROM energy_dr_events WHERE location_id = ?1 AND from_at < ?3 AND to_at > ?2 ORDER BY from_at, id");
  auto s = db_.prepare(sql);
  s.bind(1, location.str()).bind(2, to_unix_ms(from)).bind(3, to_unix_ms(to));
  std::vector<DemandResponseEvent> out;
  while (s.step())
    out.push_back(read_dr(s));
  return out;
}

std::optional<DemandResponseEvent> SqliteRepository::demand_response_event(std::int64_t id) {
  static const std::string sql = select(dr_columns, "FROM energy_dr_events WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_dr(s);
}

std::int64_t SqliteRepository::add_demand_response(const DemandResponseEvent &e) {
  auto s = db_.prepare("INSERT INTO energy_dr_events (location_id, from_at, to_at, max_power_w, source, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, e.location.str())
      .bind(2, to_unix_ms(e.from))
      .bind(3, to_unix_ms(e.to))
      .bind(4, e.max_power.count())
      .bind(5, e.source)
      .bind(6, to_unix_ms(e.created_at));
  s.run();
  return db_.last_insert_rowid();
}

bool SqliteRepository::delete_demand_response(std::int64_t id) {
  auto s = db_.prepare("DELETE FROM energy_dr_events WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return changed(db_);
}

std::vector<GroupPriority> SqliteRepository::group_priorities() {
  auto s = db_.prepare("SELECT customer_group, priority FROM energy_group_priorities ORDER BY customer_group");
  std::vector<GroupPriority> out;
  while (s.step())
    out.push_back({s.text(0), static_cast<int>(s.int64(1))});
  return out;
}

bool SqliteRepository::put_group_priority(const GroupPriority &p) {
  const bool existed = exists(db_, "SELECT 1 FROM energy_group_priorities WHERE customer_group = ?1", p.customer_group);
  auto s = db_.prepare("INSERT INTO energy_group_priorities (customer_group, priority) VALUES (?1, ?2) "
                       "ON CONFLICT (customer_group) DO UPDATE SET priority = ?2");
  s.bind(1, p.customer_group).bind(2, p.priority);
  s.run();
  return !existed;
}

bool SqliteRepository::delete_group_priority(std::string_view customer_group) {
  auto s = db_.prepare("DELETE FROM energy_group_priorities WHERE customer_group = ?1");
  s.bind(1, customer_group);
  s.run();
  return changed(db_);
}

std::optional<DepartureNeed> SqliteRepository::departure_need(std::int64_t transaction_id) {
  static const std::string sql = select(need_columns, "FROM energy_departure_needs WHERE transaction_id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, transaction_id);
  if (!s.step()) return std::nullopt;
  return read_need(s);
}

std::vector<DepartureNeed> SqliteRepository::departure_needs(const std::vector<std::int64_t> &transaction_ids) {
  static const std::string sql =
      select(need_columns, "FROM energy_departure_needs WHERE transaction_id IN (SELECT value FROM json_each(?1)) "
                           "ORDER BY transaction_id");
  std::vector<DepartureNeed> out;
  if (transaction_ids.empty()) return out;
  auto s = db_.prepare(sql);
  s.bind(1, number_set(transaction_ids));
  while (s.step())
    out.push_back(read_need(s));
  return out;
}

void SqliteRepository::put_departure_need(const DepartureNeed &n) {
  auto s = db_.prepare("INSERT INTO energy_departure_needs (transaction_id, departure, energy_wh, battery_capacity_wh, "
                       "state_of_charge, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                       "ON CONFLICT (transaction_id) DO UPDATE SET departure = ?2, energy_wh = ?3, "
                       "battery_capacity_wh = ?4, state_of_charge = ?5, source = ?6, updated_at = ?7");
  s.bind(1, n.transaction_id)
      .bind(2, ms(n.departure))
      .bind(3, count_of(n.energy))
      .bind(4, count_of(n.battery_capacity))
      .bind(5, n.state_of_charge)
      .bind(6, n.source)
      .bind(7, to_unix_ms(n.updated_at));
  s.run();
}

} // namespace gridlane::store::sqlite
