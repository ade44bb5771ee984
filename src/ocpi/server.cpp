// The /ocpi endpoint (transport_and_format.asciidoc, version_information_endpoint.asciidoc):
// authentication by the credentials token, the versions and version details, and the routing
// of each module's calls to its handler. Every answer is the OCPI envelope with both ids.
#include "gridlane/ocpi/server.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <spdlog/spdlog.h>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::InterfaceRole;
using domain::OcpiModule;
using domain::PartnerStatus;

namespace {

spdlog::logger &ocpi_log() {
  static const auto logger = core::logger("ocpi");
  return *logger;
}

//! An id a client sent (X-Request-ID, X-Correlation-ID), echoed when it is sane, else a new one.
std::string id_of(const Request &req, std::string_view lower_name) {
  const auto *v = req.header(lower_name);
  if (v && !v->empty() && v->size() <= 128 &&
      std::all_of(v->begin(), v->end(), [](char c) { return c > 0x20 && c < 0x7f; }))
    return *v;
  return random_uuid();
}

//! Configuration modules are not routed (transport_and_format "Message Routing").
bool routed(OcpiModule m) {
  return m != OcpiModule::Credentials && m != OcpiModule::HubClientInfo;
}

bool has_body_method(std::string_view method) {
  return method == "PUT" || method == "POST" || method == "PATCH";
}

bool json_content_type(const std::string *value) {
  if (!value) return false;
  std::string v;
  for (char c : *value) {
    if (c == ';') break;
    if (c != ' ' && c != '\t') v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return v == "application/json";
}

//! Answers a request exactly once: the handler's response, or 3000 when every copy of the reply
//! was dropped unanswered (a handler that failed on some other thread). Adds both ids and, for a
//! routed module, the response's routing headers.
class Answer {
public:
  Answer(Reply done, std::vector<std::pair<std::string, std::string>> headers, core::Timestamp now)
      : done_(std::move(done)), headers_(std::move(headers)), now_(now) {}
  Answer(const Answer &) = delete;
  Answer &operator=(const Answer &) = delete;
  ~Answer() {
    if (used_) return;
    try {
      send(failure(StatusCode::ServerError, "the request was not answered", now_, 500));
    } catch (...) { // a destructor: nothing escapes
    }
  }
  void add_header(std::string name, std::string value) { headers_.emplace_back(std::move(name), std::move(value)); }
  void send(Response r) {
    if (used_.exchange(true)) return;
    for (auto &h : headers_)
      r.headers.push_back(h);
    done_(std::move(r));
  }

private:
  Reply done_;
  std::vector<std::pair<std::string, std::string>> headers_;
  core::Timestamp now_;
  std::atomic<bool> used_{false};
};

struct Lookup {
  std::optional<domain::Partner> partner;
};

} // namespace

struct Server::Impl {
  domain::StoreExecutor &store;
  const core::Clock &clock;
  core::OcpiConfig config;
  std::string default_base_url;
  struct Module {
    InterfaceRole role = InterfaceRole::Sender;
    ModuleHandler handler;
  };
  std::map<OcpiModule, Module> modules;

  std::string base() const {
    std::string b = config.base_url.empty() ? default_base_url : config.base_url;
    while (!b.empty() && b.back() == '/')
      b.pop_back();
    return b;
  }
  std::string version_url() const { return base() + "/ocpi/" + std::string(version_221); }

