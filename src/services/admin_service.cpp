// The rules of administration, one place for the API and the admin CLI (admin_service.hpp).
#include "gridlane/services/admin_service.hpp"

#include "gridlane/core/password.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {
using L = AdminLimits;

bool length_within(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max;
}
} // namespace

// ---- stations ------------------------------------------------------------------------------

Result<StationId> AdminService::check_station_id(std::string_view id) const {
  auto parsed = StationId::parse(id);
  if (!parsed)
    return ServiceError::invalid("id must be 1 to 48 characters: letters, digits, space and * - _ = + | @ .", "id");
  return *parsed;
}

Result<std::string> AdminService::check_station_password(std::string_view password) const {
  if (!length_within(password, L::station_password_min, L::station_password_max))
    return ServiceError::invalid("password must be 16 to 40 characters", "password");
  return std::string(password);
}

Result<std::string> AdminService::check_site(std::string_view site) const {
  if (!length_within(site, 1, L::site_max)) return ServiceError::invalid("site must be 1 to 64 characters", "site");
  return std::string(site);
}

Result<StationDraft> AdminService::check_station(const NewStation &in) const {
  auto id = check_station_id(in.id);
  if (!id) return id.error();
  StationDraft d;
  d.station.id = *id;
  d.station.registration = in.pending ? RegistrationStatus::Pending : RegistrationStatus::Accepted;
  d.station.created_at = clock_.now();
  // An empty password or site is none (as both the API and the CLI have always read it).
  if (in.password && !in.password->empty()) {
    auto p = check_station_password(*in.password);
    if (!p) return p.error();
    d.password = std::move(*p);
  }
  if (in.site && !in.site->empty()) {
    auto s = check_site(*in.site);
    if (!s) return s.error();
    d.station.site = std::move(*s);
  }
  return d;
}

void AdminService::seal(StationDraft &d) {
  if (d.password) d.station.password_hash = core::hash_password(*d.password);
  d.password.reset();
}

Result<Station> AdminService::create_station(Repository &r, const StationDraft &d) const {
  if (d.password) return ServiceError::internal("station password not hashed"); // a caller skipped seal()
  if (r.station(d.station.id)) return ServiceError::conflict("station " + d.station.id.str() + " already exists");
  r.insert_station(d.station);
  auto stored = r.station(d.station.id);
  if (!stored) return ServiceError::internal("station " + d.station.id.str() + " not stored");
  return *stored;
}

Result<Station> AdminService::accept_station(Repository &r, const StationId &id) const {
  if (!r.station(id)) return ServiceError::not_found("no such station");
  r.set_registration(id, RegistrationStatus::Accepted);
  return *r.station(id);
}

// ---- id tokens -----------------------------------------------------------------------------

Result<IdToken> AdminService::check_token(const TokenInput &in) const {
  if (!length_within(in.id_tag, 1, L::id_tag_max))
    return ServiceError::invalid("id tag must be 1 to 36 characters", "id_tag");
  IdToken t;
  t.id = in.id_tag;
  if (in.status) {
    auto s = parse_token_status(*in.status);
    // ConcurrentTx and Unknown are answers to a station, not states a token is kept in.
    if (!s || *s == TokenStatus::ConcurrentTx || *s == TokenStatus::Unknown)
      return ServiceError::invalid("status must be Accepted, Blocked, Expired or Invalid", "status");
    t.status = *s;
  }
  if (in.expires_at) {
    t.expires_at = core::parse_iso8601(*in.expires_at);
    if (!t.expires_at)
      return ServiceError::invalid("expires_at must be an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z", "expires_at");
  }
  if (in.parent_id) {
    if (!length_within(*in.parent_id, 1, L::id_tag_max))
      return ServiceError::invalid("parent_id_tag must be 1 to 36 characters", "parent_id_tag");
    t.parent_id = *in.parent_id;
  }
  return t;
}

Result<IdToken> AdminService::put_token(Repository &r, const IdToken &t) const {
  r.upsert_id_token(t);
  return t;
}

Result<std::size_t> AdminService::import_tokens(Repository &r, const std::vector<IdToken> &tokens) const {
  for (const auto &t : tokens)
    r.upsert_id_token(t);
  return tokens.size();
}

// ---- users and API keys --------------------------------------------------------------------

Result<Role> AdminService::check_role(std::string_view role) const {
  auto r = parse_role(role);
  if (!r) return ServiceError::invalid("role must be admin, operator or viewer", "role");
  return *r;
}

Result<UserDraft> AdminService::check_user(const NewUser &in) const {
  if (!length_within(in.username, 1, L::username_max))
    return ServiceError::invalid("username must be 1 to 64 characters", "username");
  if (in.password.size() < L::user_password_min)
    return ServiceError::invalid("password must be at least 12 characters", "password");
  auto role = check_role(in.role);
  if (!role) return role.error();
  UserDraft d;
  d.user.username = in.username;
  d.user.role = *role;
  d.user.created_at = clock_.now();
  d.password = in.password;
  return d;
}

void AdminService::seal(UserDraft &d) {
  if (d.password) d.user.password_hash = core::hash_password(*d.password);
  d.password.reset();
}

Result<User> AdminService::create_user(Repository &r, const UserDraft &d) const {
  if (d.password) return ServiceError::internal("user password not hashed"); // a caller skipped seal()
  if (r.user_by_name(d.user.username)) return ServiceError::conflict("user " + d.user.username + " already exists");
  User u = d.user;
  u.id = r.insert_user(u);
  return u;
}

Result<User> AdminService::update_user(Repository &r, std::int64_t id, const UserChange &change,
                                       std::string_view by) const {
  std::optional<Role> role;
  if (change.role) {
    auto checked = check_role(*change.role);
    if (!checked) return checked.error();
    role = *checked;
  }
  auto u = r.user_by_id(id);
  if (!u) return ServiceError::not_found("no such user");
  const Role next_role = role.value_or(u->role);
  const bool next_disabled = change.disabled.value_or(u->disabled);
  const bool loses_admin = u->role == Role::Admin && !u->disabled && (next_role != Role::Admin || next_disabled);
  if (loses_admin && by == "user:" + u->username)
    return ServiceError::conflict("you cannot disable yourself or take away your own admin role");
  if (loses_admin && r.count_active_admins() <= 1)
    return ServiceError::conflict("user " + u->username + " is the last enabled admin");
  if (!r.update_user(id, next_role, next_disabled)) return ServiceError::not_found("no such user");
  u->role = next_role;
  u->disabled = next_disabled;
  return *u;
}

Result<CreatedApiKey> AdminService::check_api_key(const NewApiKey &in) const {
  if (!length_within(in.name, 1, L::api_key_name_max))
    return ServiceError::invalid("name must be 1 to 64 characters", "name");
  auto role = check_role(in.role);
  if (!role) return role.error();
  CreatedApiKey k;
  k.key.name = in.name;
  k.key.role = *role;
  k.key.created_by = in.created_by;
  k.key.created_at = clock_.now();
  k.secret = core::random_token("glk");
  k.key.key_hash = core::token_hash(k.secret);
  return k;
}

Result<CreatedApiKey> AdminService::create_api_key(Repository &r, CreatedApiKey k) const {
  k.key.id = r.insert_api_key(k.key);
  return k;
}

} // namespace gridlane::services
