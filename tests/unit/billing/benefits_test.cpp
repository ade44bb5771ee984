// billing::apply_benefits: the discounts of a plan, a coupon and loyalty points on one priced
// session, in exact decimals, never below zero, split by VAT rate.
#include <gtest/gtest.h>

#include "gridlane/billing/benefits.hpp"

using namespace gridlane;
using billing::BenefitKind;
using core::Decimal;

namespace {

Decimal d(std::string_view text) {
  return Decimal::parse(text).value();
}

core::Timestamp at(std::string_view text) {
  return core::parse_iso8601(text).value();
}

//! A session of `kwh` with `energy` cost and `time` cost excl. VAT, all at `rate` % VAT.
pricing::PricedSession session(std::string_view kwh, std::string_view energy, std::string_view time = "0",
                               std::string_view rate = "20") {
  pricing::PricedSession s;
  s.total_energy = d(kwh);
  s.total_energy_cost = domain::Price{d(energy), std::nullopt};
  s.total_time_cost = domain::Price{d(time), std::nullopt};
  auto excl = d(energy).plus(d(time)).value();
  auto vat = excl.percent(d(rate), core::Rounding::HalfUp, 4).value();
  s.total_cost = domain::Price{excl, excl.plus(vat).value()};
  s.vat = {pricing::VatShare{d(rate), excl, vat}};
  return s;
}

domain::BillingPlan plan() {
  domain::BillingPlan p;
  p.id = "gold";
  p.name = "Gold";
  p.included_kwh = d("10");
  p.points_per_kwh = d("2");
  p.point_value = d("0.05");
  return p;
}

domain::CouponHolding holding(domain::CouponKind kind, std::string code = "C1") {
  domain::CouponHolding h;
  h.coupon.code = std::move(code);
  h.coupon.kind = kind;
  return h;
}

Decimal sum_excl(const billing::Benefits &b) {
  std::int64_t u = 0;
  for (const auto &l : b.lines)
    u += l.excl_vat.units();
  return Decimal::from_units(u);
}

} // namespace

TEST(Benefits, no_plan_no_coupon_leaves_the_price_as_it_is) {
  auto s = session("12.5", "5.00");
  billing::BenefitInput in;
  in.session = &s;
  auto b = billing::apply_benefits(in).value();
  EXPECT_TRUE(b.lines.empty());
  EXPECT_EQ(b.payable_excl_vat, d("5"));
  EXPECT_EQ(b.payable_incl_vat, d("6"));
  EXPECT_EQ(b.points_earned, 0);
}

TEST(Benefits, included_kwh_waive_their_share_of_the_energy_cost) {
  auto s = session("20", "8.00", "2.00");
  billing::BenefitInput in;
  in.session = &s;
  in.plan = plan();
  in.included_kwh_used = d("4");
  auto b = billing::apply_benefits(in).value();
  // 6 kWh left of 10: 6/20 of 8.00 = 2.40, at 20 % VAT 0.48.
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.lines[0].kind, BenefitKind::IncludedEnergy);
  EXPECT_EQ(b.lines[0].excl_vat, d("2.4"));
  EXPECT_EQ(b.lines[0].vat, d("0.48"));
  EXPECT_EQ(b.included_kwh, d("6"));
  EXPECT_EQ(b.payable_excl_vat, d("7.6"));
  EXPECT_EQ(b.payable_incl_vat, d("9.12"));
  EXPECT_EQ(b.points_earned, 40);
}

TEST(Benefits, an_allowance_used_up_gives_nothing) {
  auto s = session("5", "2.00");
  billing::BenefitInput in;
  in.session = &s;
  in.plan = plan();
  in.included_kwh_used = d("10");
  auto b = billing::apply_benefits(in).value();
  EXPECT_TRUE(b.lines.empty());
  EXPECT_EQ(b.included_kwh, Decimal{});
}

TEST(Benefits, a_plan_in_another_currency_is_ignored) {
  auto s = session("5", "2.00");
  auto p = plan();
  p.currency = core::Currency::parse("SEK").value();
  billing::BenefitInput in;
  in.session = &s;
  in.plan = p;
  auto b = billing::apply_benefits(in).value();
  EXPECT_TRUE(b.lines.empty());
  EXPECT_EQ(b.points_earned, 0);
}

TEST(Benefits, percent_off_applies_to_what_is_left_after_the_plan) {
  auto s = session("20", "8.00", "2.00");
  auto h = holding(domain::CouponKind::PercentOff);
  h.coupon.percent = d("12.5");
  billing::BenefitInput in;
  in.session = &s;
  in.plan = plan();
  in.included_kwh_used = d("4");
  in.coupons = {h};
  auto b = billing::apply_benefits(in).value();
  ASSERT_EQ(b.lines.size(), 2u);
  EXPECT_EQ(b.lines[1].kind, BenefitKind::Coupon);
  EXPECT_EQ(b.lines[1].excl_vat, d("0.95")); // 12.5 % of 7.60
  EXPECT_EQ(b.coupon, "C1");
  EXPECT_EQ(b.coupon_amount, d("0.95"));
  EXPECT_EQ(b.payable_excl_vat, d("6.65"));
}

