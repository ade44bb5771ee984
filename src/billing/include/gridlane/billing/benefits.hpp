#pragma once
//! What an account's plan, coupons and loyalty points take off one priced session: a pure
//! function of its inputs (no store, no clock), in exact Decimal arithmetic, so an invoice, a
//! preview and a test get the same discount lines. services::AccountService gathers the inputs
//! from the store and records what was used, once per session (docs/billing.md).
//!
//! Order: the plan's included kWh first, then one coupon, then loyalty points; each works on
//! what is left to pay, so the session never costs less than nothing. Every discount is an
//! amount excl. VAT, split over the session's VAT rates in proportion to the session's own
//! split (pricing::PricedSession::vat), one line per rate, so an invoice keeps its VAT per rate.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/domain/account.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/pricing/engine.hpp"

namespace gridlane::billing {

enum class BenefitKind { IncludedEnergy, Coupon, LoyaltyPoints };
std::string_view to_string(BenefitKind k); //!< "included_energy", "coupon", "loyalty_points"

//! One discount at one VAT rate. Amounts are positive: what is taken off.
struct DiscountLine {
  BenefitKind kind = BenefitKind::Coupon;
  std::string reference; //!< the plan id, the coupon code, or "loyalty"
  std::string description;
  std::optional<core::Decimal> vat_rate; //!< percent; nullopt: the part of the session without VAT
  core::Decimal excl_vat;
  core::Decimal vat;
  bool operator==(const DiscountLine &) const = default;
};

struct BenefitInput {
  const pricing::PricedSession *session = nullptr; //!< required
  core::Timestamp session_start{};
  //! The plan of the account's open subscription, if any (in the session's currency, else ignored).
  std::optional<domain::BillingPlan> plan;
  core::Decimal included_kwh_used; //!< of the plan's allowance, this calendar month before the session
  bool first_session = false;      //!< the account has no billed session yet
  //! The coupons the account holds, in the order claimed; the first that applies is used.
  std::vector<domain::CouponHolding> coupons;
  //! The session priced over its first hour only (pricing::price of first_hour_periods), for a
  //! first-hour-free coupon; without it such a coupon does not apply.
  std::optional<pricing::PricedSession> first_hour;
  std::int64_t points_balance = 0;
  bool redeem_points = false;
};

struct Benefits {
  std::vector<DiscountLine> lines;
  core::Decimal discount_excl_vat;
  core::Decimal discount_incl_vat;
  core::Decimal payable_excl_vat; //!< total_cost.excl_vat - discount, >= 0
  core::Decimal payable_incl_vat;
  core::Decimal included_kwh;        //!< of the plan's allowance used by this session
  std::optional<std::string> coupon; //!< the coupon redeemed
  core::Decimal coupon_amount;       //!< its discount excl. VAT
  std::int64_t points_earned = 0;
  std::int64_t points_redeemed = 0;
};

//! The benefits of one session. Invalid when the session is missing or its amounts are out of range.
domain::Result<Benefits> apply_benefits(const BenefitInput &in);

//! Whether a coupon held by the account may apply to a session that starts at `start` in
//! `currency` (validity dates, limits, currency of an amount-off coupon).
bool coupon_applies(const domain::CouponHolding &h, core::Timestamp start, const core::Currency &currency);

//! The periods of a session cut to its first `length` (energy shared pro rata by time, whole Wh),
//! to be priced for a first-hour-free coupon.
std::vector<pricing::SessionPeriod> first_periods(std::span<const pricing::SessionPeriod> periods,
                                                  std::chrono::seconds length = std::chrono::hours{1});

//! The monthly fee of a plan for a billing period [from, to): the fee once for every calendar
//! month (UTC) that the period touches in which the subscription is open on at least one day
//! after its trial ends. Zero within the trial.
core::Decimal plan_fee(const domain::BillingPlan &plan, const domain::Subscription &s, core::Timestamp from,
                       core::Timestamp to);

//! The start of the calendar month (UTC) that contains `t`, and of the next one.
core::Timestamp month_start(core::Timestamp t);
core::Timestamp next_month_start(core::Timestamp t);

} // namespace gridlane::billing
