#pragma once
//! Reports and analytics (docs/operations.md "Reports"): the daily roll-ups kept as sessions end,
//! their rebuild, and the reports read from them: utilisation by local hour and weekday, sessions
//! and energy per day, week or month, success rate and failure reasons, peak load. Shared by the
//! API (GET /reports/..., POST /reports/rebuild) and `gridlane admin reports`.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/events.hpp"
#include "gridlane/domain/names.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

//! The failure reasons as the reports name them (in the enum's order).
inline constexpr domain::NameTable<domain::SessionFailure, domain::session_failure_count> session_failures{{
    {domain::SessionFailure::StartRejected, "StartRejected"},
    {domain::SessionFailure::Fault, "Fault"},
    {domain::SessionFailure::Reset, "Reset"},
    {domain::SessionFailure::EVDisconnected, "EVDisconnectedBeforeEnergy"},
    {domain::SessionFailure::Timeout, "TimeoutBeforeEnergy"},
    {domain::SessionFailure::NoEnergy, "NoEnergy"},
}};

enum class ReportPeriod { Day, Week, Month };
inline constexpr domain::NameTable<ReportPeriod, 3> report_periods{{
    {ReportPeriod::Day, "day"},
    {ReportPeriod::Week, "week"},
    {ReportPeriod::Month, "month"},
}};

//! What a caller asks, as given (texts are checked by ReportService::filter).
struct ReportRequest {
  std::optional<std::string> from; //!< first local day, YYYY-MM-DD (default: 29 days before `to`)
  std::optional<std::string> to;   //!< last local day, YYYY-MM-DD (default: today in UTC)
  std::optional<std::string> location;
  std::optional<std::string> station;
};

//! Occupied, charging and available (the length of the hours themselves) milliseconds of one
//! EVSE or one location (all its EVSEs) by local hour of day and by ISO weekday (Monday first).
struct UtilisationRow {
  std::string location_id;
  std::optional<std::string> station; //!< EVSE rows only
  std::optional<int> evse_id;
  int evses = 1;
  std::array<std::int64_t, 24> occupied_by_hour{}, charging_by_hour{}, available_by_hour{};
  std::array<std::int64_t, 7> occupied_by_weekday{}, charging_by_weekday{}, available_by_weekday{};
};
struct UtilisationReport {
  domain::RollupFilter filter;
  std::vector<UtilisationRow> locations;
  std::vector<UtilisationRow> evses;
};

struct SessionCounts {
  std::int64_t sessions = 0;
  std::int64_t successful = 0;
  std::array<std::int64_t, domain::session_failure_count> failed{};
  std::int64_t energy_wh = 0;
  std::int64_t failed_total() const;
};
struct PeriodRow {
  std::int64_t first_day = 0; //!< the period's first local day (weeks start on Monday)
  SessionCounts counts;
};
struct SessionsReport {
  domain::RollupFilter filter;
  ReportPeriod period = ReportPeriod::Day;
  std::vector<PeriodRow> rows; //!< periods with sessions or energy, ascending
  SessionCounts total;
};
struct SuccessReport {
  domain::RollupFilter filter;
  SessionCounts total;
  std::vector<std::pair<std::string, SessionCounts>> locations; //!< by location id
};
struct PeakRow {
  std::string location_id;
  std::int64_t energy_wh = 0; //!< in its fullest quarter hour
  std::int64_t quarter = 0;   //!< Unix seconds / 900
  std::string time_zone;
};
struct PeakReport {
  domain::RollupFilter filter;
  std::vector<PeakRow> locations;
};

struct RebuildSummary {
  std::int64_t sessions = 0; //!< sessions rolled up again
};

class ReportService {
public:
  //! The longest period a report covers.
  static constexpr std::int64_t max_days = 3700;

  //! Checks a request: dates are YYYY-MM-DD, from <= to, at most max_days; location and station
  //! ids well formed (they need not exist). 422 naming the field otherwise.
  static domain::Result<domain::RollupFilter> filter(const ReportRequest &r, core::Timestamp now);
  static std::optional<std::int64_t> parse_day(std::string_view text);
  static std::string format_day(std::int64_t day);

  UtilisationReport utilisation(domain::Repository &r, const domain::RollupFilter &f) const;
  SessionsReport sessions(domain::Repository &r, const domain::RollupFilter &f, ReportPeriod period) const;
  SuccessReport success(domain::Repository &r, const domain::RollupFilter &f) const;
  PeakReport peaks(domain::Repository &r, const domain::RollupFilter &f) const;

  //! Adds an ended session to the roll-ups, once (a repeat, or an active session, adds nothing).
  bool roll_up(domain::Repository &r, std::int64_t transaction_id) const;
  //! Rolls up to `limit` ended sessions that have none yet, after `after_id`; the last id seen
  //! (0 when none was left).
  std::int64_t catch_up(domain::Repository &r, std::int64_t after_id, std::size_t limit) const;
  //! Rebuilds the roll-ups of local days from..to (all when both are absent) from the stored
  //! sessions, in the caller's unit of work: what the incremental roll-up would have made.
  RebuildSummary rebuild(domain::Repository &r, std::optional<std::int64_t> from_day,
                         std::optional<std::int64_t> to_day) const;

  //! Rolls up each session when it ends (TransactionEnded, after its commit), each in its own
  //! unit of work, and at once the ended sessions a previous run left without one.
  void watch(domain::EventBus &bus, domain::StoreExecutor &store);

private:
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
