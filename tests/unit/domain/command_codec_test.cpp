// The API's JSON <-> Command codec (also the store's params column): every kind round-trips,
// both charging profile shapes decode into the one ChargingProfile, and every refusal names its
// field.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/domain/command_codec.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

Command decoded(std::string_view kind, std::string_view params) {
  auto c = decode_command(kind, params);
  EXPECT_TRUE(c) << kind << " " << params << ": " << (c ? "" : c.error().message);
  return c ? *c : Command{};
}

ServiceError refusal(std::string_view kind, std::string_view params) {
  auto c = decode_command(kind, params);
  EXPECT_FALSE(c) << kind << " " << params << " decoded";
  if (c) return {};
  EXPECT_EQ(c.error().code, ServiceError::Code::Invalid);
  return c.error();
}

// One request body per kind, as docs/api.md documents them.
const std::pair<const char *, const char *> every_kind[] = {
    {"start_transaction", R"({"id_tag":"T","connector_id":1,"evse_id":1,"id_token_type":"eMAID"})"},
    {"stop_transaction", R"({"transaction_id":42,"station_transaction_id":"TX-42"})"},
    {"reset", R"({"type":"hard","evse_id":2})"},
    {"unlock_connector", R"({"connector_id":1,"evse_id":1})"},
    {"change_availability", R"({"operative":false,"connector_id":1,"evse_id":1})"},
    {"get_configuration", R"({"keys":["HeartbeatInterval","MeterValueSampleInterval"]})"},
    {"change_configuration", R"({"key":"HeartbeatInterval","value":"60"})"},
    {"get_variables",
     R"({"variables":[{"component":"C","component_instance":"i","evse_id":1,"connector_id":2,"variable":"V","variable_instance":"j","attribute_type":"MaxSet"}]})"},
    {"set_variables", R"({"variables":[{"component":"C","variable":"V","value":"7"}]})"},
    {"trigger_message", R"({"message":"MeterValues","connector_id":1,"evse_id":1})"},
    {"clear_cache", "{}"},
    {"data_transfer", R"({"vendor_id":"com.example","message_id":"m","data":{"any":[1,2]}})"},
    {"update_firmware", R"({"location":"https://fw/x.bin","retrieve_at":"2026-12-01T00:00:00.000Z","retries":2})"},
    {"get_diagnostics", R"({"location":"ftp://logs/"})"},
    {"get_log", R"({"location":"ftp://logs/","log_type":"SecurityLog"})"},
    {"send_local_list", R"({"version":4,"update_type":"Differential","tokens":[{"id_tag":"A","status":"Blocked"}]})"},
    {"get_local_list_version", "{}"},
    {"reserve_now",
     R"({"id_tag":"R","expires_at":"2026-12-01T00:00:00.000Z","reservation_id":7,"connector_id":1,"evse_id":1})"},
    {"cancel_reservation", R"({"reservation_id":7})"},
    {"set_charging_profile",
     R"({"connector_id":1,"evse_id":1,"profile":{"id":3,"stackLevel":1,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",)"
     R"("validFrom":"2026-12-01T00:00:00.000Z","validTo":"2026-12-02T00:00:00.000Z","transactionId":"TX-1",)"
     R"("chargingSchedule":[{"id":1,"startSchedule":"2026-12-01T08:00:00.000Z","duration":3600,"chargingRateUnit":"W",)"
     R"("chargingSchedulePeriod":[{"startPeriod":0,"limit":7400.5,"numberPhases":1,"phaseToUse":3}],"minChargingRate":1380}]}})"},
    {"clear_charging_profile",
     R"({"profile_id":3,"connector_id":1,"evse_id":1,"purpose":"TxDefaultProfile","stack_level":0})"},
    {"get_composite_schedule", R"({"duration":3600,"unit":"A","connector_id":1,"evse_id":1})"},
    {"get_base_report", R"({"report_base":"ConfigurationInventory"})"},
    {"get_transaction_status", R"({"transaction_id":9,"station_transaction_id":"TX-9"})"},
    {"set_network_profile",
     R"({"configuration_slot":1,"connection_data":{"ocpp_version":"OCPP20","ocpp_transport":"JSON","ocpp_csms_url":"wss://c/ocpp",)"
     R"("message_timeout":30,"security_profile":3,"ocpp_interface":"Wired1",)"
     R"("apn":{"apn":"internet","apnUserName":"u","simPin":1234,"useOnlyPreferredNetwork":true,"apnAuthentication":"CHAP"},)"
     R"("vpn":{"server":"s","user":"u","group":"g","password":"p","key":"k","type":"L2TP"}}})"},
    {"cost_updated", R"({"transaction_id":9,"station_transaction_id":"TX-9","total_cost":"12.3456"})"},
    {"get_charging_profiles",
     R"({"request_id":4,"evse_id":1,"purpose":"TxProfile","stack_level":2,"profile_ids":[5,6],"sources":["CSO","SO"]})"},
    {"set_variable_monitoring",
     R"({"monitors":[{"component":"EVSE","evse_id":1,"variable":"Power","id":3,"transaction":true,"value":"22000.5",)"
     R"("type":"UpperThreshold","severity":4}]})"},
    {"set_monitoring_base", R"({"base":"FactoryDefault"})"},
    {"set_monitoring_level", R"({"severity":5})"},
    {"clear_variable_monitoring", R"({"ids":[3,4]})"},
    {"get_monitoring_report",
     R"({"request_id":8,"criteria":["ThresholdMonitoring","DeltaMonitoring"],"components":[{"component":"EVSE","evse_id":1},)"
     R"({"component":"ChargingStation","variable":"Power"}]})"},
    {"customer_information",
     R"({"request_id":9,"report":true,"clear":true,"id_tag":"TOKEN-OK","id_token_type":"ISO14443"})"},
};

} // namespace

TEST(CommandCodec, customer_information_names_exactly_one_customer_and_asks_something) {
  EXPECT_FALSE(decode_command("customer_information", R"({"report":true})"));
  EXPECT_FALSE(decode_command("customer_information", R"({"report":true,"id_tag":"A","customer_identifier":"B"})"));
  EXPECT_FALSE(decode_command("customer_information", R"({"id_tag":"A"})"));
  auto ok = decode_command("customer_information", R"({"clear":true,"customer_identifier":"OpenChargeAlliance"})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::get<commands::CustomerInformation>(*ok).customer_identifier, "OpenChargeAlliance");
}

TEST(CommandCodec, monitoring_values_are_range_checked) {
  auto bad_severity = decode_command(
      "set_variable_monitoring",
      R"({"monitors":[{"component":"EVSE","variable":"Power","value":1,"type":"Delta","severity":10}]})");
  ASSERT_FALSE(bad_severity);
  EXPECT_EQ(bad_severity.error().field, "monitors[0].severity");
  EXPECT_FALSE(decode_command("set_monitoring_level", R"({"severity":-1})"));
  EXPECT_FALSE(decode_command("clear_variable_monitoring", R"({"ids":[]})"));
  EXPECT_FALSE(decode_command("clear_variable_monitoring", R"({"ids":["3"]})"));
  EXPECT_FALSE(decode_command("get_monitoring_report", R"({"criteria":["Sometimes"]})"));
  // A GetLog without a location is one whose upload Gridlane hosts (the API fills it in).
  auto log = decode_command("get_log", R"({"log_type":"SecurityLog"})");
  ASSERT_TRUE(log);
  EXPECT_EQ(std::get<commands::GetLog>(*log).location, "");
}

TEST(CommandCodec, every_kind_round_trips_to_the_same_json_and_command) {
  ASSERT_EQ(std::size(every_kind), command_kinds().size());
  for (const auto &[kind, params] : every_kind) {
    SCOPED_TRACE(kind);
    auto c = decoded(kind, params);
    EXPECT_EQ(kind_of(c), kind);
    auto text = encode_params(c);
    EXPECT_EQ(json::parse(text), json::parse(params)) << text;
    EXPECT_EQ(decoded(kind, text), c);
  }
}

TEST(CommandCodec, defaults_and_typed_values) {
  EXPECT_EQ(std::get<commands::Reset>(decoded("reset", "{}")).type, ResetKind::Soft);
  EXPECT_EQ(std::get<commands::GetBaseReport>(decoded("get_base_report", "{}")).report_base, ReportBase::FullInventory);
  EXPECT_EQ(std::get<commands::GetLog>(decoded("get_log", R"({"location":"l"})")).log_type, LogType::DiagnosticsLog);
  auto list =
      std::get<commands::SendLocalList>(decoded("send_local_list", R"({"version":1,"tokens":[{"id_tag":"A"}]})"));
  EXPECT_EQ(list.update_type, LocalListUpdate::Full);
  EXPECT_EQ(list.tokens.at(0).status, LocalListStatus::Accepted);
  auto net = std::get<commands::SetNetworkProfile>(decoded(
      "set_network_profile",
      R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"u","message_timeout":30,"security_profile":0,"ocpp_interface":"Wired0"}})"));
  EXPECT_EQ(net.ocpp_version, OcppVersionName::OCPP20);
  EXPECT_EQ(net.ocpp_transport, OcppTransport::JSON);
  auto firmware = std::get<commands::UpdateFirmware>(
      decoded("update_firmware", R"({"location":"l","retrieve_at":"2026-12-01T01:00:00+01:00"})"));
  EXPECT_EQ(firmware.retrieve_at, *core::parse_iso8601("2026-12-01T00:00:00Z"));
  auto data = std::get<commands::DataTransfer>(decoded("data_transfer", R"({"vendor_id":"v","data":"x"})"));
  EXPECT_EQ(data.data_json, R"("x")");
  EXPECT_FALSE(std::get<commands::DataTransfer>(decoded("data_transfer", R"({"vendor_id":"v"})")).data_json);
  // A cost given as a JSON number is the decimal its text shows, not the binary double's expansion.
  EXPECT_EQ(
      std::get<commands::CostUpdated>(decoded("cost_updated", R"({"transaction_id":1,"total_cost":0.1})")).total_cost,
      *core::Decimal::parse("0.1"));
  // Unknown parameters are ignored, as they always were.
  EXPECT_EQ(decoded("clear_cache", R"({"whatever":1})"), Command{commands::ClearCache{}});
}

TEST(CommandCodec, a_16_shaped_and_a_2x_shaped_profile_decode_into_the_same_profile) {
  auto v16 = std::get<commands::SetChargingProfile>(decoded(
      "set_charging_profile",
      R"({"connector_id":1,"profile":{"chargingProfileId":4,"transactionId":17,"stackLevel":2,"chargingProfilePurpose":"ChargePointMaxProfile",)"
      R"("chargingProfileKind":"Recurring","recurrencyKind":"Weekly","validFrom":"2026-12-01T00:00:00Z",)"
      R"("chargingSchedule":{"duration":86400,"startSchedule":"2026-12-01T00:00:00Z","chargingRateUnit":"A",)"
      R"("chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":3},{"startPeriod":3600,"limit":1.65E1}],"minChargingRate":0.1}}})"));
  auto v2 = std::get<commands::SetChargingProfile>(decoded(
      "set_charging_profile",
      R"({"connector_id":1,"profile":{"id":4,"transactionId":"17","stackLevel":2,"chargingProfilePurpose":"ChargingStationMaxProfile",)"
      R"("chargingProfileKind":"Recurring","recurrencyKind":"Weekly","validFrom":"2026-12-01T00:00:00Z",)"
      R"("chargingSchedule":[{"id":1,"duration":86400,"startSchedule":"2026-12-01T00:00:00Z","chargingRateUnit":"A",)"
      R"("chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":3},{"startPeriod":3600,"limit":16.5}],"minChargingRate":0.1}]}})"));
  EXPECT_EQ(v16.profile, v2.profile);
  const auto &p = v16.profile;
  EXPECT_EQ(p.id, 4);
  EXPECT_EQ(p.purpose, ChargingProfilePurpose::StationMax);
  EXPECT_EQ(p.recurrency, RecurrencyKind::Weekly);
  EXPECT_EQ(p.transaction_id, "17");
  ASSERT_EQ(p.schedules.size(), 1u);
  EXPECT_EQ(p.schedules[0].periods[0].limit, RateMilli{16500}) << "exact thousandths, no binary float";
  EXPECT_EQ(p.schedules[0].periods[1].limit, RateMilli{16500});
  EXPECT_EQ(p.schedules[0].min_rate, RateMilli{100});
  EXPECT_EQ(p.schedules[0].periods[0].phases, 3);
  // Stored and shown in the 2.x shape, the limits as plain numbers.
  auto text = encode_params(Command{v16});
  EXPECT_NE(text.find(R"("chargingProfilePurpose":"ChargingStationMaxProfile")"), std::string::npos) << text;
  EXPECT_EQ(json::parse(text).at("profile").at("chargingSchedule").at(0).at("chargingSchedulePeriod").at(1),
            json::parse(R"({"startPeriod":3600,"limit":16.5})"));
  auto whole = std::get<commands::SetChargingProfile>(decoded(
      "set_charging_profile",
      R"({"evse_id":1,"profile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative",)"
      R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.0}]}]}})"));
  EXPECT_EQ(json::parse(encode_params(Command{whole}))
                .at("profile")
                .at("chargingSchedule")
                .at(0)
                .at("chargingSchedulePeriod")
                .at(0)
                .at("limit"),
            json::value(16))
      << "a whole limit is written as an integer";
  EXPECT_EQ(whole.profile.schedules.at(0).id, 1) << "a 2.x schedule without id is numbered from 1";
}

