#pragma once
// Test support: a configuration read the way the server reads it, from a TOML file on disk.
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "gridlane/core/config.hpp"

namespace gridlane::test_support {

//! Writes `text` to a temporary .toml file, loads it with core::load_config_file (which may
//! throw, as it does for the server) and removes the file again.
inline core::Config load_config_text(const std::string &text) {
  auto path = std::filesystem::temp_directory_path() / ("gridlane-test-config-" + std::to_string(::getpid()) + ".toml");
  {
    std::ofstream out(path);
    out << text;
  }
  struct Remove {
    std::filesystem::path p;
    ~Remove() { std::filesystem::remove(p); }
  } remove{path};
  return core::load_config_file(path.string());
}

} // namespace gridlane::test_support
