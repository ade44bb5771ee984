// Energy management's configuration and live picture (docs/api.md, "Energy management"). The
// codec is energy_json.cpp, the rules services::EnergyConfigService's; after a write commits,
// the energy manager (EnergyControl, when one runs) is told to reload the site or re-plan the
// session. Without an energy manager the configuration is still kept (it is read when one
// starts) and the live picture answers 503.
#include <charconv>

#include "gridlane/api/energy_json.hpp"
#include "gridlane/core/logging.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

Result<LocationId> location_id(const CtxPtr &c) {
  auto id = LocationId::parse(c->path.at("id"));
  if (!id) return ServiceError::not_found("no such location");
  return *id;
}

Result<int> evse_number(const std::string &text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < 0)
    return ServiceError::not_found("no such EVSE");
  return n;
}

const services::EnergyConfigService &rules(const CtxPtr &c) {
  return c->api->energy_config;
}

//! Tells the energy manager, if one runs, after a commit; its failure is logged, never answered
//! (the configuration is stored: the manager reads it again at its next reload).
void tell(const CtxPtr &c, const std::function<void(services::EnergyControl &)> &what) {
  auto *energy = c->api->energy;
  if (!energy) return;
  try {
    what(*energy);
  } catch (const std::exception &e) {
    core::log(core::Component::Api).error("{} {}: the energy manager failed: {}", c->req.method, c->req.path, e.what());
  }
}

//! Like respond(), and runs `after` once a successful unit committed, before the answer.
void respond_then(const CtxPtr &c, std::function<Result<Answer>(Repository &)> fn, std::function<void()> after) {
  services::run_unit<Result<Answer>>(
      c->api->store, std::move(fn), [c, after = std::move(after)](services::Outcome<Result<Answer>> o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        if (!o.value()) return c->fail(o.value().error());
        if (after) after();
        c->reply(o.value()->status, o.value()->body);
      });
}

//! A write to a site: answered, then the site reloaded.
void site_write(const CtxPtr &c, const LocationId &location, std::function<Result<Answer>(Repository &)> fn) {
  respond_then(c, std::move(fn), [c, location] { tell(c, [&](services::EnergyControl &e) { e.reload(location); }); });
}

//! ?from and ?to (RFC 3339), each defaulting to now plus the offset given.
Result<std::pair<Timestamp, Timestamp>> window(const CtxPtr &c, std::chrono::hours from_offset,
                                               std::chrono::hours to_offset) {
  const auto now = c->api->clock.now();
  std::pair<Timestamp, Timestamp> w{now + from_offset, now + to_offset};
  for (auto [name, slot] : {std::pair{"from", &w.first}, std::pair{"to", &w.second}}) {
    if (auto text = c->query_param(name)) {
      auto t = core::parse_iso8601(*text);
      if (!t) return bad_query(name, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-11-01T00:00:00Z");
      *slot = *t;
    }
  }
  return w;
}

//! One page of `items` as the page object of every list (the collections are read whole: a
//! site's tree or a bounded window; the answer is bounded by the page).
template <class T, class F> json::object page_of(const std::vector<T> &items, const PageRequest &page, F f) {
  json::array out;
  for (std::size_t i = page.offset; i < items.size() && i < page.offset + page.limit; ++i)
    out.push_back(f(items[i]));
  return page_json(std::move(out), page, static_cast<std::int64_t>(items.size()));
}

} // namespace

// ---- the grid connection --------------------------------------------------------------------

void get_energy_grid(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = rules(c);
  respond(c, [id = *id, &service](Repository &r) -> Result<Answer> {
    auto g = service.grid(r, id);
    if (!g) return g.error();
    return Answer{200, grid_json(*g)};
  });
}

void put_energy_grid(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto g = grid_from_json(*body, *id);
  if (!g) return c->fail(g.error());
  const auto now = c->api->clock.now();
  const auto &service = rules(c);
  site_write(c, *id, [g = std::move(*g), now, &service](Repository &r) -> Result<Answer> {
    auto saved = service.put_grid(r, g, now);
    if (!saved) return saved.error();
    return Answer{saved->created ? 201 : 200, grid_json(saved->value)};
  });
}

