// Charge detail records (docs/cdrs.md): GET /cdrs (filtered, paged), GET /cdrs/{id},
// GET /cdrs.csv (the same filters, as CSV), POST /cdrs/{id}/credit. A CDR is answered in its
// OCPI 2.2.1 shape (domain/cdr_codec.hpp); the rules are services::CdrService's.
#include <charconv>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/cdr_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

constexpr std::size_t csv_default_limit = 10'000;
constexpr std::size_t csv_max_limit = 100'000;

Result<std::optional<Timestamp>> time_query(const Ctx &c, const char *name) {
  auto text = c.query_param(name);
  if (!text) return std::optional<Timestamp>{};
  auto t = core::parse_iso8601(*text);
  if (!t) return bad_query(name, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z");
  return t;
}

Result<CdrFilter> cdr_filter(const Ctx &c) {
  CdrFilter f;
  auto from = time_query(c, "from");
  if (!from) return from.error();
  auto to = time_query(c, "to");
  if (!to) return to.error();
  f.from = *from;
  f.to = *to;
  f.location = c.query_param("location");
  if (auto s = c.query_param("station")) f.station = StationId::unchecked(*s);
  f.token = c.query_param("token");
  if (auto cur = c.query_param("currency")) {
    if (!core::Currency::parse(*cur)) return bad_query("currency", "currency must be an ISO 4217 code such as EUR");
    f.currency = *cur;
  }
  if (auto credit = c.query_param("credit")) {
    if (*credit != "true" && *credit != "false") return bad_query("credit", "credit must be true or false");
    f.credit = *credit == "true";
  }
  return f;
}

// ---- CSV (RFC 4180) ------------------------------------------------------------------------------

//! A text cell: quoted when it holds a separator, a quote or a line break; a leading = + - @
//! (a spreadsheet formula) is defused with an apostrophe, as text from a station may start so.
void text_cell(std::string &out, std::string_view v) {
  std::string cell;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) cell += '\'';
  cell += v;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    out += cell;
    return;
  }
  out += '"';
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

void number_cell(std::string &out, const std::optional<core::Decimal> &d) {
  if (d) out += d->to_string();
}

std::optional<core::Decimal> excl(const std::optional<Price> &p) {
  return p ? std::optional{p->excl_vat} : std::nullopt;
}

constexpr std::string_view csv_header =
    "id,credit,credit_reference_id,session_id,start_date_time,end_date_time,location_id,evse_uid,evse_id,"
    "connector_id,token_uid,auth_method,currency,total_energy_kwh,total_time_h,total_parking_time_h,"
    "total_cost_excl_vat,total_cost_incl_vat,total_fixed_cost_excl_vat,total_energy_cost_excl_vat,"
    "total_time_cost_excl_vat,total_parking_cost_excl_vat,total_reservation_cost_excl_vat,tariff_id,"
    "invoice_reference_id,last_updated\r\n";

void csv_row(std::string &out, const Cdr &c) {
  auto sep = [&out] { out += ','; };
  text_cell(out, c.id), sep();
  out += c.credit ? "true" : "false", sep();
  text_cell(out, c.credit_reference_id.value_or("")), sep();
  text_cell(out, c.session_id.value_or("")), sep();
  out += format_ocpi_time(c.start_date_time), sep();
  out += format_ocpi_time(c.end_date_time), sep();
  text_cell(out, c.cdr_location.id), sep();
  text_cell(out, c.cdr_location.evse_uid), sep();
  text_cell(out, c.cdr_location.evse_id), sep();
  text_cell(out, c.cdr_location.connector_id), sep();
  text_cell(out, c.cdr_token.uid), sep();
  out += to_string(c.auth_method), sep();
  out += c.currency.code(), sep();
  number_cell(out, c.total_energy), sep();
  number_cell(out, c.total_time), sep();
  number_cell(out, c.total_parking_time), sep();
  number_cell(out, c.total_cost.excl_vat), sep();
  number_cell(out, c.total_cost.incl_vat), sep();
  number_cell(out, excl(c.total_fixed_cost)), sep();
  number_cell(out, excl(c.total_energy_cost)), sep();
  number_cell(out, excl(c.total_time_cost)), sep();
  number_cell(out, excl(c.total_parking_cost)), sep();
  number_cell(out, excl(c.total_reservation_cost)), sep();
  text_cell(out, c.tariffs.empty() ? std::string_view{} : std::string_view{c.tariffs.front().id}), sep();
  text_cell(out, c.invoice_reference_id.value_or("")), sep();
  out += format_ocpi_time(c.last_updated);
  out += "\r\n";
}

} // namespace

