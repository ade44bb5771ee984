// Resources of the operator API: sessions, stations and transactions (id tokens, users, API
// keys and the audit log: operators.cpp). Every rule about what may be created lives in
// services::AdminService, shared with the admin CLI; a refusal is a ServiceError value that the
// one mapping (problem.hpp) turns into problem+json.
#include <algorithm>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;
using services::AdminService;
using services::StationDraft;

namespace {

Result<std::optional<Timestamp>> time_param(const Ctx &c, const char *name) {
  auto text = c.query_param(name);
  if (!text) return std::optional<Timestamp>{};
  auto t = core::parse_iso8601(*text);
  if (!t) return bad_query(name, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z");
  return t;
}

Result<StationFilter> station_filter(const Ctx &c) {
  StationFilter f;
  if (auto v = c.query_param("registration")) {
    f.registration = parse_registration_status(*v);
    if (!f.registration) return bad_query("registration", "registration must be Accepted, Pending or Rejected");
  }
  if (auto v = c.query_param("status")) { // stations with a connector in this status
    f.status = parse_connector_status(*v);
    if (!f.status) return bad_query("status", "status must be a connector status, e.g. Available, Charging, Faulted");
  }
  if (auto v = c.query_param("connected")) {
    if (*v != "true" && *v != "false") return bad_query("connected", "connected must be true or false");
    f.connected = *v == "true";
  }
  if (auto v = c.query_param("protocol")) {
    f.protocol = core::protocol_from_subprotocol(*v);
    if (!f.protocol) return bad_query("protocol", "protocol must be ocpp1.6, ocpp2.0.1 or ocpp2.1");
  }
  f.site = c.query_param("site");
  if (auto v = c.query_param("search")) {
    if (v->empty() || v->size() > 64) return bad_query("search", "search must be 1 to 64 characters");
    f.search = std::move(*v);
  }
  if (auto v = c.query_param("location")) {
    if (v->empty() || v->size() > 36) return bad_query("location", "location must be 1 to 36 characters");
    f.location = std::move(*v);
  }
  return f;
}

json::value listed_station(Station &s, const std::vector<StatusReport> &statuses, const StationGateway &gateway,
                           const services::LiveValues *live) {
  if (live) live->apply(s);
  auto j = station_json(s, statuses);
  j["connected"] = gateway.is_connected(s.id);
  return j;
}

} // namespace

// ---- sessions ------------------------------------------------------------------------------

void login(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto username_in = text_member(*b, "username");
  if (!username_in) return c->fail(username_in.error());
  auto password_in = text_member(*b, "password");
  if (!password_in) return c->fail(password_in.error());
  auto username = std::move(*username_in), password = std::move(*password_in);
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
              core::log(core::Component::Api)
                  .warn("logins of user:{} or from {} locked: too many failures", shown, remote);
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
              [c, token, expires, role = user->role](const services::Outcome<bool> &s) {
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
  c->api->unit(c, 204, [hash](Repository &r) -> Result<json::value> {
    r.delete_session(hash);
    return json::value(nullptr);
  });
}

void me(const CtxPtr &c) {
  c->reply(200, json::object{{"actor", c->who.actor}, {"role", to_string(c->who.role)}});
}

// ---- stations ------------------------------------------------------------------------------

void list_stations(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto filter = station_filter(*c);
  if (!filter) return c->fail(filter.error());
  auto *gateway = &c->api->gateway;
  // Live connections are not stored: the query pages over the ids the registry holds now.
  if (filter->connected) filter->connected_ids = gateway->connected_stations();
  const auto *live = c->api->options.live;
  c->api->unit(c, 200, [f = std::move(*filter), p = *page, gateway, live](Repository &r) -> Result<json::value> {
    auto listed = r.list_stations(f, p);
    json::array items;
    for (auto &row : listed.items)
      items.push_back(listed_station(row.station, row.statuses, *gateway, live));
    return json::value(page_json(std::move(items), p, listed.total));
  });
}

void create_station(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto id = text_member(*b, "id");
  if (!id) return c->fail(id.error());
  auto password = optional_text_member(*b, "password");
  if (!password) return c->fail(password.error());
  auto site = optional_text_member(*b, "site");
  if (!site) return c->fail(site.error());
  bool pending = false;
  if (const auto *p = b->if_contains("pending")) {
    if (!p->is_bool()) return c->fail(ServiceError::invalid("'pending' must be a boolean", "pending"));
    pending = p->get_bool();
  }
  auto *api = c->api;
  auto draft = api->admin.check_station({*id, *password, *site, pending});
  if (!draft) return c->fail(draft.error());
  auto create = [c, api](const StationDraft &d) {
    api->unit(c, 201, [api, d](Repository &r) -> Result<json::value> {
      auto s = api->admin.create_station(r, d);
      if (!s) return s.error();
      return json::value(station_json(*s, {}));
    });
  };
  if (!draft->password) return create(*draft);
  api->run_blocking(c, [create, d = std::move(*draft)]() mutable {
    AdminService::seal(d);
    create(d);
  });
}

void get_station(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto *gateway = &c->api->gateway;
  const auto *live = c->api->options.live;
  c->api->unit(c, 200, [id = *id, gateway, live](Repository &r) -> Result<json::value> {
    auto s = r.station(id);
    if (!s) return ServiceError::not_found("no such station");
    auto j = listed_station(*s, r.current_statuses(id), *gateway, live).as_object();
    j["compat"] = compat_json(r.station_compat(id));
    json::array model;
    for (const auto &v : r.device_variables(id))
      model.push_back(device_variable_json(v));
    j["device_model"] = std::move(model);
    return json::value(std::move(j));
  });
}

namespace {
using StationChange = std::function<Result<void>(Repository &, const StationId &)>;

//! Applies an operator's change to a station. With `disconnect`, the station's live connection
//! (if any) is closed once the change is committed (WebSocket 1008, `disconnect` as the reason):
//! admission rules apply at the handshake, so a changed station must go through it again.
void update_station(const CtxPtr &c, const StationId &id, const StationChange &change,
                    std::optional<std::string> disconnect = std::nullopt) {
  auto *gateway = &c->api->gateway;
  std::function<void()> after;
  if (disconnect) after = [gateway, id, reason = *disconnect] { gateway->disconnect(id, reason); };
  c->api->unit(
      c, 200,
      [id, change](Repository &r) -> Result<json::value> {
        if (!r.station(id)) return ServiceError::not_found("no such station");
        if (auto done = change(r, id); !done) return done.error();
        return json::value(station_json(*r.station(id), r.current_statuses(id)));
      },
      std::move(after));
}
void update_station(const CtxPtr &c, const StationChange &change) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  update_station(c, *id, change);
}
} // namespace

void accept_station(const CtxPtr &c) {
  auto *admin = &c->api->admin;
  update_station(c, [admin](Repository &r, const StationId &id) -> Result<void> {
    if (auto s = admin->accept_station(r, id); !s) return s.error();
    return {};
  });
}
void enable_station(const CtxPtr &c) {
  // A disabled station has no live connection (disabling closed it), so nothing to close here.
  update_station(c, [](Repository &r, const StationId &id) -> Result<void> {
    r.set_enabled(id, true);
    return {};
  });
}
void disable_station(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  update_station(
      c, *id,
      [](Repository &r, const StationId &s) -> Result<void> {
        r.set_enabled(s, false);
        return {};
      },
      "station disabled");
}

void set_station_password(const CtxPtr &c) {
  auto id = c->path_station(); // checked here, on the request's thread, not on the hashing pool
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  const auto *p = b->if_contains("password");
  if (!p || !(p->is_string() || p->is_null()))
    return c->fail(ServiceError::invalid("'password' must be a string, or null to remove it", "password"));
  if (p->is_null()) {
    // Removing the password asks less of the station: a live connection stays.
    return update_station(c, *id, [](Repository &r, const StationId &s) -> Result<void> {
      r.set_password_hash(s, std::nullopt);
      return {};
    });
  }
  auto password = c->api->admin.check_station_password(p->get_string());
  if (!password) return c->fail(password.error());
  // A live connection was admitted without this password: it must connect again with it.
  c->api->run_blocking(c, [c, id = *id, password = std::move(*password)] {
    auto hash = core::hash_password(password);
    update_station(
        c, id,
        [hash](Repository &r, const StationId &s) -> Result<void> {
          r.set_password_hash(s, hash);
          return {};
        },
        "station password changed");
  });
}

void set_station_site(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  const auto *v = b->if_contains("site");
  if (!v || !(v->is_string() || v->is_null()))
    return c->fail(ServiceError::invalid("'site' must be a string, or null to clear it", "site"));
  std::optional<std::string> site;
  if (v->is_string()) {
    auto checked = c->api->admin.check_site(v->get_string());
    if (!checked) return c->fail(checked.error());
    site = std::move(*checked);
  }
  update_station(c, [site](Repository &r, const StationId &id) -> Result<void> {
    r.set_site(id, site);
    return {};
  });
}

void delete_station(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto *gateway = &c->api->gateway;
  c->api->unit(
      c, 204,
      [id = *id](Repository &r) -> Result<json::value> {
        if (!r.delete_station(id)) return ServiceError::not_found("no such station");
        return json::value(nullptr);
      },
      [gateway, id = *id] { gateway->disconnect(id, "station deleted"); });
}

void station_status_history(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [id = *id, p = *page](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    json::array items;
    for (const auto &s : r.status_history(id, p.limit, p.offset))
      items.push_back(status_json(s));
    return json::value(page_json(std::move(items), p, r.count_status_history(id)));
  });
}