void delete_energy_grid(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = rules(c);
  site_write(c, *id, [id = *id, &service](Repository &r) -> Result<Answer> {
    if (auto ok = service.delete_grid(r, id); !ok) return ok.error();
    return Answer{204, nullptr};
  });
}

// ---- circuits -------------------------------------------------------------------------------

void list_energy_circuits(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  respond(c, [id = *id, page = *page, &service](Repository &r) -> Result<Answer> {
    auto all = service.circuits(r, id);
    if (!all) return all.error();
    return Answer{200, page_of(*all, page, circuit_json)};
  });
}

void get_energy_circuit(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = rules(c);
  respond(c, [id = *id, cid = c->path.at("cid"), &service](Repository &r) -> Result<Answer> {
    auto one = service.circuit(r, id, cid);
    if (!one) return one.error();
    return Answer{200, circuit_json(*one)};
  });
}

void put_energy_circuit(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &cid = c->path.at("cid");
  if (!services::is_circuit_id(cid))
    return c->fail(ServiceError::invalid("a circuit id is 1 to 36 of A-Z a-z 0-9 . _ -", "id"));
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto circuit = circuit_from_json(*body, *id, cid);
  if (!circuit) return c->fail(circuit.error());
  const auto now = c->api->clock.now();
  const auto &service = rules(c);
  site_write(c, *id, [circuit = std::move(*circuit), now, &service](Repository &r) -> Result<Answer> {
    auto saved = service.put_circuit(r, circuit, now);
    if (!saved) return saved.error();
    return Answer{saved->created ? 201 : 200, circuit_json(saved->value)};
  });
}

void delete_energy_circuit(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = rules(c);
  site_write(c, *id, [id = *id, cid = c->path.at("cid"), &service](Repository &r) -> Result<Answer> {
    if (auto ok = service.delete_circuit(r, id, cid); !ok) return ok.error();
    return Answer{204, nullptr};
  });
}

// ---- EVSE attachments -----------------------------------------------------------------------

void list_energy_evses(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  respond(c, [id = *id, page = *page, &service](Repository &r) -> Result<Answer> {
    auto all = service.attachments(r, id);
    if (!all) return all.error();
    return Answer{200, page_of(*all, page, attachment_json)};
  });
}

namespace {
struct EvsePath {
  LocationId location;
  StationId station;
  int evse_id;
};
Result<EvsePath> evse_path(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return id.error();
  auto station = StationId::parse(c->path.at("station"));
  if (!station) return ServiceError::not_found("no such station");
  auto evse = evse_number(c->path.at("evse"));
  if (!evse) return evse.error();
  return EvsePath{*id, *station, *evse};
}
} // namespace

