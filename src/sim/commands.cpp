// What the CSMS asks a simulated station: the CALL is checked against its schema, decoded into
// the generated request type and answered with the generated response type.
#include "station.hpp"

namespace gridlane::sim {
namespace json = boost::json;
namespace v16 = ocpp::v16;
namespace v201 = ocpp::v201;

Connector *Station::connector_by_tx16(std::int64_t tx) {
  for (auto &c : connectors_) {
    if (c.charging && c.tx_number == tx) return &c;
  }
  return nullptr;
}

Connector *Station::connector_by_tx2(std::string_view tx) {
  for (auto &c : connectors_) {
    if (c.charging && c.tx_id == tx) return &c;
  }
  return nullptr;
}

Connector *Station::free_connector(std::optional<std::int64_t> wanted) {
  if (wanted && *wanted >= 1 && static_cast<std::size_t>(*wanted) <= connectors_.size()) {
    auto &c = connectors_[static_cast<std::size_t>(*wanted - 1)];
    return c.charging || c.start_tag ? nullptr : &c;
  }
  for (auto &c : connectors_) {
    if (!c.charging && !c.start_tag) return &c;
  }
  return nullptr;
}

void Station::answer(const ocpp::Frame &call) {
  shared_.commands_answered++;
  const auto *schema = catalog().request(call.action);
  if (schema) {
    if (auto violation = schema->validate(call.payload)) {
      send(ocpp::call_error_frame(call.id, ocpp::error_for(violation->kind), version(), violation->message));
      return;
    }
    auto result = v16_ ? answer16(call.action, call.payload) : answer2(call.action, call.payload);
    if (result) {
      send(ocpp::call_result_frame(call.id, *result));
      return;
    }
  }
  send(ocpp::call_error_frame(call.id, ocpp::RpcError::NotImplemented, version(), call.action + " is not simulated"));
}

namespace {
// Decodes a payload already checked against its schema.
template <class T> T decoded(const json::value &payload) {
  T request;
  decode(payload, request);
  return request;
}
// The answer of a command that is only acknowledged.
template <class Response, class Status> json::value with_status(Status status) {
  Response r;
  r.status = status;
  return encode(r);
}
} // namespace

std::optional<json::value> Station::answer16(const std::string &action, const json::value &payload) {
  if (action == v16::RemoteStartTransaction::action) {
    auto request = decoded<v16::RemoteStartTransactionRequest>(payload);
    auto *c = free_connector(request.connectorId);
    if (c) {
      c->start_tag = request.idTag;
      wake_.cancel();
    }
    using S = v16::RemoteStartTransactionResponseStatus;
    return with_status<v16::RemoteStartTransactionResponse>(c ? S::Accepted : S::Rejected);
  }
  if (action == v16::RemoteStopTransaction::action) {
    auto *c = connector_by_tx16(decoded<v16::RemoteStopTransactionRequest>(payload).transactionId);
    if (c) {
      c->stop_requested = true;
      c->stop_cause = StopCause::Remote;
      wake_.cancel();
    }
    using S = v16::RemoteStopTransactionResponseStatus;
    return with_status<v16::RemoteStopTransactionResponse>(c ? S::Accepted : S::Rejected);
  }
  if (action == v16::Reset::action) {
    shared_.resets_received++;
    reset_requested_ = true;
    wake_.cancel();
    return with_status<v16::ResetResponse>(v16::ResetResponseStatus::Accepted);
  }
  if (action == v16::ChangeAvailability::action)
    return with_status<v16::ChangeAvailabilityResponse>(v16::ChangeAvailabilityResponseStatus::Accepted);
  if (action == v16::ClearCache::action)
    return with_status<v16::ClearCacheResponse>(v16::ClearCacheResponseStatus::Accepted);
  if (action == v16::ChangeConfiguration::action)
    return with_status<v16::ChangeConfigurationResponse>(v16::ChangeConfigurationResponseStatus::Accepted);
  if (action == v16::TriggerMessage::action)
    return with_status<v16::TriggerMessageResponse>(v16::TriggerMessageResponseStatus::Accepted);
  if (action == v16::UnlockConnector::action)
    return with_status<v16::UnlockConnectorResponse>(v16::UnlockConnectorResponseStatus::Unlocked);
  if (action == v16::SetChargingProfile::action) {
    auto request = decoded<v16::SetChargingProfileRequest>(payload);
    using S = v16::SetChargingProfileResponseStatus;
    const auto n = static_cast<std::int64_t>(connectors_.size());
    if (request.connectorId < 0 || request.connectorId > n)
      return with_status<v16::SetChargingProfileResponse>(S::Rejected);
    const int connector = static_cast<int>(request.connectorId);
    const auto tx = connector == 0 ? TxContext{} : tx_context(connectors_[static_cast<std::size_t>(connector) - 1]);
    update_draws(); // the energy so far at the old limits
    auto outcome = profiles_.set(msg::profile16(request.csChargingProfiles, connector, core::SystemClock{}.now()), tx);
    update_draws();
    return with_status<v16::SetChargingProfileResponse>(outcome == SetOutcome::Accepted ? S::Accepted : S::Rejected);
  }
  if (action == v16::ClearChargingProfile::action) {
    update_draws();
    const int cleared = profiles_.clear(msg::criteria16(decoded<v16::ClearChargingProfileRequest>(payload)));
    update_draws();
    using S = v16::ClearChargingProfileResponseStatus;
    return with_status<v16::ClearChargingProfileResponse>(cleared > 0 ? S::Accepted : S::Unknown);
  }
  if (action == v16::GetCompositeSchedule::action) return composite_answer16(payload);
  if (action == v16::GetConfiguration::action) {
    v16::GetConfigurationResponse r;
    auto &key = r.configurationKey.emplace().emplace_back();
    key.key = "HeartbeatInterval";
    key.readonly = false;
    key.value = std::to_string(shared_.opt.heartbeat_interval.count());
    return encode(r);
  }
  return std::nullopt;
}

std::optional<json::value> Station::answer2(const std::string &action, const json::value &payload) {
  if (action == v201::RequestStartTransaction::action) {
    auto request = decoded<v201::RequestStartTransactionRequest>(payload);
    auto *c = free_connector(request.evseId);
    if (c) {
      c->start_tag = request.idToken.idToken;
      c->remote_start_id = request.remoteStartId;
      wake_.cancel();
    }
    using S = v201::RequestStartStopStatusEnum;
    return with_status<v201::RequestStartTransactionResponse>(c ? S::Accepted : S::Rejected);
  }
  if (action == v201::RequestStopTransaction::action) {
    auto *c = connector_by_tx2(decoded<v201::RequestStopTransactionRequest>(payload).transactionId);
    if (c) {
      c->stop_requested = true;
      c->stop_cause = StopCause::Remote;
      wake_.cancel();
    }
    using S = v201::RequestStartStopStatusEnum;
    return with_status<v201::RequestStopTransactionResponse>(c ? S::Accepted : S::Rejected);
  }
  if (action == v201::Reset::action) {
    shared_.resets_received++;
    reset_requested_ = true;
    wake_.cancel();
    return with_status<v201::ResetResponse>(v201::ResetStatusEnum::Accepted);
  }
  if (action == v201::ChangeAvailability::action)
    return with_status<v201::ChangeAvailabilityResponse>(v201::ChangeAvailabilityStatusEnum::Accepted);
  if (action == v201::ClearCache::action)
    return with_status<v201::ClearCacheResponse>(v201::ClearCacheStatusEnum::Accepted);
  if (action == v201::TriggerMessage::action)
    return with_status<v201::TriggerMessageResponse>(v201::TriggerMessageStatusEnum::Accepted);
  if (action == v201::UnlockConnector::action)
    return with_status<v201::UnlockConnectorResponse>(v201::UnlockStatusEnum::Unlocked);
  if (action == v201::SetChargingProfile::action) {
    auto request = decoded<v201::SetChargingProfileRequest>(payload);
    using S = v201::ChargingProfileStatusEnum;
    const auto n = static_cast<std::int64_t>(connectors_.size());
    if (request.evseId < 0 || request.evseId > n) return with_status<v201::SetChargingProfileResponse>(S::Rejected);
    const int evse = static_cast<int>(request.evseId);
    const auto tx = evse == 0 ? TxContext{} : tx_context(connectors_[static_cast<std::size_t>(evse) - 1]);
    update_draws();
    auto outcome = profiles_.set(msg::profile2(request.chargingProfile, evse, core::SystemClock{}.now()), tx);
    update_draws();
    return with_status<v201::SetChargingProfileResponse>(outcome == SetOutcome::Accepted ? S::Accepted : S::Rejected);
  }
  if (action == v201::ClearChargingProfile::action) {
    update_draws();
    const int cleared = profiles_.clear(msg::criteria2(decoded<v201::ClearChargingProfileRequest>(payload)));
    update_draws();
    using S = v201::ClearChargingProfileStatusEnum;
    return with_status<v201::ClearChargingProfileResponse>(cleared > 0 ? S::Accepted : S::Unknown);
  }
  if (action == v201::GetCompositeSchedule::action) return composite_answer2(payload);
  if (action == v201::GetVariables::action) {
    v201::GetVariablesResponse r;
    for (auto &d : decoded<v201::GetVariablesRequest>(payload).getVariableData) {
      auto &result = r.getVariableResult.emplace_back();
      result.attributeStatus = v201::GetVariableStatusEnum::Accepted;
      result.component = std::move(d.component);
      result.variable = std::move(d.variable);
      result.attributeValue = "0";
    }
    return encode(r);
  }
  if (action == v201::SetVariables::action) {
    v201::SetVariablesResponse r;
    for (auto &d : decoded<v201::SetVariablesRequest>(payload).setVariableData) {
      auto &result = r.setVariableResult.emplace_back();
      result.attributeStatus = v201::SetVariableStatusEnum::Accepted;
      result.component = std::move(d.component);
      result.variable = std::move(d.variable);
    }
    return encode(r);
  }
  if (action == v201::GetBaseReport::action)
    return with_status<v201::GetBaseReportResponse>(v201::GenericDeviceModelStatusEnum::NotSupported);
  return std::nullopt;
}

} // namespace gridlane::sim
