// Reports and analytics over the daily roll-ups (report_service.hpp, docs/operations.md
// "Reports"). The store sums the roll-up rows; this file adds what depends on a location's zone
// (the length of each local hour, the periods) and keeps the roll-ups as sessions end.
#include "gridlane/services/report_service.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdio>
#include <map>
#include <tuple>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/location.hpp"
#include "gridlane/services/report_rollup.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

constexpr std::int64_t day_ms = 86'400'000;

const core::TimeZone &utc_zone() {
  static const auto zone = core::TimeZone::find("UTC");
  if (!zone) throw std::runtime_error("the time zone database has no UTC");
  return *zone;
}

//! The zone of a roll-up's location id ("" and unknown locations: UTC).
core::TimeZone zone_of(Repository &r, const std::string &location_id) {
  if (location_id.empty()) return utc_zone();
  if (auto l = r.location(LocationId::unchecked(location_id)); l && l->time_zone)
    if (auto z = core::TimeZone::find(*l->time_zone)) return *z;
  return utc_zone();
}

//! The station's location id ("" without one) and its zone.
std::pair<std::string, core::TimeZone> place_of(Repository &r, const StationId &station) {
  if (auto s = r.station(station); s && s->location_id) {
    auto id = s->location_id->str();
    return {id, zone_of(r, id)};
  }
  return {"", utc_zone()};
}

//! The length of each local hour and weekday over the filter's days, per zone name.
struct Available {
  std::array<std::int64_t, 24> by_hour{};
  std::array<std::int64_t, 7> by_weekday{};
};

class AvailableCache {
public:
  explicit AvailableCache(const RollupFilter &f) : f_(f) {}
  const Available &of(const core::TimeZone &zone) {
    auto it = cache_.find(std::string(zone.name()));
    if (it != cache_.end()) return it->second;
    Available a;
    for (auto d = f_.from_day; d <= f_.to_day; ++d) {
      const auto hours = hour_lengths(d, zone);
      const auto wd = static_cast<std::size_t>(((d + 3) % 7 + 7) % 7);
      for (std::size_t h = 0; h < 24; ++h) {
        a.by_hour[h] += hours[h];
        a.by_weekday[wd] += hours[h];
      }
    }
    return cache_.emplace(std::string(zone.name()), a).first->second;
  }

private:
  RollupFilter f_;
  std::map<std::string, Available> cache_;
};

void add(SessionCounts &to, const ReportDayTotals &d) {
  to.sessions += d.sessions;
  to.successful += d.successful;
  for (std::size_t i = 0; i < session_failure_count; ++i)
    to.failed[i] += d.failed[i];
  to.energy_wh += d.energy_wh;
}

std::int64_t period_start(std::int64_t day, ReportPeriod p) {
  switch (p) {
  case ReportPeriod::Day: return day;
  case ReportPeriod::Week: return day - ((day + 3) % 7 + 7) % 7; // back to Monday
  case ReportPeriod::Month: {
    auto c = civil_from_days(day);
    return days_from_civil(c.year, c.month, 1);
  }
  }
  return day;
}

} // namespace

std::int64_t SessionCounts::failed_total() const {
  std::int64_t n = 0;
  for (auto f : failed)
    n += f;
  return n;
}

std::optional<std::int64_t> ReportService::parse_day(std::string_view text) {
  // YYYY-MM-DD exactly, a date the calendar has.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  const auto num = [&](std::size_t at, std::size_t len, int &out) {
    for (std::size_t i = at; i < at + len; ++i)
      if (text[i] < '0' || text[i] > '9') return false;
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc{} && end == text.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const auto day = days_from_civil(y, m, d);
  const auto back = civil_from_days(day);
  if (back.year != y || back.month != m || back.day != d) return std::nullopt; // 2026-02-30
  return day;
}

