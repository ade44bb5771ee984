// Every remote command rendered for OCPP 1.6, 2.0.1 and 2.1 from the typed domain Command: the
// payload is validated against the official schema of its action, its key fields are checked,
// and what a version cannot express is refused with the field named.
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <set>

#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/commands.hpp"

// The cases spell only the fields they set (designated initializers); the rest keep their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;
using core::ProtocolVersion;

namespace {

const ocpp::MessageCatalog &catalog(ProtocolVersion v) {
  static const ocpp::MessageCatalog v16{ProtocolVersion::Ocpp16}, v201{ProtocolVersion::Ocpp201},
      v21{ProtocolVersion::Ocpp21};
  return v == ProtocolVersion::Ocpp16 ? v16 : v == ProtocolVersion::Ocpp201 ? v201 : v21;
}

const char *name(ProtocolVersion v) {
  return v == ProtocolVersion::Ocpp16 ? "1.6" : v == ProtocolVersion::Ocpp201 ? "2.0.1" : "2.1";
}

//! `expected` is contained in `actual`: every key of an object with an equal (contained) value,
//! arrays element by element and of the same length, scalars equal.
::testing::AssertionResult contains(const json::value &actual, const json::value &expected,
                                    const std::string &at = "") {
  if (expected.is_object()) {
    if (!actual.is_object()) return ::testing::AssertionFailure() << at << " is not an object";
    for (const auto &[k, v] : expected.as_object()) {
      const auto *a = actual.as_object().if_contains(k);
      if (!a) return ::testing::AssertionFailure() << at << "/" << std::string(k) << " is missing";
      if (auto r = contains(*a, v, at + "/" + std::string(k)); !r) return r;
    }
    return ::testing::AssertionSuccess();
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.as_array().size() != expected.as_array().size())
      return ::testing::AssertionFailure() << at << " is not an array of " << expected.as_array().size();
    for (std::size_t i = 0; i < expected.as_array().size(); ++i) {
      if (auto r = contains(actual.as_array()[i], expected.as_array()[i], at + "/" + std::to_string(i)); !r) return r;
    }
    return ::testing::AssertionSuccess();
  }
  if (expected.is_number() && actual.is_number() && expected.to_number<double>() == actual.to_number<double>())
    return ::testing::AssertionSuccess();
  if (actual == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << at << " is " << json::serialize(actual) << ", not "
                                       << json::serialize(expected);
}

//! Renders, checks the payload against the version's official schema, and returns it.
ocpp::RenderedCall rendered(ProtocolVersion v, const Command &c, std::int64_t id = 77) {
  auto call = ocpp::render_command(v, c, id);
  EXPECT_TRUE(call) << kind_of(c) << " on " << name(v) << ": " << (call ? "" : call.error().message);
  if (!call) return {};
  const auto *schema = catalog(v).request(call->action);
  EXPECT_TRUE(schema) << call->action;
  if (schema) {
    auto invalid = schema->validate(call->payload);
    EXPECT_FALSE(invalid) << kind_of(c) << " on " << name(v) << ": " << json::serialize(call->payload) << ": "
                          << (invalid ? invalid->path + " " + invalid->message : "");
  }
  return *call;
}

ServiceError refused(ProtocolVersion v, const Command &c) {
  auto call = ocpp::render_command(v, c, 77);
  EXPECT_FALSE(call) << kind_of(c) << " on " << name(v) << " rendered " << (call ? json::serialize(call->payload) : "");
  return call ? ServiceError{} : call.error();
}

Timestamp at(const char *iso) {
  return *core::parse_iso8601(iso);
}

ChargingProfile profile(ChargingRateUnit unit, std::int64_t limit_milli) {
  ChargingProfile p;
  p.id = 5;
  p.stack_level = 2;
  p.purpose = ChargingProfilePurpose::TxDefault;
  p.kind = ChargingProfileKind::Relative;
  p.schedules.push_back(ChargingSchedule{
      .id = 1, .unit = unit, .periods = {{.start_s = 0, .limit = {limit_milli}}, {.start_s = 600, .limit = {0}}}});
  return p;
}

constexpr ProtocolVersion all_versions[] = {ProtocolVersion::Ocpp16, ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21};
constexpr ProtocolVersion v2x[] = {ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21};

struct Case {
  Command command;
  const char *action16; //!< nullptr: 1.6 cannot express it
  const char *fields16; //!< contained in the 1.6 payload
  const char *action2;  //!< nullptr: 2.x cannot express it
  const char *fields2;  //!< contained in the 2.0.1 and 2.1 payloads
};

std::vector<Case> every_kind() {
  namespace c = commands;
  c::VariableRef var{.component = "OCPPCommCtrlr",
                     .evse_id = 1,
                     .connector_id = 2,
                     .variable = "HeartbeatInterval",
                     .attribute_type = AttributeType::Target};
  auto set = var;
  set.value = "60";
  c::SetNetworkProfile net{
      .configuration_slot = 1,
      .ocpp_csms_url = "wss://csms.example.com/ocpp",
      .message_timeout_s = 30,
      .security_profile = 2,
      .ocpp_interface = OcppInterface::Wireless0,
      .apn = c::Apn{.apn = "internet", .authentication = ApnAuthentication::PAP},
      .vpn = c::Vpn{.server = "vpn", .user = "u", .password = "p", .key = "k", .type = VpnType::IPSec}};
  return {
      {c::RemoteStart{.id_tag = "TAG-1", .connector_id = 2, .evse_id = 1, .id_token_type = IdTokenType::ISO14443},
       "RemoteStartTransaction", R"({"idTag":"TAG-1","connectorId":2})", "RequestStartTransaction",
       R"({"idToken":{"idToken":"TAG-1","type":"ISO14443"},"remoteStartId":77,"evseId":1})"},
      {c::RemoteStop{.transaction_id = 42, .station_transaction_id = "TX-A"}, "RemoteStopTransaction",
       R"({"transactionId":42})", "RequestStopTransaction", R"({"transactionId":"TX-A"})"},
      {c::Reset{.type = ResetKind::Hard, .evse_id = 1}, "Reset", R"({"type":"Hard"})", "Reset",
       R"({"type":"Immediate","evseId":1})"},
      {c::UnlockConnector{.connector_id = 2, .evse_id = 1}, "UnlockConnector", R"({"connectorId":2})",
       "UnlockConnector", R"({"evseId":1,"connectorId":2})"},
      {c::ChangeAvailability{.operative = false, .connector_id = 2, .evse_id = 1}, "ChangeAvailability",
       R"({"connectorId":2,"type":"Inoperative"})", "ChangeAvailability",
       R"({"operationalStatus":"Inoperative","evse":{"id":1,"connectorId":2}})"},
      {c::GetConfiguration{.keys = std::vector<std::string>{"HeartbeatInterval"}}, "GetConfiguration",
       R"({"key":["HeartbeatInterval"]})", nullptr, nullptr},
      {c::ChangeConfiguration{.key = "HeartbeatInterval", .value = "60"}, "ChangeConfiguration",
       R"({"key":"HeartbeatInterval","value":"60"})", nullptr, nullptr},
      {c::GetVariables{{var}}, nullptr, nullptr, "GetVariables",
       R"({"getVariableData":[{"attributeType":"Target","component":{"name":"OCPPCommCtrlr","evse":{"id":1,"connectorId":2}},"variable":{"name":"HeartbeatInterval"}}]})"},
      {c::SetVariables{{set}}, nullptr, nullptr, "SetVariables",
       R"({"setVariableData":[{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]})"},
      {c::TriggerMessage{.message = TriggerableMessage::StatusNotification, .connector_id = 2, .evse_id = 1},
       "TriggerMessage", R"({"requestedMessage":"StatusNotification","connectorId":2})", "TriggerMessage",
       R"({"requestedMessage":"StatusNotification","evse":{"id":1,"connectorId":2}})"},
      {c::ClearCache{}, "ClearCache", "{}", "ClearCache", "{}"},
      {c::DataTransfer{.vendor_id = "com.example", .message_id = "m", .data_json = R"("text")"}, "DataTransfer",
       R"({"vendorId":"com.example","messageId":"m","data":"text"})", "DataTransfer",
       R"({"vendorId":"com.example","messageId":"m","data":"text"})"},
      {c::UpdateFirmware{.location = "https://fw/x.bin", .retrieve_at = at("2026-12-01T00:00:00Z"), .retries = 3},
       "UpdateFirmware", R"({"location":"https://fw/x.bin","retrieveDate":"2026-12-01T00:00:00.000Z","retries":3})",
       "UpdateFirmware",
       R"({"requestId":77,"retries":3,"firmware":{"location":"https://fw/x.bin","retrieveDateTime":"2026-12-01T00:00:00.000Z"}})"},
      {c::GetDiagnostics{.location = "ftp://logs/"}, "GetDiagnostics", R"({"location":"ftp://logs/"})", "GetLog",
       R"({"logType":"DiagnosticsLog","requestId":77,"log":{"remoteLocation":"ftp://logs/"}})"},
      {c::GetLog{.location = "ftp://logs/", .log_type = LogType::SecurityLog}, "GetLog",
       R"({"logType":"SecurityLog","requestId":77,"log":{"remoteLocation":"ftp://logs/"}})", "GetLog",
       R"({"logType":"SecurityLog","requestId":77,"log":{"remoteLocation":"ftp://logs/"}})"},
      {c::SendLocalList{.version = 4,
                        .update_type = LocalListUpdate::Differential,
                        .tokens = {{"A", LocalListStatus::Accepted}, {"B", LocalListStatus::Blocked}}},
       "SendLocalList",
       R"({"listVersion":4,"updateType":"Differential","localAuthorizationList":[{"idTag":"A","idTagInfo":{"status":"Accepted"}},{"idTag":"B","idTagInfo":{"status":"Blocked"}}]})",
       "SendLocalList",
       R"({"versionNumber":4,"updateType":"Differential","localAuthorizationList":[{"idToken":{"idToken":"A","type":"Central"},"idTokenInfo":{"status":"Accepted"}},{"idToken":{"idToken":"B","type":"Central"},"idTokenInfo":{"status":"Blocked"}}]})"},
      {c::GetLocalListVersion{}, "GetLocalListVersion", "{}", "GetLocalListVersion", "{}"},
      {c::ReserveNow{.id_tag = "R", .expires_at = at("2026-12-01T10:00:00+01:00"), .connector_id = 1, .evse_id = 1},
       "ReserveNow", R"({"connectorId":1,"idTag":"R","reservationId":77,"expiryDate":"2026-12-01T09:00:00.000Z"})",
       "ReserveNow",
       R"({"id":77,"evseId":1,"idToken":{"idToken":"R","type":"Central"},"expiryDateTime":"2026-12-01T09:00:00.000Z"})"},
      {c::CancelReservation{.reservation_id = 7}, "CancelReservation", R"({"reservationId":7})", "CancelReservation",
       R"({"reservationId":7})"},
      {c::SetChargingProfile{.connector_id = 1, .evse_id = 1, .profile = profile(ChargingRateUnit::A, 16000)},
       "SetChargingProfile",
       R"({"connectorId":1,"csChargingProfiles":{"chargingProfileId":5,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16},{"startPeriod":600,"limit":0}]}}})",
       "SetChargingProfile",
       R"({"evseId":1,"chargingProfile":{"id":5,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative","chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16},{"startPeriod":600,"limit":0}]}]}})"},
      {c::ClearChargingProfile{.profile_id = 5,
                               .connector_id = 1,
                               .evse_id = 1,
                               .purpose = ChargingProfilePurpose::StationMax,
                               .stack_level = 0},
       "ClearChargingProfile",
       R"({"id":5,"connectorId":1,"chargingProfilePurpose":"ChargePointMaxProfile","stackLevel":0})",
       "ClearChargingProfile",
       R"({"chargingProfileId":5,"chargingProfileCriteria":{"evseId":1,"chargingProfilePurpose":"ChargingStationMaxProfile","stackLevel":0}})"},
      {c::GetCompositeSchedule{.duration_s = 3600, .unit = ChargingRateUnit::W, .connector_id = 1, .evse_id = 1},
       "GetCompositeSchedule", R"({"connectorId":1,"duration":3600,"chargingRateUnit":"W"})", "GetCompositeSchedule",
       R"({"evseId":1,"duration":3600,"chargingRateUnit":"W"})"},
      {c::GetBaseReport{ReportBase::SummaryInventory}, nullptr, nullptr, "GetBaseReport",
       R"({"requestId":77,"reportBase":"SummaryInventory"})"},
      {c::GetTransactionStatus{.transaction_id = 9, .station_transaction_id = "TX-A"}, nullptr, nullptr,
       "GetTransactionStatus", R"({"transactionId":"TX-A"})"},
      {net, nullptr, nullptr, "SetNetworkProfile",
       R"({"configurationSlot":1,"connectionData":{"ocppVersion":"OCPP20","ocppTransport":"JSON","ocppCsmsUrl":"wss://csms.example.com/ocpp","messageTimeout":30,"securityProfile":2,"ocppInterface":"Wireless0","apn":{"apn":"internet","apnAuthentication":"PAP"},"vpn":{"server":"vpn","user":"u","password":"p","key":"k","type":"IPSec"}}})"},
      {c::CostUpdated{
           .transaction_id = 9, .station_transaction_id = "TX-A", .total_cost = *core::Decimal::parse("2.4123")},
       nullptr, nullptr, "CostUpdated", R"({"totalCost":2.4123,"transactionId":"TX-A"})"},
      {c::GetChargingProfiles{.evse_id = 1, .purpose = ChargingProfilePurpose::Tx, .profile_ids = {5}}, nullptr,
       nullptr, "GetChargingProfiles",
       R"({"requestId":77,"evseId":1,"chargingProfile":{"chargingProfilePurpose":"TxProfile","chargingProfileId":[5]}})"},
      {c::SetVariableMonitoring{
           {c::VariableMonitor{.id = 3,
                               .transaction = true,
                               .value = *core::Decimal::parse("22000.5"),
                               .type = MonitorType::UpperThreshold,
                               .severity = 4,
                               .variable = {.component = "EVSE", .evse_id = 1, .variable = "Power"}}}},
       nullptr, nullptr, "SetVariableMonitoring",
       R"({"setMonitoringData":[{"id":3,"transaction":true,"value":22000.5,"type":"UpperThreshold","severity":4,"component":{"name":"EVSE","evse":{"id":1}},"variable":{"name":"Power"}}]})"},
      {c::SetMonitoringBase{MonitoringBase::HardWiredOnly}, nullptr, nullptr, "SetMonitoringBase",
       R"({"monitoringBase":"HardWiredOnly"})"},
      {c::SetMonitoringLevel{7}, nullptr, nullptr, "SetMonitoringLevel", R"({"severity":7})"},
      {c::ClearVariableMonitoring{{3, 4}}, nullptr, nullptr, "ClearVariableMonitoring", R"({"id":[3,4]})"},
      {c::GetMonitoringReport{.criteria = {MonitoringCriterion::PeriodicMonitoring},
                              .components = {{.component = "EVSE", .evse_id = 1}}},
       nullptr, nullptr, "GetMonitoringReport",
       R"({"requestId":77,"monitoringCriteria":["PeriodicMonitoring"],"componentVariable":[{"component":{"name":"EVSE","evse":{"id":1}}}]})"},
      {c::CustomerInformation{.report = true, .clear = true, .customer_identifier = "OpenChargeAlliance"}, nullptr,
       nullptr, "CustomerInformation",
       R"({"requestId":77,"report":true,"clear":true,"customerIdentifier":"OpenChargeAlliance"})"},
  };
}

} // namespace

TEST(CommandRender, every_kind_in_every_version_is_schema_valid_with_its_key_fields_or_refused_by_kind) {
  std::set<std::size_t> covered;
  for (const auto &c : every_kind()) {
    covered.insert(c.command.index());
    for (auto v : all_versions) {
      const bool v16 = v == ProtocolVersion::Ocpp16;
      const char *action = v16 ? c.action16 : c.action2;
      const char *fields = v16 ? c.fields16 : c.fields2;
      SCOPED_TRACE(std::string(kind_of(c.command)) + " on " + name(v));
      if (!action) {
        auto e = refused(v, c.command);
        EXPECT_EQ(e.field, "kind") << e.message;
        EXPECT_NE(e.message.find(v16 ? "OCPP 2.x" : "OCPP 1.6"), std::string::npos) << e.message;
        continue;
      }
      auto call = rendered(v, c.command);
      EXPECT_EQ(call.action, action);
      EXPECT_TRUE(contains(call.payload, json::parse(fields))) << json::serialize(call.payload);
    }
  }
  EXPECT_EQ(covered.size(), std::variant_size_v<Command>) << "a case for every command kind";
}

TEST(CommandRender, remote_start_defaults_and_version_specific_fields) {
  commands::RemoteStart start{.id_tag = "T", .connector_id = 2};
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp16, start).payload, json::parse(R"({"connectorId":2,"idTag":"T"})"));
  auto start2 = rendered(ProtocolVersion::Ocpp201, start, 1234).payload;
  EXPECT_EQ(start2, json::parse(R"({"idToken":{"idToken":"T","type":"Central"},"remoteStartId":1234})"))
      << "no evseId when none is named; the command id ties the TransactionEvent";
  commands::ReserveNow reserve{.id_tag = "R", .expires_at = at("2026-12-01T00:00:00Z"), .reservation_id = 9};
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, reserve).field, "connector_id");
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp21, reserve).payload.at("id").as_int64(), 9);
}

