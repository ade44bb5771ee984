#pragma once
//! Availability and uptime (docs/operations.md "Availability and uptime"): an EVSE's state over
//! time, its outages and their classification, and the uptime arithmetic of the US NEVI rule
//! (23 CFR 680.116(b)). The arithmetic is pure (no store, clock or JSON) and exact: durations in
//! integer milliseconds, percentages as core::Decimal.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/names.hpp"
#include "gridlane/domain/operations.hpp"

namespace gridlane::domain {

//! What an EVSE (a charging port) is doing, as the timeline records it.
enum class EvseState {
  Available,   //!< free to use (1.6/2.x Available, Reserved)
  Charging,    //!< in use (Preparing, Charging, Suspended*, Finishing, Occupied)
  Faulted,     //!< a connector reported Faulted
  Unavailable, //!< taken out of service (Unavailable)
  Offline,     //!< its station counts as offline (domain::StationOffline)
};
inline constexpr NameTable<EvseState, 5> evse_states{{
    {EvseState::Available, "available"},
    {EvseState::Charging, "charging"},
    {EvseState::Faulted, "faulted"},
    {EvseState::Unavailable, "unavailable"},
    {EvseState::Offline, "offline"},
}};

//! A port is up (NEVI: "online and available for use, or in use") in these states; any other is
//! an outage.
constexpr bool is_up(EvseState s) {
  return s == EvseState::Available || s == EvseState::Charging;
}

//! One connector's status as an EVSE state.
EvseState evse_state_of(ConnectorStatus s);
//! An EVSE's state from its connectors' statuses: one connector that can charge keeps the port up
//! (in use before free, then faulted before unavailable). No connector known: Available.
EvseState combine_connectors(std::span<const ConnectorStatus> statuses);

//! Why an outage does not count against uptime: reasons outside the operator's control that
//! 23 CFR 680.116(b)(3) lets an operator exclude, with a justification.
enum class ExclusionReason {
  GridOutage,            //!< electric utility service interruption, failure or disruption
  NaturalDisaster,       //!< natural disaster, force majeure
  Vandalism,             //!< vandalism or theft
  PlannedMaintenance,    //!< scheduled maintenance
  VehicleFault,          //!< the vehicle, not the port, failed to charge
  OutsideOperatingHours, //!< outside the station's hours of operation
};
inline constexpr NameTable<ExclusionReason, 6> exclusion_reasons{{
    {ExclusionReason::GridOutage, "grid_outage"},
    {ExclusionReason::NaturalDisaster, "natural_disaster"},
    {ExclusionReason::Vandalism, "vandalism"},
    {ExclusionReason::PlannedMaintenance, "planned_maintenance"},
    {ExclusionReason::VehicleFault, "vehicle_fault"},
    {ExclusionReason::OutsideOperatingHours, "outside_operating_hours"},
}};

//! One stretch of an EVSE's timeline.
struct EvseStateSpan {
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  EvseState state = EvseState::Available;
  Timestamp since;
  std::optional<Timestamp> until; //!< none: the current state
};

//! An operator's classification of an outage as excluded.
struct OutageExclusion {
  ExclusionReason reason = ExclusionReason::GridOutage;
  std::string justification;
  std::string by; //!< the operator (user name or API key) who classified it
  Timestamp at;
};

//! A maximal stretch during which an EVSE was not up.
struct Outage {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  EvseState cause = EvseState::Offline; //!< the state that began it
  std::optional<std::string> detail;    //!< the offline reason, the connector's error code
  Timestamp started;
  std::optional<Timestamp> ended; //!< none: still going on
  std::optional<OutageExclusion> exclusion;
};

// ---- uptime (NEVI, 23 CFR 680.116(b)) -----------------------------------------------------------

//! [from, to), UTC.
struct Period {
  Timestamp from;
  Timestamp to;
};

//! A calendar month in a zone: from local midnight of its first day to local midnight of the
//! next month's (a month with a daylight-saving change is an hour shorter or longer).
core::TzResult<Period> month_period(const core::TimeZone &zone, int year, int month);

//! What one outage contributes: where it lies and whether it is excluded.
struct OutageSpan {
  Timestamp started;
  std::optional<Timestamp> ended; //!< none: going on (counted until `now`)
  bool excluded = false;
};

//! Uptime of one port, or of several ports summed (a station, a location).
struct Uptime {
  std::int64_t ports = 0;
  std::int64_t period_ms = 0;   //!< T: the period (up to now), summed over the ports
  std::int64_t outage_ms = 0;   //!< T_outage: time not up, within the period
  std::int64_t excluded_ms = 0; //!< T_excluded: of that, in outages classified as excluded
  //! ((T - (T_outage - T_excluded)) / T) x 100, rounded down to two decimals (a port just under
  //! 97 % never reads 97.00); 100 for an empty period.
  core::Decimal percent() const;
  Uptime &operator+=(const Uptime &o);
};

//! One port's uptime over `period`, counted up to `now` (a period not over yet counts only its
//! past). Overlapping outages count once; an excluded stretch counts as excluded once.
Uptime port_uptime(const Period &period, std::span<const OutageSpan> outages, Timestamp now);

//! ((period - (outage - excluded)) / period) x 100, rounded down to two decimals.
core::Decimal uptime_percent(std::int64_t period_ms, std::int64_t counted_outage_ms);
//! Milliseconds as minutes, exactly when a whole number of hundredths, else rounded half up to two.
core::Decimal minutes_of(std::int64_t ms);

} // namespace gridlane::domain
