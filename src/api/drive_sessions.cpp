// The driver portal's sessions and problem reports (docs/api.md "Driver portal API"): start by
// account or by card, watch, stop, the receipt, a driver's past sessions; problem reports from
// anyone, read and resolved by operators. The rules are services::DriverService's.
#include <algorithm>
#include <map>

#include "drive_impl.hpp"
#include "gridlane/billing/invoice_items.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

json::value text_or_null(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value time_or_null(const std::optional<Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}
std::string amount(core::Decimal d, const core::Currency &c) {
  return d.to_fixed(c.minor_digits(), core::Rounding::HalfUp);
}

//! A session for its driver; `id` (the capability) only where the caller holds it already.
json::object session_json(const services::DriveView &v, const std::optional<std::string> &id) {
  const auto &s = v.session;
  json::object o{{"id", text_or_null(id)},        {"ref", s.ref},
                 {"status", to_string(v.status)}, {"evse_uid", std::to_string(s.evse_uid.value())},
                 {"station_id", s.station.str()}, {"payment_method", to_string(s.method)}};
  o["location_name"] = v.location ? json::value(v.location->name) : json::value(nullptr);
  o["time_zone"] = v.location ? text_or_null(v.location->time_zone) : json::value(nullptr);
  const auto *t = v.transaction ? &*v.transaction : nullptr;
  o["started_at"] = t ? json::value(core::format_iso8601(t->started_at)) : json::value(nullptr);
  o["ended_at"] = t ? time_or_null(t->stopped_at) : json::value(nullptr);
  o["energy_wh"] = t ? t->energy_wh : 0;
  o["power_w"] = v.power_w ? json::value(*v.power_w) : json::value(nullptr);
  o["duration_s"] = v.duration_s;
  if (v.cost)
    o["cost"] = json::object{{"currency", v.currency.code()},
                             {"excl_vat", amount(v.cost->excl_vat, v.currency)},
                             {"incl_vat", amount(v.cost->incl_vat.value_or(v.cost->excl_vat), v.currency)}};
  else
    o["cost"] = nullptr;
  o["failure"] = text_or_null(s.failure);
  o["created_at"] = core::format_iso8601(s.created_at);
  return o;
}

//! Whole seconds of a Decimal of hours.
std::int64_t seconds_of(core::Decimal hours) {
  auto s = hours.mul_div(3600, 1, core::Rounding::HalfUp, 0);
  return s ? s->units() / core::Decimal::kOne : 0;
}

json::object receipt_json(const Cdr &cdr, const DriveSession &s, const std::optional<Payment> &payment) {
  const auto &cur = cdr.currency;
  json::object o{{"cdr_id", cdr.id},
                 {"location_name", text_or_null(cdr.cdr_location.name)},
                 {"address", cdr.cdr_location.address + ", " + cdr.cdr_location.postal_code.value_or("") + " " +
                                 cdr.cdr_location.city},
                 {"evse_id", cdr.cdr_location.evse_id},
                 {"started_at", core::format_iso8601(cdr.start_date_time)},
                 {"ended_at", core::format_iso8601(cdr.end_date_time)},
                 {"energy_wh", cdr.total_energy.units() / 1000}, // kWh in millionths: Wh in thousandths
                 {"charging_s", seconds_of(cdr.total_time)},
                 {"parking_s", cdr.total_parking_time ? seconds_of(*cdr.total_parking_time) : 0},
                 {"currency", cur.code()},
                 {"total_excl_vat", amount(cdr.total_cost.excl_vat, cur)},
                 {"total_incl_vat", amount(cdr.total_cost.incl_vat.value_or(cdr.total_cost.excl_vat), cur)}};
  // VAT per rate, from the CDR's own lines per rate (billing::cdr_items); with one rate it is
  // exactly what the CDR's totals say.
  std::map<core::Decimal, core::Decimal> by_rate;
  for (const auto &item : billing::cdr_items(cdr))
    if (item.vat_rate)
      if (auto sum = by_rate[*item.vat_rate].plus(item.amount_excl_vat)) by_rate[*item.vat_rate] = *sum;
  json::array vat;
  for (const auto &[rate, excl] : by_rate) {
    auto tax = by_rate.size() == 1 && cdr.total_cost.incl_vat
                   ? cdr.total_cost.incl_vat->minus(cdr.total_cost.excl_vat)
                   : excl.percent(rate, core::Rounding::HalfUp, cur.minor_digits());
    if (!tax) continue;
    vat.push_back(json::object{{"rate", rate.to_string()}, {"amount", amount(*tax, cur)}});
  }
  o["vat"] = std::move(vat);
  json::array lines;
  auto line = [&](const char *dimension, const std::optional<Price> &p, std::string quantity, const char *unit) {
    if (p)
      lines.push_back(json::object{{"dimension", dimension},
                                   {"quantity", std::move(quantity)},
                                   {"unit", unit},
                                   {"amount_excl_vat", amount(p->excl_vat, cur)}});
  };
  line("FLAT", cdr.total_fixed_cost, "1", "session");
  line("ENERGY", cdr.total_energy_cost, cdr.total_energy.to_string(), "kWh");
  line("TIME", cdr.total_time_cost, cdr.total_time.to_string(), "h");
  line("PARKING_TIME", cdr.total_parking_cost, cdr.total_parking_time.value_or(core::Decimal{}).to_string(), "h");
  o["lines"] = std::move(lines);
  json::object pay{{"method", to_string(s.method)}};
  pay["status"] = payment ? json::value(to_string(payment->status)) : json::value(nullptr);
  pay["captured"] =
      payment ? json::value(amount(core::Decimal::from_units(0), payment->currency)) : json::value(nullptr);
  if (payment)
    if (auto m = core::Money::from_minor(payment->captured_minor, payment->currency))
      pay["captured"] = m->format(core::Rounding::HalfUp);
  o["payment"] = std::move(pay);
  return o;
}

json::object report_json(const ProblemReport &p) {
  return json::object{{"id", p.id},
                      {"evse_uid", std::to_string(p.evse_uid.value())},
                      {"station_id", p.station.str()},
                      {"evse_id", p.evse_id},
                      {"category", to_string(p.category)},
                      {"text", p.text},
                      {"contact", text_or_null(p.contact)},
                      {"status", to_string(p.status)},
                      {"created_at", core::format_iso8601(p.created_at)},
                      {"resolved_at", time_or_null(p.resolved_at)}};
}

//! Runs `then` with the driver when the request carries a driver token (401 when it carries a
//! wrong one), with nullopt when it carries none.
void maybe_driver(const CtxPtr &c, std::function<void(const std::optional<DriverLogin> &)> then) {
  if (c->req.authorization.empty()) return then(std::nullopt);
  with_driver(c, [then = std::move(then)](const DriverLogin &d) { then(d); });
}

//! The session the path names, for the caller (capability or owning driver); 404 otherwise.
void with_session(const CtxPtr &c, std::function<void(const DriveSession &, const std::optional<DriverLogin> &)> then) {
  auto id = c->path.at("id");
  auto run = [c, id, then = std::move(then)](const std::optional<DriverLogin> &driver) {
    auto *api = c->api;
    services::run_unit<std::optional<DriveSession>>(
        api->store, [api, id, driver](Repository &r) { return api->drivers.find_session(r, id, driver); },
        [c, then, driver](services::Outcome<std::optional<DriveSession>> o) {
          if (!o.ok()) return c->problem(503, "try again later");
          if (!o.value()) return c->problem(404, "no such session");
          then(*o.value(), driver);
        });
  };
  // A capability is enough by itself; a ref needs its driver.
  if (id.starts_with("ds_")) return run(std::nullopt);
  with_driver(c, [run](const DriverLogin &d) { run(d); });
}

std::optional<std::string> capability_of(const CtxPtr &c) {
  const auto &id = c->path.at("id");
  return id.starts_with("ds_") ? std::optional{id} : std::nullopt;
}

struct StartRequest {
  EvseUid uid{0};
  DrivePaymentMethod method = DrivePaymentMethod::Account;
  std::string payment_method; //!< card: the provider's payment method id
};

Result<StartRequest> start_request(const json::object &b) {
  StartRequest out;
  const auto *uid = b.if_contains("evse_uid");
  if (!uid) return ServiceError::invalid("'evse_uid' is required", "evse_uid");
  std::string text = uid->is_string()  ? std::string(uid->get_string())
                     : uid->is_int64() ? std::to_string(uid->get_int64())
                                       : std::string();
  auto parsed = evse_uid_of(text, std::string("evse_uid"));
  if (!parsed) return parsed.error();
  out.uid = *parsed;
  const auto *pay = b.if_contains("payment");
  if (!pay || !pay->is_object())
    return ServiceError::invalid("'payment' must be {\"method\":\"account\"} or {\"method\":\"card\",...}", "payment");
  auto method = text_member(pay->as_object(), "method");
  auto kind = method ? parse_drive_payment_method(*method) : std::nullopt;
  if (!kind) return ServiceError::invalid("payment.method must be account or card", "payment.method");
  out.method = *kind;
  if (out.method == DrivePaymentMethod::Card) {
    auto pm = text_member(pay->as_object(), "payment_method");
    if (!pm || pm->empty() || pm->size() > 255)
      return ServiceError::invalid("payment.payment_method must be the card provider's payment method id",
                                   "payment.payment_method");
    out.payment_method = *pm;
  }
  return out;
}

//! The last step of a start: the session is stored, the remote start sent, 202 answered.
void send_start(const CtxPtr &c, const DriveSession &s, const std::string &capability, const Principal &who) {
  auto *api = c->api;
  services::run_unit<bool>(
      api->store,
      [s](Repository &r) {
        r.insert_drive_session(s);
        return true;
      },
      [c, api, s = DriveSession(s), capability, who](const services::Outcome<bool> &stored) {
        if (!stored.ok()) return c->problem(503, "try again later");
        auto version = api->gateway.protocol(s.station).value_or(ProtocolVersion::Ocpp16);
        Evse evse;
        evse.evse_id = s.evse_id;
        api->commands.submit(who, s.station, services::DriverService::remote_start(evse, version, s.id_token),
                             [c, api, s, capability](services::Outcome<CommandRecord> o) mutable {
                               if (o.ok())
                                 s.command_id = o.value().id;
                               else
                                 s.failure = "the start could not be sent to the charger";
                               api->unit(c, 202, [api, s, capability](Repository &r) -> Result<json::value> {
                                 r.update_drive_session(s);
                                 auto v = api->drivers.view(r, s, api->options.live);
                                 return json::value(session_json(v, capability));
                               });
                             });
      });
}

} // namespace

