// The driver portal's API (docs/api.md "Driver portal API"): the public charger search and QR
// landing, driver logins (gld_ tokens, accepted only here), and the operator's management of
// an account's driver logins. The rules are services::DriverService's; this file reads requests
// and writes answers.
#include <algorithm>
#include <charconv>

#include "drive_impl.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

json::value text_or_null(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object driver_json(const DriverLogin &d) {
  return json::object{
      {"email", d.email},       {"account_id", d.account_id}, {"name", text_or_null(d.name)},
      {"id_token", d.id_token}, {"disabled", d.disabled},     {"created_at", core::format_iso8601(d.created_at)}};
}

Result<bool> bool_param(const Ctx &c, const char *name) {
  auto v = c.query_param(name);
  if (!v) return false;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  return bad_query(name, std::string(name) + " must be true or false");
}

Result<ChargerFilter> charger_filter(const Ctx &c) {
  ChargerFilter f;
  if (auto q = c.query_param("q"); q && !q->empty()) {
    if (q->size() > services::DriverLimits::query_max) return bad_query("q", "q must be at most 100 characters");
    f.query = *q;
  }
  auto available = bool_param(c, "available");
  if (!available) return available.error();
  f.available = *available;
  if (auto v = c.query_param("connector")) {
    f.connector = parse_connector_standard(*v);
    if (!f.connector) return bad_query("connector", "connector must be an OCPI connector standard, e.g. IEC_62196_T2");
  }
  if (auto v = c.query_param("min_power_w")) {
    std::int64_t w = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), w);
    if (v->empty() || ec != std::errc{} || end != v->data() + v->size() || w < 0 || w > 10'000'000)
      return bad_query("min_power_w", "min_power_w must be an integer from 0 to 10000000");
    f.min_power_w = w;
  }
  auto page = c.page();
  if (!page) return page.error();
  if (!c.query_param("limit")) page->limit = 20;
  if (page->limit > 100) return bad_query("limit", "limit must be at most 100");
  f.limit = page->limit;
  f.offset = page->offset;
  return f;
}

services::ConnectedFn connected_fn(const CtxPtr &c) {
  auto *gateway = &c->api->gateway;
  return [gateway](const StationId &id) { return gateway->is_connected(id); };
}

} // namespace

// ---- JSON shared with drive_sessions.cpp ------------------------------------------------------

json::object drive_location_json(const Location &l) {
  json::object o{{"id", l.id.str()},
                 {"name", l.name},
                 {"address", text_or_null(l.address)},
                 {"city", text_or_null(l.city)},
                 {"postal_code", text_or_null(l.postal_code)},
                 {"country", text_or_null(l.country)},
                 {"time_zone", text_or_null(l.time_zone)}};
  o["coordinates"] =
      l.coordinates
          ? json::value(json::object{{"latitude", l.coordinates->latitude}, {"longitude", l.coordinates->longitude}})
          : json::value(nullptr);
  return o;
}

json::object drive_evse_json(const services::ChargerEvse &e) {
  json::array connectors;
  for (const auto &c : e.evse.connectors) {
    json::object o{{"connector_id", c.connector_id}};
    o["standard"] = c.standard ? json::value(to_string(*c.standard)) : json::value(nullptr);
    o["power_type"] = c.power_type ? json::value(to_string(*c.power_type)) : json::value(nullptr);
    o["max_power_w"] = c.max_electric_power ? json::value(c.max_electric_power->count()) : json::value(nullptr);
    connectors.push_back(std::move(o));
  }
  json::object o{{"uid", std::to_string(e.evse.uid.value())},
                 {"evse_id", e.evse.emi3_id ? json::value(e.evse.emi3_id->str()) : json::value(nullptr)},
                 {"station_id", e.evse.station.str()},
                 {"ocpp_evse_id", e.evse.evse_id},
                 {"status", to_string(e.status)},
                 {"connectors", std::move(connectors)}};
  o["tariff"] = e.tariff ? json::parse(encode_tariff(*e.tariff)) : json::value(nullptr);
  return o;
}

Result<EvseUid> evse_uid_of(std::string_view text, std::optional<std::string> field) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v <= 0) {
    if (field) return ServiceError::invalid(*field + " must be the uid of an EVSE", *field);
    return ServiceError::not_found("no such EVSE");
  }
  return EvseUid{v};
}

