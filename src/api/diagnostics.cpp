// Diagnostics and monitoring (docs/operations.md "Diagnostics and monitoring"): the log files
// stations uploaded to Gridlane (listed per station; the bytes to operators only), the monitors
// and monitoring events 2.x stations reported, and their customer information (operators only:
// it is about a person). Every list is a page, newest first (monitors by their id).
#include "gridlane/core/logging.hpp"
#include "gridlane/domain/diagnostics_names.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

json::value opt_text(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt_int(const std::optional<std::int64_t> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}

void put_where(json::object &o, const ComponentVariable &w) {
  o["component"] = w.component;
  o["component_instance"] = opt_text(w.component_instance);
  o["evse_id"] = opt_int(w.evse_id);
  o["connector_id"] = opt_int(w.connector_id);
  o["variable"] = w.variable;
  o["variable_instance"] = opt_text(w.variable_instance);
}

json::object file_json(const DiagnosticsFile &f) {
  return json::object{{"id", f.id},
                      {"station_id", f.station.str()},
                      {"log_type", to_string(f.log_type)},
                      {"file_name", f.file_name},
                      {"size_bytes", f.size_bytes},
                      {"sha256", f.sha256},
                      {"content_type", f.content_type},
                      {"received_at", core::format_iso8601(f.received_at)}};
}

json::object monitor_json(const StationMonitor &m) {
  json::object o{{"id", m.monitor_id}};
  put_where(o, m.where);
  o["transaction"] = m.transaction;
  o["value"] = m.value.to_string();
  o["type"] = to_string(m.type);
  o["severity"] = m.severity;
  o["request_id"] = m.request_id;
  o["reported_at"] = core::format_iso8601(m.reported_at);
  return o;
}

json::object event_json(const MonitoringEvent &e) {
  json::object o{{"id", e.id},
                 {"event_id", e.event_id},
                 {"occurred_at", core::format_iso8601(e.occurred_at)},
                 {"trigger", name_of(event_triggers, e.trigger)},
                 {"cause", opt_int(e.cause)},
                 {"actual_value", e.actual_value},
                 {"tech_code", opt_text(e.tech_code)},
                 {"tech_info", opt_text(e.tech_info)},
                 {"cleared", e.cleared},
                 {"transaction_id", opt_text(e.transaction_id)}};
  put_where(o, e.where);
  o["monitor_id"] = opt_int(e.monitor_id);
  o["notification_type"] = name_of(event_notifications, e.notification);
  o["received_at"] = core::format_iso8601(e.received_at);
  return o;
}

json::object customer_json(const CustomerInformationPart &p) {
  return json::object{{"id", p.id},
                      {"request_id", p.request_id},
                      {"seq_no", p.seq_no},
                      {"data", p.data},
                      {"tbc", p.more_to_come},
                      {"generated_at", core::format_iso8601(p.generated_at)},
                      {"received_at", core::format_iso8601(p.received_at)}};
}

//! GET /stations/{id}/<list>: a page of `Row`s of a known station.
template <class List, class Count, class ToJson>
void station_page(const CtxPtr &c, List list, Count count, ToJson to_json) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [station = *id, p = *page, list, count, to_json](Repository &r) -> Result<json::value> {
    if (!r.station(station)) return ServiceError::not_found("no such station");
    json::array items;
    for (const auto &row : list(r, station, p))
      items.push_back(to_json(row));
    return json::value(page_json(std::move(items), p, count(r, station)));
  });
}

} // namespace

void list_diagnostics_files(const CtxPtr &c) {
  station_page(
      c,
      [](Repository &r, const StationId &s, const PageRequest &p) { return r.diagnostics_files(s, p.limit, p.offset); },
      [](Repository &r, const StationId &s) { return r.count_diagnostics_files(s); }, file_json);
}

void list_station_monitors(const CtxPtr &c) {
  station_page(
      c,
      [](Repository &r, const StationId &s, const PageRequest &p) { return r.station_monitors(s, p.limit, p.offset); },
      [](Repository &r, const StationId &s) { return r.count_station_monitors(s); }, monitor_json);
}

void list_monitoring_events(const CtxPtr &c) {
  station_page(
      c,
      [](Repository &r, const StationId &s, const PageRequest &p) { return r.monitoring_events(s, p.limit, p.offset); },
      [](Repository &r, const StationId &s) { return r.count_monitoring_events(s); }, event_json);
}

void list_customer_information(const CtxPtr &c) {
  station_page(
      c,
      [](Repository &r, const StationId &s, const PageRequest &p) {
        return r.customer_information(s, p.limit, p.offset);
      },
      [](Repository &r, const StationId &s) { return r.count_customer_information(s); }, customer_json);
}

//! GET /diagnostics-files/{id}: the file's bytes as received, with its SHA-256 in a header.
void get_diagnostics_file(const CtxPtr &c) {
  auto *service = c->api->diagnostics;
  if (!service) return c->problem(503, "diagnostics are not served");
  auto id = c->path_number("diagnostics file");
  if (!id) return c->fail(id.error());
  services::run_unit<std::optional<DiagnosticsFile>>(
      c->api->store, [id = *id](Repository &r) { return r.diagnostics_file(id); },
      [c, service](services::Outcome<std::optional<DiagnosticsFile>> o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        if (!o.value()) return c->fail(ServiceError::not_found("no such diagnostics file"));
        auto file = *o.value();
        service->read_file(file, [c, file](std::optional<std::string> bytes) {
          if (!bytes) return c->problem(410, "the file is no longer stored intact");
          Response res;
          res.body = std::move(*bytes);
          res.content_type = "application/octet-stream";
          res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file.file_name + "\"");
          res.headers.emplace_back("X-Content-SHA256", file.sha256);
          auto finish = std::move(c->done);
          if (finish) finish(std::move(res));
        });
      });
}

void Api::set_diagnostics(services::DiagnosticsService &diagnostics) {
  impl_->diagnostics = &diagnostics;
}

} // namespace gridlane::api
