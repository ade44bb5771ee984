#pragma once
#include <CLI/CLI.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin location ...`: locations, a station's EVSEs and connectors, through the same
//! services::LocationService (and the same JSON codec) as the API.
class AdminLocationCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, core::Timestamp now);

private:
  //! A text flag that is copied into the JSON body under `key` when given ("" sends null).
  struct Field {
    std::string key;
    std::string value;
    CLI::Option *option = nullptr;
  };
  void add_fields(CLI::App *cmd, std::vector<Field> &fields,
                  const std::vector<std::pair<std::string, std::string>> &spec);

  CLI::App *list_ = nullptr, *show_ = nullptr, *add_ = nullptr, *update_ = nullptr, *delete_ = nullptr;
  CLI::App *assign_ = nullptr, *evse_list_ = nullptr, *evse_put_ = nullptr, *evse_delete_ = nullptr;
  CLI::App *connector_put_ = nullptr, *connector_delete_ = nullptr;
  std::vector<Field> add_fields_, update_fields_, evse_fields_, connector_fields_;
  std::string id_, name_, station_, location_, publish_;
  std::vector<std::string> facilities_, capabilities_;
  CLI::Option *facilities_add_ = nullptr, *facilities_update_ = nullptr, *capabilities_opt_ = nullptr;
  int evse_ = 0, connector_ = 0;
  std::size_t limit_ = 100, offset_ = 0;
  std::string filter_name_, filter_city_, filter_country_;
  bool json_ = false, none_ = false;
};

} // namespace gridlane::app
