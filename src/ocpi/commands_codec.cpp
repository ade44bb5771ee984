// The JSON of the Commands and ChargingProfiles modules (mod_commands.asciidoc,
// mod_charging_profiles.asciidoc), read against the field tables: a refusal names its field.
#include "gridlane/ocpi/commands_codec.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

#include "gridlane/domain/roaming_names.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::Result;
using domain::ServiceError;

namespace {

template <class E, std::size_t N> using Names = domain::NameTable<E, N>;

using domain::name_of;
using domain::value_of;
constexpr const auto &token_types = domain::ocpi_token_types;
constexpr const auto &profile_types = domain::ocpi_profile_types;

constexpr Names<CommandType, 5> command_types{{
    {CommandType::CancelReservation, "CANCEL_RESERVATION"},
    {CommandType::ReserveNow, "RESERVE_NOW"},
    {CommandType::StartSession, "START_SESSION"},
    {CommandType::StopSession, "STOP_SESSION"},
    {CommandType::UnlockConnector, "UNLOCK_CONNECTOR"},
}};
constexpr Names<CommandResponseType, 4> response_types{{
    {CommandResponseType::Accepted, "ACCEPTED"},
    {CommandResponseType::NotSupported, "NOT_SUPPORTED"},
    {CommandResponseType::Rejected, "REJECTED"},
    {CommandResponseType::UnknownSession, "UNKNOWN_SESSION"},
}};
constexpr Names<CommandResultType, 9> result_types{{
    {CommandResultType::Accepted, "ACCEPTED"},
    {CommandResultType::CanceledReservation, "CANCELED_RESERVATION"},
    {CommandResultType::EvseOccupied, "EVSE_OCCUPIED"},
    {CommandResultType::EvseInoperative, "EVSE_INOPERATIVE"},
    {CommandResultType::Failed, "FAILED"},
    {CommandResultType::NotSupported, "NOT_SUPPORTED"},
    {CommandResultType::Rejected, "REJECTED"},
    {CommandResultType::Timeout, "TIMEOUT"},
    {CommandResultType::UnknownReservation, "UNKNOWN_RESERVATION"},
}};
constexpr Names<ChargingProfileResponseType, 5> profile_response_types{{
    {ChargingProfileResponseType::Accepted, "ACCEPTED"},
    {ChargingProfileResponseType::NotSupported, "NOT_SUPPORTED"},
    {ChargingProfileResponseType::Rejected, "REJECTED"},
    {ChargingProfileResponseType::TooOften, "TOO_OFTEN"},
    {ChargingProfileResponseType::UnknownSession, "UNKNOWN_SESSION"},
}};
constexpr Names<ChargingProfileResultType, 3> profile_result_types{{
    {ChargingProfileResultType::Accepted, "ACCEPTED"},
    {ChargingProfileResultType::Rejected, "REJECTED"},
    {ChargingProfileResultType::Unknown, "UNKNOWN"},
}};
constexpr Names<domain::WhitelistType, 4> whitelist_types{{
    {domain::WhitelistType::Always, "ALWAYS"},
    {domain::WhitelistType::Allowed, "ALLOWED"},
    {domain::WhitelistType::AllowedOffline, "ALLOWED_OFFLINE"},
    {domain::WhitelistType::Never, "NEVER"},
}};

std::string path(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  return std::string(parent) + "." + std::string(name);
}

//! Reads one JSON object against a field table; the first refusal wins and names its field.
class Fields {
public:
  Fields(const json::object &o, std::string_view parent) : o_(o), parent_(parent) {}

