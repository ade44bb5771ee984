// Which transaction a remote start is linked to: 2.x by remoteStartId only, 1.6 by tag (and the
// connector the command named) within the window after the station's Accepted. Over a real
// SQLite file, a fake clock, a fake gateway (the test answers for the station) and a fake bus.
#include <filesystem>
#include <future>
#include <gtest/gtest.h>

#include "gridlane/domain/command_codec.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using namespace std::chrono_literals;

namespace {

using test::FakeClock;

struct FakeGateway : test::GatewayBase {
  ProtocolVersion version = ProtocolVersion::Ocpp16;
  std::function<void(GatewayOutcome)> pending; // the station's answer, given by the test
  void execute(const CommandRecord &, std::function<void(GatewayOutcome)> done) override { pending = std::move(done); }
  std::optional<ProtocolVersion> protocol(const StationId &) const override { return version; }
};

using test::FakeBus;

class CommandMatching : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-cmd-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    commands = std::make_unique<CommandService>(
        *store, clock, gateway, bus, [](std::chrono::milliseconds, std::function<void()>) {}, 30s);
  }
  void TearDown() override {
    commands.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void flush() {
    store->run([](Repository &) {});
  } // every unit queued before, and its completion, done

  std::int64_t remote_start(const std::string &params) {
    std::promise<std::int64_t> id;
    commands->submit(Principal{"test", Role::Admin}, station, decode_command("start_transaction", params).value(),
                     [&id](Outcome<CommandRecord> o) { id.set_value(o.ok() ? o.value().id : 0); });
    auto out = id.get_future().get();
    flush();
    return out;
  }
  void answer(CommandStatus status) {
    GatewayOutcome o;
    o.status = status;
    o.action = "RemoteStartTransaction";
    gateway.pending(o);
    flush();
  }
  void started(std::int64_t tx, const std::string &tag, int connector,
               std::optional<std::int64_t> remote_start_id = {}) {
    Transaction t;
    t.id = tx;
    t.station = station;
    t.id_tag = tag;
    t.evse_id = connector;
    t.connector_id = connector;
    t.remote_start_id = remote_start_id;
    bus.publish(TransactionStarted{station, clock.now(), t});
    flush();
  }
  std::optional<std::int64_t> linked(std::int64_t command) {
    std::optional<std::int64_t> tx;
    store->run([&](Repository &r) { tx = r.command(command)->transaction_id; });
    return tx;
  }

  std::filesystem::path dir;
  FakeClock clock;
  FakeGateway gateway;
  FakeBus bus;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<CommandService> commands;
  StationId station = StationId::unchecked("CS-1");
};

} // namespace

TEST_F(CommandMatching, v16_a_start_within_the_window_after_accepted_is_linked) {
  auto id = remote_start(R"({"id_tag":"T1","connector_id":1})");
  answer(CommandStatus::Accepted);
  clock.t += 30s;
  started(7, "T1", 1);
  EXPECT_EQ(linked(id), 7);
}

TEST_F(CommandMatching, v16_a_start_after_the_window_is_a_local_one) {
  auto id = remote_start(R"({"id_tag":"T1","connector_id":1})");
  answer(CommandStatus::Accepted);
  clock.t += 34s;
  started(7, "T1", 1);
  EXPECT_EQ(linked(id), std::nullopt);
}

TEST_F(CommandMatching, v16_a_start_before_the_answer_is_linked_whenever_it_comes) {
  auto id = remote_start(R"({"id_tag":"T1"})");
  clock.t += 20s;
  started(7, "T1", 2); // no connector named: any
  answer(CommandStatus::Accepted);
  EXPECT_EQ(linked(id), 7);
}

TEST_F(CommandMatching, v16_other_tag_other_connector_or_a_refused_command_are_not_linked) {
  auto id = remote_start(R"({"id_tag":"T1","connector_id":1})");
  answer(CommandStatus::Accepted);
  started(7, "T2", 1);
  started(8, "T1", 2);
  EXPECT_EQ(linked(id), std::nullopt);
  auto refused = remote_start(R"({"id_tag":"T3"})");
  answer(CommandStatus::Rejected);
  started(9, "T3", 1);
  EXPECT_EQ(linked(refused), std::nullopt);
}

TEST_F(CommandMatching, v16_the_newest_matching_remote_start_gets_the_transaction) {
  auto ignored = remote_start(R"({"id_tag":"T1"})");
  answer(CommandStatus::Accepted);
  auto later = remote_start(R"({"id_tag":"T1"})");
  answer(CommandStatus::Accepted);
  started(7, "T1", 1);
  EXPECT_EQ(linked(later), 7);
  EXPECT_EQ(linked(ignored), std::nullopt);
}

TEST_F(CommandMatching, v2_only_the_remote_start_id_links) {
  gateway.version = ProtocolVersion::Ocpp201;
  auto id = remote_start(R"({"id_tag":"T1","evse_id":1})");
  answer(CommandStatus::Accepted);
  started(7, "T1", 1);           // same token and EVSE, no remoteStartId
  started(8, "T1", 1, id + 100); // another command's
  EXPECT_EQ(linked(id), std::nullopt);
  clock.t += 10min; // 2.x waits longer: the event names the command
  started(9, "T1", 1, id);
  EXPECT_EQ(linked(id), 9);
}
