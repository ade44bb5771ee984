#pragma once
//! OCPI 2.2.1 transport and format (transport_and_format.asciidoc, status_codes.asciidoc):
//! requests and responses independent of the HTTP server, the response envelope, the status
//! codes, the `Authorization: Token` encodings, the routing headers and pagination.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/roaming.hpp"

namespace gridlane::ocpi {

inline constexpr std::string_view version_221 = "2.2.1";

struct Request {
  std::string method; //!< "GET", "PUT", ...
  std::string path;   //!< percent-decoded, without the query ("/ocpi/2.2.1/locations/LOC1")
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers; //!< names in lower case ("x-request-id")
  std::string body;
  std::string remote; //!< the peer's address
  const std::string *header(std::string_view lower_name) const {
    auto it = headers.find(std::string(lower_name));
    return it == headers.end() ? nullptr : &it->second;
  }
};

struct Response {
  int status = 200; //!< the HTTP status
  std::string body; //!< the envelope (application/json), or empty
  std::vector<std::pair<std::string, std::string>> headers;
};

//! OCPI status codes (status_codes.asciidoc).
enum class StatusCode : int {
  Success = 1000,
  ClientError = 2000,
  InvalidParameters = 2001,
  NotEnoughInformation = 2002,
  UnknownLocation = 2003,
  UnknownToken = 2004,
  ServerError = 3000,
  UnableToUseClientApi = 3001,
  UnsupportedVersion = 3002,
  NoMatchingEndpoints = 3003,
  HubError = 4000,
  UnknownReceiver = 4001,
  ReceiverTimeout = 4002,
  ConnectionProblem = 4003,
};

//! The envelope {data, status_code 1000, status_message?, timestamp}.
Response success(boost::json::value data, core::Timestamp now, int http_status = 200);
//! The envelope without data, for an error: {status_code, status_message, timestamp}.
Response failure(StatusCode code, std::string message, core::Timestamp now, int http_status);

//! The credentials token in `Authorization: Token <x>`: 2.2.1 sends it Base64-encoded; some
//! peers send it raw. decode_token_header gives the token as sent and as decoded (when the text
//! is valid Base64 of printable text), so the caller can look up both.
struct PresentedToken {
  std::string raw;                    //!< the text after "Token "
  std::optional<std::string> decoded; //!< its Base64 decoding, when it is one
};
std::optional<PresentedToken> decode_token_header(std::string_view authorization);
//! "Token <encoded>" for a call to a partner that wants this encoding.
std::string token_header(std::string_view token, domain::TokenEncoding encoding);

//! OCPI-from-country-code / OCPI-from-party-id / OCPI-to-... (hub routing), when present.
struct Routing {
  std::optional<domain::PartyId> from;
  std::optional<domain::PartyId> to;
};

//! Reads the four routing headers (CiString: upper-cased): the Routing, or what is wrong (one
//! half of a pair missing, a country code not 2 letters, a party id not 3 letters or digits).
std::variant<Routing, std::string> parse_routing(const Request &req);

//! A new random UUID (version 4), for X-Request-ID / X-Correlation-ID.
std::string random_uuid();

//! The 405 answer to a method a module does not serve, with `Allow: <allow>` ("GET, PUT").
Response method_not_allowed(std::string_view allow, core::Timestamp now);

//! The paging of a GET list: offset, limit (capped at the server's maximum), date_from/date_to
//! on last_updated (RFC 3339, UTC).
struct Page {
  std::size_t offset = 0;
  std::size_t limit = 0;
  std::optional<core::Timestamp> date_from; //!< inclusive
  std::optional<core::Timestamp> date_to;   //!< exclusive
};

//! Reads offset/limit/date_from/date_to from the query: the Page, or the 2001 error to answer.
std::variant<Page, Response> parse_page(const Request &req, std::size_t max_limit, core::Timestamp now);

//! The answer to a list GET: the items in the envelope, `X-Total-Count`, `X-Limit` and, when
//! more follow, `Link: <url?offset=..&limit=..&date_from..>; rel="next"` built on `self_url`
//! (the public URL of the endpoint, without the query).
Response paged(boost::json::array items, std::size_t total, const Page &page, std::string_view self_url,
               core::Timestamp now);

//! OCPI enum names ("LOCATIONS" is not one: modules are lower case "locations" in endpoints).
std::string_view module_name(domain::OcpiModule m); //!< "locations", "hubclientinfo", ...
std::optional<domain::OcpiModule> module_from_name(std::string_view name);
std::string_view role_name(domain::OcpiRole r); //!< "CPO", "EMSP", ...
std::optional<domain::OcpiRole> role_from_name(std::string_view name);
std::string_view interface_role_name(domain::InterfaceRole r); //!< "SENDER", "RECEIVER"
std::optional<domain::InterfaceRole> interface_role_from_name(std::string_view name);

//! An OCPI DateTime: "2015-06-29T20:39:09Z" (UTC, seconds, optional fraction on input).
std::string format_datetime(core::Timestamp t);
std::optional<core::Timestamp> parse_datetime(std::string_view text);

} // namespace gridlane::ocpi
