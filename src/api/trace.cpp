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

json::object trace_json(const StationId &id, bool enabled) {
  return json::object{{"station_id", id.str()}, {"enabled", enabled}};
}

} // namespace

void get_station_trace(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto *trace = c->api->trace;
  if (!trace) return c->fail(ServiceError::unavailable("the trace switch is not available"));
  c->api->unit(c, 200, [id = *id, trace](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    return json::value(trace_json(id, trace->traced(id)));
  });
}

void put_station_trace(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto *trace = c->api->trace;
  if (!trace) return c->fail(ServiceError::unavailable("the trace switch is not available"));
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  for (const auto &[key, value] : *body) {
    if (key != "enabled")
      return c->fail(ServiceError::invalid("unknown property (only enabled is known)", std::string(key)));
  }
  const auto *enabled = body->if_contains("enabled");
  if (!enabled || !enabled->is_bool())
    return c->fail(ServiceError::invalid("enabled must be true or false", "enabled"));
  const bool on = enabled->get_bool();
  c->api->unit(
      c, 200,
      [id = *id, on](Repository &r) -> Result<json::value> {
        if (!r.station(id)) return ServiceError::not_found("no such station");
        return json::value(trace_json(id, on));
      },
      [trace, id = *id, on, actor = c->who.actor] {
        trace->set_traced(id, on);
        core::StationLog(core::Component::Api, id.str()).info("OCPP trace {} by {}", on ? "on" : "off", actor);
      });
}

} // namespace gridlane::api
