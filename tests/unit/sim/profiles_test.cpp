// A simulated station's charging profiles: which one applies when, the composite limit of
// stacked profiles (StationMax, TxDefault, Tx; stack levels; validity; Absolute, Relative,
// Recurring) and the per-phase readings it reports under them.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/core/json_text.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "messages.hpp" // src/sim
#include "profiles.hpp" // src/sim
#include "site.hpp"     // src/sim

using namespace gridlane;
using sim::ProfilePurpose;
using sim::RateUnit;
using namespace std::chrono_literals;

namespace {
const core::Timestamp t0 = core::parse_iso8601("2026-11-29T10:00:00Z").value();
const sim::Electrical ac3{230, 3, false};
const sim::TxContext no_tx{};
const sim::TxContext tx{"TX-1", t0 - 600s};
constexpr std::int64_t hour_s = 3600;

sim::Profile profile(std::int64_t id, ProfilePurpose purpose, std::int64_t level, double limit, int connector = 1,
                     RateUnit unit = RateUnit::A) {
  sim::Profile p;
  p.id = id;
  p.purpose = purpose;
  p.stack_level = level;
  p.unit = unit;
  p.periods = {{0, limit, std::nullopt}};
  p.connector = connector;
  p.start = t0 - 3600s;
  p.received = t0 - 3600s;
  return p;
}
} // namespace

struct StackCase {
  const char *name;
  std::vector<sim::Profile> profiles;
  bool running;
  std::optional<double> expected_amps; // on connector 1 at t0
};

TEST(SimProfiles, the_composite_is_the_lowest_of_station_max_and_the_highest_stack_level) {
  const std::vector<StackCase> cases{
      {"none", {}, true, std::nullopt},
      {"station max alone", {profile(1, ProfilePurpose::StationMax, 0, 20, 0)}, true, 20},
      {"tx default on the connector", {profile(1, ProfilePurpose::TxDefault, 0, 16)}, false, 16},
      {"tx default on connector 0 applies to every connector",
       {profile(1, ProfilePurpose::TxDefault, 0, 13, 0)},
       false,
       13},
      {"the connector's own tx default overrides connector 0's",
       {profile(1, ProfilePurpose::TxDefault, 5, 10, 0), profile(2, ProfilePurpose::TxDefault, 0, 14)},
       false,
       14},
      {"highest stack level wins, even when higher in value",
       {profile(1, ProfilePurpose::TxDefault, 1, 10), profile(2, ProfilePurpose::TxDefault, 2, 25)},
       false,
       25},
      {"tx overrides tx default",
       {profile(1, ProfilePurpose::TxDefault, 9, 8), profile(2, ProfilePurpose::Tx, 0, 20)},
       true,
       20},
      {"station max caps tx",
       {profile(1, ProfilePurpose::StationMax, 0, 12, 0), profile(2, ProfilePurpose::Tx, 0, 20)},
       true,
       12},
      {"a W limit is read over three phases at 230 V",
       {profile(1, ProfilePurpose::TxDefault, 0, 6900, 1, RateUnit::W)},
       false,
       10},
  };
  for (const auto &c : cases) {
    sim::ProfileStack stack;
    const auto &context = c.running ? tx : no_tx;
    for (const auto &p : c.profiles)
      ASSERT_EQ(stack.set(p, context), sim::SetOutcome::Accepted) << c.name;
    auto limit = stack.limit_at(1, t0, RateUnit::A, ac3, context);
    ASSERT_EQ(limit.has_value(), c.expected_amps.has_value()) << c.name;
    if (limit) {
      EXPECT_DOUBLE_EQ(*limit, *c.expected_amps) << c.name;
    }
  }
}

