// Reports and analytics (docs/operations.md "Reports"): GET /reports/utilisation, /reports/sessions,
// /reports/success, /reports/peak-load as JSON or CSV (`Accept: text/csv` or `?format=csv`), and
// POST /reports/rebuild. The rules and the sums are services::ReportService's; this file reads
// requests and writes answers.
#include <cmath>
#include <cstdio>

#include "gridlane/core/logging.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/report_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;
using services::ReportService;

namespace {

const ReportService reports_service{};

// ---- reading the request ------------------------------------------------------------------------

Result<RollupFilter> report_filter(const Ctx &c) {
  services::ReportRequest q;
  q.from = c.query_param("from");
  q.to = c.query_param("to");
  q.location = c.query_param("location");
  q.station = c.query_param("station");
  auto f = ReportService::filter(q, c.api->clock.now());
  if (!f) {
    const auto field = f.error().field.value_or("from");
    return bad_query(field, f.error().message);
  }
  return f;
}

//! CSV when asked by ?format=csv or by an Accept that names text/csv; ?format=json wins over Accept.
Result<bool> wants_csv(const Ctx &c) {
  if (auto f = c.query_param("format")) {
    if (*f == "csv") return true;
    if (*f == "json") return false;
    return bad_query("format", "format is json or csv");
  }
  return c.req.accept.find("text/csv") != std::string::npos;
}

// ---- values -------------------------------------------------------------------------------------

//! Milliseconds as exact seconds text ("12.5", "3600").
std::string seconds_text(std::int64_t ms) {
  char buf[32];
  if (ms % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ms / 1000));
  else
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000), static_cast<long long>(ms % 1000));
  std::string s(buf);
  if (s.find('.') != std::string::npos)
    while (s.back() == '0')
      s.pop_back();
  return s;
}

json::value seconds(std::int64_t ms) {
  if (ms % 1000 == 0) return json::value(ms / 1000);
  return json::value(static_cast<double>(ms) / 1000.0);
}

//! A share to 4 decimals; null when there was no time to share.
std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return std::round(static_cast<double>(part) / static_cast<double>(whole) * 10000.0) / 10000.0;
}
json::value share_json(std::int64_t part, std::int64_t whole) {
  auto s = share(part, whole);
  return s ? json::value(*s) : json::value(nullptr);
}
std::string share_text(std::int64_t part, std::int64_t whole) {
  auto s = share(part, whole);
  if (!s) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *s);
  return buf;
}

//! One CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
void field(std::string &out, std::string_view v, bool last = false) {
  if (v.find_first_of(",\"\r\n") != std::string_view::npos) {
    out += '"';
    for (char ch : v) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  } else {
    out += v;
  }
  out += last ? "\r\n" : ",";
}

template <class T> std::int64_t sum(const T &a) {
  std::int64_t n = 0;
  for (auto v : a)
    n += v;
  return n;
}

json::object counts_json(const services::SessionCounts &c) {
  json::object failures;
  for (const auto &[reason, name] : services::session_failures)
    failures[name] = c.failed[static_cast<std::size_t>(reason)];
  return json::object{{"sessions", c.sessions},     {"successful", c.successful},
                      {"failed", c.failed_total()}, {"success_rate", share_json(c.successful, c.sessions)},
                      {"energy_wh", c.energy_wh},   {"failures", std::move(failures)}};
}

json::object filter_json(const RollupFilter &f) {
  json::object o{{"from", ReportService::format_day(f.from_day)}, {"to", ReportService::format_day(f.to_day)}};
  o["location"] = f.location ? json::value(*f.location) : json::value(nullptr);
  o["station"] = f.station ? json::value(f.station->str()) : json::value(nullptr);
  return o;
}

// ---- answering ----------------------------------------------------------------------------------

//! A report: built in a unit of work, answered as the page of JSON its `json` makes or as the
//! whole CSV its `csv` writes.
template <class Report>
void answer(const CtxPtr &c, const char *name, std::function<Report(Repository &)> build,
            std::function<std::pair<json::array, json::object>(const Report &)> to_json,
            std::function<std::string(const Report &)> to_csv) {
  auto csv = wants_csv(*c);
  if (!csv) return c->fail(csv.error());
  if (!*csv) {
    auto page = c->page();
    if (!page) return c->fail(page.error());
    auto p = *page;
    c->api->unit(c, 200, [build, to_json, p](Repository &r) -> Result<json::value> {
      auto [rows, extra] = to_json(build(r));
      const auto total = static_cast<std::int64_t>(rows.size());
      json::array items;
      for (std::size_t i = p.offset; i < rows.size() && i < p.offset + p.limit; ++i)
        items.push_back(std::move(rows[i]));
      auto out = page_json(std::move(items), p, total);
      for (auto &[k, v] : extra)
        out[k] = std::move(v);
      return json::value(std::move(out));
    });
    return;
  }
  auto body = std::make_shared<std::string>();
  services::run_unit<bool>(
      c->api->store,
      [build, to_csv, body](Repository &r) {
        *body = to_csv(build(r));
        return true;
      },
      [c, body, name](const services::Outcome<bool> &o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        Response r;
        r.content_type = "text/csv; charset=utf-8";
        r.body = std::move(*body);
        r.headers.emplace_back("Content-Disposition", std::string("attachment; filename=\"") + name + ".csv\"");
        auto finish = std::move(c->done);
        if (finish) finish(std::move(r));
      });
}

