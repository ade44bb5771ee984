// A command's row: kind and params through the one command codec, read back as the same typed
// Command; a row an earlier release wrote that today's codec refuses still reads, with its kind
// and the reason in `error`.
#include <filesystem>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "gridlane/domain/command_codec.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

class CommandRows : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-cmdrows-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([](Repository &r) {
      Station s;
      s.id = StationId::unchecked("CS-ROWS");
      r.insert_station(s);
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::int64_t insert(const Command &c) {
    std::int64_t id = 0;
    store->run([&](Repository &r) {
      CommandRecord rec;
      rec.station = StationId::unchecked("CS-ROWS");
      rec.command = c;
      rec.created_by = "test";
      id = r.insert_command(rec);
    });
    return id;
  }
  std::optional<CommandRecord> read(std::int64_t id) {
    std::optional<CommandRecord> out;
    store->run([&](Repository &r) { out = r.command(id); });
    return out;
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

} // namespace

TEST_F(CommandRows, a_typed_command_reads_back_as_stored) {
  commands::SetChargingProfile set;
  set.connector_id = 1;
  set.profile.id = 3;
  set.profile.purpose = ChargingProfilePurpose::StationMax;
  set.profile.kind = ChargingProfileKind::Recurring;
  set.profile.recurrency = RecurrencyKind::Weekly;
  set.profile.valid_from = core::parse_iso8601("2026-12-01T00:00:00Z");
  set.profile.schedules.push_back(ChargingSchedule{1,
                                                   std::nullopt,
                                                   3600,
                                                   ChargingRateUnit::W,
                                                   RateMilli{1380500},
                                                   {{0, RateMilli{7400250}, 1, 2, std::nullopt, std::nullopt}}});
  auto id = insert(set);
  auto back = read(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->command, Command{set});
  EXPECT_FALSE(back->error);
  auto stop = insert(commands::RemoteStop{42, "TX-42"});
  EXPECT_EQ(read(stop)->command, Command{(commands::RemoteStop{42, "TX-42"})});
}

TEST_F(CommandRows, a_row_todays_codec_refuses_keeps_its_kind_and_says_why) {
  auto id = insert(commands::Reset{});
  store.reset(); // the row as an earlier release might have written it
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "t.db").string().c_str(), &db), SQLITE_OK);
  auto sql =
      "UPDATE commands SET kind = 'set_charging_profile', params = '{\"connector_id\":1,\"profile\":{\"x\":1}}', "
      "status = 'failed', error = 'schema' WHERE id = " +
      std::to_string(id);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  auto back = read(id);
  ASSERT_TRUE(back);
  EXPECT_EQ(kind_of(back->command), "set_charging_profile");
  EXPECT_EQ(back->status, CommandStatus::Failed);
  ASSERT_TRUE(back->error);
  EXPECT_NE(back->error->find("schema; stored parameters unreadable: 'profile.id'"), std::string::npos) << *back->error;
}
