// The rules of energy management's configuration (docs/energy.md, "Configuring a site").
#include "gridlane/services/energy_config_service.hpp"

#include <cctype>

#include "gridlane/core/money.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

//! A limit of a node: each bound given is positive and in range.
Result<void> check_limit(const EnergyLimit &l, const std::string &field) {
  if (l.per_phase && (l.per_phase->count() <= 0 || *l.per_phase > EnergyBounds::max_current))
    return ServiceError::invalid("the per-phase limit must be more than 0 and at most " +
                                     core::format_amps(EnergyBounds::max_current) + " A",
                                 field + ".per_phase");
  if (l.power && (l.power->count() <= 0 || *l.power > EnergyBounds::max_power))
    return ServiceError::invalid("the power limit must be more than 0 and at most " +
                                     core::format_kw(EnergyBounds::max_power) + " kW",
                                 field + ".power");
  return {};
}

Result<Location> location_of(Repository &r, const LocationId &id) {
  auto l = r.location(id);
  if (!l) return ServiceError::not_found("no such location");
  return *l;
}

Result<GridConnection> grid_of(Repository &r, const LocationId &id) {
  if (auto l = location_of(r, id); !l) return l.error();
  auto g = r.grid_connection(id);
  if (!g) return ServiceError::not_found("the location has no grid connection");
  return *g;
}

//! For a write under the grid connection: NotFound without the location, Conflict without a
//! connection (one is configured first).
Result<void> managed(Repository &r, const LocationId &id) {
  if (auto l = location_of(r, id); !l) return l.error();
  if (!r.grid_connection(id))
    return ServiceError::conflict("the location has no grid connection: configure it first (PUT .../energy/grid)");
  return {};
}

Result<void> check_window(Timestamp from, Timestamp to) {
  if (!(from < to)) return ServiceError::invalid("'from' must be before 'to'", "from");
  if (to - from > EnergyBounds::max_window) return ServiceError::invalid("a window is at most 31 days long", "to");
  return {};
}

bool is_group_name(std::string_view g) {
  if (g.empty() || g.size() > EnergyBounds::max_group) return false;
  for (unsigned char c : g)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

bool is_source_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

} // namespace

bool is_circuit_id(std::string_view id) {
  if (id.empty() || id.size() > 36) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

// ---- the grid connection --------------------------------------------------------------------

Result<GridConnection> EnergyConfigService::grid(Repository &r, const LocationId &location) const {
  return grid_of(r, location);
}

Result<Saved<GridConnection>> EnergyConfigService::put_grid(Repository &r, GridConnection g, Timestamp now) const {
  if (auto l = location_of(r, g.location); !l) return l.error();
  if (!g.limit.per_phase && !g.limit.power)
    return ServiceError::invalid("a grid connection needs a limit: per_phase (A), power (kW) or both", "limit");
  if (auto ok = check_limit(g.limit, "limit"); !ok) return ok.error();
  if (g.phases != 1 && g.phases != 3) return ServiceError::invalid("phases must be 1 or 3", "phases");
  if (g.voltage < core::volts(100) || g.voltage > core::volts(500))
    return ServiceError::invalid("voltage (phase to neutral) must be 100 to 500 V", "voltage");
  if (g.fallback_per_evse.count() < 0 || g.fallback_per_evse > EnergyBounds::max_evse_current ||
      (g.limit.per_phase && g.fallback_per_evse > *g.limit.per_phase))
    return ServiceError::invalid("fallback_per_evse must be 0 A or more and no more than the per-phase limit",
                                 "fallback_per_evse");
  if (g.demand_charge_per_kw &&
      (g.demand_charge_per_kw->is_negative() || *g.demand_charge_per_kw > core::Decimal::from_units(1000'000'000)))
    return ServiceError::invalid("demand_charge_per_kw must be 0 to 1000", "demand_charge_per_kw");
  if (g.site_meter) {
    auto s = r.station(*g.site_meter);
    if (!s || s->location_id != g.location)
      return ServiceError::invalid("the site meter must be a station of the location", "site_meter");
  }
  g.updated_at = now;
  const bool created = r.put_grid_connection(g);
  return Saved<GridConnection>{std::move(g), created};
}

Result<void> EnergyConfigService::delete_grid(Repository &r, const LocationId &location) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (!r.delete_grid_connection(location)) return ServiceError::not_found("the location has no grid connection");
  return {};
}

// ---- circuits -------------------------------------------------------------------------------

