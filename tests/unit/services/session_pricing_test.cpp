// The price of a stored session: its meter readings and charging states read into the engine's
// samples (units, phases, 2.x charging states, 1.6 statuses), and SessionPricing over a real
// SQLite file pricing with the snapshot kept at the start, whatever happened to the tariff since.
#include <filesystem>
#include <gtest/gtest.h>

#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/session_pricing.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

Timestamp at(const char *text) {
  return *core::parse_iso8601(text);
}

core::Decimal dec(const char *text) {
  return *core::Decimal::parse(text);
}

MeterSample sample(const char *when, double value, std::optional<std::string> measurand = std::nullopt,
                   std::optional<std::string> unit = std::nullopt, std::optional<std::string> phase = std::nullopt) {
  MeterSample s;
  s.timestamp = at(when);
  s.value = std::to_string(value);
  s.numeric = value;
  s.measurand = std::move(measurand);
  s.unit = std::move(unit);
  s.phase = std::move(phase);
  return s;
}

Transaction session(ProtocolVersion protocol = ProtocolVersion::Ocpp201) {
  Transaction t;
  t.station = StationId::unchecked("CS-1");
  t.protocol = protocol;
  t.evse_id = t.connector_id = 1;
  t.id_tag = "TAG";
  t.meter_start_wh = 1000;
  t.started_at = t.start_received_at = at("2026-06-01T10:00:00Z");
  return t;
}

//! 0.25 per kWh (VAT 20 %) and 2.00 per hour of parking.
Tariff energy_and_parking(std::string id, const char *per_kwh) {
  Tariff t;
  t.country_code = "NL";
  t.party_id = "GRL";
  t.id = std::move(id);
  t.currency = core::Currency::eur();
  TariffElement e;
  e.price_components.push_back(PriceComponent{TariffDimension::Energy, dec(per_kwh), dec("20"), 1});
  e.price_components.push_back(PriceComponent{TariffDimension::ParkingTime, dec("2"), dec("20"), 1});
  t.elements.push_back(e);
  t.last_updated = at("2026-05-01T00:00:00Z");
  return t;
}

} // namespace

TEST(SessionSamples, reads_registers_power_and_current_in_their_units_summing_phases) {
  auto t = session();
  std::vector<MeterSample> samples{
      sample("2026-06-01T10:30:00Z", 6.0, "Energy.Active.Import.Register", "kWh"),
      sample("2026-06-01T10:30:00Z", 11.0, "Power.Active.Import", "kW"),
      sample("2026-06-01T10:30:00Z", 16.0, "Current.Import", "A", "L1"),
      sample("2026-06-01T10:30:00Z", 16.0, "Current.Import", "A", "L2"),
      sample("2026-06-01T10:30:00Z", 15.5, "Current.Import", "A", "L3"),
      sample("2026-06-01T10:45:00Z", 7000.0), // no measurand: the energy register, in Wh
      sample("2026-06-01T10:45:00Z", 230.0, "Voltage", "V"),
      sample("2026-06-01T10:45:00Z", -5.0, "Power.Active.Import", "W"), // negative: not a draw
  };
  auto s = session_samples(t, samples, {}, {}, at("2026-06-01T11:00:00Z"));
  EXPECT_EQ(s.started_at, t.started_at);
  EXPECT_EQ(s.ended_at, at("2026-06-01T11:00:00Z")); // running: priced up to now
  EXPECT_EQ(s.meter_start, core::watt_hours(1000));
  EXPECT_FALSE(s.meter_stop);
  ASSERT_EQ(s.meter.size(), 2u);
  EXPECT_EQ(s.meter[0].register_wh, core::watt_hours(6000));
  EXPECT_EQ(s.meter[0].power, core::watts(11000));
  EXPECT_EQ(s.meter[0].current, core::milliamps(47500));
  EXPECT_EQ(s.meter[1].register_wh, core::watt_hours(7000));
  EXPECT_FALSE(s.meter[1].power);
}

TEST(SessionSamples, an_ended_session_ends_at_its_stop_with_its_meter_stop) {
  auto t = session();
  t.state = TransactionState::Ended;
  t.stopped_at = at("2026-06-01T10:40:00Z");
  t.meter_stop_wh = 9000;
  auto s = session_samples(t, {}, {}, {}, at("2026-06-02T00:00:00Z"));
  EXPECT_EQ(s.ended_at, at("2026-06-01T10:40:00Z"));
  EXPECT_EQ(s.meter_stop, core::watt_hours(9000));
}

