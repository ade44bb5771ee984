// The rules of the physical model over a real SQLite file: locations, EVSEs and connectors as
// operators describe them, what a station's reports add, and sites migrated to locations.
#include <sqlite3.h>

#include <filesystem>
#include <future>
#include <gtest/gtest.h>

#include "gridlane/services/location_service.hpp"
#include "gridlane/services/station_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "sqlite/migrations.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

struct FakeClock : core::Clock {
  Timestamp t = *core::parse_iso8601("2026-06-01T12:00:00Z");
  Timestamp now() const override { return t; }
};

class LocationServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-loc-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void add_station(const std::string &id, std::optional<std::string> site = std::nullopt,
                   std::optional<ProtocolVersion> protocol = std::nullopt) {
    store->run([&](Repository &r) {
      Station s;
      s.id = StationId::unchecked(id);
      s.registration = RegistrationStatus::Accepted;
      s.created_at = clock.now();
      s.site = site;
      r.insert_station(s);
      if (protocol) r.touch_station(s.id, *protocol, clock.now());
    });
  }
  template <class Fn> auto in_store(Fn fn) {
    std::optional<decltype(fn(std::declval<Repository &>()))> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
  static Location complete(std::string name) {
    Location l;
    l.name = std::move(name);
    l.address = "Stationsplein 1";
    l.city = "Amsterdam";
    l.country = "NLD";
    l.coordinates = GeoLocation{"52.378901", "4.900581"};
    l.time_zone = "Europe/Amsterdam";
    l.publish = true;
    return l;
  }
  static Connector type2(int id = 1) {
    Connector c;
    c.connector_id = id;
    c.standard = ConnectorStandard::Iec62196T2;
    c.format = ConnectorFormat::Socket;
    c.power_type = PowerType::Ac3Phase;
    c.max_voltage = core::volts(230);
    c.max_amperage = core::amps(32);
    c.max_electric_power = core::watts(22000);
    return c;
  }
  static Evse evse(const std::string &station, int id) {
    Evse e;
    e.station = StationId::unchecked(station);
    e.evse_id = id;
    return e;
  }

  std::filesystem::path dir;
  FakeClock clock;
  std::unique_ptr<store::SqliteStore> store;
  LocationService service;
};

} // namespace

TEST(LocationZones, checks_names_against_the_system_tzdata) {
  EXPECT_TRUE(tzdata_zone_exists("Europe/Amsterdam"));
  EXPECT_TRUE(tzdata_zone_exists("America/Argentina/Buenos_Aires"));
  EXPECT_FALSE(tzdata_zone_exists("Mars/Olympus_Mons"));
  EXPECT_FALSE(tzdata_zone_exists("../../etc/passwd"));
  EXPECT_FALSE(tzdata_zone_exists("/etc/passwd"));
  EXPECT_FALSE(tzdata_zone_exists("Europe")); // a folder, not a zone
  EXPECT_FALSE(tzdata_zone_exists(""));
}

TEST_F(LocationServiceTest, a_location_is_created_with_a_generated_id_and_its_rules_hold) {
  auto made = in_store([&](Repository &r) { return service.create_location(r, complete("Centraal"), clock.now()); });
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->id.str().size(), 16u);
  EXPECT_EQ(made->created_at, clock.now());

  auto again = in_store([&](Repository &r) { return service.create_location(r, complete("Centraal"), clock.now()); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ServiceError::Code::Conflict);

  auto same_id = complete("Elsewhere");
  same_id.id = made->id;
  auto dup = in_store([&](Repository &r) { return service.create_location(r, same_id, clock.now()); });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ServiceError::Code::Conflict);

  auto zone = complete("Mars");
  zone.time_zone = "Mars/Olympus_Mons";
  auto bad_zone = in_store([&](Repository &r) { return service.create_location(r, zone, clock.now()); });
  ASSERT_FALSE(bad_zone);
  EXPECT_EQ(bad_zone.error().code, ServiceError::Code::Invalid);
  EXPECT_EQ(bad_zone.error().field, "time_zone");

  auto incomplete = complete("No address");
  incomplete.address.reset();
  auto unpublishable = in_store([&](Repository &r) { return service.create_location(r, incomplete, clock.now()); });
  ASSERT_FALSE(unpublishable);
  EXPECT_EQ(unpublishable.error().field, "publish");
  incomplete.publish = false;
  EXPECT_TRUE(in_store([&](Repository &r) { return service.create_location(r, incomplete, clock.now()); }));

  auto hours = complete("Garage");
  hours.opening_times = OpeningTimes{false, {{1, "20:00", "08:00"}}, {}, {}};
  auto bad_hours = in_store([&](Repository &r) { return service.create_location(r, hours, clock.now()); });
  ASSERT_FALSE(bad_hours);
  EXPECT_EQ(bad_hours.error().field, "opening_times.regular_hours");
  hours.opening_times = OpeningTimes{false, {{1, "08:00", "20:00"}, {6, "09:00", "12:00"}}, {}, {}};
  auto good_hours = in_store([&](Repository &r) { return service.create_location(r, hours, clock.now()); });
  ASSERT_TRUE(good_hours);
  EXPECT_EQ(good_hours->opening_times, hours.opening_times) << "opening times come back from the store as written";

  auto coords = complete("Float");
  coords.coordinates = GeoLocation{"52.37", "4.9"};
  auto bad_coords = in_store([&](Repository &r) { return service.create_location(r, coords, clock.now()); });
  ASSERT_FALSE(bad_coords);
  EXPECT_EQ(bad_coords.error().field, "coordinates.latitude");
}

