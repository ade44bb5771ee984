// The JSON codec of energy management (docs/api.md, "Energy management"): quantities in A, kW
// and kWh with at most three decimals (exact mA, W, Wh), prices as decimals, times RFC 3339.
#include "gridlane/api/energy_json.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <initializer_list>

#include "gridlane/core/decimal.hpp"

namespace gridlane::api {
namespace json = boost::json;
using namespace gridlane::domain;
using core::Decimal;

namespace {

// ---- writing ------------------------------------------------------------------------------------

//! A count of milli-units (mA, W, Wh) as the number of units (A, kW, kWh): 16500 is 16.5.
json::value thousandths(std::int64_t count) {
  if (count % 1000 == 0) return count / 1000;
  return Decimal::from_units(count * 1000).to_wire();
}
template <class Q> json::value opt_thousandths(const std::optional<Q> &q) {
  return q ? thousandths(q->count()) : json::value(nullptr);
}
json::value decimal(Decimal d) {
  if (d.units() % Decimal::kOne == 0) return d.units() / Decimal::kOne;
  return d.to_wire();
}
json::value opt_time(const std::optional<core::Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}
template <class T> json::value opt_text(const std::optional<T> &v) {
  return v ? json::value(json::string(*v)) : json::value(nullptr);
}
json::object limit_json(const EnergyLimit &l) {
  return {{"per_phase_a", opt_thousandths(l.per_phase)}, {"power_kw", opt_thousandths(l.power)}};
}

// ---- reading ------------------------------------------------------------------------------------

ServiceError bad(const std::string &field, const std::string &what) {
  return ServiceError::invalid("'" + field + "' must be " + what, field);
}

//! Refuses members the object does not know: a typo never passes silently.
Result<void> known(const json::object &o, std::initializer_list<std::string_view> keys,
                   const std::string &prefix = {}) {
  for (const auto &kv : o)
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end())
      return ServiceError::invalid("unknown member '" + prefix + std::string(kv.key()) + "'",
                                   prefix + std::string(kv.key()));
  return {};
}

//! A decimal: a JSON number (exactly as written, at most 6 decimals) or a decimal string.
Result<std::optional<Decimal>> decimal_member(const json::object &o, std::string_view key, const std::string &field) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<Decimal>{};
  core::ValueResult<Decimal> d = core::ValueError::Invalid;
  if (v->is_int64()) {
    d = Decimal::from_integer(v->get_int64());
  } else if (v->is_uint64()) {
    d = core::ValueError::Overflow;
  } else if (v->is_double()) {
    // More than six decimals would be rounded: refused instead. Not finite: from_wire refuses.
    d = Decimal::from_wire(v->get_double(), core::Rounding::HalfUp);
    if (d && std::fabs(d->to_wire() - v->get_double()) > 1e-9 * std::max(1.0, std::fabs(v->get_double())))
      d = core::ValueError::Invalid;
  } else if (v->is_string()) {
    d = Decimal::parse(v->get_string());
  } else {
    return bad(field, "a number");
  }
  if (!d) return bad(field, "a decimal number in range");
  return std::optional<Decimal>{*d};
}

//! A number of units with at most three decimals as a count of thousandths (A -> mA, kW -> W).
template <class Q>
Result<std::optional<Q>> thousandths_member(const json::object &o, std::string_view key, const std::string &prefix,
                                            const char *unit) {
  const std::string field = prefix + std::string(key);
  auto d = decimal_member(o, key, field);
  if (!d) return d.error();
  if (!*d) return std::optional<Q>{};
  if ((*d)->units() % 1000 != 0) return bad(field, std::string("a number of ") + unit + " with at most 3 decimals");
  return std::optional<Q>{Q((*d)->units() / 1000)};
}

Result<std::optional<std::string>> text_member(const json::object &o, std::string_view key,
                                               const std::string &prefix = {}) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return bad(prefix + std::string(key), "a string or null");
  return std::optional<std::string>{std::string(v->get_string())};
}

Result<std::optional<std::int64_t>> int_member(const json::object &o, std::string_view key,
                                               const std::string &prefix = {}) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  if (v->is_int64()) return std::optional<std::int64_t>{v->get_int64()};
  if (v->is_double() && std::trunc(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 1e15)
    return std::optional<std::int64_t>{static_cast<std::int64_t>(v->get_double())};
  return bad(prefix + std::string(key), "a whole number");
}

