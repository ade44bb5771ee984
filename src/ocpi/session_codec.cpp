// The OCPI Session codec and the roaming CDR (session_codec.hpp). Decoding checks each field
// against mod_sessions' table: the first problem is returned with its field's path.
#include "gridlane/ocpi/session_codec.hpp"

#include <array>
#include <boost/json.hpp>
#include <utility>

#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::AuthMethod;
using domain::CdrTokenType;
using domain::ServiceError;

namespace {

constexpr std::array<std::pair<SessionStatus, std::string_view>, 5> statuses{{
    {SessionStatus::Active, "ACTIVE"},
    {SessionStatus::Completed, "COMPLETED"},
    {SessionStatus::Invalid, "INVALID"},
    {SessionStatus::Pending, "PENDING"},
    {SessionStatus::Reservation, "RESERVATION"},
}};

constexpr std::array<std::pair<ProfileType, std::string_view>, 4> profile_types{{
    {ProfileType::Cheap, "CHEAP"},
    {ProfileType::Fast, "FAST"},
    {ProfileType::Green, "GREEN"},
    {ProfileType::Regular, "REGULAR"},
}};

json::value number(core::Decimal d) {
  if (d.units() % core::Decimal::kOne == 0) return d.units() / core::Decimal::kOne;
  return d.to_wire();
}

//! Reads one JSON object against a field table, keeping the first problem with its path.
class Fields {
public:
  Fields(const json::object &o, std::string prefix, std::optional<ServiceError> &error)
      : o_(o), prefix_(std::move(prefix)), error_(error) {}

  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  void fail(std::string_view key, const std::string &message) {
    if (!error_) error_ = ServiceError::invalid("'" + path(key) + "' " + message, path(key));
  }
  const json::value *field(std::string_view key) {
    const auto *v = o_.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
  }
  //! A string of at most `max` characters (CiString / string(n)).
  std::optional<std::string> str(std::string_view key, std::size_t max, bool required) {
    const auto *v = field(key);
    if (!v) {
      if (required) fail(key, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(key, "must be a string");
      return std::nullopt;
    }
    std::string s(v->get_string());
    if (s.size() > max) fail(key, "is at most " + std::to_string(max) + " characters");
    if (required && s.empty()) fail(key, "must not be empty");
    return s;
  }
  std::optional<core::Timestamp> time(std::string_view key, bool required) {
    auto s = str(key, 64, required);
    if (!s) return std::nullopt;
    auto t = parse_datetime(*s);
    if (!t) fail(key, "must be an OCPI DateTime (\"2015-06-29T20:39:09Z\")");
    return t;
  }
  std::optional<core::Decimal> decimal(std::string_view key, bool required) {
    const auto *v = field(key);
    if (!v) {
      if (required) fail(key, "(number) is required");
      return std::nullopt;
    }
    std::optional<core::Decimal> d;
    if (v->is_int64()) {
      if (auto x = core::Decimal::from_integer(v->get_int64())) d = *x;
    } else if (v->is_double()) {
      if (auto x = core::Decimal::from_wire(v->get_double())) d = *x;
    }
    if (!d) fail(key, "must be a finite number");
    return d;
  }
  std::optional<bool> boolean(std::string_view key) {
    const auto *v = field(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
      fail(key, "must be true or false");
      return std::nullopt;
    }
    return v->get_bool();
  }
  template <class E, std::size_t N>
  std::optional<E> enumerated(std::string_view key, const std::array<std::pair<E, std::string_view>, N> &names,
                              bool required) {
    auto s = str(key, 64, required);
    if (!s) return std::nullopt;
    for (const auto &[e, n] : names)
      if (n == *s) return e;
    std::string list;
    for (const auto &[e, n] : names)
      list += (list.empty() ? "" : ", ") + std::string(n);
    fail(key, "is one of " + list);
    return std::nullopt;
  }
  const json::object *object(std::string_view key, bool required) {
    const auto *v = field(key);
    if (!v) {
      if (required) fail(key, "(object) is required");
      return nullptr;
    }
    if (!v->is_object()) fail(key, "must be an object");
    return v->if_object();
  }
  const json::array *array(std::string_view key) {
    const auto *v = field(key);
    if (!v) return nullptr;
    if (!v->is_array()) fail(key, "must be an array");
    return v->if_array();
  }

private:
  const json::object &o_;
  std::string prefix_;
  std::optional<ServiceError> &error_;
};

constexpr std::array<std::pair<CdrTokenType, std::string_view>, 4> token_types{{
    {CdrTokenType::AdHocUser, "AD_HOC_USER"},
    {CdrTokenType::AppUser, "APP_USER"},
    {CdrTokenType::Other, "OTHER"},
    {CdrTokenType::Rfid, "RFID"},
}};
constexpr std::array<std::pair<AuthMethod, std::string_view>, 3> auth_methods{{
    {AuthMethod::AuthRequest, "AUTH_REQUEST"},
    {AuthMethod::Command, "COMMAND"},
    {AuthMethod::Whitelist, "WHITELIST"},
}};

void check_party(Fields &f, const std::optional<std::string> &country, const std::optional<std::string> &party) {
  if (country && country->size() != 2) f.fail("country_code", "is 2 characters (ISO 3166 alpha-2)");
  if (party && party->size() != 3) f.fail("party_id", "is 3 characters");
}

domain::CdrToken token_of(Fields &f) {
  domain::CdrToken t;
  t.country_code = f.str("country_code", 2, true).value_or("");
  t.party_id = f.str("party_id", 3, true).value_or("");
  t.uid = f.str("uid", 36, true).value_or("");
  t.type = f.enumerated("type", token_types, true).value_or(CdrTokenType::Rfid);
  t.contract_id = f.str("contract_id", 36, true).value_or("");
  return t;
}

std::vector<domain::ChargingPeriod> periods_of(Fields &f, std::optional<ServiceError> &error) {
  std::vector<domain::ChargingPeriod> out;
  const auto *list = f.array("charging_periods");
  if (!list) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto prefix = f.path("charging_periods") + "[" + std::to_string(i) + "].";
    const auto *o = (*list)[i].if_object();
    if (!o) {
      f.fail("charging_periods", "holds ChargingPeriod objects");
      break;
    }
    Fields p(*o, prefix, error);
    domain::ChargingPeriod period;
    period.start_date_time = p.time("start_date_time", true).value_or(core::Timestamp{});
    period.tariff_id = p.str("tariff_id", 36, false);
    const auto *dims = p.array("dimensions");
    if (!dims || dims->empty()) p.fail("dimensions", "holds at least one CdrDimension");
    for (std::size_t j = 0; dims && j < dims->size(); ++j) {
      const auto *d = (*dims)[j].if_object();
      if (!d) {
        p.fail("dimensions", "holds CdrDimension objects");
        break;
      }
      Fields df(*d, prefix + "dimensions[" + std::to_string(j) + "].", error);
      domain::CdrDimension dim;
      if (auto type = df.str("type", 32, true)) {
        if (auto t = domain::parse_cdr_dimension(*type))
          dim.type = *t;
        else
          df.fail("type", "is not an OCPI CdrDimensionType");
      }
      dim.volume = df.decimal("volume", true).value_or(core::Decimal{});
      period.dimensions.push_back(dim);
    }
    out.push_back(std::move(period));
  }
  return out;
}

std::optional<domain::Price> price_of(Fields &f, std::string_view key, std::optional<ServiceError> &error) {
  const auto *o = f.object(key, false);
  if (!o) return std::nullopt;
  Fields p(*o, f.path(key) + ".", error);
  domain::Price price;
  price.excl_vat = p.decimal("excl_vat", true).value_or(core::Decimal{});
  price.incl_vat = p.decimal("incl_vat", false);
  return price;
}

json::object token_json(const domain::CdrToken &t) {
  return {{"country_code", t.country_code},
          {"party_id", t.party_id},
          {"uid", t.uid},
          {"type", domain::to_string(t.type)},
          {"contract_id", t.contract_id}};
}

} // namespace

