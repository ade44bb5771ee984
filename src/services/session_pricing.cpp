#include "gridlane/services/session_pricing.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <stdexcept>

#include "tariff_source.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

enum class Quantity { EnergyRegister, Power, Current };

//! The stored sample's measurand as one of the three the pricing reads (the sample keeps the
//! station's text verbatim; this is its one reading for pricing). nullopt: not used.
std::optional<Quantity> quantity_of(const MeterSample &s) {
  if (is_energy_import_register(s)) return Quantity::EnergyRegister;
  if (!s.measurand) return std::nullopt;
  if (*s.measurand == "Power.Active.Import") return Quantity::Power;
  if (*s.measurand == "Current.Import") return Quantity::Current;
  return std::nullopt;
}

//! Where the sample was measured: the outlet (or unsaid, OCPP's default) is what the EV drew;
//! an inlet, body or EV reading would count the same energy twice or something else.
bool at_outlet(const MeterSample &s) {
  return !s.location || *s.location == "Outlet" || *s.location == "Cable";
}

//! A sample's value in the base unit of its quantity (Wh, W, mA), range-checked; nullopt for a
//! unit of another quantity, a negative value or one out of range.
std::optional<std::int64_t> base_units(const MeterSample &s, Quantity q) {
  if (!s.numeric) return std::nullopt;
  const std::string_view unit = s.unit ? std::string_view{*s.unit} : std::string_view{};
  double per = 0;
  std::int64_t hi = 0;
  switch (q) {
  case Quantity::EnergyRegister: return energy_register_wh(s);
  case Quantity::Power: // OCPP: W when the unit is absent
    per = unit.empty() || unit == "W" ? 1.0 : unit == "kW" ? 1000.0 : 0.0;
    hi = 1'000'000'000; // 1 GW
    break;
  case Quantity::Current:
    per = unit.empty() || unit == "A" ? 1000.0 : 0.0;
    hi = 1'000'000'000; // 1 MA, in mA
    break;
  }
  if (per == 0.0) return std::nullopt;
  if (q == Quantity::Current) {
    auto v = core::from_wire(*s.numeric, per, core::milliamps(0), core::milliamps(hi));
    return v ? std::optional{v->count()} : std::nullopt;
  }
  auto v = core::from_wire(*s.numeric, per, core::watts(0), core::watts(hi));
  return v ? std::optional{v->count()} : std::nullopt;
}

//! A reading at one moment: the unphased value when the station sent one, else the sum of its
//! phases (L1, L2, L3; a neutral current is no extra draw).
struct Accumulated {
  std::optional<std::int64_t> total;
  std::int64_t phase_sum = 0;
  bool phased = false;
  std::optional<std::int64_t> value() const {
    if (total) return total;
    if (phased) return phase_sum;
    return std::nullopt;
  }
};

std::optional<pricing::PeriodState> state_of(ChargingState s) {
  switch (s) {
  case ChargingState::Charging: return pricing::PeriodState::Charging;
  case ChargingState::EVConnected:
  case ChargingState::SuspendedEV:
  case ChargingState::SuspendedEVSE:
  case ChargingState::Idle: return pricing::PeriodState::Parking;
  }
  return std::nullopt;
}

std::optional<pricing::PeriodState> state_of(ConnectorStatus s) {
  switch (s) {
  case ConnectorStatus::Charging: return pricing::PeriodState::Charging;
  case ConnectorStatus::SuspendedEV:
  case ConnectorStatus::SuspendedEVSE:
  case ConnectorStatus::Finishing: return pricing::PeriodState::Parking;
  default: // Available, Preparing, Faulted...: not a change of what the session does
    return std::nullopt;
  }
}

core::TimeZone utc() {
  auto z = core::TimeZone::find("UTC");
  if (!z) throw std::runtime_error("the time zone database has no UTC");
  return *z;
}

} // namespace

