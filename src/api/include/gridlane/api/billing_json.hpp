#pragma once
//! Accounts, billing plans, coupons, loyalty and discount lines as the JSON the operator API
//! and `gridlane admin account` read and print (docs/billing.md). Amounts, kWh, percentages
//! and point rates are JSON numbers (read exactly, digit by digit: Decimal::from_wire) or
//! decimal strings; timestamps RFC 3339.
#include <boost/json/object.hpp>
#include <optional>
#include <vector>

#include "gridlane/billing/benefits.hpp"
#include "gridlane/domain/account.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::api {

boost::json::object account_json(const domain::Account &a, const std::optional<domain::Subscription> &subscription,
                                 const std::vector<domain::CouponHolding> &coupons, std::int64_t points);
boost::json::object account_summary_json(const domain::Account &a);
boost::json::object plan_json(const domain::BillingPlan &p);
boost::json::object subscription_json(const domain::Subscription &s);
boost::json::object coupon_json(const domain::Coupon &c, std::optional<std::int64_t> redemptions = std::nullopt);
boost::json::object holding_json(const domain::CouponHolding &h);
boost::json::object loyalty_entry_json(const domain::LoyaltyEntry &e);
boost::json::object benefits_json(const billing::Benefits &b, const core::Currency &currency);

//! Applies the fields present in `body` to `a` (null clears an optional field): the body of a
//! create (on a default Account; `id` read only then) and of a PATCH.
domain::Result<void> apply_account_fields(const boost::json::object &body, domain::Account &a, bool create);
//! A plan as PUT /billing-plans/{id} describes it (every field; `id` in the body, if any, must match).
domain::Result<domain::BillingPlan> plan_from_json(const boost::json::object &body, const std::string &id);
//! A coupon as PUT /coupons/{code} describes it.
domain::Result<domain::Coupon> coupon_from_json(const boost::json::object &body, const std::string &code);
//! A priced session as POST /accounts/{id}/benefits/preview describes it: OCPI CDR totals
//! (currency, total_cost, total_energy, total_energy_cost, optional vat split) and the optional
//! price of its first hour (first_hour_cost, excl. VAT).
struct SessionForPreview {
  pricing::PricedSession session;
  core::Timestamp start{};
  std::optional<pricing::PricedSession> first_hour;
};
domain::Result<SessionForPreview> preview_session_from_json(const boost::json::object &body);

} // namespace gridlane::api
