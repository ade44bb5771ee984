// Maintenance (migration 0028): tickets and their append-only notes, inspection schedules, and
// self-healing's history and opt-outs. Enums are stored as their API names (the name tables).
#include "gridlane/domain/names.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

template <class E, std::size_t N> std::string text_of(const NameTable<E, N> &t, E v) {
  return std::string(name_of(t, v));
}
template <class E, std::size_t N> std::optional<std::string> opt_text_of(const NameTable<E, N> &t, std::optional<E> v) {
  return v ? std::optional{text_of(t, *v)} : std::nullopt;
}
std::optional<std::int64_t> opt_int(std::optional<int> v) {
  return v ? std::optional<std::int64_t>{*v} : std::nullopt;
}
std::optional<int> opt_small(const Statement &s, int col) {
  return s.is_null(col) ? std::nullopt : std::optional{static_cast<int>(s.int64(col))};
}

constexpr std::string_view ticket_columns = "id, station_id, evse_id, connector_id, status, priority, source, title, "
                                            "assignee, created_by, report_id, schedule_id, created_at, updated_at, "
                                            "due_at, resolved_at";
Ticket read_ticket(const Statement &s) {
  Ticket t;
  t.id = s.int64(0);
  t.station = StationId::unchecked(s.text(1));
  t.evse_id = opt_small(s, 2);
  t.connector_id = opt_small(s, 3);
  t.status = value_of(ticket_statuses, s.text(4)).value_or(TicketStatus::Open);
  t.priority = value_of(ticket_priorities, s.text(5)).value_or(TicketPriority::Normal);
  t.source = value_of(ticket_sources, s.text(6)).value_or(TicketSource::Manual);
  t.title = s.text(7);
  t.assignee = s.opt_text(8);
  t.created_by = s.text(9);
  t.report_id = s.opt_int64(10);
  t.schedule_id = s.opt_int64(11);
  t.created_at = from_unix_ms(s.int64(12));
  t.updated_at = from_unix_ms(s.int64(13));
  t.due_at = from_unix_ms(s.int64(14));
  t.resolved_at = ts(s.opt_int64(15));
  return t;
}

// ?1 status, ?2 station, ?3 location, ?4 overdue at, ?5 source
constexpr std::string_view ticket_where =
    "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR station_id = ?2) "
    "AND (?3 IS NULL OR station_id IN (SELECT id FROM stations WHERE location_id = ?3)) "
    "AND (?4 IS NULL OR (status NOT IN ('resolved', 'closed') AND due_at < ?4)) AND (?5 IS NULL OR source = ?5)";
void bind_filter(Statement &s, const TicketFilter &f) {
  s.bind(1, opt_text_of(ticket_statuses, f.status));
  s.bind(2, f.station ? std::optional{f.station->str()} : std::nullopt);
  s.bind(3, f.location ? std::optional{f.location->str()} : std::nullopt);
  s.bind(4, ms(f.overdue_at));
  s.bind(5, opt_text_of(ticket_sources, f.source));
}

constexpr std::string_view inspection_columns =
    "id, location_id, title, every, unit, priority, next_due, enabled, created_by, created_at";
InspectionSchedule read_inspection(const Statement &s) {
  InspectionSchedule i;
  i.id = s.int64(0);
  i.location = LocationId::unchecked(s.text(1));
  i.title = s.text(2);
  i.every = static_cast<int>(s.int64(3));
  i.unit = value_of(interval_units, s.text(4)).value_or(IntervalUnit::Month);
  i.priority = value_of(ticket_priorities, s.text(5)).value_or(TicketPriority::Normal);
  i.next_due = from_unix_ms(s.int64(6));
  i.enabled = s.int64(7) != 0;
  i.created_by = s.text(8);
  i.created_at = from_unix_ms(s.int64(9));
  return i;
}

constexpr std::string_view healing_columns =
    "id, station_id, incident, evse_id, connector_id, fault, action, step, detail, command_id, ticket_id, at";
HealingRecord read_healing(const Statement &s) {
  HealingRecord r;
  r.id = s.int64(0);
  r.station = StationId::unchecked(s.text(1));
  r.incident = s.int64(2);
  r.evse_id = static_cast<int>(s.int64(3));
  r.connector_id = static_cast<int>(s.int64(4));
  r.fault = value_of(fault_kinds, s.text(5)).value_or(FaultKind::Faulted);
  r.action = value_of(healing_actions, s.text(6)).value_or(HealingAction::Stopped);
  if (auto step = s.opt_text(7)) r.step = value_of(healing_steps, *step);
  r.detail = s.text(8);
  r.command_id = s.opt_int64(9);
  r.ticket_id = s.opt_int64(10);
  r.at = from_unix_ms(s.int64(11));
  return r;
}

} // namespace

