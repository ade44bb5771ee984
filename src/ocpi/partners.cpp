// ocpi::PartnerService: partners, the credentials handshake both ways, rotation and
// unregistration (credentials.asciidoc). The rules run in units of work; the calls to partners
// block on the caller's thread (a roaming worker, or the admin CLI).
#include "gridlane/ocpi/partners.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <future>
#include <memory>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

Failure fail(StatusCode code, ServiceError error, int http_status = 200) {
  return Failure{code, std::move(error), http_status};
}

const PartnerEndpoint *credentials_endpoint(const Partner &p) {
  if (const auto *e = p.endpoint(OcpiModule::Credentials, InterfaceRole::Receiver)) return e;
  return p.endpoint(OcpiModule::Credentials, InterfaceRole::Sender);
}

bool same_party(const PartyId &a, const PartyId &b) {
  auto eq = [](std::string_view x, std::string_view y) {
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](char l, char r) {
             return std::toupper(static_cast<unsigned char>(l)) == std::toupper(static_cast<unsigned char>(r));
           });
  };
  return eq(a.country_code, b.country_code) && eq(a.party_id, b.party_id);
}

//! A party of `roles` that another partner, not unregistered, already represents: a partner
//! never speaks for a party someone else registered (its tokens, sessions and commands).
std::optional<std::string> claimed_elsewhere(Repository &r, std::int64_t id, const std::vector<PartnerRole> &roles) {
  for (const auto &other : r.partners()) {
    if (other.id == id || other.status == PartnerStatus::Unregistered) continue;
    for (const auto &mine : roles)
      for (const auto &theirs : other.roles)
        if (same_party(mine.party, theirs.party))
          return "party " + mine.party.country_code + "/" + mine.party.party_id + " is represented by partner " +
                 std::to_string(other.id);
  }
  return std::nullopt;
}

std::string describe(const FieldError &e) {
  return e.field.empty() ? e.message : e.message + " (" + e.field + ")";
}

} // namespace

PartnerService::PartnerService(StoreExecutor &store, const core::Clock &clock, Client &client, core::OcpiConfig config,
                               std::function<std::string()> our_versions_url)
    : store_(store), clock_(clock), client_(client), config_(std::move(config)),
      versions_url_(std::move(our_versions_url)) {}

template <class T> T PartnerService::in_store(std::function<T(Repository &)> fn) {
  auto slot = std::make_shared<std::optional<T>>();
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  store_.submit([slot, fn = std::move(fn)](Repository &r) { slot->emplace(fn(r)); },
                [done](const std::exception_ptr &e) {
                  if (e)
                    done->set_exception(e);
                  else
                    done->set_value();
                });
  finished.get(); // rethrows a broken unit's exception
  return std::move(**slot);
}

Result<Partner> PartnerService::find(Repository &r, std::int64_t id) {
  auto p = r.partner(id);
  if (!p) return ServiceError::not_found("no such partner");
  return *p;
}

Result<CreatedPartner> PartnerService::create(Repository &r, const PartnerDraft &draft) const {
  if (draft.name.empty() || draft.name.size() > 100)
    return ServiceError::invalid("'name' must be 1 to 100 characters", "name");
  Partner p;
  p.name = draft.name;
  p.encoding = draft.encoding;
  p.modules = draft.modules;
  p.status = PartnerStatus::Planned;
  p.created_at = p.updated_at = clock_.now();
  auto token = core::random_token("ocpi");
  p.id = r.insert_partner(p, core::token_hash(token));
  return CreatedPartner{std::move(p), std::move(token), versions_url_()};
}

Result<Partner> PartnerService::change(Repository &r, std::int64_t id, const PartnerChanges &c) const {
  auto p = find(r, id);
  if (!p) return p;
  if (c.name) {
    if (c.name->empty() || c.name->size() > 100)
      return ServiceError::invalid("'name' must be 1 to 100 characters", "name");
    p->name = *c.name;
  }
  if (c.encoding) p->encoding = *c.encoding;
  if (c.modules) p->modules = *c.modules;
  p->updated_at = clock_.now();
  r.update_partner(*p);
  return p;
}

Result<Partner> PartnerService::suspend(Repository &r, std::int64_t id) const {
  auto p = find(r, id);
  if (!p) return p;
  if (p->status == PartnerStatus::Suspended) return p;
  if (p->status != PartnerStatus::Registered) return ServiceError::conflict("only a registered partner is suspended");
  p->status = PartnerStatus::Suspended;
  p->updated_at = clock_.now();
  r.update_partner(*p);
  return p;
}

Result<Partner> PartnerService::resume(Repository &r, std::int64_t id) const {
  auto p = find(r, id);
  if (!p) return p;
  if (p->status == PartnerStatus::Registered) return p;
  if (p->status != PartnerStatus::Suspended) return ServiceError::conflict("only a suspended partner is resumed");
  p->status = PartnerStatus::Registered;
  p->updated_at = clock_.now();
  r.update_partner(*p);
  return p;
}