std::string ReportService::format_day(std::int64_t day) {
  const auto c = civil_from_days(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

Result<RollupFilter> ReportService::filter(const ReportRequest &r, core::Timestamp now) {
  RollupFilter f;
  f.to_day = core::to_unix_ms(now) / day_ms;
  if (r.to) {
    auto d = parse_day(*r.to);
    if (!d) return ServiceError::invalid("to must be a date YYYY-MM-DD from 1970 on", "to");
    f.to_day = *d;
  }
  f.from_day = f.to_day - 29;
  if (r.from) {
    auto d = parse_day(*r.from);
    if (!d) return ServiceError::invalid("from must be a date YYYY-MM-DD from 1970 on", "from");
    f.from_day = *d;
  }
  if (f.from_day > f.to_day) return ServiceError::invalid("from must not be after to", "from");
  if (f.to_day - f.from_day + 1 > max_days)
    return ServiceError::invalid("a report covers at most " + std::to_string(max_days) + " days", "from");
  if (r.location) {
    if (!LocationId::parse(*r.location)) return ServiceError::invalid("location is no location id", "location");
    f.location = *r.location;
  }
  if (r.station) {
    auto s = StationId::parse(*r.station);
    if (!s) return ServiceError::invalid("station is no station id", "station");
    f.station = *s;
  }
  return f;
}

UtilisationReport ReportService::utilisation(Repository &r, const RollupFilter &f) const {
  UtilisationReport out;
  out.filter = f;
  AvailableCache available(f);
  std::map<std::string, core::TimeZone> zones;
  const auto zone = [&](const std::string &location) -> const core::TimeZone & {
    auto it = zones.find(location);
    if (it == zones.end()) it = zones.emplace(location, zone_of(r, location)).first;
    return it->second;
  };
  // Every configured EVSE counts, used or not; EVSEs known only from the roll-ups too.
  std::map<std::tuple<std::string, std::string, int>, UtilisationRow> evses;
  const auto row = [&](const ReportEvseKey &k) -> UtilisationRow & {
    auto key = std::make_tuple(k.location_id, k.station.str(), k.evse_id);
    auto it = evses.find(key);
    if (it != evses.end()) return it->second;
    UtilisationRow u;
    u.location_id = k.location_id;
    u.station = k.station.str();
    u.evse_id = k.evse_id;
    const auto &a = available.of(zone(k.location_id));
    u.available_by_hour = a.by_hour;
    u.available_by_weekday = a.by_weekday;
    return evses.emplace(key, std::move(u)).first->second;
  };
  for (const auto &k : r.report_evses(f))
    row(k);
  for (const auto &t : r.report_evse_times(f)) {
    auto &u = row(t.evse);
    u.occupied_by_hour = t.occupied_by_hour;
    u.charging_by_hour = t.charging_by_hour;
    u.occupied_by_weekday = t.occupied_by_weekday;
    u.charging_by_weekday = t.charging_by_weekday;
  }
  std::map<std::string, UtilisationRow> locations;
  for (auto &[key, u] : evses) {
    auto [it, fresh] = locations.try_emplace(u.location_id);
    auto &l = it->second;
    if (fresh) {
      l.location_id = u.location_id;
      l.evses = 0;
    }
    ++l.evses;
    for (std::size_t h = 0; h < 24; ++h) {
      l.occupied_by_hour[h] += u.occupied_by_hour[h];
      l.charging_by_hour[h] += u.charging_by_hour[h];
      l.available_by_hour[h] += u.available_by_hour[h];
    }
    for (std::size_t d = 0; d < 7; ++d) {
      l.occupied_by_weekday[d] += u.occupied_by_weekday[d];
      l.charging_by_weekday[d] += u.charging_by_weekday[d];
      l.available_by_weekday[d] += u.available_by_weekday[d];
    }
    out.evses.push_back(std::move(u));
  }
  for (auto &[id, l] : locations)
    out.locations.push_back(std::move(l));
  return out;
}

SessionsReport ReportService::sessions(Repository &r, const RollupFilter &f, ReportPeriod period) const {
  SessionsReport out;
  out.filter = f;
  out.period = period;
  std::map<std::int64_t, SessionCounts> periods;
  for (const auto &d : r.report_day_totals(f)) {
    add(periods[period_start(d.day, period)], d);
    add(out.total, d);
  }
  for (auto &[first, counts] : periods)
    out.rows.push_back(PeriodRow{first, counts});
  return out;
}

SuccessReport ReportService::success(Repository &r, const RollupFilter &f) const {
  SuccessReport out;
  out.filter = f;
  std::map<std::string, SessionCounts> locations;
  for (const auto &d : r.report_day_totals(f)) {
    add(locations[d.location_id], d);
    add(out.total, d);
  }
  for (auto &[id, counts] : locations)
    out.locations.emplace_back(id, counts);
  return out;
}

PeakReport ReportService::peaks(Repository &r, const RollupFilter &f) const {
  PeakReport out;
  out.filter = f;
  for (const auto &p : r.report_peaks(f)) {
    PeakRow row;
    row.location_id = p.location_id;
    row.energy_wh = p.energy_wh;
    row.quarter = p.quarter;
    row.time_zone = std::string(zone_of(r, p.location_id).name());
    out.locations.push_back(std::move(row));
  }
  return out;
}

bool ReportService::roll_up(Repository &r, std::int64_t transaction_id) const {
  auto t = r.transaction(transaction_id);
  if (!t || t->state != TransactionState::Ended) return false;
  if (!r.claim_report_session(transaction_id)) return false;
  auto [location, zone] = place_of(r, t->station);
  auto rollup = services::roll_up(session_span(*t, r.meter_samples(transaction_id)), zone);
  r.add_report_rollup(ReportEvseKey{location, t->station, t->evse_id}, rollup.days, rollup.quarters);
  return true;
}

std::int64_t ReportService::catch_up(Repository &r, std::int64_t after_id, std::size_t limit) const {
  std::int64_t last = 0;
  for (auto id : r.unreported_transactions(after_id, limit)) {
    roll_up(r, id);
    last = id;
  }
  return last;
}

RebuildSummary ReportService::rebuild(Repository &r, std::optional<std::int64_t> from_day,
                                      std::optional<std::int64_t> to_day) const {
  RebuildSummary out;
  r.clear_report_days(from_day, to_day);
  if (!from_day && !to_day) {
    for (std::int64_t after = 0;;) {
      auto ids = r.unreported_transactions(after, 1000);
      if (ids.empty()) break;
      for (auto id : ids)
        if (roll_up(r, id)) ++out.sessions;
      after = ids.back();
    }
    return out;
  }
  const std::int64_t from = from_day.value_or(0), to = to_day.value_or(INT64_MAX / day_ms - 2);
  // Every zone's local day lies within a day of the UTC day of the same number.
  const auto window_from = core::from_unix_ms((from - 1) * day_ms);
  const auto window_to = core::from_unix_ms((to + 2) * day_ms);
  for (std::int64_t after = 0;;) {
    auto ids = r.ended_transactions_between(window_from, window_to, after, 1000);
    if (ids.empty()) break;
    for (auto id : ids) {
      auto t = r.transaction(id);
      if (!t) continue;
      // A session never rolled up gets all of its days; one that was keeps its days outside
      // the range.
      const bool whole = r.claim_report_session(id);
      auto [location, zone] = place_of(r, t->station);
      auto rollup = services::roll_up(session_span(*t, r.meter_samples(id)), zone);
      if (!whole) {
        std::erase_if(rollup.days, [&](const ReportDayDelta &d) { return d.day < from || d.day > to; });
        std::erase_if(rollup.quarters, [&](const ReportQuarterDelta &q) { return q.day < from || q.day > to; });
      }
      r.add_report_rollup(ReportEvseKey{location, t->station, t->evse_id}, rollup.days, rollup.quarters);
      ++out.sessions;
    }
    after = ids.back();
  }
  return out;
}

void ReportService::watch(EventBus &bus, StoreExecutor &store) {
  subscription_ = bus.subscribe([this, &store](const Event &e) {
    const auto *ended = std::get_if<TransactionEnded>(&e);
    if (!ended) return;
    const auto id = ended->transaction.id;
    store.submit([this, id](Repository &r) { roll_up(r, id); },
                 [id](std::exception_ptr failed) {
                   if (failed)
                     core::log(core::Component::Services)
                         .error("transaction {}: its report roll-up failed; the next start adds it", id);
                 });
  });
  // What a previous run left (a crash between a stop and its roll-up), batch by batch.
  auto next = std::make_shared<std::function<void(std::int64_t)>>();
  *next = [this, &store, next](std::int64_t after) {
    auto last = std::make_shared<std::int64_t>(0);
    store.submit([this, after, last](Repository &r) { *last = catch_up(r, after, 500); },
                 [next, last](std::exception_ptr failed) {
                   if (failed) core::log(core::Component::Services).error("report roll-up catch-up failed");
                   if (!failed && *last != 0)
                     (*next)(*last);
                   else
                     *next = nullptr; // the chain held itself; let it go
                 });
  };
  (*next)(0);
}

} // namespace gridlane::services
