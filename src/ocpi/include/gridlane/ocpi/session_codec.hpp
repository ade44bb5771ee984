#pragma once
//! The OCPI 2.2.1 Session object (mod_sessions.asciidoc) and the CDR as a roaming partner gets
//! it (mod_cdrs.asciidoc): the typed value, how it is made from a Gridlane transaction, and its
//! JSON both ways. Gridlane is the Sender of both modules, so decoding is for checks (tests, a
//! partner's echo); the field table is enforced there (types, lengths, enums, cardinality).
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/location.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/roaming.hpp"

namespace gridlane::ocpi {

//! OCPI SessionStatus.
enum class SessionStatus { Active, Completed, Invalid, Pending, Reservation };
std::string_view session_status_name(SessionStatus s);
std::optional<SessionStatus> session_status_from_name(std::string_view name);

//! An OCPI Session object.
struct Session {
  std::string country_code; //!< the CPO's (Gridlane's party)
  std::string party_id;
  std::string id; //!< the transaction's server id in decimal
  core::Timestamp start_date_time{};
  std::optional<core::Timestamp> end_date_time;
  core::Decimal kwh;
  domain::CdrToken cdr_token;
  domain::AuthMethod auth_method = domain::AuthMethod::Whitelist;
  std::optional<std::string> authorization_reference;
  std::string location_id;
  std::string evse_uid;
  std::string connector_id;
  std::optional<std::string> meter_id;
  core::Currency currency = core::Currency::eur();
  std::vector<domain::ChargingPeriod> charging_periods;
  std::optional<domain::Price> total_cost;
  SessionStatus status = SessionStatus::Pending;
  core::Timestamp last_updated{};
  bool operator==(const Session &) const = default;
};

//! What a Session is made of (the caller loads the parts inside a unit of work).
struct SessionParts {
  const domain::Transaction *transaction = nullptr; //!< required
  domain::PartyId cpo;                              //!< [ocpi] country_code / party_id
  std::optional<domain::LocationId> location;       //!< the station's location
  std::optional<domain::Evse> evse;                 //!< the transaction's EVSE
  std::optional<std::string> meter_id;              //!< the station's meter serial number
  std::optional<domain::RoamingToken> token;        //!< the eMSP's token the session runs with
  //! The eMSP's reference of the real-time authorisation the session started with, if any.
  std::optional<std::string> authorization_reference;
  //! The price so far (or final), when the session has a tariff.
  std::optional<domain::Price> total_cost;
  std::optional<core::Currency> currency;
  std::vector<domain::ChargingPeriod> charging_periods;
  //! The energy as priced (the CDR's total_energy); else the transaction's energy is used.
  std::optional<core::Decimal> kwh;
  core::Timestamp last_updated{};
};

//! The Session of a transaction (pure). Status: ACTIVE while it runs, COMPLETED once ended;
//! kwh from its energy so far; evse_uid / connector_id per the conventions (docs/ocpi.md).
Session session_of(const SessionParts &parts);

//! The OCPI CdrToken of a roaming token (its issuer's party, uid, type, contract id).
domain::CdrToken cdr_token_of(const domain::RoamingToken &t);

boost::json::object session_to_json(const Session &s);
//! A PATCH body (mod_sessions "PATCH"): kwh, status, last_updated always; end_date_time and
//! total_cost when known; charging_periods only the `new_periods` (a PATCH adds them).
boost::json::object session_patch_json(const Session &s, const std::vector<domain::ChargingPeriod> &new_periods);
//! A Session from OCPI JSON, checked against the field table; the first problem names its field.
domain::Result<Session> decode_session(std::string_view text);

//! The CDR as the partner whose token was used gets it: Gridlane's party as the CPO, the
//! eMSP's token as cdr_token, and the auth method of the session (pure).
domain::Cdr roaming_cdr(domain::Cdr cdr, const domain::PartyId &cpo, const domain::RoamingToken &token);

//! OCPI ChargingPreferences (the Sender's PUT .../charging_preferences).
enum class ProfileType { Cheap, Fast, Green, Regular };
struct ChargingPreferences {
  ProfileType profile_type = ProfileType::Regular;
  std::optional<core::Timestamp> departure_time;
  std::optional<core::Decimal> energy_need;
  std::optional<bool> discharge_allowed;
};
domain::Result<ChargingPreferences> decode_charging_preferences(std::string_view text);

} // namespace gridlane::ocpi
