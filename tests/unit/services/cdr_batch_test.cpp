// The billing run's batch path (BatchPricing inside CdrService::generate_batch) gives the very
// CDRs the single path (CdrService::issue over SessionPricing::price) gives: the same sessions
// (2.x with charging states, 1.6 with connector statuses, two tariffs, two zones, signed and
// unsigned readings, one without a tariff) stored twice, CDRs made one way in each store, and
// their OCPI JSON compared byte for byte.
#include <array>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <sqlite3.h>
#include <vector>

#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/cdr_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

Timestamp at(const char *text) {
  return *core::parse_iso8601(text);
}

core::Decimal dec(const char *text) {
  return *core::Decimal::parse(text);
}

class FixedClock final : public core::Clock {
public:
  Timestamp now() const override { return at("2026-07-01T00:00:00Z"); }
};

Tariff tariff(std::string id, const char *per_kwh) {
  Tariff t;
  t.country_code = "NL";
  t.party_id = "GRL";
  t.id = std::move(id);
  t.currency = core::Currency::eur();
  TariffRestrictions day;
  day.start_time = ClockTime{7, 0};
  day.end_time = ClockTime{23, 0};
  TariffRestrictions after_hour;
  after_hour.min_duration = 3600;
  t.elements = {
      TariffElement{{PriceComponent{TariffDimension::Flat, dec("0.5"), dec("21"), 1}}, std::nullopt},
      TariffElement{{PriceComponent{TariffDimension::Energy, dec(per_kwh), dec("21"), 1}}, day},
      TariffElement{{PriceComponent{TariffDimension::Energy, dec("0.2"), dec("21"), 1}}, std::nullopt},
      TariffElement{{PriceComponent{TariffDimension::ParkingTime, dec("3"), dec("21"), 300}}, after_hour},
  };
  t.last_updated = at("2026-05-01T00:00:00Z");
  return t;
}

MeterSample reg(Timestamp when, std::int64_t wh, bool signed_value = false) {
  MeterSample s;
  s.timestamp = when;
  s.value = std::to_string(wh);
  s.numeric = static_cast<double>(wh);
  s.measurand = "Energy.Active.Import.Register";
  s.unit = "Wh";
  if (signed_value) // OCPP 2.x SignedMeterValueType as the station sent it
    s.signed_data = R"({"signedMeterData":"c2lnbmVk)" + std::to_string(wh) +
                    R"(","signingMethod":"ECDSA-secp256r1-SHA256","encodingMethod":"OCMF","publicKey":"cHVibGlj"})";
  return s;
}