Result<std::optional<bool>> bool_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<bool>{};
  if (!v->is_bool()) return bad(std::string(key), "true or false");
  return std::optional<bool>{v->get_bool()};
}

Result<std::optional<core::Timestamp>> time_member(const json::object &o, std::string_view key,
                                                   const std::string &prefix = {}) {
  auto t = text_member(o, key, prefix);
  if (!t) return t.error();
  if (!*t) return std::optional<core::Timestamp>{};
  auto parsed = core::parse_iso8601(**t);
  if (!parsed) return bad(prefix + std::string(key), "an RFC 3339 date-time with zone, e.g. 2026-06-01T00:00:00Z");
  return std::optional<core::Timestamp>{*parsed};
}

Result<core::Timestamp> required_time(const json::object &o, std::string_view key, const std::string &prefix = {}) {
  auto t = time_member(o, key, prefix);
  if (!t) return t.error();
  if (!*t) return bad(prefix + std::string(key), "given (an RFC 3339 date-time)");
  return **t;
}

//! An int that fits: the range is the rules', this only keeps the narrowing defined.
Result<std::optional<int>> small_int_member(const json::object &o, std::string_view key) {
  auto n = int_member(o, key);
  if (!n) return n.error();
  if (!*n) return std::optional<int>{};
  if (**n < -1'000'000 || **n > 1'000'000) return bad(std::string(key), "a small whole number");
  return std::optional<int>{static_cast<int>(**n)};
}

Result<EnergyLimit> limit_from_json(const json::object &body) {
  EnergyLimit l;
  const auto *v = body.if_contains("limit");
  if (!v || v->is_null()) return l;
  if (!v->is_object()) return bad("limit", "an object {\"per_phase_a\", \"power_kw\"}");
  const auto &o = v->get_object();
  if (auto ok = known(o, {"per_phase_a", "power_kw"}, "limit."); !ok) return ok.error();
  auto a = thousandths_member<core::Current>(o, "per_phase_a", "limit.", "amperes");
  if (!a) return a.error();
  auto p = thousandths_member<core::Power>(o, "power_kw", "limit.", "kilowatts");
  if (!p) return p.error();
  l.per_phase = *a;
  l.power = *p;
  return l;
}

const json::array *points_of(const json::object &body, Result<void> &error) {
  const auto *v = body.if_contains("points");
  if (!v || !v->is_array()) {
    error = bad("points", "an array");
    return nullptr;
  }
  return &v->get_array();
}

} // namespace

// ---- writing ------------------------------------------------------------------------------------

json::object grid_json(const GridConnection &g) {
  return {{"location_id", g.location.str()},
          {"limit", limit_json(g.limit)},
          {"voltage_v", g.voltage.count()},
          {"phases", g.phases},
          {"fallback_per_evse_a", thousandths(g.fallback_per_evse.count())},
          {"demand_charge_per_kw", g.demand_charge_per_kw ? decimal(*g.demand_charge_per_kw) : json::value(nullptr)},
          {"site_meter", g.site_meter ? json::value(json::string(g.site_meter->str())) : json::value(nullptr)},
          {"enabled", g.enabled},
          {"updated_at", core::format_iso8601(g.updated_at)}};
}

json::object circuit_json(const Circuit &c) {
  return {{"id", c.id},
          {"parent", opt_text(c.parent)},
          {"limit", limit_json(c.limit)},
          {"name", opt_text(c.name)},
          {"updated_at", core::format_iso8601(c.updated_at)}};
}

json::object attachment_json(const EvseAttachment &a) {
  return {{"station_id", a.station.str()},
          {"evse_id", a.evse_id},
          {"circuit", opt_text(a.circuit)},
          {"rotation", to_string(a.rotation)},
          {"max_current_a", opt_thousandths(a.max_current)},
          {"max_power_kw", opt_thousandths(a.max_power)},
          {"min_current_a", thousandths(a.min_current.count())},
          {"dc", a.dc},
          {"bidirectional", a.bidirectional},
          {"updated_at", core::format_iso8601(a.updated_at)}};
}

json::object series_point_json(const SeriesPoint &p) {
  return {{"at", core::format_iso8601(p.at)}, {"power_kw", thousandths(p.power.count())}, {"forecast", p.forecast}};
}

