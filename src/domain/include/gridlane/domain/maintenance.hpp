#pragma once
//! Maintenance (docs/operations.md "Maintenance tickets", "Self-healing"): tickets (work orders)
//! for a station or one of its connectors, their append-only notes, the recurring inspections of
//! a location, and the record of what self-healing did to a station.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/location.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/operations.hpp"

namespace gridlane::domain {

//! A work order. `due_at` is the SLA: created_at plus the priority's duration ([maintenance]).
struct Ticket {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  std::optional<int> evse_id;
  std::optional<int> connector_id;
  TicketStatus status = TicketStatus::Open;
  TicketPriority priority = TicketPriority::Normal;
  TicketSource source = TicketSource::Manual;
  std::string title;
  std::optional<std::string> assignee;
  std::string created_by;                  //!< "user:alice", "healing", "driver report 12", "inspection 3"
  std::optional<std::int64_t> report_id;   //!< the driver's problem report that opened it
  std::optional<std::int64_t> schedule_id; //!< the inspection schedule that opened it
  Timestamp created_at{};
  Timestamp updated_at{};
  Timestamp due_at{};
  std::optional<Timestamp> resolved_at; //!< set when it became resolved or closed
};

//! Open: a technician still has to act (the SLA runs).
constexpr bool ticket_open(TicketStatus s) {
  return s != TicketStatus::Resolved && s != TicketStatus::Closed;
}
//! Overdue: still open after its due time.
inline bool ticket_overdue(const Ticket &t, Timestamp now) {
  return ticket_open(t.status) && now > t.due_at;
}

//! One note of a ticket; notes are never changed or removed.
struct TicketNote {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::string author;
  std::string text;
  Timestamp at{};
};

//! Which tickets to list (GET /tickets); each set filter must match.
struct TicketFilter {
  std::optional<TicketStatus> status;
  std::optional<StationId> station;
  std::optional<LocationId> location;  //!< tickets of stations at this location
  std::optional<Timestamp> overdue_at; //!< only tickets open and due before this time
  std::optional<TicketSource> source;
};

enum class IntervalUnit { Day, Week, Month };
inline constexpr NameTable<IntervalUnit, 3> interval_units{{
    {IntervalUnit::Day, "day"},
    {IntervalUnit::Week, "week"},
    {IntervalUnit::Month, "month"},
}};

//! A recurring inspection of a location: every `every` units from `next_due` on; when due, each
//! station at the location gets a ticket (source inspection) and `next_due` moves on.
struct InspectionSchedule {
  std::int64_t id = 0;
  LocationId location = LocationId::unchecked("");
  std::string title;
  int every = 1;
  IntervalUnit unit = IntervalUnit::Month;
  TicketPriority priority = TicketPriority::Normal;
  Timestamp next_due{};
  bool enabled = true;
  std::string created_by;
  Timestamp created_at{};
};

// ---- self-healing -------------------------------------------------------------------------------

//! A playbook's step (docs/operations.md "Self-healing").
enum class HealingStep { TriggerStatus, SoftReset, HardReset, MakeUnavailable, OpenTicket, Reconnect };
inline constexpr NameTable<HealingStep, 6> healing_steps{{
    {HealingStep::TriggerStatus, "trigger_status"},
    {HealingStep::SoftReset, "soft_reset"},
    {HealingStep::HardReset, "hard_reset"},
    {HealingStep::MakeUnavailable, "make_unavailable"},
    {HealingStep::OpenTicket, "open_ticket"},
    {HealingStep::Reconnect, "reconnect"}, //!< close a silent station's connection so that it connects again
}};

//! What a line of a station's healing history records.
enum class HealingAction {
  Started,   //!< a fault was seen; the playbook begins
  Sent,      //!< a step's command was submitted (its id in command_id)
  Skipped,   //!< a step was not taken (a session runs, the station is not connected...)
  Recovered, //!< the connector reported a working status again
  Ticket,    //!< the playbook gave up and opened a ticket (its id in ticket_id)
  Stopped,   //!< the playbook ended without acting further (opted out, disabled)
};
inline constexpr NameTable<HealingAction, 6> healing_actions{{
    {HealingAction::Started, "started"},
    {HealingAction::Sent, "sent"},
    {HealingAction::Skipped, "skipped"},
    {HealingAction::Recovered, "recovered"},
    {HealingAction::Ticket, "ticket"},
    {HealingAction::Stopped, "stopped"},
}};

//! The fault a playbook answers.
enum class FaultKind { Faulted, FaultedWithCode, Offline };
inline constexpr NameTable<FaultKind, 3> fault_kinds{{
    {FaultKind::Faulted, "faulted"},
    {FaultKind::FaultedWithCode, "faulted_with_code"},
    {FaultKind::Offline, "offline"},
}};

//! One line of a station's healing history.
struct HealingRecord {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  std::int64_t incident = 0; //!< the lines of one fault share it (the id of its `started` line)
  int evse_id = 0;
  int connector_id = 0;
  FaultKind fault = FaultKind::Faulted;
  HealingAction action = HealingAction::Started;
  std::optional<HealingStep> step;
  std::string detail;
  std::optional<std::int64_t> command_id;
  std::optional<std::int64_t> ticket_id;
  Timestamp at{};
};

} // namespace gridlane::domain
