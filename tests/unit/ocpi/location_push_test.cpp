// The Locations and Tariffs push over a real SQLite file: changes made through the services
// (and a station's status report) land in migration 0024's journal by trigger, and push_changes
// turns them into the outbox items each partner must receive; the Sender's list query filters
// on a last_updated that covers EVSEs and connectors.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/ocpi/locations.hpp"
#include "gridlane/services/location_service.hpp"
#include "gridlane/services/tariff_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

const PartyId self{"DE", "GRL"};

class LocationPushTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-ocpi-push-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::int64_t add_partner(PartnerStatus status, std::vector<OcpiModule> modules = {}) {
    Partner p;
    p.name = "emsp" + std::to_string(++partners);
    p.status = status;
    p.modules = std::move(modules);
    p.roles = {PartnerRole{OcpiRole::Emsp, PartyId{"NL", "EMS"}, "eMSP"}};
    p.version = "2.2.1";
    p.endpoints = {{OcpiModule::Locations, InterfaceRole::Receiver, "http://127.0.0.1:1/locations"},
                   {OcpiModule::Tariffs, InterfaceRole::Receiver, "http://127.0.0.1:1/tariffs"}};
    p.token_to_them = "t";
    p.created_at = p.updated_at = now;
    std::int64_t id = 0;
    store->run([&](Repository &r) { id = r.insert_partner(p, "hash" + std::to_string(partners)); });
    return id;
  }

  //! A published location LOC1 with station CS1 and its EVSE 1 (one Type 2 connector).
  EvseUid seed(bool publish = true) {
    EvseUid uid{0};
    store->run([&](Repository &r) {
      Station s;
      s.id = StationId::unchecked("CS1");
      s.registration = RegistrationStatus::Accepted;
      s.created_at = now;
      r.insert_station(s);
      Location l;
      l.id = LocationId::unchecked("LOC1");
      l.name = "Centraal";
      l.address = "Stationsplein 1";
      l.city = "Amsterdam";
      l.country = "NLD";
      l.coordinates = GeoLocation{"52.378901", "4.900581"};
      l.time_zone = "Europe/Amsterdam";
      l.publish = publish;
      ASSERT_TRUE(locations.create_location(r, l, now));
      ASSERT_TRUE(locations.assign_station(r, s.id, l.id));
      Evse e;
      e.station = s.id;
      e.evse_id = 1;
      e.emi3_id = Emi3EvseId::parse("DE*GRL*E1");
      Connector c;
      c.standard = ConnectorStandard::Iec62196T2;
      c.format = ConnectorFormat::Socket;
      c.power_type = PowerType::Ac3Phase;
      c.max_voltage = core::volts(230);
      c.max_amperage = core::amps(32);
      e.connectors = {c};
      auto saved = locations.put_evse(r, e, {}, now);
      ASSERT_TRUE(saved);
      uid = saved.value().value.uid;
    });
    return uid;
  }

  std::vector<OutboxItem> drain() {
    std::vector<OutboxItem> out;
    store->run([&](Repository &r) {
      ocpi::push_changes(r, self, now, [&](Repository &, OutboxItem item) { out.push_back(std::move(item)); });
    });
    return out;
  }

  void report(ConnectorStatus status, int evse_id = 1) {
    store->run([&](Repository &r) {
      StatusReport s;
      s.station = StationId::unchecked("CS1");
      s.evse_id = evse_id;
      s.connector_id = evse_id;
      s.status = status;
      s.received_at = now;
      r.record_status(s);
      services::observe_connector(r, s.station, ProtocolVersion::Ocpp16, evse_id, evse_id, status, now);
    });
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  services::LocationService locations{[](std::string_view) { return true; }};
  Timestamp now = *core::parse_iso8601("2026-06-01T12:00:00Z");
  int partners = 0;
};

} // namespace

TEST_F(LocationPushTest, a_new_published_location_is_put_whole_to_each_registered_partner) {
  auto a = add_partner(PartnerStatus::Registered);
  auto b = add_partner(PartnerStatus::Registered, {OcpiModule::Locations});
  add_partner(PartnerStatus::Suspended);
  add_partner(PartnerStatus::Planned);
  add_partner(PartnerStatus::Registered, {OcpiModule::Sessions}); // may not use locations
  seed();
  auto items = drain();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].partner_id, a);
  EXPECT_EQ(items[1].partner_id, b);
  for (const auto &i : items) {
    EXPECT_EQ(i.method, PushMethod::Put);
    EXPECT_EQ(i.module, OcpiModule::Locations);
    EXPECT_EQ(i.path, "/DE/GRL/LOC1");
    EXPECT_EQ(i.object_key, "location:LOC1");
    auto body = json::parse(i.body).as_object();
    EXPECT_EQ(body.at("id"), "LOC1");
    EXPECT_EQ(body.at("evses").as_array().size(), 1u);
  }
  EXPECT_TRUE(drain().empty()); // the journal was forgotten
}

