// Exact decimals and money: parsing, formatting, arithmetic, rounding, currencies, overflow.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "gridlane/core/money.hpp"

using namespace gridlane::core;

namespace {

Decimal dec(const char *text) {
  auto d = Decimal::parse(text);
  EXPECT_TRUE(d) << text;
  return d ? *d : Decimal{};
}

Currency currency(const char *code) {
  auto c = Currency::parse(code);
  EXPECT_TRUE(c) << code;
  return c ? *c : Currency::eur();
}

Money money(const char *amount, const char *code) {
  return Money(dec(amount), currency(code));
}

} // namespace

TEST(Decimal, parses_plain_decimal_text_exactly) {
  EXPECT_EQ(dec("0.2345").units(), 234'500);
  EXPECT_EQ(dec("-1.50").units(), -1'500'000);
  EXPECT_EQ(dec("12").units(), 12'000'000);
  EXPECT_EQ(dec("0.000001").units(), 1);
  EXPECT_EQ(dec("-0").units(), 0);
  EXPECT_EQ(dec("007.5").units(), 7'500'000);
  EXPECT_EQ(dec("1.2500000000").units(), 1'250'000); // zeros beyond the sixth place lose nothing
  EXPECT_EQ(dec("9223372036854.775807").units(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(dec("-9223372036854.775808").units(), std::numeric_limits<std::int64_t>::min());
}

TEST(Decimal, refuses_text_that_is_not_a_plain_decimal) {
  for (const char *bad : {"",    "-",   "+1",  " 1",   "1 ",   "1.",  ".5",  "-.5",   "1e3",       "1E3",
                          "nan", "NaN", "inf", "-inf", "0x10", "1,5", "--1", "1.2.3", "1.0000001", "12a"}) {
    auto d = Decimal::parse(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error(), ValueError::Invalid) << bad;
  }
}

TEST(Decimal, refuses_values_beyond_its_range_as_overflow) {
  for (const char *big : {"9223372036854.775808", "-9223372036854.775809", "10000000000000",
                          "99999999999999999999999999999999999999999"}) {
    auto d = Decimal::parse(big);
    ASSERT_FALSE(d) << big;
    EXPECT_EQ(d.error(), ValueError::Overflow) << big;
  }
}

TEST(Decimal, formats_shortest_and_fixed_and_round_trips) {
  EXPECT_EQ(dec("0.2345").to_string(), "0.2345");
  EXPECT_EQ(dec("-1.50").to_string(), "-1.5");
  EXPECT_EQ(dec("3.000").to_string(), "3");
  EXPECT_EQ(dec("-0.000001").to_string(), "-0.000001");
  EXPECT_EQ(Decimal{}.to_string(), "0");
  EXPECT_EQ(dec("1.005").to_fixed(2, Rounding::HalfUp), "1.01");
  EXPECT_EQ(dec("-0.004").to_fixed(2, Rounding::HalfUp), "0.00"); // no "-0.00"
  EXPECT_EQ(dec("-0.005").to_fixed(2, Rounding::HalfUp), "-0.01");
  EXPECT_EQ(dec("7").to_fixed(3, Rounding::HalfUp), "7.000");
  EXPECT_EQ(dec("0.5").to_fixed(0, Rounding::HalfEven), "0");
  for (const char *text : {"0.2345", "-12.5", "9223372036854.775807", "-9223372036854.775808", "0.000001"}) {
    EXPECT_EQ(dec(dec(text).to_string().c_str()), dec(text)) << text;
  }
}

TEST(Decimal, rounds_half_up_away_from_zero_and_half_even_to_the_even_neighbour) {
  struct Case {
    const char *in;
    const char *half_up, *half_even, *down, *up;
  };
  const Case cases[] = {
      {"2.345", "2.35", "2.34", "2.34", "2.35"},      {"2.355", "2.36", "2.36", "2.35", "2.36"},
      {"-2.345", "-2.35", "-2.34", "-2.34", "-2.35"}, {"2.3449", "2.34", "2.34", "2.34", "2.35"},
      {"2.3451", "2.35", "2.35", "2.34", "2.35"},     {"0.005", "0.01", "0", "0", "0.01"},
      {"-0.005", "-0.01", "0", "0", "-0.01"},         {"2.34", "2.34", "2.34", "2.34", "2.34"},
  };
  for (const auto &c : cases) {
    EXPECT_EQ(dec(c.in).rounded(2, Rounding::HalfUp)->to_string(), c.half_up) << c.in;
    EXPECT_EQ(dec(c.in).rounded(2, Rounding::HalfEven)->to_string(), c.half_even) << c.in;
    EXPECT_EQ(dec(c.in).rounded(2, Rounding::Down)->to_string(), c.down) << c.in;
    EXPECT_EQ(dec(c.in).rounded(2, Rounding::Up)->to_string(), c.up) << c.in;
  }
  EXPECT_FALSE(dec("1").rounded(7, Rounding::HalfUp));
  EXPECT_FALSE(dec("1").rounded(-1, Rounding::HalfUp));
}

TEST(Decimal, multiplies_exactly_and_rounds_once) {
  // 0.2345 EUR/kWh * 12.345 kWh = 2.8949025 exactly.
  EXPECT_EQ(dec("0.2345").times(dec("12.345"), Rounding::HalfUp)->to_string(), "2.894903");
  EXPECT_EQ(dec("0.2345").times(dec("12.345"), Rounding::Down)->to_string(), "2.894902");
  EXPECT_EQ(dec("0.2345").times(dec("12.345"), Rounding::HalfUp, 2)->to_string(), "2.89");
  // One rounding, not two: 0.099999 * 0.05 = 0.00499995 rounded straight to 2 places is 0.00;
  // through 6 places (0.005000) it would become 0.01.
  EXPECT_EQ(dec("0.099999").times(dec("0.05"), Rounding::HalfUp, 2)->to_string(), "0");
  EXPECT_EQ(dec("-1.5").times(dec("3"), Rounding::HalfUp)->to_string(), "-4.5");
  EXPECT_EQ(dec("4000000").times(dec("3000000"), Rounding::HalfUp), ValueError::Overflow);
}

TEST(Decimal, mul_div_gives_a_share_with_one_rounding) {
  // 2.00 per hour for 1,234 s: 0.685555... per the exact quotient.
  EXPECT_EQ(dec("2.00").mul_div(1234, 3600, Rounding::HalfUp)->to_string(), "0.685556");
  EXPECT_EQ(dec("2.00").mul_div(1234, 3600, Rounding::HalfUp, 2)->to_string(), "0.69");
  EXPECT_EQ(dec("-2.00").mul_div(1234, 3600, Rounding::Down, 2)->to_string(), "-0.68");
  EXPECT_EQ(dec("1").mul_div(1, 0, Rounding::HalfUp), ValueError::Invalid);
  EXPECT_EQ(dec("1").mul_div(1, -3, Rounding::HalfUp), ValueError::Invalid);
}

TEST(Decimal, adds_and_subtracts_with_overflow_checked) {
  EXPECT_EQ(*dec("0.1").plus(dec("0.2")), dec("0.3")); // what a double gets wrong
  EXPECT_EQ(*dec("0.1").minus(dec("0.3")), dec("-0.2"));
  const auto max = Decimal::from_units(std::numeric_limits<std::int64_t>::max());
  const auto min = Decimal::from_units(std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(max.plus(dec("0.000001")), ValueError::Overflow);
  EXPECT_EQ(min.minus(dec("0.000001")), ValueError::Overflow);
  EXPECT_EQ(min.negated(), ValueError::Overflow);
  EXPECT_EQ(*max.negated(), Decimal::from_units(-std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(Decimal::from_scaled(std::numeric_limits<std::int64_t>::max(), 0), ValueError::Overflow);
  EXPECT_EQ(*Decimal::from_scaled(2345, 4), dec("0.2345"));
  EXPECT_EQ(Decimal::from_scaled(1, 7), ValueError::Invalid);
}

TEST(Decimal, reads_wire_doubles_as_the_decimal_the_sender_wrote) {
  EXPECT_EQ(*Decimal::from_wire(0.2345), dec("0.2345"));
  EXPECT_EQ(*Decimal::from_wire(-1.5), dec("-1.5"));
  EXPECT_EQ(*Decimal::from_wire(12345678.123456), dec("12345678.123456"));
  EXPECT_EQ(*Decimal::from_wire(0.1 + 0.2), dec("0.3")); // 0.30000000000000004, rounded to 6 places
  EXPECT_EQ(*Decimal::from_wire(1e-7), Decimal{});
  EXPECT_EQ(*Decimal::from_wire(5e-7, Rounding::HalfUp), dec("0.000001"));
  EXPECT_EQ(*Decimal::from_wire(5e-7, Rounding::HalfEven), Decimal{});
  EXPECT_EQ(*Decimal::from_wire(-2.5e-6, Rounding::HalfUp), dec("-0.000003"));
  EXPECT_EQ(*Decimal::from_wire(-2.5e-6, Rounding::HalfEven), dec("-0.000002"));
  EXPECT_EQ(*Decimal::from_wire(1.0000001, Rounding::Up), dec("1.000001"));
  EXPECT_EQ(Decimal::from_wire(std::numeric_limits<double>::quiet_NaN()), ValueError::Invalid);
  EXPECT_EQ(Decimal::from_wire(std::numeric_limits<double>::infinity()), ValueError::Invalid);
  EXPECT_EQ(Decimal::from_wire(1e14), ValueError::Overflow);
  EXPECT_EQ(Decimal::from_wire(-1e300), ValueError::Overflow);
}

TEST(Decimal, writes_the_wire_double_whose_shortest_text_is_the_value) {
  EXPECT_EQ(dec("0.2345").to_wire(), 0.2345);
  EXPECT_EQ(dec("16.5").to_wire(), 16.5);
  EXPECT_EQ(dec("-0.000001").to_wire(), -0.000001);
  for (const char *text : {"0.2345", "0.1", "12.345", "99999999.999999", "-3.3"}) {
    EXPECT_EQ(*Decimal::from_wire(dec(text).to_wire()), dec(text)) << text;
  }
}

TEST(Decimal, reading_a_failed_result_is_a_logic_error) {
  EXPECT_THROW((void)Decimal::parse("x").value(), std::logic_error);
}

TEST(Currency, accepts_iso_4217_codes_with_their_minor_digits) {
  EXPECT_EQ(currency("EUR").minor_digits(), 2);
  EXPECT_EQ(currency("USD").minor_digits(), 2);
  EXPECT_EQ(currency("HUF").minor_digits(), 2);
  EXPECT_EQ(currency("JPY").minor_digits(), 0);
  EXPECT_EQ(currency("KRW").minor_digits(), 0);
  EXPECT_EQ(currency("BHD").minor_digits(), 3);
  EXPECT_EQ(currency("KWD").minor_digits(), 3);
  EXPECT_EQ(currency("CLF").minor_digits(), 4);
  EXPECT_EQ(currency("XPF").minor_digits(), 0); // the last of the table
  EXPECT_EQ(currency("ZZZ").minor_digits(), 2); // well-formed, unknown: the common case
  EXPECT_EQ(currency("SEK").code(), "SEK");
  EXPECT_EQ(Currency::eur(), currency("EUR"));
  for (const char *bad : {"", "eur", "EU", "EURO", "E1R", " EU", "€"})
    EXPECT_FALSE(Currency::parse(bad)) << bad;
}

TEST(Money, adds_and_subtracts_in_one_currency_only) {
  EXPECT_EQ(*money("1.20", "EUR").plus(money("0.35", "EUR")), money("1.55", "EUR"));
  EXPECT_EQ(*money("1.20", "EUR").minus(money("1.35", "EUR")), money("-0.15", "EUR"));
  EXPECT_EQ(money("1.20", "EUR").plus(money("1", "USD")), ValueError::CurrencyMismatch);
  EXPECT_EQ(money("1.20", "EUR").minus(money("1", "USD")), ValueError::CurrencyMismatch);
  EXPECT_EQ(money("1.20", "EUR").compare(money("1", "USD")).error(), ValueError::CurrencyMismatch);
  EXPECT_TRUE(*money("1.20", "EUR").compare(money("1.3", "EUR")) == std::strong_ordering::less);
  EXPECT_NE(money("1", "EUR"), money("1", "CHF"));
  const Money max(Decimal::from_units(std::numeric_limits<std::int64_t>::max()), Currency::eur());
  EXPECT_EQ(max.plus(money("0.01", "EUR")), ValueError::Overflow);
}

TEST(Money, rounds_to_the_currency_minor_units_half_up) {
  EXPECT_EQ(money("2.345", "EUR").rounded(Rounding::HalfUp)->amount_text(), "2.35");
  EXPECT_EQ(money("2.3449", "EUR").rounded(Rounding::HalfUp)->amount_text(), "2.34");
  EXPECT_EQ(money("-2.345", "EUR").rounded(Rounding::HalfUp)->amount_text(), "-2.35");
  EXPECT_EQ(money("2.345", "EUR").rounded(Rounding::HalfEven)->amount_text(), "2.34");
  EXPECT_EQ(money("1234.5", "JPY").rounded(Rounding::HalfUp)->amount_text(), "1235");
  EXPECT_EQ(money("1234.4999", "JPY").rounded(Rounding::HalfUp)->amount_text(), "1234");
  EXPECT_EQ(money("1.2345", "BHD").rounded(Rounding::HalfUp)->amount_text(), "1.235");
  EXPECT_EQ(*money("2.345", "EUR").to_minor(Rounding::HalfUp), 235);
  EXPECT_EQ(*money("-2.345", "EUR").to_minor(Rounding::HalfUp), -235);
  EXPECT_EQ(*money("1234.5", "JPY").to_minor(Rounding::HalfUp), 1235);
  EXPECT_EQ(*money("1.2345", "BHD").to_minor(Rounding::HalfUp), 1235);
  EXPECT_EQ(money("5", "EUR").format(Rounding::HalfUp), "5.00");
  EXPECT_EQ(money("0.125", "BHD").format(Rounding::HalfUp), "0.125");
  EXPECT_EQ(money("1234.5", "JPY").format(Rounding::HalfUp), "1235");
  EXPECT_EQ(money("-0.5", "JPY").format(Rounding::HalfUp), "-1");
}

TEST(Money, converts_from_minor_units_per_currency) {
  EXPECT_EQ(*Money::from_minor(150, currency("EUR")), money("1.50", "EUR"));
  EXPECT_EQ(*Money::from_minor(150, currency("JPY")), money("150", "JPY"));
  EXPECT_EQ(*Money::from_minor(-1500, currency("BHD")), money("-1.5", "BHD"));
  EXPECT_EQ(Money::from_minor(std::numeric_limits<std::int64_t>::max(), currency("JPY")), ValueError::Overflow);
  EXPECT_EQ(*Money::parse("0.2345", Currency::eur()), money("0.2345", "EUR"));
  EXPECT_EQ(Money::parse("0,23", Currency::eur()), ValueError::Invalid);
}

// OCPI 2.2.1 mod_tariffs, the examples' figures: 0.25 EUR/kWh excl. VAT, 10 % VAT, 20 kWh: 5.00
// excl., 5.50 incl.; 1.90 EUR/h for 2.5 h with 5.2 % VAT: 4.75 excl., 5.00 incl.
TEST(Money, prices_an_ocpi_tariff_example_exactly) {
  const auto energy = money("0.25", "EUR").times(dec("20"), Rounding::HalfUp);
  ASSERT_TRUE(energy);
  const auto vat = energy->percent(dec("10"), Rounding::HalfUp);
  EXPECT_EQ(energy->format(Rounding::HalfUp), "5.00");
  EXPECT_EQ(energy->plus(*vat)->format(Rounding::HalfUp), "5.50");

  const auto time = money("1.9", "EUR").mul_div(9000, 3600, Rounding::HalfUp); // 2.5 h in seconds
  ASSERT_TRUE(time);
  EXPECT_EQ(time->format(Rounding::HalfUp), "4.75");
  const auto incl = time->plus(*time->percent(dec("5.2"), Rounding::HalfUp));
  EXPECT_EQ(incl->amount_text(), "4.997");
  EXPECT_EQ(incl->format(Rounding::HalfUp), "5.00");
}
