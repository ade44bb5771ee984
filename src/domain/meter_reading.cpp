#include "gridlane/domain/meter_reading.hpp"

#include <algorithm>
#include <string_view>

namespace gridlane::domain {

namespace {

enum class Quantity { Current, Power };

//! OCPP Phase: L1, L2, L3, and the phase-to-neutral forms L1-N ...; N and L1-L2 ... are not a draw.
std::optional<int> phase_index(std::string_view p) {
  if (p == "L1" || p == "L1-N") return 0;
  if (p == "L2" || p == "L2-N") return 1;
  if (p == "L3" || p == "L3-N") return 2;
  return std::nullopt;
}

//! The value in base units (mA or W), range-checked; nullopt when out of range or in a unit
//! that does not fit the measurand.
std::optional<std::int64_t> base_value(Quantity q, double value, const std::optional<std::string> &unit) {
  // A small negative import is meter noise at zero draw: read as 0.
  if (value < 0 && value > -0.5) value = 0;
  if (q == Quantity::Current) {
    if (unit && *unit != "A") return std::nullopt;
    auto ma = core::from_wire(value, 1000.0, core::milliamps(0), core::amps(10000));
    if (!ma) return std::nullopt;
    return ma->count();
  }
  double per_value = 1.0;
  if (!unit || *unit == "W") {
    per_value = 1.0;
  } else if (*unit == "kW") {
    per_value = 1000.0;
  } else {
    return std::nullopt;
  }
  auto w = core::from_wire(value, per_value, core::watts(0), core::watts(10'000'000));
  if (!w) return std::nullopt;
  return w->count();
}

struct Latest {
  std::optional<std::int64_t> value;
  Timestamp at;
  void offer(std::int64_t v, Timestamp t) {
    if (!value || t >= at) {
      value = v;
      at = t;
    }
  }
};

} // namespace

std::optional<core::Current> MeasuredDraw::max_phase_current() const {
  std::optional<core::Current> best = unphased;
  for (const auto &c : current)
    if (c && (!best || *c > *best)) best = c;
  return best;
}

int MeasuredDraw::phases_drawing(core::Current threshold) const {
  return static_cast<int>(
      std::count_if(current.begin(), current.end(), [&](const auto &c) { return c && *c >= threshold; }));
}

MeasuredDraw measured_draw(const std::vector<MeterSample> &samples) {
  std::array<Latest, 3> current, power;
  Latest unphased_current, total_power;
  for (const auto &s : samples) {
    if (!s.numeric) continue;
    // Outlet is the default location; Inlet (the grid side of a site meter), EV and Body are not.
    if (s.location && *s.location != "Outlet") continue;
    Quantity q{};
    if (s.measurand && *s.measurand == "Current.Import") {
      q = Quantity::Current;
    } else if (s.measurand && *s.measurand == "Power.Active.Import") {
      q = Quantity::Power;
    } else {
      continue; // the default measurand is the energy register
    }
    auto v = base_value(q, *s.numeric, s.unit);
    if (!v) continue;
    std::optional<int> phase;
    if (s.phase) {
      phase = phase_index(*s.phase);
      if (!phase) continue;
    }
    auto &slot = q == Quantity::Current ? (phase ? current[static_cast<std::size_t>(*phase)] : unphased_current)
                                        : (phase ? power[static_cast<std::size_t>(*phase)] : total_power);
    slot.offer(*v, s.timestamp);
  }
  MeasuredDraw d;
  for (std::size_t p = 0; p < 3; ++p)
    if (current[p].value) d.current[p] = core::milliamps(*current[p].value);
  if (unphased_current.value) d.unphased = core::milliamps(*unphased_current.value);
  if (total_power.value) {
    d.power = core::watts(*total_power.value);
  } else if (std::any_of(power.begin(), power.end(), [](const Latest &l) { return l.value.has_value(); })) {
    std::int64_t sum = 0; // each at most 10 MW: no overflow
    for (const auto &l : power)
      sum += l.value.value_or(0);
    d.power = core::watts(sum);
  }
  return d;
}

} // namespace gridlane::domain
