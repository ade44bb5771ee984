// Self-healing at run time (healing_service.hpp). Every decision is healing::decide's; this file
// gathers the facts (a unit of work: opt-out, running sessions), takes the step and records it.
// Threads: bus handlers run on the publisher's thread, units' completions on the store thread,
// timers on the timer thread; incidents_ is guarded by mutex_, never held while calling out.
#include "gridlane/services/healing_service.hpp"

#include <algorithm>
#include <stdexcept>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/time.hpp"

namespace gridlane::services {
using namespace gridlane::domain;
using healing::Verdict;

namespace {

const Principal healer{"healing", Role::Operator};

Command command_of(HealingStep step, int evse_id, int connector_id) {
  const auto evse = evse_id > 0 ? std::optional<std::int64_t>{evse_id} : std::nullopt;
  const auto connector = connector_id > 0 ? std::optional<std::int64_t>{connector_id} : std::nullopt;
  switch (step) {
  case HealingStep::TriggerStatus:
    return commands::TriggerMessage{TriggerableMessage::StatusNotification, connector, evse};
  case HealingStep::SoftReset: return commands::Reset{ResetKind::Soft, std::nullopt};
  case HealingStep::HardReset: return commands::Reset{ResetKind::Hard, std::nullopt};
  case HealingStep::MakeUnavailable:
  case HealingStep::OpenTicket:
  case HealingStep::Reconnect: break; // no command: take() opens the ticket or closes the connection
  }
  // 1.6: the connector (0: the station); 2.x: the EVSE (none: the station).
  return commands::ChangeAvailability{false, connector_id > 0 ? connector : std::optional<std::int64_t>{0}, evse};
}

std::string where(int evse_id, int connector_id) {
  if (evse_id < 0) return "the offline station";
  if (evse_id == 0 && connector_id == 0) return "the station";
  return "EVSE " + std::to_string(evse_id) + " connector " + std::to_string(connector_id);
}

healing::Playbooks checked(const core::HealingConfig &c) {
  auto p = healing::playbooks_of(c);
  if (!p) throw core::ConfigError(p.error().message);
  return *p;
}

} // namespace

HealingService::HealingService(StoreExecutor &store, const core::Clock &clock, EventBus &bus, CommandService &commands,
                               StationGateway &gateway, Scheduler scheduler, const core::HealingConfig &config,
                               const MaintenanceService &maintenance)
    : store_(store), clock_(clock), bus_(bus), commands_(commands), gateway_(gateway), scheduler_(std::move(scheduler)),
      maintenance_(maintenance), playbooks_(checked(config)), enabled_(config.enabled) {
  if (enabled_) subscription_ = bus_.subscribe([this](const Event &e) { on_event(e); });
}

HealingService::~HealingService() {
  stop();
}

void HealingService::stop() {
  std::unique_ptr<EventBus::Subscription> sub;
  {
    std::lock_guard lock{mutex_};
    stopped_ = true;
    incidents_.clear();
    pending_offline_.clear();
    sub = std::move(subscription_);
  }
}

std::size_t HealingService::active() const {
  std::lock_guard lock{mutex_};
  std::size_t n = 0;
  for (const auto &entry : incidents_)
    n += entry.second.done ? 0 : 1;
  return n;
}

void HealingService::on_event(const Event &e) {
  try {
    if (const auto *s = std::get_if<StatusChanged>(&e))
      on_status(s->report, s->at);
    else if (const auto *off = std::get_if<StationOffline>(&e))
      on_offline(*off);
    else if (const auto *on = std::get_if<StationOnline>(&e))
      on_online(*on);
  } catch (const std::exception &ex) {
    core::log(core::Component::App).error("self-healing: {}", ex.what());
  }
}

void HealingService::on_status(const StatusReport &r, Timestamp at) {
  const Key key{r.station.str(), r.evse_id, r.connector_id};
  if (const auto fault = healing::fault_of(r.status, r.error_code)) {
    std::string detail = "Faulted";
    if (r.error_code != ConnectorErrorCode::NoError) detail += " (" + std::string(to_string(r.error_code)) + ")";
    if (r.info) detail += ": " + *r.info;
    begin(key, *fault, at, std::move(detail));
    return;
  }
  if (healing::recovers(r.status)) end(key, at, std::string(to_string(r.status)));
}

void HealingService::on_offline(const StationOffline &o) {
  std::string detail = "Offline (disconnected)";
  if (o.reason == OfflineReason::Silent)
    detail = "Offline (silent" + (o.last_seen ? ": last heard " + core::format_iso8601(*o.last_seen) : "") + ")";
  // Stations reboot (a reset, a firmware update): an outage becomes an incident, with its first
  // history line, only once it has lasted offline_after_s. Until then it is only pending.
  std::uint64_t generation = 0;
  {
    std::lock_guard lock{mutex_};
    if (stopped_ || pending_offline_.contains(o.station.str())) return;
    generation = next_generation_++;
    pending_offline_[o.station.str()] = generation;
  }
  const auto due = o.at + playbooks_.timing.offline_after;
  const auto delay = std::max(std::chrono::milliseconds(0), due - clock_.now());
  scheduler_(delay, [this, station = o.station, at = o.at, generation, detail = std::move(detail)]() mutable {
    {
      std::lock_guard lock{mutex_};
      auto it = pending_offline_.find(station.str());
      if (stopped_ || it == pending_offline_.end() || it->second != generation) return; // back in time
      pending_offline_.erase(it);
    }
    try {
      begin(offline_key(station), FaultKind::Offline, at, std::move(detail));
    } catch (const std::exception &ex) {
      core::log(core::Component::App).error("self-healing: {}: {}", station.str(), ex.what());
    }
  });
}

void HealingService::on_online(const StationOnline &o) {
  {
    std::lock_guard lock{mutex_};
    if (pending_offline_.erase(o.station.str()) > 0) return; // back before offline_after_s: no incident
  }
  end(offline_key(o.station), o.at, "Online");
}

HealingService::Key HealingService::offline_key(const StationId &station) {
  return {station.str(), station_wide, station_wide};
}

HealingRecord HealingService::line_of(const Key &key, const healing::Incident &incident, Timestamp at) {
  HealingRecord line;
  line.station = StationId::unchecked(std::get<0>(key));
  line.evse_id = std::max(0, std::get<1>(key)); // an offline station's incident is the station's
  line.connector_id = std::max(0, std::get<2>(key));
  line.incident = incident.id;
  line.fault = incident.fault;
  line.at = at;
  return line;
}

void HealingService::begin(const Key &key, FaultKind fault, Timestamp at, std::string detail) {
  std::uint64_t generation = 0;
  healing::Incident incident;
  {
    std::lock_guard lock{mutex_};
    if (stopped_ || incidents_.contains(key)) return; // already being worked on
    generation = next_generation_++;
    incident = healing::begin(playbooks_.timing, fault, at);
    incidents_[key] = Active{incident, generation, true};
  }
  auto line = line_of(key, incident, at);
  line.action = HealingAction::Started;
  line.detail = std::move(detail);
  auto stored = std::make_shared<std::int64_t>(0);
  store_.submit([line, stored](Repository &repo) { *stored = repo.insert_healing_record(line); },
                [this, key, generation, stored](std::exception_ptr e) {
                  Timestamp due{};
                  {
                    std::lock_guard lock{mutex_};
                    auto it = incidents_.find(key);
                    if (it == incidents_.end() || it->second.generation != generation) return;
                    if (e) {
                      incidents_.erase(it);
                      core::log(core::Component::App).error("self-healing: the fault could not be recorded");
                      return;
                    }
                    it->second.incident.id = *stored;
                    it->second.busy = false;
                    due = it->second.incident.due;
                  }
                  schedule(key, generation, due);
                });
}

void HealingService::end(const Key &key, Timestamp at, const std::string &now_reported) {
  Active ended;
  {
    std::lock_guard lock{mutex_};
    auto it = incidents_.find(key);
    if (it == incidents_.end()) return;
    ended = it->second;
    incidents_.erase(it);
  }
  auto line = line_of(key, ended.incident, at);
  line.action = HealingAction::Recovered;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(at - ended.incident.started_at).count();
  line.detail = now_reported + " after " + std::to_string(seconds) + " s and " +
                std::to_string(ended.incident.attempts) + " step(s)";
  core::StationLog(core::Component::App, line.station.str())
      .info("self-healing: {} recovered ({})", where(std::get<1>(key), std::get<2>(key)), line.detail);
  record(line, std::nullopt);
}

void HealingService::schedule(const Key &key, std::uint64_t generation, Timestamp due) {
  const auto delay = std::max(std::chrono::milliseconds(0), due - clock_.now());
  scheduler_(delay, [this, key, generation] { tick(key, generation); });
}

void HealingService::tick(const Key &key, std::uint64_t generation) {
  {
    std::lock_guard lock{mutex_};
    auto it = incidents_.find(key);
    if (stopped_ || it == incidents_.end() || it->second.generation != generation || it->second.busy || it->second.done)
      return;
    it->second.busy = true;
  }
  const auto station = StationId::unchecked(std::get<0>(key));
  auto facts = std::make_shared<healing::Facts>();
  facts->enabled = enabled_;
  facts->connected = gateway_.is_connected(station);
  store_.submit(
      [station, facts, evse = std::get<1>(key)](Repository &r) {
        facts->opted_out = r.healing_opted_out(station);
        TransactionFilter f;
        f.station = station;
        f.state = TransactionState::Active;
        f.limit = 1;
        facts->session_running = !r.transactions(f).empty();
        facts->ticket_open =
            r.open_ticket_for(station, evse > 0 ? std::optional{evse} : std::nullopt, TicketSource::Playbook)
                .has_value();
      },
      [this, key, generation, facts](std::exception_ptr e) {
        if (e) {
          // The store failed: try again after the step wait.
          Timestamp due{};
          {
            std::lock_guard lock{mutex_};
            auto it = incidents_.find(key);
            if (it == incidents_.end() || it->second.generation != generation) return;
            it->second.busy = false;
            due = clock_.now() + playbooks_.timing.step_wait;
          }
          schedule(key, generation, due);
          return;
        }
        act(key, generation, *facts);
      });
}

void HealingService::act(const Key &key, std::uint64_t generation, const healing::Facts &facts) {
  const auto now = clock_.now();
  healing::Incident incident;
  healing::Decision d;
  {
    std::lock_guard lock{mutex_};
    auto it = incidents_.find(key);
    if (stopped_ || it == incidents_.end() || it->second.generation != generation) return;
    incident = it->second.incident;
    d = healing::decide(playbooks_, incident, facts, now);
    if (d.verdict == Verdict::Wait) {
      it->second.busy = false;
    } else if (d.verdict == Verdict::Stop) {
      it->second.done = true; // kept until the connector recovers: a repeated Faulted starts nothing
    }
  }
  auto line = line_of(key, incident, now);
  switch (d.verdict) {
  case Verdict::Wait: schedule(key, generation, d.until); return;
  case Verdict::Stop:
    line.action = HealingAction::Stopped;
    line.detail = d.reason;
    record(line, "stopped: " + d.reason);
    return;
  case Verdict::Skip:
    line.action = HealingAction::Skipped;
    line.step = d.step;
    line.detail = d.reason;
    record(line, std::string(name_of(healing_steps, *d.step)) + " skipped: " + d.reason);
    settle(key, generation, *d.step, false);
    return;
  case Verdict::Run: take(key, generation, *d.step, incident); return;
  }
}

void HealingService::take(const Key &key, std::uint64_t generation, HealingStep step,
                          const healing::Incident &incident) {
  auto line = line_of(key, incident, clock_.now());
  const auto station = line.station;
  const int evse_id = line.evse_id;
  const int connector_id = line.connector_id;
  line.step = step;
  core::StationLog(core::Component::App, station.str())
      .info("self-healing: {} for {}", name_of(healing_steps, step), where(std::get<1>(key), std::get<2>(key)));
  if (step == HealingStep::Reconnect) {
    // A silent station's connection is closed (1012, service restart) so that it connects again;
    // the wait that follows gives it the time to.
    const bool closed = gateway_.reconnect(station, "nothing heard from the station: connect again");
    line.action = closed ? HealingAction::Sent : HealingAction::Skipped;
    line.detail =
        closed ? "the connection was closed so that the station connects again" : "the station was no longer connected";
    record(line, "reconnect: " + line.detail);
    settle(key, generation, step, closed);
    return;
  }
  if (step == HealingStep::OpenTicket) {
    const auto now = line.at;
    line.action = HealingAction::Ticket;
    const int steps_taken = incident.attempts;
    const bool offline = incident.fault == FaultKind::Offline;
    std::string text = "Not cleared by self-healing after " + std::to_string(steps_taken) + " step(s)";
    if (offline)
      text = "Offline since " + core::format_iso8601(incident.started_at) + ", not back after " +
             std::to_string(steps_taken) + " step(s) of self-healing";
    auto opened = std::make_shared<std::optional<Ticket>>();
    const auto *maintenance = &maintenance_;
    store_.submit(
        [line, opened, maintenance, now, text, offline](Repository &r) mutable {
          const auto evse = line.evse_id > 0 ? std::optional{line.evse_id} : std::nullopt;
          if (auto open = r.open_ticket_for(line.station, evse, TicketSource::Playbook)) {
            // The same connector again: one ticket, a note more.
            r.insert_ticket_note(
                TicketNote{0, open->id, "healing", (offline ? "offline again: " : "faulted again: ") + text, now});
            line.ticket_id = open->id;
            line.detail = "ticket " + std::to_string(open->id) + " (already open): " + text;
          } else {
            NewTicket n;
            n.station = line.station;
            n.evse_id = evse;
            n.connector_id = line.connector_id > 0 ? std::optional{line.connector_id} : std::nullopt;
            n.source = TicketSource::Playbook;
            n.priority = TicketPriority::High;
            n.title = offline ? std::string("Station offline")
                              : (line.evse_id == 0 && line.connector_id == 0
                                     ? std::string("Station")
                                     : "Connector " + std::to_string(line.connector_id) + " of EVSE " +
                                           std::to_string(line.evse_id)) +
                                    " faulted";
            n.note = text;
            auto t = maintenance->open(r, n, "healing", now);
            if (t) {
              *opened = *t;
              line.ticket_id = t->id;
              line.detail = "ticket " + std::to_string(t->id) + ": " + text;
            } else {
              line.detail = "no ticket: " + t.error().message;
            }
          }
          r.insert_healing_record(line);
          r.insert_audit(AuditEntry{0, now, healer.actor, "healing open_ticket", line.station.str(), line.detail,
                                    std::nullopt, 200});
        },
        [this, opened](std::exception_ptr e) {
          if (e) {
            core::log(core::Component::App).error("self-healing: the ticket could not be stored");
            return;
          }
          if (*opened) bus_.publish(MaintenanceService::changed(**opened));
        });
    settle(key, generation, step, true);
    return;
  }
  commands_.submit(healer, station, command_of(step, evse_id, connector_id),
                   [this, line](Outcome<CommandRecord> o) mutable {
                     line.at = clock_.now();
                     if (o.ok()) {
                       line.action = HealingAction::Sent;
                       line.command_id = o.value().id;
                       line.detail = "command " + std::to_string(o.value().id);
                     } else {
                       line.action = HealingAction::Skipped;
                       line.detail = "the command could not be submitted: " + o.error();
                     }
                     record(line, std::string(name_of(healing_steps, *line.step)) + ": " + line.detail);
                   });
  settle(key, generation, step, true);
}

void HealingService::settle(const Key &key, std::uint64_t generation, HealingStep step, bool ran) {
  Timestamp due{};
  {
    std::lock_guard lock{mutex_};
    auto it = incidents_.find(key);
    if (stopped_ || it == incidents_.end() || it->second.generation != generation) return;
    healing::advance(playbooks_.timing, it->second.incident, step, ran, clock_.now());
    if (healing::finished(playbooks_, it->second.incident)) {
      it->second.done = true; // kept until the connector recovers: a repeated Faulted starts nothing
      return;
    }
    it->second.busy = false;
    due = it->second.incident.due;
  }
  schedule(key, generation, due);
}

void HealingService::record(const HealingRecord &r, const std::optional<std::string> &audit_detail) {
  store_.submit(
      [r, audit_detail](Repository &repo) {
        repo.insert_healing_record(r);
        if (audit_detail) {
          const std::string action = "healing " + (r.step ? std::string(name_of(healing_steps, *r.step))
                                                          : std::string(name_of(healing_actions, r.action)));
          repo.insert_audit(
              AuditEntry{0, r.at, healer.actor, action, r.station.str(), *audit_detail, std::nullopt, 200});
        }
      },
      [](std::exception_ptr e) {
        if (e) core::log(core::Component::App).error("self-healing: a history line could not be stored");
      });
}

} // namespace gridlane::services
