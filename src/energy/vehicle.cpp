// The battery model shared by the simulator and the depot-day benchmark.
#include "gridlane/energy/vehicle.hpp"

#include <algorithm>

namespace gridlane::energy {

Vehicle::Vehicle(VehicleSpec spec, double soc) : spec_(spec) {
  spec_.capacity_wh = std::max(spec_.capacity_wh, 1.0);
  spec_.phases = std::clamp(spec_.phases, 1, 3);
  energy_wh_ = std::clamp(soc, 0.0, 1.0) * spec_.capacity_wh;
}

double Vehicle::acceptance_w(double voltage) const {
  const double s = soc();
  if (s >= 1.0) return 0;
  if (spec_.dc) {
    const auto plateau = static_cast<double>(spec_.max_dc_w);
    if (s <= 0.5) return plateau;
    if (s <= 0.8) return plateau * (1.0 - (s - 0.5) / 0.3 * 0.6);
    return plateau * (0.4 - (s - 0.8) / 0.2 * 0.35);
  }
  const double full = static_cast<double>(spec_.max_ac_ma) / 1000.0 * voltage * spec_.phases;
  if (s <= 0.95) return full;
  return full * std::max((1.0 - s) / 0.05, 0.05); // the last trickle until full
}

std::int64_t Vehicle::ac_current_ma(std::int64_t limit_ma, double voltage) const {
  if (spec_.dc || voltage <= 0) return 0;
  const double taken_ma = acceptance_w(voltage) / (voltage * spec_.phases) * 1000.0;
  return std::max<std::int64_t>(0, std::min(limit_ma, static_cast<std::int64_t>(taken_ma)));
}

double Vehicle::step(double power_w, double seconds, double voltage) {
  if (seconds <= 0) return 0;
  double moved = 0;
  if (power_w > 0) {
    const double p = std::min(power_w, acceptance_w(voltage));
    moved = std::min(p * seconds / 3600.0, spec_.capacity_wh - energy_wh_);
  } else if (power_w < 0 && spec_.max_discharge_w > 0) {
    const double p = std::min(-power_w, static_cast<double>(spec_.max_discharge_w));
    const double floor_wh = spec_.min_soc_for_discharge * spec_.capacity_wh;
    moved = -std::min(p * seconds / 3600.0, std::max(0.0, energy_wh_ - floor_wh));
  }
  energy_wh_ += moved;
  return moved;
}

} // namespace gridlane::energy
