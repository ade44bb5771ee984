// Customer accounts, billing plans, coupons and loyalty points (docs/billing.md). The rules are
// services::AccountService's, the arithmetic billing::apply_benefits'; this file reads requests
// and writes answers.
#include "gridlane/api/billing_json.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

const services::AccountService &rules(const CtxPtr &c) {
  return c->api->accounts;
}

const std::string &path_id(const CtxPtr &c) {
  return c->path.at("id");
}

json::object account_detail(Repository &r, const Account &a) {
  return account_json(a, r.open_subscription(a.id), r.coupon_holdings(a.id), r.loyalty_balance(a.id));
}

template <class T> Result<json::value> detail_of(Repository &r, const Result<T> &a) {
  if (!a) return a.error();
  return json::value(account_detail(r, *a));
}

} // namespace

// ---- accounts

void list_accounts(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  AccountFilter f;
  f.limit = page->limit;
  f.offset = page->offset;
  f.name = c->query_param("name");
  c->api->unit(c, 200, [f, p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &a : r.accounts(f))
      items.push_back(account_summary_json(a));
    return json::value(page_json(std::move(items), p, r.count_accounts(f)));
  });
}

void create_account(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  Account draft;
  if (auto ok = apply_account_fields(*body, draft, true); !ok) return c->fail(ok.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  c->api->unit(c, 201,
               [draft, now, &service](Repository &r) { return detail_of(r, service.create_account(r, draft, now)); });
}

void get_account(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 200, [id = path_id(c), &service](Repository &r) { return detail_of(r, service.account(r, id)); });
}

void update_account(const CtxPtr &c) {
  auto parsed = c->json_body();
  if (!parsed) return c->fail(parsed.error());
  auto id = path_id(c);
  if (const auto *v = parsed->if_contains("id"); v && !(v->is_string() && v->get_string() == id))
    return c->fail(ServiceError::invalid("an account's id never changes", "id"));
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  c->api->unit(c, 200, [id, body = std::move(*parsed), now, &service](Repository &r) -> Result<json::value> {
    auto current = service.account(r, id);
    if (!current) return current.error();
    auto changed = *current;
    if (auto ok = apply_account_fields(body, changed, false); !ok) return ok.error();
    return detail_of(r, service.update_account(r, changed, now));
  });
}

void delete_account(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 204, [id = path_id(c), &service](Repository &r) -> Result<json::value> {
    if (auto ok = service.delete_account(r, id); !ok) return ok.error();
    return json::value(nullptr);
  });
}

void put_account_token(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto account = text_member(*body, "account");
  if (!account) return c->fail(account.error());
  AccountToken t{path_id(c), std::nullopt};
  auto driver = optional_text_member(*body, "driver", true);
  if (!driver) return c->fail(driver.error());
  t.driver = *driver;
  const auto &service = rules(c);
  c->api->unit(c, 200,
               [id = *account, t, &service](Repository &r) { return detail_of(r, service.link_token(r, id, t)); });
}

void delete_account_token(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 200, [token = path_id(c), &service](Repository &r) -> Result<json::value> {
    auto a = r.account_of_token(token);
    if (!a) return ServiceError::not_found("the token belongs to no account");
    return detail_of(r, service.unlink_token(r, a->id, token));
  });
}

void put_subscription(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto plan = text_member(*body, "plan");
  if (!plan) return c->fail(plan.error());
  auto start_text = optional_text_member(*body, "start", true);
  if (!start_text) return c->fail(start_text.error());
  std::optional<core::Timestamp> start;
  if (*start_text) {
    start = core::parse_iso8601(**start_text);
    if (!start) return c->fail(ServiceError::invalid("'start' must be an RFC 3339 date-time with zone", "start"));
  }
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  c->api->unit(c, 200, [id = path_id(c), plan = *plan, start, now, &service](Repository &r) -> Result<json::value> {
    auto s = service.subscribe(r, id, plan, start, now);
    if (!s) return s.error();
    return detail_of(r, service.account(r, id));
  });
}

void delete_subscription(const CtxPtr &c) {
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  c->api->unit(c, 200, [id = path_id(c), now, &service](Repository &r) -> Result<json::value> {
    auto s = service.unsubscribe(r, id, now);
    if (!s) return s.error();
    return json::value(subscription_json(*s));
  });
}

