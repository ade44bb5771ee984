// The per-station OCPP trace switch: GET/PUT /stations/{id}/trace. While on, every frame in and
// out of the station is logged (ocpp::Connection); the switch lives in memory (ocpp::TraceSet).
#include "gridlane/core/logging.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_trace(StationTrace &trace) {
  impl_->trace = &trace;
}

namespace {

StationId trace_station(const CtxPtr &c) {
  auto id = StationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such station"};
  if (!c->api->trace) throw Problem{503, "the trace switch is not available"};
  return *id;
}

json::object trace_json(const StationId &id, bool enabled) {
  return json::object{{"station_id", id.str()}, {"enabled", enabled}};
}

} // namespace

void get_station_trace(const CtxPtr &c) {
  auto id = trace_station(c);
  auto *trace = c->api->trace;
  c->api->query(c, 200, [id, trace](Repository &r) {
    if (!r.station(id)) throw Problem{404, "no such station"};
    return json::value(trace_json(id, trace->traced(id)));
  });
}

void put_station_trace(const CtxPtr &c) {
  auto id = trace_station(c);
  auto body = c->body();
  for (const auto &[key, value] : body) {
    if (key != "enabled") throw Problem{422, "unknown property (only enabled is known)"};
  }
  const auto *enabled = body.if_contains("enabled");
  if (!enabled || !enabled->is_bool()) throw Problem{422, "enabled must be true or false"};
  const bool on = enabled->get_bool();
  auto *trace = c->api->trace;
  c->api->query(
      c, 200,
      [id, on](Repository &r) {
        if (!r.station(id)) throw Problem{404, "no such station"};
        return json::value(trace_json(id, on));
      },
      [trace, id, on, actor = c->who.actor] {
        trace->set_traced(id, on);
        core::StationLog(core::Component::Api, id.str()).info("OCPP trace {} by {}", on ? "on" : "off", actor);
      });
}

} // namespace gridlane::api
