// The JSON codec of accounts, billing plans, coupons and loyalty (docs/billing.md).
#include "gridlane/api/billing_json.hpp"

#include <boost/json.hpp>
#include <cmath>

namespace gridlane::api {
namespace json = boost::json;
using namespace gridlane::domain;
using core::Decimal;

namespace {

json::value number(Decimal d) {
  if (d.units() % Decimal::kOne == 0) return d.units() / Decimal::kOne;
  return d.to_wire();
}
json::value opt_number(const std::optional<Decimal> &d) {
  return d ? number(*d) : json::value(nullptr);
}
json::value opt_time(const std::optional<core::Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}
template <class T> json::value opt_string(const std::optional<T> &v) {
  return v ? json::value(json::string(*v)) : json::value(nullptr);
}

ServiceError bad(const std::string &field, const std::string &what) {
  return ServiceError::invalid("'" + field + "' must be " + what, field);
}

//! A decimal: a JSON number (exactly as written, at most 6 decimals) or a decimal string.
Result<std::optional<Decimal>> decimal_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<Decimal>{};
  const std::string field(key);
  core::ValueResult<Decimal> d = core::ValueError::Invalid;
  if (v->is_int64())
    d = Decimal::from_integer(v->get_int64());
  else if (v->is_uint64())
    d = core::ValueError::Overflow;
  else if (v->is_double()) {
    // More than six decimals would be rounded: refused instead.
    d = Decimal::from_wire(v->get_double(), core::Rounding::HalfUp);
    if (d && std::fabs(d->to_wire() - v->get_double()) > 1e-9 * std::max(1.0, std::fabs(v->get_double())))
      d = core::ValueError::Invalid;
  } else if (v->is_string())
    d = Decimal::parse(v->get_string());
  else
    return bad(field, "a number");
  if (!d) return bad(field, "a decimal number with at most 6 decimals, in range");
  return std::optional<Decimal>{*d};
}

Result<Decimal> required_decimal(const json::object &o, std::string_view key) {
  auto d = decimal_member(o, key);
  if (!d) return d.error();
  if (!*d) return bad(std::string(key), "given");
  return **d;
}

Result<std::optional<std::string>> text_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return bad(std::string(key), "a string or null");
  return std::optional<std::string>{std::string(v->get_string())};
}

Result<std::optional<std::int64_t>> int_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  if (v->is_int64()) return std::optional<std::int64_t>{v->get_int64()};
  if (v->is_double() && std::trunc(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 1e15)
    return std::optional<std::int64_t>{static_cast<std::int64_t>(v->get_double())};
  return bad(std::string(key), "a whole number");
}

Result<std::optional<core::Timestamp>> time_member(const json::object &o, std::string_view key) {
  auto t = text_member(o, key);
  if (!t) return t.error();
  if (!*t) return std::optional<core::Timestamp>{};
  auto parsed = core::parse_iso8601(**t);
  if (!parsed) return bad(std::string(key), "an RFC 3339 date-time with zone, e.g. 2026-06-01T00:00:00Z");
  return std::optional<core::Timestamp>{*parsed};
}

Result<core::Currency> currency_member(const json::object &o, std::string_view key) {
  auto t = text_member(o, key);
  if (!t) return t.error();
  if (!*t) return bad(std::string(key), "given (ISO 4217, e.g. EUR)");
  auto c = core::Currency::parse(**t);
  if (!c) return bad(std::string(key), "an ISO 4217 code, e.g. EUR");
  return *c;
}

//! Refuses members the object does not know: a typo never passes silently.
Result<void> known(const json::object &o, std::initializer_list<std::string_view> keys) {
  for (const auto &kv : o)
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end())
      return ServiceError::invalid("unknown member '" + std::string(kv.key()) + "'", std::string(kv.key()));
  return {};
}

