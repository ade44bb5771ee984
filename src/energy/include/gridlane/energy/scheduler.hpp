#pragma once
//! The scheduler (docs/energy.md, "Scheduling"): a linear programme over a horizon of equal
//! slots (e.g. 96 x 15 min) that meets every vehicle's energy need by its departure within the
//! site's limits at the least cost (time-of-use energy price, peak demand charge, PV
//! self-consumption), solved with COIN-OR Clp. Pure: the energy manager re-plans with it as
//! forecasts and sessions change (model-predictive: only the first slot is applied, then the
//! plan is made again).
//!
//! Variables per vehicle and slot: charge power (>= 0) and, for a bidirectional one, discharge
//! power (>= 0); per slot, grid import and export; one peak variable; per vehicle, the energy
//! short of its need (penalised far above any price, so it is only used when the need cannot
//! be met). Constraints: each node's power limit per slot over the vehicles below it; the site
//! balance (import - export = chargers + building - pv - battery); import <= the site limit
//! (after DR events); peak >= import; a vehicle's energy by departure + short >= need; its
//! state of charge within [0, capacity] at every slot end when it discharges.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gridlane::energy {

struct ScheduleNode {
  int parent = -1;                        //!< 0 is the site; parents have smaller indices
  std::int64_t power_limit_w = INT64_MAX; //!< the same in every slot (AC current limits x voltage x phases)
};

struct ScheduleVehicle {
  int node = 0;
  int arrival_slot = 0;   //!< first slot it may charge in
  int departure_slot = 0; //!< first slot it is gone (exclusive); <= horizon
  std::int64_t energy_needed_wh = 0;
  std::int64_t max_charge_w = 0;
  std::int64_t min_charge_w = 0;        //!< when charging at all (6 A x phases x V); 0: continuous
  std::int64_t max_discharge_w = 0;     //!< > 0: may discharge (V2G)
  std::int64_t battery_capacity_wh = 0; //!< for V2G: state-of-charge bounds
  std::int64_t initial_energy_wh = 0;   //!< for V2G: energy in the battery at arrival
  int weight = 1;                       //!< the priority: an unmet need of a heavier vehicle costs more
};

struct ScheduleProblem {
  int slots = 96;
  std::int64_t slot_seconds = 900;
  std::vector<ScheduleNode> nodes; //!< at least the site
  std::vector<ScheduleVehicle> vehicles;
  //! Per slot (size `slots` each; an empty vector: zero everywhere or, for the limit, none).
  std::vector<std::int64_t> site_limit_w; //!< grid import limit, DR events applied
  std::vector<std::int64_t> building_w;
  std::vector<std::int64_t> pv_w;
  std::vector<double> price_per_kwh;  //!< import price (an LP coefficient, not money)
  std::vector<double> export_per_kwh; //!< what exporting earns (0: PV surplus is curtailed)
  double demand_charge_per_kw = 0;    //!< on the horizon's peak import
  double unmet_penalty_per_kwh = 1000;
};

struct Schedule {
  bool optimal = false;
  std::string status; //!< Clp's status in words when not optimal
  //! [vehicle][slot] power in W: > 0 charging, < 0 discharging.
  std::vector<std::vector<std::int64_t>> power_w;
  std::vector<std::int64_t> unmet_wh; //!< per vehicle
  std::vector<std::int64_t> import_w; //!< per slot
  std::int64_t peak_w = 0;
  double cost = 0; //!< the objective: energy bought - sold + demand charge (no penalties)
  double solve_ms = 0;
};

//! Solves the problem. A problem that has no vehicle gives an optimal empty schedule.
Schedule schedule(const ScheduleProblem &problem);

} // namespace gridlane::energy
