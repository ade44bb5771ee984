#pragma once
//! The one codec between a domain::Tariff and its OCPI 2.2.1 JSON (mod_tariffs, "Tariff Object"):
//! what the operator API reads and serves, what the store keeps and what a CDR carries. Decoding
//! is strict: unknown fields, wrong types, out-of-range numbers, more than six decimals (a price
//! is never rounded silently) and contradictions (min above max, start after end) are refused as
//! ServiceError::invalid naming the field with its path, "elements[0].price_components[1].step_size"
//! (HTTP 422). encode_tariff writes what decode_tariff reads: decode(encode(t)) == t.
//! JSON is confined to the codec's .cpp; the boost::json overloads are for codecs that embed a
//! tariff in a larger document (a CDR's `tariffs`, the preview body) and link Boost.JSON themselves.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "gridlane/domain/result.hpp"
#include "gridlane/domain/tariff.hpp"

namespace gridlane::domain {

struct TariffDecodeOptions {
  //! The last_updated of a tariff whose JSON has none (an operator's PUT); without it the field
  //! is required, as OCPI has it.
  std::optional<core::Timestamp> default_last_updated;
  //! Put before every field name in an error, e.g. "tariff." for a tariff inside a request body.
  std::string field_prefix;
};

//! A tariff from its OCPI JSON text.
Result<Tariff> decode_tariff(std::string_view json_text, const TariffDecodeOptions &options = {});
//! A tariff from a parsed JSON value (must be an object).
Result<Tariff> tariff_from_json(const boost::json::value &json, const TariffDecodeOptions &options = {});

//! The OCPI JSON text: fields in the spec's order, absent optionals left out, numbers as plain
//! decimals (0.25, 2), date-times in UTC ("2015-06-29T20:39:09Z", milliseconds when not zero).
std::string encode_tariff(const Tariff &t);
boost::json::object tariff_to_json(const Tariff &t);

//! The rules decode_tariff applies, for a tariff built in code: ok, or the first broken rule.
Result<void> validate_tariff(const Tariff &t);

//! A tariff id the codec accepts: 1 to 36 letters, digits, '.', '_' or '-' (an OCPI CiString(36)
//! that is safe in a URL path, as location ids are).
bool is_tariff_id(std::string_view text);

//! An OCPI date-time as the codec writes it: UTC, "Z", milliseconds only when not zero.
std::string format_ocpi_time(core::Timestamp t);
//! An OCPI date-time: RFC 3339; a text without an offset is UTC (OCPI 2.2.1 types, DateTime).
std::optional<core::Timestamp> parse_ocpi_time(std::string_view text);

// ---- the OCPI text of each enum ------------------------------------------------------------
std::string_view to_string(TariffDimension d);
std::string_view to_string(TariffType t);
std::string_view to_string(DayOfWeek d);
std::string_view to_string(ReservationRestriction r);
std::string_view to_string(EnergySourceCategory c);
std::string_view to_string(EnvironmentalImpactCategory c);
std::optional<TariffDimension> parse_tariff_dimension(std::string_view text);
std::optional<TariffType> parse_tariff_type(std::string_view text);
std::optional<DayOfWeek> parse_day_of_week(std::string_view text);
std::optional<ReservationRestriction> parse_reservation_restriction(std::string_view text);
std::optional<EnergySourceCategory> parse_energy_source_category(std::string_view text);
std::optional<EnvironmentalImpactCategory> parse_environmental_impact_category(std::string_view text);

} // namespace gridlane::domain
