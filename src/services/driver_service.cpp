// The driver portal's rules: driver logins, their tokens, and the public view of the network.
#include "gridlane/services/driver_service.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "gridlane/core/password.hpp"
#include "gridlane/services/tariff_assignment_service.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

bool printable(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

//! How busy a connector status makes an EVSE, for combining several: the busiest wins.
int weight(DriveEvseStatus s) {
  switch (s) {
  case DriveEvseStatus::Charging: return 7;
  case DriveEvseStatus::Occupied: return 6;
  case DriveEvseStatus::Faulted: return 5;
  case DriveEvseStatus::Unavailable: return 4;
  case DriveEvseStatus::Reserved: return 3;
  case DriveEvseStatus::Available: return 2;
  case DriveEvseStatus::Offline:
  case DriveEvseStatus::Unknown: return 0;
  }
  return 0;
}

DriveEvseStatus driver_status_of(ConnectorStatus s) {
  switch (s) {
  case ConnectorStatus::Available: return DriveEvseStatus::Available;
  case ConnectorStatus::Charging: return DriveEvseStatus::Charging;
  case ConnectorStatus::Preparing:
  case ConnectorStatus::SuspendedEVSE:
  case ConnectorStatus::SuspendedEV:
  case ConnectorStatus::Finishing:
  case ConnectorStatus::Occupied: return DriveEvseStatus::Occupied;
  case ConnectorStatus::Reserved: return DriveEvseStatus::Reserved;
  case ConnectorStatus::Unavailable: return DriveEvseStatus::Unavailable;
  case ConnectorStatus::Faulted: return DriveEvseStatus::Faulted;
  }
  return DriveEvseStatus::Unknown;
}

bool matches(const ChargerEvse &e, const ChargerFilter &f) {
  if (e.evse.status == EvseStatus::Removed) return false;
  if (f.available && e.status != DriveEvseStatus::Available) return false;
  if (f.connector && std::none_of(e.evse.connectors.begin(), e.evse.connectors.end(),
                                  [&](const Connector &c) { return c.standard == f.connector; }))
    return false;
  if (f.min_power_w && std::none_of(e.evse.connectors.begin(), e.evse.connectors.end(), [&](const Connector &c) {
        return c.max_electric_power && c.max_electric_power->count() >= *f.min_power_w;
      }))
    return false;
  return true;
}

} // namespace

// ---- rules that need nothing stored ------------------------------------------------------------

