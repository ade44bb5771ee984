// Resources of the operator API: id tokens, users, API keys and the audit log. The rules are
// services::AdminService's, shared with the admin CLI.
#include "gridlane/core/password.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;
using services::AdminService;

namespace {

//! An id token from a request body (PUT /id-tokens/{id}, each entry of an import).
Result<IdToken> token_from(const AdminService &admin, std::string id, const json::object &b) {
  services::TokenInput in;
  in.id_tag = std::move(id);
  auto status = optional_text_member(b, "status");
  if (!status) return status.error();
  in.status = std::move(*status);
  if (const auto *e = b.if_contains("expires_at"); e && !e->is_null()) {
    if (!e->is_string())
      return ServiceError::invalid("expires_at must be an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z", "expires_at");
    in.expires_at = std::string(e->get_string());
  }
  if (const auto *p = b.if_contains("parent_id_tag"); p && !p->is_null()) {
    if (!p->is_string()) return ServiceError::invalid("parent_id_tag must be 1 to 36 characters", "parent_id_tag");
    in.parent_id = std::string(p->get_string());
  }
  return admin.check_token(in);
}

Result<TokenFilter> token_filter(const Ctx &c) {
  TokenFilter f;
  if (auto v = c.query_param("status")) {
    f.status = parse_token_status(*v);
    if (!f.status) return bad_query("status", "status must be Accepted, Blocked, Expired or Invalid");
  }
  f.parent_id = c.query_param("parent_id_tag");
  return f;
}

json::object user_json(const User &u) {
  return json::object{{"id", u.id},
                      {"username", u.username},
                      {"role", to_string(u.role)},
                      {"disabled", u.disabled},
                      {"created_at", core::format_iso8601(u.created_at)}};
}

json::object api_key_json(const ApiKey &k) {
  return json::object{
      {"id", k.id},
      {"name", k.name},
      {"role", to_string(k.role)},
      {"created_by", k.created_by},
      {"created_at", core::format_iso8601(k.created_at)},
      {"revoked_at", k.revoked_at ? json::value(core::format_iso8601(*k.revoked_at)) : json::value(nullptr)}};
}

//! GET /audit's filters: actor, action (a part of it), target, outcome (ok | failed), from, to.
Result<AuditFilter> audit_filter(const Ctx &c) {
  AuditFilter f;
  f.actor = c.query_param("actor");
  f.action = c.query_param("action");
  f.target = c.query_param("target");
  if (auto v = c.query_param("outcome")) {
    if (*v != "ok" && *v != "failed") return bad_query("outcome", "outcome must be ok or failed");
    f.failed = *v == "failed";
  }
  for (auto [name, out] : {std::pair{"from", &f.from}, {"to", &f.to}}) {
    auto text = c.query_param(name);
    if (!text) continue;
    auto t = core::parse_iso8601(*text);
    if (!t) return bad_query(name, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z");
    *out = *t;
  }
  return f;
}

} // namespace

// ---- id tokens -----------------------------------------------------------------------------

void list_tokens(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto filter = token_filter(*c);
  if (!filter) return c->fail(filter.error());
  c->api->unit(c, 200, [f = *filter, p = *page](Repository &r) -> Result<json::value> {
    auto listed = r.list_id_tokens(f, p);
    json::array items;
    for (const auto &t : listed.items)
      items.push_back(token_json(t));
    return json::value(page_json(std::move(items), p, listed.total));
  });
}

void get_token(const CtxPtr &c) {
  auto id = c->path.at("id");
  c->api->unit(c, 200, [id](Repository &r) -> Result<json::value> {
    auto t = r.id_token(id);
    if (!t) return ServiceError::not_found("no such id token");
    return json::value(token_json(*t));
  });
}

void put_token(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto *admin = &c->api->admin;
  auto t = token_from(*admin, c->path.at("id"), *b);
  if (!t) return c->fail(t.error());
  c->api->unit(c, 200, [admin, t = *t](Repository &r) -> Result<json::value> {
    auto stored = admin->put_token(r, t);
    if (!stored) return stored.error();
    return json::value(token_json(*stored));
  });
}

void delete_token(const CtxPtr &c) {
  auto id = c->path.at("id");
  c->api->unit(c, 204, [id](Repository &r) -> Result<json::value> {
    if (!r.delete_id_token(id)) return ServiceError::not_found("no such id token");
    return json::value(nullptr);
  });
}

void import_tokens(const CtxPtr &c) {
  // All or nothing: one invalid entry rejects the whole import, naming it.
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  const auto *list = b->if_contains("tokens");
  if (!list || !list->is_array()) return c->fail(ServiceError::invalid("'tokens' must be an array", "tokens"));
  auto *admin = &c->api->admin;
  std::vector<IdToken> tokens;
  for (std::size_t i = 0; i < list->as_array().size(); ++i) {
    const auto &item = list->as_array()[i];
    const auto where = "tokens[" + std::to_string(i) + "]";
    if (!item.is_object()) return c->fail(ServiceError::invalid(where + " must be an object", where));
    auto id_tag = text_member(item.as_object(), "id_tag");
    auto t = id_tag ? token_from(*admin, *id_tag, item.as_object()) : Result<IdToken>(id_tag.error());
    if (!t) {
      auto e = t.error();
      e.message = where + ": " + e.message;
      e.field = where + (e.field ? "." + *e.field : std::string());
      return c->fail(e);
    }
    tokens.push_back(std::move(*t));
  }
  c->api->unit(c, 200, [admin, tokens](Repository &r) -> Result<json::value> {
    auto n = admin->import_tokens(r, tokens);
    if (!n) return n.error();
    return json::value(json::object{{"imported", *n}});
  });
}

// ---- operators -----------------------------------------------------------------------------

void list_audit(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto filter = audit_filter(*c);
  if (!filter) return c->fail(filter.error());
  c->api->unit(c, 200, [f = *filter, p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &e : r.audit(f, p.limit, p.offset))
      items.push_back(audit_json(e));
    return json::value(page_json(std::move(items), p, static_cast<OperatorStore &>(r).count_audit(f)));
  });
}