std::int64_t SqliteRepository::insert_ticket(const Ticket &t) {
  db_.prepare("INSERT INTO maintenance_tickets (station_id, evse_id, connector_id, status, priority, source, title, "
              "assignee, created_by, report_id, schedule_id, created_at, updated_at, due_at, resolved_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")
      .bind(1, t.station.str())
      .bind(2, opt_int(t.evse_id))
      .bind(3, opt_int(t.connector_id))
      .bind(4, text_of(ticket_statuses, t.status))
      .bind(5, text_of(ticket_priorities, t.priority))
      .bind(6, text_of(ticket_sources, t.source))
      .bind(7, t.title)
      .bind(8, t.assignee)
      .bind(9, t.created_by)
      .bind(10, t.report_id)
      .bind(11, t.schedule_id)
      .bind(12, to_unix_ms(t.created_at))
      .bind(13, to_unix_ms(t.updated_at))
      .bind(14, to_unix_ms(t.due_at))
      .bind(15, ms(t.resolved_at))
      .run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_ticket(const Ticket &t) {
  db_.prepare("UPDATE maintenance_tickets SET evse_id = ?2, connector_id = ?3, status = ?4, priority = ?5, title = ?6, "
              "assignee = ?7, updated_at = ?8, due_at = ?9, resolved_at = ?10 WHERE id = ?1")
      .bind(1, t.id)
      .bind(2, opt_int(t.evse_id))
      .bind(3, opt_int(t.connector_id))
      .bind(4, text_of(ticket_statuses, t.status))
      .bind(5, text_of(ticket_priorities, t.priority))
      .bind(6, t.title)
      .bind(7, t.assignee)
      .bind(8, to_unix_ms(t.updated_at))
      .bind(9, to_unix_ms(t.due_at))
      .bind(10, ms(t.resolved_at))
      .run();
}

std::optional<Ticket> SqliteRepository::ticket(std::int64_t id) {
  auto s = db_.prepare(select(ticket_columns, "FROM maintenance_tickets WHERE id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_ticket(s);
}

bool SqliteRepository::delete_ticket(std::int64_t id) {
  db_.prepare("DELETE FROM maintenance_tickets WHERE id = ?1").bind(1, id).run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<Ticket> SqliteRepository::tickets(const TicketFilter &f, PageRequest page) {
  std::string rest = "FROM maintenance_tickets ";
  rest += ticket_where;
  rest += " ORDER BY id DESC LIMIT ?6 OFFSET ?7";
  auto s = db_.prepare(select(ticket_columns, rest));
  bind_filter(s, f);
  s.bind(6, static_cast<std::int64_t>(page.limit)).bind(7, static_cast<std::int64_t>(page.offset));
  std::vector<Ticket> out;
  while (s.step())
    out.push_back(read_ticket(s));
  return out;
}

std::int64_t SqliteRepository::count_tickets(const TicketFilter &f) {
  std::string sql = "SELECT COUNT(*) FROM maintenance_tickets ";
  sql += ticket_where;
  auto s = db_.prepare(sql);
  bind_filter(s, f);
  return s.step() ? s.int64(0) : 0;
}

std::optional<Ticket> SqliteRepository::open_ticket_for(const StationId &station, std::optional<int> evse_id,
                                                        TicketSource source) {
  auto s = db_.prepare(select(ticket_columns, "FROM maintenance_tickets WHERE station_id = ?1 AND evse_id IS ?2 "
                                              "AND source = ?3 AND status NOT IN ('resolved', 'closed') "
                                              "ORDER BY id DESC LIMIT 1"));
  s.bind(1, station.str()).bind(2, opt_int(evse_id)).bind(3, text_of(ticket_sources, source));
  if (!s.step()) return std::nullopt;
  return read_ticket(s);
}

std::int64_t SqliteRepository::insert_ticket_note(const TicketNote &n) {
  db_.prepare("INSERT INTO maintenance_ticket_notes (ticket_id, author, text, at) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, n.ticket_id)
      .bind(2, n.author)
      .bind(3, n.text)
      .bind(4, to_unix_ms(n.at))
      .run();
  return db_.last_insert_rowid();
}

std::vector<TicketNote> SqliteRepository::ticket_notes(std::int64_t ticket_id) {
  auto s = db_.prepare("SELECT id, ticket_id, author, text, at FROM maintenance_ticket_notes WHERE ticket_id = ?1 "
                       "ORDER BY id");
  s.bind(1, ticket_id);
  std::vector<TicketNote> out;
  while (s.step())
    out.push_back(TicketNote{s.int64(0), s.int64(1), s.text(2), s.text(3), from_unix_ms(s.int64(4))});
  return out;
}

std::int64_t SqliteRepository::insert_inspection(const InspectionSchedule &i) {
  db_.prepare("INSERT INTO maintenance_inspections (location_id, title, every, unit, priority, next_due, enabled, "
              "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
      .bind(1, i.location.str())
      .bind(2, i.title)
      .bind(3, i.every)
      .bind(4, text_of(interval_units, i.unit))
      .bind(5, text_of(ticket_priorities, i.priority))
      .bind(6, to_unix_ms(i.next_due))
      .bind(7, i.enabled ? 1 : 0)
      .bind(8, i.created_by)
      .bind(9, to_unix_ms(i.created_at))
      .run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_inspection(const InspectionSchedule &i) {
  db_.prepare("UPDATE maintenance_inspections SET location_id = ?2, title = ?3, every = ?4, unit = ?5, "
              "priority = ?6, next_due = ?7, enabled = ?8 WHERE id = ?1")
      .bind(1, i.id)
      .bind(2, i.location.str())
      .bind(3, i.title)
      .bind(4, i.every)
      .bind(5, text_of(interval_units, i.unit))
      .bind(6, text_of(ticket_priorities, i.priority))
      .bind(7, to_unix_ms(i.next_due))
      .bind(8, i.enabled ? 1 : 0)
      .run();
}

std::optional<InspectionSchedule> SqliteRepository::inspection(std::int64_t id) {
  auto s = db_.prepare(select(inspection_columns, "FROM maintenance_inspections WHERE id = ?1"));
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_inspection(s);
}

bool SqliteRepository::delete_inspection(std::int64_t id) {
  db_.prepare("DELETE FROM maintenance_inspections WHERE id = ?1").bind(1, id).run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<InspectionSchedule> SqliteRepository::inspections(PageRequest page) {
  auto s = db_.prepare(select(inspection_columns, "FROM maintenance_inspections ORDER BY id LIMIT ?1 OFFSET ?2"));
  s.bind(1, static_cast<std::int64_t>(page.limit)).bind(2, static_cast<std::int64_t>(page.offset));
  std::vector<InspectionSchedule> out;
  while (s.step())
    out.push_back(read_inspection(s));
  return out;
}

std::int64_t SqliteRepository::count_inspections() {
  auto s = db_.prepare("SELECT COUNT(*) FROM maintenance_inspections");
  return s.step() ? s.int64(0) : 0;
}

std::vector<InspectionSchedule> SqliteRepository::due_inspections(Timestamp now) {
  auto s = db_.prepare(select(inspection_columns, "FROM maintenance_inspections WHERE enabled = 1 AND next_due <= ?1 "
                                                  "ORDER BY next_due LIMIT 100"));
  s.bind(1, to_unix_ms(now));
  std::vector<InspectionSchedule> out;
  while (s.step())
    out.push_back(read_inspection(s));
  return out;
}

std::int64_t SqliteRepository::insert_healing_record(const HealingRecord &r) {
  db_.prepare("INSERT INTO healing_records (station_id, incident, evse_id, connector_id, fault, action, step, detail, "
              "command_id, ticket_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
      .bind(1, r.station.str())
      .bind(2, r.incident)
      .bind(3, r.evse_id)
      .bind(4, r.connector_id)
      .bind(5, text_of(fault_kinds, r.fault))
      .bind(6, text_of(healing_actions, r.action))
      .bind(7, opt_text_of(healing_steps, r.step))
      .bind(8, r.detail)
      .bind(9, r.command_id)
      .bind(10, r.ticket_id)
      .bind(11, to_unix_ms(r.at))
      .run();
  const auto id = db_.last_insert_rowid();
  // The first line of an incident names it: its own id.
  if (r.incident == 0) db_.prepare("UPDATE healing_records SET incident = ?1 WHERE id = ?1").bind(1, id).run();
  return id;
}

std::vector<HealingRecord> SqliteRepository::healing_records(const StationId &station, PageRequest page) {
  auto s = db_.prepare(
      select(healing_columns, "FROM healing_records WHERE station_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"));
  s.bind(1, station.str())
      .bind(2, static_cast<std::int64_t>(page.limit))
      .bind(3, static_cast<std::int64_t>(page.offset));
  std::vector<HealingRecord> out;
  while (s.step())
    out.push_back(read_healing(s));
  return out;
}

std::int64_t SqliteRepository::count_healing_records(const StationId &station) {
  auto s = db_.prepare("SELECT COUNT(*) FROM healing_records WHERE station_id = ?1");
  s.bind(1, station.str());
  return s.step() ? s.int64(0) : 0;
}

bool SqliteRepository::healing_opted_out(const StationId &station) {
  auto s = db_.prepare("SELECT 1 FROM healing_opt_outs WHERE station_id = ?1");
  s.bind(1, station.str());
  return s.step();
}

void SqliteRepository::set_healing_opt_out(const StationId &station, bool opted_out, const std::string &by,
                                           Timestamp at) {
  if (opted_out)
    db_.prepare("INSERT INTO healing_opt_outs (station_id, by, at) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (station_id) DO UPDATE SET by = excluded.by, at = excluded.at")
        .bind(1, station.str())
        .bind(2, by)
        .bind(3, to_unix_ms(at))
        .run();
  else
    db_.prepare("DELETE FROM healing_opt_outs WHERE station_id = ?1").bind(1, station.str()).run();
}

} // namespace gridlane::store::sqlite