Result<Price> price_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || !v->is_object()) return bad(std::string(key), "{excl_vat, incl_vat?}");
  const auto &p = v->get_object();
  auto excl = required_decimal(p, "excl_vat");
  if (!excl) return ServiceError::invalid(excl.error().message, std::string(key) + ".excl_vat");
  auto incl = decimal_member(p, "incl_vat");
  if (!incl) return ServiceError::invalid(incl.error().message, std::string(key) + ".incl_vat");
  if (excl->is_negative() || (*incl && (*incl)->is_negative())) return bad(std::string(key), "not negative");
  return Price{*excl, *incl};
}

} // namespace

json::object account_summary_json(const Account &a) {
  json::object o{{"id", a.id},
                 {"kind", to_string(a.kind)},
                 {"name", a.name},
                 {"currency", a.currency.code()},
                 {"email", opt_string(a.email)},
                 {"redeem_points", a.redeem_points},
                 {"created_at", core::format_iso8601(a.created_at)},
                 {"updated_at", core::format_iso8601(a.updated_at)}};
  return o;
}

json::object account_json(const Account &a, const std::optional<Subscription> &subscription,
                          const std::vector<CouponHolding> &coupons, std::int64_t points) {
  auto o = account_summary_json(a);
  json::array tokens;
  for (const auto &t : a.tokens)
    tokens.push_back(json::object{{"token", t.token_id}, {"driver", opt_string(t.driver)}});
  o["tokens"] = std::move(tokens);
  o["subscription"] = subscription ? json::value(subscription_json(*subscription)) : json::value(nullptr);
  json::array held;
  for (const auto &h : coupons)
    held.push_back(holding_json(h));
  o["coupons"] = std::move(held);
  o["loyalty_points"] = points;
  return o;
}

json::object plan_json(const BillingPlan &p) {
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"currency", p.currency.code()},
                      {"monthly_fee", number(p.monthly_fee)},
                      {"fee_vat", opt_number(p.fee_vat)},
                      {"included_kwh", number(p.included_kwh)},
                      {"customer_group", opt_string(p.customer_group)},
                      {"trial_days", p.trial_days},
                      {"points_per_kwh", number(p.points_per_kwh)},
                      {"point_value", number(p.point_value)},
                      {"created_at", core::format_iso8601(p.created_at)},
                      {"updated_at", core::format_iso8601(p.updated_at)}};
}

json::object subscription_json(const Subscription &s) {
  return json::object{{"id", s.id},
                      {"plan", s.plan_id},
                      {"started_at", core::format_iso8601(s.started_at)},
                      {"trial_ends_at", core::format_iso8601(s.trial_ends_at)},
                      {"ended_at", opt_time(s.ended_at)}};
}

json::object coupon_json(const Coupon &c, std::optional<std::int64_t> redemptions) {
  json::object o{{"code", c.code},
                 {"kind", to_string(c.kind)},
                 {"description", opt_string(c.description)},
                 {"valid_from", opt_time(c.valid_from)},
                 {"valid_until", opt_time(c.valid_until)},
                 {"max_redemptions", c.max_redemptions ? json::value(*c.max_redemptions) : json::value(nullptr)},
                 {"max_per_account", c.max_per_account},
                 {"created_at", core::format_iso8601(c.created_at)}};
  if (c.kind == CouponKind::AmountOff) {
    o["amount"] = number(c.amount);
    o["currency"] = c.currency ? json::value(c.currency->code()) : json::value(nullptr);
  }
  if (c.kind == CouponKind::PercentOff) o["percent"] = number(c.percent);
  if (redemptions) o["redemptions"] = *redemptions;
  return o;
}

json::object holding_json(const CouponHolding &h) {
  return json::object{{"code", h.coupon.code},
                      {"kind", to_string(h.coupon.kind)},
                      {"claimed_at", core::format_iso8601(h.claimed_at)},
                      {"used", h.used_by_account},
                      {"max_per_account", h.coupon.max_per_account}};
}

json::object loyalty_entry_json(const LoyaltyEntry &e) {
  return json::object{{"id", e.id},
                      {"kind", to_string(e.kind)},
                      {"points", e.points},
                      {"transaction_id", e.transaction_id ? json::value(*e.transaction_id) : json::value(nullptr)},
                      {"reason", opt_string(e.reason)},
                      {"at", core::format_iso8601(e.at)}};
}

