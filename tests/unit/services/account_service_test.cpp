// Accounts, plans, subscriptions, coupons and loyalty over a real SQLite file: the rules of
// services::AccountService, the customer group of a token, and a billed session's benefits
// recorded exactly once.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/services/account_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using core::Decimal;

namespace {

Decimal d(std::string_view text) {
  return Decimal::parse(text).value();
}
core::Timestamp at(std::string_view text) {
  return core::parse_iso8601(text).value();
}

pricing::PricedSession priced(std::string_view kwh, std::string_view energy_cost) {
  pricing::PricedSession s;
  s.total_energy = d(kwh);
  s.total_energy_cost = Price{d(energy_cost), std::nullopt};
  auto vat = d(energy_cost).percent(d("19"), core::Rounding::HalfUp, 4).value();
  s.total_cost = Price{d(energy_cost), d(energy_cost).plus(vat).value()};
  s.vat = {pricing::VatShare{d("19"), d(energy_cost), vat}};
  return s;
}

class AccountServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-acc-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class Fn> auto in_store(Fn fn) {
    std::optional<decltype(fn(std::declval<Repository &>()))> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
  //! An account "acme" (company, EUR) with token TAG1, plan "fleet" (group "fleet", 10 kWh included).
  void seed() {
    in_store([&](Repository &r) {
      r.upsert_id_token(IdToken{"TAG1", TokenStatus::Accepted, std::nullopt, std::nullopt});
      r.upsert_id_token(IdToken{"TAG2", TokenStatus::Accepted, std::nullopt, std::nullopt});
      Account a;
      a.id = "acme";
      a.kind = AccountKind::Company;
      a.name = "ACME Logistics";
      EXPECT_TRUE(service.create_account(r, a, now));
      EXPECT_TRUE(service.link_token(r, "acme", AccountToken{"TAG1", "Ann"}));
      BillingPlan p;
      p.id = "fleet";
      p.name = "Fleet";
      p.included_kwh = d("10");
      p.customer_group = "fleet";
      p.trial_days = 14;
      p.points_per_kwh = d("1");
      p.point_value = d("0.10");
      EXPECT_TRUE(service.put_plan(r, p, now));
      return 0;
    });
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  AccountService service;
  core::Timestamp now = at("2026-06-01T12:00:00Z");
};

} // namespace

TEST_F(AccountServiceTest, customer_group_of_token_follows_the_open_subscription) {
  seed();
  EXPECT_EQ(in_store([](Repository &r) { return r.customer_group_of_token("TAG1"); }), std::nullopt);
  auto sub = in_store([&](Repository &r) { return service.subscribe(r, "acme", "fleet", std::nullopt, now); });
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->trial_ends_at, at("2026-06-15T12:00:00Z"));
  EXPECT_EQ(in_store([](Repository &r) { return r.customer_group_of_token("TAG1"); }), "fleet");
  EXPECT_EQ(in_store([](Repository &r) { return r.customer_group_of_token("TAG2"); }), std::nullopt);
  EXPECT_TRUE(in_store([&](Repository &r) { return service.unsubscribe(r, "acme", now); }));
  EXPECT_EQ(in_store([](Repository &r) { return r.customer_group_of_token("TAG1"); }), std::nullopt);
}

TEST_F(AccountServiceTest, a_token_belongs_to_one_account_and_must_exist) {
  seed();
  auto other = in_store([&](Repository &r) {
    Account b;
    b.id = "bob";
    b.name = "Bob";
    EXPECT_TRUE(service.create_account(r, b, now));
    return service.link_token(r, "bob", AccountToken{"TAG1", std::nullopt});
  });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ServiceError::Code::Conflict);
  auto unknown = in_store([&](Repository &r) { return service.link_token(r, "bob", AccountToken{"NOPE", {}}); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ServiceError::Code::NotFound);
  auto of = in_store([](Repository &r) { return r.account_of_token("TAG1"); });
  ASSERT_TRUE(of);
  EXPECT_EQ(of->id, "acme");
  ASSERT_EQ(of->tokens.size(), 1u);
  EXPECT_EQ(of->tokens[0].driver, "Ann");
}

TEST_F(AccountServiceTest, a_plan_in_another_currency_is_refused) {
  seed();
  auto r = in_store([&](Repository &repo) {
    BillingPlan p;
    p.id = "sek";
    p.name = "SEK plan";
    p.currency = core::Currency::parse("SEK").value();
    EXPECT_TRUE(service.put_plan(repo, p, now));
    return service.subscribe(repo, "acme", "sek", std::nullopt, now);
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "plan");
}

TEST_F(AccountServiceTest, benefits_are_recorded_exactly_once_and_feed_the_next_session) {
  seed();
  in_store([&](Repository &r) {
    EXPECT_TRUE(service.subscribe(r, "acme", "fleet", at("2026-06-01T00:00:00Z"), now));
    Coupon c;
    c.code = "WELCOME";
    c.kind = CouponKind::PercentOff;
    c.percent = d("50");
    c.max_redemptions = 1;
    EXPECT_TRUE(service.put_coupon(r, c, now));
    EXPECT_TRUE(service.claim_coupon(r, "acme", "WELCOME", now));
    return 0;
  });
  // 16 kWh for 8.00: 10 kWh included (5.00 off), then 50 % of 3.00.
  auto s1 = priced("16", "8.00");
  auto b1 = in_store([&](Repository &r) { return service.benefits(r, "acme", s1, at("2026-06-02T08:00:00Z")); });
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->included_kwh, d("10"));
  EXPECT_EQ(b1->payable_excl_vat, d("1.5"));
  EXPECT_EQ(b1->coupon, "WELCOME");
  EXPECT_EQ(b1->points_earned, 16);
  BilledSession billed{101, at("2026-06-02T08:00:00Z"), &*b1};
  EXPECT_EQ(in_store([&](Repository &r) { return service.record_benefits(r, "acme", billed, now); }).value(), true);
  // Again (a retried billing run): nothing more is written.
  EXPECT_EQ(in_store([&](Repository &r) { return service.record_benefits(r, "acme", billed, now); }).value(), false);
  EXPECT_EQ(in_store([](Repository &r) { return r.count_coupon_redemptions("WELCOME", std::nullopt); }), 1);
  EXPECT_EQ(in_store([](Repository &r) { return r.loyalty_balance("acme"); }), 16);

  // The next session of the month: the allowance is used up and the coupon too.
  auto s2 = priced("4", "2.00");
  auto b2 = in_store([&](Repository &r) { return service.benefits(r, "acme", s2, at("2026-06-20T08:00:00Z")); });
  ASSERT_TRUE(b2);
  EXPECT_TRUE(b2->lines.empty());
  EXPECT_EQ(b2->payable_excl_vat, d("2"));
  // Next month the allowance is back.
  auto b3 = in_store([&](Repository &r) { return service.benefits(r, "acme", s2, at("2026-07-01T08:00:00Z")); });
  EXPECT_EQ(b3->payable_excl_vat, Decimal{});
}

