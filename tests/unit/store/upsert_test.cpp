// Idempotency held by the store's unique constraints and upserts: the same start, event,
// station or report part stored twice (a retry, or two writers racing) is one row, and both
// callers get the same answer. Nothing in the store outlives a rolled-back unit.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>
#include <unistd.h>

#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

class StoreUpsert : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-upsert-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = open();
    store->run([](Repository &r) { r.insert_station(station("CS1")); });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::unique_ptr<store::SqliteStore> open() {
    return std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  static Station station(const std::string &id) {
    Station s;
    s.id = StationId::unchecked(id);
    s.registration = RegistrationStatus::Accepted;
    s.created_at = core::from_unix_ms(1000);
    return s;
  }
  static Transaction start_16() {
    Transaction t;
    t.station = StationId::unchecked("CS1");
    t.protocol = ProtocolVersion::Ocpp16;
    t.evse_id = t.connector_id = 1;
    t.id_tag = "CARD-1";
    t.meter_start_wh = 1200;
    t.started_at = core::from_unix_ms(5000);
    t.start_received_at = core::from_unix_ms(5100);
    t.start_authorization.status = TokenStatus::Accepted;
    return t;
  }
  static TransactionEventRecord event(std::int64_t tx, std::int64_t seq_no, const std::string &type,
                                      std::optional<std::string> charging_state) {
    TransactionEventRecord e;
    e.transaction_id = tx;
    e.seq_no = seq_no;
    e.event_type = *parse_transaction_event_type(type);
    e.trigger_reason = TriggerReason::Authorized;
    e.timestamp = core::from_unix_ms(6000);
    e.charging_state = charging_state ? parse_charging_state(*charging_state) : std::nullopt;
    e.received_at = core::from_unix_ms(6100);
    return e;
  }
  std::size_t count_transactions() {
    std::size_t n = 0;
    store->run([&](Repository &r) { n = r.transactions(TransactionFilter{}).size(); });
    return n;
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(StoreUpsert, the_same_16_start_twice_is_one_transaction_with_one_id) {
  StartedTransaction first, second;
  store->run([&](Repository &r) { first = r.start_transaction(start_16()); });
  auto again = start_16();
  again.start_received_at = core::from_unix_ms(9000); // the retry arrives later; the start is the same
  again.start_authorization.status = TokenStatus::Blocked;
  store->run([&](Repository &r) { second = r.start_transaction(again); });
  EXPECT_TRUE(first.inserted);
  EXPECT_FALSE(second.inserted);
  EXPECT_EQ(first.id, second.id);
  EXPECT_EQ(count_transactions(), 1u);
  std::optional<Transaction> stored;
  store->run([&](Repository &r) { stored = r.transaction(first.id); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->station_tx_id, std::to_string(first.id));           // a 1.6 station knows it by our id
  EXPECT_EQ(stored->start_authorization.status, TokenStatus::Accepted); // the first verdict stays

  auto other = start_16();
  other.meter_start_wh = 1300; // a different start on the same connector is a new transaction
  StartedTransaction third;
  store->run([&](Repository &r) { third = r.start_transaction(other); });
  EXPECT_TRUE(third.inserted);
  EXPECT_NE(third.id, first.id);
}

TEST_F(StoreUpsert, a_2x_start_is_known_by_station_and_transaction_id) {
  auto t = start_16();
  t.protocol = ProtocolVersion::Ocpp201;
  t.station_tx_id = "TX-77";
  StartedTransaction a, b;
  store->run([&](Repository &r) { a = r.start_transaction(t); });
  t.meter_start_wh = 9999; // a later event of the same transaction carries other values
  store->run([&](Repository &r) { b = r.start_transaction(t); });
  EXPECT_TRUE(a.inserted);
  EXPECT_FALSE(b.inserted);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(count_transactions(), 1u);
}

// Two stores on one file are two writers (two connections). Each stores the same start without
// looking first; the unique index and the upsert make it one row and one answer.
TEST_F(StoreUpsert, two_writers_racing_store_one_start_and_get_the_same_id) {
  auto second_store = open();
  for (int round = 0; round < 20; ++round) {
    auto t = start_16();
    t.started_at = core::from_unix_ms(10000 + round);
    std::promise<void> go;
    auto ready = go.get_future().share();
    auto race = [&](store::SqliteStore &s) {
      return std::async(std::launch::async, [&s, t, ready] {
        ready.wait();
        StartedTransaction out;
        s.run([&](Repository &r) { out = r.start_transaction(t); });
        return out;
      });
    };
    auto x = race(*store);
    auto y = race(*second_store);
    go.set_value();
    auto rx = x.get();
    auto ry = y.get();
    EXPECT_EQ(rx.id, ry.id) << "round " << round;
    EXPECT_NE(rx.inserted, ry.inserted) << "round " << round; // exactly one stored it
  }
  second_store->stop();
  EXPECT_EQ(count_transactions(), 20u);
}

TEST_F(StoreUpsert, an_identical_event_is_stored_once_a_different_one_under_the_same_seq_no_is_kept) {
  std::int64_t tx = 0;
  store->run([&](Repository &r) { tx = r.start_transaction(start_16()).id; });
  std::vector<bool> stored;
  std::vector<TransactionEventRecord> events;
  store->run([&](Repository &r) {
    stored.push_back(r.insert_transaction_event(event(tx, 1, "Updated", "Charging")));
    auto retry = event(tx, 1, "Updated", "Charging");
    retry.received_at = core::from_unix_ms(7000); // received again later: still the same event
    stored.push_back(r.insert_transaction_event(retry));
    stored.push_back(r.insert_transaction_event(event(tx, 1, "Ended", "Charging")));     // seqNo reused
    stored.push_back(r.insert_transaction_event(event(tx, 2, "Updated", std::nullopt))); // no state
    stored.push_back(r.insert_transaction_event(event(tx, 2, "Updated", std::nullopt)));
    stored.push_back(r.insert_transaction_event(event(tx, 2, "Updated", "Idle"))); // a state is not its absence
    events = r.transaction_events(tx);
  });
  EXPECT_EQ(stored, (std::vector<bool>{true, false, true, true, false, true}));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(core::to_unix_ms(events[0].received_at), 6100); // the first one received is the one kept
}

TEST_F(StoreUpsert, an_unknown_station_connecting_twice_is_stored_once) {
  bool first = false, second = true;
  auto s = station("CS2");
  store->run([&](Repository &r) { first = r.insert_station_if_absent(s); });
  s.registration = RegistrationStatus::Pending;
  store->run([&](Repository &r) { second = r.insert_station_if_absent(s); });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  std::optional<Station> stored;
  store->run([&](Repository &r) { stored = r.station(StationId::unchecked("CS2")); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->registration, RegistrationStatus::Accepted);
  // An operator creating a station that exists is still an error.
  EXPECT_ANY_THROW(store->run([&](Repository &r) { r.insert_station(station("CS2")); }));
}

TEST_F(StoreUpsert, a_report_part_answers_the_seq_no_before_it_in_one_statement) {
  auto id = StationId::unchecked("CS1");
  std::vector<std::int64_t> previous;
  store->run([&](Repository &r) {
    for (std::int64_t seq : {0, 1, 1, 3}) // a retry of part 1, then a gap
      previous.push_back(r.record_report_part(id, ReportPart{42, seq, true, std::nullopt}, core::from_unix_ms(1)));
    previous.push_back(r.record_report_part(id, ReportPart{43, 0, false, std::nullopt}, core::from_unix_ms(1)));
  });
  EXPECT_EQ(previous, (std::vector<std::int64_t>{-1, 0, 1, 1, -1}));
  bool complete = false;
  store->run([&](Repository &r) { complete = r.has_complete_report(id); });
  EXPECT_TRUE(complete);
}

// The store keeps no state of its own across units: what a rolled-back unit wrote is gone for
// every later unit, whatever it was (the write throttles live in services::LiveValues, which is
// told when a write fails).
TEST_F(StoreUpsert, nothing_written_by_a_rolled_back_unit_is_remembered) {
  std::int64_t tx = 0;
  store->run([&](Repository &r) {
    tx = r.start_transaction(start_16()).id;
    r.update_energy(tx, 100);
    r.touch_station(StationId::unchecked("CS1"), ProtocolVersion::Ocpp16, core::from_unix_ms(2000));
  });
  EXPECT_THROW(store->run([&](Repository &r) {
    r.update_energy(tx, 500);
    r.touch_station(StationId::unchecked("CS1"), ProtocolVersion::Ocpp201, core::from_unix_ms(3000));
    EXPECT_TRUE(r.insert_station_if_absent(station("CS3")));
    auto t = start_16();
    t.started_at = core::from_unix_ms(7777);
    EXPECT_TRUE(r.start_transaction(t).inserted);
    EXPECT_TRUE(r.insert_transaction_event(event(tx, 5, "Updated", "Charging")));
    r.record_report_part(StationId::unchecked("CS1"), ReportPart{9, 4, true, std::nullopt}, core::from_unix_ms(1));
    throw std::runtime_error("the unit fails after its writes");
  }),
               std::runtime_error);
  store->run([&](Repository &r) {
    auto stored = r.transaction(tx);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->energy_wh, 100);
    auto cs1 = r.station(StationId::unchecked("CS1"));
    ASSERT_TRUE(cs1);
    EXPECT_EQ(cs1->last_seen_at, core::from_unix_ms(2000));
    EXPECT_EQ(cs1->protocol, ProtocolVersion::Ocpp16);
    EXPECT_TRUE(r.insert_station_if_absent(station("CS3")));
    auto t = start_16();
    t.started_at = core::from_unix_ms(7777);
    EXPECT_TRUE(r.start_transaction(t).inserted);
    EXPECT_TRUE(r.insert_transaction_event(event(tx, 5, "Updated", "Charging")));
    EXPECT_EQ(
        r.record_report_part(StationId::unchecked("CS1"), ReportPart{9, 4, true, std::nullopt}, core::from_unix_ms(1)),
        -1);
  });
}

} // namespace