void station_events(const CtxPtr &c) {
  // Security events and other notifications the station sent, with anomalies Gridlane noted:
  // one page of each, oldest first; next_offset is set while either list has more.
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto kind = c->query_param("kind");
  c->api->unit(c, 200, [id = *id, p = *page, kind](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    json::array messages;
    for (const auto &e : r.events(id, kind, p.limit, p.offset))
      messages.push_back(station_event_json(e));
    json::array anomalies;
    for (const auto &a : r.anomalies(id, p.limit, p.offset))
      anomalies.push_back(anomaly_json(a));
    const auto total_messages = r.count_events(id, kind), total_anomalies = r.count_anomalies(id);
    auto more = [&p](const json::array &shown, std::int64_t total) {
      return !shown.empty() && static_cast<std::int64_t>(p.offset + shown.size()) < total;
    };
    const bool next = more(messages, total_messages) || more(anomalies, total_anomalies);
    return json::value(json::object{{"messages", std::move(messages)},
                                    {"anomalies", std::move(anomalies)},
                                    {"limit", p.limit},
                                    {"offset", p.offset},
                                    {"next_offset", next ? json::value(p.offset + p.limit) : json::value(nullptr)},
                                    {"total_messages", total_messages},
                                    {"total_anomalies", total_anomalies}});
  });
}