json::object price_json(const PricePoint &p) {
  return {{"from", core::format_iso8601(p.from)}, {"per_kwh", decimal(p.per_kwh)}, {"currency", p.currency}};
}

json::object demand_response_json(const DemandResponseEvent &e) {
  return {{"id", e.id},
          {"location_id", e.location.str()},
          {"from", core::format_iso8601(e.from)},
          {"to", core::format_iso8601(e.to)},
          {"max_power_kw", thousandths(e.max_power.count())},
          {"source", e.source},
          {"created_at", core::format_iso8601(e.created_at)}};
}

json::object priority_json(const GroupPriority &p) {
  return {{"customer_group", p.customer_group}, {"priority", p.priority}};
}

json::object departure_json(const DepartureNeed &n) {
  return {{"transaction_id", n.transaction_id},
          {"departure", opt_time(n.departure)},
          {"energy_kwh", opt_thousandths(n.energy)},
          {"battery_capacity_kwh", opt_thousandths(n.battery_capacity)},
          {"state_of_charge", n.state_of_charge ? json::value(*n.state_of_charge) : json::value(nullptr)},
          {"source", n.source},
          {"updated_at", core::format_iso8601(n.updated_at)}};
}

json::object picture_json(const EnergyPicture &p) {
  auto phases = [](const std::array<core::Current, 3> &a) {
    return json::array{thousandths(a[0].count()), thousandths(a[1].count()), thousandths(a[2].count())};
  };
  json::array circuits;
  for (const auto &c : p.circuits)
    circuits.push_back({{"id", c.id.empty() ? json::value(nullptr) : json::value(json::string(c.id))},
                        {"limit", limit_json(c.limit)},
                        {"allocated_a", phases(c.allocated)},
                        {"measured_a", phases(c.measured)}});
  json::array evses;
  for (const auto &e : p.evses) {
    const auto &s = e.setpoint;
    json::array measured;
    for (const auto &m : e.measured)
      measured.push_back(opt_thousandths(m));
    json::object o{{"station_id", s.station.str()},
                   {"evse_id", s.evse_id},
                   {"transaction_id", s.transaction_id ? json::value(*s.transaction_id) : json::value(nullptr)},
                   {"circuit", opt_text(e.circuit)},
                   {"setpoint_a", thousandths(s.current.count())},
                   {"phases", s.phases},
                   {"paused", s.paused},
                   {"priority", s.priority},
                   {"measured_a", std::move(measured)},
                   {"measured_power_kw", opt_thousandths(e.measured_power)},
                   {"overdrawing", e.overdrawing}};
    o["need"] = e.need ? json::value(departure_json(*e.need)) : json::value(nullptr);
    evses.push_back(std::move(o));
  }
  json::array plan;
  for (const auto &s : p.plan)
    plan.push_back({{"start", core::format_iso8601(s.start)},
                    {"site_limit_kw", thousandths(s.site_limit.count())},
                    {"chargers_kw", thousandths(s.chargers.count())},
                    {"building_kw", thousandths(s.building.count())},
                    {"pv_kw", thousandths(s.pv.count())},
                    {"price_per_kwh", s.price_per_kwh ? decimal(*s.price_per_kwh) : json::value(nullptr)}});
  return {{"location_id", p.location.str()},
          {"at", core::format_iso8601(p.at)},
          {"grid", grid_json(p.grid)},
          {"circuits", std::move(circuits)},
          {"evses", std::move(evses)},
          {"plan", std::move(plan)},
          {"planned_at", opt_time(p.planned_at)},
          {"active_dr", p.active_dr ? json::value(demand_response_json(*p.active_dr)) : json::value(nullptr)}};
}

// ---- reading ------------------------------------------------------------------------------------

