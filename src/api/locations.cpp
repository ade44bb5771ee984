// Locations, and a station's EVSEs and connectors (docs/locations.md). The rules are
// services::LocationService's; this file reads requests and writes answers.
#include "gridlane/api/locations.hpp"

#include "gridlane/core/logging.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void respond(const CtxPtr &c, std::function<Result<Answer>(Repository &)> fn) {
  services::run_unit<Result<Answer>>(c->api->store, std::move(fn), [c](services::Outcome<Result<Answer>> o) {
    if (!o.ok()) {
      core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
      return c->problem(500, "internal error");
    }
    if (!o.value()) return c->fail(o.value().error());
    c->reply(o.value()->status, o.value()->body);
  });
}

namespace {

Result<LocationId> location_id(const CtxPtr &c) {
  auto id = LocationId::parse(c->path.at("id"));
  if (!id) return ServiceError::not_found("no such location");
  return *id;
}

//! The {id} of /evses/{id}: an EVSE's uid; 404 for anything else.
Result<EvseUid> evse_uid(const CtxPtr &c) {
  auto n = c->path_number("EVSE");
  if (!n) return n.error();
  return EvseUid{*n};
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
  auto page = c->page();
  if (!page) return c->fail(page.error());
  f.limit = page->limit;
  f.offset = page->offset;
  const auto &q = c->req.query;
  if (auto it = q.find("name"); it != q.end()) f.name = it->second;
  if (auto it = q.find("city"); it != q.end()) f.city = it->second;
  if (auto it = q.find("country"); it != q.end()) f.country = it->second;
  if (auto it = q.find("publish"); it != q.end()) {
    if (it->second != "true" && it->second != "false")
      return c->fail(bad_query("publish", "publish must be true or false"));
    f.publish = it->second == "true";
  }
  const auto &service = rules(c);
  respond(c, [f, &service](Repository &r) -> Result<Answer> {
    json::array items;
    for (const auto &l : service.locations(r, f))
      items.push_back(location_json(l));
    return Answer{200, page_of(std::move(items), f.limit, f.offset)};
  });
}

void create_location(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  Location draft;
  if (auto ok = apply_location_fields(*body, draft, true); !ok) return c->fail(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [draft, now, &service](Repository &r) -> Result<Answer> {
    auto l = service.create_location(r, draft, now);
    if (!l) return (l.error());
    return Answer{201, location_detail(r, *l)};
  });
}

void get_location(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = rules(c);
  respond(c, [id = *id, &service](Repository &r) -> Result<Answer> {
    auto l = service.location(r, id);
    if (!l) return (l.error());
    return Answer{200, location_detail(r, *l)};
  });
}

void update_location(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  auto body = std::move(*parsed);
  if (const auto *v = body.if_contains("id"); v && !(v->is_string() && v->get_string() == id->str()))
    return c->fail(ServiceError::invalid("a location's id never changes", "id"));
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [id = *id, body = std::move(body), now, &service](Repository &r) -> Result<Answer> {
    auto current = service.location(r, id);
    if (!current) return (current.error());
    auto changed = *current;
    if (auto ok = apply_location_fields(body, changed, false); !ok) return (ok.error());
    auto l = service.update_location(r, changed, now);
    if (!l) return (l.error());
    return Answer{200, location_detail(r, *l)};
  });
}

void delete_location(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = rules(c);
  respond(c, [id = *id, &service](Repository &r) -> Result<Answer> {
    if (auto ok = service.delete_location(r, id); !ok) return (ok.error());
    return Answer{204, nullptr};
  });
}

void set_station_location(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  const auto &b = *parsed;
  const auto *v = b.if_contains("location_id");
  if (!v || !(v->is_string() || v->is_null()))
    return c->fail(ServiceError::invalid("'location_id' must be a location's id, or null to clear it", "location_id"));
  std::optional<LocationId> location;
  if (v->is_string()) {
    location = LocationId::parse(v->get_string());
    if (!location) return c->fail(ServiceError::invalid("no such location", "location_id"));
  }
  const auto &service = rules(c);
  respond(c, [id = *id, location, &service](Repository &r) -> Result<Answer> {
    auto s = service.assign_station(r, id, location);
    if (!s) return (s.error());
    return Answer{200, station_json(*s, r.current_statuses(id))};
  });
}

