#include "admin_reports.hpp"

#include <chrono>
#include <iostream>

#include "gridlane/services/report_service.hpp"

namespace gridlane::app {

void AdminReportCommands::attach(CLI::App &admin) {
  auto *reports = admin.add_subcommand("reports", "Reports and analytics: the daily roll-ups");
  reports->require_subcommand(1);
  rebuild_ = reports->add_subcommand("rebuild", "Make the daily roll-ups again from the stored sessions "
                                                "(all days, or local days from..to), in one transaction");
  rebuild_->add_option("--from", from_, "First local day, YYYY-MM-DD");
  rebuild_->add_option("--to", to_, "Last local day, YYYY-MM-DD");
}

std::optional<int> AdminReportCommands::run(store::Store &store) {
  if (!rebuild_->parsed()) return std::nullopt;
  std::optional<std::int64_t> from, to;
  for (auto [text, day, flag] : {std::tuple{&from_, &from, "--from"}, std::tuple{&to_, &to, "--to"}}) {
    if (text->empty()) continue;
    *day = services::ReportService::parse_day(*text);
    if (!*day) {
      std::cerr << flag << " must be a date YYYY-MM-DD\n";
      return 2;
    }
  }
  if (from && to && *from > *to) {
    std::cerr << "--from must not be after --to\n";
    return 2;
  }
  const services::ReportService service;
  services::RebuildSummary summary;
  const auto started = std::chrono::steady_clock::now();
  store.run([&](domain::Repository &r) { summary = service.rebuild(r, from, to); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << summary.sessions << " sessions rolled up again in " << seconds << " s\n";
  return 0;
}

} // namespace gridlane::app
