#include "gridlane/core/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <toml++/toml.h>

#include "gridlane/core/units.hpp"

namespace gridlane::core {
namespace {

template <class T> void read(const toml::table &t, std::string_view section, std::string_view key, T &out) {
  auto node = t[section][key];
  if (!node) return;
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.template value<std::string>()) {
      out = *v;
      return;
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node.template value<bool>()) {
      out = *v;
      return;
    }
  } else {
    // Range-checked before narrowing: a huge value must not wrap into an accepted one.
    if (auto v = node.template value<std::int64_t>();
        v && *v >= 0 && static_cast<std::uint64_t>(*v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      out = static_cast<T>(*v);
      return;
    }
  }
  throw ConfigError("config: bad value for " + std::string(section) + "." + std::string(key));
}

} // namespace

std::string default_web_root() {
#ifdef GRIDLANE_WEB_DIST
  return GRIDLANE_WEB_DIST;
#else
  return "web/dist";
#endif
}

UnknownStationPolicy parse_unknown_station_policy(const std::string &text) {
  if (text == "reject") return UnknownStationPolicy::Reject;
  if (text == "pending") return UnknownStationPolicy::Pending;
  if (text == "accept") return UnknownStationPolicy::Accept;
  throw ConfigError("unknown station policy must be reject, pending or accept, not '" + text + "'");
}

std::chrono::seconds parse_interval(const std::string &text, const std::string &key) {
  auto bad = [&key] { return ConfigError(key + " must be a duration such as \"60s\", \"5m\" or \"1h\" (0 to 24 h)"); };
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0)
    ++digits;
  if (digits == 0 || digits > 6) throw bad();
  std::int64_t n = std::stoll(text.substr(0, digits));
  auto unit = text.substr(digits);
  if (unit == "m")
    n *= 60;
  else if (unit == "h")
    n *= 3600;
  else if (!unit.empty() && unit != "s")
    throw bad();
  if (n > 86400) throw bad();
  return std::chrono::seconds(n);
}

void parse_listen(const std::string &text, ServerConfig &out) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) throw ConfigError("listen address must be HOST:PORT");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) throw ConfigError("");
  } catch (...) {
    throw ConfigError("listen port must be a number: " + text);
  }
  if (port > 65535 || host.empty()) throw ConfigError("bad listen address: " + text);
  out.host = host;
  out.port = static_cast<std::uint16_t>(port);
}

DatabaseUrl parse_database_url(const std::string &url) {
  auto colon = url.find(':');
  if (colon == std::string::npos || colon == 0)
    throw ConfigError("database.url must start with an engine, as in sqlite:gridlane.db, not '" + url + "'");
  std::string scheme = url.substr(0, colon);
  for (auto &ch : scheme)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string rest = url.substr(colon + 1);
  if (scheme == "postgres" || scheme == "postgresql") return {DatabaseEngine::Postgres, url};
  if (scheme != "sqlite")
    throw ConfigError("database.url: unknown engine '" + scheme + "' (Gridlane knows sqlite: and postgres:)");
  if (rest.starts_with("//")) { // sqlite:///abs/path.db: an empty authority, then an absolute path
    rest.erase(0, 2);
    if (!rest.starts_with("/"))
      throw ConfigError("database.url: a SQLite URL names no host; write sqlite:///abs/path.db or sqlite:relative.db");
  }
  if (rest.empty()) throw ConfigError("database.url: no SQLite file in '" + url + "'");
  if (rest.find_first_of("?#") != std::string::npos)
    throw ConfigError("database.url: SQLite options are set by the other [database] keys, not in the URL");
  return {DatabaseEngine::Sqlite, rest};
}

std::string database_url_of(const std::string &path_or_url) {
  auto lower = [](char ch) { return static_cast<char>(std::tolower(static_cast<unsigned char>(ch))); };
  for (std::string_view scheme : {"sqlite:", "postgres:", "postgresql:"})
    if (path_or_url.size() > scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), path_or_url.begin(), [&](char a, char b) { return a == lower(b); }))
      return path_or_url;
  // "engine://...": a URL of an engine this build does not know, not a file name
  if (auto sep = path_or_url.find("://");
      sep != std::string::npos && sep > 0 &&
      std::all_of(path_or_url.begin(), path_or_url.begin() + static_cast<std::ptrdiff_t>(sep), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' || ch == '.';
      }))
    return path_or_url;
  return "sqlite:" + path_or_url;
}