json::object utilisation_row_json(const services::UtilisationRow &u) {
  json::object o{{"location_id", u.location_id}};
  if (u.station) {
    o["station_id"] = *u.station;
    o["evse_id"] = *u.evse_id;
  } else {
    o["evses"] = u.evses;
  }
  o["occupied_s"] = seconds(sum(u.occupied_by_hour));
  o["charging_s"] = seconds(sum(u.charging_by_hour));
  o["available_s"] = seconds(sum(u.available_by_hour));
  o["occupied_share"] = share_json(sum(u.occupied_by_hour), sum(u.available_by_hour));
  json::array hours, days;
  for (std::size_t h = 0; h < 24; ++h)
    hours.push_back(json::object{{"hour", h},
                                 {"occupied_s", seconds(u.occupied_by_hour[h])},
                                 {"charging_s", seconds(u.charging_by_hour[h])},
                                 {"available_s", seconds(u.available_by_hour[h])},
                                 {"occupied_share", share_json(u.occupied_by_hour[h], u.available_by_hour[h])}});
  for (std::size_t d = 0; d < 7; ++d)
    days.push_back(json::object{{"weekday", d + 1},
                                {"occupied_s", seconds(u.occupied_by_weekday[d])},
                                {"charging_s", seconds(u.charging_by_weekday[d])},
                                {"available_s", seconds(u.available_by_weekday[d])},
                                {"occupied_share", share_json(u.occupied_by_weekday[d], u.available_by_weekday[d])}});
  o["by_hour"] = std::move(hours);
  o["by_weekday"] = std::move(days);
  return o;
}

} // namespace

void report_utilisation(const CtxPtr &c) {
  auto f = report_filter(*c);
  if (!f) return c->fail(f.error());
  bool by_evse = false;
  if (auto g = c->query_param("group_by")) {
    if (*g != "location" && *g != "evse") return c->fail(bad_query("group_by", "group_by is location or evse"));
    by_evse = *g == "evse";
  }
  using R = services::UtilisationReport;
  answer<R>(
      c, "utilisation", [filter = *f](Repository &r) { return reports_service.utilisation(r, filter); },
      [by_evse](const R &rep) {
        json::array rows;
        for (const auto &u : by_evse ? rep.evses : rep.locations)
          rows.push_back(utilisation_row_json(u));
        json::object extra = filter_json(rep.filter);
        extra["group_by"] = by_evse ? "evse" : "location";
        return std::make_pair(std::move(rows), std::move(extra));
      },
      [by_evse](const R &rep) {
        std::string out = "location_id,station_id,evse_id,dimension,bucket,occupied_s,charging_s,available_s,"
                          "occupied_share\r\n";
        for (const auto &u : by_evse ? rep.evses : rep.locations) {
          const auto line = [&](const char *dim, std::size_t bucket, std::int64_t occ, std::int64_t chg,
                                std::int64_t avail) {
            field(out, u.location_id);
            field(out, u.station.value_or(""));
            field(out, u.evse_id ? std::to_string(*u.evse_id) : "");
            field(out, dim);
            field(out, std::to_string(bucket));
            field(out, seconds_text(occ));
            field(out, seconds_text(chg));
            field(out, seconds_text(avail));
            field(out, share_text(occ, avail), true);
          };
          for (std::size_t h = 0; h < 24; ++h)
            line("hour", h, u.occupied_by_hour[h], u.charging_by_hour[h], u.available_by_hour[h]);
          for (std::size_t d = 0; d < 7; ++d)
            line("weekday", d + 1, u.occupied_by_weekday[d], u.charging_by_weekday[d], u.available_by_weekday[d]);
        }
        return out;
      });
}