Result<std::vector<Circuit>> EnergyConfigService::circuits(Repository &r, const LocationId &location) const {
  if (auto g = grid_of(r, location); !g) return g.error();
  return r.circuits(location);
}

Result<Circuit> EnergyConfigService::circuit(Repository &r, const LocationId &location, std::string_view id) const {
  auto all = circuits(r, location);
  if (!all) return all.error();
  for (auto &c : *all)
    if (c.id == id) return std::move(c);
  return ServiceError::not_found("no such circuit");
}

Result<Saved<Circuit>> EnergyConfigService::put_circuit(Repository &r, Circuit c, Timestamp now) const {
  if (!is_circuit_id(c.id)) return ServiceError::invalid("a circuit id is 1 to 36 of A-Z a-z 0-9 . _ -", "id");
  if (auto ok = managed(r, c.location); !ok) return ok.error();
  if (auto ok = check_limit(c.limit, "limit"); !ok) return ok.error();
  if (c.name && c.name->size() > EnergyBounds::max_name)
    return ServiceError::invalid("name is at most 100 characters", "name");
  if (c.parent) {
    if (*c.parent == c.id) return ServiceError::invalid("a circuit cannot be its own parent", "parent");
    // Walk up from the new parent: reaching this circuit would close a cycle. The walk is
    // bounded by the number of circuits, so a cycle already stored cannot loop it.
    const auto all = r.circuits(c.location);
    std::optional<std::string> at = c.parent;
    std::size_t steps = 0;
    bool parent_found = false;
    while (at && steps++ <= all.size()) {
      const Circuit *node = nullptr;
      for (const auto &x : all)
        if (x.id == *at) node = &x;
      if (!node) break;
      parent_found = parent_found || node->id == *c.parent;
      if (node->parent && *node->parent == c.id)
        return ServiceError::invalid(
            "parent '" + *c.parent + "' is under circuit '" + c.id + "': that would make a cycle", "parent");
      at = node->parent;
    }
    if (!parent_found)
      return ServiceError::invalid("parent '" + *c.parent + "' is not a circuit of this location", "parent");
  }
  c.updated_at = now;
  const bool created = r.put_circuit(c);
  return Saved<Circuit>{std::move(c), created};
}

Result<void> EnergyConfigService::delete_circuit(Repository &r, const LocationId &location, std::string_view id) const {
  auto all = circuits(r, location);
  if (!all) return all.error();
  bool found = false;
  for (const auto &c : *all) {
    if (c.id == id) found = true;
    if (c.parent && *c.parent == id)
      return ServiceError::conflict("circuit '" + c.id + "' is under it: move or delete it first");
  }
  if (!found) return ServiceError::not_found("no such circuit");
  for (const auto &a : r.attachments(location))
    if (a.circuit && *a.circuit == id)
      return ServiceError::conflict("EVSE " + std::to_string(a.evse_id) + " of " + a.station.str() +
                                    " is on it: move or detach it first");
  r.delete_circuit(location, id);
  return {};
}

// ---- attachments ----------------------------------------------------------------------------

Result<std::vector<EvseAttachment>> EnergyConfigService::attachments(Repository &r, const LocationId &location) const {
  if (auto g = grid_of(r, location); !g) return g.error();
  return r.attachments(location);
}

Result<Saved<EvseAttachment>> EnergyConfigService::put_attachment(Repository &r, const LocationId &location,
                                                                  EvseAttachment a, Timestamp now) const {
  if (auto ok = managed(r, location); !ok) return ok.error();
  auto s = r.station(a.station);
  if (!s) return ServiceError::not_found("no such station");
  if (s->location_id != location) return ServiceError::invalid("the station is not at this location", "station");
  if (!r.evse(a.station, a.evse_id)) return ServiceError::not_found("no such EVSE");
  if (a.circuit) {
    bool found = false;
    for (const auto &c : r.circuits(location))
      found = found || c.id == *a.circuit;
    if (!found)
      return ServiceError::invalid("circuit '" + *a.circuit + "' is not a circuit of this location", "circuit");
  }
  if (a.max_current && (a.max_current->count() <= 0 || *a.max_current > EnergyBounds::max_evse_current))
    return ServiceError::invalid("max_current must be more than 0 and at most 1000 A", "max_current");
  if (a.max_power && (a.max_power->count() <= 0 || *a.max_power > EnergyBounds::max_evse_power))
    return ServiceError::invalid("max_power must be more than 0 and at most 2000 kW", "max_power");
  if (a.min_current.count() < 0 || a.min_current > EnergyBounds::max_evse_current)
    return ServiceError::invalid("min_current must be 0 to 1000 A", "min_current");
  if (a.max_current && a.min_current > *a.max_current)
    return ServiceError::invalid("min_current must not be above max_current", "min_current");
  a.updated_at = now;
  const bool created = r.put_attachment(location, a);
  return Saved<EvseAttachment>{std::move(a), created};
}

