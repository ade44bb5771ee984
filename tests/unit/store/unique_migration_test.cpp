// Migrations per dialect, and migration 0009 (unique constraints) on a database that holds the
// duplicates a single writer could leave: it applies, keeps the oldest of each, loses nothing else.
#include <sqlite3.h>

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/store/sqlite_store.hpp"
#include "sqlite/migrations.hpp"

namespace gridlane::store {
namespace {

void exec(sqlite3 *db, const std::string &sql) {
  char *err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << " in " << sql;
}

TEST(StoreMigrations, the_sqlite_folder_holds_numbered_migrations_in_order) {
  const auto &all = sqlite::migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  EXPECT_EQ(all.front().name, "0001_initial");
  int previous = 0;
  bool unique = false;
  for (const auto &m : all) {
    EXPECT_GT(m.version, previous) << m.name;
    EXPECT_EQ(std::stoi(std::string(m.name.substr(0, 4))), m.version) << m.name;
    EXPECT_FALSE(m.sql.empty()) << m.name;
    unique = unique || m.name == "0009_unique";
    previous = m.version;
  }
  EXPECT_TRUE(unique);
}

TEST(StoreMigrations, unique_constraints_apply_to_a_database_with_duplicates) {
  auto path =
      (std::filesystem::temp_directory_path() / ("gridlane-migration9-" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db,
       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const auto &m : sqlite::migrations()) {
    if (m.version >= 9) break;
    exec(db, std::string(m.sql));
    exec(db, "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", 'm', 0)");
  }
  exec(db, "INSERT INTO stations (id, registration, created_at) VALUES ('CS1', 'Accepted', 0)");
  exec(db, "INSERT INTO transactions (id, station_id, station_tx_id, protocol, evse_id, connector_id, id_tag, state, "
           "meter_start_wh, started_at, start_received_at, auth_status) VALUES "
           "(9, 'CS1', 'X', 'ocpp2.0.1', 1, 1, 'T', 'Active', 0, 1000, 1000, 'Accepted')");
  const std::string ev = "INSERT INTO transaction_events (id, transaction_id, seq_no, event_type, trigger_reason, "
                         "timestamp, offline, charging_state, id_token, received_at) VALUES ";
  exec(db, ev + "(1, 9, 0, 'Started', 'Authorized', 1000, 0, 'Charging', 'T', 1000), "
                "(2, 9, 0, 'Started', 'Authorized', 1000, 0, 'Charging', 'T', 1500), " // a retry stored twice
                "(3, 9, 0, 'Started', 'Authorized', 1000, 0, 'Charging', 'T', 1600), " // and three times
                "(4, 9, 1, 'Updated', 'MeterValuePeriodic', 2000, 0, NULL, NULL, 2000), "
                "(5, 9, 1, 'Updated', 'MeterValuePeriodic', 2000, 0, NULL, NULL, 2100), " // NULLs alike
                "(6, 9, 1, 'Updated', 'MeterValuePeriodic', 2000, 0, '', NULL, 2200), "   // '' is not NULL
                "(7, 9, 1, 'Ended', 'StopAuthorized', 3000, 0, NULL, NULL, 3000)");       // seqNo reused
  exec(db, "INSERT INTO device_reports (station_id, request_id, parts, last_seq_no, complete, received_at) "
           "VALUES ('CS1', 5, 3, 2, 0, 1000)");
  sqlite3_close(db);

  SqliteStore store{{path}};
  EXPECT_GE(store.schema_version(), 9);
  std::vector<domain::TransactionEventRecord> events;
  std::int64_t previous = 0;
  bool again = true;
  store.run([&](domain::Repository &r) {
    events = r.transaction_events(9);
    previous = r.record_report_part(domain::StationId::unchecked("CS1"), domain::ReportPart{5, 3, false, std::nullopt},
                                    core::from_unix_ms(4000));
    domain::TransactionEventRecord retry{9,
                                         0,
                                         domain::TransactionEventType::Started,
                                         domain::TriggerReason::Authorized,
                                         core::from_unix_ms(1000),
                                         false,
                                         domain::ChargingState::Charging,
                                         "T",
                                         core::from_unix_ms(9000)};
    again = r.insert_transaction_event(retry);
  });
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(core::to_unix_ms(events[0].received_at), 1000); // the oldest of the three kept
  EXPECT_EQ(core::to_unix_ms(events[1].received_at), 2000);
  // '' is no charging state: it reads as none, but its row stays apart from the NULL one.
  EXPECT_EQ(events[2].charging_state, std::nullopt);
  EXPECT_EQ(core::to_unix_ms(events[2].received_at), 2200);
  EXPECT_EQ(events[3].event_type, domain::TransactionEventType::Ended);
  EXPECT_EQ(previous, 2); // a report in progress continues where it was
  EXPECT_FALSE(again);    // and the index now holds: the retry is not stored a fourth time
  store.stop();
  std::filesystem::remove(path);
}

// Branches land in any order: a migration numbered below the highest applied one (0008 merged
// after a database reached 0009) is applied all the same, and once.
TEST(StoreMigrations, a_missing_migration_below_the_highest_applied_is_applied) {
  auto path =
      (std::filesystem::temp_directory_path() / ("gridlane-migration-gap-" + std::to_string(::getpid()) + ".db"))
          .string();
  std::filesystem::remove(path);
  int version = 0;
  {
    SqliteStore store{{path}};
    version = store.schema_version();
  }
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db, "DROP TABLE station_compat; DELETE FROM schema_migrations WHERE version = 6"); // as if 0006 were new
  sqlite3_close(db);
  {
    SqliteStore store{{path}};
    EXPECT_EQ(store.schema_version(), version);
    auto cs1 = domain::StationId::unchecked("CS1");
    domain::StationCompat compat;
    store.run([&](domain::Repository &r) {
      domain::Station s;
      s.id = cs1;
      r.insert_station(s);
      r.set_station_compat(cs1, domain::StationCompat{true, false}, core::from_unix_ms(1));
      compat = r.station_compat(cs1);
    });
    EXPECT_TRUE(compat.timestamps_without_offset);
  }
  SqliteStore again{{path}}; // nothing left to apply: opening once more changes nothing
  EXPECT_EQ(again.schema_version(), version);
  again.stop();
  std::filesystem::remove(path);
}

} // namespace
} // namespace gridlane::store