  //! A string of at most `max` characters; CiString: printable ASCII only, string: no control characters.
  std::optional<std::string> text(std::string_view name, std::size_t max, bool required, bool ci = true) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) return fail(name, "must be a string"), std::nullopt;
    std::string s(v->as_string());
    if (s.empty() && required) return fail(name, "must not be empty"), std::nullopt;
    if (!printable(s, ci)) return fail(name, "must hold printable characters only"), std::nullopt;
    if (length(s) > max) return fail(name, "is longer than " + std::to_string(max) + " characters"), std::nullopt;
    return s;
  }
  std::optional<std::string> url(std::string_view name) {
    auto s = text(name, 255, true, false);
    if (s && !is_url(*s)) fail(name, "must be an absolute http(s) URL");
    return s;
  }
  std::optional<core::Timestamp> datetime(std::string_view name, bool required) {
    auto s = text(name, 25, required);
    if (!s) return std::nullopt;
    auto t = parse_datetime(*s);
    if (!t) fail(name, "must be an RFC 3339 date and time in UTC");
    return t;
  }
  std::optional<bool> boolean(std::string_view name) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) return fail(name, "is required"), std::nullopt;
    if (!v->is_bool()) return fail(name, "must be true or false"), std::nullopt;
    return v->as_bool();
  }
  //! A whole number within [lo, hi].
  std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t lo, std::int64_t hi) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    std::optional<std::int64_t> n;
    if (v->is_int64()) n = v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(hi))
      n = static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double() && std::isfinite(v->as_double()) && std::trunc(v->as_double()) == v->as_double() &&
        std::fabs(v->as_double()) < 1e15)
      n = static_cast<std::int64_t>(v->as_double());
    if (!n) return fail(name, "must be a whole number"), std::nullopt;
    if (*n < lo || *n > hi)
      return fail(name, "must be between " + std::to_string(lo) + " and " + std::to_string(hi)), std::nullopt;
    return n;
  }
  //! A non-negative number (at most 10^9) as thousandths.
  std::optional<domain::RateMilli> rate(std::string_view name, bool required) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    double x = 0;
    if (v->is_int64())
      x = static_cast<double>(v->as_int64());
    else if (v->is_uint64())
      x = static_cast<double>(v->as_uint64());
    else if (v->is_double())
      x = v->as_double();
    else
      return fail(name, "must be a number"), std::nullopt;
    if (!std::isfinite(x) || x < 0 || x > 1e9) return fail(name, "must be between 0 and 1000000000"), std::nullopt;
    return domain::RateMilli{static_cast<std::int64_t>(std::llround(x * 1000))};
  }
  template <class E, std::size_t N>
  std::optional<E> enumeration(std::string_view name, const Names<E, N> &table, bool required) {
    auto s = text(name, 255, required);
    if (!s) return std::nullopt;
    auto e = value_of(table, *s);
    if (!e) fail(name, "is not one of the values OCPI 2.2.1 defines");
    return e;
  }
  const json::value *member(std::string_view name, bool required) {
    const auto *v = o_.if_contains(name);
    if ((!v || v->is_null()) && required) fail(name, "is required");
    return v && !v->is_null() ? v : nullptr;
  }
  std::string field(std::string_view name) const { return path(parent_, name); }
  void fail(std::string_view name, std::string_view what) {
    if (!error_) error_ = ServiceError::invalid(field(name) + " " + std::string(what), field(name));
  }
  void fail_with(const ServiceError &e) {
    if (!error_) error_ = e;
  }
  const std::optional<ServiceError> &error() const { return error_; }

private:
  static bool printable(std::string_view s, bool ascii_only) {
    for (unsigned char c : s) {
      if (c < 0x20 || c == 0x7f) return false;
      if (ascii_only && c > 0x7e) return false;
    }
    return true;
  }
  static std::size_t length(std::string_view s) { // characters, not bytes (UTF-8)
    std::size_t n = 0;
    for (unsigned char c : s)
      if ((c & 0xC0) != 0x80) ++n;
    return n;
  }
  static bool is_url(std::string_view s) {
    auto scheme = s.find("://");
    if (scheme == std::string_view::npos) return false;
    auto name = s.substr(0, scheme);
    if (name != "http" && name != "https") return false;
    auto rest = s.substr(scheme + 3);
    return !rest.empty() && rest.front() != '/' && rest.find(' ') == std::string_view::npos;
  }

  const json::object &o_;
  std::string parent_;
  std::optional<ServiceError> error_;
};

Result<json::value> parse_body(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) return ServiceError::invalid("the body is not JSON", std::string("body"));
  if (!v.is_object()) return ServiceError::invalid("the body must be a JSON object", std::string("body"));
  return v;
}

std::string text_of(const json::object &o) {
  return json::serialize(o);
}

json::array message_array(std::string_view message) {
  json::array a;
  if (!message.empty()) a.push_back(json::object{{"language", "en"}, {"text", message.substr(0, 512)}});
  return a;
}

} // namespace

std::string_view to_string(CommandType t) {
  return name_of(command_types, t);
}
std::optional<CommandType> parse_command_type(std::string_view text) {
  return value_of(command_types, text);
}
std::string_view to_string(CommandResponseType t) {
  return name_of(response_types, t);
}
std::string_view to_string(CommandResultType t) {
  return name_of(result_types, t);
}
std::string_view to_string(ChargingProfileResponseType t) {
  return name_of(profile_response_types, t);
}
std::string_view to_string(ChargingProfileResultType t) {
  return name_of(profile_result_types, t);
}

