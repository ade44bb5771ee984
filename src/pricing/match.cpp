#include "match.hpp"

#include <algorithm>
#include <chrono>

namespace gridlane::pricing::detail {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::milliseconds;
using std::chrono::minutes;

int day_number(const domain::CalendarDate &d) {
  const std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{static_cast<unsigned>(d.month)},
                                        std::chrono::day{static_cast<unsigned>(d.day)}};
  return static_cast<int>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

void add_unique(std::vector<std::int64_t> &v, std::int64_t x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// A value measured in units of 10^-6 (kWh: mWh, kW: mW, A: uA), as a Decimal holds it.
std::optional<std::int64_t> units(const std::optional<core::Decimal> &d) {
  if (!d) return std::nullopt;
  return d->units();
}

} // namespace

Rules::Rules(const domain::Tariff &tariff) {
  rules_.reserve(tariff.elements.size());
  std::vector<std::int64_t> clock;
  for (const auto &element : tariff.elements) {
    Rule r;
    for (std::size_t i = 0; i < element.price_components.size(); ++i) {
      auto &slot = r.component[index_of(element.price_components[i].type)];
      if (slot == kNone) slot = static_cast<int>(i);
    }
    if (element.restrictions) {
      const auto &x = *element.restrictions;
      if (x.start_time) r.start_minute = x.start_time->hour * 60 + x.start_time->minute;
      if (x.end_time) r.end_minute = x.end_time->hour * 60 + x.end_time->minute;
      if (x.start_date) r.start_day = day_number(*x.start_date);
      if (x.end_date) r.end_day = day_number(*x.end_date);
      r.min_mwh = units(x.min_kwh);
      r.max_mwh = units(x.max_kwh);
      r.min_ua = units(x.min_current);
      r.max_ua = units(x.max_current);
      r.min_mw = units(x.min_power);
      r.max_mw = units(x.max_power);
      r.min_s = x.min_duration;
      r.max_s = x.max_duration;
      for (auto d : x.day_of_week)
        r.weekdays |= 1u << static_cast<unsigned>(d);
      r.reservation = x.reservation;
    }
    if (r.start_minute || r.end_minute || r.start_day || r.end_day || r.weekdays != 0) local_ = true;
    for (auto m : {r.start_minute, r.end_minute})
      if (m) add_unique(clock, *m);
    for (auto e : {r.min_mwh, r.max_mwh})
      if (e && *e > 0) add_unique(mwh_, *e);
    for (auto s : {r.min_s, r.max_s})
      if (s && *s > 0) add_unique(seconds_, *s);
    rules_.push_back(r);
  }
  if (local_) add_unique(clock, 0); // dates and weekdays change at local midnight
  for (auto m : clock)
    minutes_.push_back(static_cast<int>(m));
  std::sort(minutes_.begin(), minutes_.end());
}

bool Rules::matches(const Rule &r, const Moment &m) const {
  // Elements with a reservation restriction price the reservation only, and the others
  // never do (OCPI 2.2.1 mod_tariffs, ReservationRestrictionType).
  if (m.state == PeriodState::Reservation) {
    if (!r.reservation) return false;
    if (*r.reservation == domain::ReservationRestriction::ReservationExpires && !m.expired) return false;
  } else if (r.reservation) {
    return false;
  }
  if (r.start_minute && r.end_minute && *r.start_minute != *r.end_minute) {
    const int s = *r.start_minute, e = *r.end_minute;
    // end before start wraps past midnight; end 00:00 stops at the end of the day.
    const bool in = s < e ? (m.local_minute >= s && m.local_minute < e) : (m.local_minute >= s || m.local_minute < e);
    if (!in) return false;
  } else if (r.start_minute && !r.end_minute) {
    if (m.local_minute < *r.start_minute) return false;
  } else if (r.end_minute && !r.start_minute) {
    if (m.local_minute >= *r.end_minute) return false;
  }
  if (r.start_day && m.local_day < *r.start_day) return false;
  if (r.end_day && m.local_day >= *r.end_day) return false;
  if (r.weekdays != 0 && (r.weekdays & (1u << static_cast<unsigned>(m.weekday))) == 0) return false;
  if (r.min_mwh && m.mwh_so_far < *r.min_mwh) return false;
  if (r.max_mwh && m.mwh_so_far >= *r.max_mwh) return false;
  if (r.min_s && m.seconds_in < *r.min_s) return false;
  if (r.max_s && m.seconds_in >= *r.max_s) return false;
  // Power and current: "more than, or equal to" the minimum, "less than" the maximum. A value
  // that was not measured matches neither.
  if ((r.min_ua || r.max_ua) &&
      (!m.ma || (r.min_ua && *m.ma * 1000 < *r.min_ua) || (r.max_ua && *m.ma * 1000 >= *r.max_ua)))
    return false;
  if ((r.min_mw || r.max_mw) && (!m.mw || (r.min_mw && *m.mw < *r.min_mw) || (r.max_mw && *m.mw >= *r.max_mw)))
    return false;
  return true;
}

Active Rules::active(const Moment &m) const {
  Active a{kNone, kNone, kNone, kNone};
  const bool prefer_expiry = m.state == PeriodState::Reservation && m.expired;
  for (std::size_t d = 0; d < kDimensions; ++d) {
    // An expired reservation is priced by RESERVATION_EXPIRES elements before RESERVATION
    // ones, whatever their order (mod_tariffs, note under ReservationRestrictionType).
    for (int pass = prefer_expiry ? 0 : 1; pass < 2 && a[d] == kNone; ++pass) {
      for (std::size_t i = 0; i < rules_.size(); ++i) {
        const Rule &r = rules_[i];
        if (r.component[d] == kNone) continue;
        if (pass == 0 && r.reservation != domain::ReservationRestriction::ReservationExpires) continue;
        if (matches(r, m)) {
          a[d] = static_cast<int>(i);
          break;
        }
      }
    }
  }
  return a;
}

LocalReading read_local(core::Timestamp t, std::chrono::seconds offset) {
  const auto local = t + offset;
  const auto day = floor<days>(local);
  LocalReading out;
  out.day = static_cast<int>(day.time_since_epoch().count());
  out.minute_of_day = static_cast<int>(floor<minutes>(local - day).count());
  out.weekday = static_cast<int>(std::chrono::weekday{std::chrono::sys_days{day}}.iso_encoding());
  return out;
}

void local_switches(const core::TimeZone &zone, core::Timestamp from, core::Timestamp to,
                    const std::vector<int> &minute_list, std::vector<core::Timestamp> &out) {
  if (minute_list.empty() || to <= from) return;
  const auto off_from = zone.to_local(from).utc_offset;
  const auto off_to = zone.to_local(to).utc_offset;
  // Offsets change a few times a year: equal offsets at both ends of less than 20 days mean
  // no change in between, and local time is UTC plus one offset.
  if (off_from == off_to && to - from < days{20}) {
    const auto d0 = floor<days>(from + off_from), d1 = floor<days>(to + off_from);
    for (auto d = d0; d <= d1; d += days{1})
      for (int m : minute_list) {
        const core::Timestamp t = core::Timestamp{d} + minutes{m} - off_from;
        if (t > from && t < to) out.push_back(t);
      }
    return;
  }
  // The offset changes in between: the change itself is a switch (a skipped or repeated
  // local hour), found to the millisecond by halving, and each listed local time is looked
  // up through the zone, both readings where it happens twice.
  const auto step = std::chrono::hours{12};
  for (core::Timestamp a = from; a < to; a += step) {
    const core::Timestamp b = std::min<core::Timestamp>(a + step, to);
    const auto oa = zone.to_local(a).utc_offset;
    if (zone.to_local(b).utc_offset == oa) continue;
    core::Timestamp lo = a, hi = b; // offset(lo) == oa != offset(hi)
    while (hi - lo > milliseconds{1}) {
      const core::Timestamp mid = lo + (hi - lo) / 2;
      (zone.to_local(mid).utc_offset == oa ? lo : hi) = mid;
    }
    if (hi > from && hi < to) out.push_back(hi);
  }
  const auto d0 = floor<days>(from + off_from) - days{1}, d1 = floor<days>(to + off_to) + days{1};
  for (auto d = d0; d <= d1; d += days{1}) {
    const std::chrono::year_month_day ymd{d};
    for (int m : minute_list) {
      core::LocalDateTime l{static_cast<int>(ymd.year()),
                            static_cast<int>(static_cast<unsigned>(ymd.month())),
                            static_cast<int>(static_cast<unsigned>(ymd.day())),
                            m / 60,
                            m % 60,
                            0,
                            0};
      for (auto which : {core::LocalTimePolicy::Ambiguous::Earlier, core::LocalTimePolicy::Ambiguous::Later}) {
        core::LocalTimePolicy p;
        p.ambiguous = which;
        auto t = zone.to_utc(l, p);
        if (t && *t > from && *t < to) out.push_back(*t);
      }
    }
  }
}

} // namespace gridlane::pricing::detail
