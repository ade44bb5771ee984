// The depot day's three ways of charging (depot_model.hpp): uncontrolled, controlled (the
// scheduler's plan every 15 minutes and on every event, the allocator every minute under it,
// an overdrawing station contained) and the offline optimum with perfect foresight.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "depot_model.hpp"
#include "gridlane/energy/allocator.hpp"
#include "gridlane/energy/scheduler.hpp"

namespace gridlane::bench::depot {

namespace {

using Clock = std::chrono::steady_clock;

std::uint8_t phase_mask(const Evse &evse, const Visit &visit) {
  if (evse.dc || visit.spec.phases >= 3) return 7;
  std::uint8_t mask = 0;
  for (int p = 0; p < visit.spec.phases; ++p)
    mask = static_cast<std::uint8_t>(mask | (1U << domain::grid_phase(evse.rotation, p)));
  return mask;
}

int phase_count(std::uint8_t mask) {
  return (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1);
}

//! The most an EVSE and its vehicle take together now, in W.
double max_power_w(const Evse &evse, const energy::Vehicle &car) {
  if (evse.dc) return std::min(static_cast<double>(evse.max_dc_w), car.acceptance_w(kVoltage));
  const auto ma = car.ac_current_ma(evse.max_ma, kVoltage);
  return static_cast<double>(ma) / 1000.0 * kVoltage * car.spec().phases;
}

//! How long a vehicle takes from its state now to its target at the most it accepts, in
//! minutes, and the energy that is (AC is flat to 95 %; a DC curve tapers).
struct ToTarget {
  int minutes = 0;
  double wh = 0;
};

ToTarget to_target(const Evse &evse, const Visit &visit, const energy::Vehicle &now) {
  energy::Vehicle car = now;
  const double target_wh = visit.target_soc * visit.spec.capacity_wh;
  ToTarget t;
  for (; t.minutes < 2000 && car.energy_wh() < target_wh - 1; ++t.minutes) {
    const double w = max_power_w(evse, car);
    if (w <= 0) break;
    t.wh += car.step(std::min(w, (target_wh - car.energy_wh()) * 60), 60, kVoltage);
  }
  return t;
}

//! The LP knows one constant power per vehicle; a DC curve that tapers falls behind a plan at
//! its average (above the average early, below it late), so DC is planned at 85 % of it.
constexpr double kTaperFactor = 0.85;

//! The constant power the LP may count on for a vehicle from its state of charge to its
//! target: the energy over the time its curve takes.
double plannable_w(const Evse &evse, const Visit &visit, const energy::Vehicle &car) {
  const auto t = to_target(evse, visit, car);
  return t.minutes > 0 ? t.wh * 60 / t.minutes * (evse.dc ? kTaperFactor : 1.0) : max_power_w(evse, car);
}

//! The plan finishes each vehicle this long before it leaves: room to catch up on a forecast
//! that was wrong (a cloud during a DR event) before the vehicle is gone.
constexpr int kDeadlineMarginMinutes = 30;
//! A vehicle whose curve needs all but this many of the minutes it has left is charged at
//! once with the top weight, whatever the plan said (least laxity first).
constexpr int kLaxityMinutes = 10;
constexpr int kUrgentWeight = 10;

//! What a vehicle draws this minute: the power and the current on each grid phase.
struct Draw {
  double w = 0;
  std::array<double, 3> ma{};
  std::int64_t per_phase_ma = 0;
};

Draw draw_for(const Evse &evse, const Visit &visit, const energy::Vehicle &car, std::int64_t allowed_ma) {
  Draw d;
  const auto mask = phase_mask(evse, visit);
  if (evse.dc) {
    d.w = std::min(static_cast<double>(allowed_ma) / 1000.0 * kVoltage * 3, max_power_w(evse, car));
    d.per_phase_ma = static_cast<std::int64_t>(d.w / (3 * kVoltage) * 1000);
  } else {
    d.per_phase_ma = car.ac_current_ma(std::min(allowed_ma, evse.max_ma), kVoltage);
    d.w = static_cast<double>(d.per_phase_ma) / 1000.0 * kVoltage * phase_count(mask);
  }
  for (int p = 0; p < 3; ++p)
    if (mask & (1U << p)) d.ma[static_cast<std::size_t>(p)] = static_cast<double>(d.per_phase_ma);
  return d;
}

//! Site load, limits and the trace's records for one minute.
void record(const Site &site, DayTrace &t, int m, double chargers_w, const std::array<double, 3> &charger_ma) {
  const double net = site.building_w[m] - site.pv_w[m];
  t.chargers_w[m] = chargers_w;
  t.site_w[m] = net + chargers_w;
  const double margin = static_cast<double>(site.limit_at(m)) - t.site_w[m];
  if (margin < t.worst_margin_w) {
    t.worst_margin_w = margin;
    t.worst_margin_minute = m;
  }
  bool over = margin < 0;
  for (std::size_t p = 0; p < 3; ++p) {
    t.phase_ma[m][p] = net / (3 * kVoltage) * 1000 + charger_ma[p];
    const double pm = static_cast<double>(site.phase_limit_ma) - t.phase_ma[m][p];
    t.worst_phase_margin_ma = std::min(t.worst_phase_margin_ma, pm);
    over = over || pm < 0;
  }
  if (over) ++t.minutes_over_limit;
}

} // namespace

DayTrace run_uncontrolled(const Site &site, const std::vector<Visit> &fleet) {
  DayTrace t;
  t.name = "uncontrolled";
  t.delivered_wh.assign(fleet.size(), 0);
  t.final_soc.assign(fleet.size(), 0);
  std::vector<std::optional<energy::Vehicle>> cars(fleet.size());
  for (int m = 0; m < kMinutes; ++m) {
    double total = 0;
    std::array<double, 3> ma{};
    for (std::size_t i = 0; i < fleet.size(); ++i) {
      const auto &v = fleet[i];
      if (m == v.arrival) cars[i].emplace(v.spec, v.arrival_soc);
      if (m == v.departure && cars[i]) {
        t.final_soc[i] = cars[i]->soc();
        cars[i].reset();
      }
      if (!cars[i]) continue;
      const auto &evse = site.evses[static_cast<std::size_t>(v.evse)];
      const Draw d = draw_for(evse, v, *cars[i], INT64_MAX / 4);
      t.delivered_wh[i] += cars[i]->step(d.w, 60, kVoltage);
      total += d.w;
      for (std::size_t p = 0; p < 3; ++p)
        ma[p] += d.ma[p];
    }
    record(site, t, m, total, ma);
  }
  for (std::size_t i = 0; i < fleet.size(); ++i)
    if (cars[i]) t.final_soc[i] = cars[i]->soc();
  return t;
}

namespace {

//! The controller's state of one vehicle on site.
struct Session {
  energy::Vehicle car;
  double plan_w = 0;      //!< the plan's power for the current slot
  double budget_wh = 0;   //!< energy the plan gives it for the rest of the slot
  bool contained = false; //!< its station was seen drawing more than given
  bool measured = false;  //!< its draw has been seen at least once
  std::int64_t reserved_ma = 0;
};

class Controller {
public:
  Controller(const Site &site, const std::vector<Visit> &fleet, ControlOptions options)
      : site_(site), fleet_(fleet), options_(options), s_(fleet.size()) {
    t_.name = "controlled";
    t_.delivered_wh.assign(fleet.size(), 0);
    t_.final_soc.assign(fleet.size(), 0);
  }

