#pragma once
//! Physical quantities as types, so a watt is never passed where a watt-hour is meant. Each is
//! an exact integer count of its base unit; arithmetic between like quantities only. The plain
//! operators are for values known to be small (a sum of a station's connectors); anything built
//! from the wire or from text goes through the checked functions below, which say when a value
//! is out of range instead of wrapping.
#include <cmath>
#include <compare>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "gridlane/core/decimal.hpp"

namespace gridlane::core {

template <class Tag> class Quantity {
public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(std::int64_t base_units) : v_(base_units) {}
  //! The count of the base unit (Wh, W, mA, V: see the aliases below).
  constexpr std::int64_t count() const { return v_; }
  constexpr auto operator<=>(const Quantity &) const = default;
  constexpr Quantity operator+(Quantity o) const { return Quantity(v_ + o.v_); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(v_ - o.v_); }
  constexpr Quantity &operator+=(Quantity o) { return v_ += o.v_, *this; }
  constexpr Quantity &operator-=(Quantity o) { return v_ -= o.v_, *this; }
  constexpr Quantity operator*(std::int64_t k) const { return Quantity(v_ * k); }

  //! Checked forms of + - *: Overflow instead of a wrapped value.
  ValueResult<Quantity> plus(Quantity o) const {
    std::int64_t out = 0;
    if (__builtin_add_overflow(v_, o.v_, &out)) return ValueError::Overflow;
    return Quantity(out);
  }
  ValueResult<Quantity> minus(Quantity o) const {
    std::int64_t out = 0;
    if (__builtin_sub_overflow(v_, o.v_, &out)) return ValueError::Overflow;
    return Quantity(out);
  }
  ValueResult<Quantity> times(std::int64_t k) const {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(v_, k, &out)) return ValueError::Overflow;
    return Quantity(out);
  }

private:
  std::int64_t v_ = 0;
};

using Energy = Quantity<struct EnergyTag>;   //!< watt-hours
using Power = Quantity<struct PowerTag>;     //!< watts
using Current = Quantity<struct CurrentTag>; //!< milliamperes (charging limits have decimals of an ampere)
using Voltage = Quantity<struct VoltageTag>; //!< volts

//! The count of the base unit (for logs and test messages).
template <class Tag> std::ostream &operator<<(std::ostream &os, Quantity<Tag> q) {
  return os << q.count();
}

constexpr Energy watt_hours(std::int64_t wh) {
  return Energy(wh);
}
constexpr Power watts(std::int64_t w) {
  return Power(w);
}
constexpr Current milliamps(std::int64_t ma) {
  return Current(ma);
}
constexpr Current amps(std::int64_t a) {
  return Current(a * 1000);
}
constexpr Voltage volts(std::int64_t v) {
  return Voltage(v);
}

//! A number off the wire (JSON gives a double: "limit": 16.5, "value": 1234.5) as a quantity:
//! `value` in units of `base_per_value` base units (1000 for amperes into mA, 1 for Wh), rounded
//! to the nearest base unit (ties away from zero). Not finite: Invalid. Outside [lo, hi] after
//! rounding: Overflow; the range is checked before the conversion, so nothing wraps.
template <class Q> ValueResult<Q> from_wire(double value, double base_per_value, Q lo, Q hi) {
  if (!std::isfinite(value) || !std::isfinite(base_per_value)) return ValueError::Invalid;
  const double scaled = std::round(value * base_per_value);
  // The last test also keeps the cast defined: 2^63 is the first double past int64's range.
  if (!(scaled >= static_cast<double>(lo.count()) && scaled <= static_cast<double>(hi.count()) &&
        scaled < 9223372036854775808.0))
    return ValueError::Overflow;
  return Q(static_cast<std::int64_t>(scaled));
}

//! Amperes as decimal text ("16", "16.5", "0.125") into mA, exactly: more than three decimals
//! (that are not zeros) is Invalid, never rounded; the text rules are Decimal::parse's.
ValueResult<Current> parse_amps(std::string_view text);
//! Kilowatt-hours as decimal text ("12.345") into Wh, exactly (at most three decimals).
ValueResult<Energy> parse_kwh(std::string_view text);
//! Kilowatts as decimal text ("11", "7.4") into W, exactly (at most three decimals).
ValueResult<Power> parse_kw(std::string_view text);
//! The shortest exact text: 16500 mA is "16.5" (A), 12345 Wh is "12.345" (kWh), 7400 W is "7.4" (kW).
std::string format_amps(Current c);
std::string format_kwh(Energy e);
std::string format_kw(Power p);
//! Energy in kWh as an exact Decimal, for prices per kWh (Overflow beyond 9.2 * 10^15 Wh).
ValueResult<Decimal> to_kwh(Energy e);

//! The power drawn at a current on `phases` (1..3, else Invalid) at a phase voltage:
//! P = I * U * phases, rounded to the nearest watt (ties up). 16 A, 230 V, 3 phases: 11040 W.
ValueResult<Power> power_of(Current i, Voltage u, int phases);
//! The largest current per phase that stays within `p` (rounded down to the mA): a limit in W
//! for a station that takes limits in A. Voltage must be positive, phases 1..3 (else Invalid).
ValueResult<Current> current_within(Power p, Voltage u, int phases);

} // namespace gridlane::core
