// Tariffs in their OCPI 2.2.1 shape (docs/api.md, "Tariffs"): PUT creates or replaces, GET reads
// one or a page, DELETE removes. The codec (domain/tariff_codec.hpp) reads and writes the JSON;
// the rules are services::TariffService's.
#include "gridlane/core/logging.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

//! The {id} of /tariffs/{id}; 404 for what cannot be a tariff's id.
Result<std::string> tariff_id(const CtxPtr &c) {
  const auto &id = c->path.at("id");
  if (!is_tariff_id(id)) return ServiceError::not_found("no such tariff");
  return id;
}

Result<std::optional<Timestamp>> time_param(const CtxPtr &c, const char *name) {
  auto text = c->query_param(name);
  if (!text) return std::optional<Timestamp>{};
  auto t = parse_ocpi_time(*text);
  if (!t) return bad_query(name, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-11-01T00:00:00Z");
  return std::optional<Timestamp>{*t};
}

} // namespace

void list_tariffs(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  TariffFilter f;
  f.limit = page->limit;
  f.offset = page->offset;
  if (auto currency = c->query_param("currency")) {
    if (!core::Currency::parse(*currency))
      return c->fail(bad_query("currency", "currency must be an ISO 4217 code of three capital letters"));
    f.currency = *currency;
  }
  if (auto type = c->query_param("type")) {
    f.type = parse_tariff_type(*type);
    if (!f.type)
      return c->fail(bad_query("type", "type must be AD_HOC_PAYMENT, PROFILE_CHEAP, PROFILE_FAST, PROFILE_GREEN or "
                                       "REGULAR"));
  }
  auto from = time_param(c, "date_from");
  if (!from) return c->fail(from.error());
  auto to = time_param(c, "date_to");
  if (!to) return c->fail(to.error());
  f.updated_from = *from;
  f.updated_to = *to;
  const auto &service = c->api->tariffs;
  const PageRequest p = *page;
  respond(c, [f, p, &service](Repository &r) -> Result<Answer> {
    auto listed = service.list(r, f);
    json::array items;
    for (const auto &t : listed.items)
      items.push_back(tariff_to_json(t));
    return Answer{200, page_json(std::move(items), p, listed.total)};
  });
}

void get_tariff(const CtxPtr &c) {
  auto id = tariff_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = c->api->tariffs;
  respond(c, [id = *id, &service](Repository &r) -> Result<Answer> {
    auto t = service.get(r, id);
    if (!t) return t.error();
    return Answer{200, tariff_to_json(*t)};
  });
}

void put_tariff(const CtxPtr &c) {
  auto id = tariff_id(c);
  if (!id) return c->fail(id.error());
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  auto body = std::move(*parsed);
  // The path names the tariff; a body may leave its id out, but may not name another.
  if (const auto *v = body.if_contains("id")) {
    if (!v->is_string() || v->get_string() != *id)
      return c->fail(ServiceError::invalid("'id' must be the tariff id of the path, '" + *id + "'", "id"));
  } else {
    body["id"] = *id;
  }
  const auto now = c->api->clock.now();
  auto t = tariff_from_json(body, {.default_last_updated = now, .field_prefix = {}});
  if (!t) return c->fail(t.error());
  const auto &service = c->api->tariffs;
  respond(c, [t = std::move(*t), now, &service](Repository &r) -> Result<Answer> {
    auto saved = service.put(r, t, now);
    if (!saved) return saved.error();
    return Answer{saved->created ? 201 : 200, tariff_to_json(saved->tariff)};
  });
}

void delete_tariff(const CtxPtr &c) {
  auto id = tariff_id(c);
  if (!id) return c->fail(id.error());
  const auto &service = c->api->tariffs;
  respond(c, [id = *id, &service](Repository &r) -> Result<Answer> {
    if (auto ok = service.remove(r, id); !ok) return ok.error();
    return Answer{204, nullptr};
  });
}

} // namespace gridlane::api
