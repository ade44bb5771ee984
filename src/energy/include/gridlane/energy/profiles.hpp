#pragma once
//! Between a share and a station (docs/energy.md, "Allocation"): the pure policy that turns
//! what the energy manager gives an EVSE into the charging profile it sends, and decides
//! whether a new share is worth sending. No clock, store or I/O: functions of their inputs and
//! `now`, so the energy service and its tests agree on every profile.
//!
//! Profiles are version-agnostic domain::ChargingProfile values: the OCPP adapters render them
//! for 1.6 (connector id) or 2.x (evse id), both of which are filled here. Limits are rounded
//! towards zero to 0.1 A (1.6 requires multiples of 0.1) or to whole W, so a profile never
//! allows more than the share. Every profile is Absolute and starts `clock_skew` before `now`,
//! so that a station whose clock runs a little behind applies it at once (a
//! ChargingStationMaxProfile may not be Relative in 2.x).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/core/units.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/energy.hpp"

namespace gridlane::energy {

//! The profile ids and stack level the energy manager owns on a station. Ids: `first_id` for
//! the station-wide maximum, `first_id + 1000 + evse` for an EVSE's TxDefaultProfile,
//! `first_id + 2000 + evse` for its TxProfile, so a new one replaces the last one sent.
struct ProfilePolicy {
  std::int64_t first_id = 710'000'000;
  std::int64_t stack_level = 1;
  std::chrono::seconds clock_skew{60};
};

//! How an EVSE draws, for the unit of its profile: A per phase with numberPhases for AC, W for
//! DC (the setpoint's current x phases x voltage).
struct EvseElectrics {
  bool dc = false;
  core::Voltage voltage = core::volts(230); //!< phase to neutral
};

//! The profile that gives `setpoint` to its EVSE: a TxProfile for the transaction when
//! `station_transaction_id` is given (the station's id: 2.x its string, 1.6 the decimal of
//! Gridlane's), else a TxDefaultProfile for the EVSE. A paused setpoint limits to 0.
domain::commands::SetChargingProfile setpoint_profile(const domain::Setpoint &setpoint,
                                                      const std::optional<std::string> &station_transaction_id,
                                                      EvseElectrics electrics, const ProfilePolicy &policy,
                                                      core::Timestamp now);

//! The station-wide maximum (1.6 ChargePointMaxProfile, 2.x ChargingStationMaxProfile, evse 0)
//! that keeps a station within its share when it loses the CSMS: `per_phase` over `phases`.
domain::commands::SetChargingProfile station_max_profile(core::Current per_phase, int phases, EvseElectrics electrics,
                                                         const ProfilePolicy &policy, core::Timestamp now);

//! The fail-safe share of a station with `evses` EVSEs under `grid`: its fallback per EVSE
//! (GridConnection::fallback_per_evse) times the EVSEs, per phase.
core::Current fail_safe_current(const domain::GridConnection &grid, int evses);

//! A vehicle's part of the plan ahead, to answer its 2.x NotifyEVChargingNeeds with a TxProfile.
struct PlannedCharging {
  int evse_id = 1;
  std::string station_transaction_id;
  core::Timestamp start;           //!< the first slot's start
  std::chrono::seconds slot{900};  //!< every slot's length
  std::vector<std::int64_t> power; //!< W per slot; < 0 discharging (V2G)
  int phases = 3;
  //! The vehicle's maxScheduleTuples: periods beyond it are merged, keeping the lower limit.
  std::optional<int> max_periods;
};

//! A TxProfile whose schedule follows the plan: one period per run of equal slots (W for DC,
//! A per phase for AC), at most `max_periods` (and 1024, the schema's bound) periods; where it
//! must merge, the two neighbours closest in value, at the lower of the two.
domain::commands::SetChargingProfile plan_profile(const PlannedCharging &plan, EvseElectrics electrics,
                                                  const ProfilePolicy &policy);

//! When a new share is sent (EnergyOptions: hysteresis, min_interval).
struct SendPolicy {
  core::Current hysteresis = core::amps(1);
  std::chrono::milliseconds min_interval{10000};
};

//! What was last sent to an EVSE.
struct SentShare {
  core::Current current;
  bool paused = false;
  std::optional<std::int64_t> transaction_id; //!< Gridlane's; nullopt: TxDefaultProfile
  core::Timestamp at;
  int phases = 3; //!< numberPhases of the profile
};

struct SendDecision {
  enum class Kind {
    Send, //!< now
    Hold, //!< not worth sending (below the hysteresis, or nothing changed)
    Wait, //!< a raise within the minimum interval: decide again at `not_before`
  };
  Kind kind = Kind::Send;
  core::Timestamp not_before;
  bool operator==(const SendDecision &) const = default;
};

//! Whether to send `next` now. Nothing sent yet, another transaction or number of phases, a
//! pause, or any lower share (so that the site stays within its limits): at once. A raise: only by at least the
//! hysteresis (a resume: whatever its size), and not sooner than `min_interval` after the last
//! profile sent to the EVSE.
SendDecision decide_send(const std::optional<SentShare> &last, const domain::Setpoint &next, const SendPolicy &policy,
                         core::Timestamp now);

} // namespace gridlane::energy