TEST(CommandRender, parameters_a_version_needs_are_refused_by_name) {
  namespace c = commands;
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::UnlockConnector{.connector_id = 1}).field, "evse_id");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, c::SetChargingProfile{.evse_id = 1}).field, "connector_id");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp21, c::SetChargingProfile{.connector_id = 1}).field, "evse_id");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, c::GetCompositeSchedule{.duration_s = 1, .evse_id = 1}).field,
            "connector_id");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::GetCompositeSchedule{.duration_s = 1, .connector_id = 1}).field,
            "evse_id");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, c::DataTransfer{.vendor_id = "v", .data_json = R"({"any":1})"}).field,
            "data");
  auto object = rendered(ProtocolVersion::Ocpp201, c::DataTransfer{.vendor_id = "v", .data_json = R"({"any":1})"});
  EXPECT_EQ(object.payload.at("data"), json::parse(R"({"any":1})")) << "2.x data is any JSON";
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::RemoteStop{.transaction_id = 1}).field, "transaction_id")
      << "a 2.x stop needs the station's transaction id";
}

TEST(CommandRender, enumerations_only_where_the_version_has_them) {
  namespace c = commands;
  auto log_status = c::TriggerMessage{.message = TriggerableMessage::LogStatusNotification};
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, log_status).field, "message");
  rendered(ProtocolVersion::Ocpp201, log_status);
  auto diag = c::TriggerMessage{.message = TriggerableMessage::DiagnosticsStatusNotification};
  rendered(ProtocolVersion::Ocpp16, diag);
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, diag).field, "message");
  auto v2g20 = c::TriggerMessage{.message = TriggerableMessage::SignV2G20Certificate};
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, v2g20).field, "message");
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp21, v2g20).payload.at("requestedMessage"), "SignV2G20Certificate");

  c::SetNetworkProfile net{.configuration_slot = 1,
                           .ocpp_version = OcppVersionName::OCPP21,
                           .ocpp_csms_url = "wss://c/ocpp",
                           .message_timeout_s = 30,
                           .security_profile = 1,
                           .ocpp_interface = OcppInterface::Any};
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, net).field, "connection_data.ocpp_version");
  net.ocpp_version = OcppVersionName::OCPP20;
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, net).field, "connection_data.ocpp_interface");
  net.ocpp_version = OcppVersionName::OCPP21;
  EXPECT_TRUE(contains(rendered(ProtocolVersion::Ocpp21, net).payload,
                       json::parse(R"({"connectionData":{"ocppVersion":"OCPP21","ocppInterface":"Any"}})")));

  auto clear = c::ClearChargingProfile{.purpose = ChargingProfilePurpose::StationExternalConstraints};
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, clear).field, "purpose");
  EXPECT_TRUE(contains(
      rendered(ProtocolVersion::Ocpp201, clear).payload,
      json::parse(R"({"chargingProfileCriteria":{"chargingProfilePurpose":"ChargingStationExternalConstraints"}})")));
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp16, c::ClearChargingProfile{}).payload, json::object{})
      << "no criteria: every profile";
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp201, c::ClearChargingProfile{}).payload, json::object{});
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp16, c::Reset{}).payload, json::parse(R"({"type":"Soft"})"));
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp21, c::Reset{}).payload, json::parse(R"({"type":"OnIdle"})"));
}

