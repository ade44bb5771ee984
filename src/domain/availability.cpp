#include "gridlane/domain/availability.hpp"

#include <algorithm>

namespace gridlane::domain {

EvseState evse_state_of(ConnectorStatus s) {
  switch (s) {
  case ConnectorStatus::Available:
  case ConnectorStatus::Reserved: return EvseState::Available;
  case ConnectorStatus::Preparing:
  case ConnectorStatus::Charging:
  case ConnectorStatus::SuspendedEVSE:
  case ConnectorStatus::SuspendedEV:
  case ConnectorStatus::Finishing:
  case ConnectorStatus::Occupied: return EvseState::Charging;
  case ConnectorStatus::Unavailable: return EvseState::Unavailable;
  case ConnectorStatus::Faulted: return EvseState::Faulted;
  }
  return EvseState::Unavailable;
}

EvseState combine_connectors(std::span<const ConnectorStatus> statuses) {
  if (statuses.empty()) return EvseState::Available;
  // Best first: a port is up if any of its connectors can charge.
  constexpr EvseState order[] = {EvseState::Charging, EvseState::Available, EvseState::Faulted, EvseState::Unavailable};
  for (auto wanted : order) {
    if (std::any_of(statuses.begin(), statuses.end(),
                    [wanted](ConnectorStatus s) { return evse_state_of(s) == wanted; }))
      return wanted;
  }
  return EvseState::Unavailable;
}

core::TzResult<Period> month_period(const core::TimeZone &zone, int year, int month) {
  if (month < 1 || month > 12) return core::TzError::InvalidLocalTime;
  // Local midnight exists on every first of a month in the tz database's zones; where a change
  // lands on midnight the default policy shifts forward, as it does for any local time.
  auto from = zone.to_utc(core::LocalDateTime{year, month, 1});
  if (!from) return from.error();
  auto to = zone.to_utc(month == 12 ? core::LocalDateTime{year + 1, 1, 1} : core::LocalDateTime{year, month + 1, 1});
  if (!to) return to.error();
  return Period{*from, *to};
}

namespace {

struct Span {
  std::int64_t from;
  std::int64_t to;
};

//! The length of the union of spans (sorted here).
std::int64_t union_length(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.from < b.from; });
  std::int64_t total = 0;
  std::optional<Span> run;
  for (const auto &s : spans) {
    if (run && s.from <= run->to) {
      run->to = std::max(run->to, s.to);
      continue;
    }
    if (run) total += run->to - run->from;
    run = s;
  }
  if (run) total += run->to - run->from;
  return total;
}

} // namespace

Uptime port_uptime(const Period &period, std::span<const OutageSpan> outages, Timestamp now) {
  Uptime u;
  u.ports = 1;
  const auto from = core::to_unix_ms(period.from);
  const auto to = std::min(core::to_unix_ms(period.to), core::to_unix_ms(now));
  if (to <= from) return u;
  u.period_ms = to - from;
  std::vector<Span> all;
  std::vector<Span> excluded;
  for (const auto &o : outages) {
    const auto start = std::max(from, core::to_unix_ms(o.started));
    const auto end = std::min(to, o.ended ? core::to_unix_ms(*o.ended) : to);
    if (end <= start) continue;
    all.push_back({start, end});
    if (o.excluded) excluded.push_back({start, end});
  }
  u.outage_ms = union_length(std::move(all));
  u.excluded_ms = union_length(std::move(excluded));
  return u;
}

Uptime &Uptime::operator+=(const Uptime &o) {
  ports += o.ports;
  period_ms += o.period_ms;
  outage_ms += o.outage_ms;
  excluded_ms += o.excluded_ms;
  return *this;
}

core::Decimal Uptime::percent() const {
  return uptime_percent(period_ms, outage_ms - excluded_ms);
}

core::Decimal uptime_percent(std::int64_t period_ms, std::int64_t counted_outage_ms) {
  if (period_ms <= 0) return *core::Decimal::from_integer(100);
  const auto up = std::clamp<std::int64_t>(period_ms - counted_outage_ms, 0, period_ms);
  // 100 x up / period in hundredths, rounded down, by long division (no product can overflow:
  // each step multiplies a remainder below `period_ms` by 10).
  std::int64_t hundredths = 0;
  std::int64_t rest = up;
  hundredths = rest / period_ms; // 0 or 1 (whole)
  rest %= period_ms;
  for (int digit = 0; digit < 4; ++digit) {
    rest *= 10;
    hundredths = hundredths * 10 + rest / period_ms;
    rest %= period_ms;
  }
  return *core::Decimal::from_scaled(hundredths, 2);
}

core::Decimal minutes_of(std::int64_t ms) {
  return *core::Decimal::from_integer(1)->mul_div(ms, 60000, core::Rounding::HalfUp, 2);
}

} // namespace gridlane::domain
