#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin energy grid|circuit|attach|detach|evses|dr|priority ...`: energy management's
//! configuration through the same JSON codec (api/energy_json.hpp) and services::EnergyConfigService
//! as the API (docs/energy.md, "Configuring a site"). It writes the database: a running server
//! reads a site again when it next reloads it (a change through the API, or a restart).
class AdminEnergyCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, core::Timestamp now);

private:
  //! A flag copied into the JSON body under `key` when given (a number or true/false as such,
  //! anything else as text: the codec says what is wrong with it).
  struct Field {
    std::string key;
    std::string value;
    CLI::Option *option = nullptr;
  };
  static void add_fields(CLI::App *cmd, std::vector<Field> &fields,
                         const std::vector<std::pair<std::string, std::string>> &spec);

  CLI::App *grid_show_ = nullptr, *grid_put_ = nullptr, *grid_delete_ = nullptr;
  CLI::App *circuit_list_ = nullptr, *circuit_put_ = nullptr, *circuit_delete_ = nullptr;
  CLI::App *attach_ = nullptr, *detach_ = nullptr, *evses_ = nullptr;
  CLI::App *dr_add_ = nullptr, *dr_list_ = nullptr, *dr_delete_ = nullptr;
  CLI::App *priority_set_ = nullptr, *priority_list_ = nullptr, *priority_delete_ = nullptr;
  std::vector<Field> grid_fields_, circuit_fields_, attach_fields_, dr_fields_;
  std::string location_, circuit_, station_, group_;
  int evse_ = 0, priority_ = 0;
  std::int64_t dr_id_ = 0;
  bool disabled_ = false, dc_ = false, bidirectional_ = false;
};

} // namespace gridlane::app
