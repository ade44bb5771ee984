// Availability and uptime (docs/operations.md "Availability and uptime"): GET /outages (filtered,
// paged), GET /outages.csv, GET and PATCH /outages/{id} (an operator's exclusion), GET
// /stations/{id}/timeline, GET /stations/{id}/uptime, GET /locations/{id}/uptime, GET
// /reports/uptime and /reports/uptime.csv (the monthly report). The rules are
// services/availability_service's; this file reads queries and writes JSON and CSV.
#include <charconv>
#include <map>

#include "gridlane/core/logging.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/availability_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

Result<std::optional<Timestamp>> time_param(const Ctx &c, const char *name) {
  auto text = c.query_param(name);
  if (!text) return std::optional<Timestamp>{};
  auto t = core::parse_iso8601(*text);
  if (!t) return bad_query(name, std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-03-01T00:00:00Z");
  return t;
}

Result<std::optional<bool>> bool_param(const Ctx &c, const char *name) {
  auto text = c.query_param(name);
  if (!text) return std::optional<bool>{};
  if (*text != "true" && *text != "false") return bad_query(name, std::string(name) + " must be true or false");
  return std::optional<bool>{*text == "true"};
}

Result<std::optional<int>> evse_param(const Ctx &c) {
  auto text = c.query_param("evse");
  if (!text) return std::optional<int>{};
  int n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || n < 1)
    return bad_query("evse", "evse must be an EVSE id from 1");
  return std::optional<int>{n};
}

//! ?month=YYYY-MM, or ?from and ?to.
Result<services::UptimePeriod> period_params(const Ctx &c) {
  services::UptimePeriod p;
  if (auto month = c.query_param("month")) {
    if (c.query_param("from") || c.query_param("to")) return bad_query("month", "give month, or from and to, not both");
    const auto &m = *month;
    int year = 0;
    int mon = 0;
    auto digits = [](std::string_view s, int &out) {
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      return ec == std::errc{} && end == s.data() + s.size();
    };
    if (m.size() != 7 || m[4] != '-' || !digits(std::string_view(m).substr(0, 4), year) ||
        !digits(std::string_view(m).substr(5, 2), mon) || mon < 1 || mon > 12 || year < 1970)
      return bad_query("month", "month must be YYYY-MM, e.g. 2026-03");
    p.year = year;
    p.month = mon;
    return p;
  }
  auto from = time_param(c, "from");
  if (!from) return from.error();
  auto to = time_param(c, "to");
  if (!to) return to.error();
  if (!*from || !*to) return bad_query("month", "give month=YYYY-MM, or from and to");
  if (**to <= **from) return bad_query("to", "to must be after from");
  p.from = *from;
  p.to = *to;
  return p;
}

//! "2026-03" (the period's checks keep the year to four digits and the month to 1..12).
std::string month_text(int year, int month) {
  auto y = std::to_string(year);
  return std::string(y.size() < 4 ? 4 - y.size() : 0, '0') + y + (month < 10 ? "-0" : "-") + std::to_string(month);
}

std::string percent_text(const Uptime &u) {
  return u.percent().to_fixed(2, core::Rounding::Down);
}

//! The figures of an uptime, minutes as exact decimals (two places at most).
void put_figures(json::object &o, const Uptime &u) {
  o["ports"] = u.ports;
  o["period_minutes"] = minutes_of(u.period_ms).to_string();
  o["outage_minutes"] = minutes_of(u.outage_ms).to_string();
  o["excluded_minutes"] = minutes_of(u.excluded_ms).to_string();
  o["counted_outage_minutes"] = minutes_of(u.outage_ms - u.excluded_ms).to_string();
  o["uptime_percent"] = percent_text(u);
}

json::object port_json(const services::PortUptime &p) {
  json::object o{{"station_id", p.port.station.str()},
                 {"evse_id", p.port.evse_id},
                 {"location_id", p.port.location ? json::value(p.port.location->str()) : json::value(nullptr)},
                 {"zone", p.zone},
                 {"from", core::format_iso8601(p.period.from)},
                 {"to", core::format_iso8601(p.period.to)}};
  put_figures(o, p.uptime);
  o.erase("ports");
  return o;
}

json::value report_json(const services::UptimeReport &report, const services::UptimePeriod &period,
                        const PageRequest &page) {
  json::array items;
  for (std::size_t i = page.offset; i < report.ports.size() && items.size() < page.limit; ++i)
    items.push_back(port_json(report.ports[i]));
  auto out = page_json(std::move(items), page, static_cast<std::int64_t>(report.ports.size()));
  if (period.year) {
    out["month"] = month_text(*period.year, *period.month);
  } else {
    out["from"] = core::format_iso8601(*period.from);
    out["to"] = core::format_iso8601(*period.to);
  }
  json::object summary;
  put_figures(summary, report.total);
  out["summary"] = std::move(summary);
  return out;
}

