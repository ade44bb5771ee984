// The NEVI uptime arithmetic (23 CFR 680.116(b)): months in a location's zone with their
// daylight-saving hour, outages clipped to the period, overlaps counted once, exclusions, and the
// percentage rounded down to two decimals; EVSE states from connector statuses.
#include <gtest/gtest.h>

#include "gridlane/domain/availability.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

Timestamp at(const char *text) {
  return *core::parse_iso8601(text);
}

constexpr std::int64_t minute = 60'000;

core::TimeZone berlin() {
  auto z = core::TimeZone::find("Europe/Berlin");
  EXPECT_TRUE(z.has_value());
  return *z;
}

TEST(Uptime, a_berlin_month_with_the_spring_change_has_743_hours) {
  auto march = month_period(berlin(), 2026, 3);
  ASSERT_TRUE(march);
  EXPECT_EQ(march->from, at("2026-02-28T23:00:00Z")); // 00:00 CET
  EXPECT_EQ(march->to, at("2026-03-31T22:00:00Z"));   // 00:00 CEST
  EXPECT_EQ((march->to - march->from).count(), 743LL * 60 * minute);
  auto october = month_period(berlin(), 2026, 10);
  ASSERT_TRUE(october);
  EXPECT_EQ((october->to - october->from).count(), 745LL * 60 * minute);
  auto december = month_period(berlin(), 2026, 12); // into the next year
  ASSERT_TRUE(december);
  EXPECT_EQ(december->to, at("2026-12-31T23:00:00Z"));
  EXPECT_FALSE(month_period(berlin(), 2026, 13));
}

TEST(Uptime, march_in_berlin_with_outages_exclusions_and_the_daylight_saving_change) {
  auto march = *month_period(berlin(), 2026, 3);
  const std::vector<OutageSpan> outages{
      // Began before the month: only its hour within March counts (23:00-00:00 UTC).
      {at("2026-02-28T22:00:00Z"), at("2026-03-01T00:00:00Z"), false},
      // 150 min, and an overlapping one that adds 30 min: 180 min once.
      {at("2026-03-02T10:00:00Z"), at("2026-03-02T12:30:00Z"), false},
      {at("2026-03-02T12:00:00Z"), at("2026-03-02T13:00:00Z"), false},
      // Across the change (02:00 CET -> 03:00 CEST at 01:00 UTC): 90 real minutes, excluded.
      {at("2026-03-29T00:30:00Z"), at("2026-03-29T02:00:00Z"), true},
      // Still going on: counted to the month's end.
      {at("2026-03-31T21:00:00Z"), std::nullopt, false},
      // After the month: nothing.
      {at("2026-04-01T10:00:00Z"), at("2026-04-01T11:00:00Z"), false},
  };
  auto u = port_uptime(march, outages, at("2026-04-05T00:00:00Z"));
  EXPECT_EQ(u.ports, 1);
  EXPECT_EQ(u.period_ms, 44580 * minute); // 743 h
  EXPECT_EQ(u.outage_ms, 390 * minute);   // 60 + 180 + 90 + 60
  EXPECT_EQ(u.excluded_ms, 90 * minute);
  // (44580 - (390 - 90)) / 44580 x 100 = 99.3270...: rounded down, not up to 99.33.
  EXPECT_EQ(u.percent().to_fixed(2, core::Rounding::Down), "99.32");
  EXPECT_EQ(minutes_of(u.period_ms).to_string(), "44580");
  EXPECT_EQ(minutes_of(u.outage_ms - u.excluded_ms).to_string(), "300");
}

TEST(Uptime, october_in_berlin_counts_745_hours) {
  auto october = *month_period(berlin(), 2026, 10);
  // 447 min down out of 44700: exactly 99 %.
  const std::vector<OutageSpan> outages{{at("2026-10-25T00:00:00Z"), at("2026-10-25T07:27:00Z"), false}};
  auto u = port_uptime(october, outages, at("2026-11-02T00:00:00Z"));
  EXPECT_EQ(u.period_ms, 44700 * minute);
  EXPECT_EQ(u.percent().to_fixed(2, core::Rounding::Down), "99.00");
}

