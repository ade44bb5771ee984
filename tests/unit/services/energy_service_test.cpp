// The energy manager at run time (services::EnergyService) over a real SQLite file, a fake
// clock, a fake gateway that records the profiles a station would get (and answers as told), a
// fake bus and a scheduler whose timers the test fires: sessions starting and ending re-divide,
// raises wait for the minimum interval while lowerings go at once, a pause below 6 A, an
// overdraw contained within one meter interval, a DR event lowering the site, the boot fail-safe.
#include <filesystem>
#include <gtest/gtest.h>

#include "gridlane/domain/repository.hpp"
#include "gridlane/services/energy_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using namespace std::chrono_literals;

namespace {

using test::FakeClock;

struct FakeGateway : test::GatewayBase {
  std::vector<CommandRecord> sent;
  CommandStatus answer = CommandStatus::Accepted;
  void execute(const CommandRecord &c, std::function<void(GatewayOutcome)> done) override {
    sent.push_back(c);
    GatewayOutcome o;
    o.status = answer;
    o.action = "SetChargingProfile";
    done(o);
  }

  //! The profiles sent to `station` (evse > 0), as (purpose, limit in thousandths).
  std::vector<std::pair<ChargingProfilePurpose, std::int64_t>> profiles(const char *station, int evse = 1) const {
    std::vector<std::pair<ChargingProfilePurpose, std::int64_t>> out;
    for (const auto &c : sent) {
      const auto *p = std::get_if<commands::SetChargingProfile>(&c.command);
      if (!p || c.station != StationId::unchecked(station) || p->evse_id != evse) continue;
      out.emplace_back(p->profile.purpose, p->profile.schedules.at(0).periods.at(0).limit.thousandths);
    }
    return out;
  }
  std::optional<std::int64_t> last_ma(const char *station) const {
    auto p = profiles(station);
    if (p.empty()) return std::nullopt;
    return p.back().second;
  }
};

using test::FakeBus;

const LocationId depot = LocationId::unchecked("LOC-DEPOT");

class EnergyServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-energy-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  //! A depot with a grid connection of `grid_a` per phase and stations CS1..CSn (one EVSE each).
  void site(std::int64_t grid_a, int stations) {
    store->run([&](Repository &r) {
      Location l;
      l.id = depot;
      l.name = "Depot";
      l.created_at = l.updated_at = clock.now();
      r.insert_location(l);
      GridConnection g;
      g.location = depot;
      g.limit.per_phase = core::amps(grid_a);
      g.updated_at = clock.now();
      r.put_grid_connection(g);
      for (int i = 1; i <= stations; ++i) {
        Station s;
        s.id = StationId::unchecked("CS" + std::to_string(i));
        s.registration = RegistrationStatus::Accepted;
        s.location_id = depot;
        s.site = "Depot";
        s.created_at = clock.now();
        r.insert_station(s);
        Evse evse;
        evse.station = s.id;
        evse.evse_id = 1;
        evse.created_at = evse.updated_at = clock.now();
        r.insert_evse(evse);
        EvseAttachment a;
        a.station = s.id;
        a.evse_id = 1;
        a.max_current = core::amps(32);
        a.updated_at = clock.now();
        r.put_attachment(depot, a);
      }
    });
  }
  void make(EnergyOptions options = {}) {
    energy = std::make_unique<EnergyService>(
        *store, clock, gateway, bus,
        [this](std::chrono::milliseconds d, std::function<void()> f) { timers.emplace_back(d, std::move(f)); },
        options);
    energy->start();
    flush();
  }
  void TearDown() override {
    energy.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void flush() {
    store->run([](Repository &) {});
    store->run([](Repository &) {}); // a reply may submit one more unit
  }
  //! Fires the timers that are due after `by` (each fires once; what they schedule waits).
  void advance(std::chrono::milliseconds by) {
    clock.t += by;
    auto due = std::move(timers);
    timers.clear();
    for (auto &[d, f] : due) {
      if (d <= by) {
        f();
      } else {
        timers.emplace_back(d - by, std::move(f));
      }
    }
    flush();
  }
  Transaction start_session(const char *station) {
    Transaction t;
    t.station = StationId::unchecked(station);
    t.protocol = ProtocolVersion::Ocpp16;
    t.evse_id = 1;
    t.connector_id = 1;
    t.id_tag = "TAG-" + std::string(station);
    t.started_at = t.start_received_at = clock.now();
    store->run([&](Repository &r) { t.id = r.insert_transaction(t); });
    t.station_tx_id = std::to_string(t.id);
    bus.publish(TransactionStarted{t.station, clock.now(), t});
    flush();
    return t;
  }
  void end_session(Transaction t) {
    t.state = TransactionState::Ended;
    bus.publish(TransactionEnded{t.station, clock.now(), t});
    flush();
  }
  void draws(const Transaction &t, double amps_per_phase) {
    TransactionUpdated u;
    u.station = t.station;
    u.at = clock.now();
    u.transaction_id = t.id;
    for (const char *phase : {"L1", "L2", "L3"}) {
      MeterSample s;
      s.timestamp = clock.now();
      s.numeric = amps_per_phase;
      s.value = std::to_string(amps_per_phase);
      s.measurand = "Current.Import";
      s.phase = phase;
      s.unit = "A";
      u.readings.push_back(s);
    }
    bus.publish(u);
    flush();
  }

  std::filesystem::path dir;
  FakeClock clock;
  FakeGateway gateway;
  FakeBus bus;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<EnergyService> energy;
  std::vector<std::pair<std::chrono::milliseconds, std::function<void()>>> timers;
};

TEST_F(EnergyServiceTest, a_station_of_a_managed_site_gets_its_fail_safe_at_boot) {
  site(32, 2);
  make();
  bus.publish(StationConnected{StationId::unchecked("CS1"), clock.now(), ProtocolVersion::Ocpp16, {}});
  auto p = gateway.profiles("CS1", 0);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].first, ChargingProfilePurpose::StationMax);
  EXPECT_EQ(p[0].second, 6000); // fallback_per_evse x 1 EVSE
  bus.publish(StationConnected{StationId::unchecked("ELSEWHERE"), clock.now(), ProtocolVersion::Ocpp16, {}});
  EXPECT_EQ(gateway.sent.size(), 1u) << "a station of no managed site gets nothing";
}

