// The OCPI 2.2.1 Session codec and the roaming CDR: the spec's session examples read and are
// produced field for field, a transaction becomes the Session an eMSP expects, a malformed
// object is refused naming its field, and a CDR is rewritten for the partner whose token it used.
#include <boost/json.hpp>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/ocpi/session_codec.hpp"
#include "gridlane/ocpi/wire.hpp"
#include "support/sample_cdr.hpp"

using namespace gridlane;
using namespace gridlane::ocpi;
using gridlane::test::dec;
namespace json = boost::json;

namespace {

std::string example(const std::string &name) {
  std::ifstream in(std::string(GRIDLANE_OCPI_EXAMPLES) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

//! The spec's session examples omit cdr_token.country_code and party_id, which CdrToken's table
//! requires (mod_cdrs CdrToken: both 1): they are added to read them.
std::string with_token_party(const std::string &text) {
  auto v = json::parse(text);
  auto &token = v.as_object()["cdr_token"].as_object();
  token["country_code"] = "NL";
  token["party_id"] = "TST";
  return json::serialize(v);
}

//! Numbers as doubles, so 41 and 41.00 compare equal (JSON does not tell them apart).
json::value normalized(const json::value &v) {
  if (v.is_number()) return v.to_number<double>();
  if (v.is_array()) {
    json::array out;
    for (const auto &x : v.get_array())
      out.push_back(normalized(x));
    return out;
  }
  if (v.is_object()) {
    json::object out;
    for (const auto &kv : v.get_object())
      out[kv.key()] = normalized(kv.value());
    return out;
  }
  return v;
}

core::Timestamp at(const char *text) {
  return parse_datetime(text).value();
}

domain::Transaction sample_transaction() {
  domain::Transaction t;
  t.id = 101;
  t.station = core::StationId::unchecked("CS-1");
  t.protocol = core::ProtocolVersion::Ocpp201;
  t.evse_id = 1;
  t.connector_id = 2;
  t.id_tag = "123abc";
  t.meter_start_wh = 1000;
  t.energy_wh = 15250;
  t.started_at = at("2020-03-09T10:17:09Z");
  t.start_received_at = t.started_at;
  return t;
}

domain::RoamingToken sample_token() {
  domain::RoamingToken tok;
  tok.partner_id = 7;
  tok.party = {"NL", "TST"};
  tok.uid = "123abc";
  tok.type = domain::OcpiTokenType::Rfid;
  tok.contract_id = "NL-TST-C12345678-S";
  tok.issuer = "Test eMSP";
  tok.whitelist = domain::WhitelistType::Allowed;
  return tok;
}

TEST(OcpiSessionCodec, reads_and_produces_the_simple_start_example) {
  auto text = with_token_party(example("session_example_1_simple_start.json"));
  auto s = decode_session(text);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->id, "101");
  EXPECT_EQ(s->status, SessionStatus::Pending);
  EXPECT_EQ(s->kwh, dec("0"));
  EXPECT_EQ(s->cdr_token.contract_id, "NL-TST-C12345678-S");
  ASSERT_TRUE(s->total_cost);
  EXPECT_EQ(s->total_cost->excl_vat, dec("2.5"));
  EXPECT_FALSE(s->end_date_time);
  // Produced again, it is the example (numbers compared as JSON values).
  EXPECT_EQ(normalized(session_to_json(*s)), normalized(json::parse(text)));
}

TEST(OcpiSessionCodec, reads_and_produces_the_short_finished_example) {
  auto text = with_token_party(example("session_example_2_short_finished.json"));
  auto s = decode_session(text);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->status, SessionStatus::Completed);
  EXPECT_EQ(s->kwh, dec("41"));
  ASSERT_EQ(s->charging_periods.size(), 3U);
  EXPECT_EQ(s->charging_periods[2].tariff_id, "12");
  EXPECT_EQ(s->charging_periods[2].dimensions[0].volume, dec("0.718"));
  ASSERT_TRUE(s->total_cost);
  EXPECT_EQ(s->total_cost->incl_vat, dec("9.35"));
  auto back = decode_session(json::serialize(session_to_json(*s)));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *s);
  EXPECT_EQ(normalized(session_to_json(*s)), normalized(json::parse(text)));
}

