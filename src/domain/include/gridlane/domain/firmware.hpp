#pragma once
//! Firmware (docs/operations.md "Firmware"): uploaded files, what stations report about updates
//! and security, and campaigns that roll a file out over many stations. plan_campaign is the
//! campaign's rule as a pure function of its stations and `now` (firmware.cpp).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/model.hpp"
#include "gridlane/domain/names.hpp"
#include "gridlane/domain/operations.hpp"

namespace gridlane::domain {

struct FirmwareFile {
  std::int64_t id = 0;
  std::string file_name;   //!< as uploaded; the last segment of its download URL
  std::string stored_name; //!< the file in the firmware directory
  std::string vendor;
  std::vector<std::string> models; //!< empty: any model of the vendor
  std::string version;
  std::int64_t size_bytes = 0;
  std::string sha256; //!< lower-case hex
  std::optional<std::string> signature;
  std::optional<std::string> signing_certificate;
  std::string uploaded_by;
  Timestamp uploaded_at;
};

//! One FirmwareStatusNotification as recorded.
struct FirmwareStatusRecord {
  StationId station = StationId::unchecked("");
  FirmwareState status = FirmwareState::Idle;
  std::optional<std::int64_t> request_id;
  Timestamp received_at;
};

//! One SecurityEventNotification as recorded.
struct SecurityEventRecord {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  std::string type;
  Timestamp occurred_at; //!< the station's timestamp
  std::optional<std::string> tech_info;
  Timestamp received_at;
};

enum class CampaignState { Draft, Running, Paused, Completed, Cancelled };
inline constexpr NameTable<CampaignState, 5> campaign_states{{
    {CampaignState::Draft, "draft"},
    {CampaignState::Running, "running"},
    {CampaignState::Paused, "paused"},
    {CampaignState::Completed, "completed"},
    {CampaignState::Cancelled, "cancelled"},
}};

//! A station's progress in a campaign: waiting, UpdateFirmware sent (not yet answered or no
//! status yet), updating (statuses arriving), and the three ends.
enum class CampaignStationState { Pending, Sent, Updating, Succeeded, Failed, Skipped };
inline constexpr NameTable<CampaignStationState, 6> campaign_station_states{{
    {CampaignStationState::Pending, "pending"},
    {CampaignStationState::Sent, "sent"},
    {CampaignStationState::Updating, "updating"},
    {CampaignStationState::Succeeded, "succeeded"},
    {CampaignStationState::Failed, "failed"},
    {CampaignStationState::Skipped, "skipped"},
}};
constexpr bool campaign_station_active(CampaignStationState s) {
  return s == CampaignStationState::Sent || s == CampaignStationState::Updating;
}
constexpr bool campaign_station_done(CampaignStationState s) {
  return s == CampaignStationState::Succeeded || s == CampaignStationState::Failed ||
         s == CampaignStationState::Skipped;
}

//! Which stations a campaign covers; every given field must match (a station's vendor and model
//! from its BootNotification, `version` its current firmware version, `location_id` its location).
struct CampaignFilter {
  std::optional<std::string> vendor;
  std::optional<std::string> model;
  std::optional<std::string> version;
  std::optional<std::string> location_id;
  std::vector<StationId> stations; //!< empty: any station
};
bool campaign_filter_matches(const CampaignFilter &f, const Station &s);

struct Campaign {
  std::int64_t id = 0;
  std::string name;
  std::int64_t file_id = 0;
  CampaignFilter filter;
  int canary_percent = 10;    //!< the first share of stations, updated before all others (0: none)
  int max_concurrent = 10;    //!< stations updating at once
  int failure_threshold = 20; //!< percent of the started stations failed above which it pauses
  std::optional<int> retries;
  std::optional<int> retry_interval_s;
  CampaignState state = CampaignState::Draft;
  std::optional<std::string> pause_reason;
  std::string created_by;
  Timestamp created_at;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> finished_at;
  //! Failures an operator resumed the campaign past: the failure rate counts only later ones.
  int failures_acknowledged = 0;
};

struct CampaignStation {
  std::int64_t campaign_id = 0;
  StationId station = StationId::unchecked("");
  int position = 0;
  bool canary = false;
  CampaignStationState state = CampaignStationState::Pending;
  std::optional<std::int64_t> command_id;
  std::optional<FirmwareState> firmware_status;
  std::optional<std::string> detail;
  std::optional<Timestamp> sent_at;
  Timestamp updated_at;
};

//! The number of canary stations among `total`: `percent` of them rounded up (0 only for 0 %).
int canary_count(int total, int percent);

//! What a running campaign does next.
struct CampaignPlan {
  std::vector<std::size_t> start; //!< indexes of stations to send UpdateFirmware now
  std::optional<std::string> pause_reason;
  bool completed = false;
};
//! The campaign's rule: a station is started only while fewer than max_concurrent are active
//! and only if `connected(i)`; canary stations first, the others once every canary is done and
//! the canary's failures stayed within the threshold; a failure rate (failed / started) above
//! the threshold pauses it; it is complete when every station is done.
template <class Connected>
CampaignPlan plan_campaign(const Campaign &c, const std::vector<CampaignStation> &stations, Connected connected) {
  CampaignPlan plan;
  if (c.state != CampaignState::Running) return plan;
  int started = 0, failed = 0, active = 0, canary_open = 0;
  bool all_done = true;
  for (const auto &s : stations) {
    const bool began = s.state != CampaignStationState::Pending && s.state != CampaignStationState::Skipped;
    if (began) ++started;
    if (s.state == CampaignStationState::Failed) ++failed;
    if (campaign_station_active(s.state)) ++active;
    if (!campaign_station_done(s.state)) all_done = false;
    if (s.canary && !campaign_station_done(s.state)) ++canary_open;
  }
  if (all_done) {
    plan.completed = true;
    return plan;
  }
  // Failures an operator already resumed past count neither as failures nor as started.
  failed -= std::min(failed, c.failures_acknowledged);
  started -= std::min(started, c.failures_acknowledged);
  if (started > 0 && failed * 100 > c.failure_threshold * started) {
    plan.pause_reason = "failure rate " + std::to_string(failed * 100 / started) + " % (" + std::to_string(failed) +
                        " of " + std::to_string(started) + " stations) above the threshold of " +
                        std::to_string(c.failure_threshold) + " %";
    return plan;
  }
  const bool canary_phase = canary_open > 0;
  for (std::size_t i = 0; i < stations.size() && active < c.max_concurrent; ++i) {
    const auto &s = stations[i];
    if (s.state != CampaignStationState::Pending) continue;
    if (canary_phase && !s.canary) continue;
    if (!connected(i)) continue;
    plan.start.push_back(i);
    ++active;
  }
  return plan;
}

} // namespace gridlane::domain
