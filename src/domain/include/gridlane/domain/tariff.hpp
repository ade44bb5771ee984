#pragma once
//! Tariffs after OCPI 2.2.1 (mod_tariffs): a tariff is a currency and a list of elements; an
//! element holds price components (ENERGY per kWh, TIME per hour of charging, PARKING_TIME per
//! hour of parking, FLAT per session) and the restrictions under which it applies. The first
//! element whose restrictions match a moment is the one in force for each dimension it prices.
//! Enums are C++ enums; their OCPI text lives in the codec (domain/tariff_codec.hpp). Amounts
//! are exact decimals (core::Decimal), never binary floats.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::domain {

enum class TariffDimension { Energy, Flat, ParkingTime, Time };
enum class TariffType { AdHocPayment, ProfileCheap, ProfileFast, ProfileGreen, Regular };
//! ISO numbering, as core::CivilTime::weekday: Monday 1 .. Sunday 7.
enum class DayOfWeek { Monday = 1, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };
enum class ReservationRestriction { Reservation, ReservationExpires };
enum class EnergySourceCategory { Nuclear, GeneralFossil, Coal, Gas, GeneralGreen, Solar, Wind, Water };
enum class EnvironmentalImpactCategory { NuclearWaste, CarbonDioxide };

struct PriceComponent {
  TariffDimension type = TariffDimension::Energy;
  core::Decimal price;              //!< excl. VAT, per kWh / per hour / per session (>= 0)
  std::optional<core::Decimal> vat; //!< percent; absent: no VAT applies (or it is not known)
  std::int64_t step_size = 1;       //!< billed in steps of this many Wh or seconds (FLAT: unused, 0 or 1)
  bool operator==(const PriceComponent &) const = default;
};

//! A local time of day, "HH:MM" on the wire (00:00..23:59).
struct ClockTime {
  int hour = 0;
  int minute = 0;
  auto operator<=>(const ClockTime &) const = default;
};

//! A local calendar date, "YYYY-MM-DD" on the wire.
struct CalendarDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const CalendarDate &) const = default;
};

//! When an element applies. Times and dates are local to the location; an end is exclusive.
//! start_time 23:00 with end_time 06:00 spans midnight.
struct TariffRestrictions {
  std::optional<ClockTime> start_time;
  std::optional<ClockTime> end_time;
  std::optional<CalendarDate> start_date;
  std::optional<CalendarDate> end_date;
  std::optional<core::Decimal> min_kwh; //!< energy already charged in the session, kWh
  std::optional<core::Decimal> max_kwh;
  std::optional<core::Decimal> min_current; //!< A, summed over phases
  std::optional<core::Decimal> max_current;
  std::optional<core::Decimal> min_power; //!< kW
  std::optional<core::Decimal> max_power;
  std::optional<std::int64_t> min_duration; //!< seconds since the session started
  std::optional<std::int64_t> max_duration;
  std::vector<DayOfWeek> day_of_week;
  std::optional<ReservationRestriction> reservation;
  bool operator==(const TariffRestrictions &) const = default;
};

struct TariffElement {
  std::vector<PriceComponent> price_components;
  std::optional<TariffRestrictions> restrictions;
  bool operator==(const TariffElement &) const = default;
};

struct DisplayText {
  std::string language; //!< ISO 639-1, two letters
  std::string text;     //!< at most 512 characters, no markup
  bool operator==(const DisplayText &) const = default;
};

//! OCPI Price: an amount excluding VAT and, when known, including it.
struct Price {
  core::Decimal excl_vat;
  std::optional<core::Decimal> incl_vat;
  bool operator==(const Price &) const = default;
};

struct EnergySource {
  EnergySourceCategory source = EnergySourceCategory::GeneralGreen;
  core::Decimal percentage; //!< 0..100
  bool operator==(const EnergySource &) const = default;
};

struct EnvironmentalImpact {
  EnvironmentalImpactCategory category = EnvironmentalImpactCategory::CarbonDioxide;
  core::Decimal amount; //!< g/kWh
  bool operator==(const EnvironmentalImpact &) const = default;
};

struct EnergyMix {
  bool is_green_energy = false;
  std::vector<EnergySource> energy_sources;
  std::vector<EnvironmentalImpact> environ_impact;
  std::optional<std::string> supplier_name;
  std::optional<std::string> energy_product_name;
  bool operator==(const EnergyMix &) const = default;
};

struct Tariff {
  std::string country_code; //!< ISO 3166-1 alpha-2 of the CPO
  std::string party_id;     //!< the CPO's OCPI party id, 3 characters
  std::string id;           //!< 1 to 36 characters, unique per CPO
  core::Currency currency = core::Currency::eur();
  std::optional<TariffType> type;
  std::vector<DisplayText> tariff_alt_text;
  std::optional<std::string> tariff_alt_url;
  std::optional<Price> min_price;
  std::optional<Price> max_price;
  std::vector<TariffElement> elements; //!< at least one
  std::optional<core::Timestamp> start_date_time;
  std::optional<core::Timestamp> end_date_time;
  std::optional<EnergyMix> energy_mix;
  core::Timestamp last_updated;
  bool operator==(const Tariff &) const = default;
};

} // namespace gridlane::domain
