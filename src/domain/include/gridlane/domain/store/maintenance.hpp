#pragma once
//! Maintenance tickets and their notes, inspection schedules, and self-healing's history and
//! per-station opt-outs (migration 0028).
#include <cstdint>
#include <optional>
#include <vector>

#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/maintenance.hpp"

namespace gridlane::domain {

class MaintenanceStore {
public:
  virtual ~MaintenanceStore() = default;

  //! Stores a new ticket (its id ignored); returns its id.
  virtual std::int64_t insert_ticket(const Ticket &t) = 0;
  //! Overwrites everything but the id, the station, the source and created_at.
  virtual void update_ticket(const Ticket &t) = 0;
  virtual std::optional<Ticket> ticket(std::int64_t id) = 0;
  virtual bool delete_ticket(std::int64_t id) = 0;
  //! Newest first.
  virtual std::vector<Ticket> tickets(const TicketFilter &f, PageRequest page) = 0;
  virtual std::int64_t count_tickets(const TicketFilter &f) = 0;
  //! The open ticket a playbook or report opened for this connector, if any (no second one is opened).
  virtual std::optional<Ticket> open_ticket_for(const StationId &station, std::optional<int> evse_id,
                                                TicketSource source) = 0;
  virtual std::int64_t insert_ticket_note(const TicketNote &n) = 0;
  //! Oldest first.
  virtual std::vector<TicketNote> ticket_notes(std::int64_t ticket_id) = 0;

  virtual std::int64_t insert_inspection(const InspectionSchedule &s) = 0;
  //! Overwrites everything but the id, created_by and created_at.
  virtual void update_inspection(const InspectionSchedule &s) = 0;
  virtual std::optional<InspectionSchedule> inspection(std::int64_t id) = 0;
  virtual bool delete_inspection(std::int64_t id) = 0;
  virtual std::vector<InspectionSchedule> inspections(PageRequest page) = 0;
  virtual std::int64_t count_inspections() = 0;
  //! Enabled schedules whose next_due is at or before `now`.
  virtual std::vector<InspectionSchedule> due_inspections(Timestamp now) = 0;

  //! Appends a line to a station's healing history; returns its id.
  virtual std::int64_t insert_healing_record(const HealingRecord &r) = 0;
  //! Newest first.
  virtual std::vector<HealingRecord> healing_records(const StationId &station, PageRequest page) = 0;
  virtual std::int64_t count_healing_records(const StationId &station) = 0;
  //! Whether the station opted out of self-healing.
  virtual bool healing_opted_out(const StationId &station) = 0;
  virtual void set_healing_opt_out(const StationId &station, bool opted_out, const std::string &by, Timestamp at) = 0;
};

} // namespace gridlane::domain
