#pragma once
//! Firmware management's station messages, the same in every version once validated (block L
//! of 2.x, 1.6 firmware management and its security extension): FirmwareStatusNotification,
//! SignedFirmwareStatusNotification and SecurityEventNotification, read here and handed to
//! services::FirmwareReports. Their payloads were validated against the version's schema, so
//! the fields read below exist with their types; the status names are OCPP's own in every
//! version (domain::firmware_states).
#include <boost/json.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpp/adapters.hpp"

namespace gridlane::ocpp {

//! Handles the message if it is one of them (true), answering `{}` once it is recorded.
inline bool forward_firmware_message(const Services &services, const services::StationContext &who,
                                     const std::string &action, const boost::json::value &payload, Responder &r) {
  if (!services.firmware || !payload.is_object()) return false;
  const auto &o = payload.get_object();
  auto answer = [r](const services::Outcome<services::Done> &done) mutable {
    if (!done.ok()) return r.error(RpcError::InternalError, "could not record the notification");
    r.result(boost::json::object{});
  };
  if (action == "FirmwareStatusNotification" || action == "SignedFirmwareStatusNotification") {
    const auto *status = o.if_contains("status");
    if (!status || !status->is_string()) return false;
    auto state = domain::value_of(domain::firmware_states, std::string_view(status->get_string()));
    if (!state) {
      // A status this version has and Gridlane does not know of: kept as an event only.
      core::log(core::Component::Ocpp)
          .warn("[{}] {} with unknown status {}", who.id.str(), action, std::string_view(status->get_string()));
      return false;
    }
    std::optional<std::int64_t> request_id;
    if (const auto *id = o.if_contains("requestId"); id && id->is_int64()) request_id = id->get_int64();
    services.firmware->firmware_status(who, *state, request_id, action, boost::json::serialize(payload),
                                       std::move(answer));
    return true;
  }
  if (action == "SecurityEventNotification") {
    const auto *type = o.if_contains("type");
    const auto *timestamp = o.if_contains("timestamp");
    if (!type || !type->is_string() || !timestamp || !timestamp->is_string()) return false;
    auto at = core::parse_iso8601(timestamp->get_string(), core::MissingOffset::ReadAsUtc);
    std::optional<std::string> tech_info;
    if (const auto *t = o.if_contains("techInfo"); t && t->is_string()) tech_info = std::string(t->get_string());
    services.firmware->security_event(who, std::string(type->get_string()), at, std::move(tech_info),
                                      boost::json::serialize(payload), std::move(answer));
    return true;
  }
  return false;
}

} // namespace gridlane::ocpp
