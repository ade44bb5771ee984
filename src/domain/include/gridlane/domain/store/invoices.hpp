#pragma once
//! Storage of invoices (migration 0015). Used inside one unit of work; the rules (what is
//! billed, how it is rounded) are services::InvoiceService's and billing::build_invoice's.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/invoice.hpp"

namespace gridlane::domain {

//! A line of a stored invoice with what a report needs of its invoice.
struct InvoicedLine {
  core::Currency currency = core::Currency::eur();
  core::Timestamp period_from; //!< the invoice's
  InvoiceLine line;
};

class InvoiceStore {
public:
  virtual ~InvoiceStore() = default;

  //! The next number of `issuer`'s sequence (1 for its first invoice). Taken in the current
  //! unit of work: if it rolls back, the number was never taken, so the sequence has no gaps.
  virtual std::int64_t next_invoice_sequence(std::string_view issuer) = 0;
  //! Stores a numbered invoice (lines and VAT lines too); returns its id. Invoices are immutable.
  virtual std::int64_t insert_invoice(const Invoice &invoice) = 0;
  virtual std::optional<Invoice> invoice(std::int64_t id) = 0;
  virtual std::optional<Invoice> invoice_by_number(std::string_view number) = 0;
  //! Whether the account has an invoice for exactly this period.
  virtual std::optional<std::int64_t> invoice_of_period(std::string_view account_id, core::Timestamp from,
                                                        core::Timestamp to) = 0;
  //! Newest first (by id), lines included; filtered and paged by the database.
  virtual std::vector<Invoice> invoices(const InvoiceFilter &f) = 0;
  virtual std::int64_t count_invoices(const InvoiceFilter &f) = 0;
  //! Every invoice line whose time (a session's end, else its invoice's period start) is in
  //! [from, to), for revenue reports.
  virtual std::vector<InvoicedLine> invoiced_lines(core::Timestamp from, core::Timestamp to) = 0;
};

} // namespace gridlane::domain
