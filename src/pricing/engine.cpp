#include "gridlane/pricing/engine.hpp"

#include <algorithm>
#include <utility>

#include "match.hpp"

namespace gridlane::pricing {
namespace {

using core::Decimal;
using core::Rounding;
using core::Timestamp;
using detail::Active;
using detail::index_of;
using detail::kNone;
using domain::TariffDimension;

constexpr std::int64_t kMsPerHour = 3'600'000;
constexpr int kPlaces = 4; // OCPI prices carry 4 decimals
// Far beyond any session, and far from the int64 limits of the units the engine multiplies.
constexpr std::int64_t kMaxWh = 1'000'000'000'000; // 1 TWh
constexpr std::int64_t kMaxW = 1'000'000'000'000;
constexpr std::int64_t kMaxMa = 1'000'000'000'000;

// A stretch of the session in which neither the state nor any element in force changes.
struct Slice {
  Timestamp start;
  Timestamp end;
  std::int64_t wh = 0;
  PeriodState state = PeriodState::Charging;
  Active active{};
  std::optional<std::int64_t> max_w;
  std::optional<std::int64_t> max_ma;
  std::int64_t ms() const { return (end - start).count(); }
};

// Amounts cannot overflow for any real session (10^13 EUR); if a caller manages it anyway the
// whole price is refused, never wrapped.
struct OutOfRange {};
template <class T> T must(core::ValueResult<T> r) {
  if (!r) throw OutOfRange{};
  return *r;
}

Decimal hours(std::int64_t ms) {
  return Decimal::from_units((ms * 1000 + 1800) / 3600); // 10^-6 h, half up
}
Decimal thousandths(std::int64_t v) {
  return Decimal::from_units(v * 1000); // Wh as kWh, W as kW, mA as A
}

std::optional<std::int64_t> max_of(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (a && b) return std::max(*a, *b);
  return a ? a : b;
}

// The energy delivered between a period's start and `t`, shared out linearly (rounded down).
std::int64_t energy_until(const SessionPeriod &p, Timestamp t) {
  const auto dur = (p.end - p.start).count();
  if (dur <= 0 || t >= p.end) return p.energy.count();
  return detail::mul_div(p.energy.count(), (t - p.start).count(), dur);
}

domain::Result<std::vector<Slice>> slice_session(const detail::Rules &rules, std::span<const SessionPeriod> periods,
                                                 const core::TimeZone &zone) {
  bool any_session = false;
  std::int64_t session_wh = 0;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const auto &p = periods[i];
    const std::string at = "periods[" + std::to_string(i) + "]";
    if (p.end < p.start) return domain::ServiceError::invalid("a period ends before it starts", at + ".end");
    if (i > 0 && p.start < periods[i - 1].end)
      return domain::ServiceError::invalid("periods overlap or are out of order", at + ".start");
    if (p.energy.count() < 0) return domain::ServiceError::invalid("energy must not be negative", at + ".energy_wh");
    session_wh += p.energy.count();
    if (p.energy.count() > kMaxWh || session_wh > kMaxWh)
      return domain::ServiceError::invalid("more than 1 TWh in one session", at + ".energy_wh");
    if ((p.max_power && (p.max_power->count() < 0 || p.max_power->count() > kMaxW)) ||
        (p.max_current && (p.max_current->count() < 0 || p.max_current->count() > kMaxMa)))
      return domain::ServiceError::invalid("power or current out of range", at);
    if (p.state == PeriodState::Reservation && any_session)
      return domain::ServiceError::invalid("a reservation comes before the session", at + ".state");
    any_session = any_session || p.state != PeriodState::Reservation;
  }
  std::vector<Slice> out;
  if (periods.empty()) return out;
  // A bound on the work one call can ask for (a session of a year and more is a mistake).
  if (periods.back().end - periods.front().start > std::chrono::days{400})
    return domain::ServiceError::invalid("a session cannot span more than 400 days", "periods");
  // A reservation that no charging followed has expired (RESERVATION_EXPIRES applies).
  const bool expired = !any_session;
  const Timestamp reserved_at = periods.front().start;
  Timestamp started_at = reserved_at;
  for (const auto &p : periods)
    if (p.state != PeriodState::Reservation) {
      started_at = p.start;
      break;
    }

