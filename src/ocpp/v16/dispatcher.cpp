#include "v16/dispatcher.hpp"

#include <array>

namespace gridlane::ocpp::v16 {

namespace {
// Every CALL a Charge Point sends to a Central System in OCPP 1.6 and its security extension.
constexpr std::array<std::string_view, 14> station_actions = {"Authorize",
                                                              "BootNotification",
                                                              "DataTransfer",
                                                              "DiagnosticsStatusNotification",
                                                              "FirmwareStatusNotification",
                                                              "Heartbeat",
                                                              "LogStatusNotification",
                                                              "MeterValues",
                                                              "SecurityEventNotification",
                                                              "SignCertificate",
                                                              "SignedFirmwareStatusNotification",
                                                              "StartTransaction",
                                                              "StatusNotification",
                                                              "StopTransaction"};
} // namespace

bool Dispatcher::supports(std::string_view action) const {
  for (auto a : station_actions) {
    if (a == action) return true;
  }
  return false;
}

void Dispatcher::on_call(const std::string &action, const boost::json::value &payload, Responder r) {
  if (action == "BootNotification") return boot_notification(payload, std::move(r));
  // Until the CSMS accepts it, a station may only boot (OCPP 2.0.1 B02.FR.09 / B03.FR.08 states
  // this rule; Gridlane applies it to 1.6 stations too).
  if (registration_.load() != domain::RegistrationStatus::Accepted) {
    return r.error(RpcError::SecurityError, "station is not accepted: send BootNotification first");
  }
  if (action == "Heartbeat") return heartbeat(payload, std::move(r));
  if (action == "StatusNotification") return status_notification(payload, std::move(r));
  if (action == "Authorize") return authorize(payload, std::move(r));
  if (action == "StartTransaction") return start_transaction(payload, std::move(r));
  if (action == "StopTransaction") return stop_transaction(payload, std::move(r));
  if (action == "MeterValues") return meter_values(payload, std::move(r));
  if (action == "DataTransfer") return data_transfer(payload, std::move(r));
  if (action == "SignCertificate") return sign_certificate(payload, std::move(r));
  return notification(action, payload, std::move(r));
}

IdTagInfo to_id_tag_info(const domain::Authorization &a) {
  IdTagInfo info;
  // OCPP 1.6 has no Unknown: an unknown tag is Invalid.
  auto status = a.status == domain::TokenStatus::Unknown ? domain::TokenStatus::Invalid : a.status;
  from_string(domain::to_string(status), info.status);
  info.expiryDate = a.expires_at;
  info.parentIdTag = a.parent_id;
  return info;
}

} // namespace gridlane::ocpp::v16

namespace gridlane::ocpp::v16 {
std::unique_ptr<CallDispatcher> make_dispatcher(const Services &services, services::StationContext who,
                                                domain::RegistrationStatus registration) {
  return std::make_unique<Dispatcher>(services, std::move(who), registration);
}
} // namespace gridlane::ocpp::v16
