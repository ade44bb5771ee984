// The JSON of the credentials exchange and of HubClientInfo, checked against the field tables of
// credentials.asciidoc, version_information_endpoint.asciidoc and mod_hub_client_info.asciidoc.
#include "gridlane/ocpi/credentials_codec.hpp"

#include <boost/json.hpp>

#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

//! A required string member of at most `max` printable ASCII characters (and at least `min`).
Parsed<std::string> text(const json::object &o, std::string_view key, const std::string &field, std::size_t max,
                         std::size_t min = 1) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return FieldError{field, "'" + field + "' is required"};
  if (!v->is_string()) return FieldError{field, "'" + field + "' must be a string"};
  std::string_view s = v->get_string();
  if (s.size() < min || s.size() > max)
    return FieldError{field,
                      "'" + field + "' must be " + std::to_string(min) + " to " + std::to_string(max) + " characters"};
  if (!printable_ascii(s)) return FieldError{field, "'" + field + "' must be printable ASCII"};
  return std::string(s);
}

//! An OCPI URL (types.asciidoc: string(255)) that is http(s).
Parsed<std::string> url(const json::object &o, std::string_view key, const std::string &field) {
  auto u = text(o, key, field, 255);
  if (auto *e = std::get_if<FieldError>(&u)) return *e;
  const auto &s = std::get<std::string>(u);
  if (s.rfind("https://", 0) != 0 && s.rfind("http://", 0) != 0)
    return FieldError{field, "'" + field + "' must be an http(s) URL"};
  return s;
}

bool upper_alnum(std::string_view s) {
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

//! country_code CiString(2) and party_id CiString(3), stored upper case.
Parsed<PartyId> party(const json::object &o, const std::string &prefix) {
  auto cc = text(o, "country_code", prefix + "country_code", 2, 2);
  if (auto *e = std::get_if<FieldError>(&cc)) return *e;
  auto pid = text(o, "party_id", prefix + "party_id", 3, 3);
  if (auto *e = std::get_if<FieldError>(&pid)) return *e;
  PartyId p{std::get<std::string>(cc), std::get<std::string>(pid)};
  for (auto *s : {&p.country_code, &p.party_id})
    for (auto &c : *s)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (!upper_alnum(p.country_code)) return FieldError{prefix + "country_code", "must be two letters"};
  if (!upper_alnum(p.party_id)) return FieldError{prefix + "party_id", "must be three letters or digits"};
  return p;
}

Parsed<PartnerRole> credentials_role(const json::value &v, const std::string &prefix) {
  if (!v.is_object()) return FieldError{prefix, "'" + prefix + "' must be a CredentialsRole object"};
  const auto &o = v.get_object();
  PartnerRole r;
  const auto *role = o.if_contains("role");
  auto parsed_role = role && role->is_string() ? role_from_name(role->get_string()) : std::nullopt;
  if (!parsed_role) return FieldError{prefix + "role", "'" + prefix + "role' must be a Role (CPO, EMSP, HUB, ...)"};
  r.role = *parsed_role;
  auto p = party(o, prefix);
  if (auto *e = std::get_if<FieldError>(&p)) return *e;
  r.party = std::get<PartyId>(p);
  const auto *bd = o.if_contains("business_details");
  if (!bd || !bd->is_object())
    return FieldError{prefix + "business_details", "'" + prefix + "business_details' must be a BusinessDetails object"};
  auto name = text(bd->get_object(), "name", prefix + "business_details.name", 100);
  if (auto *e = std::get_if<FieldError>(&name)) return *e;
  r.business_name = std::get<std::string>(name);
  if (const auto *w = bd->get_object().if_contains("website"); w && !w->is_null()) {
    auto site = url(bd->get_object(), "website", prefix + "business_details.website");
    if (auto *e = std::get_if<FieldError>(&site)) return *e;
  }
  if (const auto *logo = bd->get_object().if_contains("logo"); logo && !logo->is_null() && !logo->is_object())
    return FieldError{prefix + "business_details.logo", "'" + prefix + "business_details.logo' must be an Image"};
  return r;
}

} // namespace

