#pragma once
//! Money: an exact Decimal amount (10^-6 units, +-9.2 * 10^12) in an ISO 4217 currency. Prices
//! are held with more places than the currency has (OCPI: 4 decimals excl. VAT); an amount is
//! brought to the currency's minor units only when asked (`rounded`, `to_minor`), with the
//! rounding named by the caller (HalfUp for invoices and CDRs). Amounts of two currencies never
//! mix: such an operation is the error value ValueError::CurrencyMismatch.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/core/decimal.hpp"

namespace gridlane::core {

class Currency {
public:
  //! A three-letter upper-case ISO 4217 alphabetic code ("EUR"); anything else is nullopt.
  //! A well-formed code that is not in Gridlane's table is accepted with 2 minor digits.
  static std::optional<Currency> parse(std::string_view code);
  static Currency eur() { return Currency({'E', 'U', 'R'}, 2); }

  std::string_view code() const { return {code_.data(), code_.size()}; }
  //! Decimal places of the minor unit: EUR 2, JPY 0, BHD 3.
  int minor_digits() const { return digits_; }
  bool operator==(const Currency &o) const { return code_ == o.code_; }

private:
  Currency(std::array<char, 3> code, int digits) : code_(code), digits_(digits) {}
  std::array<char, 3> code_;
  int digits_;
};

class Money {
public:
  Money(Decimal amount, Currency currency) : amount_(amount), currency_(currency) {}
  //! Decimal text as Decimal::parse reads it ("0.2345", "-1.50").
  static ValueResult<Money> parse(std::string_view amount, Currency currency);
  //! A count of the currency's minor unit: (150, EUR) is 1.50 EUR, (150, JPY) is 150 JPY.
  static ValueResult<Money> from_minor(std::int64_t minor, Currency currency);
  static Money zero(Currency currency) { return Money(Decimal{}, currency); }

  Decimal amount() const { return amount_; }
  const Currency &currency() const { return currency_; }
  bool operator==(const Money &o) const = default;

  ValueResult<Money> plus(const Money &o) const;
  ValueResult<Money> minus(const Money &o) const;
  //! Ordering within one currency; CurrencyMismatch otherwise.
  ValueResult<std::strong_ordering> compare(const Money &o) const;
  //! amount * quantity (a price per kWh times kWh), rounded once to `places` (0..6).
  ValueResult<Money> times(Decimal quantity, Rounding r, int places = Decimal::kScale) const;
  //! amount * num / den (a price per hour for num seconds of den = 3600), rounded once.
  ValueResult<Money> mul_div(std::int64_t num, std::int64_t den, Rounding r, int places = Decimal::kScale) const;
  //! amount * pct / 100 (the VAT on this amount), rounded once to `places`.
  ValueResult<Money> percent(Decimal pct, Rounding r, int places = Decimal::kScale) const;
  //! Rounded to the currency's minor units: 2.345 EUR HalfUp is 2.35 EUR, 1234.5 JPY is 1235 JPY.
  ValueResult<Money> rounded(Rounding r) const;
  //! The count of minor units, rounded: 2.345 EUR HalfUp is 235.
  ValueResult<std::int64_t> to_minor(Rounding r) const;

  //! The amount with exactly the currency's minor digits, rounded: "2.35", "1235", "0.125".
  std::string format(Rounding r) const;
  //! The exact amount, shortest ("0.2345"), as OCPI and the API carry prices.
  std::string amount_text() const { return amount_.to_string(); }

private:
  Decimal amount_;
  Currency currency_;
};

//! "1.2345 EUR": the exact amount and the code (for logs and test messages).
std::ostream &operator<<(std::ostream &os, const Money &m);

} // namespace gridlane::core
