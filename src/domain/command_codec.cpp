#include "gridlane/domain/command_codec.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "codec_reader.hpp"

namespace gridlane::domain {
namespace json = boost::json;
using namespace commands;
using codec::Reader;

namespace {

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

// ---- decoding, one function per kind ------------------------------------------------------------

VariableRef variable_of(Reader &r, bool with_value) {
  VariableRef v;
  v.component = r.str("component");
  v.component_instance = r.opt_str("component_instance");
  v.evse_id = r.opt_int("evse_id", 0, int32_max);
  v.connector_id = r.opt_int("connector_id", 0, int32_max);
  v.variable = r.str("variable");
  v.variable_instance = r.opt_str("variable_instance");
  v.attribute_type = r.opt_enum<AttributeType>("attribute_type");
  if (with_value) v.value = r.str("value");
  return v;
}

std::vector<VariableRef> variables_of(Reader &r, bool with_value) {
  std::vector<VariableRef> out;
  const auto *list = r.array("variables");
  if (!list) return out;
  if (list->empty()) r.fail("variables", "'variables' must be a non-empty array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = r.item(*list, "variables", i);
    if (item) out.push_back(variable_of(*item, with_value));
  }
  return out;
}

Apn apn_of(Reader &r) {
  Apn a;
  a.apn = r.str("apn");
  a.user_name = r.opt_str("apnUserName");
  a.password = r.opt_str("apnPassword");
  a.sim_pin = r.opt_int("simPin", 0, int32_max);
  a.preferred_network = r.opt_str("preferredNetwork");
  a.use_only_preferred_network = r.opt_bool("useOnlyPreferredNetwork");
  a.authentication = r.enumeration<ApnAuthentication>("apnAuthentication");
  return a;
}

Vpn vpn_of(Reader &r) {
  Vpn v;
  v.server = r.str("server");
  v.user = r.str("user");
  v.group = r.opt_str("group");
  v.password = r.str("password");
  v.key = r.str("key");
  v.type = r.enumeration<VpnType>("type");
  return v;
}

//! A decimal given as text ("12.5") or a JSON number; exact either way.
std::optional<core::Decimal> decimal_of(Reader &r, std::string_view key) {
  const auto *v = r.field(key);
  std::optional<core::Decimal> out;
  if (v && v->is_string()) {
    if (auto d = core::Decimal::parse(v->get_string()); d) out = *d;
  } else if (v && v->is_number()) {
    if (auto d = core::Decimal::from_wire(v->to_number<double>()); d) out = *d;
  }
  return out;
}

//! A component with an optional variable (GetMonitoringReport's componentVariable).
VariableRef component_of(Reader &r) {
  VariableRef v;
  v.component = r.str("component");
  v.component_instance = r.opt_str("component_instance");
  v.evse_id = r.opt_int("evse_id", 0, int32_max);
  v.connector_id = r.opt_int("connector_id", 0, int32_max);
  v.variable = r.opt_str("variable").value_or("");
  v.variable_instance = r.opt_str("variable_instance");
  return v;
}

SetVariableMonitoring set_monitoring_of(Reader &r) {
  SetVariableMonitoring c;
  const auto *list = r.array("monitors");
  if (!list) return c;
  if (list->empty()) r.fail("monitors", "'monitors' must be a non-empty array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = r.item(*list, "monitors", i);
    if (!item) continue;
    VariableMonitor m;
    m.id = item->opt_int("id", 0, int32_max);
    m.transaction = item->opt_bool("transaction").value_or(false);
    auto value = decimal_of(*item, "value");
    if (!value)
      item->fail("value", "'value' (a decimal of at most 6 places) is required");
    else
      m.value = *value;
    m.type = item->enumeration<MonitorType>("type");
    m.severity = item->integer("severity", 0, 9);
    m.variable = variable_of(*item, false);
    c.monitors.push_back(std::move(m));
  }
  return c;
}

GetMonitoringReport monitoring_report_of(Reader &r) {
  GetMonitoringReport c;
  c.request_id = r.opt_int("request_id", 0, int32_max);
  if (auto criteria = r.opt_strings("criteria")) {
    for (const auto &name : *criteria) {
      auto criterion = parse_enum<MonitoringCriterion>(name);
      if (!criterion) {
        r.fail("criteria", "'criteria' are ThresholdMonitoring, DeltaMonitoring or PeriodicMonitoring");
        break;
      }
      c.criteria.push_back(*criterion);
    }
  }
  if (const auto *list = r.array("components", false)) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (auto item = r.item(*list, "components", i)) c.components.push_back(component_of(*item));
    }
  }
  return c;
}

