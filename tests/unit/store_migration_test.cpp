// Upgrading a database keeps what it holds: a file at schema 4 (one row per meter sample)
// opened by the current store has its samples moved into readings, none lost or changed.
#include <sqlite3.h>

#include <filesystem>
#include <gtest/gtest.h>

#include "gridlane/store/sqlite_store.hpp"
#include "sqlite/migrations.hpp"

namespace gridlane::store {
namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << " in " << sql;
}

TEST(StoreMigration, meter_samples_become_readings_with_nothing_lost) {
  auto path = (std::filesystem::temp_directory_path() / ("gridlane-migration-" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const auto& m : sqlite::migrations()) {
    if (m.version > 4) break;
    exec(db, std::string(m.sql));
    exec(db, "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'm', 0)");
  }
  exec(db, "INSERT INTO stations (id, registration, created_at) VALUES ('CS1', 'Accepted', 0)");
  exec(db, "INSERT INTO transactions (id, station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, state, meter_start_wh, started_at, "
           "start_received_at, auth_status) VALUES (7, 'CS1', '7', 'ocpp1.6', 1, 1, 'T', 'Active', 0, 1000, 1000, 'Accepted')");
  exec(db, "INSERT INTO meter_samples (station_id, evse_id, connector_id, transaction_id, timestamp, value, numeric, "
           "measurand, unit, context, received_at) VALUES "
           "('CS1', 1, 1, 7, 2000, '2.5', 2.5, 'Energy.Active.Import.Register', 'kWh', 'Sample.Periodic', 2100), "
           "('CS1', 1, 1, 7, 2000, '7000', 7000, 'Power.Active.Import', 'W', NULL, 2100), "
           "('CS1', 1, 1, 7, 3000, 'x\"y', NULL, NULL, NULL, NULL, 3100)");
  sqlite3_close(db);

  SqliteStore store{{path}};
  EXPECT_GE(store.schema_version(), 5);
  std::vector<domain::MeterSample> samples;
  store.run([&](domain::Repository& r) { samples = r.meter_samples(7); });
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
  auto path = (std::filesystem::temp_directory_path() / ("gridlane-readings-" + std::to_string(::getpid()) + ".db")).string();
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
  store.run([&](domain::Repository& r) {
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
  store.run([&](domain::Repository& r) { samples = r.meter_samples(tx); });
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
} // namespace gridlane::store
