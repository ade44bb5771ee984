// Upgrading a database keeps what it holds: a file at schema 4 (one row per meter sample)
// opened by the current store has its samples moved into readings, none lost or changed.
#include <sqlite3.h>

#include <filesystem>
#include <gtest/gtest.h>

#include "gridlane/store/sqlite_store.hpp"
#include "sqlite/migrations.hpp"

namespace gridlane::store {
namespace {

void exec(sqlite3 *db, const std::string &sql) {
  char *err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << " in " << sql;
}

TEST(StoreMigration, meter_samples_become_readings_with_nothing_lost) {
  auto path =
      (std::filesystem::temp_directory_path() / ("gridlane-migration-" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db,
       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const auto &m : sqlite::migrations()) {
    if (m.version > 4) break;
    exec(db, std::string(m.sql));
    exec(db, "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'm', 0)");
  }
  exec(db, "INSERT INTO stations (id, registration, created_at) VALUES ('CS1', 'Accepted', 0)");
  exec(db, "INSERT INTO transactions (id, station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, state, "
           "meter_start_wh, started_at, "
           "start_received_at, auth_status) VALUES (7, 'CS1', '7', 'ocpp1.6', 1, 1, 'T', 'Active', 0, 1000, 1000, "
           "'Accepted')");
  exec(db, "INSERT INTO meter_samples (station_id, evse_id, connector_id, transaction_id, timestamp, value, numeric, "
           "measurand, unit, context, received_at) VALUES "
           "('CS1', 1, 1, 7, 2000, '2.5', 2.5, 'Energy.Active.Import.Register', 'kWh', 'Sample.Periodic', 2100), "
           "('CS1', 1, 1, 7, 2000, '7000', 7000, 'Power.Active.Import', 'W', NULL, 2100), "
           "('CS1', 1, 1, 7, 3000, 'x\"y', NULL, NULL, NULL, NULL, 3100)");
  sqlite3_close(db);

  SqliteStore store{{path}};
  EXPECT_GE(store.schema_version(), 5);
  std::vector<domain::MeterSample> samples;
  store.run([&](domain::Repository &r) { samples = r.meter_samples(7); });
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(core::to_unix_ms(samples[0].timestamp), 2000);
  EXPECT_EQ(samples[0].value, "2.5");
  EXPECT_EQ(samples[0].numeric, 2.5);
  EXPECT_EQ(samples[0].measurand, "Energy.Active.Import.Register");
  EXPECT_EQ(samples[0].unit, "kWh");
  EXPECT_EQ(samples[0].context, "Sample.Periodic");
  EXPECT_EQ(samples[1].value, "7000");
  EXPECT_FALSE(samples[1].context);
  EXPECT_EQ(core::to_unix_ms(samples[2].timestamp), 3000);
  EXPECT_EQ(samples[2].value, "x\"y");
  EXPECT_FALSE(samples[2].numeric);
  EXPECT_FALSE(samples[2].measurand);
  store.stop();
  std::filesystem::remove(path);
}

TEST(StoreMigration, a_reading_keeps_each_samples_own_time_and_fields) {
  auto path =
      (std::filesystem::temp_directory_path() / ("gridlane-readings-" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  SqliteStore store{{path}};
  domain::MeterReading reading;
  reading.station = domain::StationId::unchecked("CS1");
  reading.evse_id = 1;
  reading.connector_id = 1;
  reading.received_at = core::from_unix_ms(5000);
  std::int64_t tx = 0;
  auto sample = [](std::int64_t at, std::string value, std::optional<std::string> phase) {
    domain::MeterSample m;
    m.timestamp = core::from_unix_ms(at);
    m.value = std::move(value);
    m.phase = std::move(phase);
    m.signed_data = R"({"signedMeterData":"AB=="})";
    return m;
  };
  reading.samples = {sample(4000, "16.0", "L1"), sample(4500, "15.5", std::nullopt)};
  store.run([&](domain::Repository &r) {
    domain::Station s;
    s.id = reading.station;
    s.registration = domain::RegistrationStatus::Accepted;
    r.insert_station(s);
    domain::Transaction t;
    t.station = s.id;
    t.connector_id = 1;
    t.id_tag = reading.station.str(); // any tag will do (a literal here trips GCC 12's -Wrestrict)
    tx = r.insert_transaction(t);
    reading.transaction_id = tx;
    r.insert_meter_reading(reading);
  });
  std::vector<domain::MeterSample> samples;
  store.run([&](domain::Repository &r) { samples = r.meter_samples(tx); });
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(core::to_unix_ms(samples[0].timestamp), 4000);
  EXPECT_EQ(samples[0].phase, "L1");
  EXPECT_EQ(core::to_unix_ms(samples[1].timestamp), 4500);
  EXPECT_FALSE(samples[1].phase);
  EXPECT_EQ(samples[1].value, "15.5");
  EXPECT_EQ(samples[1].signed_data, R"({"signedMeterData":"AB=="})");
  store.stop();
  std::filesystem::remove(path);
}

} // namespace

// Migration 0007: a database written before the range checks holds NaN/Infinity in a reading
// (not JSON: every query over it failed), negative or overflowed energies and an infinite
// device-model limit. After the upgrade every record reads, nothing else is lost, and a
// seqNo may repeat in transaction_events.
TEST(StoreMigration, non_finite_numbers_stored_before_0007_are_cleaned_and_nothing_else_lost) {
  auto path =
      (std::filesystem::temp_directory_path() / ("gridlane-migration7-" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db,
       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const auto &m : sqlite::migrations()) {
    if (m.version >= 7) break;
    exec(db, std::string(m.sql));
    exec(db, "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'm', 0)");
  }
  exec(db, "INSERT INTO stations (id, registration, created_at) VALUES ('CS1', 'Accepted', 0)");
  const std::string tx =
      "INSERT INTO transactions (id, station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, state, "
      "meter_start_wh, energy_wh, started_at, start_received_at, auth_status) VALUES ";
  exec(db, tx + "(7, 'CS1', '7', 'ocpp1.6', 1, 1, 'T', 'Active', 1000, 500, 1000, 1000, 'Accepted'), "
                "(8, 'CS1', '8', 'ocpp1.6', 1, 1, 'T', 'Ended', 5000, -1000, 1000, 1000, 'Accepted'), "
                "(9, 'CS1', 'X', 'ocpp2.0.1', 1, 1, 'T', 'Ended', 0, 9223372036854774808, 1000, 1000, 'Accepted')");
  // Boost.JSON wrote a NaN sample as NaN and an infinite one as Infinity.
  exec(db, "INSERT INTO meter_readings (station_id, evse_id, connector_id, transaction_id, timestamp, received_at, "
           "samples) VALUES "
           "('CS1', 1, 1, 7, 2000, 2100, "
           "'[{\"v\":\"nan\",\"n\":NaN},{\"v\":\"1e400\",\"n\":Infinity,\"m\":\"Power.Active.Import\"},"
           "{\"v\":\"-inf\",\"n\":-Infinity},{\"v\":\"1500\",\"n\":1.5E3,\"u\":\"Wh\"}]')");
  exec(db, "INSERT INTO device_variables (station_id, component, variable, min_limit, max_limit, updated_at) "
           "VALUES ('CS1', 'EVSE', 'Power', 0, 9e999, 0)");
  exec(db,
       "INSERT INTO transaction_events (transaction_id, seq_no, event_type, trigger_reason, timestamp, received_at) "
       "VALUES (9, 0, 'Started', 'Authorized', 1000, 1000)");
  sqlite3_close(db);

  SqliteStore store{{path}};
  EXPECT_GE(store.schema_version(), 7);
  std::vector<domain::MeterSample> samples;
  std::vector<domain::Transaction> txs;
  std::vector<domain::DeviceVariable> vars;
  std::vector<domain::Anomaly> anomalies;
  std::vector<domain::TransactionEventRecord> events;
  store.run([&](domain::Repository &r) {
    samples = r.meter_samples(7);
    domain::TransactionFilter all;
    txs = r.transactions(all);
    vars = r.device_variables(domain::StationId::unchecked("CS1"));
    anomalies = r.anomalies(domain::StationId::unchecked("CS1"));
    domain::TransactionEventRecord again{9,
                                         0,
                                         domain::TransactionEventType::Ended,
                                         domain::TriggerReason::StopAuthorized,
                                         core::from_unix_ms(2000),
                                         false,
                                         {},
                                         {},
                                         core::from_unix_ms(2000)};
    r.insert_transaction_event(again); // a seqNo used twice is now allowed
    events = r.transaction_events(9);
  });
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].value, "nan");
  EXPECT_FALSE(samples[0].numeric);
  EXPECT_EQ(samples[1].value, "1e400");
  EXPECT_FALSE(samples[1].numeric);
  EXPECT_EQ(samples[1].measurand, "Power.Active.Import");
  EXPECT_FALSE(samples[2].numeric);
  EXPECT_EQ(samples[3].numeric, 1500.0);
  EXPECT_EQ(samples[3].unit, "Wh");
  ASSERT_EQ(txs.size(), 3u);
  EXPECT_EQ(txs[0].energy_wh, 500); // sane values untouched
  EXPECT_EQ(txs[1].energy_wh, 0);
  EXPECT_EQ(txs[2].energy_wh, 0);
  ASSERT_EQ(anomalies.size(), 2u); // the old values kept
  EXPECT_NE(anomalies[0].detail.find("-1000"), std::string::npos);
  EXPECT_NE(anomalies[1].detail.find("9223372036854774808"), std::string::npos);
  ASSERT_EQ(vars.size(), 1u);
  EXPECT_EQ(vars[0].min_limit, 0.0);
  EXPECT_FALSE(vars[0].max_limit);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].event_type, domain::TransactionEventType::Ended);
  store.stop();
  std::filesystem::remove(path);
}

} // namespace gridlane::store
