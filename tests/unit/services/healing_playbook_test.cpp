// Self-healing's decisions as a table: the incident, the facts and `now` in, the next step out
// (services/healing_playbook.hpp). No I/O: healing_service.cpp only runs these.
#include <gtest/gtest.h>

#include "gridlane/services/healing_playbook.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services::healing;
using namespace std::chrono_literals;

namespace {

const Timestamp t0 = *core::parse_iso8601("2026-11-30T10:00:00Z");

Playbooks standard() {
  core::HealingConfig c;
  c.start_after_s = 30;
  c.step_wait_s = 60;
  c.backoff = 2;
  c.max_wait_s = 150;
  c.max_attempts = 3;
  return *playbooks_of(c);
}

//! Walks an incident through its playbook with the same facts at every step, each step taken
//! when due; returns what was done, step by step ("run trigger_status", "skip soft_reset").
std::vector<std::string> walk(const Playbooks &p, FaultKind fault, const Facts &facts) {
  std::vector<std::string> out;
  auto i = begin(p.timing, fault, t0);
  auto now = t0;
  for (int guard = 0; guard < 50 && !finished(p, i); ++guard) {
    auto d = decide(p, i, facts, now);
    if (d.verdict == Verdict::Wait) {
      now = d.until;
      continue;
    }
    if (d.verdict == Verdict::Stop) {
      out.push_back("stop");
      break;
    }
    const bool ran = d.verdict == Verdict::Run;
    out.push_back(std::string(ran ? "run " : "skip ") + std::string(name_of(healing_steps, *d.step)));
    advance(p.timing, i, *d.step, ran, now);
  }
  return out;
}

} // namespace

TEST(HealingPlaybook, a_fault_is_a_faulted_report_with_or_without_its_error_code) {
  EXPECT_EQ(fault_of(ConnectorStatus::Faulted, ConnectorErrorCode::NoError), FaultKind::Faulted);
  EXPECT_EQ(fault_of(ConnectorStatus::Faulted, ConnectorErrorCode::GroundFailure), FaultKind::FaultedWithCode);
  EXPECT_EQ(fault_of(ConnectorStatus::Unavailable, ConnectorErrorCode::NoError), std::nullopt);
  EXPECT_EQ(fault_of(ConnectorStatus::Available, ConnectorErrorCode::GroundFailure), std::nullopt);
}

TEST(HealingPlaybook, recovery_is_a_working_status_not_unavailable_nor_faulted) {
  EXPECT_TRUE(recovers(ConnectorStatus::Available));
  EXPECT_TRUE(recovers(ConnectorStatus::Charging));
  EXPECT_TRUE(recovers(ConnectorStatus::Preparing));
  EXPECT_FALSE(recovers(ConnectorStatus::Unavailable)) << "a rebooting station reports Unavailable first";
  EXPECT_FALSE(recovers(ConnectorStatus::Faulted));
}

TEST(HealingPlaybook, an_idle_connected_station_gets_every_step_in_order) {
  EXPECT_EQ(walk(standard(), FaultKind::Faulted, Facts{}),
            (std::vector<std::string>{"run trigger_status", "run soft_reset", "run hard_reset", "run make_unavailable",
                                      "run open_ticket"}));
}

TEST(HealingPlaybook, nothing_happens_before_start_after_then_waits_grow_by_the_backoff_up_to_max_wait) {
  const auto p = standard();
  auto i = begin(p.timing, FaultKind::Faulted, t0);
  auto d = decide(p, i, Facts{}, t0 + 29s);
  EXPECT_EQ(d.verdict, Verdict::Wait);
  EXPECT_EQ(d.until, t0 + 30s);
  EXPECT_EQ(decide(p, i, Facts{}, t0 + 30s).verdict, Verdict::Run);
  advance(p.timing, i, HealingStep::TriggerStatus, true, t0 + 30s);
  EXPECT_EQ(i.due, t0 + 90s) << "60 s after the status request";
  advance(p.timing, i, HealingStep::SoftReset, true, t0 + 90s);
  EXPECT_EQ(i.due, t0 + 210s) << "120 s (backoff 2) after the soft reset";
  advance(p.timing, i, HealingStep::HardReset, true, t0 + 210s);
  EXPECT_EQ(i.due, t0 + 360s) << "240 s capped at max_wait 150 s";
  EXPECT_EQ(i.attempts, 3);
  advance(p.timing, i, HealingStep::MakeUnavailable, true, t0 + 360s);
  EXPECT_EQ(i.due, t0 + 360s) << "closing steps follow at once";
}

TEST(HealingPlaybook, a_running_session_skips_the_resets_unless_configured) {
  Facts charging;
  charging.session_running = true;
  EXPECT_EQ(walk(standard(), FaultKind::Faulted, charging),
            (std::vector<std::string>{"run trigger_status", "skip soft_reset", "skip hard_reset",
                                      "run make_unavailable", "run open_ticket"}));
  core::HealingConfig c;
  c.reset_during_session = true;
  auto p = *playbooks_of(c);
  EXPECT_EQ(walk(p, FaultKind::Faulted, charging)[1], "run soft_reset");
}

