// The energy store over a real SQLite file (store/sqlite/energy.cpp, migration 0017): the tree
// reads back as stored, replacing a circuit keeps what hangs under it, deleting the grid
// connection, a circuit, an EVSE or a location takes what depends on it, a station that moves
// leaves the old tree, series and prices give the point in force first, DR events overlap,
// priorities and departure needs round-trip, and the database refuses values out of range.
#include <filesystem>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

Timestamp at(const char *iso) {
  return *core::parse_iso8601(iso);
}

class EnergyStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-energy-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    // Location L1 with stations CP-1 (EVSEs 1, 2) and CP-2 (EVSE 1); location L2 with none.
    store->run([&](Repository &r) {
      for (const char *id : {"L1", "L2"}) {
        Location l;
        l.id = LocationId::unchecked(id);
        l.name = std::string("site ") + id;
        l.created_at = l.updated_at = t0;
        r.insert_location(l);
      }
      for (const char *id : {"CP-1", "CP-2"}) {
        Station s;
        s.id = StationId::unchecked(id);
        s.created_at = t0;
        r.insert_station(s);
        r.set_station_location(s.id, LocationId::unchecked("L1"));
      }
      for (auto [station, evse] : {std::pair{"CP-1", 1}, {"CP-1", 2}, {"CP-2", 1}}) {
        Evse e;
        e.station = StationId::unchecked(station);
        e.evse_id = evse;
        e.created_at = e.updated_at = t0;
        r.insert_evse(e);
      }
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class F> void run(F f) {
    store->run([&](Repository &r) { f(r); });
  }
  //! Runs SQL on a second connection, as any other program could; the error text or "".
  std::string raw(const std::string &sql) {
    sqlite3 *db = nullptr;
    EXPECT_EQ(sqlite3_open((dir / "t.db").string().c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    char *err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string out = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
  }
  static GridConnection grid(const char *location) {
    GridConnection g;
    g.location = LocationId::unchecked(location);
    g.limit.per_phase = core::amps(63);
    g.limit.power = core::watts(40000);
    g.fallback_per_evse = core::milliamps(6500);
    g.demand_charge_per_kw = *core::Decimal::parse("9.875");
    g.site_meter = StationId::unchecked("CP-2");
    g.updated_at = at("2026-06-01T10:00:00Z");
    return g;
  }
  static Circuit circuit(const char *id, std::optional<std::string> parent, std::int64_t amps) {
    Circuit c;
    c.location = LocationId::unchecked("L1");
    c.id = id;
    c.parent = std::move(parent);
    c.limit.per_phase = core::amps(amps);
    c.name = std::string("board ") + id;
    c.updated_at = at("2026-06-01T10:00:00Z");
    return c;
  }
  static EvseAttachment attachment(const char *station, int evse, std::optional<std::string> circuit) {
    EvseAttachment a;
    a.station = StationId::unchecked(station);
    a.evse_id = evse;
    a.circuit = std::move(circuit);
    a.rotation = PhaseRotation::TRS;
    a.max_current = core::amps(16);
    a.max_power = core::watts(11000);
    a.min_current = core::amps(8);
    a.bidirectional = true;
    a.updated_at = at("2026-06-01T10:00:00Z");
    return a;
  }
  //! L1 with feeder F over board B; CP-1/1 on B, CP-1/2 on F, CP-2/1 under the connection.
  void build_tree() {
    run([&](Repository &r) {
      r.put_grid_connection(grid("L1"));
      r.put_circuit(circuit("F", std::nullopt, 50));
      r.put_circuit(circuit("B", "F", 32));
      r.put_attachment(LocationId::unchecked("L1"), attachment("CP-1", 1, "B"));
      r.put_attachment(LocationId::unchecked("L1"), attachment("CP-1", 2, "F"));
      r.put_attachment(LocationId::unchecked("L1"), attachment("CP-2", 1, std::nullopt));
    });
  }

  Timestamp t0 = at("2026-06-01T08:00:00Z");
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(EnergyStoreTest, the_tree_reads_back_as_stored) {
  bool created = false, replaced = true;
  run([&](Repository &r) {
    EXPECT_FALSE(r.tree(LocationId::unchecked("L1")));
    created = r.put_grid_connection(grid("L1"));
    auto g = grid("L1");
    g.limit.power.reset();
    g.demand_charge_per_kw.reset();
    g.site_meter.reset();
    g.enabled = false;
    g.phases = 1;
    replaced = r.put_grid_connection(g);
    EXPECT_EQ(r.grid_connection(LocationId::unchecked("L1")), g);
    EXPECT_TRUE(r.put_grid_connection(grid("L2")));
    EXPECT_EQ(r.grid_connections().size(), 2u);
  });
  EXPECT_TRUE(created);
  EXPECT_FALSE(replaced);
  run([&](Repository &r) { r.put_grid_connection(grid("L1")); });
  build_tree();
  run([&](Repository &r) {
    auto t = r.tree(LocationId::unchecked("L1"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->grid, grid("L1"));
    ASSERT_EQ(t->circuits.size(), 2u);
    EXPECT_EQ(t->circuits[0], circuit("B", "F", 32));
    EXPECT_EQ(t->circuits[1], circuit("F", std::nullopt, 50));
    ASSERT_EQ(t->attachments.size(), 3u);
    EXPECT_EQ(t->attachments[0], attachment("CP-1", 1, "B"));
    EXPECT_EQ(r.attachment(StationId::unchecked("CP-2"), 1), attachment("CP-2", 1, std::nullopt));
    EXPECT_FALSE(r.attachment(StationId::unchecked("CP-2"), 2));
  });
}

TEST_F(EnergyStoreTest, replacing_a_circuit_keeps_what_hangs_under_it) {
  build_tree();
  run([&](Repository &r) {
    EXPECT_FALSE(r.put_circuit(circuit("F", std::nullopt, 40)));
    EXPECT_EQ(r.circuits(LocationId::unchecked("L1")).size(), 2u);
    EXPECT_EQ(r.attachments(LocationId::unchecked("L1")).size(), 3u);
    EXPECT_FALSE(r.put_attachment(LocationId::unchecked("L1"), attachment("CP-1", 2, "B")));
    EXPECT_EQ(r.attachment(StationId::unchecked("CP-1"), 2)->circuit, "B");
  });
}

TEST_F(EnergyStoreTest, deleting_a_circuit_takes_its_subtree) {
  build_tree();
  run([&](Repository &r) {
    EXPECT_TRUE(r.delete_circuit(LocationId::unchecked("L1"), "F"));
    EXPECT_FALSE(r.delete_circuit(LocationId::unchecked("L1"), "F"));
    EXPECT_TRUE(r.circuits(LocationId::unchecked("L1")).empty());
    auto left = r.attachments(LocationId::unchecked("L1"));
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].station.str(), "CP-2");
  });
}

TEST_F(EnergyStoreTest, deleting_the_grid_connection_takes_the_tree_and_keeps_the_inputs) {
  build_tree();
  run([&](Repository &r) {
    r.put_series(LocationId::unchecked("L1"), SeriesKind::Pv, {{t0, core::watts(1000), false}});
    EXPECT_TRUE(r.delete_grid_connection(LocationId::unchecked("L1")));
    EXPECT_FALSE(r.delete_grid_connection(LocationId::unchecked("L1")));
    EXPECT_FALSE(r.tree(LocationId::unchecked("L1")));
    EXPECT_TRUE(r.circuits(LocationId::unchecked("L1")).empty());
    EXPECT_FALSE(r.attachment(StationId::unchecked("CP-1"), 1));
    EXPECT_EQ(r.series(LocationId::unchecked("L1"), SeriesKind::Pv, t0, t0 + std::chrono::hours(1)).size(), 1u);
  });
}

TEST_F(EnergyStoreTest, an_evse_or_location_that_goes_takes_its_rows) {
  build_tree();
  run([&](Repository &r) {
    auto e = r.evse(StationId::unchecked("CP-1"), 2);
    ASSERT_TRUE(e);
    EXPECT_TRUE(r.delete_evse(e->uid));
    EXPECT_FALSE(r.attachment(StationId::unchecked("CP-1"), 2));
    EXPECT_TRUE(r.attachment(StationId::unchecked("CP-1"), 1));
    r.set_station_location(StationId::unchecked("CP-1"), std::nullopt);
    r.set_station_location(StationId::unchecked("CP-2"), std::nullopt);
    r.add_demand_response(
        {0, LocationId::unchecked("L1"), t0, t0 + std::chrono::hours(1), core::watts(5000), "grid", t0});
    EXPECT_TRUE(r.delete_location(LocationId::unchecked("L1")));
    EXPECT_FALSE(r.grid_connection(LocationId::unchecked("L1")));
    EXPECT_TRUE(r.demand_response(LocationId::unchecked("L1"), t0, t0 + std::chrono::hours(1)).empty());
  });
}

TEST_F(EnergyStoreTest, a_station_that_moves_leaves_the_old_tree) {
  build_tree();
  run([&](Repository &r) {
    r.set_station_location(StationId::unchecked("CP-1"), LocationId::unchecked("L2"));
    auto left = r.attachments(LocationId::unchecked("L1"));
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].station.str(), "CP-2");
    // Setting the same location again changes nothing.
    r.set_station_location(StationId::unchecked("CP-2"), LocationId::unchecked("L1"));
    EXPECT_EQ(r.attachments(LocationId::unchecked("L1")).size(), 1u);
  });
}

TEST_F(EnergyStoreTest, series_give_the_point_in_force_first_and_replace_by_time) {
  const auto h = std::chrono::hours(1);
  const LocationId l = LocationId::unchecked("L1");
  run([&](Repository &r) {
    r.put_series(
        l, SeriesKind::BuildingLoad,
        {{t0, core::watts(1000), false}, {t0 + h, core::watts(2000), true}, {t0 + 2 * h, core::watts(3000), true}});
    r.put_series(l, SeriesKind::Pv, {{t0 + h, core::watts(-1), false}});
    r.put_series(l, SeriesKind::BuildingLoad, {{t0 + h, core::watts(2500), false}});
    auto s = r.series(l, SeriesKind::BuildingLoad, t0 + h / 2, t0 + 2 * h);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0], (SeriesPoint{t0, core::watts(1000), false}));
    EXPECT_EQ(s[1], (SeriesPoint{t0 + h, core::watts(2500), false}));
    EXPECT_EQ(r.series(l, SeriesKind::Battery, t0, t0 + 3 * h).size(), 0u);
    EXPECT_EQ(r.prune_series(l, t0 + 2 * h), 3);
    EXPECT_EQ(r.series(l, SeriesKind::BuildingLoad, t0, t0 + 3 * h).size(), 1u);
  });
}

