// [energy]: the energy manager's settings read from a TOML file as the server reads them;
// currents in A (number or decimal text), durations as "10s"/"5m", bad values refused by name.
#include <gtest/gtest.h>

#include "support/config_file.hpp"

using namespace gridlane;
using gridlane::test_support::load_config_text;
using namespace std::chrono_literals;

TEST(ConfigEnergy, defaults) {
  auto e = load_config_text("").energy;
  EXPECT_TRUE(e.enabled);
  EXPECT_EQ(e.hysteresis_ma, 1000);
  EXPECT_EQ(e.min_interval, 10s);
  EXPECT_EQ(e.replan_interval, 300s);
  EXPECT_EQ(e.horizon_slots, 96);
  EXPECT_EQ(e.slot, 900s);
  EXPECT_EQ(e.underdraw_after, 60s);
  EXPECT_EQ(e.overdraw_tolerance_ma, 1000);
  EXPECT_TRUE(e.verify);
}

TEST(ConfigEnergy, reads_every_key) {
  auto e = load_config_text("[energy]\nenabled = false\nhysteresis = \"0.5\"\nmin_interval = \"30s\"\n"
                            "replan_interval = \"1m\"\nhorizon_slots = 48\nslot = \"30m\"\nunderdraw_after = 90\n"
                            "overdraw_tolerance = 2\nverify = false\n")
               .energy;
  EXPECT_FALSE(e.enabled);
  EXPECT_EQ(e.hysteresis_ma, 500);
  EXPECT_EQ(e.min_interval, 30s);
  EXPECT_EQ(e.replan_interval, 60s);
  EXPECT_EQ(e.horizon_slots, 48);
  EXPECT_EQ(e.slot, 1800s);
  EXPECT_EQ(e.underdraw_after, 90s);
  EXPECT_EQ(e.overdraw_tolerance_ma, 2000);
  EXPECT_FALSE(e.verify);
  EXPECT_EQ(load_config_text("[energy]\nhysteresis = 1.5\n").energy.hysteresis_ma, 1500);
}

TEST(ConfigEnergy, refuses_bad_values_naming_the_key) {
  struct Case {
    const char *line, *key;
  };
  const Case cases[] = {
      {"hysteresis = -1", "energy.hysteresis"},
      {"hysteresis = 33", "energy.hysteresis"},
      {"hysteresis = \"1.0001\"", "energy.hysteresis"},
      {"hysteresis = nan", "energy.hysteresis"},
      {"overdraw_tolerance = \"x\"", "energy.overdraw_tolerance"},
      {"min_interval = \"1d\"", "energy.min_interval"},
      {"replan_interval = \"5s\"", "energy.replan_interval"},
      {"slot = 30", "energy.slot"},
      {"underdraw_after = -1", "energy.underdraw_after"},
      {"horizon_slots = 0", "energy.horizon_slots"},
      {"horizon_slots = 673", "energy.horizon_slots"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.line);
    try {
      load_config_text(std::string("[energy]\n") + c.line + "\n");
      ADD_FAILURE() << "accepted";
    } catch (const core::ConfigError &e) {
      EXPECT_NE(std::string(e.what()).find(c.key), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(load_config_text("[energy]\nhysteresis_a = 1\n"), core::ConfigError) << "misspelt key";
}
