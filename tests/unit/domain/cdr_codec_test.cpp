// The OCPI 2.2.1 CDR codec: every field round-trips exactly, the spec's example reads, and a
// malformed CDR is refused naming the field with its path.
#include <gtest/gtest.h>

#include "gridlane/domain/cdr_codec.hpp"
#include "support/sample_cdr.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using gridlane::test::dec;
using gridlane::test::sample_cdr;

namespace {

std::string replace(std::string text, const std::string &from, const std::string &to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(CdrCodec, every_field_round_trips_exactly) {
  auto c = sample_cdr();
  c.credit = true;
  c.credit_reference_id = "CDR-41";
  c.invoice_reference_id = "INV-2026-0001";
  c.home_charging_compensation = false;
  c.total_reservation_cost = Price{dec("1"), std::nullopt};
  auto back = decode_cdr(encode_cdr(c));
  ASSERT_TRUE(back) << back.error().message;
  // Gridlane's own fields are not in the OCPI object.
  EXPECT_FALSE(back->transaction_id);
  back->transaction_id = c.transaction_id;
  back->station = c.station;
  EXPECT_EQ(*back, c);
}

TEST(CdrCodec, writes_ocpi_names_and_plain_decimals) {
  auto text = encode_cdr(sample_cdr());
  EXPECT_NE(text.find(R"("total_cost":{"excl_vat":4.2368,"incl_vat":5.1265})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("type":"PARKING_TIME","volume":0.25)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("auth_method":"WHITELIST")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("connector_power_type":"AC_1_PHASE")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("start_date_time":"2026-03-01T10:00:00Z")"), std::string::npos) << text;
  EXPECT_EQ(text.find("\"credit\""), std::string::npos) << "an ordinary CDR carries no credit flag";
  EXPECT_EQ(text.find("transaction_id"), std::string::npos);
}

TEST(CdrCodec, a_missing_field_is_named_with_its_path) {
  auto text = encode_cdr(sample_cdr());
  auto no_uid = decode_cdr(replace(text, R"("evse_uid":"3256",)", ""));
  ASSERT_FALSE(no_uid);
  EXPECT_EQ(no_uid.error().field, "cdr_location.evse_uid");
  auto bad_dim = decode_cdr(replace(text, R"("type":"PARKING_TIME")", R"("type":"PARKING")"));
  ASSERT_FALSE(bad_dim);
  EXPECT_EQ(bad_dim.error().field, "charging_periods[1].dimensions[0].type");
  auto bad_volume = decode_cdr(replace(text, R"("volume":0.25)", R"("volume":"0.25")"));
  ASSERT_FALSE(bad_volume);
  EXPECT_EQ(bad_volume.error().field, "charging_periods[1].dimensions[0].volume");
  auto credit_without_reference = decode_cdr(replace(text, R"("last_updated")", R"("credit":true,"last_updated")"));
  ASSERT_FALSE(credit_without_reference);
  EXPECT_EQ(credit_without_reference.error().field, "credit_reference_id");
}

// OCPI 2.2.1 examples/cdr_example.json, verbatim.
constexpr const char *spec_example = R"({
  "country_code": "BE",
  "party_id": "BEC",
  "id": "12345",
  "start_date_time": "2015-06-29T21:39:09Z",
  "end_date_time": "2015-06-29T23:37:32Z",
  "cdr_token": {
    "uid": "012345678",
    "type": "RFID",
    "contract_id": "DE8ACC12E46L89"
  },
  "auth_method": "WHITELIST",
  "cdr_location": {
    "id": "LOC1",
    "name": "Gent Zuid",
    "address": "F.Rooseveltlaan 3A",
    "city": "Gent",
    "postal_code": "9000",
    "country": "BEL",
    "coordinates": {
      "latitude": "3.729944",
      "longitude": "51.047599"
    },
    "evse_uid": "3256",
    "evse_id": "BE*BEC*E041503003",
    "connector_id": "1",
    "connector_standard": "IEC_62196_T2",
    "connector_format": "SOCKET",
    "connector_power_type": "AC_1_PHASE"
  },
  "currency": "EUR",
  "tariffs": [{
    "country_code": "BE",
    "party_id": "BEC",
    "id": "12",
    "currency": "EUR",
    "elements": [{
      "price_components": [{
        "type": "TIME",
        "price": 2.00,
        "vat": 10.0,
        "step_size": 300
      }]
    }],
    "last_updated": "2015-02-02T14:15:01Z"
  }],
  "charging_periods": [{
    "start_date_time": "2015-06-29T21:39:09Z",
    "dimensions": [{
      "type": "TIME",
      "volume": 1.973
    }],
    "tariff_id": "12"
  }],
  "total_cost": {
    "excl_vat": 4.00,
    "incl_vat": 4.40
  },
  "total_energy": 15.342,
  "total_time": 1.973,
  "total_time_cost": {
    "excl_vat": 4.00,
    "incl_vat": 4.40
  },
  "last_updated": "2015-06-29T22:01:13Z"
})";

TEST(CdrCodec, reads_the_specification_example_once_its_token_names_its_owner) {
  std::string text = spec_example;
  // The example's cdr_token lacks country_code and party_id, which the CdrToken table requires.
  auto as_given = decode_cdr(text);
  ASSERT_FALSE(as_given);
  EXPECT_EQ(as_given.error().field, "cdr_token.country_code");
  auto fixed =
      replace(text, R"("uid": "012345678",)", R"("country_code": "BE", "party_id": "BEC", "uid": "012345678",)");
  auto c = decode_cdr(fixed);
  ASSERT_TRUE(c) << c.error().message << " at " << c.error().field.value_or("");
  EXPECT_EQ(c->id, "12345");
  EXPECT_EQ(c->total_cost.excl_vat, dec("4"));
  EXPECT_EQ(c->total_cost.incl_vat, dec("4.4"));
  EXPECT_EQ(c->total_energy, dec("15.342"));
  EXPECT_EQ(c->charging_periods.at(0).dimensions.at(0).volume, dec("1.973"));
  EXPECT_EQ(c->cdr_location.connector_standard, ConnectorStandard::Iec62196T2);
}

TEST(CdrCodec, signed_readings_become_ocpi_signed_data) {
  MeterSample begin;
  begin.value = "1000";
  begin.context = "Transaction.Begin";
  begin.signed_data = R"({"signedMeterData":"QUJD","signingMethod":"","encodingMethod":"OCMF","publicKey":"KEY"})";
  MeterSample plain;
  plain.value = "2000";
  MeterSample end;
  end.value = "3000";
  end.context = "Transaction.End";
  end.signed_data = R"({"signedMeterData":"REVG","signingMethod":"","encodingMethod":"OCMF","publicKey":"KEY"})";
  auto s = signed_data_of({begin, plain, end});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->encoding_method, "OCMF");
  EXPECT_EQ(s->public_key, "KEY");
  ASSERT_EQ(s->signed_values.size(), 2U);
  EXPECT_EQ(s->signed_values[0], (SignedValue{"Start", "1000", "QUJD"}));
  EXPECT_EQ(s->signed_values[1], (SignedValue{"End", "3000", "REVG"}));
  EXPECT_FALSE(signed_data_of({plain}));
}

} // namespace
