#pragma once
//! From what a station reported to the periods the engine prices: the energy register readings
//! and the charging-state changes of one session, cut into stretches of charging and parking.
//! Pure, like the engine: the caller loads the samples (services::SessionPricing).
#include <optional>
#include <span>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/core/units.hpp"
#include "gridlane/pricing/engine.hpp"

namespace gridlane::pricing {

//! One reading of the session's meter (an OCPP MeterValues / TransactionEvent sample).
struct MeterPoint {
  core::Timestamp at;
  std::optional<core::Energy> register_wh; //!< Energy.Active.Import.Register
  std::optional<core::Power> power;        //!< Power.Active.Import
  std::optional<core::Current> current;    //!< Current.Import, summed over phases
};

//! The vehicle started or stopped drawing energy at `at` (2.x chargingState; 1.6 status
//! Charging vs SuspendedEV/SuspendedEVSE/Finishing).
struct StateChange {
  core::Timestamp at;
  PeriodState state = PeriodState::Charging;
};

struct SessionSamples {
  core::Timestamp started_at;
  core::Timestamp ended_at; //!< the stop, or "now" for a running session
  core::Energy meter_start;
  std::optional<core::Energy> meter_stop;
  std::vector<MeterPoint> meter;   //!< in any order; outside [started_at, ended_at] ignored
  std::vector<StateChange> states; //!< in any order; before the first, the session charges
};

//! The session as consecutive periods: a new period at every state change, energy shared out
//! by the register readings (linearly between two readings that straddle a cut), the total
//! equal to meter_stop - meter_start when both are known. Never negative energy. Without any
//! power sample, the mean power between two register readings stands for the power.
std::vector<SessionPeriod> build_periods(const SessionSamples &samples);

//! The periods up to `until` (a first-hour-free coupon prices the session's first hour): those
//! that end by then whole, the one that straddles it cut there with the share of its energy
//! that its part before `until` is of its time (rounded down to the Wh), nothing after it.
std::vector<SessionPeriod> periods_until(std::span<const SessionPeriod> periods, core::Timestamp until);

} // namespace gridlane::pricing