std::string_view session_status_name(SessionStatus s) {
  for (const auto &[e, n] : statuses)
    if (e == s) return n;
  return {};
}
std::optional<SessionStatus> session_status_from_name(std::string_view name) {
  for (const auto &[e, n] : statuses)
    if (n == name) return e;
  return std::nullopt;
}

domain::CdrToken cdr_token_of(const domain::RoamingToken &t) {
  domain::CdrToken out;
  out.country_code = t.party.country_code;
  out.party_id = t.party.party_id;
  out.uid = t.uid;
  switch (t.type) {
  case domain::OcpiTokenType::AdHocUser: out.type = CdrTokenType::AdHocUser; break;
  case domain::OcpiTokenType::AppUser: out.type = CdrTokenType::AppUser; break;
  case domain::OcpiTokenType::Other: out.type = CdrTokenType::Other; break;
  case domain::OcpiTokenType::Rfid: out.type = CdrTokenType::Rfid; break;
  }
  out.contract_id = t.contract_id;
  return out;
}

namespace {
//! How the session was authorised: a remote start is a COMMAND; a token the whitelist does not
//! settle alone (ALLOWED_OFFLINE, NEVER) was asked for in real time (AUTH_REQUEST).
AuthMethod auth_method_of(const domain::Transaction &t, const std::optional<domain::RoamingToken> &token) {
  if (t.remote_start_id) return AuthMethod::Command;
  if (token &&
      (token->whitelist == domain::WhitelistType::Never || token->whitelist == domain::WhitelistType::AllowedOffline))
    return AuthMethod::AuthRequest;
  return AuthMethod::Whitelist;
}
} // namespace

