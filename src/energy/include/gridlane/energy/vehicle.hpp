#pragma once
//! A vehicle's battery as a physical model (docs/energy.md, "Vehicles"), shared by the
//! simulator (`gridlane sim`) and the depot-day benchmark so both charge the same way: a
//! capacity, a state of charge, the phases it charges on and its maximum AC current, or a DC
//! power curve that tapers as the battery fills; optionally bidirectional (V2G). Physics, not
//! money: energy is kept in double watt-hours between steps.
#include <cstdint>

namespace gridlane::energy {

struct VehicleSpec {
  double capacity_wh = 60000;
  int phases = 3;                 //!< AC phases the on-board charger uses (1..3)
  std::int64_t max_ac_ma = 16000; //!< per phase
  bool dc = false;
  std::int64_t max_dc_w = 50000;      //!< DC: the curve's plateau
  std::int64_t max_discharge_w = 0;   //!< > 0: may discharge
  double min_soc_for_discharge = 0.2; //!< never discharged below this
};

class Vehicle {
public:
  Vehicle(VehicleSpec spec, double soc);

  const VehicleSpec &spec() const { return spec_; }
  double soc() const { return energy_wh_ / spec_.capacity_wh; }
  double energy_wh() const { return energy_wh_; }
  bool full() const { return energy_wh_ >= spec_.capacity_wh - 1e-6; }

  //! The most it takes now, in W: AC, its current on its phases at `voltage` (tapering above
  //! 95 % to a trickle of 5 % of it until full); DC, its curve (the plateau up to 50 %, falling linearly to 40 % of
  //! it at 80 % and to 5 % at 100 %).
  double acceptance_w(double voltage) const;
  //! The AC current it draws per phase (mA) when the station allows `limit_ma` per phase.
  std::int64_t ac_current_ma(std::int64_t limit_ma, double voltage) const;

  //! Charges (power > 0) or discharges (< 0) for `seconds` at `power_w`, bounded by what it
  //! accepts and its capacity (or its discharge floor); returns the energy moved, in Wh (< 0:
  //! discharged).
  double step(double power_w, double seconds, double voltage);

private:
  VehicleSpec spec_;
  double energy_wh_ = 0;
};

} // namespace gridlane::energy
