// OCPP 2.0.1 / 2.1 rendering of the domain's remote commands, written once as a template over the
// version's generated messages (2.1 keeps the 2.0.1 field names; where a 2.0.1 enum became an
// open string or a required field optional, command_wire::set_name and plain assignment cover
// both). What the version cannot express is refused, naming the field.
#include <boost/json.hpp>

#include "command_wire.hpp"
#include "gridlane/ocpp/commands.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "gridlane/ocpp/v21/messages.hpp"

namespace gridlane::ocpp::v2 {
namespace json = boost::json;
namespace cmd = domain::commands;
using namespace command_wire;
using domain::Result;

namespace {

#define GRIDLANE_OCPP2_COMMANDS(NS)                                                                                    \
  using RequestStartTransaction = NS::RequestStartTransaction;                                                         \
  using RequestStopTransaction = NS::RequestStopTransaction;                                                           \
  using Reset = NS::Reset;                                                                                             \
  using UnlockConnector = NS::UnlockConnector;                                                                         \
  using ChangeAvailability = NS::ChangeAvailability;                                                                   \
  using GetVariables = NS::GetVariables;                                                                               \
  using SetVariables = NS::SetVariables;                                                                               \
  using TriggerMessage = NS::TriggerMessage;                                                                           \
  using ClearCache = NS::ClearCache;                                                                                   \
  using DataTransfer = NS::DataTransfer;                                                                               \
  using UpdateFirmware = NS::UpdateFirmware;                                                                           \
  using GetLog = NS::GetLog;                                                                                           \
  using SendLocalList = NS::SendLocalList;                                                                             \
  using GetLocalListVersion = NS::GetLocalListVersion;                                                                 \
  using ReserveNow = NS::ReserveNow;                                                                                   \
  using CancelReservation = NS::CancelReservation;                                                                     \
  using SetChargingProfile = NS::SetChargingProfile;                                                                   \
  using ClearChargingProfile = NS::ClearChargingProfile;                                                               \
  using GetCompositeSchedule = NS::GetCompositeSchedule;                                                               \
  using GetBaseReport = NS::GetBaseReport;                                                                             \
  using GetTransactionStatus = NS::GetTransactionStatus;                                                               \
  using SetNetworkProfile = NS::SetNetworkProfile;                                                                     \
  using CostUpdated = NS::CostUpdated;                                                                                 \
  using GetChargingProfiles = NS::GetChargingProfiles;                                                                 \
  using SetVariableMonitoring = NS::SetVariableMonitoring;                                                             \
  using SetMonitoringBase = NS::SetMonitoringBase;                                                                     \
  using SetMonitoringLevel = NS::SetMonitoringLevel;                                                                   \
  using ClearVariableMonitoring = NS::ClearVariableMonitoring;                                                         \
  using GetMonitoringReport = NS::GetMonitoringReport;                                                                 \
  using CustomerInformation = NS::CustomerInformation

struct M201 {
  static constexpr std::string_view name = "2.0.1";
  static constexpr bool per_phase_limits = false;
  GRIDLANE_OCPP2_COMMANDS(v201);
};
struct M21 {
  static constexpr std::string_view name = "2.1";
  static constexpr bool per_phase_limits = true; // limit_L2 / limit_L3
  GRIDLANE_OCPP2_COMMANDS(v21);
};
#undef GRIDLANE_OCPP2_COMMANDS

template <class Trait> Result<RenderedCall> call(const typename Trait::Request &request) {
  return RenderedCall{std::string(Trait::action), encode(request)};
}

template <class V> domain::ServiceError not_in(const std::string &what, std::string field) {
  return cannot(what + " cannot be expressed in OCPP " + std::string(V::name), std::move(field));
}

//! The EVSE object (id, connector) of the 2.x messages, when an EVSE is named.
template <class E>
void set_evse(std::optional<E> &out, std::optional<std::int64_t> evse, std::optional<std::int64_t> connector) {
  if (!evse) return;
  auto &e = out.emplace();
  e.id = *evse;
  e.connectorId = connector;
}

template <class T> void set_id_token(T &out, const std::string &tag, domain::IdTokenType type) {
  out.idToken = tag;
  set_name(out.type, to_string(type));
}

template <class V, class P>
std::optional<domain::ServiceError> fill_profile(const domain::ChargingProfile &in, P &out, const std::string &at) {
  out.id = in.id;
  out.stackLevel = in.stack_level;
  if (!set_name(out.chargingProfilePurpose, to_string(in.purpose)))
    return not_in<V>("purpose " + std::string(to_string(in.purpose)), at + ".chargingProfilePurpose");
  set_name(out.chargingProfileKind, to_string(in.kind));
  if (in.recurrency) set_name(out.recurrencyKind, to_string(*in.recurrency));
  out.validFrom = in.valid_from;
  out.validTo = in.valid_to;
  out.transactionId = in.transaction_id;
  if (in.schedules.empty() || in.schedules.size() > 3)
    return cannot(quoted(at + ".chargingSchedule") + " holds one to three schedules", at + ".chargingSchedule");
  for (std::size_t k = 0; k < in.schedules.size(); ++k) {
    const auto &s = in.schedules[k];
    auto &schedule = out.chargingSchedule.emplace_back();
    schedule.id = s.id;
    schedule.startSchedule = s.start;
    schedule.duration = s.duration_s;
    set_name(schedule.chargingRateUnit, to_string(s.unit));
    if (s.min_rate) schedule.minChargingRate = rate_number(*s.min_rate);
    for (std::size_t i = 0; i < s.periods.size(); ++i) {
      const auto &p = s.periods[i];
      auto &period = schedule.chargingSchedulePeriod.emplace_back();
      period.startPeriod = p.start_s;
      period.limit = rate_number(p.limit);
      period.numberPhases = p.phases;
      period.phaseToUse = p.phase_to_use;
      if (!p.limit_l2 && !p.limit_l3) continue;
      if constexpr (V::per_phase_limits) {
        if (p.limit_l2) period.limit_L2 = rate_number(*p.limit_l2);
        if (p.limit_l3) period.limit_L3 = rate_number(*p.limit_l3);
      } else {
        auto field = at + ".chargingSchedule[" + std::to_string(k) + "].chargingSchedulePeriod[" + std::to_string(i) +
                     "].limit_L2";
        return not_in<V>("a limit per phase (" + quoted(field) + ")", field);
      }
    }
  }
  return std::nullopt;
}

template <class V> struct Render {
  std::int64_t command_id;

  Result<RenderedCall> operator()(const cmd::RemoteStart &c) const {
    typename V::RequestStartTransaction::Request r;
    // remoteStartId ties the station's TransactionEvent to this command (F01.FR.xx).
    set_id_token(r.idToken, c.id_tag, c.id_token_type.value_or(domain::IdTokenType::Central));
    r.remoteStartId = command_id;
    r.evseId = c.evse_id;
    if (c.profile) {
      if (auto bad = fill_profile<V>(*c.profile, r.chargingProfile.emplace(), "charging_profile")) return *bad;
    }
    return call<typename V::RequestStartTransaction>(r);
  }
  Result<RenderedCall> operator()(const cmd::RemoteStop &c) const {
    if (!c.station_transaction_id) return cannot("the station's transaction id is not known", "transaction_id");
    typename V::RequestStopTransaction::Request r;
    r.transactionId = *c.station_transaction_id;
    return call<typename V::RequestStopTransaction>(r);
  }
  Result<RenderedCall> operator()(const cmd::Reset &c) const {
    typename V::Reset::Request r;
    set_name(r.type, c.type == domain::ResetKind::Hard ? "Immediate" : "OnIdle");
    r.evseId = c.evse_id;
    return call<typename V::Reset>(r);
  }
  Result<RenderedCall> operator()(const cmd::UnlockConnector &c) const {
    if (!c.evse_id) return required("evse_id", "2.x");
    typename V::UnlockConnector::Request r;
    r.evseId = *c.evse_id;
    r.connectorId = c.connector_id;
    return call<typename V::UnlockConnector>(r);
  }
  Result<RenderedCall> operator()(const cmd::ChangeAvailability &c) const {
    typename V::ChangeAvailability::Request r;
    set_name(r.operationalStatus, c.operative ? "Operative" : "Inoperative");
    set_evse(r.evse, c.evse_id, c.connector_id);
    return call<typename V::ChangeAvailability>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetConfiguration &) const {
    return cannot("get_configuration is OCPP 1.6; use get_variables for 2.x stations", "kind");
  }
  Result<RenderedCall> operator()(const cmd::ChangeConfiguration &) const {
    return cannot("change_configuration is OCPP 1.6; use set_variables for 2.x stations", "kind");
  }
  template <class D> static void fill_variable(D &d, const cmd::VariableRef &v) {
    d.component.name = v.component;
    d.component.instance = v.component_instance;
    set_evse(d.component.evse, v.evse_id, v.connector_id);
    d.variable.name = v.variable;
    d.variable.instance = v.variable_instance;
    if (v.attribute_type) set_name(d.attributeType, to_string(*v.attribute_type));
  }
  Result<RenderedCall> operator()(const cmd::GetVariables &c) const {
    typename V::GetVariables::Request r;
    for (const auto &v : c.variables)
      fill_variable(r.getVariableData.emplace_back(), v);
    return call<typename V::GetVariables>(r);
  }
  Result<RenderedCall> operator()(const cmd::SetVariables &c) const {
    typename V::SetVariables::Request r;
    for (const auto &v : c.variables) {
      auto &d = r.setVariableData.emplace_back();
      fill_variable(d, v);
      d.attributeValue = v.value.value_or("");
    }
    return call<typename V::SetVariables>(r);
  }
  Result<RenderedCall> operator()(const cmd::TriggerMessage &c) const {
    typename V::TriggerMessage::Request r;
    if (!set_name(r.requestedMessage, to_string(c.message)))
      return not_in<V>("'message' " + std::string(to_string(c.message)), "message");
    set_evse(r.evse, c.evse_id, c.connector_id);
    return call<typename V::TriggerMessage>(r);
  }
  Result<RenderedCall> operator()(const cmd::ClearCache &) const {
    return call<typename V::ClearCache>(typename V::ClearCache::Request{});
  }
  Result<RenderedCall> operator()(const cmd::DataTransfer &c) const {
    typename V::DataTransfer::Request r;
    r.vendorId = c.vendor_id;
    r.messageId = c.message_id;
    if (c.data_json) {
      boost::system::error_code ec;
      auto data = json::parse(*c.data_json, ec);
      if (ec) return cannot("'data' is not JSON", "data");
      r.data = std::move(data);
    }
    return call<typename V::DataTransfer>(r);
  }
  Result<RenderedCall> operator()(const cmd::UpdateFirmware &c) const {
    typename V::UpdateFirmware::Request r;
    r.requestId = command_id;
    r.firmware.location = c.location;
    r.firmware.retrieveDateTime = c.retrieve_at;
    r.firmware.installDateTime = c.install_at;
    r.firmware.signingCertificate = c.signing_certificate;
    r.firmware.signature = c.signature;
    r.retries = c.retries;
    r.retryInterval = c.retry_interval_s;
    return call<typename V::UpdateFirmware>(r);
  }
  Result<RenderedCall> log(const std::string &location, domain::LogType type) const {
    if (location.empty()) return cannot("'location' is required", "location");
    typename V::GetLog::Request r;
    set_name(r.logType, to_string(type));
    r.requestId = command_id;
    r.log.remoteLocation = location;
    return call<typename V::GetLog>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetDiagnostics &c) const {
    return log(c.location, domain::LogType::DiagnosticsLog);
  }
  Result<RenderedCall> operator()(const cmd::GetLog &c) const { return log(c.location, c.log_type); }
  Result<RenderedCall> operator()(const cmd::SendLocalList &c) const {
    typename V::SendLocalList::Request r;
    r.versionNumber = c.version;
    set_name(r.updateType, to_string(c.update_type));
    for (const auto &t : c.tokens) {
      auto &entry = r.localAuthorizationList ? r.localAuthorizationList->emplace_back()
                                             : r.localAuthorizationList.emplace().emplace_back();
      set_id_token(entry.idToken, t.id_tag, domain::IdTokenType::Central);
      set_name(entry.idTokenInfo.emplace().status, to_string(t.status));
    }
    return call<typename V::SendLocalList>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetLocalListVersion &) const {
    return call<typename V::GetLocalListVersion>(typename V::GetLocalListVersion::Request{});
  }
  Result<RenderedCall> operator()(const cmd::ReserveNow &c) const {
    typename V::ReserveNow::Request r;
    r.id = c.reservation_id.value_or(command_id);
    r.expiryDateTime = c.expires_at;
    set_id_token(r.idToken, c.id_tag, domain::IdTokenType::Central);
    r.evseId = c.evse_id;
    return call<typename V::ReserveNow>(r);
  }
  Result<RenderedCall> operator()(const cmd::CancelReservation &c) const {
    typename V::CancelReservation::Request r;
    r.reservationId = c.reservation_id;
    return call<typename V::CancelReservation>(r);
  }
  Result<RenderedCall> operator()(const cmd::SetChargingProfile &c) const {
    if (!c.evse_id) return required("evse_id", "2.x");
    typename V::SetChargingProfile::Request r;
    r.evseId = *c.evse_id;
    if (auto bad = fill_profile<V>(c.profile, r.chargingProfile, "profile")) return *bad;
    return call<typename V::SetChargingProfile>(r);
  }
  Result<RenderedCall> operator()(const cmd::ClearChargingProfile &c) const {
    typename V::ClearChargingProfile::Request r;
    r.chargingProfileId = c.profile_id;
    if (c.evse_id || c.purpose || c.stack_level) {
      auto &criteria = r.chargingProfileCriteria.emplace();
      criteria.evseId = c.evse_id;
      if (c.purpose && !set_name(criteria.chargingProfilePurpose, to_string(*c.purpose)))
        return not_in<V>("'purpose' " + std::string(to_string(*c.purpose)), "purpose");
      criteria.stackLevel = c.stack_level;
    }
    return call<typename V::ClearChargingProfile>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetCompositeSchedule &c) const {
    if (!c.evse_id) return required("evse_id", "2.x");
    typename V::GetCompositeSchedule::Request r;
    r.duration = c.duration_s;
    if (c.unit) set_name(r.chargingRateUnit, to_string(*c.unit));
    r.evseId = *c.evse_id;
    return call<typename V::GetCompositeSchedule>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetChargingProfiles &c) const {
    // The station's ReportChargingProfiles carry this requestId (K09.FR.03).
    typename V::GetChargingProfiles::Request r;
    r.requestId = c.request_id.value_or(command_id);
    r.evseId = c.evse_id;
    auto &criterion = r.chargingProfile;
    if (c.purpose && !set_name(criterion.chargingProfilePurpose, to_string(*c.purpose)))
      return not_in<V>("'purpose' " + std::string(to_string(*c.purpose)), "purpose");
    criterion.stackLevel = c.stack_level;
    if (!c.profile_ids.empty()) criterion.chargingProfileId = c.profile_ids;
    for (const auto &source : c.sources) {
      auto &list =
          criterion.chargingLimitSource ? *criterion.chargingLimitSource : criterion.chargingLimitSource.emplace();
      if (!set_name(list.emplace_back(), source)) return not_in<V>("'sources' " + source, "sources");
    }
    return call<typename V::GetChargingProfiles>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetBaseReport &c) const {
    // The station's NotifyReport parts carry this requestId (B07.FR.04).
    typename V::GetBaseReport::Request r;
    r.requestId = command_id;
    set_name(r.reportBase, to_string(c.report_base));
    return call<typename V::GetBaseReport>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetTransactionStatus &c) const {
    // Without a transaction the station answers for all its queued messages (E14.FR.06).
    typename V::GetTransactionStatus::Request r;
    r.transactionId = c.station_transaction_id;
    return call<typename V::GetTransactionStatus>(r);
  }
  Result<RenderedCall> operator()(const cmd::CostUpdated &c) const {
    if (!c.station_transaction_id)
      return cannot("'transaction_id' names no transaction of the station", "transaction_id");
    typename V::CostUpdated::Request r;
    r.totalCost = c.total_cost.to_wire(); // the generated field is a JSON number; its text is the decimal's
    r.transactionId = *c.station_transaction_id;
    return call<typename V::CostUpdated>(r);
  }
  Result<RenderedCall> operator()(const cmd::SetVariableMonitoring &c) const {
    typename V::SetVariableMonitoring::Request r;
    for (const auto &m : c.monitors) {
      auto &d = r.setMonitoringData.emplace_back();
      d.id = m.id;
      if (m.transaction) d.transaction = true;
      d.value = m.value.to_wire();
      set_name(d.type, to_string(m.type));
      d.severity = m.severity;
      d.component.name = m.variable.component;
      d.component.instance = m.variable.component_instance;
      set_evse(d.component.evse, m.variable.evse_id, m.variable.connector_id);
      d.variable.name = m.variable.variable;
      d.variable.instance = m.variable.variable_instance;
    }
    return call<typename V::SetVariableMonitoring>(r);
  }
  Result<RenderedCall> operator()(const cmd::SetMonitoringBase &c) const {
    typename V::SetMonitoringBase::Request r;
    set_name(r.monitoringBase, to_string(c.base));
    return call<typename V::SetMonitoringBase>(r);
  }
  Result<RenderedCall> operator()(const cmd::SetMonitoringLevel &c) const {
    typename V::SetMonitoringLevel::Request r;
    r.severity = c.severity;
    return call<typename V::SetMonitoringLevel>(r);
  }
  Result<RenderedCall> operator()(const cmd::ClearVariableMonitoring &c) const {
    typename V::ClearVariableMonitoring::Request r;
    r.id = c.ids;
    return call<typename V::ClearVariableMonitoring>(r);
  }
  Result<RenderedCall> operator()(const cmd::GetMonitoringReport &c) const {
    // The station's NotifyMonitoringReport parts carry this requestId (N02.FR.09).
    typename V::GetMonitoringReport::Request r;
    r.requestId = c.request_id.value_or(command_id);
    for (auto k : c.criteria) {
      auto &list = r.monitoringCriteria ? *r.monitoringCriteria : r.monitoringCriteria.emplace();
      set_name(list.emplace_back(), to_string(k));
    }
    for (const auto &v : c.components) {
      auto &list = r.componentVariable ? *r.componentVariable : r.componentVariable.emplace();
      auto &cv = list.emplace_back();
      cv.component.name = v.component;
      cv.component.instance = v.component_instance;
      set_evse(cv.component.evse, v.evse_id, v.connector_id);
      if (!v.variable.empty()) {
        auto &var = cv.variable.emplace();
        var.name = v.variable;
        var.instance = v.variable_instance;
      }
    }
    return call<typename V::GetMonitoringReport>(r);
  }
  Result<RenderedCall> operator()(const cmd::CustomerInformation &c) const {
    // NotifyCustomerInformation carries this requestId (N09.FR.03).
    typename V::CustomerInformation::Request r;
    r.requestId = c.request_id.value_or(command_id);
    r.report = c.report;
    r.clear = c.clear;
    if (c.id_tag) set_id_token(r.idToken.emplace(), *c.id_tag, c.id_token_type.value_or(domain::IdTokenType::Central));
    r.customerIdentifier = c.customer_identifier;
    return call<typename V::CustomerInformation>(r);
  }
  Result<RenderedCall> operator()(const cmd::SetNetworkProfile &c) const {
    typename V::SetNetworkProfile::Request r;
    r.configurationSlot = c.configuration_slot;
    auto &d = r.connectionData;
    if (!set_name(d.ocppVersion, to_string(c.ocpp_version)))
      return not_in<V>("'connection_data.ocpp_version' " + std::string(to_string(c.ocpp_version)),
                       "connection_data.ocpp_version");
    set_name(d.ocppTransport, to_string(c.ocpp_transport));
    d.ocppCsmsUrl = c.ocpp_csms_url;
    d.messageTimeout = c.message_timeout_s;
    d.securityProfile = c.security_profile;
    if (!set_name(d.ocppInterface, to_string(c.ocpp_interface)))
      return not_in<V>("'connection_data.ocpp_interface' " + std::string(to_string(c.ocpp_interface)),
                       "connection_data.ocpp_interface");
    if (c.apn) {
      auto &a = d.apn.emplace();
      a.apn = c.apn->apn;
      a.apnUserName = c.apn->user_name;
      a.apnPassword = c.apn->password;
      a.simPin = c.apn->sim_pin;
      a.preferredNetwork = c.apn->preferred_network;
      a.useOnlyPreferredNetwork = c.apn->use_only_preferred_network;
      set_name(a.apnAuthentication, to_string(c.apn->authentication));
    }
    if (c.vpn) {
      auto &v = d.vpn.emplace();
      v.server = c.vpn->server;
      v.user = c.vpn->user;
      v.group = c.vpn->group;
      v.password = c.vpn->password;
      v.key = c.vpn->key;
      set_name(v.type, to_string(c.vpn->type));
    }
    return call<typename V::SetNetworkProfile>(r);
  }
};

} // namespace

Result<RenderedCall> render_command(core::ProtocolVersion version, const domain::Command &command,
                                    std::int64_t command_id) {
  if (version == core::ProtocolVersion::Ocpp21) return std::visit(Render<M21>{command_id}, command);
  return std::visit(Render<M201>{command_id}, command);
}

} // namespace gridlane::ocpp::v2
