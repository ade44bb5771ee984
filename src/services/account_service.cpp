#include "gridlane/services/account_service.hpp"

#include "gridlane/core/ids.hpp"

#include <boost/json.hpp>

namespace gridlane::services {
using namespace gridlane::domain;
using core::Decimal;

namespace {

// Bounds that catch typos (a fee in cents typed as euros), not business limits.
const Decimal max_amount = Decimal::from_units(1'000'000 * Decimal::kOne); // 1,000,000 in any currency
const Decimal max_kwh = Decimal::from_units(1'000'000 * Decimal::kOne);
const Decimal max_points_rate = Decimal::from_units(1'000 * Decimal::kOne);
const Decimal hundred = Decimal::from_units(100 * Decimal::kOne);
constexpr std::size_t max_name = 100, max_email = 254, max_description = 255, max_driver = 100;
constexpr int max_trial_days = 3650;
constexpr std::int64_t max_count = 1'000'000'000, max_points_adjustment = 1'000'000'000;

Result<void> fail(std::string message, std::string field) {
  return ServiceError::invalid(std::move(message), std::move(field));
}

Result<void> check_id(std::string_view id, const char *field) {
  if (!valid_billing_id(id)) return fail(std::string(field) + " must be 1 to 36 of A-Z a-z 0-9 . _ -", field);
  return {};
}

Result<void> check_text(const std::string &v, std::size_t max, const char *field) {
  if (v.empty() || v.size() > max)
    return fail(std::string(field) + " must be 1 to " + std::to_string(max) + " characters", field);
  return {};
}

Result<void> check_range(Decimal v, Decimal max, const char *field) {
  if (v.is_negative() || v > max) return fail(std::string(field) + " must be from 0 to " + max.to_string(), field);
  return {};
}

Result<void> check_account(const Account &a) {
  if (auto ok = check_id(a.id, "id"); !ok) return ok;
  if (auto ok = check_text(a.name, max_name, "name"); !ok) return ok;
  if (a.email && (a.email->size() > max_email || a.email->find('@') == std::string::npos ||
                  a.email->find_first_of(" \t\r\n") != std::string::npos))
    return fail("email must be an e-mail address", "email");
  return {};
}

Result<void> check_plan(const BillingPlan &p) {
  if (auto ok = check_id(p.id, "id"); !ok) return ok;
  if (auto ok = check_text(p.name, max_name, "name"); !ok) return ok;
  if (auto ok = check_range(p.monthly_fee, max_amount, "monthly_fee"); !ok) return ok;
  if (p.fee_vat)
    if (auto ok = check_range(*p.fee_vat, hundred, "fee_vat"); !ok) return ok;
  if (auto ok = check_range(p.included_kwh, max_kwh, "included_kwh"); !ok) return ok;
  if (p.customer_group)
    if (auto ok = check_id(*p.customer_group, "customer_group"); !ok) return ok;
  if (p.trial_days < 0 || p.trial_days > max_trial_days) return fail("trial_days must be from 0 to 3650", "trial_days");
  if (auto ok = check_range(p.points_per_kwh, max_points_rate, "points_per_kwh"); !ok) return ok;
  if (auto ok = check_range(p.point_value, max_amount, "point_value"); !ok) return ok;
  return {};
}

Result<void> check_coupon(const Coupon &c) {
  if (auto ok = check_id(c.code, "code"); !ok) return ok;
  if (c.description && (c.description->empty() || c.description->size() > max_description))
    return fail("description must be 1 to 255 characters", "description");
  switch (c.kind) {
  case CouponKind::AmountOff:
    if (c.amount <= Decimal{} || c.amount > max_amount) return fail("amount must be more than 0", "amount");
    if (!c.currency) return fail("an amount_off coupon needs its currency", "currency");
    break;
  case CouponKind::PercentOff:
    if (c.percent <= Decimal{} || c.percent > hundred)
      return fail("percent must be more than 0 and at most 100", "percent");
    break;
  case CouponKind::FirstSessionFree:
  case CouponKind::FirstHourFree: break;
  }
  if (c.valid_from && c.valid_until && *c.valid_until <= *c.valid_from)
    return fail("valid_until must be after valid_from", "valid_until");
  if (c.max_redemptions && (*c.max_redemptions < 1 || *c.max_redemptions > max_count))
    return fail("max_redemptions must be at least 1", "max_redemptions");
  if (c.max_per_account < 1 || c.max_per_account > max_count)
    return fail("max_per_account must be at least 1", "max_per_account");
  return {};
}

std::string lines_json(const std::vector<billing::DiscountLine> &lines) {
  boost::json::array out;
  for (const auto &l : lines) {
    boost::json::object o{{"kind", billing::to_string(l.kind)},
                          {"reference", l.reference},
                          {"description", l.description},
                          {"excl_vat", l.excl_vat.to_string()},
                          {"vat", l.vat.to_string()}};
    o["vat_rate"] = l.vat_rate ? boost::json::value(l.vat_rate->to_string()) : boost::json::value(nullptr);
    out.push_back(std::move(o));
  }
  return boost::json::serialize(out);
}

} // namespace

// ---- accounts

Result<Account> AccountService::create_account(Repository &r, Account draft, core::Timestamp now) const {
  if (draft.id.empty()) draft.id = core::random_hex_id();
  if (auto ok = check_account(draft); !ok) return ok.error();
  if (r.account(draft.id)) return ServiceError::conflict("an account with this id exists");
  draft.tokens.clear();
  draft.created_at = draft.updated_at = now;
  r.insert_account(draft);
  return *r.account(draft.id);
}

Result<Account> AccountService::update_account(Repository &r, Account changed, core::Timestamp now) const {
  auto current = r.account(changed.id);
  if (!current) return ServiceError::not_found("no such account");
  if (auto ok = check_account(changed); !ok) return ok.error();
  if (!(changed.currency == current->currency) && r.count_session_benefits(changed.id) > 0)
    return ServiceError::conflict("the currency of an account with billed sessions never changes");
  if (auto sub = r.open_subscription(changed.id); sub && !(changed.currency == current->currency))
    return ServiceError::conflict("the account's plan is billed in " + std::string(current->currency.code()) +
                                  "; end the subscription first");
  changed.created_at = current->created_at;
  changed.updated_at = now;
  r.update_account(changed);
  return *r.account(changed.id);
}

Result<Account> AccountService::account(Repository &r, std::string_view id) const {
  auto a = r.account(id);
  if (!a) return ServiceError::not_found("no such account");
  return *a;
}

Result<void> AccountService::delete_account(Repository &r, std::string_view id) const {
  if (!r.account(id)) return ServiceError::not_found("no such account");
  if (r.count_session_benefits(id) > 0)
    return ServiceError::conflict("the account has billed sessions; it stays for its invoices");
  r.delete_account(id);
  return {};
}

Result<Account> AccountService::link_token(Repository &r, std::string_view account_id, AccountToken token) const {
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  if (!r.id_token(token.token_id)) return ServiceError::not_found("no such id token");
  if (token.driver && (token.driver->empty() || token.driver->size() > max_driver))
    return ServiceError::invalid("driver must be 1 to 100 characters", "driver");
  if (!r.put_account_token(account_id, token)) return ServiceError::conflict("the token belongs to another account");
  return *r.account(account_id);
}

Result<Account> AccountService::unlink_token(Repository &r, std::string_view account_id,
                                             std::string_view token_id) const {
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  if (!r.delete_account_token(account_id, token_id)) return ServiceError::not_found("no such token on the account");
  return *r.account(account_id);
}

// ---- billing plans

Result<Put<BillingPlan>> AccountService::put_plan(Repository &r, BillingPlan plan, core::Timestamp now) const {
  if (auto ok = check_plan(plan); !ok) return ok.error();
  auto current = r.billing_plan(plan.id);
  if (current && !(current->currency == plan.currency) && r.count_plan_subscriptions(plan.id) > 0)
    return ServiceError::conflict("the currency of a plan with subscriptions never changes");
  plan.created_at = current ? current->created_at : now;
  plan.updated_at = now;
  r.put_billing_plan(plan);
  return Put<BillingPlan>{*r.billing_plan(plan.id), !current};
}

Result<BillingPlan> AccountService::plan(Repository &r, std::string_view id) const {
  auto p = r.billing_plan(id);
  if (!p) return ServiceError::not_found("no such billing plan");
  return *p;
}

Result<void> AccountService::delete_plan(Repository &r, std::string_view id) const {
  if (!r.billing_plan(id)) return ServiceError::not_found("no such billing plan");
  if (r.count_plan_subscriptions(id) > 0) return ServiceError::conflict("accounts subscribe or subscribed to the plan");
  r.delete_billing_plan(id);
  return {};
}

// ---- subscriptions

Result<Subscription> AccountService::subscribe(Repository &r, std::string_view account_id, std::string_view plan_id,
                                               std::optional<core::Timestamp> start, core::Timestamp now) const {
  auto a = r.account(account_id);
  if (!a) return ServiceError::not_found("no such account");
  auto p = r.billing_plan(plan_id);
  if (!p) return ServiceError::invalid("no such billing plan", "plan");
  if (!(p->currency == a->currency))
    return ServiceError::invalid("the plan is billed in " + std::string(p->currency.code()) + ", the account in " +
                                     std::string(a->currency.code()),
                                 "plan");
  const auto from = start.value_or(now);
  if (auto open = r.open_subscription(account_id)) {
    if (from < open->started_at)
      return ServiceError::conflict("the new subscription must start after the current one started");
    r.end_subscription(open->id, from);
  }
  Subscription s;
  s.account_id = std::string(account_id);
  s.plan_id = std::string(plan_id);
  s.started_at = from;
  s.trial_ends_at = from + std::chrono::days{p->trial_days};
  s.id = r.insert_subscription(s);
  return s;
}

Result<Subscription> AccountService::unsubscribe(Repository &r, std::string_view account_id,
                                                 core::Timestamp now) const {
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  auto open = r.open_subscription(account_id);
  if (!open) return ServiceError::not_found("the account has no subscription");
  r.end_subscription(open->id, now);
  open->ended_at = now;
  return *open;
}

// ---- coupons

Result<Put<Coupon>> AccountService::put_coupon(Repository &r, Coupon c, core::Timestamp now) const {
  if (auto ok = check_coupon(c); !ok) return ok.error();
  auto current = r.coupon(c.code);
  if (current && current->kind != c.kind && r.count_coupon_redemptions(c.code, std::nullopt) > 0)
    return ServiceError::conflict("the kind of a redeemed coupon never changes");
  c.created_at = current ? current->created_at : now;
  r.put_coupon(c);
  return Put<Coupon>{*r.coupon(c.code), !current};
}

Result<Coupon> AccountService::coupon(Repository &r, std::string_view code) const {
  auto c = r.coupon(code);
  if (!c) return ServiceError::not_found("no such coupon");
  return *c;
}

Result<void> AccountService::delete_coupon(Repository &r, std::string_view code) const {
  if (!r.coupon(code)) return ServiceError::not_found("no such coupon");
  if (r.count_coupon_redemptions(code, std::nullopt) > 0)
    return ServiceError::conflict("the coupon has been redeemed; its redemptions refer to it");
  r.delete_coupon(code);
  return {};
}

Result<std::vector<CouponHolding>> AccountService::claim_coupon(Repository &r, std::string_view account_id,
                                                                std::string_view code, core::Timestamp now) const {
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  auto c = r.coupon(code);
  if (!c) return ServiceError::invalid("no such coupon", "code");
  if (c->valid_until && now >= *c->valid_until) return ServiceError::conflict("the coupon has expired");
  if (c->max_redemptions && r.count_coupon_redemptions(code, std::nullopt) >= *c->max_redemptions)
    return ServiceError::conflict("the coupon is used up");
  if (!r.claim_coupon(account_id, code, now)) return ServiceError::conflict("the account holds this coupon already");
  return r.coupon_holdings(account_id);
}

// ---- loyalty

Result<LoyaltyStatement> AccountService::loyalty(Repository &r, std::string_view account_id, std::size_t limit,
                                                 std::size_t offset) const {
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  return LoyaltyStatement{r.loyalty_balance(account_id), r.loyalty_entries(account_id, limit, offset),
                          r.count_loyalty_entries(account_id)};
}

Result<LoyaltyStatement> AccountService::adjust_points(Repository &r, std::string_view account_id, std::int64_t points,
                                                       std::optional<std::string> reason, core::Timestamp now) const {
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  if (points == 0 || points > max_points_adjustment || points < -max_points_adjustment)
    return ServiceError::invalid("points must be a non-zero whole number within +-1,000,000,000", "points");
  if (reason && (reason->empty() || reason->size() > max_description))
    return ServiceError::invalid("reason must be 1 to 255 characters", "reason");
  if (r.loyalty_balance(account_id) + points < 0) return ServiceError::conflict("the balance would fall below zero");
  r.insert_loyalty_entry(
      {0, std::string(account_id), std::nullopt, LoyaltyEntryKind::Adjusted, points, std::move(reason), now});
  return loyalty(r, account_id, 100, 0);
}

// ---- benefits

Result<billing::Benefits> AccountService::benefits(Repository &r, std::string_view account_id,
                                                   const pricing::PricedSession &session, core::Timestamp start,
                                                   std::optional<pricing::PricedSession> first_hour) const {
  auto a = r.account(account_id);
  if (!a) return ServiceError::not_found("no such account");
  if (!(a->currency == session.currency))
    return ServiceError::invalid("the session is priced in " + std::string(session.currency.code()) +
                                     ", the account billed in " + std::string(a->currency.code()),
                                 "currency");
  billing::BenefitInput in;
  in.session = &session;
  in.session_start = start;
  // The subscription open when the session started.
  for (const auto &s : r.subscriptions(account_id))
    if (s.started_at <= start && (!s.ended_at || start < *s.ended_at)) {
      in.plan = r.billing_plan(s.plan_id);
      break;
    }
  in.included_kwh_used = r.included_kwh_used(account_id, billing::month_start(start), billing::next_month_start(start));
  in.first_session = r.count_session_benefits(account_id) == 0;
  in.coupons = r.coupon_holdings(account_id);
  in.first_hour = std::move(first_hour);
  in.points_balance = r.loyalty_balance(account_id);
  in.redeem_points = a->redeem_points;
  return billing::apply_benefits(in);
}

Result<bool> AccountService::record_benefits(Repository &r, std::string_view account_id, const BilledSession &s,
                                             core::Timestamp now) const {
  if (!s.benefits) return ServiceError::invalid("the benefits are required", "benefits");
  if (!r.account(account_id)) return ServiceError::not_found("no such account");
  const auto &b = *s.benefits;
  const std::string id(account_id);
  // The session row first: its primary key makes every write below happen once.
  if (!r.insert_session_benefits(
          {s.transaction_id, id, s.start, b.included_kwh, b.discount_excl_vat, lines_json(b.lines), now}))
    return false;
  if (b.coupon) r.insert_coupon_redemption({*b.coupon, id, s.transaction_id, b.coupon_amount, now});
  if (b.points_earned > 0)
    r.insert_loyalty_entry({0, id, s.transaction_id, LoyaltyEntryKind::Earned, b.points_earned, std::nullopt, now});
  if (b.points_redeemed > 0)
    r.insert_loyalty_entry(
        {0, id, s.transaction_id, LoyaltyEntryKind::Redeemed, -b.points_redeemed, std::nullopt, now});
  return true;
}

Result<std::optional<billing::Benefits>>
AccountService::bill_session(Repository &r, std::string_view account_id, std::int64_t transaction_id,
                             const pricing::PricedSession &session, core::Timestamp start, core::Timestamp now,
                             std::optional<pricing::PricedSession> first_hour) const {
  using Out = std::optional<billing::Benefits>;
  if (r.session_benefits(transaction_id)) return Out{};
  auto b = benefits(r, account_id, session, start, std::move(first_hour));
  if (!b) return b.error();
  auto recorded = record_benefits(r, account_id, BilledSession{transaction_id, start, &*b}, now);
  if (!recorded) return recorded.error();
  if (!*recorded) return Out{};
  return Out{std::move(*b)};
}

} // namespace gridlane::services