TEST_F(LocationPushTest, a_status_report_is_a_patch_of_the_evse_status) {
  add_partner(PartnerStatus::Registered);
  auto uid = seed();
  drain();
  report(ConnectorStatus::Charging);
  auto items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].method, PushMethod::Patch);
  EXPECT_EQ(items[0].path, "/DE/GRL/LOC1/" + std::to_string(uid.value()));
  auto body = json::parse(items[0].body).as_object();
  EXPECT_EQ(body.at("status"), "CHARGING");
  EXPECT_TRUE(body.contains("last_updated"));
  EXPECT_EQ(body.size(), 2u);
  // The same status again is no news.
  report(ConnectorStatus::Charging);
  EXPECT_TRUE(drain().empty());
  report(ConnectorStatus::Available);
  items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(json::parse(items[0].body).at("status"), "AVAILABLE");
}

TEST_F(LocationPushTest, a_deleted_evse_is_patched_to_removed_and_a_described_one_is_put) {
  add_partner(PartnerStatus::Registered);
  auto uid = seed();
  drain();
  store->run([&](Repository &r) {
    auto e = r.evse_by_uid(uid);
    ASSERT_TRUE(e);
    e->physical_reference = "P1";
    ASSERT_TRUE(locations.put_evse(r, *e, {}, now));
  });
  auto items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].method, PushMethod::Put);
  EXPECT_EQ(json::parse(items[0].body).at("physical_reference"), "P1");

  store->run([&](Repository &r) { ASSERT_TRUE(locations.delete_evse(r, StationId::unchecked("CS1"), 1)); });
  items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].method, PushMethod::Patch);
  EXPECT_EQ(json::parse(items[0].body).at("status"), "REMOVED");
}

TEST_F(LocationPushTest, an_unpublished_location_is_never_sent_until_it_was_published) {
  add_partner(PartnerStatus::Registered);
  seed(false);
  EXPECT_TRUE(drain().empty());
  report(ConnectorStatus::Charging);
  EXPECT_TRUE(drain().empty());
  auto set_publish = [&](bool publish) {
    store->run([&](Repository &r) {
      auto l = r.location(LocationId::unchecked("LOC1"));
      l->publish = publish;
      ASSERT_TRUE(locations.update_location(r, *l, now));
    });
  };
  set_publish(true);
  auto items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(json::parse(items[0].body).at("publish"), true);
  set_publish(false); // partners are told to stop showing it
  items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(json::parse(items[0].body).at("publish"), false);
}

TEST_F(LocationPushTest, a_tariff_is_put_and_its_deletion_is_a_delete) {
  add_partner(PartnerStatus::Registered);
  auto t = domain::decode_tariff(R"({"country_code":"DE","party_id":"GRL","id":"T1","currency":"EUR",
      "elements":[{"price_components":[{"type":"ENERGY","price":0.30,"step_size":1}]}],
      "last_updated":"2026-01-01T00:00:00Z"})");
  ASSERT_TRUE(t) << t.error().message;
  store->run([&](Repository &r) { ASSERT_TRUE(services::TariffService{}.put(r, t.value(), now)); });
  auto items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].module, OcpiModule::Tariffs);
  EXPECT_EQ(items[0].method, PushMethod::Put);
  EXPECT_EQ(items[0].path, "/DE/GRL/T1");
  EXPECT_EQ(items[0].object_key, "tariff:T1");
  store->run([&](Repository &r) { ASSERT_TRUE(services::TariffService{}.remove(r, "T1")); });
  items = drain();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].method, PushMethod::Delete);
  EXPECT_EQ(items[0].path, "/DE/GRL/T1");
}

TEST_F(LocationPushTest, the_sender_list_filters_on_a_last_updated_covering_evses) {
  seed();
  const auto before = now;
  now += std::chrono::hours(1);
  report(ConnectorStatus::Charging); // the EVSE's status changes an hour later
  store->run([&](Repository &r) {
    RoamingLocationFilter f;
    EXPECT_EQ(r.count_published_locations(f), 1);
    f.updated_from = before + std::chrono::minutes(30);
    EXPECT_EQ(r.count_published_locations(f), 1);
    auto page = r.published_locations(f);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].last_updated, now);
    EXPECT_EQ(page[0].evses.size(), 1u);
    EXPECT_EQ(page[0].statuses.size(), 1u);
    f.updated_from.reset();
    f.updated_to = before + std::chrono::minutes(30);
    EXPECT_EQ(r.count_published_locations(f), 0);
    EXPECT_TRUE(r.published_locations(f).empty());
  });
}
