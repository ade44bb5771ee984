// The engine on cases of our own: across midnight, across a daylight-saving change in the
// location's zone, step sizes where elements switch, max_price and min_price, parking after
// charging, reservations, and the periods it refuses.
#include <gtest/gtest.h>

#include "pricing_support.hpp"

namespace gridlane::pricing::test {
namespace {

using domain::ClockTime;
using domain::DayOfWeek;
using domain::TariffRestrictions;

TariffRestrictions between(int h1, int h2) {
  TariffRestrictions r;
  r.start_time = ClockTime{h1, 0};
  r.end_time = ClockTime{h2, 0};
  return r;
}

// Night energy 22:00-06:00 (wrapping midnight) at 0.20, day 0.30.
domain::Tariff night_and_day() {
  return tariff({element({energy("0.20", "19")}, between(22, 6)), element({energy("0.30", "19")})});
}

TEST(PricingCases, night_rate_across_midnight) {
  // 21:00 to 07:00 UTC, 1 kWh an hour: 1 h day, 8 h night, 1 h day.
  const auto p = priced(night_and_day(), {charging("2024-05-10T21:00:00Z", "2024-05-11T07:00:00Z", 10000)});
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("2.2")); // 8 * 0.20 + 2 * 0.30
  ASSERT_EQ(p.charging_periods.size(), 3u);
  EXPECT_EQ(p.charging_periods[1].start_date_time, at("2024-05-10T22:00:00Z"));
  EXPECT_EQ(p.charging_periods[2].start_date_time, at("2024-05-11T06:00:00Z"));
  EXPECT_EQ(p.charging_periods[1].dimensions[0].volume, dec("8"));
}

TEST(PricingCases, restrictions_read_in_the_location_zone) {
  // The same UTC session in Berlin (CEST, UTC+2): night ends at 04:00Z, starts at 20:00Z.
  const auto p =
      priced(night_and_day(), {charging("2024-05-10T21:00:00Z", "2024-05-11T07:00:00Z", 10000)}, "Europe/Berlin");
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("2.3")); // 21-04Z night (7 h), 04-07Z day (3 h)
  EXPECT_EQ(p.charging_periods[1].start_date_time, at("2024-05-11T04:00:00Z"));
}

TEST(PricingCases, weekday_changes_at_local_midnight) {
  TariffRestrictions weekend;
  weekend.day_of_week = {DayOfWeek::Saturday, DayOfWeek::Sunday};
  const auto t = tariff({element({time("1.00")}, weekend), element({time("3.00")})});
  // Friday 23:00 to Saturday 01:00 in Berlin (CEST): Saturday starts at 22:00Z.
  const auto p = priced(t, {charging("2024-05-10T21:00:00Z", "2024-05-10T23:00:00Z", 1000)}, "Europe/Berlin");
  EXPECT_EQ(p.total_time_cost->excl_vat, dec("4")); // 1 h Friday at 3.00, 1 h Saturday at 1.00
}

TEST(PricingCases, dst_spring_forward_in_berlin) {
  // 31 March 2024: 02:00 CET becomes 03:00 CEST. The night ends at 06:00 CEST, 04:00Z, not at
  // 05:00Z as the winter offset would have it. 00:00 CET (23:00Z) to 07:00 CEST (05:00Z).
  const auto p =
      priced(night_and_day(), {charging("2024-03-30T23:00:00Z", "2024-03-31T05:00:00Z", 6000)}, "Europe/Berlin");
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("1.3")); // 5 kWh night, 1 kWh day
  EXPECT_EQ(p.charging_periods.back().start_date_time, at("2024-03-31T04:00:00Z"));
}

TEST(PricingCases, dst_fall_back_repeats_the_hour) {
  // 27 October 2024: 03:00 CEST becomes 02:00 CET, the local hour 02:00-03:00 happens twice
  // (00:00Z-02:00Z) and an element for that hour applies for two hours.
  const auto t = tariff({element({time("10.00")}, between(2, 3)), element({time("1.00")})});
  const auto p = priced(t, {charging("2024-10-26T23:00:00Z", "2024-10-27T03:00:00Z", 1000)}, "Europe/Berlin");
  EXPECT_EQ(p.total_time_cost->excl_vat, dec("22")); // 2 h at 10.00, 2 h at 1.00
  EXPECT_EQ(p.total_time, dec("4"));
}