void list_station_evses(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto limit = page->limit, offset = page->offset;
  const auto &service = rules(c);
  respond(c, [id = *id, limit, offset, &service](Repository &r) -> Result<Answer> {
    auto evses = service.evses(r, id);
    if (!evses) return (evses.error());
    // A station's EVSEs are few (one per outlet): paged over the one query that reads them.
    json::array items;
    for (std::size_t i = offset; i < evses->size() && items.size() < limit; ++i)
      items.push_back(evse_json((*evses)[i]));
    return Answer{200, page_of(std::move(items), limit, offset)};
  });
}

void create_station_evse(const CtxPtr &c) {
  Evse draft;
  auto station = c->path_station();
  if (!station) return c->fail(station.error());
  draft.station = *station;
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  auto body = std::move(*parsed);
  const auto *n = body.if_contains("evse_id");
  if (!n || !n->is_int64() || n->get_int64() < 1 || n->get_int64() > max_wire_int)
    return c->fail(ServiceError::invalid(
        "'evse_id' (the OCPP evse id; a 1.6 station's connector id) must be a positive integer", "evse_id"));
  draft.evse_id = static_cast<int>(n->get_int64());
  services::EvseWrite how{false, true, false};
  if (auto ok = apply_evse_fields(body, draft, how.status_given); !ok) return c->fail(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [draft, how, now, &service](Repository &r) -> Result<Answer> {
    auto saved = service.put_evse(r, draft, how, now);
    if (!saved) return (saved.error());
    return Answer{201, evse_json(saved->value)};
  });
}

void get_evse(const CtxPtr &c) {
  auto uid = evse_uid(c);
  if (!uid) return c->fail(uid.error());
  const auto &service = rules(c);
  respond(c, [uid = *uid, &service](Repository &r) -> Result<Answer> {
    auto e = service.evse(r, uid);
    if (!e) return (e.error());
    return Answer{200, evse_json(*e)};
  });
}

void put_evse(const CtxPtr &c) {
  auto uid = evse_uid(c);
  if (!uid) return c->fail(uid.error());
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  auto body = std::move(*parsed);
  for (const char *fixed : {"evse_id", "station_id", "uid"})
    if (body.contains(fixed))
      return c->fail(ServiceError::invalid(std::string("'") + fixed + "' of an EVSE never changes", fixed));
  Evse draft;
  services::EvseWrite how{false, false, true};
  if (auto ok = apply_evse_fields(body, draft, how.status_given); !ok) return c->fail(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [uid = *uid, draft, how, now, &service](Repository &r) mutable -> Result<Answer> {
    auto current = service.evse(r, uid);
    if (!current) return (current.error());
    draft.station = current->station;
    draft.evse_id = current->evse_id;
    auto saved = service.put_evse(r, draft, how, now);
    if (!saved) return (saved.error());
    return Answer{200, evse_json(saved->value)};
  });
}

void delete_evse(const CtxPtr &c) {
  auto uid = evse_uid(c);
  if (!uid) return c->fail(uid.error());
  const auto &service = rules(c);
  respond(c, [uid = *uid, &service](Repository &r) -> Result<Answer> {
    auto current = service.evse(r, uid);
    if (!current) return (current.error());
    if (auto ok = service.delete_evse(r, current->station, current->evse_id); !ok) return (ok.error());
    return Answer{204, nullptr};
  });
}

void put_evse_connector(const CtxPtr &c) {
  auto uid = evse_uid(c);
  if (!uid) return c->fail(uid.error());
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  auto body = std::move(*parsed);
  const auto *n = body.if_contains("connector_id");
  if (!n || !n->is_int64() || n->get_int64() < 1 || n->get_int64() > max_wire_int)
    return c->fail(ServiceError::invalid(
        "'connector_id' (the OCPP connector id within the EVSE) must be a positive integer", "connector_id"));
  auto connector = connector_from_json(body, static_cast<int>(n->get_int64()));
  if (!connector) return c->fail(connector.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond(c, [uid = *uid, k = *connector, now, &service](Repository &r) -> Result<Answer> {
    auto current = service.evse(r, uid);
    if (!current) return (current.error());
    auto saved = service.put_connector(r, current->station, current->evse_id, k, now);
    if (!saved) return (saved.error());
    return Answer{saved->created ? 201 : 200, evse_json(saved->value)};
  });
}

} // namespace gridlane::api
