// The pushes of the Sessions and CDRs Sender modules over a real SQLite file: a transaction of an
// eMSP's token is PUT once, PATCHed at most once per interval while it runs, PATCHed COMPLETED
// once at its end; a session of Gridlane's own token is never enqueued; a partner without the
// Receiver endpoint is not pushed to; a CDR is enqueued once whatever replays it.
#include <boost/json.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/ocpi/sessions.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"
#include "support/sample_cdr.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

class SessionPushes : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-session-push-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    config.country_code = "DE";
    config.party_id = "GRL";
    sessions = std::make_shared<ocpi::SessionsModule>(
        *store, clock, config, [] {}, std::chrono::seconds(30));
    cdrs = std::make_shared<ocpi::CdrsModule>(*store, clock, config, [] {});
    store->run([&](Repository &r) {
      Station station;
      station.id = core::StationId::unchecked("CS-1");
      r.insert_station(station);
      partner_id = r.insert_partner(partner(true), "hash-1");
      RoamingToken t;
      t.partner_id = partner_id;
      t.party = {"NL", "EMS"};
      t.uid = "CARD-1";
      t.contract_id = "NL-EMS-C1";
      t.issuer = "eMSP";
      t.last_updated = clock.now();
      r.upsert_roaming_token(t);
    });
  }
  void TearDown() override {
    cdrs.reset();
    sessions.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  Partner partner(bool with_receivers) const {
    Partner p;
    p.name = "eMSP";
    p.status = PartnerStatus::Registered;
    p.roles = {{OcpiRole::Emsp, {"NL", "EMS"}, "eMSP"}};
    p.version = "2.2.1";
    p.versions_url = "http://127.0.0.1:1/versions";
    p.token_to_them = "secret";
    if (with_receivers)
      p.endpoints = {{OcpiModule::Sessions, InterfaceRole::Receiver, "http://127.0.0.1:1/sessions"},
                     {OcpiModule::Cdrs, InterfaceRole::Receiver, "http://127.0.0.1:1/cdrs"}};
    p.created_at = p.updated_at = clock.now();
    return p;
  }

  std::int64_t start(const std::string &id_tag) {
    Transaction t;
    t.station = core::StationId::unchecked("CS-1");
    t.connector_id = 1;
    t.evse_id = 1;
    t.id_tag = id_tag;
    t.meter_start_wh = 1000;
    t.started_at = t.start_received_at = clock.now();
    std::int64_t id = 0;
    store->run([&](Repository &r) { id = r.start_transaction(t).id; });
    return id;
  }

  bool sync(std::int64_t id, bool force, std::optional<std::int64_t> wh = std::nullopt) {
    bool out = false;
    store->run([&](Repository &r) { out = sessions->sync(r, id, force, wh); });
    return out;
  }

  //! Everything enqueued, oldest first (delivered as it is read, so the next read is what follows).
  std::vector<OutboxItem> drain() {
    std::vector<OutboxItem> out;
    for (int round = 0; round < 20; ++round) {
      std::vector<OutboxItem> due;
      store->run([&](Repository &r) {
        due = r.due_items(clock.now() + std::chrono::hours(1), 100);
        for (const auto &i : due)
          r.mark_delivered(i.id, clock.now());
      });
      if (due.empty()) break;
      out.insert(out.end(), due.begin(), due.end());
    }
    return out;
  }

  std::filesystem::path dir;
  test::FakeClock clock;
  core::OcpiConfig config;
  std::unique_ptr<store::SqliteStore> store;
  std::shared_ptr<ocpi::SessionsModule> sessions;
  std::shared_ptr<ocpi::CdrsModule> cdrs;
  std::int64_t partner_id = 0;
};

TEST_F(SessionPushes, a_roaming_session_is_put_then_patched_at_the_pace_then_completed_once) {
  const auto id = start("CARD-1");
  EXPECT_TRUE(sync(id, true));
  auto items = drain();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].method, PushMethod::Put);
  EXPECT_EQ(items[0].module, OcpiModule::Sessions);
  EXPECT_EQ(items[0].partner_id, partner_id);
  EXPECT_EQ(items[0].path, "/DE/GRL/" + std::to_string(id));
  EXPECT_EQ(items[0].object_key, "session:" + std::to_string(id));
  auto put = json::parse(items[0].body).as_object();
  EXPECT_EQ(put.at("status"), "ACTIVE");
  EXPECT_EQ(put.at("cdr_token").at("party_id"), "EMS");

  // A reading 10 s later is within the pace: nothing; 31 s after the PUT, a PATCH.
  clock.t += std::chrono::seconds(10);
  EXPECT_FALSE(sync(id, false, 3000));
  EXPECT_TRUE(drain().empty());
  clock.t += std::chrono::seconds(21);
  EXPECT_TRUE(sync(id, false, 5000));
  items = drain();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].method, PushMethod::Patch);
  auto patch = json::parse(items[0].body).as_object();
  EXPECT_EQ(patch.at("kwh"), 5);
  EXPECT_FALSE(patch.contains("cdr_token"));

  // It ends: COMPLETED, whatever the pace; and never again.
  clock.t += std::chrono::seconds(1);
  store->run([&](Repository &r) {
    auto t = *r.transaction(id);
    t.state = TransactionState::Ended;
    t.meter_stop_wh = 9000;
    t.stopped_at = t.stop_received_at = clock.now();
    r.end_transaction(t);
  });
  EXPECT_TRUE(sync(id, true));
  EXPECT_FALSE(sync(id, true));
  items = drain();
  ASSERT_EQ(items.size(), 1U);
  auto done = json::parse(items[0].body).as_object();
  EXPECT_EQ(done.at("status"), "COMPLETED");
  EXPECT_EQ(done.at("kwh"), 8);
  EXPECT_TRUE(done.contains("end_date_time"));
}

