#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin tariff put|get|list|delete`: tariffs in their OCPI 2.2.1 JSON, through the
//! same codec and services::TariffService as the API (docs/api.md, "Tariffs").
class AdminTariffCommands {
public:
  void attach(CLI::App &admin);
  //! The `tariff` subcommand, for other tariff commands (assignments) to attach to.
  CLI::App *command() const { return tariff_; }
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, core::Timestamp now);

private:
  CLI::App *tariff_ = nullptr, *put_ = nullptr, *get_ = nullptr, *list_ = nullptr, *delete_ = nullptr;
  std::string id_, file_, currency_, type_;
  std::size_t limit_ = 100, offset_ = 0;
  bool json_ = false;
};

} // namespace gridlane::app