TEST(HealingPlaybook, max_attempts_ends_the_commands_and_goes_to_the_closing_steps) {
  core::HealingConfig c;
  c.faulted = {"trigger_status", "soft_reset", "soft_reset", "hard_reset", "make_unavailable", "open_ticket"};
  c.max_attempts = 2;
  EXPECT_EQ(walk(*playbooks_of(c), FaultKind::Faulted, Facts{}),
            (std::vector<std::string>{"run trigger_status", "run soft_reset", "skip soft_reset", "skip hard_reset",
                                      "run make_unavailable", "run open_ticket"}));
}

TEST(HealingPlaybook, opted_out_or_disabled_stops_before_any_step) {
  Facts out;
  out.opted_out = true;
  EXPECT_EQ(walk(standard(), FaultKind::Faulted, out), std::vector<std::string>{"stop"});
  Facts off;
  off.enabled = false;
  EXPECT_EQ(walk(standard(), FaultKind::Faulted, off), std::vector<std::string>{"stop"});
}

TEST(HealingPlaybook, an_open_ticket_of_the_playbook_means_a_person_is_on_it) {
  Facts f;
  f.ticket_open = true;
  EXPECT_EQ(walk(standard(), FaultKind::Faulted, f), std::vector<std::string>{"stop"});
}

TEST(HealingPlaybook, a_disconnected_station_gets_no_command_but_its_ticket) {
  Facts f;
  f.connected = false;
  EXPECT_EQ(walk(standard(), FaultKind::Faulted, f),
            (std::vector<std::string>{"skip trigger_status", "skip soft_reset", "skip hard_reset",
                                      "skip make_unavailable", "run open_ticket"}));
}

TEST(HealingPlaybook, each_fault_kind_has_its_own_steps_and_unknown_names_are_refused) {
  core::HealingConfig c;
  c.faulted_with_code = {"make_unavailable", "open_ticket"};
  auto p = *playbooks_of(c);
  EXPECT_EQ(walk(p, FaultKind::FaultedWithCode, Facts{}),
            (std::vector<std::string>{"run make_unavailable", "run open_ticket"}));
  EXPECT_EQ(walk(p, FaultKind::Faulted, Facts{}).size(), 5u);
  c.faulted = {"trigger_status", "reboot"};
  auto bad = playbooks_of(c);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'reboot'"), std::string::npos);
}

TEST(HealingPlaybook, an_offline_station_waits_offline_after_then_is_reconnected_and_given_a_ticket) {
  core::HealingConfig c;
  c.start_after_s = 30;
  c.offline_after_s = 900;
  c.step_wait_s = 60;
  const auto p = *playbooks_of(c);
  auto i = begin(p.timing, FaultKind::Offline, t0);
  EXPECT_EQ(i.due, t0 + 900s) << "a station that reboots is offline for a while: offline_after, not start_after";
  auto d = decide(p, i, Facts{}, t0 + 899s);
  EXPECT_EQ(d.verdict, Verdict::Wait);
  d = decide(p, i, Facts{}, t0 + 900s);
  ASSERT_EQ(d.verdict, Verdict::Run);
  EXPECT_EQ(d.step, HealingStep::Reconnect);
  advance(p.timing, i, HealingStep::Reconnect, true, t0 + 900s);
  EXPECT_EQ(i.attempts, 1) << "a reconnect counts against max_attempts";
  EXPECT_EQ(i.due, t0 + 960s) << "step_wait for the station to connect again";
  // Silent but connected: its connection is closed, then a ticket if it does not come back.
  EXPECT_EQ(walk(p, FaultKind::Offline, Facts{}), (std::vector<std::string>{"run reconnect", "run open_ticket"}));
  // Disconnected: nothing to close; the ticket at once.
  Facts gone;
  gone.connected = false;
  EXPECT_EQ(walk(p, FaultKind::Offline, gone), (std::vector<std::string>{"skip reconnect", "run open_ticket"}));
  // A ticket of the playbook still open for the station: a person is on it.
  Facts ticket;
  ticket.ticket_open = true;
  EXPECT_EQ(walk(p, FaultKind::Offline, ticket), std::vector<std::string>{"stop"});
}

TEST(HealingPlaybook, the_offline_playbook_is_configurable_and_checked) {
  core::HealingConfig c;
  c.offline = {"open_ticket"};
  EXPECT_EQ(walk(*playbooks_of(c), FaultKind::Offline, Facts{}), std::vector<std::string>{"run open_ticket"});
  c.offline = {"reconnect", "power_cycle"};
  auto bad = playbooks_of(c);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("healing.offline"), std::string::npos);
  EXPECT_NE(bad.error().message.find("'power_cycle'"), std::string::npos);
}