TEST(SimProfiles, refuses_what_cannot_apply_and_replaces_by_id_or_by_purpose_and_level) {
  sim::ProfileStack stack;
  EXPECT_EQ(stack.set(profile(1, ProfilePurpose::StationMax, 0, 20, 2), tx), sim::SetOutcome::Rejected);
  EXPECT_EQ(stack.set(profile(1, ProfilePurpose::Tx, 0, 20), no_tx), sim::SetOutcome::Rejected); // no transaction
  auto other = profile(1, ProfilePurpose::Tx, 0, 20);
  other.transaction = "TX-2";
  EXPECT_EQ(stack.set(other, tx), sim::SetOutcome::Rejected); // not this connector's transaction
  auto late = profile(1, ProfilePurpose::TxDefault, 0, 20);
  late.periods.front().start_s = 60;
  EXPECT_EQ(stack.set(late, tx), sim::SetOutcome::Rejected); // the first period must start at 0
  EXPECT_TRUE(stack.profiles().empty());

  ASSERT_EQ(stack.set(profile(1, ProfilePurpose::TxDefault, 0, 20), tx), sim::SetOutcome::Accepted);
  ASSERT_EQ(stack.set(profile(2, ProfilePurpose::TxDefault, 0, 11), tx), sim::SetOutcome::Accepted); // same level
  ASSERT_EQ(stack.profiles().size(), 1u);
  ASSERT_EQ(stack.set(profile(2, ProfilePurpose::TxDefault, 3, 9), tx), sim::SetOutcome::Accepted); // same id
  ASSERT_EQ(stack.profiles().size(), 1u);
  EXPECT_DOUBLE_EQ(*stack.limit_at(1, t0, RateUnit::A, ac3, tx), 9);

  ASSERT_EQ(stack.set(profile(3, ProfilePurpose::Tx, 0, 7), tx), sim::SetOutcome::Accepted);
  EXPECT_DOUBLE_EQ(*stack.limit_at(1, t0, RateUnit::A, ac3, tx), 7);
  stack.transaction_ended(1);
  EXPECT_DOUBLE_EQ(*stack.limit_at(1, t0, RateUnit::A, ac3, no_tx), 9); // back to the default

  EXPECT_EQ(stack.clear({std::nullopt, std::nullopt, ProfilePurpose::StationMax, std::nullopt}), 0);
  EXPECT_EQ(stack.clear({std::nullopt, 1, std::nullopt, std::nullopt}), 1);
  EXPECT_FALSE(stack.limit_at(1, t0, RateUnit::A, ac3, no_tx));
}

TEST(SimProfiles, the_composite_schedule_follows_periods_validity_and_relative_starts) {
  sim::ProfileStack stack;
  auto max = profile(1, ProfilePurpose::StationMax, 0, 24, 0);
  max.valid_to = t0 + 1800s; // the station max ends after half an hour
  auto stepped = profile(2, ProfilePurpose::TxDefault, 0, 16);
  stepped.start = t0;
  stepped.periods = {{0, 16, std::nullopt}, {600, 32, std::nullopt}, {1200, 8, std::nullopt}};
  auto relative = profile(3, ProfilePurpose::Tx, 1, 10);
  relative.kind = sim::ProfileKind::Relative; // from the transaction's start, 10 minutes before t0
  relative.start.reset();
  relative.periods = {{0, 6, std::nullopt}, {900, 20, std::nullopt}};
  ASSERT_EQ(stack.set(max, no_tx), sim::SetOutcome::Accepted);
  ASSERT_EQ(stack.set(stepped, no_tx), sim::SetOutcome::Accepted);

  // No transaction: the TxDefault's steps, capped by the station max while it is valid, then the
  // hardware (32 A) where nothing applies.
  auto idle = stack.composite(1, t0, 3600, RateUnit::A, ac3, no_tx, 32);
  std::vector<sim::SchedulePeriod> expected{{0, 16, {}}, {600, 24, {}}, {1200, 8, {}}};
  EXPECT_EQ(idle, expected);
  // Connector 0: the station max alone, then the hardware.
  expected = {{0, 24, {}}, {1800, 32, {}}};
  EXPECT_EQ(stack.composite(0, t0, 3600, RateUnit::A, ac3, no_tx, 32), expected);

  // The Tx (Relative) overrides the TxDefault: 6 A until 15 minutes after the start, then 20.
  ASSERT_EQ(stack.set(relative, tx), sim::SetOutcome::Accepted);
  expected = {{0, 6, {}}, {300, 20, {}}};
  EXPECT_EQ(stack.composite(1, t0, 1200, RateUnit::A, ac3, tx, 32), expected);
  // The same in W, for a 1-phase vehicle: 6 A * 230 V.
  const sim::Electrical ac1{230, 1, false};
  auto watts = stack.composite(1, t0, 120, RateUnit::W, ac1, tx, 7360);
  ASSERT_EQ(watts.size(), 1u);
  EXPECT_DOUBLE_EQ(watts.front().limit, 1380);
}

