// The invoice run and revenue reports (gridlane/services/invoice_service.hpp).
#include "gridlane/services/invoice_service.hpp"

#include <chrono>
#include <map>

#include "gridlane/billing/benefits.hpp"
#include "gridlane/billing/invoice.hpp"
#include "gridlane/billing/invoice_items.hpp"
#include "gridlane/domain/store/accounts.hpp"
#include "gridlane/pricing/periods.hpp"
#include "gridlane/services/account_service.hpp"
#include "gridlane/services/session_pricing.hpp"

namespace gridlane::services {
using namespace gridlane::domain;
using core::Decimal;

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
    // The CDRs on it now name it (OCPI invoice_reference_id); a CDR is never invoiced twice.
    for (const auto &l : inv.lines)
      if (l.item.kind == InvoiceLineKind::Session && l.item.reference)
        r.set_cdr_invoice_reference(*l.item.reference, inv.number);
    report.created.push_back(std::move(inv));
  }
  return report;
}

namespace {

//! The value, or `fallback` when it left Decimal's range (+-9.2 * 10^12: no CDR or invoice
//! amount comes near it; the builder checks every sum it makes).
core::Decimal or_else(const core::ValueResult<core::Decimal> &r, core::Decimal fallback) {
  return r ? *r : fallback;
}

//! The session's recorded discount (excl. VAT) as negative lines, split over its lines at each
//! rate in proportion to their amounts (as billing::apply_benefits splits it).
void add_discount(std::vector<InvoiceItem> &items, std::size_t first, const SessionBenefitRecord &b,
                  const std::string &cdr_id) {
  if (b.discount.is_zero()) return;
  Decimal session_total;
  for (auto i = first; i < items.size(); ++i)
    session_total = or_else(session_total.plus(items[i].amount_excl_vat), session_total);
  const auto end = items.size();
  Decimal given;
  for (auto i = first; i < end; ++i) {
    InvoiceItem d;
    d.kind = InvoiceLineKind::Discount;
    d.description = "Discount on " + cdr_id;
    d.reference = cdr_id;
    d.location_id = items[i].location_id;
    d.at = items[i].at;
    d.vat_rate = items[i].vat_rate;
    Decimal share = b.discount;
    if (i + 1 < end && !session_total.is_zero()) {
      // discount * line / session, exact to 10^-6: the last line takes what is left.
      auto num = items[i].amount_excl_vat.units(), den = session_total.units();
      if (den < 0) num = -num, den = -den;
      share = or_else(b.discount.mul_div(num, den, core::Rounding::HalfUp), Decimal{});
    } else if (i + 1 == end) {
      share = or_else(b.discount.minus(given), Decimal{});
    }
    given = or_else(given.plus(share), given);
    d.amount_excl_vat = or_else(share.negated(), Decimal{});
    items.push_back(std::move(d));
  }
}

//! The session priced over its first hour (for a first-hour-free coupon): the engine over the
//! periods up to an hour after its start; nullopt when that does not price.
std::optional<pricing::PricedSession> first_hour_of(const SessionCost &cost, core::Timestamp start) {
  const auto periods = pricing::periods_until(cost.periods, start + std::chrono::hours(1));
  auto priced = pricing::price(cost.tariff, periods, cost.zone);
  if (!priced) return std::nullopt;
  return std::move(*priced);
}

//! The token's credit CDRs of sessions that ended before `before`, on no invoice yet, whose
//! original is on one: made after that period was invoiced, so no run of their own period
//! takes them.
std::vector<Cdr> late_credits(Repository &r, const std::string &token, const core::Currency &currency,
                              core::Timestamp before) {
  CdrFilter f;
  f.to = before;
  f.token = token;
  f.currency = std::string(currency.code());
  f.credit = true;
  std::vector<Cdr> out;
  for (std::size_t offset = 0;; offset += 1000) {
    auto page = r.list_cdrs(f, {1000, offset});
    for (auto &c : page.items) {
      if (c.invoice_reference_id || !c.credit_reference_id) continue;
      auto original = r.cdr(*c.credit_reference_id);
      if (original && original->invoice_reference_id) out.push_back(std::move(c));
    }
    if (page.items.size() < 1000) break;
  }
  return out;
}

} // namespace

