#pragma once
//! Storage of customer accounts, billing plans, subscriptions, coupons and loyalty points
//! (migration 0014). Used inside one unit of work; the rules are in services::AccountService,
//! the arithmetic in billing::apply_benefits. Amounts are stored as exact Decimal units.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/account.hpp"

namespace gridlane::domain {

class AccountStore {
public:
  virtual ~AccountStore() = default;

  // ---- accounts and their tokens
  //! With its tokens.
  virtual std::optional<Account> account(std::string_view id) = 0;
  //! The account a token belongs to.
  virtual std::optional<Account> account_of_token(std::string_view token_id) = 0;
  //! Ordered by id; tokens are not filled in.
  virtual std::vector<Account> accounts(const AccountFilter &f) = 0;
  virtual std::int64_t count_accounts(const AccountFilter &f) = 0;
  //! Writes the account's own fields (not its tokens).
  virtual void insert_account(const Account &a) = 0;
  virtual void update_account(const Account &a) = 0;
  //! Deletes it with its tokens, subscriptions, held coupons and loyalty ledger.
  virtual bool delete_account(std::string_view id) = 0;
  //! Links the token to the account (or changes its driver); false when it is another account's.
  virtual bool put_account_token(std::string_view account_id, const AccountToken &t) = 0;
  virtual bool delete_account_token(std::string_view account_id, std::string_view token_id) = 0;
  //! The customer group of the billing plan of the open subscription of the account the token
  //! belongs to; nullopt when the token has no account, the account no open subscription, or
  //! the plan no group. The tariff assignment resolves a session's groups with it.
  virtual std::optional<std::string> customer_group_of_token(std::string_view token_id) = 0;

  // ---- billing plans
  virtual std::optional<BillingPlan> billing_plan(std::string_view id) = 0;
  virtual std::vector<BillingPlan> billing_plans(std::size_t limit, std::size_t offset) = 0;
  virtual std::int64_t count_billing_plans() = 0;
  //! Inserts or replaces every field.
  virtual void put_billing_plan(const BillingPlan &p) = 0;
  virtual bool delete_billing_plan(std::string_view id) = 0;
  //! Subscriptions to it, open or ended.
  virtual std::int64_t count_plan_subscriptions(std::string_view plan_id) = 0;

  // ---- subscriptions
  virtual std::optional<Subscription> open_subscription(std::string_view account_id) = 0;
  //! Newest first.
  virtual std::vector<Subscription> subscriptions(std::string_view account_id) = 0;
  virtual std::int64_t insert_subscription(const Subscription &s) = 0;
  virtual void end_subscription(std::int64_t id, core::Timestamp at) = 0;

  // ---- coupons
  virtual std::optional<Coupon> coupon(std::string_view code) = 0;
  virtual std::vector<Coupon> coupons(std::size_t limit, std::size_t offset) = 0;
  virtual std::int64_t count_coupons() = 0;
  //! Inserts or replaces every field.
  virtual void put_coupon(const Coupon &c) = 0;
  virtual bool delete_coupon(std::string_view code) = 0;
  //! Redemptions of the coupon (all accounts, or one).
  virtual std::int64_t count_coupon_redemptions(std::string_view code, std::optional<std::string_view> account) = 0;
  //! false when the account holds it already.
  virtual bool claim_coupon(std::string_view account_id, std::string_view code, core::Timestamp at) = 0;
  //! In the order claimed, with their redemption counts.
  virtual std::vector<CouponHolding> coupon_holdings(std::string_view account_id) = 0;
  //! false (and nothing written) when the session has a redemption already.
  virtual bool insert_coupon_redemption(const CouponRedemption &r) = 0;
  virtual std::vector<CouponRedemption> coupon_redemptions(std::string_view code) = 0;

  // ---- loyalty points
  virtual std::int64_t loyalty_balance(std::string_view account_id) = 0;
  //! Newest first.
  virtual std::vector<LoyaltyEntry> loyalty_entries(std::string_view account_id, std::size_t limit,
                                                    std::size_t offset) = 0;
  virtual std::int64_t count_loyalty_entries(std::string_view account_id) = 0;
  //! false (and nothing written) when the session has an entry of that kind already.
  virtual bool insert_loyalty_entry(const LoyaltyEntry &e) = 0;

  // ---- what billed sessions used
  virtual std::optional<SessionBenefitRecord> session_benefits(std::int64_t transaction_id) = 0;
  //! false (and nothing written) when the session is recorded already.
  virtual bool insert_session_benefits(const SessionBenefitRecord &r) = 0;
  //! Included kWh used by the account's sessions that started in [from, to).
  virtual core::Decimal included_kwh_used(std::string_view account_id, core::Timestamp from, core::Timestamp to) = 0;
  //! Sessions of the account recorded so far.
  virtual std::int64_t count_session_benefits(std::string_view account_id) = 0;
};

} // namespace gridlane::domain