TEST(Benefits, amount_off_is_capped_by_the_price_and_needs_the_currency) {
  auto s = session("3", "1.20");
  auto h = holding(domain::CouponKind::AmountOff);
  h.coupon.amount = d("5");
  h.coupon.currency = core::Currency::eur();
  billing::BenefitInput in;
  in.session = &s;
  in.coupons = {h};
  auto b = billing::apply_benefits(in).value();
  EXPECT_EQ(b.discount_excl_vat, d("1.2"));
  EXPECT_EQ(b.payable_excl_vat, Decimal{});
  EXPECT_EQ(b.payable_incl_vat, Decimal{});

  h.coupon.currency = core::Currency::parse("USD").value();
  in.coupons = {h};
  EXPECT_TRUE(billing::apply_benefits(in).value().lines.empty());
}

TEST(Benefits, first_session_free_only_for_the_first_session) {
  auto s = session("7", "3.3333");
  billing::BenefitInput in;
  in.session = &s;
  in.coupons = {holding(domain::CouponKind::FirstSessionFree)};
  EXPECT_TRUE(billing::apply_benefits(in).value().lines.empty());
  in.first_session = true;
  auto b = billing::apply_benefits(in).value();
  EXPECT_EQ(b.payable_excl_vat, Decimal{});
  EXPECT_EQ(b.payable_incl_vat, Decimal{});
  EXPECT_EQ(b.discount_incl_vat, s.total_cost.incl_vat.value());
}

TEST(Benefits, first_hour_free_takes_off_the_first_hour_price) {
  auto s = session("30", "9.00", "3.00");
  auto first = session("10", "3.00", "1.00");
  billing::BenefitInput in;
  in.session = &s;
  in.coupons = {holding(domain::CouponKind::FirstHourFree)};
  EXPECT_TRUE(billing::apply_benefits(in).value().lines.empty()); // without the first hour's price
  in.first_hour = first;
  auto b = billing::apply_benefits(in).value();
  EXPECT_EQ(b.discount_excl_vat, d("4"));
  EXPECT_EQ(b.payable_excl_vat, d("8"));
}

TEST(Benefits, one_coupon_per_session_the_first_that_applies) {
  auto s = session("10", "4.00");
  auto expired = holding(domain::CouponKind::PercentOff, "OLD");
  expired.coupon.percent = d("50");
  expired.coupon.valid_until = at("2026-01-01T00:00:00Z");
  auto used_up = holding(domain::CouponKind::PercentOff, "USED");
  used_up.coupon.percent = d("50");
  used_up.coupon.max_redemptions = 3;
  used_up.used_in_total = 3;
  auto per_account = holding(domain::CouponKind::PercentOff, "MINE");
  per_account.coupon.percent = d("50");
  per_account.used_by_account = 1;
  auto good = holding(domain::CouponKind::PercentOff, "GOOD");
  good.coupon.percent = d("10");
  auto also = holding(domain::CouponKind::PercentOff, "ALSO");
  also.coupon.percent = d("10");
  billing::BenefitInput in;
  in.session = &s;
  in.session_start = at("2026-06-01T10:00:00Z");
  in.coupons = {expired, used_up, per_account, good, also};
  auto b = billing::apply_benefits(in).value();
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.lines[0].reference, "GOOD");
  EXPECT_EQ(b.payable_excl_vat, d("3.6"));
}

TEST(Benefits, a_coupon_not_yet_valid_does_not_apply) {
  auto h = holding(domain::CouponKind::PercentOff);
  h.coupon.valid_from = at("2026-07-01T00:00:00Z");
  EXPECT_FALSE(billing::coupon_applies(h, at("2026-06-30T23:59:59Z"), core::Currency::eur()));
  EXPECT_TRUE(billing::coupon_applies(h, at("2026-07-01T00:00:00Z"), core::Currency::eur()));
}

TEST(Benefits, points_are_redeemed_whole_and_never_beyond_the_price) {
  auto s = session("4", "1.23");
  auto p = plan();
  p.included_kwh = Decimal{};
  billing::BenefitInput in;
  in.session = &s;
  in.plan = p;
  in.points_balance = 1000;
  in.redeem_points = true;
  auto b = billing::apply_benefits(in).value();
  EXPECT_EQ(b.points_redeemed, 24); // 24 * 0.05 = 1.20 <= 1.23
  EXPECT_EQ(b.discount_excl_vat, d("1.2"));
  EXPECT_EQ(b.payable_excl_vat, d("0.03"));
  EXPECT_EQ(b.points_earned, 8);

  in.points_balance = 5;
  b = billing::apply_benefits(in).value();
  EXPECT_EQ(b.points_redeemed, 5);
  EXPECT_EQ(b.discount_excl_vat, d("0.25"));

  in.redeem_points = false;
  EXPECT_EQ(billing::apply_benefits(in).value().points_redeemed, 0);
}

