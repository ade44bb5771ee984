#include "gridlane/domain/location.hpp"

#include <array>
#include <utility>

namespace gridlane::domain {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}

//! `-?[0-9]{1,int_max}\.[0-9]{5,7}` with the whole degrees at most `max_degrees` (and exactly
//! max_degrees only with a zero fraction).
bool valid_degrees(std::string_view t, std::size_t int_max, int max_degrees) {
  if (!t.empty() && t.front() == '-') t.remove_prefix(1);
  auto dot = t.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > int_max) return false;
  auto whole = t.substr(0, dot), frac = t.substr(dot + 1);
  if (frac.size() < 5 || frac.size() > 7) return false;
  int degrees = 0;
  for (char c : whole) {
    if (!is_digit(c)) return false;
    degrees = degrees * 10 + (c - '0');
  }
  bool zero_fraction = true;
  for (char c : frac) {
    if (!is_digit(c)) return false;
    zero_fraction = zero_fraction && c == '0';
  }
  return degrees < max_degrees || (degrees == max_degrees && zero_fraction);
}

template <class E, std::size_t N> using Names = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N> std::string_view name_of(const Names<E, N> &names, E v) {
  for (const auto &[e, n] : names)
    if (e == v) return n;
  return "UNKNOWN";
}
template <class E, std::size_t N> std::optional<E> value_of(const Names<E, N> &names, std::string_view s) {
  for (const auto &[e, n] : names)
    if (n == s) return e;
  return std::nullopt;
}

using F = Facility;
constexpr Names<F, 20> facility_names{{
    {F::Hotel, "HOTEL"},
    {F::Restaurant, "RESTAURANT"},
    {F::Cafe, "CAFE"},
    {F::Mall, "MALL"},
    {F::Supermarket, "SUPERMARKET"},
    {F::Sport, "SPORT"},
    {F::RecreationArea, "RECREATION_AREA"},
    {F::Nature, "NATURE"},
    {F::Museum, "MUSEUM"},
    {F::BikeSharing, "BIKE_SHARING"},
    {F::BusStop, "BUS_STOP"},
    {F::TaxiStand, "TAXI_STAND"},
    {F::TramStop, "TRAM_STOP"},
    {F::MetroStation, "METRO_STATION"},
    {F::TrainStation, "TRAIN_STATION"},
    {F::Airport, "AIRPORT"},
    {F::ParkingLot, "PARKING_LOT"},
    {F::CarpoolParking, "CARPOOL_PARKING"},
    {F::FuelStation, "FUEL_STATION"},
    {F::Wifi, "WIFI"},
}};

using P = ParkingType;
constexpr Names<P, 6> parking_names{{
    {P::AlongMotorway, "ALONG_MOTORWAY"},
    {P::ParkingGarage, "PARKING_GARAGE"},
    {P::ParkingLot, "PARKING_LOT"},
    {P::OnDriveway, "ON_DRIVEWAY"},
    {P::OnStreet, "ON_STREET"},
    {P::UndergroundGarage, "UNDERGROUND_GARAGE"},
}};

using S = EvseStatus;
constexpr Names<S, 9> status_names{{
    {S::Available, "AVAILABLE"},
    {S::Blocked, "BLOCKED"},
    {S::Charging, "CHARGING"},
    {S::Inoperative, "INOPERATIVE"},
    {S::OutOfOrder, "OUTOFORDER"},
    {S::Planned, "PLANNED"},
    {S::Removed, "REMOVED"},
    {S::Reserved, "RESERVED"},
    {S::Unknown, "UNKNOWN"},
}};

using C = Capability;
constexpr Names<C, 13> capability_names{{
    {C::ChargingProfileCapable, "CHARGING_PROFILE_CAPABLE"},
    {C::ChargingPreferencesCapable, "CHARGING_PREFERENCES_CAPABLE"},
    {C::ChipCardSupport, "CHIP_CARD_SUPPORT"},
    {C::ContactlessCardSupport, "CONTACTLESS_CARD_SUPPORT"},
    {C::CreditCardPayable, "CREDIT_CARD_PAYABLE"},
    {C::DebitCardPayable, "DEBIT_CARD_PAYABLE"},
    {C::PedTerminal, "PED_TERMINAL"},
    {C::RemoteStartStopCapable, "REMOTE_START_STOP_CAPABLE"},
    {C::Reservable, "RESERVABLE"},
    {C::RfidReader, "RFID_READER"},
    {C::StartSessionConnectorRequired, "START_SESSION_CONNECTOR_REQUIRED"},
    {C::TokenGroupCapable, "TOKEN_GROUP_CAPABLE"},
    {C::UnlockCapable, "UNLOCK_CAPABLE"},
}};

