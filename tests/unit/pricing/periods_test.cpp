// From meter readings and state changes to the periods the engine prices.
#include <gtest/gtest.h>

#include "gridlane/pricing/periods.hpp"
#include "pricing_support.hpp"

namespace gridlane::pricing::test {
namespace {

MeterPoint reading(const char *t, std::int64_t wh) {
  return MeterPoint{at(t), core::Energy(wh), std::nullopt, std::nullopt};
}

SessionSamples session(const char *from, const char *to, std::int64_t start_wh, std::optional<std::int64_t> stop_wh) {
  SessionSamples s;
  s.started_at = at(from);
  s.ended_at = at(to);
  s.meter_start = core::Energy(start_wh);
  if (stop_wh) s.meter_stop = core::Energy(*stop_wh);
  return s;
}

TEST(PricingPeriods, charging_then_parking_shares_energy_by_the_register) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 1000, 21000);
  s.meter = {reading("2024-05-10T10:30:00Z", 6000), reading("2024-05-10T11:30:00Z", 21000)};
  s.states = {{at("2024-05-10T11:30:00Z"), PeriodState::Parking}};
  const auto p = build_periods(s);
  ASSERT_EQ(p.size(), 3u); // two charging stretches of different mean power, then parking
  EXPECT_EQ(p[0].state, PeriodState::Charging);
  EXPECT_EQ(p[0].energy, core::Energy(5000));
  EXPECT_EQ(p[0].max_power, core::Power(10000));
  EXPECT_EQ(p[1].energy, core::Energy(15000));
  EXPECT_EQ(p[1].max_power, core::Power(15000));
  EXPECT_EQ(p[2].state, PeriodState::Parking);
  EXPECT_EQ(p[2].start, at("2024-05-10T11:30:00Z"));
  EXPECT_EQ(p[2].end, at("2024-05-10T12:00:00Z"));
  EXPECT_EQ(p[2].energy, core::Energy(0));
}

TEST(PricingPeriods, a_cut_between_readings_is_interpolated) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 0, 12000);
  s.states = {{at("2024-05-10T10:30:00Z"), PeriodState::Parking}, {at("2024-05-10T11:00:00Z"), PeriodState::Charging}};
  const auto p = build_periods(s);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].energy, core::Energy(3000)); // a quarter of the time between start and stop
  EXPECT_EQ(p[1].energy, core::Energy(3000));
  EXPECT_EQ(p[2].energy, core::Energy(6000));
}

TEST(PricingPeriods, total_equals_meter_stop_minus_start_and_never_negative) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T11:00:00Z", 5000, 9000);
  // A reading out of order, one falling back, one above the stop value, one outside the session.
  s.meter = {reading("2024-05-10T10:40:00Z", 8000), reading("2024-05-10T10:20:00Z", 7000),
             reading("2024-05-10T10:30:00Z", 6000), reading("2024-05-10T10:50:00Z", 99000),
             reading("2024-05-10T09:00:00Z", 0)};
  s.states = {{at("2024-05-10T10:25:00Z"), PeriodState::Parking}, {at("2024-05-10T10:35:00Z"), PeriodState::Charging}};
  const auto p = build_periods(s);
  std::int64_t total = 0;
  for (const auto &x : p) {
    EXPECT_GE(x.energy.count(), 0);
    total += x.energy.count();
  }
  EXPECT_EQ(total, 4000);
}

TEST(PricingPeriods, a_running_session_uses_its_last_reading) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T10:45:00Z", 0, std::nullopt);
  s.meter = {reading("2024-05-10T10:30:00Z", 5000)};
  const auto p = build_periods(s);
  // The energy was drawn before the last reading: a time-of-day switch after it must not see
  // any of it (the stretch since the reading is a period of its own, with nothing drawn).
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].energy, core::Energy(5000));
  EXPECT_EQ(p[0].end, at("2024-05-10T10:30:00Z"));
  EXPECT_EQ(p[1].start, at("2024-05-10T10:30:00Z"));
  EXPECT_EQ(p[1].end, at("2024-05-10T10:45:00Z"));
  EXPECT_EQ(p[1].energy, core::Energy(0));
}

TEST(PricingPeriods, power_samples_open_periods_with_their_power) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T11:00:00Z", 0, 30000);
  s.meter = {MeterPoint{at("2024-05-10T10:00:00Z"), core::Energy(0), core::Power(48000), core::Current(70000)},
             MeterPoint{at("2024-05-10T10:20:00Z"), core::Energy(16000), core::Power(48000), std::nullopt},
             MeterPoint{at("2024-05-10T10:40:00Z"), core::Energy(28000), core::Power(6000), std::nullopt}};
  const auto p = build_periods(s);
  ASSERT_EQ(p.size(), 2u); // the same power twice is one period
  EXPECT_EQ(p[0].max_power, core::Power(48000));
  EXPECT_EQ(p[0].max_current, core::Current(70000));
  EXPECT_EQ(p[0].energy, core::Energy(28000));
  EXPECT_EQ(p[1].max_power, core::Power(6000));
  EXPECT_EQ(p[1].energy, core::Energy(2000));
}

