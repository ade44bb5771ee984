#include "energy_site.hpp"

#include "gridlane/energy/profiles.hpp"

#include <algorithm>
#include <climits>

namespace gridlane::services::energy_site {
using namespace gridlane::domain;

namespace {

constexpr std::int64_t unlimited = INT64_MAX;
constexpr core::Current default_max = core::amps(32); //!< an EVSE nobody described: a common AC socket

int session_phases(const Evse &e, int grid_phases) {
  if (grid_phases == 1) return 1;
  if (e.session && e.session->vehicle_phases) return std::clamp(*e.session->vehicle_phases, 1, 3);
  return 3;
}

//! The grid phases (bits) a station's phases 0..n-1 use.
std::uint8_t grid_bits(const Evse &e, int phases, int grid_phases) {
  if (grid_phases == 1) return 1;
  std::uint8_t bits = 0;
  for (int p = 0; p < phases; ++p)
    bits = static_cast<std::uint8_t>(bits | (1U << static_cast<unsigned>(grid_phase(e.attachment.rotation, p))));
  return bits;
}

//! Power over `phases` at `voltage` as a per-phase current, rounded down (never above the power).
std::int64_t power_to_ma(core::Power p, core::Voltage v, int phases) {
  const std::int64_t per = std::max<std::int64_t>(1, v.count()) * std::max(1, phases);
  return std::max<std::int64_t>(0, p.count()) * 1000 / per;
}

energy::Node node_of(const EnergyLimit &limit, int grid_phases, int parent) {
  energy::Node n;
  n.parent = parent;
  for (int p = 0; p < 3; ++p)
    n.phase_limit_ma[static_cast<std::size_t>(p)] =
        p < grid_phases ? (limit.per_phase ? std::max<std::int64_t>(0, limit.per_phase->count()) : unlimited) : 0;
  if (limit.power) n.power_limit_w = std::max<std::int64_t>(0, limit.power->count());
  return n;
}

std::optional<std::int64_t> drawn_ma(const MeasuredDraw &d, core::Voltage v, int phases) {
  if (auto c = d.max_phase_current()) return c->count();
  if (d.power) return power_to_ma(*d.power, v, phases);
  return std::nullopt;
}

} // namespace

int NodeIndex::node(const std::optional<std::string> &circuit) const {
  if (!circuit) return 0;
  auto it = of.find(*circuit);
  return it == of.end() ? 0 : it->second;
}

NodeIndex index_nodes(const ElectricalTree &tree) {
  NodeIndex idx;
  idx.ids.emplace_back();
  std::vector<bool> placed(tree.circuits.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < tree.circuits.size(); ++i) {
      const auto &c = tree.circuits[i];
      if (placed[i] || (c.parent && !idx.of.contains(*c.parent))) continue;
      idx.of.emplace(c.id, static_cast<int>(idx.ids.size()));
      idx.ids.push_back(c.id);
      placed[i] = progress = true;
    }
  }
  for (std::size_t i = 0; i < tree.circuits.size(); ++i) { // orphans and cycles: under the root
    if (placed[i]) continue;
    idx.of.emplace(tree.circuits[i].id, static_cast<int>(idx.ids.size()));
    idx.ids.push_back(tree.circuits[i].id);
  }
  return idx;
}

std::optional<const DemandResponseEvent *> active_dr(const Site &site, Timestamp now) {
  const DemandResponseEvent *best = nullptr;
  for (const auto &e : site.dr)
    if (e.from <= now && now < e.to && (!best || e.max_power < best->max_power)) best = &e;
  if (!best) return std::nullopt;
  return best;
}