Result<void> EnergyConfigService::delete_attachment(Repository &r, const LocationId &location, const StationId &station,
                                                    int evse_id) const {
  if (auto g = grid_of(r, location); !g) return g.error();
  auto a = r.attachment(station, evse_id);
  bool here = false;
  if (a)
    for (const auto &x : r.attachments(location))
      here = here || (x.station == station && x.evse_id == evse_id);
  if (!here) return ServiceError::not_found("the EVSE is not attached at this location");
  r.delete_attachment(station, evse_id);
  return {};
}

// ---- inputs ---------------------------------------------------------------------------------

Result<std::size_t> EnergyConfigService::put_series(Repository &r, const LocationId &location, SeriesKind kind,
                                                    const std::vector<SeriesPoint> &points) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (points.empty() || points.size() > EnergyBounds::max_points)
    return ServiceError::invalid("a call carries 1 to 10000 points", "points");
  const bool signed_kind = kind == SeriesKind::Battery || kind == SeriesKind::SiteMeter;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto field = "points[" + std::to_string(i) + "]";
    if (i > 0 && !(points[i - 1].at < points[i].at))
      return ServiceError::invalid("points must be in strictly increasing time", field + ".at");
    const auto p = points[i].power;
    if (p > EnergyBounds::max_power || p.count() < (signed_kind ? -EnergyBounds::max_power.count() : 0))
      return ServiceError::invalid(
          std::string("power must be ") + (signed_kind ? "-100000 to " : "0 to ") + "100000 kW", field + ".power");
  }
  r.put_series(location, kind, points);
  return points.size();
}

Result<std::vector<SeriesPoint>> EnergyConfigService::series(Repository &r, const LocationId &location, SeriesKind kind,
                                                             Timestamp from, Timestamp to) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (auto ok = check_window(from, to); !ok) return ok.error();
  return r.series(location, kind, from, to);
}

Result<std::size_t> EnergyConfigService::put_prices(Repository &r, const LocationId &location,
                                                    const std::vector<PricePoint> &points) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (points.empty() || points.size() > EnergyBounds::max_points)
    return ServiceError::invalid("a call carries 1 to 10000 prices", "points");
  const auto limit = core::Decimal::from_units(1000 * core::Decimal::kOne);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto field = "points[" + std::to_string(i) + "]";
    const auto &p = points[i];
    if (i > 0 && !(points[i - 1].from < p.from))
      return ServiceError::invalid("prices must be in strictly increasing time", field + ".from");
    if (!core::Currency::parse(p.currency))
      return ServiceError::invalid("currency must be an ISO 4217 code of three capital letters", field + ".currency");
    if (p.currency != points.front().currency)
      return ServiceError::invalid("one call carries prices of one currency", field + ".currency");
    if (p.per_kwh > limit || p.per_kwh.units() < -limit.units())
      return ServiceError::invalid("per_kwh must be -1000 to 1000", field + ".per_kwh");
  }
  r.put_prices(location, points);
  return points.size();
}

Result<std::vector<PricePoint>> EnergyConfigService::prices(Repository &r, const LocationId &location, Timestamp from,
                                                            Timestamp to) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (auto ok = check_window(from, to); !ok) return ok.error();
  return r.prices(location, from, to);
}

Result<std::int64_t> EnergyConfigService::delete_prices(Repository &r, const LocationId &location, Timestamp from,
                                                        Timestamp to) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (!(from < to)) return ServiceError::invalid("'from' must be before 'to'", "from");
  return r.delete_prices(location, from, to);
}