TEST_F(EnergyStoreTest, prices_read_like_series_and_delete_by_range) {
  const auto h = std::chrono::hours(1);
  const LocationId l = LocationId::unchecked("L1");
  run([&](Repository &r) {
    r.put_prices(l, {{t0, *core::Decimal::parse("0.21"), "EUR"}, {t0 + h, *core::Decimal::parse("0.123456"), "EUR"}});
    auto p = r.prices(l, t0 + h / 2, t0 + 2 * h);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].per_kwh.to_string(), "0.21");
    EXPECT_EQ(p[1], (PricePoint{t0 + h, *core::Decimal::parse("0.123456"), "EUR"}));
    EXPECT_EQ(r.delete_prices(l, t0, t0 + h), 1);
    EXPECT_EQ(r.prices(l, t0, t0 + 2 * h).size(), 1u);
  });
}

TEST_F(EnergyStoreTest, demand_response_events_that_overlap_a_window) {
  const auto h = std::chrono::hours(1);
  const LocationId l = LocationId::unchecked("L1");
  run([&](Repository &r) {
    auto a = r.add_demand_response({0, l, t0 + 2 * h, t0 + 3 * h, core::watts(20000), "grid", t0});
    auto b = r.add_demand_response({0, l, t0, t0 + h, core::watts(10000), "operator", t0});
    r.add_demand_response({0, LocationId::unchecked("L2"), t0, t0 + 3 * h, core::watts(1), "operator", t0});
    EXPECT_NE(a, b);
    auto all = r.demand_response(l, t0, t0 + 4 * h);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, b);
    EXPECT_EQ(all[1], (DemandResponseEvent{a, l, t0 + 2 * h, t0 + 3 * h, core::watts(20000), "grid", t0}));
    // [from, to) windows: an event ending where the window starts is not in it.
    EXPECT_TRUE(r.demand_response(l, t0 + h, t0 + 2 * h).empty());
    EXPECT_EQ(r.demand_response_event(a)->max_power, core::watts(20000));
    EXPECT_TRUE(r.delete_demand_response(a));
    EXPECT_FALSE(r.delete_demand_response(a));
    EXPECT_FALSE(r.demand_response_event(a));
  });
}

