// Lists filtered and paged in SQL (store/sqlite/lists.cpp): filters, totals, pages past the end,
// and a station page's connectors loaded with it.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

class ListsTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-lists-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    // 30 stations: S-00..S-29; every third Pending; sites A/B alternating; S-00..S-09 speak 2.0.1;
    // S-05 has a Faulted connector, every station an Available one.
    auto at = *core::parse_iso8601("2026-06-01T12:00:00Z");
    store->run([&](Repository &r) {
      for (int i = 0; i < 30; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "S-%02d", i);
        Station s;
        s.id = StationId::unchecked(id);
        s.registration = i % 3 == 0 ? RegistrationStatus::Pending : RegistrationStatus::Accepted;
        s.site = std::string(1, i % 2 == 0 ? 'A' : 'B');
        s.created_at = at;
        r.insert_station(s);
        if (i < 10) r.touch_station(s.id, ProtocolVersion::Ocpp201, at);
        StatusReport st;
        st.station = s.id;
        st.evse_id = st.connector_id = 1;
        st.received_at = at;
        r.record_status(st);
        if (i == 5) {
          st.evse_id = st.connector_id = 2;
          st.status = ConnectorStatus::Faulted;
          r.record_status(st);
        }
      }
      StationIdentity identity;
      identity.vendor = "VoltMaker";
      identity.model = "WallBox";
      r.update_station_boot(StationId::unchecked("S-17"), identity, at);
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  Paged<StationListing> list(StationFilter f, PageRequest p = {}) {
    Paged<StationListing> out;
    store->run([&](Repository &r) { out = r.list_stations(f, p); });
    return out;
  }
  static std::vector<std::string> ids(const Paged<StationListing> &p) {
    std::vector<std::string> out;
    for (const auto &row : p.items)
      out.push_back(row.station.id.str());
    return out;
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(ListsTest, pages_are_ordered_by_id_with_the_total_on_each) {
  auto first = list({}, {10, 0});
  EXPECT_EQ(first.total, 30);
  ASSERT_EQ(first.items.size(), 10u);
  EXPECT_EQ(first.items.front().station.id.str(), "S-00");
  auto last = list({}, {10, 25});
  EXPECT_EQ(last.total, 30);
  EXPECT_EQ(ids(last), (std::vector<std::string>{"S-25", "S-26", "S-27", "S-28", "S-29"}));
  auto beyond = list({}, {10, 500});
  EXPECT_TRUE(beyond.items.empty());
  EXPECT_EQ(beyond.total, 30) << "the total is known past the end";
}

TEST_F(ListsTest, each_station_comes_with_its_own_connectors) {
  auto page = list({}, {3, 4});
  ASSERT_EQ(ids(page), (std::vector<std::string>{"S-04", "S-05", "S-06"}));
  EXPECT_EQ(page.items[0].statuses.size(), 1u);
  ASSERT_EQ(page.items[1].statuses.size(), 2u);
  EXPECT_EQ(page.items[1].statuses[1].status, ConnectorStatus::Faulted);
  EXPECT_EQ(page.items[1].statuses[1].station.str(), "S-05");
  EXPECT_EQ(page.items[2].statuses.size(), 1u);
}

TEST_F(ListsTest, filters_combine) {
  StationFilter f;
  f.registration = RegistrationStatus::Pending;
  EXPECT_EQ(list(f).total, 10);
  f.site = "A"; // pending (i % 3 == 0) and even
  EXPECT_EQ(ids(list(f)), (std::vector<std::string>{"S-00", "S-06", "S-12", "S-18", "S-24"}));
  f.protocol = ProtocolVersion::Ocpp201; // and below 10
  EXPECT_EQ(ids(list(f)), (std::vector<std::string>{"S-00", "S-06"}));
  StationFilter faulted;
  faulted.status = ConnectorStatus::Faulted;
  EXPECT_EQ(ids(list(faulted)), std::vector<std::string>{"S-05"});
  faulted.site = "A";
  EXPECT_EQ(list(faulted).total, 0);
}

TEST_F(ListsTest, search_matches_id_vendor_or_model_ignoring_case) {
  StationFilter f;
  f.search = "voltmaker";
  EXPECT_EQ(ids(list(f)), std::vector<std::string>{"S-17"});
  f.search = "s-2";
  EXPECT_EQ(list(f).total, 10);
  f.search = "100%"; // no wildcard: the text as given
  EXPECT_EQ(list(f).total, 0);
}

TEST_F(ListsTest, connected_pages_over_the_given_live_ids) {
  StationFilter f;
  f.connected = true;
  f.connected_ids = {StationId::unchecked("S-03"), StationId::unchecked("S-21"), StationId::unchecked("GONE")};
  auto on = list(f);
  EXPECT_EQ(ids(on), (std::vector<std::string>{"S-03", "S-21"}));
  EXPECT_EQ(on.total, 2);
  f.connected = false;
  auto off = list(f, {5, 0});
  EXPECT_EQ(off.total, 28);
  EXPECT_EQ(ids(off), (std::vector<std::string>{"S-00", "S-01", "S-02", "S-04", "S-05"}));
}

TEST_F(ListsTest, location_filters_by_the_locations_column_once_it_exists) {
  StationFilter f;
  f.location = "LOC-1";
  // No station is in a location yet; without the locations migration the query does not fail.
  auto none = list(f);
  EXPECT_TRUE(none.items.empty());
  EXPECT_EQ(none.total, 0);
  bool migrated = false;
  std::filesystem::path db = dir / "t.db";
  store.reset();
  {
    sqlite3 *raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    char *err = nullptr;
    // The column as the locations migration adds it, unless this build has that migration.
    int rc = sqlite3_exec(raw, "ALTER TABLE stations ADD COLUMN location_id TEXT", nullptr, nullptr, &err);
    migrated = rc != SQLITE_OK;
    sqlite3_free(err);
    sqlite3_exec(raw, "UPDATE stations SET location_id = 'LOC-1' WHERE id IN ('S-02', 'S-11')", nullptr, nullptr,
                 nullptr);
    sqlite3_close(raw);
  }
  store = std::make_unique<store::SqliteStore>(store::SqliteOptions{db.string(), "normal", 64});
  auto two = list(f);
  EXPECT_EQ(ids(two), (std::vector<std::string>{"S-02", "S-11"})) << (migrated ? "with migration 0008" : "");
  EXPECT_EQ(two.total, 2);
  f.site = "A";
  EXPECT_EQ(ids(list(f)), std::vector<std::string>{"S-02"});
}

TEST_F(ListsTest, id_tokens_filtered_and_counted) {
  store->run([](Repository &r) {
    for (int i = 0; i < 12; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "T-%d", 100 + i);
      r.upsert_id_token(IdToken{id, i < 4 ? TokenStatus::Blocked : TokenStatus::Accepted, std::nullopt,
                                i % 2 ? std::optional<std::string>("FLEET") : std::nullopt});
    }
  });
  Paged<IdToken> page;
  store->run([&](Repository &r) { page = r.list_id_tokens({}, {5, 10}); });
  EXPECT_EQ(page.total, 12);
  EXPECT_EQ(page.items.size(), 2u);
  store->run([&](Repository &r) { page = r.list_id_tokens({TokenStatus::Blocked, std::string("FLEET")}, {}); });
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, "T-101");
  EXPECT_EQ(page.total, 2);
}