Result<InboundAnswer> PartnerService::call(bool get, PushMethod method, const std::string &url, const std::string &body,
                                           const std::string &token, TokenEncoding encoding) {
  OutboundCall c;
  c.get = get;
  c.method = method;
  c.url = url;
  c.body = body;
  c.token = token;
  c.encoding = encoding;
  // Credentials and versions are configuration modules: no routing headers (transport_and_format.asciidoc).
  c.timeout = std::chrono::milliseconds(config_.request_timeout_ms);
  try {
    return client_.call(c);
  } catch (const std::exception &e) {
    return ServiceError::unavailable(std::string("the call to ") + url + " failed: " + e.what());
  }
}

Exchange<PartnerService::Fetched> PartnerService::fetch_endpoints(const std::string &versions_url,
                                                                  const std::string &token, TokenEncoding encoding) {
  if (auto bad = check_partner_url(versions_url, config_.allow_plain_http_to_loopback); !bad.empty())
    return fail(StatusCode::UnableToUseClientApi, ServiceError::invalid("the versions URL: " + bad, "url"));
  auto answer = call(true, PushMethod::Put, versions_url, {}, token, encoding);
  if (!answer)
    return fail(
        StatusCode::UnableToUseClientApi,
        ServiceError::unavailable("cannot GET the versions at " + versions_url + ": " + answer.error().message));
  auto data = envelope_data(*answer);
  if (auto *e = std::get_if<FieldError>(&data))
    return fail(StatusCode::UnableToUseClientApi,
                ServiceError::unavailable("GET " + versions_url + ": " + describe(*e)));
  auto versions = parse_versions(std::get<json::value>(data));
  if (auto *e = std::get_if<FieldError>(&versions))
    return fail(StatusCode::UnableToUseClientApi, ServiceError::unavailable("its versions: " + describe(*e)));
  std::string details_url;
  std::string offered;
  for (const auto &v : std::get<std::vector<VersionRef>>(versions)) {
    offered += (offered.empty() ? "" : ", ") + v.version;
    if (v.version == version_221) details_url = v.url;
  }
  if (details_url.empty())
    return fail(StatusCode::UnsupportedVersion,
                ServiceError::conflict("no common version: it offers [" + offered + "], Gridlane 2.2.1"));
  if (auto bad = check_partner_url(details_url, config_.allow_plain_http_to_loopback); !bad.empty())
    return fail(StatusCode::UnableToUseClientApi, ServiceError::invalid("the 2.2.1 details URL: " + bad, "url"));
  answer = call(true, PushMethod::Put, details_url, {}, token, encoding);
  if (!answer)
    return fail(
        StatusCode::UnableToUseClientApi,
        ServiceError::unavailable("cannot GET the 2.2.1 details at " + details_url + ": " + answer.error().message));
  data = envelope_data(*answer);
  if (auto *e = std::get_if<FieldError>(&data))
    return fail(StatusCode::UnableToUseClientApi,
                ServiceError::unavailable("GET " + details_url + ": " + describe(*e)));
  auto endpoints = parse_version_details(std::get<json::value>(data), version_221);
  if (auto *e = std::get_if<FieldError>(&endpoints))
    return fail(StatusCode::UnableToUseClientApi, ServiceError::unavailable("its 2.2.1 details: " + describe(*e)));
  Fetched f{std::string(version_221), std::move(std::get<std::vector<PartnerEndpoint>>(endpoints))};
  bool credentials = false;
  bool another = false;
  for (const auto &e : f.endpoints) {
    if (auto bad = check_partner_url(e.url, config_.allow_plain_http_to_loopback); !bad.empty())
      return fail(StatusCode::UnableToUseClientApi,
                  ServiceError::invalid("the " + std::string(module_name(e.module)) + " endpoint: " + bad, "url"));
    (e.module == OcpiModule::Credentials ? credentials : another) = true;
  }
  if (!credentials || !another)
    return fail(StatusCode::NoMatchingEndpoints,
                ServiceError::conflict(credentials ? "no module in common: its 2.2.1 details list only credentials"
                                                   : "its 2.2.1 details list no credentials endpoint"));
  return f;
}

Credentials PartnerService::our_credentials(std::string token) const {
  Credentials c;
  c.token = std::move(token);
  c.url = versions_url_();
  c.roles.push_back(PartnerRole{OcpiRole::Cpo, PartyId{config_.country_code, config_.party_id}, config_.business_name});
  return c;
}

