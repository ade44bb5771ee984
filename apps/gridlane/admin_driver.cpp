#include "admin_driver.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>

#include "gridlane/core/time.hpp"
#include "gridlane/services/driver_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
using namespace gridlane::domain;

void AdminDriverCommands::attach(CLI::App &admin) {
  auto *driver = admin.add_subcommand("driver", "Driver logins of the driver portal (they belong to accounts)");
  driver->require_subcommand(1);
  add_ = driver->add_subcommand(
      "add", "Add a driver login to an account (the password is read from GRIDLANE_PASSWORD or --password)");
  add_->add_option("--account", account_, "The customer account")->required();
  add_->add_option("--email", email_, "The driver's email (the login name)")->required();
  add_->add_option("--id-token", id_token_, "The account's id token the driver's sessions start with")->required();
  add_->add_option("--name", name_, "The driver's name");
  add_->add_option("--password", password_, "Password (at least 12 characters)");
  list_ = driver->add_subcommand("list", "List driver logins");
  list_->add_flag("--json", json_, "Print JSON");
  disable_ = driver->add_subcommand("disable", "Disable a driver login (its tokens end at once)");
  disable_->add_option("email", email_, "The driver's email")->required();
  enable_ = driver->add_subcommand("enable", "Enable a disabled driver login again");
  enable_->add_option("email", email_, "The driver's email")->required();
}

std::optional<int> AdminDriverCommands::run(store::Store &store) {
  core::SystemClock clock;
  services::DriverService service{clock};
  if (add_->parsed()) {
    std::string password = password_;
    if (password.empty())
      if (const char *env = std::getenv("GRIDLANE_PASSWORD")) password = env;
    services::NewDriver in{account_, email_, password, name_.empty() ? std::nullopt : std::optional{name_}, id_token_};
    auto draft = service.check_driver(in);
    if (!draft) refuse(draft.error());
    services::DriverService::seal(*draft);
    Result<DriverLogin> added = ServiceError::internal("not run");
    store.run([&](Repository &r) { added = service.add_driver(r, *draft); });
    if (!added) refuse(added.error());
    std::cout << "driver " << added->email << " added to account " << added->account_id << "\n";
    return 0;
  }
  if (list_->parsed()) {
    std::vector<DriverLogin> all;
    store.run([&](Repository &r) { all = r.all_driver_logins(); });
    if (json_) {
      boost::json::array items;
      for (const auto &d : all)
        items.push_back(
            boost::json::object{{"email", d.email},
                                {"account_id", d.account_id},
                                {"name", d.name ? boost::json::value(*d.name) : boost::json::value(nullptr)},
                                {"id_token", d.id_token},
                                {"disabled", d.disabled},
                                {"created_at", core::format_iso8601(d.created_at)}});
      std::cout << boost::json::serialize(items) << "\n";
    } else {
      for (const auto &d : all)
        std::cout << d.email << "  account " << d.account_id << "  token " << d.id_token
                  << (d.disabled ? "  (disabled)" : "") << "\n";
    }
    return 0;
  }
  for (auto [cmd, flag] : {std::pair{disable_, true}, std::pair{enable_, false}}) {
    if (!cmd->parsed()) continue;
    const bool disabled = flag; // a structured binding is not captured by a lambda before C++20 in every compiler
    Result<void> done = ServiceError::internal("not run");
    store.run([&](Repository &r) { done = service.set_disabled(r, email_, disabled); });
    if (!done) refuse(done.error());
    std::cout << "driver " << email_ << (disabled ? " disabled" : " enabled") << "\n";
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