void Api::set_bus(EventBus &bus) {
  impl_->bus = &bus;
}

// ---- sessions ------------------------------------------------------------------------------------

void drive_start(const CtxPtr &c) {
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto in = start_request(*b);
  if (!in) return c->fail(in.error());
  maybe_driver(c, [c, in = *in](const std::optional<DriverLogin> &driver) {
    auto *api = c->api;
    if (in.method == DrivePaymentMethod::Account && !driver)
      return c->problem(401, "starting on the account needs a driver's token (POST /api/v1/drive/auth/login)");
    if (in.method == DrivePaymentMethod::Card && !(api->payments && api->payments->card_enabled()))
      return c->fail(ServiceError::unavailable("card payment is not available here"));
    auto *gateway = &api->gateway;
    services::ConnectedFn connected = [gateway](const StationId &id) { return gateway->is_connected(id); };
    services::run_unit<Result<services::StartTarget>>(
        api->store,
        [api, uid = in.uid, connected,
         on_account = in.method == DrivePaymentMethod::Account ? driver : std::nullopt](Repository &r) {
          return api->drivers.start_target(r, uid, connected, on_account ? &*on_account : nullptr);
        },
        [c, api, in, driver](services::Outcome<Result<services::StartTarget>> o) {
          if (!o.ok()) return c->problem(503, "try again later");
          if (!o.value()) return c->fail(o.value().error());
          const auto target = *o.value();
          auto capability = core::random_token("ds");
          DriveSession s;
          s.id_hash = core::token_hash(capability);
          s.ref = core::random_token("dsr").substr(0, 20);
          s.evse_uid = target.evse.uid;
          s.station = target.evse.station;
          s.evse_id = target.evse.evse_id;
          s.method = in.method;
          s.created_at = api->clock.now();
          if (driver) {
            s.account_id = driver->account_id;
            s.driver_email = driver->email;
          }
          Principal who{driver ? "driver:" + driver->email : std::string("driver:card"), Role::Operator};
          c->who = Principal{who.actor, Role::Viewer};
          if (in.method == DrivePaymentMethod::Account) {
            s.id_token = driver->id_token;
            return send_start(c, s, capability, who);
          }
          services::PaymentAuthorizeRequest pay{services::DriverService::card_hold(target.tariff), in.payment_method,
                                                s.station, s.evse_id, std::nullopt};
          api->payments->authorize(pay, [c, s, capability, who](services::Outcome<Result<Payment>> p) mutable {
            if (!p.ok()) return c->problem(500, "internal error");
            if (!p.value()) return c->fail(p.value().error());
            if (!p.value()->id_token) return c->fail(ServiceError::internal("an authorised payment without a token"));
            s.payment_id = p.value()->id;
            s.id_token = *p.value()->id_token;
            send_start(c, s, capability, who);
          });
        });
  });
}

