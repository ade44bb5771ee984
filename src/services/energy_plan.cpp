#include "energy_plan.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "gridlane/energy/profiles.hpp"

namespace gridlane::services::energy_site {
using namespace gridlane::domain;

namespace {

//! The value of a step series (each point holds until the next) at `t`; 0 before the first.
template <class P, class F> auto step_at(const std::vector<P> &points, Timestamp t, F value) {
  decltype(value(points.front())) v{};
  for (const auto &p : points) {
    if (p.at > t) break;
    v = value(p);
  }
  return v;
}

std::int64_t limit_w(const EnergyLimit &l, core::Voltage v, int phases) {
  std::int64_t w = INT64_MAX;
  if (l.per_phase) w = std::max<std::int64_t>(0, l.per_phase->count()) * v.count() * phases / 1000;
  if (l.power) w = std::min(w, std::max<std::int64_t>(0, l.power->count()));
  return w;
}

} // namespace

PlanProblem plan_problem(const Site &site, Timestamp now, std::chrono::seconds slot, int slots) {
  PlanProblem pp;
  auto &pb = pp.problem;
  const auto &grid = site.tree.grid;
  const int gp = grid.phases == 1 ? 1 : 3;
  const auto v = core::volts(std::max<std::int64_t>(1, grid.voltage.count()));
  pb.slots = slots;
  pb.slot_seconds = slot.count();
  const auto alloc = problem(site, now); // the same nodes and each session's max as the allocation
  pb.nodes.resize(alloc.input.nodes.size());
  pb.nodes[0].power_limit_w = limit_w(grid.limit, v, gp);
  for (const auto &c : site.tree.circuits) {
    const auto at = static_cast<std::size_t>(alloc.nodes.of.at(c.id));
    pb.nodes[at].parent = alloc.input.nodes[at].parent;
    pb.nodes[at].power_limit_w = limit_w(c.limit, v, gp);
  }
  for (int k = 0; k < slots; ++k) {
    const Timestamp t = now + slot * k;
    std::int64_t lim = pb.nodes[0].power_limit_w;
    for (const auto &e : site.dr)
      if (e.from <= t && t < e.to) lim = std::min(lim, e.max_power.count());
    pb.site_limit_w.push_back(lim);
    pb.building_w.push_back(step_at(site.building, t, [](const SeriesPoint &p) { return p.power.count(); }));
    pb.pv_w.push_back(step_at(site.pv, t, [](const SeriesPoint &p) { return p.power.count(); }));
    // An LP coefficient, not money: the cost the product reports is computed from the Decimal.
    double price = 0;
    for (const auto &p : site.prices)
      if (p.from <= t) price = p.per_kwh.to_wire();
    pb.price_per_kwh.push_back(price);
  }
  if (grid.demand_charge_per_kw) pb.demand_charge_per_kw = grid.demand_charge_per_kw->to_wire();
  for (std::size_t i = 0; i < alloc.keys.size(); ++i) {
    const auto &e = site.evses.at(alloc.keys[i]);
    const auto &need = e.session->need;
    if (!need || !need->departure || !need->energy) continue;
    const auto &d = alloc.input.demands[i];
    const int phases = std::max(1, __builtin_popcount(d.grid_phases));
    energy::ScheduleVehicle veh;
    veh.node = d.node;
    veh.arrival_slot = 0;
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(*need->departure - now).count();
    veh.departure_slot =
        static_cast<int>(std::clamp<std::int64_t>(left / std::max<std::int64_t>(1, slot.count()), 1, slots));
    veh.energy_needed_wh = std::max<std::int64_t>(0, need->energy->count());
    veh.max_charge_w = d.max_ma * v.count() * phases / 1000;
    veh.weight = d.weight;
    pb.vehicles.push_back(veh);
    pp.keys.push_back(alloc.keys[i]);
  }
  return pp;
}

void apply_plan(Site &site, const PlanProblem &pp, const energy::Schedule &plan, Timestamp now,
                std::chrono::seconds slot) {
  for (auto &[key, e] : site.evses)
    if (e.session) e.session->plan_max.reset();
  site.plan.clear();
  site.planned_at = now;
  if (!plan.optimal) return; // no plan: the allocation alone divides the site
  const auto v = std::max<std::int64_t>(1, site.tree.grid.voltage.count());
  const auto &pb = pp.problem;
  for (std::size_t i = 0; i < pp.keys.size() && i < plan.power_w.size(); ++i) {
    auto &e = site.evses.at(pp.keys[i]);
    if (!e.session || plan.power_w[i].empty()) continue;
    const int phases = std::clamp(e.given.phases, 1, 3);
    std::int64_t ma = std::max<std::int64_t>(0, plan.power_w[i][0]) * 1000 / (v * phases);
    if (ma > 0) ma = std::max(ma, e.attachment.min_current.count()); // planned to charge: at least its minimum
    e.session->plan_max = core::milliamps(ma);
  }
  for (int k = 0; k < pb.slots; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    PlanSlot s;
    s.start = now + slot * k;
    s.site_limit = core::watts(ks < pb.site_limit_w.size() ? pb.site_limit_w[ks] : INT64_MAX);
    std::int64_t chargers = 0;
    for (const auto &row : plan.power_w)
      if (ks < row.size()) chargers += row[ks];
    s.chargers = core::watts(chargers);
    s.building = core::watts(ks < pb.building_w.size() ? pb.building_w[ks] : 0);
    s.pv = core::watts(ks < pb.pv_w.size() ? pb.pv_w[ks] : 0);
    for (const auto &p : site.prices)
      if (p.from <= s.start) s.price_per_kwh = p.per_kwh; // exact, from the Decimal
    site.plan.push_back(s);
  }
}

Command plan_command(const Evse &evse, std::vector<std::int64_t> power, const GridConnection &grid, Timestamp now,
                     std::chrono::seconds slot, SentPlan &sent) {
  const std::int64_t v = std::max<std::int64_t>(1, grid.voltage.count());
  const int phases = std::clamp(evse.given.phases, 1, 3);
  for (auto &w : power)
    w = std::max<std::int64_t>(0, w); // no discharge asked of a 2.0.1 vehicle
  if (!power.empty())
    power[0] = evse.given.paused ? 0 : std::max<std::int64_t>(0, evse.given.current.count()) * v * phases / 1000;
  energy::PlannedCharging pc;
  pc.evse_id = evse.attachment.evse_id;
  if (evse.session) {
    pc.station_transaction_id = evse.session->station_tx_id;
    pc.max_periods = evse.session->max_schedule_tuples;
  }
  pc.start = now;
  pc.slot = slot;
  pc.power = std::move(power);
  pc.phases = phases;
  auto cmd = energy::plan_profile(pc, energy::EvseElectrics{evse.attachment.dc, grid.voltage}, energy::ProfilePolicy{});
  // What it allows per slot, read back from the periods it has (merged ones keep the lower).
  sent = SentPlan{now, slot, {}};
  const auto &s = cmd.profile.schedules.at(0);
  const std::int64_t slot_s = std::max<std::int64_t>(1, slot.count());
  std::size_t p = 0;
  for (std::size_t k = 0; k < pc.power.size(); ++k) {
    const auto at = slot_s * static_cast<std::int64_t>(k);
    while (p + 1 < s.periods.size() && s.periods[p + 1].start_s <= at)
      ++p;
    const std::int64_t milli = s.periods.empty() ? 0 : s.periods[p].limit.thousandths;
    // A: thousandths are mA per phase; W (DC): mW over the voltage and phases.
    sent.per_slot.push_back(core::milliamps(s.unit == ChargingRateUnit::W ? milli / (v * phases) : milli));
  }
  return cmd;
}

namespace {
std::optional<int> phases_of(ChargingNeeds::Mode m) {
  switch (m) {
  case ChargingNeeds::Mode::AcSinglePhase: return 1;
  case ChargingNeeds::Mode::AcTwoPhase: return 2;
  case ChargingNeeds::Mode::AcThreePhase: return 3;
  default: return std::nullopt;
  }
}
} // namespace

void take_needs(Session &s, const ChargingNeeds &n, Timestamp now) {
  if (auto p = phases_of(n.mode)) s.vehicle_phases = *p;
  if (n.ev_max_current && *n.ev_max_current > core::Current{}) s.vehicle_max = n.ev_max_current;
  if (n.departure && n.energy_amount) { // a plan for it: answered with a schedule of it
    s.answer_with_plan = true;
    s.max_schedule_tuples = n.max_schedule_tuples;
  }
  if (n.departure || n.energy_amount) {
    DepartureNeed need = s.need.value_or(DepartureNeed{});
    need.transaction_id = s.transaction_id;
    need.departure = n.departure;
    need.energy = n.energy_amount;
    need.battery_capacity = n.battery_capacity;
    need.state_of_charge = n.state_of_charge;
    need.source = "vehicle";
    need.updated_at = now;
    s.need = need;
  }
}

} // namespace gridlane::services::energy_site
