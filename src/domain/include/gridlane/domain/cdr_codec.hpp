#pragma once
//! The one codec between a Cdr and its OCPI 2.2.1 JSON (mod_cdrs): what the API serves, what the
//! store keeps in a CDR's row, and what a roaming partner would receive. Field names, enums and
//! units are OCPI's; amounts are written as plain decimals (exact: never more than the six
//! places a core::Decimal holds). decode_cdr(encode_cdr(c)) == c for the OCPI fields.
#include <boost/json/fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::domain {

//! The CDR as an OCPI CDR object (Gridlane's transaction id and station are not part of it).
boost::json::object cdr_to_json(const Cdr &c);
//! The same, as JSON text.
std::string encode_cdr(const Cdr &c);
//! The CDR's `tariffs` member alone, as JSON text (the store keeps it once per distinct array:
//! migration 0019); the same tariffs always give the same text.
std::string encode_cdr_tariffs(const std::vector<Tariff> &tariffs);
//! A CDR from OCPI JSON text. A missing or malformed field is ServiceError::invalid naming it
//! with its path ("cdr_location.evse_uid", "charging_periods[1].dimensions[0].volume").
Result<Cdr> decode_cdr(std::string_view text);

//! OCPI's names of the charging-period dimensions ("ENERGY", "PARKING_TIME", ...).
std::string_view cdr_dimension_text(CdrDimensionType v);
std::optional<CdrDimensionType> parse_cdr_dimension(std::string_view s);
//! The charging periods as OCPI writes them (also the live cost and the preview's shape).
boost::json::array charging_periods_json(const std::vector<ChargingPeriod> &periods);
//! An OCPI Price ({"excl_vat", "incl_vat"?}).
boost::json::object price_json(const Price &p);

//! The readings a station signed during a session, as OCPI SignedData: OCPP 2.x
//! signedMeterValue (signedMeterData, encodingMethod, publicKey) and 1.6 samples in the
//! "SignedData" format. Start for a Transaction.Begin reading, End for Transaction.End,
//! Intermediate otherwise. nullopt when the station signed nothing.
std::optional<SignedData> signed_data_of(const std::vector<MeterSample> &samples);

} // namespace gridlane::domain