// ---- the one ChargingProfile in both versions ---------------------------------------------------

TEST(CommandRenderProfile, amperes_with_phases_in_every_version) {
  auto p = profile(ChargingRateUnit::A, 16500);
  p.schedules[0].periods[0].phases = 1;
  p.schedules[0].periods[1].phases = 3;
  p.schedules[0].min_rate = RateMilli{6000};
  p.schedules[0].duration_s = 7200;
  auto v16 = rendered(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 2, .profile = p});
  EXPECT_TRUE(contains(
      v16.payload,
      json::parse(
          R"({"connectorId":2,"csChargingProfiles":{"chargingSchedule":{"chargingRateUnit":"A","duration":7200,"minChargingRate":6,)"
          R"("chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":1},{"startPeriod":600,"limit":0,"numberPhases":3}]}}})")))
      << json::serialize(v16.payload);
  for (auto v : v2x) {
    auto call = rendered(v, commands::SetChargingProfile{.evse_id = 0, .profile = p});
    EXPECT_TRUE(contains(
        call.payload,
        json::parse(
            R"({"evseId":0,"chargingProfile":{"chargingSchedule":[{"id":1,"chargingRateUnit":"A","duration":7200,"minChargingRate":6,)"
            R"("chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":1},{"startPeriod":600,"limit":0,"numberPhases":3}]}]}})")))
        << name(v) << ": " << json::serialize(call.payload);
  }
}