TEST(Benefits, discounts_split_over_vat_rates_and_sum_exactly) {
  pricing::PricedSession s;
  s.total_energy = d("10");
  s.total_energy_cost = domain::Price{d("3.00"), std::nullopt};
  s.total_cost = domain::Price{d("4.00"), d("4.6700")};
  s.vat = {pricing::VatShare{d("19"), d("3.00"), d("0.57")}, pricing::VatShare{d("10"), d("1.00"), d("0.10")}};
  auto h = holding(domain::CouponKind::AmountOff);
  h.coupon.amount = d("1");
  h.coupon.currency = core::Currency::eur();
  billing::BenefitInput in;
  in.session = &s;
  in.coupons = {h};
  auto b = billing::apply_benefits(in).value();
  ASSERT_EQ(b.lines.size(), 2u);
  EXPECT_EQ(b.lines[0].vat_rate, d("19"));
  EXPECT_EQ(b.lines[0].excl_vat, d("0.75"));
  EXPECT_EQ(b.lines[0].vat, d("0.1425"));
  EXPECT_EQ(b.lines[1].excl_vat, d("0.25"));
  EXPECT_EQ(b.lines[1].vat, d("0.025"));
  EXPECT_EQ(sum_excl(b), d("1"));
  EXPECT_EQ(b.payable_incl_vat, d("3.5025"));
}

// Property: over a grid of sessions and benefits, the payable amount is never negative and the
// lines always sum to the discount, which never exceeds the price.
TEST(Benefits, property_payable_never_negative_and_lines_sum_to_the_discount) {
  for (int kwh = 0; kwh <= 40; kwh += 7)
    for (int cents = 0; cents <= 1000; cents += 137)
      for (int pct = 0; pct <= 100; pct += 25)
        for (int used = 0; used <= 12; used += 6) {
          auto s = session(std::to_string(kwh), Decimal::from_scaled(cents, 2).value().to_string(), "0.5");
          auto h = holding(domain::CouponKind::PercentOff);
          h.coupon.percent = Decimal::from_integer(pct).value();
          auto amount = holding(domain::CouponKind::AmountOff, "A");
          amount.coupon.amount = d("2.5");
          amount.coupon.currency = core::Currency::eur();
          billing::BenefitInput in;
          in.session = &s;
          in.plan = plan();
          in.included_kwh_used = Decimal::from_integer(used).value();
          in.coupons = {pct == 0 ? amount : h};
          in.points_balance = 7;
          in.redeem_points = true;
          auto b = billing::apply_benefits(in).value();
          EXPECT_GE(b.payable_excl_vat, Decimal{});
          EXPECT_GE(b.payable_incl_vat, Decimal{});
          EXPECT_EQ(sum_excl(b), b.discount_excl_vat);
          EXPECT_LE(b.discount_excl_vat, s.total_cost.excl_vat);
          EXPECT_LE(b.discount_incl_vat, s.total_cost.incl_vat.value());
          EXPECT_EQ(b.payable_excl_vat.plus(b.discount_excl_vat).value(), s.total_cost.excl_vat);
        }
}

TEST(Benefits, first_periods_cut_the_session_at_one_hour_pro_rata) {
  std::vector<pricing::SessionPeriod> p = {
      {at("2026-06-01T10:00:00Z"),
       at("2026-06-01T10:40:00Z"),
       pricing::PeriodState::Charging,
       core::Energy(8000),
       {},
       {}},
      {at("2026-06-01T10:40:00Z"),
       at("2026-06-01T11:40:00Z"),
       pricing::PeriodState::Charging,
       core::Energy(9000),
       {},
       {}},
      {at("2026-06-01T11:40:00Z"), at("2026-06-01T12:00:00Z"), pricing::PeriodState::Parking, core::Energy(0), {}, {}},
  };
  auto first = billing::first_periods(p);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].energy.count(), 8000);
  EXPECT_EQ(first[1].end, at("2026-06-01T11:00:00Z"));
  EXPECT_EQ(first[1].energy.count(), 3000);
}

TEST(Benefits, plan_fee_is_charged_per_month_after_the_trial) {
  auto p = plan();
  p.monthly_fee = d("9.99");
  domain::Subscription s;
  s.started_at = at("2026-03-10T00:00:00Z");
  s.trial_ends_at = at("2026-04-09T00:00:00Z");
  EXPECT_EQ(billing::plan_fee(p, s, at("2026-03-01T00:00:00Z"), at("2026-04-01T00:00:00Z")), Decimal{});
  EXPECT_EQ(billing::plan_fee(p, s, at("2026-04-01T00:00:00Z"), at("2026-05-01T00:00:00Z")), d("9.99"));
  EXPECT_EQ(billing::plan_fee(p, s, at("2026-03-01T00:00:00Z"), at("2026-07-01T00:00:00Z")), d("29.97"));
  s.ended_at = at("2026-05-15T00:00:00Z");
  EXPECT_EQ(billing::plan_fee(p, s, at("2026-06-01T00:00:00Z"), at("2026-07-01T00:00:00Z")), Decimal{});
  EXPECT_EQ(billing::month_start(at("2026-02-28T23:00:00Z")), at("2026-02-01T00:00:00Z"));
  EXPECT_EQ(billing::next_month_start(at("2026-12-31T23:00:00Z")), at("2027-01-01T00:00:00Z"));
}
