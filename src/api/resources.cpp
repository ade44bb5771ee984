// Resources of the operator API: sessions, stations, transactions, id tokens, users, API
// keys, the audit log.
#include <algorithm>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

std::string text_field(const json::object &o, std::string_view key, bool required = true) {
  const auto *v = o.if_contains(key);
  if (!v) {
    if (required) throw Problem{422, "'" + std::string(key) + "' is required"};
    return {};
  }
  if (!v->is_string()) throw Problem{422, "'" + std::string(key) + "' must be a string"};
  return std::string(v->get_string());
}

StationId station_id(const CtxPtr &c) {
  auto id = StationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such station"};
  return *id;
}

json::object page(json::array items, std::size_t limit, std::size_t offset) {
  auto n = items.size();
  json::object out{{"items", std::move(items)}, {"limit", limit}, {"offset", offset}};
  out["next_offset"] = n == limit ? json::value(offset + limit) : json::value(nullptr);
  return out;
}

std::optional<Timestamp> time_param(const Request &r, const char *name) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return std::nullopt;
  auto t = core::parse_iso8601(it->second);
  if (!t) throw Problem{400, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z"};
  return t;
}

IdToken token_from(const std::string &id, const json::object &b) {
  if (id.empty() || id.size() > 36) throw Problem{422, "id tag must be 1 to 36 characters"};
  IdToken t;
  t.id = id;
  auto status = text_field(b, "status", false);
  if (!status.empty()) {
    auto s = parse_token_status(status);
    if (!s || *s == TokenStatus::ConcurrentTx || *s == TokenStatus::Unknown)
      throw Problem{422, "status must be Accepted, Blocked, Expired or Invalid"};
    t.status = *s;
  }
  if (const auto *e = b.if_contains("expires_at"); e && !e->is_null()) {
    if (!e->is_string() || !core::parse_iso8601(e->get_string()))
      throw Problem{422, "expires_at must be an RFC 3339 date-time"};
    t.expires_at = core::parse_iso8601(e->get_string());
  }
  if (const auto *p = b.if_contains("parent_id_tag"); p && !p->is_null()) {
    if (!p->is_string() || p->get_string().empty() || p->get_string().size() > 36)
      throw Problem{422, "parent_id_tag must be 1 to 36 characters"};
    t.parent_id = std::string(p->get_string());
  }
  return t;
}

Role role_field(const json::object &b) {
  auto r = parse_role(text_field(b, "role"));
  if (!r) throw Problem{422, "role must be admin, operator or viewer"};
  return *r;
}

} // namespace

// ---- sessions ------------------------------------------------------------------------------

void login(const CtxPtr &c) {
  auto b = c->body();
  auto username = text_field(b, "username");
  auto password = text_field(b, "password");
  c->who.actor = "user:" + username;
  auto *api = c->api;
  // Throttled per user name and per client address; a locked one is refused before any lookup
  // or hashing, even with the right password. The refusal is audited like every POST.
  auto key = username.substr(0, 64); // user names are at most 64 characters
  auto remote = c->req.remote;
  if (auto wait = api->login_throttle.locked_for(key, remote); wait.count() > 0)
    return c->problem(429, "too many failed logins; try again later", wait);
  services::run_unit<std::optional<User>>(
      api->store, [username](Repository &r) { return r.user_by_name(username); },
      [c, api, password, key, remote](services::Outcome<std::optional<User>> o) {
        if (!o.ok()) return c->problem(503, "try again later");
        auto user = o.value();
        // argon2id runs on the blocking pool; an unknown user costs the same as a wrong password.
        api->run_blocking(c, [c, api, user, password, key, remote] {
          // Checked again: guesses queued before the lock began are refused without hashing.
          if (auto wait = api->login_throttle.locked_for(key, remote); wait.count() > 0)
            return c->problem(429, "too many failed logins; try again later", wait);
          static const std::string dummy = core::hash_password("no-such-user");
          bool ok = core::verify_password(user ? user->password_hash : dummy, password) && user && !user->disabled;
          if (!ok) {
            if (api->login_throttle.fail(key, remote)) {
              auto shown = key; // a user name is anyone's input: no control characters into the log
              std::replace_if(
                  shown.begin(), shown.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }, '?');
              core::logger("api")->warn("logins of user:{} or from {} locked: too many failures", shown, remote);
            }
            return c->problem(401, "wrong username or password");
          }
          api->login_throttle.succeed(key);
          auto token = core::random_token("gls");
          auto now = api->clock.now();
          auto expires = now + api->options.session_lifetime;
          services::run_unit<bool>(
              api->store,
              [hash = core::token_hash(token), id = user->id, now, expires](Repository &r) {
                r.insert_session(hash, id, now, expires);
                return true;
              },
              [c, token, expires, role = user->role](services::Outcome<bool> s) {
                if (!s.ok()) return c->problem(503, "try again later");
                c->reply(200, json::object{{"token", token},
                                           {"token_type", "Bearer"},
                                           {"expires_at", core::format_iso8601(expires)},
                                           {"role", to_string(role)}});
              });
        });
      });
}