namespace {
// [payments] (docs/payments.md)
void read_payments(const toml::table &t, PaymentsConfig &p) {
  read(t, "payments", "card_provider", p.card_provider);
  read(t, "payments", "base_url", p.base_url);
  read(t, "payments", "secret_key", p.secret_key);
  read(t, "payments", "secret_key_env", p.secret_key_env);
  read(t, "payments", "timeout_ms", p.timeout_ms);
  read(t, "payments", "threads", p.threads);
  read(t, "payments", "queue", p.queue);
  read(t, "payments", "token_ttl_s", p.token_ttl_s);
  read(t, "payments", "retry_interval_s", p.retry_interval_s);
  if (p.card_provider != "none" && p.card_provider != "stripe")
    throw ConfigError("payments.card_provider must be none or stripe");
  if (p.timeout_ms < 100 || p.timeout_ms > 120000) throw ConfigError("payments.timeout_ms must be 100 to 120000");
  if (p.threads < 1 || p.threads > 16) throw ConfigError("payments.threads must be 1 to 16");
  if (p.queue < 1 || p.queue > 100000) throw ConfigError("payments.queue must be 1 to 100000");
  if (p.token_ttl_s < 1 || p.token_ttl_s > 86400) throw ConfigError("payments.token_ttl_s must be 1 to 86400");
  if (p.retry_interval_s < 1 || p.retry_interval_s > 3600)
    throw ConfigError("payments.retry_interval_s must be 1 to 3600");
  if (p.card_provider == "none") return;
  if (p.secret_key.empty() && !p.secret_key_env.empty())
    if (const char *env = std::getenv(p.secret_key_env.c_str())) p.secret_key = env;
  if (p.secret_key.empty())
    throw ConfigError("payments: card_provider = \"stripe\" needs secret_key, or the environment variable " +
                      p.secret_key_env);
}

// [energy] (docs/configuration.md)
std::chrono::seconds read_duration(const toml::table &t, std::string_view key, std::chrono::seconds fallback,
                                   std::chrono::seconds lo) {
  auto node = t["energy"][key];
  const std::string name = "energy." + std::string(key);
  if (!node) return fallback;
  std::chrono::seconds v{};
  if (auto text = node.value<std::string>())
    v = parse_interval(*text, name);
  else if (auto n = node.value<std::int64_t>(); n && *n >= 0 && *n <= 86400)
    v = std::chrono::seconds(*n);
  else
    throw ConfigError(name + " must be a duration such as \"60s\", \"5m\" or \"1h\" (0 to 24 h)");
  if (v < lo) throw ConfigError(name + " must be at least " + std::to_string(lo.count()) + "s");
  return v;
}

//! Amperes as a number (1, 0.5) or decimal text ("1.5"), 0 to 32 A, in mA.
std::int64_t read_amps(const toml::table &t, std::string_view key, std::int64_t fallback) {
  auto node = t["energy"][key];
  if (!node) return fallback;
  const std::string bad = "energy." + std::string(key) + " must be a current in A from 0 to 32, such as 1 or \"0.5\"";
  ValueResult<Current> v = ValueError::Invalid;
  if (auto text = node.value<std::string>())
    v = parse_amps(*text);
  else if (auto d = node.value<double>())
    v = from_wire(*d, 1000.0, milliamps(0), amps(32));
  if (!v || *v < milliamps(0) || *v > amps(32)) throw ConfigError(bad);
  return v->count();
}

void read_energy(const toml::table &t, EnergyConfig &e) {
  read(t, "energy", "enabled", e.enabled);
  read(t, "energy", "verify", e.verify);
  e.hysteresis_ma = read_amps(t, "hysteresis", e.hysteresis_ma);
  e.overdraw_tolerance_ma = read_amps(t, "overdraw_tolerance", e.overdraw_tolerance_ma);
  e.min_interval = read_duration(t, "min_interval", e.min_interval, std::chrono::seconds(0));
  e.replan_interval = read_duration(t, "replan_interval", e.replan_interval, std::chrono::seconds(10));
  e.slot = read_duration(t, "slot", e.slot, std::chrono::seconds(60));
  e.underdraw_after = read_duration(t, "underdraw_after", e.underdraw_after, std::chrono::seconds(0));
  read(t, "energy", "horizon_slots", e.horizon_slots);
  if (e.horizon_slots < 1 || e.horizon_slots > 672) throw ConfigError("energy.horizon_slots must be 1 to 672");
  if (e.slot * e.horizon_slots > std::chrono::hours(24 * 7))
    throw ConfigError("energy.slot x energy.horizon_slots must be at most 7 days");
}
//! `[healing]`: the playbooks' switches and timing (the step names are checked by the service).
void read_healing(const toml::table &t, HealingConfig &h) {
  read(t, "healing", "enabled", h.enabled);
  read(t, "healing", "reset_during_session", h.reset_during_session);
  read(t, "healing", "start_after_s", h.start_after_s);
  read(t, "healing", "offline_after_s", h.offline_after_s);
  read(t, "healing", "step_wait_s", h.step_wait_s);
  read(t, "healing", "backoff", h.backoff);
  read(t, "healing", "max_wait_s", h.max_wait_s);
  read(t, "healing", "max_attempts", h.max_attempts);
  if (h.start_after_s > 86400 || h.step_wait_s < 1 || h.step_wait_s > 86400 || h.max_wait_s < h.step_wait_s ||
      h.max_wait_s > 86400)
    throw ConfigError("healing.start_after_s must be 0 to 86400, healing.step_wait_s 1 to 86400 and "
                      "healing.max_wait_s at least healing.step_wait_s and at most 86400");
  if (h.offline_after_s < 0 || h.offline_after_s > 7 * 86400)
    throw ConfigError("healing.offline_after_s must be 0 to 604800 (7 days)");
  if (h.backoff < 1 || h.backoff > 10) throw ConfigError("healing.backoff must be 1 to 10");
  if (h.max_attempts < 1 || h.max_attempts > 20) throw ConfigError("healing.max_attempts must be 1 to 20");
  for (const char *key : {"faulted", "faulted_with_code", "offline"}) {
    auto node = t["healing"][key];
    if (!node) continue;
    const auto *list = node.as_array();
    if (!list || list->empty() || list->size() > 20)
      throw ConfigError(std::string("healing.") + key + " must be a list of 1 to 20 step names");
    auto &steps = std::string_view(key) == "faulted"             ? h.faulted
                  : std::string_view(key) == "faulted_with_code" ? h.faulted_with_code
                                                                 : h.offline;
    steps.clear();
    for (const auto &item : *list) {
      auto name = item.value<std::string>();
      if (!name) throw ConfigError(std::string("healing.") + key + " must be a list of step names");
      steps.push_back(*name);
    }
  }
}
//! `[maintenance]`: ticket SLAs by priority ("90s", "30m", "4h", "3d"; 1 s to 366 days) and the
//! inspection check interval.
void read_maintenance(const toml::table &t, MaintenanceConfig &m) {
  auto sla = [&t](const char *key, std::chrono::seconds &out) {
    auto node = t["maintenance"][key];
    if (!node) return;
    const std::string name = std::string("maintenance.") + key;
    auto text = node.value<std::string>();
    auto bad = [&name] {
      return ConfigError(name + " must be a duration such as \"30m\", \"4h\" or \"3d\" (1 s to 366 d)");
    };
    if (!text) throw bad();
    std::size_t digits = 0;
    while (digits < text->size() && std::isdigit(static_cast<unsigned char>((*text)[digits])) != 0)
      ++digits;
    if (digits == 0 || digits > 8 || digits + 1 != text->size()) throw bad();
    std::int64_t n = std::stoll(text->substr(0, digits));
    switch (text->back()) {
    case 's': break;
    case 'm': n *= 60; break;
    case 'h': n *= 3600; break;
    case 'd': n *= 86400; break;
    default: throw bad();
    }
    if (n < 1 || n > 366LL * 86400) throw bad();
    out = std::chrono::seconds(n);
  };
  sla("sla_urgent", m.sla_urgent);
  sla("sla_high", m.sla_high);
  sla("sla_normal", m.sla_normal);
  sla("sla_low", m.sla_low);
  read(t, "maintenance", "inspection_check_s", m.inspection_check_s);
  if (m.inspection_check_s < 1 || m.inspection_check_s > 86400)
    throw ConfigError("maintenance.inspection_check_s must be 1 to 86400");
}
//! `[ocpi]`: Gridlane's own party and public URL as partners see them, and the call limits.
void read_ocpi(const toml::table &t, OcpiConfig &o) {
  read(t, "ocpi", "enabled", o.enabled);
  read(t, "ocpi", "base_url", o.base_url);
  read(t, "ocpi", "country_code", o.country_code);
  read(t, "ocpi", "party_id", o.party_id);
  read(t, "ocpi", "business_name", o.business_name);
  read(t, "ocpi", "page_limit", o.page_limit);
  read(t, "ocpi", "request_timeout_ms", o.request_timeout_ms);
  read(t, "ocpi", "retry_min_ms", o.retry_min_ms);
  read(t, "ocpi", "retry_max_ms", o.retry_max_ms);
  read(t, "ocpi", "realtime_auth_timeout_ms", o.realtime_auth_timeout_ms);
  read(t, "ocpi", "threads", o.threads);
  read(t, "ocpi", "allow_plain_http_to_loopback", o.allow_plain_http_to_loopback);
  check_ocpi(o);
}

} // namespace

