// Roaming tokens in Gridlane's authorisation chain (mod_tokens WhitelistType, docs/ocpi.md
// "Tokens and authorisation"): the whitelist policy as a table, the eMSP's answers mapped to the
// OCPP status, and AuthorizationService with a fake eMSP over a real SQLite file: who is asked,
// what is remembered for the transaction start that follows, and the offline policy.
#include <filesystem>
#include <future>
#include <gtest/gtest.h>

#include "gridlane/services/authorization_service.hpp"
#include "gridlane/services/transaction_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using Kind = RealtimeAnswer::Kind;

namespace {

RoamingToken roaming(std::string uid, WhitelistType w, bool valid = true) {
  RoamingToken t;
  t.partner_id = 3;
  t.party = {"NL", "TNM"};
  t.uid = std::move(uid);
  t.contract_id = "NL-TNM-C00000001-X";
  t.issuer = "TNM";
  t.valid = valid;
  t.whitelist = w;
  t.group_id = "GROUP-1";
  return t;
}

const Timestamp noon = *core::parse_iso8601("2026-06-01T12:00:00Z");

TEST(RoamingPolicy, the_whitelist_decides_without_asking) {
  using W = WhitelistType;
  using S = TokenStatus;
  const RealtimeDecision allowed_now{AllowedType::Allowed, noon - std::chrono::minutes(1), std::nullopt};
  const RealtimeDecision blocked_now{AllowedType::Blocked, noon - std::chrono::minutes(1), std::nullopt};
  const RealtimeDecision allowed_stale{AllowedType::Allowed, noon - std::chrono::minutes(11), std::nullopt};
  struct Case {
    W whitelist;
    bool valid;
    std::optional<RealtimeDecision> decision;
    S expected;
  };
  const std::vector<Case> cases = {
      {W::Always, true, std::nullopt, S::Accepted},
      {W::Always, false, std::nullopt, S::Invalid},
      {W::Allowed, true, std::nullopt, S::Accepted},
      {W::Allowed, false, std::nullopt, S::Invalid},
      {W::Allowed, true, blocked_now, S::Accepted}, // whitelisted: a real-time answer is not needed
      {W::AllowedOffline, true, std::nullopt, S::Accepted},
      {W::AllowedOffline, false, std::nullopt, S::Invalid},
      {W::AllowedOffline, true, blocked_now, S::Blocked},
      {W::AllowedOffline, false, allowed_now, S::Accepted}, // the eMSP's answer outranks `valid`
      {W::Never, true, std::nullopt, S::Invalid},
      {W::Never, true, allowed_now, S::Accepted},
      {W::Never, true, allowed_stale, S::Invalid},
      {W::Never, true, blocked_now, S::Blocked},
  };
  for (const auto &c : cases) {
    auto a = roaming_authorization(roaming("U", c.whitelist, c.valid), c.decision, noon);
    EXPECT_EQ(a.status, c.expected) << static_cast<int>(c.whitelist) << " valid=" << c.valid
                                    << " decision=" << c.decision.has_value();
    EXPECT_EQ(a.parent_id, "GROUP-1");
  }
}

TEST(RoamingPolicy, the_emsps_answer_maps_to_the_ocpp_status) {
  const auto never = roaming("U", WhitelistType::Never);
  const auto offline = roaming("U", WhitelistType::AllowedOffline);
  auto answered = [](AllowedType a) { return RealtimeAnswer{Kind::Answered, a, std::nullopt, ""}; };
  EXPECT_EQ(realtime_verdict(never, answered(AllowedType::Allowed)).status, TokenStatus::Accepted);
  EXPECT_EQ(realtime_verdict(never, answered(AllowedType::Blocked)).status, TokenStatus::Blocked);
  EXPECT_EQ(realtime_verdict(never, answered(AllowedType::Expired)).status, TokenStatus::Expired);
  EXPECT_EQ(realtime_verdict(never, answered(AllowedType::NoCredit)).status, TokenStatus::Invalid);
  EXPECT_EQ(realtime_verdict(never, answered(AllowedType::NotAllowed)).status, TokenStatus::Invalid);
  const RealtimeAnswer unknown{Kind::UnknownToken, AllowedType::NotAllowed, std::nullopt, ""};
  const RealtimeAnswer down{Kind::Unreachable, AllowedType::NotAllowed, std::nullopt, "timeout"};
  EXPECT_EQ(realtime_verdict(offline, unknown).status, TokenStatus::Invalid);
  EXPECT_EQ(realtime_verdict(offline, down).status, TokenStatus::Accepted);
  EXPECT_EQ(realtime_verdict(roaming("U", WhitelistType::AllowedOffline, false), down).status, TokenStatus::Invalid);
  EXPECT_EQ(realtime_verdict(never, down).status, TokenStatus::Invalid);
}

TEST(RoamingPolicy, a_group_id_too_long_for_ocpp_16_is_left_out) {
  auto t = roaming("U", WhitelistType::Always);
  t.group_id = std::string(21, 'G');
  EXPECT_FALSE(roaming_authorization(t, std::nullopt, noon).parent_id);
}

//! An eMSP that answers what the test says, and records what it was asked.
struct FakeEmsp : RealtimeAuthorizer {
  std::vector<RealtimeQuestion> asked;
  RealtimeAnswer answer{Kind::Unreachable, AllowedType::NotAllowed, std::nullopt, "down"};
  bool throws = false;
  void authorize(RealtimeQuestion q, std::function<void(RealtimeAnswer)> done) override {
    asked.push_back(q);
    if (throws) throw std::runtime_error("no thread to ask on");
    done(answer);
  }
};

template <class T, class Fn> T await(Fn start) {
  std::promise<Outcome<T>> p;
  start([&p](Outcome<T> o) { p.set_value(std::move(o)); });
  auto o = p.get_future().get();
  if (!o.ok()) throw std::runtime_error(o.error());
  return std::move(o.value());
}

class RoamingAuthorization : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-rauth-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    auth = std::make_unique<AuthorizationService>(*store, clock);
    auth->set_realtime(emsp);
    tx = std::make_unique<TransactionService>(*store, clock);
    store->run([&](Repository &r) {
      Station s;
      s.id = StationId::unchecked("CS1");
      s.registration = RegistrationStatus::Accepted;
      s.created_at = clock.now();
      r.insert_station(s);
    });
  }
  void TearDown() override {
    tx.reset();
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void put(const RoamingToken &t) {
    store->run([&](Repository &r) { r.upsert_roaming_token(t); });
  }
  TokenStatus authorize(const std::string &tag) {
    return await<Authorization>([&](auto reply) { auth->authorize(who, tag, reply); }).status;
  }
  TokenStatus start(const std::string &tag) {
    StartRequest req{1, tag, 100, std::nullopt, clock.now()};
    return await<StartOutcome>([&](auto reply) { tx->start(who, req, reply); }).authorization.status;
  }
  std::optional<RealtimeDecision> decision(const RoamingToken &t) {
    std::optional<RealtimeDecision> d;
    store->run([&](Repository &r) { d = r.realtime_decision(t.party, t.uid, t.type); });
    return d;
  }

  std::filesystem::path dir;
  test::FakeClock clock;
  FakeEmsp emsp;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<AuthorizationService> auth;
  std::unique_ptr<TransactionService> tx;
  StationContext who{StationId::unchecked("CS1"), ProtocolVersion::Ocpp16};
};