  std::vector<Timestamp> cuts;
  std::vector<std::pair<Timestamp, std::int64_t>> points;
  std::int64_t wh_before = 0;
  for (const auto &p : periods) {
    const Timestamp origin = p.state == PeriodState::Reservation ? reserved_at : started_at;
    const std::int64_t wh = p.energy.count();
    cuts.clear();
    points.clear();
    std::optional<std::chrono::seconds> offset;
    if (rules.needs_local_time()) {
      detail::local_switches(zone, p.start, p.end, rules.clock_minutes(), cuts);
      const auto a = zone.to_local(p.start).utc_offset;
      if (a == zone.to_local(p.end).utc_offset && p.end - p.start < std::chrono::days{20}) offset = a;
    }
    for (auto s : rules.duration_marks()) {
      const Timestamp t = origin + std::chrono::seconds{s};
      if (t > p.start && t < p.end) cuts.push_back(t);
    }
    points.emplace_back(p.start, wh_before);
    for (auto t : cuts)
      points.emplace_back(t, wh_before + energy_until(p, t));
    const auto dur = (p.end - p.start).count();
    for (auto mwh : rules.energy_marks()) {
      const std::int64_t mark = (mwh + 999) / 1000; // the first whole Wh at or past the threshold
      if (mark <= wh_before || mark >= wh_before + wh) continue;
      const auto after = detail::mul_div(mark - wh_before, dur, wh, true);
      points.emplace_back(p.start + std::chrono::milliseconds{after}, mark);
    }
    points.emplace_back(p.end, wh_before + wh);
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());

    for (std::size_t i = 0; i + 1 < points.size(); ++i) {
      const auto [t, e] = points[i];
      const auto [t2, e2] = points[i + 1];
      detail::Moment m;
      m.state = p.state;
      m.expired = expired;
      m.mwh_so_far = e * 1000;
      m.seconds_in = std::chrono::floor<std::chrono::seconds>(t - origin).count();
      if (p.max_power) m.mw = p.max_power->count() * 1000;
      if (p.max_current) m.ma = p.max_current->count();
      if (p.state != PeriodState::Charging) { // not charging: no power drawn
        m.mw = m.mw.value_or(0);
        m.ma = m.ma.value_or(0);
      }
      if (rules.needs_local_time()) {
        const auto r = detail::read_local(t, offset ? *offset : zone.to_local(t).utc_offset);
        m.local_minute = r.minute_of_day;
        m.local_day = r.day;
        m.weekday = r.weekday;
      }
      const Active active = rules.active(m);
      std::optional<std::int64_t> w, ma;
      if (p.max_power) w = p.max_power->count();
      if (p.max_current) ma = p.max_current->count();
      if (!out.empty() && out.back().end == t && out.back().state == p.state && out.back().active == active) {
        auto &last = out.back();
        last.end = t2;
        last.wh += e2 - e;
        last.max_w = max_of(last.max_w, w);
        last.max_ma = max_of(last.max_ma, ma);
      } else {
        out.push_back(Slice{t, t2, e2 - e, p.state, active, w, ma});
      }
    }
    wh_before += wh;
  }
  return out;
}

// What is billed at one price component: Wh, milliseconds or a count of flat fees.
struct Line {
  int element = kNone;
  int component = kNone;
  std::int64_t quantity = 0;
};

struct Billing {
  std::vector<Line> lines;
  std::optional<std::size_t> last_energy, last_time, last_reservation;
  std::int64_t energy_wh = 0, time_ms = 0, parking_ms = 0, reservation_ms = 0;
  bool flat_done = false, reservation_flat_done = false;

  std::size_t line(int element, int component) {
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (lines[i].element == element && lines[i].component == component) return i;
    lines.push_back(Line{element, component, 0});
    return lines.size() - 1;
  }
};

