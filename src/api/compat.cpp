// Station compatibility settings: GET/PUT /stations/{id}/compat. Each setting accepts one
// documented deviation from the OCPP schemas from that station; all are off by default.
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_compat(services::CompatService &compat) {
  impl_->compat = &compat;
}

void get_station_compat(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    return json::value(compat_json(r.station_compat(id)));
  });
}

void put_station_compat(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  if (!c->api->compat) return c->fail(ServiceError::unavailable("compatibility settings are not available"));
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  // The whole set: a setting left out is off.
  StationCompat compat;
  for (const auto &[key, value] : *body) {
    bool *setting = key == "timestamps_without_offset"     ? &compat.timestamps_without_offset
                    : key == "extra_properties_in_answers" ? &compat.extra_properties_in_answers
                                                           : nullptr;
    if (!setting)
      return c->fail(ServiceError::invalid(
          "unknown setting (timestamps_without_offset and extra_properties_in_answers are known)", std::string(key)));
    if (!value.is_bool()) return c->fail(ServiceError::invalid("each setting is true or false", std::string(key)));
    *setting = value.get_bool();
  }
  c->api->compat->set(*id, compat, [c](services::Outcome<std::optional<StationCompat>> o) {
    if (!o.ok()) return c->problem(503, "try again later");
    if (!o.value()) return c->problem(404, "no such station");
    c->reply(200, compat_json(*o.value()));
  });
}

} // namespace gridlane::api
