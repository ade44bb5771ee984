// OCPP 2.x block N, diagnostics and monitoring, from the station: NotifyEvent (stored and
// published as MonitoringEventReported), NotifyMonitoringReport (the station's monitors) and
// NotifyCustomerInformation, decoded here and handed to services::DiagnosticsService. Without
// one, they are kept as station events only. LogStatusNotification is kept (dispatcher.cpp).
#include <boost/json.hpp>
#include <limits>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/diagnostics_names.hpp"
#include "gridlane/services/diagnostics_service.hpp"
#include "v2/dispatcher.hpp"

namespace gridlane::ocpp::v2 {
namespace json = boost::json;
using services::Outcome;

namespace {

//! A wire value that does not fit what Gridlane keeps: answered PropertyConstraintViolation.
struct OutOfRange {
  std::string what;
};

std::string text(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string{};
}
std::optional<std::string> opt_text(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}
//! An integer in [min, max_wire_int]; the schema made it an integer already.
std::int64_t integer(const json::object &o, std::string_view key, std::int64_t min) {
  const auto &v = o.at(key);
  if (!v.is_int64() || v.get_int64() < min || v.get_int64() > domain::max_wire_int)
    throw OutOfRange{std::string(key) + " is out of range"};
  return v.get_int64();
}
std::optional<std::int64_t> opt_integer(const json::object &o, std::string_view key, std::int64_t min) {
  if (!o.contains(key)) return std::nullopt;
  return integer(o, key, min);
}
domain::Timestamp time_of(const json::object &o, std::string_view key) {
  auto t = core::parse_iso8601(o.at(key).as_string());
  if (!t) throw OutOfRange{std::string(key) + " is not a date-time Gridlane can read"};
  return *t;
}

domain::ComponentVariable where_of(const json::object &o) {
  domain::ComponentVariable w;
  const auto &c = o.at("component").as_object();
  w.component = text(c, "name");
  w.component_instance = opt_text(c, "instance");
  if (const auto *evse = c.if_contains("evse")) {
    const auto &e = evse->as_object();
    w.evse_id = integer(e, "id", 0);
    w.connector_id = opt_integer(e, "connectorId", 0);
  }
  const auto &v = o.at("variable").as_object();
  w.variable = text(v, "name");
  w.variable_instance = opt_text(v, "instance");
  return w;
}

std::vector<domain::MonitoringEvent> events_of(const json::object &p) {
  std::vector<domain::MonitoringEvent> out;
  for (const auto &item : p.at("eventData").as_array()) {
    const auto &d = item.as_object();
    domain::MonitoringEvent e;
    e.event_id = integer(d, "eventId", 0);
    e.occurred_at = time_of(d, "timestamp");
    // The schema's enum: every name is in the table.
    e.trigger = domain::value_of(domain::event_triggers, text(d, "trigger")).value_or(domain::EventTrigger::Alerting);
    e.cause = opt_integer(d, "cause", 0);
    e.actual_value = text(d, "actualValue");
    e.tech_code = opt_text(d, "techCode");
    e.tech_info = opt_text(d, "techInfo");
    if (const auto *c = d.if_contains("cleared")) e.cleared = c->as_bool();
    e.transaction_id = opt_text(d, "transactionId");
    e.where = where_of(d);
    e.monitor_id = opt_integer(d, "variableMonitoringId", 0);
    e.notification = domain::value_of(domain::event_notifications, text(d, "eventNotificationType"))
                         .value_or(domain::EventNotification::HardWiredNotification);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<domain::StationMonitor> monitors_of(const json::object &p, std::int64_t request_id) {
  std::vector<domain::StationMonitor> out;
  const auto *list = p.if_contains("monitor");
  if (!list) return out;
  for (const auto &item : list->as_array()) {
    const auto &d = item.as_object();
    auto where = where_of(d);
    for (const auto &vm : d.at("variableMonitoring").as_array()) {
      const auto &m = vm.as_object();
      domain::StationMonitor s;
      s.monitor_id = integer(m, "id", 0);
      s.where = where;
      s.transaction = m.at("transaction").as_bool();
      const auto &value = m.at("value");
      auto exact = core::Decimal::from_wire(value.to_number<double>());
      if (!exact) throw OutOfRange{"a monitor's value is out of range"};
      s.value = *exact;
      auto type = domain::parse_enum<domain::MonitorType>(text(m, "type"));
      if (!type) throw OutOfRange{"a monitor's type is unknown"};
      s.type = *type;
      s.severity = integer(m, "severity", 0);
      if (s.severity > 9) throw OutOfRange{"a monitor's severity is above 9"};
      s.request_id = request_id;
      out.push_back(std::move(s));
    }
  }
  return out;
}

} // namespace

template <class V> void Dispatcher<V>::diagnostics(const std::string &action, const json::value &payload, Responder r) {
  auto *service = services_.diagnostics;
  if (!service) return kept(action, payload, std::move(r));
  auto answer = [r, station = who_.id.str(), action](const Outcome<services::Done> &o) mutable {
    if (!o.ok()) {
      core::log(core::Component::Ocpp).error("[{}] {} not stored: {}", station, action, o.error());
      return r.error(RpcError::InternalError, "could not store the message");
    }
    r.result(json::object{});
  };
  try {
    const auto &p = payload.as_object();
    auto text_payload = json::serialize(payload);
    if (action == "NotifyEvent") {
      integer(p, "seqNo", 0);
      return service->events(who_, events_of(p), std::move(text_payload), std::move(answer));
    }
    if (action == "NotifyMonitoringReport") {
      integer(p, "seqNo", 0);
      auto request_id = integer(p, "requestId", std::numeric_limits<std::int32_t>::min());
      return service->monitoring_report(who_, monitors_of(p, request_id), std::move(text_payload), std::move(answer));
    }
    // NotifyCustomerInformation
    domain::CustomerInformationPart part;
    part.request_id = integer(p, "requestId", std::numeric_limits<std::int32_t>::min());
    part.seq_no = integer(p, "seqNo", 0);
    part.data = text(p, "data");
    if (const auto *tbc = p.if_contains("tbc")) part.more_to_come = tbc->as_bool();
    part.generated_at = time_of(p, "generatedAt");
    return service->customer_information(who_, std::move(part), std::move(text_payload), std::move(answer));
  } catch (const OutOfRange &e) {
    return r.error(RpcError::PropertyConstraintViolation, e.what);
  }
}

template void Dispatcher<V201>::diagnostics(const std::string &, const json::value &, Responder);
template void Dispatcher<V21>::diagnostics(const std::string &, const json::value &, Responder);

} // namespace gridlane::ocpp::v2
