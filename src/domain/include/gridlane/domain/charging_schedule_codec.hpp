#pragma once
//! What stations say about their charging schedules, decoded from the answers and messages of
//! OCPP smart charging into domain values (docs/energy.md, "What stations report"): the
//! composite schedule of a GetCompositeSchedule answer (1.6 and 2.x shapes), the profiles of
//! a 2.x ReportChargingProfiles, the limit of a NotifyChargingLimit and the needs of a
//! NotifyEVChargingNeeds. The one place these payloads are read; the services see only types.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::domain {

//! A station's composite schedule for one connector/EVSE: what it will apply, from `start`.
struct CompositeSchedule {
  int evse_id = 0; //!< 1.6: the connector id
  Timestamp start;
  std::optional<std::int64_t> duration_s;
  ChargingRateUnit unit = ChargingRateUnit::A;
  std::vector<ChargingSchedulePeriod> periods;
  //! The limit in force `seconds` after start (the last period starting at or before it);
  //! nullopt before the first period or without periods.
  std::optional<RateMilli> limit_at(std::int64_t seconds) const;
};

//! The answer to GetCompositeSchedule (`response_json` as CommandRecord::response keeps it):
//! nullopt when the station rejected it or sent no schedule; Invalid when it does not decode.
Result<std::optional<CompositeSchedule>> decode_composite_schedule(ProtocolVersion version,
                                                                   std::string_view response_json);

//! A 2.x ReportChargingProfiles request.
struct ReportedProfiles {
  std::int64_t request_id = 0;
  std::string source; //!< chargingLimitSource: EMS, Other, SO, CSO
  int evse_id = 0;
  std::vector<ChargingProfile> profiles;
  bool to_be_continued = false;
};
Result<ReportedProfiles> decode_report_charging_profiles(std::string_view request_json);

//! A 2.x NotifyEVChargingNeeds request: the EVSE and what the vehicle needs.
struct ChargingNeedsReport {
  int evse_id = 0;
  ChargingNeeds needs;
};
Result<ChargingNeedsReport> decode_charging_needs(std::string_view request_json, Timestamp received_at);

//! A 2.x NotifyChargingLimit request, as the external limit it tells (its first schedule's
//! first period: the limit now).
Result<ExternalChargingLimit> decode_charging_limit(const StationId &station, std::string_view request_json,
                                                    Timestamp received_at);

//! A 2.x ClearedChargingLimit request: the external limit of `source` no longer holds.
struct ClearedChargingLimit {
  std::optional<int> evse_id; //!< nullopt: the whole station
  std::string source;
};
Result<ClearedChargingLimit> decode_cleared_charging_limit(std::string_view request_json);

//! A 2.x NotifyEVChargingSchedule request: the schedule the vehicle will follow (its start is
//! the schedule's startSchedule, else the message's timeBase).
struct EvChargingSchedule {
  int evse_id = 0;
  ChargingSchedule schedule;
};
Result<EvChargingSchedule> decode_ev_charging_schedule(std::string_view request_json);

} // namespace gridlane::domain
