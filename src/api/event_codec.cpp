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