TEST(CommandCodec, every_refusal_names_its_field) {
  struct Case {
    const char *kind, *params, *field, *says;
  };
  const char *net =
      R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"u","message_timeout":30,"security_profile":%s,"ocpp_interface":"%s"}})";
  auto network = [net](const char *profile, const char *iface) {
    char buf[256];
    std::snprintf(buf, sizeof buf, net, profile, iface);
    return std::string(buf);
  };
  const auto bad_profile = network("4", "Wired0"), bad_iface = network("1", "Carrier-pigeon");
  auto prof = [](const char *inner) {
    return std::string(
               R"({"connector_id":1,"profile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative",)") +
           inner + "}}";
  };
  const std::string p_limit = prof(
      R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.0001}]}])");
  const std::string p_neg =
      prof(R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":-1}]}])");
  const std::string p_huge = prof(
      R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1e300}]}])");
  const std::string p_unit =
      prof(R"("chargingSchedule":[{"chargingRateUnit":"kW","chargingSchedulePeriod":[{"startPeriod":0,"limit":1}]}])");
  const std::string p_phases = prof(
      R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1,"numberPhases":4}]}])");
  const std::string p_order = prof(
      R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":60,"limit":1},{"startPeriod":0,"limit":2}]}])");
  const std::string p_empty = prof(R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[]}])");
  const std::string p_four = prof(R"("chargingSchedule":[1,2,3,4])");
  const std::string p_none = prof(R"("x":1)");
  const std::string p_valid = prof(
      R"("validFrom":"2026-12-02T00:00:00Z","validTo":"2026-12-01T00:00:00Z","chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1}]}])");
  const std::string p_time = prof(
      R"("validFrom":"tomorrow","chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1}]}])");
  const std::string p_recurring =
      R"({"connector_id":1,"profile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Recurring",)"
      R"("chargingSchedule":[{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1}]}]}})";
  const std::string long_location = R"({"location":")" + std::string(513, 'x') + R"("})";
  const Case cases[] = {
      {"fly", "{}", "kind", "unknown command 'fly'"},
      {"reset", "[1]", "params", "'params' must be an object"},
      {"reset", "{", "params", "'params' must be an object"},
      {"start_transaction", "{}", "id_tag", "'id_tag' (string) is required"},
      {"start_transaction", R"({"id_tag":7})", "id_tag", "(string) is required"},
      {"start_transaction", R"({"id_tag":"T","connector_id":"one"})", "connector_id", "must be an integer"},
      {"start_transaction", R"({"id_tag":"T","connector_id":-1})", "connector_id", "between 0 and 2147483647"},
      {"start_transaction", R"({"id_tag":"T","evse_id":4294967296})", "evse_id", "between 0 and 2147483647"},
      {"start_transaction", R"({"id_tag":"T","evse_id":18446744073709551615})", "evse_id", "between"},
      {"start_transaction", R"({"id_tag":"T","id_token_type":"Fingerprint"})", "id_token_type", "Central, eMAID"},
      {"start_transaction", R"({"id_tag":"T","charging_profile":7})", "charging_profile", "must be an object"},
      {"stop_transaction", "{}", "transaction_id", "'transaction_id' (integer) is required"},
      {"stop_transaction", R"({"transaction_id":1.5})", "transaction_id", "must be an integer"},
      {"reset", R"({"type":"warm"})", "type", "'type' is soft or hard"},
      {"unlock_connector", R"({"evse_id":1})", "connector_id", "(integer) is required"},
      {"change_availability", "{}", "operative", "'operative' (boolean) is required"},
      {"change_availability", R"({"operative":"yes"})", "operative", "must be a boolean"},
      {"get_configuration", R"({"keys":"HeartbeatInterval"})", "keys", "array of strings"},
      {"get_configuration", R"({"keys":["A",1]})", "keys", "array of strings"},
      {"change_configuration", R"({"key":"K"})", "value", "'value' (string) is required"},
      {"get_variables", "{}", "variables", "'variables' (array) is required"},
      {"get_variables", R"({"variables":[]})", "variables", "non-empty"},
      {"get_variables", R"({"variables":[7]})", "variables[0]", "must be an object"},
      {"get_variables", R"({"variables":[{"component":"C"}]})", "variables[0].variable", "(string) is required"},
      {"get_variables", R"({"variables":[{"component":"C","variable":"V","attribute_type":"Now"}]})",
       "variables[0].attribute_type", "Actual, Target, MinSet or MaxSet"},
      {"set_variables", R"({"variables":[{"component":"C","variable":"V"}]})", "variables[0].value",
       "(string) is required"},
      {"trigger_message", "{}", "message", "'message' (string) is required"},
      {"trigger_message", R"({"message":"Hello"})", "message", "BootNotification"},
      {"data_transfer", "{}", "vendor_id", "(string) is required"},
      {"update_firmware", R"({"location":"l"})", "retrieve_at", "(date-time) is required"},
      {"update_firmware", R"({"location":"l","retrieve_at":"2026-12-01"})", "retrieve_at", "ISO 8601"},
      {"update_firmware", R"({"location":"l","retrieve_at":"2026-12-01T00:00:00Z","retries":-2})", "retries",
       "between"},
      // Without a location Gridlane hosts the upload (docs/api.md); a location given is bounded.
      {"get_diagnostics", long_location.c_str(), "location", "at most 512"},
      {"get_log", R"({"location":"l","log_type":"AuditLog"})", "log_type", "DiagnosticsLog or SecurityLog"},
      {"send_local_list", "{}", "version", "(integer) is required"},
      {"send_local_list", R"({"version":1,"update_type":"Partial"})", "update_type", "Full or Differential"},
      {"send_local_list", R"({"version":1,"tokens":{}})", "tokens", "must be an array"},
      {"send_local_list", R"({"version":1,"tokens":[{"status":"Accepted"}]})", "tokens[0].id_tag",
       "(string) is required"},
      {"send_local_list", R"({"version":1,"tokens":[{"id_tag":"A","status":"Maybe"}]})", "tokens[0].status",
       "ConcurrentTx"},
      {"reserve_now", R"({"id_tag":"R"})", "expires_at", "(date-time) is required"},
      {"cancel_reservation", "{}", "reservation_id", "(integer) is required"},
      {"set_charging_profile", R"({"connector_id":1})", "profile", "'profile' (object) is required"},
      {"set_charging_profile", p_limit.c_str(), "profile.chargingSchedule[0].chargingSchedulePeriod[0].limit",
       "three decimals"},
      {"set_charging_profile", p_neg.c_str(), "profile.chargingSchedule[0].chargingSchedulePeriod[0].limit",
       "between 0 and"},
      {"set_charging_profile", p_huge.c_str(), "profile.chargingSchedule[0].chargingSchedulePeriod[0].limit",
       "between 0 and"},
      {"set_charging_profile", p_unit.c_str(), "profile.chargingSchedule[0].chargingRateUnit", "A or W"},
      {"set_charging_profile", p_phases.c_str(), "profile.chargingSchedule[0].chargingSchedulePeriod[0].numberPhases",
       "between 1 and 3"},
      {"set_charging_profile", p_order.c_str(), "profile.chargingSchedule[0].chargingSchedulePeriod[1].startPeriod",
       "after the previous"},
      {"set_charging_profile", p_empty.c_str(), "profile.chargingSchedule[0].chargingSchedulePeriod", "is empty"},
      {"set_charging_profile", p_four.c_str(), "profile.chargingSchedule", "one to three"},
      {"set_charging_profile", p_none.c_str(), "profile.chargingSchedule", "is required"},
      {"set_charging_profile", p_valid.c_str(), "profile.validTo", "after validFrom"},
      {"set_charging_profile", p_time.c_str(), "profile.validFrom", "ISO 8601"},
      {"set_charging_profile", p_recurring.c_str(), "profile.recurrencyKind", "required for a Recurring profile"},
      {"set_charging_profile",
       R"({"profile":{"id":1,"stackLevel":0,"chargingProfileKind":"Relative","chargingSchedule":[]}})",
       "profile.chargingProfilePurpose", "(string) is required"},
      {"set_charging_profile",
       R"({"profile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"Max","chargingProfileKind":"Relative","chargingSchedule":[]}})",
       "profile.chargingProfilePurpose", "ChargePointMaxProfile (1.6)"},
      {"set_charging_profile", R"({"profile":{"stackLevel":0}})", "profile.id", "(integer) is required"},
      {"set_charging_profile", R"({"profile":{"chargingProfileId":1,"stackLevel":-1}})", "profile.stackLevel",
       "between 0"},
      {"clear_charging_profile", R"({"purpose":"AnyProfile"})", "purpose", "TxDefaultProfile"},
      {"get_composite_schedule", "{}", "duration", "(integer) is required"},
      {"get_composite_schedule", R"({"duration":60,"unit":"kW"})", "unit", "A or W"},
      {"get_base_report", R"({"report_base":"Everything"})", "report_base",
       "ConfigurationInventory, FullInventory or SummaryInventory"},
      {"get_transaction_status", R"({"transaction_id":"x"})", "transaction_id", "must be an integer"},
      {"cost_updated", R"({"transaction_id":1,"total_cost":"-1"})", "total_cost", ">= 0"},
      {"cost_updated", R"({"transaction_id":1,"total_cost":"1e3"})", "total_cost", "decimal"},
      {"set_network_profile", R"({"configuration_slot":1})", "connection_data", "(object) is required"},
      {"set_network_profile", R"({"configuration_slot":4294967297,"connection_data":{}})", "configuration_slot",
       "between"},
      {"set_network_profile", bad_profile.c_str(), "connection_data.security_profile", "between 0 and 3"},
      {"set_network_profile", bad_iface.c_str(), "connection_data.ocpp_interface", "Wired0"},
      {"set_network_profile",
       R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"u","message_timeout":90000,"security_profile":1,"ocpp_interface":"Wired0"}})",
       "connection_data.message_timeout", "between 0 and 86400"},
      {"set_network_profile",
       R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"u","message_timeout":9,"security_profile":1,"ocpp_interface":"Wired0","apn":{"apn":"a"}}})",
       "connection_data.apn.apnAuthentication", "(string) is required"},
      {"set_network_profile",
       R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"u","message_timeout":9,"security_profile":1,"ocpp_interface":"Wired0","vpn":{"server":"s"}}})",
       "connection_data.vpn.user", "(string) is required"},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(std::string(c.kind) + " " + c.params);
    auto e = refusal(c.kind, c.params);
    EXPECT_EQ(e.field, c.field) << e.message;
    EXPECT_NE(e.message.find(c.says), std::string::npos) << e.message;
    if (std::string_view(c.field) != "kind" && std::string_view(c.field) != "params") {
      std::string named = "'";
      named += c.field;
      named += "'";
      EXPECT_NE(e.message.find(named), std::string::npos) << "the message names the field: " << e.message;
    }
  }
}

TEST(CommandCodec, the_first_problem_is_reported) {
  auto e = refusal("reserve_now", R"({"expires_at":"soon"})");
  EXPECT_EQ(e.field, "id_tag") << e.message;
}

TEST(CommandCodec, a_blank_command_of_each_kind) {
  for (auto kind : command_kinds()) {
    auto blank = blank_command(kind);
    ASSERT_TRUE(blank) << kind;
    EXPECT_EQ(kind_of(*blank), kind);
  }
  EXPECT_FALSE(blank_command("fly"));
}
