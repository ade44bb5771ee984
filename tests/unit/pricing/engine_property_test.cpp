// Properties over many generated tariffs and sessions (a fixed seed, so a failure repeats):
// totals are never negative, the VAT shares add up to total_cost, a session with more energy
// never costs less, and the charging periods account for all the energy and time.
#include <gtest/gtest.h>

#include <random>

#include "pricing_support.hpp"

namespace gridlane::pricing::test {
namespace {

struct Gen {
  std::mt19937_64 rng{20261129};
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  }
  bool coin() { return between(0, 1) == 1; }

  core::Decimal money() { return core::Decimal::from_scaled(between(0, 90000), 4).value(); }
  std::optional<core::Decimal> vat() {
    static const char *rates[] = {"0", "5.2", "7", "10", "19", "20", "21"};
    if (between(0, 7) == 0) return std::nullopt;
    return dec(rates[between(0, 6)]);
  }
  domain::PriceComponent component(domain::TariffDimension d) {
    domain::PriceComponent c;
    c.type = d;
    c.price = money();
    c.vat = vat();
    c.step_size =
        d == domain::TariffDimension::Flat ? 1 : std::array<std::int64_t, 5>{1, 60, 100, 300, 900}[between(0, 4)];
    return c;
  }
  // Restrictions that depend on the time, the weekday, the duration, power and current; kWh
  // bounds only on energy elements (a kWh bound on a time price makes more energy cheaper in
  // time, which is the tariff's right but not monotone).
  std::optional<domain::TariffRestrictions> restrictions(bool energy_only) {
    if (coin()) return std::nullopt;
    domain::TariffRestrictions r;
    switch (between(0, 5)) {
    case 0:
      r.start_time = domain::ClockTime{static_cast<int>(between(0, 23)), 0};
      r.end_time = domain::ClockTime{static_cast<int>(between(0, 23)), 30};
      break;
    case 1: r.day_of_week = {static_cast<domain::DayOfWeek>(between(1, 7))}; break;
    case 2: r.max_duration = between(600, 7200); break;
    case 3: r.min_power = core::Decimal::from_integer(between(3, 50)).value(); break;
    case 4: r.max_current = core::Decimal::from_integer(between(6, 64)).value(); break;
    default:
      if (energy_only)
        r.min_kwh = core::Decimal::from_integer(between(1, 30)).value();
      else
        r.min_duration = between(600, 7200);
    }
    return r;
  }
  domain::Tariff tariff() {
    domain::Tariff t = test::tariff({});
    const auto n = between(1, 5);
    for (int i = 0; i < n; ++i) {
      domain::TariffElement e;
      bool energy_only = true;
      for (auto d : {domain::TariffDimension::Flat, domain::TariffDimension::Energy, domain::TariffDimension::Time,
                     domain::TariffDimension::ParkingTime})
        if (coin()) {
          e.price_components.push_back(component(d));
          energy_only = energy_only && d == domain::TariffDimension::Energy;
        }
      if (e.price_components.empty()) e.price_components.push_back(component(domain::TariffDimension::Energy));
      e.restrictions = restrictions(energy_only);
      t.elements.push_back(e);
    }
    if (coin()) { // reservation elements: a fee and a price per hour, or one for an expiry
      domain::TariffRestrictions r;
      r.reservation =
          coin() ? domain::ReservationRestriction::Reservation : domain::ReservationRestriction::ReservationExpires;
      t.elements.insert(t.elements.begin(),
                        domain::TariffElement{
                            {component(domain::TariffDimension::Flat), component(domain::TariffDimension::Time)}, r});
    }
    if (between(0, 3) == 0)
      t.max_price = domain::Price{core::Decimal::from_integer(between(5, 40)).value(), std::nullopt};
    if (between(0, 3) == 0)
      t.min_price = domain::Price{core::Decimal::from_integer(between(0, 3)).value(), std::nullopt};
    return t;
  }
  std::vector<SessionPeriod> session() {
    std::vector<SessionPeriod> out;
    auto t = at("2024-03-29T00:00:00Z") + std::chrono::minutes{between(0, std::int64_t{60} * 24 * 5)};
    if (between(0, 4) == 0) { // reserved first (sometimes only reserved: an expired reservation)
      const auto len = std::chrono::seconds{between(0, 3600)};
      out.push_back(SessionPeriod{t, t + len, PeriodState::Reservation, core::Energy(0), std::nullopt, std::nullopt});
      t += len;
      if (coin() && coin()) return out;
    }
    const auto n = between(1, 5);
    for (int i = 0; i < n; ++i) {
      const auto len = std::chrono::seconds{between(0, std::int64_t{4} * 3600)};
      const bool charge = i + 1 < n ? coin() || i == 0 : coin();
      SessionPeriod p{t,
                      t + len,
                      charge ? PeriodState::Charging : PeriodState::Parking,
                      core::Energy(charge ? between(0, 40000) : 0),
                      std::nullopt,
                      std::nullopt};
      if (charge && coin()) p.max_power = core::Power(between(1000, 150000));
      if (charge && coin()) p.max_current = core::Current(between(6000, 200000));
      out.push_back(p);
      t += len;
    }
    return out;
  }
};

core::Decimal sum_vat_shares(const PricedSession &p, bool incl) {
  core::Decimal s;
  for (const auto &v : p.vat)
    s = s.plus(incl ? v.excl_vat.plus(v.vat).value() : v.excl_vat).value();
  return s;
}

TEST(PricingProperties, totals_never_negative_and_vat_shares_sum_to_total) {
  Gen g;
  int priced_something = 0;
  for (int i = 0; i < 3000; ++i) {
    const auto t = g.tariff();
    const auto s = g.session();
    const auto p = price(t, s, zone("Europe/Berlin"));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_FALSE(p->total_cost.excl_vat.is_negative());
    priced_something += p->total_cost.excl_vat.is_zero() ? 0 : 1;
    for (const auto &c : {p->total_fixed_cost, p->total_energy_cost, p->total_time_cost, p->total_parking_cost})
      if (c) {
        EXPECT_FALSE(c->excl_vat.is_negative());
        if (c->incl_vat) {
          EXPECT_GE(*c->incl_vat, c->excl_vat);
        }
      }
    EXPECT_EQ(sum_vat_shares(*p, false), p->total_cost.excl_vat) << "case " << i;
    if (p->total_cost.incl_vat) {
      EXPECT_EQ(sum_vat_shares(*p, true), *p->total_cost.incl_vat) << "case " << i;
    }
    if (t.max_price) {
      EXPECT_LE(p->total_cost.excl_vat,
                std::max(t.max_price->excl_vat, t.min_price ? t.min_price->excl_vat : dec("0")));
    }
    if (t.min_price) {
      EXPECT_GE(p->total_cost.excl_vat, t.min_price->excl_vat);
    }
    // The charging periods account for every Wh and every second of the session.
    core::Decimal kwh;
    for (const auto &cp : p->charging_periods)
      for (const auto &d : cp.dimensions)
        if (d.type == domain::CdrDimensionType::Energy) kwh = kwh.plus(d.volume).value();
    std::int64_t wh = 0;
    for (const auto &x : s)
      wh += x.energy.count();
    EXPECT_EQ(kwh, core::Decimal::from_units(wh * 1000));
    EXPECT_EQ(p->total_energy, kwh);
  }
  EXPECT_GT(priced_something, 2000) << "the generated cases should mostly cost something";
}

TEST(PricingProperties, more_energy_never_costs_less) {
  Gen g;
  for (int i = 0; i < 2000; ++i) {
    const auto t = g.tariff();
    auto s = g.session();
    const auto before = price(t, s, zone("Europe/Berlin")).value();
    auto &p = s[static_cast<std::size_t>(g.between(0, static_cast<std::int64_t>(s.size()) - 1))];
    if (p.state != PeriodState::Charging) continue;
    p.energy = p.energy + core::Energy(g.between(1, 5000));
    const auto after = price(t, s, zone("Europe/Berlin")).value();
    EXPECT_GE(after.total_cost.excl_vat, before.total_cost.excl_vat) << "case " << i;
  }
}

} // namespace
} // namespace gridlane::pricing::test