pricing::SessionSamples session_samples(const Transaction &t, const std::vector<MeterSample> &samples,
                                        const std::vector<TransactionEventRecord> &events,
                                        const std::vector<StatusReport> &statuses, Timestamp now) {
  pricing::SessionSamples out;
  out.started_at = t.started_at;
  out.ended_at = t.state == TransactionState::Ended && t.stopped_at ? *t.stopped_at : std::max(now, t.started_at);
  out.meter_start = core::watt_hours(t.meter_start_wh);
  if (t.state == TransactionState::Ended && t.meter_stop_wh) out.meter_stop = core::watt_hours(*t.meter_stop_wh);

  std::map<Timestamp, std::array<Accumulated, 3>> at;
  for (const auto &s : samples) {
    auto q = quantity_of(s);
    if (!q || !at_outlet(s)) continue;
    auto v = base_units(s, *q);
    if (!v) continue;
    auto &slot = at[s.timestamp][static_cast<std::size_t>(*q)];
    if (!s.phase) {
      slot.total = std::max(slot.total.value_or(*v), *v);
    } else if (s.phase->starts_with("L") && *q != Quantity::EnergyRegister) {
      // "L1", "L2", "L3" (power and current per phase), "L1-N": each phase once.
      slot.phase_sum += *v;
      slot.phased = true;
    }
  }
  for (const auto &[when, slots] : at) {
    pricing::MeterPoint p;
    p.at = when;
    if (auto v = slots[0].value()) p.register_wh = core::watt_hours(*v);
    if (auto v = slots[1].value()) p.power = core::watts(*v);
    if (auto v = slots[2].value()) p.current = core::milliamps(*v);
    if (p.register_wh || p.power || p.current) out.meter.push_back(p);
  }

  // 2.x: the chargingState of the TransactionEvents; 1.6 (or a 2.x station that sends none):
  // the statuses of the session's connector.
  for (const auto &e : events)
    if (e.charging_state)
      if (auto st = state_of(*e.charging_state)) out.states.push_back({e.timestamp, *st});
  if (out.states.empty())
    for (const auto &s : statuses)
      if (auto st = state_of(s.status)) out.states.push_back({s.station_time.value_or(s.received_at), *st});
  return out;
}

core::TimeZone session_zone(Repository &repo, const StationId &station) {
  if (auto s = repo.station(station); s && s->location_id)
    if (auto l = repo.location(*s->location_id); l && l->time_zone)
      if (auto z = core::TimeZone::find(*l->time_zone)) return *z;
  return utc();
}

namespace {

//! The connector's statuses in the session, read only when its events carry no charging state
//! (a 1.6 session, or a 2.x station that sends none).
std::vector<StatusReport> statuses_for(Repository &repo, const Transaction &t,
                                       const std::vector<TransactionEventRecord> &events, Timestamp now) {
  const bool has_states =
      std::any_of(events.begin(), events.end(), [](const auto &e) { return e.charging_state.has_value(); });
  if (has_states) return {};
  const auto end = t.stopped_at.value_or(std::max(now, t.started_at));
  return repo.connector_statuses_between(t.station, t.evse_id, t.connector_id, t.started_at, end);
}

//! The one pricing of a loaded session (pure), shared by the single and the batch path so both
//! give the same cost.
Result<SessionCost> price_parts(const Transaction &t, const Tariff &tariff,
                                const std::vector<TransactionEventRecord> &events,
                                const std::vector<MeterSample> &meter, const std::vector<StatusReport> &statuses,
                                const core::TimeZone &zone, Timestamp now) {
  auto samples = session_samples(t, meter, events, statuses, now);
  auto periods = pricing::build_periods(samples);
  auto priced = pricing::price(tariff, periods, zone);
  if (!priced) return priced.error();
  return SessionCost{tariff, zone, std::move(*priced), std::move(periods)};
}

ServiceError no_tariff(std::int64_t transaction_id) {
  return ServiceError::not_found("no tariff applied when transaction " + std::to_string(transaction_id) + " started");
}

} // namespace

Result<SessionCost> SessionPricing::price(Repository &repo, std::int64_t transaction_id, Timestamp now) {
  auto t = repo.transaction(transaction_id);
  if (!t) return ServiceError::not_found("no such transaction");
  auto snapshot = repo.tariff_snapshot(transaction_id);
  if (!snapshot) return no_tariff(transaction_id);
  auto tariff = tariff_of_snapshot(snapshot->tariff_json);
  if (!tariff) return tariff.error();
  auto events = repo.transaction_events(transaction_id);
  auto statuses = statuses_for(repo, *t, events, now);
  return price_parts(*t, *tariff, events, repo.meter_samples(transaction_id), statuses, session_zone(repo, t->station),
                     now);
}

namespace {
bool has_charging_states(const std::vector<TransactionEventRecord> &events) {
  return std::any_of(events.begin(), events.end(), [](const auto &e) { return e.charging_state.has_value(); });
}
} // namespace