  DayTrace run() {
    for (int m = 0; m < kMinutes; ++m) {
      bool replan = m % kSlotMinutes == 0;
      for (std::size_t i = 0; i < fleet_.size(); ++i) {
        if (m == fleet_[i].departure && s_[i]) {
          t_.final_soc[i] = s_[i]->car.soc();
          s_[i].reset();
        }
        if (m == fleet_[i].arrival) {
          s_[i].emplace(Session{energy::Vehicle(fleet_[i].spec, fleet_[i].arrival_soc)});
          if (options_.known_ignoring && evse_of(i).ignores_profiles) {
            s_[i]->contained = true;
            s_[i]->reserved_ma = evse_of(i).max_ma;
          }
          replan = true; // a session started: re-plan at once
        }
      }
      if (replan || replan_next_) plan(m);
      replan_next_ = false;
      step(m);
    }
    for (std::size_t i = 0; i < fleet_.size(); ++i)
      if (s_[i]) t_.final_soc[i] = s_[i]->car.soc();
    return t_;
  }

private:
  double target_wh(std::size_t i) const { return fleet_[i].target_soc * fleet_[i].spec.capacity_wh; }
  const Evse &evse_of(std::size_t i) const { return site_.evses[static_cast<std::size_t>(fleet_[i].evse)]; }

