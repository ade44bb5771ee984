// Roaming partners (docs/api.md "OCPI partners", docs/ocpi.md "Connecting a partner"): admin
// routes under /ocpi/partners over ocpi::PartnerService. Creating a partner answers its token A
// once; no other answer ever shows a token. The routes that call the partner (register, rotate,
// unregister) run on the roaming worker pool.
#include "gridlane/ocpi/partners.hpp"

#include "gridlane/core/logging.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_roaming(ocpi::PartnerService &partners, services::BlockingRunner calls) {
  impl_->partners = &partners;
  impl_->roaming_calls = std::move(calls);
}

namespace {

std::string_view status_text(PartnerStatus s) {
  switch (s) {
  case PartnerStatus::Planned: return "planned";
  case PartnerStatus::Registered: return "registered";
  case PartnerStatus::Suspended: return "suspended";
  case PartnerStatus::Unregistered: return "unregistered";
  }
  return "planned";
}
std::string_view encoding_text(TokenEncoding e) {
  return e == TokenEncoding::Raw ? "raw" : "base64";
}

json::value opt_time(const std::optional<Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}

json::object delivery_json(const std::optional<DeliveryState> &d) {
  if (!d)
    return json::object{{"backlog", 0},
                        {"oldest_pending_at", nullptr},
                        {"last_success_at", nullptr},
                        {"last_error_at", nullptr},
                        {"last_error", nullptr},
                        {"delivered", 0},
                        {"dead", 0}};
  return json::object{{"backlog", d->backlog},
                      {"oldest_pending_at", opt_time(d->oldest_pending_at)},
                      {"last_success_at", opt_time(d->last_success_at)},
                      {"last_error_at", opt_time(d->last_error_at)},
                      {"last_error", d->last_error.empty() ? json::value(nullptr) : json::value(d->last_error)},
                      {"delivered", d->delivered},
                      {"dead", d->dead}};
}

json::object partner_json(const Partner &p, const std::optional<DeliveryState> &delivery) {
  json::array roles;
  for (const auto &r : p.roles)
    roles.push_back(json::object{{"role", ocpi::role_name(r.role)},
                                 {"country_code", r.party.country_code},
                                 {"party_id", r.party.party_id},
                                 {"business_name", r.business_name}});
  json::array modules;
  for (auto m : p.modules)
    modules.push_back(json::string(ocpi::module_name(m)));
  json::array endpoints;
  for (const auto &e : p.endpoints)
    endpoints.push_back(json::object{
        {"identifier", ocpi::module_name(e.module)}, {"role", ocpi::interface_role_name(e.role)}, {"url", e.url}});
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"status", status_text(p.status)},
                      {"encoding", encoding_text(p.encoding)},
                      {"modules", std::move(modules)},
                      {"roles", std::move(roles)},
                      {"versions_url", p.versions_url.empty() ? json::value(nullptr) : json::value(p.versions_url)},
                      {"version", p.version.empty() ? json::value(nullptr) : json::value(p.version)},
                      {"endpoints", std::move(endpoints)},
                      {"delivery", delivery_json(delivery)},
                      {"created_at", core::format_iso8601(p.created_at)},
                      {"updated_at", core::format_iso8601(p.updated_at)}};
}

std::optional<DeliveryState> delivery_of(Repository &r, std::int64_t id) {
  for (auto &d : r.delivery_states())
    if (d.partner_id == id) return d;
  return std::nullopt;
}

json::array clients_json(Repository &r, std::int64_t id) {
  json::array out;
  for (const auto &i : r.hub_client_infos(id))
    out.push_back(json::object{{"country_code", i.party.country_code},
                               {"party_id", i.party.party_id},
                               {"role", ocpi::role_name(i.role)},
                               {"status", ocpi::connection_status_name(i.status)},
                               {"last_updated", core::format_iso8601(i.last_updated)}});
  return out;
}

//! The partner as GET /ocpi/partners/{id} shows it (with what a hub told of its parties).
json::object full_json(Repository &r, const Partner &p) {
  auto o = partner_json(p, delivery_of(r, p.id));
  o["hub_clients"] = clients_json(r, p.id);
  return o;
}

Result<TokenEncoding> encoding_member(const json::object &body) {
  const auto *v = body.if_contains("encoding");
  if (v && v->is_string() && v->get_string() == "base64") return TokenEncoding::Base64;
  if (v && v->is_string() && v->get_string() == "raw") return TokenEncoding::Raw;
  return ServiceError::invalid("'encoding' must be \"base64\" or \"raw\"", "encoding");
}

Result<std::vector<OcpiModule>> modules_member(const json::object &body) {
  const auto *v = body.if_contains("modules");
  if (!v->is_array()) return ServiceError::invalid("'modules' must be a list of OCPI module ids", "modules");
  std::vector<OcpiModule> out;
  for (const auto &m : v->get_array()) {
    auto module = m.is_string() ? ocpi::module_from_name(m.get_string()) : std::nullopt;
    if (!module)
      return ServiceError::invalid("'modules' must be OCPI module ids such as \"locations\" or \"tokens\"", "modules");
    out.push_back(*module);
  }
  return out;
}

