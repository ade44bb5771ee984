#pragma once
// A complete CDR for tests of the codec, the store and the service: every OCPI field set, so a
// round trip that drops one fails.
#include "gridlane/domain/cdr.hpp"

namespace gridlane::test {

inline core::Decimal dec(const char *text) {
  return core::Decimal::parse(text).value();
}

inline domain::Cdr sample_cdr(std::int64_t transaction_id = 42) {
  using namespace gridlane::domain;
  Cdr c;
  c.country_code = "NL";
  c.party_id = "GRL";
  c.id = "CDR-" + std::to_string(transaction_id);
  c.start_date_time = core::parse_iso8601("2026-03-01T10:00:00Z").value();
  c.end_date_time = core::parse_iso8601("2026-03-01T11:30:00Z").value();
  c.session_id = std::to_string(transaction_id);
  c.cdr_token = {"NL", "GRL", "TAG-1", CdrTokenType::Rfid, "NL-GRL-TAG-1"};
  c.auth_method = AuthMethod::Whitelist;
  c.authorization_reference = "AUTH-9";
  c.cdr_location.id = "LOC1";
  c.cdr_location.name = "Gent Zuid";
  c.cdr_location.address = "F.Rooseveltlaan 3A";
  c.cdr_location.city = "Gent";
  c.cdr_location.postal_code = "9000";
  c.cdr_location.country = "BEL";
  c.cdr_location.coordinates = {"51.047599", "3.729944"};
  c.cdr_location.evse_uid = "3256";
  c.cdr_location.evse_id = "BE*BEC*E041503003";
  c.cdr_location.connector_id = "1";
  c.cdr_location.connector_standard = ConnectorStandard::Iec62196T2;
  c.cdr_location.connector_format = ConnectorFormat::Socket;
  c.cdr_location.connector_power_type = PowerType::Ac1Phase;
  c.meter_id = "METER-7";
  c.currency = core::Currency::eur();
  c.charging_periods = {
      {c.start_date_time, {{CdrDimensionType::Energy, dec("12.345")}, {CdrDimensionType::Time, dec("1.25")}}, "T1"},
      {core::parse_iso8601("2026-03-01T11:15:00Z").value(), {{CdrDimensionType::ParkingTime, dec("0.25")}}, "T1"}};
  c.signed_data =
      SignedData{"OCMF", 1, "PUBKEY", {{"Start", "1000", "c2lnbmVk"}, {"End", "13345", "c2lnbmVkMg=="}}, std::nullopt};
  c.total_cost = {dec("4.2368"), dec("5.1265")};
  c.total_fixed_cost = Price{dec("0.5"), dec("0.605")};
  c.total_energy = dec("12.345");
  c.total_energy_cost = Price{dec("3.0863"), dec("3.7344")};
  c.total_time = dec("1.5");
  c.total_time_cost = Price{dec("0"), dec("0")};
  c.total_parking_time = dec("0.25");
  c.total_parking_cost = Price{dec("0.6505"), dec("0.7871")};
  c.remark = "EVDisconnected";
  c.last_updated = core::parse_iso8601("2026-03-01T11:30:05Z").value();
  c.transaction_id = transaction_id;
  c.station = core::StationId::unchecked("CS-1");
  return c;
}

} // namespace gridlane::test