void station_frames(const CtxPtr &c) {
  // Raw traffic can carry id tags and other personal data: operators and admins only.
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  json::array items;
  for (const auto &f : c->api->gateway.recent_frames(*id))
    items.push_back(
        json::object{{"at", core::format_iso8601(f.at)}, {"direction", f.inbound ? "in" : "out"}, {"frame", f.text}});
  c->reply(200, json::object{{"connected", c->api->gateway.is_connected(*id)}, {"items", std::move(items)}});
}

// ---- transactions --------------------------------------------------------------------------

void list_transactions(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  TransactionFilter f;
  f.limit = page->limit;
  f.offset = page->offset;
  if (auto v = c->query_param("station")) f.station = StationId::unchecked(*v);
  if (auto v = c->query_param("state")) {
    if (*v != "Active" && *v != "Ended") return c->fail(bad_query("state", "state must be Active or Ended"));
    f.state = *v == "Active" ? TransactionState::Active : TransactionState::Ended;
  }
  f.id_tag = c->query_param("id_tag");
  f.site = c->query_param("site");
  if (auto l = c->query_param("location")) f.location = LocationId::unchecked(*l);
  auto from = time_param(*c, "from");
  if (!from) return c->fail(from.error());
  auto to = time_param(*c, "to");
  if (!to) return c->fail(to.error());
  f.from = *from;
  f.to = *to;
  const auto *live = c->api->options.live;
  c->api->unit(c, 200, [f, p = *page, live](Repository &r) -> Result<json::value> {
    json::array items;
    for (auto &t : r.transactions(f)) {
      if (live) live->apply(t); // the running energy as last received, not as last written
      auto j = transaction_json(t, {}, {});
      j.erase("meter_values"); // the list stays small; the detail has the series
      j.erase("events");
      items.push_back(std::move(j));
    }
    return json::value(page_json(std::move(items), p, r.count_transactions(f)));
  });
}

void get_transaction(const CtxPtr &c) {
  auto id = c->path_number("transaction");
  if (!id) return c->fail(id.error());
  const auto *live = c->api->options.live;
  c->api->unit(c, 200, [id = *id, live](Repository &r) -> Result<json::value> {
    auto t = r.transaction(id);
    if (!t) return ServiceError::not_found("no such transaction");
    if (live) live->apply(*t);
    return json::value(transaction_json(*t, r.meter_samples(id), r.transaction_events(id)));
  });
}

} // namespace gridlane::api
