// Self-healing's decisions (healing_playbook.hpp): pure functions of the incident, the facts
// and `now`.
#include "gridlane/services/healing_playbook.hpp"

#include <algorithm>

namespace gridlane::services::healing {
using namespace gridlane::domain;

Result<Playbooks> playbooks_of(const core::HealingConfig &c) {
  Playbooks p;
  auto parse = [](const std::vector<std::string> &names, const char *key,
                  std::vector<HealingStep> &out) -> std::optional<ServiceError> {
    for (const auto &n : names) {
      auto s = value_of(healing_steps, n);
      if (!s)
        return ServiceError::invalid("healing." + std::string(key) + ": unknown step '" + n +
                                     "' (trigger_status, soft_reset, hard_reset, make_unavailable, open_ticket, "
                                     "reconnect)");
      out.push_back(*s);
    }
    return std::nullopt;
  };
  if (auto e = parse(c.faulted, "faulted", p.faulted)) return *e;
  if (auto e = parse(c.faulted_with_code, "faulted_with_code", p.faulted_with_code)) return *e;
  if (auto e = parse(c.offline, "offline", p.offline)) return *e;
  p.timing.start_after = std::chrono::seconds(c.start_after_s);
  p.timing.offline_after = std::chrono::seconds(c.offline_after_s);
  p.timing.step_wait = std::chrono::seconds(c.step_wait_s);
  p.timing.backoff = c.backoff;
  p.timing.max_wait = std::chrono::seconds(c.max_wait_s);
  p.timing.max_attempts = c.max_attempts;
  p.timing.reset_during_session = c.reset_during_session;
  return p;
}

std::optional<FaultKind> fault_of(ConnectorStatus status, ConnectorErrorCode code) {
  if (status != ConnectorStatus::Faulted) return std::nullopt;
  return code == ConnectorErrorCode::NoError ? FaultKind::Faulted : FaultKind::FaultedWithCode;
}

bool recovers(ConnectorStatus status) {
  return status != ConnectorStatus::Faulted && status != ConnectorStatus::Unavailable;
}

bool counted(HealingStep s) {
  return s == HealingStep::TriggerStatus || s == HealingStep::SoftReset || s == HealingStep::HardReset ||
         s == HealingStep::Reconnect;
}

bool resets(HealingStep s) {
  return s == HealingStep::SoftReset || s == HealingStep::HardReset;
}

Incident begin(const Timing &t, FaultKind fault, Timestamp at) {
  Incident i;
  i.fault = fault;
  i.due = at + (fault == FaultKind::Offline ? t.offline_after : t.start_after);
  i.wait = t.step_wait;
  i.started_at = at;
  return i;
}

Decision decide(const Playbooks &p, const Incident &i, const Facts &f, Timestamp now) {
  const auto &steps = p.steps(i.fault);
  if (!f.enabled) return {Verdict::Stop, std::nullopt, now, "self-healing is disabled"};
  if (f.opted_out) return {Verdict::Stop, std::nullopt, now, "the station opted out of self-healing"};
  if (f.ticket_open && i.next == 0 && i.attempts == 0)
    return {Verdict::Stop, std::nullopt, now, "a ticket self-healing opened for it is still open"};
  if (i.next >= steps.size()) return {Verdict::Stop, std::nullopt, now, "the playbook has no step left"};
  if (now < i.due) return {Verdict::Wait, std::nullopt, i.due, {}};
  const auto step = steps[i.next];
  if (counted(step) && i.attempts >= p.timing.max_attempts)
    return {Verdict::Skip, step, now, "at most " + std::to_string(p.timing.max_attempts) + " attempts"};
  if (resets(step) && f.session_running && !p.timing.reset_during_session)
    return {Verdict::Skip, step, now, "a session is running on the station (healing.reset_during_session is off)"};
  if (step != HealingStep::OpenTicket && !f.connected)
    return {Verdict::Skip, step, now, "the station is not connected"};
  return {Verdict::Run, step, now, {}};
}

void advance(const Timing &t, Incident &i, HealingStep step, bool ran, Timestamp now) {
  ++i.next;
  if (ran && counted(step)) {
    ++i.attempts;
    i.due = now + i.wait;
    i.wait = std::min(t.max_wait, i.wait * t.backoff);
  } else {
    i.due = now;
  }
  if (ran && step == HealingStep::OpenTicket) i.next = static_cast<std::size_t>(-1) / 2; // nothing after a ticket
}

bool finished(const Playbooks &p, const Incident &i) {
  return i.next >= p.steps(i.fault).size();
}

} // namespace gridlane::services::healing
