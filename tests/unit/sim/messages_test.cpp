// The simulator's messages are the generated OCPP types: each one it sends passes the official
// schema of its action, in 1.6 and in 2.0.1, and carries the station's state.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/core/json_text.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "messages.hpp" // src/sim

using namespace gridlane;
namespace v16 = gridlane::ocpp::v16;
namespace v201 = gridlane::ocpp::v201;
namespace json = boost::json;

namespace {
const ocpp::MessageCatalog &catalog16() {
  static const ocpp::MessageCatalog c{core::ProtocolVersion::Ocpp16};
  return c;
}
const ocpp::MessageCatalog &catalog2() {
  static const ocpp::MessageCatalog c{core::ProtocolVersion::Ocpp201};
  return c;
}
// The payload as it goes on the wire, read back.
template <class Request> json::value wire(const Request &r) {
  return json::parse(core::to_json_text(encode(r)));
}

template <class Msg> void expect_valid(const ocpp::MessageCatalog &catalog, const typename Msg::Request &r) {
  const auto *schema = catalog.request(Msg::action);
  ASSERT_NE(schema, nullptr) << Msg::action;
  auto error = schema->validate(wire(r));
  EXPECT_FALSE(error) << Msg::action << ": " << (error ? error->message : "");
}

const core::Timestamp t0 = core::parse_iso8601("2026-03-29T01:30:00Z").value();
const sim::MeterReading reading{123456.78, 7360};
} // namespace

namespace {
//! A number written with an exponent ("1.2e5", "3E-4") anywhere in the text.
bool has_exponent(const std::string &text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if ((text[i] != 'e' && text[i] != 'E') || !digit(text[i - 1])) continue;
    std::size_t j = i + 1;
    if (text[j] == '+' || text[j] == '-') ++j;
    if (j < text.size() && digit(text[j])) return true;
  }
  return false;
}
} // namespace

TEST(SimMessages, every_16_message_passes_its_schema) {
  expect_valid<v16::BootNotification>(catalog16(), sim::msg::boot16("SIM-00001"));
  for (auto s : {sim::ConnectorState::Available, sim::ConnectorState::Preparing, sim::ConnectorState::Charging,
                 sim::ConnectorState::Finishing, sim::ConnectorState::Faulted})
    expect_valid<v16::StatusNotification>(catalog16(), sim::msg::status16(2, s, t0));
  v16::MeterValuesRequest mv;
  mv.connectorId = 1;
  mv.transactionId = 42;
  mv.meterValue = sim::msg::meter16(reading, v16::SampledValueContext::Sample_Periodic, t0);
  expect_valid<v16::MeterValues>(catalog16(), mv);
  mv.meterValue = sim::msg::big_meter16(reading, t0);
  expect_valid<v16::MeterValues>(catalog16(), mv);
  v16::StopTransactionRequest stop;
  stop.transactionId = 42;
  stop.meterStop = 123456;
  stop.timestamp = t0;
  stop.reason = sim::msg::reason16(sim::StopCause::Remote);
  expect_valid<v16::StopTransaction>(catalog16(), stop);
}

TEST(SimMessages, every_2x_message_passes_its_schema) {
  expect_valid<v201::BootNotification>(catalog2(), sim::msg::boot2("SIM-00002", v201::BootReasonEnum::RemoteReset));
  for (auto s : {sim::ConnectorState::Available, sim::ConnectorState::Charging, sim::ConnectorState::Faulted})
    expect_valid<v201::StatusNotification>(catalog2(), sim::msg::status2(1, s, t0));
  sim::msg::TransactionEventArgs args;
  args.type = v201::TransactionEventEnum::Started;
  args.trigger = v201::TriggerReasonEnum::RemoteStart;
  args.context = v201::ReadingContextEnum::Transaction_Begin;
  args.transaction_id = "SIM-00002-1-1";
  args.evse = 1;
  args.remote_start_id = 7;
  auto started =
      sim::msg::transaction_event(args, sim::msg::meter2(reading, v201::ReadingContextEnum::Transaction_Begin, t0), t0);
  started.idToken = sim::msg::id_token2("SIM-TAG-2");
  expect_valid<v201::TransactionEvent>(catalog2(), started);
  args.type = v201::TransactionEventEnum::Updated;
  args.evse.reset();
  expect_valid<v201::TransactionEvent>(catalog2(),
                                       sim::msg::transaction_event(args, sim::msg::big_meter2(reading, t0), t0));
  v201::MeterValuesRequest mv;
  mv.evseId = 1;
  mv.meterValue = sim::msg::big_meter2(reading, t0);
  expect_valid<v201::MeterValues>(catalog2(), mv);
}

