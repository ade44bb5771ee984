#include "gridlane/billing/benefits.hpp"

#include <algorithm>

namespace gridlane::billing {
using core::Decimal;
using core::Rounding;
using domain::Result;
using domain::ServiceError;

namespace {

constexpr int kPlaces = 4; // OCPI amounts: 4 decimals

template <class T> Result<T> checked(core::ValueResult<T> v, const char *what) {
  if (!v) return ServiceError::invalid(std::string(what) + " is out of range");
  return *v;
}

//! What is left to pay at one VAT rate.
struct Left {
  std::optional<Decimal> rate;
  Decimal excl;
  Decimal vat;
};

class Ledger {
public:
  explicit Ledger(const pricing::PricedSession &s) {
    for (const auto &v : s.vat)
      if (!v.excl_vat.is_zero() || !v.vat.is_zero()) left_.push_back({v.rate, v.excl_vat, v.vat});
    if (s.vat.empty()) {
      auto incl = s.total_cost.incl_vat.value_or(s.total_cost.excl_vat);
      left_.push_back(
          {std::nullopt, s.total_cost.excl_vat, Decimal::from_units(incl.units() - s.total_cost.excl_vat.units())});
    }
  }

  Decimal excl() const {
    std::int64_t sum = 0;
    for (const auto &l : left_)
      sum += l.excl.units();
    return Decimal::from_units(sum);
  }