  //! Model-predictive: a plan from now to the end of the day on the sessions known now; only
  //! its first slot is used, then it is made again.
  void plan(int m) {
    const int slot0 = m / kSlotMinutes;
    energy::ScheduleProblem p;
    p.slots = kSlots - slot0;
    p.slot_seconds = std::int64_t{kSlotMinutes} * 60;
    p.nodes.push_back({-1, INT64_MAX});
    for (const auto &f : site_.feeders)
      p.nodes.push_back({0, static_cast<std::int64_t>(static_cast<double>(f.phase_limit_ma) / 1000.0 * kVoltage * 3)});
    const auto slots = static_cast<std::size_t>(p.slots);
    p.site_limit_w.resize(slots);
    p.building_w.resize(slots);
    p.pv_w.resize(slots);
    p.price_per_kwh.resize(slots);
    for (std::size_t k = 0; k < slots; ++k) {
      const int from = (slot0 + static_cast<int>(k)) * kSlotMinutes;
      double b = 0, pv = 0;
      for (int x = from; x < from + kSlotMinutes; ++x) {
        b += site_.building_forecast_w[x];
        pv += site_.pv_forecast_w[x];
      }
      // The slot under way is planned from what the site meter shows now, the rest from the forecast.
      const int seen = std::max(0, m - 1);
      p.building_w[k] = static_cast<std::int64_t>(k == 0 ? site_.building_w[seen] : b / kSlotMinutes);
      p.pv_w[k] = static_cast<std::int64_t>(k == 0 ? site_.pv_w[seen] : pv / kSlotMinutes);
      p.site_limit_w[k] = site_.limit_at(from) - site_.headroom_w;
      p.price_per_kwh[k] = site_.price_millis_at(from) / 1000.0;
    }
    p.demand_charge_per_kw = static_cast<double>(site_.demand_charge_millis_per_kw) / 1000.0;
    std::vector<std::size_t> planned;
    for (std::size_t i = 0; i < fleet_.size(); ++i) {
      if (!s_[i]) continue;
      auto &s = *s_[i];
      const auto &evse = evse_of(i);
      const double need = target_wh(i) - s.car.energy_wh();
      if (s.contained) { // it draws what it draws: a load the plan cannot move
        double left = s.car.spec().capacity_wh - s.car.energy_wh();
        const double w = max_power_w(evse, s.car);
        for (std::size_t k = 0; k < slots && left > 0; ++k) {
          const double e = std::min(left, w * kSlotMinutes / 60.0);
          p.building_w[k] += static_cast<std::int64_t>(e * 60.0 / kSlotMinutes);
          left -= e;
        }
        continue;
      }
      if (need <= 1) continue;
      energy::ScheduleVehicle sv;
      sv.node = 1 + evse.feeder;
      sv.arrival_slot = 0;
      sv.departure_slot = std::max(1, (fleet_[i].departure - kDeadlineMarginMinutes) / kSlotMinutes - slot0);
      sv.energy_needed_wh = static_cast<std::int64_t>(need);
      sv.max_charge_w = static_cast<std::int64_t>(plannable_w(evse, fleet_[i], s.car));
      sv.weight = fleet_[i].weight;
      p.vehicles.push_back(sv);
      planned.push_back(i);
    }
    const auto began = Clock::now();
    const energy::Schedule plan = energy::schedule(p);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
    ++t_.plans;
    t_.plan_ms_total += ms;
    t_.plan_ms_max = std::max(t_.plan_ms_max, ms);
    const int left_in_slot = kSlotMinutes - m % kSlotMinutes;
    for (auto &s : s_)
      if (s) s->plan_w = s->budget_wh = 0;
    for (std::size_t j = 0; j < planned.size(); ++j) {
      auto &s = *s_[planned[j]];
      // Without an optimal plan the allocator alone divides what the site has.
      s.plan_w = plan.optimal && j < plan.power_w.size() && !plan.power_w[j].empty()
                     ? static_cast<double>(plan.power_w[j][0])
                     : max_power_w(evse_of(planned[j]), s.car);
      s.budget_wh = s.plan_w * left_in_slot / 60.0;
    }
    if (!plan.optimal) ++t_.failed_plans;
  }