  void authenticated(std::shared_ptr<Answer> answer, Request req, std::vector<std::string> segments,
                     std::optional<domain::Partner> partner, core::Timestamp now, std::string request_id,
                     std::string correlation_id);
  json::object details(const domain::Partner &partner) const;
  void dispatch_module(const std::shared_ptr<Answer> &answer, Request req, std::vector<std::string> segments,
                       domain::Partner partner, core::Timestamp now, std::string request_id,
                       std::string correlation_id);
};

Server::Server(domain::StoreExecutor &store, const core::Clock &clock, core::OcpiConfig config)
    : impl_(std::make_unique<Impl>(Impl{store, clock, std::move(config), {}, {}})) {}

Server::~Server() = default;

void Server::add_module(OcpiModule module, InterfaceRole role, ModuleHandler handler) {
  impl_->modules[module] = Impl::Module{role, std::move(handler)};
}

void Server::set_default_base_url(std::string url) {
  impl_->default_base_url = std::move(url);
}

const core::OcpiConfig &Server::config() const {
  return impl_->config;
}

std::string Server::endpoint_url(OcpiModule module) const {
  return impl_->version_url() + "/" + std::string(module_name(module));
}

std::string Server::versions_url() const {
  return impl_->base() + "/ocpi/versions";
}

void Server::handle(Request request, Reply done) {
  const auto now = impl_->clock.now();
  auto request_id = id_of(request, "x-request-id");
  auto correlation_id = id_of(request, "x-correlation-id");
  auto answer = std::make_shared<Answer>(std::move(done),
                                         std::vector<std::pair<std::string, std::string>>{
                                             {"X-Request-ID", request_id}, {"X-Correlation-ID", correlation_id}},
                                         now);
  try {
    if (!impl_->config.enabled) {
      answer->send(failure(StatusCode::ClientError, "OCPI is not enabled on this server", now, 404));
      return;
    }
    // "/ocpi/2.2.1/locations/LOC1" -> ["2.2.1", "locations", "LOC1"]; a final '/' is dropped.
    std::vector<std::string> segments;
    std::string_view path = request.path;
    constexpr std::string_view root = "/ocpi";
    if (path.substr(0, root.size()) != root || (path.size() > root.size() && path[root.size()] != '/')) {
      answer->send(failure(StatusCode::ClientError, "no such endpoint", now, 404));
      return;
    }
    path.remove_prefix(root.size());
    while (!path.empty()) {
      path.remove_prefix(1); // the '/'
      auto slash = path.find('/');
      segments.emplace_back(path.substr(0, slash));
      path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
    }
    if (!segments.empty() && segments.back().empty()) segments.pop_back();

    // transport_and_format "Authorization header": a missing or unknown token is 401.
    const auto *authorization = request.header("authorization");
    auto presented = authorization ? decode_token_header(*authorization) : std::nullopt;
    if (!presented) {
      auto r = failure(StatusCode::ClientError, "missing or malformed Authorization: Token header", now, 401);
      r.headers.emplace_back("WWW-Authenticate", "Token");
      answer->send(std::move(r));
      return;
    }
    // The token as 2.2.1 sends it (Base64) or raw, whichever the partner uses: both are looked up.
    std::vector<std::string> hashes;
    if (presented->decoded) hashes.push_back(core::token_hash(*presented->decoded));
    hashes.push_back(core::token_hash(presented->raw));
    auto lookup = std::make_shared<Lookup>();
    auto *impl = impl_.get();
    impl_->store.submit(
        [lookup, hashes = std::move(hashes)](domain::Repository &repo) {
          for (const auto &h : hashes)
            if ((lookup->partner = repo.partner_by_token_hash(h))) return;
        },
        [impl, lookup, answer, request = std::move(request), segments = std::move(segments), now,
         request_id = std::move(request_id), correlation_id = std::move(correlation_id)](std::exception_ptr e) mutable {
          if (e) {
            try {
              std::rethrow_exception(e);
            } catch (const std::exception &x) {
              ocpi_log().error("OCPI {} {}: partner lookup failed: {}", request.method, request.path, x.what());
            } catch (...) {
              ocpi_log().error("OCPI {} {}: partner lookup failed", request.method, request.path);
            }
            answer->send(failure(StatusCode::ServerError, "internal error", now, 500));
            return;
          }
          impl->authenticated(answer, std::move(request), std::move(segments), std::move(lookup->partner), now,
                              std::move(request_id), std::move(correlation_id));
        });
  } catch (const std::exception &x) {
    ocpi_log().error("OCPI request failed: {}", x.what());
    answer->send(failure(StatusCode::ServerError, "internal error", now, 500));
  }
}

void Server::Impl::authenticated(std::shared_ptr<Answer> answer, Request req, std::vector<std::string> segments,
                                 std::optional<domain::Partner> partner, core::Timestamp now, std::string request_id,
                                 std::string correlation_id) {
  try {
    auto unauthorized = [&](std::string why) {
      auto r = failure(StatusCode::ClientError, std::move(why), now, 401);
      r.headers.emplace_back("WWW-Authenticate", "Token");
      answer->send(std::move(r));
    };
    if (!partner) return unauthorized("unknown credentials token");
    if (partner->status == PartnerStatus::Suspended) return unauthorized("this partner is suspended");
    if (partner->status == PartnerStatus::Unregistered) return unauthorized("this partner is unregistered");
    const bool is_versions = segments.size() == 1 && segments[0] == "versions";
    const bool is_details = segments.size() == 1 && segments[0] == version_221;
    if (is_versions || is_details) {
      // version_information_endpoint.asciidoc: both are GET only.
      if (req.method != "GET") return answer->send(method_not_allowed("GET", now));
      if (is_versions) {
        json::array list{json::object{{"version", version_221}, {"url", version_url()}}};
        return answer->send(success(std::move(list), now));
      }
      return answer->send(success(details(*partner), now));
    }
    if (segments.size() < 2 || segments[0] != version_221)
      return answer->send(failure(StatusCode::ClientError, "no such endpoint", now, 404));
    dispatch_module(answer, std::move(req), std::move(segments), std::move(*partner), now, std::move(request_id),
                    std::move(correlation_id));
  } catch (const std::exception &x) {
    ocpi_log().error("OCPI {} {}: {}", req.method, req.path, x.what());
    answer->send(failure(StatusCode::ServerError, "internal error", now, 500));
  }
}

json::object Server::Impl::details(const domain::Partner &partner) const {
  json::array endpoints;
  auto add = [&](OcpiModule m, InterfaceRole role) {
    endpoints.push_back(json::object{{"identifier", module_name(m)},
                                     {"role", interface_role_name(role)},
                                     {"url", version_url() + "/" + std::string(module_name(m))}});
  };
  // The credentials endpoint is always offered (a partner registers and updates through it).
  if (!modules.contains(OcpiModule::Credentials)) add(OcpiModule::Credentials, InterfaceRole::Sender);
  for (const auto &[m, entry] : modules)
    if (m == OcpiModule::Credentials || partner.may_use(m)) add(m, entry.role);
  return json::object{{"version", version_221}, {"endpoints", std::move(endpoints)}};
}

void Server::Impl::dispatch_module(const std::shared_ptr<Answer> &answer, Request req,
                                   std::vector<std::string> segments, domain::Partner partner, core::Timestamp now,
                                   std::string request_id, std::string correlation_id) {
  // transport_and_format: a token A (a Planned partner) opens versions and credentials only.
  if (partner.status == PartnerStatus::Planned && segments[1] != module_name(OcpiModule::Credentials)) {
    auto r = failure(StatusCode::ClientError, "not registered yet: only versions and credentials are open", now, 401);
    r.headers.emplace_back("WWW-Authenticate", "Token");
    return answer->send(std::move(r));
  }
  auto module = module_from_name(segments[1]);
  auto entry = module ? modules.find(*module) : modules.end();
  if (entry == modules.end())
    return answer->send(failure(StatusCode::ClientError, "no such endpoint: " + segments[1], now, 404));
  if (*module != OcpiModule::Credentials && !partner.may_use(*module))
    return answer->send(
        failure(StatusCode::ClientError, "this partner may not use the " + segments[1] + " module", now, 403));
  const auto &m = req.method;
  if (m != "GET" && m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE")
    return answer->send(method_not_allowed("GET, POST, PUT, PATCH, DELETE", now));
  if (has_body_method(m)) {
    // transport_and_format "Request format" and status_codes: a body is JSON, else 400.
    if (!json_content_type(req.header("content-type")))
      return answer->send(failure(StatusCode::InvalidParameters, "Content-Type must be application/json", now, 400));
    boost::system::error_code ec;
    auto body = json::parse(req.body, ec);
    if (ec || !body.is_object())
      return answer->send(failure(StatusCode::InvalidParameters, "the body must be a JSON object", now, 400));
  }
  Routing routing;
  if (routed(*module)) {
    auto parsed = parse_routing(req);
    if (auto *error = std::get_if<std::string>(&parsed))
      return answer->send(failure(StatusCode::InvalidParameters, *error, now, 400));
    routing = std::get<Routing>(std::move(parsed));
    // The response goes back to the requesting party, from the receiving one (transport_and_format
    // "Party to Party": TO = the requesting party, FROM = the receiving party).
    domain::PartyId ours{config.country_code, config.party_id};
    const auto &from = routing.to ? *routing.to : ours;
    answer->add_header("OCPI-from-country-code", from.country_code);
    answer->add_header("OCPI-from-party-id", from.party_id);
    std::optional<domain::PartyId> to = routing.from;
    if (!to && !partner.roles.empty()) to = partner.roles.front().party;
    if (to) {
      answer->add_header("OCPI-to-country-code", to->country_code);
      answer->add_header("OCPI-to-party-id", to->party_id);
    }
  }
  auto call = std::make_shared<Call>();
  call->segments.assign(segments.begin() + 2, segments.end());
  call->request = std::move(req);
  call->partner = std::move(partner);
  call->request_id = std::move(request_id);
  call->correlation_id = std::move(correlation_id);
  call->routing = std::move(routing);
  call->now = now;
  call->self_url = version_url() + "/" + std::string(module_name(*module));
  try {
    // status_codes.asciidoc: a request that is valid JSON and addresses an existing resource
    // reached the OCPI layer and gets no HTTP error: a module's client error (2xxx) travels
    // in the envelope with HTTP 200. An unknown object stays 404 (its own rule), and what the
    // transport refused above (no JSON, no token) keeps its HTTP status.
    entry->second.handler(call, [answer](Response r) {
      if (r.status == 400) r.status = 200;
      answer->send(std::move(r));
    });
  } catch (const std::exception &x) {
    ocpi_log().error("OCPI {} {} ({}): the {} handler failed: {}", call->request.method, call->request.path,
                     call->request_id, segments[1], x.what());
    answer->send(failure(StatusCode::ServerError, "internal error", now, 500));
  } catch (...) {
    ocpi_log().error("OCPI {} {} ({}): the {} handler failed", call->request.method, call->request.path,
                     call->request_id, segments[1]);
    answer->send(failure(StatusCode::ServerError, "internal error", now, 500));
  }
}

} // namespace gridlane::ocpi