Session session_of(const SessionParts &parts) {
  const auto &t = *parts.transaction;
  Session s;
  s.country_code = parts.cpo.country_code;
  s.party_id = parts.cpo.party_id;
  s.id = std::to_string(t.id);
  s.start_date_time = t.started_at;
  if (t.state == domain::TransactionState::Ended)
    s.end_date_time = t.stopped_at.value_or(t.stop_received_at.value_or(parts.last_updated));
  auto wh =
      t.meter_stop_wh && t.state == domain::TransactionState::Ended ? *t.meter_stop_wh - t.meter_start_wh : t.energy_wh;
  if (wh < 0) wh = 0;
  if (auto kwh = core::Decimal::from_scaled(wh, 3)) s.kwh = *kwh; // |wh| < 2^63 / 1000: always
  if (parts.kwh && *parts.kwh > s.kwh) s.kwh = *parts.kwh;
  if (parts.token)
    s.cdr_token = cdr_token_of(*parts.token);
  else // not a roaming token: Gridlane's own, the CPO is its issuer
    s.cdr_token = {parts.cpo.country_code, parts.cpo.party_id, t.id_tag, CdrTokenType::Rfid, t.id_tag};
  s.auth_method = auth_method_of(t, parts.token);
  s.authorization_reference = parts.authorization_reference;
  if (s.authorization_reference && s.authorization_reference->size() > 36) s.authorization_reference.reset();
  s.location_id = parts.location ? parts.location->str() : "#NA";
  s.evse_uid = parts.evse ? std::to_string(parts.evse->uid.value()) : "#NA";
  // A 1.6 connector n is EVSE n with its connector 1 (docs/locations.md).
  s.connector_id = std::to_string(t.protocol == core::ProtocolVersion::Ocpp16 ? 1 : t.connector_id);
  s.meter_id = parts.meter_id;
  if (s.meter_id && s.meter_id->size() > 255) s.meter_id->resize(255);
  s.currency = parts.currency.value_or(core::Currency::eur());
  s.charging_periods = parts.charging_periods;
  s.total_cost = parts.total_cost;
  s.status = t.state == domain::TransactionState::Ended ? SessionStatus::Completed : SessionStatus::Active;
  s.last_updated = parts.last_updated;
  return s;
}

json::object session_to_json(const Session &s) {
  json::object o;
  o["country_code"] = s.country_code;
  o["party_id"] = s.party_id;
  o["id"] = s.id;
  o["start_date_time"] = format_datetime(s.start_date_time);
  if (s.end_date_time) o["end_date_time"] = format_datetime(*s.end_date_time);
  o["kwh"] = number(s.kwh);
  o["cdr_token"] = token_json(s.cdr_token);
  o["auth_method"] = domain::to_string(s.auth_method);
  if (s.authorization_reference) o["authorization_reference"] = *s.authorization_reference;
  o["location_id"] = s.location_id;
  o["evse_uid"] = s.evse_uid;
  o["connector_id"] = s.connector_id;
  if (s.meter_id) o["meter_id"] = *s.meter_id;
  o["currency"] = s.currency.code();
  if (!s.charging_periods.empty()) o["charging_periods"] = domain::charging_periods_json(s.charging_periods);
  if (s.total_cost) o["total_cost"] = domain::price_json(*s.total_cost);
  o["status"] = session_status_name(s.status);
  o["last_updated"] = format_datetime(s.last_updated);
  return o;
}