TEST(SessionSamples, states_from_2x_charging_states_else_from_1_6_statuses) {
  auto t = session();
  TransactionEventRecord charging{t.id,
                                  1,
                                  TransactionEventType::Updated,
                                  TriggerReason::ChargingStateChanged,
                                  at("2026-06-01T10:01:00Z"),
                                  false,
                                  ChargingState::Charging,
                                  {},
                                  {}};
  auto suspended = charging;
  suspended.timestamp = at("2026-06-01T10:50:00Z");
  suspended.charging_state = ChargingState::SuspendedEV;
  auto s = session_samples(t, {}, {charging, suspended}, {}, at("2026-06-01T11:00:00Z"));
  ASSERT_EQ(s.states.size(), 2u);
  EXPECT_EQ(s.states[0].state, pricing::PeriodState::Charging);
  EXPECT_EQ(s.states[1].state, pricing::PeriodState::Parking);
  EXPECT_EQ(s.states[1].at, at("2026-06-01T10:50:00Z"));

  StatusReport st;
  st.status = ConnectorStatus::Charging;
  st.station_time = at("2026-06-01T10:00:05Z");
  StatusReport finishing = st;
  finishing.status = ConnectorStatus::Finishing;
  finishing.station_time = at("2026-06-01T10:30:00Z");
  StatusReport faulted = st;
  faulted.status = ConnectorStatus::Faulted; // not a change of what the session does
  auto v16 =
      session_samples(session(ProtocolVersion::Ocpp16), {}, {}, {st, faulted, finishing}, at("2026-06-01T11:00:00Z"));
  ASSERT_EQ(v16.states.size(), 2u);
  EXPECT_EQ(v16.states[0].state, pricing::PeriodState::Charging);
  EXPECT_EQ(v16.states[1].state, pricing::PeriodState::Parking);
  EXPECT_EQ(v16.states[1].at, at("2026-06-01T10:30:00Z"));
}

class SessionPricingTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-spricing-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([&](Repository &r) {
      Location l;
      l.id = LocationId::unchecked("L1");
      l.name = "Depot";
      l.time_zone = "Europe/Amsterdam";
      l.created_at = l.updated_at = at("2026-01-01T00:00:00Z");
      r.insert_location(l);
      Station s;
      s.id = StationId::unchecked("CS-1");
      s.registration = RegistrationStatus::Accepted;
      s.created_at = at("2026-01-01T00:00:00Z");
      r.insert_station(s);
      r.set_station_location(s.id, l.id);
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class Fn> auto in_store(Fn fn) {
    std::optional<decltype(fn(std::declval<Repository &>()))> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(SessionPricingTest, prices_a_session_with_its_snapshot_in_its_location_zone) {
  // 10:00-11:00 charging 10 kWh, then 30 minutes parked: 10 x 0.25 + 0.5 h x 2.00 = 3.50 excl. VAT.
  auto id = in_store([](Repository &r) {
    auto t = session();
    auto tx = r.insert_transaction(t);
    r.put_tariff_snapshot(TariffSnapshot{tx, "KWH", std::nullopt, std::nullopt,
                                         encode_tariff(energy_and_parking("KWH", "0.25")), t.started_at});
    MeterReading m;
    m.station = t.station;
    m.evse_id = m.connector_id = 1;
    m.transaction_id = tx;
    m.samples = {sample("2026-06-01T10:00:00Z", 1000.0), sample("2026-06-01T11:00:00Z", 11000.0),
                 sample("2026-06-01T11:30:00Z", 11000.0)};
    m.received_at = t.started_at;
    r.insert_meter_reading(m);
    r.insert_transaction_event(TransactionEventRecord{tx,
                                                      1,
                                                      TransactionEventType::Updated,
                                                      TriggerReason::ChargingStateChanged,
                                                      at("2026-06-01T11:00:00Z"),
                                                      false,
                                                      ChargingState::SuspendedEV,
                                                      {},
                                                      t.started_at});
    t.id = tx;
    t.state = TransactionState::Ended;
    t.stopped_at = at("2026-06-01T11:30:00Z");
    t.meter_stop_wh = 11000;
    r.update_transaction(t);
    r.end_transaction(t);
    return tx;
  });
  auto cost = in_store([id](Repository &r) { return SessionPricing::price(r, id, at("2026-06-09T00:00:00Z")); });
  ASSERT_TRUE(cost) << cost.error().message;
  EXPECT_EQ(cost->zone.name(), "Europe/Amsterdam");
  EXPECT_EQ(cost->tariff.id, "KWH");
  EXPECT_EQ(cost->priced.total_energy, dec("10"));
  EXPECT_EQ(cost->priced.total_parking_time, dec("0.5"));
  EXPECT_EQ(cost->priced.total_cost.excl_vat, dec("3.5"));
  EXPECT_EQ(cost->priced.total_cost.incl_vat, dec("4.2"));
}

TEST_F(SessionPricingTest, no_such_transaction_and_no_tariff_are_not_found) {
  auto missing = in_store([](Repository &r) { return SessionPricing::price(r, 999, at("2026-06-01T12:00:00Z")); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ServiceError::Code::NotFound);
  auto unpriced = in_store([](Repository &r) {
    auto tx = r.insert_transaction(session());
    return SessionPricing::price(r, tx, at("2026-06-01T12:00:00Z"));
  });
  ASSERT_FALSE(unpriced);
  EXPECT_EQ(unpriced.error().code, ServiceError::Code::NotFound);
}