// step_size, once per session and group (mod_cdrs, "step_size"): the group's total is rounded up
// to the step of the last component that priced it, and the difference billed at that component.
void round_up(Billing &b, std::optional<std::size_t> last, std::int64_t total, std::int64_t unit,
              const domain::Tariff &t) {
  if (!last) return;
  Line &l = b.lines[*last];
  const auto step = std::max<std::int64_t>(1, t.elements[l.element].price_components[l.component].step_size) * unit;
  const std::int64_t rounded = (total + step - 1) / step * step;
  l.quantity += rounded - total;
}

Billing bill(const detail::Rules &rules, const std::vector<Slice> &slices, const domain::Tariff &tariff) {
  Billing b;
  const auto flat = index_of(TariffDimension::Flat), energy = index_of(TariffDimension::Energy),
             time = index_of(TariffDimension::Time), parking = index_of(TariffDimension::ParkingTime);
  const auto comp = [&](int element, std::size_t d) { return rules.rules()[element].component[d]; };
  bool time_last_combined = false, time_last_parking = false;
  for (const auto &s : slices) {
    const bool reservation = s.state == PeriodState::Reservation;
    // FLAT: one fee for the reservation and one for the session, from the first element in force.
    bool &done = reservation ? b.reservation_flat_done : b.flat_done;
    if (!done && s.active[flat] != kNone) {
      b.lines[b.line(s.active[flat], comp(s.active[flat], flat))].quantity = 1;
      done = true;
    }
    if (reservation) {
      if (s.active[time] != kNone) {
        const auto i = b.line(s.active[time], comp(s.active[time], time));
        b.lines[i].quantity += s.ms();
        b.reservation_ms += s.ms();
        b.last_reservation = i;
      }
      continue;
    }
    if (s.active[energy] != kNone && s.wh > 0) {
      const auto i = b.line(s.active[energy], comp(s.active[energy], energy));
      b.lines[i].quantity += s.wh;
      b.energy_wh += s.wh;
      b.last_energy = i;
    }
    const std::size_t d = s.state == PeriodState::Charging ? time : parking;
    if (s.active[d] != kNone && s.ms() > 0) {
      const int el = s.active[d];
      const auto i = b.line(el, comp(el, d));
      b.lines[i].quantity += s.ms();
      (d == time ? b.time_ms : b.parking_ms) += s.ms();
      b.last_time = i;
      time_last_parking = d == parking;
      time_last_combined = comp(el, time) != kNone && comp(el, parking) != kNone;
    }
  }
  round_up(b, b.last_energy, b.energy_wh, 1, tariff);
  // TIME and PARKING_TIME are one group. Where one element prices both, their total is rounded
  // (mod_tariffs, tariff_14 examples); where parking has an element of its own, its step rounds
  // the parking time alone and charging time is not rounded (mod_tariffs complex example,
  // mod_cdrs step_size examples).
  const std::int64_t total =
      time_last_combined ? b.time_ms + b.parking_ms : (time_last_parking ? b.parking_ms : b.time_ms);
  round_up(b, b.last_time, total, 1000, tariff);
  round_up(b, b.last_reservation, b.reservation_ms, 1000, tariff);
  return b;
}

struct Sum {
  Decimal excl;
  Decimal incl;
  bool incl_known = true;
  void add(Decimal cost, const std::optional<Decimal> &vat_amount) {
    excl = must(excl.plus(cost));
    incl = must(incl.plus(cost));
    if (vat_amount)
      incl = must(incl.plus(*vat_amount));
    else if (!cost.is_zero())
      incl_known = false;
  }
  domain::Price price() const {
    domain::Price p{must(excl.rounded(kPlaces, Rounding::HalfUp)), std::nullopt};
    if (incl_known) p.incl_vat = must(incl.rounded(kPlaces, Rounding::HalfUp));
    return p;
  }
};

