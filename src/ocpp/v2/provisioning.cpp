// OCPP 2.x block B, provisioning: BootNotification (with the Pending flow), NotifyReport
// stored as the station's device model (multi-part reports reassembled), a base report asked
// for once a station is accepted, Get/SetVariables results kept; DataTransfer.
#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "gridlane/core/logging.hpp"
#include "v2/dispatcher.hpp"

namespace gridlane::ocpp::v2 {
namespace json = boost::json;
using services::Outcome;

namespace {

std::string str(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string{};
}

//! An integer from the wire narrowed to int, or nullopt (out of range, or not an integer).
std::optional<int> int_of(const json::value &v, std::int64_t min) {
  if (v.is_int64()) return domain::wire_int(v.get_int64(), min);
  return std::nullopt; // uint64 above int64, or a double: beyond any id
}

//! The device-model address of a component/variable pair (as the schemas shape them); nullopt
//! when an evse or connector id is outside [0, max_wire_int] (never truncated).
std::optional<domain::DeviceVariable> address(const json::value &component, const json::value &variable) {
  domain::DeviceVariable v;
  const auto &c = component.as_object();
  v.component = str(c, "name");
  v.component_instance = str(c, "instance");
  if (const auto *evse = c.if_contains("evse")) {
    auto id = int_of(evse->at("id"), 0);
    if (!id) return std::nullopt;
    v.evse_id = *id;
    if (const auto *conn = evse->as_object().if_contains("connectorId")) {
      auto cid = int_of(*conn, 0);
      if (!cid) return std::nullopt;
      v.connector_id = *cid;
    }
  }
  v.variable = str(variable.as_object(), "name");
  v.variable_instance = str(variable.as_object(), "instance");
  return v;
}

//! A characteristic limit: a finite number (a limit of 1e400 reads as infinity, which is not JSON).
std::optional<double> finite_of(const json::value &v) {
  double d = v.to_number<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::int32_t new_request_id() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return static_cast<std::int32_t>(rng() & 0x3fffffff);
}

} // namespace

template <class V> void Dispatcher<V>::boot_notification(const json::value &payload, Responder r) {
  auto req = decode_request<typename V::BootNotification>(payload);
  domain::StationIdentity id;
  id.vendor = req.chargingStation.vendorName;
  id.model = req.chargingStation.model;
  id.serial_number = req.chargingStation.serialNumber;
  id.firmware_version = req.chargingStation.firmwareVersion;
  if (req.chargingStation.modem) {
    id.iccid = req.chargingStation.modem->iccid;
    id.imsi = req.chargingStation.modem->imsi;
  }
  id.boot_reason = text_of(req.reason);
  services_.stations.boot(who_, std::move(id), [this, r](Outcome<services::BootDecision> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the boot notification");
    const auto &d = o.value();
    registration_.store(d.status);
    typename V::BootNotification::Response res;
    from_string(domain::to_string(d.status), res.status);
    res.currentTime = d.now;
    res.interval = d.interval_s;
    r.result(encode(res));
    // Posted after the answer on the same strand, so the station hears it first.
    if (d.status == domain::RegistrationStatus::Accepted && !d.has_device_model && request_base_report_)
      request_base_report();
  });
}

template <class V> void Dispatcher<V>::request_base_report() {
  auto conn = connection_.lock();
  if (!conn) return;
  json::object payload{{"requestId", new_request_id()}, {"reportBase", "FullInventory"}};
  conn->call("GetBaseReport", std::move(payload), [station = who_.id.str()](CallOutcome o) {
    if (o.status != CallOutcome::Status::Result)
      core::log(core::Component::Ocpp).info("[{}] GetBaseReport not done: {}", station, o.error_description);
  });
}

template <class V> void Dispatcher<V>::notify_report(const json::value &payload, Responder r) {
  const auto &p = payload.as_object();
  domain::ReportPart part;
  auto request_id = int_of(p.at("requestId"), std::numeric_limits<std::int32_t>::min());
  auto seq_no = int_of(p.at("seqNo"), 0);
  if (!request_id || !seq_no)
    return r.error(RpcError::PropertyConstraintViolation, "requestId or seqNo is out of range");
  part.request_id = *request_id;
  part.seq_no = *seq_no;
  if (const auto *tbc = p.if_contains("tbc")) part.more_to_come = tbc->as_bool();
  part.generated_at = core::parse_iso8601(p.at("generatedAt").as_string());
  std::vector<domain::DeviceVariable> variables;
  if (const auto *data = p.if_contains("reportData")) {
    for (const auto &item : data->as_array()) {
      const auto &rd = item.as_object();
      auto addr = address(rd.at("component"), rd.at("variable"));
      if (!addr) return r.error(RpcError::PropertyConstraintViolation, "an evse or connector id is out of range");
      auto base = std::move(*addr);
      if (const auto *ch = rd.if_contains("variableCharacteristics")) {
        const auto &c = ch->as_object();
        base.data_type = str(c, "dataType");
        if (c.contains("unit")) base.unit = str(c, "unit");
        for (auto [key, field] : {std::pair{"minLimit", &domain::DeviceVariable::min_limit},
                                  std::pair{"maxLimit", &domain::DeviceVariable::max_limit}}) {
          const auto *v = c.if_contains(key);
          if (!v) continue;
          auto limit = finite_of(*v);
          if (!limit)
            return r.error(RpcError::PropertyConstraintViolation, std::string(key) + " is not a finite number");
          base.*field = *limit;
        }
        if (c.contains("valuesList")) base.values_list = str(c, "valuesList");
        if (const auto *v = c.if_contains("supportsMonitoring")) base.supports_monitoring = v->as_bool();
      }
      for (const auto &attr : rd.at("variableAttribute").as_array()) {
        auto v = base;
        const auto &a = attr.as_object();
        if (a.contains("type")) v.attribute_type = str(a, "type");
        if (a.contains("value")) v.value = str(a, "value");
        if (a.contains("mutability")) v.mutability = str(a, "mutability");
        if (const auto *x = a.if_contains("persistent")) v.persistent = x->as_bool();
        if (const auto *x = a.if_contains("constant")) v.constant = x->as_bool();
        variables.push_back(std::move(v));
      }
    }
  }
  services_.stations.report(who_, part, std::move(variables), [r](const Outcome<services::Done> &o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not store the report");
    r.result(json::object{});
  });
}

template <class V>
void Dispatcher<V>::variables_confirmed(const std::string &action, const json::value &request,
                                        const json::value &response) {
  std::vector<domain::DeviceVariable> confirmed;
  if (action == "GetVariables") {
    for (const auto &item : response.at("getVariableResult").as_array()) {
      const auto &res = item.as_object();
      if (res.at("attributeStatus").as_string() != "Accepted" || !res.contains("attributeValue")) continue;
      auto addr = address(res.at("component"), res.at("variable"));
      if (!addr) continue; // an id out of range: not a variable Gridlane asked about
      auto v = std::move(*addr);
      if (res.contains("attributeType")) v.attribute_type = str(res, "attributeType");
      v.value = str(res, "attributeValue");
      confirmed.push_back(std::move(v));
    }
  } else {
    const auto &asked = request.at("setVariableData").as_array();
    for (const auto &item : response.at("setVariableResult").as_array()) {
      const auto &res = item.as_object();
      auto status = res.at("attributeStatus").as_string();
      if (status != "Accepted" && status != "RebootRequired") continue;
      auto addr = address(res.at("component"), res.at("variable"));
      if (!addr) continue;
      auto v = std::move(*addr);
      if (res.contains("attributeType")) v.attribute_type = str(res, "attributeType");
      for (const auto &a : asked) { // the value is in the request
        auto requested = address(a.at("component"), a.at("variable"));
        if (!requested) continue;
        const auto &wanted = *requested;
        auto type = a.as_object().contains("attributeType") ? str(a.as_object(), "attributeType") : "Actual";
        if (wanted.component == v.component && wanted.component_instance == v.component_instance &&
            wanted.evse_id == v.evse_id && wanted.connector_id == v.connector_id && wanted.variable == v.variable &&
            wanted.variable_instance == v.variable_instance && type == v.attribute_type) {
          v.value = str(a.as_object(), "attributeValue");
          confirmed.push_back(v);
          break;
        }
      }
    }
  }
  if (confirmed.empty()) return;
  services_.stations.record_variables(
      who_, std::move(confirmed), [station = who_.id.str()](const Outcome<services::Done> &o) {
        if (!o.ok()) core::log(core::Component::Ocpp).error("[{}] could not store variables: {}", station, o.error());
      });
}

template <class V> void Dispatcher<V>::data_transfer(const json::value &payload, Responder r) {
  const auto &p = payload.as_object();
  services::DataTransferRequest dt{str(p, "vendorId"), std::nullopt, std::nullopt};
  if (p.contains("messageId")) dt.message_id = str(p, "messageId");
  if (const auto *data = p.if_contains("data"))
    dt.data = data->is_string() ? std::string(data->get_string()) : json::serialize(*data);
  services_.stations.data_transfer(
      who_, std::move(dt), json::serialize(payload), [r](Outcome<services::DataTransferResult> o) mutable {
        if (!o.ok()) return r.error(RpcError::InternalError, "could not record the data transfer");
        static constexpr std::string_view names[] = {"Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"};
        json::object res{{"status", names[static_cast<int>(o.value().status)]}};
        if (o.value().data) res["data"] = *o.value().data;
        r.result(std::move(res));
      });
}

template void Dispatcher<V201>::boot_notification(const json::value &, Responder);
template void Dispatcher<V201>::request_base_report();
template void Dispatcher<V201>::notify_report(const json::value &, Responder);
template void Dispatcher<V201>::variables_confirmed(const std::string &, const json::value &, const json::value &);
template void Dispatcher<V201>::data_transfer(const json::value &, Responder);
template void Dispatcher<V21>::boot_notification(const json::value &, Responder);
template void Dispatcher<V21>::request_base_report();
template void Dispatcher<V21>::notify_report(const json::value &, Responder);
template void Dispatcher<V21>::variables_confirmed(const std::string &, const json::value &, const json::value &);
template void Dispatcher<V21>::data_transfer(const json::value &, Responder);

} // namespace gridlane::ocpp::v2
