// The store of roaming sessions and CDRs over a real SQLite file (migration 0025): a session
// or CDR is recorded once per partner, and a partner's list holds only its own, filtered by
// last_updated ([from, to)) and paged in SQL with the total.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

Timestamp at_s(std::int64_t seconds) {
  return core::from_unix_ms(1'700'000'000'000 + seconds * 1000);
}

class RoamingSessionRows : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-roaming-sessions-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(RoamingSessionRows, a_session_is_recorded_once_and_updated) {
  store->run([&](Repository &r) {
    EXPECT_TRUE(r.insert_roaming_session({101, 7, at_s(0), std::nullopt, 0}));
    EXPECT_FALSE(r.insert_roaming_session({101, 8, at_s(5), std::nullopt, 0})); // the first one stays
    auto s = r.roaming_session(101);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->partner_id, 7);
    EXPECT_EQ(s->last_updated, at_s(0));
    EXPECT_FALSE(s->last_pushed_at);
    s->last_updated = at_s(30);
    s->last_pushed_at = at_s(29);
    s->periods_sent = 3;
    r.update_roaming_session(*s);
    auto back = r.roaming_session(101);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->last_updated, at_s(30));
    EXPECT_EQ(back->last_pushed_at, at_s(29));
    EXPECT_EQ(back->periods_sent, 3);
    EXPECT_FALSE(r.roaming_session(102));
  });
}

TEST_F(RoamingSessionRows, a_partners_sessions_are_filtered_by_last_updated_and_paged) {
  store->run([&](Repository &r) {
    for (std::int64_t i = 1; i <= 10; ++i)
      r.insert_roaming_session({i, i % 2 == 0 ? 7 : 8, at_s(i * 10), std::nullopt, 0});
  });
  store->run([&](Repository &r) {
    auto all = r.roaming_sessions(7, {}, {100, 0});
    EXPECT_EQ(all.total, 5);
    ASSERT_EQ(all.items.size(), 5U);
    EXPECT_EQ(all.items.front().transaction_id, 2);
    EXPECT_EQ(all.items.back().transaction_id, 10);
    // [40 s, 80 s): transactions 4 and 6; 8 is at 80 s, excluded.
    auto window = r.roaming_sessions(7, {at_s(40), at_s(80)}, {100, 0});
    EXPECT_EQ(window.total, 2);
    ASSERT_EQ(window.items.size(), 2U);
    EXPECT_EQ(window.items[0].transaction_id, 4);
    EXPECT_EQ(window.items[1].transaction_id, 6);
    auto page = r.roaming_sessions(7, {}, {2, 2});
    EXPECT_EQ(page.total, 5);
    ASSERT_EQ(page.items.size(), 2U);
    EXPECT_EQ(page.items[0].transaction_id, 6);
    EXPECT_EQ(page.items[1].transaction_id, 8);
    EXPECT_EQ(r.roaming_sessions(9, {}, {100, 0}).total, 0);
  });
}

TEST_F(RoamingSessionRows, a_cdr_is_recorded_once_per_partner) {
  store->run([&](Repository &r) {
    EXPECT_TRUE(r.insert_roaming_cdr("CDR-1", 7, at_s(10)));
    EXPECT_FALSE(r.insert_roaming_cdr("CDR-1", 7, at_s(20))); // a replay: nothing to POST again
    EXPECT_TRUE(r.insert_roaming_cdr("CDR-1-C", 7, at_s(30)));
    EXPECT_TRUE(r.insert_roaming_cdr("CDR-2", 8, at_s(15)));
  });
  store->run([&](Repository &r) {
    auto mine = r.roaming_cdr_ids(7, {}, {100, 0});
    EXPECT_EQ(mine.total, 2);
    EXPECT_EQ(mine.items, (std::vector<std::string>{"CDR-1", "CDR-1-C"}));
    auto from = r.roaming_cdr_ids(7, {at_s(11), std::nullopt}, {100, 0});
    EXPECT_EQ(from.items, (std::vector<std::string>{"CDR-1-C"}));
    auto to = r.roaming_cdr_ids(7, {std::nullopt, at_s(30)}, {100, 0});
    EXPECT_EQ(to.items, (std::vector<std::string>{"CDR-1"}));
    EXPECT_EQ(r.roaming_cdr_ids(8, {}, {1, 0}).items, (std::vector<std::string>{"CDR-2"}));
  });
}

} // namespace
