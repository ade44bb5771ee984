// The energy manager's decisions on one site (services/energy_site: pure, no clock or I/O):
// what each EVSE is given as sessions come and go, when a new share is worth sending, how an
// overdraw is contained and an underdraw released, what DR events and external limits do.
#include <gtest/gtest.h>

#include "energy_plan.hpp"
#include "energy_site.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using namespace gridlane::services::energy_site;
using namespace std::chrono_literals;

namespace {

const Timestamp t0 = *core::parse_iso8601("2026-06-01T12:00:00Z");
const LocationId here = LocationId::unchecked("LOC1");

StationId sid(const char *s) {
  return StationId::unchecked(s);
}

//! A 32 A three-phase connection with `n` EVSEs (stations CS1..CSn, evse 1) on circuit `circuit`.
Site site_with(int n, std::int64_t grid_a = 32, const std::optional<std::string> &circuit = std::nullopt) {
  Site s;
  s.tree.grid.location = here;
  s.tree.grid.limit.per_phase = core::amps(grid_a);
  for (int i = 1; i <= n; ++i) {
    energy_site::Evse e;
    e.attachment.station = sid(("CS" + std::to_string(i)).c_str());
    e.attachment.evse_id = 1;
    e.attachment.circuit = circuit;
    e.hardware_max = core::amps(32);
    s.evses.emplace(EvseKey{e.attachment.station, 1}, e);
  }
  return s;
}

void start(Site &s, const char *station, std::int64_t tx, int priority = 1) {
  Session session;
  session.transaction_id = tx;
  session.station_tx_id = std::to_string(tx);
  session.priority = priority;
  s.evses.at(EvseKey{sid(station), 1}).session = session;
}

core::Current given(const Site &s, const char *station) {
  return s.evses.at(EvseKey{sid(station), 1}).given.current;
}

MeasuredDraw draw(std::int64_t ma_per_phase, int phases = 3) {
  MeasuredDraw d;
  for (int p = 0; p < phases; ++p)
    d.current[static_cast<std::size_t>(p)] = core::milliamps(ma_per_phase);
  return d;
}

TEST(EnergySite, SessionsStartingAndEndingReDivideTheConnection) {
  struct Case {
    const char *name;
    std::vector<const char *> running;
    std::int64_t grid_a;
    std::vector<std::int64_t> expected_ma; // CS1, CS2, CS3
  };
  const Case cases[] = {{"one alone gets its max", {"CS1"}, 32, {32000, 0, 0}},
                        {"two share equally", {"CS1", "CS2"}, 32, {16000, 16000, 0}},
                        {"three share equally", {"CS1", "CS2", "CS3"}, 32, {10666, 10666, 10666}},
                        {"a second ends: the first gets it back", {"CS2"}, 20, {0, 20000, 0}}};
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    auto s = site_with(3, c.grid_a);
    std::int64_t tx = 1;
    for (const auto *st : c.running)
      start(s, st, tx++);
    allocate(s, t0);
    std::int64_t sum = 0;
    for (int i = 0; i < 3; ++i) {
      const auto name = "CS" + std::to_string(i + 1);
      const auto got = given(s, name.c_str()).count();
      sum += got;
      if (c.expected_ma[static_cast<std::size_t>(i)] == 0) {
        EXPECT_EQ(got, 0) << name;
      } else {
        EXPECT_NEAR(got, c.expected_ma[static_cast<std::size_t>(i)], 1) << name;
      }
    }
    EXPECT_LE(sum, c.grid_a * 1000);
  }
}

TEST(EnergySite, PausesRatherThanStarvesBelowTheMinimum) {
  auto s = site_with(3, 16);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  start(s, "CS3", 3);
  allocate(s, t0);
  int paused = 0;
  for (const auto &[k, e] : s.evses) {
    if (e.given.paused) {
      ++paused;
      EXPECT_EQ(e.given.current.count(), 0);
    } else {
      EXPECT_GE(e.given.current, core::amps(6));
    }
  }
  EXPECT_EQ(paused, 1);
}

TEST(EnergySite, HigherPriorityIsServedFirst) {
  auto s = site_with(2, 18);
  start(s, "CS1", 1, 1);
  start(s, "CS2", 2, 2);
  allocate(s, t0);
  EXPECT_GT(given(s, "CS2"), given(s, "CS1"));
  EXPECT_LE(given(s, "CS1") + given(s, "CS2"), core::amps(18));
}

