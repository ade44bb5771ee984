#include "gridlane/core/logging.hpp"

#include <mutex>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace gridlane::core {

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  static std::mutex mutex;
  std::lock_guard lock{mutex};
  if (auto existing = spdlog::get(component)) return existing;
  auto created = spdlog::stderr_color_mt(component);
  created->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  return created;
}

void set_log_level(const std::string& level) { spdlog::set_level(spdlog::level::from_str(level)); }

} // namespace gridlane::core