Result<domain::RoamingToken> parse_token(const json::value &v, std::string_view field) {
  if (!v.is_object()) return ServiceError::invalid(std::string(field) + " must be an object", std::string(field));
  Fields f(v.as_object(), field);
  domain::RoamingToken t;
  auto cc = f.text("country_code", 2, true);
  auto pid = f.text("party_id", 3, true);
  if (cc && cc->size() != 2) f.fail("country_code", "must be 2 characters");
  if (pid && pid->size() != 3) f.fail("party_id", "must be 3 characters");
  auto uid = f.text("uid", 36, true);
  auto type = f.enumeration("type", token_types, true);
  auto contract = f.text("contract_id", 36, true);
  t.visual_number = f.text("visual_number", 64, false, false);
  auto issuer = f.text("issuer", 64, true, false);
  t.group_id = f.text("group_id", 36, false);
  auto valid = f.boolean("valid");
  auto whitelist = f.enumeration("whitelist", whitelist_types, true);
  t.language = f.text("language", 2, false, false);
  if (auto profile = f.enumeration("default_profile_type", profile_types, false)) t.default_profile_type = *profile;
  if (const auto *ec = f.member("energy_contract", false)) {
    if (!ec->is_object()) {
      f.fail("energy_contract", "must be an object");
    } else {
      Fields e(ec->as_object(), f.field("energy_contract"));
      domain::EnergyContract contract;
      contract.supplier_name = e.text("supplier_name", 64, true, false).value_or("");
      contract.contract_id = e.text("contract_id", 64, false, false);
      if (e.error())
        f.fail_with(*e.error());
      else
        t.energy_contract = std::move(contract);
    }
  }
  auto updated = f.datetime("last_updated", true);
  if (f.error()) return *f.error();
  // CiString: compared without regard to case; upper case as the partner's roles are stored, so
  // Partner::represents matches.
  auto upper = [](std::string text) {
    for (auto &ch : text)
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return text;
  };
  t.party = domain::PartyId{upper(*cc), upper(*pid)};
  t.uid = *uid;
  t.type = *type;
  t.contract_id = *contract;
  t.issuer = *issuer;
  t.valid = *valid;
  t.whitelist = *whitelist;
  t.last_updated = *updated;
  return t;
}

Result<CommandRequest> parse_command(CommandType type, std::string_view body) {
  auto parsed = parse_body(body);
  if (!parsed) return parsed.error();
  Fields f(parsed->as_object(), "");
  auto url = f.url("response_url");
  CommandRequest out;
  switch (type) {
  case CommandType::StartSession: {
    StartSession s;
    if (const auto *tok = f.member("token", true)) {
      auto t = parse_token(*tok, "token");
      if (!t)
        f.fail_with(t.error());
      else
        s.token = std::move(*t);
    }
    s.location_id = f.text("location_id", 36, true).value_or("");
    s.evse_uid = f.text("evse_uid", 36, false);
    s.connector_id = f.text("connector_id", 36, false);
    s.authorization_reference = f.text("authorization_reference", 36, false);
    if (s.connector_id && !s.evse_uid) f.fail("evse_uid", "is required when connector_id is set");
    out = std::move(s);
    break;
  }
  case CommandType::StopSession: out = StopSession{"", f.text("session_id", 36, true).value_or("")}; break;
  case CommandType::ReserveNow: {
    ReserveNow r;
    if (const auto *tok = f.member("token", true)) {
      auto t = parse_token(*tok, "token");
      if (!t)
        f.fail_with(t.error());
      else
        r.token = std::move(*t);
    }
    r.expiry_date = f.datetime("expiry_date", true).value_or(core::Timestamp{});
    r.reservation_id = f.text("reservation_id", 36, true).value_or("");
    r.location_id = f.text("location_id", 36, true).value_or("");
    r.evse_uid = f.text("evse_uid", 36, false);
    r.authorization_reference = f.text("authorization_reference", 36, false);
    out = std::move(r);
    break;
  }
  case CommandType::CancelReservation:
    out = CancelReservation{"", f.text("reservation_id", 36, true).value_or("")};
    break;
  case CommandType::UnlockConnector: {
    UnlockConnector u;
    u.location_id = f.text("location_id", 36, true).value_or("");
    u.evse_uid = f.text("evse_uid", 36, true).value_or("");
    u.connector_id = f.text("connector_id", 36, true).value_or("");
    out = std::move(u);
    break;
  }
  }
  if (f.error()) return *f.error();
  std::visit([&](auto &c) { c.response_url = *url; }, out);
  return out;
}

const std::string &response_url_of(const CommandRequest &c) {
  return std::visit([](const auto &x) -> const std::string & { return x.response_url; }, c);
}