TEST(SimProfiles, a_daily_profile_recurs) {
  sim::ProfileStack stack;
  auto night = profile(1, ProfilePurpose::TxDefault, 0, 32);
  night.kind = sim::ProfileKind::Recurring;
  night.recurrency = sim::Recurrency::Daily;
  night.start = t0 - 24h * 3; // 10:00: 32 A for 8 h, then 8 A
  night.periods = {{0, 32, std::nullopt}, {8 * hour_s, 8, std::nullopt}};
  ASSERT_EQ(stack.set(night, no_tx), sim::SetOutcome::Accepted);
  auto day = stack.composite(1, t0 + 1h, 36 * hour_s, RateUnit::A, ac3, no_tx, 32);
  std::vector<sim::SchedulePeriod> expected{
      {0, 32, {}}, {7 * hour_s, 8, {}}, {23 * hour_s, 32, {}}, {31 * hour_s, 8, {}}};
  EXPECT_EQ(day, expected);
}

namespace {
template <class Msg> void expect_valid(core::ProtocolVersion v, const typename Msg::Request &r) {
  static const ocpp::MessageCatalog c16{core::ProtocolVersion::Ocpp16}, c2{core::ProtocolVersion::Ocpp201};
  const auto &catalog = v == core::ProtocolVersion::Ocpp16 ? c16 : c2;
  auto error = catalog.request(Msg::action)->validate(boost::json::parse(core::to_json_text(encode(r))));
  EXPECT_FALSE(error) << Msg::action << ": " << (error ? error->message : "");
}
template <class Msg> void expect_valid_response(core::ProtocolVersion v, const typename Msg::Response &r) {
  static const ocpp::MessageCatalog c16{core::ProtocolVersion::Ocpp16}, c2{core::ProtocolVersion::Ocpp201};
  const auto &catalog = v == core::ProtocolVersion::Ocpp16 ? c16 : c2;
  auto error = catalog.response(Msg::action)->validate(boost::json::parse(core::to_json_text(encode(r))));
  EXPECT_FALSE(error) << Msg::action << ": " << (error ? error->message : "");
}
} // namespace

TEST(SimProfiles, readings_carry_the_current_of_each_phase_in_both_versions) {
  sim::MeterReading one_phase{1000, 3680, {16, 0, 0}, false, 42.5};
  auto mv16 = sim::msg::phase_meter16(one_phase, ocpp::v16::SampledValueContext::Sample_Periodic, t0);
  ocpp::v16::MeterValuesRequest r16;
  r16.connectorId = 1;
  r16.transactionId = 7;
  r16.meterValue = mv16;
  expect_valid<ocpp::v16::MeterValues>(core::ProtocolVersion::Ocpp16, r16);
  const auto &s16 = mv16.front().sampledValue;
  ASSERT_EQ(s16.size(), 6u); // energy, power, L1, L2, L3, SoC
  EXPECT_EQ(s16[2].phase, ocpp::v16::SampledValuePhase::L1);
  EXPECT_EQ(s16[2].value, "16");
  EXPECT_EQ(s16[3].value, "0");
  EXPECT_EQ(s16[4].phase, ocpp::v16::SampledValuePhase::L3);
  EXPECT_EQ(s16[5].measurand, ocpp::v16::SampledValueMeasurand::SoC);

  sim::MeterReading three{2000, 7245, {10.5, 10.5, 10.5}};
  auto mv2 = sim::msg::phase_meter2(three, ocpp::v201::ReadingContextEnum::Sample_Periodic, t0);
  ocpp::v201::MeterValuesRequest r2;
  r2.evseId = 1;
  r2.meterValue = mv2;
  expect_valid<ocpp::v201::MeterValues>(core::ProtocolVersion::Ocpp201, r2);
  ASSERT_EQ(mv2.front().sampledValue.size(), 5u);
  EXPECT_DOUBLE_EQ(mv2.front().sampledValue[3].value, 10.5);
  EXPECT_EQ(mv2.front().sampledValue[3].phase, ocpp::v201::PhaseEnum::L2);
  EXPECT_EQ(
      sim::msg::phase_meter16(three, ocpp::v16::SampledValueContext::Sample_Periodic, t0).front().sampledValue[4].value,
      "10.5");
}

