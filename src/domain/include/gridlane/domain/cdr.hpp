#pragma once
//! Charge detail records after OCPI 2.2.1 (mod_cdrs): what a session cost and why. The pricing
//! engine (gridlane/pricing/engine.hpp) fills the charging periods and totals; a CDR adds the
//! token, the location snapshot and the tariffs, is created once when a session ends and is
//! never edited (a correction is a credit CDR that refers to the original).
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/ids.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/location.hpp"
#include "gridlane/domain/tariff.hpp"

namespace gridlane::domain {

enum class CdrDimensionType {
  Current,
  Energy,
  EnergyExport,
  EnergyImport,
  MaxCurrent,
  MinCurrent,
  MaxPower,
  MinPower,
  ParkingTime,
  Power,
  ReservationTime,
  StateOfCharge,
  Time,
};

//! One measured dimension of a charging period: kWh for ENERGY, hours for TIME and
//! PARKING_TIME, A for currents, kW for powers, percent for STATE_OF_CHARGE.
struct CdrDimension {
  CdrDimensionType type = CdrDimensionType::Energy;
  core::Decimal volume;
  bool operator==(const CdrDimension &) const = default;
};

//! A stretch of a session during which one set of tariff elements applied: it starts at
//! start_date_time and lasts until the next period starts (or the session ends).
struct ChargingPeriod {
  core::Timestamp start_date_time;
  std::vector<CdrDimension> dimensions;
  std::optional<std::string> tariff_id;
  bool operator==(const ChargingPeriod &) const = default;
};

//! How the session was authorised; the last method used is the CDR's (OCPI AuthMethod).
enum class AuthMethod { AuthRequest, Command, Whitelist };
//! OCPI TokenType.
enum class CdrTokenType { AdHocUser, AppUser, Other, Rfid };

//! The token that started the session, as OCPI identifies it.
struct CdrToken {
  std::string country_code; //!< of the eMSP that owns the token (Gridlane's own tokens: the CPO's)
  std::string party_id;
  std::string uid; //!< the id tag as the station presented it
  CdrTokenType type = CdrTokenType::Rfid;
  std::string contract_id;
  bool operator==(const CdrToken &) const = default;
};

//! The location, EVSE and connector as they were when the session started (OCPI CdrLocation).
//! A field Gridlane does not know (a station without a location) is empty, never invented.
struct CdrLocation {
  std::string id;
  std::optional<std::string> name;
  std::string address;
  std::string city;
  std::optional<std::string> postal_code;
  std::optional<std::string> state;
  std::string country; //!< ISO 3166-1 alpha-3
  GeoLocation coordinates;
  std::string evse_uid;
  std::string evse_id; //!< eMI3
  std::string connector_id;
  ConnectorStandard connector_standard = ConnectorStandard::Iec62196T2;
  ConnectorFormat connector_format = ConnectorFormat::Socket;
  PowerType connector_power_type = PowerType::Ac3Phase;
  bool operator==(const CdrLocation &) const = default;
};

//! One signed meter value: Start, Intermediate or End of the session.
struct SignedValue {
  std::string nature;
  std::string plain_data;
  std::string signed_data; //!< as the station sent it (base64 for OCMF and most others)
  bool operator==(const SignedValue &) const = default;
};

//! The readings the station signed (Eichrecht), so a driver can check them.
struct SignedData {
  std::string encoding_method;
  std::optional<std::int64_t> encoding_method_version;
  std::optional<std::string> public_key;
  std::vector<SignedValue> signed_values; //!< at least one
  std::optional<std::string> url;
  bool operator==(const SignedData &) const = default;
};

//! A charge detail record (OCPI 2.2.1 CDR). Immutable once stored: a correction is a credit CDR
//! (credit = true, credit_reference_id = the original's id) whose totals are the original's
//! negated, so the two sum to zero. Amounts are in `currency`, exact.
struct Cdr {
  std::string country_code; //!< of the CPO
  std::string party_id;
  std::string id; //!< at most 36 characters; a credit CDR's at most 39 (the original's + "-C")
  core::Timestamp start_date_time;
  core::Timestamp end_date_time;
  std::optional<std::string> session_id;
  CdrToken cdr_token;
  AuthMethod auth_method = AuthMethod::Whitelist;
  std::optional<std::string> authorization_reference;
  CdrLocation cdr_location;
  std::optional<std::string> meter_id;
  core::Currency currency = core::Currency::eur();
  std::vector<Tariff> tariffs; //!< the tariff the session was priced with, as it was then
  std::vector<ChargingPeriod> charging_periods;
  std::optional<SignedData> signed_data;
  Price total_cost;
  std::optional<Price> total_fixed_cost;
  core::Decimal total_energy; //!< kWh
  std::optional<Price> total_energy_cost;
  core::Decimal total_time; //!< hours
  std::optional<Price> total_time_cost;
  std::optional<core::Decimal> total_parking_time; //!< hours
  std::optional<Price> total_parking_cost;
  std::optional<Price> total_reservation_cost;
  std::optional<std::string> remark;
  std::optional<std::string> invoice_reference_id;
  bool credit = false;
  std::optional<std::string> credit_reference_id;
  std::optional<bool> home_charging_compensation;
  core::Timestamp last_updated;

  // Gridlane's own, not in the OCPI object: where the CDR comes from, for filters.
  std::optional<std::int64_t> transaction_id; //!< the session (a credit CDR: the original's)
  core::StationId station = core::StationId::unchecked("");
  bool operator==(const Cdr &) const = default;
};

// ---- codecs: the OCPI text of each enum ---------------------------------------------------------
std::string_view to_string(AuthMethod v);
std::optional<AuthMethod> parse_auth_method(std::string_view s);
std::string_view to_string(CdrTokenType v);
std::optional<CdrTokenType> parse_cdr_token_type(std::string_view s);

} // namespace gridlane::domain
