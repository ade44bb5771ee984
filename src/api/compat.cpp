// Station compatibility settings: GET/PUT /stations/{id}/compat. Each setting accepts one
// documented deviation from the OCPP schemas from that station; all are off by default.
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_compat(services::CompatService &compat) {
  impl_->compat = &compat;
}

namespace {

StationId compat_station(const CtxPtr &c) {
  auto id = StationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such station"};
  return *id;
}

} // namespace

void get_station_compat(const CtxPtr &c) {
  auto id = compat_station(c);
  c->api->query(c, 200, [id](Repository &r) {
    if (!r.station(id)) throw Problem{404, "no such station"};
    return json::value(compat_json(r.station_compat(id)));
  });
}

void put_station_compat(const CtxPtr &c) {
  auto id = compat_station(c);
  if (!c->api->compat) throw Problem{503, "compatibility settings are not available"};
  // The whole set: a setting left out is off.
  StationCompat compat;
  for (const auto &[key, value] : c->body()) {
    bool *setting = key == "timestamps_without_offset"     ? &compat.timestamps_without_offset
                    : key == "extra_properties_in_answers" ? &compat.extra_properties_in_answers
                                                           : nullptr;
    if (!setting)
      throw Problem{422, "unknown setting (timestamps_without_offset and extra_properties_in_answers are known)"};
    if (!value.is_bool()) throw Problem{422, "each setting is true or false"};
    *setting = value.get_bool();
  }
  c->api->compat->set(id, compat, [c](services::Outcome<std::optional<StationCompat>> o) {
    if (!o.ok()) return c->problem(503, "try again later");
    if (!o.value()) return c->problem(404, "no such station");
    c->reply(200, compat_json(*o.value()));
  });
}

} // namespace gridlane::api
