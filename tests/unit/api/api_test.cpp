// The OpenAPI document and the router agree, route for route; commands render per version.
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <set>

#include "gridlane/api/api.hpp"
#include "gridlane/ocpp/commands.hpp"

using namespace gridlane;
namespace json = boost::json;

TEST(OpenApi, documents_exactly_the_routes_the_router_serves) {
  auto doc = json::parse(api::openapi_document());
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto &[path, item] : doc.at("paths").as_object()) {
    for (const auto &[method, op] : item.as_object()) {
      std::string m(method);
      for (auto &ch : m)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.emplace(m, std::string(path));
      EXPECT_TRUE(op.as_object().contains("responses")) << m << " " << path;
    }
  }
  std::set<std::pair<std::string, std::string>> served;
  for (const auto &r : api::route_table())
    served.insert(r);
  for (const auto &r : served)
    EXPECT_TRUE(documented.contains(r)) << "undocumented route " << r.first << " " << r.second;
  for (const auto &d : documented)
    EXPECT_TRUE(served.contains(d)) << "documented but not served " << d.first << " " << d.second;
}

TEST(OpenApi, lists_every_command_kind) {
  auto doc = json::parse(api::openapi_document());
  const auto &kinds =
      doc.at("components").at("schemas").at("CommandRequest").at("properties").at("kind").at("enum").as_array();
  std::set<std::string> documented;
  for (const auto &k : kinds)
    documented.insert(std::string(k.as_string()));
  std::set<std::string> known;
  for (auto k : ocpp::command_kinds())
    known.insert(std::string(k));
  EXPECT_EQ(documented, known);
}

TEST(Commands, one_domain_command_renders_per_version) {
  using core::ProtocolVersion;
  auto render = [](ProtocolVersion v, const char *kind, const char *params) {
    return ocpp::render_command(v, kind, json::parse(params).as_object(), 77);
  };
  auto start16 = std::get<ocpp::RenderedCall>(
      render(ProtocolVersion::Ocpp16, "start_transaction", R"({"id_tag":"T","connector_id":2})"));
  EXPECT_EQ(start16.action, "RemoteStartTransaction");
  EXPECT_EQ(start16.payload, json::parse(R"({"idTag":"T","connectorId":2})")); // the same object, in any key order
  auto start2 = std::get<ocpp::RenderedCall>(
      render(ProtocolVersion::Ocpp201, "start_transaction", R"({"id_tag":"T","evse_id":1})"));
  EXPECT_EQ(start2.action, "RequestStartTransaction");
  EXPECT_EQ(start2.payload.at("remoteStartId").as_int64(), 77) << "ties the station's TransactionEvent to the command";
  EXPECT_EQ(start2.payload.at("idToken").at("type").as_string(), "Central");
  auto reset2 = std::get<ocpp::RenderedCall>(render(ProtocolVersion::Ocpp21, "reset", R"({"type":"hard"})"));
  EXPECT_EQ(json::serialize(reset2.payload), R"({"type":"Immediate"})");
  auto avail16 =
      std::get<ocpp::RenderedCall>(render(ProtocolVersion::Ocpp16, "change_availability", R"({"operative":false})"));
  EXPECT_EQ(json::serialize(avail16.payload), R"({"connectorId":0,"type":"Inoperative"})");
  EXPECT_NE(std::get<std::string>(render(ProtocolVersion::Ocpp201, "get_configuration", "{}")).find("get_variables"),
            std::string::npos);
  EXPECT_NE(std::get<std::string>(render(ProtocolVersion::Ocpp16, "start_transaction", "{}")).find("id_tag"),
            std::string::npos);
  EXPECT_NE(std::get<std::string>(render(ProtocolVersion::Ocpp16, "unlock_connector", R"({"connector_id":"one"})"))
                .find("integer"),
            std::string::npos);
  EXPECT_EQ(ocpp::judge_answer(json::parse(R"({"status":"Unlocked"})")), domain::CommandStatus::Accepted);
  EXPECT_EQ(ocpp::judge_answer(json::parse(R"({"status":"UnlockFailed"})")), domain::CommandStatus::Rejected);
  EXPECT_EQ(ocpp::judge_answer(json::parse(R"({"configurationKey":[]})")), domain::CommandStatus::Accepted);
}

TEST(OpenApi, every_list_route_pages) {
  // A list answer without paging grows with the database (77 MB for one station's events).
  // The frames list is an exception: at most ocpp.recent_frames frames of 2 KiB each; so is the
  // overview, whose one array (revenue_today) has a line per currency, not per stored row.
  auto doc = json::parse(api::openapi_document());
  int lists = 0;
  for (const auto &[path, item] : doc.at("paths").as_object()) {
    const auto *get = item.as_object().if_contains("get");
    if (!get || path == "/stations/{id}/frames" || path == "/overview") continue;
    const auto *content = get->at("responses").as_object().if_contains("200");
    if (!content || !content->as_object().contains("content")) continue;
    const auto *body = content->at("content").as_object().if_contains("application/json");
    if (!body) continue; // the event stream
    const auto *props = body->at("schema").as_object().if_contains("properties");
    if (!props) continue;
    bool has_list = false;
    for (const auto &[name, prop] : props->as_object()) {
      if (const auto *type = prop.as_object().if_contains("type"); type && *type == "array") has_list = true;
    }
    if (!has_list) continue;
    ++lists;
    std::set<std::string> params;
    for (const auto &p : get->at("parameters").as_array()) {
      if (const auto *ref = p.as_object().if_contains("$ref")) params.insert(std::string(ref->as_string()));
    }
    EXPECT_TRUE(params.contains("#/components/parameters/limit")) << path;
    EXPECT_TRUE(params.contains("#/components/parameters/offset")) << path;
    EXPECT_TRUE(props->as_object().contains("next_offset")) << path;
  }
  EXPECT_GE(lists, 9);
}

