#pragma once
//! What a simulated station sends, as the generated OCPP message types (1.6 and 2.0.1): the
//! station's state in, a typed request out. No JSON here: the generated codecs encode them and
//! the RPC framing (ocpp/rpc) wraps them, so every payload has the shape of its schema.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/ocpp/v16/messages.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "profiles.hpp"

namespace gridlane::sim {

//! A connector's state as the station reports it; each version has its own spelling.
enum class ConnectorState { Available, Preparing, Charging, Finishing, Faulted };
//! Why a session ends.
enum class StopCause { Local, Remote };

//! What the meter shows when a message is built.
struct MeterReading {
  double register_wh = 0;
  double power_w = 0;
  std::array<double, 3> amps{};             //!< per phase L1..L3 (AC); reported by phase_meter16/2
  bool dc = false;                          //!< DC: one current, no phases
  std::optional<double> soc = std::nullopt; //!< the vehicle's, in percent
};

namespace msg {

ocpp::v16::BootNotificationRequest boot16(const std::string &station_id);
ocpp::v201::BootNotificationRequest boot2(const std::string &station_id, ocpp::v201::BootReasonEnum reason);

ocpp::v16::StatusNotificationRequest status16(std::int64_t connector, ConnectorState state, core::Timestamp now);
ocpp::v201::StatusNotificationRequest status2(std::int64_t evse, ConnectorState state, core::Timestamp now);

ocpp::v16::StopTransactionRequestReason reason16(StopCause cause);
ocpp::v201::ReasonEnum reason2(StopCause cause);

ocpp::v201::IdToken id_token2(const std::string &tag);

//! The two samples of a session at human pace: the energy register and the power.
std::vector<ocpp::v16::MeterValue> meter16(MeterReading m, ocpp::v16::SampledValueContext context, core::Timestamp now);
std::vector<ocpp::v201::MeterValue> meter2(MeterReading m, ocpp::v201::ReadingContextEnum context, core::Timestamp now);

//! The periodic sample a real AC station sends under load (~600 bytes on the wire): energy,
//! power, three currents, voltage and state of charge.
std::vector<ocpp::v16::MeterValue> big_meter16(MeterReading m, core::Timestamp now);
std::vector<ocpp::v201::MeterValue> big_meter2(MeterReading m, core::Timestamp now);

//! A 2.x TransactionEvent with its meter value; `Started` carries the remote start id when
//! there is one, `Ended` the stop reason, the others the charging state.
struct TransactionEventArgs {
  ocpp::v201::TransactionEventEnum type = ocpp::v201::TransactionEventEnum::Updated;
  ocpp::v201::TriggerReasonEnum trigger = ocpp::v201::TriggerReasonEnum::MeterValuePeriodic;
  ocpp::v201::ReadingContextEnum context = ocpp::v201::ReadingContextEnum::Sample_Periodic;
  std::string transaction_id;
  std::int64_t seq_no = 0;
  std::optional<std::int64_t> evse; //!< sent with connector 1 when set
  StopCause stop_cause = StopCause::Local;
  std::optional<std::int64_t> remote_start_id;
};
ocpp::v201::TransactionEventRequest transaction_event(const TransactionEventArgs &a,
                                                      std::vector<ocpp::v201::MeterValue> meter, core::Timestamp now);

//! The power a charging profile allows (its first period), in W; amperes count as three
//! phases at 230 V.
double profile_limit_w(const ocpp::v16::CsChargingProfiles &profile);
double profile_limit_w(const ocpp::v201::ChargingProfile &profile);

//! A session's periodic sample as a metering station sends it: the energy register, the active
//! power and, for AC, the current on each phase (Current.Import L1, L2, L3; DC: one current),
//! with the vehicle's state of charge when known.
std::vector<ocpp::v16::MeterValue> phase_meter16(const MeterReading &m, ocpp::v16::SampledValueContext context,
                                                 core::Timestamp now);
std::vector<ocpp::v201::MeterValue> phase_meter2(const MeterReading &m, ocpp::v201::ReadingContextEnum context,
                                                 core::Timestamp now);

// ---- smart charging (profile_messages.cpp) ------------------------------------------------------

//! A received profile in the version-agnostic shape the station keeps (profiles.hpp).
Profile profile16(const ocpp::v16::CsChargingProfiles &p, int connector, core::Timestamp now);
Profile profile2(const ocpp::v201::ChargingProfile &p, int evse, core::Timestamp now);
Criteria criteria16(const ocpp::v16::ClearChargingProfileRequest &r);
Criteria criteria2(const ocpp::v201::ClearChargingProfileRequest &r);

//! The answer to GetCompositeSchedule: Accepted with the periods (never empty), from `start`.
ocpp::v16::GetCompositeScheduleResponse composite16(int connector, core::Timestamp start, std::int64_t duration_s,
                                                    RateUnit unit, const std::vector<SchedulePeriod> &periods);
ocpp::v201::GetCompositeScheduleResponse composite2(int evse, core::Timestamp start, std::int64_t duration_s,
                                                    RateUnit unit, const std::vector<SchedulePeriod> &periods);

//! What a 2.x vehicle tells at the start of a session (ISO 15118): how much energy it needs, by
//! when, and its current limits.
struct VehicleNeed {
  int evse = 1;
  bool dc = false;
  int phases = 3;
  double energy_wh = 0;
  double max_current_a = 16; //!< AC per phase; DC the plateau's current
  double max_power_w = 0;    //!< DC
  double capacity_wh = 0;
  double soc = 0; //!< percent
  core::Timestamp departure{};
};
ocpp::v201::NotifyEVChargingNeedsRequest charging_needs2(const VehicleNeed &need);

} // namespace msg
} // namespace gridlane::sim
