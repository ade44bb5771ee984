// Smart charging on the wire of a simulated station: the 1.6 and 2.x profiles it receives in the
// shape it keeps (profiles.hpp), the composite schedules it answers, the charging needs it tells.
#include <cmath>

#include "messages.hpp"

namespace gridlane::sim::msg {
namespace v16 = ocpp::v16;
namespace v201 = ocpp::v201;

namespace {
ProfilePurpose purpose16(v16::CsChargingProfilesChargingProfilePurpose p) {
  using P = v16::CsChargingProfilesChargingProfilePurpose;
  switch (p) {
  case P::ChargePointMaxProfile: return ProfilePurpose::StationMax;
  case P::TxProfile: return ProfilePurpose::Tx;
  case P::TxDefaultProfile: break;
  }
  return ProfilePurpose::TxDefault;
}
ProfilePurpose purpose2(v201::ChargingProfilePurposeEnum p) {
  using P = v201::ChargingProfilePurposeEnum;
  switch (p) {
  case P::ChargingStationMaxProfile:
  case P::ChargingStationExternalConstraints: return ProfilePurpose::StationMax; // both cap the station
  case P::TxProfile: return ProfilePurpose::Tx;
  case P::TxDefaultProfile: break;
  }
  return ProfilePurpose::TxDefault;
}
template <class Kind> ProfileKind kind_of(Kind k) {
  if (k == Kind::Relative) return ProfileKind::Relative;
  if (k == Kind::Recurring) return ProfileKind::Recurring;
  return ProfileKind::Absolute;
}
template <class Period> std::vector<SchedulePeriod> periods_of(const std::vector<Period> &in) {
  std::vector<SchedulePeriod> out;
  out.reserve(in.size());
  for (const auto &p : in) {
    std::optional<int> phases;
    if (p.numberPhases && *p.numberPhases >= 1 && *p.numberPhases <= 3) phases = static_cast<int>(*p.numberPhases);
    out.push_back({p.startPeriod, std::isfinite(p.limit) ? p.limit : -1.0, phases});
  }
  return out;
}
} // namespace

Profile profile16(const v16::CsChargingProfiles &p, int connector, core::Timestamp now) {
  Profile out;
  out.id = p.chargingProfileId;
  out.stack_level = p.stackLevel;
  out.purpose = purpose16(p.chargingProfilePurpose);
  out.kind = kind_of(p.chargingProfileKind);
  if (p.recurrencyKind)
    out.recurrency =
        *p.recurrencyKind == v16::CsChargingProfilesRecurrencyKind::Weekly ? Recurrency::Weekly : Recurrency::Daily;
  out.valid_from = p.validFrom;
  out.valid_to = p.validTo;
  const auto &s = p.chargingSchedule;
  out.start = s.startSchedule;
  out.duration_s = s.duration;
  out.unit = s.chargingRateUnit == v16::ChargingScheduleChargingRateUnit::W ? RateUnit::W : RateUnit::A;
  out.periods = periods_of(s.chargingSchedulePeriod);
  out.connector = connector;
  if (p.transactionId) out.transaction = std::to_string(*p.transactionId);
  out.received = now;
  return out;
}

Profile profile2(const v201::ChargingProfile &p, int evse, core::Timestamp now) {
  Profile out;
  out.id = p.id;
  out.stack_level = p.stackLevel;
  out.purpose = purpose2(p.chargingProfilePurpose);
  out.kind = kind_of(p.chargingProfileKind);
  if (p.recurrencyKind)
    out.recurrency = *p.recurrencyKind == v201::RecurrencyKindEnum::Weekly ? Recurrency::Weekly : Recurrency::Daily;
  out.valid_from = p.validFrom;
  out.valid_to = p.validTo;
  if (!p.chargingSchedule.empty()) { // the simulator keeps the first schedule (a 2.0.1 station without ISO 15118)
    const auto &s = p.chargingSchedule.front();
    out.start = s.startSchedule;
    out.duration_s = s.duration;
    out.unit = s.chargingRateUnit == v201::ChargingRateUnitEnum::W ? RateUnit::W : RateUnit::A;
    out.periods = periods_of(s.chargingSchedulePeriod);
  }
  out.connector = evse;
  out.transaction = p.transactionId;
  out.received = now;
  return out;
}

Criteria criteria16(const v16::ClearChargingProfileRequest &r) {
  using P = v16::ClearChargingProfileRequestChargingProfilePurpose;
  Criteria c;
  c.id = r.id;
  if (r.connectorId) c.connector = static_cast<int>(*r.connectorId);
  if (r.chargingProfilePurpose)
    c.purpose = *r.chargingProfilePurpose == P::ChargePointMaxProfile ? ProfilePurpose::StationMax
                : *r.chargingProfilePurpose == P::TxProfile           ? ProfilePurpose::Tx
                                                                      : ProfilePurpose::TxDefault;
  c.stack_level = r.stackLevel;
  return c;
}

Criteria criteria2(const v201::ClearChargingProfileRequest &r) {
  Criteria c;
  c.id = r.chargingProfileId;
  if (const auto &k = r.chargingProfileCriteria) {
    if (k->evseId) c.connector = static_cast<int>(*k->evseId);
    if (k->chargingProfilePurpose) c.purpose = purpose2(*k->chargingProfilePurpose);
    c.stack_level = k->stackLevel;
  }
  return c;
}

namespace {
// A limit as a wire number: to a tenth (A) or whole (W), as a station's schedule shows it.
double wire_limit(double v, RateUnit unit) {
  // The epsilon keeps a limit read across units (4140 W over three phases: 6 A) from losing a step.
  return unit == RateUnit::A ? std::floor(v * 10.0 + 1e-6) / 10.0 : std::floor(v + 1e-6);
}
} // namespace

v16::GetCompositeScheduleResponse composite16(int connector, core::Timestamp start, std::int64_t duration_s,
                                              RateUnit unit, const std::vector<SchedulePeriod> &periods) {
  v16::GetCompositeScheduleResponse r;
  r.status = v16::GetCompositeScheduleResponseStatus::Accepted;
  r.connectorId = connector;
  r.scheduleStart = start;
  auto &s = r.chargingSchedule.emplace();
  s.duration = duration_s;
  s.startSchedule = start;
  s.chargingRateUnit =
      unit == RateUnit::W ? v16::ChargingScheduleChargingRateUnit::W : v16::ChargingScheduleChargingRateUnit::A;
  for (const auto &p : periods)
    s.chargingSchedulePeriod.push_back({p.start_s, wire_limit(p.limit, unit), p.phases});
  return r;
}

v201::GetCompositeScheduleResponse composite2(int evse, core::Timestamp start, std::int64_t duration_s, RateUnit unit,
                                              const std::vector<SchedulePeriod> &periods) {
  v201::GetCompositeScheduleResponse r;
  r.status = v201::GenericStatusEnum::Accepted;
  auto &s = r.schedule.emplace();
  s.evseId = evse;
  s.duration = duration_s;
  s.scheduleStart = start;
  s.chargingRateUnit = unit == RateUnit::W ? v201::ChargingRateUnitEnum::W : v201::ChargingRateUnitEnum::A;
  for (const auto &p : periods) {
    auto &out = s.chargingSchedulePeriod.emplace_back();
    out.startPeriod = p.start_s;
    out.limit = wire_limit(p.limit, unit);
    out.numberPhases = p.phases;
  }
  return r;
}

v201::NotifyEVChargingNeedsRequest charging_needs2(const VehicleNeed &need) {
  using M = v201::EnergyTransferModeEnum;
  v201::NotifyEVChargingNeedsRequest r;
  r.evseId = need.evse;
  auto &n = r.chargingNeeds;
  n.departureTime = need.departure;
  const auto energy = static_cast<std::int64_t>(std::max(0.0, need.energy_wh));
  if (need.dc) {
    n.requestedEnergyTransfer = M::DC;
    auto &dc = n.dcChargingParameters.emplace();
    dc.evMaxCurrent = static_cast<std::int64_t>(need.max_current_a);
    dc.evMaxVoltage = 400;
    dc.energyAmount = energy;
    dc.evMaxPower = static_cast<std::int64_t>(need.max_power_w);
    dc.stateOfCharge = static_cast<std::int64_t>(std::clamp(need.soc, 0.0, 100.0));
    dc.evEnergyCapacity = static_cast<std::int64_t>(need.capacity_wh);
    dc.fullSoC = 100;
  } else {
    n.requestedEnergyTransfer = need.phases == 1   ? M::AC_single_phase
                                : need.phases == 2 ? M::AC_two_phase
                                                   : M::AC_three_phase;
    auto &ac = n.acChargingParameters.emplace();
    ac.energyAmount = energy;
    ac.evMinCurrent = 6;
    ac.evMaxCurrent = static_cast<std::int64_t>(need.max_current_a);
    ac.evMaxVoltage = 400;
  }
  return r;
}

} // namespace gridlane::sim::msg
