// The typed reading of a station's draw (domain::measured_draw): which samples count, phases,
// units, the latest of repeated values, and values out of range left out.
#include <gtest/gtest.h>

#include "gridlane/domain/meter_reading.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

const Timestamp t0 = *core::parse_iso8601("2026-06-01T12:00:00Z");

MeterSample sample(const char *measurand, double value, std::optional<std::string> phase = std::nullopt,
                   std::optional<std::string> unit = std::nullopt, Timestamp at = t0) {
  MeterSample s;
  s.timestamp = at;
  s.value = std::to_string(value);
  s.numeric = value;
  if (measurand) s.measurand = measurand;
  s.phase = std::move(phase);
  s.unit = std::move(unit);
  return s;
}

TEST(MeasuredDraw, ReadsCurrentPerPhaseAndPowerTotal) {
  auto d = measured_draw({sample("Current.Import", 15.5, "L1", "A"), sample("Current.Import", 16, "L2", "A"),
                          sample("Current.Import", 0.2, "L3-N", "A"), sample("Power.Active.Import", 7.4, {}, "kW"),
                          sample(nullptr, 1234, {}, "Wh")});
  EXPECT_EQ(d.current[0], core::milliamps(15500));
  EXPECT_EQ(d.current[1], core::amps(16));
  EXPECT_EQ(d.current[2], core::milliamps(200));
  EXPECT_EQ(d.power, core::watts(7400));
  EXPECT_FALSE(d.unphased);
  EXPECT_EQ(d.max_phase_current(), core::amps(16));
  EXPECT_EQ(d.phases_drawing(core::amps(1)), 2); // a two-phase vehicle on a three-phase EVSE
}

TEST(MeasuredDraw, SumsPerPhasePowerWhenNoTotalIsGiven) {
  auto d = measured_draw({sample("Power.Active.Import", 3680, "L1", "W"), sample("Power.Active.Import", 3680, "L2"),
                          sample("Power.Active.Import", 100, "L3")});
  EXPECT_EQ(d.power, core::watts(7460));
}

TEST(MeasuredDraw, APhaselessCurrentIsKeptApart) {
  auto d = measured_draw({sample("Current.Import", 10, {}, "A")});
  EXPECT_EQ(d.unphased, core::amps(10));
  EXPECT_EQ(d.max_phase_current(), core::amps(10));
  EXPECT_EQ(d.phases_drawing(core::amps(1)), 0);
}

TEST(MeasuredDraw, TheLatestOfRepeatedValuesWins) {
  auto d = measured_draw({sample("Current.Import", 20, "L1", "A", t0 + std::chrono::seconds(10)),
                          sample("Current.Import", 8, "L1", "A", t0)});
  EXPECT_EQ(d.current[0], core::amps(20));
}

TEST(MeasuredDraw, LeavesOutWhatIsNotTheOutletsImportOrOutOfRange) {
  struct Case {
    const char *name;
    MeterSample s;
  };
  auto ev = sample("Current.Import", 16, "L1", "A");
  ev.location = "EV";
  auto inlet = sample("Power.Active.Import", 5000);
  inlet.location = "Inlet";
  auto text = sample("Current.Import", 16, "L1", "A");
  text.numeric.reset();
  const Case cases[] = {
      {"EV location", ev},
      {"inlet location", inlet},
      {"no number", text},
      {"export", sample("Current.Export", 16, "L1", "A")},
      {"line to line", sample("Current.Import", 16, "L1-L2", "A")},
      {"neutral", sample("Current.Import", 16, "N", "A")},
      {"unknown unit", sample("Current.Import", 16, "L1", "mA")},
      {"negative", sample("Current.Import", -5, "L1", "A")},
      {"above 10 kA", sample("Current.Import", 20000, "L1", "A")},
      {"not finite", sample("Power.Active.Import", std::numeric_limits<double>::infinity())},
      {"NaN", sample("Power.Active.Import", std::numeric_limits<double>::quiet_NaN())},
      {"above 10 MW", sample("Power.Active.Import", 20000, {}, "kW")},
  };
  for (const auto &c : cases)
    EXPECT_TRUE(measured_draw({c.s}).empty()) << c.name;
}

TEST(MeasuredDraw, MeterNoiseAroundZeroIsZero) {
  auto d = measured_draw({sample("Current.Import", -0.1, "L1", "A")});
  EXPECT_EQ(d.current[0], core::milliamps(0));
}

} // namespace
