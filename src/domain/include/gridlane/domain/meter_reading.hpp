#pragma once
//! What a station's meter values say it draws now (docs/energy.md): the one place where the
//! measurand, phase, location and unit texts of MeterSample are read for energy management.
//! Services see typed values only.
#include <array>
#include <optional>
#include <vector>

#include "gridlane/core/units.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! The latest draw in a set of samples, per station phase (L1..L3, before the station's phase
//! rotation). Only outlet (or unlocated) import readings count; an EV reading or the inlet of a
//! site meter is not what the EVSE draws from its circuit.
struct MeasuredDraw {
  //! Current.Import per station phase L1, L2, L3 (mA). A phase-less Current.Import (a 1.6
  //! station that meters one value) is put on every phase the station reports no value for
  //! in `unphased`, not here.
  std::array<std::optional<core::Current>, 3> current{};
  std::optional<core::Current> unphased; //!< Current.Import without a phase
  //! Power.Active.Import over all phases (W): the phase-less value, else the sum of L1..L3.
  std::optional<core::Power> power;

  bool empty() const { return !power && !unphased && !current[0] && !current[1] && !current[2]; }
  //! The highest current on any phase (the value a per-phase share is compared with);
  //! nullopt when no current was read.
  std::optional<core::Current> max_phase_current() const;
  //! How many phases carry at least `threshold` (a vehicle's phase count learned from what it
  //! draws); 0 when no per-phase current was read.
  int phases_drawing(core::Current threshold) const;
};

//! Reads the samples of one meter value or transaction event. Values out of range (negative
//! import beyond noise, above 10 kA per phase or 10 MW, not finite) and units it does not know
//! are ignored, never narrowed. When a measurand and phase occurs several times the latest
//! timestamp wins.
MeasuredDraw measured_draw(const std::vector<MeterSample> &samples);

} // namespace gridlane::domain