void drive_session(const CtxPtr &c) {
  with_session(c, [c](const DriveSession &s, const std::optional<DriverLogin> &) {
    auto *api = c->api;
    api->unit(c, 200, [api, s, id = capability_of(c)](Repository &r) -> Result<json::value> {
      return json::value(session_json(api->drivers.view(r, s, api->options.live), id));
    });
  });
}

void drive_stop(const CtxPtr &c) {
  with_session(c, [c](const DriveSession &s, const std::optional<DriverLogin> &) {
    auto *api = c->api;
    services::run_unit<Result<Transaction>>(
        api->store,
        [api, s](Repository &r) -> Result<Transaction> {
          auto v = api->drivers.view(r, s, api->options.live);
          if (!v.transaction) return ServiceError::conflict("the session has not started");
          if (v.transaction->state != TransactionState::Active) return ServiceError::conflict("the session has ended");
          return *v.transaction;
        },
        [c, api, s](services::Outcome<Result<Transaction>> o) {
          if (!o.ok()) return c->problem(503, "try again later");
          if (!o.value()) return c->fail(o.value().error());
          commands::RemoteStop stop;
          stop.transaction_id = o.value()->id;
          stop.station_transaction_id = o.value()->station_tx_id;
          Principal who{s.driver_email ? "driver:" + *s.driver_email : std::string("driver:card"), Role::Operator};
          c->who = Principal{who.actor, Role::Viewer};
          api->commands.submit(who, s.station, stop, [c, api, s](const services::Outcome<CommandRecord> &sent) {
            // 202 only when the stop reached the station (or is on its way); otherwise say why.
            if (!sent.ok()) return c->problem(503, "try again later");
            switch (sent.value().status) {
            case CommandStatus::StationOffline: return c->fail(ServiceError::unavailable("the charger is offline"));
            case CommandStatus::Rejected: return c->fail(ServiceError::conflict("the charger refused to stop"));
            case CommandStatus::TimedOut:
            case CommandStatus::Failed:
              return c->fail(ServiceError::unavailable("the charger did not answer the stop"));
            default: break;
            }
            api->unit(c, 202, [api, s, id = capability_of(c)](Repository &r) -> Result<json::value> {
              return json::value(session_json(api->drivers.view(r, s, api->options.live), id));
            });
          });
        });
  });
}

