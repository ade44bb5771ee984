#include "admin_invoice.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <iostream>

#include "gridlane/api/invoices.hpp"
#include "gridlane/billing/invoice_pdf.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/services/invoice_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

core::Timestamp time_flag(const char *flag, const std::string &text) {
  auto t = core::parse_iso8601(text);
  if (!t) throw std::invalid_argument(std::string(flag) + " must be an RFC 3339 date-time with a zone: " + text);
  return *t;
}

} // namespace

void AdminInvoiceCommands::attach(CLI::App &admin) {
  auto *invoices = admin.add_subcommand("invoices", "Invoices per account and period (docs/billing.md)");
  invoices->require_subcommand(1);
  run_ = invoices->add_subcommand("run", "Invoice every billable account for [from, to) (prints JSON)");
  run_->add_option("--from", from_, "Period start, RFC 3339")->required();
  run_->add_option("--to", to_, "Period end (exclusive), RFC 3339")->required();
  run_->add_option("--issuer", issuer_, "Issuer prefix of the numbers (default GL)");
  run_->add_option("--account", account_, "Only this account");
  list_ = invoices->add_subcommand("list", "Invoices, newest first (JSON)");
  list_->add_option("--account", account_, "Only this account's");
  list_->add_option("--limit", limit_, "At most this many (default 100)");
  pdf_ = invoices->add_subcommand("pdf", "Write an invoice's PDF");
  pdf_->add_option("invoice", invoice_, "The invoice's number (GL-000042) or id")->required();
  pdf_->add_option("--out", out_, "The file to write")->required();
}

std::optional<int> AdminInvoiceCommands::run(store::Store &store, core::Timestamp now) {
  services::AccountCdrSource source;
  const services::InvoiceService service{source};
  if (run_->parsed()) {
    services::InvoiceRun what{time_flag("--from", from_), time_flag("--to", to_), issuer_, std::nullopt};
    if (!account_.empty()) what.account_id = account_;
    json::object out;
    store.run([&](Repository &r) {
      auto report = checked(service.run(r, what, now));
      json::array created, skipped;
      for (const auto &inv : report.created)
        created.push_back(api::invoice_json(inv));
      for (const auto &a : report.already_invoiced)
        skipped.push_back(json::string(a));
      out = {{"created", std::move(created)}, {"already_invoiced", std::move(skipped)}};
    });
    std::cout << core::to_json_text(out) << "\n";
    return 0;
  }
  if (list_->parsed()) {
    InvoiceFilter f;
    if (!account_.empty()) f.account_id = account_;
    f.limit = limit_;
    json::array items;
    store.run([&](Repository &r) {
      for (const auto &inv : r.invoices(f))
        items.push_back(api::invoice_json(inv));
    });
    std::cout << core::to_json_text(items) << "\n";
    return 0;
  }
  if (pdf_->parsed()) {
    std::string bytes;
    store.run([&](Repository &r) {
      const bool numeric =
          !invoice_.empty() && invoice_.size() < 19 && invoice_.find_first_not_of("0123456789") == std::string::npos;
      auto inv = checked(numeric ? service.invoice(r, std::stoll(invoice_)) : service.invoice_by_number(r, invoice_));
      bytes = checked(billing::render_invoice_pdf(inv));
    });
    std::ofstream file(out_, std::ios::binary);
    file << bytes;
    if (!file.flush()) throw std::runtime_error("cannot write " + out_);
    std::cout << out_ << ": " << bytes.size() << " bytes\n";
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