TEST_F(AccountServiceTest, points_redeemed_leave_the_ledger_and_the_balance_never_goes_negative) {
  seed();
  in_store([&](Repository &r) {
    EXPECT_TRUE(service.subscribe(r, "acme", "fleet", at("2026-05-01T00:00:00Z"), now));
    auto a = *r.account("acme");
    a.redeem_points = true;
    EXPECT_TRUE(service.update_account(r, a, now));
    EXPECT_TRUE(service.adjust_points(r, "acme", 30, "welcome", now));
    auto too_much = service.adjust_points(r, "acme", -31, std::nullopt, now);
    EXPECT_FALSE(too_much);
    return 0;
  });
  // 20 kWh for 12.00: 10 included (6.00 off), 30 points pay 3.00, 20 points earned.
  auto s = priced("20", "12.00");
  auto b = in_store([&](Repository &r) { return service.benefits(r, "acme", s, at("2026-06-03T08:00:00Z")); });
  ASSERT_TRUE(b);
  EXPECT_EQ(b->points_redeemed, 30);
  EXPECT_EQ(b->payable_excl_vat, d("3"));
  BilledSession billed{7, at("2026-06-03T08:00:00Z"), &*b};
  EXPECT_TRUE(in_store([&](Repository &r) { return service.record_benefits(r, "acme", billed, now); }).value());
  auto statement = in_store([&](Repository &r) { return service.loyalty(r, "acme", 10, 0); });
  ASSERT_TRUE(statement);
  EXPECT_EQ(statement->balance, 20);
  ASSERT_EQ(statement->entries.size(), 3u);
  EXPECT_EQ(statement->entries[0].kind, LoyaltyEntryKind::Redeemed);
  EXPECT_EQ(statement->entries[0].points, -30);
}

TEST_F(AccountServiceTest, deleting_what_is_in_use_is_a_conflict) {
  seed();
  in_store([&](Repository &r) {
    EXPECT_TRUE(service.subscribe(r, "acme", "fleet", std::nullopt, now));
    auto plan = service.delete_plan(r, "fleet");
    EXPECT_FALSE(plan);
    EXPECT_EQ(plan.error().code, ServiceError::Code::Conflict);
    Coupon c;
    c.code = "TEN";
    c.kind = CouponKind::AmountOff;
    c.amount = d("10");
    EXPECT_FALSE(service.put_coupon(r, c, now)); // no currency
    c.currency = core::Currency::eur();
    EXPECT_TRUE(service.put_coupon(r, c, now));
    EXPECT_TRUE(r.insert_coupon_redemption({"TEN", "acme", 5, d("10"), now}));
    EXPECT_FALSE(r.insert_coupon_redemption({"TEN", "acme", 5, d("10"), now})); // once per session
    EXPECT_FALSE(service.delete_coupon(r, "TEN"));
    EXPECT_TRUE(service.delete_account(r, "acme")); // no billed session yet
    return 0;
  });
}

TEST_F(AccountServiceTest, bill_session_applies_a_first_session_coupon_once_across_retries) {
  seed();
  in_store([&](Repository &r) {
    Coupon c;
    c.code = "FIRST";
    c.kind = CouponKind::FirstSessionFree;
    EXPECT_TRUE(service.put_coupon(r, c, now));
    EXPECT_TRUE(service.claim_coupon(r, "acme", "FIRST", now));
    return 0;
  });
  auto s = priced("5", "2.50");
  auto first = in_store([&](Repository &r) { return service.bill_session(r, "acme", 1, s, now, now); });
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->payable_incl_vat, Decimal{});
  auto retried = in_store([&](Repository &r) { return service.bill_session(r, "acme", 1, s, now, now); });
  ASSERT_TRUE(retried);
  EXPECT_FALSE(retried->has_value()) << "billed already: nothing applied twice";
  auto second = in_store([&](Repository &r) { return service.bill_session(r, "acme", 2, s, now, now); });
  ASSERT_TRUE(second && second->has_value());
  EXPECT_EQ((*second)->payable_excl_vat, d("2.5")) << "no longer the first session";
  EXPECT_EQ(in_store([](Repository &r) { return r.coupon_redemptions("FIRST").size(); }), 1u);
  auto wrong = in_store([&](Repository &r) {
    auto usd = s;
    usd.currency = core::Currency::parse("USD").value();
    return service.bill_session(r, "acme", 3, usd, now, now);
  });
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "currency");
}