void with_driver(const CtxPtr &c, std::function<void(const DriverLogin &)> then) {
  constexpr std::string_view bearer = "Bearer ";
  const auto &auth = c->req.authorization;
  if (auth.size() <= bearer.size() || auth.compare(0, bearer.size(), bearer) != 0 ||
      auth.compare(bearer.size(), 4, "gld_") != 0)
    return c->problem(401, "a driver's Authorization: Bearer token (from POST /api/v1/drive/auth/login) is required");
  auto hash = core::token_hash(auth.substr(bearer.size()));
  auto *api = c->api;
  services::run_unit<std::optional<DriverLogin>>(
      api->store, [api, hash](Repository &r) { return api->drivers.driver_of_token(r, hash); },
      [c, then = std::move(then)](services::Outcome<std::optional<DriverLogin>> o) {
        if (!o.ok()) return c->problem(503, "try again later");
        if (!o.value()) return c->problem(401, "unknown, expired or revoked driver token");
        c->who = Principal{"driver:" + o.value()->email, Role::Viewer};
        c->authenticated = true;
        then(*o.value());
      });
}

// ---- operators: an account's driver logins ---------------------------------------------------

void create_driver(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  services::NewDriver in;
  in.account_id = c->path.at("id");
  for (auto [key, out] : {std::pair{"email", &in.email}, {"password", &in.password}, {"id_token", &in.id_token}}) {
    auto v = text_member(*b, key);
    if (!v) return c->fail(v.error());
    *out = std::move(*v);
  }
  auto name = optional_text_member(*b, "name", true);
  if (!name) return c->fail(name.error());
  in.name = std::move(*name);
  auto *api = c->api;
  auto draft = api->drivers.check_driver(in);
  if (!draft) return c->fail(draft.error());
  api->run_blocking(c, [c, api, d = std::move(*draft)]() mutable {
    services::DriverService::seal(d);
    api->unit(c, 201, [api, d](Repository &r) -> Result<json::value> {
      auto added = api->drivers.add_driver(r, d);
      if (!added) return added.error();
      return json::value(driver_json(*added));
    });
  });
}

void list_drivers(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto account = c->path.at("id");
  c->api->unit(c, 200, [account, p = *page](Repository &r) -> Result<json::value> {
    if (!r.account(account)) return ServiceError::not_found("no such account");
    json::array items;
    for (const auto &d : r.driver_logins(account, p.limit, p.offset))
      items.push_back(driver_json(d));
    return json::value(page_json(std::move(items), p, r.count_driver_logins(account)));
  });
}

void delete_driver(const CtxPtr &c) {
  auto email = c->path.at("id");
  auto *api = c->api;
  c->api->unit(c, 204, [api, email](Repository &r) -> Result<json::value> {
    auto done = api->drivers.delete_driver(r, email);
    if (!done) return done.error();
    return json::value(nullptr);
  });
}

// ---- public: the charger search and the QR landing -------------------------------------------

void drive_chargers(const CtxPtr &c) {
  auto f = charger_filter(*c);
  if (!f) return c->fail(f.error());
  if (f->available) f->connected = c->api->gateway.connected_stations();
  auto *api = c->api;
  auto connected = connected_fn(c);
  api->unit(c, 200, [api, f = std::move(*f), connected](Repository &r) -> Result<json::value> {
    auto found = api->drivers.chargers(r, f, connected);
    json::array items;
    for (const auto &l : found.items) {
      json::array evses;
      for (const auto &e : l.evses)
        evses.push_back(drive_evse_json(e));
      items.push_back(json::object{{"location", drive_location_json(l.location)}, {"evses", std::move(evses)}});
    }
    return json::value(page_json(std::move(items), PageRequest{f.limit, f.offset}, found.total));
  });
}

void drive_evse(const CtxPtr &c) {
  auto uid = evse_uid_of(c->path.at("id"), std::nullopt);
  if (!uid) return c->fail(uid.error());
  auto *api = c->api;
  auto connected = connected_fn(c);
  const bool card = api->payments && api->payments->card_enabled();
  api->unit(c, 200, [api, uid = *uid, connected, card](Repository &r) -> Result<json::value> {
    auto found = api->drivers.charger(r, uid, connected);
    if (!found) return found.error();
    const auto &e = found->evses.front();
    auto o = drive_evse_json(e);
    o["location"] = drive_location_json(found->location);
    auto hold = services::DriverService::card_hold(e.tariff);
    o["card_payment"] = json::object{
        {"enabled", card},
        {"hold", json::object{{"amount", hold.format(core::Rounding::HalfUp)}, {"currency", hold.currency().code()}}}};
    return json::value(std::move(o));
  });
}

