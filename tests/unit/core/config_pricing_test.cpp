// [pricing]: the running-cost interval as a duration ("60s", "5m", "1h", seconds) and the tariff
// text language, read from a TOML file as the server reads it; bad values are refused by name.
#include <gtest/gtest.h>

#include "support/config_file.hpp"

using namespace gridlane;
using gridlane::test_support::load_config_text;
using namespace std::chrono_literals;

TEST(ConfigPricing, defaults_to_one_minute_and_english) {
  auto c = load_config_text("");
  EXPECT_EQ(c.pricing.cost_update_interval, 60s);
  EXPECT_EQ(c.pricing.tariff_language, "en");
}

TEST(ConfigPricing, reads_durations_in_seconds_minutes_hours_and_zero_for_off) {
  EXPECT_EQ(load_config_text("[pricing]\ncost_update_interval = \"90s\"\n").pricing.cost_update_interval, 90s);
  EXPECT_EQ(load_config_text("[pricing]\ncost_update_interval = \"5m\"\n").pricing.cost_update_interval, 300s);
  EXPECT_EQ(load_config_text("[pricing]\ncost_update_interval = \"1h\"\n").pricing.cost_update_interval, 3600s);
  EXPECT_EQ(load_config_text("[pricing]\ncost_update_interval = \"0\"\n").pricing.cost_update_interval, 0s);
  EXPECT_EQ(load_config_text("[pricing]\ncost_update_interval = 45\n").pricing.cost_update_interval, 45s);
  EXPECT_EQ(load_config_text("[pricing]\ntariff_language = \"de\"\n").pricing.tariff_language, "de");
}

TEST(ConfigPricing, refuses_bad_durations_and_languages_naming_the_key) {
  for (const char *bad : {"\"60 s\"", "\"1d\"", "\"-5s\"", "\"25h\"", "\"s\"", "-1", "86401", "1.5", "\"9999999s\""}) {
    SCOPED_TRACE(bad);
    try {
      load_config_text(std::string("[pricing]\ncost_update_interval = ") + bad + "\n");
      ADD_FAILURE() << "accepted";
    } catch (const core::ConfigError &e) {
      EXPECT_NE(std::string(e.what()).find("pricing.cost_update_interval"), std::string::npos) << e.what();
    }
  }
  for (const char *bad : {"\"EN\"", "\"eng\"", "\"\""}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(load_config_text(std::string("[pricing]\ntariff_language = ") + bad + "\n"), core::ConfigError);
  }
  EXPECT_THROW(load_config_text("[pricing]\ncost_interval = \"60s\"\n"), core::ConfigError) << "misspelt key";
}
