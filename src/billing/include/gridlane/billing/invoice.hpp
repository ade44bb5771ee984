#pragma once
//! The invoice builder: a pure function from what an account is billed for in a period (exact
//! amounts excl. VAT, each at one VAT rate) to the invoice's lines, VAT breakdown and totals in
//! the currency's minor units. No clock, no store: the invoice run (services::InvoiceService)
//! gathers the items and takes the number; this decides every cent.
//!
//! The rules (docs/billing.md, "Invoices"):
//! - VAT is computed per rate on the exact sum of that rate's items, once: a rate's total incl.
//!   VAT is that exact sum plus its VAT, rounded half up to the minor unit; its total excl. VAT
//!   is the exact sum rounded; its VAT is the difference. So one session alone is invoiced at
//!   exactly its CDR's total_cost incl. VAT rounded to the cent.
//! - Each line is its item rounded; what rounding the lines one by one leaves over at a rate (a
//!   few minor units at most) goes to that rate's largest line, so the lines of a rate sum to the
//!   rate's totals and all lines sum to the invoice's totals, exactly.
#include <string>
#include <vector>

#include "gridlane/domain/invoice.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::billing {

struct InvoiceDraft {
  std::string issuer;
  std::string account_id;
  std::string account_name;
  core::Currency currency = core::Currency::eur();
  core::Timestamp period_from;
  core::Timestamp period_to;
  core::Timestamp issued_at;
  std::vector<domain::InvoiceItem> items;
};

//! The invoice of a draft, not yet numbered (id 0, sequence 0, number empty). Invalid when the
//! period is empty or reversed, a VAT rate is negative, or an amount leaves Decimal's range.
domain::Result<domain::Invoice> build_invoice(const InvoiceDraft &draft);

//! The printed number of the `sequence`-th invoice of `issuer`: "GL-000042".
std::string invoice_number(std::string_view issuer, std::int64_t sequence);

//! Whether `issuer` may prefix invoice numbers: 1 to 16 of A-Z, 0-9 and '-'.
bool valid_issuer(std::string_view issuer);

} // namespace gridlane::billing