TEST_F(ListsTest, counts_follow_their_lists) {
  std::int64_t history = 0, transactions = 0, users = 0;
  store->run([&](Repository &r) {
    history = r.count_status_history(StationId::unchecked("S-05"));
    TransactionFilter f;
    f.site = "A";
    transactions = r.count_transactions(f);
    users = r.count_users();
  });
  EXPECT_EQ(history, 2);
  EXPECT_EQ(transactions, 0);
  EXPECT_EQ(users, 0);
}

TEST_F(ListsTest, samples_and_events_of_many_transactions_match_one_at_a_time) {
  auto at = *core::parse_iso8601("2026-06-01T12:00:00Z");
  std::vector<std::int64_t> ids;
  store->run([&](Repository &r) {
    for (int i = 0; i < 3; ++i) {
      Transaction t;
      t.station = StationId::unchecked("S-01");
      t.station_tx_id = "tx-" + std::to_string(i + 1);
      t.protocol = ProtocolVersion::Ocpp201;
      t.id_tag = "TAG";
      t.started_at = t.start_received_at = at;
      t.start_authorization.status = TokenStatus::Accepted;
      ids.push_back(r.insert_transaction(t));
    }
    for (int i = 0; i < 2; ++i) { // the third transaction has neither samples nor events
      for (int seq = 0; seq < 3; ++seq) {
        MeterReading m;
        m.station = StationId::unchecked("S-01");
        m.transaction_id = ids[i];
        m.received_at = at;
        MeterSample sample;
        sample.timestamp = at + std::chrono::seconds(60 * seq);
        sample.value = std::to_string(1000 * (i + 1) + seq);
        sample.numeric = 1000.0 * (i + 1) + seq;
        sample.measurand = "Energy.Active.Import.Register";
        m.samples = {sample, sample};
        m.samples[1].measurand = "Power.Active.Import";
        r.insert_meter_reading(m);
        r.insert_transaction_event(
            TransactionEventRecord{ids[i], seq, seq ? TransactionEventType::Updated : TransactionEventType::Started,
                                   TriggerReason::MeterValuePeriodic, at, false, std::nullopt, std::nullopt, at});
      }
    }
  });
  std::map<std::int64_t, std::vector<MeterSample>> samples;
  std::map<std::int64_t, std::vector<TransactionEventRecord>> events;
  std::vector<std::vector<MeterSample>> one_by_one;
  store->run([&](Repository &r) {
    samples = r.meter_samples_of(ids);
    events = r.transaction_events_of(ids);
    for (auto id : ids)
      one_by_one.push_back(r.meter_samples(id));
  });
  ASSERT_EQ(samples.size(), 2u);
  ASSERT_EQ(events.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(samples[ids[i]].size(), 6u);
    ASSERT_EQ(samples[ids[i]].size(), one_by_one[i].size());
    for (std::size_t k = 0; k < 6; ++k) {
      EXPECT_EQ(samples[ids[i]][k].value, one_by_one[i][k].value);
      EXPECT_EQ(samples[ids[i]][k].measurand, one_by_one[i][k].measurand);
      EXPECT_EQ(samples[ids[i]][k].timestamp, one_by_one[i][k].timestamp);
    }
    ASSERT_EQ(events[ids[i]].size(), 3u);
    EXPECT_EQ(events[ids[i]][0].event_type, TransactionEventType::Started);
    EXPECT_EQ(events[ids[i]][2].seq_no, 2);
  }
  EXPECT_EQ(samples[ids[0]].front().value, "1000");
  EXPECT_EQ(samples[ids[1]].back().value, "2002");
  EXPECT_TRUE(one_by_one[2].empty());
}

} // namespace
