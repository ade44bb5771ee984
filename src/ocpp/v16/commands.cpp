// OCPP 1.6 rendering of the domain's remote commands: each fills the generated 1.6 request, whose
// encoding is schema-valid by construction. What 1.6 cannot express is refused, naming the field.
#include <boost/json.hpp>
#include <charconv>

#include "command_wire.hpp"
#include "gridlane/ocpp/commands.hpp"
#include "gridlane/ocpp/v16/messages.hpp"

namespace gridlane::ocpp::v16 {
namespace json = boost::json;
namespace cmd = domain::commands;
using namespace command_wire;
using domain::Result;

namespace {

template <class Request> Result<RenderedCall> call(std::string_view action, const Request &request) {
  return RenderedCall{std::string(action), encode(request)};
}

//! 1.6 limits and minimum rates are multiples of 0.1 (the schema's multipleOf).
Result<double> tenths(domain::RateMilli r, const std::string &field) {
  if (r.thousandths % 100 != 0)
    return cannot(quoted(field) + " has more than one decimal, which OCPP 1.6 cannot carry", field);
  const std::int64_t tenths_count = r.thousandths / 100; // exact: a multiple of 100 (checked above)
  return static_cast<double>(tenths_count) / 10.0;
}

std::string_view purpose_name(domain::ChargingProfilePurpose p) {
  return p == domain::ChargingProfilePurpose::StationMax ? "ChargePointMaxProfile" : to_string(p);
}

//! Fills a 1.6 profile (csChargingProfiles and RemoteStart's chargingProfile share the shape,
//! not the generated enum types).
template <class P>
std::optional<domain::ServiceError> fill_profile(const domain::ChargingProfile &in, P &out, const std::string &at) {
  out.chargingProfileId = in.id;
  out.stackLevel = in.stack_level;
  if (!set_name(out.chargingProfilePurpose, purpose_name(in.purpose)))
    return cannot(quoted(at + ".chargingProfilePurpose") + " " + std::string(to_string(in.purpose)) +
                      " is OCPP 2.x only",
                  at + ".chargingProfilePurpose");
  set_name(out.chargingProfileKind, to_string(in.kind));
  if (in.recurrency) set_name(out.recurrencyKind, to_string(*in.recurrency));
  out.validFrom = in.valid_from;
  out.validTo = in.valid_to;
  if (in.transaction_id) {
    std::int64_t tx = 0;
    const auto &t = *in.transaction_id;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), tx);
    if (ec != std::errc{} || end != t.data() + t.size())
      return cannot(quoted(at + ".transactionId") + " must be an integer for OCPP 1.6", at + ".transactionId");
    out.transactionId = tx;
  }
  if (in.schedules.size() != 1)
    return cannot(quoted(at + ".chargingSchedule") + " holds one schedule in OCPP 1.6", at + ".chargingSchedule");
  const auto &s = in.schedules.front();
  auto &schedule = out.chargingSchedule;
  schedule.duration = s.duration_s;
  schedule.startSchedule = s.start;
  set_name(schedule.chargingRateUnit, to_string(s.unit));
  if (s.min_rate) {
    auto r = tenths(*s.min_rate, at + ".chargingSchedule.minChargingRate");
    if (!r) return r.error();
    schedule.minChargingRate = *r;
  }
  for (std::size_t i = 0; i < s.periods.size(); ++i) {
    const auto &p = s.periods[i];
    auto field = at + ".chargingSchedule.chargingSchedulePeriod[" + std::to_string(i) + "]";
    if (p.phase_to_use) return cannot(quoted(field + ".phaseToUse") + " is OCPP 2.x only", field + ".phaseToUse");
    if (p.limit_l2 || p.limit_l3) return cannot(quoted(field + ".limit_L2") + " is OCPP 2.1 only", field + ".limit_L2");
    auto limit = tenths(p.limit, field + ".limit");
    if (!limit) return limit.error();
    auto &period = schedule.chargingSchedulePeriod.emplace_back();
    period.startPeriod = p.start_s;
    period.limit = *limit;
    period.numberPhases = p.phases;
  }
  return std::nullopt;
}

struct Render {
  std::int64_t command_id;

