#pragma once
//! The log line formats ([log] format): "text", "<time> <level> [<component>] <message>" (the
//! default, logging.hpp), or "json", one JSON object per line.
#include <chrono>
#include <spdlog/common.h>
#include <string>
#include <string_view>

namespace gridlane::core {

//! "text" or "json": one JSON object per line, {"time" (UTC, ISO 8601 with milliseconds),
//! "level", "component", "station" (when the line is about one), "message"}. Applies to every
//! component logger, those made later too. Throws std::invalid_argument for another name.
void set_log_format(const std::string &format);

//! The JSON line of one log record, newline included. Text that is not valid UTF-8 is written
//! with U+FFFD in place of each bad byte, so every line parses.
std::string json_log_line(std::chrono::system_clock::time_point at, spdlog::level::level_enum level,
                          std::string_view component, std::string_view message);

} // namespace gridlane::core
