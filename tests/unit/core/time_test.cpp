#include <gtest/gtest.h>

#include "gridlane/core/time.hpp"

using gridlane::core::format_iso8601;
using gridlane::core::parse_iso8601;
using gridlane::core::to_unix_ms;

TEST(Iso8601, parses_utc_with_and_without_fraction) {
  EXPECT_EQ(to_unix_ms(*parse_iso8601("1970-01-01T00:00:01Z")), 1000);
  EXPECT_EQ(to_unix_ms(*parse_iso8601("1970-01-01T00:00:01.5Z")), 1500);
  EXPECT_EQ(to_unix_ms(*parse_iso8601("1970-01-01T00:00:01.123456Z")), 1123);
}

TEST(Iso8601, applies_offsets_to_utc) {
  EXPECT_EQ(*parse_iso8601("2026-03-01T12:00:00+02:00"), *parse_iso8601("2026-03-01T10:00:00Z"));
  EXPECT_EQ(*parse_iso8601("2026-03-01T12:00:00-01:30"), *parse_iso8601("2026-03-01T13:30:00Z"));
}

TEST(Iso8601, rejects_text_that_is_not_rfc3339) {
  for (const char *bad : {"", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-01-01T24:00:00Z", "2026-01-01T00:00:00ZZ", "2026-01-01 00:00:00Z", "yesterday",
                          "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0200"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

TEST(Iso8601, formats_with_milliseconds_and_round_trips) {
  auto t = *parse_iso8601("2026-11-22T23:59:58.007Z");
  EXPECT_EQ(format_iso8601(t), "2026-11-22T23:59:58.007Z");
  EXPECT_EQ(*parse_iso8601(format_iso8601(t)), t);
}