void Api::set_cdrs(services::CdrService &cdrs) {
  impl_->cdrs = &cdrs;
}

void list_cdrs(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto f = cdr_filter(*c);
  if (!f) return c->fail(f.error());
  c->api->unit(c, 200, [f = *f, p = *page](Repository &r) -> Result<json::value> {
    auto rows = r.list_cdrs(f, p);
    json::array items;
    items.reserve(rows.items.size());
    for (const auto &cdr : rows.items)
      items.push_back(cdr_to_json(cdr));
    return json::value(page_json(std::move(items), p, rows.total));
  });
}

void get_cdr(const CtxPtr &c) {
  c->api->unit(c, 200, [id = c->path.at("id")](Repository &r) -> Result<json::value> {
    auto cdr = r.cdr(id);
    if (!cdr) return ServiceError::not_found("no such CDR");
    return json::value(cdr_to_json(*cdr));
  });
}

void export_cdrs_csv(const CtxPtr &c) {
  auto f = cdr_filter(*c);
  if (!f) return c->fail(f.error());
  PageRequest page{csv_default_limit, 0};
  if (auto v = c->query_param("limit")) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc{} || end != v->data() + v->size() || n == 0 || n > csv_max_limit)
      return c->fail(bad_query("limit", "limit must be a whole number from 1 to " + std::to_string(csv_max_limit)));
    page.limit = n;
  }
  if (auto v = c->query_param("offset")) {
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), page.offset);
    if (ec != std::errc{} || end != v->data() + v->size())
      return c->fail(bad_query("offset", "offset must be a whole number"));
  }
  auto body = std::make_shared<std::string>();
  auto total = std::make_shared<std::int64_t>(0);
  services::run_unit<bool>(
      c->api->store,
      [f = *f, page, body, total](Repository &r) {
        auto rows = r.list_cdrs(f, page);
        *total = rows.total;
        body->reserve(csv_header.size() + rows.items.size() * 300);
        body->append(csv_header);
        for (const auto &cdr : rows.items)
          csv_row(*body, cdr);
        return true;
      },
      [c, body, total, page](const services::Outcome<bool> &o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        Response r;
        r.content_type = "text/csv; charset=utf-8";
        r.body = std::move(*body);
        r.headers.emplace_back("X-Total-Count", std::to_string(*total));
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"cdrs.csv\"");
        (void)page;
        auto finish = std::move(c->done);
        if (finish) finish(std::move(r));
      });
}

void credit_cdr(const CtxPtr &c) {
  auto *service = c->api->cdrs;
  if (!service) return c->fail(ServiceError::unavailable("CDRs are not served by this process"));
  std::optional<std::string> remark;
  if (!c->req.body.empty()) {
    auto body = c->json_body();
    if (!body) return c->fail(body.error());
    auto r = optional_text_member(*body, "remark", true);
    if (!r) return c->fail(r.error());
    remark = *r;
  }
  auto made = std::make_shared<std::optional<Cdr>>();
  c->api->unit(
      c, 201,
      [service, id = c->path.at("id"), remark, made](Repository &r) -> Result<json::value> {
        auto credit = service->credit(r, id, remark);
        if (!credit) return credit.error();
        made->emplace(*credit);
        return json::value(cdr_to_json(*credit));
      },
      [service, made] {
        if (*made) service->committed({**made});
      });
}

} // namespace gridlane::api