TEST(PricingPeriods, without_power_samples_the_mean_power_between_readings_stands_in) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T11:00:00Z", 0, 12000);
  s.meter = {reading("2024-05-10T10:30:00Z", 10000)}; // 20 kW, then 4 kW
  s.states = {{at("2024-05-10T10:45:00Z"), PeriodState::Parking}, {at("2024-05-10T10:50:00Z"), PeriodState::Charging}};
  const auto p = build_periods(s);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].max_power, core::Power(20000));
  EXPECT_EQ(p[1].max_power, core::Power(4000));
  EXPECT_EQ(p[2].state, PeriodState::Parking);
  EXPECT_EQ(p[2].max_power, std::nullopt);
  EXPECT_EQ(p[3].max_power, core::Power(4000));
  // Priced by the OCPI max_power example's rule: below 16 kW 0.20, otherwise 0.50 per kWh.
  domain::TariffRestrictions below16;
  below16.max_power = dec("16");
  const auto t = tariff({element({energy("0.20")}, below16), element({energy("0.50")})});
  EXPECT_EQ(price(t, p, zone("UTC")).value().total_energy_cost->excl_vat, dec("5.4")); // 10 * 0.50 + 2 * 0.20
}

TEST(PricingPeriods, feeds_the_engine) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T12:40:00Z", 0, 20000);
  s.states = {{at("2024-05-10T12:00:00Z"), PeriodState::Parking}};
  const auto t = tariff({element({flat("0.50", "20"), energy("0.25", "10"), parking("2.00", "20", 900)})});
  const auto p = price(t, build_periods(s), zone("UTC")).value();
  EXPECT_EQ(p.total_cost.excl_vat, dec("7")); // the OCPI tariff_10 example again
}

TEST(PricingPeriods, nothing_for_a_session_that_ends_before_it_starts) {
  EXPECT_TRUE(build_periods(session("2024-05-10T10:00:00Z", "2024-05-10T09:00:00Z", 0, 10)).empty());
}

} // namespace
// A first-hour-free coupon prices the session up to an hour after its start.
TEST(PricingPeriods, periods_until_cuts_the_period_that_straddles_the_moment) {
  auto s = session("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 1000, 21000);
  s.meter = {reading("2024-05-10T10:30:00Z", 6000), reading("2024-05-10T11:30:00Z", 21000)};
  s.states = {{at("2024-05-10T11:30:00Z"), PeriodState::Parking}};
  const auto all = build_periods(s);
  ASSERT_EQ(all.size(), 3u);
  const auto first_hour = periods_until(all, at("2024-05-10T11:00:00Z"));
  ASSERT_EQ(first_hour.size(), 2u);
  EXPECT_EQ(first_hour[0].end, all[0].end);
  EXPECT_EQ(first_hour[0].energy, core::Energy(5000));
  EXPECT_EQ(first_hour[1].start, at("2024-05-10T10:30:00Z"));
  EXPECT_EQ(first_hour[1].end, at("2024-05-10T11:00:00Z"));
  EXPECT_EQ(first_hour[1].energy, core::Energy(7500)); // half the time of 15,000 Wh
  EXPECT_EQ(first_hour[1].max_power, all[1].max_power);
  // At a period's end: whole periods; before the start: nothing; after the end: all of it.
  EXPECT_EQ(periods_until(all, at("2024-05-10T10:30:00Z")).size(), 1u);
  EXPECT_TRUE(periods_until(all, at("2024-05-10T10:00:00Z")).empty());
  const auto whole = periods_until(all, at("2024-05-10T13:00:00Z"));
  ASSERT_EQ(whole.size(), 3u);
  EXPECT_EQ(whole[2].end, all[2].end);
  // Rounded down to the Wh: a third of 10 Wh is 3.
  std::vector<SessionPeriod> odd = {{at("2024-05-10T10:00:00Z"), at("2024-05-10T10:03:00Z"), PeriodState::Charging,
                                     core::Energy(10), std::nullopt, std::nullopt}};
  EXPECT_EQ(periods_until(odd, at("2024-05-10T10:01:00Z")).front().energy, core::Energy(3));
}

} // namespace gridlane::pricing::test
