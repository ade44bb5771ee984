#include "gridlane/api/event_codec.hpp"

#include <boost/json.hpp>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/commands.hpp"

namespace gridlane::api {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

template <class... F> struct overloaded : F... { using F::operator()...; };
template <class... F> overloaded(F...) -> overloaded<F...>;

//! A current in amperes, as the wire writes it (16.5, never 1.65E1).
double amperes(core::Current c) {
  return core::Decimal::from_units(c.count() * 1000).to_wire();
}

std::string_view name_of(const Event &e) {
  return std::visit(overloaded{
                        [](const StationConnected &) { return std::string_view{"station.connected"}; },
                        [](const StationDisconnected &) { return std::string_view{"station.disconnected"}; },
                        [](const StatusChanged &) { return std::string_view{"status.changed"}; },
                        [](const TransactionStarted &) { return std::string_view{"transaction.started"}; },
                        [](const TransactionUpdated &) { return std::string_view{"transaction.updated"}; },
                        [](const TransactionEnded &) { return std::string_view{"transaction.ended"}; },
                        [](const CommandFinished &) { return std::string_view{"command.finished"}; },
                        [](const EnergySetpointChanged &) { return std::string_view{"energy.setpoint"}; },
                        [](const EnergyAlert &) { return std::string_view{"energy.alert"}; },
                        [](const ProblemReported &) { return std::string_view{"report.created"}; },
                        [](const StationOffline &) { return std::string_view{"station.offline"}; },
                        [](const StationOnline &) { return std::string_view{"station.online"}; },
                        [](const FirmwareStatusChanged &) { return std::string_view{"firmware.status"}; },
                        [](const SecurityEventReported &) { return std::string_view{"security.event"}; },
                        [](const MonitoringEventReported &) { return std::string_view{"monitoring.event"}; },
                        [](const AuthorizationRefused &) { return std::string_view{"authorization.refused"}; },
                        [](const AlertChanged &) { return std::string_view{"alert.changed"}; },
                        [](const TicketChanged &) { return std::string_view{"ticket.changed"}; },
                    },
                    e);
}

//! The event's `data` object (docs/api.md, "Live events").
json::object data_of(const Event &e) {
  return std::visit(
      overloaded{
          [](const StationConnected &v) {
            return json::object{{"protocol", core::to_string(v.protocol)}};
          },
          [](const StationDisconnected &) { return json::object{}; },
          [](const StatusChanged &v) {
            return json::object{{"evse_id", v.report.evse_id},
                                {"connector_id", v.report.connector_id},
                                {"status", to_string(v.report.status)},
                                {"error_code", to_string(v.report.error_code)}};
          },
          [](const TransactionStarted &v) {
            const auto &t = v.transaction;
            json::object o{{"transaction_id", t.id}, {"id_tag", t.id_tag}};
            // The order the stream has always sent: a 1.6 start names its connector first.
            if (t.protocol == ProtocolVersion::Ocpp16) {
              o["connector_id"] = t.connector_id;
              o["evse_id"] = t.evse_id;
            } else {
              o["evse_id"] = t.evse_id;
              o["connector_id"] = t.connector_id;
            }
            if (t.remote_start_id) o["remote_start_id"] = *t.remote_start_id;
            return o;
          },
          [](const TransactionUpdated &v) {
            json::object o{{"transaction_id", v.transaction_id}};
            if (v.subject) {
              o["id_tag"] = v.subject->id_tag;
              o["evse_id"] = v.subject->evse_id;
              o["connector_id"] = v.subject->connector_id;
              if (v.subject->remote_start_id) o["remote_start_id"] = *v.subject->remote_start_id;
            }
            return o;
          },
          [](const TransactionEnded &v) {
            return json::object{{"transaction_id", v.transaction.id}};
          },
          [](const CommandFinished &v) {
            const auto &c = v.command;
            json::object o{{"command_id", c.id}, {"kind", domain::kind_of(c.command)}, {"status", to_string(c.status)}};
            if (c.transaction_id) o["transaction_id"] = *c.transaction_id;
            return o;
          },
          [](const EnergySetpointChanged &v) {
            const auto &s = v.setpoint;
            json::object o{{"location_id", v.location.str()},
                           {"evse_id", s.evse_id},
                           {"current_a", amperes(s.current)},
                           {"phases", s.phases},
                           {"paused", s.paused},
                           {"priority", s.priority}};
            if (s.transaction_id) o["transaction_id"] = *s.transaction_id;
            return o;
          },
          [](const EnergyAlert &v) {
            json::object o{{"location_id", v.location.str()},
                           {"kind", to_string(v.kind)},
                           {"given_a", amperes(v.given)},
                           {"measured_a", amperes(v.measured)},
                           {"detail", v.detail}};
            if (v.evse_id) o["evse_id"] = *v.evse_id;
            if (v.circuit) o["circuit"] = *v.circuit;
            return o;
          },
          [](const ProblemReported &v) {
            return json::object{
                {"report_id", v.report_id}, {"evse_id", v.evse_id}, {"category", to_string(v.category)}};
          },
          [](const StationOffline &v) {
            json::object o{{"reason", name_of(offline_reasons, v.reason)}};
            if (v.last_seen) o["last_seen"] = core::format_iso8601(*v.last_seen);
            return o;
          },
          [](const StationOnline &v) {
            return json::object{{"offline_since", core::format_iso8601(v.offline_since)}};
          },
          [](const FirmwareStatusChanged &v) {
            json::object o{{"status", name_of(firmware_states, v.status)}};
            if (v.request_id) o["request_id"] = *v.request_id;
            return o;
          },
          [](const SecurityEventReported &v) {
            json::object o{{"type", v.type}};
            if (v.tech_info) o["tech_info"] = *v.tech_info;
            return o;
          },
          [](const MonitoringEventReported &v) {
            json::object o{{"event_id", v.event_id},         {"trigger", name_of(event_triggers, v.trigger)},
                           {"component", v.component},       {"variable", v.variable},
                           {"actual_value", v.actual_value}, {"cleared", v.cleared}};
            if (v.evse_id) o["evse_id"] = *v.evse_id;
            if (v.tech_code) o["tech_code"] = *v.tech_code;
            return o;
          },
          [](const AuthorizationRefused &v) {
            return json::object{{"id_token", v.id_token}, {"status", to_string(v.status)}};
          },
          [](const AlertChanged &v) {
            return json::object{{"alert_id", v.alert_id},
                                {"rule_id", v.rule_id},
                                {"severity", name_of(alert_severities, v.severity)},
                                {"state", name_of(alert_states, v.state)},
                                {"summary", v.summary}};
          },
          [](const TicketChanged &v) {
            return json::object{{"ticket_id", v.ticket_id},
                                {"status", name_of(ticket_statuses, v.status)},
                                {"priority", name_of(ticket_priorities, v.priority)},
                                {"source", name_of(ticket_sources, v.source)},
                                {"title", v.title}};
          },
      },
      e);
}

} // namespace

std::string_view event_name(const Event &e) {
  return name_of(e);
}

EncodedEvent encode(const Event &e) {
  auto name = std::string(name_of(e));
  auto data = core::to_json_text(json::object{{"type", name},
                                              {"station_id", station_of(e).str()},
                                              {"at", core::format_iso8601(time_of(e))},
                                              {"data", data_of(e)}});
  return EncodedEvent{std::move(name), std::move(data)};
}

std::string sse_frame(const Event &e) {
  auto encoded = encode(e);
  return "event: " + encoded.name + "\ndata: " + encoded.data + "\n\n";
}

} // namespace gridlane::api