TEST_F(LocationServiceTest, a_location_with_stations_is_not_deleted_and_a_rename_is_its_stations_site) {
  add_station("CS1");
  auto loc = in_store([&](Repository &r) { return service.create_location(r, complete("Depot"), clock.now()); });
  ASSERT_TRUE(loc);
  auto moved = in_store(
      [&](Repository &r) { return service.assign_station(r, StationId::unchecked("CS1"), std::optional{loc->id}); });
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->site, "Depot");
  EXPECT_EQ(moved->location_id, loc->id);

  auto refused = in_store([&](Repository &r) { return service.delete_location(r, loc->id); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ServiceError::Code::Conflict);

  auto renamed = *loc;
  renamed.name = "Depot North";
  clock.t += std::chrono::minutes(5);
  auto updated = in_store([&](Repository &r) { return service.update_location(r, renamed, clock.now()); });
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->updated_at, clock.now());
  EXPECT_EQ(updated->created_at, loc->created_at);
  auto station = in_store([&](Repository &r) { return *r.station(StationId::unchecked("CS1")); });
  EXPECT_EQ(station.site, "Depot North");
  EXPECT_EQ(station.location_id, loc->id) << "the site follows the location's name, not the other way";

  ASSERT_TRUE(
      in_store([&](Repository &r) { return service.assign_station(r, StationId::unchecked("CS1"), std::nullopt); }));
  station = in_store([&](Repository &r) { return *r.station(StationId::unchecked("CS1")); });
  EXPECT_FALSE(station.site);
  EXPECT_FALSE(station.location_id);
  EXPECT_TRUE(in_store([&](Repository &r) { return service.delete_location(r, loc->id); }));
  auto gone = in_store([&](Repository &r) { return service.delete_location(r, loc->id); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ServiceError::Code::NotFound);
}

TEST_F(LocationServiceTest, a_site_given_by_any_writer_is_a_location_of_that_name) {
  add_station("CS1", "Mall");
  add_station("CS2", "Mall");
  add_station("CS3");
  store->run([](Repository &r) { r.set_site(StationId::unchecked("CS3"), std::string("Harbour")); });
  auto mall = in_store([](Repository &r) { return r.location_by_name("Mall"); });
  auto harbour = in_store([](Repository &r) { return r.location_by_name("Harbour"); });
  ASSERT_TRUE(mall);
  ASSERT_TRUE(harbour);
  auto at_mall = in_store([&](Repository &r) { return r.location_stations(mall->id); });
  ASSERT_EQ(at_mall.size(), 2u);
  EXPECT_EQ(at_mall[0].str(), "CS1");
  EXPECT_EQ(in_store([&](Repository &r) { return r.station(StationId::unchecked("CS3"))->location_id; }), harbour->id);
  store->run([](Repository &r) { r.set_site(StationId::unchecked("CS3"), std::nullopt); });
  EXPECT_FALSE(in_store([&](Repository &r) { return r.station(StationId::unchecked("CS3"))->location_id; }));
}

