#pragma once
//! The reports' roll-up arithmetic (docs/operations.md "Reports"), pure: what one ended session
//! adds to its EVSE's local days and hours and to its location's quarter hours. No store, no
//! clock; the zone is the location's.
#include <array>
#include <optional>
#include <vector>

#include "gridlane/core/tz.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/store/reports.hpp"

namespace gridlane::services {

//! Energy delivered since the session's start, at an instant.
struct EnergyPoint {
  core::Timestamp at;
  std::int64_t wh = 0;
};

//! A session as the roll-up sees it.
struct SessionSpan {
  core::Timestamp start;
  core::Timestamp stop;
  std::int64_t energy_wh = 0;
  //! Readings of the session's energy register (Wh since start), any order; may be empty.
  std::vector<EnergyPoint> readings;
  std::optional<domain::SessionFailure> failure;
};

struct Rollup {
  std::vector<domain::ReportDayDelta> days;         //!< by day, ascending
  std::vector<domain::ReportQuarterDelta> quarters; //!< by quarter, ascending
};

//! Splits a session over the local days and hours of `zone` (occupied: start to stop; charging:
//! the stretches where the register rose) and its energy over UTC quarter hours: linearly between
//! consecutive register readings, over the whole session when there are none. Energy sums exactly
//! to energy_wh. The session counts (and its failure) on the local day it started.
Rollup roll_up(const SessionSpan &session, const core::TimeZone &zone);

//! The local date of an instant in `zone`, as days since 1970-01-01.
std::int64_t local_day(core::Timestamp at, const core::TimeZone &zone);
//! Days since 1970-01-01 of a civil date, and back.
std::int64_t days_from_civil(int year, int month, int day);
core::LocalDateTime civil_from_days(std::int64_t days);
//! The length of each local hour of a local day (0 for an hour a spring-forward change skips,
//! 2 h for the hour a fall-back change repeats), in milliseconds.
std::array<std::int64_t, 24> hour_lengths(std::int64_t day, const core::TimeZone &zone);

//! Whether and why an ended session failed: its start was not authorised; it was stopped by a
//! fault or cut by a reset; or it delivered no energy (EV disconnected, timeout, other).
std::optional<domain::SessionFailure> classify_session(const domain::Transaction &t);

//! The session as the roll-up sees it: station times, energy, the register readings among
//! `samples` (total Energy.Active.Import.Register only), its classification.
SessionSpan session_span(const domain::Transaction &t, const std::vector<domain::MeterSample> &samples);

} // namespace gridlane::services
