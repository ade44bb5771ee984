#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/core/config.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin ocpi partner add|list|show|register|rotate|suspend|resume|unregister|set`:
//! roaming partners through ocpi::PartnerService, as the API's /ocpi/partners (docs/ocpi.md,
//! "Connecting a partner"). register, rotate and unregister call the partner from this process.
class AdminOcpiCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, const core::Config &config);

private:
  CLI::App *add_ = nullptr, *list_ = nullptr, *show_ = nullptr, *register_ = nullptr, *rotate_ = nullptr,
           *suspend_ = nullptr, *resume_ = nullptr, *unregister_ = nullptr, *set_ = nullptr;
  std::int64_t id_ = 0;
  std::string name_, encoding_, modules_, url_, token_;
  bool json_ = false;
};

} // namespace gridlane::app
