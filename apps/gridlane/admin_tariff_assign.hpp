#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin tariff assign|unassign|assignments`: which tariff applies where, through the
//! same services::TariffAssignmentService (and the same JSON) as /api/v1/tariff-assignments.
class AdminTariffAssignCommands {
public:
  //! Adds its commands under `admin tariff` (created if the tariff commands are not there yet).
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, core::Timestamp now);

private:
  CLI::App *assign_ = nullptr, *unassign_ = nullptr, *list_ = nullptr;
  std::string tariff_, location_, station_, group_;
  int evse_ = 0, connector_ = 0;
  bool default_ = false, json_ = false;
  std::int64_t id_ = 0;
  std::size_t limit_ = 100, offset_ = 0;
};

} // namespace gridlane::app
