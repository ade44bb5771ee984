// Maintenance tickets and inspection schedules (docs/operations.md "Maintenance tickets").
#include "gridlane/services/maintenance_service.hpp"

#include <chrono>

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

constexpr std::size_t max_title = 200;
constexpr std::size_t max_note = 4000;
constexpr std::size_t max_assignee = 100;

Result<std::string> checked_title(const std::string &title) {
  if (title.empty() || title.size() > max_title)
    return ServiceError::invalid("title must be 1 to 200 characters", "title");
  return title;
}

} // namespace

Timestamp MaintenanceService::due_at(TicketPriority p, Timestamp opened) const {
  switch (p) {
  case TicketPriority::Urgent: return opened + config_.sla_urgent;
  case TicketPriority::High: return opened + config_.sla_high;
  case TicketPriority::Normal: break;
  case TicketPriority::Low: return opened + config_.sla_low;
  }
  return opened + config_.sla_normal;
}

Result<Ticket> MaintenanceService::open(Repository &r, const NewTicket &n, const std::string &by, Timestamp now) const {
  auto title = checked_title(n.title);
  if (!title) return title.error();
  if (!r.station(n.station)) return ServiceError::invalid("no such station", "station_id");
  if (n.evse_id && (*n.evse_id < 0 || *n.evse_id > 1000))
    return ServiceError::invalid("evse_id must be 0 to 1000", "evse_id");
  if (n.connector_id && (*n.connector_id < 0 || *n.connector_id > 1000))
    return ServiceError::invalid("connector_id must be 0 to 1000", "connector_id");
  if (n.assignee && (n.assignee->empty() || n.assignee->size() > max_assignee))
    return ServiceError::invalid("assignee must be 1 to 100 characters", "assignee");
  if (n.note && (n.note->empty() || n.note->size() > max_note))
    return ServiceError::invalid("note must be 1 to 4000 characters", "note");
  Ticket t;
  t.station = n.station;
  t.evse_id = n.evse_id;
  t.connector_id = n.connector_id;
  t.priority = n.priority;
  t.source = n.source;
  t.title = *title;
  t.assignee = n.assignee;
  t.created_by = by;
  t.report_id = n.report_id;
  t.schedule_id = n.schedule_id;
  t.created_at = t.updated_at = now;
  t.due_at = due_at(n.priority, now);
  t.id = r.insert_ticket(t);
  if (n.note) r.insert_ticket_note(TicketNote{0, t.id, by, *n.note, now});
  return t;
}

Result<Ticket> MaintenanceService::change(Repository &r, std::int64_t id, const TicketChange &c, const std::string &by,
                                          Timestamp now) const {
  auto t = r.ticket(id);
  if (!t) return ServiceError::not_found("no such ticket");
  if (t->status == TicketStatus::Closed) return ServiceError::conflict("the ticket is closed");
  std::vector<std::string> notes;
  if (c.title) {
    auto title = checked_title(*c.title);
    if (!title) return title.error();
    t->title = *title;
  }
  if (c.priority && *c.priority != t->priority) {
    notes.push_back("priority: " + std::string(name_of(ticket_priorities, t->priority)) + " -> " +
                    std::string(name_of(ticket_priorities, *c.priority)));
    t->priority = *c.priority;
    t->due_at = due_at(t->priority, t->created_at); // the SLA runs from the opening
  }
  if (c.assignee && *c.assignee != t->assignee) {
    const auto &a = *c.assignee;
    if (a && (a->empty() || a->size() > max_assignee))
      return ServiceError::invalid("assignee must be 1 to 100 characters, or null", "assignee");
    notes.push_back(a ? "assigned to " + *a : std::string("unassigned"));
    t->assignee = a;
  }
  if (c.status && *c.status != t->status) {
    notes.push_back("status: " + std::string(name_of(ticket_statuses, t->status)) + " -> " +
                    std::string(name_of(ticket_statuses, *c.status)));
    t->status = *c.status;
    t->resolved_at = ticket_open(t->status) ? std::nullopt : std::optional{t->resolved_at.value_or(now)};
  }
  t->updated_at = now;
  r.update_ticket(*t);
  for (auto &text : notes)
    r.insert_ticket_note(TicketNote{0, id, by, std::move(text), now});
  return *t;
}