Parsed<Credentials> parse_credentials(const json::value &v) {
  if (!v.is_object()) return FieldError{"", "the body must be a Credentials object"};
  const auto &o = v.get_object();
  Credentials c;
  auto token = text(o, "token", "token", 64);
  if (auto *e = std::get_if<FieldError>(&token)) return *e;
  c.token = std::get<std::string>(token);
  auto u = url(o, "url", "url");
  if (auto *e = std::get_if<FieldError>(&u)) return *e;
  c.url = std::get<std::string>(u);
  const auto *roles = o.if_contains("roles");
  if (!roles || !roles->is_array() || roles->get_array().empty())
    return FieldError{"roles", "'roles' must be a list of at least one CredentialsRole"};
  for (std::size_t i = 0; i < roles->get_array().size(); ++i) {
    auto r = credentials_role(roles->get_array()[i], "roles[" + std::to_string(i) + "].");
    if (auto *e = std::get_if<FieldError>(&r)) return *e;
    auto &role = std::get<PartnerRole>(r);
    for (const auto &seen : c.roles)
      if (seen.role == role.role && seen.party == role.party)
        return FieldError{"roles[" + std::to_string(i) + "]", "every role needs a unique role, party_id, country_code"};
    c.roles.push_back(std::move(role));
  }
  return c;
}

json::object credentials_json(const Credentials &c) {
  json::array roles;
  for (const auto &r : c.roles)
    roles.push_back(json::object{{"role", role_name(r.role)},
                                 {"business_details", json::object{{"name", r.business_name}}},
                                 {"party_id", r.party.party_id},
                                 {"country_code", r.party.country_code}});
  return json::object{{"token", c.token}, {"url", c.url}, {"roles", std::move(roles)}};
}

Parsed<std::vector<VersionRef>> parse_versions(const json::value &data) {
  if (!data.is_array()) return FieldError{"data", "the versions list must be an array of Version"};
  std::vector<VersionRef> out;
  for (std::size_t i = 0; i < data.get_array().size(); ++i) {
    const auto &v = data.get_array()[i];
    auto prefix = "data[" + std::to_string(i) + "].";
    if (!v.is_object()) return FieldError{"data[" + std::to_string(i) + "]", "a Version must be an object"};
    auto number = text(v.get_object(), "version", prefix + "version", 10);
    if (auto *e = std::get_if<FieldError>(&number)) return *e;
    auto u = url(v.get_object(), "url", prefix + "url");
    if (auto *e = std::get_if<FieldError>(&u)) return *e;
    out.push_back(VersionRef{std::get<std::string>(number), std::get<std::string>(u)});
  }
  return out;
}

Parsed<std::vector<PartnerEndpoint>> parse_version_details(const json::value &data, std::string_view version) {
  if (!data.is_object()) return FieldError{"data", "the version details must be an object"};
  const auto &o = data.get_object();
  const auto *number = o.if_contains("version");
  if (!number || !number->is_string() || number->get_string() != version)
    return FieldError{"data.version", "the version details are not those of " + std::string(version)};
  const auto *endpoints = o.if_contains("endpoints");
  if (!endpoints || !endpoints->is_array()) return FieldError{"data.endpoints", "'endpoints' must be a list"};
  std::vector<PartnerEndpoint> out;
  for (std::size_t i = 0; i < endpoints->get_array().size(); ++i) {
    const auto &e = endpoints->get_array()[i];
    auto prefix = "data.endpoints[" + std::to_string(i) + "].";
    if (!e.is_object()) return FieldError{prefix, "an Endpoint must be an object"};
    const auto &eo = e.get_object();
    auto id = text(eo, "identifier", prefix + "identifier", 255);
    if (auto *err = std::get_if<FieldError>(&id)) return *err;
    const auto *role = eo.if_contains("role");
    auto r = role && role->is_string() ? interface_role_from_name(role->get_string()) : std::nullopt;
    if (!r) return FieldError{prefix + "role", "must be SENDER or RECEIVER"};
    auto u = url(eo, "url", prefix + "url");
    if (auto *err = std::get_if<FieldError>(&u)) return *err;
    auto m = module_from_name(std::get<std::string>(id));
    if (!m) continue; // a module Gridlane does not know (custom modules are allowed)
    out.push_back(PartnerEndpoint{*m, *r, std::get<std::string>(u)});
  }
  return out;
}

