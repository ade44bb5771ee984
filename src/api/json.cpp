#include "gridlane/api/json.hpp"

#include <type_traits>

#include <boost/json.hpp>

#include "gridlane/domain/command_codec.hpp"
#include "gridlane/domain/diagnostics.hpp"

namespace gridlane::api {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

json::value opt(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<Timestamp> &v) {
  return v ? json::value(core::format_iso8601(*v)) : json::value(nullptr);
}
json::value opt(const std::optional<std::int64_t> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
//! A protocol enum as its wire text, null when absent.
template <class E>
requires std::is_enum_v<E> json::value opt(const std::optional<E> &v) {
  return v ? json::value(to_string(*v)) : json::value(nullptr);
}

} // namespace

json::object status_json(const StatusReport &st) {
  return json::object{{"evse_id", st.evse_id},
                      {"connector_id", st.connector_id},
                      {"status", to_string(st.status)},
                      {"error_code", to_string(st.error_code)},
                      {"info", opt(st.info)},
                      {"vendor_id", opt(st.vendor_id)},
                      {"vendor_error_code", opt(st.vendor_error_code)},
                      {"station_time", opt(st.station_time)},
                      {"received_at", core::format_iso8601(st.received_at)}};
}

json::object station_json(const Station &s, const std::vector<StatusReport> &statuses) {
  json::array connectors;
  for (const auto &st : statuses)
    connectors.push_back(status_json(st));
  const auto &i = s.identity;
  return json::object{
      {"id", s.id.str()},
      {"registration", to_string(s.registration)},
      {"site", opt(s.site)},
      {"location_id", s.location_id ? json::value(s.location_id->str()) : json::value(nullptr)},
      {"enabled", s.enabled},
      {"has_password", s.password_hash.has_value()},
      {"protocol", s.protocol ? json::value(core::to_string(*s.protocol)) : json::value(nullptr)},
      {"vendor", i.vendor},
      {"model", i.model},
      {"serial_number", opt(i.serial_number)},
      {"charge_box_serial_number", opt(i.charge_box_serial_number)},
      {"firmware_version", opt(i.firmware_version)},
      {"iccid", opt(i.iccid)},
      {"imsi", opt(i.imsi)},
      {"meter_type", opt(i.meter_type)},
      {"meter_serial_number", opt(i.meter_serial_number)},
      {"created_at", opt(s.created_at)},
      {"last_boot_at", opt(s.last_boot_at)},
      {"last_seen_at", opt(s.last_seen_at)},
      {"connectors", connectors},
  };
}

json::object sample_json(const MeterSample &m) {
  return json::object{{"timestamp", core::format_iso8601(m.timestamp)},
                      {"value", m.value},
                      {"measurand", opt(m.measurand)},
                      {"phase", opt(m.phase)},
                      {"location", opt(m.location)},
                      {"unit", opt(m.unit)},
                      {"context", opt(m.context)},
                      {"format", opt(m.format)},
                      {"signed_data", opt(m.signed_data)}};
}

json::object transaction_json(const Transaction &t, const std::vector<MeterSample> &samples,
                              const std::vector<TransactionEventRecord> &events) {
  json::array meter;
  for (const auto &m : samples)
    meter.push_back(sample_json(m));
  json::array evs;
  for (const auto &e : events)
    evs.push_back(json::object{{"seq_no", e.seq_no},
                               {"event_type", to_string(e.event_type)},
                               {"trigger_reason", to_string(e.trigger_reason)},
                               {"timestamp", core::format_iso8601(e.timestamp)},
                               {"offline", e.offline},
                               {"charging_state", opt(e.charging_state)},
                               {"id_token", opt(e.id_token)},
                               {"received_at", core::format_iso8601(e.received_at)}});
  return json::object{
      {"id", t.id},
      {"station_id", t.station.str()},
      {"station_transaction_id", t.station_tx_id},
      {"protocol", core::to_string(t.protocol)},
      {"evse_id", t.evse_id},
      {"connector_id", t.connector_id},
      {"id_tag", t.id_tag},
      {"reservation_id", opt(t.reservation_id)},
      {"state", to_string(t.state)},
      {"authorization", to_string(t.start_authorization.status)},
      {"meter_start_wh", t.meter_start_wh},
      {"meter_stop_wh", opt(t.meter_stop_wh)},
      {"energy_wh", t.energy_wh},
      {"started_at", core::format_iso8601(t.started_at)},
      {"start_received_at", core::format_iso8601(t.start_received_at)},
      {"stopped_at", opt(t.stopped_at)},
      {"stop_received_at", opt(t.stop_received_at)},
      {"stop_reason", opt(t.stop_reason)},
      {"stop_id_tag", opt(t.stop_id_tag)},
      {"charging_state", opt(t.charging_state)},
      {"number_of_phases", t.number_of_phases ? json::value(*t.number_of_phases) : json::value(nullptr)},
      {"remote_start_id", opt(t.remote_start_id)},
      {"offline_events", t.offline_events},
      {"meter_values", meter},
      {"events", evs},
  };
}

json::object device_variable_json(const DeviceVariable &v) {
  auto flag = [](const std::optional<bool> &b) { return b ? json::value(*b) : json::value(nullptr); };
  return json::object{
      {"component", v.component},
      {"component_instance", v.component_instance.empty() ? json::value(nullptr) : json::value(v.component_instance)},
      {"evse_id", v.evse_id < 0 ? json::value(nullptr) : json::value(v.evse_id)},
      {"connector_id", v.connector_id < 0 ? json::value(nullptr) : json::value(v.connector_id)},
      {"variable", v.variable},
      {"variable_instance", v.variable_instance.empty() ? json::value(nullptr) : json::value(v.variable_instance)},
      {"attribute_type", v.attribute_type},
      {"value", opt(v.value)},
      {"mutability", opt(v.mutability)},
      {"persistent", flag(v.persistent)},
      {"constant", flag(v.constant)},
      {"data_type", opt(v.data_type)},
      {"unit", opt(v.unit)},
      {"min_limit", v.min_limit ? json::value(*v.min_limit) : json::value(nullptr)},
      {"max_limit", v.max_limit ? json::value(*v.max_limit) : json::value(nullptr)},
      {"values_list", opt(v.values_list)},
      {"supports_monitoring", flag(v.supports_monitoring)}};
}

json::object command_json(const CommandRecord &c) {
  auto parsed = [](const std::optional<std::string> &text) -> json::value {
    if (!text) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    return ec ? json::value(*text) : v;
  };
  auto params = parsed(encode_params(c.command));
  // A hosted upload's URL carries its one-time token: the station alone gets it, never an API
  // reader (whatever the role), so the location is shown without it.
  if (auto *o = params.if_object(); o && (std::holds_alternative<commands::GetDiagnostics>(c.command) ||
                                          std::holds_alternative<commands::GetLog>(c.command))) {
    if (auto *loc = o->if_contains("location"); loc && loc->is_string()) {
      std::string text(loc->get_string());
      if (auto at = text.find(diagnostics_upload_path); at != std::string::npos) {
        text.resize(at + diagnostics_upload_path.size());
        (*o)["location"] = text + "{token}";
        (*o)["hosted_upload"] = true;
      }
    }
  }
  return json::object{{"id", c.id},
                      {"station_id", c.station.str()},
                      {"kind", kind_of(c.command)},
                      {"params", std::move(params)},
                      {"status", to_string(c.status)},
                      {"action", opt(c.action)},
                      {"response", parsed(c.response)},
                      {"error", opt(c.error)},
                      {"transaction_id", opt(c.transaction_id)},
                      {"created_by", c.created_by},
                      {"created_at", core::format_iso8601(c.created_at)},
                      {"finished_at", opt(c.finished_at)}};
}

json::object token_json(const IdToken &t) {
  return json::object{{"id_tag", t.id},
                      {"status", to_string(t.status)},
                      {"expires_at", opt(t.expires_at)},
                      {"parent_id_tag", opt(t.parent_id)}};
}

json::object audit_json(const AuditEntry &e) {
  return json::object{{"id", e.id},
                      {"at", core::format_iso8601(e.at)},
                      {"actor", e.actor},
                      {"action", e.action},
                      {"target", opt(e.target)},
                      {"detail", opt(e.detail)},
                      {"remote", opt(e.remote)},
                      {"status", e.status}};
}

json::object station_event_json(const StationEvent &e) {
  boost::system::error_code ec;
  auto payload = json::parse(e.payload, ec);
  return json::object{
      {"kind", e.kind}, {"payload", ec ? json::value(e.payload) : payload}, {"at", core::format_iso8601(e.at)}};
}

json::object anomaly_json(const Anomaly &a) {
  return json::object{{"kind", a.kind}, {"detail", a.detail}, {"at", core::format_iso8601(a.at)}};
}

json::object compat_json(const StationCompat &c) {
  return json::object{{"timestamps_without_offset", c.timestamps_without_offset},
                      {"extra_properties_in_answers", c.extra_properties_in_answers}};
}

} // namespace gridlane::api