void check_ocpi(OcpiConfig &o) {
  auto upper = [](std::string s) {
    for (auto &ch : s)
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  };
  auto all = [](const std::string &s, bool digits) {
    return std::all_of(s.begin(), s.end(),
                       [digits](char ch) { return (ch >= 'A' && ch <= 'Z') || (digits && ch >= '0' && ch <= '9'); });
  };
  // credentials.asciidoc, CredentialsRole: country_code CiString(2) ISO 3166-1 alpha-2, party_id
  // CiString(3) ISO 15118 (letters and digits); held upper-case.
  o.country_code = upper(o.country_code);
  o.party_id = upper(o.party_id);
  if (o.country_code.size() != 2 || !all(o.country_code, false))
    throw ConfigError("ocpi.country_code must be an ISO 3166-1 alpha-2 code such as \"DE\"");
  if (o.party_id.size() != 3 || !all(o.party_id, true))
    throw ConfigError("ocpi.party_id must be 3 letters or digits such as \"GRL\"");
  if (o.business_name.empty() || o.business_name.size() > 100)
    throw ConfigError("ocpi.business_name must be 1 to 100 characters");
  if (!o.base_url.empty()) {
    const auto &u = o.base_url;
    auto scheme = u.starts_with("https://") ? 8u : u.starts_with("http://") ? 7u : 0u;
    auto host_end = scheme ? u.find_first_of("/:", scheme) : std::string::npos;
    auto host = scheme ? u.substr(scheme, host_end == std::string::npos ? std::string::npos : host_end - scheme) : "";
    bool bad_char = std::any_of(u.begin(), u.end(), [](char ch) {
      return static_cast<unsigned char>(ch) <= 0x20 || static_cast<unsigned char>(ch) >= 0x7f || ch == '?' ||
             ch == '#' || ch == '"' || ch == '<' || ch == '>' || ch == '\\';
    });
    if (!scheme || host.empty() || bad_char)
      throw ConfigError("ocpi.base_url must be an http:// or https:// URL without query or fragment, such as "
                        "\"https://cpo.example.com\"");
    while (o.base_url.back() == '/')
      o.base_url.pop_back();
  }
  if (o.page_limit < 1 || o.page_limit > 1000) throw ConfigError("ocpi.page_limit must be 1 to 1000");
  if (o.request_timeout_ms < 100 || o.request_timeout_ms > 120000)
    throw ConfigError("ocpi.request_timeout_ms must be 100 to 120000");
  if (o.retry_min_ms < 100 || o.retry_min_ms > 3600000) throw ConfigError("ocpi.retry_min_ms must be 100 to 3600000");
  if (o.retry_max_ms < o.retry_min_ms || o.retry_max_ms > 86400000)
    throw ConfigError("ocpi.retry_max_ms must be at least ocpi.retry_min_ms and at most 86400000");
  if (o.realtime_auth_timeout_ms < 100 || o.realtime_auth_timeout_ms > 60000)
    throw ConfigError("ocpi.realtime_auth_timeout_ms must be 100 to 60000");
  if (o.threads < 1 || o.threads > 32) throw ConfigError("ocpi.threads must be 1 to 32");
}