Result<DemandResponseEvent> EnergyConfigService::add_demand_response(Repository &r, DemandResponseEvent e,
                                                                     Timestamp now) const {
  if (auto l = location_of(r, e.location); !l) return l.error();
  if (!(e.from < e.to)) return ServiceError::invalid("'from' must be before 'to'", "to");
  if (e.to <= now) return ServiceError::invalid("the event is over: 'to' is in the past", "to");
  if (e.to - e.from > EnergyBounds::max_dr_length) return ServiceError::invalid("an event lasts at most 7 days", "to");
  if (e.max_power.count() < 0 || e.max_power > EnergyBounds::max_power)
    return ServiceError::invalid("max_power must be 0 to 100000 kW", "max_power");
  if (!is_source_name(e.source)) return ServiceError::invalid("source is 1 to 32 of A-Z a-z 0-9 . _ -", "source");
  e.created_at = now;
  e.id = r.add_demand_response(e);
  return e;
}

Result<std::vector<DemandResponseEvent>> EnergyConfigService::demand_response(Repository &r, const LocationId &location,
                                                                              Timestamp from, Timestamp to) const {
  if (auto l = location_of(r, location); !l) return l.error();
  if (auto ok = check_window(from, to); !ok) return ok.error();
  return r.demand_response(location, from, to);
}

Result<DemandResponseEvent> EnergyConfigService::delete_demand_response(Repository &r, std::int64_t id) const {
  auto e = r.demand_response_event(id);
  if (!e) return ServiceError::not_found("no such demand-response event");
  r.delete_demand_response(id);
  return *e;
}

// ---- priorities -----------------------------------------------------------------------------

std::vector<GroupPriority> EnergyConfigService::priorities(Repository &r) const {
  return r.group_priorities();
}

Result<GroupPriority> EnergyConfigService::priority(Repository &r, std::string_view group) const {
  for (auto &p : r.group_priorities())
    if (p.customer_group == group) return std::move(p);
  return ServiceError::not_found("no priority for this customer group");
}

Result<Saved<GroupPriority>> EnergyConfigService::put_priority(Repository &r, GroupPriority p) const {
  if (!is_group_name(p.customer_group))
    return ServiceError::invalid("a customer group is 1 to 64 printable ASCII characters", "customer_group");
  if (p.priority < 1 || p.priority > 10) return ServiceError::invalid("priority must be 1 to 10", "priority");
  const bool created = r.put_group_priority(p);
  return Saved<GroupPriority>{std::move(p), created};
}

Result<void> EnergyConfigService::delete_priority(Repository &r, std::string_view group) const {
  if (!r.delete_group_priority(group)) return ServiceError::not_found("no priority for this customer group");
  return {};
}

std::vector<LocationId> EnergyConfigService::managed_locations(Repository &r) const {
  std::vector<LocationId> out;
  for (const auto &g : r.grid_connections())
    out.push_back(g.location);
  return out;
}

// ---- departure needs ------------------------------------------------------------------------

Result<DepartureNeed> EnergyConfigService::departure(Repository &r, std::int64_t transaction_id) const {
  if (!r.transaction(transaction_id)) return ServiceError::not_found("no such transaction");
  auto n = r.departure_need(transaction_id);
  if (!n) return ServiceError::not_found("the transaction has no departure need");
  return *n;
}

Result<DepartureNeed> EnergyConfigService::put_departure(Repository &r, DepartureNeed n, Timestamp now) const {
  auto t = r.transaction(n.transaction_id);
  if (!t) return ServiceError::not_found("no such transaction");
  if (t->state != TransactionState::Active) return ServiceError::conflict("the transaction has ended");
  if (!n.departure && !n.energy && !n.state_of_charge)
    return ServiceError::invalid("give a departure, an energy or a state_of_charge", "departure");
  if (n.departure && *n.departure <= now) return ServiceError::invalid("departure must be in the future", "departure");
  if (n.departure && *n.departure - now > EnergyBounds::max_window)
    return ServiceError::invalid("departure is at most 31 days ahead", "departure");
  if (n.energy && (n.energy->count() < 0 || *n.energy > EnergyBounds::max_energy))
    return ServiceError::invalid("energy must be 0 to 2000 kWh", "energy");
  if (n.battery_capacity && (n.battery_capacity->count() <= 0 || *n.battery_capacity > EnergyBounds::max_energy))
    return ServiceError::invalid("battery_capacity must be more than 0 and at most 2000 kWh", "battery_capacity");
  if (n.state_of_charge && (*n.state_of_charge < 0 || *n.state_of_charge > 100))
    return ServiceError::invalid("state_of_charge must be 0 to 100", "state_of_charge");
  if (!is_source_name(n.source)) return ServiceError::invalid("source is 1 to 32 of A-Z a-z 0-9 . _ -", "source");
  n.updated_at = now;
  r.put_departure_need(n);
  return n;
}

} // namespace gridlane::services
