// The roaming token store over a real SQLite file (migration 0023): a token reads back as
// pushed, its key is OCPI's (party, uid, type) compared without regard to case, a replacement
// forgets the last real-time decision, and a uid presented by a station finds the newest token.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;

namespace {

class RoamingTokenRows : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-rtokens-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  static RoamingToken token(std::string uid) {
    RoamingToken t;
    t.partner_id = 7;
    t.party = {"NL", "TNM"};
    t.uid = std::move(uid);
    t.type = OcpiTokenType::Rfid;
    t.contract_id = "NL-TNM-C12345678-X";
    t.issuer = "TheNewMotion";
    t.whitelist = WhitelistType::Allowed;
    t.last_updated = core::from_unix_ms(1'700'000'000'000);
    return t;
  }
  void put(const RoamingToken &t) {
    store->run([&](Repository &r) { r.upsert_roaming_token(t); });
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(RoamingTokenRows, reads_back_every_field_as_pushed) {
  auto t = token("012345678");
  t.visual_number = "DF000-2001-8999";
  t.group_id = "DF000-2001";
  t.valid = false;
  t.whitelist = WhitelistType::AllowedOffline;
  t.language = "nl";
  t.default_profile_type = OcpiProfileType::Green;
  t.energy_contract = EnergyContract{"Greenpeace Energy eG", "0123456789"};
  put(t);
  std::optional<RoamingToken> got;
  store->run([&](Repository &r) { got = r.roaming_token({"NL", "TNM"}, "012345678", OcpiTokenType::Rfid); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->partner_id, 7);
  EXPECT_EQ(got->party, (PartyId{"NL", "TNM"}));
  EXPECT_EQ(got->contract_id, "NL-TNM-C12345678-X");
  EXPECT_EQ(got->visual_number, "DF000-2001-8999");
  EXPECT_EQ(got->issuer, "TheNewMotion");
  EXPECT_EQ(got->group_id, "DF000-2001");
  EXPECT_FALSE(got->valid);
  EXPECT_EQ(got->whitelist, WhitelistType::AllowedOffline);
  EXPECT_EQ(got->language, "nl");
  EXPECT_EQ(got->default_profile_type, OcpiProfileType::Green);
  EXPECT_EQ(got->energy_contract, (EnergyContract{"Greenpeace Energy eG", "0123456789"}));
  EXPECT_EQ(got->last_updated, t.last_updated);
}

TEST_F(RoamingTokenRows, the_key_is_party_uid_and_type_without_regard_to_case) {
  put(token("ABCDEF01"));
  auto lower = token("abcdef01");
  lower.party = {"nl", "tnm"};
  lower.issuer = "replaced";
  put(lower);
  auto app = token("ABCDEF01");
  app.type = OcpiTokenType::AppUser;
  put(app);
  std::optional<RoamingToken> rfid, app_user, other_type;
  std::vector<RoamingToken> all;
  store->run([&](Repository &r) {
    rfid = r.roaming_token({"NL", "TNM"}, "AbCdEf01", OcpiTokenType::Rfid);
    app_user = r.roaming_token({"NL", "TNM"}, "ABCDEF01", OcpiTokenType::AppUser);
    other_type = r.roaming_token({"NL", "TNM"}, "ABCDEF01", OcpiTokenType::Other);
    all = r.roaming_tokens_of(7, 0, 10);
  });
  ASSERT_TRUE(rfid);
  EXPECT_EQ(rfid->issuer, "replaced");
  ASSERT_TRUE(app_user);
  EXPECT_EQ(app_user->type, OcpiTokenType::AppUser);
  EXPECT_FALSE(other_type);
  EXPECT_EQ(all.size(), 2U);
}

TEST_F(RoamingTokenRows, a_station_uid_finds_the_newest_token_of_any_party) {
  put(token("CAFE0001"));
  auto other = token("CAFE0001");
  other.party = {"DE", "ABC"};
  other.partner_id = 9;
  put(other);
  std::optional<RoamingToken> found, missing;
  store->run([&](Repository &r) {
    found = r.roaming_token_by_uid("cafe0001");
    missing = r.roaming_token_by_uid("CAFE0002");
  });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->partner_id, 9);
  EXPECT_EQ(found->party, (PartyId{"DE", "ABC"}));
  EXPECT_FALSE(missing);
}

TEST_F(RoamingTokenRows, a_token_stored_for_another_partner_is_not_taken_over) {
  auto mine = token("D00D0001");
  put(mine);
  mine.issuer = "replaced by its partner";
  put(mine);
  auto theirs = token("d00d0001");
  theirs.party = {"nl", "tnm"};
  theirs.partner_id = 9;
  theirs.issuer = "another partner";
  put(theirs);
  std::optional<RoamingToken> got;
  store->run([&](Repository &r) { got = r.roaming_token({"NL", "TNM"}, "D00D0001", OcpiTokenType::Rfid); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->partner_id, 7);
  EXPECT_EQ(got->issuer, "replaced by its partner");
}

TEST_F(RoamingTokenRows, a_replacement_forgets_the_last_realtime_decision) {
  put(token("BEEF0001"));
  const RealtimeDecision d{AllowedType::Allowed, core::from_unix_ms(1'700'000'100'000), "REF-1"};
  std::optional<RealtimeDecision> remembered, after_put, unknown;
  store->run([&](Repository &r) {
    r.remember_realtime_decision({"NL", "TNM"}, "BEEF0001", OcpiTokenType::Rfid, d);
    r.remember_realtime_decision({"NL", "TNM"}, "NOPE", OcpiTokenType::Rfid, d); // no such token: nothing
    remembered = r.realtime_decision({"NL", "TNM"}, "beef0001", OcpiTokenType::Rfid);
    unknown = r.realtime_decision({"NL", "TNM"}, "NOPE", OcpiTokenType::Rfid);
  });
  ASSERT_TRUE(remembered);
  EXPECT_EQ(remembered->allowed, AllowedType::Allowed);
  EXPECT_EQ(remembered->at, d.at);
  EXPECT_EQ(remembered->authorization_reference, "REF-1");
  EXPECT_FALSE(unknown);
  put(token("BEEF0001"));
  store->run([&](Repository &r) { after_put = r.realtime_decision({"NL", "TNM"}, "BEEF0001", OcpiTokenType::Rfid); });
  EXPECT_FALSE(after_put);
}

TEST_F(RoamingTokenRows, a_partners_tokens_page_in_key_order) {
  for (const char *uid : {"C3", "A1", "B2"})
    put(token(uid));
  std::vector<RoamingToken> first, second, none;
  store->run([&](Repository &r) {
    first = r.roaming_tokens_of(7, 0, 2);
    second = r.roaming_tokens_of(7, 2, 2);
    none = r.roaming_tokens_of(8, 0, 10);
  });
  ASSERT_EQ(first.size(), 2U);
  EXPECT_EQ(first[0].uid, "A1");
  EXPECT_EQ(first[1].uid, "B2");
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(second[0].uid, "C3");
  EXPECT_TRUE(none.empty());
}

} // namespace