  //! One minute: the allocator divides what the site has now under the plan's caps, the
  //! vehicles draw, overdraws are seen and contained.
  void step(int m) {
    energy::AllocationInput in;
    const int seen = std::max(0, m - 1); // the site meter's last minute
    const double net = site_.building_w[seen] - site_.pv_w[seen];
    energy::Node grid;
    grid.power_limit_w =
        std::max<std::int64_t>(0, site_.limit_at(m) - site_.headroom_w - static_cast<std::int64_t>(net));
    const auto phase_ma =
        static_cast<std::int64_t>(static_cast<double>(site_.phase_limit_ma) -
                                  (static_cast<double>(site_.headroom_w) + net) / (3 * kVoltage) * 1000);
    grid.phase_limit_ma = {std::max<std::int64_t>(0, phase_ma), std::max<std::int64_t>(0, phase_ma),
                           std::max<std::int64_t>(0, phase_ma)};
    in.nodes.push_back(grid);
    for (const auto &f : site_.feeders)
      in.nodes.push_back({0, {f.phase_limit_ma, f.phase_limit_ma, f.phase_limit_ma}, INT64_MAX});
    in.voltage_v = static_cast<std::int64_t>(kVoltage);
    const int left_in_slot = kSlotMinutes - m % kSlotMinutes;
    std::vector<std::size_t> who;
    for (std::size_t i = 0; i < fleet_.size(); ++i) {
      if (!s_[i]) continue;
      auto &s = *s_[i];
      const auto &evse = evse_of(i);
      energy::Demand d;
      d.node = 1 + evse.feeder;
      d.grid_phases = phase_mask(evse, fleet_[i]);
      d.weight = fleet_[i].weight;
      const double volts_phases = kVoltage * phase_count(d.grid_phases) / 1000.0; // W per mA
      if (s.contained) {
        d.reserved_ma = d.max_ma = s.reserved_ma;
        d.min_ma = 0;
      } else {
        if (s.car.energy_wh() >= target_wh(i) - 1) continue;
        d.min_ma = evse.dc ? 2000 : 6000;
        const double full_w = max_power_w(evse, s.car);
        if (to_target(evse, fleet_[i], s.car).minutes + kLaxityMinutes >= fleet_[i].departure - m) {
          d.weight = kUrgentWeight;
          d.max_ma = static_cast<std::int64_t>(full_w / volts_phases);
        } else {
          if (s.budget_wh <= 0.5) continue;
          // Spread what is left of the slot's energy over its minutes; a rate below the
          // minimum current is given as the minimum for fewer minutes.
          const double rate_w = s.budget_wh * 60.0 / left_in_slot;
          const double cap_w = std::min(std::max(rate_w, static_cast<double>(d.min_ma) * volts_phases), full_w);
          d.max_ma = static_cast<std::int64_t>(cap_w / volts_phases);
        }
        if (d.max_ma < d.min_ma) continue;
      }
      in.demands.push_back(d);
      who.push_back(i);
    }
    const auto began = Clock::now();
    const auto shares = energy::allocate(in);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - began).count();
    ++t_.allocations;
    t_.alloc_us_total += us;
    t_.alloc_us_max = std::max(t_.alloc_us_max, us);
    t_.alloc_us.push_back(us);