std::optional<std::string> PartnerService::presented_token(std::int64_t partner_id, const PresentedToken &presented) {
  auto hash = in_store<std::string>([partner_id](Repository &r) { return r.partner_token_hash(partner_id); });
  if (hash.empty()) return std::nullopt;
  if (core::token_hash(presented.raw) == hash) return presented.raw;
  if (presented.decoded && core::token_hash(*presented.decoded) == hash) return presented.decoded;
  return std::nullopt;
}

Result<Partner> PartnerService::register_at(std::int64_t id, const std::string &versions_url,
                                            const std::string &token_a) {
  if (token_a.empty() || token_a.size() > 64)
    return ServiceError::invalid("'token' must be 1 to 64 characters", "token");
  auto partner = in_store<Result<Partner>>([id](Repository &r) { return find(r, id); });
  if (!partner) return partner;
  if (partner->status != PartnerStatus::Planned && partner->status != PartnerStatus::Unregistered)
    return ServiceError::conflict("the partner is already registered (rotate its token, or unregister it first)");
  auto fetched = fetch_endpoints(versions_url, token_a, partner->encoding);
  if (auto *f = std::get_if<Failure>(&fetched)) return f->error;
  auto &found = std::get<Fetched>(fetched);
  std::string their_credentials;
  for (const auto &e : found.endpoints)
    if (e.module == OcpiModule::Credentials) their_credentials = e.url;

  // Gridlane's new token must work before the POST: the partner may call back with it at once.
  auto token = core::random_token("ocpi");
  auto previous = in_store<std::string>([id, hash = core::token_hash(token)](Repository &r) {
    auto old = r.partner_token_hash(id);
    r.set_partner_token_hash(id, hash);
    return old;
  });
  auto restore = [&] {
    in_store<bool>([id, &previous](Repository &r) {
      r.set_partner_token_hash(id, previous);
      return true;
    });
  };
  auto answer = call(false, PushMethod::Post, their_credentials,
                     json::serialize(credentials_json(our_credentials(token))), token_a, partner->encoding);
  if (!answer) {
    restore();
    return ServiceError::unavailable("cannot POST the credentials to " + their_credentials + ": " +
                                     answer.error().message);
  }
  auto data = envelope_data(*answer);
  if (auto *e = std::get_if<FieldError>(&data)) {
    restore();
    return ServiceError::unavailable("POST " + their_credentials + ": " + describe(*e));
  }
  auto theirs = parse_credentials(std::get<json::value>(data));
  if (auto *e = std::get_if<FieldError>(&theirs)) {
    restore();
    return ServiceError::unavailable("its credentials: " + describe(*e));
  }
  auto &c = std::get<Credentials>(theirs);
  auto registered = in_store<Result<Partner>>([&](Repository &r) -> Result<Partner> {
    auto p = find(r, id);
    if (!p) return p;
    if (auto claimed = claimed_elsewhere(r, id, c.roles)) return ServiceError::conflict("its roles: " + *claimed);
    p->roles = c.roles;
    p->versions_url = versions_url;
    p->version = found.version;
    p->endpoints = found.endpoints;
    p->token_to_them = c.token;
    p->status = PartnerStatus::Registered;
    p->updated_at = clock_.now();
    r.update_partner(*p);
    return p;
  });
  if (!registered) restore();
  return registered;
}

Result<Partner> PartnerService::rotate(std::int64_t id) {
  auto partner = in_store<Result<Partner>>([id](Repository &r) { return find(r, id); });
  if (!partner) return partner;
  if (partner->status != PartnerStatus::Registered && partner->status != PartnerStatus::Suspended)
    return ServiceError::conflict("only a registered partner has credentials to rotate");
  const auto *endpoint = credentials_endpoint(*partner);
  if (!endpoint) return ServiceError::conflict("the partner has no credentials endpoint");
  auto url = endpoint->url;
  auto token = core::random_token("ocpi");
  auto previous = in_store<std::string>([id, hash = core::token_hash(token)](Repository &r) {
    auto old = r.partner_token_hash(id);
    r.set_partner_token_hash(id, hash);
    return old;
  });
  auto restore = [&] {
    in_store<bool>([id, &previous](Repository &r) {
      r.set_partner_token_hash(id, previous);
      return true;
    });
  };
  auto answer = call(false, PushMethod::Put, url, json::serialize(credentials_json(our_credentials(token))),
                     partner->token_to_them, partner->encoding);
  if (!answer) {
    restore();
    return ServiceError::unavailable("cannot PUT the credentials to " + url + ": " + answer.error().message);
  }
  auto data = envelope_data(*answer);
  if (auto *e = std::get_if<FieldError>(&data)) {
    restore();
    return ServiceError::unavailable("PUT " + url + ": " + describe(*e));
  }
  auto theirs = parse_credentials(std::get<json::value>(data));
  if (auto *e = std::get_if<FieldError>(&theirs)) {
    restore();
    return ServiceError::unavailable("its credentials: " + describe(*e));
  }
  auto &c = std::get<Credentials>(theirs);
  // Its endpoints again, with its new token (kept as they were when that fails: the exchange is done).
  auto fetched = fetch_endpoints(c.url, c.token, partner->encoding);
  if (auto *f = std::get_if<Failure>(&fetched))
    core::logger("ocpi")->warn("partner {}: endpoints not refreshed after rotation: {}", id, f->error.message);
  auto rotated = in_store<Result<Partner>>([&](Repository &r) -> Result<Partner> {
    auto p = find(r, id);
    if (!p) return p;
    if (auto claimed = claimed_elsewhere(r, id, c.roles)) return ServiceError::conflict("its roles: " + *claimed);
    p->roles = c.roles;
    p->versions_url = c.url;
    if (auto *f = std::get_if<Fetched>(&fetched)) {
      p->version = f->version;
      p->endpoints = f->endpoints;
    }
    p->token_to_them = c.token;
    p->updated_at = clock_.now();
    r.update_partner(*p);
    return p;
  });
  if (!rotated) restore();
  return rotated;
}