TEST_F(RoamingAuthorization, a_whitelisted_token_is_accepted_without_asking_the_emsp) {
  put(roaming("AA01", WhitelistType::Always));
  put(roaming("AA02", WhitelistType::Allowed));
  EXPECT_EQ(authorize("AA01"), TokenStatus::Accepted);
  EXPECT_EQ(authorize("aa02"), TokenStatus::Accepted); // a CiString uid
  EXPECT_EQ(authorize("AA03"), TokenStatus::Unknown);
  EXPECT_TRUE(emsp.asked.empty());
}

TEST_F(RoamingAuthorization, an_invalidated_whitelisted_token_is_refused) {
  put(roaming("AA04", WhitelistType::Allowed, false));
  EXPECT_EQ(authorize("AA04"), TokenStatus::Invalid);
  EXPECT_EQ(start("AA04"), TokenStatus::Invalid);
}

TEST_F(RoamingAuthorization, a_never_token_is_asked_and_the_start_that_follows_is_accepted) {
  const auto t = roaming("BB01", WhitelistType::Never);
  put(t);
  emsp.answer = RealtimeAnswer{Kind::Answered, AllowedType::Allowed, "AUTH-REF-1", "ALLOWED"};
  EXPECT_EQ(authorize("BB01"), TokenStatus::Accepted);
  ASSERT_EQ(emsp.asked.size(), 1U);
  EXPECT_EQ(emsp.asked[0].token.uid, "BB01");
  EXPECT_EQ(emsp.asked[0].token.partner_id, 3);
  EXPECT_FALSE(emsp.asked[0].location); // CS1 is at no location
  auto d = decision(t);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->allowed, AllowedType::Allowed);
  EXPECT_EQ(d->authorization_reference, "AUTH-REF-1");
  EXPECT_EQ(start("BB01"), TokenStatus::Accepted);
  EXPECT_EQ(emsp.asked.size(), 1U); // the start does not ask again
}

