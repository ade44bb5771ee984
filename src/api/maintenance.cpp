// Maintenance tickets (/tickets), inspection schedules (/inspections) and a station's
// self-healing (/stations/{id}/healing): JSON in and out here, the rules in
// services::MaintenanceService (shared with the playbooks and the problem reports).
#include "gridlane/services/maintenance_service.hpp"

#include <charconv>

#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_maintenance(services::MaintenanceService &maintenance, EventBus &bus, bool healing_enabled) {
  impl_->maintenance = &maintenance;
  impl_->maintenance_bus = &bus;
  impl_->healing_enabled = healing_enabled;
}

namespace {

json::value opt(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(std::optional<int> v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(std::optional<std::int64_t> v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<Timestamp> &v) {
  return v ? json::value(core::format_iso8601(*v)) : json::value(nullptr);
}

json::object ticket_json(const Ticket &t, Timestamp now) {
  return json::object{{"id", t.id},
                      {"station_id", t.station.str()},
                      {"evse_id", opt(t.evse_id)},
                      {"connector_id", opt(t.connector_id)},
                      {"status", name_of(ticket_statuses, t.status)},
                      {"priority", name_of(ticket_priorities, t.priority)},
                      {"source", name_of(ticket_sources, t.source)},
                      {"title", t.title},
                      {"assignee", opt(t.assignee)},
                      {"created_by", t.created_by},
                      {"report_id", opt(t.report_id)},
                      {"schedule_id", opt(t.schedule_id)},
                      {"created_at", core::format_iso8601(t.created_at)},
                      {"updated_at", core::format_iso8601(t.updated_at)},
                      {"due_at", core::format_iso8601(t.due_at)},
                      {"resolved_at", opt(t.resolved_at)},
                      {"overdue", ticket_overdue(t, now)}};
}

json::object note_json(const TicketNote &n) {
  return json::object{{"id", n.id}, {"author", n.author}, {"text", n.text}, {"at", core::format_iso8601(n.at)}};
}

json::object inspection_json(const InspectionSchedule &s) {
  return json::object{{"id", s.id},
                      {"location_id", s.location.str()},
                      {"title", s.title},
                      {"every", s.every},
                      {"unit", name_of(interval_units, s.unit)},
                      {"priority", name_of(ticket_priorities, s.priority)},
                      {"next_due", core::format_iso8601(s.next_due)},
                      {"enabled", s.enabled},
                      {"created_by", s.created_by},
                      {"created_at", core::format_iso8601(s.created_at)}};
}

json::object healing_json(const HealingRecord &r) {
  return json::object{{"id", r.id},
                      {"incident", r.incident},
                      {"evse_id", r.evse_id},
                      {"connector_id", r.connector_id},
                      {"fault", name_of(fault_kinds, r.fault)},
                      {"action", name_of(healing_actions, r.action)},
                      {"step", r.step ? json::value(name_of(healing_steps, *r.step)) : json::value(nullptr)},
                      {"detail", r.detail},
                      {"command_id", opt(r.command_id)},
                      {"ticket_id", opt(r.ticket_id)},
                      {"at", core::format_iso8601(r.at)}};
}

//! Only these members may appear in a body (422 naming the first other one).
std::optional<ServiceError> only(const json::object &o, std::initializer_list<std::string_view> known) {
  for (const auto &[key, value] : o) {
    bool ok = false;
    for (auto k : known)
      ok = ok || k == key;
    if (!ok) return ServiceError::invalid("unknown property '" + std::string(key) + "'", std::string(key));
  }
  return std::nullopt;
}

//! An optional small non-negative integer member (evse_id, connector_id, every).
Result<std::optional<int>> small_member(const json::object &o, std::string_view key, int max) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<int>{};
  if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > max)
    return ServiceError::invalid("'" + std::string(key) + "' must be an integer from 0 to " + std::to_string(max),
                                 std::string(key));
  return std::optional<int>{static_cast<int>(v->as_int64())};
}

template <class E, std::size_t N>
Result<std::optional<E>> enum_member(const json::object &o, std::string_view key, const NameTable<E, N> &names) {
  const auto *v = o.if_contains(key);
  if (!v) return std::optional<E>{};
  std::string allowed;
  for (const auto &entry : names)
    allowed += (allowed.empty() ? "" : ", ") + std::string(entry.second);
  if (!v->is_string())
    return ServiceError::invalid("'" + std::string(key) + "' must be one of " + allowed, std::string(key));
  auto e = value_of(names, v->get_string());
  if (!e) return ServiceError::invalid("'" + std::string(key) + "' must be one of " + allowed, std::string(key));
  return std::optional<E>{*e};
}

services::MaintenanceService *service(const CtxPtr &c) {
  return c->api->maintenance;
}

//! Publishes a ticket's change once its unit is committed.
std::function<void()> publish(const CtxPtr &c, const std::shared_ptr<std::optional<Ticket>> &t) {
  auto *bus = c->api->maintenance_bus;
  return [bus, t] {
    if (bus && *t) bus->publish(services::MaintenanceService::changed(**t));
  };
}

} // namespace