void claim_account_coupon(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto code = text_member(*body, "code");
  if (!code) return c->fail(code.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  c->api->unit(c, 201, [id = path_id(c), code = *code, now, &service](Repository &r) -> Result<json::value> {
    auto held = service.claim_coupon(r, id, code, now);
    if (!held) return held.error();
    return detail_of(r, service.account(r, id));
  });
}

void get_account_loyalty(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto &service = rules(c);
  c->api->unit(c, 200, [id = path_id(c), p = *page, &service](Repository &r) -> Result<json::value> {
    auto s = service.loyalty(r, id, p.limit, p.offset);
    if (!s) return s.error();
    json::array items;
    for (const auto &e : s->entries)
      items.push_back(loyalty_entry_json(e));
    auto out = page_json(std::move(items), p, s->total);
    out["balance"] = s->balance;
    return json::value(std::move(out));
  });
}

void adjust_account_loyalty(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  const auto *points = body->if_contains("points");
  if (!points || !points->is_int64())
    return c->fail(ServiceError::invalid("'points' must be a whole number (negative takes away)", "points"));
  auto reason = optional_text_member(*body, "reason", true);
  if (!reason) return c->fail(reason.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  c->api->unit(c, 201,
               [id = path_id(c), n = points->get_int64(), reason = *reason, now,
                &service](Repository &r) -> Result<json::value> {
                 auto s = service.adjust_points(r, id, n, reason, now);
                 if (!s) return s.error();
                 return json::value(json::object{{"balance", s->balance}});
               });
}

void preview_account_benefits(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto session = preview_session_from_json(*body);
  if (!session) return c->fail(session.error());
  const auto &service = rules(c);
  c->api->unit(c, 200, [id = path_id(c), s = std::move(*session), &service](Repository &r) -> Result<json::value> {
    auto b = service.benefits(r, id, s.session, s.start, s.first_hour);
    if (!b) return b.error();
    return json::value(benefits_json(*b, s.session.currency));
  });
}

// ---- billing plans

void list_billing_plans(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &plan : r.billing_plans(p.limit, p.offset))
      items.push_back(plan_json(plan));
    return json::value(page_json(std::move(items), p, r.count_billing_plans()));
  });
}

void get_billing_plan(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 200, [id = path_id(c), &service](Repository &r) -> Result<json::value> {
    auto p = service.plan(r, id);
    if (!p) return p.error();
    return json::value(plan_json(*p));
  });
}

void put_billing_plan(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto plan = plan_from_json(*body, path_id(c));
  if (!plan) return c->fail(plan.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  services::run_unit<Result<services::Put<BillingPlan>>>(
      c->api->store, [plan = *plan, now, &service](Repository &r) { return service.put_plan(r, plan, now); },
      [c](services::Outcome<Result<services::Put<BillingPlan>>> o) {
        if (!o.ok()) return c->problem(500, "internal error");
        if (!o.value()) return c->fail(o.value().error());
        c->reply(o.value()->created ? 201 : 200, plan_json(o.value()->value));
      });
}

void delete_billing_plan(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 204, [id = path_id(c), &service](Repository &r) -> Result<json::value> {
    if (auto ok = service.delete_plan(r, id); !ok) return ok.error();
    return json::value(nullptr);
  });
}

// ---- coupons

void list_coupons(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &coupon : r.coupons(p.limit, p.offset))
      items.push_back(coupon_json(coupon, r.count_coupon_redemptions(coupon.code, std::nullopt)));
    return json::value(page_json(std::move(items), p, r.count_coupons()));
  });
}

void get_coupon(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 200, [code = path_id(c), &service](Repository &r) -> Result<json::value> {
    auto coupon = service.coupon(r, code);
    if (!coupon) return coupon.error();
    return json::value(coupon_json(*coupon, r.count_coupon_redemptions(code, std::nullopt)));
  });
}

void put_coupon(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto coupon = coupon_from_json(*body, path_id(c));
  if (!coupon) return c->fail(coupon.error());
  auto now = c->api->clock.now();
  const auto &service = rules(c);
  services::run_unit<Result<services::Put<Coupon>>>(
      c->api->store, [coupon = *coupon, now, &service](Repository &r) { return service.put_coupon(r, coupon, now); },
      [c](services::Outcome<Result<services::Put<Coupon>>> o) {
        if (!o.ok()) return c->problem(500, "internal error");
        if (!o.value()) return c->fail(o.value().error());
        c->reply(o.value()->created ? 201 : 200, coupon_json(o.value()->value));
      });
}

void delete_coupon(const CtxPtr &c) {
  const auto &service = rules(c);
  c->api->unit(c, 204, [code = path_id(c), &service](Repository &r) -> Result<json::value> {
    if (auto ok = service.delete_coupon(r, code); !ok) return ok.error();
    return json::value(nullptr);
  });
}

} // namespace gridlane::api
