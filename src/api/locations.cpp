// Locations, and a station's EVSEs and connectors (docs/locations.md). The rules are
// services::LocationService's; this file reads requests and writes answers.
#include "gridlane/api/locations.hpp"

#include "gridlane/core/logging.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

//! A ServiceError as the API's status (E's one mapping for every resource replaces this).
int http_status(const ServiceError &e) {
  switch (e.code) {
  case ServiceError::Code::Invalid: return 422;
  case ServiceError::Code::NotFound: return 404;
  case ServiceError::Code::Conflict: return 409;
  case ServiceError::Code::Forbidden: return 403;
  case ServiceError::Code::Unavailable: return 503;
  case ServiceError::Code::Internal: return 500;
  }
  return 500;
}

Problem problem_of(const ServiceError &e) {
  return Problem{http_status(e), e.message};
}

//! What a unit of work answers: a status and body, or a problem (nothing written then: every
//! rule is checked before the first write).
struct Answer {
  int status = 200;
  json::value body;
  std::optional<Problem> problem;
};
Answer refused(const ServiceError &e) {
  return Answer{0, nullptr, problem_of(e)};
}

void respond(const CtxPtr &c, std::function<Answer(Repository &)> fn) {
  services::run_unit<Answer>(c->api->store, std::move(fn), [c](services::Outcome<Answer> o) {
    if (!o.ok()) {
      core::logger("api")->error("{} {}: {}", c->req.method, c->req.path, o.error());
      return c->problem(500, "internal error");
    }
    if (o.value().problem) return c->problem(o.value().problem->status, o.value().problem->detail);
    c->reply(o.value().status, o.value().body);
  });
}

LocationId location_id(const CtxPtr &c) {
  auto id = LocationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such location"};
  return *id;
}

StationId station_id(const CtxPtr &c) {
  auto id = StationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such station"};
  return *id;
}

//! The {id} of /evses/{id}: an EVSE's uid; 404 for anything else.
EvseUid evse_uid(const CtxPtr &c) {
  return EvseUid{c->numeric_id("EVSE")};
}

json::object page_of(json::array items, std::size_t limit, std::size_t offset) {
  auto n = items.size();
  json::object out{{"items", std::move(items)}, {"limit", limit}, {"offset", offset}};
  out["next_offset"] = n == limit ? json::value(offset + limit) : json::value(nullptr);
  return out;
}

json::object location_detail(Repository &r, const Location &l) {
  auto j = location_json(l);
  json::array stations;
  for (const auto &id : r.location_stations(l.id))
    stations.push_back(json::string(id.str()));
  j["stations"] = std::move(stations);
  return j;
}

const services::LocationService &rules(const CtxPtr &c) {
  return c->api->locations;
}

} // namespace

void list_locations(const CtxPtr &c) {
  LocationFilter f;
  f.limit = c->limit();
  f.offset = c->offset();
  const auto &q = c->req.query;
  if (auto it = q.find("name"); it != q.end()) f.name = it->second;
  if (auto it = q.find("city"); it != q.end()) f.city = it->second;
  if (auto it = q.find("country"); it != q.end()) f.country = it->second;
  if (auto it = q.find("publish"); it != q.end()) {
    if (it->second != "true" && it->second != "false") throw Problem{400, "publish must be true or false"};
    f.publish = it->second == "true";
  }
  const auto &service = rules(c);
  respond(c, [f, &service](Repository &r) {
    json::array items;
    for (const auto &l : service.locations(r, f))
      items.push_back(location_json(l));
    return Answer{200, page_of(std::move(items), f.limit, f.offset), std::nullopt};
  });
}

void create_location(const CtxPtr &c) {
  Location draft;
  if (auto ok = apply_location_fields(c->body(), draft, true); !ok) throw problem_of(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [draft, now, &service](Repository &r) {
    auto l = service.create_location(r, draft, now);
    if (!l) return refused(l.error());
    return Answer{201, location_detail(r, *l), std::nullopt};
  });
}

void get_location(const CtxPtr &c) {
  auto id = location_id(c);
  const auto &service = rules(c);
  respond(c, [id, &service](Repository &r) {
    auto l = service.location(r, id);
    if (!l) return refused(l.error());
    return Answer{200, location_detail(r, *l), std::nullopt};
  });
}

void update_location(const CtxPtr &c) {
  auto id = location_id(c);
  auto body = c->body();
  if (const auto *v = body.if_contains("id"); v && !(v->is_string() && v->get_string() == id.str()))
    throw Problem{422, "a location's id never changes"};
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [id, body = std::move(body), now, &service](Repository &r) {
    auto current = service.location(r, id);
    if (!current) return refused(current.error());
    auto changed = *current;
    if (auto ok = apply_location_fields(body, changed, false); !ok) return refused(ok.error());
    auto l = service.update_location(r, changed, now);
    if (!l) return refused(l.error());
    return Answer{200, location_detail(r, *l), std::nullopt};
  });
}