void logout(const CtxPtr &c) {
  auto hash = core::token_hash(c->req.authorization.substr(7));
  c->api->query(c, 204, [hash](Repository &r) {
    r.delete_session(hash);
    return json::value(nullptr);
  });
}

void me(const CtxPtr &c) {
  c->reply(200, json::object{{"actor", c->who.actor}, {"role", to_string(c->who.role)}});
}

// ---- stations ------------------------------------------------------------------------------

void list_stations(const CtxPtr &c) {
  auto limit = c->limit(), offset = c->offset();
  const auto &q = c->req.query;
  std::optional<RegistrationStatus> registration;
  if (auto it = q.find("registration"); it != q.end()) {
    registration = parse_registration_status(it->second);
    if (!registration) throw Problem{400, "registration must be Accepted, Pending or Rejected"};
  }
  std::optional<ConnectorStatus> status; // stations with a connector in this status
  if (auto it = q.find("status"); it != q.end()) {
    status = parse_connector_status(it->second);
    if (!status) throw Problem{400, "status must be a connector status, e.g. Available, Charging, Faulted"};
  }
  std::optional<bool> connected;
  if (auto it = q.find("connected"); it != q.end()) {
    if (it->second != "true" && it->second != "false") throw Problem{400, "connected must be true or false"};
    connected = it->second == "true";
  }
  std::optional<std::string> site;
  if (auto it = q.find("site"); it != q.end()) site = it->second;
  std::optional<std::string> location; // a location's id (docs/locations.md)
  if (auto it = q.find("location"); it != q.end()) location = it->second;
  auto *gateway = &c->api->gateway;
  const auto *live = c->api->options.live;
  c->api->query(c, 200, [=](Repository &r) {
    json::array items;
    std::size_t skipped = 0;
    for (auto &s : r.stations()) {
      if (registration && s.registration != *registration) continue;
      if (site && s.site != *site) continue;
      if (location && (!s.location_id || s.location_id->str() != *location)) continue;
      bool online = gateway->is_connected(s.id);
      if (connected && online != *connected) continue;
      auto statuses = r.current_statuses(s.id);
      if (status &&
          std::none_of(statuses.begin(), statuses.end(), [&](const StatusReport &st) { return st.status == *status; }))
        continue;
      if (skipped++ < offset) continue;
      if (items.size() == limit) break;
      if (live) live->apply(s);
      auto j = station_json(s, statuses);
      j["connected"] = online;
      items.push_back(std::move(j));
    }
    return json::value(page(std::move(items), limit, offset));
  });
}

void create_station(const CtxPtr &c) {
  auto b = c->body();
  auto id = StationId::parse(text_field(b, "id"));
  if (!id) throw Problem{422, "id must be 1 to 48 characters without ':' or '/'"};
  auto password = text_field(b, "password", false);
  auto site = text_field(b, "site", false);
  if (site.size() > 64) throw Problem{422, "site must be at most 64 characters"};
  bool pending = false;
  if (const auto *p = b.if_contains("pending")) {
    if (!p->is_bool()) throw Problem{422, "'pending' must be a boolean"};
    pending = p->get_bool();
  }
  auto *api = c->api;
  auto create = [c, api, id = *id, pending, site](std::optional<std::string> hash) {
    auto now = api->clock.now();
    api->query(c, 201, [=](Repository &r) {
      if (r.station(id)) throw Problem{409, "station " + id.str() + " already exists"};
      Station s;
      s.id = id;
      s.registration = pending ? RegistrationStatus::Pending : RegistrationStatus::Accepted;
      s.password_hash = hash;
      s.created_at = now;
      if (!site.empty()) s.site = site;
      r.insert_station(s);
      return json::value(station_json(*r.station(id), {}));
    });
  };
  if (password.empty()) return create(std::nullopt);
  if (password.size() < 16 || password.size() > 40) throw Problem{422, "password must be 16 to 40 characters"};
  api->run_blocking(c, [create, password] { create(core::hash_password(password)); });
}