TEST(PricingCases, dst_skipped_start_time_switches_at_the_change) {
  // A rule from 02:30 on the night 02:00-03:00 does not exist: it is in force from 03:00 CEST
  // (the change, 01:00Z), not from 03:30.
  TariffRestrictions from_0230;
  from_0230.start_time = ClockTime{2, 30};
  from_0230.end_time = ClockTime{5, 0};
  const auto t = tariff({element({time("10.00")}, from_0230), element({time("1.00")})});
  const auto p = priced(t, {charging("2024-03-31T00:00:00Z", "2024-03-31T02:00:00Z", 1000)}, "Europe/Berlin");
  ASSERT_EQ(p.charging_periods.size(), 2u);
  EXPECT_EQ(p.charging_periods[1].start_date_time, at("2024-03-31T01:00:00Z"));
  EXPECT_EQ(p.total_time_cost->excl_vat, dec("11"));
}

TEST(PricingCases, weeks_of_parking_across_a_dst_change) {
  // Parked three weeks in Berlin, parking priced 08:00-18:00 local: 10 hours a day, and the
  // window moves from 07:00Z (CET) to 06:00Z (CEST) after 31 March.
  const auto t = tariff({element({parking("1.00")}, between(8, 18))});
  const auto p = priced(t, {parked("2024-03-20T00:00:00Z", "2024-04-10T00:00:00Z")}, "Europe/Berlin");
  EXPECT_EQ(p.total_parking_cost->excl_vat, dec("210"));
  EXPECT_EQ(p.total_parking_time, dec("504"));
  bool cet = false, cest = false;
  for (const auto &cp : p.charging_periods) {
    cet = cet || cp.start_date_time == at("2024-03-21T07:00:00Z");
    cest = cest || cp.start_date_time == at("2024-04-01T06:00:00Z");
  }
  EXPECT_TRUE(cet);
  EXPECT_TRUE(cest);
  EXPECT_EQ(p.charging_periods.size(), 43u); // 21 windows, the 22 stretches around them
}

TEST(PricingCases, energy_step_of_the_last_element_over_the_session_total) {
  // 2.5 kWh before 17:00 (step 1000 Wh), 0.25 kWh after (step 100 Wh): 2.75 kWh in total,
  // rounded by the last step to 2.8, so 0.3 kWh is billed after 17:00. The earlier step (which
  // would round to 3 kWh) plays no part.
  const auto t = tariff({element({energy("0.20", nullptr, 1000)}, between(0, 17)),
                         element({energy("0.30", nullptr, 100)}, between(17, 0))});
  const auto p = priced(t, {charging("2024-05-10T16:00:00Z", "2024-05-10T17:00:00Z", 2500),
                            charging("2024-05-10T17:00:00Z", "2024-05-10T17:15:00Z", 250)});
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("0.59"));
  EXPECT_EQ(p.total_energy, dec("2.75"));
}

TEST(PricingCases, time_step_rounds_the_total_not_each_period) {
  // 10 min before 17:00 at 6.00/h, 10 min after at 12.00/h, both step 15 min: 20 min billed as
  // 30, the 10 extra minutes at the later price: 1.00 + 4.00.
  const auto t =
      tariff({element({time("6.00", nullptr, 900)}, between(0, 17)), element({time("12.00", nullptr, 900)})});
  const auto p = priced(t, {charging("2024-05-10T16:50:00Z", "2024-05-10T17:10:00Z", 1000)});
  EXPECT_EQ(p.total_time_cost->excl_vat, dec("5"));
}