void put_energy_evse(const CtxPtr &c) {
  auto p = evse_path(c);
  if (!p) return c->fail(p.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto a = attachment_from_json(*body, p->station, p->evse_id);
  if (!a) return c->fail(a.error());
  const auto now = c->api->clock.now();
  const auto &service = rules(c);
  site_write(c, p->location, [loc = p->location, a = std::move(*a), now, &service](Repository &r) -> Result<Answer> {
    auto saved = service.put_attachment(r, loc, a, now);
    if (!saved) return saved.error();
    return Answer{saved->created ? 201 : 200, attachment_json(saved->value)};
  });
}

void delete_energy_evse(const CtxPtr &c) {
  auto p = evse_path(c);
  if (!p) return c->fail(p.error());
  const auto &service = rules(c);
  site_write(c, p->location, [p = *p, &service](Repository &r) -> Result<Answer> {
    if (auto ok = service.delete_attachment(r, p.location, p.station, p.evse_id); !ok) return ok.error();
    return Answer{204, nullptr};
  });
}

// ---- series and prices ----------------------------------------------------------------------

void put_energy_series(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto kind = parse_series_kind(c->path.at("kind"));
  if (!kind) return c->fail(ServiceError::not_found("no such series: building_load, pv, battery or site_meter"));
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto points = series_from_json(*body);
  if (!points) return c->fail(points.error());
  const auto &service = rules(c);
  site_write(c, *id, [id = *id, kind = *kind, points = std::move(*points), &service](Repository &r) -> Result<Answer> {
    auto n = service.put_series(r, id, kind, points);
    if (!n) return n.error();
    return Answer{200, json::object{{"stored", *n}}};
  });
}

void get_energy_series(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto kind = parse_series_kind(c->path.at("kind"));
  if (!kind) return c->fail(ServiceError::not_found("no such series: building_load, pv, battery or site_meter"));
  auto w = window(c, std::chrono::hours(-24), std::chrono::hours(24));
  if (!w) return c->fail(w.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  respond(c, [id = *id, kind = *kind, w = *w, page = *page, &service](Repository &r) -> Result<Answer> {
    auto points = service.series(r, id, kind, w.first, w.second);
    if (!points) return points.error();
    auto out = page_of(*points, page, series_point_json);
    out["kind"] = to_string(kind);
    return Answer{200, std::move(out)};
  });
}

void put_energy_prices(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto points = prices_from_json(*body);
  if (!points) return c->fail(points.error());
  const auto &service = rules(c);
  site_write(c, *id, [id = *id, points = std::move(*points), &service](Repository &r) -> Result<Answer> {
    auto n = service.put_prices(r, id, points);
    if (!n) return n.error();
    return Answer{200, json::object{{"stored", *n}}};
  });
}

void get_energy_prices(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto w = window(c, std::chrono::hours(-24), std::chrono::hours(48));
  if (!w) return c->fail(w.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  respond(c, [id = *id, w = *w, page = *page, &service](Repository &r) -> Result<Answer> {
    auto points = service.prices(r, id, w.first, w.second);
    if (!points) return points.error();
    return Answer{200, page_of(*points, page, price_json)};
  });
}

void delete_energy_prices(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  if (!c->query_param("from") || !c->query_param("to"))
    return c->fail(bad_query(c->query_param("from") ? "to" : "from", "from and to are required"));
  auto w = window(c, std::chrono::hours(0), std::chrono::hours(0));
  if (!w) return c->fail(w.error());
  const auto &service = rules(c);
  site_write(c, *id, [id = *id, w = *w, &service](Repository &r) -> Result<Answer> {
    auto n = service.delete_prices(r, id, w.first, w.second);
    if (!n) return n.error();
    return Answer{200, json::object{{"deleted", *n}}};
  });
}

// ---- demand response ------------------------------------------------------------------------

void create_energy_dr(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto e = demand_response_from_json(*body, *id);
  if (!e) return c->fail(e.error());
  const auto now = c->api->clock.now();
  const auto &service = rules(c);
  site_write(c, *id, [e = std::move(*e), now, &service](Repository &r) -> Result<Answer> {
    auto added = service.add_demand_response(r, e, now);
    if (!added) return added.error();
    return Answer{201, demand_response_json(*added)};
  });
}

void list_energy_dr(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto w = window(c, std::chrono::hours(-24), std::chrono::hours(24 * 30));
  if (!w) return c->fail(w.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  respond(c, [id = *id, w = *w, page = *page, &service](Repository &r) -> Result<Answer> {
    auto events = service.demand_response(r, id, w.first, w.second);
    if (!events) return events.error();
    return Answer{200, page_of(*events, page, demand_response_json)};
  });
}

void delete_energy_dr(const CtxPtr &c) {
  auto n = c->path_number("demand-response event");
  if (!n) return c->fail(n.error());
  const auto &service = rules(c);
  auto site = std::make_shared<std::optional<LocationId>>();
  respond_then(
      c,
      [n = *n, site, &service](Repository &r) -> Result<Answer> {
        auto removed = service.delete_demand_response(r, n);
        if (!removed) return removed.error();
        *site = removed->location;
        return Answer{204, nullptr};
      },
      [c, site] {
        if (*site) tell(c, [&](services::EnergyControl &e) { e.reload(**site); });
      });
}

// ---- priorities -----------------------------------------------------------------------------

namespace {
//! A priority change concerns every site: each managed location is reloaded.
void every_site_write(const CtxPtr &c, std::function<Result<Answer>(Repository &)> fn) {
  auto sites = std::make_shared<std::vector<LocationId>>();
  const auto &service = rules(c);
  respond_then(
      c,
      [fn = std::move(fn), sites, &service](Repository &r) -> Result<Answer> {
        auto a = fn(r);
        if (a) *sites = service.managed_locations(r);
        return a;
      },
      [c, sites] {
        tell(c, [&](services::EnergyControl &e) {
          for (const auto &l : *sites)
            e.reload(l);
        });
      });
}
} // namespace

void list_energy_priorities(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  respond(c, [page = *page, &service](Repository &r) -> Result<Answer> {
    return Answer{200, page_of(service.priorities(r), page, priority_json)};
  });
}

void get_energy_priority(const CtxPtr &c) {
  const auto &service = rules(c);
  respond(c, [group = c->path.at("group"), &service](Repository &r) -> Result<Answer> {
    auto p = service.priority(r, group);
    if (!p) return p.error();
    return Answer{200, priority_json(*p)};
  });
}

void put_energy_priority(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto p = priority_from_json(*body, c->path.at("group"));
  if (!p) return c->fail(p.error());
  const auto &service = rules(c);
  every_site_write(c, [p = std::move(*p), &service](Repository &r) -> Result<Answer> {
    auto saved = service.put_priority(r, p);
    if (!saved) return saved.error();
    return Answer{saved->created ? 201 : 200, priority_json(saved->value)};
  });
}

void delete_energy_priority(const CtxPtr &c) {
  const auto &service = rules(c);
  every_site_write(c, [group = c->path.at("group"), &service](Repository &r) -> Result<Answer> {
    if (auto ok = service.delete_priority(r, group); !ok) return ok.error();
    return Answer{204, nullptr};
  });
}

// ---- departure needs ------------------------------------------------------------------------

void get_departure(const CtxPtr &c) {
  auto n = c->path_number("transaction");
  if (!n) return c->fail(n.error());
  const auto &service = rules(c);
  respond(c, [n = *n, &service](Repository &r) -> Result<Answer> {
    auto need = service.departure(r, n);
    if (!need) return need.error();
    return Answer{200, departure_json(*need)};
  });
}

void put_departure(const CtxPtr &c) {
  auto n = c->path_number("transaction");
  if (!n) return c->fail(n.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto need = departure_from_json(*body, *n);
  if (!need) return c->fail(need.error());
  const auto now = c->api->clock.now();
  const auto &service = rules(c);
  respond_then(
      c,
      [need = std::move(*need), now, &service](Repository &r) -> Result<Answer> {
        auto saved = service.put_departure(r, need, now);
        if (!saved) return saved.error();
        return Answer{200, departure_json(*saved)};
      },
      [c, n = *n] { tell(c, [&](services::EnergyControl &e) { e.need_changed(n); }); });
}

// ---- the live picture -----------------------------------------------------------------------

void Api::set_energy(services::EnergyControl &energy) {
  impl_->energy = &energy;
}

void get_energy_picture(const CtxPtr &c) {
  auto id = location_id(c);
  if (!id) return c->fail(id.error());
  auto *energy = c->api->energy;
  if (!energy) return c->problem(503, "energy management is not running ([energy] enabled = false)");
  energy->picture(*id, [c](services::Outcome<std::optional<EnergyPicture>> o) {
    if (!o.ok()) {
      core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
      return c->problem(500, "internal error");
    }
    if (!o.value()) return c->fail(ServiceError::not_found("the location has no grid connection"));
    c->reply(200, picture_json(*o.value()));
  });
}

} // namespace gridlane::api