void report_sessions(const CtxPtr &c) {
  auto f = report_filter(*c);
  if (!f) return c->fail(f.error());
  auto period = services::ReportPeriod::Day;
  if (auto p = c->query_param("period")) {
    auto v = value_of(services::report_periods, *p);
    if (!v) return c->fail(bad_query("period", "period is day, week or month"));
    period = *v;
  }
  using R = services::SessionsReport;
  answer<R>(
      c, "sessions", [filter = *f, period](Repository &r) { return reports_service.sessions(r, filter, period); },
      [](const R &rep) {
        json::array rows;
        for (const auto &p : rep.rows) {
          auto o = counts_json(p.counts);
          o["period_start"] = ReportService::format_day(p.first_day);
          rows.push_back(std::move(o));
        }
        json::object extra = filter_json(rep.filter);
        extra["period"] = name_of(services::report_periods, rep.period);
        extra["totals"] = counts_json(rep.total);
        return std::make_pair(std::move(rows), std::move(extra));
      },
      [](const R &rep) {
        std::string out = "period_start,sessions,successful,failed,energy_wh\r\n";
        for (const auto &p : rep.rows) {
          field(out, ReportService::format_day(p.first_day));
          field(out, std::to_string(p.counts.sessions));
          field(out, std::to_string(p.counts.successful));
          field(out, std::to_string(p.counts.failed_total()));
          field(out, std::to_string(p.counts.energy_wh), true);
        }
        return out;
      });
}

void report_success(const CtxPtr &c) {
  auto f = report_filter(*c);
  if (!f) return c->fail(f.error());
  using R = services::SuccessReport;
  answer<R>(
      c, "success", [filter = *f](Repository &r) { return reports_service.success(r, filter); },
      [](const R &rep) {
        json::array rows;
        for (const auto &[location, counts] : rep.locations) {
          auto o = counts_json(counts);
          o["location_id"] = location;
          rows.push_back(std::move(o));
        }
        json::object extra = filter_json(rep.filter);
        extra["totals"] = counts_json(rep.total);
        return std::make_pair(std::move(rows), std::move(extra));
      },
      [](const R &rep) {
        std::string out = "location_id,sessions,successful,failed,success_rate";
        for (const auto &[reason, name] : services::session_failures) {
          out += ',';
          out += name;
        }
        out += "\r\n";
        for (const auto &[location, counts] : rep.locations) {
          field(out, location);
          field(out, std::to_string(counts.sessions));
          field(out, std::to_string(counts.successful));
          field(out, std::to_string(counts.failed_total()));
          field(out, share_text(counts.successful, counts.sessions));
          for (std::size_t i = 0; i < session_failure_count; ++i)
            field(out, std::to_string(counts.failed[i]), i + 1 == session_failure_count);
        }
        return out;
      });
}

void report_peak_load(const CtxPtr &c) {
  auto f = report_filter(*c);
  if (!f) return c->fail(f.error());
  using R = services::PeakReport;
  const auto start_of = [](const services::PeakRow &p) { return core::from_unix_ms(p.quarter * 900'000); };
  answer<R>(
      c, "peak-load", [filter = *f](Repository &r) { return reports_service.peaks(r, filter); },
      [start_of](const R &rep) {
        json::array rows;
        for (const auto &p : rep.locations)
          rows.push_back(json::object{{"location_id", p.location_id},
                                      {"time_zone", p.time_zone},
                                      {"peak_w", p.energy_wh * 4},
                                      {"energy_wh", p.energy_wh},
                                      {"quarter_start", core::format_iso8601(start_of(p))}});
        json::object extra = filter_json(rep.filter);
        extra["method"] = "15-minute energy";
        return std::make_pair(std::move(rows), std::move(extra));
      },
      [start_of](const R &rep) {
        std::string out = "location_id,time_zone,peak_w,energy_wh,quarter_start\r\n";
        for (const auto &p : rep.locations) {
          field(out, p.location_id);
          field(out, p.time_zone);
          field(out, std::to_string(p.energy_wh * 4));
          field(out, std::to_string(p.energy_wh));
          field(out, core::format_iso8601(start_of(p)), true);
        }
        return out;
      });
}

void rebuild_reports(const CtxPtr &c) {
  std::optional<std::int64_t> from, to;
  if (!c->req.body.empty()) {
    auto body = c->json_body();
    if (!body) return c->fail(body.error());
    for (const char *key : {"from", "to"}) {
      auto v = optional_text_member(*body, key, true);
      if (!v) return c->fail(v.error());
      if (!*v) continue;
      auto day = ReportService::parse_day(**v);
      if (!day) return c->fail(ServiceError::invalid(std::string(key) + " must be a date YYYY-MM-DD", key));
      (std::string_view(key) == "from" ? from : to) = *day;
    }
  }
  if (from && to && *from > *to) return c->fail(ServiceError::invalid("from must not be after to", "from"));
  c->api->unit(c, 200, [from, to](Repository &r) -> Result<json::value> {
    auto s = reports_service.rebuild(r, from, to);
    json::object out{{"sessions", s.sessions}};
    out["from"] = from ? json::value(ReportService::format_day(*from)) : json::value(nullptr);
    out["to"] = to ? json::value(ReportService::format_day(*to)) : json::value(nullptr);
    return json::value(std::move(out));
  });
}

} // namespace gridlane::api