Result<std::vector<BillableAccount>> AccountCdrSource::billable(Repository &r, core::Timestamp from, core::Timestamp to,
                                                                const std::optional<std::string> &account_id) {
  AccountStore *accounts_store = &r;
  const AccountService accounts_rules;
  std::vector<Account> accounts;
  if (account_id) {
    auto a = accounts_store->account(*account_id);
    if (!a) return ServiceError::not_found("no such account");
    accounts.push_back(std::move(*a));
  } else {
    for (std::size_t offset = 0;; offset += 500) {
      AccountFilter f;
      f.limit = 500;
      f.offset = offset;
      auto page = accounts_store->accounts(f);
      for (auto &a : page)
        accounts.push_back(std::move(a));
      if (page.size() < 500) break;
    }
  }

  std::vector<BillableAccount> out;
  for (const auto &listed : accounts) {
    auto a = account_id ? listed : accounts_store->account(listed.id).value_or(listed); // with its tokens
    BillableAccount bill{a.id, a.name, a.currency, {}};
    for (const auto &token : a.tokens) {
      CdrFilter f;
      f.from = from;
      f.to = to;
      f.token = token.token_id;
      f.currency = std::string(a.currency.code());
      for (std::size_t offset = 0;; offset += 1000) {
        auto page = r.list_cdrs(f, {1000, offset});
        for (const auto &cdr : page.items) {
          if (cdr.invoice_reference_id) continue; // on an invoice already
          auto first = bill.items.size();
          for (auto &it : billing::cdr_items(cdr))
            bill.items.push_back(std::move(it));
          if (cdr.credit || !cdr.transaction_id) continue;
          // The session's benefits are applied and recorded once, here, inside the run's unit of
          // work (AccountService::bill_session); a session recorded before (an earlier run, or a
          // retry) gets the discount recorded then. The record's time is the period's end.
          std::optional<billing::Benefits> applied;
          if (auto cost = SessionPricing::price(r, *cdr.transaction_id, to)) {
            auto billed = accounts_rules.bill_session(r, a.id, *cdr.transaction_id, cost->priced, cdr.start_date_time,
                                                      to, first_hour_of(*cost, cdr.start_date_time));
            if (!billed) return billed.error();
            applied = std::move(*billed);
          }
          if (applied) {
            for (const auto &d : applied->lines) {
              InvoiceItem it;
              it.kind = InvoiceLineKind::Discount;
              it.description = d.description.empty() ? "Discount on " + cdr.id : d.description;
              it.reference = d.reference;
              it.location_id = bill.items[first].location_id;
              it.at = cdr.end_date_time;
              it.vat_rate = d.vat_rate;
              it.amount_excl_vat = or_else(d.excl_vat.negated(), Decimal{});
              bill.items.push_back(std::move(it));
            }
          } else if (auto b = accounts_store->session_benefits(*cdr.transaction_id)) {
            add_discount(bill.items, first, *b, cdr.id);
          }
        }
        if (page.items.size() < 1000) break;
      }
      // Credits made after their original was invoiced (the session ended in an invoiced
      // period): on the account's next invoice.
      for (auto &cdr : late_credits(r, token.token_id, a.currency, from))
        for (auto &it : billing::cdr_items(cdr))
          bill.items.push_back(std::move(it));
    }
    for (const auto &s : accounts_store->subscriptions(a.id)) {
      auto plan = accounts_store->billing_plan(s.plan_id);
      if (!plan || !(plan->currency == a.currency)) continue;
      auto fee = billing::plan_fee(*plan, s, from, to);
      if (fee.is_zero()) continue;
      InvoiceItem it;
      it.kind = InvoiceLineKind::PlanFee;
      it.description = "Plan " + plan->name;
      it.reference = plan->id;
      it.vat_rate = plan->fee_vat;
      it.amount_excl_vat = fee;
      bill.items.push_back(std::move(it));
    }
    out.push_back(std::move(bill));
  }
  return out;
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
                       item.kind == InvoiceLineKind::Session && item.energy_kwh.has_value(),
                       item.energy_kwh.value_or(core::Decimal{}), l.line.excl_vat, l.line.vat, l.line.incl_vat});
  }
  // Sessions paid by card at the charger are on no invoice: counted from their CDRs, each
  // amount rounded once to the currency's minor unit as the capture is.
  for (const auto &c : r.card_paid_cdrs(from, to)) {
    auto currency = core::Currency::parse(c.currency);
    if (!currency) continue; // a code the CDR codec accepted: never here
    auto minor = [&](core::Decimal d) {
      return or_else(d.rounded(currency->minor_digits(), core::Rounding::HalfUp), d);
    };
    const auto excl = minor(c.excl_vat), incl = minor(c.incl_vat.value_or(c.excl_vat));
    entries.push_back({c.location_id, *currency, c.end, !c.credit, c.energy_kwh, excl, or_else(incl.minus(excl), {}),
                       incl, billing::RevenueSource::Card});
  }
  return billing::revenue_report(entries, q);
}

} // namespace gridlane::services