//! Stores the same sessions in any store: n of them, alternately 2.x (charging states in its
//! events) and 1.6 (connector statuses), on a station with a location in Europe/Berlin or one
//! without (UTC), under one of two tariffs; session 5 has no tariff.
void fill(Repository &r, int n) {
  Location l;
  l.id = LocationId::unchecked("BER-1");
  l.name = "Berlin Mitte";
  l.address = "Unter den Linden 1";
  l.city = "Berlin";
  l.country = "DEU";
  l.time_zone = "Europe/Berlin";
  l.created_at = l.updated_at = at("2026-01-01T00:00:00Z");
  r.insert_location(l);
  for (const char *id : {"CS-A", "CS-B"}) {
    Station s;
    s.id = StationId::unchecked(id);
    s.registration = RegistrationStatus::Accepted;
    s.created_at = at("2026-01-01T00:00:00Z");
    r.insert_station(s);
  }
  r.set_station_location(StationId::unchecked("CS-A"), l.id);
  const auto tariffs = std::array{encode_tariff(tariff("DAY", "0.35")), encode_tariff(tariff("CHEAP", "0.3"))};
  for (int i = 0; i < n; ++i) {
    const bool v16 = i % 2 == 1;
    Transaction t;
    t.station = StationId::unchecked(i % 3 == 0 ? "CS-B" : "CS-A");
    t.protocol = v16 ? ProtocolVersion::Ocpp16 : ProtocolVersion::Ocpp201;
    t.evse_id = t.connector_id = 1 + i % 2;
    t.id_tag = "TAG-" + std::to_string(i % 4);
    t.meter_start_wh = std::int64_t{1000} * i;
    t.started_at = t.start_received_at = at("2026-06-01T05:00:00Z") + std::chrono::minutes(97 * i);
    t.station_tx_id = std::to_string(100 + i);
    if (i % 4 == 2) t.remote_start_id = i;
    t.id = r.insert_transaction(t);
    if (i != 5)
      r.put_tariff_snapshot(TariffSnapshot{t.id, i % 3 == 1 ? "CHEAP" : "DAY", std::nullopt, std::nullopt,
                                           tariffs[i % 3 == 1 ? 1 : 0], t.started_at});
    const auto charged = t.started_at + std::chrono::minutes(40 + 13 * i);
    const auto end = charged + std::chrono::minutes(i % 2 == 0 ? 70 : 5);
    const std::int64_t wh = 3000 + 1700 * i;
    MeterReading m;
    m.station = t.station;
    m.evse_id = t.evse_id;
    m.connector_id = t.connector_id;
    m.transaction_id = t.id;
    m.received_at = end;
    m.samples = {reg(t.started_at, t.meter_start_wh, i % 4 == 0)};
    r.insert_meter_reading(m);
    m.samples = {reg(charged, t.meter_start_wh + wh), reg(end, t.meter_start_wh + wh, i % 4 == 0)};
    r.insert_meter_reading(m);
    if (v16) {
      StatusReport st;
      st.station = t.station;
      st.evse_id = st.connector_id = t.connector_id;
      st.status = ConnectorStatus::Charging;
      st.station_time = t.started_at + std::chrono::seconds(5);
      st.received_at = *st.station_time;
      r.record_status(st);
      st.status = ConnectorStatus::SuspendedEV;
      st.station_time = st.received_at = charged;
      r.record_status(st);
    } else {
      auto event = [&](int seq, TransactionEventType type, Timestamp when, std::optional<ChargingState> cs) {
        r.insert_transaction_event(
            TransactionEventRecord{t.id, seq, type, TriggerReason::ChargingStateChanged, when, false, cs, {}, when});
      };
      event(0, TransactionEventType::Started, t.started_at, ChargingState::Charging);
      event(1, TransactionEventType::Updated, charged, ChargingState::SuspendedEV);
      event(2, TransactionEventType::Ended, end, std::nullopt);
    }
    t.state = TransactionState::Ended;
    t.meter_stop_wh = t.meter_start_wh + wh;
    t.energy_wh = wh;
    t.stopped_at = t.stop_received_at = end;
    t.stop_reason = i % 2 ? StopReason::Local : StopReason::EVDisconnected;
    r.end_transaction(t);
  }
}

struct Db {
  explicit Db(const std::filesystem::path &file) : store(store::SqliteOptions{file.string(), "normal", 64}) {}
  store::SqliteStore store;
};

} // namespace

