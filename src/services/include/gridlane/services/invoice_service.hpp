#pragma once
//! The invoice run and revenue reports (docs/billing.md). A run invoices every billable account
//! for a period in one unit of work: it asks its BillingSource what each account is billed for,
//! builds each invoice (billing::build_invoice, pure), takes the issuer's next number and stores
//! it. A run that fails anywhere rolls back whole, numbers included, so the sequence of an issuer
//! never has a gap; a period already invoiced for an account is skipped, so a run can be repeated.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/billing/revenue.hpp"
#include "gridlane/domain/invoice.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

//! What one account is billed for in a period: its sessions' CDRs (a line per VAT rate), its
//! plan fee and its discounts, as exact amounts excl. VAT in the account's currency.
struct BillableAccount {
  std::string account_id;
  std::string name;
  core::Currency currency = core::Currency::eur();
  std::vector<domain::InvoiceItem> items;
};

//! Where billable items come from (CDRs and accounts); called inside the run's unit of work.
class BillingSource {
public:
  virtual ~BillingSource() = default;
  //! The accounts with something to bill in [from, to), optionally only `account_id`.
  virtual domain::Result<std::vector<BillableAccount>> billable(domain::Repository &r, core::Timestamp from,
                                                                core::Timestamp to,
                                                                const std::optional<std::string> &account_id) = 0;
};

//! The source of a real run: the accounts (domain/store/accounts.hpp), each with the CDRs of its
//! tokens that ended in the period and are on no invoice yet (a line per VAT rate, credit CDRs
//! negative), the discounts recorded for those sessions (AccountStore::session_benefits, split
//! over the session's lines in proportion), and its plan fees (billing::plan_fee, at the
//! plan's fee_vat). Only CDRs in the account's currency are billed to it.
class AccountCdrSource : public BillingSource {
public:
  domain::Result<std::vector<BillableAccount>> billable(domain::Repository &r, core::Timestamp from, core::Timestamp to,
                                                        const std::optional<std::string> &account_id) override;
};

struct InvoiceRun {
  core::Timestamp from; //!< [from, to)
  core::Timestamp to;
  std::string issuer = "GL";
  std::optional<std::string> account_id; //!< only this account
};

struct InvoiceRunReport {
  std::vector<domain::Invoice> created;
  std::vector<std::string> already_invoiced; //!< accounts skipped: this period has their invoice
};

class InvoiceService {
public:
  explicit InvoiceService(BillingSource &source) : source_(source) {}

  //! Invalid for an empty period or an issuer that is not 1-16 of A-Z, 0-9, '-'.
  domain::Result<InvoiceRunReport> run(domain::Repository &r, const InvoiceRun &run, core::Timestamp now) const;
  domain::Result<domain::Invoice> invoice(domain::Repository &r, std::int64_t id) const;
  domain::Result<domain::Invoice> invoice_by_number(domain::Repository &r, std::string_view number) const;
  //! Invoiced revenue of [from, to) (by each line's time: a session's end, else its invoice's
  //! period start), per period and currency and, when asked, location.
  domain::Result<std::vector<billing::RevenueRow>> revenue(domain::Repository &r, core::Timestamp from,
                                                           core::Timestamp to, const billing::RevenueQuery &q) const;

private:
  BillingSource &source_;
};

} // namespace gridlane::services
