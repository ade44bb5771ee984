// The Commands and ChargingProfiles objects (mod_commands.asciidoc, mod_charging_profiles.asciidoc):
// read against their field tables, refusals naming the field, and the answers' shapes.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/ocpi/commands_codec.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
namespace {
namespace json = boost::json;
using domain::CommandStatus;

json::object token() {
  return json::object{{"country_code", "DE"},
                      {"party_id", "EMS"},
                      {"uid", "012345678"},
                      {"type", "APP_USER"},
                      {"contract_id", "DE-EMS-C12345678-X"},
                      {"issuer", "Example eMSP"},
                      {"valid", true},
                      {"whitelist", "ALLOWED"},
                      {"last_updated", "2019-06-24T12:39:09Z"}};
}

json::object start_session() {
  return json::object{{"response_url", "https://emsp.example.com/ocpi/2.2.1/commands/START_SESSION/42"},
                      {"token", token()},
                      {"location_id", "LOC1"},
                      {"evse_uid", "3256"},
                      {"connector_id", "1"}};
}

std::string field_of(const domain::Result<CommandRequest> &r) {
  return r ? std::string("<accepted>") : r.error().field.value_or("<none>");
}

TEST(OcpiCommandsCodec, reads_a_start_session_with_its_token) {
  auto r = parse_command(CommandType::StartSession, json::serialize(start_session()));
  ASSERT_TRUE(r) << r.error().message;
  const auto &s = std::get<StartSession>(*r);
  EXPECT_EQ(s.location_id, "LOC1");
  EXPECT_EQ(s.evse_uid, "3256");
  EXPECT_EQ(s.connector_id, "1");
  EXPECT_EQ(s.token.uid, "012345678");
  EXPECT_EQ(s.token.party, (domain::PartyId{"DE", "EMS"}));
  EXPECT_EQ(s.token.type, domain::OcpiTokenType::AppUser);
  EXPECT_EQ(s.token.whitelist, domain::WhitelistType::Allowed);
  EXPECT_EQ(response_url_of(*r), "https://emsp.example.com/ocpi/2.2.1/commands/START_SESSION/42");
}

TEST(OcpiCommandsCodec, reads_the_tokens_party_upper_case_as_ocpis_cistring) {
  auto body = start_session();
  body["token"].as_object()["country_code"] = "de";
  body["token"].as_object()["party_id"] = "eMs";
  auto r = parse_command(CommandType::StartSession, json::serialize(body));
  ASSERT_TRUE(r) << r.error().message;
  const auto &s = std::get<StartSession>(*r);
  EXPECT_EQ(s.token.party, (domain::PartyId{"DE", "EMS"}));
  domain::Partner emsp;
  emsp.roles = {{domain::OcpiRole::Emsp, {"DE", "EMS"}, "Example eMSP"}};
  EXPECT_TRUE(emsp.represents(s.token.party));
}

TEST(OcpiCommandsCodec, refuses_a_start_session_field_by_field) {
  struct Case {
    std::string name;
    std::function<void(json::object &)> change;
    std::string field;
  };
  const std::vector<Case> cases{
      {"no response_url", [](json::object &o) { o.erase("response_url"); }, "response_url"},
      {"relative response_url", [](json::object &o) { o["response_url"] = "/commands/1"; }, "response_url"},
      {"ftp response_url", [](json::object &o) { o["response_url"] = "ftp://x.example/1"; }, "response_url"},
      {"long response_url", [](json::object &o) { o["response_url"] = "https://e.example/" + std::string(250, 'a'); },
       "response_url"},
      {"no token", [](json::object &o) { o.erase("token"); }, "token"},
      {"token not an object", [](json::object &o) { o["token"] = "abc"; }, "token"},
      {"token uid too long", [](json::object &o) { o["token"].as_object()["uid"] = std::string(37, 'x'); },
       "token.uid"},
      {"token type unknown", [](json::object &o) { o["token"].as_object()["type"] = "CARD"; }, "token.type"},
      {"token country code of 3", [](json::object &o) { o["token"].as_object()["country_code"] = "DEU"; },
       "token.country_code"},
      {"token valid as text", [](json::object &o) { o["token"].as_object()["valid"] = "yes"; }, "token.valid"},
      {"token whitelist unknown", [](json::object &o) { o["token"].as_object()["whitelist"] = "SOMETIMES"; },
       "token.whitelist"},
      {"token last_updated not a date", [](json::object &o) { o["token"].as_object()["last_updated"] = "yesterday"; },
       "token.last_updated"},
      {"token energy contract without supplier",
       [](json::object &o) {
         o["token"].as_object()["energy_contract"] = json::object{{"contract_id", "1"}};
       },
       "token.energy_contract.supplier_name"},
      {"no location", [](json::object &o) { o.erase("location_id"); }, "location_id"},
      {"location not a string", [](json::object &o) { o["location_id"] = 12; }, "location_id"},
      {"location with a line break", [](json::object &o) { o["location_id"] = "LOC\n1"; }, "location_id"},
      {"connector without evse", [](json::object &o) { o.erase("evse_uid"); }, "evse_uid"},
      {"evse too long", [](json::object &o) { o["evse_uid"] = std::string(37, '1'); }, "evse_uid"},
  };
  for (const auto &c : cases) {
    auto o = start_session();
    c.change(o);
    EXPECT_EQ(field_of(parse_command(CommandType::StartSession, json::serialize(o))), c.field) << c.name;
  }
  EXPECT_EQ(field_of(parse_command(CommandType::StartSession, "not json")), "body");
  EXPECT_EQ(field_of(parse_command(CommandType::StartSession, "[]")), "body");
}

TEST(OcpiCommandsCodec, reads_the_other_four_commands) {
  const std::string url = "https://emsp.example.com/r/1";
  auto stop = parse_command(CommandType::StopSession, R"({"response_url":")" + url + R"(","session_id":"17"})");
  ASSERT_TRUE(stop);
  EXPECT_EQ(std::get<StopSession>(*stop).session_id, "17");
  EXPECT_EQ(field_of(parse_command(CommandType::StopSession, R"({"response_url":")" + url + R"("})")), "session_id");

  json::object reserve{{"response_url", url},
                       {"token", token()},
                       {"expiry_date", "2030-01-01T10:00:00Z"},
                       {"reservation_id", "R-1"},
                       {"location_id", "LOC1"}};
  auto rn = parse_command(CommandType::ReserveNow, json::serialize(reserve));
  ASSERT_TRUE(rn) << rn.error().message;
  EXPECT_EQ(std::get<ReserveNow>(*rn).reservation_id, "R-1");
  EXPECT_EQ(std::get<ReserveNow>(*rn).expiry_date, *parse_datetime("2030-01-01T10:00:00Z"));
  EXPECT_FALSE(std::get<ReserveNow>(*rn).evse_uid);
  reserve.erase("expiry_date");
  EXPECT_EQ(field_of(parse_command(CommandType::ReserveNow, json::serialize(reserve))), "expiry_date");

  auto cancel =
      parse_command(CommandType::CancelReservation, R"({"response_url":")" + url + R"(","reservation_id":"R-1"})");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(std::get<CancelReservation>(*cancel).reservation_id, "R-1");

  json::object unlock{{"response_url", url}, {"location_id", "LOC1"}, {"evse_uid", "3256"}, {"connector_id", "1"}};
  ASSERT_TRUE(parse_command(CommandType::UnlockConnector, json::serialize(unlock)));
  unlock.erase("connector_id");
  EXPECT_EQ(field_of(parse_command(CommandType::UnlockConnector, json::serialize(unlock))), "connector_id");
}

TEST(OcpiCommandsCodec, names_the_command_types_of_the_spec) {
  for (auto name : {"CANCEL_RESERVATION", "RESERVE_NOW", "START_SESSION", "STOP_SESSION", "UNLOCK_CONNECTOR"}) {
    auto t = parse_command_type(name);
    ASSERT_TRUE(t) << name;
    EXPECT_EQ(to_string(*t), name);
  }
  EXPECT_FALSE(parse_command_type("start_session"));
  EXPECT_FALSE(parse_command_type("SET_CHARGING_PROFILE"));
}

TEST(OcpiCommandsCodec, writes_the_command_response_and_result) {
  auto response = command_response(CommandResponseType::UnknownSession, 40, "no such session");
  EXPECT_EQ(response.at("result"), "UNKNOWN_SESSION");
  EXPECT_EQ(response.at("timeout"), 40);
  EXPECT_EQ(response.at("message").as_array().at(0).at("language"), "en");
  EXPECT_EQ(response.at("message").as_array().at(0).at("text"), "no such session");
  EXPECT_FALSE(command_response(CommandResponseType::Accepted, 40, "").as_object().contains("message"));
  EXPECT_EQ(json::parse(command_result(CommandResultType::EvseOccupied, "")),
            json::parse(R"({"result":"EVSE_OCCUPIED"})"));
}

TEST(OcpiCommandsCodec, maps_the_station_answer_to_the_result_type) {
  using T = CommandType;
  using R = CommandResultType;
  EXPECT_EQ(command_result_type(T::StartSession, CommandStatus::Accepted, R"({"status":"Accepted"})"), R::Accepted);
  EXPECT_EQ(command_result_type(T::StartSession, CommandStatus::Rejected, R"({"status":"Rejected"})"), R::Rejected);
  EXPECT_EQ(command_result_type(T::StopSession, CommandStatus::TimedOut, std::nullopt), R::Timeout);
  EXPECT_EQ(command_result_type(T::StopSession, CommandStatus::StationOffline, std::nullopt), R::Failed);
  EXPECT_EQ(command_result_type(T::StopSession, CommandStatus::Failed, std::nullopt), R::Failed);
  EXPECT_EQ(command_result_type(T::StopSession, CommandStatus::Failed, std::nullopt, "NotImplemented: no"),
            R::NotSupported);
  EXPECT_EQ(command_result_type(T::StopSession, CommandStatus::Failed, std::nullopt, "InternalError: x"), R::Failed);
  EXPECT_EQ(command_result_type(T::ReserveNow, CommandStatus::Rejected, R"({"status":"Occupied"})"), R::EvseOccupied);
  EXPECT_EQ(command_result_type(T::ReserveNow, CommandStatus::Rejected, R"({"status":"Faulted"})"), R::EvseInoperative);
  EXPECT_EQ(command_result_type(T::ReserveNow, CommandStatus::Rejected, R"({"status":"Unavailable"})"),
            R::EvseInoperative);
  EXPECT_EQ(command_result_type(T::ReserveNow, CommandStatus::Rejected, R"({"status":"Rejected"})"), R::Rejected);
  EXPECT_EQ(command_result_type(T::CancelReservation, CommandStatus::Rejected, R"({"status":"Rejected"})"),
            R::UnknownReservation);
  EXPECT_EQ(command_result_type(T::UnlockConnector, CommandStatus::Rejected, R"({"status":"NotSupported"})"),
            R::NotSupported);
  EXPECT_EQ(command_result_type(T::UnlockConnector, CommandStatus::Rejected, R"({"status":"UnlockFailed"})"),
            R::Failed);
  EXPECT_EQ(command_result_type(T::UnlockConnector, CommandStatus::Accepted, R"({"status":"Unlocked"})"), R::Accepted);
  EXPECT_EQ(command_result_type(T::UnlockConnector, CommandStatus::Rejected, "not json"), R::Rejected);
}

TEST(OcpiChargingProfilesCodec, reads_a_set_charging_profile_exactly) {
  auto r = parse_set_charging_profile(R"({"response_url":"https://scsp.example.com/cp/1",
    "charging_profile":{"charging_rate_unit":"A","min_charging_rate":6.1,
      "charging_profile_period":[{"start_period":0,"limit":16},{"start_period":900,"limit":8.1}]}})");
  ASSERT_TRUE(r) << r.error().message;
  const auto &p = r->profile;
  EXPECT_EQ(p.unit, domain::ChargingRateUnit::A);
  EXPECT_FALSE(p.start_date_time);
  ASSERT_EQ(p.periods.size(), 2u);
  EXPECT_EQ(p.periods[1].start_s, 900);
  EXPECT_EQ(p.periods[1].limit.thousandths, 8100);
  EXPECT_EQ(p.min_charging_rate->thousandths, 6100);

