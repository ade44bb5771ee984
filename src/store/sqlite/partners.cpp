// Roaming partners (migration 0021): the partner rows with their roles, modules and endpoints
// as JSON arrays (this row codec is the only reader and writer of those columns), the hash of
// the token each calls Gridlane with, and what hubs said of the parties they connect.
#include <array>
#include <boost/json.hpp>
#include <utility>

#include "gridlane/domain/roaming_names.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;
namespace json = boost::json;

namespace {

// The column texts: OCPI's own spellings, so a row reads like the exchange it came from.
constexpr std::array<std::pair<PartnerStatus, std::string_view>, 4> statuses{{
    {PartnerStatus::Planned, "PLANNED"},
    {PartnerStatus::Registered, "REGISTERED"},
    {PartnerStatus::Suspended, "SUSPENDED"},
    {PartnerStatus::Unregistered, "UNREGISTERED"},
}};
constexpr std::array<std::pair<TokenEncoding, std::string_view>, 2> encodings{{
    {TokenEncoding::Base64, "BASE64"},
    {TokenEncoding::Raw, "RAW"},
}};
constexpr std::array<std::pair<HubConnectionStatus, std::string_view>, 4> connection_statuses{{
    {HubConnectionStatus::Connected, "CONNECTED"},
    {HubConnectionStatus::Offline, "OFFLINE"},
    {HubConnectionStatus::Planned, "PLANNED"},
    {HubConnectionStatus::Suspended, "SUSPENDED"},
}};

constexpr const auto &roles = domain::ocpi_roles;
constexpr const auto &modules = domain::ocpi_modules;
constexpr const auto &interface_roles = domain::ocpi_interface_roles;
template <class E, std::size_t N> std::string_view text_of(const domain::NameTable<E, N> &t, E v) {
  auto name = domain::name_of(t, v);
  return name.empty() ? t[0].second : name;
}
using domain::value_of;

std::string str(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string{};
}

std::string roles_text(const std::vector<PartnerRole> &rs) {
  json::array a;
  for (const auto &r : rs)
    a.push_back(json::object{{"role", text_of(roles, r.role)},
                             {"country_code", r.party.country_code},
                             {"party_id", r.party.party_id},
                             {"business_name", r.business_name}});
  return json::serialize(a);
}
std::string modules_text(const std::vector<OcpiModule> &ms) {
  json::array a;
  for (auto m : ms)
    a.push_back(json::string(text_of(modules, m)));
  return json::serialize(a);
}
std::string endpoints_text(const std::vector<PartnerEndpoint> &es) {
  json::array a;
  for (const auto &e : es)
    a.push_back(json::object{
        {"identifier", text_of(modules, e.module)}, {"role", text_of(interface_roles, e.role)}, {"url", e.url}});
  return json::serialize(a);
}

//! The array in a JSON column; a text Gridlane never wrote reads as empty.
json::array array_of(const std::string &text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return {};
  return std::move(v.get_array());
}

std::vector<PartnerRole> read_roles(const std::string &text) {
  std::vector<PartnerRole> out;
  for (const auto &v : array_of(text)) {
    if (!v.is_object()) continue;
    const auto &o = v.get_object();
    auto role = value_of(roles, str(o, "role"));
    if (!role) continue;
    out.push_back(PartnerRole{*role, PartyId{str(o, "country_code"), str(o, "party_id")}, str(o, "business_name")});
  }
  return out;
}
std::vector<OcpiModule> read_modules(const std::string &text) {
  std::vector<OcpiModule> out;
  for (const auto &v : array_of(text))
    if (auto m = v.is_string() ? value_of(modules, v.get_string()) : std::nullopt) out.push_back(*m);
  return out;
}
std::vector<PartnerEndpoint> read_endpoints(const std::string &text) {
  std::vector<PartnerEndpoint> out;
  for (const auto &v : array_of(text)) {
    if (!v.is_object()) continue;
    const auto &o = v.get_object();
    auto m = value_of(modules, str(o, "identifier"));
    auto r = value_of(interface_roles, str(o, "role"));
    if (m && r) out.push_back(PartnerEndpoint{*m, *r, str(o, "url")});
  }
  return out;
}

constexpr std::string_view partner_columns = "id, name, status, encoding, roles, modules, versions_url, version, "
                                             "endpoints, token_to_them, created_at, updated_at";
Partner read_partner(const Statement &s) {
  Partner p;
  p.id = s.int64(0);
  p.name = s.text(1);
  p.status = value_of(statuses, s.text(2)).value_or(PartnerStatus::Suspended);
  p.encoding = value_of(encodings, s.text(3)).value_or(TokenEncoding::Base64);
  p.roles = read_roles(s.text(4));
  p.modules = read_modules(s.text(5));
  p.versions_url = s.text(6);
  p.version = s.text(7);
  p.endpoints = read_endpoints(s.text(8));
  p.token_to_them = s.text(9);
  p.created_at = from_unix_ms(s.int64(10));
  p.updated_at = from_unix_ms(s.int64(11));
  return p;
}

std::optional<std::string_view> hash_or_null(std::string_view h) {
  return h.empty() ? std::nullopt : std::optional{h};
}

constexpr std::string_view info_columns = "partner_id, country_code, party_id, role, status, last_updated";
HubClientInfo read_info(const Statement &s) {
  return HubClientInfo{s.int64(0), PartyId{s.text(1), s.text(2)}, value_of(roles, s.text(3)).value_or(OcpiRole::Other),
                       value_of(connection_statuses, s.text(4)).value_or(HubConnectionStatus::Offline),
                       from_unix_ms(s.int64(5))};
}

} // namespace

