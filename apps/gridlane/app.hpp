#pragma once
#include <functional>
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
  std::string web_root;
};

//! Defaults, then the config file, then command-line flags. Throws core::ConfigError.
core::Config resolve_config(const GlobalOptions &g);

//! Runs the CSMS until SIGTERM/SIGINT; `on_listening` runs once the listener is bound.
int serve(const core::Config &config, std::function<void(const std::string &address)> on_listening = {});

class SimCommand;

} // namespace gridlane::app