TEST_F(EnergyServiceTest, sessions_starting_and_ending_re_divide_with_lowerings_at_once_and_raises_after_the_interval) {
  site(32, 2);
  make();
  auto a = start_session("CS1");
  EXPECT_EQ(gateway.last_ma("CS1"), 32000);
  EXPECT_EQ(gateway.profiles("CS1").at(0).first, ChargingProfilePurpose::Tx);
  auto b = start_session("CS2");
  EXPECT_EQ(gateway.last_ma("CS1"), 16000) << "lowered at once";
  EXPECT_EQ(gateway.last_ma("CS2"), 16000);
  EXPECT_EQ(bus.all<EnergySetpointChanged>().size(), 3u);
  clock.t += 2s;
  end_session(b);
  EXPECT_EQ(gateway.last_ma("CS1"), 16000) << "a raise waits for the minimum interval";
  advance(10s); // the tick after the interval
  EXPECT_EQ(gateway.last_ma("CS1"), 32000);
  const auto sent = gateway.profiles("CS1").size();
  advance(10s);
  EXPECT_EQ(gateway.profiles("CS1").size(), sent) << "nothing new: nothing sent";
  end_session(a);
}

TEST_F(EnergyServiceTest, below_the_minimum_a_session_is_paused) {
  site(10, 2);
  make();
  start_session("CS1");
  start_session("CS2");
  const auto one = gateway.last_ma("CS1"), two = gateway.last_ma("CS2");
  ASSERT_TRUE(one && two);
  EXPECT_EQ(std::min(*one, *two), 0) << "5 A each is below 6 A: one paused";
  EXPECT_EQ(std::max(*one, *two), 10000);
}