Result<Partner> PartnerService::unregister(std::int64_t id) {
  auto partner = in_store<Result<Partner>>([id](Repository &r) { return find(r, id); });
  if (!partner) return partner;
  if (partner->status == PartnerStatus::Unregistered) return partner;
  const auto *endpoint = credentials_endpoint(*partner);
  if (partner->status != PartnerStatus::Planned && endpoint && !partner->token_to_them.empty()) {
    auto answer = call(false, PushMethod::Delete, endpoint->url, {}, partner->token_to_them, partner->encoding);
    std::string problem;
    if (!answer)
      problem = answer.error().message;
    else if (auto data = envelope_data(*answer); std::holds_alternative<FieldError>(data))
      problem = describe(std::get<FieldError>(data));
    if (!problem.empty())
      core::logger("ocpi")->warn("partner {}: DELETE {} failed ({}); unregistered here anyway", id, endpoint->url,
                                 problem);
  }
  return in_store<Result<Partner>>([&](Repository &r) -> Result<Partner> {
    auto p = find(r, id);
    if (!p) return p;
    p->status = PartnerStatus::Unregistered;
    p->token_to_them.clear();
    p->updated_at = clock_.now();
    r.update_partner(*p);
    r.set_partner_token_hash(id, "");
    return p;
  });
}

Exchange<Credentials> PartnerService::accept_credentials(std::int64_t partner_id, const Credentials &theirs,
                                                         bool registration) {
  auto partner = in_store<Result<Partner>>([partner_id](Repository &r) { return find(r, partner_id); });
  if (!partner) return fail(StatusCode::ClientError, partner.error(), 404);
  auto fetched = fetch_endpoints(theirs.url, theirs.token, partner->encoding);
  if (auto *f = std::get_if<Failure>(&fetched)) return *f;
  auto &found = std::get<Fetched>(fetched);
  auto token = core::random_token("ocpi");
  auto stored = in_store<Result<Partner>>([&](Repository &r) -> Result<Partner> {
    auto p = find(r, partner_id);
    if (!p) return p;
    bool planned = p->status == PartnerStatus::Planned;
    if (registration != planned) return ServiceError::conflict(registration ? "already registered" : "not registered");
    if (auto claimed = claimed_elsewhere(r, partner_id, theirs.roles))
      return ServiceError::invalid("its roles: " + *claimed, "roles");
    p->roles = theirs.roles;
    p->versions_url = theirs.url;
    p->version = found.version;
    p->endpoints = found.endpoints;
    p->token_to_them = theirs.token;
    p->status = PartnerStatus::Registered;
    p->updated_at = clock_.now();
    r.update_partner(*p);
    r.set_partner_token_hash(partner_id, core::token_hash(token));
    return p;
  });
  if (!stored) {
    if (stored.error().field) return fail(StatusCode::InvalidParameters, stored.error(), 400);
    return fail(StatusCode::ClientError, stored.error(), 405);
  }
  return our_credentials(token);
}

Exchange<Partner> PartnerService::accept_unregistration(std::int64_t partner_id) {
  auto done = in_store<Result<Partner>>([&](Repository &r) -> Result<Partner> {
    auto p = find(r, partner_id);
    if (!p) return p;
    if (p->status != PartnerStatus::Registered) return ServiceError::conflict("not registered");
    p->status = PartnerStatus::Unregistered;
    p->token_to_them.clear();
    p->updated_at = clock_.now();
    r.update_partner(*p);
    r.set_partner_token_hash(partner_id, "");
    return p;
  });
  if (!done) return fail(StatusCode::ClientError, done.error(), 405);
  return *done;
}

} // namespace gridlane::ocpi
