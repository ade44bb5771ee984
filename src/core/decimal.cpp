#include "gridlane/core/decimal.hpp"

#include <limits>
#include <ostream>
#include <stdexcept>

namespace gridlane::core {

namespace {

// Products of two int64 need 126 bits; GCC and Clang give us __int128 (an extension).
__extension__ using i128 = __int128;

constexpr std::int64_t kPow10[] = {1, 10, 100, 1'000, 10'000, 100'000, 1'000'000};

bool valid_places(int places) {
  return places >= 0 && places <= Decimal::kScale;
}

bool fits(i128 v) {
  return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

i128 abs128(i128 v) {
  return v < 0 ? -v : v;
}

//! n / d rounded as asked; d > 0. Exact: the remainder decides, no intermediate rounding.
i128 round_div(i128 n, i128 d, Rounding r) {
  i128 q = n / d; // truncates toward zero
  const i128 rem = abs128(n % d);
  if (rem == 0) return q;
  const i128 away = n < 0 ? -1 : 1;
  switch (r) {
  case Rounding::Down: break;
  case Rounding::Up: q += away; break;
  case Rounding::HalfUp:
    if (2 * rem >= d) q += away;
    break;
  case Rounding::HalfEven:
    if (2 * rem > d || (2 * rem == d && q % 2 != 0)) q += away;
    break;
  }
  return q;
}

//! n (a count of 10^-6 units times `extra`) to `places` decimals, back in 10^-6 units.
ValueResult<Decimal> finish(i128 n, i128 extra, int places, Rounding r) {
  if (!valid_places(places)) return ValueError::Invalid;
  const i128 step = kPow10[Decimal::kScale - places];
  const i128 q = round_div(n, extra * step, r) * step;
  if (!fits(q)) return ValueError::Overflow;
  return Decimal::from_units(static_cast<std::int64_t>(q));
}

} // namespace

std::string_view to_string(ValueError e) {
  switch (e) {
  case ValueError::Invalid: return "invalid value";
  case ValueError::Overflow: return "value out of range";
  case ValueError::CurrencyMismatch: return "amounts in different currencies";
  }
  return "invalid value";
}

std::ostream &operator<<(std::ostream &os, ValueError e) {
  return os << to_string(e);
}

std::ostream &operator<<(std::ostream &os, Decimal d) {
  return os << d.to_string();
}

void throw_exception_from_error(ValueError e, const boost::source_location &) {
  throw std::logic_error(std::string(to_string(e)));
}

ValueResult<Decimal> Decimal::from_scaled(std::int64_t value, int places) {
  if (!valid_places(places)) return ValueError::Invalid;
  const i128 v = static_cast<i128>(value) * kPow10[kScale - places];
  if (!fits(v)) return ValueError::Overflow;
  return Decimal(static_cast<std::int64_t>(v));
}

ValueResult<Decimal> Decimal::parse(std::string_view text) {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
  if (!digit(i)) return ValueError::Invalid;
  // 128 bits hold every intermediate; the integer part is bounded on the way (so a long run of
  // digits cannot wrap) and the whole value checked against the int64 range at the end.
  i128 v = 0;
  for (; digit(i); ++i) {
    v = v * 10 + (text[i] - '0');
    if (v > static_cast<i128>(std::numeric_limits<std::int64_t>::max()) + 1) return ValueError::Overflow;
  }
  v *= kOne;
  if (i < text.size()) {
    if (text[i] != '.') return ValueError::Invalid;
    ++i;
    if (!digit(i)) return ValueError::Invalid;
    i128 place = kOne / 10;
    for (; digit(i); ++i) {
      const int d = text[i] - '0';
      if (place == 0) {
        if (d != 0) return ValueError::Invalid; // more than six decimals: would need rounding
        continue;
      }
      v += d * place;
      place /= 10;
    }
    if (i != text.size()) return ValueError::Invalid;
  }
  if (negative) v = -v;
  if (!fits(v)) return ValueError::Overflow;
  return Decimal(static_cast<std::int64_t>(v));
}

std::string Decimal::to_string() const {
  std::string s = to_fixed(kScale, Rounding::Down);
  if (auto dot = s.find('.'); dot != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string Decimal::to_fixed(int places, Rounding r) const {
  if (!valid_places(places)) places = kScale;
  // Rounding to fewer places can only overflow at the very ends of the range; 128 bits hold it.
  const i128 step = kPow10[kScale - places];
  i128 q = round_div(v_, step, r);
  const bool negative = q < 0;
  q = abs128(q);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(q % 10)));
    q /= 10;
  } while (q != 0);
  if (places > 0) {
    if (digits.size() <= static_cast<std::size_t>(places))
      digits.insert(0, static_cast<std::size_t>(places) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(places), 1, '.');
  }
  if (negative) digits.insert(digits.begin(), '-');
  return digits;
}

ValueResult<Decimal> Decimal::plus(Decimal o) const {
  std::int64_t out = 0;
  if (__builtin_add_overflow(v_, o.v_, &out)) return ValueError::Overflow;
  return Decimal(out);
}

ValueResult<Decimal> Decimal::minus(Decimal o) const {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(v_, o.v_, &out)) return ValueError::Overflow;
  return Decimal(out);
}

ValueResult<Decimal> Decimal::negated() const {
  if (v_ == std::numeric_limits<std::int64_t>::min()) return ValueError::Overflow;
  return Decimal(-v_);
}

ValueResult<Decimal> Decimal::rounded(int places, Rounding r) const {
  return finish(v_, 1, places, r);
}

ValueResult<Decimal> Decimal::times(Decimal o, Rounding r, int places) const {
  return finish(static_cast<i128>(v_) * o.v_, kOne, places, r);
}

ValueResult<Decimal> Decimal::mul_div(std::int64_t num, std::int64_t den, Rounding r, int places) const {
  if (den <= 0) return ValueError::Invalid;
  return finish(static_cast<i128>(v_) * num, den, places, r);
}

ValueResult<Decimal> Decimal::percent(Decimal pct, Rounding r, int places) const {
  return finish(static_cast<i128>(v_) * pct.v_, static_cast<i128>(kOne) * 100, places, r);
}

ValueResult<std::int64_t> Decimal::to_scaled(int places, Rounding r) const {
  if (!valid_places(places)) return ValueError::Invalid;
  return static_cast<std::int64_t>(round_div(v_, kPow10[kScale - places], r)); // |result| <= |v_|
}

} // namespace gridlane::core
