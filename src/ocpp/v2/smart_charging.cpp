// OCPP 2.x block K, smart charging: what stations tell the CSMS about charging limits and
// schedules. Each message is decoded into domain values (domain/charging_schedule_codec.hpp),
// kept verbatim for audit like every station notification, and forwarded typed to the energy
// manager (services::SmartChargingReports) when one is wired. NotifyEVChargingNeeds is answered
// with the energy manager's status, Rejected when none is wired (K15.FR.xx: the CSMS will send
// no schedule); the others are answered at once (their answers carry nothing to decide, except
// NotifyEVChargingSchedule's status, Accepted: the CSMS keeps the vehicle's plan for reference).
#include <boost/json.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/charging_schedule_codec.hpp"
#include "v2/dispatcher.hpp"

namespace gridlane::ocpp::v2 {
namespace json = boost::json;

namespace {

std::string_view status_name(services::ChargingNeedsStatus s) {
  switch (s) {
  case services::ChargingNeedsStatus::Accepted: return "Accepted";
  case services::ChargingNeedsStatus::Processing: return "Processing";
  case services::ChargingNeedsStatus::Rejected: break;
  }
  return "Rejected";
}

//! Runs a call into the energy manager; what it throws is logged, never sent to the station.
//! False when it threw.
template <class Fn> bool guarded(const domain::StationId &station, std::string_view action, Fn &&fn) {
  try {
    fn();
    return true;
  } catch (const std::exception &e) {
    core::log(core::Component::Ocpp)
        .error("[{}] {} not handled by the energy manager: {}", station.str(), action, e.what());
  } catch (...) {
    core::log(core::Component::Ocpp).error("[{}] {} not handled by the energy manager", station.str(), action);
  }
  return false;
}

//! Keeps the message, then answers `answer` (or an internal error when it could not be kept).
void keep_and_answer(services::StationService &stations, const services::StationContext &who, const std::string &action,
                     std::string text, Responder r, json::value answer) {
  stations.record_event(who, action, std::move(text),
                        [r, answer = std::move(answer)](const services::Outcome<services::Done> &o) mutable {
                          if (!o.ok()) return r.error(RpcError::InternalError, "could not record the message");
                          r.result(std::move(answer));
                        });
}

} // namespace

template <class V>
void Dispatcher<V>::smart_charging(const std::string &action, const json::value &payload, Responder r) {
  forward_smart_charging(action, json::serialize(payload), services_.stations.clock().now(), std::move(r));
}

template <class V>
void Dispatcher<V>::forward_smart_charging(const std::string &action, const std::string &text,
                                           domain::Timestamp received_at, Responder r) {
  auto *energy = services_.smart_charging;
  const auto &station = who_.id;
  // The payload passed the schema; a decoder refusing it means a number out of range or a
  // shape Gridlane cannot represent: said to the station, nothing forwarded.
  auto refuse = [&r, &station, &action](const domain::ServiceError &e) {
    core::log(core::Component::Ocpp).warn("[{}] {} refused: {}", station.str(), action, e.message);
    r.error(RpcError::PropertyConstraintViolation, e.message);
  };

  if (action == "NotifyEVChargingNeeds") {
    auto report = domain::decode_charging_needs(text, received_at);
    if (!report) return refuse(report.error());
    if (!energy)
      return keep_and_answer(services_.stations, who_, action, text, r, json::object{{"status", "Rejected"}});
    auto &stations = services_.stations;
    auto who = who_;
    // Answered once the energy manager decided and the message is kept.
    const bool asked = guarded(station, action, [&] {
      energy->charging_needs(station, *report,
                             [&stations, who, action, text, r](services::Outcome<services::ChargingNeedsStatus> o) {
                               auto status = o.ok() ? status_name(o.value()) : std::string_view("Rejected");
                               keep_and_answer(stations, who, action, text, r, json::object{{"status", status}});
                             });
    });
    if (!asked) keep_and_answer(stations, who, action, text, r, json::object{{"status", "Rejected"}});
    return;
  }
  if (action == "NotifyEVChargingSchedule") {
    auto schedule = domain::decode_ev_charging_schedule(text);
    if (!schedule) return refuse(schedule.error());
    if (energy)
      guarded(station, action, [&] { energy->ev_schedule(station, schedule->evse_id, std::move(schedule->schedule)); });
    return keep_and_answer(services_.stations, who_, action, text, r, json::object{{"status", "Accepted"}});
  }
  if (action == "NotifyChargingLimit") {
    auto limit = domain::decode_charging_limit(station, text, received_at);
    if (!limit) return refuse(limit.error());
    if (energy) guarded(station, action, [&] { energy->charging_limit(std::move(*limit)); });
    return keep_and_answer(services_.stations, who_, action, text, r, json::object{});
  }
  if (action == "ClearedChargingLimit") {
    auto cleared = domain::decode_cleared_charging_limit(text);
    if (!cleared) return refuse(cleared.error());
    if (energy) guarded(station, action, [&] { energy->limit_cleared(station, cleared->evse_id, cleared->source); });
    return keep_and_answer(services_.stations, who_, action, text, r, json::object{});
  }
  // ReportChargingProfiles (K09/K10): one part of the answer to a GetChargingProfiles.
  auto report = domain::decode_report_charging_profiles(text);
  if (!report) return refuse(report.error());
  if (energy) guarded(station, action, [&] { energy->reported_profiles(station, std::move(*report)); });
  keep_and_answer(services_.stations, who_, action, text, r, json::object{});
}

template void Dispatcher<V201>::smart_charging(const std::string &, const json::value &, Responder);
template void Dispatcher<V21>::smart_charging(const std::string &, const json::value &, Responder);

} // namespace gridlane::ocpp::v2
