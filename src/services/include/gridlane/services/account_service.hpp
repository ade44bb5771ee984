#pragma once
//! The rules of customer accounts, billing plans, subscriptions, coupons and loyalty points
//! (docs/billing.md). Each operation is a function of the repository (inside one unit of work)
//! and `now`, so the API and `gridlane admin account` apply the same rules; refusals are values.
//! The discount arithmetic is billing::apply_benefits; this class gathers its inputs from the
//! store (session_benefits) and records what a billed session used, exactly once (record_benefits).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/billing/benefits.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

//! A plan or coupon written by put_*: created (HTTP 201) or replaced (200).
template <class T> struct Put {
  T value;
  bool created = false;
};

struct LoyaltyStatement {
  std::int64_t balance = 0;
  std::vector<domain::LoyaltyEntry> entries; //!< newest first, one page
  std::int64_t total = 0;                    //!< entries in all
};

//! A billed session, as record_benefits takes it.
struct BilledSession {
  std::int64_t transaction_id = 0;
  core::Timestamp start{};
  const billing::Benefits *benefits = nullptr;
};

class AccountService {
public:
  // ---- accounts
  //! A draft with an empty id gets 16 random hex digits.
  domain::Result<domain::Account> create_account(domain::Repository &r, domain::Account draft,
                                                 core::Timestamp now) const;
  //! Writes the account's own fields (created_at is kept; tokens are linked one by one).
  domain::Result<domain::Account> update_account(domain::Repository &r, domain::Account changed,
                                                 core::Timestamp now) const;
  domain::Result<domain::Account> account(domain::Repository &r, std::string_view id) const;
  //! Conflict once a session of it has been billed (its invoices need it).
  domain::Result<void> delete_account(domain::Repository &r, std::string_view id) const;
  //! The token must be known (an id token); Conflict when it is another account's.
  domain::Result<domain::Account> link_token(domain::Repository &r, std::string_view account_id,
                                             domain::AccountToken token) const;
  domain::Result<domain::Account> unlink_token(domain::Repository &r, std::string_view account_id,
                                               std::string_view token_id) const;

  // ---- billing plans
  domain::Result<Put<domain::BillingPlan>> put_plan(domain::Repository &r, domain::BillingPlan plan,
                                                    core::Timestamp now) const;
  domain::Result<domain::BillingPlan> plan(domain::Repository &r, std::string_view id) const;
  //! Conflict while any subscription (open or ended) refers to it.
  domain::Result<void> delete_plan(domain::Repository &r, std::string_view id) const;

  // ---- subscriptions
  //! Subscribes the account to the plan from `start` (ending the open subscription, if any, then);
  //! the trial ends `trial_days` after `start`. The plan's currency must be the account's.
  domain::Result<domain::Subscription> subscribe(domain::Repository &r, std::string_view account_id,
                                                 std::string_view plan_id, std::optional<core::Timestamp> start,
                                                 core::Timestamp now) const;
  //! Ends the open subscription now; NotFound when there is none.
  domain::Result<domain::Subscription> unsubscribe(domain::Repository &r, std::string_view account_id,
                                                   core::Timestamp now) const;

  // ---- coupons
  domain::Result<Put<domain::Coupon>> put_coupon(domain::Repository &r, domain::Coupon coupon,
                                                 core::Timestamp now) const;
  domain::Result<domain::Coupon> coupon(domain::Repository &r, std::string_view code) const;
  //! Conflict once redeemed (the redemptions refer to it).
  domain::Result<void> delete_coupon(domain::Repository &r, std::string_view code) const;
  //! The account takes the coupon; Conflict when it holds it already or it has expired.
  domain::Result<std::vector<domain::CouponHolding>> claim_coupon(domain::Repository &r, std::string_view account_id,
                                                                  std::string_view code, core::Timestamp now) const;

  // ---- loyalty
  domain::Result<LoyaltyStatement> loyalty(domain::Repository &r, std::string_view account_id, std::size_t limit,
                                           std::size_t offset) const;
  //! An operator's correction (positive grants, negative takes away); the balance stays >= 0.
  domain::Result<LoyaltyStatement> adjust_points(domain::Repository &r, std::string_view account_id,
                                                 std::int64_t points, std::optional<std::string> reason,
                                                 core::Timestamp now) const;

  // ---- benefits of a billed session
  //! What the account's plan, coupons and points take off a priced session that started at
  //! `start` (billing::apply_benefits with the inputs as stored now). Pure reading.
  domain::Result<billing::Benefits> benefits(domain::Repository &r, std::string_view account_id,
                                             const pricing::PricedSession &session, core::Timestamp start,
                                             std::optional<pricing::PricedSession> first_hour = std::nullopt) const;
  //! Records what a billed session used: the included kWh, its coupon redemption, the points
  //! earned and redeemed. Exactly once per transaction: false (and nothing written) when the
  //! session is recorded already.
  domain::Result<bool> record_benefits(domain::Repository &r, std::string_view account_id, const BilledSession &s,
                                       core::Timestamp now) const;
  //! benefits() and record_benefits() in one go, as a billing run calls them inside its unit of
  //! work (so no other session uses the same coupon or allowance in between). nullopt when the
  //! session was billed already: nothing is applied twice.
  domain::Result<std::optional<billing::Benefits>>
  bill_session(domain::Repository &r, std::string_view account_id, std::int64_t transaction_id,
               const pricing::PricedSession &session, core::Timestamp start, core::Timestamp now,
               std::optional<pricing::PricedSession> first_hour = std::nullopt) const;
};

} // namespace gridlane::services