TEST(EnergySite, ADemandResponseEventLowersTheSiteWhileItHolds) {
  auto s = site_with(2, 32);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  DemandResponseEvent dr;
  dr.location = here;
  dr.from = t0 + 1h;
  dr.to = t0 + 2h;
  dr.max_power = core::watts(13800); // 20 A per phase
  s.dr.push_back(dr);
  allocate(s, t0);
  EXPECT_EQ(given(s, "CS1"), core::amps(16));
  allocate(s, t0 + 90min);
  EXPECT_LE(given(s, "CS1") + given(s, "CS2"), core::amps(20));
  EXPECT_GE(given(s, "CS1"), core::amps(9));
  allocate(s, t0 + 2h);
  EXPECT_EQ(given(s, "CS1"), core::amps(16));
}

TEST(EnergySite, AnExternalLimitCapsItsEvseAndTheRestGoesToTheOthers) {
  auto s = site_with(2, 32);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  s.evses.at(EvseKey{sid("CS1"), 1}).external = core::amps(8);
  allocate(s, t0);
  EXPECT_EQ(given(s, "CS1"), core::amps(8));
  EXPECT_EQ(given(s, "CS2"), core::amps(24));
}

TEST(EnergySite, WorthSendingFollowsHysteresisAndMinimumInterval) {
  EnergyOptions o; // hysteresis 1 A, min interval 10 s
  Setpoint last;
  last.transaction_id = 1;
  last.current = core::amps(16);
  auto with = [&](std::int64_t ma, bool paused = false) {
    auto s = last;
    s.current = core::milliamps(ma);
    s.paused = paused;
    return s;
  };
  struct Case {
    const char *name;
    bool has_last;
    Setpoint next;
    std::chrono::milliseconds since;
    bool expected;
  };
  auto other_tx = with(16000);
  other_tx.transaction_id = 2;
  const Case cases[] = {
      {"nothing sent yet", false, with(16000), 0ms, true},
      {"raise below hysteresis", true, with(16900), 60s, false},
      {"raise above hysteresis, too soon", true, with(20000), 5s, false},
      {"raise above hysteresis, after the interval", true, with(20000), 10s, true},
      {"any lowering at once", true, with(15900), 1s, true},
      {"pause at once", true, with(0, true), 1s, true},
      {"a new transaction at once", true, other_tx, 1s, true},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    std::optional<Setpoint> l;
    std::optional<Timestamp> at;
    if (c.has_last) {
      l = last;
      at = t0;
    }
    EXPECT_EQ(worth_sending(l, at, c.next, o, t0 + c.since), c.expected);
  }
  auto paused = with(0, true);
  EXPECT_FALSE(worth_sending(paused, t0, with(6000), o, t0 + 1s)) << "a resume is a raise: after the interval";
  EXPECT_TRUE(worth_sending(paused, t0, with(6000), o, t0 + 10s)) << "whatever its size";
}

TEST(EnergySite, AnOverdrawIsReservedAndTheRestOfItsCircuitLoweredAtOnce) {
  EnergyOptions o;
  auto s = site_with(2, 32);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  allocate(s, t0);
  auto &cs1 = s.evses.at(EvseKey{sid("CS1"), 1});
  cs1.sent = cs1.given; // 16 A sent
  cs1.sent_at = t0;
  EXPECT_EQ(observe(cs1, draw(16500), core::volts(230), o, t0 + 10s), DrawVerdict::Normal) << "within the tolerance";
  EXPECT_EQ(observe(cs1, draw(24000), core::volts(230), o, t0 + 20s), DrawVerdict::Overdraw);
  EXPECT_EQ(cs1.reserved, core::amps(24));
  allocate(s, t0 + 20s);
  EXPECT_EQ(given(s, "CS2"), core::amps(8)) << "the other gets what the overdraw leaves";
  EXPECT_EQ(observe(cs1, draw(24300), core::volts(230), o, t0 + 30s), DrawVerdict::Normal) << "no second alert";
  EXPECT_EQ(observe(cs1, draw(28000), core::volts(230), o, t0 + 40s), DrawVerdict::OverdrawChanged);
  allocate(s, t0 + 40s);
  EXPECT_EQ(given(s, "CS2"), core::amps(0));
  EXPECT_TRUE(s.evses.at(EvseKey{sid("CS2"), 1}).given.paused) << "4 A left is below 6 A: paused";
}

