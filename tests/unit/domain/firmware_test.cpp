// A firmware campaign's rule (domain::plan_campaign): canary first, a limit on stations at once,
// a pause when the failure rate passes the threshold, complete when every station is done.
#include <gtest/gtest.h>

#include "gridlane/domain/firmware.hpp"

// GCC 12 at -O3 reports a std::string assignment inlined into a gtest body as an overlapping
// memcpy (-Wrestrict, GCC bug 105329); the strings here are short literals.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

using namespace gridlane;
using namespace gridlane::domain;
using S = CampaignStationState;

namespace {

Campaign running(int max_concurrent, int threshold) {
  Campaign c;
  c.state = CampaignState::Running;
  c.max_concurrent = max_concurrent;
  c.failure_threshold = threshold;
  return c;
}

std::vector<CampaignStation> stations(std::vector<S> states, int canaries) {
  std::vector<CampaignStation> out;
  for (std::size_t i = 0; i < states.size(); ++i) {
    CampaignStation s;
    s.station = StationId::unchecked("CS-" + std::to_string(i));
    s.position = static_cast<int>(i);
    s.canary = static_cast<int>(i) < canaries;
    s.state = states[i];
    out.push_back(s);
  }
  return out;
}

auto all_connected = [](std::size_t) { return true; };

} // namespace

TEST(FirmwareCampaign, canary_share_is_rounded_up_and_zero_only_for_zero_percent) {
  EXPECT_EQ(canary_count(10, 10), 1);
  EXPECT_EQ(canary_count(10, 25), 3);
  EXPECT_EQ(canary_count(3, 1), 1);
  EXPECT_EQ(canary_count(3, 0), 0);
  EXPECT_EQ(canary_count(3, 100), 3);
  EXPECT_EQ(canary_count(0, 50), 0);
}

TEST(FirmwareCampaign, canary_stations_go_first_within_the_concurrency_limit) {
  auto plan =
      plan_campaign(running(1, 50), stations({S::Pending, S::Pending, S::Pending, S::Pending}, 2), all_connected);
  EXPECT_EQ(plan.start, (std::vector<std::size_t>{0})) << "one at a time";
  plan = plan_campaign(running(5, 50), stations({S::Pending, S::Pending, S::Pending, S::Pending}, 2), all_connected);
  EXPECT_EQ(plan.start, (std::vector<std::size_t>{0, 1})) << "only the canary until it is done";
  plan = plan_campaign(running(5, 50), stations({S::Succeeded, S::Updating, S::Pending, S::Pending}, 2), all_connected);
  EXPECT_TRUE(plan.start.empty()) << "a canary station still updating holds the rest";
  plan = plan_campaign(running(2, 50), stations({S::Succeeded, S::Succeeded, S::Pending, S::Pending, S::Pending}, 2),
                       all_connected);
  EXPECT_EQ(plan.start, (std::vector<std::size_t>{2, 3})) << "the rest once the canary succeeded";
  EXPECT_FALSE(plan.pause_reason);
}

TEST(FirmwareCampaign, pauses_when_the_failure_rate_passes_the_threshold) {
  auto plan = plan_campaign(running(5, 50), stations({S::Failed, S::Failed, S::Pending, S::Pending}, 2), all_connected);
  ASSERT_TRUE(plan.pause_reason);
  EXPECT_TRUE(plan.start.empty());
  EXPECT_NE(plan.pause_reason->find("100 %"), std::string::npos) << *plan.pause_reason;
  // One failure of two started is 50 %: not above a 50 % threshold.
  plan = plan_campaign(running(5, 50), stations({S::Failed, S::Succeeded, S::Pending}, 2), all_connected);
  EXPECT_FALSE(plan.pause_reason);
  EXPECT_EQ(plan.start, (std::vector<std::size_t>{2}));
  // An operator resumed past the two failures: only later ones count.
  auto c = running(5, 50);
  c.failures_acknowledged = 2;
  plan = plan_campaign(c, stations({S::Failed, S::Failed, S::Pending, S::Pending}, 2), all_connected);
  EXPECT_FALSE(plan.pause_reason);
  EXPECT_EQ(plan.start, (std::vector<std::size_t>{2, 3}));
}

TEST(FirmwareCampaign, waits_for_stations_that_are_not_connected_and_completes_when_all_are_done) {
  auto plan =
      plan_campaign(running(5, 50), stations({S::Pending, S::Pending}, 0), [](std::size_t i) { return i == 1; });
  EXPECT_EQ(plan.start, (std::vector<std::size_t>{1}));
  plan = plan_campaign(running(5, 50), stations({S::Succeeded, S::Skipped, S::Succeeded}, 1), all_connected);
  EXPECT_TRUE(plan.completed);
  auto paused = running(5, 50);
  paused.state = CampaignState::Paused;
  plan = plan_campaign(paused, stations({S::Pending}, 0), all_connected);
  EXPECT_TRUE(plan.start.empty()) << "a paused campaign starts nobody";
}

TEST(FirmwareCampaign, filter_matches_vendor_model_version_location_and_ids) {
  Station s;
  s.id = StationId::unchecked("CS-1");
  s.identity.vendor = "V";
  s.identity.model = "M";
  s.identity.firmware_version = "1.0";
  s.location_id = LocationId::unchecked("LOC");
  CampaignFilter f;
  EXPECT_TRUE(campaign_filter_matches(f, s));
  f.vendor = "V";
  f.model = "M";
  f.version = "1.0";
  f.location_id = "LOC";
  EXPECT_TRUE(campaign_filter_matches(f, s));
  f.version = "2.0";
  EXPECT_FALSE(campaign_filter_matches(f, s));
  f.version.reset();
  f.stations = {StationId::unchecked("CS-2")};
  EXPECT_FALSE(campaign_filter_matches(f, s));
}
