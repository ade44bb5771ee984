// The scheduler's linear programme (docs/energy.md, "Scheduling"), built column by column in
// compressed-column arrays and solved with COIN-OR Clp's dual simplex. The programme is kept in
// kW and kWh so that its coefficients stay near 1 (watts would put 1e6 next to prices of 0.3).
#include "gridlane/energy/scheduler.hpp"

#include <ClpSimplex.hpp>
#include <CoinError.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace gridlane::energy {
namespace {

constexpr double kInf = std::numeric_limits<double>::max(); //!< COIN_DBL_MAX: what Clp takes for no bound
//! Ties between equally priced slots go to the earlier one (a plan that charges early leaves
//! room when the next re-plan brings bad news); small enough never to outweigh a real price
//! difference of a cent per kWh over the whole horizon.
constexpr double kEarlierPerSlotPerKwh = 1e-5;
//! Discharging and charging in the same slot cancel out; a tiny cost on each keeps the plan
//! from doing both.
constexpr double kCyclePerKwh = 1e-4;
//! What a plan accepts: 10 GW or GWh in any one figure, a price of a million a kWh.
constexpr std::int64_t kMaxWatts = 10'000'000'000;
constexpr double kMaxPrice = 1e6;
//! From this many columns on the programme is solved with the interior-point method (see solve()).
constexpr int kInteriorFromColumns = 4000;

double kw(std::int64_t w) {
  return static_cast<double>(w) / 1000.0;
}
double limit_kw(std::int64_t w) {
  return w == INT64_MAX ? kInf : kw(w);
}

//! Watts from a solution value in kW, rounded toward zero (the 1e-3 W absorbs the solver's
//! tolerance); trim_to_limits() takes off what rounding and tolerances still leave over a limit.
std::int64_t to_watts(double value_kw) {
  const double w = value_kw * 1000.0;
  if (w >= 0) return static_cast<std::int64_t>(std::floor(w + 1e-3));
  return -static_cast<std::int64_t>(std::floor(-w + 1e-3));
}

//! Moves the powers of the vehicles in `below` toward zero by `excess` W in total (> 0: less
//! charging; < 0: less discharging).
void take_off(std::vector<std::vector<std::int64_t>> &power, const std::vector<std::size_t> &below, std::size_t t,
              std::int64_t excess) {
  for (auto it = below.begin(); it != below.end() && excess != 0; ++it) {
    std::int64_t &w = power[*it][t];
    const std::int64_t by =
        excess > 0 ? std::min(std::max<std::int64_t>(w, 0), excess) : std::max(std::min<std::int64_t>(w, 0), excess);
    w -= by;
    excess -= by;
  }
}

//! A plan in whole watts holds every limit to the watt: the solver meets them within its
//! tolerances (1e-7 kW for the simplex, more for the interior-point method) and rounding a
//! discharge toward zero raises a sum. Circuits first, deepest first, then the site's import
//! (building - PV + the vehicles) where the building alone is within the limit.
void trim_to_limits(const ScheduleProblem &p, Schedule &s) {
  const std::size_t count = p.nodes.size();
  std::vector<std::vector<std::size_t>> below(std::max<std::size_t>(count, 1));
  for (std::size_t v = 0; v < p.vehicles.size(); ++v)
    for (int n = p.vehicles[v].node; n >= 0 && count > 0; n = p.nodes[static_cast<std::size_t>(n)].parent)
      below[static_cast<std::size_t>(n)].push_back(v);
  const auto sum = [&s](const std::vector<std::size_t> &vehicles, std::size_t t) {
    std::int64_t total = 0;
    for (const auto v : vehicles)
      total += s.power_w[v][t];
    return total;
  };
  for (std::size_t t = 0; t < static_cast<std::size_t>(p.slots); ++t) {
    for (std::size_t n = count; n-- > 1;) {
      const std::int64_t limit = p.nodes[n].power_limit_w;
      if (limit == INT64_MAX || below[n].empty()) continue;
      const std::int64_t net = sum(below[n], t);
      if (net > limit) take_off(s.power_w, below[n], t, net - limit);
      if (net < -limit) take_off(s.power_w, below[n], t, net + limit);
    }
    std::int64_t limit = count > 0 ? p.nodes[0].power_limit_w : INT64_MAX;
    if (!p.site_limit_w.empty()) limit = std::min(limit, p.site_limit_w[t]);
    const std::int64_t base = (p.building_w.empty() ? 0 : p.building_w[t]) - (p.pv_w.empty() ? 0 : p.pv_w[t]);
    if (limit == INT64_MAX || base > limit) continue;
    if (const std::int64_t over = base + sum(below[0], t) - limit; over > 0) take_off(s.power_w, below[0], t, over);
  }
}

Schedule failed(std::string why) {
  Schedule s;
  s.status = std::move(why);
  return s;
}

//! Checks the shape of the problem; an empty string when it can be solved.
std::string invalid(const ScheduleProblem &p) {
  if (p.slots <= 0 || p.slots > 10'000) return "slots must be 1..10000";
  if (p.slot_seconds <= 0 || p.slot_seconds > 86'400) return "slot_seconds must be 1..86400";
  const auto slots = static_cast<std::size_t>(p.slots);
  auto bad_length = [slots](const auto &series) { return !series.empty() && series.size() != slots; };
  if (bad_length(p.site_limit_w) || bad_length(p.building_w) || bad_length(p.pv_w) || bad_length(p.price_per_kwh) ||
      bad_length(p.export_per_kwh))
    return "a per-slot series does not have one value per slot";
  const auto price = [](double x) { return std::isfinite(x) && std::abs(x) <= kMaxPrice; };
  const auto prices = [&price](const std::vector<double> &v) { return std::all_of(v.begin(), v.end(), price); };
  if (!prices(p.price_per_kwh) || !prices(p.export_per_kwh) || !price(p.demand_charge_per_kw) ||
      !price(p.unmet_penalty_per_kwh) || p.demand_charge_per_kw < 0 || p.unmet_penalty_per_kwh <= 0)
    return "a price, charge or penalty is not a finite number in range";
  // Watts in range, INT64_MAX standing for no limit where a limit is meant.
  const auto watts = [](std::int64_t w, bool limit) { return w >= 0 && (w <= kMaxWatts || (limit && w == INT64_MAX)); };
  const auto series = [&watts](const std::vector<std::int64_t> &v, bool limit) {
    return std::all_of(v.begin(), v.end(), [&watts, limit](std::int64_t w) { return watts(w, limit); });
  };
  if (!series(p.site_limit_w, true) || !series(p.pv_w, false) || !series(p.building_w, false))
    return "a site limit, building load or PV production is negative or above 10 GW";
  for (std::size_t n = 0; n < p.nodes.size(); ++n) {
    const auto parent = p.nodes[n].parent;
    if (n == 0 ? parent != -1 : (parent < 0 || static_cast<std::size_t>(parent) >= n))
      return "node " + std::to_string(n) + " has a parent that is not an earlier node";
    if (!watts(p.nodes[n].power_limit_w, true))
      return "node " + std::to_string(n) + " has a limit that is negative or above 10 GW";
  }
  const auto nodes = std::max<std::size_t>(p.nodes.size(), 1);
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    const auto &veh = p.vehicles[v];
    if (veh.node < 0 || static_cast<std::size_t>(veh.node) >= nodes)
      return "vehicle " + std::to_string(v) + " is under an unknown node";
    if (!watts(veh.max_charge_w, false) || !watts(veh.max_discharge_w, false) ||
        !watts(veh.battery_capacity_wh, false) || !watts(veh.initial_energy_wh, false) ||
        veh.energy_needed_wh > kMaxWatts || veh.min_charge_w > kMaxWatts)
      return "vehicle " + std::to_string(v) + " has a power or energy that is negative or above 10 GW(h)";
  }
  return {};
}

//! The programme in compressed-column form, filled one column at a time.
struct Lp {
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value;
  std::vector<double> col_lo, col_hi, cost;
  std::vector<double> row_lo, row_hi;

  int add_rows(int count, double lo, double hi) {
    const auto first = static_cast<int>(row_lo.size());
    row_lo.insert(row_lo.end(), static_cast<std::size_t>(count), lo);
    row_hi.insert(row_hi.end(), static_cast<std::size_t>(count), hi);
    return first;
  }
  void entry(int row, double v) {
    index.push_back(row);
    value.push_back(v);
  }
  //! Closes the column whose entries were just added; returns its index.
  int close(double lo, double hi, double c) {
    col_lo.push_back(lo);
    col_hi.push_back(hi);
    cost.push_back(c);
    start.push_back(static_cast<CoinBigIndex>(index.size()));
    return static_cast<int>(col_lo.size()) - 1;
  }
  int columns() const { return static_cast<int>(col_lo.size()); }
  int rows() const { return static_cast<int>(row_lo.size()); }
};

//! Where each vehicle's columns went, to read the solution back.
struct VehicleColumns {
  int first_slot = 0, last_slot = 0;  //!< the window [first, last)
  std::vector<int> charge, discharge; //!< per slot of the window; discharge empty unless V2G
  int shortfall = -1;
};

struct SlotColumns {
  std::vector<int> import, overload, exported; //!< per slot; overload and exported -1 when absent
  int peak = -1;
};

std::string clp_status(const ClpSimplex &model) {
  switch (model.status()) {
  case 0: return "optimal";
  case 1: return "primal infeasible";
  case 2: return "dual infeasible (unbounded)";
  case 3: return "stopped on iterations or time";
  case 4: return "stopped on difficulties";
  default: return "stopped (status " + std::to_string(model.status()) + ")";
  }
}

class Builder {
public:
  explicit Builder(const ScheduleProblem &p)
      : p_(p), slots_(p.slots), h_(static_cast<double>(p.slot_seconds) / 3600.0) {}

  void build() {
    balance_rows();
    peak_rows();
    node_rows();
    for (const auto &v : p_.vehicles)
      vehicle_columns(v);
    slot_columns();
  }

  const Lp &lp() const { return lp_; }
  const std::vector<VehicleColumns> &vehicles() const { return vehicles_; }
  const SlotColumns &slot_cols() const { return slot_cols_; }
  double hours() const { return h_; }

private:
  template <typename T> static T at(const std::vector<T> &series, int t, T otherwise) {
    return series.empty() ? otherwise : series[static_cast<std::size_t>(t)];
  }

  // Per slot: import + overload - export - curtailed - sum(charge - discharge) = building - pv.
  void balance_rows() {
    balance_ = lp_.rows();
    for (int t = 0; t < slots_; ++t) {
      const double base = kw(at<std::int64_t>(p_.building_w, t, 0) - at<std::int64_t>(p_.pv_w, t, 0));
      lp_.add_rows(1, base, base);
    }
  }

  // Per slot: peak - import >= 0, only when the peak costs something.
  void peak_rows() {
    if (p_.demand_charge_per_kw <= 0) return;
    peak_ = lp_.add_rows(slots_, 0, kInf);
  }

  // Per circuit below the site and slot where its limit can bind:
  // -limit <= sum of the net power of the vehicles under it <= limit. A row is left out when
  // what can flow below the circuit in that slot (its vehicles present, each at its most, and
  // its sub-circuits, each at most at its limit) is within its limit anyway; with every circuit
  // of a feeder within the feeder's limit, the feeder needs no row at all.
  void node_rows() {
    const auto count = std::max<std::size_t>(p_.nodes.size(), 1);
    const auto slots = static_cast<std::size_t>(slots_);
    std::vector<double> below(count * slots, 0.0); // kW that can flow under a node in a slot
    for (const auto &v : p_.vehicles) {
      const double most = std::max(kw(v.max_charge_w), v.battery_capacity_wh > 0 ? kw(v.max_discharge_w) : 0.0);
      const int from = std::clamp(v.arrival_slot, 0, slots_);
      const int to = std::clamp(v.departure_slot, from, slots_);
      for (int t = from; t < to; ++t)
        below[static_cast<std::size_t>(v.node) * slots + static_cast<std::size_t>(t)] += most;
    }
    node_row_.assign(count * slots, -1);
    for (std::size_t n = count - 1; n >= 1; --n) {
      const double limit = limit_kw(p_.nodes[n].power_limit_w);
      const auto up = static_cast<std::size_t>(p_.nodes[n].parent) * slots;
      for (std::size_t t = 0; t < slots; ++t) {
        double &flow = below[n * slots + t];
        if (flow > limit) {
          node_row_[n * slots + t] = lp_.add_rows(1, -limit, limit);
          flow = limit;
        }
        below[up + t] += flow;
      }
    }
  }

  void vehicle_columns(const ScheduleVehicle &v) {
    VehicleColumns cols;
    cols.first_slot = std::clamp(v.arrival_slot, 0, slots_);
    cols.last_slot = std::clamp(v.departure_slot, cols.first_slot, slots_);
    const int window = cols.last_slot - cols.first_slot;
    const double need = std::max(0.0, kw(v.energy_needed_wh));
    const double capacity = kw(v.battery_capacity_wh);
    const double initial = std::min(kw(v.initial_energy_wh), capacity > 0 ? capacity : kInf);
    // What the battery may take on top of what it holds: its room when its capacity is known,
    // else just its need.
    const double room = capacity > 0 ? std::max(0.0, capacity - initial) : need;
    const double max_in = kw(v.max_charge_w);
    const double max_out = capacity > 0 ? kw(v.max_discharge_w) : 0.0;
    // The battery's bounds need a state only where they can be reached: from the first slot k0
    // by whose end charging at full could fill it or discharging at full could empty it.
    int k0 = window;
    if (max_out > 0) {
      const double fills = max_in > 0 ? std::floor(room / (max_in * h_)) : kInf;
      const double empties = std::floor(initial / (max_out * h_));
      k0 = static_cast<int>(std::min({static_cast<double>(window), fills, empties}));
    }
    const bool stateful = k0 < window;

    std::vector<std::size_t> path; // the circuits above it, as offsets into node_row_
    for (int n = v.node; n > 0; n = p_.nodes[static_cast<std::size_t>(n)].parent)
      path.push_back(static_cast<std::size_t>(n) * static_cast<std::size_t>(slots_));

    // Without a state the energy by departure is the sum of the slots: one ranged row
    // need <= sum(h * (charge - discharge)) + short <= max(need, room); `short` is only positive
    // when the sum falls short of the need, so the upper side caps the charges at the battery's
    // room. With one, a state column per slot from k0 on carries the energy added since arrival
    // (within [-initial, room]) and the last one meets the need.
    const int energy_row = lp_.add_rows(1, need, stateful ? kInf : std::max(need, room));
    const int state_rows = stateful ? lp_.add_rows(window - k0, 0, 0) : -1;
    const auto sum_row = [&](int k) { return stateful ? state_rows + std::max(k - k0, 0) : energy_row; };

    for (int k = 0; k < window; ++k) {
      const int t = cols.first_slot + k;
      const double earlier = kEarlierPerSlotPerKwh * h_ * (t + 1);
      lp_.entry(balance_ + t, -1);
      for (const auto at : path)
        if (const int row = node_row_[at + static_cast<std::size_t>(t)]; row >= 0) lp_.entry(row, 1);
      lp_.entry(sum_row(k), stateful ? -h_ : h_);
      cols.charge.push_back(lp_.close(0, max_in, earlier + kCyclePerKwh * h_));
    }
    if (max_out > 0) {
      for (int k = 0; k < window; ++k) {
        const int t = cols.first_slot + k;
        lp_.entry(balance_ + t, 1);
        for (const auto at : path)
          if (const int row = node_row_[at + static_cast<std::size_t>(t)]; row >= 0) lp_.entry(row, -1);
        lp_.entry(sum_row(k), stateful ? h_ : -h_);
        cols.discharge.push_back(lp_.close(0, max_out, kCyclePerKwh * h_));
      }
    }
    // state[k] - state[k-1] - h * (charge[k] - discharge[k]) = 0 for k > k0; state[k0] sums the
    // slots up to k0.
    for (int k = k0; stateful && k < window; ++k) {
      lp_.entry(sum_row(k), 1);
      lp_.entry(k + 1 < window ? sum_row(k + 1) : energy_row, k + 1 < window ? -1 : 1);
      lp_.close(-initial, room, 0);
    }
    if (need > 0) {
      lp_.entry(energy_row, 1);
      const double penalty = p_.unmet_penalty_per_kwh * std::max(1, v.weight);
      cols.shortfall = lp_.close(0, need, penalty);
    }
    vehicles_.push_back(std::move(cols));
  }

  void slot_columns() {
    const double site = p_.nodes.empty() ? kInf : limit_kw(p_.nodes[0].power_limit_w);
    // Importing above the limit (only possible when the building alone exceeds it) costs more
    // than any unmet need, so the plan never charges into it and discharges to reduce it.
    int heaviest = 1;
    for (const auto &v : p_.vehicles)
      heaviest = std::max(heaviest, v.weight);
    const double overload_per_kwh = 10.0 * p_.unmet_penalty_per_kwh * heaviest;
    for (int t = 0; t < slots_; ++t) {
      const double limit = std::min(site, limit_kw(at<std::int64_t>(p_.site_limit_w, t, INT64_MAX)));
      const double price = at<double>(p_.price_per_kwh, t, 0);
      lp_.entry(balance_ + t, 1);
      if (peak_ >= 0) lp_.entry(peak_ + t, -1);
      slot_cols_.import.push_back(lp_.close(0, limit, price * h_));
      // Only when the building alone is above the limit (otherwise charging nothing fits).
      if (kw(at<std::int64_t>(p_.building_w, t, 0) - at<std::int64_t>(p_.pv_w, t, 0)) > limit) {
        lp_.entry(balance_ + t, 1);
        slot_cols_.overload.push_back(lp_.close(0, kInf, overload_per_kwh * h_));
      } else {
        slot_cols_.overload.push_back(-1);
      }
      const double earns = at<double>(p_.export_per_kwh, t, 0);
      if (earns > 0) {
        lp_.entry(balance_ + t, -1);
        slot_cols_.exported.push_back(lp_.close(0, site, -earns * h_));
      } else {
        slot_cols_.exported.push_back(-1);
      }
      // PV that is neither used nor sold is curtailed.
      const double pv = kw(at<std::int64_t>(p_.pv_w, t, 0));
      if (pv > 0) {
        lp_.entry(balance_ + t, -1);
        lp_.close(0, pv, 0);
      }
    }
    if (peak_ >= 0) {
      for (int t = 0; t < slots_; ++t)
        lp_.entry(peak_ + t, 1);
      slot_cols_.peak = lp_.close(0, kInf, p_.demand_charge_per_kw);
    }
  }

  const ScheduleProblem &p_;
  int slots_;
  double h_;
  Lp lp_;
  int balance_ = 0, peak_ = -1;
  std::vector<int> node_row_; //!< per node and slot (node * slots + slot): its row, or -1
  std::vector<VehicleColumns> vehicles_;
  SlotColumns slot_cols_;
};

Schedule read_solution(const ScheduleProblem &p, const Builder &b, const double *x) {
  Schedule s;
  s.optimal = true;
  const auto slots = static_cast<std::size_t>(p.slots);
  s.power_w.reserve(p.vehicles.size());
  for (const auto &cols : b.vehicles()) {
    std::vector<std::int64_t> row(slots, 0);
    for (std::size_t k = 0; k < cols.charge.size(); ++k) {
      double net = x[cols.charge[k]];
      if (!cols.discharge.empty()) net -= x[cols.discharge[k]];
      row[static_cast<std::size_t>(cols.first_slot) + k] = to_watts(net);
    }
    s.power_w.push_back(std::move(row));
    const double short_kwh = cols.shortfall >= 0 ? x[cols.shortfall] : 0.0;
    s.unmet_wh.push_back(std::max<std::int64_t>(0, std::llround(short_kwh * 1000.0)));
  }
  trim_to_limits(p, s);
  const auto &sc = b.slot_cols();
  const double h = b.hours();
  double cost = 0;
  for (std::size_t t = 0; t < slots; ++t) {
    const double imported = x[sc.import[t]] + (sc.overload[t] >= 0 ? x[sc.overload[t]] : 0.0);
    s.import_w.push_back(std::llround(imported * 1000.0));
    s.peak_w = std::max(s.peak_w, s.import_w.back());
    cost += (p.price_per_kwh.empty() ? 0.0 : p.price_per_kwh[t]) * imported * h;
    if (sc.exported[t] >= 0) cost -= p.export_per_kwh[t] * x[sc.exported[t]] * h;
  }
  s.cost = cost + p.demand_charge_per_kw * kw(s.peak_w);
  return s;
}

//! Solves the programme: small ones with the dual simplex, whose vertex honours the tie-breaks
//! exactly; large ones (a day for hundreds of vehicles) with Clp's interior-point method without
//! crossover, about twice as fast there, its solution optimal within the solver's tolerances
//! (ties are then shared rather than broken). Either falls back to the simplex from scratch.
bool solve(const Lp &lp, ClpSimplex &model) {
  const auto load = [&lp](ClpSimplex &m) {
    m.setLogLevel(0);
    m.loadProblem(lp.columns(), lp.rows(), lp.start.data(), lp.index.data(), lp.value.data(), lp.col_lo.data(),
                  lp.col_hi.data(), lp.cost.data(), lp.row_lo.data(), lp.row_hi.data());
  };
  load(model);
  if (lp.columns() >= kInteriorFromColumns) {
    model.barrier(false);
    if (model.status() == 0) return true;
    model = ClpSimplex();
    load(model);
  }
  // The plan's slots are full of ties (vehicles that could equally take a slot's power):
  // perturbing the costs from the start roughly halves the dual simplex's iterations.
  model.setPerturbation(50);
  model.dual();
  if (model.status() != 0) model.primal(1); // from where the dual stopped
  return model.status() == 0;
}

} // namespace

Schedule schedule(const ScheduleProblem &problem) {
  const auto started = std::chrono::steady_clock::now();
  if (auto why = invalid(problem); !why.empty()) return failed(std::move(why));

  Schedule result;
  try {
    Builder builder(problem);
    builder.build();
    ClpSimplex model;
    result = solve(builder.lp(), model) ? read_solution(problem, builder, model.primalColumnSolution())
                                        : failed(clp_status(model));
  } catch (const CoinError &e) { // Clp's own exception: a plan that could not be made, not a crash
    result = failed("solver error: " + e.message());
  }
  result.solve_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

} // namespace gridlane::energy
