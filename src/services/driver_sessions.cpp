// The driver portal's sessions and problem reports: where a session may start, what its driver
// sees of it while it runs, and reports about chargers.
#include <algorithm>
#include <charconv>

#include "gridlane/core/password.hpp"
#include "gridlane/domain/meter_reading.hpp"
#include "gridlane/services/driver_service.hpp"
#include "gridlane/services/live_cost.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

bool printable(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

//! A session with a transaction: how it is going, from the 2.x charging state or the status of
//! its connector (1.6).
DriveSessionStatus running_status(Repository &r, const Transaction &t) {
  if (t.state == TransactionState::Ended) return DriveSessionStatus::Ended;
  if (t.charging_state) {
    switch (*t.charging_state) {
    case ChargingState::Charging: return DriveSessionStatus::Charging;
    case ChargingState::SuspendedEV:
    case ChargingState::SuspendedEVSE:
    case ChargingState::EVConnected:
    case ChargingState::Idle: return DriveSessionStatus::Suspended;
    }
  }
  for (const auto &s : r.current_statuses(t.station)) {
    if (s.evse_id != t.evse_id) continue;
    switch (s.status) {
    case ConnectorStatus::SuspendedEV:
    case ConnectorStatus::SuspendedEVSE: return DriveSessionStatus::Suspended;
    case ConnectorStatus::Finishing: return DriveSessionStatus::Finishing;
    default: break;
    }
  }
  return DriveSessionStatus::Charging;
}

std::optional<std::string> refusal_text(const CommandRecord &c) {
  switch (c.status) {
  case CommandStatus::Rejected: return "the charger refused to start the session";
  case CommandStatus::StationOffline: return "the charger is offline";
  case CommandStatus::TimedOut: return "the charger did not answer";
  case CommandStatus::Failed: return "the start could not be sent to the charger";
  default: return std::nullopt;
  }
}

} // namespace

// ---- starting ------------------------------------------------------------------------------------

Result<StartTarget> DriverService::start_target(Repository &r, EvseUid uid, const ConnectedFn &connected,
                                                const DriverLogin *on_account) const {
  if (on_account) {
    auto account = r.account(on_account->account_id);
    const bool holds =
        account && std::any_of(account->tokens.begin(), account->tokens.end(),
                               [&](const AccountToken &t) { return t.token_id == on_account->id_token; });
    if (!holds) return ServiceError::conflict("the driver's card no longer belongs to the account");
    auto card = r.id_token(on_account->id_token);
    if (!card || card->status != TokenStatus::Accepted)
      return ServiceError::conflict("the driver's card is not accepted");
  }
  auto found = charger(r, uid, connected);
  if (!found) return found.error();
  const auto &e = found->evses.front();
  switch (e.status) {
  case DriveEvseStatus::Available:
  case DriveEvseStatus::Occupied: break; // plugged in first, then started: Preparing
  case DriveEvseStatus::Offline: return ServiceError::conflict("the charger is offline");
  default: return ServiceError::conflict("the charger is not available now (" + std::string(to_string(e.status)) + ")");
  }
  return StartTarget{e.evse, found->location, e.tariff};
}

Command DriverService::remote_start(const Evse &evse, ProtocolVersion version, const std::string &id_tag) {
  commands::RemoteStart start;
  start.id_tag = id_tag;
  // 1.6 numbers its connectors as Gridlane numbers the station's EVSEs; 2.x names the EVSE.
  if (version == ProtocolVersion::Ocpp16)
    start.connector_id = evse.evse_id;
  else
    start.evse_id = evse.evse_id;
  return start;
}

// ---- watching ------------------------------------------------------------------------------------

