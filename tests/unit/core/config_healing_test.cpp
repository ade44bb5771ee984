// The [healing] and [maintenance] sections: defaults, every key read, bad values refused by name.
#include <gtest/gtest.h>

#include "gridlane/core/config.hpp"
#include "support/config_file.hpp"

using namespace gridlane;
using namespace std::chrono_literals;

namespace {

std::string refusal(const std::string &text) {
  try {
    test_support::load_config_text(text);
  } catch (const core::ConfigError &e) {
    return e.what();
  }
  return "accepted";
}

} // namespace

TEST(ConfigHealing, defaults_are_off_and_documented) {
  auto c = test_support::load_config_text("");
  EXPECT_FALSE(c.healing.enabled);
  EXPECT_FALSE(c.healing.reset_during_session);
  EXPECT_EQ(c.healing.step_wait_s, 60);
  EXPECT_EQ(c.healing.faulted.size(), 5u);
  EXPECT_EQ(c.healing.offline_after_s, 900);
  EXPECT_EQ(c.healing.offline, (std::vector<std::string>{"reconnect", "open_ticket"}));
  EXPECT_EQ(c.maintenance.sla_urgent, 4h);
  EXPECT_EQ(c.maintenance.sla_low, 168h);
}

TEST(ConfigHealing, reads_every_key) {
  auto c = test_support::load_config_text(R"([healing]
enabled = true
reset_during_session = true
start_after_s = 0
step_wait_s = 5
backoff = 3
max_wait_s = 60
max_attempts = 6
faulted = ["soft_reset", "open_ticket"]
faulted_with_code = ["open_ticket"]
offline = ["open_ticket"]
offline_after_s = 120
[maintenance]
sla_urgent = "90s"
sla_high = "30m"
sla_normal = "2d"
sla_low = "12h"
inspection_check_s = 5
)");
  EXPECT_TRUE(c.healing.enabled);
  EXPECT_TRUE(c.healing.reset_during_session);
  EXPECT_EQ(c.healing.start_after_s, 0);
  EXPECT_EQ(c.healing.backoff, 3);
  EXPECT_EQ(c.healing.max_attempts, 6);
  EXPECT_EQ(c.healing.faulted, (std::vector<std::string>{"soft_reset", "open_ticket"}));
  EXPECT_EQ(c.healing.faulted_with_code, (std::vector<std::string>{"open_ticket"}));
  EXPECT_EQ(c.healing.offline, (std::vector<std::string>{"open_ticket"}));
  EXPECT_EQ(c.healing.offline_after_s, 120);
  EXPECT_EQ(c.maintenance.sla_urgent, 90s);
  EXPECT_EQ(c.maintenance.sla_high, 30min);
  EXPECT_EQ(c.maintenance.sla_normal, 48h);
  EXPECT_EQ(c.maintenance.sla_low, 12h);
  EXPECT_EQ(c.maintenance.inspection_check_s, 5);
}

TEST(ConfigHealing, refuses_bad_values_by_name) {
  EXPECT_NE(refusal("[healing]\nstep_wait_s = 0\n").find("healing.step_wait_s"), std::string::npos);
  EXPECT_NE(refusal("[healing]\nbackoff = 11\n").find("healing.backoff"), std::string::npos);
  EXPECT_NE(refusal("[healing]\nmax_attempts = 0\n").find("healing.max_attempts"), std::string::npos);
  EXPECT_NE(refusal("[healing]\nfaulted = []\n").find("healing.faulted"), std::string::npos);
  EXPECT_NE(refusal("[healing]\nfaulted = [1]\n").find("healing.faulted"), std::string::npos);
  EXPECT_NE(refusal("[healing]\nstart_after_s = -1\n").find("healing.start_after_s"), std::string::npos);
  EXPECT_NE(refusal("[healing]\noffline_after_s = 604801\n").find("healing.offline_after_s"), std::string::npos);
  EXPECT_NE(refusal("[healing]\noffline = []\n").find("healing.offline"), std::string::npos);
  EXPECT_NE(refusal("[healing]\nreboot = true\n").find("healing.reboot"), std::string::npos);
  EXPECT_NE(refusal("[maintenance]\nsla_high = \"1w\"\n").find("maintenance.sla_high"), std::string::npos);
  EXPECT_NE(refusal("[maintenance]\nsla_high = 4\n").find("maintenance.sla_high"), std::string::npos);
  EXPECT_NE(refusal("[maintenance]\nsla_low = \"367d\"\n").find("maintenance.sla_low"), std::string::npos);
  EXPECT_NE(refusal("[maintenance]\nsla_low = \"0s\"\n").find("maintenance.sla_low"), std::string::npos);
  EXPECT_NE(refusal("[maintenance]\ninspection_check_s = 0\n").find("maintenance.inspection_check_s"),
            std::string::npos);
}
