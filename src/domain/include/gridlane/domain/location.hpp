#pragma once
//! The physical model, after OCPI 2.2.1 (mod_locations): a Location holds stations, a station
//! its EVSEs, an EVSE its connectors. OCPP ids map onto it (docs/locations.md): a 2.x
//! (evseId, connectorId) directly; a 1.6 connector n is EVSE n with its connector 1.
//! Enums are C++ enums; their OCPI text lives in the codecs (to_string / parse_* below).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/core/units.hpp"

namespace gridlane::domain {

using core::StationId;
using core::Timestamp;

//! A location's id: OCPI CiString(36), here 1 to 36 of A-Z a-z 0-9 . _ - (never renamed).
class LocationId {
public:
  static constexpr std::size_t max_length = 36;
  static std::optional<LocationId> parse(std::string_view text);
  static LocationId unchecked(std::string text) { return LocationId{std::move(text)}; }
  const std::string &str() const { return value_; }
  auto operator<=>(const LocationId &) const = default;

private:
  explicit LocationId(std::string v) : value_(std::move(v)) {}
  std::string value_;
};

//! The server's id of an EVSE (OCPI EVSE.uid, as a decimal): assigned once, never reused.
class EvseUid {
public:
  constexpr explicit EvseUid(std::int64_t v) : value_(v) {}
  constexpr std::int64_t value() const { return value_; }
  auto operator<=>(const EvseUid &) const = default;

private:
  std::int64_t value_;
};

//! An EVSE id after eMI3 / OCPI ("NL*GLN*E000123*1"): country (2 letters), optional '*', operator
//! (3 letters or digits), the same separator, 'E', then 1 to 30 letters, digits or '*'. Kept as the
//! operator wrote it; compared without regard to case (OCPI CiString).
class Emi3EvseId {
public:
  static std::optional<Emi3EvseId> parse(std::string_view text);
  static Emi3EvseId unchecked(std::string text) { return Emi3EvseId{std::move(text)}; }
  const std::string &str() const { return value_; }
  bool operator==(const Emi3EvseId &) const = default;

private:
  explicit Emi3EvseId(std::string v) : value_(std::move(v)) {}
  std::string value_;
};

//! WGS 84 coordinates as OCPI writes them: exact decimal text, never a float.
//! latitude `-?[0-9]{1,2}\.[0-9]{5,7}` within ±90, longitude `-?[0-9]{1,3}\.[0-9]{5,7}` within ±180.
struct GeoLocation {
  std::string latitude;
  std::string longitude;
  bool operator==(const GeoLocation &) const = default;
};
bool valid_latitude(std::string_view text);
bool valid_longitude(std::string_view text);
//! ISO 3166-1 alpha-3 by form: three upper-case letters.
bool valid_country_alpha3(std::string_view text);
//! "HH:MM", 00:00 to 23:59 (24:00 allowed as an end).
bool valid_clock_time(std::string_view text, bool allow_24 = false);

struct BusinessDetails {
  std::string name; //!< at most 100 characters
  std::optional<std::string> website;
  bool operator==(const BusinessDetails &) const = default;
};

struct RegularHours {
  int weekday = 1;          //!< 1 Monday ... 7 Sunday
  std::string period_begin; //!< "HH:MM", local time of the location
  std::string period_end;   //!< later than period_begin
  bool operator==(const RegularHours &) const = default;
};
struct ExceptionalPeriod {
  Timestamp period_begin;
  Timestamp period_end;
  bool operator==(const ExceptionalPeriod &) const = default;
};
struct OpeningTimes {
  bool twentyfourseven = true;
  std::vector<RegularHours> regular_hours; //!< only when not twentyfourseven, then at least one
  std::vector<ExceptionalPeriod> exceptional_openings;
  std::vector<ExceptionalPeriod> exceptional_closings;
  bool operator==(const OpeningTimes &) const = default;
};

enum class Facility {
  Hotel,
  Restaurant,
  Cafe,
  Mall,
  Supermarket,
  Sport,
  RecreationArea,
  Nature,
  Museum,
  BikeSharing,
  BusStop,
  TaxiStand,
  TramStop,
  MetroStation,
  TrainStation,
  Airport,
  ParkingLot,
  CarpoolParking,
  FuelStation,
  Wifi,
};
enum class ParkingType { AlongMotorway, ParkingGarage, ParkingLot, OnDriveway, OnStreet, UndergroundGarage };
enum class EvseStatus { Available, Blocked, Charging, Inoperative, OutOfOrder, Planned, Removed, Reserved, Unknown };
enum class Capability {
  ChargingProfileCapable,
  ChargingPreferencesCapable,
  ChipCardSupport,
  ContactlessCardSupport,
  CreditCardPayable,
  DebitCardPayable,
  PedTerminal,
  RemoteStartStopCapable,
  Reservable,
  RfidReader,
  StartSessionConnectorRequired,
  TokenGroupCapable,
  UnlockCapable,
};
enum class ConnectorStandard {
  Chademo,
  Chaoji,
  DomesticA,
  DomesticB,
  DomesticC,
  DomesticD,
  DomesticE,
  DomesticF,
  DomesticG,
  DomesticH,
  DomesticI,
  DomesticJ,
  DomesticK,
  DomesticL,
  DomesticM,
  DomesticN,
  DomesticO,
  GbtAc,
  GbtDc,
  Iec603092Single16,
  Iec603092Three16,
  Iec603092Three32,
  Iec603092Three64,
  Iec62196T1,
  Iec62196T1Combo,
  Iec62196T2,
  Iec62196T2Combo,
  Iec62196T3A,
  Iec62196T3C,
  Nema520,
  Nema630,
  Nema650,
  Nema1030,
  Nema1050,
  Nema1430,
  Nema1450,
  PantographBottomUp,
  PantographTopDown,
  TeslaR,
  TeslaS,
};
enum class ConnectorFormat { Socket, Cable };
enum class PowerType { Ac1Phase, Ac2Phase, Ac2PhaseSplit, Ac3Phase, Dc };

struct Location {
  LocationId id = LocationId::unchecked("");
  std::string name; //!< unique; a station's `site` is its location's name
  std::optional<std::string> address, city, postal_code, state;
  std::optional<std::string> country; //!< ISO 3166-1 alpha-3
  std::optional<GeoLocation> coordinates;
  std::optional<std::string> time_zone; //!< IANA, e.g. "Europe/Amsterdam"
  std::optional<BusinessDetails> operator_details, suboperator, owner;
  std::optional<OpeningTimes> opening_times;
  std::vector<Facility> facilities;
  std::optional<ParkingType> parking_type;
  bool publish = false; //!< true needs address, city, country, coordinates and time zone
  Timestamp created_at;
  Timestamp updated_at;
};

struct Connector {
  int connector_id = 1; //!< OCPP connector id within its EVSE (2.x); always 1 for a 1.6 station
  //! Unknown for a connector created because a station reported it; set by the operator.
  std::optional<ConnectorStandard> standard;
  std::optional<ConnectorFormat> format;
  std::optional<PowerType> power_type;
  std::optional<core::Voltage> max_voltage;  //!< line to neutral for AC_3_PHASE
  std::optional<core::Current> max_amperage; //!< mA
  std::optional<core::Power> max_electric_power;
  Timestamp created_at;
  Timestamp updated_at;
};

struct Evse {
  EvseUid uid{0};
  core::StationId station = core::StationId::unchecked("");
  int evse_id = 1; //!< OCPP 2.x evseId; for a 1.6 station its connector id
  std::optional<Emi3EvseId> emi3_id;
  EvseStatus status = EvseStatus::Unknown;
  std::vector<Capability> capabilities;
  std::optional<std::string> floor_level;        //!< at most 4 characters
  std::optional<std::string> physical_reference; //!< at most 16 characters
  bool reported = false; //!< created because the station reported it, not described by an operator
  std::vector<Connector> connectors;
  Timestamp created_at;
  Timestamp updated_at;
};

struct LocationFilter {
  std::optional<std::string> name;    //!< exact name
  std::optional<std::string> city;    //!< exact city
  std::optional<std::string> country; //!< alpha-3
  std::optional<bool> publish;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

// ---- codecs: the OCPI text of each enum -------------------------------------------------------
std::string_view to_string(Facility v);
std::optional<Facility> parse_facility(std::string_view s);
std::string_view to_string(ParkingType v);
std::optional<ParkingType> parse_parking_type(std::string_view s);
std::string_view to_string(EvseStatus v);
std::optional<EvseStatus> parse_evse_status(std::string_view s);
std::string_view to_string(Capability v);
std::optional<Capability> parse_capability(std::string_view s);
std::string_view to_string(ConnectorStandard v);
std::optional<ConnectorStandard> parse_connector_standard(std::string_view s);
std::string_view to_string(ConnectorFormat v);
std::optional<ConnectorFormat> parse_connector_format(std::string_view s);
std::string_view to_string(PowerType v);
std::optional<PowerType> parse_power_type(std::string_view s);

} // namespace gridlane::domain