Result<TicketNote> MaintenanceService::add_note(Repository &r, std::int64_t id, const std::string &text,
                                                const std::string &author, Timestamp now) const {
  auto t = r.ticket(id);
  if (!t) return ServiceError::not_found("no such ticket");
  if (text.empty() || text.size() > max_note) return ServiceError::invalid("text must be 1 to 4000 characters", "text");
  TicketNote n{0, id, author, text, now};
  n.id = r.insert_ticket_note(n);
  t->updated_at = now;
  r.update_ticket(*t);
  return n;
}

std::optional<Ticket> MaintenanceService::on_problem_report(Repository &r, const ProblemReported &p) const {
  if (!r.station(p.station)) return std::nullopt;
  const std::optional<int> evse = p.evse_id > 0 ? std::optional{p.evse_id} : std::nullopt;
  if (r.open_ticket_for(p.station, evse, TicketSource::ProblemReport)) return std::nullopt;
  NewTicket n;
  n.station = p.station;
  n.evse_id = evse;
  n.source = TicketSource::ProblemReport;
  n.report_id = p.report_id;
  n.priority = p.category == ReportCategory::NotWorking || p.category == ReportCategory::Damaged
                   ? TicketPriority::High
                   : TicketPriority::Normal;
  n.title = "Driver report (" + std::string(to_string(p.category)) + ")";
  auto t = open(r, n, "driver report " + std::to_string(p.report_id), p.at);
  if (!t) return std::nullopt;
  return *t;
}

Result<InspectionSchedule> MaintenanceService::create_inspection(Repository &r, InspectionSchedule d,
                                                                 const std::string &by, Timestamp now) const {
  auto title = checked_title(d.title);
  if (!title) return title.error();
  if (!r.location(d.location)) return ServiceError::invalid("no such location", "location_id");
  if (d.every < 1 || d.every > 1000) return ServiceError::invalid("every must be 1 to 1000", "every");
  d.created_by = by;
  d.created_at = now;
  d.id = r.insert_inspection(d);
  return d;
}

std::vector<Ticket> MaintenanceService::run_due_inspections(Repository &r, Timestamp now) const {
  std::vector<Ticket> opened;
  for (auto s : r.due_inspections(now)) {
    for (const auto &station : r.location_stations(s.location)) {
      NewTicket n;
      n.station = station;
      n.title = "Inspection: " + s.title;
      n.priority = s.priority;
      n.source = TicketSource::Inspection;
      n.schedule_id = s.id;
      if (auto t = open(r, n, "inspection " + std::to_string(s.id), now)) opened.push_back(*t);
    }
    // One ticket per due date: a schedule missed for a while (the server was down) catches up
    // to the next date after now, not once per missed date.
    while (s.next_due <= now)
      s.next_due = advance(s.next_due, s.every, s.unit);
    r.update_inspection(s);
  }
  return opened;
}

Timestamp MaintenanceService::advance(Timestamp from, int n, IntervalUnit unit) {
  using namespace std::chrono;
  switch (unit) {
  case IntervalUnit::Day: return from + days(n);
  case IntervalUnit::Week: return from + weeks(n);
  case IntervalUnit::Month: {
    const auto day = floor<days>(from);
    const auto time = from - day;
    year_month_day ymd{day};
    auto next = ymd.year() / ymd.month() / ymd.day() + months(n);
    if (!next.ok()) next = next.year() / next.month() / last;
    return Timestamp{sys_days{next}} + time;
  }
  }
  return from + days(n);
}

TicketChanged MaintenanceService::changed(const Ticket &t) {
  return TicketChanged{t.station, t.updated_at, t.id, t.status, t.priority, t.source, t.title};
}

} // namespace gridlane::services
