// The Token objects on the wire (mod_tokens.asciidoc): the specification's examples read and
// written back, every refusal naming its field, a PATCH merged onto the stored token, and the
// eMSP's AuthorizationInfo read strictly.
#include <boost/json.hpp>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "gridlane/ocpi/token_codec.hpp"
#include "gridlane/ocpi/wire.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

json::value example(const std::string &name) {
  std::ifstream in(std::string(GRIDLANE_OCPI_EXAMPLES) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

json::object full_rfid() {
  return example("token_example_2_full_rfid.json").as_object();
}

//! The field a refusal names, or "" when the object is accepted.
std::string refused_field(const json::value &v) {
  auto t = ocpi::token_from_json(v);
  if (t) return "";
  return t.error().field.value_or("(none)");
}

TEST(OcpiTokenCodec, reads_the_full_rfid_example_and_writes_it_back_unchanged) {
  auto json_in = full_rfid();
  auto t = ocpi::token_from_json(json_in);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->party, (PartyId{"DE", "TNM"}));
  EXPECT_EQ(t->uid, "12345678905880");
  EXPECT_EQ(t->type, OcpiTokenType::Rfid);
  EXPECT_EQ(t->group_id, "DF000-2001-8999");
  EXPECT_EQ(t->whitelist, WhitelistType::Allowed);
  EXPECT_EQ(t->default_profile_type, OcpiProfileType::Green);
  ASSERT_TRUE(t->energy_contract);
  EXPECT_EQ(t->energy_contract->supplier_name, "Greenpeace Energy eG");
  EXPECT_EQ(ocpi::token_to_json(*t), json_in);
}

TEST(OcpiTokenCodec, reads_and_writes_back_the_app_user_and_put_examples) {
  for (const char *name : {"token_example_1_app_user.json", "token_put_example.json"}) {
    auto json_in = example(name);
    auto t = ocpi::token_from_json(json_in);
    ASSERT_TRUE(t) << name << ": " << t.error().message;
    EXPECT_EQ(ocpi::token_to_json(*t), json_in.as_object()) << name;
  }
}

TEST(OcpiTokenCodec, refuses_each_field_against_its_table_naming_it) {
  struct Case {
    const char *field;
    std::string value; // JSON text; "" removes the field
    const char *named;
  };
  auto q = [](const std::string &s) { return json::serialize(json::value(s)); };
  const std::vector<Case> cases = {
      {"country_code", "", "country_code"},
      {"country_code", q("DEU"), "country_code"},
      {"country_code", q("D1"), "country_code"},
      {"party_id", q("TN"), "party_id"},
      {"party_id", "12", "party_id"},
      {"uid", "", "uid"},
      {"uid", "null", "uid"},
      {"uid", q(""), "uid"},
      {"uid", q(std::string(37, '1')), "uid"},
      {"uid", q("caf\xc3\xa9"), "uid"}, // CiString is ASCII
      {"type", q("RFID_CARD"), "type"},
      {"contract_id", q(std::string(37, 'C')), "contract_id"},
      {"visual_number", q(std::string(65, 'V')), "visual_number"},
      {"issuer", "", "issuer"},
      {"issuer", q("The\nNewMotion"), "issuer"},
      {"group_id", q(std::string(37, 'G')), "group_id"},
      {"valid", q("true"), "valid"},
      {"valid", "", "valid"},
      {"whitelist", q("SOMETIMES"), "whitelist"},
      {"language", q("ita"), "language"},
      {"default_profile_type", q("SLOW"), "default_profile_type"},
      {"energy_contract", q("Greenpeace"), "energy_contract"},
      {"last_updated", q("yesterday"), "last_updated"},
      {"last_updated", "", "last_updated"},
  };
  for (const auto &c : cases) {
    auto o = full_rfid();
    if (c.value.empty())
      o.erase(c.field);
    else
      o[c.field] = json::parse(c.value);
    EXPECT_EQ(refused_field(o), c.named) << c.field << " = " << c.value;
  }
  {
    auto o = full_rfid();
    o["issuer"] = std::string("\xff\xfe"); // not UTF-8
    EXPECT_EQ(refused_field(o), "issuer");
  }
  auto o = full_rfid();
  o["energy_contract"].as_object().erase("supplier_name");
  EXPECT_EQ(refused_field(o), "energy_contract.supplier_name");
  o = full_rfid();
  o["energy_contract"].as_object()["contract_id"] = std::string(65, 'x');
  EXPECT_EQ(refused_field(o), "energy_contract.contract_id");
  EXPECT_EQ(refused_field(json::array{}), "body");
}

TEST(OcpiTokenCodec, strings_are_measured_in_characters_not_bytes) {
  auto o = full_rfid();
  std::string issuer;
  for (int i = 0; i < 64; ++i)
    issuer += "\xc3\xa9"; // 64 characters, 128 bytes
  o["issuer"] = issuer;
  EXPECT_EQ(refused_field(o), "");
  o["issuer"] = issuer + "e";
  EXPECT_EQ(refused_field(o), "issuer");
  o["issuer"] = "\xc2\x85"; // U+0085, a C1 control character
  EXPECT_EQ(refused_field(o), "issuer");
}

TEST(OcpiTokenCodec, a_patch_changes_only_the_fields_it_holds) {
  auto stored = ocpi::token_from_json(full_rfid());
  ASSERT_TRUE(stored);
  auto patched = ocpi::patch_token(*stored, example("token_patch_example.json"));
  ASSERT_TRUE(patched) << patched.error().message;
  EXPECT_FALSE(patched->valid);
  EXPECT_EQ(patched->last_updated, *ocpi::parse_datetime("2019-06-19T02:11:11Z"));
  EXPECT_EQ(patched->issuer, stored->issuer);
  EXPECT_EQ(patched->whitelist, stored->whitelist);

  auto cleared = ocpi::patch_token(*stored, json::parse(R"({"visual_number": null, "whitelist": "NEVER",
                                                 "last_updated": "2019-06-20T00:00:00Z"})"));
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->visual_number);
  EXPECT_EQ(cleared->whitelist, WhitelistType::Never);
}