Result<GridConnection> grid_from_json(const json::object &b, const LocationId &location) {
  if (auto ok = known(b, {"location_id", "limit", "voltage_v", "phases", "fallback_per_evse_a", "demand_charge_per_kw",
                          "site_meter", "enabled", "updated_at"});
      !ok)
    return ok.error();
  GridConnection g;
  g.location = location;
  if (const auto *v = b.if_contains("location_id"); v && !(v->is_string() && v->get_string() == location.str()))
    return bad("location_id", "the location of the path, '" + location.str() + "'");
  auto limit = limit_from_json(b);
  if (!limit) return limit.error();
  g.limit = *limit;
  auto voltage = int_member(b, "voltage_v");
  if (!voltage) return voltage.error();
  if (*voltage) {
    if (**voltage <= 0 || **voltage > 100000) return bad("voltage_v", "a whole number of volts");
    g.voltage = core::volts(**voltage);
  }
  auto phases = small_int_member(b, "phases");
  if (!phases) return phases.error();
  if (*phases) g.phases = **phases;
  auto fallback = thousandths_member<core::Current>(b, "fallback_per_evse_a", {}, "amperes");
  if (!fallback) return fallback.error();
  if (*fallback) g.fallback_per_evse = **fallback;
  auto charge = decimal_member(b, "demand_charge_per_kw", "demand_charge_per_kw");
  if (!charge) return charge.error();
  g.demand_charge_per_kw = *charge;
  auto meter = text_member(b, "site_meter");
  if (!meter) return meter.error();
  if (*meter) {
    auto id = StationId::parse(**meter);
    if (!id) return bad("site_meter", "a station id");
    g.site_meter = *id;
  }
  auto enabled = bool_member(b, "enabled");
  if (!enabled) return enabled.error();
  g.enabled = enabled->value_or(true);
  return g;
}

Result<Circuit> circuit_from_json(const json::object &b, const LocationId &location, const std::string &id) {
  if (auto ok = known(b, {"id", "parent", "limit", "name", "updated_at"}); !ok) return ok.error();
  if (const auto *v = b.if_contains("id"); v && !(v->is_string() && v->get_string() == id))
    return bad("id", "the circuit id of the path, '" + id + "'");
  Circuit c;
  c.location = location;
  c.id = id;
  auto parent = text_member(b, "parent");
  if (!parent) return parent.error();
  c.parent = *parent;
  auto limit = limit_from_json(b);
  if (!limit) return limit.error();
  c.limit = *limit;
  auto name = text_member(b, "name");
  if (!name) return name.error();
  c.name = *name;
  return c;
}

Result<EvseAttachment> attachment_from_json(const json::object &b, const StationId &station, int evse_id) {
  if (auto ok = known(b, {"station_id", "evse_id", "circuit", "rotation", "max_current_a", "max_power_kw",
                          "min_current_a", "dc", "bidirectional", "updated_at"});
      !ok)
    return ok.error();
  EvseAttachment a;
  a.station = station;
  a.evse_id = evse_id;
  auto circuit = text_member(b, "circuit");
  if (!circuit) return circuit.error();
  a.circuit = *circuit;
  auto rotation = text_member(b, "rotation");
  if (!rotation) return rotation.error();
  if (*rotation) {
    auto r = parse_phase_rotation(**rotation);
    if (!r) return bad("rotation", "RST, RTS, SRT, STR, TRS or TSR");
    a.rotation = *r;
  }
  auto max_current = thousandths_member<core::Current>(b, "max_current_a", {}, "amperes");
  if (!max_current) return max_current.error();
  a.max_current = *max_current;
  auto max_power = thousandths_member<core::Power>(b, "max_power_kw", {}, "kilowatts");
  if (!max_power) return max_power.error();
  a.max_power = *max_power;
  auto min_current = thousandths_member<core::Current>(b, "min_current_a", {}, "amperes");
  if (!min_current) return min_current.error();
  if (*min_current) a.min_current = **min_current;
  auto dc = bool_member(b, "dc");
  if (!dc) return dc.error();
  a.dc = dc->value_or(false);
  auto bidi = bool_member(b, "bidirectional");
  if (!bidi) return bidi.error();
  a.bidirectional = bidi->value_or(false);
  return a;
}

Result<std::vector<SeriesPoint>> series_from_json(const json::object &b) {
  if (auto ok = known(b, {"points"}); !ok) return ok.error();
  Result<void> error;
  const auto *points = points_of(b, error);
  if (!points) return error.error();
  std::vector<SeriesPoint> out;
  out.reserve(std::min<std::size_t>(points->size(), 10001));
  for (std::size_t i = 0; i < points->size() && i <= 10000; ++i) {
    const std::string prefix = "points[" + std::to_string(i) + "].";
    const auto &v = (*points)[i];
    if (!v.is_object()) return bad(prefix.substr(0, prefix.size() - 1), "an object {\"at\", \"power_kw\"}");
    const auto &o = v.get_object();
    if (auto ok = known(o, {"at", "power_kw", "forecast"}, prefix); !ok) return ok.error();
    auto at = required_time(o, "at", prefix);
    if (!at) return at.error();
    auto power = thousandths_member<core::Power>(o, "power_kw", prefix, "kilowatts");
    if (!power) return power.error();
    if (!*power) return bad(prefix + "power_kw", "given");
    const auto *f = o.if_contains("forecast");
    if (f && !f->is_bool() && !f->is_null()) return bad(prefix + "forecast", "true or false");
    out.push_back({*at, **power, f && f->is_bool() && f->get_bool()});
  }
  return out;
}

