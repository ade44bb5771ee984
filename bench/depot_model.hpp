#pragma once
//! The depot day (docs/energy.md, "A depot day"): a site, its fleet and three ways of charging
//! it over one day in 1-minute steps: controlled (energy::schedule every 15 minutes and on every
//! arrival, on the sessions known then, with energy::allocate every minute under the plan),
//! the offline optimum (energy::schedule once with every vehicle of the day: perfect foresight)
//! and uncontrolled (every vehicle takes what it accepts from arrival). Physics in double W/Wh
//! (energy::Vehicle); money only in depot_day.cpp, in core::Decimal.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "gridlane/domain/energy.hpp"
#include "gridlane/energy/vehicle.hpp"

namespace gridlane::bench::depot {

inline constexpr int kMinutes = 24 * 60; //!< the day: 06:00 to 06:00 the next morning
inline constexpr int kSlotMinutes = 15;
inline constexpr int kSlots = kMinutes / kSlotMinutes;
inline constexpr int kStartHour = 6;    //!< minute 0 is 06:00
inline constexpr double kVoltage = 230; //!< phase to neutral

//! A feeder under the grid connection (the tree's middle level).
struct Feeder {
  std::string name;
  std::int64_t phase_limit_ma = 0;
};

//! One EVSE: the bottom of the tree.
struct Evse {
  int feeder = 0;
  domain::PhaseRotation rotation = domain::PhaseRotation::RST;
  bool dc = false;
  std::int64_t max_ma = 32000; //!< AC: per phase; DC: the charger's power over three phases
  std::int64_t max_dc_w = 0;
  bool ignores_profiles = false;
};

enum class Group { OvernightVan, PoolCar, Shuttle, Truck };
const char *group_name(Group g);

//! One vehicle's visit: it plugs into its own EVSE at `arrival` (a minute of the day) and
//! leaves at `departure`; the fleet manager gives the departure and the target state of charge.
struct Visit {
  Group group = Group::OvernightVan;
  int evse = 0;
  int arrival = 0, departure = 0; //!< minutes since 06:00; departure exclusive
  energy::VehicleSpec spec;
  double arrival_soc = 0.2;
  double target_soc = 0.9;
  int weight = 1; //!< the fleet's priority
  double need_wh() const { return (target_soc - arrival_soc) * spec.capacity_wh; }
};

//! The site and its day: limits, forecasts (what the planner sees) and what happens.
struct Site {
  std::int64_t limit_w = 400'000;
  std::int64_t phase_limit_ma = 580'000; //!< 580 A x 230 V x 3 = 400.2 kW
  std::int64_t dr_limit_w = 150'000;     //!< the demand-response event
  int dr_from = (15 - kStartHour) * 60, dr_to = (17 - kStartHour) * 60;
  //! Kept free below the limit for what one minute can change before the next allocation: the
  //! building and PV moving, a station that ignores its profile drawing in its first minute.
  std::int64_t headroom_w = 20'000;
  std::vector<Feeder> feeders;
  std::vector<Evse> evses;
  std::array<double, kMinutes> building_w{}, pv_w{};                   //!< what happens
  std::array<double, kMinutes> building_forecast_w{}, pv_forecast_w{}; //!< what the planner sees
  std::array<int, 24> price_millis_per_kwh{};                          //!< TOU by hour of day, 0.001/kWh
  std::int64_t demand_charge_millis_per_kw = 9000;                     //!< per kW of the month's peak

  std::int64_t limit_at(int minute) const {
    return minute >= dr_from && minute < dr_to ? std::min(limit_w, dr_limit_w) : limit_w;
  }
  int price_millis_at(int minute) const {
    return price_millis_per_kwh[static_cast<std::size_t>(((minute / 60) + kStartHour) % 24)];
  }
};

Site make_site(std::uint32_t seed);
//! `hard_overdraw`: the van behind the station that ignores its profiles arrives at 15:20, while
//! the DR event's limit binds, and takes 22 kW instead of 11.
std::vector<Visit> make_fleet(const Site &site, std::uint32_t seed, bool hard_overdraw = false);

//! What one way of charging did, minute by minute and per vehicle.
struct DayTrace {
  std::string name;
  std::array<double, kMinutes> site_w{}; //!< net import at the grid connection (< 0: export)
  std::array<double, kMinutes> chargers_w{};
  std::array<std::array<double, 3>, kMinutes> phase_ma{}; //!< net per grid phase
  std::vector<double> delivered_wh;                       //!< per visit
  std::vector<double> final_soc;
  int minutes_over_limit = 0;
  double worst_margin_w = 1e18;
  int worst_margin_minute = 0; //!< min over the day of limit - load (< 0: exceeded)
  double worst_phase_margin_ma = 1e18;
  // The controller's own numbers.
  int plans = 0, failed_plans = 0;
  double plan_ms_total = 0, plan_ms_max = 0;
  int allocations = 0;
  double alloc_us_total = 0, alloc_us_max = 0;
  std::vector<double> alloc_us; //!< each allocation's time, for the median and the 99th percentile
  int containments = 0;         //!< overdraws seen and contained
  int first_containment = -1;   //!< the minute the first was seen
};

DayTrace run_uncontrolled(const Site &site, const std::vector<Visit> &fleet);
//! Switches of the controller, to show what each part is worth.
struct ControlOptions {
  bool containment = true; //!< an overdrawing station's draw reserved, the rest re-divided
  //! Stations known (from earlier days) to ignore their profiles are reserved at their rating
  //! from the first minute of a session, then at what they are seen to draw.
  bool known_ignoring = false;
};
DayTrace run_controlled(const Site &site, const std::vector<Visit> &fleet, ControlOptions options = {});

//! The offline optimum: one LP over the day with every visit known in advance.
struct OfflineResult {
  bool optimal = false;
  std::string status;
  double delivered_wh = 0; //!< sum over visits of need - unmet
  double need_wh = 0;
  int needs_met = 0;
  double peak_w = 0;
  double solve_ms = 0;
  std::array<double, kSlots> import_w{};
};
OfflineResult offline_optimum(const Site &site, const std::vector<Visit> &fleet);

} // namespace gridlane::bench::depot
