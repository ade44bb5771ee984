// Payments (docs/payments.md): POST /payments/authorizations holds an amount for an ad-hoc
// session and answers its one-time id token; GET /payments[/{id}]; POST /payments/{id}/cancel
// releases a hold unused. The rules are services::PaymentService's; this file reads requests and
// writes answers. Amounts are decimal strings in the currency's minor digits ("20.00"), never
// binary floats.
#include "gridlane/core/logging.hpp"
#include "gridlane/services/payment_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_payments(services::PaymentService &payments) {
  impl_->payments = &payments;
}

namespace {

std::string amount_text(std::int64_t minor, const core::Currency &currency) {
  auto m = core::Money::from_minor(minor, currency);
  return m ? m->format(core::Rounding::HalfUp) : std::to_string(minor);
}

json::value opt_text(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt_time(const std::optional<Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}

json::object operation_json(const PaymentOperation &op, const core::Currency &currency) {
  return json::object{{"kind", to_string(op.kind)},
                      {"status", to_string(op.status)},
                      {"idempotency_key", op.idempotency_key},
                      {"amount", amount_text(op.amount_minor, currency)},
                      {"provider_ref", opt_text(op.provider_ref)},
                      {"reference", opt_text(op.reference)},
                      {"error", opt_text(op.error)},
                      {"created_at", core::format_iso8601(op.created_at)},
                      {"done_at", opt_time(op.done_at)}};
}

//! The one-time id token is shown to operators only: a viewer could charge on the hold with it.
json::object payment_json(const Payment &p, bool show_token) {
  json::object o{{"id", p.id},
                 {"method", to_string(p.method)},
                 {"status", to_string(p.status)},
                 {"provider", p.provider},
                 {"provider_ref", opt_text(p.provider_ref)},
                 {"payment_method", p.payment_method},
                 {"currency", p.currency.code()},
                 {"amount_authorized", amount_text(p.authorized_minor, p.currency)},
                 {"amount_captured", amount_text(p.captured_minor, p.currency)},
                 {"amount_refunded", amount_text(p.refunded_minor, p.currency)},
                 {"id_token", show_token ? opt_text(p.id_token) : json::value(nullptr)},
                 {"token_expires_at", opt_time(p.token_expires_at)},
                 {"station", p.station ? json::value(p.station->str()) : json::value(nullptr)},
                 {"evse", p.evse_id ? json::value(*p.evse_id) : json::value(nullptr)},
                 {"transaction_id", p.transaction_id ? json::value(*p.transaction_id) : json::value(nullptr)},
                 {"cdr_id", opt_text(p.cdr_id)},
                 {"account_id", opt_text(p.account_id)},
                 {"error", opt_text(p.error)},
                 {"created_at", core::format_iso8601(p.created_at)},
                 {"updated_at", core::format_iso8601(p.updated_at)}};
  return o;
}

bool operator_or_more(const CtxPtr &c) {
  return c->who.role != Role::Viewer;
}

//! Answers a PaymentService reply: the payment (with its operations when asked) or the problem.
services::PaymentReply answer(const CtxPtr &c, int status) {
  return [c, status](services::Outcome<Result<Payment>> o) {
    if (!o.ok()) {
      core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
      return c->problem(500, "internal error");
    }
    if (!o.value()) return c->fail(o.value().error());
    c->reply(status, payment_json(*o.value(), operator_or_more(c)));
  };
}

services::PaymentService *service(const CtxPtr &c) {
  return c->api->payments;
}

//! "amount": a decimal string ("20.00") or a whole number; a binary float is refused.
Result<core::Money> amount_member(const json::object &body, const core::Currency &currency) {
  const auto *v = body.if_contains("amount");
  if (!v) return ServiceError::invalid("'amount' is required", "amount");
  core::ValueResult<core::Money> m = core::ValueError::Invalid;
  if (v->is_string())
    m = core::Money::parse(v->get_string(), currency);
  else if (v->is_int64())
    m = core::Money::parse(std::to_string(v->get_int64()), currency);
  else
    return ServiceError::invalid("'amount' must be a decimal string such as \"20.00\"", "amount");
  if (!m) return ServiceError::invalid("'amount' must be a decimal such as \"20.00\"", "amount");
  return *m;
}

} // namespace

void authorize_payment(const CtxPtr &c) {
  auto *payments = service(c);
  if (!payments) return c->fail(ServiceError::unavailable("payments are not available"));
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto code = text_member(*body, "currency");
  if (!code) return c->fail(code.error());
  auto currency = core::Currency::parse(*code);
  if (!currency) return c->fail(ServiceError::invalid("'currency' must be an ISO 4217 code such as EUR", "currency"));
  auto amount = amount_member(*body, *currency);
  if (!amount) return c->fail(amount.error());
  auto method = text_member(*body, "payment_method");
  if (!method) return c->fail(method.error());
  auto station = optional_text_member(*body, "station", true);
  if (!station) return c->fail(station.error());
  auto account = optional_text_member(*body, "account_id", true);
  if (!account) return c->fail(account.error());
  services::PaymentAuthorizeRequest req{*amount, *method, std::nullopt, std::nullopt, *account};
  if (*station) {
    auto id = StationId::parse(**station);
    if (!id) return c->fail(ServiceError::invalid("no such station", "station"));
    req.station = *id;
  }
  if (const auto *evse = body->if_contains("evse"); evse && !evse->is_null()) {
    if (!evse->is_int64() || evse->get_int64() < 0 || evse->get_int64() > max_wire_int)
      return c->fail(ServiceError::invalid("'evse' must be an EVSE id (a whole number)", "evse"));
    req.evse_id = static_cast<int>(evse->get_int64());
  }
  payments->authorize(req, answer(c, 201));
}

void cancel_payment(const CtxPtr &c) {
  auto *payments = service(c);
  if (!payments) return c->fail(ServiceError::unavailable("payments are not available"));
  auto id = c->path_number("payment");
  if (!id) return c->fail(id.error());
  payments->cancel(*id, answer(c, 200));
}

void list_payments(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  PaymentFilter f;
  f.limit = page->limit;
  f.offset = page->offset;
  if (auto s = c->query_param("status")) {
    f.status = parse_payment_status(*s);
    if (!f.status)
      return c->fail(bad_query("status", "status must be pending, authorized, captured, canceled, failed or refunded"));
  }
  if (auto t = c->query_param("transaction_id")) {
    try {
      std::size_t used = 0;
      f.transaction_id = std::stoll(*t, &used);
      if (used != t->size()) throw std::invalid_argument("trailing");
    } catch (const std::exception &) {
      return c->fail(bad_query("transaction_id", "transaction_id must be a whole number"));
    }
  }
  auto show = operator_or_more(c);
  c->api->unit(c, 200, [f, page = *page, show](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &p : r.payments(f))
      items.push_back(payment_json(p, show));
    return json::value(page_json(std::move(items), page, r.count_payments(f)));
  });
}

void get_payment(const CtxPtr &c) {
  auto id = c->path_number("payment");
  if (!id) return c->fail(id.error());
  auto show = operator_or_more(c);
  c->api->unit(c, 200, [id = *id, show](Repository &r) -> Result<json::value> {
    auto p = r.payment(id);
    if (!p) return ServiceError::not_found("no such payment");
    auto out = payment_json(*p, show);
    json::array ops;
    for (const auto &op : r.payment_operations(p->id))
      ops.push_back(operation_json(op, p->currency));
    out["operations"] = std::move(ops);
    return json::value(std::move(out));
  });
}

} // namespace gridlane::api
