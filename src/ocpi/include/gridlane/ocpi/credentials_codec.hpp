#pragma once
//! The JSON of the credentials exchange (credentials.asciidoc, version_information_endpoint.asciidoc):
//! the Credentials object both ways, and the versions list and version details Gridlane reads
//! from a partner. Every inbound object is checked against its field table; a refusal names
//! the field.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gridlane/domain/roaming.hpp"
#include "gridlane/domain/store/partners.hpp"
#include "gridlane/ocpi/client.hpp"

namespace gridlane::ocpi {

//! The Credentials object: the token for the other party, a versions URL, the roles.
struct Credentials {
  std::string token;
  std::string url;
  std::vector<domain::PartnerRole> roles;
};

//! Why an inbound object was refused: the field ("roles[0].party_id") and what is wrong.
struct FieldError {
  std::string field;
  std::string message;
};

template <class T> using Parsed = std::variant<T, FieldError>;

Parsed<Credentials> parse_credentials(const boost::json::value &v);
boost::json::object credentials_json(const Credentials &c);

//! One entry of a partner's versions list.
struct VersionRef {
  std::string version;
  std::string url;
};
Parsed<std::vector<VersionRef>> parse_versions(const boost::json::value &data);

//! A version's details: its endpoints of the modules Gridlane knows (others are skipped).
Parsed<std::vector<domain::PartnerEndpoint>> parse_version_details(const boost::json::value &data,
                                                                   std::string_view version);

//! The `data` of an answer's envelope when it is a success (status_code 1xxx), or why not.
Parsed<boost::json::value> envelope_data(const InboundAnswer &answer);

//! ClientInfo (mod_hub_client_info.asciidoc) both ways; `partner_id` is left 0 by the parser.
Parsed<domain::HubClientInfo> parse_client_info(const boost::json::value &v);
boost::json::object client_info_json(const domain::HubClientInfo &info);
std::string_view connection_status_name(domain::HubConnectionStatus s);

} // namespace gridlane::ocpi