json::object session_patch_json(const Session &s, const std::vector<domain::ChargingPeriod> &new_periods) {
  json::object o;
  o["kwh"] = number(s.kwh);
  if (s.end_date_time) o["end_date_time"] = format_datetime(*s.end_date_time);
  if (s.total_cost) o["total_cost"] = domain::price_json(*s.total_cost);
  if (!new_periods.empty()) o["charging_periods"] = domain::charging_periods_json(new_periods);
  o["status"] = session_status_name(s.status);
  o["last_updated"] = format_datetime(s.last_updated);
  return o;
}

domain::Result<Session> decode_session(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return ServiceError::invalid("a Session must be a JSON object");
  std::optional<ServiceError> error;
  Fields f(v.get_object(), "", error);
  Session s;
  auto country = f.str("country_code", 2, true);
  auto party = f.str("party_id", 3, true);
  check_party(f, country, party);
  s.country_code = country.value_or("");
  s.party_id = party.value_or("");
  s.id = f.str("id", 36, true).value_or("");
  s.start_date_time = f.time("start_date_time", true).value_or(core::Timestamp{});
  s.end_date_time = f.time("end_date_time", false);
  s.kwh = f.decimal("kwh", true).value_or(core::Decimal{});
  if (s.kwh.is_negative()) f.fail("kwh", "must not be negative");
  if (const auto *t = f.object("cdr_token", true)) {
    Fields tf(*t, "cdr_token.", error);
    s.cdr_token = token_of(tf);
  }
  s.auth_method = f.enumerated("auth_method", auth_methods, true).value_or(AuthMethod::Whitelist);
  s.authorization_reference = f.str("authorization_reference", 36, false);
  s.location_id = f.str("location_id", 36, true).value_or("");
  s.evse_uid = f.str("evse_uid", 36, true).value_or("");
  s.connector_id = f.str("connector_id", 36, true).value_or("");
  s.meter_id = f.str("meter_id", 255, false);
  if (auto c = f.str("currency", 3, true)) {
    if (auto cur = core::Currency::parse(*c))
      s.currency = *cur;
    else
      f.fail("currency", "must be an ISO 4217 code such as EUR");
  }
  s.charging_periods = periods_of(f, error);
  s.total_cost = price_of(f, "total_cost", error);
  s.status = f.enumerated("status", statuses, true).value_or(SessionStatus::Pending);
  s.last_updated = f.time("last_updated", true).value_or(core::Timestamp{});
  if (error) return *error;
  return s;
}

domain::Cdr roaming_cdr(domain::Cdr cdr, const domain::PartyId &cpo, const domain::RoamingToken &token) {
  cdr.country_code = cpo.country_code;
  cdr.party_id = cpo.party_id;
  cdr.cdr_token = cdr_token_of(token);
  if (cdr.auth_method == AuthMethod::Whitelist &&
      (token.whitelist == domain::WhitelistType::Never || token.whitelist == domain::WhitelistType::AllowedOffline))
    cdr.auth_method = AuthMethod::AuthRequest;
  return cdr;
}

domain::Result<ChargingPreferences> decode_charging_preferences(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return ServiceError::invalid("ChargingPreferences must be a JSON object");
  std::optional<ServiceError> error;
  Fields f(v.get_object(), "", error);
  ChargingPreferences p;
  p.profile_type = f.enumerated("profile_type", profile_types, true).value_or(ProfileType::Regular);
  p.departure_time = f.time("departure_time", false);
  p.energy_need = f.decimal("energy_need", false);
  if (p.energy_need && p.energy_need->is_negative()) f.fail("energy_need", "must not be negative");
  p.discharge_allowed = f.boolean("discharge_allowed");
  if (error) return *error;
  return p;
}

} // namespace gridlane::ocpi