TEST(OcpiSessionCodec, refuses_what_the_field_table_forbids_naming_the_field) {
  const auto good = with_token_party(example("session_example_1_simple_start.json"));
  struct Case {
    std::string field;
    json::value value;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"id", "x123456789x123456789x123456789x1234567", "id"}, // CiString(36)
      {"country_code", "NLD", "country_code"},
      {"party_id", 12, "party_id"},
      {"kwh", "12", "kwh"},
      {"kwh", -1, "kwh"},
      {"status", "CHARGING", "status"},
      {"auth_method", "PIN", "auth_method"},
      {"start_date_time", "yesterday", "start_date_time"},
      {"currency", "euro", "currency"},
      {"location_id", nullptr, "location_id"},
      {"charging_periods", json::array{json::object{{"start_date_time", "2020-03-09T10:17:09Z"}}},
       "charging_periods[0].dimensions"},
      {"total_cost", json::object{{"incl_vat", 1}}, "total_cost.excl_vat"},
  };
  for (const auto &c : cases) {
    auto v = json::parse(good);
    v.as_object()[c.field] = c.value;
    auto s = decode_session(json::serialize(v));
    ASSERT_FALSE(s) << c.field;
    EXPECT_EQ(s.error().code, domain::ServiceError::Code::Invalid);
    EXPECT_EQ(s.error().field, c.path) << s.error().message;
  }
  // The spec's own example without the token's party is refused for it.
  auto s = decode_session(example("session_example_1_simple_start.json"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "cdr_token.country_code");
}

