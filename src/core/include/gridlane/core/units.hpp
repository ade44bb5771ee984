#pragma once
//! Physical quantities as types, so a watt is never passed where a watt-hour is meant. Each is
//! an exact integer count of its base unit; arithmetic between like quantities only.
#include <compare>
#include <cstdint>

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

private:
  std::int64_t v_ = 0;
};

using Energy = Quantity<struct EnergyTag>;   //!< watt-hours
using Power = Quantity<struct PowerTag>;     //!< watts
using Current = Quantity<struct CurrentTag>; //!< milliamperes (charging limits have decimals of an ampere)
using Voltage = Quantity<struct VoltageTag>; //!< volts

constexpr Energy watt_hours(std::int64_t wh) { return Energy(wh); }
constexpr Power watts(std::int64_t w) { return Power(w); }
constexpr Current milliamps(std::int64_t ma) { return Current(ma); }
constexpr Current amps(std::int64_t a) { return Current(a * 1000); }
constexpr Voltage volts(std::int64_t v) { return Voltage(v); }

} // namespace gridlane::core
