// Civil time in IANA zones across daylight-saving changes, over the system tz database.
#include <gtest/gtest.h>

#include "../../../src/core/tz_rule.hpp" // internal: the closing-rule reader, checked against the database
#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"

using namespace gridlane::core;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

Timestamp utc(const char *text) {
  auto t = parse_iso8601(text);
  EXPECT_TRUE(t) << text;
  return t ? *t : Timestamp{};
}

CivilTime local(const char *utc_text, const char *zone) {
  auto c = to_local(utc(utc_text), zone);
  EXPECT_TRUE(c) << zone;
  return c ? *c : CivilTime{};
}

std::string utc_of(LocalDateTime l, const char *zone, LocalTimePolicy p = {}) {
  auto t = to_utc(l, zone, p);
  return t ? format_iso8601(*t) : std::string(to_string(t.error()));
}

} // namespace

TEST(TimeZone, knows_iana_zones_and_refuses_other_names) {
  for (const char *zone : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"}) {
    EXPECT_TRUE(is_valid_zone(zone)) << zone;
  }
  for (const char *bad : {"", "Europe/Berln", "europe/berlin", "CEST", "+02:00", "../etc/passwd",
                          "/usr/share/zoneinfo/UTC", "Europe/Berlin "}) {
    EXPECT_FALSE(is_valid_zone(bad)) << bad;
  }
  EXPECT_EQ(to_local(utc("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons").error(), TzError::UnknownZone);
  EXPECT_EQ(to_utc({2026, 1, 1}, "Mars/Olympus_Mons").error(), TzError::UnknownZone);
  EXPECT_EQ(TimeZone::find("Europe/Berlin")->name(), "Europe/Berlin");
}

TEST(TimeZone, reads_berlin_winter_and_summer_time) {
  const auto winter = local("2026-01-15T12:00:00.250Z", "Europe/Berlin");
  EXPECT_EQ(winter.local, (LocalDateTime{2026, 1, 15, 13, 0, 0, 250}));
  EXPECT_EQ(winter.utc_offset, hours{1});
  EXPECT_FALSE(winter.dst);
  EXPECT_EQ(winter.abbreviation, "CET");
  EXPECT_EQ(winter.weekday, 4); // a Thursday
  const auto summer = local("2026-07-15T12:00:00Z", "Europe/Berlin");
  EXPECT_EQ(summer.local, (LocalDateTime{2026, 7, 15, 14, 0, 0, 0}));
  EXPECT_EQ(summer.utc_offset, hours{2});
  EXPECT_TRUE(summer.dst);
  EXPECT_EQ(summer.abbreviation, "CEST");
}

// 2026-03-29 (last Sunday of March): 02:00 CET becomes 03:00 CEST at 01:00 UTC.
TEST(TimeZone, berlin_spring_forward_skips_an_hour) {
  EXPECT_EQ(local("2026-03-29T00:59:59Z", "Europe/Berlin").local, (LocalDateTime{2026, 3, 29, 1, 59, 59, 0}));
  const auto after = local("2026-03-29T01:00:00Z", "Europe/Berlin");
  EXPECT_EQ(after.local, (LocalDateTime{2026, 3, 29, 3, 0, 0, 0}));
  EXPECT_EQ(after.weekday, 7); // Sunday
  EXPECT_EQ(utc_of({2026, 3, 29, 1, 30}, "Europe/Berlin"), "2026-03-29T00:30:00.000Z");
  EXPECT_EQ(utc_of({2026, 3, 29, 3, 30}, "Europe/Berlin"), "2026-03-29T01:30:00.000Z");
  // 02:30 does not exist: moved forward by the gap, to 03:30 CEST, or refused.
  EXPECT_EQ(utc_of({2026, 3, 29, 2, 30}, "Europe/Berlin"), "2026-03-29T01:30:00.000Z");
  EXPECT_EQ(utc_of({2026, 3, 29, 2, 0}, "Europe/Berlin"), "2026-03-29T01:00:00.000Z");
  LocalTimePolicy refuse;
  refuse.nonexistent = LocalTimePolicy::Nonexistent::Refuse;
  EXPECT_EQ(to_utc({2026, 3, 29, 2, 30}, "Europe/Berlin", refuse).error(), TzError::Nonexistent);
  EXPECT_TRUE(to_utc({2026, 3, 29, 3, 0}, "Europe/Berlin", refuse));
}

// 2026-10-25 (last Sunday of October): 03:00 CEST becomes 02:00 CET at 01:00 UTC.
TEST(TimeZone, berlin_fall_back_repeats_an_hour) {
  const auto first = local("2026-10-25T00:30:00Z", "Europe/Berlin");
  const auto second = local("2026-10-25T01:30:00Z", "Europe/Berlin");
  EXPECT_EQ(first.local, (LocalDateTime{2026, 10, 25, 2, 30, 0, 0}));
  EXPECT_EQ(second.local, first.local);
  EXPECT_TRUE(first.dst);
  EXPECT_FALSE(second.dst);
  EXPECT_EQ(first.abbreviation, "CEST");
  EXPECT_EQ(second.abbreviation, "CET");
  // 02:30 happens twice: the earlier by default, the later on request, or refused.
  EXPECT_EQ(utc_of({2026, 10, 25, 2, 30}, "Europe/Berlin"), "2026-10-25T00:30:00.000Z");
  LocalTimePolicy later;
  later.ambiguous = LocalTimePolicy::Ambiguous::Later;
  EXPECT_EQ(utc_of({2026, 10, 25, 2, 30}, "Europe/Berlin", later), "2026-10-25T01:30:00.000Z");
  LocalTimePolicy refuse;
  refuse.ambiguous = LocalTimePolicy::Ambiguous::Refuse;
  EXPECT_EQ(to_utc({2026, 10, 25, 2, 30}, "Europe/Berlin", refuse).error(), TzError::Ambiguous);
  EXPECT_EQ(utc_of({2026, 10, 25, 3, 0}, "Europe/Berlin", refuse), "2026-10-25T02:00:00.000Z");
  EXPECT_EQ(utc_of({2026, 10, 25, 1, 59, 59}, "Europe/Berlin", refuse), "2026-10-24T23:59:59.000Z");
}

// 2026: DST from 2026-03-08 02:00 EST (07:00 UTC) to 2026-11-01 02:00 EDT (06:00 UTC).
TEST(TimeZone, new_york_changes_on_its_own_dates) {
  EXPECT_EQ(local("2026-03-08T06:59:00Z", "America/New_York").local, (LocalDateTime{2026, 3, 8, 1, 59, 0, 0}));
  EXPECT_EQ(local("2026-03-08T07:00:00Z", "America/New_York").local, (LocalDateTime{2026, 3, 8, 3, 0, 0, 0}));
  EXPECT_EQ(local("2026-03-08T07:00:00Z", "America/New_York").utc_offset, hours{-4});
  EXPECT_EQ(local("2026-03-08T07:00:00Z", "America/New_York").abbreviation, "EDT");
  // Berlin is still on winter time that day: the gap between the zones is 5 hours, not 6.
  EXPECT_EQ(local("2026-03-08T07:00:00Z", "Europe/Berlin").utc_offset, hours{1});
  EXPECT_EQ(utc_of({2026, 3, 8, 2, 15}, "America/New_York"), "2026-03-08T07:15:00.000Z");
  EXPECT_EQ(utc_of({2026, 11, 1, 1, 30}, "America/New_York"), "2026-11-01T05:30:00.000Z");
  LocalTimePolicy later;
  later.ambiguous = LocalTimePolicy::Ambiguous::Later;
  EXPECT_EQ(utc_of({2026, 11, 1, 1, 30}, "America/New_York", later), "2026-11-01T06:30:00.000Z");
  // Crossing midnight backwards: 02:00 UTC on 1 January is the evening before in New York.
  const auto nye = local("2026-01-01T02:00:00Z", "America/New_York");
  EXPECT_EQ(nye.local, (LocalDateTime{2025, 12, 31, 21, 0, 0, 0}));
  EXPECT_EQ(nye.weekday, 3); // a Wednesday
}

// Southern hemisphere, 2026: summer time (AEDT, +11) ends 2026-04-05 03:00 -> 02:00 and starts
// again 2026-10-04 02:00 -> 03:00 (AEST +10 in between).
TEST(TimeZone, sydney_has_summer_time_in_the_southern_summer) {
  const auto january = local("2026-01-15T00:00:00Z", "Australia/Sydney");
  EXPECT_EQ(january.utc_offset, hours{11});
  EXPECT_TRUE(january.dst);
  EXPECT_EQ(local("2026-07-15T00:00:00Z", "Australia/Sydney").utc_offset, hours{10});
  EXPECT_FALSE(local("2026-07-15T00:00:00Z", "Australia/Sydney").dst);
  // The repeated hour in April: 02:30 local is 15:30 UTC (AEDT) or 16:30 UTC (AEST) the day before.
  EXPECT_EQ(utc_of({2026, 4, 5, 2, 30}, "Australia/Sydney"), "2026-04-04T15:30:00.000Z");
  LocalTimePolicy later;
  later.ambiguous = LocalTimePolicy::Ambiguous::Later;
  EXPECT_EQ(utc_of({2026, 4, 5, 2, 30}, "Australia/Sydney", later), "2026-04-04T16:30:00.000Z");
  // The skipped hour in October.
  LocalTimePolicy refuse;
  refuse.nonexistent = LocalTimePolicy::Nonexistent::Refuse;
  EXPECT_EQ(to_utc({2026, 10, 4, 2, 30}, "Australia/Sydney", refuse).error(), TzError::Nonexistent);
  EXPECT_EQ(utc_of({2026, 10, 4, 2, 30}, "Australia/Sydney"), "2026-10-03T16:30:00.000Z"); // 03:30 AEDT
  EXPECT_EQ(local("2026-10-03T16:30:00Z", "Australia/Sydney").local, (LocalDateTime{2026, 10, 4, 3, 30, 0, 0}));
}

TEST(TimeZone, kolkata_has_a_half_hour_offset_and_no_dst) {
  for (const char *t : {"2026-01-15T12:00:00Z", "2026-07-15T12:00:00Z"}) {
    const auto c = local(t, "Asia/Kolkata");
    EXPECT_EQ(c.utc_offset, hours{5} + minutes{30}) << t;
    EXPECT_FALSE(c.dst) << t;
    EXPECT_EQ(c.local.hour, 17) << t;
    EXPECT_EQ(c.local.minute, 30) << t;
  }
  EXPECT_EQ(utc_of({2026, 3, 29, 2, 30}, "Asia/Kolkata"), "2026-03-28T21:00:00.000Z");
  // The old name is a link in the database: the same zone.
  EXPECT_EQ(local("2026-01-15T12:00:00Z", "Asia/Calcutta").utc_offset, hours{5} + minutes{30});
}

TEST(TimeZone, round_trips_every_quarter_hour_of_a_dst_day) {
  const auto zone = *TimeZone::find("Europe/Berlin");
  for (auto t = utc("2026-10-24T20:00:00Z"); t < utc("2026-10-25T06:00:00Z"); t += minutes{15}) {
    LocalTimePolicy p;
    const auto c = zone.to_local(t);
    p.ambiguous = c.dst ? LocalTimePolicy::Ambiguous::Earlier : LocalTimePolicy::Ambiguous::Later;
    EXPECT_EQ(*zone.to_utc(c.local, p), t) << format_iso8601(t);
  }
}

TEST(TimeZone, refuses_local_times_that_are_no_dates) {
  for (const LocalDateTime bad :
       {LocalDateTime{2026, 2, 29}, LocalDateTime{2026, 13, 1}, LocalDateTime{2026, 0, 1}, LocalDateTime{2026, 4, 31},
        LocalDateTime{2026, 1, 1, 24}, LocalDateTime{2026, 1, 1, 0, 60}, LocalDateTime{2026, 1, 1, 0, 0, 60},
        LocalDateTime{2026, 1, 1, 0, 0, 0, 1000}, LocalDateTime{2026, 1, 1, -1}}) {
    EXPECT_EQ(to_utc(bad, "UTC").error(), TzError::InvalidLocalTime);
  }
  EXPECT_EQ(utc_of({2028, 2, 29, 12}, "UTC"), "2028-02-29T12:00:00.000Z");
}

// The tz files list transitions up to 2037 and close with a POSIX rule for the years after.
TEST(TimeZone, follows_the_zone_rule_after_the_last_listed_transition) {
  const auto july = local("2040-07-01T12:00:00Z", "Europe/Berlin");
  EXPECT_EQ(july.utc_offset, hours{2});
  EXPECT_TRUE(july.dst);
  EXPECT_EQ(july.abbreviation, "CEST");
  EXPECT_EQ(local("2040-01-15T12:00:00Z", "Europe/Berlin").utc_offset, hours{1});
  EXPECT_EQ(local("2100-07-01T12:00:00Z", "Europe/Berlin").utc_offset, hours{2});
  EXPECT_EQ(local("2040-07-01T12:00:00Z", "Australia/Sydney").utc_offset, hours{10});
  EXPECT_EQ(local("2041-01-15T12:00:00Z", "Australia/Sydney").utc_offset, hours{11});
  EXPECT_EQ(local("2040-07-01T12:00:00Z", "America/New_York").abbreviation, "EDT");
  EXPECT_EQ(local("2040-07-01T12:00:00Z", "Asia/Kolkata").utc_offset, hours{5} + minutes{30});

  // 2040: Berlin springs forward on 25 March and falls back on 28 October, at 01:00 UTC.
  EXPECT_EQ(local("2040-03-25T00:59:00Z", "Europe/Berlin").local, (LocalDateTime{2040, 3, 25, 1, 59, 0, 0}));
  EXPECT_EQ(local("2040-03-25T01:00:00Z", "Europe/Berlin").local, (LocalDateTime{2040, 3, 25, 3, 0, 0, 0}));
  EXPECT_EQ(utc_of({2040, 3, 25, 2, 30}, "Europe/Berlin"), "2040-03-25T01:30:00.000Z");
  LocalTimePolicy refuse;
  refuse.nonexistent = LocalTimePolicy::Nonexistent::Refuse;
  refuse.ambiguous = LocalTimePolicy::Ambiguous::Refuse;
  EXPECT_EQ(to_utc({2040, 3, 25, 2, 30}, "Europe/Berlin", refuse).error(), TzError::Nonexistent);
  EXPECT_EQ(to_utc({2040, 10, 28, 2, 30}, "Europe/Berlin", refuse).error(), TzError::Ambiguous);
  EXPECT_EQ(utc_of({2040, 10, 28, 2, 30}, "Europe/Berlin"), "2040-10-28T00:30:00.000Z");
  LocalTimePolicy later;
  later.ambiguous = LocalTimePolicy::Ambiguous::Later;
  EXPECT_EQ(utc_of({2040, 10, 28, 2, 30}, "Europe/Berlin", later), "2040-10-28T01:30:00.000Z");
  EXPECT_EQ(utc_of({2040, 7, 1, 14, 0}, "Europe/Berlin", refuse), "2040-07-01T12:00:00.000Z");
  // Sydney 2040: AEDT ends 1 April (03:00 -> 02:00), starts 7 October (02:00 -> 03:00).
  EXPECT_EQ(utc_of({2040, 4, 1, 2, 30}, "Australia/Sydney"), "2040-03-31T15:30:00.000Z");
  EXPECT_EQ(to_utc({2040, 10, 7, 2, 30}, "Australia/Sydney", refuse).error(), TzError::Nonexistent);
}

// The closing rules, read as core/tz reads them, agree with every transition the files list for
// 2026-2037: the rule reader is checked against the database itself, zone by zone.
TEST(TimeZone, closing_rules_agree_with_the_listed_transitions) {
  for (const char *zone : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Europe/Dublin", "America/Nuuk",
                           "America/Santiago", "Pacific/Chatham", "Australia/Lord_Howe"}) {
    const auto rule = gridlane::core::tzrule::read_footer(std::string("/usr/share/zoneinfo/") + zone);
    ASSERT_TRUE(rule) << zone;
    int changes = 0;
    std::chrono::seconds last{-1};
    for (auto t = utc("2026-01-01T00:00:00Z"); t < utc("2038-01-01T00:00:00Z"); t += minutes{15 * 7}) {
      const auto expected = local(format_iso8601(t).c_str(), zone);
      const auto p = gridlane::core::tzrule::at(*rule, std::chrono::floor<std::chrono::seconds>(t));
      ASSERT_EQ(p.offset, expected.utc_offset) << zone << " " << format_iso8601(t);
      ASSERT_EQ(p.abbrev, expected.abbreviation) << zone << " " << format_iso8601(t);
      changes += last.count() != -1 && last != p.offset;
      last = p.offset;
    }
    EXPECT_GE(changes, 2 * 11) << zone; // two changes a year
  }
  EXPECT_FALSE(gridlane::core::tzrule::read_footer("/usr/share/zoneinfo/Asia/Kolkata")); // no DST: nothing to apply
  EXPECT_FALSE(gridlane::core::tzrule::parse("CET-1CEST,J60,J300"));                     // a form tzdata does not write
  EXPECT_FALSE(gridlane::core::tzrule::parse("CET-1CEST,M13.5.0,M10.5.0/3"));
}
