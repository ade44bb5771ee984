#pragma once
//! One spdlog logger per component ("net", "ocpp", "api", "services", "store", ...), all writing
//! to stderr as "<time> <level> [<component>] <message>". Each is created once and cached: a log
//! line costs no registry lookup. Lines about one station start with "[<station id>] ".
#include <array>
#include <cstdint>
#include <memory>
#include <spdlog/spdlog.h>
#include <string>
#include <string_view>
#include <utility>

namespace gridlane::core {

//! The components that log. The logger's name is the component's name (to_string).
enum class Component : std::uint8_t { App, Net, Ocpp, Api, Services, Commands, Compat, Store, Pool, Sim };
constexpr std::size_t component_count = 10;

//! "gridlane", "net", "ocpp", "api", "services", "commands", "compat", "store", "pool", "sim".
std::string_view to_string(Component c);

//! The component's logger, created on first use and cached. Any thread.
spdlog::logger &log(Component c);

//! The logger for a component named at run time, creating it on first use. Prefer log(Component):
//! this looks the name up on every call.
std::shared_ptr<spdlog::logger> logger(const std::string &component);

//! Sets the level of every component logger ("trace", "debug", "info", "warn", "error", "off").
void set_log_level(const std::string &level);

//! A component's lines about one station: each starts "[<station id>] ". It refers to the
//! station id, which outlives it (a member of the same object, declared before it): a
//! connection's logger costs two pointers, not a copy of the id.
class StationLog {
public:
  StationLog(Component component, std::string_view station) : log_(&log(component)), station_(station) {}

  std::string_view station() const { return station_; }
  bool enabled(spdlog::level::level_enum level) const { return log_->should_log(level); }

  template <class... Args> void debug(spdlog::format_string_t<Args...> f, Args &&...args) const {
    line(spdlog::level::debug, f, std::forward<Args>(args)...);
  }
  template <class... Args> void info(spdlog::format_string_t<Args...> f, Args &&...args) const {
    line(spdlog::level::info, f, std::forward<Args>(args)...);
  }
  template <class... Args> void warn(spdlog::format_string_t<Args...> f, Args &&...args) const {
    line(spdlog::level::warn, f, std::forward<Args>(args)...);
  }
  template <class... Args> void error(spdlog::format_string_t<Args...> f, Args &&...args) const {
    line(spdlog::level::err, f, std::forward<Args>(args)...);
  }

private:
  template <class... Args>
  void line(spdlog::level::level_enum level, spdlog::format_string_t<Args...> f, Args &&...args) const {
    if (!log_->should_log(level)) return;
    log_->log(level, "[{}] {}", station_, fmt::format(f, std::forward<Args>(args)...));
  }

  spdlog::logger *log_;
  std::string_view station_;
};

} // namespace gridlane::core
