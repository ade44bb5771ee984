#include "messages.hpp"

#include <cmath>
#include <cstdio>

namespace gridlane::sim::msg {
namespace v16 = ocpp::v16;
namespace v201 = ocpp::v201;

namespace {

// 1.6 sends sampled values as text; the simulator's are whole numbers.
std::string whole(double v) {
  return std::to_string(static_cast<std::int64_t>(v));
}
// 2.x sends numbers; under load, to a tenth (what a meter shows), so the sample stays ~600 bytes.
double tenth(double v) {
  return std::round(v * 10.0) / 10.0;
}

struct Sample {
  double value;
  v16::SampledValueMeasurand measurand16;
  v201::MeasurandEnum measurand2;
  v16::SampledValueUnit unit16;
  const char *unit2;
  std::optional<v16::SampledValuePhase> phase16;
  std::optional<v201::PhaseEnum> phase2;
  bool ev = false; //!< measured at the EV, not the outlet
};

std::vector<Sample> big_samples(MeterReading m) {
  const double amps = m.power_w / 230.0 / 3.0;
  using M16 = v16::SampledValueMeasurand;
  using M2 = v201::MeasurandEnum;
  using U = v16::SampledValueUnit;
  using P16 = v16::SampledValuePhase;
  using P2 = v201::PhaseEnum;
  return {
      {m.register_wh, M16::Energy_Active_Import_Register, M2::Energy_Active_Import_Register, U::Wh, "Wh", {}, {}},
      {m.power_w, M16::Power_Active_Import, M2::Power_Active_Import, U::W, "W", {}, {}},
      {amps, M16::Current_Import, M2::Current_Import, U::A, "A", P16::L1, P2::L1},
      {amps, M16::Current_Import, M2::Current_Import, U::A, "A", P16::L2, P2::L2},
      {amps, M16::Current_Import, M2::Current_Import, U::A, "A", P16::L3, P2::L3},
      {230, M16::Voltage, M2::Voltage, U::V, "V", P16::L1_N, P2::L1_N},
      {55, M16::SoC, M2::SoC, U::Percent, "Percent", {}, {}, true},
  };
}

} // namespace

v16::BootNotificationRequest boot16(const std::string &station_id) {
  v16::BootNotificationRequest r;
  r.chargePointVendor = "Gridlane";
  r.chargePointModel = "Simulator";
  r.chargePointSerialNumber = station_id;
  r.firmwareVersion = "sim-1";
  return r;
}

v201::BootNotificationRequest boot2(const std::string &station_id, v201::BootReasonEnum reason) {
  v201::BootNotificationRequest r;
  r.reason = reason;
  r.chargingStation.model = "Simulator";
  r.chargingStation.vendorName = "Gridlane";
  r.chargingStation.serialNumber = station_id;
  r.chargingStation.firmwareVersion = "sim-1";
  return r;
}

v16::StatusNotificationRequest status16(std::int64_t connector, ConnectorState state, core::Timestamp now) {
  using S = v16::StatusNotificationRequestStatus;
  v16::StatusNotificationRequest r;
  r.connectorId = connector;
  r.errorCode = state == ConnectorState::Faulted ? v16::StatusNotificationRequestErrorCode::GroundFailure
                                                 : v16::StatusNotificationRequestErrorCode::NoError;
  switch (state) {
  case ConnectorState::Available: r.status = S::Available; break;
  case ConnectorState::Preparing: r.status = S::Preparing; break;
  case ConnectorState::Charging: r.status = S::Charging; break;
  case ConnectorState::Finishing: r.status = S::Finishing; break;
  case ConnectorState::Faulted: r.status = S::Faulted; break;
  }
  r.timestamp = now;
  return r;
}

v201::StatusNotificationRequest status2(std::int64_t evse, ConnectorState state, core::Timestamp now) {
  using S = v201::ConnectorStatusEnum;
  v201::StatusNotificationRequest r;
  r.timestamp = now;
  switch (state) {
  case ConnectorState::Available: r.connectorStatus = S::Available; break;
  case ConnectorState::Preparing:
  case ConnectorState::Charging:
  case ConnectorState::Finishing: r.connectorStatus = S::Occupied; break;
  case ConnectorState::Faulted: r.connectorStatus = S::Faulted; break;
  }
  r.evseId = evse;
  r.connectorId = 1;
  return r;
}

v16::StopTransactionRequestReason reason16(StopCause cause) {
  return cause == StopCause::Remote ? v16::StopTransactionRequestReason::Remote
                                    : v16::StopTransactionRequestReason::Local;
}

v201::ReasonEnum reason2(StopCause cause) {
  return cause == StopCause::Remote ? v201::ReasonEnum::Remote : v201::ReasonEnum::Local;
}

v201::IdToken id_token2(const std::string &tag) {
  v201::IdToken t;
  t.idToken = tag;
  t.type = v201::IdTokenEnum::ISO14443;
  return t;
}

std::vector<v16::MeterValue> meter16(MeterReading m, v16::SampledValueContext context, core::Timestamp now) {
  v16::MeterValue mv;
  mv.timestamp = now;
  auto add = [&](double value, v16::SampledValueMeasurand measurand, v16::SampledValueUnit unit) {
    auto &s = mv.sampledValue.emplace_back();
    s.value = whole(value);
    s.context = context;
    s.measurand = measurand;
    s.unit = unit;
  };
  add(m.register_wh, v16::SampledValueMeasurand::Energy_Active_Import_Register, v16::SampledValueUnit::Wh);
  add(m.power_w, v16::SampledValueMeasurand::Power_Active_Import, v16::SampledValueUnit::W);
  return {std::move(mv)};
}

std::vector<v201::MeterValue> meter2(MeterReading m, v201::ReadingContextEnum context, core::Timestamp now) {
  v201::MeterValue mv;
  mv.timestamp = now;
  auto add = [&](double value, v201::MeasurandEnum measurand, const char *unit) {
    auto &s = mv.sampledValue.emplace_back();
    s.value = std::trunc(value);
    s.context = context;
    s.measurand = measurand;
    s.unitOfMeasure.emplace().unit = unit;
  };
  add(m.register_wh, v201::MeasurandEnum::Energy_Active_Import_Register, "Wh");
  add(m.power_w, v201::MeasurandEnum::Power_Active_Import, "W");
  return {std::move(mv)};
}

std::vector<v16::MeterValue> big_meter16(MeterReading m, core::Timestamp now) {
  v16::MeterValue mv;
  mv.timestamp = now;
  const auto samples = big_samples(m);
  mv.sampledValue.reserve(samples.size());
  for (const auto &x : samples) {
    auto &s = mv.sampledValue.emplace_back();
    s.value = whole(x.value);
    s.context = v16::SampledValueContext::Sample_Periodic;
    s.measurand = x.measurand16;
    s.location = x.ev ? v16::SampledValueLocation::EV : v16::SampledValueLocation::Outlet;
    s.phase = x.phase16;
    s.unit = x.unit16;
  }
  return {std::move(mv)};
}

std::vector<v201::MeterValue> big_meter2(MeterReading m, core::Timestamp now) {
  v201::MeterValue mv;
  mv.timestamp = now;
  const auto samples = big_samples(m);
  mv.sampledValue.reserve(samples.size());
  for (const auto &x : samples) {
    auto &s = mv.sampledValue.emplace_back();
    s.value = tenth(x.value);
    s.context = v201::ReadingContextEnum::Sample_Periodic;
    s.measurand = x.measurand2;
    s.location = x.ev ? v201::LocationEnum::EV : v201::LocationEnum::Outlet;
    s.phase = x.phase2;
    s.unitOfMeasure.emplace().unit = x.unit2;
  }
  return {std::move(mv)};
}

v201::TransactionEventRequest transaction_event(const TransactionEventArgs &a, std::vector<v201::MeterValue> meter,
                                                core::Timestamp now) {
  using E = v201::TransactionEventEnum;
  v201::TransactionEventRequest r;
  r.eventType = a.type;
  r.timestamp = now;
  r.triggerReason = a.trigger;
  r.seqNo = a.seq_no;
  r.transactionInfo.transactionId = a.transaction_id;
  if (a.type == E::Ended)
    r.transactionInfo.stoppedReason = reason2(a.stop_cause);
  else
    r.transactionInfo.chargingState = v201::ChargingStateEnum::Charging;
  if (a.type == E::Started) r.transactionInfo.remoteStartId = a.remote_start_id;
  if (a.evse) {
    auto &evse = r.evse.emplace();
    evse.id = *a.evse;
    evse.connectorId = 1;
  }
  r.meterValue = std::move(meter);
  return r;
}

namespace {
// 1.6 text to a tenth, plain decimal ("15.8", "0").
std::string tenth_text(double v) {
  char text[48];
  std::snprintf(text, sizeof text, "%.1f", std::round(v * 10.0) / 10.0);
  std::string out = text;
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  return out == "-0" ? "0" : out;
}

std::vector<Sample> phase_samples(const MeterReading &m) {
  using M16 = v16::SampledValueMeasurand;
  using M2 = v201::MeasurandEnum;
  using U = v16::SampledValueUnit;
  using P16 = v16::SampledValuePhase;
  using P2 = v201::PhaseEnum;
  std::vector<Sample> out{
      {m.register_wh, M16::Energy_Active_Import_Register, M2::Energy_Active_Import_Register, U::Wh, "Wh", {}, {}},
      {m.power_w, M16::Power_Active_Import, M2::Power_Active_Import, U::W, "W", {}, {}},
  };
  if (m.dc) {
    out.push_back({m.amps[0], M16::Current_Import, M2::Current_Import, U::A, "A", {}, {}});
  } else {
    out.push_back({m.amps[0], M16::Current_Import, M2::Current_Import, U::A, "A", P16::L1, P2::L1});
    out.push_back({m.amps[1], M16::Current_Import, M2::Current_Import, U::A, "A", P16::L2, P2::L2});
    out.push_back({m.amps[2], M16::Current_Import, M2::Current_Import, U::A, "A", P16::L3, P2::L3});
  }
  if (m.soc) out.push_back({*m.soc, M16::SoC, M2::SoC, U::Percent, "Percent", {}, {}, true});
  return out;
}
} // namespace

std::vector<v16::MeterValue> phase_meter16(const MeterReading &m, v16::SampledValueContext context,
                                           core::Timestamp now) {
  v16::MeterValue mv;
  mv.timestamp = now;
  for (const auto &x : phase_samples(m)) {
    auto &s = mv.sampledValue.emplace_back();
    s.value = x.unit16 == v16::SampledValueUnit::A ? tenth_text(x.value) : whole(x.value);
    s.context = context;
    s.measurand = x.measurand16;
    s.location = x.ev ? v16::SampledValueLocation::EV : v16::SampledValueLocation::Outlet;
    s.phase = x.phase16;
    s.unit = x.unit16;
  }
  return {std::move(mv)};
}

std::vector<v201::MeterValue> phase_meter2(const MeterReading &m, v201::ReadingContextEnum context,
                                           core::Timestamp now) {
  v201::MeterValue mv;
  mv.timestamp = now;
  for (const auto &x : phase_samples(m)) {
    auto &s = mv.sampledValue.emplace_back();
    s.value = tenth(x.value);
    s.context = context;
    s.measurand = x.measurand2;
    s.location = x.ev ? v201::LocationEnum::EV : v201::LocationEnum::Outlet;
    s.phase = x.phase2;
    s.unitOfMeasure.emplace().unit = x.unit2;
  }
  return {std::move(mv)};
}

namespace {
double limit_w(double limit, bool amperes) {
  return amperes ? limit * 230.0 * 3.0 : limit;
}
} // namespace

double profile_limit_w(const v16::CsChargingProfiles &profile) {
  const auto &s = profile.chargingSchedule;
  if (s.chargingSchedulePeriod.empty()) return 0;
  return limit_w(s.chargingSchedulePeriod.front().limit,
                 s.chargingRateUnit == v16::ChargingScheduleChargingRateUnit::A);
}

double profile_limit_w(const v201::ChargingProfile &profile) {
  if (profile.chargingSchedule.empty() || profile.chargingSchedule.front().chargingSchedulePeriod.empty()) return 0;
  const auto &s = profile.chargingSchedule.front();
  return limit_w(s.chargingSchedulePeriod.front().limit, s.chargingRateUnit == v201::ChargingRateUnitEnum::A);
}

} // namespace gridlane::sim::msg