namespace {
//! `[availability]` (docs/operations.md "Availability and uptime").
void read_availability(const toml::table &t, AvailabilityConfig &a) {
  read(t, "availability", "offline_after_heartbeats", a.offline_after_heartbeats);
  read(t, "availability", "disconnect_grace_s", a.disconnect_grace_s);
  if (a.offline_after_heartbeats < 1 || a.offline_after_heartbeats > 100)
    throw ConfigError("availability.offline_after_heartbeats must be 1 to 100");
  if (a.disconnect_grace_s < 0 || a.disconnect_grace_s > 3600)
    throw ConfigError("availability.disconnect_grace_s must be 0 to 3600");
}

//! `[alerts]`: the SMTP relay and the delivery limits.
void read_alerts(const toml::table &t, AlertsConfig &a) {
  read(t, "alerts", "enabled", a.enabled);
  read(t, "alerts", "smtp_url", a.smtp_url);
  read(t, "alerts", "smtp_from", a.smtp_from);
  read(t, "alerts", "smtp_username", a.smtp_username);
  read(t, "alerts", "smtp_password", a.smtp_password);
  std::string env;
  read(t, "alerts", "smtp_password_env", env);
  if (!env.empty()) {
    if (!a.smtp_password.empty()) throw ConfigError("alerts.smtp_password and alerts.smtp_password_env: set one");
    const char *value = std::getenv(env.c_str());
    if (!value) throw ConfigError("alerts.smtp_password_env: the environment variable " + env + " is not set");
    a.smtp_password = value;
  }
  read(t, "alerts", "smtp_require_tls", a.smtp_require_tls);
  read(t, "alerts", "max_attempts", a.max_attempts);
  read(t, "alerts", "retry_min_ms", a.retry_min_ms);
  read(t, "alerts", "retry_max_ms", a.retry_max_ms);
  read(t, "alerts", "timeout_ms", a.timeout_ms);
  read(t, "alerts", "allow_plain_http_to_loopback", a.allow_plain_http_to_loopback);
  read(t, "alerts", "uptime_check_s", a.uptime_check_s);
  if (!a.smtp_url.empty() && !a.smtp_url.starts_with("smtp://") && !a.smtp_url.starts_with("smtps://"))
    throw ConfigError("alerts.smtp_url must start with smtp:// or smtps://");
  if (!a.smtp_url.empty() && (a.smtp_from.empty() || a.smtp_from.find('@') == std::string::npos ||
                              a.smtp_from.find_first_of("\r\n<> ") != std::string::npos))
    throw ConfigError("alerts.smtp_from must be an e-mail address when alerts.smtp_url is set");
  if (a.max_attempts < 1 || a.max_attempts > 100) throw ConfigError("alerts.max_attempts must be 1 to 100");
  if (a.retry_min_ms < 10 || a.retry_min_ms > 3600000) throw ConfigError("alerts.retry_min_ms must be 10 to 3600000");
  if (a.retry_max_ms < a.retry_min_ms || a.retry_max_ms > 86400000)
    throw ConfigError("alerts.retry_max_ms must be at least alerts.retry_min_ms and at most 86400000");
  if (a.timeout_ms < 100 || a.timeout_ms > 120000) throw ConfigError("alerts.timeout_ms must be 100 to 120000");
  if (a.uptime_check_s < 1 || a.uptime_check_s > 86400) throw ConfigError("alerts.uptime_check_s must be 1 to 86400");
}

void read_firmware(const toml::table &t, FirmwareConfig &f) {
  read(t, "firmware", "max_file_mb", f.max_file_mb);
  read(t, "firmware", "public_url", f.public_url);
  read(t, "firmware", "directory", f.directory);
  read(t, "firmware", "campaign_tick_s", f.campaign_tick_s);
  read(t, "firmware", "station_timeout_s", f.station_timeout_s);
  if (f.max_file_mb < 1 || f.max_file_mb > 4096) throw ConfigError("firmware.max_file_mb must be 1 to 4096");
  while (!f.public_url.empty() && f.public_url.back() == '/')
    f.public_url.pop_back();
  if (!f.public_url.empty() && !f.public_url.starts_with("http://") && !f.public_url.starts_with("https://"))
    throw ConfigError("firmware.public_url must start with http:// or https://");
  if (f.campaign_tick_s < 1 || f.campaign_tick_s > 3600)
    throw ConfigError("firmware.campaign_tick_s must be 1 to 3600");
  if (f.station_timeout_s < 10 || f.station_timeout_s > 7 * 86400)
    throw ConfigError("firmware.station_timeout_s must be 10 to 604800");
}
} // namespace