TEST_F(LocationServiceTest, evses_are_described_before_the_station_connects_and_their_ids_are_unique) {
  add_station("CS1");
  add_station("CS2");
  auto missing =
      in_store([&](Repository &r) { return service.put_evse(r, evse("NOPE", 1), EvseWrite{}, clock.now()); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ServiceError::Code::NotFound);

  auto e1 = evse("CS1", 1);
  e1.emi3_id = Emi3EvseId::parse("NL*GLN*E000123*1");
  e1.capabilities = {Capability::RfidReader, Capability::Reservable, Capability::RfidReader};
  e1.floor_level = "-1";
  e1.connectors = {type2(1)};
  auto saved = in_store([&](Repository &r) { return service.put_evse(r, e1, EvseWrite{}, clock.now()); });
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_TRUE(saved->created);
  EXPECT_EQ(saved->value.capabilities.size(), 2u) << "duplicates dropped";
  ASSERT_EQ(saved->value.connectors.size(), 1u);
  EXPECT_EQ(saved->value.connectors[0].max_amperage, core::milliamps(32000));
  EXPECT_EQ(saved->value.connectors[0].power_type, PowerType::Ac3Phase);

  auto other = evse("CS2", 1);
  other.emi3_id = Emi3EvseId::parse("nl*gln*e000123*1"); // the same id in other case
  auto clash = in_store([&](Repository &r) { return service.put_evse(r, other, EvseWrite{}, clock.now()); });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ServiceError::Code::Conflict);

  auto broken = evse("CS2", 1);
  broken.connectors = {type2(1)};
  broken.connectors[0].standard.reset();
  auto invalid = in_store([&](Repository &r) { return service.put_evse(r, broken, EvseWrite{}, clock.now()); });
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().field, "connectors[0].standard");

  // Replacing keeps the status (not given) and the connectors not named.
  store->run([&](Repository &r) { r.set_evse_status(saved->value.uid, EvseStatus::Planned, clock.now()); });
  auto replace = evse("CS1", 1);
  replace.physical_reference = "A1";
  auto replaced = in_store([&](Repository &r) { return service.put_evse(r, replace, EvseWrite{}, clock.now()); });
  ASSERT_TRUE(replaced);
  EXPECT_FALSE(replaced->created);
  EXPECT_EQ(replaced->value.status, EvseStatus::Planned);
  EXPECT_EQ(replaced->value.connectors.size(), 1u);
  EXPECT_FALSE(replaced->value.emi3_id);
  EXPECT_EQ(replaced->value.uid, saved->value.uid);

  // A create refuses a known EVSE; a full replacement drops the connectors it does not list.
  auto known = in_store([&](Repository &r) {
    return service.put_evse(r, e1, EvseWrite{false, true, false}, clock.now());
  });
  ASSERT_FALSE(known);
  EXPECT_EQ(known.error().code, ServiceError::Code::Conflict);
  auto two = evse("CS1", 1);
  two.connectors = {type2(2)};
  auto swapped = in_store([&](Repository &r) {
    return service.put_evse(r, two, EvseWrite{false, false, true}, clock.now());
  });
  ASSERT_TRUE(swapped);
  ASSERT_EQ(swapped->value.connectors.size(), 1u);
  EXPECT_EQ(swapped->value.connectors[0].connector_id, 2);
  auto by_uid = in_store([&](Repository &r) { return service.evse(r, saved->value.uid); });
  ASSERT_TRUE(by_uid);
  EXPECT_EQ(by_uid->evse_id, 1);
  EXPECT_FALSE(in_store([&](Repository &r) { return service.evse(r, EvseUid{999}); }));
}

TEST_F(LocationServiceTest, a_16_station_has_one_connector_per_evse) {
  add_station("OLD", std::nullopt, ProtocolVersion::Ocpp16);
  ASSERT_TRUE(in_store([&](Repository &r) { return service.put_evse(r, evse("OLD", 2), EvseWrite{}, clock.now()); }));
  auto second = in_store(
      [&](Repository &r) { return service.put_connector(r, StationId::unchecked("OLD"), 2, type2(2), clock.now()); });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ServiceError::Code::Invalid);
  auto first = in_store(
      [&](Repository &r) { return service.put_connector(r, StationId::unchecked("OLD"), 2, type2(1), clock.now()); });
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);
  auto no_evse = in_store(
      [&](Repository &r) { return service.put_connector(r, StationId::unchecked("OLD"), 5, type2(1), clock.now()); });
  ASSERT_FALSE(no_evse);
  EXPECT_EQ(no_evse.error().code, ServiceError::Code::NotFound);
}