TEST_F(RoamingAuthorization, a_never_token_whose_answer_is_old_is_refused_at_start) {
  put(roaming("BB02", WhitelistType::Never));
  emsp.answer = RealtimeAnswer{Kind::Answered, AllowedType::Allowed, std::nullopt, ""};
  EXPECT_EQ(authorize("BB02"), TokenStatus::Accepted);
  clock.t += realtime_decision_lifetime + std::chrono::seconds(1);
  EXPECT_EQ(start("BB02"), TokenStatus::Invalid);
}

TEST_F(RoamingAuthorization, a_refusal_by_the_emsp_is_reported_and_remembered) {
  put(roaming("BB03", WhitelistType::AllowedOffline));
  emsp.answer = RealtimeAnswer{Kind::Answered, AllowedType::Blocked, std::nullopt, "BLOCKED"};
  EXPECT_EQ(authorize("BB03"), TokenStatus::Blocked);
  EXPECT_EQ(start("BB03"), TokenStatus::Blocked);
  emsp.answer = RealtimeAnswer{Kind::UnknownToken, AllowedType::NotAllowed, std::nullopt, ""};
  EXPECT_EQ(authorize("BB03"), TokenStatus::Invalid);
}

TEST_F(RoamingAuthorization, an_unreachable_emsp_accepts_allowed_offline_and_refuses_never) {
  put(roaming("CC01", WhitelistType::AllowedOffline));
  put(roaming("CC02", WhitelistType::Never));
  emsp.answer = RealtimeAnswer{Kind::Unreachable, AllowedType::NotAllowed, std::nullopt, "timed out"};
  EXPECT_EQ(authorize("CC01"), TokenStatus::Accepted);
  EXPECT_EQ(authorize("CC02"), TokenStatus::Invalid);
  EXPECT_EQ(emsp.asked.size(), 2U);
  emsp.throws = true; // an authorizer that cannot even ask: the same as unreachable, one answer
  EXPECT_EQ(authorize("CC01"), TokenStatus::Accepted);
  EXPECT_EQ(authorize("CC02"), TokenStatus::Invalid);
}

TEST_F(RoamingAuthorization, gridlanes_own_token_wins_over_a_roaming_one_with_the_same_uid) {
  store->run([&](Repository &r) { r.upsert_id_token(IdToken{"DD01", TokenStatus::Blocked, std::nullopt, {}}); });
  put(roaming("DD01", WhitelistType::Never));
  emsp.answer = RealtimeAnswer{Kind::Answered, AllowedType::Allowed, std::nullopt, ""};
  EXPECT_EQ(authorize("DD01"), TokenStatus::Blocked);
  EXPECT_TRUE(emsp.asked.empty());
}

TEST_F(RoamingAuthorization, a_second_session_with_an_accepted_token_is_concurrent) {
  put(roaming("EE01", WhitelistType::Never));
  emsp.answer = RealtimeAnswer{Kind::Answered, AllowedType::Allowed, std::nullopt, ""};
  EXPECT_EQ(authorize("EE01"), TokenStatus::Accepted);
  EXPECT_EQ(start("EE01"), TokenStatus::Accepted);
  EXPECT_EQ(authorize("EE01"), TokenStatus::ConcurrentTx);
}

} // namespace
