#pragma once
//! One spdlog logger per component ("ocpp", "net", "store", ...), all writing to stderr.
#include <memory>
#include <spdlog/spdlog.h>
#include <string>

namespace gridlane::core {

//! Returns the logger for a component, creating it on first use.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

//! Sets the level of every component logger ("trace", "debug", "info", "warn", "error", "off").
void set_log_level(const std::string& level);

} // namespace gridlane::core
