// Invoices and revenue reports (docs/billing.md): POST /invoices/run, GET /invoices[/{id}],
// GET /invoices/{id}.pdf, GET /reports/revenue. The rules are services::InvoiceService's; this
// file reads requests and writes answers.
#include "gridlane/api/invoices.hpp"

#include "gridlane/billing/invoice_pdf.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/services/invoice_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;
using core::Decimal;

namespace {

std::string amount(Decimal d, const core::Currency &c) {
  return d.to_fixed(c.minor_digits(), core::Rounding::HalfUp);
}
json::value opt_text(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt_decimal(const std::optional<Decimal> &v) {
  return v ? json::value(v->to_string()) : json::value(nullptr);
}

Result<core::Timestamp> time_param(const CtxPtr &c, const char *name, bool body, const json::object *o) {
  std::optional<std::string> text;
  if (body) {
    auto t = text_member(*o, name);
    if (!t) return t.error();
    text = *t;
  } else {
    text = c->query_param(name);
    if (!text) return bad_query(name, std::string("?") + name + " is required (RFC 3339)");
  }
  auto t = core::parse_iso8601(*text);
  if (!t) {
    auto msg = std::string("'") + name + "' must be an RFC 3339 date-time with a zone";
    return body ? ServiceError::invalid(msg, std::string(name)) : bad_query(name, msg);
  }
  return *t;
}

//! The service, or 503 when this server was started without one (it always is by `serve`).
services::InvoiceService *service(const CtxPtr &c) {
  if (!c->api->invoices) c->problem(503, "invoicing is not available in this server");
  return c->api->invoices;
}

} // namespace

json::object invoice_json(const Invoice &inv) {
  const auto &cur = inv.currency;
  json::array lines;
  for (const auto &l : inv.lines) {
    lines.push_back(json::object{
        {"kind", to_string(l.item.kind)},
        {"description", l.item.description},
        {"reference", opt_text(l.item.reference)},
        {"location_id", opt_text(l.item.location_id)},
        {"at", l.item.at ? json::value(core::format_iso8601(*l.item.at)) : json::value(nullptr)},
        {"energy_kwh", opt_decimal(l.item.energy_kwh)},
        {"vat_rate", opt_decimal(l.item.vat_rate)},
        {"amount", l.item.amount_excl_vat.to_string()},
        {"excl_vat", amount(l.excl_vat, cur)},
        {"vat", amount(l.vat, cur)},
        {"incl_vat", amount(l.incl_vat, cur)},
    });
  }
  json::array vat;
  for (const auto &v : inv.vat)
    vat.push_back(json::object{{"rate", opt_decimal(v.rate)},
                               {"excl_vat", amount(v.excl_vat, cur)},
                               {"vat", amount(v.vat, cur)},
                               {"incl_vat", amount(v.incl_vat, cur)}});
  return json::object{
      {"id", inv.id},
      {"number", inv.number},
      {"issuer", inv.issuer},
      {"sequence", inv.sequence},
      {"account_id", inv.account_id},
      {"account_name", inv.account_name},
      {"currency", cur.code()},
      {"period_from", core::format_iso8601(inv.period_from)},
      {"period_to", core::format_iso8601(inv.period_to)},
      {"issued_at", core::format_iso8601(inv.issued_at)},
      {"lines", std::move(lines)},
      {"vat", std::move(vat)},
      {"total_excl_vat", amount(inv.total_excl_vat, cur)},
      {"total_vat", amount(inv.total_vat, cur)},
      {"total_incl_vat", amount(inv.total_incl_vat, cur)},
  };
}

json::object revenue_row_json(const billing::RevenueRow &r) {
  json::object o{{"period", r.period},
                 {"currency", r.currency.code()},
                 {"sessions", r.sessions},
                 {"energy_kwh", r.energy_kwh.to_string()},
                 {"excl_vat", amount(r.excl_vat, r.currency)},
                 {"vat", amount(r.vat, r.currency)},
                 {"incl_vat", amount(r.incl_vat, r.currency)},
                 {"source", billing::to_string(r.source)}};
  return o;
}

void Api::set_invoices(services::InvoiceService &invoices) {
  impl_->invoices = &invoices;
}

void run_invoices(const CtxPtr &c) {
  auto *svc = service(c);
  if (!svc) return;
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  services::InvoiceRun run;
  auto from = time_param(c, "from", true, &*body);
  if (!from) return c->fail(from.error());
  auto to = time_param(c, "to", true, &*body);
  if (!to) return c->fail(to.error());
  run.from = *from;
  run.to = *to;
  auto issuer = optional_text_member(*body, "issuer");
  if (!issuer) return c->fail(issuer.error());
  if (*issuer) run.issuer = **issuer;
  auto account = optional_text_member(*body, "account_id");
  if (!account) return c->fail(account.error());
  run.account_id = *account;
  auto now = c->api->clock.now();
  c->api->unit(c, 201, [svc, run, now](Repository &r) -> Result<json::value> {
    auto report = svc->run(r, run, now);
    if (!report) return report.error();
    json::array created, skipped;
    for (const auto &inv : report->created)
      created.push_back(invoice_json(inv));
    for (const auto &a : report->already_invoiced)
      skipped.push_back(json::string(a));
    return json::object{{"from", core::format_iso8601(run.from)},
                        {"to", core::format_iso8601(run.to)},
                        {"issuer", run.issuer},
                        {"created", std::move(created)},
                        {"already_invoiced", std::move(skipped)}};
  });
}

void list_invoices(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  InvoiceFilter f;
  f.limit = page->limit;
  f.offset = page->offset;
  f.account_id = c->query_param("account_id");
  f.issuer = c->query_param("issuer");
  for (const char *name : {"from", "to"}) {
    if (!c->query_param(name)) continue;
    auto t = time_param(c, name, false, nullptr);
    if (!t) return c->fail(t.error());
    (std::string_view(name) == "from" ? f.from : f.to) = *t;
  }
  auto p = *page;
  c->api->unit(c, 200, [f, p](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &inv : r.invoices(f))
      items.push_back(invoice_json(inv));
    return page_json(std::move(items), p, r.count_invoices(f));
  });
}