TEST(PricingCases, max_price_caps_both_totals_and_vat_shares_follow) {
  auto t = tariff({element({flat("1.00", "7"), energy("0.40", "19")})});
  t.max_price = domain::Price{dec("10.00"), dec("11.50")};
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 40000)});
  EXPECT_EQ(p.total_cost.excl_vat, dec("10"));
  EXPECT_EQ(p.total_cost.incl_vat, dec("11.5"));
  core::Decimal excl, vat;
  for (const auto &s : p.vat) {
    excl = excl.plus(s.excl_vat).value();
    vat = vat.plus(s.vat).value();
  }
  EXPECT_EQ(excl, dec("10"));
  EXPECT_EQ(vat, dec("1.5"));
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("16")); // the dimensions keep what they cost
}

TEST(PricingCases, max_price_incl_vat_alone_can_bind) {
  // 10.00 excl. at 19 % is 11.90 incl.; max 12.00 excl. does not bind, 11.00 incl. does.
  auto t = tariff({element({energy("0.25", "19")})});
  t.max_price = domain::Price{dec("12.00"), dec("11.00")};
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 40000)});
  EXPECT_EQ(p.total_cost.excl_vat, dec("10"));
  EXPECT_EQ(p.total_cost.incl_vat, dec("11"));
}

TEST(PricingCases, max_price_without_incl_vat_scales_the_vat) {
  // 16.00 excl. at 10 % capped at 8.00 excl. (no bound incl. VAT given): the VAT halves too.
  auto t = tariff({element({energy("0.40", "10")})});
  t.max_price = domain::Price{dec("8.00"), std::nullopt};
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 40000)});
  EXPECT_EQ(p.total_cost.excl_vat, dec("8"));
  EXPECT_EQ(p.total_cost.incl_vat, dec("8.8"));
}

TEST(PricingCases, min_price_raises_an_empty_session) {
  auto t = tariff({element({energy("0.25", "10")})});
  t.min_price = domain::Price{dec("1.00"), dec("1.10")};
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T10:05:00Z", 0)});
  EXPECT_EQ(p.total_cost.excl_vat, dec("1"));
  EXPECT_EQ(p.total_cost.incl_vat, dec("1.1"));
  ASSERT_FALSE(p.vat.empty());
}

TEST(PricingCases, idle_fee_after_a_grace_period) {
  // Parking is free for the first 2 hours of the session, then 6.00/h per started 15 min.
  TariffRestrictions grace;
  grace.max_duration = 7200;
  const auto t = tariff({element({energy("0.30", "19")}), element({parking("0.00", "19")}, grace),
                         element({parking("6.00", "19", 900)})});
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T11:30:00Z", 22000),
                            parked("2024-05-10T11:30:00Z", "2024-05-10T12:40:00Z")});
  // 40 min of parking after the grace period, billed as 45: 4.50; energy 6.60.
  EXPECT_EQ(p.total_parking_cost->excl_vat, dec("4.5"));
  EXPECT_EQ(p.total_cost.excl_vat, dec("11.1"));
  EXPECT_EQ(p.total_parking_time, dec("1.166667"));
  EXPECT_EQ(p.total_time, dec("2.666667"));
  ASSERT_EQ(p.charging_periods.size(), 3u);
  EXPECT_EQ(p.charging_periods[2].start_date_time, at("2024-05-10T12:00:00Z"));
  EXPECT_EQ(p.charging_periods[2].dimensions[0].type, domain::CdrDimensionType::ParkingTime);
}

TEST(PricingCases, parking_between_two_charging_stretches) {
  const auto t = tariff({element({time("2.00", "19", 60), parking("4.00", "19", 60)})});
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T10:30:00Z", 5000),
                            parked("2024-05-10T10:30:00Z", "2024-05-10T10:45:00Z"),
                            charging("2024-05-10T10:45:00Z", "2024-05-10T11:15:00Z", 4000)});
  EXPECT_EQ(p.total_time_cost->excl_vat, dec("2"));
  EXPECT_EQ(p.total_parking_cost->excl_vat, dec("1"));
  EXPECT_EQ(p.total_parking_time, dec("0.25"));
  EXPECT_EQ(p.total_energy, dec("9"));
  EXPECT_EQ(p.charging_periods.size(), 3u);
}

