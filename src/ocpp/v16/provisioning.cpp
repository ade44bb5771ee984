// OCPP 1.6 provisioning and availability: BootNotification, Heartbeat, StatusNotification,
// DataTransfer, and the notifications a CSMS acknowledges and keeps for audit.
#include <boost/json.hpp>

#include "firmware_messages.hpp"
#include "v16/dispatcher.hpp"

namespace gridlane::ocpp::v16 {
namespace json = boost::json;
using services::Outcome;

void Dispatcher::boot_notification(const json::value &payload, Responder r) {
  auto req = decode_request<BootNotification>(payload);
  domain::StationIdentity id;
  id.vendor = req.chargePointVendor;
  id.model = req.chargePointModel;
  id.serial_number = req.chargePointSerialNumber;
  id.charge_box_serial_number = req.chargeBoxSerialNumber;
  id.firmware_version = req.firmwareVersion;
  id.iccid = req.iccid;
  id.imsi = req.imsi;
  id.meter_type = req.meterType;
  id.meter_serial_number = req.meterSerialNumber;
  services_.stations.boot(who_, std::move(id), [this, r](Outcome<services::BootDecision> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the boot notification");
    const auto &d = o.value();
    registration_.store(d.status);
    BootNotificationResponse res;
    from_string(domain::to_string(d.status), res.status);
    res.currentTime = d.now;
    res.interval = d.interval_s;
    r.result(encode(res));
  });
}

void Dispatcher::heartbeat(const json::value &, Responder r) {
  services_.stations.heartbeat(who_, [r](Outcome<domain::Timestamp> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the heartbeat");
    r.result(encode(HeartbeatResponse{o.value()}));
  });
}

void Dispatcher::status_notification(const json::value &payload, Responder r) {
  auto req = decode_request<StatusNotification>(payload);
  auto connector = connector_of(req.connectorId);
  if (!connector) return r.error(RpcError::PropertyConstraintViolation, "connectorId is out of range");
  domain::StatusReport report;
  report.evse_id = *connector;
  report.connector_id = *connector;
  report.status = domain::parse_connector_status(to_string(req.status)).value_or(domain::ConnectorStatus::Unavailable);
  // Every ChargePointErrorCode is a ConnectorErrorCode (the schema admits no other text).
  report.error_code =
      domain::parse_connector_error_code(to_string(req.errorCode)).value_or(domain::ConnectorErrorCode::OtherError);
  report.info = req.info;
  report.vendor_id = req.vendorId;
  report.vendor_error_code = req.vendorErrorCode;
  report.station_time = req.timestamp;
  services_.stations.status(who_, std::move(report), [r](const Outcome<services::Done> &o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the status");
    r.result(encode(StatusNotificationResponse{}));
  });
}

void Dispatcher::data_transfer(const json::value &payload, Responder r) {
  auto req = decode_request<DataTransfer>(payload);
  services::DataTransferRequest dt{req.vendorId, req.messageId, req.data};
  services_.stations.data_transfer(who_, std::move(dt), json::serialize(payload),
                                   [r](Outcome<services::DataTransferResult> o) mutable {
                                     if (!o.ok())
                                       return r.error(RpcError::InternalError, "could not record the data transfer");
                                     DataTransferResponse res;
                                     using S = services::DataTransferResult::Status;
                                     switch (o.value().status) {
                                     case S::Accepted: res.status = DataTransferResponseStatus::Accepted; break;
                                     case S::Rejected: res.status = DataTransferResponseStatus::Rejected; break;
                                     case S::UnknownMessageId:
                                       res.status = DataTransferResponseStatus::UnknownMessageId;
                                       break;
                                     case S::UnknownVendorId:
                                       res.status = DataTransferResponseStatus::UnknownVendorId;
                                       break;
                                     }
                                     res.data = o.value().data;
                                     r.result(encode(res));
                                   });
}

void Dispatcher::notification(const std::string &action, const json::value &payload, Responder r) {
  // FirmwareStatusNotification, DiagnosticsStatusNotification, SecurityEventNotification,
  // LogStatusNotification, SignedFirmwareStatusNotification: all answered with an empty object.
  // Firmware statuses and security events are recorded as such (firmware_messages.hpp).
  if (forward_firmware_message(services_, who_, action, payload, r)) return;
  services_.stations.record_event(who_, action, json::serialize(payload),
                                  [r](const Outcome<services::Done> &o) mutable {
                                    if (!o.ok())
                                      return r.error(RpcError::InternalError, "could not record the notification");
                                    r.result(json::object{});
                                  });
}

void Dispatcher::sign_certificate(const json::value &payload, Responder r) {
  // Kept for audit; Gridlane has no certificate authority yet, so the request is rejected
  // (OCPP 1.6 security whitepaper A02: the CSMS answers Rejected when it will not sign).
  services_.stations.record_event(who_, "SignCertificate", json::serialize(payload),
                                  [r](const Outcome<services::Done> &o) mutable {
                                    if (!o.ok())
                                      return r.error(RpcError::InternalError, "could not record the request");
                                    r.result(encode(SignCertificateResponse{GenericStatusEnum::Rejected}));
                                  });
}

} // namespace gridlane::ocpp::v16