//! GET /invoices/{id} and /invoices/{id}.pdf: {id} is the store id or the invoice number.
void get_invoice(const CtxPtr &c) {
  auto *svc = service(c);
  if (!svc) return;
  std::string key = c->path.at("id");
  const bool pdf = key.size() > 4 && key.ends_with(".pdf");
  if (pdf) key.resize(key.size() - 4);
  std::optional<std::int64_t> id;
  if (!key.empty() && key.size() < 19 && key.find_first_not_of("0123456789") == std::string::npos) id = std::stoll(key);
  if (!pdf) {
    return c->api->unit(c, 200, [svc, id, key](Repository &r) -> Result<json::value> {
      auto inv = id ? svc->invoice(r, *id) : svc->invoice_by_number(r, key);
      if (!inv) return inv.error();
      return invoice_json(*inv);
    });
  }
  services::run_unit<Result<std::string>>(
      c->api->store,
      [svc, id, key](Repository &r) -> Result<std::string> {
        auto inv = id ? svc->invoice(r, *id) : svc->invoice_by_number(r, key);
        if (!inv) return inv.error();
        return billing::render_invoice_pdf(*inv);
      },
      [c, key](services::Outcome<Result<std::string>> o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        if (!o.value()) return c->fail(o.value().error());
        Response res;
        res.body = std::move(*o.value());
        res.content_type = "application/pdf";
        res.headers.emplace_back("Content-Disposition", "inline; filename=\"invoice-" + key + ".pdf\"");
        auto finish = std::move(c->done);
        if (finish) finish(std::move(res));
      });
}

void revenue_report(const CtxPtr &c) {
  auto *svc = service(c);
  if (!svc) return;
  auto from = time_param(c, "from", false, nullptr);
  if (!from) return c->fail(from.error());
  auto to = time_param(c, "to", false, nullptr);
  if (!to) return c->fail(to.error());
  billing::RevenueQuery q;
  if (auto g = c->query_param("group_by")) {
    if (*g != "location" && *g != "none") return c->fail(bad_query("group_by", "group_by is location or none"));
    q.by_location = *g == "location";
  }
  if (auto p = c->query_param("period")) {
    auto period = billing::parse_revenue_period(*p);
    if (!period) return c->fail(bad_query("period", "period is day, month or total"));
    q.period = *period;
  }
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto f = *from, t = *to;
  auto p = *page;
  c->api->unit(c, 200, [svc, f, t, q, p](Repository &r) -> Result<json::value> {
    auto rows = svc->revenue(r, f, t, q);
    if (!rows) return rows.error();
    json::array items;
    for (std::size_t i = p.offset; i < rows->size() && i < p.offset + p.limit; ++i) {
      auto j = revenue_row_json((*rows)[i]);
      if (q.by_location) j["location_id"] = opt_text((*rows)[i].location_id);
      items.push_back(std::move(j));
    }
    auto out = page_json(std::move(items), p, static_cast<std::int64_t>(rows->size()));
    out["from"] = core::format_iso8601(f);
    out["to"] = core::format_iso8601(t);
    out["group_by"] = q.by_location ? "location" : "none";
    return out;
  });
}

} // namespace gridlane::api