TEST(CommandRenderProfile, watts_and_phase_to_use_which_only_2x_has) {
  auto p = profile(ChargingRateUnit::W, 11000000); // 11 kW
  p.schedules[0].periods[0].phases = 1;
  p.schedules[0].periods[0].phase_to_use = 2;
  for (auto v : v2x) {
    auto call = rendered(v, commands::SetChargingProfile{.evse_id = 1, .profile = p});
    const auto &period =
        call.payload.at("chargingProfile").at("chargingSchedule").at(0).at("chargingSchedulePeriod").at(0);
    EXPECT_EQ(call.payload.at("chargingProfile").at("chargingSchedule").at(0).at("chargingRateUnit"), "W");
    EXPECT_EQ(period.at("limit").to_number<double>(), 11000.0);
    EXPECT_EQ(period.at("phaseToUse").as_int64(), 2);
  }
  auto e = refused(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 1, .profile = p});
  EXPECT_EQ(e.field, "profile.chargingSchedule.chargingSchedulePeriod[0].phaseToUse") << e.message;
  p.schedules[0].periods[0].phase_to_use.reset();
  auto v16 = rendered(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 1, .profile = p});
  EXPECT_EQ(v16.payload.at("csChargingProfiles").at("chargingSchedule").at("chargingRateUnit"), "W");
}

