// Routing, authentication, roles, errors and the audit log: the one place an API failure
// becomes an HTTP status.
#include <array>
#include <optional>

#include "gridlane/core/json_text.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

std::string_view reason(int status) {
  switch (status) {
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 409: return "Conflict";
  case 413: return "Payload Too Large";
  case 422: return "Unprocessable Entity";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return "Error";
  }
}

void openapi(const CtxPtr &c) {
  Response r;
  r.body = std::string(openapi_document());
  auto finish = std::move(c->done);
  if (finish) finish(std::move(r));
}

struct Route {
  const char *method;
  const char *pattern;      //!< "/stations/{id}"
  std::optional<Role> role; //!< the least role allowed; nullopt: no credentials needed
  Handler handler;
};

constexpr Role V = Role::Viewer, O = Role::Operator, A = Role::Admin;
const std::array routes = {
    Route{"POST", "/auth/login", std::nullopt, login},
    Route{"POST", "/auth/logout", V, logout},
    Route{"GET", "/me", V, me},
    Route{"GET", "/stations", V, list_stations},
    Route{"POST", "/stations", O, create_station},
    Route{"GET", "/stations/{id}", V, get_station},
    Route{"DELETE", "/stations/{id}", A, delete_station},
    Route{"POST", "/stations/{id}/accept", O, accept_station},
    Route{"POST", "/stations/{id}/enable", O, enable_station},
    Route{"POST", "/stations/{id}/disable", O, disable_station},
    Route{"PUT", "/stations/{id}/password", A, set_station_password},
    Route{"PUT", "/stations/{id}/site", O, set_station_site},
    Route{"GET", "/stations/{id}/compat", V, get_station_compat},
    Route{"PUT", "/stations/{id}/compat", O, put_station_compat},
    Route{"GET", "/stations/{id}/status-history", V, station_status_history},
    Route{"GET", "/stations/{id}/events", V, station_events},
    Route{"GET", "/stations/{id}/frames", O, station_frames},
    Route{"GET", "/stations/{id}/commands", V, list_station_commands},
    Route{"POST", "/stations/{id}/commands", O, send_command},
    Route{"GET", "/commands/{id}", V, get_command},
    Route{"GET", "/transactions", V, list_transactions},
    Route{"GET", "/transactions/{id}", V, get_transaction},
    Route{"GET", "/id-tokens", V, list_tokens},
    Route{"POST", "/id-tokens/import", O, import_tokens},
    Route{"GET", "/id-tokens/{id}", V, get_token},
    Route{"PUT", "/id-tokens/{id}", O, put_token},
    Route{"DELETE", "/id-tokens/{id}", O, delete_token},
    Route{"GET", "/audit", A, list_audit},
    Route{"GET", "/users", A, list_users},
    Route{"POST", "/users", A, create_user},
    Route{"GET", "/api-keys", A, list_api_keys},
    Route{"POST", "/api-keys", A, create_api_key},
    Route{"DELETE", "/api-keys/{id}", A, revoke_api_key},
    Route{"GET", "/locations", V, list_locations},
    Route{"POST", "/locations", O, create_location},
    Route{"GET", "/locations/{id}", V, get_location},
    Route{"PATCH", "/locations/{id}", O, update_location},
    Route{"DELETE", "/locations/{id}", A, delete_location},
    Route{"PUT", "/stations/{id}/location", O, set_station_location},
    Route{"GET", "/stations/{id}/evses", V, list_station_evses},
    Route{"POST", "/stations/{id}/evses", O, create_station_evse},
    Route{"GET", "/evses/{id}", V, get_evse},
    Route{"PUT", "/evses/{id}", O, put_evse},
    Route{"DELETE", "/evses/{id}", O, delete_evse},
    Route{"POST", "/evses/{id}/connectors", O, put_evse_connector},
    Route{"GET", "/openapi.json", std::nullopt, openapi},
};

//! An audit field of at most `max` bytes: bytes outside printable ASCII (and '%') are
//! percent-encoded, so whatever a client sent is stored as bounded, valid UTF-8.
std::string bounded(std::string_view text, std::size_t max) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool plain = c >= 0x20 && c < 0x7f && c != '%';
    if (out.size() + (plain ? 1 : 3) > max) {
      out.append("...");
      break;
    }
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return out;
}

bool match(const char *pattern, const std::vector<std::string_view> &segs, std::map<std::string, std::string> &out) {
  auto parts = split(pattern);
  if (parts.size() != segs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() > 2 && parts[i].front() == '{') {
      found[std::string(parts[i].substr(1, parts[i].size() - 2))] = std::string(segs[i]);
    } else if (parts[i] != segs[i]) {
      return false;
    }
  }
  out = std::move(found);
  return true;
}

} // namespace

