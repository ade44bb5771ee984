#pragma once
//! Maintenance tickets (work orders) and inspection schedules: the rules the API, the playbooks,
//! the drivers' problem reports and the inspection timer share. Each method runs inside a unit of
//! work; the caller publishes `changed(ticket)` after the commit.
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/config.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

struct NewTicket {
  domain::StationId station = domain::StationId::unchecked("");
  std::optional<int> evse_id;
  std::optional<int> connector_id;
  std::string title;
  domain::TicketPriority priority = domain::TicketPriority::Normal;
  std::optional<std::string> assignee;
  std::optional<std::string> note; //!< a first note, by the opener
  domain::TicketSource source = domain::TicketSource::Manual;
  std::optional<std::int64_t> report_id;
  std::optional<std::int64_t> schedule_id;
};

//! A change of a ticket; each set field is applied (assignee: a value, or an empty one to unassign).
struct TicketChange {
  std::optional<std::string> title;
  std::optional<domain::TicketPriority> priority;
  std::optional<std::optional<std::string>> assignee;
  std::optional<domain::TicketStatus> status;
};

class MaintenanceService {
public:
  explicit MaintenanceService(core::MaintenanceConfig config = {}) : config_(config) {}

  //! The SLA: when a ticket of this priority opened at `opened` is due.
  domain::Timestamp due_at(domain::TicketPriority p, domain::Timestamp opened) const;

  //! Opens a ticket: the station must exist, the title be 1 to 200 characters.
  domain::Result<domain::Ticket> open(domain::Repository &r, const NewTicket &t, const std::string &by,
                                      domain::Timestamp now) const;
  //! Applies a change. A closed ticket changes no more (409); a status or assignee change is also
  //! written as a note by `by`, so the notes are the ticket's history.
  domain::Result<domain::Ticket> change(domain::Repository &r, std::int64_t id, const TicketChange &c,
                                        const std::string &by, domain::Timestamp now) const;
  domain::Result<domain::TicketNote> add_note(domain::Repository &r, std::int64_t id, const std::string &text,
                                              const std::string &author, domain::Timestamp now) const;

  //! A driver's problem report opens a ticket for its station and EVSE, unless one it opened is
  //! still open there (nullopt then, or when the station is unknown).
  std::optional<domain::Ticket> on_problem_report(domain::Repository &r, const domain::ProblemReported &p) const;

  //! Checks and stores a new schedule (the location must exist; every 1 to 1000 units).
  domain::Result<domain::InspectionSchedule> create_inspection(domain::Repository &r, domain::InspectionSchedule draft,
                                                               const std::string &by, domain::Timestamp now) const;
  //! Opens a ticket per station of each due schedule's location and moves its next_due past `now`;
  //! returns the tickets opened.
  std::vector<domain::Ticket> run_due_inspections(domain::Repository &r, domain::Timestamp now) const;

  //! `from` plus `n` units (a month: the same day of the next month, clamped to its last day).
  static domain::Timestamp advance(domain::Timestamp from, int n, domain::IntervalUnit unit);
  //! The event a ticket's creation or change publishes.
  static domain::TicketChanged changed(const domain::Ticket &t);

private:
  core::MaintenanceConfig config_;
};

} // namespace gridlane::services
