#pragma once
//! Customer accounts and what they are billed under (docs/billing.md): an account is a driver or
//! a company with many drivers and their tokens, billed in one currency; it may subscribe to a
//! billing plan (monthly fee, included kWh, a customer group that selects cheaper tariffs, trial
//! days, loyalty points per kWh), hold coupons, and collect loyalty points. Amounts are exact
//! core::Decimal in the account's currency; the benefits of one session are computed by the pure
//! function billing::apply_benefits (gridlane/billing/benefits.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::domain {

//! The id of an account, a billing plan or a coupon code: 1 to 36 of A-Z a-z 0-9 . _ -
//! (like an OCPI CiString(36) id), chosen by the operator or generated. Never renamed.
bool valid_billing_id(std::string_view text);

enum class AccountKind { Driver, Company };
std::string_view to_string(AccountKind k);
std::optional<AccountKind> parse_account_kind(std::string_view text); //!< "driver", "company"

//! A token (id tag / card) that belongs to an account, with the driver who carries it.
struct AccountToken {
  std::string token_id;              //!< an IdToken's id; a token belongs to at most one account
  std::optional<std::string> driver; //!< the driver's name, for a company's statement
  bool operator==(const AccountToken &) const = default;
};

struct Account {
  std::string id;
  AccountKind kind = AccountKind::Driver;
  std::string name;
  core::Currency currency = core::Currency::eur(); //!< every amount billed to it
  std::optional<std::string> email;
  bool redeem_points = false; //!< loyalty points pay for sessions as they are billed
  std::vector<AccountToken> tokens;
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
};

struct AccountFilter {
  std::optional<std::string> name;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

struct BillingPlan {
  std::string id;
  std::string name;
  core::Currency currency = core::Currency::eur();
  core::Decimal monthly_fee;                 //!< excl. VAT, charged per calendar month after the trial
  std::optional<core::Decimal> fee_vat;      //!< percent on the fee; nullopt: none
  core::Decimal included_kwh;                //!< energy per calendar month whose energy cost is waived
  std::optional<std::string> customer_group; //!< selects the group's tariffs (tariff assignments)
  int trial_days = 0;                        //!< days without the monthly fee from the subscription's start
  core::Decimal points_per_kwh;              //!< loyalty points earned per kWh charged (whole points kept)
  core::Decimal point_value;                 //!< what one point pays when redeemed; 0: not redeemable
  core::Timestamp created_at{};
  core::Timestamp updated_at{};
};

//! An account's subscription to a plan: open until ended (at most one open per account).
struct Subscription {
  std::int64_t id = 0;
  std::string account_id;
  std::string plan_id;
  core::Timestamp started_at{};
  core::Timestamp trial_ends_at{}; //!< started_at + the plan's trial days when subscribed
  std::optional<core::Timestamp> ended_at;
};

enum class CouponKind {
  AmountOff,        //!< `amount` off a session (in the coupon's currency)
  PercentOff,       //!< `percent` off a session
  FirstSessionFree, //!< the account's first billed session costs nothing
  FirstHourFree,    //!< the first hour of a session costs nothing
};
std::string_view to_string(CouponKind k);
std::optional<CouponKind> parse_coupon_kind(std::string_view text); //!< "amount_off", ...

//! A coupon or promotion. An account claims it; then it applies to the account's sessions that
//! start within [valid_from, valid_until) while its limits allow, one coupon per session.
struct Coupon {
  std::string code;
  CouponKind kind = CouponKind::AmountOff;
  std::optional<std::string> description;
  core::Decimal amount;                   //!< AmountOff: excl. VAT
  std::optional<core::Currency> currency; //!< AmountOff: required; only sessions in it
  core::Decimal percent;                  //!< PercentOff: 0 < percent <= 100
  std::optional<core::Timestamp> valid_from;
  std::optional<core::Timestamp> valid_until;
  std::optional<std::int64_t> max_redemptions; //!< over all accounts; nullopt: unlimited
  std::int64_t max_per_account = 1;
  core::Timestamp created_at{};
};

//! A coupon an account holds, with its redemptions so far.
struct CouponHolding {
  Coupon coupon;
  core::Timestamp claimed_at{};
  std::int64_t used_by_account = 0;
  std::int64_t used_in_total = 0;
};

//! One recorded use of a coupon: at most one per session, recorded exactly once.
struct CouponRedemption {
  std::string code;
  std::string account_id;
  std::int64_t transaction_id = 0;
  core::Decimal amount; //!< the discount excl. VAT
  core::Timestamp at{};
};

enum class LoyaltyEntryKind { Earned, Redeemed, Adjusted };
std::string_view to_string(LoyaltyEntryKind k);
std::optional<LoyaltyEntryKind> parse_loyalty_entry_kind(std::string_view text);

//! A line of an account's loyalty ledger; the balance is the sum of `points`.
struct LoyaltyEntry {
  std::int64_t id = 0;
  std::string account_id;
  std::optional<std::int64_t> transaction_id; //!< earned and redeemed: the session
  LoyaltyEntryKind kind = LoyaltyEntryKind::Earned;
  std::int64_t points = 0; //!< positive earned, negative redeemed
  std::optional<std::string> reason;
  core::Timestamp at{};
};

//! What was applied to one billed session, recorded once per transaction: the included kWh it
//! used (so the next session of the month knows what is left) and the discount in total.
struct SessionBenefitRecord {
  std::int64_t transaction_id = 0;
  std::string account_id;
  core::Timestamp session_start{};
  core::Decimal included_kwh;
  core::Decimal discount; //!< excl. VAT
  std::string lines_json; //!< the discount lines as the API shows them
  core::Timestamp at{};
};

} // namespace gridlane::domain