json::object benefits_json(const billing::Benefits &b, const core::Currency &currency) {
  json::array lines;
  for (const auto &l : b.lines)
    lines.push_back(json::object{{"kind", billing::to_string(l.kind)},
                                 {"reference", l.reference},
                                 {"description", l.description},
                                 {"vat_rate", opt_number(l.vat_rate)},
                                 {"excl_vat", number(l.excl_vat)},
                                 {"vat", number(l.vat)}});
  return json::object{
      {"currency", currency.code()},
      {"lines", std::move(lines)},
      {"discount", json::object{{"excl_vat", number(b.discount_excl_vat)}, {"incl_vat", number(b.discount_incl_vat)}}},
      {"payable", json::object{{"excl_vat", number(b.payable_excl_vat)}, {"incl_vat", number(b.payable_incl_vat)}}},
      {"included_kwh", number(b.included_kwh)},
      {"coupon", opt_string(b.coupon)},
      {"points_earned", b.points_earned},
      {"points_redeemed", b.points_redeemed}};
}

Result<void> apply_account_fields(const json::object &body, Account &a, bool create) {
  if (auto ok = known(body, {"id", "kind", "name", "currency", "email", "redeem_points"}); !ok) return ok;
  if (create) {
    auto id = text_member(body, "id");
    if (!id) return id.error();
    if (*id) a.id = **id;
  }
  if (body.contains("kind")) {
    auto k = text_member(body, "kind");
    if (!k) return k.error();
    auto kind = *k ? parse_account_kind(**k) : std::nullopt;
    if (!kind) return bad("kind", "driver or company");
    a.kind = *kind;
  }
  if (body.contains("name") || create) {
    auto n = text_member(body, "name");
    if (!n) return n.error();
    if (!*n) return bad("name", "given");
    a.name = **n;
  }
  if (body.contains("currency") || create) {
    auto c = currency_member(body, "currency");
    if (!c) return c.error();
    a.currency = *c;
  }
  if (body.contains("email")) {
    auto e = text_member(body, "email");
    if (!e) return e.error();
    a.email = *e;
  }
  if (const auto *v = body.if_contains("redeem_points")) {
    if (!v->is_bool()) return bad("redeem_points", "true or false");
    a.redeem_points = v->get_bool();
  }
  return {};
}

Result<BillingPlan> plan_from_json(const json::object &body, const std::string &id) {
  if (auto ok = known(body, {"id", "name", "currency", "monthly_fee", "fee_vat", "included_kwh", "customer_group",
                             "trial_days", "points_per_kwh", "point_value"});
      !ok)
    return ok.error();
  BillingPlan p;
  p.id = id;
  if (const auto *v = body.if_contains("id"); v && !(v->is_string() && v->get_string() == id))
    return ServiceError::invalid("the id in the body must be the id in the path", "id");
  auto name = text_member(body, "name");
  if (!name) return name.error();
  if (!*name) return bad("name", "given");
  p.name = **name;
  auto currency = currency_member(body, "currency");
  if (!currency) return currency.error();
  p.currency = *currency;
  for (auto [key, out] : {std::pair{"monthly_fee", &p.monthly_fee}, std::pair{"included_kwh", &p.included_kwh},
                          std::pair{"points_per_kwh", &p.points_per_kwh}, std::pair{"point_value", &p.point_value}}) {
    auto d = decimal_member(body, key);
    if (!d) return d.error();
    *out = d->value_or(Decimal{});
  }
  auto vat = decimal_member(body, "fee_vat");
  if (!vat) return vat.error();
  p.fee_vat = *vat;
  auto group = text_member(body, "customer_group");
  if (!group) return group.error();
  p.customer_group = *group;
  auto trial = int_member(body, "trial_days");
  if (!trial) return trial.error();
  if (*trial && (**trial < 0 || **trial > 3650)) return bad("trial_days", "from 0 to 3650");
  p.trial_days = static_cast<int>(trial->value_or(0));
  return p;
}

