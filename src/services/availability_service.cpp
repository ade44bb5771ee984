#include "gridlane/services/availability_service.hpp"

#include <algorithm>
#include <map>

#include "gridlane/core/logging.hpp"

namespace gridlane::services {

using namespace gridlane::domain;

namespace {

//! The EVSE's state as its connectors report it.
EvseState reported_state(const std::vector<StatusReport> &statuses, int evse_id) {
  std::vector<ConnectorStatus> mine;
  for (const auto &s : statuses) {
    if (s.evse_id == evse_id) mine.push_back(s.status);
  }
  return combine_connectors(mine);
}

//! What a Faulted report says (the first connector's error code other than NoError).
std::optional<std::string> fault_detail(const std::vector<StatusReport> &statuses, int evse_id) {
  for (const auto &s : statuses) {
    if (s.evse_id == evse_id && s.status == ConnectorStatus::Faulted && s.error_code != ConnectorErrorCode::NoError)
      return std::string(to_string(s.error_code));
  }
  return std::nullopt;
}

std::optional<EvseStateSpan> current_of(const std::vector<EvseStateSpan> &current, int evse_id) {
  for (const auto &c : current) {
    if (c.evse_id == evse_id) return c;
  }
  return std::nullopt;
}

//! Moves the EVSE to `state` from `at` (never before its current row began) and opens or ends
//! its outage where it goes down or comes up. Down to down (faulted, then offline) stays one
//! outage, with the cause that began it.
void apply(Repository &r, const StationId &station, int evse_id, const std::optional<EvseStateSpan> &current,
           EvseState state, Timestamp at, std::optional<std::string> detail) {
  if (current && current->state == state) return;
  if (current && at < current->since) at = current->since;
  r.set_evse_state(station, evse_id, state, at);
  const bool was_up = !current || is_up(current->state);
  if (was_up && !is_up(state)) {
    if (!r.open_outage(station, evse_id)) {
      Outage o;
      o.station = station;
      o.evse_id = evse_id;
      o.cause = state;
      o.detail = std::move(detail);
      o.started = at;
      r.insert_outage(o);
    }
  } else if (!was_up && is_up(state)) {
    if (auto o = r.open_outage(station, evse_id)) r.end_outage(o->id, at);
  }
}

std::vector<int> ports_of(Repository &r, const StationId &station) {
  std::vector<int> out;
  for (const auto &p : r.ports({station}))
    out.push_back(p.evse_id);
  return out;
}

} // namespace

void record_status(Repository &r, const StatusChanged &e) {
  const auto evse_id = e.report.evse_id;
  if (evse_id <= 0) return; // a 1.6 connector 0 is the station itself, not a port
  auto current = current_of(r.current_evse_states(e.station), evse_id);
  if (current && current->state == EvseState::Offline) return;
  auto statuses = r.current_statuses(e.station);
  auto state = reported_state(statuses, evse_id);
  apply(r, e.station, evse_id, current, state, e.at, fault_detail(statuses, evse_id));
}

void record_offline(Repository &r, const StationOffline &e) {
  auto current = r.current_evse_states(e.station);
  for (int evse_id : ports_of(r, e.station))
    apply(r, e.station, evse_id, current_of(current, evse_id), EvseState::Offline, e.at,
          std::string(name_of(offline_reasons, e.reason)));
}

void record_online(Repository &r, const StationOnline &e) {
  auto current = r.current_evse_states(e.station);
  auto statuses = r.current_statuses(e.station);
  for (int evse_id : ports_of(r, e.station)) {
    auto now = current_of(current, evse_id);
    if (now && now->state != EvseState::Offline) continue; // not counted offline: as reported
    apply(r, e.station, evse_id, now, reported_state(statuses, evse_id), e.at, fault_detail(statuses, evse_id));
  }
}

AvailabilityRecorder::AvailabilityRecorder(StoreExecutor &store, EventBus &bus) : store_(store) {
  subscription_ = bus.subscribe([this](const Event &e) {
    std::function<void(Repository &)> work;
    if (const auto *s = std::get_if<StatusChanged>(&e))
      work = [ev = *s](Repository &r) { record_status(r, ev); };
    else if (const auto *off = std::get_if<StationOffline>(&e))
      work = [ev = *off](Repository &r) { record_offline(r, ev); };
    else if (const auto *on = std::get_if<StationOnline>(&e))
      work = [ev = *on](Repository &r) { record_online(r, ev); };
    if (!work) return;
    store_.submit(std::move(work), [station = station_of(e).str()](const std::exception_ptr &failed) {
      if (!failed) return;
      try {
        std::rethrow_exception(failed);
      } catch (const std::exception &x) {
        core::StationLog(core::Component::Services, station).error("recording availability failed: {}", x.what());
      } catch (...) {
        core::StationLog(core::Component::Services, station).error("recording availability failed");
      }
    });
  });
}

AvailabilityRecorder::~AvailabilityRecorder() {
  subscription_.reset();
}

Result<Outage> classify_outage(Repository &r, std::int64_t id, const ExclusionRequest &req, const std::string &actor,
                               Timestamp now) {
  auto outage = r.outage(id);
  if (!outage) return ServiceError::not_found("no such outage");
  std::optional<OutageExclusion> exclusion;
  if (req.excluded) {
    if (!req.reason)
      return ServiceError::invalid("an excluded outage needs a reason (23 CFR 680.116(b))", std::string("reason"));
    if (req.justification.empty() || req.justification.size() > max_justification)
      return ServiceError::invalid("an excluded outage needs a justification of 1 to 2000 characters",
                                   std::string("justification"));
    exclusion = OutageExclusion{*req.reason, req.justification, actor, now};
  }
  r.set_outage_exclusion(id, exclusion);
  AuditEntry audit;
  audit.at = now;
  audit.actor = actor;
  audit.action = exclusion ? "outage.excluded" : "outage.counted";
  audit.target = "outage:" + std::to_string(id);
  audit.status = 200;
  if (exclusion) {
    // The whole justification stays on the outage; the audit keeps its reason and a prefix.
    audit.detail =
        std::string(name_of(exclusion_reasons, exclusion->reason)) + ": " + exclusion->justification.substr(0, 200);
  }
  r.insert_audit(audit);
  outage->exclusion = exclusion;
  return *outage;
}

Result<UptimeReport> uptime_report(Repository &r, const UptimeScope &scope, const UptimePeriod &period, Timestamp now) {
  const bool by_month = period.year && period.month;
  if (!by_month && !(period.from && period.to))
    return ServiceError::invalid("give a month (YYYY-MM) or from and to", std::string("month"));
  if (!by_month && *period.to <= *period.from) return ServiceError::invalid("to must be after from", std::string("to"));
  if (by_month && (*period.month < 1 || *period.month > 12 || *period.year < 1970 || *period.year > 9999))
    return ServiceError::invalid("month must be YYYY-MM", std::string("month"));

  std::vector<StationId> stations;
  if (scope.station) {
    if (!r.station(*scope.station)) return ServiceError::not_found("no such station");
    stations.push_back(*scope.station);
  } else if (scope.location) {
    if (!r.location(*scope.location)) return ServiceError::not_found("no such location");
    stations = r.location_stations(*scope.location);
    if (stations.empty()) return UptimeReport{};
  }
  auto ports = r.ports(stations);
  if (scope.evse_id) {
    std::erase_if(ports, [&scope](const Port &p) { return p.evse_id != *scope.evse_id; });
    if (ports.empty()) return ServiceError::not_found("no such EVSE of this station");
  }

  // Each port's period, in its location's zone for a month.
  const auto utc = core::TimeZone::find("UTC");
  std::map<std::string, std::optional<core::TimeZone>> zones; // by location id
  UptimeReport report;
  Timestamp earliest = Timestamp::max();
  Timestamp latest = Timestamp::min();
  for (auto &p : ports) {
    PortUptime pu;
    pu.port = p;
    if (by_month) {
      std::optional<core::TimeZone> zone;
      if (p.location) {
        auto [it, added] = zones.try_emplace(p.location->str());
        if (added) {
          auto loc = r.location(*p.location);
          if (loc && loc->time_zone) it->second = core::TimeZone::find(*loc->time_zone);
        }
        zone = it->second;
      }
      if (!zone) zone = utc;
      if (!zone) return ServiceError::unavailable("the time zone database is not installed");
      auto cut = month_period(*zone, *period.year, *period.month);
      if (!cut) return ServiceError::invalid("month must be YYYY-MM", std::string("month"));
      pu.zone = std::string(zone->name());
      pu.period = *cut;
    } else {
      pu.zone = "UTC";
      pu.period = Period{*period.from, *period.to};
    }
    earliest = std::min(earliest, pu.period.from);
    latest = std::max(latest, pu.period.to);
    report.ports.push_back(std::move(pu));
  }
  if (report.ports.empty()) return report;

  std::map<std::pair<std::string, int>, std::vector<OutageSpan>> spans;
  for (const auto &o : r.outages_of(stations, earliest, latest))
    spans[{o.station.str(), o.evse_id}].push_back(OutageSpan{o.started, o.ended, o.exclusion.has_value()});
  for (auto &pu : report.ports) {
    auto it = spans.find({pu.port.station.str(), pu.port.evse_id});
    static const std::vector<OutageSpan> none;
    pu.uptime = port_uptime(pu.period, it == spans.end() ? none : it->second, now);
    report.total += pu.uptime;
  }
  return report;
}

} // namespace gridlane::services