Parsed<json::value> envelope_data(const InboundAnswer &answer) {
  if (answer.http_status < 200 || answer.http_status > 299)
    return FieldError{"", "it answered HTTP " + std::to_string(answer.http_status)};
  boost::system::error_code ec;
  auto v = json::parse(answer.body, ec);
  if (ec || !v.is_object()) return FieldError{"", "its answer is not an OCPI response"};
  const auto &o = v.get_object();
  const auto *code = o.if_contains("status_code");
  if (!code || !code->is_int64()) return FieldError{"status_code", "its answer has no status_code"};
  if (code->get_int64() < 1000 || code->get_int64() > 1999) {
    std::string message = "it answered status_code " + std::to_string(code->get_int64());
    if (const auto *m = o.if_contains("status_message"); m && m->is_string())
      message += " (" + std::string(m->get_string()) + ")";
    return FieldError{"status_code", message};
  }
  const auto *data = o.if_contains("data");
  return data ? *data : json::value(nullptr);
}

namespace {
constexpr std::pair<HubConnectionStatus, std::string_view> connection_names[] = {
    {HubConnectionStatus::Connected, "CONNECTED"},
    {HubConnectionStatus::Offline, "OFFLINE"},
    {HubConnectionStatus::Planned, "PLANNED"},
    {HubConnectionStatus::Suspended, "SUSPENDED"},
};
} // namespace

std::string_view connection_status_name(HubConnectionStatus s) {
  for (const auto &[v, name] : connection_names)
    if (v == s) return name;
  return "OFFLINE";
}

Parsed<HubClientInfo> parse_client_info(const json::value &v) {
  if (!v.is_object()) return FieldError{"", "the body must be a ClientInfo object"};
  const auto &o = v.get_object();
  HubClientInfo info;
  auto p = party(o, "");
  if (auto *e = std::get_if<FieldError>(&p)) return *e;
  info.party = std::get<PartyId>(p);
  const auto *role = o.if_contains("role");
  auto r = role && role->is_string() ? role_from_name(role->get_string()) : std::nullopt;
  if (!r) return FieldError{"role", "'role' must be a Role (CPO, EMSP, HUB, ...)"};
  info.role = *r;
  const auto *status = o.if_contains("status");
  std::optional<HubConnectionStatus> s;
  if (status && status->is_string())
    for (const auto &[value, name] : connection_names)
      if (status->get_string() == name) s = value;
  if (!s) return FieldError{"status", "'status' must be CONNECTED, OFFLINE, PLANNED or SUSPENDED"};
  info.status = *s;
  const auto *updated = o.if_contains("last_updated");
  auto at = updated && updated->is_string() ? parse_datetime(updated->get_string()) : std::nullopt;
  if (!at) return FieldError{"last_updated", "'last_updated' must be a DateTime"};
  info.last_updated = *at;
  return info;
}

json::object client_info_json(const HubClientInfo &info) {
  return json::object{{"party_id", info.party.party_id},
                      {"country_code", info.party.country_code},
                      {"role", role_name(info.role)},
                      {"status", connection_status_name(info.status)},
                      {"last_updated", format_datetime(info.last_updated)}};
}

} // namespace gridlane::ocpi