json::value command_response(CommandResponseType result, std::int64_t timeout_s, std::string_view message) {
  json::object o{{"result", to_string(result)}, {"timeout", timeout_s}};
  if (!message.empty()) o["message"] = message_array(message);
  return o;
}

std::string command_result(CommandResultType result, std::string_view message) {
  json::object o{{"result", to_string(result)}};
  if (!message.empty()) o["message"] = message_array(message);
  return text_of(o);
}

namespace {
//! The `status` of a station's answer (CommandRecord::response), empty when there is none.
std::string station_status(const std::optional<std::string> &response) {
  if (!response) return {};
  boost::system::error_code ec;
  auto v = json::parse(*response, ec);
  if (ec || !v.is_object()) return {};
  const auto *s = v.as_object().if_contains("status");
  return s && s->is_string() ? std::string(s->as_string()) : std::string{};
}
} // namespace

CommandResultType command_result_type(CommandType type, domain::CommandStatus status,
                                      const std::optional<std::string> &response,
                                      const std::optional<std::string> &error) {
  using domain::CommandStatus;
  // The station's CALLERROR: the command is not one it implements.
  if (status == CommandStatus::Failed && error &&
      (error->starts_with("NotImplemented") || error->starts_with("NotSupported")))
    return CommandResultType::NotSupported;
  switch (status) {
  case CommandStatus::TimedOut: return CommandResultType::Timeout;
  case CommandStatus::Failed:
  case CommandStatus::StationOffline:
  case CommandStatus::Queued:
  case CommandStatus::Sent: return CommandResultType::Failed;
  case CommandStatus::Accepted:
  case CommandStatus::Rejected: break;
  }
  // The station's own word, where OCPI has a closer one than ACCEPTED / REJECTED.
  const std::string said = station_status(response);
  if (type == CommandType::ReserveNow) {
    if (said == "Occupied") return CommandResultType::EvseOccupied;
    if (said == "Faulted" || said == "Unavailable") return CommandResultType::EvseInoperative;
  }
  if (type == CommandType::CancelReservation && status == CommandStatus::Rejected)
    return CommandResultType::UnknownReservation;
  if (type == CommandType::UnlockConnector) {
    if (said == "NotSupported" || said == "UnknownConnector") return CommandResultType::NotSupported;
    if (said == "UnlockFailed" || said == "OngoingAuthorizedTransaction") return CommandResultType::Failed;
  }
  return status == CommandStatus::Accepted ? CommandResultType::Accepted : CommandResultType::Rejected;
}

// ---- ChargingProfiles ---------------------------------------------------------------------------

Result<std::string> check_response_url(std::string_view url, std::string_view field) {
  json::object o{{"response_url", url}};
  Fields f(o, "");
  auto u = f.url("response_url");
  if (f.error()) {
    auto e = *f.error();
    e.field = std::string(field);
    e.message = std::string(field) + e.message.substr(std::string_view("response_url").size());
    return e;
  }
  return *u;
}

Result<OcpiChargingProfile> parse_charging_profile(const json::value &v, std::string_view field) {
  if (!v.is_object()) return ServiceError::invalid(std::string(field) + " must be an object", std::string(field));
  Fields f(v.as_object(), field);
  OcpiChargingProfile p;
  p.start_date_time = f.datetime("start_date_time", false);
  p.duration_s = f.integer("duration", false, 0, std::numeric_limits<std::int32_t>::max());
  if (auto unit = f.text("charging_rate_unit", 1, true)) {
    if (*unit == "A")
      p.unit = domain::ChargingRateUnit::A;
    else if (*unit == "W")
      p.unit = domain::ChargingRateUnit::W;
    else
      f.fail("charging_rate_unit", "must be A or W");
  }
  p.min_charging_rate = f.rate("min_charging_rate", false);
  if (const auto *periods = f.member("charging_profile_period", false)) {
    if (!periods->is_array()) {
      f.fail("charging_profile_period", "must be an array");
    } else {
      std::size_t i = 0;
      for (const auto &item : periods->as_array()) {
        auto name = f.field("charging_profile_period") + "[" + std::to_string(i++) + "]";
        if (!item.is_object()) {
          f.fail_with(ServiceError::invalid(name + " must be an object", name));
          break;
        }
        Fields pf(item.as_object(), name);
        domain::ChargingSchedulePeriod period;
        period.start_s = pf.integer("start_period", true, 0, std::numeric_limits<std::int32_t>::max()).value_or(0);
        period.limit = pf.rate("limit", true).value_or(domain::RateMilli{});
        if (!pf.error() && !p.periods.empty() && period.start_s <= p.periods.back().start_s)
          pf.fail("start_period", "must be later than the previous period's");
        if (pf.error()) {
          f.fail_with(*pf.error());
          break;
        }
        p.periods.push_back(period);
      }
    }
  }
  // OCPP needs a first period at the start of the schedule.
  if (!f.error() && (p.periods.empty() || p.periods.front().start_s != 0))
    f.fail("charging_profile_period", "must start with a period at start_period 0");
  if (f.error()) return *f.error();
  return p;
}

