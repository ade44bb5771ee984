// Compatibility settings at the bottom: the date-time parser's reading of a missing zone, and the
// schema validator's lenient pass (what it rewrites, what it reports, what it never accepts).
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/core/time.hpp"
#include "gridlane/ocpp/catalog.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
using core::MissingOffset;
namespace json = boost::json;

TEST(TimeMissingOffset, refused_by_default_and_read_as_utc_only_when_asked) {
  EXPECT_FALSE(core::parse_iso8601("2026-11-29T08:47:10"));
  EXPECT_FALSE(core::parse_iso8601("2026-11-29T08:47:10.250"));
  auto t = core::parse_iso8601("2026-11-29T08:47:10", MissingOffset::ReadAsUtc);
  ASSERT_TRUE(t);
  EXPECT_EQ(core::format_iso8601(*t), "2026-11-29T08:47:10.000Z");
  auto ms = core::parse_iso8601("2026-11-29T08:47:10.250", MissingOffset::ReadAsUtc);
  ASSERT_TRUE(ms);
  EXPECT_EQ(core::format_iso8601(*ms), "2026-11-29T08:47:10.250Z");
  // A zone, when present, is still read as one; what is not a date-time stays refused.
  EXPECT_EQ(core::parse_iso8601("2026-11-29T08:47:10+01:00", MissingOffset::ReadAsUtc),
            core::parse_iso8601("2026-11-29T07:47:10Z"));
  for (auto bad : {"2026-11-29T08:47", "2026-11-29 08:47:10", "2026-11-29T08:47:10.", "2026-11-29T08:47:10+01",
                   "2026-13-29T08:47:10", "2026-11-29T08:47:10 ", ""})
    EXPECT_FALSE(core::parse_iso8601(bad, MissingOffset::ReadAsUtc)) << bad;
}

namespace {
const CompiledSchema &schema16(std::string_view action, bool response) {
  static const MessageCatalog c{core::ProtocolVersion::Ocpp16};
  return response ? *c.response(action) : *c.request(action);
}
const CompiledSchema &schema201(std::string_view action, bool response) {
  static const MessageCatalog c{core::ProtocolVersion::Ocpp201};
  return response ? *c.response(action) : *c.request(action);
}
} // namespace

TEST(SchemaLeniency, a_timestamp_without_offset_gets_a_z_and_is_reported_everywhere_in_the_message) {
  auto v = json::parse(R"({"eventType":"Started","timestamp":"2026-11-29T08:47:10","triggerReason":"Authorized",
    "seqNo":0,"transactionInfo":{"transactionId":"T1"},
    "meterValue":[{"timestamp":"2026-11-29T08:47:10.250","sampledValue":[{"value":1}]}]})");
  const auto &schema = schema201("TransactionEvent", false);
  ASSERT_TRUE(schema.validate(v));
  std::vector<Relaxation> used;
  EXPECT_FALSE(schema.validate(v, Leniency{true, false}, used));
  ASSERT_EQ(used.size(), 2u);
  EXPECT_EQ(used[0].kind, Relaxation::Kind::TimestampWithoutOffset);
  EXPECT_EQ(used[0].path, "/timestamp");
  EXPECT_EQ(used[0].value, "2026-11-29T08:47:10");
  EXPECT_EQ(used[1].path, "/meterValue/0/timestamp");
  EXPECT_EQ(v.at("timestamp").as_string(), "2026-11-29T08:47:10Z");
  EXPECT_EQ(v.at("meterValue").at(0).at("timestamp").as_string(), "2026-11-29T08:47:10.250Z");
  EXPECT_FALSE(schema.validate(v)) << "the rewritten message is strictly valid";
}

TEST(SchemaLeniency, accepts_only_its_own_deviation) {
  const auto &status = schema16("StatusNotification", false);
  std::vector<Relaxation> used;
  // Not a date-time at all, or another violation: still refused, whatever is allowed.
  auto garbage = json::parse(R"({"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"08:47"})");
  EXPECT_TRUE(status.validate(garbage, Leniency{true, true}, used));
  auto both =
      json::parse(R"({"connectorId":1,"errorCode":"NoError","status":"Dancing","timestamp":"2026-11-29T08:47:10"})");
  auto e = status.validate(both, Leniency{true, false}, used);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ValidationError::Kind::Enum);
  // Without the setting, nothing is rewritten.
  used.clear();
  auto ts =
      json::parse(R"({"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2026-11-29T08:47:10"})");
  EXPECT_TRUE(status.validate(ts, Leniency{false, true}, used));
  EXPECT_TRUE(used.empty());
  EXPECT_EQ(ts.at("timestamp").as_string(), "2026-11-29T08:47:10");
}

TEST(SchemaLeniency, unknown_top_level_properties_are_removed_nested_ones_are_not) {
  const auto &answer = schema16("RemoteStartTransaction", true);
  auto v = json::parse(R"({"status":"Accepted","firmwareBuild":"r1","more":{"a":1}})");
  std::vector<Relaxation> used;
  EXPECT_FALSE(answer.validate(v, Leniency{false, true}, used));
  ASSERT_EQ(used.size(), 2u);
  EXPECT_EQ(v, json::parse(R"({"status":"Accepted"})"));
  for (const auto &u : used)
    EXPECT_EQ(u.kind, Relaxation::Kind::UnknownProperty);
  EXPECT_TRUE(used[0].path == "/firmwareBuild" || used[1].path == "/firmwareBuild");

  // A nested object keeps its strictness.
  const auto &get = schema201("GetVariables", true);
  auto nested = json::parse(R"({"getVariableResult":[{"attributeStatus":"Accepted","component":{"name":"C","x":1},
    "variable":{"name":"V"}}]})");
  used.clear();
  auto e = get.validate(nested, Leniency{false, true}, used);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ValidationError::Kind::Additional);
  EXPECT_TRUE(used.empty());
}
