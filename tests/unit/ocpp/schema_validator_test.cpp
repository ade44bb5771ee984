#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/rpc.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
using Kind = ValidationError::Kind;

namespace {

const MessageCatalog &catalog() {
  static const MessageCatalog c{core::ProtocolVersion::Ocpp16};
  return c;
}

std::optional<ValidationError> check(std::string_view action, std::string_view payload) {
  return catalog().request(action)->validate(boost::json::parse(payload));
}

} // namespace

TEST(SchemaValidator16, knows_every_official_action) {
  for (auto a :
       {"Authorize", "BootNotification", "StartTransaction", "StopTransaction", "MeterValues", "SignCertificate",
        "SecurityEventNotification", "ExtendedTriggerMessage", "GetLog", "RemoteStartTransaction"})
    EXPECT_TRUE(catalog().knows(a)) << a;
  EXPECT_FALSE(catalog().knows("TransactionEvent"));
}

TEST(SchemaValidator16, accepts_a_valid_boot_notification) {
  EXPECT_FALSE(check("BootNotification", R"({"chargePointVendor":"V","chargePointModel":"M","iccid":"123"})"));
}

TEST(SchemaValidator16, reports_each_kind_of_violation) {
  struct Case {
    const char *action;
    const char *payload;
    Kind kind;
    const char *path;
  };
  const Case cases[] = {
      {"BootNotification", R"({"chargePointVendor":"V"})", Kind::Required, "/"},
      {"BootNotification", R"({"chargePointVendor":"V","chargePointModel":7})", Kind::Type, "/chargePointModel"},
      {"BootNotification", R"({"chargePointVendor":"V","chargePointModel":"M","x":1})", Kind::Additional, "/"},
      {"BootNotification", R"({"chargePointVendor":"VVVVVVVVVVVVVVVVVVVVVVVVV","chargePointModel":"M"})", Kind::Length,
       "/chargePointVendor"},
      {"StatusNotification", R"({"connectorId":1,"errorCode":"NoError","status":"Sleeping"})", Kind::Enum, "/status"},
      {"StatusNotification", R"({"connectorId":1.5,"errorCode":"NoError","status":"Available"})", Kind::Type,
       "/connectorId"},
      {"StartTransaction", R"({"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"now"})", Kind::Format,
       "/timestamp"},
      {"MeterValues", R"({"connectorId":1,"meterValue":[]})", Kind::Cardinality, "/meterValue"},
      {"MeterValues",
       R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":"1","unit":"Joule"}]}]})",
       Kind::Enum, "/meterValue/0/sampledValue/0/unit"},
  };
  for (const auto &c : cases) {
    auto e = check(c.action, c.payload);
    ASSERT_TRUE(e) << c.payload;
    EXPECT_EQ(e->kind, c.kind) << c.payload << ": " << e->message;
    EXPECT_EQ(e->path, c.path) << c.payload;
  }
}

TEST(SchemaValidator16, accepts_both_spellings_of_celsius_per_errata) {
  for (auto unit : {"Celcius", "Celsius"}) {
    std::string p =
        std::string(
            R"({"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{"value":"21","measurand":"Temperature","unit":")") +
        unit + R"("}]}]})";
    EXPECT_FALSE(check("MeterValues", p)) << unit;
  }
}

TEST(SchemaValidator16, integral_doubles_count_as_integers) {
  EXPECT_FALSE(check("StatusNotification", R"({"connectorId":1.0,"errorCode":"NoError","status":"Available"})"));
}

TEST(SchemaValidator16, enforces_multiple_of_on_charging_limits) {
  auto profile = [](const char *limit) {
    return std::string(
               R"({"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":)") +
           limit + "}]}}}";
  };
  EXPECT_FALSE(check("SetChargingProfile", profile("16.1")));
  auto e = check("SetChargingProfile", profile("16.15"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::Range);
}

TEST(RpcErrors, map_violations_to_the_16_spelling) {
  using core::ProtocolVersion;
  EXPECT_EQ(wire_name(error_for(Kind::Required), ProtocolVersion::Ocpp16), "OccurenceConstraintViolation");
  EXPECT_EQ(wire_name(error_for(Kind::Additional), ProtocolVersion::Ocpp16), "FormationViolation");
  EXPECT_EQ(wire_name(error_for(Kind::Type), ProtocolVersion::Ocpp16), "TypeConstraintViolation");
  EXPECT_EQ(wire_name(error_for(Kind::Enum), ProtocolVersion::Ocpp16), "PropertyConstraintViolation");
  EXPECT_EQ(wire_name(error_for(Kind::Required), ProtocolVersion::Ocpp201), "OccurrenceConstraintViolation");
  EXPECT_EQ(wire_name(RpcError::RpcFrameworkError, ProtocolVersion::Ocpp16), "ProtocolError");
  EXPECT_EQ(parse_rpc_error("OccurenceConstraintViolation"), RpcError::OccurrenceConstraintViolation);
  EXPECT_EQ(parse_rpc_error("FormationViolation"), RpcError::FormatViolation);
}

TEST(SchemaValidator2x, follows_refs_and_reports_nested_paths) {
  static const MessageCatalog c201{core::ProtocolVersion::Ocpp201};
  static const MessageCatalog c21{core::ProtocolVersion::Ocpp21};
  for (const auto *c : {&c201, &c21}) {
    const auto *boot = c->request("BootNotification");
    ASSERT_NE(boot, nullptr);
    EXPECT_FALSE(
        boot->validate(boost::json::parse(R"({"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}})")));
    auto e = boot->validate(boost::json::parse(R"({"reason":"PowerUp","chargingStation":{"model":"M"}})"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, Kind::Required);
    EXPECT_EQ(e->path, "/chargingStation");
    e = boot->validate(boost::json::parse(R"({"reason":"Sneezed","chargingStation":{"model":"M","vendorName":"V"}})"));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, Kind::Enum);
    // customData is open for vendor extensions
    EXPECT_FALSE(boot->validate(boost::json::parse(
        R"({"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V","customData":{"vendorId":"x","extra":1}}})")));
  }
  EXPECT_TRUE(c21.knows("NotifyPeriodicEventStream"));
  EXPECT_FALSE(c201.knows("NotifyPeriodicEventStream"));
  // 2.1 adds bounds that 2.0.1 did not have.
  auto negative_seq = boost::json::parse(
      R"({"eventType":"Started","timestamp":"2026-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":-1,"transactionInfo":{"transactionId":"T"}})");
  EXPECT_FALSE(c201.request("TransactionEvent")->validate(negative_seq));
  auto e = c21.request("TransactionEvent")->validate(negative_seq);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, Kind::Range);
  EXPECT_EQ(e->path, "/seqNo");
}
