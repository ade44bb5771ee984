#include "gridlane/core/decimal.hpp"

#include <charconv>
#include <cmath>
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

namespace {

//! Decimal text into millionths. Digits beyond the sixth decimal are refused unless zeros (no
//! rounding given) or rounded as given. All modes are symmetric about zero, so the magnitude is
//! rounded and the sign applied after.
ValueResult<std::int64_t> parse_text(std::string_view text, const Rounding *rounding) {
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
  v *= Decimal::kOne;
  int first_dropped = -1; // the first digit beyond the sixth decimal, if any
  bool sticky = false;    // any non-zero digit after that one
  if (i < text.size()) {
    if (text[i] != '.') return ValueError::Invalid;
    ++i;
    if (!digit(i)) return ValueError::Invalid;
    i128 place = Decimal::kOne / 10;
    for (; digit(i); ++i) {
      const int d = text[i] - '0';
      if (place != 0) {
        v += d * place;
        place /= 10;
      } else if (first_dropped < 0) {
        first_dropped = d;
      } else {
        sticky = sticky || d != 0;
      }
    }
    if (i != text.size()) return ValueError::Invalid;
  }
  if (first_dropped > 0 || sticky) {
    if (rounding == nullptr) return ValueError::Invalid; // more than six decimals: would need rounding
    const bool above = first_dropped > 5 || (first_dropped == 5 && sticky);
    const bool tie = first_dropped == 5 && !sticky;
    bool up = false;
    switch (*rounding) {
    case Rounding::Down: break;
    case Rounding::Up: up = true; break;
    case Rounding::HalfUp: up = above || tie; break;
    case Rounding::HalfEven: up = above || (tie && v % 2 != 0); break;
    }
    if (up) ++v;
  }
  if (negative) v = -v;
  if (!fits(v)) return ValueError::Overflow;
  return static_cast<std::int64_t>(v);
}

} // namespace

ValueResult<Decimal> Decimal::parse(std::string_view text) {
  auto v = parse_text(text, nullptr);
  if (!v) return v.error();
  return Decimal(*v);
}

ValueResult<Decimal> Decimal::from_wire(double value, Rounding r) {
  if (!std::isfinite(value)) return ValueError::Invalid;
  if (std::fabs(value) >= 1e14) return ValueError::Overflow; // beyond the range; keeps the text short
  // The shortest fixed-notation text that reads back as this double: what the sender wrote
  // (0.2345, not 0.234499999999999992006394222699E0), then rounded as decimal text.
  char buf[400];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  if (ec != std::errc{}) return ValueError::Invalid;
  auto v = parse_text(std::string_view(buf, static_cast<std::size_t>(end - buf)), &r);
  if (!v) return v.error();
  return Decimal(*v);
}

double Decimal::to_wire() const {
  // The double nearest the exact value (from_chars rounds correctly), so its shortest text is
  // this value's text whenever it has at most 15 significant digits.
  const std::string text = to_string();
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return d;
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