void list_tickets(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  TicketFilter f;
  if (auto v = c->query_param("status")) {
    f.status = value_of(ticket_statuses, *v);
    if (!f.status) return c->fail(bad_query("status", "status must be open, in_progress, on_hold, resolved or closed"));
  }
  if (auto v = c->query_param("source")) {
    f.source = value_of(ticket_sources, *v);
    if (!f.source)
      return c->fail(bad_query("source", "source must be manual, playbook, problem_report, inspection or alert"));
  }
  if (auto v = c->query_param("station")) {
    auto id = StationId::parse(*v);
    if (!id) return c->fail(bad_query("station", "station must be a station id"));
    f.station = *id;
  }
  if (auto v = c->query_param("location")) {
    auto id = LocationId::parse(*v);
    if (!id) return c->fail(bad_query("location", "location must be a location id"));
    f.location = *id;
  }
  const auto now = c->api->clock.now();
  if (auto v = c->query_param("overdue")) {
    if (*v != "true" && *v != "false") return c->fail(bad_query("overdue", "overdue must be true or false"));
    if (*v == "true") f.overdue_at = now;
  }
  c->api->unit(c, 200, [f, p = *page, now](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &t : r.tickets(f, p))
      items.push_back(ticket_json(t, now));
    return json::value(page_json(std::move(items), p, r.count_tickets(f)));
  });
}

void create_ticket(const CtxPtr &c) {
  auto *m = service(c);
  if (!m) return c->fail(ServiceError::unavailable("maintenance is not available"));
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  if (auto e = only(*b, {"station_id", "evse_id", "connector_id", "title", "priority", "assignee", "note"}))
    return c->fail(*e);
  services::NewTicket n;
  auto station = text_member(*b, "station_id");
  if (!station) return c->fail(station.error());
  auto id = StationId::parse(*station);
  if (!id) return c->fail(ServiceError::invalid("station_id must be a station id", "station_id"));
  n.station = *id;
  auto title = text_member(*b, "title");
  if (!title) return c->fail(title.error());
  n.title = *title;
  auto evse = small_member(*b, "evse_id", 1000);
  if (!evse) return c->fail(evse.error());
  n.evse_id = *evse;
  auto connector = small_member(*b, "connector_id", 1000);
  if (!connector) return c->fail(connector.error());
  n.connector_id = *connector;
  auto priority = enum_member(*b, "priority", ticket_priorities);
  if (!priority) return c->fail(priority.error());
  n.priority = priority->value_or(TicketPriority::Normal);
  auto assignee = optional_text_member(*b, "assignee", true);
  if (!assignee) return c->fail(assignee.error());
  n.assignee = *assignee;
  auto note = optional_text_member(*b, "note");
  if (!note) return c->fail(note.error());
  n.note = *note;
  auto done = std::make_shared<std::optional<Ticket>>();
  const auto now = c->api->clock.now();
  c->api->unit(
      c, 201,
      [m, n, done, now, by = c->who.actor](Repository &r) -> Result<json::value> {
        auto t = m->open(r, n, by, now);
        if (!t) return t.error();
        *done = *t;
        auto body = ticket_json(*t, now);
        json::array notes;
        for (const auto &note : r.ticket_notes(t->id))
          notes.push_back(note_json(note));
        body["notes"] = std::move(notes);
        return json::value(std::move(body));
      },
      publish(c, done));
}

void get_ticket(const CtxPtr &c) {
  auto id = c->path_number("ticket");
  if (!id) return c->fail(id.error());
  const auto now = c->api->clock.now();
  c->api->unit(c, 200, [id = *id, now](Repository &r) -> Result<json::value> {
    auto t = r.ticket(id);
    if (!t) return ServiceError::not_found("no such ticket");
    auto body = ticket_json(*t, now);
    json::array notes;
    for (const auto &n : r.ticket_notes(id))
      notes.push_back(note_json(n));
    body["notes"] = std::move(notes);
    return json::value(std::move(body));
  });
}

void update_ticket(const CtxPtr &c) {
  auto *m = service(c);
  if (!m) return c->fail(ServiceError::unavailable("maintenance is not available"));
  auto id = c->path_number("ticket");
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  if (auto e = only(*b, {"title", "priority", "assignee", "status"})) return c->fail(*e);
  services::TicketChange change;
  auto title = optional_text_member(*b, "title");
  if (!title) return c->fail(title.error());
  change.title = *title;
  auto priority = enum_member(*b, "priority", ticket_priorities);
  if (!priority) return c->fail(priority.error());
  change.priority = *priority;
  auto status = enum_member(*b, "status", ticket_statuses);
  if (!status) return c->fail(status.error());
  change.status = *status;
  if (b->contains("assignee")) {
    auto assignee = optional_text_member(*b, "assignee", true);
    if (!assignee) return c->fail(assignee.error());
    change.assignee = *assignee;
  }
  auto done = std::make_shared<std::optional<Ticket>>();
  const auto now = c->api->clock.now();
  c->api->unit(
      c, 200,
      [m, id = *id, change, done, now, by = c->who.actor](Repository &r) -> Result<json::value> {
        auto t = m->change(r, id, change, by, now);
        if (!t) return t.error();
        *done = *t;
        return json::value(ticket_json(*t, now));
      },
      publish(c, done));
}