Config load_config_file(const std::string &path) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error &e) {
    throw ConfigError("config " + path + ": " + std::string(e.description()));
  }
  // A misspelt key must not be silently ignored.
  static const std::map<std::string, std::set<std::string>> known = {
      {"server", {"listen", "threads"}},
      {"ocpp",
       {"unknown_station", "heartbeat_interval_s", "pending_retry_interval_s", "max_frame_bytes", "keepalive_pings",
        "idle_timeout_s", "call_timeout_s", "max_pending_calls", "max_write_queue", "permessage_deflate",
        "debug_call_endpoint", "subprotocols", "request_base_report", "recent_frames", "remote_start_window_s"}},
      {"database", {"url", "path", "synchronous", "max_batch", "commit_interval_us"}},
      {"log", {"level", "format"}},
      {"auth",
       {"hash_threads", "hash_queue", "hash_wait_ms", "max_failures", "max_failures_per_address", "failure_window_s",
        "lockout_s"}},
      {"pricing", {"cost_update_interval", "tariff_language"}},
      {"payments",
       {"card_provider", "base_url", "secret_key", "secret_key_env", "timeout_ms", "threads", "queue", "token_ttl_s",
        "retry_interval_s"}},
      {"energy",
       {"enabled", "hysteresis", "min_interval", "replan_interval", "horizon_slots", "slot", "underdraw_after",
        "overdraw_tolerance", "verify"}},
      {"web", {"enabled", "root"}},
      {"ocpi",
       {"enabled", "base_url", "country_code", "party_id", "business_name", "page_limit", "request_timeout_ms",
        "retry_min_ms", "retry_max_ms", "realtime_auth_timeout_ms", "threads", "allow_plain_http_to_loopback"}},
      // Operations (docs/operations.md): one line per part, filled in with the part.
      {"availability", {"offline_after_heartbeats", "disconnect_grace_s"}},
      {"alerts",
       {"enabled", "smtp_url", "smtp_from", "smtp_username", "smtp_password", "smtp_password_env", "smtp_require_tls",
        "max_attempts", "retry_min_ms", "retry_max_ms", "timeout_ms", "allow_plain_http_to_loopback",
        "uptime_check_s"}},
      {"healing",
       {"enabled", "reset_during_session", "start_after_s", "step_wait_s", "backoff", "max_wait_s", "max_attempts",
        "faulted", "faulted_with_code", "offline", "offline_after_s"}},
      {"maintenance", {"sla_urgent", "sla_high", "sla_normal", "sla_low", "inspection_check_s"}},
      {"firmware", {"max_file_mb", "public_url", "directory", "campaign_tick_s", "station_timeout_s"}},
      {"diagnostics", {"dir", "public_url", "max_upload_mb", "token_ttl_s"}},
      {"metrics", {"enabled", "token"}},
      {"reports", {}},
  };
  for (const auto &[section, node] : t) {
    auto it = known.find(std::string(section.str()));
    if (it == known.end())
      throw ConfigError("config " + path + ": unknown section [" + std::string(section.str()) + "]");
    const auto *table = node.as_table();
    if (!table) throw ConfigError("config " + path + ": [" + std::string(section.str()) + "] must be a table");
    for (const auto &[key, value] : *table) {
      if (!it->second.contains(std::string(key.str())))
        throw ConfigError("config " + path + ": unknown key " + std::string(section.str()) + "." +
                          std::string(key.str()));
    }
  }
  Config c;
  std::string listen;
  read(t, "server", "listen", listen);
  if (!listen.empty()) parse_listen(listen, c.server);
  read(t, "server", "threads", c.server.threads);
  std::string policy;
  read(t, "ocpp", "unknown_station", policy);
  if (!policy.empty()) c.ocpp.unknown_station = parse_unknown_station_policy(policy);
  read(t, "ocpp", "heartbeat_interval_s", c.ocpp.heartbeat_interval_s);
  read(t, "ocpp", "pending_retry_interval_s", c.ocpp.pending_retry_interval_s);
  read(t, "ocpp", "max_frame_bytes", c.ocpp.max_frame_bytes);
  read(t, "ocpp", "keepalive_pings", c.ocpp.keepalive_pings);
  read(t, "ocpp", "idle_timeout_s", c.ocpp.idle_timeout_s);
  read(t, "ocpp", "call_timeout_s", c.ocpp.call_timeout_s);
  read(t, "ocpp", "max_pending_calls", c.ocpp.max_pending_calls);
  read(t, "ocpp", "max_write_queue", c.ocpp.max_write_queue);
  read(t, "ocpp", "permessage_deflate", c.ocpp.permessage_deflate);
  read(t, "ocpp", "debug_call_endpoint", c.ocpp.debug_call_endpoint);
  read(t, "ocpp", "request_base_report", c.ocpp.request_base_report);
  read(t, "ocpp", "recent_frames", c.ocpp.recent_frames);
  read(t, "ocpp", "remote_start_window_s", c.ocpp.remote_start_window_s);
  if (auto node = t["ocpp"]["subprotocols"]) {
    const auto *list = node.as_array();
    if (!list || list->empty()) throw ConfigError("config: ocpp.subprotocols must be a non-empty list");
    c.ocpp.subprotocols.clear();
    for (const auto &item : *list) {
      auto name = item.value<std::string>();
      if (!name || (*name != "ocpp1.6" && *name != "ocpp2.0.1" && *name != "ocpp2.1"))
        throw ConfigError("config: ocpp.subprotocols may list ocpp2.1, ocpp2.0.1 and ocpp1.6");
      c.ocpp.subprotocols.push_back(*name);
    }
  }
  read(t, "database", "url", c.database.url);
  if (t["database"]["path"]) { // the older key, an alias: a SQLite file path
    if (t["database"]["url"]) throw ConfigError("config: database.url and database.path name the same thing; set one");
    std::string file;
    read(t, "database", "path", file);
    if (file.empty()) throw ConfigError("config: database.path must not be empty");
    c.database.url = "sqlite:" + file;
  }
  parse_database_url(c.database.url); // an unknown engine or a malformed URL is refused here
  read(t, "database", "synchronous", c.database.synchronous);
  read(t, "database", "max_batch", c.database.max_batch);
  read(t, "database", "commit_interval_us", c.database.commit_interval_us);
  if (c.database.commit_interval_us < 0 || c.database.commit_interval_us > 100000)
    throw ConfigError("database.commit_interval_us must be between 0 and 100000");
  read(t, "log", "level", c.log_level);
  read(t, "log", "format", c.log_format);
  if (c.log_format != "text" && c.log_format != "json") throw ConfigError("log.format must be text or json");
  read(t, "metrics", "enabled", c.metrics.enabled);
  read(t, "metrics", "token", c.metrics.token);
  if (c.metrics.token.find_first_of(" \t\r\n") != std::string::npos)
    throw ConfigError("metrics.token must not contain white space");
  read(t, "auth", "hash_threads", c.auth.hash_threads);
  read(t, "auth", "hash_queue", c.auth.hash_queue);
  read(t, "auth", "hash_wait_ms", c.auth.hash_wait_ms);
  read(t, "auth", "max_failures", c.auth.max_failures);
  read(t, "auth", "max_failures_per_address", c.auth.max_failures_per_address);
  read(t, "auth", "failure_window_s", c.auth.failure_window_s);
  read(t, "auth", "lockout_s", c.auth.lockout_s);
  if (c.auth.hash_threads < 1 || c.auth.hash_threads > 64) throw ConfigError("auth.hash_threads must be 1 to 64");
  if (c.auth.hash_queue < 1 || c.auth.hash_queue > 100000) throw ConfigError("auth.hash_queue must be 1 to 100000");
  if (c.auth.hash_wait_ms < 10 || c.auth.hash_wait_ms > 60000)
    throw ConfigError("auth.hash_wait_ms must be 10 to 60000");
  if (c.auth.max_failures > 1000000 || c.auth.max_failures_per_address > 1000000)
    throw ConfigError("auth.max_failures and auth.max_failures_per_address must be at most 1000000 (0: no limit)");
  if (c.auth.failure_window_s < 1 || c.auth.failure_window_s > 86400 || c.auth.lockout_s < 1 ||
      c.auth.lockout_s > 86400)
    throw ConfigError("auth.failure_window_s and auth.lockout_s must be 1 to 86400");
  if (auto node = t["pricing"]["cost_update_interval"]) {
    if (auto text = node.value<std::string>())
      c.pricing.cost_update_interval = parse_interval(*text, "pricing.cost_update_interval");
    else if (auto n = node.value<std::int64_t>(); n && *n >= 0 && *n <= 86400)
      c.pricing.cost_update_interval = std::chrono::seconds(*n);
    else
      throw ConfigError("pricing.cost_update_interval must be a duration such as \"60s\" (0 to 24 h)");
  }
  read(t, "pricing", "tariff_language", c.pricing.tariff_language);
  if (c.pricing.tariff_language.size() != 2 ||
      !std::all_of(c.pricing.tariff_language.begin(), c.pricing.tariff_language.end(),
                   [](char ch) { return ch >= 'a' && ch <= 'z'; }))
    throw ConfigError("pricing.tariff_language must be a two-letter ISO 639-1 code such as \"en\"");
  if (c.database.synchronous != "full" && c.database.synchronous != "normal")
    throw ConfigError("database.synchronous must be full or normal");
  if (c.server.threads < 0 || c.server.threads > 256) throw ConfigError("server.threads must be 0 (automatic) to 256");
  if (c.ocpp.remote_start_window_s < 1 || c.ocpp.remote_start_window_s > 3600)
    throw ConfigError("ocpp.remote_start_window_s must be between 1 and 3600");
  if (c.ocpp.max_frame_bytes < 1024) throw ConfigError("ocpp.max_frame_bytes must be at least 1024");
  read_payments(t, c.payments);
  read_energy(t, c.energy);
  read_ocpi(t, c.ocpi);
  read_availability(t, c.availability);
  read_alerts(t, c.alerts);
  read_healing(t, c.healing);
  read_maintenance(t, c.maintenance);
  read_firmware(t, c.firmware);
  read(t, "diagnostics", "dir", c.diagnostics.dir);
  read(t, "diagnostics", "public_url", c.diagnostics.public_url);
  read(t, "diagnostics", "max_upload_mb", c.diagnostics.max_upload_mb);
  read(t, "diagnostics", "token_ttl_s", c.diagnostics.token_ttl_s);
  if (c.diagnostics.max_upload_mb < 1 || c.diagnostics.max_upload_mb > 4096)
    throw ConfigError("diagnostics.max_upload_mb must be 1 to 4096");
  if (c.diagnostics.token_ttl_s < 1 || c.diagnostics.token_ttl_s > 604800)
    throw ConfigError("diagnostics.token_ttl_s must be 1 to 604800 (a week)");
  if (!c.diagnostics.public_url.empty() && !c.diagnostics.public_url.starts_with("http://") &&
      !c.diagnostics.public_url.starts_with("https://"))
    throw ConfigError("diagnostics.public_url must be an http:// or https:// URL");
  read(t, "web", "enabled", c.web.enabled);
  read(t, "web", "root", c.web.root);
  if (c.web.root.empty()) throw ConfigError("web.root must not be empty (web.enabled = false serves no console)");
  return c;
}

} // namespace gridlane::core
