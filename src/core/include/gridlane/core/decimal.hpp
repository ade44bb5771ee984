#pragma once
//! Exact decimal numbers for prices, energy in kWh, VAT percentages: a signed count of
//! millionths (10^-6) in an int64, so the range is +-9,223,372,036,854.775807. OCPI prices have
//! 4 decimals and kWh 3; six leave room for a price per Wh. There is no binary float anywhere:
//! text is parsed digit by digit, products are formed exactly in 128 bits and rounded once, with
//! the rounding named by the caller. Every operation that can leave the range says so
//! (ValueError::Overflow) instead of wrapping.
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace gridlane::core {

//! Why a value could not be made.
enum class ValueError {
  Invalid,          //!< the text or the arguments are not a value of this kind
  Overflow,         //!< the result does not fit the type's range
  CurrencyMismatch, //!< an operation on amounts of two currencies
};
std::string_view to_string(ValueError e);
//! Reading the value of a failed result is a programming error; boost::system::result calls this
//! (argument-dependent lookup) and it throws std::logic_error.
std::ostream &operator<<(std::ostream &os, ValueError e);
[[noreturn]] void throw_exception_from_error(ValueError e, const boost::source_location &loc);

template <class T> using ValueResult = boost::system::result<T, ValueError>;

//! How a value is brought to fewer decimal places. "Half" modes look at the dropped part only.
enum class Rounding {
  HalfUp,   //!< ties away from zero: 2.345 -> 2.35, -2.345 -> -2.35 (invoices, OCPI CDRs)
  HalfEven, //!< ties to the even neighbour: 2.345 -> 2.34, 2.355 -> 2.36 (banker's rounding)
  Down,     //!< toward zero (truncation): 2.349 -> 2.34, -2.349 -> -2.34
  Up,       //!< away from zero: 2.341 -> 2.35, -2.341 -> -2.35
};

class Decimal {
public:
  static constexpr int kScale = 6;                //!< decimal places held
  static constexpr std::int64_t kOne = 1'000'000; //!< units per 1

  constexpr Decimal() = default;
  //! From a count of millionths.
  static constexpr Decimal from_units(std::int64_t millionths) { return Decimal(millionths); }
  //! `value` * 10^-places, e.g. (2345, 4) is 0.2345. places in 0..6, else Invalid.
  static ValueResult<Decimal> from_scaled(std::int64_t value, int places);
  static ValueResult<Decimal> from_integer(std::int64_t value) { return from_scaled(value, 0); }

  //! Plain decimal text, exactly: an optional '-', one or more digits, and optionally a '.'
  //! followed by one or more digits. Refused (Invalid): an empty string, '+', white space, an
  //! exponent ("1e3"), "nan"/"inf", a bare point ("1.", ".5"), a comma, and digits beyond the
  //! sixth decimal unless they are zeros (a value is never rounded silently). Leading zeros are
  //! read ("007" is 7). Out of range: Overflow.
  static ValueResult<Decimal> parse(std::string_view text);
  //! A number off the wire (Boost.JSON reads a JSON number as a double): the shortest decimal
  //! text that reads back as that double, i.e. what the sender wrote (0.2345), rounded as asked
  //! when it has more than six decimals. Not finite: Invalid; |value| >= 10^14: Overflow.
  static ValueResult<Decimal> from_wire(double value, Rounding r = Rounding::HalfUp);
  //! For a JSON codec only: the double nearest this value, whose shortest text (the JSON writer's)
  //! is this value's text whenever it has at most 15 significant digits (any price, any kWh).
  double to_wire() const;

  constexpr std::int64_t units() const { return v_; }
  constexpr bool is_zero() const { return v_ == 0; }
  constexpr bool is_negative() const { return v_ < 0; }
  constexpr auto operator<=>(const Decimal &) const = default;

  //! The shortest exact text: "0.2345", "-1.5", "3". Parses back to the same value.
  std::string to_string() const;
  //! Exactly `places` decimals (0..6), rounded as asked: to_fixed(2, HalfUp) of 1.005 is "1.01".
  std::string to_fixed(int places, Rounding r) const;

  ValueResult<Decimal> plus(Decimal o) const;
  ValueResult<Decimal> minus(Decimal o) const;
  ValueResult<Decimal> negated() const;
  //! Rounded to `places` decimals (0..6).
  ValueResult<Decimal> rounded(int places, Rounding r) const;
  //! The exact product, rounded once to `places` (0..6): 0.2345 * 12.345 to 2 places HalfUp is 2.89.
  ValueResult<Decimal> times(Decimal o, Rounding r, int places = kScale) const;
  //! this * num / den, exact until one rounding to `places`: an hourly price for 1,800 s is
  //! price.mul_div(1800, 3600, ...). den must be positive (else Invalid).
  ValueResult<Decimal> mul_div(std::int64_t num, std::int64_t den, Rounding r, int places = kScale) const;
  //! this * percent / 100, rounded once: a VAT of 19 % on 10.00 is 1.90.
  ValueResult<Decimal> percent(Decimal pct, Rounding r, int places = kScale) const;
  //! The value as a count of 10^-places (0..6), rounded: 1.505 to 2 places HalfUp is 151.
  ValueResult<std::int64_t> to_scaled(int places, Rounding r) const;

private:
  constexpr explicit Decimal(std::int64_t v) : v_(v) {}
  std::int64_t v_ = 0;
};

//! The shortest exact text (for logs and test messages; results print through it too).
std::ostream &operator<<(std::ostream &os, Decimal d);

} // namespace gridlane::core
