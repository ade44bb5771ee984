#pragma once
//! The reports' daily roll-ups (migration 0031, docs/operations.md "Reports"): what one ended
//! session adds to its EVSE's local days and its location's quarter hours, and the sums the
//! reports read. Days are local dates in the location's zone, counted from 1970-01-01.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::domain {

//! Why a session counts as failed (services/report_rollup.cpp classify_session decides).
enum class SessionFailure {
  StartRejected,  //!< its start was not authorised (the station was told Invalid, Blocked, ...)
  Fault,          //!< stopped by a fault: emergency stop, ground fault, overcurrent, power loss ...
  Reset,          //!< cut by a reset or reboot of the station
  EVDisconnected, //!< the EV left before any energy flowed
  Timeout,        //!< timed out (no EV connected, no authorisation) before any energy flowed
  NoEnergy,       //!< ended any other way with no energy delivered
};
inline constexpr std::size_t session_failure_count = 6; //!< names: services::session_failures

//! What one session adds to one local day of its EVSE.
struct ReportDayDelta {
  std::int64_t day = 0;
  std::int64_t sessions = 0;   //!< 1 on the day it started
  std::int64_t successful = 0; //!< 1 on the day it started, when it did not fail
  std::array<std::int64_t, session_failure_count> failed{};
  std::int64_t energy_wh = 0;
  std::array<std::int64_t, 24> occupied_ms{}; //!< per local hour
  std::array<std::int64_t, 24> charging_ms{};
};

//! Energy of one session in one UTC quarter hour, and the local day that quarter starts in.
struct ReportQuarterDelta {
  std::int64_t quarter = 0; //!< Unix seconds / 900
  std::int64_t day = 0;
  std::int64_t energy_wh = 0;
};

//! The EVSE a roll-up belongs to.
struct ReportEvseKey {
  std::string location_id; //!< "" without a location
  core::StationId station = core::StationId::unchecked("");
  int evse_id = 0;
};

//! What the reports select: days from..to inclusive; a location and/or a station.
struct RollupFilter {
  std::int64_t from_day = 0;
  std::int64_t to_day = 0;
  std::optional<std::string> location;
  std::optional<core::StationId> station;
};

//! Per EVSE over the filter's days: occupied and charging time by local hour, by ISO weekday.
struct ReportEvseTimes {
  ReportEvseKey evse;
  std::array<std::int64_t, 24> occupied_by_hour{};
  std::array<std::int64_t, 24> charging_by_hour{};
  std::array<std::int64_t, 7> occupied_by_weekday{}; //!< Monday first
  std::array<std::int64_t, 7> charging_by_weekday{};
};

//! Per location and local day: the sums of its EVSEs' rows.
struct ReportDayTotals {
  std::string location_id;
  std::int64_t day = 0;
  std::int64_t sessions = 0;
  std::int64_t successful = 0;
  std::array<std::int64_t, session_failure_count> failed{};
  std::int64_t energy_wh = 0;
  std::int64_t occupied_ms = 0;
  std::int64_t charging_ms = 0;
};

//! A location's fullest quarter hour over the filter's days.
struct ReportPeak {
  std::string location_id;
  std::int64_t energy_wh = 0; //!< in that quarter hour; the mean power is 4 times this, in W
  std::int64_t quarter = 0;   //!< Unix seconds / 900
};

class ReportStore {
public:
  virtual ~ReportStore() = default;
  //! Records that the session's roll-up is being added; false when it was added before.
  virtual bool claim_report_session(std::int64_t transaction_id) = 0;
  //! Adds a session's days and quarters to the roll-ups.
  virtual void add_report_rollup(const ReportEvseKey &evse, const std::vector<ReportDayDelta> &days,
                                 const std::vector<ReportQuarterDelta> &quarters) = 0;
  //! Removes the roll-ups of days from..to (all days when nullopt), and every session's mark
  //! when all days go.
  virtual void clear_report_days(std::optional<std::int64_t> from_day, std::optional<std::int64_t> to_day) = 0;
  //! Ended transactions that have no roll-up yet, by id, after `after_id`.
  virtual std::vector<std::int64_t> unreported_transactions(std::int64_t after_id, std::size_t limit) = 0;
  //! Ended transactions that started before `to` and stopped at or after `from`, by id.
  virtual std::vector<std::int64_t> ended_transactions_between(core::Timestamp from, core::Timestamp to,
                                                               std::int64_t after_id, std::size_t limit) = 0;

  virtual std::vector<ReportEvseTimes> report_evse_times(const RollupFilter &f) = 0;
  virtual std::vector<ReportDayTotals> report_day_totals(const RollupFilter &f) = 0;
  virtual std::vector<ReportPeak> report_peaks(const RollupFilter &f) = 0;
  //! The configured EVSEs the filter selects (a location's through its stations).
  virtual std::vector<ReportEvseKey> report_evses(const RollupFilter &f) = 0;
};

} // namespace gridlane::domain