TEST(OcpiSessionCodec, a_running_transaction_is_an_active_session_of_the_tokens_emsp) {
  auto t = sample_transaction();
  SessionParts parts;
  parts.transaction = &t;
  parts.cpo = {"BE", "GRL"};
  parts.location = domain::LocationId::unchecked("LOC1");
  domain::Evse evse;
  evse.uid = domain::EvseUid(3256);
  parts.evse = evse;
  parts.meter_id = "M-1";
  parts.token = sample_token();
  parts.total_cost = domain::Price{dec("0.6"), dec("0.66")};
  parts.currency = core::Currency::eur();
  parts.last_updated = at("2020-03-09T10:30:00Z");
  auto s = session_of(parts);
  auto o = session_to_json(s);
  EXPECT_EQ(o.at("country_code"), "BE");
  EXPECT_EQ(o.at("party_id"), "GRL");
  EXPECT_EQ(o.at("id"), "101");
  EXPECT_EQ(o.at("status"), "ACTIVE");
  EXPECT_EQ(o.at("kwh").as_double(), 15.25);
  EXPECT_EQ(o.at("location_id"), "LOC1");
  EXPECT_EQ(o.at("evse_uid"), "3256");
  EXPECT_EQ(o.at("connector_id"), "2");
  EXPECT_EQ(o.at("auth_method"), "WHITELIST");
  EXPECT_EQ(o.at("cdr_token"), (json::object{{"country_code", "NL"},
                                             {"party_id", "TST"},
                                             {"uid", "123abc"},
                                             {"type", "RFID"},
                                             {"contract_id", "NL-TST-C12345678-S"}}));
  EXPECT_EQ(o.at("total_cost"), (json::object{{"excl_vat", 0.6}, {"incl_vat", 0.66}}));
  EXPECT_EQ(o.at("start_date_time"), "2020-03-09T10:17:09Z");
  EXPECT_EQ(o.at("last_updated"), "2020-03-09T10:30:00Z");
  EXPECT_FALSE(o.contains("end_date_time"));
  // What Gridlane produces passes its own field table.
  auto back = decode_session(json::serialize(o));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(OcpiSessionCodec, an_ended_transaction_is_completed_with_its_end_and_final_energy) {
  auto t = sample_transaction();
  t.protocol = core::ProtocolVersion::Ocpp16;
  t.state = domain::TransactionState::Ended;
  t.meter_stop_wh = 42000;
  t.stopped_at = at("2020-03-09T11:00:00Z");
  t.remote_start_id = 5;
  SessionParts parts;
  parts.transaction = &t;
  parts.cpo = {"BE", "GRL"};
  parts.token = sample_token();
  parts.last_updated = at("2020-03-09T11:00:01Z");
  auto s = session_of(parts);
  EXPECT_EQ(s.status, SessionStatus::Completed);
  EXPECT_EQ(s.end_date_time, at("2020-03-09T11:00:00Z"));
  EXPECT_EQ(s.kwh, dec("41"));
  EXPECT_EQ(s.auth_method, domain::AuthMethod::Command);
  EXPECT_EQ(s.connector_id, "1");  // a 1.6 connector n is EVSE n, connector 1
  EXPECT_EQ(s.location_id, "#NA"); // a station without a location: OCPI's "not available"
  auto patch = session_patch_json(s, {});
  EXPECT_EQ(patch.at("status"), "COMPLETED");
  EXPECT_EQ(patch.at("end_date_time"), "2020-03-09T11:00:00Z");
  EXPECT_EQ(patch.at("kwh"), 41);
  EXPECT_EQ(patch.at("last_updated"), "2020-03-09T11:00:01Z");
  EXPECT_FALSE(patch.contains("charging_periods"));
  EXPECT_FALSE(patch.contains("cdr_token")); // a PATCH carries what changes
}

TEST(OcpiSessionCodec, a_patch_adds_only_the_new_charging_periods) {
  auto t = sample_transaction();
  SessionParts parts;
  parts.transaction = &t;
  parts.cpo = {"BE", "GRL"};
  parts.last_updated = at("2019-06-23T08:16:02Z");
  parts.total_cost = domain::Price{dec("0.8"), dec("0.88")};
  auto s = session_of(parts);
  std::vector<domain::ChargingPeriod> added = {
      {at("2019-06-23T08:16:02Z"), {{domain::CdrDimensionType::Energy, dec("2200")}}, std::nullopt}};
  auto patch = session_patch_json(s, added);
  auto expected = json::parse(example("session_patch_example_charging_period.json")).as_object();
  EXPECT_EQ(normalized(patch.at("charging_periods")), normalized(expected.at("charging_periods")));
  EXPECT_EQ(normalized(patch.at("total_cost")), normalized(expected.at("total_cost")));
  EXPECT_EQ(patch.at("last_updated"), expected.at("last_updated"));
}

TEST(OcpiSessionCodec, a_cdr_for_the_partner_names_gridlane_as_cpo_and_the_emsps_token) {
  auto c = test::sample_cdr(101);
  auto tok = sample_token();
  tok.whitelist = domain::WhitelistType::Never;
  c.auth_method = domain::AuthMethod::Whitelist;
  auto r = roaming_cdr(c, {"BE", "GRL"}, tok);
  EXPECT_EQ(r.country_code, "BE");
  EXPECT_EQ(r.party_id, "GRL");
  EXPECT_EQ(r.cdr_token, (domain::CdrToken{"NL", "TST", "123abc", domain::CdrTokenType::Rfid, "NL-TST-C12345678-S"}));
  EXPECT_EQ(r.auth_method, domain::AuthMethod::AuthRequest); // NEVER: asked in real time
  EXPECT_EQ(r.total_cost, c.total_cost);
  EXPECT_EQ(r.id, c.id);
  // The example CDR's shape: the same members as the spec's example (which has no signed data).
  auto produced = domain::cdr_to_json(r);
  auto expected = json::parse(example("cdr_example.json")).as_object();
  for (const auto &kv : expected)
    EXPECT_TRUE(produced.contains(kv.key())) << kv.key();
}

TEST(OcpiSessionCodec, charging_preferences_are_checked_against_their_table) {
  auto p = decode_charging_preferences(
      R"({"profile_type":"FAST","departure_time":"2026-01-01T10:00:00Z","energy_need":12.5})");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->profile_type, ProfileType::Fast);
  EXPECT_EQ(p->energy_need, dec("12.5"));
  auto bad = decode_charging_preferences(R"({"profile_type":"SLOW"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "profile_type");
  bad = decode_charging_preferences(R"({"departure_time":"2026-01-01T10:00:00Z"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "profile_type");
  bad = decode_charging_preferences(R"({"profile_type":"CHEAP","discharge_allowed":"yes"})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "discharge_allowed");
}

} // namespace