TEST(EnergySite, ASentScheduleAllowsEachSlotItsPlannedValueWithoutAnOverdraw) {
  EnergyOptions o;
  auto s = site_with(1, 32);
  start(s, "CS1", 1);
  allocate(s, t0);
  auto &e = s.evses.at(EvseKey{sid("CS1"), 1});
  e.given.current = core::amps(6); // the share now: the plan's first slot
  e.sent = e.given;
  e.sent_at = t0;
  SentPlan sent;
  auto cmd = std::get<commands::SetChargingProfile>(
      plan_command(e, {1000, 0, 22080, 22080}, s.tree.grid, t0, 900s, sent)); // W per slot, 3 phases at 230 V
  const auto &periods = cmd.profile.schedules.at(0).periods;
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[0].limit.thousandths, 6000) << "the first slot is the share now, not the plan's 1 kW";
  EXPECT_EQ(periods[1].start_s, 900);
  EXPECT_EQ(periods[1].limit.thousandths, 0);
  EXPECT_EQ(periods[2].start_s, 1800);
  EXPECT_EQ(periods[2].limit.thousandths, 32000);
  ASSERT_EQ(sent.per_slot.size(), 4u);
  e.sent_plan = sent;
  EXPECT_EQ(observe(e, draw(6000), core::volts(230), o, t0 + 60s), DrawVerdict::Normal);
  EXPECT_EQ(observe(e, draw(32000), core::volts(230), o, t0 + 1800s + 60s), DrawVerdict::Normal)
      << "the third slot allows 32 A";
  EXPECT_EQ(observe(e, draw(32000), core::volts(230), o, t0 + 3600s + 60s), DrawVerdict::Overdraw)
      << "after the schedule: the share again";
}

TEST(EnergySite, AnUnderdrawReleasesTheRestAfterAWhile) {
  EnergyOptions o; // underdraw after 60 s
  auto s = site_with(2, 32);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  allocate(s, t0);
  auto &cs1 = s.evses.at(EvseKey{sid("CS1"), 1});
  EXPECT_EQ(observe(cs1, draw(10000), core::volts(230), o, t0), DrawVerdict::Normal);
  EXPECT_EQ(observe(cs1, draw(10000), core::volts(230), o, t0 + 30s), DrawVerdict::Normal);
  EXPECT_EQ(observe(cs1, draw(10000), core::volts(230), o, t0 + 60s), DrawVerdict::Underdraw);
  allocate(s, t0 + 60s);
  EXPECT_EQ(given(s, "CS1"), core::amps(11)) << "what it draws plus the hysteresis";
  EXPECT_EQ(given(s, "CS2"), core::amps(21));
  EXPECT_EQ(observe(cs1, draw(11000), core::volts(230), o, t0 + 70s), DrawVerdict::UnderdrawEnded)
      << "it takes all it was left";
  allocate(s, t0 + 70s);
  EXPECT_EQ(given(s, "CS1"), core::amps(16));
}

TEST(EnergySite, LearnsAOnePhaseVehicleFromItsDraw) {
  EnergyOptions o;
  auto s = site_with(2, 32);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  allocate(s, t0);
  auto &cs1 = s.evses.at(EvseKey{sid("CS1"), 1});
  observe(cs1, draw(16000, 1), core::volts(230), o, t0 + 10s);
  ASSERT_TRUE(cs1.session->vehicle_phases);
  EXPECT_EQ(*cs1.session->vehicle_phases, 1);
  allocate(s, t0 + 10s);
  EXPECT_EQ(s.evses.at(EvseKey{sid("CS1"), 1}).given.phases, 1);
  // L2 and L3 are CS2's alone now; on L1 they share.
  EXPECT_EQ(given(s, "CS1"), core::amps(16));
}

TEST(EnergySite, NestedCircuitsHoldTheirOwnLimit) {
  auto s = site_with(3, 63, "board");
  Circuit board;
  board.location = here;
  board.id = "board";
  board.limit.per_phase = core::amps(20);
  s.tree.circuits.push_back(board);
  start(s, "CS1", 1);
  start(s, "CS2", 2);
  allocate(s, t0);
  EXPECT_EQ(given(s, "CS1") + given(s, "CS2"), core::amps(20));
  auto pic = picture(s, here, t0);
  ASSERT_EQ(pic.circuits.size(), 2u);
  EXPECT_EQ(pic.circuits[1].id, "board");
  EXPECT_EQ(pic.circuits[1].allocated[0], core::amps(20));
  EXPECT_EQ(pic.circuits[0].allocated[2], core::amps(20));
}