TEST_F(SessionPushes, a_session_of_gridlanes_own_token_is_not_pushed_nor_listed) {
  const auto id = start("OWN-TAG");
  EXPECT_FALSE(sync(id, true));
  EXPECT_TRUE(drain().empty());
  store->run([&](Repository &r) { EXPECT_FALSE(r.roaming_session(id)); });
}

TEST_F(SessionPushes, a_partner_token_named_like_one_of_gridlanes_own_is_neither_a_session_nor_a_cdr) {
  // The eMSP stored a token whose uid is also one of Gridlane's own tags: a charge on that tag
  // stays Gridlane's, neither its session nor its CDR goes to the eMSP.
  store->run([&](Repository &r) {
    IdToken own;
    own.id = "OWN-TAG";
    r.upsert_id_token(own);
    RoamingToken t;
    t.partner_id = partner_id;
    t.party = {"NL", "EMS"};
    t.uid = "OWN-TAG";
    t.contract_id = "NL-EMS-C2";
    t.issuer = "eMSP";
    t.last_updated = clock.now();
    r.upsert_roaming_token(t);
  });
  const auto id = start("OWN-TAG");
  EXPECT_FALSE(sync(id, true));
  store->run([&](Repository &r) { EXPECT_FALSE(r.roaming_session(id)); });
  auto c = test::sample_cdr(79);
  c.cdr_token = {"NL", "GRL", "OWN-TAG", CdrTokenType::Rfid, "OWN-TAG"};
  store->run([&](Repository &r) { EXPECT_FALSE(cdrs->record(r, c)); });
  EXPECT_TRUE(drain().empty());
}

TEST_F(SessionPushes, a_session_and_its_cdr_stay_with_their_partner_when_another_pushes_the_uid_later) {
  const auto id = start("CARD-1");
  EXPECT_TRUE(sync(id, true));
  drain();
  // Another eMSP pushes a token of its own party with the same uid, newer than the first's.
  std::int64_t other_id = 0;
  store->run([&](Repository &r) {
    auto p = partner(true);
    p.name = "other eMSP";
    p.roles = {{OcpiRole::Emsp, {"NL", "OTH"}, "other eMSP"}};
    other_id = r.insert_partner(p, "hash-2");
    RoamingToken t;
    t.partner_id = other_id;
    t.party = {"NL", "OTH"};
    t.uid = "CARD-1";
    t.contract_id = "NL-OTH-C1";
    t.issuer = "other eMSP";
    t.last_updated = clock.now() + std::chrono::hours(1); // the newest, whatever the clock's resolution
    r.upsert_roaming_token(t);
  });
  clock.t += std::chrono::seconds(31);
  EXPECT_TRUE(sync(id, false, 5000));
  auto items = drain();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].partner_id, partner_id);
  ASSERT_TRUE(items[0].to);
  EXPECT_EQ(*items[0].to, (PartyId{"NL", "EMS"}));
  auto c = test::sample_cdr(id);
  c.transaction_id = id;
  c.cdr_token = {"NL", "GRL", "CARD-1", CdrTokenType::Rfid, "CARD-1"};
  store->run([&](Repository &r) { EXPECT_TRUE(cdrs->record(r, c)); });
  items = drain();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].partner_id, partner_id);
  auto body = json::parse(items[0].body).as_object();
  EXPECT_EQ(body.at("cdr_token").at("party_id"), "EMS");
  EXPECT_EQ(body.at("cdr_token").at("contract_id"), "NL-EMS-C1");
}

TEST_F(SessionPushes, a_partner_without_the_receiver_gets_nothing_but_keeps_its_session) {
  store->run([&](Repository &r) {
    auto p = *r.partner(partner_id);
    p.endpoints.clear();
    r.update_partner(p);
  });
  const auto id = start("CARD-1");
  EXPECT_FALSE(sync(id, true));
  EXPECT_TRUE(drain().empty());
  store->run([&](Repository &r) {
    auto s = r.roaming_session(id);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->partner_id, partner_id);
  });
}

TEST_F(SessionPushes, a_cdr_of_the_token_is_posted_once_with_the_emsps_token) {
  auto c = test::sample_cdr(77);
  c.cdr_token = {"NL", "GRL", "CARD-1", CdrTokenType::Rfid, "CARD-1"};
  c.invoice_reference_id = "INV-1";
  bool first = false;
  bool again = false;
  store->run([&](Repository &r) { first = cdrs->record(r, c); });
  store->run([&](Repository &r) { again = cdrs->record(r, c); });
  EXPECT_TRUE(first);
  EXPECT_FALSE(again);
  auto items = drain();
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].method, PushMethod::Post);
  EXPECT_EQ(items[0].module, OcpiModule::Cdrs);
  EXPECT_EQ(items[0].object_key, "cdr:CDR-77");
  auto body = json::parse(items[0].body).as_object();
  EXPECT_EQ(body.at("country_code"), "DE");
  EXPECT_EQ(body.at("cdr_token").at("party_id"), "EMS");
  EXPECT_EQ(body.at("cdr_token").at("contract_id"), "NL-EMS-C1");
  EXPECT_FALSE(body.contains("invoice_reference_id"));
  // Not the eMSP's: not recorded, not sent.
  auto own = test::sample_cdr(78);
  store->run([&](Repository &r) { EXPECT_FALSE(cdrs->record(r, own)); });
  EXPECT_TRUE(drain().empty());
}

} // namespace