Problem problem(const Site &site, Timestamp now) {
  Problem pb;
  const auto &grid = site.tree.grid;
  const int gp = grid.phases == 1 ? 1 : 3;
  pb.nodes = index_nodes(site.tree);
  pb.input.voltage_v = std::max<std::int64_t>(1, grid.voltage.count());
  pb.input.nodes.resize(pb.nodes.ids.size());
  auto root = node_of(grid.limit, gp, -1);
  if (auto dr = active_dr(site, now)) root.power_limit_w = std::min(root.power_limit_w, (*dr)->max_power.count());
  if (site.plan_cap)
    root.power_limit_w = std::min(root.power_limit_w, std::max<std::int64_t>(0, site.plan_cap->count()));
  // The building's load in force now comes off the connection first (PV is not counted on: a
  // cloud would take it away faster than the next meter value).
  std::int64_t building = 0;
  for (const auto &p : site.building)
    if (p.at <= now) building = std::max<std::int64_t>(0, p.power.count());
  if (building > 0) {
    const std::int64_t per = pb.input.voltage_v * gp;
    const std::int64_t per_phase_ma = (std::min<std::int64_t>(building, 1'000'000'000) * 1000 + per - 1) / per;
    for (std::size_t p = 0; p < 3; ++p)
      if (root.phase_limit_ma[p] != unlimited)
        root.phase_limit_ma[p] = std::max<std::int64_t>(0, root.phase_limit_ma[p] - per_phase_ma);
    if (root.power_limit_w != unlimited) root.power_limit_w = std::max<std::int64_t>(0, root.power_limit_w - building);
  }
  pb.input.nodes[0] = root;
  for (const auto &c : site.tree.circuits) {
    const int at = pb.nodes.of.at(c.id);
    int parent = c.parent ? pb.nodes.node(c.parent) : 0;
    if (parent >= at) parent = 0; // a cycle broken above: keep parents before children
    pb.input.nodes[static_cast<std::size_t>(at)] = node_of(c.limit, gp, parent);
  }
  for (const auto &[key, e] : site.evses) {
    if (!e.session) continue;
    const int phases = session_phases(e, gp);
    energy::Demand d;
    d.node = pb.nodes.node(e.attachment.circuit);
    d.grid_phases = grid_bits(e, phases, gp);
    d.min_ma = std::max<std::int64_t>(0, e.attachment.min_current.count());
    std::int64_t max =
        (e.attachment.max_current ? *e.attachment.max_current : e.hardware_max.value_or(default_max)).count();
    if (auto p = e.attachment.max_power ? e.attachment.max_power : e.hardware_power)
      max = std::min(max, power_to_ma(*p, grid.voltage, phases));
    for (const auto &cap : {e.session->vehicle_max, e.session->underdraw_max, e.session->plan_max, e.external})
      if (cap) max = std::min(max, cap->count());
    d.max_ma = std::max<std::int64_t>(0, max);
    d.reserved_ma = e.reserved ? std::max<std::int64_t>(0, e.reserved->count()) : 0;
    d.weight = std::clamp(e.session->priority, 1, 10);
    pb.input.demands.push_back(d);
    pb.keys.push_back(key);
  }
  return pb;
}

std::vector<EvseKey> allocate(Site &site, Timestamp now) {
  auto pb = problem(site, now);
  auto shares = energy::allocate(pb.input);
  std::vector<EvseKey> changed;
  const int gp = site.tree.grid.phases == 1 ? 1 : 3;
  for (auto &[key, e] : site.evses) {
    Setpoint s;
    s.station = key.first;
    s.evse_id = key.second;
    if (e.session) {
      s.transaction_id = e.session->transaction_id;
      s.phases = session_phases(e, gp);
      s.priority = e.session->priority;
    }
    auto at = std::find(pb.keys.begin(), pb.keys.end(), key);
    if (at != pb.keys.end() && static_cast<std::size_t>(at - pb.keys.begin()) < shares.size()) {
      const auto &share = shares[static_cast<std::size_t>(at - pb.keys.begin())];
      s.current = core::milliamps(share.ma);
      s.paused = share.paused;
    }
    if (!(s == e.given)) {
      e.given = s;
      if (e.session) changed.push_back(key);
    }
  }
  return changed;
}

bool worth_sending(const std::optional<Setpoint> &last, std::optional<Timestamp> last_at, const Setpoint &next,
                   const EnergyOptions &options, Timestamp now) {
  std::optional<energy::SentShare> sent;
  if (last && last_at)
    sent = energy::SentShare{last->current, last->paused, last->transaction_id, *last_at, last->phases};
  const auto d = energy::decide_send(sent, next, energy::SendPolicy{options.hysteresis, options.min_interval}, now);
  return d.kind == energy::SendDecision::Kind::Send;
}

core::Current given_current(const Evse &evse) {
  if (evse.sent && evse.sent->transaction_id == evse.given.transaction_id)
    return evse.sent->paused ? core::Current{} : evse.sent->current;
  return evse.given.paused ? core::Current{} : evse.given.current;
}

core::Current planned_current(const Evse &evse, Timestamp now) {
  if (!evse.sent_plan || now < evse.sent_plan->start || evse.sent_plan->slot.count() <= 0) return {};
  const auto k = static_cast<std::size_t>((now - evse.sent_plan->start) / evse.sent_plan->slot);
  return k < evse.sent_plan->per_slot.size() ? evse.sent_plan->per_slot[k] : core::Current{};
}

DrawVerdict observe(Evse &evse, const MeasuredDraw &draw, core::Voltage voltage, const EnergyOptions &options,
                    Timestamp now) {
  if (draw.empty()) return DrawVerdict::Normal;
  evse.measured = draw;
  evse.measured_at = now;
  if (!evse.session) return DrawVerdict::Normal;
  auto &s = *evse.session;
  const int phases = evse.given.phases;
  // A vehicle's phases, learned from the phases it draws on (1-phase vehicles on 3-phase EVSEs).
  if (int n = draw.phases_drawing(core::amps(1)); n > 0 && draw.max_phase_current() >= core::amps(2))
    s.vehicle_phases = n;
  const auto ma = drawn_ma(draw, voltage, phases);
  if (!ma) return DrawVerdict::Normal;
  const core::Current drawn = core::milliamps(*ma);
  // A schedule sent from the plan allows its slot's value until a one-period profile replaces it.
  const core::Current given = std::max(given_current(evse), planned_current(evse, now));
  if (evse.reserved) { // contained: its draw stays reserved while the session lasts
    const auto moved = drawn > *evse.reserved ? drawn - *evse.reserved : *evse.reserved - drawn;
    if (moved < options.hysteresis) return DrawVerdict::Normal;
    evse.reserved = drawn;
    return DrawVerdict::OverdrawChanged;
  }
  if (drawn > given + options.overdraw_tolerance) {
    evse.reserved = drawn;
    s.under_since.reset();
    s.underdraw_max.reset();
    return DrawVerdict::Overdraw;
  }
  if (s.underdraw_max && drawn + core::milliamps(options.hysteresis.count() / 2) >= *s.underdraw_max) {
    s.underdraw_max.reset(); // it takes what it was left: let it have more again
    s.under_since.reset();
    return DrawVerdict::UnderdrawEnded;
  }
  if (!s.underdraw_max && !evse.given.paused && drawn + options.hysteresis < given) {
    if (!s.under_since) s.under_since = now;
    if (now - *s.under_since >= options.underdraw_after) {
      s.underdraw_max = drawn + options.hysteresis;
      return DrawVerdict::Underdraw;
    }
    return DrawVerdict::Normal;
  }
  if (!s.underdraw_max) s.under_since.reset();
  return DrawVerdict::Normal;
}

EnergyPicture picture(const Site &site, const LocationId &location, Timestamp now) {
  EnergyPicture pic;
  pic.location = location;
  pic.at = now;
  pic.grid = site.tree.grid;
  pic.plan = site.plan;
  pic.planned_at = site.planned_at;
  if (auto dr = active_dr(site, now)) pic.active_dr = **dr;
  auto pb = problem(site, now);
  pic.circuits.resize(pb.nodes.ids.size());
  pic.circuits[0].limit = site.tree.grid.limit;
  for (const auto &c : site.tree.circuits) {
    auto &cp = pic.circuits[static_cast<std::size_t>(pb.nodes.of.at(c.id))];
    cp.id = c.id;
    cp.limit = c.limit;
  }
  const int gp = site.tree.grid.phases == 1 ? 1 : 3;
  for (const auto &[key, e] : site.evses) {
    EvsePicture ep;
    ep.setpoint = e.given;
    ep.circuit = e.attachment.circuit;
    ep.measured_power = e.measured.power;
    ep.overdrawing = e.reserved.has_value();
    if (e.session) ep.need = e.session->need;
    const auto bits = grid_bits(e, e.session ? session_phases(e, gp) : 3, gp);
    for (int p = 0; p < 3; ++p) {
      const auto &m = e.measured.current[static_cast<std::size_t>(p)];
      if (m) ep.measured[static_cast<std::size_t>(gp == 1 ? 0 : grid_phase(e.attachment.rotation, p))] = m;
    }
    for (int n = pb.nodes.node(e.attachment.circuit); n >= 0;
         n = n == 0 ? -1 : pb.input.nodes[static_cast<std::size_t>(n)].parent) {
      auto &cp = pic.circuits[static_cast<std::size_t>(n)];
      for (std::size_t p = 0; p < 3; ++p) {
        if (e.session && !e.given.paused && (bits & (1U << p))) cp.allocated[p] += e.given.current;
        if (ep.measured[p]) cp.measured[p] += *ep.measured[p];
      }
    }
    pic.evses.push_back(std::move(ep));
  }
  return pic;
}

} // namespace gridlane::services::energy_site

namespace gridlane::services::energy_site {
using namespace gridlane::domain;

Command profile_command(const Evse &evse, const Setpoint &s, const GridConnection &grid, Timestamp now) {
  std::optional<std::string> tx;
  if (evse.session && !evse.session->station_tx_id.empty()) tx = evse.session->station_tx_id;
  return energy::setpoint_profile(s, tx, energy::EvseElectrics{evse.attachment.dc, grid.voltage},
                                  energy::ProfilePolicy{}, now);
}

Command station_max_command(const GridConnection &grid, int evses, Timestamp now) {
  return energy::station_max_profile(energy::fail_safe_current(grid, std::max(1, evses)), grid.phases == 1 ? 1 : 3,
                                     energy::EvseElectrics{false, grid.voltage}, energy::ProfilePolicy{}, now);
}

} // namespace gridlane::services::energy_site
