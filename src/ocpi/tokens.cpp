// The Tokens module's Receiver (mod_tokens.asciidoc "Receiver Interface"): eMSPs push their
// tokens; Gridlane keeps them as RoamingTokens of the calling partner.
#include "gridlane/ocpi/tokens.hpp"

#include <boost/json/parse.hpp>

#include "gridlane/ocpi/token_codec.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::ocpi {
using domain::OcpiTokenType;
using domain::PartyId;
using domain::Repository;
using domain::RoamingToken;
namespace json = boost::json;

namespace {

//! The object a call addresses: {country_code}/{party_id}/{token_uid}[?type=].
struct Address {
  PartyId party;
  std::string uid;
  OcpiTokenType type = OcpiTokenType::Rfid; //!< "Default if omitted: RFID"
  bool type_given = false;
};

Response invalid(const Call &c, std::string message) {
  return failure(StatusCode::InvalidParameters, std::move(message), c.now, 400);
}

bool ascii_alnum(std::string_view s, bool digits) {
  for (char ch : s) {
    const bool letter = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
    if (!letter && !(digits && ch >= '0' && ch <= '9')) return false;
  }
  return true;
}

//! The address, or the answer refusing it.
std::variant<Address, Response> address_of(const Call &c) {
  auto segments = c.segments;
  while (!segments.empty() && segments.back().empty())
    segments.pop_back(); // a trailing '/'
  if (segments.size() != 3)
    return failure(StatusCode::ClientError, "expected /{country_code}/{party_id}/{token_uid}", c.now, 404);
  Address a;
  a.party = {segments[0], segments[1]};
  a.uid = segments[2];
  if (a.party.country_code.size() != 2 || !ascii_alnum(a.party.country_code, false))
    return invalid(c, "country_code in the URL must be an ISO 3166-1 alpha-2 code");
  if (a.party.party_id.size() != 3 || !ascii_alnum(a.party.party_id, true))
    return invalid(c, "party_id in the URL must be 3 letters or digits");
  bool printable = !a.uid.empty() && a.uid.size() <= 36;
  for (unsigned char ch : a.uid)
    printable = printable && ch >= 0x20 && ch <= 0x7e;
  if (!printable) return invalid(c, "token_uid in the URL must be 1 to 36 printable ASCII characters");
  if (auto it = c.request.query.find("type"); it != c.request.query.end()) {
    auto t = token_type_from_name(it->second);
    if (!t) return invalid(c, "type must be one of AD_HOC_USER, APP_USER, OTHER, RFID");
    a.type = *t;
    a.type_given = true;
  }
  // transport_and_format "Client Owned Object Push, Errors": a party the caller does not play
  // may be answered 404. A hub pushes for the parties behind it.
  bool theirs = c.partner.plays(domain::OcpiRole::Hub);
  for (const auto &r : c.partner.roles)
    theirs = theirs ||
             (ci_equal(r.party.country_code, a.party.country_code) && ci_equal(r.party.party_id, a.party.party_id));
  if (!theirs)
    return failure(StatusCode::InvalidParameters,
                   "party " + a.party.country_code + "/" + a.party.party_id + " is not one of the caller's roles",
                   c.now, 404);
  return a;
}

Response unknown_token(const Call &c, const Address &a) {
  return failure(StatusCode::UnknownToken,
                 "no token " + a.uid + " of type " + std::string(token_type_name(a.type)) + " from " +
                     a.party.country_code + "/" + a.party.party_id,
                 c.now, 404);
}

std::optional<json::value> body_of(const Call &c) {
  boost::system::error_code ec;
  auto v = json::parse(c.request.body, ec);
  if (ec) return std::nullopt;
  return v;
}

void get(domain::StoreExecutor &store, const std::shared_ptr<Call> &c, const Address &a, const Reply &reply) {
  services::run_unit<Response>(
      store,
      [c, a](Repository &r) {
        auto t = r.roaming_token(a.party, a.uid, a.type);
        return t ? success(token_to_json(*t), c->now) : unknown_token(*c, a);
      },
      [c, reply](services::Outcome<Response> o) {
        reply(o.ok() ? std::move(o.value())
                     : failure(StatusCode::ServerError, "the token could not be read", c->now, 500));
      });
}

void put(domain::StoreExecutor &store, const std::shared_ptr<Call> &c, const Address &a, const Reply &reply) {
  auto body = body_of(*c);
  if (!body) return reply(invalid(*c, "the body is not JSON"));
  auto token = token_from_json(*body);
  if (!token) return reply(invalid(*c, token.error().message));
  // mod_tokens PUT: the URL's country_code and party_id "SHALL be the same value" as the
  // object's; transport_and_format: a different object id is answered 2001.
  if (!ci_equal(token->party.country_code, a.party.country_code))
    return reply(invalid(*c, "country_code differs from the URL's"));
  if (!ci_equal(token->party.party_id, a.party.party_id)) return reply(invalid(*c, "party_id differs from the URL's"));
  if (!ci_equal(token->uid, a.uid)) return reply(invalid(*c, "uid differs from the URL's token_uid"));
  if (a.type_given && token->type != a.type) return reply(invalid(*c, "type differs from the URL's type"));
  token->partner_id = c->partner.id;
  services::run_unit<Response>(
      store,
      [c, t = *token](Repository &r) {
        auto current = r.roaming_token(t.party, t.uid, t.type);
        // A token another partner stored is theirs: not taken over.
        if (current && current->partner_id != t.partner_id)
          return invalid(*c, "uid " + t.uid + " is stored for another partner");
        const bool existed = current.has_value();
        r.upsert_roaming_token(t);
        // status_codes: 200 when the object existed and was updated, 201 when it is new.
        return success(json::value(nullptr), c->now, existed ? 200 : 201);
      },
      [c, reply](services::Outcome<Response> o) {
        reply(o.ok() ? std::move(o.value())
                     : failure(StatusCode::ServerError, "the token could not be stored", c->now, 500));
      });
}

void patch(domain::StoreExecutor &store, const std::shared_ptr<Call> &c, const Address &a, const Reply &reply) {
  auto body = body_of(*c);
  if (!body) return reply(invalid(*c, "the body is not JSON"));
  services::run_unit<Response>(
      store,
      [c, a, body = std::move(*body)](Repository &r) {
        auto current = r.roaming_token(a.party, a.uid, a.type);
        if (!current) return unknown_token(*c, a); // transport_and_format PATCH: the client then PUTs it
        if (current->partner_id != c->partner.id) return invalid(*c, "uid " + a.uid + " is stored for another partner");
        auto patched = patch_token(std::move(*current), body);
        if (!patched) return invalid(*c, patched.error().message);
        patched->partner_id = c->partner.id;
        r.upsert_roaming_token(*patched);
        return success(json::value(nullptr), c->now);
      },
      [c, reply](services::Outcome<Response> o) {
        reply(o.ok() ? std::move(o.value())
                     : failure(StatusCode::ServerError, "the token could not be stored", c->now, 500));
      });
}

} // namespace

ModuleHandler tokens_receiver(domain::StoreExecutor &store) {
  return [&store](const std::shared_ptr<Call> &c, const Reply &reply) {
    const auto &method = c->request.method;
    if (method != "GET" && method != "PUT" && method != "PATCH") {
      // mod_tokens Receiver: POST and DELETE are "n/a" (tokens cannot be removed; use PUT).
      auto r = failure(StatusCode::ClientError, method + " is not a method of the Tokens Receiver", c->now, 405);
      r.headers.emplace_back("Allow", "GET, PUT, PATCH");
      return reply(std::move(r));
    }
    auto addressed = address_of(*c);
    if (auto *refusal = std::get_if<Response>(&addressed)) return reply(std::move(*refusal));
    auto a = std::get<Address>(std::move(addressed));
    if (method == "GET") return get(store, c, a, reply);
    if (method == "PUT") return put(store, c, a, reply);
    patch(store, c, a, reply);
  };
}

} // namespace gridlane::ocpi
