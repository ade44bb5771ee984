#include "v2/dispatcher.hpp"

#include <array>
#include <boost/json.hpp>

#include "firmware_messages.hpp"
#include "gridlane/core/logging.hpp"

namespace gridlane::ocpp::v2 {
namespace json = boost::json;

namespace {

// Every CALL a Charging Station sends to a CSMS in OCPP 2.0.1, and what 2.1 adds.
constexpr std::array<std::string_view, 25> actions_201 = {"Authorize",
                                                          "BootNotification",
                                                          "ClearedChargingLimit",
                                                          "DataTransfer",
                                                          "FirmwareStatusNotification",
                                                          "Get15118EVCertificate",
                                                          "GetCertificateStatus",
                                                          "Heartbeat",
                                                          "LogStatusNotification",
                                                          "MeterValues",
                                                          "NotifyChargingLimit",
                                                          "NotifyCustomerInformation",
                                                          "NotifyDisplayMessages",
                                                          "NotifyEVChargingNeeds",
                                                          "NotifyEVChargingSchedule",
                                                          "NotifyEvent",
                                                          "NotifyMonitoringReport",
                                                          "NotifyReport",
                                                          "PublishFirmwareStatusNotification",
                                                          "ReportChargingProfiles",
                                                          "ReservationStatusUpdate",
                                                          "SecurityEventNotification",
                                                          "SignCertificate",
                                                          "StatusNotification",
                                                          "TransactionEvent"};
constexpr std::array<std::string_view, 11> actions_21 = {
    "BatterySwap",        "ClosePeriodicEventStream",  "NotifyDERAlarm",
    "NotifyDERStartStop", "NotifyPeriodicEventStream", "NotifyPriorityCharging",
    "NotifySettlement",   "OpenPeriodicEventStream",   "PullDynamicScheduleUpdate",
    "ReportDERControl",   "VatNumberValidation"};

// What Gridlane answers to messages it keeps for audit but does not act on yet. Anything not
// listed answers {} (every such response has only optional fields).
json::value canned_answer(std::string_view action, const json::value &request) {
  if (action == "SignCertificate") return json::object{{"status", "Rejected"}}; // no certificate authority yet
  if (action == "Get15118EVCertificate") return json::object{{"status", "Failed"}, {"exiResponse", ""}};
  if (action == "GetCertificateStatus") return json::object{{"status", "Failed"}};
  if (action == "OpenPeriodicEventStream") return json::object{{"status", "Rejected"}};
  if (action == "PullDynamicScheduleUpdate") return json::object{{"status", "Rejected"}};
  if (action == "VatNumberValidation")
    return json::object{{"vatNumber", request.at("vatNumber")}, {"status", "Rejected"}};
  return json::object{};
}

} // namespace

template <class V> bool Dispatcher<V>::supports(std::string_view action) const {
  for (auto a : actions_201) {
    if (a == action) return true;
  }
  if constexpr (V::version == core::ProtocolVersion::Ocpp21) {
    for (auto a : actions_21) {
      if (a == action) return true;
    }
  }
  return false;
}

template <class V> void Dispatcher<V>::on_call(const std::string &action, const json::value &payload, Responder r) {
  if (action == "BootNotification") return boot_notification(payload, std::move(r));
  auto registration = registration_.load();
  if (registration != domain::RegistrationStatus::Accepted) {
    // B02.FR.09 / B03.FR.07: before it is accepted, a station may only boot; while Pending it
    // may also answer what the CSMS asked for (reports, triggered messages).
    const bool requested = action == "NotifyReport" || action == "NotifyMonitoringReport";
    if (registration == domain::RegistrationStatus::Rejected || !requested)
      return r.error(RpcError::SecurityError, "station is not accepted: send BootNotification first");
  }
  if (action == "Heartbeat") return heartbeat(payload, std::move(r));
  if (action == "StatusNotification") return status_notification(payload, std::move(r));
  if (action == "Authorize") return authorize(payload, std::move(r));
  if (action == "TransactionEvent") return transaction_event(payload, std::move(r));
  if (action == "MeterValues") return meter_values(payload, std::move(r));
  if (action == "NotifyReport") return notify_report(payload, std::move(r));
  if (action == "DataTransfer") return data_transfer(payload, std::move(r));
  if (action == "NotifyEVChargingNeeds" || action == "NotifyEVChargingSchedule" || action == "NotifyChargingLimit" ||
      action == "ClearedChargingLimit" || action == "ReportChargingProfiles")
    return smart_charging(action, payload, std::move(r));
  if (action == "NotifyEvent" || action == "NotifyMonitoringReport" || action == "NotifyCustomerInformation")
    return diagnostics(action, payload, std::move(r));
  return kept(action, payload, std::move(r));
}

template <class V> void Dispatcher<V>::on_send(const std::string &action, const json::value &payload) {
  // OCPP 2.1 SEND (NotifyPeriodicEventStream): never answered; kept.
  services_.stations.record_event(who_, action, json::serialize(payload),
                                  [](const services::Outcome<services::Done> &) {});
}

template <class V>
void Dispatcher<V>::on_result(const std::string &action, const json::value &request, const json::value &response) {
  if (action == "GetVariables" || action == "SetVariables") variables_confirmed(action, request, response);
}

template <class V> void Dispatcher<V>::kept(const std::string &action, const json::value &payload, Responder r) {
  // L firmware management: FirmwareStatusNotification, SecurityEventNotification (firmware_messages.hpp).
  if (forward_firmware_message(services_, who_, action, payload, r)) return;
  auto answer = canned_answer(action, payload);
  services_.stations.record_event(who_, action, json::serialize(payload),
                                  [r, answer = std::move(answer)](const services::Outcome<services::Done> &o) mutable {
                                    if (!o.ok())
                                      return r.error(RpcError::InternalError, "could not record the message");
                                    r.result(std::move(answer));
                                  });
}

template class Dispatcher<V201>;
template class Dispatcher<V21>;

} // namespace gridlane::ocpp::v2

namespace gridlane::ocpp::v2 {
std::unique_ptr<CallDispatcher> make_dispatcher(const Services &services, services::StationContext who,
                                                domain::RegistrationStatus registration,
                                                std::weak_ptr<Connection> connection, bool request_base_report) {
  if (who.protocol == core::ProtocolVersion::Ocpp21)
    return std::make_unique<Dispatcher<V21>>(services, std::move(who), registration, std::move(connection),
                                             request_base_report);
  return std::make_unique<Dispatcher<V201>>(services, std::move(who), registration, std::move(connection),
                                            request_base_report);
}
} // namespace gridlane::ocpp::v2