json::object outage_json(const Outage &o, Timestamp now) {
  const auto end = o.ended.value_or(std::max(now, o.started));
  json::object out{{"id", o.id},
                   {"station_id", o.station.str()},
                   {"evse_id", o.evse_id},
                   {"cause", name_of(evse_states, o.cause)},
                   {"detail", o.detail ? json::value(*o.detail) : json::value(nullptr)},
                   {"started_at", core::format_iso8601(o.started)},
                   {"ended_at", o.ended ? json::value(core::format_iso8601(*o.ended)) : json::value(nullptr)},
                   {"open", !o.ended.has_value()},
                   {"duration_minutes", minutes_of((end - o.started).count()).to_string()},
                   {"excluded", o.exclusion.has_value()}};
  if (o.exclusion) {
    out["exclusion"] = json::object{{"reason", name_of(exclusion_reasons, o.exclusion->reason)},
                                    {"justification", o.exclusion->justification},
                                    {"by", o.exclusion->by},
                                    {"at", core::format_iso8601(o.exclusion->at)}};
  } else {
    out["exclusion"] = nullptr;
  }
  return out;
}

Result<OutageFilter> outage_filter(const Ctx &c) {
  OutageFilter f;
  if (auto s = c.query_param("station")) f.station = StationId::unchecked(*s);
  if (auto l = c.query_param("location")) f.location = LocationId::unchecked(*l);
  auto evse = evse_param(c);
  if (!evse) return evse.error();
  f.evse_id = *evse;
  auto from = time_param(c, "from");
  if (!from) return from.error();
  auto to = time_param(c, "to");
  if (!to) return to.error();
  f.from = *from;
  f.to = *to;
  auto excluded = bool_param(c, "excluded");
  if (!excluded) return excluded.error();
  f.excluded = *excluded;
  auto open = bool_param(c, "open");
  if (!open) return open.error();
  f.open = *open;
  return f;
}

// ---- CSV (RFC 4180) ------------------------------------------------------------------------------

//! A text cell: quoted when it holds a separator, a quote or a line break; a leading = + - @ (a
//! spreadsheet formula) is defused with an apostrophe.
void cell(std::string &out, std::string_view v) {
  std::string text;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) text += '\'';
  text += v;
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

constexpr std::string_view outage_csv_header =
    "id,station_id,evse_id,cause,detail,started_at,ended_at,duration_minutes,excluded,exclusion_reason,"
    "justification,classified_by,classified_at\r\n";

void outage_csv_row(std::string &out, const Outage &o, Timestamp now) {
  const auto end = o.ended.value_or(std::max(now, o.started));
  out += std::to_string(o.id) + ',';
  cell(out, o.station.str()), out += ',';
  out += std::to_string(o.evse_id) + ',';
  out += name_of(evse_states, o.cause), out += ',';
  cell(out, o.detail.value_or("")), out += ',';
  out += core::format_iso8601(o.started) + ',';
  out += (o.ended ? core::format_iso8601(*o.ended) : std::string()) + ',';
  out += minutes_of((end - o.started).count()).to_string() + ',';
  out += o.exclusion ? "true," : "false,";
  if (o.exclusion) {
    out += name_of(exclusion_reasons, o.exclusion->reason), out += ',';
    cell(out, o.exclusion->justification), out += ',';
    cell(out, o.exclusion->by), out += ',';
    out += core::format_iso8601(o.exclusion->at);
  } else {
    out += ",,,";
  }
  out += "\r\n";
}

constexpr std::string_view report_csv_header =
    "scope,location_id,station_id,evse_id,zone,from,to,ports,period_minutes,outage_minutes,excluded_minutes,"
    "counted_outage_minutes,uptime_percent\r\n";

void report_csv_row(std::string &out, std::string_view scope, std::string_view location, std::string_view station,
                    std::optional<int> evse, std::string_view zone, std::string_view from, std::string_view to,
                    const Uptime &u) {
  out += scope, out += ',';
  cell(out, location), out += ',';
  cell(out, station), out += ',';
  out += (evse ? std::to_string(*evse) : std::string()) + ',';
  out += zone, out += ',';
  out += from, out += ',';
  out += to, out += ',';
  out += std::to_string(u.ports) + ',';
  out += minutes_of(u.period_ms).to_string() + ',';
  out += minutes_of(u.outage_ms).to_string() + ',';
  out += minutes_of(u.excluded_ms).to_string() + ',';
  out += minutes_of(u.outage_ms - u.excluded_ms).to_string() + ',';
  out += percent_text(u);
  out += "\r\n";
}