ocpi::PartnerService *service(const CtxPtr &c) {
  return c->api->partners;
}

//! Runs a call to the partner on the roaming pool and answers the partner as it then is.
void call_partner(const CtxPtr &c, std::function<Result<Partner>(ocpi::PartnerService &)> work) {
  auto *partners = service(c);
  auto *api = c->api;
  api->roaming_calls(
      [c, partners, api, work = std::move(work)] {
        Result<Partner> done = ServiceError::internal("internal error");
        try {
          done = work(*partners);
        } catch (const std::exception &e) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, e.what());
          return c->problem(500, "internal error");
        }
        if (!done) return c->fail(done.error());
        auto id = done->id;
        api->unit(c, 200, [id](Repository &r) -> Result<json::value> {
          auto p = r.partner(id);
          if (!p) return ServiceError::not_found("no such partner");
          return json::value(full_json(r, *p));
        });
      },
      [c](core::JobRefusal why) {
        c->problem(503, "the roaming workers are busy (" + std::string(core::to_string(why)) + ")",
                   std::chrono::seconds{5});
      });
}

bool available(const CtxPtr &c) {
  if (service(c) && c->api->roaming_calls) return true;
  c->fail(ServiceError::unavailable("OCPI roaming is not enabled ([ocpi] enabled)"));
  return false;
}

} // namespace

void list_ocpi_partners(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [page = *page](Repository &r) -> Result<json::value> {
    auto all = r.partners();
    auto states = r.delivery_states();
    json::array items;
    for (std::size_t i = page.offset; i < all.size() && items.size() < page.limit; ++i) {
      std::optional<DeliveryState> d;
      for (const auto &s : states)
        if (s.partner_id == all[i].id) d = s;
      items.push_back(partner_json(all[i], d));
    }
    return json::value(page_json(std::move(items), page, static_cast<std::int64_t>(all.size())));
  });
}

void create_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto name = text_member(*body, "name");
  if (!name) return c->fail(name.error());
  ocpi::PartnerDraft draft{*name, TokenEncoding::Base64, {}};
  if (body->contains("encoding")) {
    auto e = encoding_member(*body);
    if (!e) return c->fail(e.error());
    draft.encoding = *e;
  }
  if (body->contains("modules")) {
    auto m = modules_member(*body);
    if (!m) return c->fail(m.error());
    draft.modules = *m;
  }
  auto *partners = service(c);
  c->api->unit(c, 201, [partners, draft](Repository &r) -> Result<json::value> {
    auto created = partners->create(r, draft);
    if (!created) return created.error();
    auto o = full_json(r, created->partner);
    o["token"] = created->token;
    o["credentials"] = json::object{{"token", created->token}, {"url", created->versions_url}};
    return json::value(std::move(o));
  });
}

void get_ocpi_partner(const CtxPtr &c) {
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto p = ocpi::PartnerService::find(r, id);
    if (!p) return p.error();
    return json::value(full_json(r, *p));
  });
}

void update_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  ocpi::PartnerChanges changes;
  if (body->contains("name")) {
    auto name = text_member(*body, "name");
    if (!name) return c->fail(name.error());
    changes.name = *name;
  }
  if (body->contains("encoding")) {
    auto e = encoding_member(*body);
    if (!e) return c->fail(e.error());
    changes.encoding = *e;
  }
  if (body->contains("modules")) {
    auto m = modules_member(*body);
    if (!m) return c->fail(m.error());
    changes.modules = *m;
  }
  auto *partners = service(c);
  c->api->unit(c, 200, [partners, id = *id, changes](Repository &r) -> Result<json::value> {
    auto p = partners->change(r, id, changes);
    if (!p) return p.error();
    return json::value(full_json(r, *p));
  });
}

void delete_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  call_partner(c, [id = *id](ocpi::PartnerService &s) { return s.unregister(id); });
}

void register_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto url = text_member(*body, "versions_url");
  if (!url) return c->fail(url.error());
  auto token = text_member(*body, "token");
  if (!token) return c->fail(token.error());
  call_partner(
      c, [id = *id, url = *url, token = *token](ocpi::PartnerService &s) { return s.register_at(id, url, token); });
}

void rotate_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  call_partner(c, [id = *id](ocpi::PartnerService &s) { return s.rotate(id); });
}

void suspend_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  auto *partners = service(c);
  c->api->unit(c, 200, [partners, id = *id](Repository &r) -> Result<json::value> {
    auto p = partners->suspend(r, id);
    if (!p) return p.error();
    return json::value(full_json(r, *p));
  });
}

void resume_ocpi_partner(const CtxPtr &c) {
  if (!available(c)) return;
  auto id = c->path_number("partner");
  if (!id) return c->fail(id.error());
  auto *partners = service(c);
  c->api->unit(c, 200, [partners, id = *id](Repository &r) -> Result<json::value> {
    auto p = partners->resume(r, id);
    if (!p) return p.error();
    return json::value(full_json(r, *p));
  });
}

} // namespace gridlane::api
