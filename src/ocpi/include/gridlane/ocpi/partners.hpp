#pragma once
//! Roaming partners and their credentials (credentials.asciidoc), shared by the operator API,
//! `gridlane admin ocpi` and the Credentials module: a partner is created Planned with a token A
//! of Gridlane's; the handshake runs either way (the partner POSTs its credentials to Gridlane
//! with token A, or Gridlane registers at the partner with the token A the partner gave);
//! tokens are rotated with PUT and a registration ended with DELETE.
//!
//! The calls that reach a partner block: make them only off the network and store threads
//! (the roaming worker pool, or the admin CLI's own thread). They wait for their units of work
//! on the store, so never call them from a unit of work.
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/roaming.hpp"
#include "gridlane/ocpi/client.hpp"
#include "gridlane/ocpi/credentials_codec.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {

struct PartnerDraft {
  std::string name;
  domain::TokenEncoding encoding = domain::TokenEncoding::Base64;
  std::vector<domain::OcpiModule> modules; //!< empty: every module
};

struct PartnerChanges {
  std::optional<std::string> name;
  std::optional<domain::TokenEncoding> encoding;
  std::optional<std::vector<domain::OcpiModule>> modules;
};

//! A partner just created, with the token A it registers with (shown this once).
struct CreatedPartner {
  domain::Partner partner;
  std::string token;
  std::string versions_url; //!< Gridlane's, to give the partner with the token
};

//! A failed exchange: the OCPI status code to answer a partner (Credentials module) and the
//! error the operator sees (API, CLI).
struct Failure {
  StatusCode code = StatusCode::ServerError;
  domain::ServiceError error;
  int http_status = 200; //!< for the OCPI answer
};
template <class T> using Exchange = std::variant<T, Failure>;

class PartnerService {
public:
  //! `client` makes the calls to partners; `our_versions_url` gives Gridlane's versions endpoint
  //! (asked at each use: it may be known only once the server listens).
  PartnerService(domain::StoreExecutor &store, const core::Clock &clock, Client &client, core::OcpiConfig config,
                 std::function<std::string()> our_versions_url);

  // ---- Units of work (run them with run_unit / Store::run; they do not call partners) ----

  //! A Planned partner with a fresh token A (returned once).
  domain::Result<CreatedPartner> create(domain::Repository &r, const PartnerDraft &draft) const;
  domain::Result<domain::Partner> change(domain::Repository &r, std::int64_t id, const PartnerChanges &c) const;
  //! Registered -> Suspended (its calls refused, nothing pushed); Suspended -> Registered.
  domain::Result<domain::Partner> suspend(domain::Repository &r, std::int64_t id) const;
  domain::Result<domain::Partner> resume(domain::Repository &r, std::int64_t id) const;
  static domain::Result<domain::Partner> find(domain::Repository &r, std::int64_t id);

  // ---- Exchanges with the partner (blocking; see the file comment) ----

  //! Gridlane registers at the partner: GET its versions with `token_a`, choose 2.2.1, GET the
  //! details, POST Gridlane's credentials with a new token of Gridlane's, store the partner's.
  domain::Result<domain::Partner> register_at(std::int64_t id, const std::string &versions_url,
                                              const std::string &token_a);
  //! PUT Gridlane's credentials with a new token; the partner's answer carries its new token.
  domain::Result<domain::Partner> rotate(std::int64_t id);
  //! DELETE at the partner's credentials endpoint (best effort when it is unreachable: the
  //! registration ends here anyway), then Unregistered, its token refused.
  domain::Result<domain::Partner> unregister(std::int64_t id);

  // ---- The Credentials module, server side (blocking) ----

  //! POST (register == true) or PUT from a partner: fetch its versions and details with its
  //! token, store them, answer Gridlane's credentials with a new token for it.
  Exchange<Credentials> accept_credentials(std::int64_t partner_id, const Credentials &theirs, bool registration);
  //! DELETE from a partner: Unregistered, its token refused.
  Exchange<domain::Partner> accept_unregistration(std::int64_t partner_id);
  //! GET: Gridlane's credentials with the token the partner presented (checked by hash).
  Credentials our_credentials(std::string token) const;
  //! Which form of the presented token (raw or decoded) is the partner's, if either (blocking).
  std::optional<std::string> presented_token(std::int64_t partner_id, const PresentedToken &presented);

  const core::OcpiConfig &config() const { return config_; }
  std::string our_versions_url() const { return versions_url_(); }

private:
  struct Fetched {
    std::string version;
    std::vector<domain::PartnerEndpoint> endpoints;
  };
  //! GET versions, choose 2.2.1, GET the details: the endpoints, or the failure (3001/3002/3003).
  Exchange<Fetched> fetch_endpoints(const std::string &versions_url, const std::string &token,
                                    domain::TokenEncoding encoding);
  //! A call to the partner's versions or credentials (configuration modules: no routing headers).
  domain::Result<InboundAnswer> call(bool get, domain::PushMethod method, const std::string &url,
                                     const std::string &body, const std::string &token, domain::TokenEncoding encoding);
  //! Runs `fn` as a unit of work and waits for its commit (never on the store's thread).
  template <class T> T in_store(std::function<T(domain::Repository &)> fn);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  Client &client_;
  core::OcpiConfig config_;
  std::function<std::string()> versions_url_;
};

} // namespace gridlane::ocpi