BatchPricing::BatchPricing(Repository &repo, const std::vector<Transaction> &transactions, Timestamp now)
    : repo_(repo) {
  std::vector<std::int64_t> ids;
  std::vector<StationId> stations;
  std::set<std::string> seen;
  ids.reserve(transactions.size());
  for (const auto &t : transactions) {
    ids.push_back(t.id);
    if (seen.insert(t.station.str()).second) stations.push_back(t.station);
  }
  snapshots_ = repo.tariff_snapshots_of(ids);
  samples_ = repo.meter_samples_of(ids);
  events_ = repo.transaction_events_of(ids);
  stations_ = repo.stations_of(stations);

  // The connector statuses of the sessions whose events carry no charging state (1.6), read
  // once for the batch and picked per session exactly as connector_statuses_between picks them.
  std::vector<const Transaction *> by_status;
  std::vector<StationId> status_stations;
  seen.clear();
  std::optional<Timestamp> from, to;
  for (const auto &t : transactions) {
    auto e = events_.find(t.id);
    if (e != events_.end() && has_charging_states(e->second)) continue;
    by_status.push_back(&t);
    if (seen.insert(t.station.str()).second) status_stations.push_back(t.station);
    const auto end = t.stopped_at.value_or(std::max(now, t.started_at));
    from = from ? std::min(*from, t.started_at) : t.started_at;
    to = to ? std::max(*to, end) : end;
  }
  if (by_status.empty()) return;
  const auto all = repo.statuses_of(status_stations, *from, *to);
  for (const auto *t : by_status) {
    auto &mine = statuses_[t->id];
    const auto lo = core::to_unix_ms(t->started_at);
    const auto hi = core::to_unix_ms(t->stopped_at.value_or(std::max(now, t->started_at)));
    for (const auto &s : all) {
      const auto when = core::to_unix_ms(s.station_time.value_or(s.received_at));
      if (s.station == t->station && s.evse_id == t->evse_id && s.connector_id == t->connector_id && lo <= when &&
          when <= hi)
        mine.push_back(s);
    }
  }
}

const Station *BatchPricing::station(const StationId &id) const {
  auto s = stations_.find(id.str());
  return s == stations_.end() ? nullptr : &s->second;
}

const core::TimeZone &BatchPricing::zone_of(const StationId &station) {
  auto zone = zones_.find(station.str());
  if (zone != zones_.end()) return zone->second;
  std::optional<core::TimeZone> found;
  if (auto s = stations_.find(station.str()); s != stations_.end() && s->second.location_id) {
    const auto &id = *s->second.location_id;
    auto l = locations_.find(id.str());
    if (l == locations_.end()) l = locations_.emplace(id.str(), repo_.location(id)).first;
    if (l->second && l->second->time_zone) found = core::TimeZone::find(*l->second->time_zone);
  }
  return zones_.emplace(station.str(), found ? *found : utc()).first->second;
}

const std::vector<MeterSample> &BatchPricing::samples(std::int64_t transaction_id) const {
  static const std::vector<MeterSample> none;
  auto it = samples_.find(transaction_id);
  return it == samples_.end() ? none : it->second;
}

Result<PreparedSession> BatchPricing::prepare(const Transaction &t, Timestamp now) {
  auto snapshot = snapshots_.find(t.id);
  if (snapshot == snapshots_.end()) return no_tariff(t.id);
  const auto &json = snapshot->second.tariff_json;
  auto tariff = tariffs_.find(json);
  if (tariff == tariffs_.end()) tariff = tariffs_.emplace(json, tariff_of_snapshot(json)).first;
  if (!tariff->second) return tariff->second.error();
  const auto &zone = zone_of(t.station);
  static const std::vector<TransactionEventRecord> no_events;
  auto events = events_.find(t.id);
  const auto &e = events == events_.end() ? no_events : events->second;
  std::vector<StatusReport> statuses;
  if (auto st = statuses_.find(t.id); st != statuses_.end()) {
    statuses = st->second;
  } else if (!has_charging_states(e)) { // not one of the batch the constructor saw
    statuses = statuses_for(repo_, t, e, now);
  }
  return PreparedSession{&t, &*tariff->second, &zone, &e, &samples(t.id), std::move(statuses)};
}

Result<SessionCost> BatchPricing::price(const PreparedSession &p, Timestamp now) {
  return price_parts(*p.transaction, *p.tariff, *p.events, *p.samples, p.statuses, *p.zone, now);
}

Result<SessionCost> BatchPricing::price(const Transaction &t, Timestamp now) {
  auto prepared = prepare(t, now);
  if (!prepared) return prepared.error();
  return price(*prepared, now);
}

} // namespace gridlane::services