  Result<RenderedCall> operator()(const cmd::RemoteStart &c) const {
    RemoteStartTransactionRequest r;
    r.idTag = c.id_tag;
    r.connectorId = c.connector_id;
    if (c.profile) {
      if (auto bad = fill_profile(*c.profile, r.chargingProfile.emplace(), "charging_profile")) return *bad;
    }
    return call(RemoteStartTransaction::action, r);
  }
  Result<RenderedCall> operator()(const cmd::RemoteStop &c) const {
    return call(RemoteStopTransaction::action, RemoteStopTransactionRequest{c.transaction_id});
  }
  Result<RenderedCall> operator()(const cmd::Reset &c) const {
    return call(Reset::action,
                ResetRequest{c.type == domain::ResetKind::Hard ? ResetRequestType::Hard : ResetRequestType::Soft});
  }
  Result<RenderedCall> operator()(const cmd::UnlockConnector &c) const {
    return call(UnlockConnector::action, UnlockConnectorRequest{c.connector_id});
  }
  Result<RenderedCall> operator()(const cmd::ChangeAvailability &c) const {
    return call(ChangeAvailability::action,
                ChangeAvailabilityRequest{c.connector_id.value_or(0),
                                          c.operative ? ChangeAvailabilityRequestType::Operative
                                                      : ChangeAvailabilityRequestType::Inoperative});
  }
  Result<RenderedCall> operator()(const cmd::GetConfiguration &c) const {
    return call(GetConfiguration::action, GetConfigurationRequest{c.keys});
  }
  Result<RenderedCall> operator()(const cmd::ChangeConfiguration &c) const {
    return call(ChangeConfiguration::action, ChangeConfigurationRequest{c.key, c.value});
  }
  Result<RenderedCall> operator()(const cmd::GetVariables &) const {
    return cannot("get_variables is OCPP 2.x; use get_configuration for 1.6 stations", "kind");
  }
  Result<RenderedCall> operator()(const cmd::SetVariables &) const {
    return cannot("set_variables is OCPP 2.x; use change_configuration for 1.6 stations", "kind");
  }
  Result<RenderedCall> operator()(const cmd::TriggerMessage &c) const {
    TriggerMessageRequest r;
    if (!set_name(r.requestedMessage, to_string(c.message)))
      return cannot("'message' " + std::string(to_string(c.message)) + " cannot be triggered in OCPP 1.6", "message");
    r.connectorId = c.connector_id;
    return call(TriggerMessage::action, r);
  }
  Result<RenderedCall> operator()(const cmd::ClearCache &) const {
    return call(ClearCache::action, ClearCacheRequest{});
  }
  Result<RenderedCall> operator()(const cmd::DataTransfer &c) const {
    DataTransferRequest r;
    r.vendorId = c.vendor_id;
    r.messageId = c.message_id;
    if (c.data_json) {
      boost::system::error_code ec;
      auto data = json::parse(*c.data_json, ec);
      if (ec || !data.is_string()) return cannot("OCPP 1.6 DataTransfer data is a string", "data");
      r.data = std::string(data.get_string());
    }
    return call(DataTransfer::action, r);
  }
  Result<RenderedCall> operator()(const cmd::UpdateFirmware &c) const {
    UpdateFirmwareRequest r;
    r.location = c.location;
    r.retrieveDate = c.retrieve_at;
    r.retries = c.retries;
    r.retryInterval = c.retry_interval_s;
    // Signed firmware is a 2.x message (1.6's security extension has SignedUpdateFirmware).
    if (c.signing_certificate || c.signature)
      return cannot("OCPP 1.6 UpdateFirmware carries no signature or signing certificate", "signature");
    if (c.install_at) return cannot("OCPP 1.6 UpdateFirmware has no install time", "install_at");
    return call(UpdateFirmware::action, r);
  }
  Result<RenderedCall> operator()(const cmd::GetDiagnostics &c) const {
    if (c.location.empty()) return cannot("'location' is required", "location");
    GetDiagnosticsRequest r;
    r.location = c.location;
    return call(GetDiagnostics::action, r);
  }
  Result<RenderedCall> operator()(const cmd::GetLog &c) const { // the 1.6 security extension
    if (c.location.empty()) return cannot("'location' is required", "location");
    GetLogRequest r;
    r.log.remoteLocation = c.location;
    set_name(r.logType, to_string(c.log_type));
    r.requestId = command_id;
    return call(GetLog::action, r);
  }
  Result<RenderedCall> operator()(const cmd::SendLocalList &c) const {
    SendLocalListRequest r;
    r.listVersion = c.version;
    set_name(r.updateType, to_string(c.update_type));
    for (const auto &t : c.tokens) {
      auto &entry = r.localAuthorizationList ? r.localAuthorizationList->emplace_back()
                                             : r.localAuthorizationList.emplace().emplace_back();
      entry.idTag = t.id_tag;
      set_name(entry.idTagInfo.emplace().status, to_string(t.status));
    }
    return call(SendLocalList::action, r);
  }
  Result<RenderedCall> operator()(const cmd::GetLocalListVersion &) const {
    return call(GetLocalListVersion::action, GetLocalListVersionRequest{});
  }
  Result<RenderedCall> operator()(const cmd::ReserveNow &c) const {
    if (!c.connector_id) return required("connector_id", "1.6");
    ReserveNowRequest r;
    r.connectorId = *c.connector_id;
    r.expiryDate = c.expires_at;
    r.idTag = c.id_tag;
    r.reservationId = c.reservation_id.value_or(command_id);
    return call(ReserveNow::action, r);
  }
  Result<RenderedCall> operator()(const cmd::CancelReservation &c) const {
    return call(CancelReservation::action, CancelReservationRequest{c.reservation_id});
  }
  Result<RenderedCall> operator()(const cmd::SetChargingProfile &c) const {
    if (!c.connector_id) return required("connector_id", "1.6");
    SetChargingProfileRequest r;
    r.connectorId = *c.connector_id;
    if (auto bad = fill_profile(c.profile, r.csChargingProfiles, "profile")) return *bad;
    return call(SetChargingProfile::action, r);
  }
  Result<RenderedCall> operator()(const cmd::ClearChargingProfile &c) const {
    ClearChargingProfileRequest r;
    r.id = c.profile_id;
    r.connectorId = c.connector_id;
    if (c.purpose && !set_name(r.chargingProfilePurpose, purpose_name(*c.purpose)))
      return cannot("'purpose' " + std::string(to_string(*c.purpose)) + " is OCPP 2.x only", "purpose");
    r.stackLevel = c.stack_level;
    return call(ClearChargingProfile::action, r);
  }
  Result<RenderedCall> operator()(const cmd::GetCompositeSchedule &c) const {
    if (!c.connector_id) return required("connector_id", "1.6");
    GetCompositeScheduleRequest r;
    r.connectorId = *c.connector_id;
    r.duration = c.duration_s;
    if (c.unit) set_name(r.chargingRateUnit, to_string(*c.unit));
    return call(GetCompositeSchedule::action, r);
  }
  Result<RenderedCall> operator()(const cmd::GetBaseReport &) const {
    return cannot("get_base_report is OCPP 2.x; use get_configuration for 1.6 stations", "kind");
  }
  Result<RenderedCall> operator()(const cmd::CostUpdated &) const {
    // 1.6 shows costs through the pricing extension's DataTransfer (services::LiveCost).
    return cannot("cost_updated is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::GetChargingProfiles &) const {
    return cannot("get_charging_profiles is OCPP 2.x; 1.6 has no way to read a station's profiles back", "kind");
  }
  Result<RenderedCall> operator()(const cmd::GetTransactionStatus &) const {
    return cannot("get_transaction_status is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::SetNetworkProfile &) const {
    return cannot("set_network_profile is OCPP 2.x", "kind");
  }
  // Block N monitoring and customer information have no 1.6 counterpart.
  Result<RenderedCall> operator()(const cmd::SetVariableMonitoring &) const {
    return cannot("set_variable_monitoring is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::SetMonitoringBase &) const {
    return cannot("set_monitoring_base is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::SetMonitoringLevel &) const {
    return cannot("set_monitoring_level is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::ClearVariableMonitoring &) const {
    return cannot("clear_variable_monitoring is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::GetMonitoringReport &) const {
    return cannot("get_monitoring_report is OCPP 2.x", "kind");
  }
  Result<RenderedCall> operator()(const cmd::CustomerInformation &) const {
    return cannot("customer_information is OCPP 2.x", "kind");
  }
};

} // namespace

Result<RenderedCall> render_command(const domain::Command &command, std::int64_t command_id) {
  return std::visit(Render{command_id}, command);
}

} // namespace gridlane::ocpp::v16
