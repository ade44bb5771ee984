#include "gridlane/core/logging.hpp"

#include <mutex>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace gridlane::core {

namespace {

std::shared_ptr<spdlog::logger> find_or_create(const std::string &name) {
  static std::mutex mutex;
  std::lock_guard lock{mutex};
  if (auto existing = spdlog::get(name)) return existing;
  auto created = spdlog::stderr_color_mt(name);
  created->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  return created;
}

constexpr std::array<std::string_view, component_count> names = {"gridlane", "net",    "ocpp",  "api",  "services",
                                                                 "commands", "compat", "store", "pool", "sim"};

} // namespace

std::string_view to_string(Component c) {
  return names.at(static_cast<std::size_t>(c));
}

spdlog::logger &log(Component c) {
  // Created together on first use: each logger is registered with spdlog (so set_log_level
  // reaches it) and never looked up again.
  static const auto all = [] {
    std::array<std::shared_ptr<spdlog::logger>, component_count> out;
    for (std::size_t i = 0; i < component_count; ++i)
      out[i] = find_or_create(std::string(names[i]));
    return out;
  }();
  return *all.at(static_cast<std::size_t>(c));
}

std::shared_ptr<spdlog::logger> logger(const std::string &component) {
  return find_or_create(component);
}

void set_log_level(const std::string &level) {
  spdlog::set_level(spdlog::level::from_str(level));
}

} // namespace gridlane::core
