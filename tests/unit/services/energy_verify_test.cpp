#include "energy_verify.hpp"

#include <gtest/gtest.h>

#include "gridlane/core/time.hpp"

namespace gridlane::services {
namespace {
using namespace gridlane::domain;

GatewayOutcome accepted(std::string response) {
  GatewayOutcome o;
  o.status = CommandStatus::Accepted;
  o.response = std::move(response);
  return o;
}

std::string answer201(double limit_a, const char *unit = "A") {
  return std::string(R"({"status":"Accepted","schedule":{"evseId":1,"duration":60,)") +
         R"("scheduleStart":"2026-11-29T10:00:00Z","chargingRateUnit":")" + unit +
         R"(","chargingSchedulePeriod":[{"startPeriod":0,"limit":)" + std::to_string(limit_a) + "}]}}";
}

Setpoint share(std::int64_t ma, bool paused = false) {
  Setpoint s;
  s.station = StationId::unchecked("CS-1");
  s.evse_id = 1;
  s.current = core::milliamps(ma);
  s.paused = paused;
  return s;
}

const auto loc = LocationId::unchecked("DEPOT");
const auto cs = StationId::unchecked("CS-1");
const auto now = core::Timestamp{};

TEST(EnergyVerify, AsksTheConnectorOn16AndTheEvseOn2x) {
  auto c16 = std::get<commands::GetCompositeSchedule>(energy_verify::composite_request(ProtocolVersion::Ocpp16, 2));
  EXPECT_EQ(c16.connector_id, 2);
  EXPECT_FALSE(c16.evse_id);
  EXPECT_EQ(c16.unit, ChargingRateUnit::A);
  auto c2 = std::get<commands::GetCompositeSchedule>(energy_verify::composite_request(ProtocolVersion::Ocpp201, 2));
  EXPECT_EQ(c2.evse_id, 2);
  EXPECT_FALSE(c2.connector_id);
}

TEST(EnergyVerify, AScheduleWithinTheShareIsNoAlertOneAboveIs) {
  const auto tol = core::amps(1);
  EXPECT_FALSE(
      energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201, accepted(answer201(16)), tol, now));
  EXPECT_FALSE(energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201, accepted(answer201(10)), tol, now))
      << "lower than sent: another constraint of the station's own";
  auto alert = energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201, accepted(answer201(32)), tol, now);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->kind, EnergyAlertKind::ScheduleMismatch);
  EXPECT_EQ(alert->given, core::amps(16));
  EXPECT_EQ(alert->measured, core::amps(32));
  EXPECT_EQ(alert->evse_id, 1);
  // A paused EVSE was given nothing: any current allowed beyond the tolerance is a mismatch.
  EXPECT_TRUE(
      energy_verify::check(loc, cs, share(6000, true), ProtocolVersion::Ocpp201, accepted(answer201(6)), tol, now));
}

TEST(EnergyVerify, The16ShapeIsRead) {
  const std::string a16 = R"({"status":"Accepted","connectorId":1,"scheduleStart":"2026-11-29T10:00:00Z",)"
                          R"("chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[)"
                          R"({"startPeriod":0,"limit":25}]}})";
  auto alert = energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp16, accepted(a16), core::amps(1), now);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->measured, core::amps(25));
}

TEST(EnergyVerify, NoScheduleNoAnswerOrAnotherUnitIsNoVerdict) {
  const auto tol = core::amps(1);
  EXPECT_FALSE(
      energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201, accepted(answer201(99, "W")), tol, now));
  EXPECT_FALSE(energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201,
                                    accepted(R"({"status":"Rejected"})"), tol, now));
  EXPECT_FALSE(energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201, accepted("not json"), tol, now));
  GatewayOutcome failed;
  failed.status = CommandStatus::Failed;
  EXPECT_FALSE(energy_verify::check(loc, cs, share(16000), ProtocolVersion::Ocpp201, failed, tol, now));
}

} // namespace
} // namespace gridlane::services