TEST(PricingCases, current_restriction_follows_each_period) {
  TariffRestrictions fast;
  fast.min_current = dec("32");
  const auto t = tariff({element({energy("0.50")}, fast), element({energy("0.30")})});
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T10:30:00Z", 10000, 22000, 96000),
                            charging("2024-05-10T10:30:00Z", "2024-05-10T11:00:00Z", 3000, 7000, 31999),
                            charging("2024-05-10T11:00:00Z", "2024-05-10T11:10:00Z", 1000)});
  // 10 kWh at >= 32 A, 3 kWh below, 1 kWh with no current measured (the restriction does not match).
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("6.2"));
}

TEST(PricingCases, kwh_threshold_splits_a_period) {
  TariffRestrictions first10;
  first10.max_kwh = dec("10");
  const auto t = tariff({element({energy("0.10")}, first10), element({energy("0.40")})});
  const auto p = priced(t, {charging("2024-05-10T10:00:00Z", "2024-05-10T12:00:00Z", 20000)});
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("5"));
  ASSERT_EQ(p.charging_periods.size(), 2u);
  EXPECT_EQ(p.charging_periods[1].start_date_time, at("2024-05-10T11:00:00Z"));
  EXPECT_EQ(p.charging_periods[0].dimensions[0].volume, dec("10"));
}

TEST(PricingCases, reservation_time_and_its_own_step) {
  TariffRestrictions r;
  r.reservation = domain::ReservationRestriction::Reservation;
  const auto t = tariff({element({time("6.00", "20", 600)}, r), element({time("2.00", "20", 60)})});
  const auto p = priced(t, {reserved("2024-05-10T09:48:00Z", "2024-05-10T10:00:00Z"),
                            charging("2024-05-10T10:00:00Z", "2024-05-10T11:01:00Z", 5000)});
  EXPECT_EQ(p.total_reservation_cost->excl_vat, dec("2")); // 12 min billed as 20
  EXPECT_EQ(p.total_time_cost->excl_vat, dec("2.033333").rounded(4, core::Rounding::HalfUp).value()); // 61 min
  EXPECT_EQ(p.total_time, dec("1.016667")); // reservation time is not session time
  ASSERT_EQ(p.charging_periods.size(), 2u);
  EXPECT_EQ(p.charging_periods[0].dimensions[0].type, domain::CdrDimensionType::ReservationTime);
}

TEST(PricingCases, no_periods_cost_nothing) {
  const auto t = tariff({element({flat("1.00", "19"), energy("0.30", "19")})});
  const auto p = priced(t, {});
  EXPECT_EQ(p.total_cost.excl_vat, dec("0"));
  EXPECT_TRUE(p.charging_periods.empty());
}

TEST(PricingCases, refuses_overlapping_or_backward_periods) {
  const auto t = tariff({element({energy("0.30")})});
  const auto utc = zone("UTC");
  std::vector<SessionPeriod> backward{charging("2024-05-10T11:00:00Z", "2024-05-10T10:00:00Z", 1)};
  auto r = price(t, backward, utc);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, std::optional<std::string>("periods[0].end"));
  std::vector<SessionPeriod> overlap{charging("2024-05-10T10:00:00Z", "2024-05-10T11:00:00Z", 1),
                                     parked("2024-05-10T10:30:00Z", "2024-05-10T12:00:00Z")};
  r = price(t, overlap, utc);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, std::optional<std::string>("periods[1].start"));
  std::vector<SessionPeriod> late_reservation{charging("2024-05-10T10:00:00Z", "2024-05-10T11:00:00Z", 1),
                                              reserved("2024-05-10T11:00:00Z", "2024-05-10T12:00:00Z")};
  EXPECT_FALSE(price(t, late_reservation, utc));
  std::vector<SessionPeriod> absurd{charging("2024-05-10T10:00:00Z", "2024-05-10T11:00:00Z", 1'000'000'000'001)};
  EXPECT_FALSE(price(t, absurd, utc));
  std::vector<SessionPeriod> year_long{charging("2024-05-10T10:00:00Z", "2025-07-10T11:00:00Z", 1)}; // 426 days
  EXPECT_FALSE(price(t, year_long, utc));
}

} // namespace
} // namespace gridlane::pricing::test