void get_station(const CtxPtr &c) {
  auto id = station_id(c);
  auto *gateway = &c->api->gateway;
  const auto *live = c->api->options.live;
  c->api->query(c, 200, [=](Repository &r) {
    auto s = r.station(id);
    if (!s) throw Problem{404, "no such station"};
    if (live) live->apply(*s);
    auto j = station_json(*s, r.current_statuses(id));
    j["connected"] = gateway->is_connected(id);
    j["compat"] = compat_json(r.station_compat(id));
    json::array model;
    for (const auto &v : r.device_variables(id))
      model.push_back(device_variable_json(v));
    j["device_model"] = std::move(model);
    return json::value(std::move(j));
  });
}

namespace {
//! Applies an operator's change to a station. With `disconnect`, the station's live connection
//! (if any) is closed once the change is committed (WebSocket 1008, `disconnect` as the reason):
//! admission rules apply at the handshake, so a changed station must go through it again.
void update_station(const CtxPtr &c, const StationId &id, std::function<void(Repository &, const StationId &)> change,
                    std::optional<std::string> disconnect = std::nullopt) {
  auto *gateway = &c->api->gateway;
  std::function<void()> after;
  if (disconnect) after = [gateway, id, reason = *disconnect] { gateway->disconnect(id, reason); };
  c->api->query(
      c, 200,
      [id, change](Repository &r) {
        if (!r.station(id)) throw Problem{404, "no such station"};
        change(r, id);
        return json::value(station_json(*r.station(id), r.current_statuses(id)));
      },
      std::move(after));
}
void update_station(const CtxPtr &c, std::function<void(Repository &, const StationId &)> change) {
  update_station(c, station_id(c), std::move(change));
}
} // namespace

void accept_station(const CtxPtr &c) {
  update_station(c, [](Repository &r, const StationId &id) { r.set_registration(id, RegistrationStatus::Accepted); });
}
void enable_station(const CtxPtr &c) {
  // A disabled station has no live connection (disabling closed it), so nothing to close here.
  update_station(c, [](Repository &r, const StationId &id) { r.set_enabled(id, true); });
}
void disable_station(const CtxPtr &c) {
  update_station(
      c, station_id(c), [](Repository &r, const StationId &id) { r.set_enabled(id, false); }, "station disabled");
}

void set_station_password(const CtxPtr &c) {
  auto id = station_id(c); // checked here, on the request's thread, not on the hashing pool
  auto b = c->body();
  const auto *p = b.if_contains("password");
  if (!p || !(p->is_string() || p->is_null())) throw Problem{422, "'password' must be a string, or null to remove it"};
  if (p->is_null()) {
    // Removing the password asks less of the station: a live connection stays.
    return update_station(c, id, [](Repository &r, const StationId &s) { r.set_password_hash(s, std::nullopt); });
  }
  std::string password(p->get_string());
  if (password.size() < 16 || password.size() > 40) throw Problem{422, "password must be 16 to 40 characters"};
  // A live connection was admitted without this password: it must connect again with it.
  c->api->run_blocking(c, [c, id, password] {
    auto hash = core::hash_password(password);
    update_station(
        c, id, [hash](Repository &r, const StationId &s) { r.set_password_hash(s, hash); }, "station password changed");
  });
}

void set_station_site(const CtxPtr &c) {
  auto b = c->body();
  const auto *v = b.if_contains("site");
  if (!v || !(v->is_string() || v->is_null())) throw Problem{422, "'site' must be a string, or null to clear it"};
  std::optional<std::string> site;
  if (v->is_string()) {
    if (v->get_string().empty() || v->get_string().size() > 64) throw Problem{422, "site must be 1 to 64 characters"};
    site = std::string(v->get_string());
  }
  update_station(c, [site](Repository &r, const StationId &id) { r.set_site(id, site); });
}

void delete_station(const CtxPtr &c) {
  auto id = station_id(c);
  auto *gateway = &c->api->gateway;
  c->api->query(
      c, 204,
      [id](Repository &r) {
        if (!r.delete_station(id)) throw Problem{404, "no such station"};
        return json::value(nullptr);
      },
      [gateway, id] { gateway->disconnect(id, "station deleted"); });
}

void station_status_history(const CtxPtr &c) {
  auto id = station_id(c);
  auto limit = c->limit(), offset = c->offset();
  c->api->query(c, 200, [=](Repository &r) {
    if (!r.station(id)) throw Problem{404, "no such station"};
    json::array items;
    for (const auto &s : r.status_history(id, limit, offset))
      items.push_back(status_json(s));
    return json::value(page(std::move(items), limit, offset));
  });
}

