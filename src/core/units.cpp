#include "gridlane/core/units.hpp"

namespace gridlane::core {

namespace {

//! Text with three decimals into a count of thousandths, refusing anything finer.
ValueResult<std::int64_t> parse_thousandths(std::string_view text) {
  auto d = Decimal::parse(text);
  if (!d) return d.error();
  auto scaled = d->to_scaled(3, Rounding::Down);
  if (!scaled) return scaled.error();
  auto back = Decimal::from_scaled(*scaled, 3);
  if (!back || *back != *d) return ValueError::Invalid; // a fourth decimal: would need rounding
  return *scaled;
}

//! A count of thousandths as the shortest exact decimal text; any int64 (no Decimal range limit).
std::string format_thousandths(std::int64_t v) {
  const bool negative = v < 0;
  // Via unsigned so that the most negative count has a magnitude too.
  const std::uint64_t mag = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string s = std::to_string(mag / 1000);
  if (const auto frac = mag % 1000; frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 3 - f.size(), '0');
    while (f.back() == '0')
      f.pop_back();
    s += '.' + f;
  }
  return negative ? '-' + s : s;
}

bool valid_phases(int phases) {
  return phases >= 1 && phases <= 3;
}

} // namespace

ValueResult<Current> parse_amps(std::string_view text) {
  auto v = parse_thousandths(text);
  if (!v) return v.error();
  return Current(*v);
}

ValueResult<Energy> parse_kwh(std::string_view text) {
  auto v = parse_thousandths(text);
  if (!v) return v.error();
  return Energy(*v);
}

ValueResult<Power> parse_kw(std::string_view text) {
  auto v = parse_thousandths(text);
  if (!v) return v.error();
  return Power(*v);
}

std::string format_amps(Current c) {
  return format_thousandths(c.count());
}
std::string format_kwh(Energy e) {
  return format_thousandths(e.count());
}
std::string format_kw(Power p) {
  return format_thousandths(p.count());
}

ValueResult<Decimal> to_kwh(Energy e) {
  return Decimal::from_scaled(e.count(), 3);
}

ValueResult<Power> power_of(Current i, Voltage u, int phases) {
  if (!valid_phases(phases)) return ValueError::Invalid;
  std::int64_t milliwatts = 0;
  if (__builtin_mul_overflow(i.count(), u.count(), &milliwatts) ||
      __builtin_mul_overflow(milliwatts, static_cast<std::int64_t>(phases), &milliwatts))
    return ValueError::Overflow;
  std::int64_t w = milliwatts / 1000; // toward zero, then ties away from zero
  if (const auto rem = milliwatts % 1000; rem >= 500 || rem <= -500) w += milliwatts < 0 ? -1 : 1;
  return Power(w);
}

ValueResult<Current> current_within(Power p, Voltage u, int phases) {
  if (!valid_phases(phases) || u.count() <= 0) return ValueError::Invalid;
  std::int64_t milliwatts = 0;
  std::int64_t per = 0;
  if (__builtin_mul_overflow(p.count(), std::int64_t{1000}, &milliwatts) ||
      __builtin_mul_overflow(u.count(), static_cast<std::int64_t>(phases), &per))
    return ValueError::Overflow;
  std::int64_t ma = milliwatts / per;
  if (milliwatts % per != 0 && milliwatts < 0) --ma; // floor, so the limit is never exceeded
  return Current(ma);
}

} // namespace gridlane::core
