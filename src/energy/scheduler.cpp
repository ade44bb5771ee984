// The scheduler's linear programme (docs/energy.md, "Scheduling"), built column by column in
// compressed-column arrays and solved with COIN-OR Clp's dual simplex. The programme is kept in
// kW and kWh so that its coefficients stay near 1 (watts would put 1e6 next to prices of 0.3).
#include "gridlane/energy/scheduler.hpp"

#include <ClpSimplex.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace gridlane::energy {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
//! Ties between equally priced slots go to the earlier one (a plan that charges early leaves
//! room when the next re-plan brings bad news); small enough never to outweigh a real price
//! difference of a cent per kWh over the whole horizon.
constexpr double kEarlierPerSlotPerKwh = 1e-5;
//! Discharging and charging in the same slot cancel out; a tiny cost on each keeps the plan
//! from doing both.
constexpr double kCyclePerKwh = 1e-4;

double kw(std::int64_t w) {
  return static_cast<double>(w) / 1000.0;
}
double limit_kw(std::int64_t w) {
  return w == INT64_MAX ? kInf : kw(w);
}

//! Watts from a solution value in kW, rounded toward zero so that a sum of rounded charges never
//! exceeds the limit the solver met (the 1e-3 W absorbs the solver's tolerance).
std::int64_t to_watts(double value_kw) {
  const double w = value_kw * 1000.0;
  if (w >= 0) return static_cast<std::int64_t>(std::floor(w + 1e-3));
  return -static_cast<std::int64_t>(std::floor(-w + 1e-3));
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
  auto finite = [](const std::vector<double> &v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  };
  if (!finite(p.price_per_kwh) || !finite(p.export_per_kwh) || !std::isfinite(p.demand_charge_per_kw) ||
      !std::isfinite(p.unmet_penalty_per_kwh) || p.demand_charge_per_kw < 0 || p.unmet_penalty_per_kwh <= 0)
    return "a price, charge or penalty is not a finite number in range";
  if (std::any_of(p.site_limit_w.begin(), p.site_limit_w.end(), [](std::int64_t w) { return w < 0; }) ||
      std::any_of(p.pv_w.begin(), p.pv_w.end(), [](std::int64_t w) { return w < 0; }))
    return "a site limit or PV production is negative";
  for (std::size_t n = 0; n < p.nodes.size(); ++n) {
    const auto parent = p.nodes[n].parent;
    if (n == 0 ? parent != -1 : (parent < 0 || static_cast<std::size_t>(parent) >= n))
      return "node " + std::to_string(n) + " has a parent that is not an earlier node";
    if (p.nodes[n].power_limit_w < 0) return "node " + std::to_string(n) + " has a negative limit";
  }
  const auto nodes = std::max<std::size_t>(p.nodes.size(), 1);
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    const auto &veh = p.vehicles[v];
    if (veh.node < 0 || static_cast<std::size_t>(veh.node) >= nodes)
      return "vehicle " + std::to_string(v) + " is under an unknown node";
    if (veh.max_charge_w < 0 || veh.max_discharge_w < 0 || veh.battery_capacity_wh < 0 || veh.initial_energy_wh < 0)
      return "vehicle " + std::to_string(v) + " has a negative power or energy";
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
  std::vector<int> import, overload, exported; //!< per slot; exported -1 when not offered
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

  // Per circuit below the site with a finite limit and a vehicle under it, per slot:
  // -limit <= sum of the net power of the vehicles under it <= limit.
  void node_rows() {
    const auto count = std::max<std::size_t>(p_.nodes.size(), 1);
    std::vector<bool> used(count, false);
    for (const auto &v : p_.vehicles)
      for (int n = v.node; n > 0; n = p_.nodes[static_cast<std::size_t>(n)].parent)
        used[static_cast<std::size_t>(n)] = true;
    node_row_.assign(count, -1);
    for (std::size_t n = 1; n < p_.nodes.size(); ++n) {
      const double limit = limit_kw(p_.nodes[n].power_limit_w);
      if (used[n] && std::isfinite(limit)) node_row_[n] = lp_.add_rows(slots_, -limit, limit);
    }
  }

  void vehicle_columns(const ScheduleVehicle &v) {
    VehicleColumns cols;
    cols.first_slot = std::clamp(v.arrival_slot, 0, slots_);
    cols.last_slot = std::clamp(v.departure_slot, cols.first_slot, slots_);
    const int window = cols.last_slot - cols.first_slot;
    const double need = std::max(0.0, kw(v.energy_needed_wh));
    const bool v2g = v.max_discharge_w > 0 && v.battery_capacity_wh > 0 && window > 0;
    const double capacity = kw(v.battery_capacity_wh);
    const double initial = std::min(kw(v.initial_energy_wh), capacity > 0 ? capacity : kInf);
    // What the battery may take on top of what it holds: its room when its capacity is known,
    // else just its need.
    const double room = capacity > 0 ? std::max(0.0, capacity - initial) : need;

    std::vector<int> path;
    for (int n = v.node; n > 0; n = p_.nodes[static_cast<std::size_t>(n)].parent)
      if (node_row_[static_cast<std::size_t>(n)] >= 0) path.push_back(node_row_[static_cast<std::size_t>(n)]);

    // Without V2G the energy by departure is the sum of the charges: one ranged row
    // need <= sum(h * charge) + short <= max(need, room); `short` is only positive when the sum
    // falls short of the need, so the upper side caps the charges at the battery's room.
    // With V2G a state column per slot carries the energy added so far (within the battery's
    // bounds) and the last one meets the need.
    const int energy_row = lp_.add_rows(1, need, v2g ? kInf : std::max(need, room));
    const int state_rows = v2g ? lp_.add_rows(window, 0, 0) : -1;

    for (int k = 0; k < window; ++k) {
      const int t = cols.first_slot + k;
      const double earlier = kEarlierPerSlotPerKwh * h_ * (t + 1);
      lp_.entry(balance_ + t, -1);
      for (const int row : path)
        lp_.entry(row + t, 1);
      lp_.entry(v2g ? state_rows + k : energy_row, v2g ? -h_ : h_);
      cols.charge.push_back(lp_.close(0, kw(v.max_charge_w), earlier + kCyclePerKwh * h_));
    }
    if (v2g) {
      for (int k = 0; k < window; ++k) {
        const int t = cols.first_slot + k;
        lp_.entry(balance_ + t, 1);
        for (const int row : path)
          lp_.entry(row + t, -1);
        lp_.entry(state_rows + k, h_);
        cols.discharge.push_back(lp_.close(0, kw(v.max_discharge_w), kCyclePerKwh * h_));
      }
      // state[k] - state[k-1] - h * (charge[k] - discharge[k]) = 0, the state being the
      // energy added since arrival: within [-initial, capacity - initial].
      for (int k = 0; k < window; ++k) {
        lp_.entry(state_rows + k, 1);
        if (k + 1 < window)
          lp_.entry(state_rows + k + 1, -1);
        else
          lp_.entry(energy_row, 1);
        lp_.close(-initial, room, 0);
      }
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
      lp_.entry(balance_ + t, 1);
      slot_cols_.overload.push_back(lp_.close(0, kInf, overload_per_kwh * h_));
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
  std::vector<int> node_row_;
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
  const auto &sc = b.slot_cols();
  const double h = b.hours();
  double cost = 0;
  for (std::size_t t = 0; t < slots; ++t) {
    const double imported = x[sc.import[t]] + x[sc.overload[t]];
    s.import_w.push_back(std::llround(imported * 1000.0));
    s.peak_w = std::max(s.peak_w, s.import_w.back());
    cost += (p.price_per_kwh.empty() ? 0.0 : p.price_per_kwh[t]) * imported * h;
    if (sc.exported[t] >= 0) cost -= p.export_per_kwh[t] * x[sc.exported[t]] * h;
  }
  s.cost = cost + p.demand_charge_per_kw * kw(s.peak_w);
  return s;
}

} // namespace

Schedule schedule(const ScheduleProblem &problem) {
  const auto started = std::chrono::steady_clock::now();
  if (auto why = invalid(problem); !why.empty()) return failed(std::move(why));

  Builder builder(problem);
  builder.build();
  const Lp &lp = builder.lp();

  ClpSimplex model;
  model.setLogLevel(0);
  model.loadProblem(lp.columns(), lp.rows(), lp.start.data(), lp.index.data(), lp.value.data(), lp.col_lo.data(),
                    lp.col_hi.data(), lp.cost.data(), lp.row_lo.data(), lp.row_hi.data());
  model.dual();
  if (model.status() != 0) model.primal(1); // from where the dual stopped

  Schedule result =
      model.status() == 0 ? read_solution(problem, builder, model.primalColumnSolution()) : failed(clp_status(model));
  result.solve_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return result;
}

} // namespace gridlane::energy
