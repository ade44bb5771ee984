#pragma once
//! The OCPI JSON of the Commands and ChargingProfiles modules (mod_commands.asciidoc,
//! mod_charging_profiles.asciidoc): the objects an eMSP (or SCSP) sends, read strictly against
//! their field tables into typed values (a refusal names the field, for a 2001 answer), and the
//! objects Gridlane sends back (CommandResponse, CommandResult, ChargingProfileResponse and the
//! three asynchronous results). The one place these shapes are read or written.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/operators.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/roaming.hpp"

namespace gridlane::ocpi {

// ---- Commands ----------------------------------------------------------------------------------

enum class CommandType { CancelReservation, ReserveNow, StartSession, StopSession, UnlockConnector };
std::string_view to_string(CommandType t);
std::optional<CommandType> parse_command_type(std::string_view text);

//! The Token object inside a StartSession / ReserveNow (mod_tokens.asciidoc, "Token Object").
domain::Result<domain::RoamingToken> parse_token(const boost::json::value &v, std::string_view field);

struct StartSession {
  std::string response_url;
  domain::RoamingToken token;
  std::string location_id;
  std::optional<std::string> evse_uid;
  std::optional<std::string> connector_id; //!< only with evse_uid
  std::optional<std::string> authorization_reference;
};
struct StopSession {
  std::string response_url;
  std::string session_id;
};
struct ReserveNow {
  std::string response_url;
  domain::RoamingToken token;
  core::Timestamp expiry_date;
  std::string reservation_id;
  std::string location_id;
  std::optional<std::string> evse_uid;
  std::optional<std::string> authorization_reference;
};
struct CancelReservation {
  std::string response_url;
  std::string reservation_id;
};
struct UnlockConnector {
  std::string response_url;
  std::string location_id;
  std::string evse_uid;
  std::string connector_id;
};
using CommandRequest = std::variant<CancelReservation, ReserveNow, StartSession, StopSession, UnlockConnector>;

//! The body of POST /commands/{type}: the object of that type, or Invalid naming the field.
domain::Result<CommandRequest> parse_command(CommandType type, std::string_view body);
//! The response_url every command carries.
const std::string &response_url_of(const CommandRequest &c);

enum class CommandResponseType { Accepted, NotSupported, Rejected, UnknownSession };
enum class CommandResultType {
  Accepted,
  CanceledReservation,
  EvseOccupied,
  EvseInoperative,
  Failed,
  NotSupported,
  Rejected,
  Timeout,
  UnknownReservation,
};
std::string_view to_string(CommandResponseType t);
std::string_view to_string(CommandResultType t);

//! CommandResponse {result, timeout, message?} (the message in English).
boost::json::value command_response(CommandResponseType result, std::int64_t timeout_s, std::string_view message);
//! CommandResult {result, message?}, the body POSTed to the response_url.
std::string command_result(CommandResultType result, std::string_view message);

//! What the station's answer means for the eMSP: the domain outcome refined by the station's
//! own status where OCPI has a word for it (a 1.6 ReserveNow "Occupied" -> EVSE_OCCUPIED,
//! "Faulted"/"Unavailable" -> EVSE_INOPERATIVE, a CancelReservation "Rejected" ->
//! UNKNOWN_RESERVATION, an UnlockConnector "NotSupported" -> NOT_SUPPORTED, ...). `response`
//! is the station's answer as CommandRecord::response keeps it (JSON), when there is one; `error`
//! the record's error (a CALLERROR NotImplemented / NotSupported: NOT_SUPPORTED).
CommandResultType command_result_type(CommandType type, domain::CommandStatus status,
                                      const std::optional<std::string> &response,
                                      const std::optional<std::string> &error = std::nullopt);

// ---- ChargingProfiles -------------------------------------------------------------------------

enum class ChargingProfileResponseType { Accepted, NotSupported, Rejected, TooOften, UnknownSession };
enum class ChargingProfileResultType { Accepted, Rejected, Unknown };
std::string_view to_string(ChargingProfileResponseType t);
std::string_view to_string(ChargingProfileResultType t);

//! OCPI's ChargingProfile class, with its numbers kept exact (thousandths of A or W).
struct OcpiChargingProfile {
  std::optional<core::Timestamp> start_date_time;
  std::optional<std::int64_t> duration_s;
  domain::ChargingRateUnit unit = domain::ChargingRateUnit::A;
  std::optional<domain::RateMilli> min_charging_rate;
  std::vector<domain::ChargingSchedulePeriod> periods; //!< start_s and limit only
};

struct SetChargingProfile {
  OcpiChargingProfile profile;
  std::string response_url;
};
//! The body of PUT /chargingprofiles/{session_id}.
domain::Result<SetChargingProfile> parse_set_charging_profile(std::string_view body);
domain::Result<OcpiChargingProfile> parse_charging_profile(const boost::json::value &v, std::string_view field);
//! A response_url given as a query parameter (GET, DELETE): a URL, at most 255 characters.
domain::Result<std::string> check_response_url(std::string_view url, std::string_view field);

//! The domain TxProfile that carries the partner's profile for the station's transaction.
domain::ChargingProfile to_tx_profile(const OcpiChargingProfile &p, std::int64_t profile_id, std::int64_t stack_level,
                                      std::string station_transaction_id);
//! The partner's limit in force `at` (for the energy manager), nullopt before the first period.
std::optional<domain::RateMilli> limit_at(const OcpiChargingProfile &p, core::Timestamp start, core::Timestamp at);

boost::json::value charging_profile_response(ChargingProfileResponseType result, std::int64_t timeout_s);
//! What a station's answer to SetChargingProfile / ClearChargingProfile means (a 1.6 Clear
//! "Unknown": UNKNOWN; anything but Accepted, a failure or timeout included: REJECTED).
ChargingProfileResultType profile_result_type(domain::CommandStatus status, const std::optional<std::string> &response);
//! ChargingProfileResult / ClearProfileResult {result}.
std::string profile_result(ChargingProfileResultType result);
//! ActiveChargingProfileResult {result, profile?}: the station's composite schedule as an
//! ActiveChargingProfile {start_date_time, charging_profile}.
std::string active_profile_result(ChargingProfileResultType result, const std::optional<core::Timestamp> &start,
                                  const std::optional<OcpiChargingProfile> &profile);
boost::json::value charging_profile_json(const OcpiChargingProfile &p);

} // namespace gridlane::ocpi