void drive_receipt(const CtxPtr &c) {
  with_session(c, [c](const DriveSession &s, const std::optional<DriverLogin> &) {
    auto *api = c->api;
    api->unit(c, 200, [api, s](Repository &r) -> Result<json::value> {
      auto v = api->drivers.view(r, s, api->options.live);
      if (!v.transaction) return ServiceError::not_found("no receipt: the session did not start");
      auto cdr = r.cdr_of_transaction(v.transaction->id);
      if (!cdr) return ServiceError::not_found("no receipt yet");
      std::optional<Payment> payment;
      if (s.payment_id) payment = r.payment(*s.payment_id);
      return json::value(receipt_json(*cdr, v.session, payment));
    });
  });
}

void drive_my_sessions(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  // Each session is shown with its cost, priced on the store's thread: a page holds at most 50
  // (the answer's limit says so).
  page->limit = std::min<std::size_t>(page->limit, 50);
  with_driver(c, [c, p = *page](const DriverLogin &d) {
    auto *api = c->api;
    api->unit(c, 200, [api, d, p](Repository &r) -> Result<json::value> {
      json::array items;
      for (auto &s : r.drive_sessions_of_account(d.account_id, p.limit, p.offset))
        items.push_back(session_json(api->drivers.view(r, s, api->options.live), std::nullopt));
      return json::value(page_json(std::move(items), p, r.count_drive_sessions_of_account(d.account_id)));
    });
  });
}