TEST(CommandRenderProfile, recurring_daily_and_weekly) {
  for (auto recurrency : {RecurrencyKind::Daily, RecurrencyKind::Weekly}) {
    auto p = profile(ChargingRateUnit::A, 32000);
    p.purpose = ChargingProfilePurpose::StationMax;
    p.kind = ChargingProfileKind::Recurring;
    p.recurrency = recurrency;
    p.schedules[0].start = at("2026-11-30T06:00:00Z");
    const char *text = recurrency == RecurrencyKind::Daily ? "Daily" : "Weekly";
    auto v16 = rendered(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 0, .profile = p});
    EXPECT_TRUE(contains(
        v16.payload,
        json::parse(
            std::string(
                R"({"csChargingProfiles":{"chargingProfilePurpose":"ChargePointMaxProfile","chargingProfileKind":"Recurring","recurrencyKind":")") +
            text + R"(","chargingSchedule":{"startSchedule":"2026-11-30T06:00:00.000Z"}}})")))
        << json::serialize(v16.payload);
    for (auto v : v2x) {
      auto call = rendered(v, commands::SetChargingProfile{.evse_id = 0, .profile = p});
      EXPECT_TRUE(contains(
          call.payload,
          json::parse(
              std::string(
                  R"({"chargingProfile":{"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Recurring","recurrencyKind":")") +
              text + R"("}})")))
          << json::serialize(call.payload);
    }
  }
}