// Shares `target` out over `parts` in proportion to their weights, 4 decimals each, the rounding
// remainder on the largest part: the result sums to `target` exactly.
void share_out(std::vector<Decimal *> parts, Decimal target) {
  if (parts.empty()) return;
  Decimal total;
  for (auto *p : parts)
    total = must(total.plus(*p));
  std::size_t largest = 0;
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (*parts[i] > *parts[largest]) largest = i;
  Decimal given;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i == largest) continue;
    *parts[i] = total.is_zero() ? Decimal{}
                                : must(must(parts[i]->mul_div(target.units(), total.units(), Rounding::HalfUp))
                                           .rounded(kPlaces, Rounding::HalfUp));
    given = must(given.plus(*parts[i]));
  }
  *parts[largest] = must(target.minus(given));
}

// min_price and max_price bound the total excl. VAT and the total incl. VAT, each by its own
// value (mod_tariffs, notes on min_price and max_price); the VAT shares are scaled to match.
void apply_limits(const domain::Tariff &t, std::vector<VatShare> &shares, bool incl_known) {
  Decimal excl, vat;
  for (const auto &s : shares) {
    excl = must(excl.plus(s.excl_vat));
    vat = must(vat.plus(s.vat));
  }
  Decimal new_excl = excl;
  Decimal new_incl = must(excl.plus(vat));
  bool incl_bounded = false; // a bound incl. VAT was given (and the total incl. VAT is known)
  if (t.max_price) {
    new_excl = std::min(new_excl, t.max_price->excl_vat);
    if (incl_known && t.max_price->incl_vat) {
      new_incl = std::min(new_incl, *t.max_price->incl_vat);
      incl_bounded = true;
    }
  }
  if (t.min_price) {
    new_excl = std::max(new_excl, t.min_price->excl_vat);
    if (incl_known && t.min_price->incl_vat) {
      new_incl = std::max(new_incl, *t.min_price->incl_vat);
      incl_bounded = true;
    }
  }
  new_excl = must(new_excl.rounded(kPlaces, Rounding::HalfUp));
  // Without a bound incl. VAT, the VAT follows the total excl. VAT in proportion.
  Decimal new_vat = incl_bounded     ? must(must(new_incl.minus(new_excl)).rounded(kPlaces, Rounding::HalfUp))
                    : excl.is_zero() ? vat
                                     : must(vat.mul_div(new_excl.units(), excl.units(), Rounding::HalfUp, kPlaces));
  if (new_vat.is_negative()) new_vat = Decimal{};
  if (new_excl == excl && new_vat == vat) return;
  if (shares.empty()) shares.push_back(VatShare{std::nullopt, Decimal{}, Decimal{}});
  std::vector<Decimal *> excls, vats;
  for (auto &s : shares) {
    excls.push_back(&s.excl_vat);
    vats.push_back(&s.vat);
  }
  share_out(excls, new_excl);
  share_out(vats, new_vat);
}

