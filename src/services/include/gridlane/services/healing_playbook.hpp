#pragma once
//! Self-healing's decisions as pure functions (docs/operations.md "Self-healing"): which fault a
//! status report is, and, for a fault being worked on, what to do next given the facts and `now`.
//! HealingService runs them; healing_playbook_test.cpp tables them.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/config.hpp"
#include "gridlane/domain/maintenance.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services::healing {

struct Timing {
  std::chrono::seconds start_after{30};
  std::chrono::seconds offline_after{900}; //!< start_after for an offline station
  std::chrono::seconds step_wait{60};
  int backoff = 2;
  std::chrono::seconds max_wait{1800};
  int max_attempts = 3;
  bool reset_during_session = false;
};

//! The steps of each fault kind's playbook, and the timing they share.
struct Playbooks {
  std::vector<domain::HealingStep> faulted;
  std::vector<domain::HealingStep> faulted_with_code;
  std::vector<domain::HealingStep> offline;
  Timing timing;
  const std::vector<domain::HealingStep> &steps(domain::FaultKind k) const {
    switch (k) {
    case domain::FaultKind::FaultedWithCode: return faulted_with_code;
    case domain::FaultKind::Offline: return offline;
    case domain::FaultKind::Faulted: break;
    }
    return faulted;
  }
};
//! The playbooks of [healing]; an unknown step name is an error naming it.
domain::Result<Playbooks> playbooks_of(const core::HealingConfig &c);

//! One fault being worked on: a connector (1.6 connector 0, 2.x EVSE 0: the whole station), or a
//! station offline.
struct Incident {
  std::int64_t id = 0; //!< its first history line's id (0 until stored)
  domain::FaultKind fault = domain::FaultKind::Faulted;
  std::size_t next = 0;         //!< the index of the next step
  int attempts = 0;             //!< steps taken that count against max_attempts
  domain::Timestamp due;        //!< the next step runs at or after this
  std::chrono::seconds wait{0}; //!< the wait after the next counted step
  domain::Timestamp started_at;
};

//! What is true of the station when a step is due.
struct Facts {
  bool enabled = true;          //!< [healing] enabled
  bool opted_out = false;       //!< the station opted out
  bool session_running = false; //!< a transaction is active on the station
  bool connected = true;        //!< the station has a connection (commands can reach it)
  bool ticket_open = false;     //!< a ticket self-healing opened for this connector is still open
};

enum class Verdict {
  Wait, //!< not yet: come back at `until`
  Run,  //!< take `step`
  Skip, //!< pass `step` over, for `reason`, and decide again at once
  Stop, //!< end the incident without acting, for `reason`
};
struct Decision {
  Verdict verdict = Verdict::Wait;
  std::optional<domain::HealingStep> step;
  domain::Timestamp until{};
  std::string reason;
};

//! The fault a status report is, if it is one: Faulted, with or without an error code.
std::optional<domain::FaultKind> fault_of(domain::ConnectorStatus status, domain::ConnectorErrorCode code);
//! Whether a reported status ends a fault: neither Faulted nor Unavailable (a reboot reports
//! Unavailable first; making the connector unavailable is a step of the playbook itself).
bool recovers(domain::ConnectorStatus status);
//! Steps that act on the station and count against max_attempts (the status request, resets,
//! reconnect).
bool counted(domain::HealingStep s);
bool resets(domain::HealingStep s);

//! A new incident, its first step due start_after from `at` (offline_after for an offline station).
Incident begin(const Timing &t, domain::FaultKind fault, domain::Timestamp at);
//! What to do now.
Decision decide(const Playbooks &p, const Incident &i, const Facts &f, domain::Timestamp now);
//! The incident after `step` was taken (`ran`) or skipped at `now`: the next step, its due time
//! (after a counted step taken: the wait, which grows by the back-off up to max_wait; else now).
void advance(const Timing &t, Incident &i, domain::HealingStep step, bool ran, domain::Timestamp now);
//! Whether the playbook is over (every step passed, or a ticket was opened).
bool finished(const Playbooks &p, const Incident &i);

} // namespace gridlane::services::healing
