// The policy between a share and a station: profiles from shares and plans, and whether to send.
#include "gridlane/energy/profiles.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace gridlane::energy {

namespace {

using domain::ChargingProfilePurpose;
using domain::ChargingRateUnit;
using domain::ChargingSchedule;
using domain::ChargingSchedulePeriod;
using domain::RateMilli;

constexpr std::int64_t kStationMaxOffset = 0;
constexpr std::int64_t kTxDefaultOffset = 1000;
constexpr std::int64_t kTxOffset = 2000;
constexpr std::size_t kMaxPeriods = 1024; // chargingSchedulePeriod's maxItems (1.6 and 2.x)

//! A current in mA as a limit in thousandths of an ampere, towards zero to 0.1 A.
RateMilli amps_limit(std::int64_t ma) {
  return RateMilli{ma / 100 * 100};
}
//! A power in W as a limit in thousandths of a watt (whole watts).
RateMilli watts_limit(std::int64_t w) {
  return RateMilli{w * 1000};
}
std::int64_t clamp_phases(int phases) {
  return std::clamp(phases, 1, 3);
}
//! A DC EVSE's share in W: its current per phase over its phases at the grid's voltage.
std::int64_t dc_watts(std::int64_t ma, std::int64_t phases, core::Voltage voltage) {
  return ma * phases * voltage.count() / 1000;
}

core::Timestamp whole_seconds(core::Timestamp t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

//! One period from the start: the limit of an EVSE or a station, from `start`.
ChargingSchedule flat_schedule(std::int64_t id, std::int64_t ma, int phases, EvseElectrics electrics,
                               core::Timestamp start) {
  ChargingSchedule s;
  s.id = id;
  s.start = start;
  ChargingSchedulePeriod p;
  p.start_s = 0;
  if (electrics.dc) {
    s.unit = ChargingRateUnit::W;
    p.limit = watts_limit(dc_watts(ma, clamp_phases(phases), electrics.voltage));
  } else {
    s.unit = ChargingRateUnit::A;
    p.limit = amps_limit(ma);
    p.phases = clamp_phases(phases);
  }
  s.periods.push_back(p);
  return s;
}

domain::ChargingProfile profile(std::int64_t id, ChargingProfilePurpose purpose, const ProfilePolicy &policy) {
  domain::ChargingProfile p;
  p.id = id;
  p.stack_level = policy.stack_level;
  p.purpose = purpose;
  p.kind = domain::ChargingProfileKind::Absolute;
  return p;
}

} // namespace

domain::commands::SetChargingProfile setpoint_profile(const domain::Setpoint &setpoint,
                                                      const std::optional<std::string> &station_transaction_id,
                                                      EvseElectrics electrics, const ProfilePolicy &policy,
                                                      core::Timestamp now) {
  const bool tx = station_transaction_id.has_value();
  const std::int64_t id = policy.first_id + (tx ? kTxOffset : kTxDefaultOffset) + setpoint.evse_id;
  domain::ChargingProfile p = profile(id, tx ? ChargingProfilePurpose::Tx : ChargingProfilePurpose::TxDefault, policy);
  if (tx) p.transaction_id = station_transaction_id;
  const std::int64_t ma = setpoint.paused ? 0 : setpoint.current.count();
  p.schedules.push_back(flat_schedule(id, ma, setpoint.phases, electrics, whole_seconds(now - policy.clock_skew)));
  return domain::commands::SetChargingProfile{
      .connector_id = setpoint.evse_id, .evse_id = setpoint.evse_id, .profile = std::move(p)};
}

domain::commands::SetChargingProfile station_max_profile(core::Current per_phase, int phases, EvseElectrics electrics,
                                                         const ProfilePolicy &policy, core::Timestamp now) {
  const std::int64_t id = policy.first_id + kStationMaxOffset;
  domain::ChargingProfile p = profile(id, ChargingProfilePurpose::StationMax, policy);
  const std::int64_t ma = std::max<std::int64_t>(per_phase.count(), 0);
  p.schedules.push_back(flat_schedule(id, ma, phases, electrics, whole_seconds(now - policy.clock_skew)));
  return domain::commands::SetChargingProfile{.connector_id = 0, .evse_id = 0, .profile = std::move(p)};
}

core::Current fail_safe_current(const domain::GridConnection &grid, int evses) {
  return core::Current(std::max<std::int64_t>(grid.fallback_per_evse.count(), 0) * std::max(evses, 1));
}

domain::commands::SetChargingProfile plan_profile(const PlannedCharging &plan, EvseElectrics electrics,
                                                  const ProfilePolicy &policy) {
  const std::int64_t id = policy.first_id + kTxOffset + plan.evse_id;
  domain::ChargingProfile p = profile(id, ChargingProfilePurpose::Tx, policy);
  p.transaction_id = plan.station_transaction_id;
  const std::int64_t phases = clamp_phases(plan.phases);
  const std::int64_t slot_s = std::max<std::int64_t>(plan.slot.count(), 1);

  ChargingSchedule s;
  s.id = id;
  s.start = whole_seconds(plan.start);
  s.duration_s = slot_s * static_cast<std::int64_t>(plan.power.size());
  s.unit = electrics.dc ? ChargingRateUnit::W : ChargingRateUnit::A;
  const auto limit_of = [&](std::int64_t w) {
    if (electrics.dc) return watts_limit(w);
    const std::int64_t v = std::max<std::int64_t>(electrics.voltage.count(), 1);
    return amps_limit(w * 1000 / (v * phases)); // towards zero: never above the plan
  };
  for (std::size_t k = 0; k < plan.power.size(); ++k) {
    const RateMilli limit = limit_of(plan.power[k]);
    if (!s.periods.empty() && s.periods.back().limit == limit) continue;
    ChargingSchedulePeriod period;
    period.start_s = slot_s * static_cast<std::int64_t>(k);
    period.limit = limit;
    if (!electrics.dc) period.phases = phases;
    s.periods.push_back(period);
  }
  if (s.periods.empty()) { // no plan: nothing until told otherwise
    ChargingSchedulePeriod period;
    period.limit = RateMilli{0};
    if (!electrics.dc) period.phases = phases;
    s.periods.push_back(period);
  }

  // Fewer periods than the vehicle takes: merge the two neighbours closest in value, keeping
  // the lower limit (a plan for 96 slots has far fewer than 96 runs, so this is rarely long).
  const std::size_t most = std::min(
      kMaxPeriods, static_cast<std::size_t>(std::max(plan.max_periods.value_or(static_cast<int>(kMaxPeriods)), 1)));
  while (s.periods.size() > most) {
    std::size_t best = 0;
    std::int64_t best_gap = std::numeric_limits<std::int64_t>::max();
    for (std::size_t k = 0; k + 1 < s.periods.size(); ++k) {
      const std::int64_t gap = std::abs(s.periods[k].limit.thousandths - s.periods[k + 1].limit.thousandths);
      if (gap < best_gap) best_gap = gap, best = k;
    }
    auto &keep = s.periods[best];
    keep.limit.thousandths = std::min(keep.limit.thousandths, s.periods[best + 1].limit.thousandths);
    s.periods.erase(s.periods.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    // The merged period may now equal a neighbour: fold those too.
    const auto same = [](const ChargingSchedulePeriod &x, const ChargingSchedulePeriod &y) {
      return x.limit == y.limit;
    };
    s.periods.erase(std::unique(s.periods.begin(), s.periods.end(), same), s.periods.end());
  }
  p.schedules.push_back(std::move(s));
  return domain::commands::SetChargingProfile{
      .connector_id = plan.evse_id, .evse_id = plan.evse_id, .profile = std::move(p)};
}

SendDecision decide_send(const std::optional<SentShare> &last, const domain::Setpoint &next, const SendPolicy &policy,
                         core::Timestamp now) {
  using Kind = SendDecision::Kind;
  if (!last || last->transaction_id != next.transaction_id || last->phases != next.phases) return {Kind::Send, now};
  const std::int64_t was = last->paused ? 0 : last->current.count();
  const std::int64_t will = next.paused ? 0 : next.current.count();
  if (next.paused && !last->paused) return {Kind::Send, now}; // a pause: at once
  if (will < was) return {Kind::Send, now};                   // lower: at once
  const bool resume = last->paused && !next.paused;
  if (!resume && will - was < std::max<std::int64_t>(policy.hysteresis.count(), 1)) return {Kind::Hold, now};
  const core::Timestamp allowed = last->at + policy.min_interval;
  if (now < allowed) return {Kind::Wait, allowed};
  return {Kind::Send, now};
}

} // namespace gridlane::energy