//! Port rows, then a row per station and per location (sums of their ports), then the total.
std::string report_csv(const services::UptimeReport &report) {
  std::string out(report_csv_header);
  std::map<std::string, Uptime> stations;
  std::map<std::string, std::string> station_location;
  std::map<std::string, Uptime> locations;
  for (const auto &p : report.ports) {
    const auto location = p.port.location ? p.port.location->str() : std::string();
    report_csv_row(out, "port", location, p.port.station.str(), p.port.evse_id, p.zone,
                   core::format_iso8601(p.period.from), core::format_iso8601(p.period.to), p.uptime);
    stations[p.port.station.str()] += p.uptime;
    station_location[p.port.station.str()] = location;
    locations[location] += p.uptime;
  }
  for (const auto &[station, u] : stations)
    report_csv_row(out, "station", station_location[station], station, std::nullopt, "", "", "", u);
  for (const auto &[location, u] : locations)
    report_csv_row(out, "location", location, "", std::nullopt, "", "", "", u);
  report_csv_row(out, "total", "", "", std::nullopt, "", "", "", report.total);
  return out;
}

void reply_text(const CtxPtr &c, std::string body, const std::string &filename,
                std::vector<std::pair<std::string, std::string>> headers = {}) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  auto finish = std::move(c->done);
  if (finish) finish(std::move(r));
}

//! Runs the uptime report of `scope` and answers it as JSON (a page of port rows) or CSV.
void answer_uptime(const CtxPtr &c, const services::UptimeScope &scope, bool csv) {
  auto period = period_params(*c);
  if (!period) return c->fail(period.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto now = c->api->clock.now();
  if (!csv) {
    c->api->unit(c, 200, [scope, p = *period, pg = *page, now](Repository &r) -> Result<json::value> {
      auto report = services::uptime_report(r, scope, p, now);
      if (!report) return report.error();
      return report_json(*report, p, pg);
    });
    return;
  }
  auto result = std::make_shared<Result<services::UptimeReport>>(services::UptimeReport{});
  services::run_unit<bool>(
      c->api->store,
      [scope, p = *period, now, result](Repository &r) {
        *result = services::uptime_report(r, scope, p, now);
        return true;
      },
      [c, result, p = *period](const services::Outcome<bool> &o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        if (!*result) return c->fail(result->error());
        std::string name = "uptime";
        if (p.year) name += "-" + month_text(*p.year, *p.month);
        reply_text(c, report_csv(**result), name + ".csv");
      });
}

} // namespace

void list_outages(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto f = outage_filter(*c);
  if (!f) return c->fail(f.error());
  c->api->unit(c, 200, [f = *f, p = *page, now = c->api->clock.now()](Repository &r) -> Result<json::value> {
    auto rows = r.list_outages(f, p);
    json::array items;
    items.reserve(rows.items.size());
    for (const auto &o : rows.items)
      items.push_back(outage_json(o, now));
    return json::value(page_json(std::move(items), p, rows.total));
  });
}

void export_outages_csv(const CtxPtr &c) {
  auto f = outage_filter(*c);
  if (!f) return c->fail(f.error());
  constexpr std::size_t max_rows = 100'000;
  auto body = std::make_shared<std::string>();
  auto total = std::make_shared<std::int64_t>(0);
  const auto now = c->api->clock.now();
  services::run_unit<bool>(
      c->api->store,
      [f = *f, body, total, now](Repository &r) {
        auto rows = r.list_outages(f, PageRequest{max_rows, 0});
        *total = rows.total;
        body->reserve(outage_csv_header.size() + rows.items.size() * 160);
        body->append(outage_csv_header);
        for (const auto &o : rows.items)
          outage_csv_row(*body, o, now);
        return true;
      },
      [c, body, total](const services::Outcome<bool> &o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        reply_text(c, std::move(*body), "outages.csv", {{"X-Total-Count", std::to_string(*total)}});
      });
}

void get_outage(const CtxPtr &c) {
  auto id = c->path_number("outage");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id, now = c->api->clock.now()](Repository &r) -> Result<json::value> {
    auto o = r.outage(id);
    if (!o) return ServiceError::not_found("no such outage");
    return json::value(outage_json(*o, now));
  });
}

