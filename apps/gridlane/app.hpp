#pragma once
#include <optional>
#include <string>

#include "gridlane/core/config.hpp"

namespace gridlane::app {

struct GlobalOptions {
  std::string config_file;
  std::string db;
  std::string listen;
  std::string log_level;
  std::string unknown_station;
};

//! Defaults, then the config file, then command-line flags. Throws core::ConfigError.
core::Config resolve_config(const GlobalOptions& g);

int serve(const core::Config& config);

} // namespace gridlane::app
