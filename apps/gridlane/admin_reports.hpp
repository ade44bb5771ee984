#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin reports rebuild [--from --to]`: the reports' daily roll-ups made again from the
//! stored sessions, through the same services::ReportService as POST /api/v1/reports/rebuild.
class AdminReportCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store);

private:
  CLI::App *rebuild_ = nullptr;
  std::string from_, to_;
};

} // namespace gridlane::app