Result<std::vector<PricePoint>> prices_from_json(const json::object &b) {
  if (auto ok = known(b, {"currency", "points"}); !ok) return ok.error();
  auto currency = text_member(b, "currency");
  if (!currency) return currency.error();
  if (!*currency) return bad("currency", "given (ISO 4217, e.g. EUR)");
  Result<void> error;
  const auto *points = points_of(b, error);
  if (!points) return error.error();
  std::vector<PricePoint> out;
  for (std::size_t i = 0; i < points->size() && i <= 10000; ++i) {
    const std::string prefix = "points[" + std::to_string(i) + "].";
    const auto &v = (*points)[i];
    if (!v.is_object()) return bad(prefix.substr(0, prefix.size() - 1), "an object {\"from\", \"per_kwh\"}");
    const auto &o = v.get_object();
    if (auto ok = known(o, {"from", "per_kwh"}, prefix); !ok) return ok.error();
    auto from = required_time(o, "from", prefix);
    if (!from) return from.error();
    auto price = decimal_member(o, "per_kwh", prefix + "per_kwh");
    if (!price) return price.error();
    if (!*price) return bad(prefix + "per_kwh", "given");
    out.push_back({*from, **price, **currency});
  }
  return out;
}

Result<DemandResponseEvent> demand_response_from_json(const json::object &b, const LocationId &location) {
  if (auto ok = known(b, {"from", "to", "max_power_kw", "source"}); !ok) return ok.error();
  DemandResponseEvent e;
  e.location = location;
  auto from = required_time(b, "from");
  if (!from) return from.error();
  auto to = required_time(b, "to");
  if (!to) return to.error();
  e.from = *from;
  e.to = *to;
  auto power = thousandths_member<core::Power>(b, "max_power_kw", {}, "kilowatts");
  if (!power) return power.error();
  if (!*power) return bad("max_power_kw", "given");
  e.max_power = **power;
  auto source = text_member(b, "source");
  if (!source) return source.error();
  if (*source) e.source = **source;
  return e;
}

Result<GroupPriority> priority_from_json(const json::object &b, const std::string &group) {
  if (auto ok = known(b, {"customer_group", "priority"}); !ok) return ok.error();
  if (const auto *v = b.if_contains("customer_group"); v && !(v->is_string() && v->get_string() == group))
    return bad("customer_group", "the group of the path, '" + group + "'");
  auto p = small_int_member(b, "priority");
  if (!p) return p.error();
  if (!*p) return bad("priority", "given (1 to 10)");
  return GroupPriority{group, **p};
}

Result<DepartureNeed> departure_from_json(const json::object &b, std::int64_t transaction_id) {
  if (auto ok = known(b, {"transaction_id", "departure", "energy_kwh", "battery_capacity_kwh", "state_of_charge",
                          "source", "updated_at"});
      !ok)
    return ok.error();
  DepartureNeed n;
  n.transaction_id = transaction_id;
  auto departure = time_member(b, "departure");
  if (!departure) return departure.error();
  n.departure = *departure;
  auto energy = thousandths_member<core::Energy>(b, "energy_kwh", {}, "kilowatt-hours");
  if (!energy) return energy.error();
  n.energy = *energy;
  auto capacity = thousandths_member<core::Energy>(b, "battery_capacity_kwh", {}, "kilowatt-hours");
  if (!capacity) return capacity.error();
  n.battery_capacity = *capacity;
  auto soc = small_int_member(b, "state_of_charge");
  if (!soc) return soc.error();
  n.state_of_charge = *soc;
  auto source = text_member(b, "source");
  if (!source) return source.error();
  if (*source) n.source = **source;
  return n;
}

} // namespace gridlane::api