std::int64_t SqliteRepository::insert_partner(const Partner &p, std::string_view token_hash) {
  auto s = db_.prepare("INSERT INTO ocpi_partners (name, status, encoding, roles, modules, versions_url, version, "
                       "endpoints, token_to_them, token_hash, created_at, updated_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  s.bind(1, p.name)
      .bind(2, text_of(statuses, p.status))
      .bind(3, text_of(encodings, p.encoding))
      .bind(4, roles_text(p.roles))
      .bind(5, modules_text(p.modules))
      .bind(6, p.versions_url)
      .bind(7, p.version)
      .bind(8, endpoints_text(p.endpoints))
      .bind(9, p.token_to_them)
      .bind(10, hash_or_null(token_hash))
      .bind(11, to_unix_ms(p.created_at))
      .bind(12, to_unix_ms(p.updated_at));
  s.run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_partner(const Partner &p) {
  auto s = db_.prepare("UPDATE ocpi_partners SET name = ?2, status = ?3, encoding = ?4, roles = ?5, modules = ?6, "
                       "versions_url = ?7, version = ?8, endpoints = ?9, token_to_them = ?10, updated_at = ?11 "
                       "WHERE id = ?1");
  s.bind(1, p.id)
      .bind(2, p.name)
      .bind(3, text_of(statuses, p.status))
      .bind(4, text_of(encodings, p.encoding))
      .bind(5, roles_text(p.roles))
      .bind(6, modules_text(p.modules))
      .bind(7, p.versions_url)
      .bind(8, p.version)
      .bind(9, endpoints_text(p.endpoints))
      .bind(10, p.token_to_them)
      .bind(11, to_unix_ms(p.updated_at));
  s.run();
}

void SqliteRepository::set_partner_token_hash(std::int64_t id, std::string_view token_hash) {
  auto s = db_.prepare("UPDATE ocpi_partners SET token_hash = ?2 WHERE id = ?1");
  s.bind(1, id).bind(2, hash_or_null(token_hash));
  s.run();
}

std::optional<Partner> SqliteRepository::partner(std::int64_t id) {
  static const std::string sql = select(partner_columns, "FROM ocpi_partners WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_partner(s);
}

std::optional<Partner> SqliteRepository::partner_by_token_hash(std::string_view token_hash) {
  if (token_hash.empty()) return std::nullopt;
  static const std::string sql = select(partner_columns, "FROM ocpi_partners WHERE token_hash = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, token_hash);
  if (!s.step()) return std::nullopt;
  return read_partner(s);
}

std::vector<Partner> SqliteRepository::partners() {
  static const std::string sql = select(partner_columns, "FROM ocpi_partners ORDER BY id");
  auto s = db_.prepare(sql);
  std::vector<Partner> out;
  while (s.step())
    out.push_back(read_partner(s));
  return out;
}

std::string SqliteRepository::partner_token_hash(std::int64_t id) {
  auto s = db_.prepare("SELECT token_hash FROM ocpi_partners WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return {};
  return s.text(0);
}

void SqliteRepository::upsert_hub_client_info(const HubClientInfo &info) {
  auto s = db_.prepare("INSERT INTO ocpi_hub_client_info (partner_id, country_code, party_id, role, status, "
                       "last_updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                       "ON CONFLICT (partner_id, country_code, party_id) DO UPDATE SET role = excluded.role, "
                       "status = excluded.status, last_updated = excluded.last_updated");
  s.bind(1, info.partner_id)
      .bind(2, info.party.country_code)
      .bind(3, info.party.party_id)
      .bind(4, text_of(roles, info.role))
      .bind(5, text_of(connection_statuses, info.status))
      .bind(6, to_unix_ms(info.last_updated));
  s.run();
}

std::optional<HubClientInfo> SqliteRepository::hub_client_info(std::int64_t partner_id, const PartyId &party) {
  static const std::string sql =
      select(info_columns, "FROM ocpi_hub_client_info WHERE partner_id = ?1 AND country_code = ?2 AND party_id = ?3");
  auto s = db_.prepare(sql);
  s.bind(1, partner_id).bind(2, party.country_code).bind(3, party.party_id);
  if (!s.step()) return std::nullopt;
  return read_info(s);
}

std::vector<HubClientInfo> SqliteRepository::hub_client_infos(std::int64_t partner_id) {
  static const std::string sql =
      select(info_columns, "FROM ocpi_hub_client_info WHERE partner_id = ?1 ORDER BY country_code, party_id");
  auto s = db_.prepare(sql);
  s.bind(1, partner_id);
  std::vector<HubClientInfo> out;
  while (s.step())
    out.push_back(read_info(s));
  return out;
}

} // namespace gridlane::store::sqlite
