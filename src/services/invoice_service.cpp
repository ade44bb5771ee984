// The invoice run and revenue reports (gridlane/services/invoice_service.hpp).
#include "gridlane/services/invoice_service.hpp"

#include "gridlane/billing/invoice.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

Result<InvoiceRunReport> InvoiceService::run(Repository &r, const InvoiceRun &run, core::Timestamp now) const {
  if (run.to <= run.from) return ServiceError::invalid("'to' must be after 'from'", "to");
  if (!billing::valid_issuer(run.issuer))
    return ServiceError::invalid("the issuer is 1 to 16 of A-Z, 0-9 and '-'", "issuer");
  auto accounts = source_.billable(r, run.from, run.to, run.account_id);
  if (!accounts) return accounts.error();

  // Every invoice is built (and every refusal found) before the first write: an error value
  // does not roll a unit of work back, so nothing may be written before the last check.
  InvoiceRunReport report;
  std::vector<Invoice> built;
  for (auto &a : *accounts) {
    if (a.items.empty()) continue;
    if (r.invoice_of_period(a.account_id, run.from, run.to)) {
      report.already_invoiced.push_back(a.account_id);
      continue;
    }
    billing::InvoiceDraft draft{run.issuer, a.account_id, a.name, a.currency,
                                run.from,   run.to,       now,    std::move(a.items)};
    auto inv = billing::build_invoice(draft);
    if (!inv) return inv.error();
    built.push_back(std::move(*inv));
  }
  // Numbers are taken in this unit of work: an exception from here on rolls them back with the
  // invoices, so the issuer's sequence has no gap.
  for (auto &inv : built) {
    inv.sequence = r.next_invoice_sequence(run.issuer);
    inv.number = billing::invoice_number(run.issuer, inv.sequence);
    inv.id = r.insert_invoice(inv);
    report.created.push_back(std::move(inv));
  }
  return report;
}

Result<Invoice> InvoiceService::invoice(Repository &r, std::int64_t id) const {
  auto inv = r.invoice(id);
  if (!inv) return ServiceError::not_found("no such invoice");
  return std::move(*inv);
}

Result<Invoice> InvoiceService::invoice_by_number(Repository &r, std::string_view number) const {
  auto inv = r.invoice_by_number(number);
  if (!inv) return ServiceError::not_found("no such invoice");
  return std::move(*inv);
}

Result<std::vector<billing::RevenueRow>>
InvoiceService::revenue(Repository &r, core::Timestamp from, core::Timestamp to, const billing::RevenueQuery &q) const {
  if (to <= from) return ServiceError::invalid("'to' must be after 'from'", "to");
  std::vector<billing::RevenueEntry> entries;
  for (const auto &l : r.invoiced_lines(from, to)) {
    const auto &item = l.line.item;
    entries.push_back({item.location_id, l.currency, item.at.value_or(l.period_from),
                       item.kind == InvoiceLineKind::Session, item.energy_kwh.value_or(core::Decimal{}),
                       l.line.excl_vat, l.line.vat, l.line.incl_vat});
  }
  return billing::revenue_report(entries, q);
}

} // namespace gridlane::services