PricedSession total_up(const domain::Tariff &tariff, const detail::Rules &rules, const std::vector<Slice> &slices,
                       const Billing &b) {
  PricedSession out;
  out.currency = tariff.currency;
  Sum fixed, energy, time, parking, reservation;
  for (const auto &l : b.lines) {
    if (l.quantity == 0) continue;
    const auto &pc = tariff.elements[l.element].price_components[l.component];
    const std::int64_t per = pc.type == TariffDimension::Energy ? 1000
                             : pc.type == TariffDimension::Flat ? 1
                                                                : kMsPerHour;
    const Decimal cost = must(pc.price.mul_div(l.quantity, per, Rounding::HalfUp));
    std::optional<Decimal> vat;
    if (pc.vat) vat = must(cost.percent(*pc.vat, Rounding::HalfUp));
    const bool is_reservation = rules.rules()[l.element].reservation.has_value();
    Sum &sum = is_reservation                       ? reservation
               : pc.type == TariffDimension::Flat   ? fixed
               : pc.type == TariffDimension::Energy ? energy
               : pc.type == TariffDimension::Time   ? time
                                                    : parking;
    sum.add(cost, vat);
    auto it = std::find_if(out.vat.begin(), out.vat.end(), [&](const VatShare &s) { return s.rate == pc.vat; });
    if (it == out.vat.end()) it = out.vat.insert(out.vat.end(), VatShare{pc.vat, Decimal{}, Decimal{}});
    it->excl_vat = must(it->excl_vat.plus(cost));
    it->vat = must(it->vat.plus(vat.value_or(Decimal{})));
  }
  bool incl_known = true;
  for (auto &s : out.vat) {
    // Each share's total incl. VAT is rounded once, and its VAT is what is left of that.
    const Decimal incl = must(must(s.excl_vat.plus(s.vat)).rounded(kPlaces, Rounding::HalfUp));
    s.excl_vat = must(s.excl_vat.rounded(kPlaces, Rounding::HalfUp));
    s.vat = must(incl.minus(s.excl_vat));
    if (!s.rate && !s.excl_vat.is_zero()) incl_known = false;
  }
  apply_limits(tariff, out.vat, incl_known);
  Decimal excl, vat;
  for (const auto &s : out.vat) {
    excl = must(excl.plus(s.excl_vat));
    vat = must(vat.plus(s.vat));
  }
  out.total_cost.excl_vat = excl;
  if (incl_known) out.total_cost.incl_vat = must(excl.plus(vat));

  bool has[4] = {false, false, false, false};
  bool has_reservation = false;
  for (const auto &r : rules.rules()) {
    if (r.reservation) {
      has_reservation = true;
      continue;
    }
    for (std::size_t d = 0; d < detail::kDimensions; ++d)
      has[d] = has[d] || r.component[d] != kNone;
  }
  if (has[index_of(TariffDimension::Flat)]) out.total_fixed_cost = fixed.price();
  if (has[index_of(TariffDimension::Energy)]) out.total_energy_cost = energy.price();
  if (has[index_of(TariffDimension::Time)]) out.total_time_cost = time.price();
  if (has[index_of(TariffDimension::ParkingTime)]) out.total_parking_cost = parking.price();
  if (has_reservation) out.total_reservation_cost = reservation.price();

  std::int64_t wh = 0, time_ms = 0, parking_ms = 0;
  out.charging_periods.reserve(slices.size());
  for (const auto &s : slices) {
    if (s.ms() == 0 && s.wh == 0) continue;
    domain::ChargingPeriod cp;
    cp.start_date_time = s.start;
    cp.tariff_id = tariff.id;
    using T = domain::CdrDimensionType;
    if (s.state == PeriodState::Reservation) {
      cp.dimensions.push_back({T::ReservationTime, hours(s.ms())});
    } else {
      if (s.state == PeriodState::Charging || s.wh > 0) cp.dimensions.push_back({T::Energy, thousandths(s.wh)});
      cp.dimensions.push_back({s.state == PeriodState::Charging ? T::Time : T::ParkingTime, hours(s.ms())});
      if (s.max_w) cp.dimensions.push_back({T::MaxPower, thousandths(*s.max_w)});
      if (s.max_ma) cp.dimensions.push_back({T::MaxCurrent, thousandths(*s.max_ma)});
      wh += s.wh;
      (s.state == PeriodState::Charging ? time_ms : parking_ms) += s.ms();
    }
    out.charging_periods.push_back(std::move(cp));
  }
  out.total_energy = thousandths(wh);
  out.total_time = hours(time_ms + parking_ms);
  out.total_parking_time = hours(parking_ms);
  return out;
}

} // namespace

domain::Result<PricedSession> price(const domain::Tariff &tariff, std::span<const SessionPeriod> periods,
                                    const core::TimeZone &zone) {
  const detail::Rules rules(tariff);
  auto slices = slice_session(rules, periods, zone);
  if (!slices) return slices.error();
  try {
    const Billing b = bill(rules, *slices, tariff);
    return total_up(tariff, rules, *slices, b);
  } catch (const OutOfRange &) {
    return domain::ServiceError::invalid("the price of this session is out of range");
  }
}

} // namespace gridlane::pricing