CustomerInformation customer_information_of(Reader &r) {
  CustomerInformation c;
  c.request_id = r.opt_int("request_id", 0, int32_max);
  c.report = r.opt_bool("report").value_or(false);
  c.clear = r.opt_bool("clear").value_or(false);
  c.id_tag = r.opt_str("id_tag");
  c.id_token_type = r.opt_enum<IdTokenType>("id_token_type");
  c.customer_identifier = r.opt_str("customer_identifier");
  if (c.id_tag && (c.id_tag->empty() || c.id_tag->size() > 36)) r.fail("id_tag", "'id_tag' is 1 to 36 characters");
  if (c.customer_identifier && (c.customer_identifier->empty() || c.customer_identifier->size() > 64))
    r.fail("customer_identifier", "'customer_identifier' is 1 to 64 characters");
  // N09.FR.09 / N10: exactly one way to name the customer.
  if (c.id_tag.has_value() == c.customer_identifier.has_value())
    r.fail("id_tag", "exactly one of 'id_tag' and 'customer_identifier' is required");
  // A request that neither reports nor clears asks nothing of the station.
  if (!c.report && !c.clear) r.fail("report", "at least one of 'report' and 'clear' must be true");
  return c;
}

Command decode_kind(std::size_t index, Reader &r) {
  switch (index) {
  case 0: {
    RemoteStart c;
    c.id_tag = r.str("id_tag");
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    c.id_token_type = r.opt_enum<IdTokenType>("id_token_type");
    if (auto p = r.object_reader("charging_profile", false)) c.profile = codec::profile_of(*p);
    return c;
  }
  case 1: {
    RemoteStop c;
    c.transaction_id =
        r.integer("transaction_id", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
    c.station_transaction_id = r.opt_str("station_transaction_id");
    return c;
  }
  case 2: return Reset{r.opt_enum<ResetKind>("type").value_or(ResetKind::Soft), r.opt_int("evse_id", 0, int32_max)};
  case 3: {
    UnlockConnector c;
    c.connector_id = r.integer("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    return c;
  }
  case 4: {
    ChangeAvailability c;
    c.operative = r.boolean("operative");
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    return c;
  }
  case 5: return GetConfiguration{r.opt_strings("keys")};
  case 6: return ChangeConfiguration{r.str("key"), r.str("value")};
  case 7: return GetVariables{variables_of(r, false)};
  case 8: return SetVariables{variables_of(r, true)};
  case 9: {
    TriggerMessage c;
    c.message = r.enumeration<TriggerableMessage>("message");
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    return c;
  }
  case 10: return ClearCache{};
  case 11: {
    DataTransfer c;
    c.vendor_id = r.str("vendor_id");
    c.message_id = r.opt_str("message_id");
    c.data_json = r.opt_json("data");
    return c;
  }
  case 12: {
    UpdateFirmware c;
    c.location = r.str("location");
    c.retrieve_at = r.time("retrieve_at");
    c.retries = r.opt_int("retries", 0, int32_max);
    c.retry_interval_s = r.opt_int("retry_interval_s", 0, int32_max);
    c.install_at = r.opt_time("install_at");
    c.signing_certificate = r.opt_str("signing_certificate");
    c.signature = r.opt_str("signature");
    // OCPP 2.0.1 FirmwareType's limits, so an over-long value is refused here, not by the schema.
    if (c.signing_certificate && c.signing_certificate->size() > 5500)
      r.fail("signing_certificate", "'signing_certificate' is at most 5500 characters");
    if (c.signature && c.signature->size() > 800) r.fail("signature", "'signature' is at most 800 characters");
    if (c.location.size() > 512) r.fail("location", "'location' is at most 512 characters");
    return c;
  }
  case 13: {
    GetDiagnostics c{r.opt_str("location").value_or("")};
    // 2.x renders it as GetLog, whose remoteLocation is at most 512 characters.
    if (c.location.size() > 512) r.fail("location", "'location' is at most 512 characters");
    return c;
  }
  case 14: {
    GetLog c;
    c.location = r.opt_str("location").value_or("");
    c.log_type = r.opt_enum<LogType>("log_type").value_or(LogType::DiagnosticsLog);
    if (c.location.size() > 512) r.fail("location", "'location' is at most 512 characters");
    return c;
  }
  case 15: {
    SendLocalList c;
    c.version = r.integer("version", 0, int32_max);
    c.update_type = r.opt_enum<LocalListUpdate>("update_type").value_or(LocalListUpdate::Full);
    if (const auto *tokens = r.array("tokens", false)) {
      for (std::size_t i = 0; i < tokens->size(); ++i) {
        auto item = r.item(*tokens, "tokens", i);
        if (!item) continue;
        LocalListEntry e;
        e.id_tag = item->str("id_tag");
        e.status = item->opt_enum<LocalListStatus>("status").value_or(LocalListStatus::Accepted);
        c.tokens.push_back(std::move(e));
      }
    }
    return c;
  }
  case 16: return GetLocalListVersion{};
  case 17: {
    ReserveNow c;
    c.id_tag = r.str("id_tag");
    c.expires_at = r.time("expires_at");
    c.reservation_id = r.opt_int("reservation_id", 0, int32_max);
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    return c;
  }
  case 18: return CancelReservation{r.integer("reservation_id", 0, int32_max)};
  case 19: {
    SetChargingProfile c;
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    if (auto p = r.object_reader("profile", true)) c.profile = codec::profile_of(*p);
    return c;
  }
  case 20: {
    ClearChargingProfile c;
    c.profile_id = r.opt_int("profile_id", 0, int32_max);
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    if (auto text = r.opt_str("purpose")) c.purpose = codec::purpose_of(r, "purpose", *text);
    c.stack_level = r.opt_int("stack_level", 0, int32_max);
    return c;
  }
  case 21: {
    GetCompositeSchedule c;
    c.duration_s = r.integer("duration", 0, int32_max);
    c.unit = r.opt_enum<ChargingRateUnit>("unit");
    c.connector_id = r.opt_int("connector_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    return c;
  }
  case 22: return GetBaseReport{r.opt_enum<ReportBase>("report_base").value_or(ReportBase::FullInventory)};
  case 23: {
    GetTransactionStatus c;
    c.transaction_id =
        r.opt_int("transaction_id", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
    c.station_transaction_id = r.opt_str("station_transaction_id");
    return c;
  }
  case 25: {
    CostUpdated c;
    c.transaction_id =
        r.integer("transaction_id", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
    c.station_transaction_id = r.opt_str("station_transaction_id");
    // A decimal as text ("1.23") or a JSON number; exact either way, never negative.
    const auto *v = r.field("total_cost");
    std::optional<core::Decimal> total;
    if (v && v->is_string()) {
      if (auto d = core::Decimal::parse(v->get_string()); d) total = *d;
    } else if (v && v->is_number()) {
      if (auto d = core::Decimal::from_wire(v->to_number<double>()); d) total = *d;
    }
    if (!total || total->is_negative())
      r.fail("total_cost", "'total_cost' (a decimal of at most 6 places, >= 0) is required");
    else
      c.total_cost = *total;
    return c;
  }
  case 26: {
    GetChargingProfiles c;
    c.request_id = r.opt_int("request_id", 0, int32_max);
    c.evse_id = r.opt_int("evse_id", 0, int32_max);
    if (auto text = r.opt_str("purpose")) c.purpose = codec::purpose_of(r, "purpose", *text);
    c.stack_level = r.opt_int("stack_level", 0, int32_max);
    if (const auto *ids = r.array("profile_ids", false)) {
      for (const auto &id : *ids) {
        if (!id.is_int64() || id.get_int64() < 0 || id.get_int64() > int32_max) {
          r.fail("profile_ids", "'profile_ids' must be an array of profile ids (0..2147483647)");
          break;
        }
        c.profile_ids.push_back(id.get_int64());
      }
    }
    if (auto sources = r.opt_strings("sources")) {
      if (sources->size() > 4) r.fail("sources", "'sources' names at most four sources");
      for (const auto &source : *sources) {
        if (source.empty() || source.size() > 20) r.fail("sources", "'sources' are names of 1 to 20 characters");
      }
      c.sources = std::move(*sources);
    }
    // K09: a request with no criterion at all is not one the station can answer.
    if (!c.purpose && !c.stack_level && c.profile_ids.empty() && c.sources.empty())
      r.fail("purpose", "at least one of 'purpose', 'stack_level', 'profile_ids' or 'sources' is required");
    return c;
  }
  case 27: return set_monitoring_of(r);
  case 28: return SetMonitoringBase{r.enumeration<MonitoringBase>("base")};
  case 29: return SetMonitoringLevel{r.integer("severity", 0, 9)};
  case 30: {
    ClearVariableMonitoring c;
    const auto *ids = r.array("ids");
    if (!ids) return c;
    if (ids->empty()) r.fail("ids", "'ids' must be a non-empty array");
    for (const auto &id : *ids) {
      if (!id.is_int64() || id.get_int64() < 0 || id.get_int64() > int32_max) {
        r.fail("ids", "'ids' must be an array of monitor ids (0..2147483647)");
        break;
      }
      c.ids.push_back(id.get_int64());
    }
    return c;
  }
  case 31: return monitoring_report_of(r);
  case 32: return customer_information_of(r);
  default: {
    SetNetworkProfile c;
    c.configuration_slot = r.integer("configuration_slot", 0, int32_max);
    auto d = r.object_reader("connection_data", true);
    if (!d) return c;
    c.ocpp_version = d->opt_enum<OcppVersionName>("ocpp_version").value_or(OcppVersionName::OCPP20);
    c.ocpp_transport = d->opt_enum<OcppTransport>("ocpp_transport").value_or(OcppTransport::JSON);
    c.ocpp_csms_url = d->str("ocpp_csms_url");
    c.message_timeout_s = d->integer("message_timeout", 0, 86400);
    c.security_profile = d->integer("security_profile", 0, 3);
    c.ocpp_interface = d->enumeration<OcppInterface>("ocpp_interface");
    if (auto a = d->object_reader("apn", false)) c.apn = apn_of(*a);
    if (auto v = d->object_reader("vpn", false)) c.vpn = vpn_of(*v);
    return c;
  }
  }
}

// ---- encoding -----------------------------------------------------------------------------------

template <class T> void put(json::object &o, std::string_view key, const std::optional<T> &v) {
  if (v) o[key] = json::value_from(*v);
}
template <class E> void put_enum(json::object &o, std::string_view key, const std::optional<E> &v) {
  if (v) o[key] = to_string(*v);
}

json::object encode_variable(const VariableRef &v) {
  json::object o{{"component", v.component}};
  put(o, "component_instance", v.component_instance);
  put(o, "evse_id", v.evse_id);
  put(o, "connector_id", v.connector_id);
  o["variable"] = v.variable;
  put(o, "variable_instance", v.variable_instance);
  put_enum(o, "attribute_type", v.attribute_type);
  put(o, "value", v.value);
  return o;
}
json::array encode_variables(const std::vector<VariableRef> &list) {
  json::array a;
  for (const auto &v : list)
    a.push_back(encode_variable(v));
  return a;
}

struct Encoder {
  json::object o;
  void operator()(const RemoteStart &c) {
    o["id_tag"] = c.id_tag;
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
    put_enum(o, "id_token_type", c.id_token_type);
    if (c.profile) o["charging_profile"] = codec::encode_profile(*c.profile);
  }
  void operator()(const RemoteStop &c) {
    o["transaction_id"] = c.transaction_id;
    put(o, "station_transaction_id", c.station_transaction_id);
  }
  void operator()(const Reset &c) {
    o["type"] = to_string(c.type);
    put(o, "evse_id", c.evse_id);
  }
  void operator()(const UnlockConnector &c) {
    o["connector_id"] = c.connector_id;
    put(o, "evse_id", c.evse_id);
  }
  void operator()(const ChangeAvailability &c) {
    o["operative"] = c.operative;
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
  }
  void operator()(const GetConfiguration &c) {
    if (c.keys) o["keys"] = json::value_from(*c.keys);
  }
  void operator()(const ChangeConfiguration &c) {
    o["key"] = c.key;
    o["value"] = c.value;
  }
  void operator()(const GetVariables &c) { o["variables"] = encode_variables(c.variables); }
  void operator()(const SetVariables &c) { o["variables"] = encode_variables(c.variables); }
  void operator()(const TriggerMessage &c) {
    o["message"] = to_string(c.message);
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
  }
  void operator()(const ClearCache &) {}
  void operator()(const DataTransfer &c) {
    o["vendor_id"] = c.vendor_id;
    put(o, "message_id", c.message_id);
    if (c.data_json) {
      boost::system::error_code ec;
      auto data = json::parse(*c.data_json, ec);
      o["data"] = ec ? json::value(*c.data_json) : data;
    }
  }
  void operator()(const UpdateFirmware &c) {
    o["location"] = c.location;
    o["retrieve_at"] = core::format_iso8601(c.retrieve_at);
    put(o, "retries", c.retries);
    put(o, "retry_interval_s", c.retry_interval_s);
    if (c.install_at) o["install_at"] = core::format_iso8601(*c.install_at);
    put(o, "signing_certificate", c.signing_certificate);
    put(o, "signature", c.signature);
  }
  void operator()(const GetDiagnostics &c) {
    if (!c.location.empty()) o["location"] = c.location;
  }
  void operator()(const GetLog &c) {
    if (!c.location.empty()) o["location"] = c.location;
    o["log_type"] = to_string(c.log_type);
  }
  void operator()(const SendLocalList &c) {
    o["version"] = c.version;
    o["update_type"] = to_string(c.update_type);
    json::array tokens;
    for (const auto &t : c.tokens)
      tokens.push_back(json::object{{"id_tag", t.id_tag}, {"status", to_string(t.status)}});
    o["tokens"] = std::move(tokens);
  }
  void operator()(const GetLocalListVersion &) {}
  void operator()(const ReserveNow &c) {
    o["id_tag"] = c.id_tag;
    o["expires_at"] = core::format_iso8601(c.expires_at);
    put(o, "reservation_id", c.reservation_id);
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
  }
  void operator()(const CancelReservation &c) { o["reservation_id"] = c.reservation_id; }
  void operator()(const SetChargingProfile &c) {
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
    o["profile"] = codec::encode_profile(c.profile);
  }
  void operator()(const ClearChargingProfile &c) {
    put(o, "profile_id", c.profile_id);
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
    put_enum(o, "purpose", c.purpose);
    put(o, "stack_level", c.stack_level);
  }
  void operator()(const GetCompositeSchedule &c) {
    o["duration"] = c.duration_s;
    put_enum(o, "unit", c.unit);
    put(o, "connector_id", c.connector_id);
    put(o, "evse_id", c.evse_id);
  }
  void operator()(const GetBaseReport &c) { o["report_base"] = to_string(c.report_base); }
  void operator()(const GetTransactionStatus &c) {
    put(o, "transaction_id", c.transaction_id);
    put(o, "station_transaction_id", c.station_transaction_id);
  }
  void operator()(const CostUpdated &c) {
    o["transaction_id"] = c.transaction_id;
    put(o, "station_transaction_id", c.station_transaction_id);
    o["total_cost"] = c.total_cost.to_string();
  }
  void operator()(const GetChargingProfiles &c) {
    put(o, "request_id", c.request_id);
    put(o, "evse_id", c.evse_id);
    put_enum(o, "purpose", c.purpose);
    put(o, "stack_level", c.stack_level);
    if (!c.profile_ids.empty()) {
      json::array ids;
      for (auto id : c.profile_ids)
        ids.push_back(id);
      o["profile_ids"] = std::move(ids);
    }
    if (!c.sources.empty()) {
      json::array sources;
      for (const auto &s : c.sources)
        sources.push_back(json::string(s));
      o["sources"] = std::move(sources);
    }
  }
  void operator()(const SetVariableMonitoring &c) {
    json::array monitors;
    for (const auto &m : c.monitors) {
      auto v = encode_variable(m.variable);
      put(v, "id", m.id);
      if (m.transaction) v["transaction"] = true;
      v["value"] = m.value.to_string();
      v["type"] = to_string(m.type);
      v["severity"] = m.severity;
      monitors.push_back(std::move(v));
    }
    o["monitors"] = std::move(monitors);
  }
  void operator()(const SetMonitoringBase &c) { o["base"] = to_string(c.base); }
  void operator()(const SetMonitoringLevel &c) { o["severity"] = c.severity; }
  void operator()(const ClearVariableMonitoring &c) {
    json::array ids;
    for (auto id : c.ids)
      ids.push_back(id);
    o["ids"] = std::move(ids);
  }
  void operator()(const GetMonitoringReport &c) {
    put(o, "request_id", c.request_id);
    if (!c.criteria.empty()) {
      json::array criteria;
      for (auto k : c.criteria)
        criteria.push_back(json::string(to_string(k)));
      o["criteria"] = std::move(criteria);
    }
    if (!c.components.empty()) {
      json::array components;
      for (const auto &v : c.components) {
        auto e = encode_variable(v);
        if (v.variable.empty()) e.erase("variable");
        components.push_back(std::move(e));
      }
      o["components"] = std::move(components);
    }
  }
  void operator()(const CustomerInformation &c) {
    put(o, "request_id", c.request_id);
    o["report"] = c.report;
    o["clear"] = c.clear;
    put(o, "id_tag", c.id_tag);
    put_enum(o, "id_token_type", c.id_token_type);
    put(o, "customer_identifier", c.customer_identifier);
  }
  void operator()(const SetNetworkProfile &c) {
    o["configuration_slot"] = c.configuration_slot;
    json::object d{{"ocpp_version", to_string(c.ocpp_version)}, {"ocpp_transport", to_string(c.ocpp_transport)},
                   {"ocpp_csms_url", c.ocpp_csms_url},          {"message_timeout", c.message_timeout_s},
                   {"security_profile", c.security_profile},    {"ocpp_interface", to_string(c.ocpp_interface)}};
    if (c.apn) {
      json::object a{{"apn", c.apn->apn}};
      put(a, "apnUserName", c.apn->user_name);
      put(a, "apnPassword", c.apn->password);
      put(a, "simPin", c.apn->sim_pin);
      put(a, "preferredNetwork", c.apn->preferred_network);
      put(a, "useOnlyPreferredNetwork", c.apn->use_only_preferred_network);
      a["apnAuthentication"] = to_string(c.apn->authentication);
      d["apn"] = std::move(a);
    }
    if (c.vpn) {
      json::object v{{"server", c.vpn->server}, {"user", c.vpn->user}};
      put(v, "group", c.vpn->group);
      v["password"] = c.vpn->password;
      v["key"] = c.vpn->key;
      v["type"] = to_string(c.vpn->type);
      d["vpn"] = std::move(v);
    }
    o["connection_data"] = std::move(d);
  }
};

} // namespace

Result<Command> decode_command(std::string_view kind, std::string_view params_json) {
  const auto kinds = command_kinds();
  std::size_t index = 0;
  while (index < kinds.size() && kinds[index] != kind)
    ++index;
  if (index == kinds.size()) return ServiceError::invalid("unknown command '" + std::string(kind) + "'", "kind");
  boost::system::error_code ec;
  auto params = json::parse(params_json, ec);
  if (ec || !params.is_object()) return ServiceError::invalid("'params' must be an object", "params");
  std::optional<ServiceError> error;
  Reader r(params.as_object(), "", error);
  auto command = decode_kind(index, r);
  if (error) return *error;
  return command;
}

std::string encode_params(const Command &c) {
  Encoder e;
  std::visit(e, c);
  return json::serialize(e.o);
}

} // namespace gridlane::domain