using T = ConnectorStandard;
constexpr Names<T, 40> standard_names{{
    {T::Chademo, "CHADEMO"},
    {T::Chaoji, "CHAOJI"},
    {T::DomesticA, "DOMESTIC_A"},
    {T::DomesticB, "DOMESTIC_B"},
    {T::DomesticC, "DOMESTIC_C"},
    {T::DomesticD, "DOMESTIC_D"},
    {T::DomesticE, "DOMESTIC_E"},
    {T::DomesticF, "DOMESTIC_F"},
    {T::DomesticG, "DOMESTIC_G"},
    {T::DomesticH, "DOMESTIC_H"},
    {T::DomesticI, "DOMESTIC_I"},
    {T::DomesticJ, "DOMESTIC_J"},
    {T::DomesticK, "DOMESTIC_K"},
    {T::DomesticL, "DOMESTIC_L"},
    {T::DomesticM, "DOMESTIC_M"},
    {T::DomesticN, "DOMESTIC_N"},
    {T::DomesticO, "DOMESTIC_O"},
    {T::GbtAc, "GBT_AC"},
    {T::GbtDc, "GBT_DC"},
    {T::Iec603092Single16, "IEC_60309_2_single_16"},
    {T::Iec603092Three16, "IEC_60309_2_three_16"},
    {T::Iec603092Three32, "IEC_60309_2_three_32"},
    {T::Iec603092Three64, "IEC_60309_2_three_64"},
    {T::Iec62196T1, "IEC_62196_T1"},
    {T::Iec62196T1Combo, "IEC_62196_T1_COMBO"},
    {T::Iec62196T2, "IEC_62196_T2"},
    {T::Iec62196T2Combo, "IEC_62196_T2_COMBO"},
    {T::Iec62196T3A, "IEC_62196_T3A"},
    {T::Iec62196T3C, "IEC_62196_T3C"},
    {T::Nema520, "NEMA_5_20"},
    {T::Nema630, "NEMA_6_30"},
    {T::Nema650, "NEMA_6_50"},
    {T::Nema1030, "NEMA_10_30"},
    {T::Nema1050, "NEMA_10_50"},
    {T::Nema1430, "NEMA_14_30"},
    {T::Nema1450, "NEMA_14_50"},
    {T::PantographBottomUp, "PANTOGRAPH_BOTTOM_UP"},
    {T::PantographTopDown, "PANTOGRAPH_TOP_DOWN"},
    {T::TeslaR, "TESLA_R"},
    {T::TeslaS, "TESLA_S"},
}};

constexpr Names<ConnectorFormat, 2> format_names{{
    {ConnectorFormat::Socket, "SOCKET"},
    {ConnectorFormat::Cable, "CABLE"},
}};

constexpr Names<PowerType, 5> power_names{{
    {PowerType::Ac1Phase, "AC_1_PHASE"},
    {PowerType::Ac2Phase, "AC_2_PHASE"},
    {PowerType::Ac2PhaseSplit, "AC_2_PHASE_SPLIT"},
    {PowerType::Ac3Phase, "AC_3_PHASE"},
    {PowerType::Dc, "DC"},
}};

} // namespace

std::optional<LocationId> LocationId::parse(std::string_view text) {
  if (text.empty() || text.size() > max_length) return std::nullopt;
  for (char c : text)
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return std::nullopt;
  return LocationId{std::string(text)};
}

std::optional<Emi3EvseId> Emi3EvseId::parse(std::string_view t) {
  // eMI3 "Part 2: business objects" / OCPI EVSE.evse_id (CiString(48)):
  // <country 2 alpha> [*] <operator 3 alnum> [same separator] E <power outlet id 1..30 alnum or *>
  if (t.size() < 7 || t.size() > 48) return std::nullopt;
  if (!is_alpha(t[0]) || !is_alpha(t[1])) return std::nullopt;
  std::size_t i = 2;
  const bool star = t[i] == '*';
  if (star) ++i;
  if (t.size() < i + 5) return std::nullopt;
  for (std::size_t k = 0; k < 3; ++k)
    if (!is_alnum(t[i + k])) return std::nullopt;
  i += 3;
  if (star) {
    if (t[i] != '*') return std::nullopt;
    ++i;
  }
  if (i >= t.size() || (t[i] != 'E' && t[i] != 'e')) return std::nullopt;
  ++i;
  auto outlet = t.substr(i);
  if (outlet.empty() || outlet.size() > 30) return std::nullopt;
  for (char c : outlet)
    if (!is_alnum(c) && c != '*') return std::nullopt;
  return Emi3EvseId{std::string(t)};
}

bool valid_latitude(std::string_view text) {
  return valid_degrees(text, 2, 90);
}
bool valid_longitude(std::string_view text) {
  return valid_degrees(text, 3, 180);
}

bool valid_country_alpha3(std::string_view text) {
  if (text.size() != 3) return false;
  for (char c : text)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

bool valid_clock_time(std::string_view t, bool allow_24) {
  if (t.size() != 5 || t[2] != ':' || !is_digit(t[0]) || !is_digit(t[1]) || !is_digit(t[3]) || !is_digit(t[4]))
    return false;
  int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59) return false;
  return h < 24 || (allow_24 && h == 24 && m == 0);
}

std::string_view to_string(Facility v) {
  return name_of(facility_names, v);
}
std::optional<Facility> parse_facility(std::string_view s) {
  return value_of(facility_names, s);
}
std::string_view to_string(ParkingType v) {
  return name_of(parking_names, v);
}
std::optional<ParkingType> parse_parking_type(std::string_view s) {
  return value_of(parking_names, s);
}
std::string_view to_string(EvseStatus v) {
  return name_of(status_names, v);
}
std::optional<EvseStatus> parse_evse_status(std::string_view s) {
  return value_of(status_names, s);
}
std::string_view to_string(Capability v) {
  return name_of(capability_names, v);
}
std::optional<Capability> parse_capability(std::string_view s) {
  return value_of(capability_names, s);
}
std::string_view to_string(ConnectorStandard v) {
  return name_of(standard_names, v);
}
std::optional<ConnectorStandard> parse_connector_standard(std::string_view s) {
  return value_of(standard_names, s);
}
std::string_view to_string(ConnectorFormat v) {
  return name_of(format_names, v);
}
std::optional<ConnectorFormat> parse_connector_format(std::string_view s) {
  return value_of(format_names, s);
}
std::string_view to_string(PowerType v) {
  return name_of(power_names, v);
}
std::optional<PowerType> parse_power_type(std::string_view s) {
  return value_of(power_names, s);
}

} // namespace gridlane::domain
