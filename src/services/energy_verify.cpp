// Checking a station's composite schedule against the share it was sent.
#include "energy_verify.hpp"

#include <string>

#include "gridlane/domain/charging_schedule_codec.hpp"

namespace gridlane::services::energy_verify {
using namespace gridlane::domain;

Command composite_request(ProtocolVersion version, int evse_id) {
  commands::GetCompositeSchedule c;
  c.duration_s = 60;
  c.unit = ChargingRateUnit::A;
  if (version == ProtocolVersion::Ocpp16)
    c.connector_id = evse_id;
  else
    c.evse_id = evse_id;
  return c;
}

std::optional<EnergyAlert> check(const LocationId &location, const StationId &station, const Setpoint &given,
                                 ProtocolVersion version, const GatewayOutcome &answer, core::Current tolerance,
                                 Timestamp now) {
  if (answer.status != CommandStatus::Accepted || !answer.response) return std::nullopt;
  auto decoded = decode_composite_schedule(version, *answer.response);
  if (!decoded || !*decoded) return std::nullopt;
  const auto &schedule = **decoded;
  if (schedule.unit != ChargingRateUnit::A) return std::nullopt;
  const auto limit = schedule.limit_at(0);
  if (!limit) return std::nullopt;
  const core::Current allowed = core::milliamps(limit->thousandths); // thousandths of an ampere
  const core::Current share = given.paused ? core::Current{} : given.current;
  if (allowed <= share + tolerance) return std::nullopt;
  EnergyAlert alert;
  alert.station = station;
  alert.at = now;
  alert.location = location;
  alert.kind = EnergyAlertKind::ScheduleMismatch;
  alert.evse_id = given.evse_id;
  alert.given = share;
  alert.measured = allowed;
  alert.detail = "the station's composite schedule allows " + std::to_string(allowed.count()) + " mA per phase where " +
                 std::to_string(share.count()) + " mA were sent";
  return alert;
}

} // namespace gridlane::services::energy_verify
