#include "gridlane/core/money.hpp"

#include <algorithm>
#include <ostream>

namespace gridlane::core {

namespace {

struct MinorDigits {
  std::string_view code;
  int digits;
};

// ISO 4217 minor units of the currencies whose minor unit is not 2 (everything else is 2, as
// for EUR, USD, GBP, CHF, SEK, NOK, DKK, PLN, CZK and HUF). Sorted by code.
constexpr MinorDigits kNotTwo[] = {
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3},
    {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3},
    {"UGX", 0}, {"UYI", 0}, {"UYW", 4}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
};

int minor_digits_of(std::string_view code) {
  const auto *end = std::end(kNotTwo);
  const auto *it = std::lower_bound(std::begin(kNotTwo), end, code,
                                    [](const MinorDigits &m, std::string_view c) { return m.code < c; });
  return it != end && it->code == code ? it->digits : 2;
}

} // namespace

std::optional<Currency> Currency::parse(std::string_view code) {
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return std::nullopt;
  return Currency({code[0], code[1], code[2]}, minor_digits_of(code));
}

ValueResult<Money> Money::parse(std::string_view amount, Currency currency) {
  auto d = Decimal::parse(amount);
  if (!d) return d.error();
  return Money(*d, currency);
}

ValueResult<Money> Money::from_minor(std::int64_t minor, Currency currency) {
  auto d = Decimal::from_scaled(minor, currency.minor_digits());
  if (!d) return d.error();
  return Money(*d, currency);
}

ValueResult<Money> Money::plus(const Money &o) const {
  if (!(currency_ == o.currency_)) return ValueError::CurrencyMismatch;
  auto d = amount_.plus(o.amount_);
  if (!d) return d.error();
  return Money(*d, currency_);
}

ValueResult<Money> Money::minus(const Money &o) const {
  if (!(currency_ == o.currency_)) return ValueError::CurrencyMismatch;
  auto d = amount_.minus(o.amount_);
  if (!d) return d.error();
  return Money(*d, currency_);
}

ValueResult<std::strong_ordering> Money::compare(const Money &o) const {
  if (!(currency_ == o.currency_)) return ValueError::CurrencyMismatch;
  return amount_ <=> o.amount_;
}

ValueResult<Money> Money::times(Decimal quantity, Rounding r, int places) const {
  auto d = amount_.times(quantity, r, places);
  if (!d) return d.error();
  return Money(*d, currency_);
}

ValueResult<Money> Money::mul_div(std::int64_t num, std::int64_t den, Rounding r, int places) const {
  auto d = amount_.mul_div(num, den, r, places);
  if (!d) return d.error();
  return Money(*d, currency_);
}

ValueResult<Money> Money::percent(Decimal pct, Rounding r, int places) const {
  auto d = amount_.percent(pct, r, places);
  if (!d) return d.error();
  return Money(*d, currency_);
}

ValueResult<Money> Money::rounded(Rounding r) const {
  auto d = amount_.rounded(currency_.minor_digits(), r);
  if (!d) return d.error();
  return Money(*d, currency_);
}

ValueResult<std::int64_t> Money::to_minor(Rounding r) const {
  return amount_.to_scaled(currency_.minor_digits(), r);
}

std::ostream &operator<<(std::ostream &os, const Money &m) {
  return os << m.amount_text() << ' ' << m.currency().code();
}

std::string Money::format(Rounding r) const {
  return amount_.to_fixed(currency_.minor_digits(), r);
}

} // namespace gridlane::core
