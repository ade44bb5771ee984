#include "gridlane/core/logging.hpp"

#include <atomic>
#include <ctime>
#include <mutex>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <stdexcept>

#include "gridlane/core/log_format.hpp"

namespace gridlane::core {

namespace {

constexpr const char *text_pattern = "%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v";
std::atomic<bool> json_lines{false}; // [log] format; read when a logger is made

//! Appends `text` as the inside of a JSON string: quotes, backslashes and control characters
//! escaped, and each byte that does not start or continue a well-formed UTF-8 sequence replaced
//! by U+FFFD (a station's bytes can reach a log line).
void json_escape(std::string &out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  const auto *p = reinterpret_cast<const unsigned char *>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
      }
      ++i;
      continue;
    }
    // The length of a well-formed sequence starting here (RFC 3629: no overlongs, no
    // surrogates, nothing above U+10FFFF), or 0.
    std::size_t len = 0;
    auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xbf) {
      return i + k < n && p[i + k] >= lo && p[i + k] <= hi;
    };
    if (c >= 0xc2 && c <= 0xdf && cont(1))
      len = 2;
    else if ((c == 0xe0 && cont(1, 0xa0) && cont(2)) ||
             (((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) && cont(1) && cont(2)) ||
             (c == 0xed && cont(1, 0x80, 0x9f) && cont(2)))
      len = 3;
    else if ((c == 0xf0 && cont(1, 0x90) && cont(2) && cont(3)) ||
             (c >= 0xf1 && c <= 0xf3 && cont(1) && cont(2) && cont(3)) ||
             (c == 0xf4 && cont(1, 0x80, 0x8f) && cont(2) && cont(3)))
      len = 4;
    if (len == 0) {
      out += "\xef\xbf\xbd"; // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
}

constexpr std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
  case spdlog::level::trace: return "trace";
  case spdlog::level::debug: return "debug";
  case spdlog::level::info: return "info";
  case spdlog::level::warn: return "warn";
  case spdlog::level::err: return "error";
  case spdlog::level::critical: return "critical";
  default: return "off";
  }
}

class JsonFormatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg &msg, spdlog::memory_buf_t &dest) override {
    auto line = json_log_line(msg.time, msg.level, std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                              std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(line.data(), line.data() + line.size());
  }
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

void apply_format(spdlog::logger &logger) {
  if (json_lines.load())
    logger.set_formatter(std::make_unique<JsonFormatter>());
  else
    logger.set_pattern(text_pattern);
}

std::shared_ptr<spdlog::logger> find_or_create(const std::string &name) {
  static std::mutex mutex;
  std::lock_guard lock{mutex};
  if (auto existing = spdlog::get(name)) return existing;
  auto created = spdlog::stderr_color_mt(name);
  apply_format(*created);
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

void set_log_format(const std::string &format) {
  if (format != "text" && format != "json") throw std::invalid_argument("log format must be text or json");
  json_lines.store(format == "json");
  log(Component::App); // the component loggers exist before they are reformatted
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger> &l) { apply_format(*l); });
}

std::string json_log_line(std::chrono::system_clock::time_point at, spdlog::level::level_enum level,
                          std::string_view component, std::string_view message) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms / 1000);
  auto milli = static_cast<int>(ms % 1000);
  if (milli < 0) { // before 1970: floor, not truncate
    milli += 1000;
    --secs;
  }
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char stamp[96]; // room for any int the format could print (-Wformat-truncation)
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, milli);
  std::string out;
  out.reserve(message.size() + 96);
  out += "{\"time\":\"";
  out += stamp;
  out += "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"component\":\"";
  json_escape(out, component);
  out += '"';
  // A station's line ("[<id>] ...", StationLog) carries the id as a field of its own.
  if (message.size() > 3 && message.front() == '[') {
    auto end = message.find("] ");
    if (end != std::string_view::npos && end > 1 && end <= 49 &&
        message.substr(1, end - 1).find_first_of(" []") == std::string_view::npos) {
      out += ",\"station\":\"";
      json_escape(out, message.substr(1, end - 1));
      out += '"';
      message.remove_prefix(end + 2);
    }
  }
  out += ",\"message\":\"";
  json_escape(out, message);
  out += "\"}\n";
  return out;
}

} // namespace gridlane::core