TEST(CommandRenderProfile, absolute_with_validity_and_a_transaction) {
  auto p = profile(ChargingRateUnit::A, 10000);
  p.purpose = ChargingProfilePurpose::Tx;
  p.kind = ChargingProfileKind::Absolute;
  p.valid_from = at("2026-12-01T00:00:00Z");
  p.valid_to = at("2026-12-31T23:59:59Z");
  p.transaction_id = "123";
  p.schedules[0].start = at("2026-12-01T08:00:00Z");
  auto v16 = rendered(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 1, .profile = p});
  EXPECT_TRUE(contains(
      v16.payload,
      json::parse(
          R"({"csChargingProfiles":{"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",)"
          R"("transactionId":123,"validFrom":"2026-12-01T00:00:00.000Z","validTo":"2026-12-31T23:59:59.000Z"}})")))
      << json::serialize(v16.payload);
  for (auto v : v2x) {
    auto call = rendered(v, commands::SetChargingProfile{.evse_id = 1, .profile = p});
    EXPECT_TRUE(contains(
        call.payload,
        json::parse(
            R"({"chargingProfile":{"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",)"
            R"("transactionId":"123","validFrom":"2026-12-01T00:00:00.000Z","validTo":"2026-12-31T23:59:59.000Z"}})")))
        << json::serialize(call.payload);
  }
  // A remote start carries the same profile, in 1.6 as chargingProfile.
  auto start = rendered(ProtocolVersion::Ocpp16, commands::RemoteStart{.id_tag = "T", .profile = p});
  EXPECT_EQ(start.payload.at("chargingProfile").at("transactionId").as_int64(), 123);
  auto start2 = rendered(ProtocolVersion::Ocpp201, commands::RemoteStart{.id_tag = "T", .profile = p});
  EXPECT_EQ(start2.payload.at("chargingProfile").at("transactionId").as_string(), "123");
}