TEST_F(EnergyServiceTest, an_overdraw_is_contained_within_one_meter_interval) {
  site(32, 2);
  make();
  auto a = start_session("CS1");
  auto b = start_session("CS2");
  draws(b, 15.8); // within its share
  EXPECT_TRUE(bus.all<EnergyAlert>().empty());
  draws(a, 24); // ignores its 16 A
  auto alerts = bus.all<EnergyAlert>();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, EnergyAlertKind::Overdraw);
  EXPECT_EQ(alerts[0].station, StationId::unchecked("CS1"));
  EXPECT_EQ(alerts[0].given, core::amps(16));
  EXPECT_EQ(alerts[0].measured, core::amps(24));
  EXPECT_EQ(gateway.last_ma("CS2"), 8000) << "the rest of the circuit lowered at once";
  draws(a, 24.2);
  EXPECT_EQ(bus.all<EnergyAlert>().size(), 1u) << "one alert, not one per interval";
  std::optional<EnergyPicture> pic;
  bool answered = false;
  energy->picture(depot, [&](Outcome<std::optional<EnergyPicture>> o) {
    answered = o.ok();
    if (answered) pic.swap(o.value());
  });
  ASSERT_TRUE(answered);
  ASSERT_TRUE(pic);
  const auto over = std::count_if(pic->evses.begin(), pic->evses.end(), [](const auto &e) { return e.overdrawing; });
  EXPECT_EQ(over, 1);
  EXPECT_EQ(pic->circuits.at(0).measured[0], core::milliamps(24200 + 15800));
}

TEST_F(EnergyServiceTest, a_demand_response_event_lowers_the_site_when_reloaded_and_while_it_holds) {
  site(32, 2);
  make();
  start_session("CS1");
  start_session("CS2");
  store->run([&](Repository &r) {
    DemandResponseEvent e;
    e.location = depot;
    e.from = clock.now() + 1min;
    e.to = clock.now() + 1h;
    e.max_power = core::watts(13800); // 20 A per phase
    e.created_at = clock.now();
    r.add_demand_response(e);
  });
  energy->reload(depot);
  flush();
  EXPECT_EQ(gateway.last_ma("CS1"), 16000) << "not yet in force";
  advance(60s);
  EXPECT_EQ(*gateway.last_ma("CS1") + *gateway.last_ma("CS2"), 20000);
}

TEST_F(EnergyServiceTest, a_refused_profile_raises_an_alert_and_is_sent_again) {
  site(32, 1);
  make();
  gateway.answer = CommandStatus::Rejected;
  start_session("CS1");
  auto alerts = bus.all<EnergyAlert>();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, EnergyAlertKind::ProfileRefused);
  gateway.answer = CommandStatus::Accepted;
  const auto before = gateway.profiles("CS1").size();
  advance(10s);
  EXPECT_EQ(gateway.profiles("CS1").size(), before + 1);
}

TEST_F(EnergyServiceTest, charging_needs_are_accepted_for_a_managed_session_and_taken_into_account) {
  site(32, 2);
  make();
  start_session("CS1");
  ChargingNeedsReport r;
  r.evse_id = 1;
  r.needs.mode = ChargingNeeds::Mode::AcSinglePhase;
  r.needs.ev_max_current = core::amps(20);
  std::optional<ChargingNeedsStatus> status;
  energy->charging_needs(StationId::unchecked("CS1"), r, [&](Outcome<ChargingNeedsStatus> o) { status = o.value(); });
  EXPECT_EQ(status, ChargingNeedsStatus::Accepted);
  EXPECT_EQ(gateway.last_ma("CS1"), 20000);
  energy->charging_needs(StationId::unchecked("CS2"), r, [&](Outcome<ChargingNeedsStatus> o) { status = o.value(); });
  EXPECT_EQ(status, ChargingNeedsStatus::Rejected) << "no session there";
}