Result<std::string> DriverService::check_email(std::string_view email) {
  auto at = email.find('@');
  if (email.empty() || email.size() > DriverLimits::email_max || at == 0 || at == std::string_view::npos ||
      at + 1 == email.size() || email.find('@', at + 1) != std::string_view::npos || !printable(email) ||
      email.find(' ') != std::string_view::npos)
    return ServiceError::invalid("email must be an address like driver@example.com (at most 254 characters)", "email");
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<DriverDraft> DriverService::check_driver(const NewDriver &in) const {
  if (!valid_billing_id(in.account_id)) return ServiceError::not_found("no such account");
  auto email = check_email(in.email);
  if (!email) return email.error();
  if (in.password.size() < DriverLimits::password_min || in.password.size() > DriverLimits::password_max)
    return ServiceError::invalid("password must be 12 to 256 characters", "password");
  if (in.name && (in.name->empty() || in.name->size() > DriverLimits::name_max || !printable(*in.name)))
    return ServiceError::invalid("name must be 1 to 100 printable characters", "name");
  if (in.id_token.empty() || in.id_token.size() > 36 || !printable(in.id_token))
    return ServiceError::invalid("id_token must be an id token of the account (1 to 36 characters)", "id_token");
  DriverDraft d;
  d.login.email = std::move(*email);
  d.login.account_id = in.account_id;
  d.login.name = in.name;
  d.login.id_token = in.id_token;
  d.login.created_at = clock_.now();
  d.password = in.password;
  return d;
}

void DriverService::seal(DriverDraft &d) {
  if (!d.password) return;
  d.login.password_hash = core::hash_password(*d.password);
  d.password.reset();
}

// ---- units of work -----------------------------------------------------------------------------

Result<DriverLogin> DriverService::add_driver(Repository &r, const DriverDraft &d) const {
  auto account = r.account(d.login.account_id);
  if (!account) return ServiceError::not_found("no such account");
  const bool owned = std::any_of(account->tokens.begin(), account->tokens.end(),
                                 [&](const AccountToken &t) { return t.token_id == d.login.id_token; });
  if (!owned) return ServiceError::invalid("id_token must be an id token of the account", "id_token");
  if (!r.id_token(d.login.id_token)) return ServiceError::invalid("id_token is no known id token", "id_token");
  if (d.password || d.login.password_hash.empty()) return ServiceError::internal("driver login not sealed");
  if (!r.insert_driver_login(d.login)) return ServiceError::conflict("a driver login with this email exists");
  return d.login;
}

Result<void> DriverService::set_disabled(Repository &r, std::string_view email, bool disabled) const {
  auto key = check_email(email);
  if (!key || !r.set_driver_disabled(*key, disabled)) return ServiceError::not_found("no such driver login");
  if (disabled) r.delete_driver_tokens(*key); // a disabled driver is logged out everywhere
  return {};
}

Result<void> DriverService::delete_driver(Repository &r, std::string_view email) const {
  auto key = check_email(email);
  if (!key || !r.delete_driver_login(*key)) return ServiceError::not_found("no such driver login");
  return {};
}

std::optional<DriverLogin> DriverService::driver_of_token(Repository &r, std::string_view token_hash) const {
  auto d = r.driver_of_token(token_hash, clock_.now());
  if (!d || d->disabled || !r.account(d->account_id)) return std::nullopt;
  return d;
}

Timestamp DriverService::issue_token(Repository &r, const DriverLogin &d, std::string_view token_hash,
                                     std::chrono::seconds lifetime) const {
  auto now = clock_.now();
  auto expires = now + lifetime;
  r.insert_driver_token(token_hash, d.email, now, expires);
  return expires;
}

// ---- the public view ---------------------------------------------------------------------------

DriveEvseStatus DriverService::evse_status(const Evse &e, const std::vector<StatusReport> &statuses, bool connected) {
  if (!connected) return DriveEvseStatus::Offline;
  if (e.status == EvseStatus::Removed || e.status == EvseStatus::Planned) return DriveEvseStatus::Unavailable;
  auto out = DriveEvseStatus::Unknown;
  for (const auto &s : statuses) {
    const bool station_wide =
        s.evse_id == 0 && (s.status == ConnectorStatus::Faulted || s.status == ConnectorStatus::Unavailable);
    if (s.evse_id != e.evse_id && !station_wide) continue;
    auto mine = driver_status_of(s.status);
    if (weight(mine) > weight(out)) out = mine;
  }
  return out;
}

core::Money DriverService::card_hold(const std::optional<Tariff> &tariff) {
  auto currency = tariff ? tariff->currency : core::Currency::eur();
  auto hold = core::Money::parse("50", currency);
  return hold ? *hold : core::Money::zero(currency);
}

ChargerEvse DriverService::describe(Repository &r, const Location &l, const Evse &e,
                                    const std::vector<StatusReport> &statuses, bool connected) const {
  ChargerEvse out{e, evse_status(e, statuses, connected), std::nullopt};
  // The tariff an ad-hoc driver (no customer group) gets on the EVSE's first connector.
  SessionTarget target;
  target.station = e.station;
  target.evse_id = e.evse_id;
  target.connector_id = e.connectors.empty() ? 1 : e.connectors.front().connector_id;
  target.location = l.id;
  if (auto resolved = TariffAssignmentService{}.resolve(r, target, clock_.now()))
    out.tariff = std::move(resolved->tariff);
  return out;
}

ChargerPage DriverService::chargers(Repository &r, const ChargerFilter &f, const ConnectedFn &connected) const {
  ChargerPage page;
  page.total = r.count_charger_locations(f);
  for (const auto &id : r.charger_locations(f)) {
    auto l = r.location(id);
    if (!l) continue;
    ChargerLocation item{*l, {}};
    for (const auto &station : r.location_stations(id)) {
      const bool live = connected(station);
      auto statuses = r.current_statuses(station);
      for (const auto &e : r.evses(station)) {
        auto described = describe(r, *l, e, statuses, live);
        if (matches(described, f)) item.evses.push_back(std::move(described));
      }
    }
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<ChargerLocation> DriverService::charger(Repository &r, EvseUid uid, const ConnectedFn &connected) const {
  auto e = r.evse_by_uid(uid);
  if (!e || e->status == EvseStatus::Removed) return ServiceError::not_found("no such EVSE");
  auto station = r.station(e->station);
  if (!station || !station->location_id) return ServiceError::not_found("no such EVSE");
  auto l = r.location(*station->location_id);
  if (!l || !l->publish) return ServiceError::not_found("no such EVSE");
  ChargerLocation out{*l, {}};
  out.evses.push_back(describe(r, *l, *e, r.current_statuses(e->station), connected(e->station)));
  return out;
}

} // namespace gridlane::services
