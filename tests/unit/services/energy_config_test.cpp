// The rules of energy management's configuration (services::EnergyConfigService) over a real
// SQLite file: what each write refuses, with the code and the field named, and that a refused
// write stores nothing; a circuit tree without cycles; attachments only of the location's EVSEs;
// series and prices ordered and bounded; DR events; priorities 1..10; departure needs of running
// transactions only.
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/services/energy_config_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using Code = ServiceError::Code;

namespace {

Timestamp at(const char *iso) {
  return *core::parse_iso8601(iso);
}
const LocationId L1 = LocationId::unchecked("L1");
const LocationId L2 = LocationId::unchecked("L2");
const Timestamp now = at("2026-06-01T12:00:00Z");

class EnergyConfigTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-energy-config-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    // L1: CP-1 (EVSEs 1, 2) and a grid connection; L2: CP-9 (EVSE 1), no connection.
    run([&](Repository &r) {
      for (const auto &id : {L1, L2}) {
        Location l;
        l.id = id;
        l.name = "site " + id.str();
        l.created_at = l.updated_at = now;
        r.insert_location(l);
      }
      for (auto [station, location] : {std::pair{"CP-1", L1}, {"CP-9", L2}}) {
        Station s;
        s.id = StationId::unchecked(station);
        s.created_at = now;
        r.insert_station(s);
        r.set_station_location(s.id, location);
      }
      for (auto [station, evse] : {std::pair{"CP-1", 1}, {"CP-1", 2}, {"CP-9", 1}}) {
        Evse e;
        e.station = StationId::unchecked(station);
        e.evse_id = evse;
        e.created_at = e.updated_at = now;
        r.insert_evse(e);
      }
      ASSERT_TRUE(service.put_grid(r, grid(), now));
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class F> void run(F f) {
    store->run([&](Repository &r) { f(r); });
  }
  static GridConnection grid(const LocationId &l = L1) {
    GridConnection g;
    g.location = l;
    g.limit.per_phase = core::amps(63);
    return g;
  }
  static Circuit circuit(const char *id, std::optional<std::string> parent = std::nullopt) {
    Circuit c;
    c.location = L1;
    c.id = id;
    c.parent = std::move(parent);
    c.limit.per_phase = core::amps(32);
    return c;
  }
  static EvseAttachment attachment(const char *station = "CP-1", int evse = 1) {
    EvseAttachment a;
    a.station = StationId::unchecked(station);
    a.evse_id = evse;
    return a;
  }
  std::int64_t transaction(TransactionState state) {
    std::int64_t id = 0;
    run([&](Repository &r) {
      Transaction t;
      t.station = StationId::unchecked("CP-1");
      t.station_tx_id = "tx-" + std::to_string(++transactions_);
      t.meter_start_wh = transactions_; // a 1.6 start is unique by what the station sent
      t.evse_id = t.connector_id = 1;
      t.id_tag = "TAG";
      t.state = state;
      t.started_at = t.start_received_at = now;
      id = r.insert_transaction(t);
    });
    return id;
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  const EnergyConfigService service{};
  int transactions_ = 0;
};

//! The error of a failed result (a test failure if it succeeded).
template <class T> ServiceError error_of(const Result<T> &r) {
  EXPECT_FALSE(r) << "expected a refusal";
  return r ? ServiceError{} : r.error();
}

struct Refusal {
  const char *what;
  std::function<void(GridConnection &)> change;
  Code code;
  const char *field;
};

TEST_F(EnergyConfigTest, a_grid_connection_out_of_range_is_refused_with_its_field) {
  const std::vector<Refusal> cases = {
      {"no limit", [](auto &g) { g.limit = {}; }, Code::Invalid, "limit"},
      {"zero A", [](auto &g) { g.limit.per_phase = core::amps(0); }, Code::Invalid, "limit.per_phase"},
      {"negative A", [](auto &g) { g.limit.per_phase = core::milliamps(-1); }, Code::Invalid, "limit.per_phase"},
      {"10001 A", [](auto &g) { g.limit.per_phase = core::amps(10001); }, Code::Invalid, "limit.per_phase"},
      {"zero kW", [](auto &g) { g.limit.power = core::watts(0); }, Code::Invalid, "limit.power"},
      {"100 MW + 1 W", [](auto &g) { g.limit.power = core::watts(100'000'001); }, Code::Invalid, "limit.power"},
      {"2 phases", [](auto &g) { g.phases = 2; }, Code::Invalid, "phases"},
      {"99 V", [](auto &g) { g.voltage = core::volts(99); }, Code::Invalid, "voltage"},
      {"fallback above the limit", [](auto &g) { g.fallback_per_evse = core::amps(64); }, Code::Invalid,
       "fallback_per_evse"},
      {"negative demand charge", [](auto &g) { g.demand_charge_per_kw = *core::Decimal::parse("-0.01"); },
       Code::Invalid, "demand_charge_per_kw"},
      {"site meter elsewhere", [](auto &g) { g.site_meter = StationId::unchecked("CP-1"); }, Code::Invalid,
       "site_meter"},
      {"no such location", [](auto &g) { g.location = LocationId::unchecked("nope"); }, Code::NotFound, nullptr},
  };
  for (const auto &c : cases) {
    auto g = grid(L2);
    c.change(g);
    run([&](Repository &r) {
      auto e = error_of(service.put_grid(r, g, now));
      EXPECT_EQ(e.code, c.code) << c.what;
      EXPECT_EQ(e.field, c.field ? std::optional<std::string>(c.field) : std::nullopt) << c.what;
      EXPECT_FALSE(r.grid_connection(L2)) << c.what << ": nothing stored";
    });
  }
  run([&](Repository &r) {
    auto g = grid(L2);
    g.limit = {std::nullopt, core::watts(400'000)};
    g.site_meter = StationId::unchecked("CP-9");
    auto saved = service.put_grid(r, g, now);
    ASSERT_TRUE(saved);
    EXPECT_TRUE(saved->created);
    EXPECT_EQ(saved->value.updated_at, now);
    EXPECT_EQ(r.grid_connection(L2), saved->value);
    EXPECT_FALSE(service.put_grid(r, g, now)->created);
  });
}

TEST_F(EnergyConfigTest, circuits_form_a_tree_within_the_location) {
  run([&](Repository &r) {
    ASSERT_TRUE(service.put_circuit(r, circuit("A"), now));
    ASSERT_TRUE(service.put_circuit(r, circuit("B", "A"), now));
    ASSERT_TRUE(service.put_circuit(r, circuit("C", "B"), now));

    struct Case {
      Circuit c;
      Code code;
      const char *field;
    };
    auto in_l2 = circuit("X");
    in_l2.location = L2;
    auto bad_limit = circuit("D");
    bad_limit.limit.power = core::watts(-5);
    const std::vector<Case> cases = {
        {circuit("A", "A"), Code::Invalid, "parent"},    // itself
        {circuit("A", "C"), Code::Invalid, "parent"},    // under itself: A -> C -> B -> A
        {circuit("B", "C"), Code::Invalid, "parent"},    // under itself: B -> C -> B
        {circuit("D", "nope"), Code::Invalid, "parent"}, // no such parent
        {circuit("bad id!"), Code::Invalid, "id"},       // id charset
        {in_l2, Code::Conflict, nullptr},                // no grid connection there
        {bad_limit, Code::Invalid, "limit.power"},       // limit out of range
    };
    for (const auto &c : cases) {
      auto e = error_of(service.put_circuit(r, c.c, now));
      EXPECT_EQ(e.code, c.code) << c.c.id << " under " << c.c.parent.value_or("-");
      EXPECT_EQ(e.field, c.field ? std::optional<std::string>(c.field) : std::nullopt) << c.c.id;
    }
    auto stored = service.circuits(r, L1).value();
    ASSERT_EQ(stored.size(), 3u);
    EXPECT_EQ(stored[0].parent, std::nullopt) << "A stays at the top";
    // Moving C to the top and then B under C is fine: no cycle.
    EXPECT_TRUE(service.put_circuit(r, circuit("C"), now));
    EXPECT_TRUE(service.put_circuit(r, circuit("B", "C"), now));
    EXPECT_EQ(service.circuit(r, L1, "B")->parent, "C");
    EXPECT_EQ(error_of(service.circuit(r, L1, "Z")).code, Code::NotFound);
  });
}

TEST_F(EnergyConfigTest, a_circuit_with_something_under_it_is_not_deleted) {
  run([&](Repository &r) {
    service.put_circuit(r, circuit("A"), now).value();
    service.put_circuit(r, circuit("B", "A"), now).value();
    auto a = attachment();
    a.circuit = "B";
    service.put_attachment(r, L1, a, now).value();
    EXPECT_EQ(error_of(service.delete_circuit(r, L1, "A")).code, Code::Conflict);
    EXPECT_EQ(error_of(service.delete_circuit(r, L1, "B")).code, Code::Conflict);
    EXPECT_TRUE(service.delete_attachment(r, L1, a.station, 1));
    EXPECT_TRUE(service.delete_circuit(r, L1, "B"));
    EXPECT_TRUE(service.delete_circuit(r, L1, "A"));
    EXPECT_EQ(error_of(service.delete_circuit(r, L1, "A")).code, Code::NotFound);
  });
}

TEST_F(EnergyConfigTest, only_an_evse_of_the_location_is_attached) {
  run([&](Repository &r) {
    service.put_circuit(r, circuit("A"), now).value();
    struct Case {
      const char *what;
      EvseAttachment a;
      LocationId location;
      Code code;
      const char *field;
    };
    auto with = [](auto f) {
      auto a = attachment();
      f(a);
      return a;
    };
    const std::vector<Case> cases = {
        {"station of another location", attachment("CP-9", 1), L1, Code::Invalid, "station"},
        {"no such station", attachment("CP-0", 1), L1, Code::NotFound, nullptr},
        {"no such EVSE", attachment("CP-1", 3), L1, Code::NotFound, nullptr},
        {"no grid connection", attachment("CP-9", 1), L2, Code::Conflict, nullptr},
        {"circuit not here", with([](auto &a) { a.circuit = "nope"; }), L1, Code::Invalid, "circuit"},
        {"zero max", with([](auto &a) { a.max_current = core::amps(0); }), L1, Code::Invalid, "max_current"},
        {"1001 A", with([](auto &a) { a.max_current = core::amps(1001); }), L1, Code::Invalid, "max_current"},
        {"2 MW + 1 W", with([](auto &a) { a.max_power = core::watts(2'000'001); }), L1, Code::Invalid, "max_power"},
        {"min above max", with([](auto &a) { a.max_current = core::amps(10), a.min_current = core::amps(16); }), L1,
         Code::Invalid, "min_current"},
        {"negative min", with([](auto &a) { a.min_current = core::milliamps(-1); }), L1, Code::Invalid, "min_current"},
    };
    for (const auto &c : cases) {
      auto e = error_of(service.put_attachment(r, c.location, c.a, now));
      EXPECT_EQ(e.code, c.code) << c.what;
      EXPECT_EQ(e.field, c.field ? std::optional<std::string>(c.field) : std::nullopt) << c.what;
    }
    EXPECT_TRUE(r.attachments(L1).empty()) << "nothing stored";
    auto a = attachment("CP-1", 2);
    a.circuit = "A";
    a.rotation = PhaseRotation::STR;
    auto saved = service.put_attachment(r, L1, a, now);
    ASSERT_TRUE(saved);
    EXPECT_TRUE(saved->created);
    EXPECT_EQ(service.attachments(r, L1)->at(0), saved->value);
    EXPECT_EQ(error_of(service.delete_attachment(r, L1, a.station, 1)).code, Code::NotFound);
  });
}

TEST_F(EnergyConfigTest, series_are_ordered_bounded_and_in_range) {
  const auto m = std::chrono::minutes(15);
  run([&](Repository &r) {
    std::vector<SeriesPoint> ok{{now, core::watts(1000), true}, {now + m, core::watts(0), true}};
    EXPECT_EQ(service.put_series(r, L1, SeriesKind::Pv, ok).value(), 2u);
    auto e = error_of(service.put_series(r, L1, SeriesKind::Pv, {{now + m, core::watts(1)}, {now, core::watts(1)}}));
    EXPECT_EQ(e.field, "points[1].at");
    e = error_of(service.put_series(r, L1, SeriesKind::Pv, {{now, core::watts(1)}, {now, core::watts(1)}}));
    EXPECT_EQ(e.field, "points[1].at") << "two points at one time";
    e = error_of(service.put_series(r, L1, SeriesKind::BuildingLoad, {{now, core::watts(-1)}}));
    EXPECT_EQ(e.field, "points[0].power") << "a building does not produce";
    EXPECT_TRUE(service.put_series(r, L1, SeriesKind::Battery, {{now, core::watts(-5000)}})) << "a battery charges";
    e = error_of(service.put_series(r, L1, SeriesKind::Battery, {{now, core::watts(-100'000'001)}}));
    EXPECT_EQ(e.field, "points[0].power");
    EXPECT_EQ(error_of(service.put_series(r, L1, SeriesKind::Pv, {})).field, "points");
    std::vector<SeriesPoint> many;
    for (int i = 0; i <= 10000; ++i)
      many.push_back({now + std::chrono::minutes(i), core::watts(1)});
    EXPECT_EQ(error_of(service.put_series(r, L1, SeriesKind::Pv, many)).field, "points") << "10001 points";
    many.pop_back();
    EXPECT_TRUE(service.put_series(r, L1, SeriesKind::Pv, many)) << "10000 points";
    EXPECT_EQ(error_of(service.series(r, L1, SeriesKind::Pv, now, now)).field, "from");
    EXPECT_EQ(error_of(service.series(r, L1, SeriesKind::Pv, now, now + std::chrono::hours(24 * 32))).field, "to");
    EXPECT_EQ(service.series(r, L1, SeriesKind::Pv, now, now + m).value().size(), 15u);
    EXPECT_EQ(error_of(service.series(r, LocationId::unchecked("nope"), SeriesKind::Pv, now, now + m)).code,
              Code::NotFound);
  });
}

TEST_F(EnergyConfigTest, prices_are_ordered_of_one_currency_and_in_range) {
  const auto h = std::chrono::hours(1);
  auto price = [](const char *text) { return *core::Decimal::parse(text); };
  run([&](Repository &r) {
    EXPECT_EQ(service.put_prices(r, L1, {{now, price("0.31"), "EUR"}, {now + h, price("-0.02"), "EUR"}}).value(), 2u);
    EXPECT_EQ(error_of(service.put_prices(r, L1, {{now, price("0.3"), "EUR"}, {now + h, price("0.2"), "CHF"}})).field,
              "points[1].currency");
    EXPECT_EQ(error_of(service.put_prices(r, L1, {{now, price("0.3"), "eur"}})).field, "points[0].currency");
    EXPECT_EQ(error_of(service.put_prices(r, L1, {{now, price("1000.000001"), "EUR"}})).field, "points[0].per_kwh");
    EXPECT_EQ(error_of(service.put_prices(r, L1, {{now + h, price("0.3"), "EUR"}, {now, price("0.2"), "EUR"}})).field,
              "points[1].from");
    auto read = service.prices(r, L1, now, now + 2 * h).value();
    ASSERT_EQ(read.size(), 2u);
    EXPECT_EQ(read[1].per_kwh, price("-0.02"));
    EXPECT_EQ(service.delete_prices(r, L1, now, now + h).value(), 1);
  });
}

TEST_F(EnergyConfigTest, demand_response_events_are_checked_and_removed_by_id) {
  const auto h = std::chrono::hours(1);
  run([&](Repository &r) {
    auto event = [&](Timestamp from, Timestamp to, std::int64_t w, const char *source = "grid") {
      return DemandResponseEvent{0, L1, from, to, core::watts(w), source, {}};
    };
    EXPECT_EQ(error_of(service.add_demand_response(r, event(now + h, now + h, 1000), now)).field, "to");
    EXPECT_EQ(error_of(service.add_demand_response(r, event(now - 2 * h, now - h, 1000), now)).field, "to")
        << "over already";
    EXPECT_EQ(error_of(service.add_demand_response(r, event(now, now + std::chrono::hours(24 * 8), 1000), now)).field,
              "to");
    EXPECT_EQ(error_of(service.add_demand_response(r, event(now, now + h, -1), now)).field, "max_power");
    EXPECT_EQ(error_of(service.add_demand_response(r, event(now, now + h, 1, "a b"), now)).field, "source");
    auto added = service.add_demand_response(r, event(now - h, now + h, 250'000), now);
    ASSERT_TRUE(added);
    EXPECT_GT(added->id, 0);
    EXPECT_EQ(added->created_at, now);
    EXPECT_EQ(service.demand_response(r, L1, now, now + h).value(), std::vector<DemandResponseEvent>{*added});
    EXPECT_EQ(service.delete_demand_response(r, added->id).value().location, L1);
    EXPECT_EQ(error_of(service.delete_demand_response(r, added->id)).code, Code::NotFound);
  });
}

TEST_F(EnergyConfigTest, priorities_are_1_to_10_per_named_group) {
  run([&](Repository &r) {
    for (int p : {0, 11, -3})
      EXPECT_EQ(error_of(service.put_priority(r, {"fleet", p})).field, "priority") << p;
    EXPECT_EQ(error_of(service.put_priority(r, {"", 5})).field, "customer_group");
    EXPECT_EQ(error_of(service.put_priority(r, {std::string(65, 'g'), 5})).field, "customer_group");
    EXPECT_TRUE(service.put_priority(r, {"fleet", 10})->created);
    EXPECT_FALSE(service.put_priority(r, {"fleet", 1})->created);
    EXPECT_EQ(service.priority(r, "fleet")->priority, 1);
    EXPECT_EQ(service.managed_locations(r), std::vector<LocationId>{L1});
    EXPECT_TRUE(service.delete_priority(r, "fleet"));
    EXPECT_EQ(error_of(service.delete_priority(r, "fleet")).code, Code::NotFound);
  });
}

TEST_F(EnergyConfigTest, departure_needs_are_for_running_transactions_only) {
  const auto running = transaction(TransactionState::Active);
  const auto ended = transaction(TransactionState::Ended);
  run([&](Repository &r) {
    auto need = [&](std::int64_t tx) {
      DepartureNeed n;
      n.transaction_id = tx;
      n.departure = now + std::chrono::hours(8);
      n.energy = core::watt_hours(30000);
      return n;
    };
    EXPECT_EQ(error_of(service.put_departure(r, need(ended), now)).code, Code::Conflict);
    EXPECT_EQ(error_of(service.put_departure(r, need(ended + 100), now)).code, Code::NotFound);
    struct Case {
      const char *what;
      std::function<void(DepartureNeed &)> change;
      const char *field;
    };
    const std::vector<Case> cases = {
        {"nothing to plan with", [](auto &n) { n.departure.reset(), n.energy.reset(); }, "departure"},
        {"departure now", [](auto &n) { n.departure = now; }, "departure"},
        {"departure in 32 days", [](auto &n) { n.departure = now + std::chrono::hours(24 * 32); }, "departure"},
        {"negative energy", [](auto &n) { n.energy = core::watt_hours(-1); }, "energy"},
        {"2 MWh + 1 Wh", [](auto &n) { n.energy = core::watt_hours(2'000'001); }, "energy"},
        {"zero battery", [](auto &n) { n.battery_capacity = core::watt_hours(0); }, "battery_capacity"},
        {"101 %", [](auto &n) { n.state_of_charge = 101; }, "state_of_charge"},
    };
    for (const auto &c : cases) {
      auto n = need(running);
      c.change(n);
      EXPECT_EQ(error_of(service.put_departure(r, n, now)).field, c.field) << c.what;
    }
    EXPECT_EQ(error_of(service.departure(r, running)).code, Code::NotFound) << "nothing stored";
    auto saved = service.put_departure(r, need(running), now);
    ASSERT_TRUE(saved);
    EXPECT_EQ(saved->updated_at, now);
    EXPECT_EQ(service.departure(r, running).value(), *saved);
  });
}

} // namespace