TEST_F(EnergyStoreTest, priorities_and_departure_needs_round_trip) {
  run([&](Repository &r) {
    EXPECT_TRUE(r.put_group_priority({"fleet", 8}));
    EXPECT_FALSE(r.put_group_priority({"fleet", 9}));
    EXPECT_TRUE(r.put_group_priority({"visitors", 1}));
    EXPECT_EQ(r.group_priorities(), (std::vector<GroupPriority>{{"fleet", 9}, {"visitors", 1}}));
    EXPECT_TRUE(r.delete_group_priority("visitors"));
    EXPECT_FALSE(r.delete_group_priority("visitors"));

    Transaction t;
    t.station = StationId::unchecked("CP-1");
    t.station_tx_id = "tx-1";
    t.evse_id = t.connector_id = 1;
    t.id_tag = "TAG";
    t.started_at = t.start_received_at = t0;
    const auto id = r.insert_transaction(t);
    DepartureNeed n;
    n.transaction_id = id;
    n.departure = t0 + std::chrono::hours(8);
    n.energy = core::watt_hours(30000);
    n.battery_capacity = core::watt_hours(75000);
    n.state_of_charge = 40;
    n.source = "vehicle";
    n.updated_at = t0;
    r.put_departure_need(n);
    EXPECT_EQ(r.departure_need(id), n);
    n.energy.reset();
    n.state_of_charge.reset();
    n.source = "operator";
    r.put_departure_need(n);
    EXPECT_EQ(r.departure_need(id), n);
    EXPECT_EQ(r.departure_needs({id, id + 1}), std::vector<DepartureNeed>{n});
    EXPECT_TRUE(r.departure_needs({}).empty());
    EXPECT_FALSE(r.departure_need(id + 1));
  });
}

TEST_F(EnergyStoreTest, the_database_refuses_what_the_rules_refuse) {
  build_tree();
  EXPECT_NE(raw("INSERT INTO energy_group_priorities VALUES ('x', 11)"), "");
  EXPECT_NE(raw("UPDATE energy_grid_connections SET phases = 2"), "");
  EXPECT_NE(raw("UPDATE energy_circuits SET limit_per_phase_ma = 0"), "");
  EXPECT_NE(raw("INSERT INTO energy_dr_events (location_id, from_at, to_at, max_power_w, source, created_at) "
                "VALUES ('L1', 10, 10, 1, 'x', 0)"),
            "");
  // A circuit whose parent is not in the location, an attachment of an EVSE that does not exist.
  EXPECT_NE(raw("INSERT INTO energy_circuits (location_id, id, parent, updated_at) VALUES ('L1', 'X', 'nope', 0)"), "");
  EXPECT_NE(raw("INSERT INTO energy_attachments (station_id, evse_id, location_id, rotation, min_current_ma, "
                "updated_at) VALUES ('CP-2', 9, 'L1', 'RST', 6000, 0)"),
            "");
  EXPECT_EQ(raw("INSERT INTO energy_group_priorities VALUES ('x', 10)"), "");
}

} // namespace