TEST(Commands, report_status_and_network_profile_kinds_are_2x_only_and_range_checked) {
  using core::ProtocolVersion;
  auto render = [](ProtocolVersion v, const char *kind, const char *params) {
    return ocpp::render_command(v, kind, json::parse(params).as_object(), 77);
  };
  auto report = std::get<ocpp::RenderedCall>(
      render(ProtocolVersion::Ocpp201, "get_base_report", R"({"report_base":"ConfigurationInventory"})"));
  EXPECT_EQ(report.action, "GetBaseReport");
  EXPECT_EQ(json::serialize(report.payload), R"({"requestId":77,"reportBase":"ConfigurationInventory"})");
  auto full = std::get<ocpp::RenderedCall>(render(ProtocolVersion::Ocpp21, "get_base_report", "{}"));
  EXPECT_EQ(full.payload.at("reportBase").as_string(), "FullInventory");
  EXPECT_NE(
      std::get<std::string>(render(ProtocolVersion::Ocpp201, "get_base_report", R"({"report_base":"Everything"})"))
          .find("report_base"),
      std::string::npos);
  auto status = std::get<ocpp::RenderedCall>(
      render(ProtocolVersion::Ocpp201, "get_transaction_status", R"({"station_transaction_id":"TX-1"})"));
  EXPECT_EQ(json::serialize(status.payload), R"({"transactionId":"TX-1"})");
  auto all = std::get<ocpp::RenderedCall>(render(ProtocolVersion::Ocpp201, "get_transaction_status", "{}"));
  EXPECT_EQ(json::serialize(all.payload), "{}") << "without a transaction: every queued message (E14.FR.06)";
  auto profile = std::get<ocpp::RenderedCall>(render(
      ProtocolVersion::Ocpp201, "set_network_profile",
      R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"wss://c/ocpp","message_timeout":30,"security_profile":2,"ocpp_interface":"Wired0"}})"));
  EXPECT_EQ(
      json::serialize(profile.payload),
      R"({"configurationSlot":1,"connectionData":{"ocppVersion":"OCPP20","ocppTransport":"JSON","ocppCsmsUrl":"wss://c/ocpp",)"
      R"("messageTimeout":30,"securityProfile":2,"ocppInterface":"Wired0"}})");
  EXPECT_NE(
      std::get<std::string>(
          render(
              ProtocolVersion::Ocpp201, "set_network_profile",
              R"({"configuration_slot":1,"connection_data":{"ocpp_csms_url":"u","message_timeout":30,"security_profile":4,"ocpp_interface":"Wired0"}})"))
          .find("security_profile"),
      std::string::npos);
  EXPECT_NE(
      std::get<std::string>(
          render(
              ProtocolVersion::Ocpp201, "set_network_profile",
              R"({"configuration_slot":4294967297,"connection_data":{"ocpp_csms_url":"u","message_timeout":30,"security_profile":1,"ocpp_interface":"Wired0"}})"))
          .find("configuration_slot"),
      std::string::npos);
  for (auto kind : {"get_base_report", "get_transaction_status", "set_network_profile"})
    EXPECT_NE(std::get<std::string>(render(ProtocolVersion::Ocpp16, kind, "{}")).find("2.x"), std::string::npos)
        << kind;
}

TEST(Logs, a_driver_sessions_capability_never_reaches_a_log_line) {
  using gridlane::api::loggable_path;
  const auto shown = loggable_path("/api/v1/drive/sessions/ds_SECRETcapability123/stop");
  EXPECT_EQ(shown.find("ds_"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("SECRET"), std::string::npos) << shown;
  EXPECT_TRUE(shown.starts_with("/api/v1/drive/sessions/ds#")) << shown;
  EXPECT_TRUE(shown.ends_with("/stop")) << shown;
  EXPECT_EQ(shown.size(), std::string("/api/v1/drive/sessions/ds#/stop").size() + 16);
  // The same capability is shown the same way (as in the audit log), another one differently.
  EXPECT_EQ(shown, loggable_path("/api/v1/drive/sessions/ds_SECRETcapability123/stop"));
  EXPECT_NE(shown, loggable_path("/api/v1/drive/sessions/ds_othercapability456/stop"));
  // A target with a query keeps its query; every other path is left as it is.
  EXPECT_EQ(loggable_path("/api/v1/drive/sessions/ds_X?a=1").find("ds_X"), std::string::npos);
  EXPECT_TRUE(loggable_path("/api/v1/drive/sessions/ds_X?a=1").ends_with("?a=1"));
  EXPECT_EQ(loggable_path("/api/v1/stations/CS-1/commands?wait=30"), "/api/v1/stations/CS-1/commands?wait=30");
  EXPECT_EQ(loggable_path(""), "");
  EXPECT_EQ(loggable_path("/"), "/");
}