TEST(SimMessages, a_status_is_spelled_as_each_version_spells_it) {
  auto s16 = wire(sim::msg::status16(2, sim::ConnectorState::Faulted, t0));
  EXPECT_EQ(s16.at("status").as_string(), "Faulted");
  EXPECT_EQ(s16.at("errorCode").as_string(), "GroundFailure");
  EXPECT_EQ(wire(sim::msg::status16(2, sim::ConnectorState::Charging, t0)).at("errorCode").as_string(), "NoError");
  EXPECT_EQ(s16.at("timestamp").as_string(), "2026-03-29T01:30:00.000Z");
  auto s2 = wire(sim::msg::status2(3, sim::ConnectorState::Preparing, t0));
  EXPECT_EQ(s2.at("connectorStatus").as_string(), "Occupied");
  EXPECT_EQ(s2.at("evseId").as_int64(), 3);
  EXPECT_EQ(s2.at("connectorId").as_int64(), 1);
}

TEST(SimMessages, samples_carry_the_meter_whole_in_16_and_to_a_tenth_under_load_in_2x) {
  auto small16 = wire(sim::msg::meter16(reading, v16::SampledValueContext::Sample_Periodic, t0).front());
  EXPECT_EQ(small16.at("sampledValue").at(0).at("value").as_string(), "123456");
  EXPECT_EQ(small16.at("sampledValue").at(1).at("value").as_string(), "7360");
  EXPECT_EQ(small16.at("sampledValue").at(0).at("measurand").as_string(), "Energy.Active.Import.Register");
  auto big2 = sim::msg::big_meter2(reading, t0).front();
  ASSERT_EQ(big2.sampledValue.size(), 7u);
  EXPECT_DOUBLE_EQ(big2.sampledValue[0].value, 123456.8);
  EXPECT_DOUBLE_EQ(big2.sampledValue[2].value, 10.7); // 7360 W over three phases at 230 V
  EXPECT_EQ(big2.sampledValue[6].location, v201::LocationEnum::EV);
  // Plain decimals on the wire, about the size real AC stations send.
  auto text = core::to_json_text(encode(big2));
  EXPECT_FALSE(has_exponent(text)) << text;
  EXPECT_GT(text.size(), 500u);
  EXPECT_LT(text.size(), 1000u);
}

TEST(SimMessages, a_charging_profile_limit_is_read_in_watts) {
  v16::CsChargingProfiles p16;
  EXPECT_EQ(sim::msg::profile_limit_w(p16), 0); // no period: no limit
  p16.chargingSchedule.chargingRateUnit = v16::ChargingScheduleChargingRateUnit::A;
  p16.chargingSchedule.chargingSchedulePeriod.push_back({0, 16, std::nullopt});
  EXPECT_DOUBLE_EQ(sim::msg::profile_limit_w(p16), 16 * 230.0 * 3);
  v201::ChargingProfile p2;
  EXPECT_EQ(sim::msg::profile_limit_w(p2), 0);
  auto &schedule = p2.chargingSchedule.emplace_back();
  schedule.chargingRateUnit = v201::ChargingRateUnitEnum::W;
  schedule.chargingSchedulePeriod.emplace_back().limit = 7400;
  EXPECT_DOUBLE_EQ(sim::msg::profile_limit_w(p2), 7400);
}