// ---- drivers: log in, out, who am I ------------------------------------------------------------

void drive_login(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto email_in = text_member(*b, "email");
  if (!email_in) return c->fail(email_in.error());
  auto password_in = text_member(*b, "password");
  if (!password_in) return c->fail(password_in.error());
  auto checked = services::DriverService::check_email(*email_in);
  auto email = checked ? *checked : std::string();
  auto password = std::move(*password_in);
  auto *api = c->api;
  // Throttled per email and per client address like operator logins: a locked one is refused
  // before any lookup or hashing, even with the right password.
  auto key = "driver:" + (email.empty() ? email_in->substr(0, 254) : email);
  auto remote = c->req.remote;
  c->who.actor = key.substr(0, 80);
  if (auto wait = api->driver_throttle.locked_for(key, remote); wait.count() > 0)
    return c->problem(429, "too many failed logins; try again later", wait);
  services::run_unit<std::optional<DriverLogin>>(
      api->store, [email](Repository &r) { return email.empty() ? std::nullopt : r.driver_login(email); },
      [c, api, password, key, remote](services::Outcome<std::optional<DriverLogin>> o) {
        if (!o.ok()) return c->problem(503, "try again later");
        auto driver = o.value();
        // argon2id runs on the blocking pool; an unknown driver costs the same as a wrong password.
        api->run_blocking(c, [c, api, driver, password, key, remote] {
          if (auto wait = api->driver_throttle.locked_for(key, remote); wait.count() > 0)
            return c->problem(429, "too many failed logins; try again later", wait);
          static const std::string dummy = core::hash_password("no-such-driver");
          const bool ok =
              core::verify_password(driver ? driver->password_hash : dummy, password) && driver && !driver->disabled;
          if (!ok) {
            if (api->driver_throttle.fail(key, remote))
              core::log(core::Component::Api).warn("driver logins from {} locked: too many failures", remote);
            return c->problem(401, "wrong email or password");
          }
          api->driver_throttle.succeed(key);
          auto token = core::random_token("gld");
          services::run_unit<Result<json::value>>(
              api->store,
              [api, d = *driver, hash = core::token_hash(token), token](Repository &r) -> Result<json::value> {
                auto account = r.account(d.account_id);
                if (!account) return ServiceError::forbidden("the driver's account no longer exists");
                auto expires = api->drivers.issue_token(r, d, hash, api->options.session_lifetime);
                return json::value(json::object{{"token", token},
                                                {"token_type", "Bearer"},
                                                {"expires_at", core::format_iso8601(expires)},
                                                {"driver", json::object{{"email", d.email},
                                                                        {"name", text_or_null(d.name)},
                                                                        {"account_id", d.account_id},
                                                                        {"currency", account->currency.code()}}}});
              },
              [c](services::Outcome<Result<json::value>> o) {
                if (!o.ok()) return c->problem(503, "try again later");
                if (!o.value()) return c->fail(o.value().error());
                c->reply(200, *o.value());
              });
        });
      });
}

void drive_logout(const CtxPtr &c) {
  with_driver(c, [c](const DriverLogin &) {
    auto hash = core::token_hash(c->req.authorization.substr(7));
    c->api->unit(c, 204, [hash](Repository &r) -> Result<json::value> {
      r.delete_driver_token(hash);
      return json::value(nullptr);
    });
  });
}

void drive_me(const CtxPtr &c) {
  with_driver(c, [c](const DriverLogin &d) {
    c->api->unit(c, 200, [d](Repository &r) -> Result<json::value> {
      auto account = r.account(d.account_id);
      if (!account) return ServiceError::not_found("no such account");
      return json::value(json::object{{"email", d.email},
                                      {"name", text_or_null(d.name)},
                                      {"account_id", d.account_id},
                                      {"currency", account->currency.code()}});
    });
  });
}

} // namespace gridlane::api