void delete_location(const CtxPtr &c) {
  auto id = location_id(c);
  const auto &service = rules(c);
  respond(c, [id, &service](Repository &r) {
    if (auto ok = service.delete_location(r, id); !ok) return refused(ok.error());
    return Answer{204, nullptr, std::nullopt};
  });
}

void set_station_location(const CtxPtr &c) {
  auto id = station_id(c);
  auto b = c->body();
  const auto *v = b.if_contains("location_id");
  if (!v || !(v->is_string() || v->is_null()))
    throw Problem{422, "'location_id' must be a location's id, or null to clear it"};
  std::optional<LocationId> location;
  if (v->is_string()) {
    location = LocationId::parse(v->get_string());
    if (!location) throw Problem{422, "no such location"};
  }
  const auto &service = rules(c);
  respond(c, [id, location, &service](Repository &r) {
    auto s = service.assign_station(r, id, location);
    if (!s) return refused(s.error());
    return Answer{200, station_json(*s, r.current_statuses(id)), std::nullopt};
  });
}

void list_station_evses(const CtxPtr &c) {
  auto id = station_id(c);
  auto limit = c->limit(), offset = c->offset();
  const auto &service = rules(c);
  respond(c, [id, limit, offset, &service](Repository &r) {
    auto evses = service.evses(r, id);
    if (!evses) return refused(evses.error());
    // A station's EVSEs are few (one per outlet): paged over the one query that reads them.
    json::array items;
    for (std::size_t i = offset; i < evses->size() && items.size() < limit; ++i)
      items.push_back(evse_json((*evses)[i]));
    return Answer{200, page_of(std::move(items), limit, offset), std::nullopt};
  });
}

void create_station_evse(const CtxPtr &c) {
  Evse draft;
  draft.station = station_id(c);
  auto body = c->body();
  const auto *n = body.if_contains("evse_id");
  if (!n || !n->is_int64() || n->get_int64() < 1 || n->get_int64() > max_wire_int)
    throw Problem{422, "'evse_id' (the OCPP evse id; a 1.6 station's connector id) must be a positive integer"};
  draft.evse_id = static_cast<int>(n->get_int64());
  services::EvseWrite how{false, true, false};
  if (auto ok = apply_evse_fields(body, draft, how.status_given); !ok) throw problem_of(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [draft, how, now, &service](Repository &r) {
    auto saved = service.put_evse(r, draft, how, now);
    if (!saved) return refused(saved.error());
    return Answer{201, evse_json(saved->value), std::nullopt};
  });
}

void get_evse(const CtxPtr &c) {
  auto uid = evse_uid(c);
  const auto &service = rules(c);
  respond(c, [uid, &service](Repository &r) {
    auto e = service.evse(r, uid);
    if (!e) return refused(e.error());
    return Answer{200, evse_json(*e), std::nullopt};
  });
}

void put_evse(const CtxPtr &c) {
  auto uid = evse_uid(c);
  auto body = c->body();
  for (const char *fixed : {"evse_id", "station_id", "uid"})
    if (body.contains(fixed)) throw Problem{422, std::string("'") + fixed + "' of an EVSE never changes"};
  Evse draft;
  services::EvseWrite how{false, false, true};
  if (auto ok = apply_evse_fields(body, draft, how.status_given); !ok) throw problem_of(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [uid, draft, how, now, &service](Repository &r) mutable {
    auto current = service.evse(r, uid);
    if (!current) return refused(current.error());
    draft.station = current->station;
    draft.evse_id = current->evse_id;
    auto saved = service.put_evse(r, draft, how, now);
    if (!saved) return refused(saved.error());
    return Answer{200, evse_json(saved->value), std::nullopt};
  });
}

void delete_evse(const CtxPtr &c) {
  auto uid = evse_uid(c);
  const auto &service = rules(c);
  respond(c, [uid, &service](Repository &r) {
    auto current = service.evse(r, uid);
    if (!current) return refused(current.error());
    if (auto ok = service.delete_evse(r, current->station, current->evse_id); !ok) return refused(ok.error());
    return Answer{204, nullptr, std::nullopt};
  });
}

void put_evse_connector(const CtxPtr &c) {
  auto uid = evse_uid(c);
  auto body = c->body();
  const auto *n = body.if_contains("connector_id");
  if (!n || !n->is_int64() || n->get_int64() < 1 || n->get_int64() > max_wire_int)
    throw Problem{422, "'connector_id' (the OCPP connector id within the EVSE) must be a positive integer"};
  auto connector = connector_from_json(body, static_cast<int>(n->get_int64()));
  if (!connector) throw problem_of(connector.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [uid, k = *connector, now, &service](Repository &r) {
    auto current = service.evse(r, uid);
    if (!current) return refused(current.error());
    auto saved = service.put_connector(r, current->station, current->evse_id, k, now);
    if (!saved) return refused(saved.error());
    return Answer{saved->created ? 201 : 200, evse_json(saved->value), std::nullopt};
  });
}

} // namespace gridlane::api