void create_user(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  services::NewUser in;
  for (auto [key, out] : {std::pair{"username", &in.username}, {"password", &in.password}, {"role", &in.role}}) {
    auto v = text_member(*b, key);
    if (!v) return c->fail(v.error());
    *out = std::move(*v);
  }
  auto *api = c->api;
  auto draft = api->admin.check_user(in);
  if (!draft) return c->fail(draft.error());
  api->run_blocking(c, [c, api, d = std::move(*draft)]() mutable {
    AdminService::seal(d);
    api->unit(c, 201, [api, d](Repository &r) -> Result<json::value> {
      auto u = api->admin.create_user(r, d);
      if (!u) return u.error();
      return json::value(json::object{{"id", u->id}, {"username", u->username}, {"role", to_string(u->role)}});
    });
  });
}

void list_users(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &u : r.users(p.limit, p.offset))
      items.push_back(user_json(u));
    return json::value(page_json(std::move(items), p, r.count_users()));
  });
}

void update_user(const CtxPtr &c) {
  auto id = c->path_number("user");
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  services::UserChange change;
  for (const auto &kv : *b) {
    if (kv.key() == "role") {
      if (!kv.value().is_string())
        return c->fail(ServiceError::invalid("role must be admin, operator or viewer", "role"));
      change.role = std::string(kv.value().get_string());
    } else if (kv.key() == "disabled") {
      if (!kv.value().is_bool()) return c->fail(ServiceError::invalid("disabled must be true or false", "disabled"));
      change.disabled = kv.value().get_bool();
    } else {
      return c->fail(ServiceError::invalid("unknown member '" + std::string(kv.key()) + "'", std::string(kv.key())));
    }
  }
  auto *admin = &c->api->admin;
  c->api->unit(c, 200, [admin, id = *id, change, by = c->who.actor](Repository &r) -> Result<json::value> {
    auto u = admin->update_user(r, id, change, by);
    if (!u) return u.error();
    return json::value(user_json(*u));
  });
}

void create_api_key(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto name = text_member(*b, "name");
  if (!name) return c->fail(name.error());
  auto role = text_member(*b, "role");
  if (!role) return c->fail(role.error());
  auto *admin = &c->api->admin;
  auto key = admin->check_api_key({*name, *role, c->who.actor});
  if (!key) return c->fail(key.error());
  c->api->unit(c, 201, [admin, k = std::move(*key)](Repository &r) -> Result<json::value> {
    auto created = admin->create_api_key(r, k);
    if (!created) return created.error();
    const auto &stored = created->key;
    // The key itself is shown once, here; only its hash is kept.
    return json::value(json::object{
        {"id", stored.id}, {"name", stored.name}, {"role", to_string(stored.role)}, {"key", created->secret}});
  });
}

void list_api_keys(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &k : r.api_keys(p.limit, p.offset))
      items.push_back(api_key_json(k));
    return json::value(page_json(std::move(items), p, r.count_api_keys()));
  });
}

void revoke_api_key(const CtxPtr &c) {
  auto id = c->path_number("API key");
  if (!id) return c->fail(id.error());
  auto now = c->api->clock.now();
  c->api->unit(c, 204, [id = *id, now](Repository &r) -> Result<json::value> {
    if (!r.revoke_api_key(id, now)) return ServiceError::not_found("no such API key");
    return json::value(nullptr);
  });
}

} // namespace gridlane::api