TEST(OcpiTokenCodec, a_patch_needs_last_updated_and_cannot_change_the_key) {
  auto stored = ocpi::token_from_json(full_rfid());
  ASSERT_TRUE(stored);
  auto field_of = [&](const char *body) {
    auto r = ocpi::patch_token(*stored, json::parse(body));
    return r ? std::string() : r.error().field.value_or("(none)");
  };
  EXPECT_EQ(field_of(R"({"valid": false})"), "last_updated");
  EXPECT_EQ(field_of(R"({"uid": "OTHER", "last_updated": "2019-06-19T02:11:11Z"})"), "uid");
  EXPECT_EQ(field_of(R"({"type": "APP_USER", "last_updated": "2019-06-19T02:11:11Z"})"), "type");
  EXPECT_EQ(field_of(R"({"party_id": "XYZ", "last_updated": "2019-06-19T02:11:11Z"})"), "party_id");
  EXPECT_EQ(field_of(R"({"issuer": null, "last_updated": "2019-06-19T02:11:11Z"})"), "issuer");
  EXPECT_EQ(field_of(R"({"whitelist": "MAYBE", "last_updated": "2019-06-19T02:11:11Z"})"), "whitelist");
  // The key repeated unchanged (in another case: CiString) is fine.
  EXPECT_EQ(field_of(R"({"uid": "12345678905880", "party_id": "tnm", "last_updated": "2019-06-19T02:11:11Z"})"), "");
}

TEST(OcpiTokenCodec, reads_an_authorization_info_and_refuses_a_malformed_one) {
  json::object info;
  info["allowed"] = "NO_CREDIT";
  info["token"] = full_rfid();
  info["authorization_reference"] = "REF-42";
  info["location"] = json::parse(R"({"location_id": "LOC1", "evse_uids": ["3", "4"]})");
  auto a = ocpi::authorization_info_from_json(info);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->allowed, AllowedType::NoCredit);
  EXPECT_EQ(a->authorization_reference, "REF-42");
  EXPECT_EQ(a->token.uid, "12345678905880");
  ASSERT_TRUE(a->location);
  EXPECT_EQ(a->location->evse_uids, (std::vector<std::string>{"3", "4"}));

  auto bad = info;
  bad["allowed"] = "PERHAPS";
  EXPECT_EQ(ocpi::authorization_info_from_json(bad).error().field, "data.allowed");
  bad = info;
  bad.erase("token");
  EXPECT_EQ(ocpi::authorization_info_from_json(bad).error().field, "data.token");
  bad = info;
  bad["token"].as_object().erase("whitelist");
  EXPECT_EQ(ocpi::authorization_info_from_json(bad).error().field, "data.token.whitelist");
  bad = info;
  bad["location"].as_object()["evse_uids"] = json::array{7};
  EXPECT_EQ(ocpi::authorization_info_from_json(bad).error().field, "data.location.evse_uids");
}

TEST(OcpiTokenCodec, writes_location_references_without_an_empty_list) {
  EXPECT_EQ(json::serialize(ocpi::location_references_to_json({"LOC1", {"1", "2"}})),
            R"({"location_id":"LOC1","evse_uids":["1","2"]})");
  EXPECT_EQ(json::serialize(ocpi::location_references_to_json({"LOC1", {}})), R"({"location_id":"LOC1"})");
}

} // namespace
