#include "gridlane/energy/profiles.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "gridlane/ocpp/commands.hpp"

namespace gridlane::energy {
namespace {

using domain::ChargingProfilePurpose;
using domain::ChargingRateUnit;
using std::chrono::seconds;

core::Timestamp at(const char *s) {
  return core::parse_iso8601(s).value();
}

domain::Setpoint setpoint(int evse, std::int64_t ma, int phases = 3, bool paused = false) {
  domain::Setpoint sp;
  sp.station = domain::StationId::unchecked("CS-1");
  sp.evse_id = evse;
  sp.current = core::milliamps(ma);
  sp.phases = phases;
  sp.paused = paused;
  return sp;
}

const ProfilePolicy kPolicy{};
const core::Timestamp kNow = at("2026-11-29T20:00:30.250Z");

TEST(SetpointProfile, ATransactionGetsATxProfileInAmperesPerPhase) {
  const auto cmd = setpoint_profile(setpoint(2, 10666, 1), std::string("tx-77"), EvseElectrics{}, kPolicy, kNow);
  EXPECT_EQ(cmd.connector_id, 2);
  EXPECT_EQ(cmd.evse_id, 2);
  const auto &p = cmd.profile;
  EXPECT_EQ(p.id, kPolicy.first_id + 2002);
  EXPECT_EQ(p.purpose, ChargingProfilePurpose::Tx);
  EXPECT_EQ(p.kind, domain::ChargingProfileKind::Absolute);
  EXPECT_EQ(p.stack_level, kPolicy.stack_level);
  EXPECT_EQ(p.transaction_id, "tx-77");
  ASSERT_EQ(p.schedules.size(), 1U);
  const auto &s = p.schedules[0];
  EXPECT_EQ(s.unit, ChargingRateUnit::A);
  EXPECT_EQ(s.start, at("2026-11-29T19:59:30Z")); // a minute early, whole seconds
  ASSERT_EQ(s.periods.size(), 1U);
  EXPECT_EQ(s.periods[0].start_s, 0);
  EXPECT_EQ(s.periods[0].limit.thousandths, 10600); // down to 0.1 A: never above the share
  EXPECT_EQ(s.periods[0].phases, 1);
}

TEST(SetpointProfile, TheRuleForEachKindOfEvse) {
  struct Case {
    std::string name;
    domain::Setpoint sp;
    std::optional<std::string> tx;
    EvseElectrics electrics;
    ChargingProfilePurpose purpose;
    std::int64_t id_offset;
    ChargingRateUnit unit;
    std::int64_t limit;
    std::optional<std::int64_t> phases;
  };
  const std::vector<Case> cases{
      {"no transaction: the EVSE's default",
       setpoint(1, 16000),
       std::nullopt,
       {},
       ChargingProfilePurpose::TxDefault,
       1001,
       ChargingRateUnit::A,
       16000,
       3},
      {"paused: a limit of zero",
       setpoint(1, 16000, 3, true),
       std::string("9"),
       {},
       ChargingProfilePurpose::Tx,
       2001,
       ChargingRateUnit::A,
       0,
       3},
      {"DC: watts, current x phases x voltage",
       setpoint(3, 50000),
       std::string("9"),
       {.dc = true},
       ChargingProfilePurpose::Tx,
       2003,
       ChargingRateUnit::W,
       34'500'000,
       std::nullopt},
      {"DC at 120 V on one phase",
       setpoint(1, 40000, 1),
       std::nullopt,
       {.dc = true, .voltage = core::volts(120)},
       ChargingProfilePurpose::TxDefault,
       1001,
       ChargingRateUnit::W,
       4'800'000,
       std::nullopt},
      {"V2G: a negative share stays negative",
       setpoint(1, -8050),
       std::string("9"),
       {},
       ChargingProfilePurpose::Tx,
       2001,
       ChargingRateUnit::A,
       -8000,
       3},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    const auto cmd = setpoint_profile(c.sp, c.tx, c.electrics, kPolicy, kNow);
    EXPECT_EQ(cmd.profile.purpose, c.purpose);
    EXPECT_EQ(cmd.profile.id, kPolicy.first_id + c.id_offset);
    EXPECT_EQ(cmd.profile.transaction_id, c.tx);
    ASSERT_EQ(cmd.profile.schedules.size(), 1U);
    EXPECT_EQ(cmd.profile.schedules[0].unit, c.unit);
    ASSERT_EQ(cmd.profile.schedules[0].periods.size(), 1U);
    EXPECT_EQ(cmd.profile.schedules[0].periods[0].limit.thousandths, c.limit);
    EXPECT_EQ(cmd.profile.schedules[0].periods[0].phases, c.phases);
  }
}

TEST(StationMaxProfile, TheFailSafeShareOnEvseZero) {
  domain::GridConnection grid;
  grid.fallback_per_evse = core::amps(6);
  EXPECT_EQ(fail_safe_current(grid, 4), core::amps(24));
  EXPECT_EQ(fail_safe_current(grid, 0), core::amps(6)); // a station has at least one EVSE

  const auto cmd = station_max_profile(fail_safe_current(grid, 2), 3, EvseElectrics{}, kPolicy, kNow);
  EXPECT_EQ(cmd.connector_id, 0);
  EXPECT_EQ(cmd.evse_id, 0);
  EXPECT_EQ(cmd.profile.purpose, ChargingProfilePurpose::StationMax);
  EXPECT_EQ(cmd.profile.id, kPolicy.first_id);
  EXPECT_EQ(cmd.profile.kind, domain::ChargingProfileKind::Absolute); // 2.x: never Relative
  EXPECT_FALSE(cmd.profile.transaction_id.has_value());
  ASSERT_EQ(cmd.profile.schedules.size(), 1U);
  EXPECT_EQ(cmd.profile.schedules[0].periods[0].limit.thousandths, 12000);
  EXPECT_EQ(cmd.profile.schedules[0].periods[0].phases, 3);

  const auto dc = station_max_profile(core::amps(10), 3, EvseElectrics{.dc = true}, kPolicy, kNow);
  EXPECT_EQ(dc.profile.schedules[0].unit, ChargingRateUnit::W);
  EXPECT_EQ(dc.profile.schedules[0].periods[0].limit.thousandths, 6'900'000);
}

TEST(PlanProfile, OnePeriodPerRunOfEqualSlots) {
  PlannedCharging plan;
  plan.evse_id = 1;
  plan.station_transaction_id = "tx-1";
  plan.start = at("2026-11-29T21:00:00Z");
  plan.slot = seconds(900);
  plan.power = {11040, 11040, 0, 0, 7360, -3680};
  const auto cmd = plan_profile(plan, EvseElectrics{}, kPolicy);
  const auto &p = cmd.profile;
  EXPECT_EQ(p.purpose, ChargingProfilePurpose::Tx);
  EXPECT_EQ(p.transaction_id, "tx-1");
  ASSERT_EQ(p.schedules.size(), 1U);
  const auto &s = p.schedules[0];
  EXPECT_EQ(s.start, plan.start);
  EXPECT_EQ(s.duration_s, 6 * 900);
  EXPECT_EQ(s.unit, ChargingRateUnit::A);
  ASSERT_EQ(s.periods.size(), 4U);
  const std::vector<std::pair<std::int64_t, std::int64_t>> want{{0, 16000}, {1800, 0}, {3600, 10600}, {4500, -5300}};
  for (std::size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(s.periods[k].start_s, want[k].first) << k;
    EXPECT_EQ(s.periods[k].limit.thousandths, want[k].second) << k;
    EXPECT_EQ(s.periods[k].phases, 3) << k;
  }
}

TEST(PlanProfile, FewerPeriodsThanTheVehicleTakesKeepTheLowerLimit) {
  PlannedCharging plan;
  plan.start = at("2026-11-29T21:00:00Z");
  plan.power = {11040, 11040, 0, 0, 7360, -3680};
  plan.max_periods = 2;
  const auto s = plan_profile(plan, EvseElectrics{}, kPolicy).profile.schedules[0];
  ASSERT_EQ(s.periods.size(), 2U);
  EXPECT_EQ(s.periods[0].start_s, 0);
  EXPECT_EQ(s.periods[0].limit.thousandths, 16000);
  EXPECT_EQ(s.periods[1].start_s, 1800);
  EXPECT_EQ(s.periods[1].limit.thousandths, -5300);

  plan.power.assign(96, 0);
  for (std::size_t k = 0; k < plan.power.size(); ++k)
    plan.power[k] = static_cast<std::int64_t>(k % 2) * 1000;
  plan.max_periods = 10;
  const auto many = plan_profile(plan, EvseElectrics{.dc = true}, kPolicy).profile.schedules[0];
  EXPECT_LE(many.periods.size(), 10U);
  EXPECT_EQ(many.unit, ChargingRateUnit::W);
  for (const auto &period : many.periods)
    EXPECT_LE(period.limit.thousandths, 1'000'000);
}

TEST(PlanProfile, AnEmptyPlanLimitsToZero) {
  PlannedCharging plan;
  plan.start = at("2026-11-29T21:00:00Z");
  const auto s = plan_profile(plan, EvseElectrics{}, kPolicy).profile.schedules[0];
  ASSERT_EQ(s.periods.size(), 1U);
  EXPECT_EQ(s.periods[0].limit.thousandths, 0);
}

TEST(DecideSend, Table) {
  using Kind = SendDecision::Kind;
  const SendPolicy policy{.hysteresis = core::amps(1), .min_interval = std::chrono::milliseconds(10000)};
  const core::Timestamp sent_at = kNow - seconds(4);
  const SentShare running{core::amps(10), false, 7, sent_at, 3};
  const SentShare paused{core::amps(0), true, 7, sent_at, 3};
  auto sp = [](std::int64_t ma, bool is_paused = false, std::optional<std::int64_t> tx = 7) {
    domain::Setpoint s = setpoint(1, ma, 3, is_paused);
    s.transaction_id = tx;
    return s;
  };
  auto one_phase = [&](std::int64_t ma) {
    domain::Setpoint s = sp(ma);
    s.phases = 1;
    return s;
  };
  struct Case {
    std::string name;
    std::optional<SentShare> last;
    domain::Setpoint next;
    core::Timestamp now;
    SendDecision want;
  };
  const std::vector<Case> cases{
      {"nothing sent yet", std::nullopt, sp(10000), kNow, {Kind::Send, kNow}},
      {"the same share", running, sp(10000), kNow, {Kind::Hold, kNow}},
      {"a raise below the hysteresis", running, sp(10900), kNow + seconds(60), {Kind::Hold, kNow + seconds(60)}},
      {"a raise, the interval over", running, sp(12000), kNow + seconds(6), {Kind::Send, kNow + seconds(6)}},
      {"a raise within the interval waits", running, sp(12000), kNow, {Kind::Wait, sent_at + seconds(10)}},
      {"any lower share at once", running, sp(9800), kNow, {Kind::Send, kNow}},
      {"a pause at once", running, sp(0, true), kNow, {Kind::Send, kNow}},
      {"still paused", paused, sp(0, true), kNow, {Kind::Hold, kNow}},
      {"a resume waits for the interval", paused, sp(6000), kNow, {Kind::Wait, sent_at + seconds(10)}},
      {"a small resume ignores the hysteresis", paused, sp(500), kNow + seconds(6), {Kind::Send, kNow + seconds(6)}},
      {"a new transaction at once", running, sp(12000, false, 8), kNow, {Kind::Send, kNow}},
      {"the transaction ended: the default at once", running, sp(10000, false, std::nullopt), kNow, {Kind::Send, kNow}},
      {"the vehicle moved to one phase: at once", running, one_phase(10000), kNow, {Kind::Send, kNow}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    const SendDecision got = decide_send(c.last, c.next, policy, c.now);
    EXPECT_EQ(got.kind, c.want.kind);
    if (c.want.kind == Kind::Wait) {
      EXPECT_EQ(got.not_before, c.want.not_before);
    }
  }
}

// Every profile the energy manager sends is one each version's adapter can render (the rendered
// request is the generated, schema-checked struct), with the limit where it belongs.
TEST(EnergyProfiles, RenderOnEveryVersion) {
  using core::ProtocolVersion;
  PlannedCharging plan;
  plan.evse_id = 1;
  plan.station_transaction_id = "77";
  plan.start = at("2026-11-29T21:00:00Z");
  plan.power = {11040, 11040, 0, 7360};
  const std::vector<std::pair<std::string, domain::commands::SetChargingProfile>> profiles{
      {"tx", setpoint_profile(setpoint(1, 16000, 1), std::string("77"), {}, kPolicy, kNow)},
      {"tx default", setpoint_profile(setpoint(2, 10666), std::nullopt, {}, kPolicy, kNow)},
      {"paused", setpoint_profile(setpoint(1, 0, 3, true), std::string("77"), {}, kPolicy, kNow)},
      {"dc", setpoint_profile(setpoint(1, 50000), std::string("77"), {.dc = true}, kPolicy, kNow)},
      {"station max", station_max_profile(core::amps(12), 3, {}, kPolicy, kNow)},
      {"plan", plan_profile(plan, {}, kPolicy)},
  };
  for (const auto &[name, cmd] : profiles) {
    for (const auto version : {ProtocolVersion::Ocpp16, ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21}) {
      SCOPED_TRACE(name + " on " + std::string(core::to_string(version)));
      const auto call = ocpp::render_command(version, domain::Command{cmd}, 1);
      ASSERT_TRUE(call.has_value());
      EXPECT_EQ(call->action, "SetChargingProfile");
    }
  }
  const auto v16 = ocpp::render_command(ProtocolVersion::Ocpp16, domain::Command{profiles[1].second}, 1);
  ASSERT_TRUE(v16.has_value());
  const auto &sched = v16->payload.at("csChargingProfiles").at("chargingSchedule");
  EXPECT_EQ(sched.at("chargingSchedulePeriod").at(0).at("limit").to_number<double>(), 10.6)
      << boost::json::serialize(v16->payload);
  EXPECT_EQ(v16->payload.at("connectorId"), 2);
}

} // namespace
} // namespace gridlane::energy
