// Numbers from the wire and to the wire: range checks before narrowing (docs/ocpp.md, "Numbers
// from stations") and plain decimals in every JSON text Gridlane writes.
#include <boost/json.hpp>
#include <cmath>
#include <gtest/gtest.h>
#include <limits>

#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/ocpp/codec_support.hpp"

using namespace gridlane;
using namespace gridlane::domain;

TEST(Numbers, a_sampled_value_is_a_plain_decimal_within_bounds) {
  struct Case {
    const char *text;
    std::optional<double> expected;
  };
  const Case cases[] = {
      {"0", 0.0},
      {"1500", 1500.0},
      {"-12.5", -12.5},
      {"+7", 7.0},
      {".5", 0.5},
      {"5.", 5.0},
      {"1e3", 1000.0},
      {"2.5E-3", 0.0025},
      {"1e15", 1e15},
      {"-1e15", -1e15},
      {"1e-400", 0.0}, // underflow reads as 0
      {"nan", std::nullopt},
      {"NaN", std::nullopt},
      {"inf", std::nullopt},
      {"-Infinity", std::nullopt},
      {"1e400", std::nullopt},
      {"-1e400", std::nullopt},
      {"1e300", std::nullopt}, // beyond 10^15
      {"1000000000000001", std::nullopt},
      {"0x10", std::nullopt},
      {" 12", std::nullopt},
      {"12 ", std::nullopt},
      {"", std::nullopt},
      {"-", std::nullopt},
      {".", std::nullopt},
      {"1e", std::nullopt},
      {"1e+", std::nullopt},
      {"1.2.3", std::nullopt},
      {"12abc", std::nullopt},
  };
  for (const auto &c : cases)
    EXPECT_EQ(parse_sample_value(c.text), c.expected) << '"' << c.text << '"';
}

TEST(Numbers, a_multiplier_never_makes_a_non_finite_or_unbounded_value) {
  EXPECT_EQ(scaled_sample_value(16.5, 0), 16.5);
  EXPECT_EQ(scaled_sample_value(2.5, 3), 2500.0);
  EXPECT_NEAR(*scaled_sample_value(1500, -3), 1.5, 1e-12);
  EXPECT_FALSE(scaled_sample_value(10, 400));  // 10^401
  EXPECT_FALSE(scaled_sample_value(10, 15));   // 10^16 > 10^15
  EXPECT_EQ(scaled_sample_value(0, 400), 0.0); // still 0
  EXPECT_FALSE(scaled_sample_value(7, -400));  // a nonsense multiplier is refused, not read as 0
  EXPECT_FALSE(scaled_sample_value(std::numeric_limits<double>::infinity(), 0));
  EXPECT_FALSE(scaled_sample_value(std::nan(""), 0));
  EXPECT_FALSE(scaled_sample_value(1, std::numeric_limits<std::int64_t>::max()));
  EXPECT_FALSE(scaled_sample_value(1, std::numeric_limits<std::int64_t>::min()));
}

TEST(Numbers, an_energy_register_is_bounded_before_it_is_rounded) {
  MeterSample s;
  s.numeric = 1e15;
  EXPECT_EQ(energy_register_wh(s), 1'000'000'000'000'000);
  s.numeric = 1e300; // llround of this was undefined behaviour
  EXPECT_FALSE(energy_register_wh(s));
  s.numeric = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(energy_register_wh(s));
  s.unit = "kWh";
  s.numeric = 2.5;
  EXPECT_EQ(energy_register_wh(s), 2500);
  s.numeric = 2e12; // 2e15 Wh
  EXPECT_FALSE(energy_register_wh(s));
  EXPECT_FALSE(sample_within_bounds(s));
  s.numeric = 1e12;
  EXPECT_TRUE(sample_within_bounds(s));
}

TEST(Numbers, ids_from_the_wire_are_narrowed_only_within_the_int_range) {
  EXPECT_EQ(wire_int(0), 0);
  EXPECT_EQ(wire_int(2147483647), 2147483647);
  EXPECT_FALSE(wire_int(2147483648));
  EXPECT_FALSE(wire_int(4294967297)); // was connector 1
  EXPECT_FALSE(wire_int(-1));
  EXPECT_EQ(wire_int(-1, -10), -1);
  EXPECT_FALSE(wire_int(std::numeric_limits<std::int64_t>::max()));
}

TEST(Numbers, energy_is_never_negative_and_never_overflows) {
  EXPECT_EQ(energy_between(1000, 2500), 1500);
  EXPECT_EQ(energy_between(5000, 4000), 0);
  EXPECT_EQ(energy_between(0, 0), 0);
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(energy_between(min, max), max); // saturates instead of overflowing
  EXPECT_EQ(energy_between(max, min), 0);
}

TEST(Numbers, decoding_an_integer_beyond_int64_saturates_instead_of_throwing) {
  std::int64_t out = 0;
  ocpp::codec::decode(boost::json::parse("18446744073709551615"), out);
  EXPECT_EQ(out, std::numeric_limits<std::int64_t>::max());
  ocpp::codec::decode(boost::json::parse("-9223372036854775808"), out);
  EXPECT_EQ(out, std::numeric_limits<std::int64_t>::min());
  ocpp::codec::decode(boost::json::parse("42"), out);
  EXPECT_EQ(out, 42);
}

TEST(JsonText, decimals_are_written_plainly) {
  struct Case {
    double value;
    const char *text;
  };
  const Case cases[] = {
      {16.5, "16.5"},
      {16.0, "16"},
      {0.1, "0.1"},
      {1e-7, "0.0000001"},
      {123456789.125, "123456789.125"},
      {-2.5, "-2.5"},
      {-16.0, "-16"},
      {0.0, "0"},
      {-0.0, "0"},
      {9e20, "900000000000000000000"},
      {1e21, "1e+21"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {-std::numeric_limits<double>::max(), "-1.7976931348623157e+308"},
      {std::nan(""), "null"},
      {std::numeric_limits<double>::infinity(), "null"},
  };
  for (const auto &c : cases) {
    std::string out;
    core::append_decimal(out, c.value);
    EXPECT_EQ(out, c.text) << c.value;
    // and what it writes reads back as the same number
    if (std::isfinite(c.value)) {
      EXPECT_EQ(boost::json::parse(out).to_number<double>(), c.value) << out;
    }
  }
}

TEST(JsonText, a_frame_is_the_same_json_with_plain_numbers) {
  auto v =
      boost::json::parse(R"([2,"id-1","SetChargingProfile",{"connectorId":1,"limit":16.5,"min":1.6E1,)"
                         R"("big":18446744073709551615,"neg":-3,"s":"a\"b\\c\n\u0001é","t":true,"n":null,"a":[]}])");
  EXPECT_EQ(
      core::to_json_text(v),
      "[2,\"id-1\",\"SetChargingProfile\",{\"connectorId\":1,\"limit\":16.5,\"min\":16,"
      "\"big\":18446744073709551615,\"neg\":-3,\"s\":\"a\\\"b\\\\c\\n\\u0001é\",\"t\":true,\"n\":null,\"a\":[]}]");
  // It reads back as the same numbers (16.0 comes back as the integer 16: JSON does not tell them apart).
  auto back = boost::json::parse(core::to_json_text(v)).at(3);
  EXPECT_EQ(back.at("limit").to_number<double>(), 16.5);
  EXPECT_EQ(back.at("min").to_number<double>(), 16.0);
}
