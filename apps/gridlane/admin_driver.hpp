#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin driver add|list|disable|enable`: driver logins of the driver portal, through
//! the same services::DriverService as the API.
class AdminDriverCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store);

private:
  CLI::App *add_ = nullptr, *list_ = nullptr, *disable_ = nullptr, *enable_ = nullptr;
  std::string account_, email_, password_, name_, id_token_;
  bool json_ = false;
};

} // namespace gridlane::app
