#pragma once
//! Revenue reports (docs/billing.md, "Revenue reports"): invoiced amounts summed per period
//! (UTC day or month), currency and, when asked, location. A pure function over the entries the
//! store gives (services::InvoiceService::revenue); amounts of two currencies are never added.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::billing {

//! Where revenue comes from: a line of an invoice (post-paid accounts), or a session paid by card
//! at the charger, counted from its CDR (and a credit CDR of it, negative).
enum class RevenueSource { Invoice, Card };
std::string_view to_string(RevenueSource s); //!< "invoice", "card"

//! One amount: a line of an invoice, or a card-paid CDR.
struct RevenueEntry {
  std::optional<std::string> location_id; //!< nullopt: not a session (plan fee, discount...)
  core::Currency currency = core::Currency::eur();
  core::Timestamp at; //!< when the session ended (else the invoice's period start)
  bool session = false;
  core::Decimal energy_kwh;
  core::Decimal excl_vat, vat, incl_vat;
  RevenueSource source = RevenueSource::Invoice;
};

enum class RevenuePeriod { Day, Month, Total };
std::optional<RevenuePeriod> parse_revenue_period(std::string_view text); //!< "day", "month", "total"

struct RevenueQuery {
  bool by_location = false;
  RevenuePeriod period = RevenuePeriod::Month;
};

struct RevenueRow {
  std::string period; //!< "2026-11", "2026-11-02", or "total"
  core::Currency currency = core::Currency::eur();
  std::optional<std::string> location_id; //!< with by_location; nullopt: lines without a location
  std::int64_t sessions = 0;
  core::Decimal energy_kwh;
  core::Decimal excl_vat, vat, incl_vat;
  RevenueSource source = RevenueSource::Invoice; //!< a row sums one source only
};

//! Rows ordered by period, currency, location (no location first), then source (invoice first).
domain::Result<std::vector<RevenueRow>> revenue_report(std::span<const RevenueEntry> entries, const RevenueQuery &q);

} // namespace gridlane::billing