TEST_F(LocationServiceTest, status_reports_land_on_described_evses_and_create_unknown_ones) {
  add_station("CS1");
  auto described = evse("CS1", 1);
  described.connectors = {type2(1)};
  ASSERT_TRUE(in_store([&](Repository &r) { return service.put_evse(r, described, EvseWrite{}, clock.now()); }));

  StationService stations(*store, clock, StationServiceConfig{},
                          [](std::function<void()> f, std::function<void(core::JobRefusal)>) { f(); });
  auto report = [&](ProtocolVersion v, int evse_id, int connector, ConnectorStatus st) {
    StatusReport rep;
    rep.evse_id = evse_id;
    rep.connector_id = connector;
    rep.status = st;
    std::promise<bool> done;
    stations.status(StationContext{StationId::unchecked("CS1"), v}, rep,
                    [&](const Outcome<Done> &o) { done.set_value(o.ok()); });
    ASSERT_TRUE(done.get_future().get());
  };
  report(ProtocolVersion::Ocpp16, 1, 1, ConnectorStatus::Charging);  // the described EVSE
  report(ProtocolVersion::Ocpp16, 2, 2, ConnectorStatus::Faulted);   // 1.6 connector 2: EVSE 2, connector 1
  report(ProtocolVersion::Ocpp201, 3, 2, ConnectorStatus::Occupied); // 2.x: EVSE 3, connector 2
  report(ProtocolVersion::Ocpp16, 0, 0, ConnectorStatus::Available); // the station: nothing added

  auto all = in_store([](Repository &r) { return r.evses(StationId::unchecked("CS1")); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].status, EvseStatus::Charging);
  EXPECT_FALSE(all[0].reported);
  ASSERT_EQ(all[0].connectors.size(), 1u);
  EXPECT_EQ(all[0].connectors[0].standard, ConnectorStandard::Iec62196T2) << "the description is kept";
  EXPECT_EQ(all[1].evse_id, 2);
  EXPECT_TRUE(all[1].reported);
  EXPECT_EQ(all[1].status, EvseStatus::OutOfOrder);
  ASSERT_EQ(all[1].connectors.size(), 1u);
  EXPECT_EQ(all[1].connectors[0].connector_id, 1);
  EXPECT_FALSE(all[1].connectors[0].standard);
  EXPECT_EQ(all[2].evse_id, 3);
  ASSERT_EQ(all[2].connectors.size(), 1u);
  EXPECT_EQ(all[2].connectors[0].connector_id, 2);
  EXPECT_EQ(all[2].status, EvseStatus::Charging);

  // Describing a reported EVSE makes it the operator's.
  auto describe = evse("CS1", 2);
  describe.connectors = {type2(1)};
  auto now_described = in_store([&](Repository &r) { return service.put_evse(r, describe, EvseWrite{}, clock.now()); });
  ASSERT_TRUE(now_described);
  EXPECT_FALSE(now_described->value.reported);
  EXPECT_EQ(now_described->value.status, EvseStatus::OutOfOrder);
}

TEST(LocationMigration, sites_stored_before_0008_become_locations_with_their_stations) {
  auto path =
      (std::filesystem::temp_directory_path() / ("gridlane-loc-migration-" + std::to_string(::getpid()) + ".db"))
          .string();
  std::filesystem::remove(path);
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto exec = [&](const std::string &sql) {
    char *err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << sql;
  };
  exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT "
       "NULL)");
  for (const auto &m : store::sqlite::migrations()) {
    if (m.version >= 8) break;
    exec(std::string(m.sql));
    exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'm', 0)");
  }
  exec("INSERT INTO stations (id, registration, created_at, site) VALUES ('A1', 'Accepted', 5000, 'Depot North'), "
       "('A2', 'Accepted', 3000, 'Depot North'), ('B1', 'Accepted', 4000, 'Mall'), ('C1', 'Accepted', 1000, NULL)");
  sqlite3_close(db);

  {
    store::SqliteStore store{{path}};
    EXPECT_GE(store.schema_version(), 8);
    store.run([](Repository &r) {
      auto all = r.locations(LocationFilter{});
      ASSERT_EQ(all.size(), 2u);
      EXPECT_EQ(all[0].name, "Depot North");
      EXPECT_EQ(all[0].created_at, core::from_unix_ms(3000)) << "as old as its first station";
      EXPECT_FALSE(all[0].publish);
      EXPECT_EQ(all[1].name, "Mall");
      auto depot = r.location_stations(all[0].id);
      ASSERT_EQ(depot.size(), 2u);
      EXPECT_EQ(depot[0].str(), "A1");
      EXPECT_EQ(depot[1].str(), "A2");
      EXPECT_EQ(r.station(StationId::unchecked("A1"))->site, "Depot North") << "the site itself is kept";
      EXPECT_EQ(r.station(StationId::unchecked("B1"))->location_id, all[1].id);
      EXPECT_FALSE(r.station(StationId::unchecked("C1"))->location_id);
      TransactionFilter f;
      f.location = all[1].id;
      EXPECT_TRUE(r.transactions(f).empty());
    });
  }
  std::filesystem::remove(path);
}
