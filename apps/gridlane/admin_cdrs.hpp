#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin cdrs ...`: the billing run that makes the missing CDRs, and the CDRs
//! themselves (list, show, credit), through the same services::CdrService as the server.
class AdminCdrCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store);

private:
  CLI::App *generate_ = nullptr, *list_ = nullptr, *show_ = nullptr, *credit_ = nullptr;
  std::size_t batch_ = 1000, limit_ = 100, offset_ = 0;
  std::string id_, remark_, from_, to_, location_, station_, token_, currency_;
  bool quiet_ = false;
};

} // namespace gridlane::app
