#include <gtest/gtest.h>

#include "gridlane/core/ids.hpp"

using gridlane::core::StationId;

TEST(StationIds, accepts_the_identifier_string_set_and_the_space) {
  for (const char *ok : {"CS001", "RDAM 123", "a-b_c=d+e|f@g.h*i", "Z", "CS 7-A"})
    EXPECT_TRUE(StationId::parse(ok)) << ok;
  EXPECT_TRUE(StationId::parse(std::string(48, 'x')));
}

TEST(StationIds, refuses_empty_too_long_and_colon) {
  EXPECT_FALSE(StationId::parse(""));
  EXPECT_FALSE(StationId::parse(std::string(49, 'x')));
  EXPECT_FALSE(StationId::parse("bad:id")); // OCPP-J: ':' separates user and password in Basic auth
}

TEST(StationIds, refuses_bytes_that_are_not_utf8_or_outside_the_set) {
  EXPECT_FALSE(StationId::parse("\xFF\xFE"));
  EXPECT_FALSE(StationId::parse("CS\xC3"));        // a truncated UTF-8 sequence
  EXPECT_FALSE(StationId::parse("M\xC3\xBCller")); // valid UTF-8, but not in identifierString
  EXPECT_FALSE(StationId::parse(std::string("CS\0X", 4)));
  for (const char *bad : {"a/b", "a\\b", "a\"b", "a\tb", "a\nb", "a\x7f", "a%b", "a#b", "a?b", "<b>", "a'b", "a{b}"})
    EXPECT_FALSE(StationId::parse(bad)) << bad;
}