TEST(Uptime, a_month_not_over_counts_only_its_past) {
  auto march = *month_period(berlin(), 2026, 3);
  const std::vector<OutageSpan> outages{{at("2026-03-01T10:00:00Z"), std::nullopt, false}};
  auto u = port_uptime(march, outages, at("2026-03-01T11:00:00Z")); // 12 h in, down for the last hour
  EXPECT_EQ(u.period_ms, std::int64_t{12} * 60 * minute);
  EXPECT_EQ(u.outage_ms, 60 * minute);
  EXPECT_EQ(u.percent().to_fixed(2, core::Rounding::Down), "91.66"); // 11/12 = 91.666...
  auto before = port_uptime(march, outages, at("2026-02-01T00:00:00Z"));
  EXPECT_EQ(before.period_ms, 0);
  EXPECT_EQ(before.percent().to_fixed(2, core::Rounding::Down), "100.00");
}

TEST(Uptime, ninety_seven_percent_is_reached_exactly_and_missed_by_a_millisecond) {
  Period january{at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z")}; // 44640 min
  const auto allowed = 44640 * minute * 3 / 100;                          // 1339.2 min
  std::vector<OutageSpan> outages{
      {at("2026-01-10T00:00:00Z"), at("2026-01-10T00:00:00Z") + std::chrono::milliseconds(allowed), false}};
  EXPECT_EQ(port_uptime(january, outages, at("2026-03-01T00:00:00Z")).percent().to_fixed(2, core::Rounding::Down),
            "97.00");
  outages[0].ended = *outages[0].ended + std::chrono::milliseconds(1);
  EXPECT_EQ(port_uptime(january, outages, at("2026-03-01T00:00:00Z")).percent().to_fixed(2, core::Rounding::Down),
            "96.99");
  EXPECT_EQ(minutes_of(allowed).to_string(), "1339.2");
}

TEST(Uptime, a_station_sums_its_ports_minutes) {
  Period day{at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z")}; // 1440 min per port
  const std::vector<OutageSpan> first{{at("2026-01-01T00:00:00Z"), at("2026-01-01T02:24:00Z"), false}}; // 144 min
  const std::vector<OutageSpan> second{{at("2026-01-01T05:00:00Z"), at("2026-01-01T06:00:00Z"), true}};
  Uptime station;
  station += port_uptime(day, first, at("2026-02-01T00:00:00Z"));
  station += port_uptime(day, second, at("2026-02-01T00:00:00Z"));
  EXPECT_EQ(station.ports, 2);
  EXPECT_EQ(station.period_ms, 2880 * minute);
  EXPECT_EQ(station.outage_ms, 204 * minute);
  EXPECT_EQ(station.excluded_ms, 60 * minute);
  EXPECT_EQ(station.percent().to_fixed(2, core::Rounding::Down), "95.00"); // (2880 - 144) / 2880
}

TEST(EvseStates, connectors_combine_best_first_and_names_round_trip) {
  using S = ConnectorStatus;
  const S charging_and_faulted[] = {S::Faulted, S::SuspendedEV};
  EXPECT_EQ(combine_connectors(charging_and_faulted), EvseState::Charging);
  const S faulted_and_unavailable[] = {S::Unavailable, S::Faulted};
  EXPECT_EQ(combine_connectors(faulted_and_unavailable), EvseState::Faulted);
  const S reserved[] = {S::Reserved};
  EXPECT_EQ(combine_connectors(reserved), EvseState::Available);
  EXPECT_EQ(combine_connectors({}), EvseState::Available);
  EXPECT_FALSE(is_up(EvseState::Offline));
  EXPECT_TRUE(is_up(EvseState::Charging));
  for (const auto &[state, name] : evse_states)
    EXPECT_EQ(value_of(evse_states, name), state);
  for (const auto &[reason, name] : exclusion_reasons)
    EXPECT_EQ(value_of(exclusion_reasons, name), reason);
  EXPECT_EQ(value_of(exclusion_reasons, "Grid_Outage"), std::nullopt);
}

} // namespace
