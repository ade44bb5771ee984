#pragma once
//! Invoices (docs/billing.md): what an account owes for a period, line by line, with the VAT
//! per rate, numbered in a gap-free sequence per issuer. Amounts are exact Decimals already
//! brought to the currency's minor units; the rules that make them (rounding, VAT per rate, the
//! sum of the lines being the total) are billing::build_invoice's (gridlane/billing/invoice.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::domain {

//! Where a line comes from.
enum class InvoiceLineKind {
  Session,  //!< a charging session (its CDR), one line per VAT rate of the session
  PlanFee,  //!< the billing plan's fee for the period
  Discount, //!< a coupon, promotion, included kWh or loyalty redemption (a negative amount)
  Other,    //!< anything else the operator bills
};
inline std::string_view to_string(InvoiceLineKind k) {
  switch (k) {
  case InvoiceLineKind::Session: return "session";
  case InvoiceLineKind::PlanFee: return "plan_fee";
  case InvoiceLineKind::Discount: return "discount";
  case InvoiceLineKind::Other: break;
  }
  return "other";
}
inline std::optional<InvoiceLineKind> parse_invoice_line_kind(std::string_view text) {
  for (auto k : {InvoiceLineKind::Session, InvoiceLineKind::PlanFee, InvoiceLineKind::Discount, InvoiceLineKind::Other})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

//! One line as it is billed, before rounding: an exact amount excl. VAT at one VAT rate.
struct InvoiceItem {
  InvoiceLineKind kind = InvoiceLineKind::Session;
  std::string description;                 //!< for people: "Session at Main St, 2026-11-02 08:00"
  std::optional<std::string> reference;    //!< the CDR id, coupon code, plan id...
  std::optional<std::string> location_id;  //!< where the session was (revenue per location)
  std::optional<core::Timestamp> at;       //!< when it happened (the session's end)
  std::optional<core::Decimal> energy_kwh; //!< the session's energy, for the reader
  std::optional<core::Decimal> vat_rate;   //!< percent; nullopt: no VAT applies
  core::Decimal amount_excl_vat;           //!< exact (up to 6 decimals), may be negative
  bool operator==(const InvoiceItem &) const = default;
};

//! A line as it stands on the invoice: in minor units of the currency.
struct InvoiceLine {
  InvoiceItem item;
  core::Decimal excl_vat; //!< item.amount_excl_vat rounded, the group's residue included
  core::Decimal vat;
  core::Decimal incl_vat; //!< excl_vat + vat
  bool operator==(const InvoiceLine &) const = default;
};

//! The VAT at one rate: the base is the sum of the lines at that rate.
struct VatLine {
  std::optional<core::Decimal> rate;
  core::Decimal excl_vat;
  core::Decimal vat;
  core::Decimal incl_vat;
  bool operator==(const VatLine &) const = default;
};

struct Invoice {
  std::int64_t id = 0;       //!< the store's id (0 before it is stored)
  std::string issuer;        //!< who issues it; each issuer has its own sequence
  std::int64_t sequence = 0; //!< 1, 2, 3... per issuer, without gaps
  std::string number;        //!< "<issuer>-<sequence, 6 digits>", e.g. "GL-000042"
  std::string account_id;
  std::string account_name;
  core::Currency currency = core::Currency::eur();
  core::Timestamp period_from; //!< [from, to)
  core::Timestamp period_to;
  core::Timestamp issued_at;
  std::vector<InvoiceLine> lines;
  std::vector<VatLine> vat; //!< by rate, ascending; no-VAT lines first
  core::Decimal total_excl_vat;
  core::Decimal total_vat;
  core::Decimal total_incl_vat;
};

//! Filters of the invoice list; empty optionals match everything.
struct InvoiceFilter {
  std::optional<std::string> account_id;
  std::optional<std::string> issuer;
  std::optional<core::Timestamp> from; //!< period_from >= from
  std::optional<core::Timestamp> to;   //!< period_to <= to
  std::size_t limit = 100;
  std::size_t offset = 0;
};

} // namespace gridlane::domain
