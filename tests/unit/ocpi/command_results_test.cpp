// ocpi::ResultRelay: the final record of a command sent for a partner becomes exactly one POST
// in the outbox (to the absolute response_url, with the party behind a hub as OCPI-to), written
// from that record; other commands' outcomes are ignored. Over a real SQLite file and bus.
#include <filesystem>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "gridlane/bus/local_bus.hpp"
#include "gridlane/ocpi/commands.hpp"
#include "gridlane/ocpi/commands_codec.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace std::chrono_literals;

namespace {

class OcpiResultRelayTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-relay-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    relay = std::make_unique<ocpi::ResultRelay>(
        *store, clock, bus,
        [this](Repository &, OutboxItem item) {
          std::lock_guard lock{mutex};
          items.push_back(std::move(item));
        },
        [this] { ++wakes; });
  }
  void TearDown() override {
    relay.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::vector<OutboxItem> wait_items(std::size_t n) {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard lock{mutex};
        if (items.size() >= n) return items;
      }
      std::this_thread::sleep_for(10ms);
    }
    std::lock_guard lock{mutex};
    return items;
  }
  static CommandRecord record(std::int64_t id, CommandStatus status, std::optional<std::string> response) {
    CommandRecord r;
    r.id = id;
    r.station = StationId::unchecked("CP-1");
    r.status = status;
    r.response = std::move(response);
    return r;
  }

  std::filesystem::path dir;
  test::FakeClock clock;
  bus::LocalBus bus;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<ocpi::ResultRelay> relay;
  std::mutex mutex;
  std::vector<OutboxItem> items;
  std::atomic<int> wakes{0};
};

TEST_F(OcpiResultRelayTest, posts_one_result_per_expected_command_to_its_response_url) {
  ocpi::ResultRelay::Destination to{7, OcpiModule::Commands, "https://emsp.example.com/cmd/RESERVE_NOW/9",
                                    PartyId{"NL", "EMS"}};
  relay->expect(41, to, [](const CommandRecord &done) {
    return ocpi::command_result(ocpi::command_result_type(ocpi::CommandType::ReserveNow, done.status, done.response),
                                "");
  });
  EXPECT_EQ(relay->pending(), 1u);
  bus.publish(CommandFinished{StationId::unchecked("CP-1"), clock.now(), record(40, CommandStatus::Accepted, {})});
  bus.publish(CommandFinished{StationId::unchecked("CP-1"), clock.now(),
                              record(41, CommandStatus::Rejected, R"({"status":"Occupied"})")});
  bus.publish(CommandFinished{StationId::unchecked("CP-1"), clock.now(), record(41, CommandStatus::Accepted, {})});
  auto got = wait_items(1);
  std::this_thread::sleep_for(50ms); // a second one would be late
  got = wait_items(2);
  ASSERT_EQ(got.size(), 1u) << "one result, for the expected command only, once";
  const auto &item = got[0];
  EXPECT_EQ(item.partner_id, 7);
  EXPECT_EQ(item.module, OcpiModule::Commands);
  EXPECT_EQ(item.method, PushMethod::Post);
  EXPECT_EQ(item.path, "https://emsp.example.com/cmd/RESERVE_NOW/9");
  EXPECT_EQ(item.to, (PartyId{"NL", "EMS"}));
  EXPECT_EQ(item.body, R"({"result":"EVSE_OCCUPIED"})");
  EXPECT_TRUE(item.object_key.starts_with("command:"));
  EXPECT_EQ(item.object_key.size(), std::string("command:").size() + 36) << item.object_key;
  EXPECT_EQ(relay->pending(), 0u);
  for (int i = 0; i < 100 && wakes == 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(wakes, 1) << "the outbox is woken once the result is stored";
}

TEST_F(OcpiResultRelayTest, each_result_has_its_own_key_so_one_slow_result_holds_no_other) {
  for (std::int64_t id : {1, 2})
    relay->expect(id, {3, OcpiModule::ChargingProfiles, "https://scsp.example.com/r/" + std::to_string(id), {}},
                  [](const CommandRecord &done) {
                    return ocpi::profile_result(ocpi::profile_result_type(done.status, done.response));
                  });
  bus.publish(CommandFinished{StationId::unchecked("CP-1"), clock.now(), record(2, CommandStatus::TimedOut, {})});
  bus.publish(CommandFinished{StationId::unchecked("CP-1"), clock.now(), record(1, CommandStatus::Accepted, {})});
  auto got = wait_items(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[0].object_key, got[1].object_key);
  EXPECT_EQ(got[0].body, R"({"result":"REJECTED"})");
  EXPECT_EQ(got[1].body, R"({"result":"ACCEPTED"})");
  EXPECT_FALSE(got[0].to);
}

} // namespace
