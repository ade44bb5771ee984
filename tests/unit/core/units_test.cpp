// Physical quantities: exact text, checked arithmetic, numbers off the wire, power and current.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gridlane/core/units.hpp"

using namespace gridlane::core;

TEST(Units, parses_amperes_kwh_and_kw_exactly) {
  EXPECT_EQ(*parse_amps("16.5"), milliamps(16'500));
  EXPECT_EQ(*parse_amps("16"), amps(16));
  EXPECT_EQ(*parse_amps("0.125"), milliamps(125));
  EXPECT_EQ(*parse_amps("6.0000"), amps(6));
  EXPECT_EQ(*parse_amps("-2.5"), milliamps(-2'500));
  EXPECT_EQ(*parse_kwh("12.345"), watt_hours(12'345));
  EXPECT_EQ(*parse_kw("7.4"), watts(7'400));
  EXPECT_EQ(parse_amps("16.0005"), ValueError::Invalid); // a fourth decimal is never rounded away
  for (const char *bad : {"", "16A", "1e1", "nan", " 16", ".5"})
    EXPECT_EQ(parse_amps(bad), ValueError::Invalid) << bad;
  EXPECT_EQ(parse_kwh("99999999999999"), ValueError::Overflow);
}

TEST(Units, formats_shortest_exact_text) {
  EXPECT_EQ(format_amps(milliamps(16'500)), "16.5");
  EXPECT_EQ(format_amps(amps(32)), "32");
  EXPECT_EQ(format_amps(milliamps(5)), "0.005");
  EXPECT_EQ(format_amps(milliamps(-1'250)), "-1.25");
  EXPECT_EQ(format_kwh(watt_hours(12'345)), "12.345");
  EXPECT_EQ(format_kw(watts(11'040)), "11.04");
  EXPECT_EQ(format_kwh(Energy(std::numeric_limits<std::int64_t>::min())), "-9223372036854775.808");
  EXPECT_EQ(*parse_amps(format_amps(milliamps(123'456))), milliamps(123'456));
}

TEST(Units, checked_arithmetic_reports_overflow) {
  const Energy max(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(*watt_hours(1).plus(watt_hours(2)), watt_hours(3));
  EXPECT_EQ(*watt_hours(1).minus(watt_hours(2)), watt_hours(-1));
  EXPECT_EQ(*amps(16).times(3), amps(48));
  EXPECT_EQ(max.plus(watt_hours(1)), ValueError::Overflow);
  EXPECT_EQ(Energy(std::numeric_limits<std::int64_t>::min()).minus(watt_hours(1)), ValueError::Overflow);
  EXPECT_EQ(max.times(2), ValueError::Overflow);
  EXPECT_EQ(*to_kwh(watt_hours(12'345)), Decimal::from_units(12'345'000));
  EXPECT_EQ(to_kwh(max), ValueError::Overflow);
}

TEST(Units, wire_numbers_are_range_checked_before_narrowing) {
  const auto lo = amps(0), hi = amps(10'000);
  EXPECT_EQ(*from_wire(16.5, 1000, lo, hi), milliamps(16'500));
  EXPECT_EQ(*from_wire(0.1 + 0.2, 1000, lo, hi), milliamps(300)); // rounded to the nearest mA
  EXPECT_EQ(*from_wire(10'000.0, 1000, lo, hi), hi);
  EXPECT_EQ(from_wire(10'000.001, 1000, lo, hi), ValueError::Overflow);
  EXPECT_EQ(from_wire(-1.0, 1000, lo, hi), ValueError::Overflow);
  EXPECT_EQ(from_wire(std::nan(""), 1000, lo, hi), ValueError::Invalid);
  EXPECT_EQ(from_wire(std::numeric_limits<double>::infinity(), 1000, lo, hi), ValueError::Invalid);
  // A huge number against the widest range: refused, not a wrapped (undefined) conversion.
  const Energy emin(std::numeric_limits<std::int64_t>::min()), emax(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(from_wire(1e19, 1, emin, emax), ValueError::Overflow);
  EXPECT_EQ(from_wire(9.3e18, 1, emin, emax), ValueError::Overflow);
  EXPECT_EQ(*from_wire(1234.5, 1, emin, emax), watt_hours(1235));
}

TEST(Units, power_from_current_voltage_and_phases) {
  EXPECT_EQ(*power_of(amps(16), volts(230), 3), watts(11'040));
  EXPECT_EQ(*power_of(amps(32), volts(230), 1), watts(7'360));
  EXPECT_EQ(*power_of(milliamps(6'001), volts(230), 1), watts(1'380)); // 1380.23 W
  EXPECT_EQ(*power_of(milliamps(6'003), volts(230), 1), watts(1'381)); // 1380.69 W
  EXPECT_EQ(power_of(amps(16), volts(230), 0), ValueError::Invalid);
  EXPECT_EQ(power_of(amps(16), volts(230), 4), ValueError::Invalid);
  EXPECT_EQ(power_of(Current(std::numeric_limits<std::int64_t>::max()), volts(230), 1), ValueError::Overflow);
}

TEST(Units, current_within_a_power_limit_rounds_down) {
  EXPECT_EQ(*current_within(watts(11'040), volts(230), 3), amps(16));
  EXPECT_EQ(*current_within(watts(11'000), volts(230), 3), milliamps(15'942)); // 15942.02 mA
  EXPECT_LE(*power_of(*current_within(watts(11'000), volts(230), 3), volts(230), 3), watts(11'000));
  EXPECT_EQ(current_within(watts(11'000), volts(0), 3), ValueError::Invalid);
  EXPECT_EQ(current_within(watts(11'000), volts(230), 0), ValueError::Invalid);
}