  auto tx = to_tx_profile(p, 720000017, 0, "17");
  EXPECT_EQ(tx.purpose, domain::ChargingProfilePurpose::Tx);
  EXPECT_EQ(tx.kind, domain::ChargingProfileKind::Relative);
  EXPECT_EQ(tx.transaction_id, "17");
  ASSERT_EQ(tx.schedules.size(), 1u);
  EXPECT_EQ(tx.schedules[0].periods, p.periods);

  auto t0 = *parse_datetime("2030-01-01T10:00:00Z");
  EXPECT_EQ(limit_at(p, t0, t0)->thousandths, 16000);
  EXPECT_EQ(limit_at(p, t0, t0 + std::chrono::seconds(901))->thousandths, 8100);
}

TEST(OcpiChargingProfilesCodec, refuses_bad_profiles_naming_the_field) {
  auto field = [](std::string_view body) {
    auto r = parse_set_charging_profile(body);
    return r ? std::string("<accepted>") : r.error().field.value_or("<none>");
  };
  const std::string url = R"("response_url":"https://scsp.example.com/cp/1")";
  EXPECT_EQ(field("{" + url + "}"), "charging_profile");
  EXPECT_EQ(
      field(
          R"({"charging_profile":{"charging_rate_unit":"A","charging_profile_period":[{"start_period":0,"limit":1}]}})"),
      "response_url");
  EXPECT_EQ(field("{" + url + R"(,"charging_profile":{"charging_rate_unit":"kW","charging_profile_period":[]}})"),
            "charging_profile.charging_rate_unit");
  EXPECT_EQ(
      field(
          "{" + url +
          R"(,"charging_profile":{"charging_rate_unit":"W","charging_profile_period":[{"start_period":0,"limit":-1}]}})"),
      "charging_profile.charging_profile_period[0].limit");
  EXPECT_EQ(
      field(
          "{" + url +
          R"(,"charging_profile":{"charging_rate_unit":"W","charging_profile_period":[{"start_period":0,"limit":1},{"start_period":0,"limit":2}]}})"),
      "charging_profile.charging_profile_period[1].start_period");
  EXPECT_EQ(
      field(
          "{" + url +
          R"(,"charging_profile":{"charging_rate_unit":"W","charging_profile_period":[{"start_period":60,"limit":1}]}})"),
      "charging_profile.charging_profile_period");
  EXPECT_EQ(
      field(
          "{" + url +
          R"(,"charging_profile":{"charging_rate_unit":"W","duration":1e30,"charging_profile_period":[{"start_period":0,"limit":1}]}})"),
      "charging_profile.duration");
  EXPECT_EQ(
      field(
          "{" + url +
          R"(,"charging_profile":{"charging_rate_unit":"W","start_date_time":"soon","charging_profile_period":[{"start_period":0,"limit":1}]}})"),
      "charging_profile.start_date_time");
  EXPECT_FALSE(check_response_url("not a url", "response_url"));
  EXPECT_EQ(*check_response_url("https://a.example/x?id=1", "response_url"), "https://a.example/x?id=1");
}

