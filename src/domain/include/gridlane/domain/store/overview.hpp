#pragma once
//! The operator console's overview (GET /api/v1/overview): counts over the whole fleet, each
//! computed by one query of the store (no loading of every row), fast at 10,000 stations.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::domain {

struct OverviewQuery {
  std::vector<core::StationId> connected; //!< the stations connected now (the gateway's)
  core::Timestamp day_start;              //!< the start of today in the asked time zone
  core::Timestamp now;
  core::Timestamp window_start; //!< the start of the availability window (now - 24 h)
};

//! CDR totals of one currency, in millionths (core::Decimal units).
struct OverviewRevenue {
  std::string currency;
  std::int64_t excl_vat = 0;
  std::optional<std::int64_t> incl_vat; //!< nullopt when a CDR of the day had no total with VAT
};

struct OverviewCounts {
  std::int64_t stations_total = 0;
  std::int64_t stations_online = 0;      //!< stored stations connected now
  std::int64_t stations_faulted = 0;     //!< with a connector Faulted
  std::int64_t stations_unavailable = 0; //!< with a connector Unavailable and none Faulted
  std::int64_t sessions_active = 0;
  std::int64_t sessions_today = 0;            //!< started today (the server's clock)
  std::int64_t energy_today_wh = 0;           //!< of the sessions started today, running ones at their last energy
  std::vector<OverviewRevenue> revenue_today; //!< CDRs of sessions ended today, by currency
  std::int64_t connector_ms = 0;              //!< connector-time known in the window
  std::int64_t connector_down_ms = 0;         //!< of it, Faulted or Unavailable
};

class OverviewStore {
public:
  virtual ~OverviewStore() = default;
  virtual OverviewCounts overview(const OverviewQuery &q) = 0;
};

} // namespace gridlane::domain
