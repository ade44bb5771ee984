#include "gridlane/ocpp/commands.hpp"

#include <boost/json.hpp>

namespace gridlane::ocpp {
namespace json = boost::json;
using core::ProtocolVersion;

namespace {

struct Bad {
  std::string why;
};

const json::value *field(const json::object &p, std::string_view key) {
  return p.if_contains(key);
}

std::string need_string(const json::object &p, std::string_view key) {
  const auto *v = field(p, key);
  if (!v || !v->is_string()) throw Bad{"'" + std::string(key) + "' (string) is required"};
  return std::string(v->get_string());
}
std::int64_t need_int(const json::object &p, std::string_view key) {
  const auto *v = field(p, key);
  if (!v || !(v->is_int64() || v->is_uint64())) throw Bad{"'" + std::string(key) + "' (integer) is required"};
  return v->to_number<std::int64_t>();
}
std::optional<std::int64_t> opt_int(const json::object &p, std::string_view key) {
  const auto *v = field(p, key);
  if (!v) return std::nullopt;
  if (!(v->is_int64() || v->is_uint64())) throw Bad{"'" + std::string(key) + "' must be an integer"};
  return v->to_number<std::int64_t>();
}
std::optional<std::string> opt_string(const json::object &p, std::string_view key) {
  const auto *v = field(p, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw Bad{"'" + std::string(key) + "' must be a string"};
  return std::string(v->get_string());
}
//! An integer in [lo, hi]: API numbers are checked before they reach a station.
std::int64_t need_int_in(const json::object &p, std::string_view key, std::int64_t lo, std::int64_t hi) {
  auto v = need_int(p, key);
  if (v < lo || v > hi)
    throw Bad{"'" + std::string(key) + "' must be between " + std::to_string(lo) + " and " + std::to_string(hi)};
  return v;
}
const json::value &need(const json::object &p, std::string_view key) {
  const auto *v = field(p, key);
  if (!v) throw Bad{"'" + std::string(key) + "' is required"};
  return *v;
}

//! The 2.x EVSE object from evse_id / connector_id, when given.
std::optional<json::object> evse_of(const json::object &p) {
  auto evse = opt_int(p, "evse_id");
  auto connector = opt_int(p, "connector_id");
  if (!evse) return std::nullopt;
  json::object o{{"id", *evse}};
  if (connector) o["connectorId"] = *connector;
  return o;
}

RenderedCall render(ProtocolVersion v, std::string_view kind, const json::object &p, std::int64_t command_id) {
  const bool v16 = v == ProtocolVersion::Ocpp16;
  if (kind == "start_transaction") {
    auto tag = need_string(p, "id_tag");
    if (v16) {
      json::object o{{"idTag", tag}};
      if (auto c = opt_int(p, "connector_id")) o["connectorId"] = *c;
      if (const auto *prof = field(p, "charging_profile")) o["chargingProfile"] = *prof;
      return {"RemoteStartTransaction", o};
    }
    // remoteStartId ties the station's TransactionEvent to this command (F01.FR.xx).
    json::object o{
        {"idToken", json::object{{"idToken", tag}, {"type", opt_string(p, "id_token_type").value_or("Central")}}},
        {"remoteStartId", command_id}};
    if (auto e = opt_int(p, "evse_id")) o["evseId"] = *e;
    if (const auto *prof = field(p, "charging_profile")) o["chargingProfile"] = *prof;
    return {"RequestStartTransaction", o};
  }
  if (kind == "stop_transaction") {
    if (v16) return {"RemoteStopTransaction", json::object{{"transactionId", need_int(p, "transaction_id")}}};
    return {"RequestStopTransaction", json::object{{"transactionId", need_string(p, "station_transaction_id")}}};
  }
  if (kind == "reset") {
    auto type = opt_string(p, "type").value_or("soft");
    if (type != "soft" && type != "hard") throw Bad{"'type' is soft or hard"};
    if (v16) return {"Reset", json::object{{"type", type == "hard" ? "Hard" : "Soft"}}};
    json::object o{{"type", type == "hard" ? "Immediate" : "OnIdle"}};
    if (auto e = opt_int(p, "evse_id")) o["evseId"] = *e;
    return {"Reset", o};
  }
  if (kind == "unlock_connector") {
    if (v16) return {"UnlockConnector", json::object{{"connectorId", need_int(p, "connector_id")}}};
    return {"UnlockConnector",
            json::object{{"evseId", need_int(p, "evse_id")}, {"connectorId", need_int(p, "connector_id")}}};
  }
  if (kind == "change_availability") {
    const auto *op = field(p, "operative");
    if (!op || !op->is_bool()) throw Bad{"'operative' (boolean) is required"};
    if (v16)
      return {"ChangeAvailability", json::object{{"connectorId", opt_int(p, "connector_id").value_or(0)},
                                                 {"type", op->get_bool() ? "Operative" : "Inoperative"}}};
    json::object o{{"operationalStatus", op->get_bool() ? "Operative" : "Inoperative"}};
    if (auto e = evse_of(p)) o["evse"] = *e;
    return {"ChangeAvailability", o};
  }
  if (kind == "get_configuration") {
    if (!v16) throw Bad{"get_configuration is OCPP 1.6; use get_variables for 2.x stations"};
    json::object o;
    if (const auto *keys = field(p, "keys")) o["key"] = *keys;
    return {"GetConfiguration", o};
  }
  if (kind == "change_configuration") {
    if (!v16) throw Bad{"change_configuration is OCPP 1.6; use set_variables for 2.x stations"};
    return {"ChangeConfiguration", json::object{{"key", need_string(p, "key")}, {"value", need_string(p, "value")}}};
  }
  if (kind == "get_variables" || kind == "set_variables") {
    if (v16)
      throw Bad{kind == "get_variables" ? "get_variables is OCPP 2.x; use get_configuration for 1.6 stations"
                                        : "set_variables is OCPP 2.x; use change_configuration for 1.6 stations"};
    const auto &list = need(p, "variables");
    if (!list.is_array() || list.as_array().empty()) throw Bad{"'variables' must be a non-empty array"};
    json::array data;
    for (const auto &item : list.as_array()) {
      if (!item.is_object()) throw Bad{"each variable is an object"};
      const auto &it = item.as_object();
      json::object component{{"name", need_string(it, "component")}};
      if (auto inst = opt_string(it, "component_instance")) component["instance"] = *inst;
      if (auto e = evse_of(it)) component["evse"] = *e;
      json::object variable{{"name", need_string(it, "variable")}};
      if (auto inst = opt_string(it, "variable_instance")) variable["instance"] = *inst;
      json::object d{{"component", component}, {"variable", variable}};
      if (auto t = opt_string(it, "attribute_type")) d["attributeType"] = *t;
      if (kind == "set_variables") d["attributeValue"] = need_string(it, "value");
      data.push_back(d);
    }
    if (kind == "get_variables") return {"GetVariables", json::object{{"getVariableData", data}}};
    return {"SetVariables", json::object{{"setVariableData", data}}};
  }
  if (kind == "trigger_message") {
    json::object o{{"requestedMessage", need_string(p, "message")}};
    if (v16) {
      if (auto c = opt_int(p, "connector_id")) o["connectorId"] = *c;
    } else if (auto e = evse_of(p)) {
      o["evse"] = *e;
    }
    return {"TriggerMessage", o};
  }
  if (kind == "clear_cache") return {"ClearCache", json::object{}};
  if (kind == "data_transfer") {
    json::object o{{"vendorId", need_string(p, "vendor_id")}};
    if (auto m = opt_string(p, "message_id")) o["messageId"] = *m;
    if (const auto *d = field(p, "data")) {
      if (v16 && !d->is_string()) throw Bad{"OCPP 1.6 DataTransfer data is a string"};
      o["data"] = *d;
    }
    return {"DataTransfer", o};
  }
  if (kind == "update_firmware") {
    auto location = need_string(p, "location");
    auto retrieve = need_string(p, "retrieve_at");
    if (v16) {
      json::object o{{"location", location}, {"retrieveDate", retrieve}};
      if (auto r = opt_int(p, "retries")) o["retries"] = *r;
      return {"UpdateFirmware", o};
    }
    json::object o{{"requestId", command_id},
                   {"firmware", json::object{{"location", location}, {"retrieveDateTime", retrieve}}}};
    if (auto r = opt_int(p, "retries")) o["retries"] = *r;
    return {"UpdateFirmware", o};
  }
  if (kind == "get_diagnostics" || kind == "get_log") {
    auto location = need_string(p, "location");
    if (v16 && kind == "get_diagnostics") return {"GetDiagnostics", json::object{{"location", location}}};
    auto type = opt_string(p, "log_type").value_or("DiagnosticsLog");
    return {"GetLog", json::object{{"logType", type},
                                   {"requestId", command_id},
                                   {"log", json::object{{"remoteLocation", location}}}}};
  }
  if (kind == "get_local_list_version") return {"GetLocalListVersion", json::object{}};
  if (kind == "send_local_list") {
    auto version = need_int(p, "version");
    auto update = opt_string(p, "update_type").value_or("Full");
    json::array list;
    if (const auto *tokens = field(p, "tokens")) {
      if (!tokens->is_array()) throw Bad{"'tokens' must be an array"};
      for (const auto &t : tokens->as_array()) {
        if (!t.is_object()) throw Bad{"each token is an object"};
        const auto &to = t.as_object();
        auto status = opt_string(to, "status").value_or("Accepted");
        if (v16)
          list.push_back(
              json::object{{"idTag", need_string(to, "id_tag")}, {"idTagInfo", json::object{{"status", status}}}});
        else
          list.push_back(
              json::object{{"idToken", json::object{{"idToken", need_string(to, "id_tag")}, {"type", "Central"}}},
                           {"idTokenInfo", json::object{{"status", status}}}});
      }
    }
    json::object o{{v16 ? "listVersion" : "versionNumber", version}, {"updateType", update}};
    if (!list.empty()) o[v16 ? "localAuthorizationList" : "localAuthorizationList"] = list;
    return {"SendLocalList", o};
  }
  if (kind == "reserve_now") {
    auto tag = need_string(p, "id_tag");
    auto expiry = need_string(p, "expires_at");
    auto id = opt_int(p, "reservation_id").value_or(command_id);
    if (v16)
      return {"ReserveNow", json::object{{"connectorId", need_int(p, "connector_id")},
                                         {"expiryDate", expiry},
                                         {"idTag", tag},
                                         {"reservationId", id}}};
    json::object o{
        {"id", id}, {"expiryDateTime", expiry}, {"idToken", json::object{{"idToken", tag}, {"type", "Central"}}}};
    if (auto e = opt_int(p, "evse_id")) o["evseId"] = *e;
    return {"ReserveNow", o};
  }
  if (kind == "cancel_reservation")
    return {"CancelReservation", json::object{{"reservationId", need_int(p, "reservation_id")}}};
  if (kind == "set_charging_profile") {
    // The profile is passed through in the station's version's shape; its schema checks it.
    const auto &profile = need(p, "profile");
    if (v16)
      return {"SetChargingProfile",
              json::object{{"connectorId", need_int(p, "connector_id")}, {"csChargingProfiles", profile}}};
    return {"SetChargingProfile", json::object{{"evseId", need_int(p, "evse_id")}, {"chargingProfile", profile}}};
  }
  if (kind == "clear_charging_profile") {
    json::object o;
    if (v16) {
      if (auto id = opt_int(p, "profile_id")) o["id"] = *id;
      if (auto c = opt_int(p, "connector_id")) o["connectorId"] = *c;
      if (auto pur = opt_string(p, "purpose")) o["chargingProfilePurpose"] = *pur;
      if (auto lvl = opt_int(p, "stack_level")) o["stackLevel"] = *lvl;
    } else {
      if (auto id = opt_int(p, "profile_id")) o["chargingProfileId"] = *id;
      json::object criteria;
      if (auto e = opt_int(p, "evse_id")) criteria["evseId"] = *e;
      if (auto pur = opt_string(p, "purpose")) criteria["chargingProfilePurpose"] = *pur;
      if (auto lvl = opt_int(p, "stack_level")) criteria["stackLevel"] = *lvl;
      if (!criteria.empty()) o["chargingProfileCriteria"] = criteria;
    }
    return {"ClearChargingProfile", o};
  }
  if (kind == "get_composite_schedule") {
    auto duration = need_int(p, "duration");
    json::object o{{"duration", duration}};
    if (auto u = opt_string(p, "unit")) o["chargingRateUnit"] = *u;
    if (v16)
      o["connectorId"] = need_int(p, "connector_id");
    else
      o["evseId"] = need_int(p, "evse_id");
    return {"GetCompositeSchedule", o};
  }
  if (kind == "get_base_report") {
    if (v16) throw Bad{"get_base_report is OCPP 2.x; use get_configuration for 1.6 stations"};
    auto base = opt_string(p, "report_base").value_or("FullInventory");
    if (base != "ConfigurationInventory" && base != "FullInventory" && base != "SummaryInventory")
      throw Bad{"'report_base' is ConfigurationInventory, FullInventory or SummaryInventory"};
    // The station's NotifyReport parts carry this requestId (B07.FR.04).
    return {"GetBaseReport", json::object{{"requestId", command_id}, {"reportBase", base}}};
  }
  if (kind == "get_transaction_status") {
    if (v16) throw Bad{"get_transaction_status is OCPP 2.x"};
    json::object o;
    // Without a transaction the station answers for all its queued messages (E14.FR.06).
    if (auto t = opt_string(p, "station_transaction_id")) o["transactionId"] = *t;
    return {"GetTransactionStatus", o};
  }
  if (kind == "set_network_profile") {
    if (v16) throw Bad{"set_network_profile is OCPP 2.x"};
    const auto &data = need(p, "connection_data");
    if (!data.is_object()) throw Bad{"'connection_data' must be an object"};
    const auto &d = data.as_object();
    auto version = opt_string(d, "ocpp_version").value_or("OCPP20");
    auto transport = opt_string(d, "ocpp_transport").value_or("JSON");
    json::object c{{"ocppVersion", version},
                   {"ocppTransport", transport},
                   {"ocppCsmsUrl", need_string(d, "ocpp_csms_url")},
                   {"messageTimeout", need_int_in(d, "message_timeout", 0, 86400)},
                   {"securityProfile", need_int_in(d, "security_profile", 0, 3)},
                   {"ocppInterface", need_string(d, "ocpp_interface")}};
    // APN and VPN blocks are passed in the schema's own shape; the schema checks them.
    if (const auto *apn = field(d, "apn")) c["apn"] = *apn;
    if (const auto *vpn = field(d, "vpn")) c["vpn"] = *vpn;
    return {"SetNetworkProfile",
            json::object{{"configurationSlot", need_int_in(p, "configuration_slot", 0, 2147483647)},
                         {"connectionData", c}}};
  }
  throw Bad{"unknown command '" + std::string(kind) + "'"};
}

} // namespace

std::span<const std::string_view> command_kinds() {
  static constexpr std::string_view kinds[] = {"start_transaction",
                                               "stop_transaction",
                                               "reset",
                                               "unlock_connector",
                                               "change_availability",
                                               "get_configuration",
                                               "change_configuration",
                                               "get_variables",
                                               "set_variables",
                                               "trigger_message",
                                               "clear_cache",
                                               "data_transfer",
                                               "update_firmware",
                                               "get_diagnostics",
                                               "get_log",
                                               "send_local_list",
                                               "get_local_list_version",
                                               "reserve_now",
                                               "cancel_reservation",
                                               "set_charging_profile",
                                               "clear_charging_profile",
                                               "get_composite_schedule",
                                               "get_base_report",
                                               "get_transaction_status",
                                               "set_network_profile"};
  return kinds;
}

std::variant<RenderedCall, std::string> render_command(ProtocolVersion version, std::string_view kind,
                                                       const json::object &params, std::int64_t command_id) {
  try {
    return render(version, kind, params, command_id);
  } catch (const Bad &bad) {
    return bad.why;
  }
}

domain::CommandStatus judge_answer(const json::value &response) {
  const auto *status = response.is_object() ? response.as_object().if_contains("status") : nullptr;
  if (!status || !status->is_string()) return domain::CommandStatus::Accepted; // answers without a verdict
  std::string_view s = status->get_string();
  if (s == "Accepted" || s == "Unlocked" || s == "Scheduled" || s == "RebootRequired" || s == "AcceptedCanceled")
    return domain::CommandStatus::Accepted;
  return domain::CommandStatus::Rejected;
}

} // namespace gridlane::ocpp