TEST(OcpiChargingProfilesCodec, writes_the_results) {
  using domain::CommandStatus;
  EXPECT_EQ(profile_result_type(CommandStatus::Accepted, R"({"status":"Accepted"})"),
            ChargingProfileResultType::Accepted);
  EXPECT_EQ(profile_result_type(CommandStatus::Rejected, R"({"status":"Unknown"})"),
            ChargingProfileResultType::Unknown);
  EXPECT_EQ(profile_result_type(CommandStatus::TimedOut, std::nullopt), ChargingProfileResultType::Rejected);
  EXPECT_EQ(json::parse(profile_result(ChargingProfileResultType::Unknown)), json::parse(R"({"result":"UNKNOWN"})"));

  OcpiChargingProfile p;
  p.unit = domain::ChargingRateUnit::W;
  p.duration_s = 900;
  p.periods.resize(2);
  p.periods[0].limit = {11000000};
  p.periods[1].start_s = 300;
  p.periods[1].limit = {7400500};
  auto start = *parse_datetime("2030-01-01T10:00:00Z");
  auto body = json::parse(active_profile_result(ChargingProfileResultType::Accepted, start, p));
  EXPECT_EQ(body, json::parse(R"({"result":"ACCEPTED","profile":{"start_date_time":"2030-01-01T10:00:00Z",
    "charging_profile":{"duration":900,"charging_rate_unit":"W","charging_profile_period":[
      {"start_period":0,"limit":11000},{"start_period":300,"limit":7400.5}]}}})"));
  EXPECT_EQ(json::parse(active_profile_result(ChargingProfileResultType::Rejected, std::nullopt, std::nullopt)),
            json::parse(R"({"result":"REJECTED"})"));
}

} // namespace
} // namespace gridlane::ocpi