    std::vector<std::int64_t> allowed(fleet_.size(), 0);
    for (std::size_t j = 0; j < who.size() && j < shares.size(); ++j)
      allowed[who[j]] = shares[j].ma;
    double total = 0;
    std::array<double, 3> ma{};
    for (std::size_t i = 0; i < fleet_.size(); ++i) {
      if (!s_[i]) continue;
      auto &s = *s_[i];
      const auto &evse = evse_of(i);
      // A station that ignores its profile lets its vehicle take what it accepts.
      const std::int64_t limit = evse.ignores_profiles ? INT64_MAX / 4 : allowed[i];
      const Draw d = draw_for(evse, fleet_[i], s.car, limit);
      const double moved = s.car.step(d.w, 60, kVoltage);
      t_.delivered_wh[i] += moved;
      s.budget_wh -= moved;
      total += d.w;
      for (std::size_t p = 0; p < 3; ++p)
        ma[p] += d.ma[p];
      // Containment: a draw above the share plus a tolerance in one meter interval; from then
      // on what it draws is taken off its circuits first and the rest re-divided.
      if (options_.containment && d.per_phase_ma > allowed[i] + 500 && !s.contained) {
        s.contained = true;
        if (t_.containments++ == 0) t_.first_containment = m;
        replan_next_ = true;
      }
      if (s.contained) s.reserved_ma = s.measured ? std::max(s.reserved_ma, d.per_phase_ma) : d.per_phase_ma;
      s.measured = true;
    }
    record(site_, t_, m, total, ma);
  }

  const Site &site_;
  const std::vector<Visit> &fleet_;
  ControlOptions options_;
  std::vector<std::optional<Session>> s_;
  DayTrace t_;
  bool replan_next_ = false;
};

} // namespace

DayTrace run_controlled(const Site &site, const std::vector<Visit> &fleet, ControlOptions options) {
  return Controller(site, fleet, options).run();
}

OfflineResult offline_optimum(const Site &site, const std::vector<Visit> &fleet) {
  energy::ScheduleProblem p;
  p.slots = kSlots;
  p.slot_seconds = std::int64_t{kSlotMinutes} * 60;
  p.nodes.push_back({-1, INT64_MAX});
  for (const auto &f : site.feeders)
    p.nodes.push_back({0, static_cast<std::int64_t>(static_cast<double>(f.phase_limit_ma) / 1000.0 * kVoltage * 3)});
  for (int k = 0; k < kSlots; ++k) {
    double b = 0, pv = 0;
    for (int x = k * kSlotMinutes; x < (k + 1) * kSlotMinutes; ++x) {
      b += site.building_w[x];
      pv += site.pv_w[x];
    }
    p.building_w.push_back(static_cast<std::int64_t>(b / kSlotMinutes));
    p.pv_w.push_back(static_cast<std::int64_t>(pv / kSlotMinutes));
    p.site_limit_w.push_back(site.limit_at(k * kSlotMinutes) - site.headroom_w);
    p.price_per_kwh.push_back(site.price_millis_at(k * kSlotMinutes) / 1000.0);
  }
  p.demand_charge_per_kw = static_cast<double>(site.demand_charge_millis_per_kw) / 1000.0;
  OfflineResult r;
  for (const auto &v : fleet) {
    const auto &evse = site.evses[static_cast<std::size_t>(v.evse)];
    energy::ScheduleVehicle sv;
    sv.node = 1 + evse.feeder;
    sv.arrival_slot = (v.arrival + kSlotMinutes - 1) / kSlotMinutes;
    sv.departure_slot = v.departure / kSlotMinutes;
    sv.energy_needed_wh = static_cast<std::int64_t>(v.need_wh());
    sv.max_charge_w = static_cast<std::int64_t>(plannable_w(evse, v, energy::Vehicle(v.spec, v.arrival_soc)));
    sv.weight = v.weight;
    p.vehicles.push_back(sv);
    r.need_wh += static_cast<double>(sv.energy_needed_wh);
  }
  const auto s = energy::schedule(p);
  r.optimal = s.optimal;
  r.status = s.status;
  r.solve_ms = s.solve_ms;
  r.peak_w = static_cast<double>(s.peak_w);
  for (std::size_t k = 0; k < s.import_w.size() && k < r.import_w.size(); ++k)
    r.import_w[k] = static_cast<double>(s.import_w[k]);
  for (std::size_t i = 0; i < p.vehicles.size(); ++i) {
    const double unmet = i < s.unmet_wh.size() ? static_cast<double>(s.unmet_wh[i]) : 0;
    r.delivered_wh += static_cast<double>(p.vehicles[i].energy_needed_wh) - unmet;
    if (unmet <= 250) ++r.needs_met;
  }
  return r;
}

} // namespace gridlane::bench::depot