TEST(SimProfiles, composite_schedules_and_charging_needs_pass_their_schemas) {
  std::vector<sim::SchedulePeriod> periods{{0, 15.96, 3}, {600, 8, std::nullopt}};
  auto c16 = sim::msg::composite16(1, t0, 3600, RateUnit::A, periods);
  expect_valid_response<ocpp::v16::GetCompositeSchedule>(core::ProtocolVersion::Ocpp16, c16);
  EXPECT_DOUBLE_EQ(c16.chargingSchedule->chargingSchedulePeriod[0].limit, 15.9); // never above what applies
  auto c2 = sim::msg::composite2(2, t0, 3600, RateUnit::W, periods);
  expect_valid_response<ocpp::v201::GetCompositeSchedule>(core::ProtocolVersion::Ocpp201, c2);
  EXPECT_EQ(c2.schedule->evseId, 2);
  sim::msg::VehicleNeed need;
  need.energy_wh = 30000;
  need.phases = 1;
  need.departure = t0 + 8h;
  auto n = sim::msg::charging_needs2(need);
  expect_valid<ocpp::v201::NotifyEVChargingNeeds>(core::ProtocolVersion::Ocpp201, n);
  EXPECT_EQ(n.chargingNeeds.requestedEnergyTransfer, ocpp::v201::EnergyTransferModeEnum::AC_single_phase);
  EXPECT_EQ(n.chargingNeeds.acChargingParameters->energyAmount, 30000);
  need.dc = true;
  need.max_power_w = 50000;
  need.max_current_a = 125;
  expect_valid<ocpp::v201::NotifyEVChargingNeeds>(core::ProtocolVersion::Ocpp201, sim::msg::charging_needs2(need));
}

TEST(SimProfiles, the_site_meter_curves_follow_the_time_of_day) {
  const auto at = [](const char *hhmm) {
    return core::parse_iso8601(std::string("2026-06-21T") + hhmm + ":00Z").value();
  };
  EXPECT_DOUBLE_EQ(sim::pv_production_w(100000, at("03:00")), 0);
  EXPECT_DOUBLE_EQ(sim::pv_production_w(100000, at("06:00")), 0);
  EXPECT_NEAR(sim::pv_production_w(100000, at("13:00")), 100000, 1e-6);
  EXPECT_NEAR(sim::pv_production_w(100000, at("09:30")), sim::pv_production_w(100000, at("16:30")), 1e-6);
  EXPECT_DOUBLE_EQ(sim::pv_production_w(100000, at("21:00")), 0);
  EXPECT_NEAR(sim::building_load_w(20000, at("15:00")), 26000, 1e-6);
  EXPECT_NEAR(sim::building_load_w(20000, at("03:00")), 14000, 1e-6);
  EXPECT_NEAR(sim::building_load_w(20000, at("09:00")), 20000, 1e-6);
}

TEST(SimProfiles, a_station_maximum_is_shared_max_min_fairly_among_its_connectors) {
  struct Case {
    std::vector<double> wants;
    double cap;
    std::vector<double> expected;
  };
  const std::vector<Case> cases{
      {{16, 16}, 40, {16, 16}},       // room for both
      {{16, 16}, 20, {10, 10}},       // equal shares
      {{6, 32, 32}, 40, {6, 17, 17}}, // who wants less keeps it, the rest share what is left
      {{0, 32}, 10, {0, 10}},         // a connector without a vehicle takes nothing
      {{16, 16}, 0, {0, 0}},          // a station maximum of 0 pauses all
  };
  for (const auto &c : cases) {
    auto wants = c.wants;
    sim::share_max_min(wants, c.cap);
    ASSERT_EQ(wants.size(), c.expected.size());
    for (std::size_t i = 0; i < wants.size(); ++i)
      EXPECT_DOUBLE_EQ(wants[i], c.expected[i]) << "cap " << c.cap << " connector " << i;
  }
}

TEST(SimProfiles, a_period_s_number_of_phases_limits_the_phases_drawn_on) {
  sim::ProfileStack stack;
  EXPECT_FALSE(stack.phases_at(1, t0, tx)); // nothing says
  auto one = profile(1, ProfilePurpose::TxDefault, 0, 16);
  one.periods = {{0, 16, 1}, {600, 16, 3}};
  one.start = t0;
  ASSERT_EQ(stack.set(one, tx), sim::SetOutcome::Accepted);
  EXPECT_EQ(stack.phases_at(1, t0, tx), 1);
  EXPECT_EQ(stack.phases_at(1, t0 + 600s, tx), 3);
  auto max = profile(2, ProfilePurpose::StationMax, 0, 32, 0);
  max.periods.front().phases = 2;
  ASSERT_EQ(stack.set(max, tx), sim::SetOutcome::Accepted);
  EXPECT_EQ(stack.phases_at(1, t0 + 600s, tx), 2); // the fewest of those that apply
  // A W limit is read over the period's phases: 3680 W on one phase is 16 A.
  auto watts = profile(3, ProfilePurpose::Tx, 0, 3680, 1, RateUnit::W);
  watts.periods.front().phases = 1;
  ASSERT_EQ(stack.set(watts, tx), sim::SetOutcome::Accepted);
  EXPECT_DOUBLE_EQ(*stack.limit_at(1, t0, RateUnit::A, ac3, tx), 16);
}