TEST_F(EnergyServiceTest, charging_needs_with_a_departure_are_answered_with_the_plan_then_replaced_by_the_live_share) {
  site(40, 2);
  const auto t0 = clock.now();
  store->run([&](Repository &r) { // cheap, dear, cheap, dear
    r.put_prices(depot, {{t0, *core::Decimal::parse("0.10")},
                         {t0 + 1h, *core::Decimal::parse("0.40")},
                         {t0 + 3h, *core::Decimal::parse("0.10")},
                         {t0 + 4h, *core::Decimal::parse("0.40")}});
  });
  EnergyOptions options;
  options.hysteresis = core::amps(20); // a raise of less than this would wait ...
  options.min_interval = 10min;        // ... and so would any raise this soon
  make(options);
  auto a = start_session("CS1");
  auto b = start_session("CS2");
  ASSERT_EQ(gateway.last_ma("CS1"), 20000);
  ChargingNeedsReport r;
  r.evse_id = 1;
  r.needs.mode = ChargingNeeds::Mode::AcThreePhase;
  r.needs.ev_max_current = core::amps(32);
  r.needs.departure = t0 + 8h;
  r.needs.energy_amount = core::watt_hours(43500); // the two cheap hours at 32 A hold 44.2 kWh
  r.needs.max_schedule_tuples = 8;
  std::optional<ChargingNeedsStatus> status;
  energy->charging_needs(StationId::unchecked("CS1"), r, [&](Outcome<ChargingNeedsStatus> o) { status = o.value(); });
  EXPECT_EQ(status, ChargingNeedsStatus::Accepted);
  advance(0ms); // the re-plan

  // A copy: the gateway's list grows (and moves) with what is sent next.
  std::optional<commands::SetChargingProfile> plan;
  for (const auto &c : gateway.sent)
    if (const auto *p = std::get_if<commands::SetChargingProfile>(&c.command);
        p && c.station == StationId::unchecked("CS1") && p->evse_id == 1)
      plan = *p;
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->profile.purpose, ChargingProfilePurpose::Tx);
  EXPECT_EQ(plan->profile.transaction_id, a.station_tx_id);
  const auto &periods = plan->profile.schedules.at(0).periods;
  ASSERT_GT(periods.size(), 1u) << "a schedule, not a share";
  EXPECT_LE(periods.size(), 8u) << "within the vehicle's maxScheduleTuples";
  EXPECT_EQ(periods[0].start_s, 0);
  EXPECT_EQ(periods[0].limit.thousandths, 20000) << "the first slot is what the allocation gives now";
  bool charges_in_the_second_cheap_hour = false;
  for (const auto &p : periods) {
    EXPECT_LE(p.limit.thousandths, 32000) << "within the EVSE's max";
    const bool dear = (p.start_s >= 3600 && p.start_s < 10800) || p.start_s >= 14400; // 1-3 h, 4 h on
    if (dear) {
      EXPECT_EQ(p.limit.thousandths, 0) << "nothing in the dear hours, from " << p.start_s;
    }
    if (p.start_s >= 10800 && p.start_s < 14400 && p.limit.thousandths > 0) charges_in_the_second_cheap_hour = true;
  }
  EXPECT_TRUE(charges_in_the_second_cheap_hour);

  // The next share replaces the schedule at once with one period, though it is a raise below
  // the hysteresis and within the minimum interval.
  const auto sent = gateway.sent.size();
  clock.t += 1s;
  end_session(b);
  ASSERT_GT(gateway.sent.size(), sent);
  const auto &last = std::get<commands::SetChargingProfile>(gateway.sent.back().command);
  EXPECT_EQ(gateway.sent.back().station, StationId::unchecked("CS1"));
  EXPECT_EQ(last.profile.id, plan->profile.id) << "the same profile: it replaces the schedule";
  EXPECT_EQ(last.profile.stack_level, plan->profile.stack_level);
  ASSERT_EQ(last.profile.schedules.at(0).periods.size(), 1u);
  EXPECT_GT(last.profile.schedules.at(0).periods[0].limit.thousandths, 20000);

  // Without a departure and an energy: the share now only, as before.
  const auto before = gateway.sent.size();
  ChargingNeedsReport plain;
  plain.evse_id = 1;
  plain.needs.mode = ChargingNeeds::Mode::AcThreePhase;
  plain.needs.ev_max_current = core::amps(16);
  auto c = start_session("CS2");
  energy->charging_needs(StationId::unchecked("CS2"), plain,
                         [&](Outcome<ChargingNeedsStatus> o) { status = o.value(); });
  advance(0ms);
  for (auto i = before; i < gateway.sent.size(); ++i)
    if (const auto *p = std::get_if<commands::SetChargingProfile>(&gateway.sent[i].command)) {
      EXPECT_EQ(p->profile.schedules.at(0).periods.size(), 1u);
    }
  EXPECT_EQ(gateway.last_ma("CS2"), 16000);
  end_session(c);
  end_session(a);
}

TEST_F(EnergyServiceTest, sessions_running_before_a_restart_are_picked_up_at_start) {
  site(32, 2);
  for (const char *st : {"CS1", "CS2"})
    store->run([&](Repository &r) {
      Transaction t;
      t.station = StationId::unchecked(st);
      t.evse_id = 1;
      t.connector_id = 1;
      t.id_tag = "T";
      t.started_at = t.start_received_at = clock.now();
      r.insert_transaction(t);
    });
  make();
  EXPECT_EQ(gateway.last_ma("CS1"), 16000);
  EXPECT_EQ(gateway.last_ma("CS2"), 16000);
}

} // namespace