void station_events(const CtxPtr &c) {
  // Security events and other notifications the station sent, with anomalies Gridlane noted:
  // one page of each, oldest first; next_offset is set while either list may have more.
  auto id = station_id(c);
  auto limit = c->limit(), offset = c->offset();
  std::optional<std::string> kind;
  if (auto it = c->req.query.find("kind"); it != c->req.query.end()) kind = it->second;
  c->api->query(c, 200, [=](Repository &r) {
    if (!r.station(id)) throw Problem{404, "no such station"};
    json::array messages;
    for (const auto &e : r.events(id, kind, limit, offset))
      messages.push_back(station_event_json(e));
    json::array anomalies;
    for (const auto &a : r.anomalies(id, limit, offset))
      anomalies.push_back(anomaly_json(a));
    const bool more = messages.size() == limit || anomalies.size() == limit;
    return json::value(json::object{{"messages", std::move(messages)},
                                    {"anomalies", std::move(anomalies)},
                                    {"limit", limit},
                                    {"offset", offset},
                                    {"next_offset", more ? json::value(offset + limit) : json::value(nullptr)}});
  });
}

void station_frames(const CtxPtr &c) {
  // Raw traffic can carry id tags and other personal data: operators and admins only.
  auto id = station_id(c);
  json::array items;
  for (const auto &f : c->api->gateway.recent_frames(id))
    items.push_back(
        json::object{{"at", core::format_iso8601(f.at)}, {"direction", f.inbound ? "in" : "out"}, {"frame", f.text}});
  c->reply(200, json::object{{"connected", c->api->gateway.is_connected(id)}, {"items", std::move(items)}});
}

// ---- transactions --------------------------------------------------------------------------

void list_transactions(const CtxPtr &c) {
  TransactionFilter f;
  f.limit = c->limit();
  f.offset = c->offset();
  const auto &q = c->req.query;
  if (auto it = q.find("station"); it != q.end()) f.station = StationId::unchecked(it->second);
  if (auto it = q.find("state"); it != q.end()) {
    if (it->second != "Active" && it->second != "Ended") throw Problem{400, "state must be Active or Ended"};
    f.state = it->second == "Active" ? TransactionState::Active : TransactionState::Ended;
  }
  if (auto it = q.find("id_tag"); it != q.end()) f.id_tag = it->second;
  if (auto it = q.find("site"); it != q.end()) f.site = it->second;
  if (auto it = q.find("location"); it != q.end()) f.location = LocationId::unchecked(it->second);
  f.from = time_param(c->req, "from");
  f.to = time_param(c->req, "to");
  const auto *live = c->api->options.live;
  c->api->query(c, 200, [f, live](Repository &r) {
    json::array items;
    for (auto &t : r.transactions(f)) {
      if (live) live->apply(t); // the running energy as last received, not as last written
      auto j = transaction_json(t, {}, {});
      j.erase("meter_values"); // the list stays small; the detail has the series
      j.erase("events");
      items.push_back(std::move(j));
    }
    return json::value(page(std::move(items), f.limit, f.offset));
  });
}

void get_transaction(const CtxPtr &c) {
  auto id = c->numeric_id("transaction");
  const auto *live = c->api->options.live;
  c->api->query(c, 200, [id, live](Repository &r) {
    auto t = r.transaction(id);
    if (!t) throw Problem{404, "no such transaction"};
    if (live) live->apply(*t);
    return json::value(transaction_json(*t, r.meter_samples(id), r.transaction_events(id)));
  });
}

// ---- id tokens -----------------------------------------------------------------------------

void list_tokens(const CtxPtr &c) {
  auto limit = c->limit(), offset = c->offset();
  c->api->query(c, 200, [=](Repository &r) {
    json::array items;
    auto all = r.id_tokens();
    for (std::size_t i = offset; i < all.size() && items.size() < limit; ++i)
      items.push_back(token_json(all[i]));
    return json::value(page(std::move(items), limit, offset));
  });
}

void get_token(const CtxPtr &c) {
  auto id = c->path.at("id");
  c->api->query(c, 200, [id](Repository &r) {
    auto t = r.id_token(id);
    if (!t) throw Problem{404, "no such id token"};
    return json::value(token_json(*t));
  });
}

void put_token(const CtxPtr &c) {
  auto t = token_from(c->path.at("id"), c->body());
  c->api->query(c, 200, [t](Repository &r) {
    r.upsert_id_token(t);
    return json::value(token_json(t));
  });
}

void delete_token(const CtxPtr &c) {
  auto id = c->path.at("id");
  c->api->query(c, 204, [id](Repository &r) {
    if (!r.delete_id_token(id)) throw Problem{404, "no such id token"};
    return json::value(nullptr);
  });
}

