// The reports' roll-up arithmetic (report_rollup.hpp). Every local hour and quarter-hour boundary
// of every zone in use falls on a UTC quarter hour (offsets and their changes are whole quarter
// hours), so a session is cut at UTC quarter hours and each piece read once in the local zone.
#include "gridlane/services/report_rollup.hpp"

#include <algorithm>
#include <map>

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

constexpr std::int64_t quarter_ms = 900'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

__extension__ typedef __int128 wide;

//! The share of `energy` that falls in [from, to) of a stretch `length` long, such that the
//! shares of consecutive pieces sum exactly to `energy`.
std::int64_t share(std::int64_t energy, std::int64_t from, std::int64_t to, std::int64_t length) {
  auto upto = [&](std::int64_t x) {
    return static_cast<std::int64_t>(static_cast<wide>(energy) * static_cast<wide>(x) / static_cast<wide>(length));
  };
  return upto(to) - upto(from);
}

} // namespace

std::int64_t days_from_civil(int year, int month, int day) {
  // H. Hinnant's days_from_civil.
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

core::LocalDateTime civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  core::LocalDateTime out;
  out.year = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  out.month = static_cast<int>(m);
  out.day = static_cast<int>(d);
  return out;
}

std::int64_t local_day(core::Timestamp at, const core::TimeZone &zone) {
  const auto l = zone.to_local(at).local;
  return days_from_civil(l.year, l.month, l.day);
}

std::array<std::int64_t, 24> hour_lengths(std::int64_t day, const core::TimeZone &zone) {
  std::array<std::int64_t, 25> starts{};
  const auto date = civil_from_days(day);
  const auto next = civil_from_days(day + 1);
  for (int h = 0; h <= 24; ++h) {
    core::LocalDateTime l = h < 24 ? date : next;
    l.hour = h < 24 ? h : 0;
    // A skipped hour starts where the gap ends (the next hour's start): its length is 0.
    auto utc = zone.to_utc(l);
    starts[static_cast<std::size_t>(h)] = utc ? core::to_unix_ms(*utc) : 0;
  }
  std::array<std::int64_t, 24> out{};
  for (std::size_t h = 0; h < 24; ++h)
    out[h] = std::max<std::int64_t>(0, starts[h + 1] - starts[h]);
  return out;
}

Rollup roll_up(const SessionSpan &session, const core::TimeZone &zone) {
  const std::int64_t start = core::to_unix_ms(session.start);
  const std::int64_t stop = std::max(start, core::to_unix_ms(session.stop));
  const std::int64_t total = std::max<std::int64_t>(0, session.energy_wh);

  // The energy curve: from 0 at the start to the total at the stop through the readings in
  // between, never falling and never above the total.
  std::vector<std::pair<std::int64_t, std::int64_t>> curve{{start, 0}};
  auto readings = session.readings;
  std::sort(readings.begin(), readings.end(), [](const auto &a, const auto &b) { return a.at < b.at; });
  for (const auto &r : readings) {
    const auto t = core::to_unix_ms(r.at);
    if (t <= start || t >= stop) continue;
    curve.emplace_back(t, std::clamp(r.wh, curve.back().second, total));
  }
  curve.emplace_back(stop, total);

  std::map<std::int64_t, ReportDayDelta> days;
  std::map<std::int64_t, ReportQuarterDelta> quarters;
  const auto day_of = [&](std::int64_t d) -> ReportDayDelta & {
    auto &slot = days[d];
    slot.day = d;
    return slot;
  };
  // Each UTC quarter hour read in the zone once.
  std::int64_t cached_quarter = INT64_MIN, cached_day = 0;
  int cached_hour = 0;
  const auto locate = [&](std::int64_t t) {
    const auto q = floor_div(t, quarter_ms);
    if (q != cached_quarter) {
      cached_quarter = q;
      const auto l = zone.to_local(core::from_unix_ms(q * quarter_ms)).local;
      cached_day = days_from_civil(l.year, l.month, l.day);
      cached_hour = l.hour;
    }
    return q;
  };

  {
    auto &first = day_of(local_day(session.start, zone));
    first.sessions = 1;
    if (session.failure)
      first.failed[static_cast<std::size_t>(*session.failure)] = 1;
    else
      first.successful = 1;
  }

  for (std::size_t i = 0; i + 1 < curve.size(); ++i) {
    const auto [a, ea] = curve[i];
    const auto [b, eb] = curve[i + 1];
    const std::int64_t energy = eb - ea;
    if (b == a) {
      // A session without duration: its energy belongs to the quarter it happened in.
      if (energy == 0) continue;
      const auto q = locate(a);
      day_of(cached_day).energy_wh += energy;
      auto &qd = quarters[q];
      qd.quarter = q;
      qd.day = cached_day;
      qd.energy_wh += energy;
      continue;
    }
    for (std::int64_t x = a; x < b;) {
      const auto q = locate(x);
      const std::int64_t y = std::min(b, (q + 1) * quarter_ms);
      auto &d = day_of(cached_day);
      const auto h = static_cast<std::size_t>(cached_hour);
      d.occupied_ms[h] += y - x;
      if (energy > 0) d.charging_ms[h] += y - x;
      const auto e = share(energy, x - a, y - a, b - a);
      if (e != 0) {
        d.energy_wh += e;
        auto &qd = quarters[q];
        qd.quarter = q;
        qd.day = cached_day;
        qd.energy_wh += e;
      }
      x = y;
    }
  }

  Rollup out;
  out.days.reserve(days.size());
  for (auto &[d, delta] : days)
    out.days.push_back(delta);
  out.quarters.reserve(quarters.size());
  for (auto &[q, delta] : quarters)
    out.quarters.push_back(delta);
  return out;
}

std::optional<SessionFailure> classify_session(const Transaction &t) {
  if (t.start_authorization.status != TokenStatus::Accepted) return SessionFailure::StartRejected;
  if (t.stop_reason) {
    switch (*t.stop_reason) {
    case StopReason::EmergencyStop:
    case StopReason::GroundFault:
    case StopReason::OvercurrentFault:
    case StopReason::PowerLoss:
    case StopReason::PowerQuality:
    case StopReason::ReqEnergyTransferRejected: return SessionFailure::Fault;
    case StopReason::HardReset:
    case StopReason::ImmediateReset:
    case StopReason::SoftReset:
    case StopReason::Reboot: return SessionFailure::Reset;
    default: break;
    }
  }
  if (t.energy_wh > 0) return std::nullopt;
  if (t.stop_reason == StopReason::EVDisconnected) return SessionFailure::EVDisconnected;
  if (t.stop_reason == StopReason::Timeout) return SessionFailure::Timeout;
  return SessionFailure::NoEnergy;
}

SessionSpan session_span(const Transaction &t, const std::vector<MeterSample> &samples) {
  SessionSpan s;
  s.start = t.started_at;
  s.stop = t.stopped_at.value_or(t.started_at);
  s.energy_wh = t.energy_wh;
  s.failure = classify_session(t);
  for (const auto &m : samples) {
    if (!is_energy_import_register(m) || m.phase) continue;
    auto wh = energy_register_wh(m);
    if (!wh) continue;
    s.readings.push_back(EnergyPoint{m.timestamp, energy_between(t.meter_start_wh, *wh)});
  }
  return s;
}

} // namespace gridlane::services