DriveView DriverService::view(Repository &r, DriveSession s, const LiveValues *live) const {
  const auto now = clock_.now();
  DriveView v;
  if (!s.transaction_id) {
    std::optional<std::int64_t> linked;
    if (s.command_id)
      if (auto c = r.command(*s.command_id)) linked = c->transaction_id;
    if (!linked && s.payment_id)
      if (auto p = r.payment(*s.payment_id)) linked = p->transaction_id;
    if (linked) {
      s.transaction_id = linked;
      r.update_drive_session(s);
    }
  }
  if (auto e = r.evse_by_uid(s.evse_uid)) {
    if (auto station = r.station(e->station); station && station->location_id)
      v.location = r.location(*station->location_id);
  }
  if (s.transaction_id) v.transaction = r.transaction(*s.transaction_id);
  if (v.transaction) {
    auto &t = *v.transaction;
    if (live) live->apply(t);
    v.status = running_status(r, t);
    auto end = t.stopped_at.value_or(now);
    v.duration_s =
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(end - t.started_at).count());
    if (t.state == TransactionState::Active) {
      auto draw = measured_draw(r.meter_samples(t.id));
      if (draw.power) v.power_w = draw.power->count();
    }
    auto source = session_cost_source();
    if (auto quote = source.session(r, t.id, now)) {
      v.cost = quote->total_cost;
      v.currency = quote->currency;
    }
  } else if (s.failure) {
    v.status = DriveSessionStatus::Failed;
  } else {
    std::optional<CommandRecord> command;
    if (s.command_id) command = r.command(*s.command_id);
    if (command && is_final(command->status) && command->status != CommandStatus::Accepted) {
      s.failure = refusal_text(*command);
    } else if (now - s.created_at > start_timeout) {
      s.failure = "no session started: is the cable plugged in?";
    }
    if (s.failure) {
      r.update_drive_session(s);
      v.status = DriveSessionStatus::Failed;
    }
  }
  v.session = std::move(s);
  return v;
}

std::optional<DriveSession> DriverService::find_session(Repository &r, std::string_view id,
                                                        const std::optional<DriverLogin> &driver) const {
  if (id.starts_with("ds_")) return r.drive_session_by_hash(core::token_hash(id));
  if (!driver) return std::nullopt;
  auto s = r.drive_session_by_ref(id);
  if (!s || s->account_id != driver->account_id) return std::nullopt;
  return s;
}

// ---- problem reports ---------------------------------------------------------------------------

Result<ProblemReport> DriverService::check_report(const NewReport &in) const {
  ProblemReport p;
  std::int64_t uid = 0;
  auto [end, ec] = std::from_chars(in.evse_uid.data(), in.evse_uid.data() + in.evse_uid.size(), uid);
  if (in.evse_uid.empty() || ec != std::errc{} || end != in.evse_uid.data() + in.evse_uid.size() || uid <= 0)
    return ServiceError::invalid("evse_uid must be the uid of an EVSE", "evse_uid");
  p.evse_uid = EvseUid{uid};
  auto category = parse_report_category(in.category);
  if (!category)
    return ServiceError::invalid("category must be not_working, damaged, blocked, payment or other", "category");
  p.category = *category;
  if (in.text.empty() || in.text.size() > DriverLimits::report_text_max)
    return ServiceError::invalid("text must be 1 to 1000 characters", "text");
  p.text = in.text;
  if (in.contact && (in.contact->size() > DriverLimits::contact_max || !printable(*in.contact)))
    return ServiceError::invalid("contact must be at most 254 printable characters", "contact");
  if (in.contact && !in.contact->empty()) p.contact = in.contact;
  p.remote = in.remote;
  p.created_at = clock_.now();
  return p;
}

Result<ProblemReport> DriverService::add_report(Repository &r, ProblemReport p) const {
  auto e = r.evse_by_uid(p.evse_uid);
  if (!e) return ServiceError::not_found("no such EVSE");
  auto station = r.station(e->station);
  auto l = station && station->location_id ? r.location(*station->location_id) : std::nullopt;
  if (!l || !l->publish) return ServiceError::not_found("no such EVSE");
  p.station = e->station;
  p.evse_id = e->evse_id;
  p.id = r.insert_problem_report(p);
  return p;
}

Result<ProblemReport> DriverService::set_report_status(Repository &r, std::int64_t id, ReportStatus status) const {
  auto p = r.problem_report(id);
  if (!p) return ServiceError::not_found("no such report");
  if (p->status != status) {
    p->status = status;
    p->resolved_at = status == ReportStatus::Resolved ? std::optional{clock_.now()} : std::nullopt;
    r.update_problem_report(*p);
  }
  return *p;
}

} // namespace gridlane::services