Result<SetChargingProfile> parse_set_charging_profile(std::string_view body) {
  auto parsed = parse_body(body);
  if (!parsed) return parsed.error();
  Fields f(parsed->as_object(), "");
  SetChargingProfile s;
  if (const auto *p = f.member("charging_profile", true)) {
    auto profile = parse_charging_profile(*p, "charging_profile");
    if (!profile)
      f.fail_with(profile.error());
    else
      s.profile = std::move(*profile);
  }
  auto url = f.url("response_url");
  if (f.error()) return *f.error();
  s.response_url = *url;
  return s;
}

domain::ChargingProfile to_tx_profile(const OcpiChargingProfile &p, std::int64_t profile_id, std::int64_t stack_level,
                                      std::string station_transaction_id) {
  domain::ChargingProfile out;
  out.id = profile_id;
  out.stack_level = stack_level;
  out.purpose = domain::ChargingProfilePurpose::Tx;
  // Without a start the profile runs from the start of charging (OCPP Relative).
  out.kind = p.start_date_time ? domain::ChargingProfileKind::Absolute : domain::ChargingProfileKind::Relative;
  out.transaction_id = std::move(station_transaction_id);
  domain::ChargingSchedule s;
  s.id = profile_id;
  s.start = p.start_date_time;
  s.duration_s = p.duration_s;
  s.unit = p.unit;
  s.min_rate = p.min_charging_rate;
  s.periods = p.periods;
  out.schedules.push_back(std::move(s));
  return out;
}

std::optional<domain::RateMilli> limit_at(const OcpiChargingProfile &p, core::Timestamp start, core::Timestamp at) {
  auto from = p.start_date_time.value_or(start);
  if (at < from) return std::nullopt;
  auto offset = std::chrono::duration_cast<std::chrono::seconds>(at - from).count();
  if (p.duration_s && offset >= *p.duration_s) return std::nullopt;
  std::optional<domain::RateMilli> limit;
  for (const auto &period : p.periods)
    if (period.start_s <= offset) limit = period.limit;
  return limit;
}

json::value charging_profile_response(ChargingProfileResponseType result, std::int64_t timeout_s) {
  return json::object{{"result", to_string(result)}, {"timeout", timeout_s}};
}

ChargingProfileResultType profile_result_type(domain::CommandStatus status,
                                              const std::optional<std::string> &response) {
  if (status == domain::CommandStatus::Accepted) return ChargingProfileResultType::Accepted;
  if (station_status(response) == "Unknown") return ChargingProfileResultType::Unknown;
  return ChargingProfileResultType::Rejected;
}

std::string profile_result(ChargingProfileResultType result) {
  return text_of(json::object{{"result", to_string(result)}});
}

namespace {
json::value number_of(domain::RateMilli r) {
  if (r.thousandths % 1000 == 0) return r.thousandths / 1000;
  return static_cast<double>(r.thousandths) / 1000.0;
}
} // namespace

json::value charging_profile_json(const OcpiChargingProfile &p) {
  json::object o;
  if (p.start_date_time) o["start_date_time"] = format_datetime(*p.start_date_time);
  if (p.duration_s) o["duration"] = *p.duration_s;
  o["charging_rate_unit"] = p.unit == domain::ChargingRateUnit::A ? "A" : "W";
  if (p.min_charging_rate) o["min_charging_rate"] = number_of(*p.min_charging_rate);
  json::array periods;
  for (const auto &period : p.periods)
    periods.push_back(json::object{{"start_period", period.start_s}, {"limit", number_of(period.limit)}});
  o["charging_profile_period"] = std::move(periods);
  return o;
}

std::string active_profile_result(ChargingProfileResultType result, const std::optional<core::Timestamp> &start,
                                  const std::optional<OcpiChargingProfile> &profile) {
  json::object o{{"result", to_string(result)}};
  if (result == ChargingProfileResultType::Accepted && start && profile)
    o["profile"] = json::object{{"start_date_time", format_datetime(*start)},
                                {"charging_profile", charging_profile_json(*profile)}};
  return text_of(o);
}

} // namespace gridlane::ocpi