TEST(CdrBatch, the_billing_run_makes_the_cdrs_the_single_path_makes_byte_for_byte) {
  const auto dir = std::filesystem::temp_directory_path() / ("gridlane-cdrbatch-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  constexpr int sessions = 24;
  FixedClock clock;
  services::CdrService service{clock};
  std::map<std::int64_t, std::string> single, batch, single_stored, batch_stored;
  {
    Db a{dir / "single.db"}, b{dir / "batch.db"};
    a.store.run([](Repository &r) { fill(r, sessions); });
    b.store.run([](Repository &r) { fill(r, sessions); });
    a.store.run([&](Repository &r) {
      for (std::int64_t id = 1; id <= sessions; ++id) {
        auto issued = service.issue(r, id);
        if (id == 6) { // session 5 (id 6) has no tariff
          ASSERT_FALSE(issued);
          EXPECT_EQ(issued.error().code, ServiceError::Code::NotFound);
          continue;
        }
        ASSERT_TRUE(issued) << id << ": " << issued.error().message;
        single[id] = encode_cdr(issued->cdr);
        single_stored[id] = encode_cdr(*r.cdr_of_transaction(id));
      }
    });
    std::size_t created = 0, untariffed = 0, batches = 0;
    std::int64_t after = 0;
    for (bool done = false; !done; ++batches) {
      b.store.run([&](Repository &r) {
        auto run = service.generate_batch(r, after, 7); // batches that split the mix
        created += run.created;
        untariffed += run.untariffed;
        EXPECT_EQ(run.failed, 0u);
        for (const auto &c : run.cdrs)
          batch[*c.transaction_id] = encode_cdr(c);
        after = run.last_transaction_id;
        done = run.done;
      });
    }
    EXPECT_EQ(created, sessions - 1u);
    EXPECT_EQ(untariffed, 1u);
    EXPECT_EQ(batches, 4u);
    b.store.run([&](Repository &r) {
      for (const auto &[id, body] : batch)
        batch_stored[id] = encode_cdr(*r.cdr_of_transaction(id));
    });
  }
  std::filesystem::remove_all(dir);
  ASSERT_EQ(single.size(), sessions - 1u);
  EXPECT_EQ(batch, single);
  EXPECT_EQ(batch_stored, single_stored);
  EXPECT_EQ(batch_stored, batch);
  // The mix is really one: 1.6 and 2.x sessions parked, both tariffs, both zones, signed data.
  int parked = 0, cheap = 0, utc_night = 0, signed_ = 0;
  for (const auto &[id, body] : single) {
    parked += body.find("\"PARKING_TIME\"") != std::string::npos;
    cheap += body.find("\"CHEAP\"") != std::string::npos;
    signed_ += body.find("\"signed_data\"") != std::string::npos;
    utc_night += body.find("\"BER-1\"") == std::string::npos;
  }
  EXPECT_GT(parked, 3);
  EXPECT_GT(cheap, 3);
  EXPECT_GT(signed_, 2);
  EXPECT_GT(utc_night, 3);
}

// The whole billing run (CdrService::run_billing: batch N priced while N + 1 is read, each batch
// in a unit of work of its own) stores the CDRs the single path stores, byte for byte, with each
// distinct tariffs array once; stopped after a batch, a second run finishes the rest.
TEST(CdrBatch, the_overlapped_billing_run_stores_the_cdrs_the_single_path_stores) {
  const auto dir = std::filesystem::temp_directory_path() / ("gridlane-cdrrun-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  constexpr int sessions = 24;
  FixedClock clock;
  services::CdrService service{clock};
  std::map<std::int64_t, std::string> single, run;
  std::vector<std::size_t> seen;
  services::BillingRunReport first, second;
  {
    Db a{dir / "single.db"}, b{dir / "run.db"};
    a.store.run([](Repository &r) { fill(r, sessions); });
    b.store.run([](Repository &r) { fill(r, sessions); });
    a.store.run([&](Repository &r) {
      for (std::int64_t id = 1; id <= sessions; ++id)
        if (auto issued = service.issue(r, id)) single[id] = encode_cdr(*r.cdr_of_transaction(id));
    });
    const services::UnitRunner unit = [&b](const auto &work) { b.store.run(work); };
    first = service.run_billing(unit, 5, [&](const services::BillingBatch &batch) {
      seen.push_back(batch.created);
      return seen.size() < 2; // stop after the second batch
    });
    second = service.run_billing(unit, 5);
    b.store.run([&](Repository &r) {
      for (std::int64_t id = 1; id <= sessions; ++id)
        if (auto c = r.cdr_of_transaction(id)) run[id] = encode_cdr(*c);
    });
  }
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "run.db").string().c_str(), &db), SQLITE_OK);
  sqlite3_stmt *s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM cdr_tariffs", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(s, 0), 2) << "two tariffs, each array stored once";
  sqlite3_finalize(s);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);

  EXPECT_EQ(seen, (std::vector<std::size_t>{5, 4})); // session 5 (id 6) has no tariff
  EXPECT_EQ(first.batches, 2u);
  EXPECT_EQ(first.created, 9u);
  EXPECT_EQ(first.untariffed, 1u);
  EXPECT_EQ(second.created, sessions - 10u);
  EXPECT_EQ(second.failed, 0u);
  ASSERT_EQ(single.size(), sessions - 1u);
  EXPECT_EQ(run, single);
}
