// The OCPI Location, EVSE and Connector objects Gridlane sends (OCPI 2.2.1 mod_locations), made
// from domain values: the specification's location_example.json reproduced field for field, the
// EVSE status combined from connector reports, and what is left out because OCPI cannot carry it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "gridlane/ocpi/location_codec.hpp"
#include "gridlane/ocpi/wire.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

Timestamp at(const char *text) {
  auto t = ocpi::parse_datetime(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(Timestamp{});
}

json::value example(const char *name) {
  std::ifstream in(std::string(GRIDLANE_OCPI_EXAMPLES) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

Connector connector(int id, ConnectorFormat format, const char *updated) {
  Connector c;
  c.connector_id = id;
  c.standard = ConnectorStandard::Iec62196T2;
  c.format = format;
  c.power_type = PowerType::Ac3Phase;
  c.max_voltage = core::volts(220);
  c.max_amperage = core::amps(16);
  c.created_at = c.updated_at = at(updated);
  return c;
}

Evse evse(std::int64_t uid, int evse_id, const char *emi3, EvseStatus status, const char *updated) {
  Evse e;
  e.uid = EvseUid{uid};
  e.station = StationId::unchecked("CS1");
  e.evse_id = evse_id;
  e.emi3_id = Emi3EvseId::parse(emi3);
  e.status = status;
  e.capabilities = {Capability::Reservable};
  e.created_at = e.updated_at = at(updated);
  return e;
}

//! The domain values behind location_example.json.
LocationSnapshot gent_zuid() {
  LocationSnapshot s;
  auto &l = s.location;
  l.id = LocationId::unchecked("LOC1");
  l.name = "Gent Zuid";
  l.address = "F.Rooseveltlaan 3A";
  l.city = "Gent";
  l.postal_code = "9000";
  l.country = "BEL";
  l.coordinates = GeoLocation{"51.047599", "3.729944"};
  l.parking_type = ParkingType::OnStreet;
  l.operator_details = BusinessDetails{"BeCharged", std::nullopt};
  l.time_zone = "Europe/Brussels";
  l.publish = true;
  l.created_at = l.updated_at = at("2015-03-16T10:10:02Z");

  auto a = evse(3256, 1, "BE*BEC*E041503001", EvseStatus::Available, "2015-06-28T08:12:01Z");
  a.connectors = {connector(1, ConnectorFormat::Cable, "2015-03-16T10:10:02Z"),
                  connector(2, ConnectorFormat::Socket, "2015-03-18T08:12:01Z")};
  a.physical_reference = "1";
  a.floor_level = "-1";
  auto b = evse(3257, 2, "BE*BEC*E041503002", EvseStatus::Reserved, "2015-06-29T20:39:09Z");
  b.connectors = {connector(1, ConnectorFormat::Socket, "2015-06-29T20:39:09Z")};
  b.physical_reference = "2";
  b.floor_level = "-2";
  s.evses = {a, b};
  s.last_updated = at("2015-06-29T20:39:09Z");
  return s;
}

StatusReport report(int evse_id, int connector_id, ConnectorStatus status) {
  StatusReport r;
  r.station = StationId::unchecked("CS1");
  r.evse_id = evse_id;
  r.connector_id = connector_id;
  r.status = status;
  return r;
}

} // namespace

TEST(OcpiLocationCodec, produces_the_specifications_location_example) {
  auto expected = example("location_example.json").as_object();
  // Gridlane does not yet name tariffs on connectors (docs/ocpi.md, "Locations"): the example's
  // tariff_ids are the one field it leaves out.
  for (auto &e : expected["evses"].as_array())
    for (auto &c : e.as_object()["connectors"].as_array())
      c.as_object().erase("tariff_ids");

  auto produced = ocpi::location_json(gent_zuid(), PartyId{"BE", "BEC"});
  ASSERT_TRUE(produced);
  EXPECT_EQ(json::value(*produced), json::value(expected)) << json::serialize(*produced);
}

TEST(OcpiLocationCodec, a_location_last_updated_covers_its_evses_and_connectors) {
  auto s = gent_zuid();
  s.last_updated = at("2015-01-01T00:00:00Z"); // the store's figure is a floor, not the answer
  s.evses[0].connectors[1].updated_at = at("2016-02-03T04:05:06Z");
  auto produced = ocpi::location_json(s, PartyId{"BE", "BEC"});
  ASSERT_TRUE(produced);
  EXPECT_EQ((*produced)["last_updated"], "2016-02-03T04:05:06Z");
  EXPECT_EQ((*produced)["evses"].as_array()[0].as_object()["last_updated"], "2016-02-03T04:05:06Z");
}

TEST(OcpiLocationCodec, leaves_out_connectors_and_evses_ocpi_cannot_carry) {
  auto s = gent_zuid();
  s.evses[0].connectors[1].standard.reset(); // a connector the station reported, never described
  Connector bare;
  bare.connector_id = 1;
  s.evses[1].connectors = {bare};
  auto produced = ocpi::location_json(s, PartyId{"BE", "BEC"});
  ASSERT_TRUE(produced);
  const auto &evses = (*produced)["evses"].as_array();
  ASSERT_EQ(evses.size(), 1u);
  EXPECT_EQ(evses[0].as_object().at("uid"), "3256");
  EXPECT_EQ(evses[0].as_object().at("connectors").as_array().size(), 1u);
  EXPECT_FALSE(ocpi::evse_json(s.evses[1], {}));
}

TEST(OcpiLocationCodec, a_location_without_its_required_fields_is_not_sent) {
  auto s = gent_zuid();
  s.location.coordinates.reset();
  EXPECT_FALSE(ocpi::location_json(s, PartyId{"BE", "BEC"}));
  s = gent_zuid();
  s.location.time_zone.reset();
  EXPECT_FALSE(ocpi::location_json(s, PartyId{"BE", "BEC"}));
}

TEST(OcpiLocationCodec, amperes_are_whole_and_optional_fields_are_absent_not_null) {
  auto c = connector(1, ConnectorFormat::Cable, "2020-01-01T00:00:00Z");
  c.max_amperage = core::milliamps(31999);
  c.max_electric_power = core::watts(22000);
  auto j = ocpi::connector_json(c);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->at("max_amperage").as_int64(), 31);
  EXPECT_EQ(j->at("max_electric_power").as_int64(), 22000);
  EXPECT_EQ(j->at("id"), "1");

  auto e = evse(7, 1, "BE*BEC*E1", EvseStatus::Available, "2020-01-01T00:00:00Z");
  e.emi3_id.reset();
  e.capabilities.clear();
  e.connectors = {c};
  auto ej = ocpi::evse_json(e, {});
  ASSERT_TRUE(ej);
  for (const char *absent : {"evse_id", "capabilities", "floor_level", "physical_reference", "coordinates"})
    EXPECT_FALSE(ej->contains(absent)) << absent;
}

TEST(OcpiLocationCodec, evse_status_is_the_busiest_of_its_connectors) {
  auto e = evse(1, 1, "BE*BEC*E1", EvseStatus::Unknown, "2020-01-01T00:00:00Z");
  EXPECT_EQ(ocpi::evse_status(e, {}), EvseStatus::Unknown);
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Available)}), EvseStatus::Available);
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Available), report(1, 2, ConnectorStatus::Preparing)}),
            EvseStatus::Charging);
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Faulted), report(1, 2, ConnectorStatus::Available)}),
            EvseStatus::OutOfOrder);
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Reserved)}), EvseStatus::Reserved);
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Unavailable)}), EvseStatus::Inoperative);
  // Another EVSE's report says nothing about this one; a station-wide fault does.
  EXPECT_EQ(ocpi::evse_status(e, {report(2, 1, ConnectorStatus::Charging), report(1, 1, ConnectorStatus::Available)}),
            EvseStatus::Available);
  EXPECT_EQ(ocpi::evse_status(e, {report(0, 0, ConnectorStatus::Faulted), report(1, 1, ConnectorStatus::Available)}),
            EvseStatus::OutOfOrder);
  EXPECT_EQ(ocpi::evse_status(e, {report(0, 0, ConnectorStatus::Available)}), EvseStatus::Unknown);
}

TEST(OcpiLocationCodec, an_operators_removed_or_planned_holds_over_the_station) {
  auto e = evse(1, 1, "BE*BEC*E1", EvseStatus::Removed, "2020-01-01T00:00:00Z");
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Charging)}), EvseStatus::Removed);
  e.status = EvseStatus::Planned;
  EXPECT_EQ(ocpi::evse_status(e, {report(1, 1, ConnectorStatus::Available)}), EvseStatus::Planned);
}

TEST(OcpiLocationCodec, status_patch_has_the_shape_of_the_specifications_example) {
  auto expected = example("location_patch_example_status.json");
  auto produced = ocpi::status_patch_json(EvseStatus::Charging, at("2019-06-24T12:39:09Z"));
  EXPECT_EQ(json::value(produced), expected);
}
