#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin invoices run|list|pdf`: the invoice run, the list and an invoice's PDF,
//! through the same services::InvoiceService (and the same JSON) as the API.
class AdminInvoiceCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, core::Timestamp now);

private:
  CLI::App *run_ = nullptr;
  CLI::App *list_ = nullptr;
  CLI::App *pdf_ = nullptr;
  std::string from_, to_, issuer_ = "GL", account_, invoice_, out_;
  std::size_t limit_ = 100;
};

} // namespace gridlane::app