std::vector<std::pair<std::string, std::string>> route_table() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto &r : routes)
    out.emplace_back(r.method, r.pattern);
  out.emplace_back("GET", "/events"); // served by the HTTP layer as a stream
  return out;
}

Ctx::~Ctx() {
  // A request must be answered: one whose handler failed without answering (on the store or the
  // blocking pool) is answered 500 when its last reference goes.
  if (!done) return;
  core::logger("api")->error("{} {}: ended without an answer; answered 500", req.method, bounded(req.path, 200));
  try {
    problem(500, "internal error");
  } catch (...) {
  }
}

void Ctx::reply(int status, const json::value &body) {
  Response r;
  r.status = status;
  if (!body.is_null()) r.body = core::to_json_text(body);
  auto finish = std::move(done);
  if (finish) finish(std::move(r));
}

void Ctx::problem(int status, const std::string &detail) {
  problem(status, detail, std::chrono::seconds{0});
}

void Ctx::problem(int status, const std::string &detail, std::chrono::seconds retry_after) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = core::to_json_text(
      json::object{{"type", "about:blank"}, {"title", reason(status)}, {"status", status}, {"detail", detail}});
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"gridlane\"");
  if (retry_after.count() > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  auto finish = std::move(done);
  if (finish) finish(std::move(r));
}

json::object Ctx::body() const {
  boost::system::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec) throw Problem{400, "request body is not valid JSON: " + ec.message()};
  if (!v.is_object()) throw Problem{400, "request body must be a JSON object"};
  return std::move(v.as_object());
}

namespace {
std::size_t number_param(const Request &r, const char *name, std::size_t fallback, std::size_t max) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return fallback;
  try {
    std::size_t used = 0;
    auto v = std::stoull(it->second, &used);
    if (used != it->second.size()) throw std::invalid_argument("");
    if (v > max) throw Problem{400, std::string(name) + " must be at most " + std::to_string(max)};
    return static_cast<std::size_t>(v);
  } catch (const Problem &) {
    throw;
  } catch (...) {
    throw Problem{400, std::string(name) + " must be a non-negative integer"};
  }
}
} // namespace

std::int64_t Ctx::numeric_id(const char *what) const {
  const auto &text = path.at("id");
  try {
    std::size_t used = 0;
    auto id = std::stoll(text, &used);
    if (used == text.size()) return id;
  } catch (...) {
  }
  throw Problem{404, std::string("no such ") + what};
}

std::size_t Ctx::limit() const {
  return number_param(req, "limit", 100, 1000);
}
std::size_t Ctx::offset() const {
  return number_param(req, "offset", 0, 1u << 30);
}

void Api::Impl::query(const CtxPtr &ctx, int status, std::function<json::value(Repository &)> fn,
                      std::function<void()> after_commit) {
  struct Result {
    json::value body;
    std::optional<Problem> problem;
  };
  services::run_unit<Result>(
      store,
      [fn = std::move(fn)](Repository &r) {
        try {
          return Result{fn(r), std::nullopt};
        } catch (const Problem &p) {
          return Result{nullptr, p};
        }
      },
      [ctx, status, after_commit = std::move(after_commit)](services::Outcome<Result> o) {
        if (!o.ok()) {
          core::logger("api")->error("{} {}: {}", ctx->req.method, ctx->req.path, o.error());
          return ctx->problem(500, "internal error");
        }
        if (o.value().problem) return ctx->problem(o.value().problem->status, o.value().problem->detail);
        if (after_commit) after_commit();
        ctx->reply(status, o.value().body);
      });
}

void Api::Impl::run_blocking(const CtxPtr &ctx, std::function<void()> work) {
  blocking(
      [ctx, work = std::move(work)] {
        try {
          work();
        } catch (const Problem &p) {
          ctx->problem(p.status, p.detail);
        } catch (const std::exception &e) {
          core::logger("api")->error("{} {}: {}", ctx->req.method, ctx->req.path, e.what());
          ctx->problem(500, "internal error");
        }
      },
      [ctx](core::JobRefusal why) {
        if (why == core::JobRefusal::Failed) return ctx->problem(500, "internal error"); // logged by the pool
        core::logger("api")->debug("{} {}: password hashing {}", ctx->req.method, ctx->req.path, core::to_string(why));
        ctx->problem(503, "busy; try again later", std::chrono::seconds{1});
      });
}

Api::Api(StoreExecutor &store, const core::Clock &clock, services::CommandService &commands, StationGateway &gateway,
         services::BlockingRunner blocking, ApiOptions options)
    : impl_(new Impl{store, clock, commands, gateway, std::move(blocking), options}) {}

Api::~Api() = default;