TEST(CommandRenderProfile, what_16_cannot_carry_is_refused_by_field) {
  auto external = profile(ChargingRateUnit::A, 16000);
  external.purpose = ChargingProfilePurpose::StationExternalConstraints;
  EXPECT_EQ(
      refused(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 1, .profile = external}).field,
      "profile.chargingProfilePurpose");
  rendered(ProtocolVersion::Ocpp201, commands::SetChargingProfile{.evse_id = 1, .profile = external});

  auto hundredths = profile(ChargingRateUnit::A, 16150); // 16.15 A: the 1.6 schema takes tenths only
  EXPECT_EQ(
      refused(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 1, .profile = hundredths}).field,
      "profile.chargingSchedule.chargingSchedulePeriod[0].limit");
  auto exact = rendered(ProtocolVersion::Ocpp201, commands::SetChargingProfile{.evse_id = 1, .profile = hundredths});
  EXPECT_EQ(
      exact.payload.at("chargingProfile").at("chargingSchedule").at(0).at("chargingSchedulePeriod").at(0).at("limit"),
      json::value(16.15));

  auto two = profile(ChargingRateUnit::A, 16000);
  two.schedules.push_back(two.schedules[0]);
  two.schedules[1].id = 2;
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, commands::SetChargingProfile{.connector_id = 1, .profile = two}).field,
            "profile.chargingSchedule");
  auto both = rendered(ProtocolVersion::Ocpp21, commands::SetChargingProfile{.evse_id = 1, .profile = two});
  EXPECT_EQ(both.payload.at("chargingProfile").at("chargingSchedule").as_array().size(), 2u);

  auto text_tx = profile(ChargingRateUnit::A, 16000);
  text_tx.transaction_id = "a2f7-tx";
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, commands::RemoteStart{.id_tag = "T", .profile = text_tx}).field,
            "charging_profile.transactionId");
}

TEST(CommandRender, signed_firmware_is_2x_only_and_carries_its_signature) {
  namespace c = commands;
  c::UpdateFirmware update{.location = "http://h/firmware/1/fw.bin",
                           .retrieve_at = at("2026-12-01T00:00:00Z"),
                           .retries = 2,
                           .retry_interval_s = 30,
                           .install_at = at("2026-12-02T00:00:00Z"),
                           .signing_certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
                           .signature = "c2lnbmF0dXJl"};
  auto call = rendered(ProtocolVersion::Ocpp201, update, 41);
  EXPECT_EQ(call.payload, json::parse(R"({"requestId":41,"retries":2,"retryInterval":30,"firmware":{
      "location":"http://h/firmware/1/fw.bin","retrieveDateTime":"2026-12-01T00:00:00.000Z",
      "installDateTime":"2026-12-02T00:00:00.000Z",
      "signingCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----","signature":"c2lnbmF0dXJl"}})"))
      << "L01: the requestId is the command's id, so its FirmwareStatusNotifications find it";
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, update).field, "signature");
  update.signature.reset();
  update.signing_certificate.reset();
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, update).field, "install_at");
  update.install_at.reset();
  EXPECT_EQ(rendered(ProtocolVersion::Ocpp16, update).payload,
            json::parse(R"({"location":"http://h/firmware/1/fw.bin","retrieveDate":"2026-12-01T00:00:00.000Z",
                            "retries":2,"retryInterval":30})"));
}