TEST(EnergySite, ProfilesAreTxForASessionInAmperesForAcAndWattsForDc) {
  auto s = site_with(1, 32);
  start(s, "CS1", 7);
  allocate(s, t0);
  auto &e = s.evses.at(EvseKey{sid("CS1"), 1});
  auto cmd = std::get<commands::SetChargingProfile>(profile_command(e, e.given, s.tree.grid, t0));
  EXPECT_EQ(cmd.profile.purpose, ChargingProfilePurpose::Tx);
  EXPECT_EQ(cmd.profile.transaction_id, "7");
  EXPECT_EQ(cmd.evse_id, 1);
  ASSERT_EQ(cmd.profile.schedules.size(), 1u);
  EXPECT_EQ(cmd.profile.schedules[0].unit, ChargingRateUnit::A);
  EXPECT_EQ(cmd.profile.schedules[0].periods.at(0).limit.thousandths, 32000);
  EXPECT_EQ(cmd.profile.schedules[0].periods.at(0).phases, 3);
  e.attachment.dc = true;
  auto dc = std::get<commands::SetChargingProfile>(profile_command(e, e.given, s.tree.grid, t0));
  EXPECT_EQ(dc.profile.schedules[0].unit, ChargingRateUnit::W);
  EXPECT_EQ(dc.profile.schedules[0].periods.at(0).limit.thousandths, 32000LL * 230 * 3); // mW
  auto max = std::get<commands::SetChargingProfile>(station_max_command(s.tree.grid, 2, t0));
  EXPECT_EQ(max.profile.purpose, ChargingProfilePurpose::StationMax);
  EXPECT_EQ(max.evse_id, 0);
  EXPECT_EQ(max.profile.schedules[0].periods.at(0).limit.thousandths, 12000);
}

TEST(EnergySite, ThePlansFirstSlotCapsAPlannedSessionNow) {
  struct Case {
    const char *name;
    const char *now_price, *later_price;
    bool charges_now;
  };
  const Case cases[] = {
      {"cheap later: waits (paused now)", "0.40", "0.10", false},
      {"cheap now: charges now", "0.10", "0.40", true},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(c.name);
    auto s = site_with(1, 32);
    start(s, "CS1", 1);
    DepartureNeed need;
    need.transaction_id = 1;
    need.departure = t0 + 8h;
    need.energy = core::watt_hours(10000);
    s.evses.at(EvseKey{sid("CS1"), 1}).session->need = need;
    s.prices = {{t0, *core::Decimal::parse(c.now_price)}, {t0 + 4h, *core::Decimal::parse(c.later_price)}};
    allocate(s, t0);
    auto pp = plan_problem(s, t0, 900s, 96);
    ASSERT_EQ(pp.problem.vehicles.size(), 1u);
    EXPECT_EQ(pp.problem.vehicles[0].departure_slot, 32);
    auto plan = energy::schedule(pp.problem);
    ASSERT_TRUE(plan.optimal) << plan.status;
    apply_plan(s, pp, plan, t0, 900s);
    ASSERT_EQ(s.plan.size(), 96u);
    EXPECT_EQ(s.plan[0].price_per_kwh, core::Decimal::parse(c.now_price).value());
    allocate(s, t0);
    const auto &e = s.evses.at(EvseKey{sid("CS1"), 1});
    if (c.charges_now) {
      EXPECT_GE(e.given.current, core::amps(6));
    } else {
      EXPECT_TRUE(e.given.paused);
    }
  }
}

TEST(EnergySite, TheBuildingLoadInForceComesOffTheConnectionFirst) {
  auto s = site_with(1, 32);
  start(s, "CS1", 1);
  s.building = {{t0 - 1h, core::watts(6900)}, {t0 + 1h, core::watts(0)}}; // 10 A per phase, then none
  allocate(s, t0);
  EXPECT_EQ(given(s, "CS1"), core::amps(22));
  allocate(s, t0 + 2h);
  EXPECT_EQ(given(s, "CS1"), core::amps(32));
}

} // namespace