// ---- problem reports ---------------------------------------------------------------------------

void drive_report(const CtxPtr &c) {
  auto *api = c->api;
  const auto remote = c->req.remote;
  if (auto wait = api->report_throttle.locked_for(remote); wait.count() > 0)
    return c->problem(429, "too many reports from this address; try again later", wait);
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  services::NewReport in;
  for (auto [key, out] : {std::pair{"category", &in.category}, {"text", &in.text}}) {
    auto v = text_member(*b, key);
    if (!v) return c->fail(v.error());
    *out = std::move(*v);
  }
  const auto *uid = b->if_contains("evse_uid");
  in.evse_uid = !uid               ? std::string()
                : uid->is_string() ? std::string(uid->get_string())
                : uid->is_int64()  ? std::to_string(uid->get_int64())
                                   : std::string("-");
  auto contact = optional_text_member(*b, "contact", true);
  if (!contact) return c->fail(contact.error());
  in.contact = std::move(*contact);
  in.remote = remote;
  auto report = api->drivers.check_report(in);
  if (!report) return c->fail(report.error());
  api->report_throttle.fail(remote); // counts every report, not failures: at most N per window
  auto added = std::make_shared<std::optional<ProblemReport>>();
  api->unit(
      c, 201,
      [api, p = *report, added](Repository &r) -> Result<json::value> {
        auto stored = api->drivers.add_report(r, p);
        if (!stored) return stored.error();
        *added = *stored;
        return json::value(json::object{{"id", stored->id}});
      },
      [api, added] {
        if (*added && api->bus)
          api->bus->publish(ProblemReported{(*added)->station, (*added)->created_at, (*added)->id, (*added)->evse_id,
                                            (*added)->category});
      });
}

void list_reports(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  ReportFilter f;
  if (auto v = c->query_param("station")) {
    auto id = StationId::parse(*v);
    if (!id) return c->fail(bad_query("station", "station must be a station id"));
    f.station = *id;
  }
  if (auto v = c->query_param("status")) {
    f.status = parse_report_status(*v);
    if (!f.status) return c->fail(bad_query("status", "status must be open or resolved"));
  }
  f.limit = page->limit;
  f.offset = page->offset;
  c->api->unit(c, 200, [f, p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &report : r.problem_reports(f))
      items.push_back(report_json(report));
    return json::value(page_json(std::move(items), p, r.count_problem_reports(f)));
  });
}

void update_report(const CtxPtr &c) {
  auto id = c->path_number("report");
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto text = text_member(*b, "status");
  if (!text) return c->fail(text.error());
  auto status = parse_report_status(*text);
  if (!status) return c->fail(ServiceError::invalid("status must be open or resolved", "status"));
  auto *api = c->api;
  api->unit(c, 200, [api, id = *id, status = *status](Repository &r) -> Result<json::value> {
    auto p = api->drivers.set_report_status(r, id, status);
    if (!p) return p.error();
    return json::value(report_json(*p));
  });
}

} // namespace gridlane::api