Result<Coupon> coupon_from_json(const json::object &body, const std::string &code) {
  if (auto ok = known(body, {"code", "kind", "description", "amount", "currency", "percent", "valid_from",
                             "valid_until", "max_redemptions", "max_per_account"});
      !ok)
    return ok.error();
  Coupon c;
  c.code = code;
  if (const auto *v = body.if_contains("code"); v && !(v->is_string() && v->get_string() == code))
    return ServiceError::invalid("the code in the body must be the code in the path", "code");
  auto kind_text = text_member(body, "kind");
  if (!kind_text) return kind_text.error();
  auto kind = *kind_text ? parse_coupon_kind(**kind_text) : std::nullopt;
  if (!kind) return bad("kind", "amount_off, percent_off, first_session_free or first_hour_free");
  c.kind = *kind;
  auto description = text_member(body, "description");
  if (!description) return description.error();
  c.description = *description;
  auto amount = decimal_member(body, "amount");
  if (!amount) return amount.error();
  c.amount = amount->value_or(Decimal{});
  if (body.contains("currency") && !body.at("currency").is_null()) {
    auto cur = currency_member(body, "currency");
    if (!cur) return cur.error();
    c.currency = *cur;
  }
  auto percent = decimal_member(body, "percent");
  if (!percent) return percent.error();
  c.percent = percent->value_or(Decimal{});
  auto from = time_member(body, "valid_from");
  if (!from) return from.error();
  c.valid_from = *from;
  auto until = time_member(body, "valid_until");
  if (!until) return until.error();
  c.valid_until = *until;
  auto max = int_member(body, "max_redemptions");
  if (!max) return max.error();
  c.max_redemptions = *max;
  auto per = int_member(body, "max_per_account");
  if (!per) return per.error();
  c.max_per_account = per->value_or(1);
  return c;
}

Result<SessionForPreview> preview_session_from_json(const json::object &body) {
  if (auto ok = known(body, {"currency", "started_at", "total_cost", "total_energy", "total_energy_cost", "vat",
                             "first_hour_cost"});
      !ok)
    return ok.error();
  SessionForPreview out;
  auto &s = out.session;
  auto currency = currency_member(body, "currency");
  if (!currency) return currency.error();
  s.currency = *currency;
  auto start = time_member(body, "started_at");
  if (!start) return start.error();
  if (!*start) return bad("started_at", "given");
  out.start = **start;
  auto total = price_member(body, "total_cost");
  if (!total) return total.error();
  s.total_cost = *total;
  auto energy = required_decimal(body, "total_energy");
  if (!energy) return energy.error();
  if (energy->is_negative()) return bad("total_energy", "not negative");
  s.total_energy = *energy;
  if (body.contains("total_energy_cost")) {
    auto e = price_member(body, "total_energy_cost");
    if (!e) return e.error();
    if (e->excl_vat > total->excl_vat) return bad("total_energy_cost", "at most total_cost");
    s.total_energy_cost = *e;
  }
  if (const auto *v = body.if_contains("vat")) {
    if (!v->is_array()) return bad("vat", "an array of {rate, excl_vat, vat}");
    std::int64_t sum = 0;
    for (const auto &e : v->get_array()) {
      if (!e.is_object()) return bad("vat", "an array of {rate, excl_vat, vat}");
      auto rate = decimal_member(e.get_object(), "rate");
      auto excl = required_decimal(e.get_object(), "excl_vat");
      auto tax = required_decimal(e.get_object(), "vat");
      if (!rate || !excl || !tax || excl->is_negative() || tax->is_negative())
        return bad("vat", "an array of {rate, excl_vat, vat}, amounts not negative");
      s.vat.push_back({*rate, *excl, *tax});
      sum += excl->units();
    }
    if (sum != total->excl_vat.units()) return bad("vat", "a split of total_cost.excl_vat (its excl_vat sum to it)");
  }
  auto first = decimal_member(body, "first_hour_cost");
  if (!first) return first.error();
  if (*first) {
    if ((*first)->is_negative()) return bad("first_hour_cost", "not negative");
    pricing::PricedSession f;
    f.currency = s.currency;
    f.total_cost = Price{**first, std::nullopt};
    out.first_hour = f;
  }
  return out;
}

} // namespace gridlane::api
