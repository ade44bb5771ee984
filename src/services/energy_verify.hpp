#pragma once
// Checking that a station applies what it was sent (EnergyOptions::verify): after an accepted
// SetChargingProfile, the energy manager asks the station's composite schedule for the EVSE
// (GetCompositeSchedule, in A) and raises EnergyAlert ScheduleMismatch when the station would
// let the EVSE draw more than its share. Pure: the service sends and publishes.
#include <optional>

#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"

namespace gridlane::services::energy_verify {

//! The request for the next minute of the EVSE's composite schedule, in A (1.6 names the
//! connector, 2.x the EVSE: a 1.6 station's EVSE n is its connector n).
domain::Command composite_request(domain::ProtocolVersion version, int evse_id);

//! What the station's answer means: an alert when its composite limit now is above `given`
//! by more than `tolerance`; nullopt when it is within, when the station did not answer with a
//! schedule in A (not supported, rejected, no schedule) or the answer does not decode.
std::optional<domain::EnergyAlert> check(const domain::LocationId &location, const domain::StationId &station,
                                         const domain::Setpoint &given, domain::ProtocolVersion version,
                                         const domain::GatewayOutcome &answer, core::Current tolerance,
                                         domain::Timestamp now);

} // namespace gridlane::services::energy_verify
