#include "gridlane/pricing/periods.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "match.hpp"

namespace gridlane::pricing {
namespace {

using core::Timestamp;

struct Reading {
  Timestamp at;
  std::int64_t wh;
};

// The register at `t`, read linearly between the two readings around it (rounded down), flat
// before the first and after the last. Read at times that never go back, so it walks forward.
class Register {
public:
  explicit Register(const std::vector<Reading> &r) : r_(r) {}
  std::int64_t at(Timestamp t) {
    while (i_ < r_.size() && r_[i_].at <= t)
      ++i_; // r_[i_] is the first reading after t
    if (i_ == 0) return r_.front().wh;
    if (i_ == r_.size() || r_[i_ - 1].at == t) return r_[i_ - 1].wh; // after the last, or on a reading
    const Reading &b = r_[i_], &a = r_[i_ - 1];
    const auto span = (b.at - a.at).count();
    if (span <= 0) return b.wh;
    return a.wh + detail::mul_div(b.wh - a.wh, (t - a.at).count(), span);
  }

private:
  const std::vector<Reading> &r_;
  std::size_t i_ = 0;
};

} // namespace

std::vector<SessionPeriod> build_periods(const SessionSamples &s) {
  std::vector<SessionPeriod> out;
  if (s.ended_at < s.started_at) return out;

  // The register: meter_start at the start, the readings in between, meter_stop at the end;
  // clamped into [meter_start, meter_stop] and never falling, so no stretch has negative energy
  // and the stretches add up to meter_stop - meter_start.
  const std::int64_t lo = s.meter_start.count();
  const std::int64_t hi = s.meter_stop ? std::max(lo, s.meter_stop->count()) : std::numeric_limits<std::int64_t>::max();
  std::vector<Reading> reg;
  reg.reserve(s.meter.size() + 2);
  reg.push_back({s.started_at, lo});
  std::vector<const MeterPoint *> points;
  points.reserve(s.meter.size());
  for (const auto &m : s.meter)
    if (m.at >= s.started_at && m.at <= s.ended_at) points.push_back(&m);
  const auto earlier = [](const MeterPoint *a, const MeterPoint *b) { return a->at < b->at; };
  if (!std::is_sorted(points.begin(), points.end(), earlier)) // stations send them in order
    std::stable_sort(points.begin(), points.end(), earlier);
  for (const auto *m : points)
    if (m->register_wh) reg.push_back({m->at, std::clamp(m->register_wh->count(), lo, hi)});
  if (s.meter_stop) reg.push_back({s.ended_at, hi});
  for (std::size_t i = 1; i < reg.size(); ++i)
    reg[i].wh = std::max(reg[i].wh, reg[i - 1].wh);

  // The cuts: every state change, and every sample of power or current (each opens a stretch
  // in which that value holds, so power and current restrictions see it).
  struct Cut {
    Timestamp at;
    std::optional<PeriodState> state;
    const MeterPoint *sample = nullptr;
    std::optional<core::Power> average; //!< the mean power until the next register reading
  };
  std::vector<Cut> cuts;
  cuts.reserve(s.states.size() + points.size() + reg.size());
  for (const auto &c : s.states)
    if (c.at >= s.started_at && c.at < s.ended_at) cuts.push_back({c.at, c.state, nullptr, std::nullopt});
  for (const auto *m : points)
    if ((m->power || m->current) && m->at < s.ended_at) cuts.push_back({m->at, std::nullopt, m, std::nullopt});
  // A station that reports no power at all: the mean power between two register readings
  // stands for it, so power restrictions still see how fast the vehicle charged.
  const bool averaged = std::none_of(points.begin(), points.end(), [](const MeterPoint *m) { return m->power; });
  if (averaged) {
    std::int64_t last_wh = -1, last_ms = -1, w = 0;
    for (std::size_t i = 0; i + 1 < reg.size(); ++i) {
      const auto ms = (reg[i + 1].at - reg[i].at).count();
      if (ms <= 0 || reg[i].at >= s.ended_at) continue;
      const auto wh = reg[i + 1].wh - reg[i].wh;
      if (wh != last_wh || ms != last_ms) w = detail::mul_div(wh, 3'600'000, ms); // readings at a steady pace: once
      last_wh = wh;
      last_ms = ms;
      cuts.push_back({reg[i].at, std::nullopt, nullptr, core::Power(w)});
    }
    // A running session after its last reading: nothing is known to have been drawn since, so
    // that stretch is one of its own (else the energy before it would be spread over it too).
    if (reg.size() > 1 && reg.back().at > s.started_at && reg.back().at < s.ended_at && !s.meter_stop)
      cuts.push_back({reg.back().at, std::nullopt, nullptr, core::Power(0)});
  }
  const auto first = [](const Cut &a, const Cut &b) { return a.at < b.at; };
  if (!std::is_sorted(cuts.begin(), cuts.end(), first)) std::stable_sort(cuts.begin(), cuts.end(), first);

  PeriodState state = PeriodState::Charging;
  std::optional<core::Power> power, average;
  std::optional<core::Current> current;
  Timestamp from = s.started_at;
  Register reading(reg);
  std::int64_t wh_from = reading.at(from);
  const auto close = [&](Timestamp to) {
    if (to <= from) return;
    SessionPeriod p;
    p.start = from;
    p.end = to;
    p.state = state;
    const std::int64_t wh_to = reading.at(to);
    p.energy = core::Energy(std::max<std::int64_t>(0, wh_to - wh_from));
    wh_from = wh_to;
    p.max_power = power;
    p.max_current = current;
    // Merge with the previous stretch when nothing that prices differently changed.
    if (!out.empty() && out.back().end == from && out.back().state == state && out.back().max_power == power &&
        out.back().max_current == current) {
      out.back().end = to;
      out.back().energy = out.back().energy + p.energy;
    } else {
      out.push_back(p);
    }
    from = to;
  };
  for (const auto &c : cuts) {
    close(c.at);
    if (c.state && *c.state != state) {
      state = *c.state;
      power.reset(); // a new state: what was measured before no longer holds
      current.reset();
      if (state == PeriodState::Charging) power = average;
    }
    if (c.average) {
      average = c.average;
      if (state == PeriodState::Charging) power = average;
    }
    if (c.sample) {
      if (c.sample->power) power = core::Power(std::max<std::int64_t>(0, c.sample->power->count()));
      if (c.sample->current) current = core::Current(std::max<std::int64_t>(0, c.sample->current->count()));
    }
  }
  close(s.ended_at);
  return out;
}

std::vector<SessionPeriod> periods_until(std::span<const SessionPeriod> periods, core::Timestamp until) {
  std::vector<SessionPeriod> out;
  for (const auto &p : periods) {
    if (p.start >= until) break;
    out.push_back(p);
    if (p.end <= until) continue;
    auto &cut = out.back();
    const auto whole = std::chrono::duration_cast<std::chrono::milliseconds>(p.end - p.start).count();
    const auto part = std::chrono::duration_cast<std::chrono::milliseconds>(until - p.start).count();
    // energy * part / whole, rounded down; whole > part > 0 here, energy >= 0.
    cut.end = until;
    cut.energy = core::watt_hours(detail::mul_div(std::max<std::int64_t>(0, p.energy.count()), part, whole));
    break;
  }
  return out;
}

} // namespace gridlane::pricing