void patch_outage(const CtxPtr &c) {
  auto id = c->path_number("outage");
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  services::ExclusionRequest req;
  bool has_excluded = false;
  for (const auto &kv : *body) {
    if (kv.key() == "excluded") {
      if (!kv.value().is_bool()) return c->fail(ServiceError::invalid("excluded must be true or false", "excluded"));
      req.excluded = kv.value().get_bool();
      has_excluded = true;
    } else if (kv.key() == "reason") {
      if (kv.value().is_null()) continue;
      const auto *text = kv.value().if_string();
      auto reason = text ? value_of(exclusion_reasons, std::string_view(*text)) : std::nullopt;
      if (!reason)
        return c->fail(ServiceError::invalid("reason must be grid_outage, natural_disaster, vandalism, "
                                             "planned_maintenance, vehicle_fault or outside_operating_hours",
                                             "reason"));
      req.reason = *reason;
    } else if (kv.key() == "justification") {
      if (kv.value().is_null()) continue;
      if (!kv.value().is_string())
        return c->fail(ServiceError::invalid("justification must be a string", "justification"));
      req.justification = std::string(kv.value().get_string());
    } else {
      return c->fail(ServiceError::invalid("unknown member '" + std::string(kv.key()) + "'", std::string(kv.key())));
    }
  }
  if (!has_excluded) return c->fail(ServiceError::invalid("'excluded' is required", "excluded"));
  const auto now = c->api->clock.now();
  c->api->unit(c, 200, [id = *id, req, by = c->who.actor, now](Repository &r) -> Result<json::value> {
    auto o = services::classify_outage(r, id, req, by, now);
    if (!o) return o.error();
    return json::value(outage_json(*o, now));
  });
}

void station_timeline(const CtxPtr &c) {
  auto station = c->path_station();
  if (!station) return c->fail(station.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  auto evse = evse_param(*c);
  if (!evse) return c->fail(evse.error());
  auto from = time_param(*c, "from");
  if (!from) return c->fail(from.error());
  auto to = time_param(*c, "to");
  if (!to) return c->fail(to.error());
  const auto now = c->api->clock.now();
  const auto until = to->value_or(now + std::chrono::milliseconds(1));
  const auto since = from->value_or(until - std::chrono::hours(24 * 7)); // a week by default
  if (until <= since) return c->fail(bad_query("to", "to must be after from"));
  c->api->unit(c, 200, [id = *station, evse = *evse, since, until, p = *page](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    std::vector<EvseStateSpan> spans;
    for (const auto &port : r.ports({id})) {
      if (evse && port.evse_id != *evse) continue;
      auto rows = r.evse_timeline(id, port.evse_id, since, until);
      spans.insert(spans.end(), rows.begin(), rows.end());
    }
    json::array items;
    for (std::size_t i = p.offset; i < spans.size() && items.size() < p.limit; ++i) {
      const auto &s = spans[i];
      items.push_back(
          json::object{{"evse_id", s.evse_id},
                       {"state", name_of(evse_states, s.state)},
                       {"since", core::format_iso8601(s.since)},
                       {"until", s.until ? json::value(core::format_iso8601(*s.until)) : json::value(nullptr)}});
    }
    auto out = page_json(std::move(items), p, static_cast<std::int64_t>(spans.size()));
    out["station_id"] = id.str();
    return json::value(std::move(out));
  });
}

void station_uptime(const CtxPtr &c) {
  auto station = c->path_station();
  if (!station) return c->fail(station.error());
  auto evse = evse_param(*c);
  if (!evse) return c->fail(evse.error());
  services::UptimeScope scope;
  scope.station = *station;
  scope.evse_id = *evse;
  answer_uptime(c, scope, false);
}

void location_uptime(const CtxPtr &c) {
  auto id = LocationId::parse(c->path.at("id"));
  if (!id) return c->fail(ServiceError::not_found("no such location"));
  services::UptimeScope scope;
  scope.location = *id;
  answer_uptime(c, scope, false);
}

namespace {
Result<services::UptimeScope> report_scope(const Ctx &c) {
  services::UptimeScope scope;
  if (auto l = c.query_param("location")) {
    auto id = LocationId::parse(*l);
    if (!id) return ServiceError::not_found("no such location");
    scope.location = *id;
  }
  if (auto s = c.query_param("station")) {
    if (scope.location) return bad_query("station", "give location or station, not both");
    auto id = StationId::parse(*s);
    if (!id) return ServiceError::not_found("no such station");
    scope.station = *id;
  }
  return scope;
}
} // namespace

void uptime_report(const CtxPtr &c) {
  auto scope = report_scope(*c);
  if (!scope) return c->fail(scope.error());
  answer_uptime(c, *scope, false);
}

void uptime_report_csv(const CtxPtr &c) {
  auto scope = report_scope(*c);
  if (!scope) return c->fail(scope.error());
  answer_uptime(c, *scope, true);
}

} // namespace gridlane::api
