#include "serve_observability.hpp"

#include <chrono>
#include <cstdio>
#include <dirent.h>
#include <unistd.h>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"

namespace gridlane::app {
namespace metrics = core::metrics;

namespace {

constexpr std::string_view exposition_type = "text/plain; version=0.0.4; charset=utf-8";

//! Compares without stopping at the first difference: how long a refusal takes says nothing
//! about how much of the token was right.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

net::PlainResponse text(int status, std::string body) {
  net::PlainResponse res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

//! GET /metrics: the registry, or 401 when a token is configured and not presented.
net::PlainResponse serve_metrics(const net::PlainRequest &req, const core::MetricsConfig &config,
                                 const metrics::Registry &registry) {
  if (req.method != "GET" && req.method != "HEAD") {
    auto res = text(405, "use GET\n");
    res.headers.emplace_back("Allow", "GET, HEAD");
    return res;
  }
  if (!config.token.empty()) {
    auto it = req.headers.find("authorization");
    constexpr std::string_view scheme = "Bearer ";
    bool ok = it != req.headers.end() && it->second.size() > scheme.size() &&
              std::string_view(it->second).substr(0, scheme.size()) == scheme &&
              same_secret(std::string_view(it->second).substr(scheme.size()), config.token);
    if (!ok) {
      auto res = text(401, "a bearer token is required ([metrics] token)\n");
      res.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
      return res;
    }
  }
  net::PlainResponse res;
  res.content_type = std::string(exposition_type);
  res.body = registry.expose(); // HEAD: the server sends the headers only
  return res;
}

//! Resident memory from /proc/self/statm (pages), 0 where there is none.
double resident_bytes() {
  std::FILE *f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long size = 0;
  long resident = 0;
  int got = std::fscanf(f, "%ld %ld", &size, &resident);
  std::fclose(f);
  return got == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) : 0;
}

//! Open file descriptors (/proc/self/fd, less the one reading it).
double open_fds() {
  DIR *dir = opendir("/proc/self/fd");
  if (!dir) return 0;
  double n = 0;
  while (const auto *entry = readdir(dir))
    if (entry->d_name[0] != '.') ++n;
  closedir(dir);
  return n > 0 ? n - 1 : 0;
}

constexpr std::string_view open_help = "Open station connections, all protocol versions";

} // namespace

Observability::Observability(ObservabilityDeps deps) : deps_(deps), ready_(std::make_shared<std::atomic<bool>>(false)) {
  auto &r = deps_.registry;
  const auto started = std::chrono::system_clock::now();
  const auto since = std::chrono::steady_clock::now();
  const double start_s = std::chrono::duration<double>(started.time_since_epoch()).count();
  r.gauge_function("gridlane_start_time_seconds", "When the server started (Unix time, seconds)", {},
                   [start_s] { return start_s; });
  r.gauge_function("gridlane_uptime_seconds", "Seconds since the server started", {},
                   [since] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count(); });
  const auto *gateway = &deps_.gateway;
  r.gauge_function("gridlane_connections_open", open_help, {},
                   [gateway] { return static_cast<double>(gateway->size()); });
  r.gauge_function("process_resident_memory_bytes", "Resident memory size in bytes", {}, resident_bytes);
  r.gauge_function("process_open_fds", "Open file descriptors", {}, open_fds);

  // Command outcomes by kind and final status: kinds and statuses are the domain's names
  // (bounded), never text from the wire.
  commands_ = deps_.bus.subscribe([&r](const domain::Event &e) {
    const auto *finished = std::get_if<domain::CommandFinished>(&e);
    if (!finished) return;
    r.counter("gridlane_commands_total", "Commands to stations by kind and final status",
              {{"kind", std::string(domain::kind_of(finished->command.command))},
               {"status", std::string(domain::to_string(finished->command.status))}})
        .inc();
  });

  if (deps_.config.enabled) {
    deps_.server.mount(
        net::PlainMount{"/metrics",
                        [config = deps_.config, registry = &deps_.registry](
                            const net::PlainRequest &req, std::function<void(net::PlainResponse)> reply) {
                          reply(serve_metrics(req, config, *registry));
                        },
                        1024});
  }
  deps_.server.mount(net::PlainMount{"/ready",
                                     [ready = ready_, server = &deps_.server](
                                         const net::PlainRequest &req, std::function<void(net::PlainResponse)> reply) {
                                       if (req.method != "GET" && req.method != "HEAD") {
                                         auto res = text(405, "use GET\n");
                                         res.headers.emplace_back("Allow", "GET, HEAD");
                                         return reply(std::move(res));
                                       }
                                       // `ready` outlives serve()'s objects; the server is asked only while it serves.
                                       const bool up = ready->load() && !server->stopping();
                                       net::PlainResponse res;
                                       res.status = up ? 200 : 503;
                                       res.content_type = "application/json";
                                       res.body = up ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}";
                                       if (!up) res.headers.emplace_back("Retry-After", "5");
                                       reply(std::move(res));
                                     },
                                     1024});
}

Observability::~Observability() {
  stop();
}

void Observability::set_started() {
  ready_->store(true);
}

void Observability::stop() {
  ready_->store(false);
  commands_.reset();
  // The registry outlives serve(): its readers must not reach the connection registry after.
  deps_.registry.gauge_function("gridlane_connections_open", open_help, {}, [] { return 0.0; });
}

} // namespace gridlane::app