  //! Takes `amount` (excl. VAT, at most what is left) off, pro rata over the rates; one line per rate.
  Result<void> take(Decimal amount, BenefitKind kind, const std::string &reference, const std::string &description,
                    std::vector<DiscountLine> &out) {
    auto rounded = checked(amount.rounded(kPlaces, Rounding::HalfUp), "discount");
    if (!rounded) return rounded.error();
    const auto total = excl();
    const auto d = std::min(*rounded, total);
    if (d <= Decimal{}) return {};
    std::int64_t given = 0;
    std::size_t last = 0;
    for (std::size_t i = 0; i < left_.size(); ++i)
      if (left_[i].excl > Decimal{}) last = i;
    for (std::size_t i = 0; i < left_.size(); ++i) {
      auto &l = left_[i];
      if (l.excl <= Decimal{}) continue;
      Decimal x;
      if (d == total) {
        x = l.excl;
      } else if (i == last) {
        x = Decimal::from_units(std::min(d.units() - given, l.excl.units()));
      } else {
        auto share = checked(d.mul_div(l.excl.units(), total.units(), Rounding::HalfUp, kPlaces), "discount");
        if (!share) return share.error();
        x = std::min(*share, l.excl);
      }
      given += x.units();
      Decimal vat;
      if (x == l.excl) {
        vat = l.vat;
      } else {
        auto v = checked(l.vat.mul_div(x.units(), l.excl.units(), Rounding::HalfUp, kPlaces), "VAT");
        if (!v) return v.error();
        vat = *v;
      }
      l.excl = Decimal::from_units(l.excl.units() - x.units());
      l.vat = Decimal::from_units(l.vat.units() - vat.units());
      if (x.is_zero() && vat.is_zero()) continue;
      out.push_back({kind, reference, description, l.rate, x, vat});
    }
    return {};
  }

private:
  std::vector<Left> left_;
};

std::string kwh_text(Decimal kwh) {
  return kwh.to_string() + " kWh";
}

} // namespace

std::string_view to_string(BenefitKind k) {
  switch (k) {
  case BenefitKind::IncludedEnergy: return "included_energy";
  case BenefitKind::Coupon: return "coupon";
  case BenefitKind::LoyaltyPoints: return "loyalty_points";
  }
  return "coupon";
}

bool coupon_applies(const domain::CouponHolding &h, core::Timestamp start, const core::Currency &currency) {
  const auto &c = h.coupon;
  if (c.valid_from && start < *c.valid_from) return false;
  if (c.valid_until && start >= *c.valid_until) return false;
  if (c.max_redemptions && h.used_in_total >= *c.max_redemptions) return false;
  if (h.used_by_account >= c.max_per_account) return false;
  if (c.kind == domain::CouponKind::AmountOff && !(c.currency && *c.currency == currency)) return false;
  return true;
}

Result<Benefits> apply_benefits(const BenefitInput &in) {
  if (!in.session) return ServiceError::invalid("a priced session is required", "session");
  const auto &s = *in.session;
  if (s.total_cost.excl_vat.is_negative()) return ServiceError::invalid("a session never costs less than nothing");
  Benefits b;
  Ledger ledger(s);
  const auto *plan = in.plan && in.plan->currency == s.currency ? &*in.plan : nullptr;

  // 1. The plan's included energy: the energy cost of the kWh still within this month's allowance.
  if (plan && plan->included_kwh > Decimal{} && s.total_energy > Decimal{}) {
    auto left_kwh = std::max(Decimal{}, Decimal::from_units(plan->included_kwh.units() - in.included_kwh_used.units()));
    auto covered = std::min(left_kwh, s.total_energy);
    if (covered > Decimal{}) {
      b.included_kwh = covered;
      if (s.total_energy_cost && s.total_energy_cost->excl_vat > Decimal{}) {
        auto off = checked(
            s.total_energy_cost->excl_vat.mul_div(covered.units(), s.total_energy.units(), Rounding::HalfUp, kPlaces),
            "energy cost");
        if (!off) return off.error();
        if (auto ok = ledger.take(*off, BenefitKind::IncludedEnergy, plan->id,
                                  kwh_text(covered) + " included in plan " + plan->name, b.lines);
            !ok)
          return ok.error();
      }
    }
  }

  // 2. One coupon: the first held that applies and takes something off.
  for (const auto &h : in.coupons) {
    if (!coupon_applies(h, in.session_start, s.currency)) continue;
    const auto &c = h.coupon;
    const auto left = ledger.excl();
    Decimal off;
    switch (c.kind) {
    case domain::CouponKind::AmountOff: off = std::min(c.amount, left); break;
    case domain::CouponKind::PercentOff: {
      auto p = checked(left.percent(c.percent, Rounding::HalfUp, kPlaces), "percent off");
      if (!p) return p.error();
      off = *p;
      break;
    }
    case domain::CouponKind::FirstSessionFree:
      if (in.first_session) off = left;
      break;
    case domain::CouponKind::FirstHourFree:
      if (in.first_hour) off = std::min(in.first_hour->total_cost.excl_vat, left);
      break;
    }
    if (off <= Decimal{}) continue;
    const auto before = b.lines.size();
    if (auto ok = ledger.take(off, BenefitKind::Coupon, c.code, c.description.value_or("coupon " + c.code), b.lines);
        !ok)
      return ok.error();
    for (auto i = before; i < b.lines.size(); ++i)
      b.coupon_amount = Decimal::from_units(b.coupon_amount.units() + b.lines[i].excl_vat.units());
    b.coupon = c.code;
    break;
  }

  // 3. Loyalty points, whole points only, never more than is left to pay.
  if (plan && in.redeem_points && in.points_balance > 0 && plan->point_value > Decimal{}) {
    const auto left = ledger.excl();
    const auto points = std::min(in.points_balance, left.units() / plan->point_value.units());
    if (points > 0) {
      auto off = checked(plan->point_value.mul_div(points, 1, Rounding::HalfUp), "points value");
      if (!off) return off.error();
      if (auto ok = ledger.take(*off, BenefitKind::LoyaltyPoints, "loyalty",
                                std::to_string(points) + " loyalty points redeemed", b.lines);
          !ok)
        return ok.error();
      b.points_redeemed = points;
    }
  }

  // Points earned on the energy charged, whole points (rounded down).
  if (plan && plan->points_per_kwh > Decimal{}) {
    auto earned = checked(s.total_energy.times(plan->points_per_kwh, Rounding::Down, 0), "points earned");
    if (!earned) return earned.error();
    b.points_earned = earned->units() / Decimal::kOne;
  }

  std::int64_t excl = 0, vat = 0;
  for (const auto &l : b.lines) {
    excl += l.excl_vat.units();
    vat += l.vat.units();
  }
  const auto incl_total = s.total_cost.incl_vat.value_or(s.total_cost.excl_vat);
  b.discount_excl_vat = Decimal::from_units(excl);
  b.discount_incl_vat = Decimal::from_units(excl + vat);
  b.payable_excl_vat = Decimal::from_units(s.total_cost.excl_vat.units() - excl);
  b.payable_incl_vat = Decimal::from_units(std::max<std::int64_t>(0, incl_total.units() - excl - vat));
  return b;
}

std::vector<pricing::SessionPeriod> first_periods(std::span<const pricing::SessionPeriod> periods,
                                                  std::chrono::seconds length) {
  std::vector<pricing::SessionPeriod> out;
  if (periods.empty()) return out;
  const auto cut = periods.front().start + std::chrono::duration_cast<std::chrono::milliseconds>(length);
  for (const auto &p : periods) {
    if (p.start >= cut) break;
    if (p.end <= cut) {
      out.push_back(p);
      continue;
    }
    auto q = p;
    q.end = cut;
    const auto whole = (p.end - p.start).count(), part = (cut - p.start).count();
    // Whole Wh, rounded down (Decimal::mul_div is exact in 128 bits; units stand for Wh here).
    auto wh = Decimal::from_units(p.energy.count()).mul_div(part, whole, Rounding::Down);
    q.energy = core::Energy(wh ? wh->units() : 0);
    out.push_back(q);
    break;
  }
  return out;
}

core::Timestamp month_start(core::Timestamp t) {
  using namespace std::chrono;
  const year_month_day d{floor<days>(t)};
  return time_point_cast<milliseconds>(sys_days{d.year() / d.month() / 1});
}

core::Timestamp next_month_start(core::Timestamp t) {
  using namespace std::chrono;
  const year_month_day d{floor<days>(t)};
  return time_point_cast<milliseconds>(sys_days{(d.year() / d.month() / 1) + months{1}});
}

Decimal plan_fee(const domain::BillingPlan &plan, const domain::Subscription &s, core::Timestamp from,
                 core::Timestamp to) {
  std::int64_t months = 0;
  for (auto m = month_start(from); m < to; m = next_month_start(m)) {
    const auto begin = std::max({m, from, s.started_at, s.trial_ends_at});
    auto end = std::min(next_month_start(m), to);
    if (s.ended_at) end = std::min(end, *s.ended_at);
    if (begin < end) ++months;
  }
  return Decimal::from_units(plan.monthly_fee.units() * months);
}

} // namespace gridlane::billing