void delete_ticket(const CtxPtr &c) {
  auto id = c->path_number("ticket");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 204, [id = *id](Repository &r) -> Result<json::value> {
    if (!r.delete_ticket(id)) return ServiceError::not_found("no such ticket");
    return json::value(nullptr);
  });
}

void add_ticket_note(const CtxPtr &c) {
  auto *m = service(c);
  if (!m) return c->fail(ServiceError::unavailable("maintenance is not available"));
  auto id = c->path_number("ticket");
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  if (auto e = only(*b, {"text"})) return c->fail(*e);
  auto text = text_member(*b, "text");
  if (!text) return c->fail(text.error());
  const auto now = c->api->clock.now();
  c->api->unit(c, 201, [m, id = *id, text = *text, now, by = c->who.actor](Repository &r) -> Result<json::value> {
    auto n = m->add_note(r, id, text, by, now);
    if (!n) return n.error();
    return json::value(note_json(*n));
  });
}

void list_inspections(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &s : r.inspections(p))
      items.push_back(inspection_json(s));
    return json::value(page_json(std::move(items), p, r.count_inspections()));
  });
}

void create_inspection(const CtxPtr &c) {
  auto *m = service(c);
  if (!m) return c->fail(ServiceError::unavailable("maintenance is not available"));
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  if (auto e = only(*b, {"location_id", "title", "every", "unit", "priority", "next_due", "enabled"}))
    return c->fail(*e);
  InspectionSchedule s;
  auto location = text_member(*b, "location_id");
  if (!location) return c->fail(location.error());
  auto loc = LocationId::parse(*location);
  if (!loc) return c->fail(ServiceError::invalid("location_id must be a location id", "location_id"));
  s.location = *loc;
  auto title = text_member(*b, "title");
  if (!title) return c->fail(title.error());
  s.title = *title;
  auto every = small_member(*b, "every", 1000);
  if (!every) return c->fail(every.error());
  s.every = every->value_or(1);
  auto unit = enum_member(*b, "unit", interval_units);
  if (!unit) return c->fail(unit.error());
  if (!*unit) return c->fail(ServiceError::invalid("'unit' is required (day, week or month)", "unit"));
  s.unit = **unit;
  auto priority = enum_member(*b, "priority", ticket_priorities);
  if (!priority) return c->fail(priority.error());
  s.priority = priority->value_or(TicketPriority::Normal);
  const auto now = c->api->clock.now();
  auto due = optional_text_member(*b, "next_due");
  if (!due) return c->fail(due.error());
  if (*due) {
    auto t = core::parse_iso8601(**due);
    if (!t) return c->fail(ServiceError::invalid("next_due must be an ISO 8601 date-time with its offset", "next_due"));
    s.next_due = *t;
  } else {
    s.next_due = services::MaintenanceService::advance(now, s.every, s.unit);
  }
  if (const auto *enabled = b->if_contains("enabled")) {
    if (!enabled->is_bool()) return c->fail(ServiceError::invalid("enabled must be true or false", "enabled"));
    s.enabled = enabled->get_bool();
  }
  c->api->unit(c, 201, [m, s, now, by = c->who.actor](Repository &r) -> Result<json::value> {
    auto created = m->create_inspection(r, s, by, now);
    if (!created) return created.error();
    return json::value(inspection_json(*created));
  });
}

void get_inspection(const CtxPtr &c) {
  auto id = c->path_number("inspection");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto s = r.inspection(id);
    if (!s) return ServiceError::not_found("no such inspection");
    return json::value(inspection_json(*s));
  });
}

void delete_inspection(const CtxPtr &c) {
  auto id = c->path_number("inspection");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 204, [id = *id](Repository &r) -> Result<json::value> {
    if (!r.delete_inspection(id)) return ServiceError::not_found("no such inspection");
    return json::value(nullptr);
  });
}

void get_station_healing(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const bool enabled = c->api->healing_enabled;
  c->api->unit(c, 200, [id = *id, p = *page, enabled](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    json::array items;
    for (const auto &h : r.healing_records(id, p))
      items.push_back(healing_json(h));
    auto body = page_json(std::move(items), p, r.count_healing_records(id));
    body["station_id"] = id.str();
    body["enabled"] = enabled;
    body["opted_out"] = r.healing_opted_out(id);
    return json::value(std::move(body));
  });
}

void put_station_healing(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  if (auto e = only(*b, {"opted_out"})) return c->fail(*e);
  const auto *v = b->if_contains("opted_out");
  if (!v || !v->is_bool()) return c->fail(ServiceError::invalid("opted_out must be true or false", "opted_out"));
  const bool out = v->get_bool();
  const bool enabled = c->api->healing_enabled;
  const auto now = c->api->clock.now();
  c->api->unit(c, 200, [id = *id, out, enabled, now, by = c->who.actor](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    r.set_healing_opt_out(id, out, by, now);
    return json::value(json::object{{"station_id", id.str()}, {"enabled", enabled}, {"opted_out", out}});
  });
}

} // namespace gridlane::api
