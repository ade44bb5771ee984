// The OCPI 2.2.1 specification's example objects (shared/specs/ocpi/2.2.1/examples, kept in
// tests/data/ocpi/2.2.1): the field tables accept them (but for the examples' known errata),
// and the codecs read them and produce objects that conform to the same tables and say the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "ocpi/spec_tables.hpp"

#ifndef GRIDLANE_OCPI_EXAMPLES
#define GRIDLANE_OCPI_EXAMPLES "tests/data/ocpi/2.2.1"
#endif

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

const test::OcpiSpecTables &tables() {
  static const test::OcpiSpecTables t;
  return t;
}

std::filesystem::path example(const std::string &name) {
  return std::filesystem::path(GRIDLANE_OCPI_EXAMPLES) / name;
}

std::string read(const std::filesystem::path &p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> examples_starting(const std::string &prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto &e : std::filesystem::directory_iterator(GRIDLANE_OCPI_EXAMPLES, ec)) {
    const auto name = e.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".json")) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

//! Numbers compared by value (2.00 in a file is the double 2, a codec may write the integer 2).
json::value normalized(const json::value &v) {
  if (v.is_number()) return json::value(v.to_number<double>());
  if (v.is_array()) {
    json::array a;
    for (const auto &x : v.get_array())
      a.push_back(normalized(x));
    return a;
  }
  if (v.is_object()) {
    json::object o;
    for (const auto &kv : v.get_object())
      o[kv.key()] = normalized(kv.value());
    return o;
  }
  return v;
}

std::string joined(const std::vector<std::string> &lines) {
  std::string out;
  for (const auto &l : lines)
    out += l + "\n";
  return out;
}

//! The examples give cdr_token without the owner its table requires (an errata of the examples).
void give_the_token_its_owner(json::object &o) {
  auto &t = o.at("cdr_token").as_object();
  json::object fixed;
  fixed["country_code"] = "BE";
  fixed["party_id"] = "BEC";
  for (const auto &kv : t)
    fixed[kv.key()] = kv.value();
  t = std::move(fixed);
}

const core::Timestamp kPut = *core::parse_iso8601("2026-11-29T12:00:00Z");

} // namespace

TEST(OcpiExamples, the_field_tables_are_there) {
  ASSERT_TRUE(tables().loaded()) << "tests/integration/ocpi_spec_tables.json not found";
  EXPECT_GE(examples_starting("tariff_").size(), 19u) << "the OCPI examples are not at " << GRIDLANE_OCPI_EXAMPLES;
  EXPECT_GE(examples_starting("location_example").size(), 6u);
}

TEST(OcpiExamples, the_field_tables_accept_the_specifications_examples_but_their_known_errata) {
  struct Case {
    std::string prefix;
    std::string type;
  };
  for (const auto &c : std::vector<Case>{{"location_example", "Location"},
                                         {"session_example", "Session"},
                                         {"token_", "Token"},
                                         {"tariff_", "Tariff"},
                                         {"credentials_example", "Credentials"},
                                         {"cdr_example", "CDR"}}) {
    for (const auto &name : examples_starting(c.prefix)) {
      SCOPED_TRACE(name);
      auto v = json::parse(read(example(name)));
      auto problems = tables().check(c.type, v);
      std::vector<std::string> expected;
      // Known errata: the CdrToken table requires country_code and party_id, the session and
      // CDR examples predate them; a PUT body example leaves last_updated to the server.
      if (c.type == "Session" || c.type == "CDR")
        expected = {"cdr_token.country_code: required", "cdr_token.party_id: required"};
      if (name == "tariff_put_example.json") expected = {"last_updated: required"};
      EXPECT_EQ(joined(problems), joined(expected));
    }
  }
}

TEST(OcpiExamples, the_table_check_refuses_what_breaks_a_table) {
  auto location = json::parse(read(example("location_example.json"))).as_object();
  auto broken = location;
  broken.erase("city");
  broken["address"] = std::string(46, 'x');
  broken["parking_type"] = "ON_THE_MOON";
  broken["colour"] = "green";
  broken["evses"].as_array()[0].as_object()["connectors"] = json::array();
  broken["publish"] = "yes";
  broken["last_updated"] = "2019-06-24T12:39:09+02:00";
  auto problems = tables().check("Location", broken);
  const auto text = joined(problems);
  for (const auto *p : {"city: required", "address: longer than 45", "parking_type: not a ParkingType value",
                        "colour: Location has no such field", "evses[0].connectors: needs at least one element",
                        "publish: expected boolean", "last_updated: not an OCPI DateTime"})
    EXPECT_NE(text.find(p), std::string::npos) << p << " missing from:\n" << text;
  EXPECT_EQ(problems.size(), 7u) << text;
}

TEST(OcpiExamples, every_example_tariff_is_read_and_produced_conforming_and_unchanged) {
  for (const auto &name : examples_starting("tariff_")) {
    SCOPED_TRACE(name);
    const auto text = read(example(name));
    auto t = decode_tariff(text, {.default_last_updated = kPut, .field_prefix = {}});
    ASSERT_TRUE(t) << t.error().message;
    const auto produced = tariff_to_json(*t);
    EXPECT_EQ(joined(tables().check("Tariff", produced)), "");
    auto original = json::parse(text).as_object();
    auto written = produced;
    if (!original.contains("last_updated")) written.erase("last_updated");
    EXPECT_EQ(normalized(written), normalized(original)) << json::serialize(produced);
  }
}

TEST(OcpiExamples, the_example_cdr_is_read_and_produced_conforming_and_unchanged) {
  auto original = json::parse(read(example("cdr_example.json"))).as_object();
  give_the_token_its_owner(original);
  auto c = decode_cdr(json::serialize(original));
  ASSERT_TRUE(c) << c.error().message << " at " << c.error().field.value_or("");
  const auto produced = cdr_to_json(*c);
  EXPECT_EQ(joined(tables().check("CDR", produced)), "");
  EXPECT_EQ(normalized(produced), normalized(original)) << json::serialize(produced);
}