void Api::authenticate(const std::string &authorization,
                       std::function<void(std::optional<Principal>, Response error)> done) {
  Request req;
  req.method = "GET";
  req.path = "/api/v1/events";
  req.authorization = authorization;
  auto ctx = std::make_shared<Ctx>();
  ctx->req = std::move(req);
  ctx->api = impl_.get();
  auto shared_done = std::make_shared<std::function<void(std::optional<Principal>, Response)>>(std::move(done));
  ctx->done = [shared_done](Response error) { (*shared_done)(std::nullopt, std::move(error)); };
  resolve(ctx, Role::Viewer, [ctx, shared_done] {
    auto principal = ctx->who;
    ctx->done = nullptr;
    (*shared_done)(principal, Response{});
  });
}

void Api::handle(Request request, std::function<void(Response)> done) {
  auto ctx = std::make_shared<Ctx>();
  ctx->req = std::move(request);
  ctx->api = impl_.get();
  auto segs = split(ctx->req.path);
  if (segs.size() < 2 || segs[0] != "api" || segs[1] != "v1") {
    ctx->done = std::move(done);
    return ctx->problem(404, "no such resource");
  }
  segs.erase(segs.begin(), segs.begin() + 2);
  const Route *route = nullptr;
  bool path_known = false;
  for (const auto &r : routes) {
    std::map<std::string, std::string> params;
    if (!match(r.pattern, segs, params)) continue;
    path_known = true;
    if (ctx->req.method == r.method) {
      route = &r;
      ctx->path = std::move(params);
      break;
    }
  }

  // Every state-changing call is written to the audit log, whatever its outcome, with bounded
  // fields: a row is a few hundred bytes at most, whatever the request. A request that did not
  // authenticate is recorded by its route, not its path.
  const bool audited = ctx->req.method != "GET";
  auto *impl = impl_.get();
  std::string route_name = std::string(bounded(ctx->req.method, 16)) + " " +
                           (route ? "/api/v1" + std::string(route->pattern) : std::string("(no such route)"));
  ctx->done = [impl, ctx_raw = ctx.get(), audited, route_name, done = std::move(done)](Response res) {
    if (audited) {
      AuditEntry e;
      e.at = impl->clock.now();
      const bool authenticated = ctx_raw->authenticated;
      e.actor = ctx_raw->who.actor.empty() ? "anonymous" : bounded(ctx_raw->who.actor, 80);
      e.action = authenticated ? bounded(ctx_raw->req.method + " " + ctx_raw->req.path, 256) : route_name;
      if (auto it = ctx_raw->path.find("id"); it != ctx_raw->path.end()) e.target = bounded(it->second, 64);
      e.remote = bounded(ctx_raw->req.remote, 64);
      e.status = res.status;
      impl->store.submit([e](Repository &r) { r.insert_audit(e); }, nullptr);
    }
    done(std::move(res));
  };
  if (!route) return ctx->problem(path_known ? 405 : 404, path_known ? "method not allowed here" : "no such resource");

  auto run = [route, ctx] {
    try {
      route->handler(ctx);
    } catch (const Problem &p) {
      ctx->problem(p.status, p.detail);
    } catch (const std::exception &e) {
      core::logger("api")->error("{} {}: {}", ctx->req.method, ctx->req.path, e.what());
      ctx->problem(500, "internal error");
    }
  };
  if (!route->role) return run();
  resolve(ctx, *route->role, run);
}

void Api::resolve(const std::shared_ptr<Ctx> &ctx, Role least, std::function<void()> then) {
  constexpr std::string_view bearer = "Bearer ";
  const auto &auth = ctx->req.authorization;
  if (auth.size() <= bearer.size() || auth.compare(0, bearer.size(), bearer) != 0)
    return ctx->problem(401, "an Authorization: Bearer token (login token or API key) is required");
  auto secret = auth.substr(bearer.size());
  auto hash = core::token_hash(secret);
  auto now = impl_->clock.now();
  services::run_unit<std::optional<Principal>>(
      impl_->store,
      [hash, now, is_key = secret.rfind("glk_", 0) == 0](Repository &r) -> std::optional<Principal> {
        if (is_key) {
          if (auto k = r.api_key_by_hash(hash)) return Principal{"key:" + k->name, k->role};
        } else if (auto u = r.session_user(hash, now)) {
          return Principal{"user:" + u->username, u->role};
        }
        return std::nullopt;
      },
      [ctx, least, then = std::move(then)](services::Outcome<std::optional<Principal>> o) {
        if (!o.ok()) return ctx->problem(503, "try again later");
        if (!o.value()) return ctx->problem(401, "unknown, expired or revoked credentials");
        ctx->who = *o.value();
        ctx->authenticated = true;
        if (ctx->who.role < least)
          return ctx->problem(403, "this needs the " + std::string(to_string(least)) + " role");
        then();
      });
}

} // namespace gridlane::api