void import_tokens(const CtxPtr &c) {
  // All or nothing: one invalid entry rejects the whole import, naming it.
  auto b = c->body();
  const auto *list = b.if_contains("tokens");
  if (!list || !list->is_array()) throw Problem{422, "'tokens' must be an array"};
  std::vector<IdToken> tokens;
  for (std::size_t i = 0; i < list->as_array().size(); ++i) {
    const auto &item = list->as_array()[i];
    if (!item.is_object()) throw Problem{422, "tokens[" + std::to_string(i) + "] must be an object"};
    try {
      tokens.push_back(token_from(text_field(item.as_object(), "id_tag"), item.as_object()));
    } catch (const Problem &p) {
      throw Problem{422, "tokens[" + std::to_string(i) + "]: " + p.detail};
    }
  }
  c->api->query(c, 200, [tokens](Repository &r) {
    for (const auto &t : tokens)
      r.upsert_id_token(t);
    return json::value(json::object{{"imported", tokens.size()}});
  });
}

// ---- operators -----------------------------------------------------------------------------

void list_audit(const CtxPtr &c) {
  auto limit = c->limit(), offset = c->offset();
  c->api->query(c, 200, [=](Repository &r) {
    json::array items;
    for (const auto &e : r.audit(limit, offset))
      items.push_back(audit_json(e));
    return json::value(page(std::move(items), limit, offset));
  });
}

void create_user(const CtxPtr &c) {
  auto b = c->body();
  auto username = text_field(b, "username");
  auto password = text_field(b, "password");
  auto role = role_field(b);
  if (username.empty() || username.size() > 64) throw Problem{422, "username must be 1 to 64 characters"};
  if (password.size() < 12) throw Problem{422, "password must be at least 12 characters"};
  auto *api = c->api;
  api->run_blocking(c, [c, api, username, password, role] {
    User u;
    u.username = username;
    u.password_hash = core::hash_password(password);
    u.role = role;
    u.created_at = api->clock.now();
    api->query(c, 201, [u](Repository &r) mutable {
      if (r.user_by_name(u.username)) throw Problem{409, "user " + u.username + " already exists"};
      u.id = r.insert_user(u);
      return json::value(json::object{{"id", u.id}, {"username", u.username}, {"role", to_string(u.role)}});
    });
  });
}

void list_users(const CtxPtr &c) {
  auto limit = c->limit(), offset = c->offset();
  c->api->query(c, 200, [=](Repository &r) {
    json::array items;
    for (const auto &u : r.users(limit, offset))
      items.push_back(json::object{{"id", u.id},
                                   {"username", u.username},
                                   {"role", to_string(u.role)},
                                   {"disabled", u.disabled},
                                   {"created_at", core::format_iso8601(u.created_at)}});
    return json::value(page(std::move(items), limit, offset));
  });
}

void create_api_key(const CtxPtr &c) {
  auto b = c->body();
  ApiKey k;
  k.name = text_field(b, "name");
  if (k.name.empty() || k.name.size() > 64) throw Problem{422, "name must be 1 to 64 characters"};
  k.role = role_field(b);
  k.created_by = c->who.actor;
  k.created_at = c->api->clock.now();
  auto secret = core::random_token("glk");
  k.key_hash = core::token_hash(secret);
  c->api->query(c, 201, [k, secret](Repository &r) mutable {
    k.id = r.insert_api_key(k);
    // The key itself is shown once, here; only its hash is kept.
    return json::value(json::object{{"id", k.id}, {"name", k.name}, {"role", to_string(k.role)}, {"key", secret}});
  });
}

void list_api_keys(const CtxPtr &c) {
  auto limit = c->limit(), offset = c->offset();
  c->api->query(c, 200, [=](Repository &r) {
    json::array items;
    for (const auto &k : r.api_keys(limit, offset))
      items.push_back(json::object{
          {"id", k.id},
          {"name", k.name},
          {"role", to_string(k.role)},
          {"created_by", k.created_by},
          {"created_at", core::format_iso8601(k.created_at)},
          {"revoked_at", k.revoked_at ? json::value(core::format_iso8601(*k.revoked_at)) : json::value(nullptr)}});
    return json::value(page(std::move(items), limit, offset));
  });
}

void revoke_api_key(const CtxPtr &c) {
  auto id = c->numeric_id("API key");
  auto now = c->api->clock.now();
  c->api->query(c, 204, [id, now](Repository &r) {
    if (!r.revoke_api_key(id, now)) throw Problem{404, "no such API key"};
    return json::value(nullptr);
  });
}

} // namespace gridlane::api
