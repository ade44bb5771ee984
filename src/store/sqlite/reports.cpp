// The reports' daily and monthly roll-ups (migrations 0031 and 0032, docs/operations.md
// "Reports"): one upsert per EVSE-day, EVSE-month and location quarter hour when a session is
// added, and grouped sums when a report reads them. The column lists are spelled from constants
// here; every value is a parameter.
#include <algorithm>
#include <array>
#include <chrono>
#include <climits>
#include <initializer_list>
#include <map>
#include <string>
#include <tuple>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

constexpr std::array<const char *, session_failure_count> failure_columns = {
    "failed_start_rejected",  "failed_fault",   "failed_reset",
    "failed_ev_disconnected", "failed_timeout", "failed_no_energy"};
// In SessionFailure's order.
static_assert(static_cast<int>(SessionFailure::StartRejected) == 0 && static_cast<int>(SessionFailure::NoEnergy) == 5);

//! Appends prefix0 .. prefix(n-1) for each prefix to `out`. Built with append: GCC 12's
//! -Wrestrict misreads `"o" + std::to_string(h)` at -O3.
void numbered_columns(std::vector<std::string> &out, std::initializer_list<const char *> prefixes, int n) {
  for (const char *prefix : prefixes) {
    for (int i = 0; i < n; ++i) {
      std::string name(prefix);
      name.append(std::to_string(i));
      out.push_back(std::move(name));
    }
  }
}

//! Every counting column of report_evse_days, in the order add_report_rollup binds them: the
//! counts, then the occupied and charging time of each local hour (o0..o23, c0..c23).
std::vector<std::string> counter_columns() {
  std::vector<std::string> c{"sessions", "successful"};
  for (const auto *f : failure_columns)
    c.emplace_back(f);
  c.insert(c.end(), {"energy_wh", "occupied_ms", "charging_ms"});
  numbered_columns(c, {"o", "c"}, 24);
  return c;
}

//! An upsert into `table` that adds `columns` to the row of `keys` (bound ?1.. in that order,
//! then the columns), the row made when it does not exist yet.
std::string adding_upsert(std::string_view table, const std::vector<std::string> &keys, std::string_view conflict,
                          const std::vector<std::string> &columns) {
  std::string names, values, sets;
  int i = 1;
  for (const auto &k : keys) {
    names.append(names.empty() ? "" : ", ").append(k);
    values.append(values.empty() ? "?" : ", ?").append(std::to_string(i++));
  }
  for (const auto &c : columns) {
    names.append(", ").append(c);
    values.append(", ?").append(std::to_string(i++));
    sets.append(sets.empty() ? "" : ", ").append(c).append(" = ").append(c).append(" + excluded.").append(c);
  }
  return "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + values + ") ON CONFLICT (" +
         std::string(conflict) + ") DO UPDATE SET " + sets;
}

const std::string &upsert_day_sql() {
  static const std::string sql = adding_upsert("report_evse_days", {"location_id", "day", "station_id", "evse_id"},
                                               "location_id, station_id, evse_id, day", counter_columns());
  return sql;
}

//! The counting columns of report_evse_days that report_location_day_sums sums per location
//! and day: counter_columns() without the hours.
constexpr std::size_t location_counter_count = 2 + session_failure_count + 3;

const std::string &upsert_location_day_sql() {
  static const std::string sql = [] {
    auto cols = counter_columns();
    cols.resize(location_counter_count);
    return adding_upsert("report_location_day_sums", {"location_id", "day"}, "location_id, day", cols);
  }();
  return sql;
}

//! The hour columns (o0..o23, c0..c23) and the weekday ones of report_evse_months (wo0..wo6,
//! wc0..wc6), in the order add_report_rollup binds them.
std::vector<std::string> month_columns() {
  std::vector<std::string> c;
  numbered_columns(c, {"o", "c"}, 24);
  numbered_columns(c, {"wo", "wc"}, 7);
  return c;
}

const std::string &upsert_month_sql() {
  static const std::string sql = adding_upsert("report_evse_months", {"location_id", "month", "station_id", "evse_id"},
                                               "location_id, station_id, evse_id, month", month_columns());
  return sql;
}

//! ", SUM(o0), ..., SUM(o23)" for `prefix` 'o' (occupied) or 'c' (charging).
std::string sums(char prefix) {
  std::string out;
  for (int h = 0; h < 24; ++h)
    out += std::string(", SUM(") + prefix + std::to_string(h) + ")";
  return out;
}

//! The daily rows' occupied, then charging time summed per ISO weekday, Monday first
//! (1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays).
std::string weekday_sums() {
  std::string out;
  for (const char *col : {"occupied_ms", "charging_ms"})
    for (int wd = 0; wd < 7; ++wd)
      out += ", SUM(CASE WHEN (day + 3) % 7 = " + std::to_string(wd) + " THEN " + col + " ELSE 0 END)";
  return out;
}

//! Recomputes report_evse_months from report_evse_days for the days ?1..?2 (whole months).
const std::string &months_from_days_sql() {
  static const std::string sql =
      "INSERT INTO report_evse_months SELECT location_id, "
      "day - CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER) + 1 AS month, station_id, evse_id" +
      sums('o') + sums('c') + weekday_sums() +
      " FROM report_evse_days WHERE day BETWEEN ?1 AND ?2 GROUP BY location_id, station_id, evse_id, month";
  return sql;
}

// Local days as calendar dates, for the months: days since 1970-01-01 within 0001..9999 (a
// filter's open ends are wider; they are clamped before a month is computed).
constexpr std::int64_t first_calendar_day = -719162; // 0001-01-01
constexpr std::int64_t last_calendar_day = 2932896;  // 9999-12-31

std::int64_t month_start(std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{static_cast<int>(std::clamp(day, first_calendar_day, last_calendar_day))}}};
  return sys_days{ymd.year() / ymd.month() / 1}.time_since_epoch().count();
}

//! The first day of the month after `day`'s.
std::int64_t next_month_start(std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{static_cast<int>(month_start(day))}}};
  return sys_days{ymd + months{1}}.time_since_epoch().count();
}

//! ISO weekday, Monday 0: 1970-01-01 was a Thursday.
std::size_t weekday_of(std::int64_t day) {
  return static_cast<std::size_t>(((day + 3) % 7 + 7) % 7);
}

//! A period split for the utilisation sums: its whole months (read from report_evse_months)
//! and the days before and after them (from report_evse_days).
struct PeriodSplit {
  std::optional<std::pair<std::int64_t, std::int64_t>> months; //!< first and last month's first days
  std::vector<std::pair<std::int64_t, std::int64_t>> days;     //!< day ranges, inclusive
};

PeriodSplit split(std::int64_t from, std::int64_t to) {
  PeriodSplit out;
  const std::int64_t lo = std::max(from, first_calendar_day), hi = std::min(to, last_calendar_day);
  std::int64_t first = lo > hi ? 0 : (month_start(lo) == lo ? lo : next_month_start(lo));
  // The last whole month starts at `last`: hi's month when hi is its last day, else the one before.
  std::int64_t last = lo > hi ? -1 : month_start(hi);
  if (lo <= hi && next_month_start(hi) - 1 != hi) last = last > first_calendar_day ? month_start(last - 1) : first - 1;
  if (lo > hi || first > last) {
    out.days.emplace_back(from, to);
    return out;
  }
  out.months.emplace(first, last);
  if (from < first) out.days.emplace_back(from, first - 1);
  if (next_month_start(last) <= to) out.days.emplace_back(next_month_start(last), to);
  return out;
}

constexpr std::string_view upsert_quarter_sql =
    "INSERT INTO report_location_quarters (location_id, quarter, day, energy_wh) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (location_id, quarter) DO UPDATE SET energy_wh = energy_wh + excluded.energy_wh "
    "RETURNING energy_wh";

constexpr std::string_view upsert_peak_sql =
    "INSERT INTO report_location_days (location_id, day, peak_wh, peak_quarter) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (location_id, day) DO UPDATE SET peak_wh = excluded.peak_wh, peak_quarter = excluded.peak_quarter "
    "WHERE excluded.peak_wh > report_location_days.peak_wh";

//! The WHERE of a roll-up read: ?1 first day, ?2 last day, ?3 location, ?4 station (each clause
//! only when the filter has it, so the primary key or the station index serves the range).
std::string where(const RollupFilter &f, const char *station_column = "station_id", const char *day_column = "day") {
  std::string w = std::string(" WHERE ") + day_column + " BETWEEN ?1 AND ?2";
  if (f.location) w += " AND location_id = ?3";
  if (f.station) w += std::string(" AND ") + station_column + " = ?4";
  return w;
}

void bind_filter(Statement &s, const RollupFilter &f) {
  s.bind(1, f.from_day).bind(2, f.to_day);
  if (f.location) s.bind(3, *f.location);
  if (f.station) s.bind(4, f.station->str());
}

} // namespace

bool SqliteRepository::claim_report_session(std::int64_t transaction_id) {
  auto s = db_.prepare("INSERT OR IGNORE INTO report_sessions (transaction_id) VALUES (?1)");
  s.bind(1, transaction_id).run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteRepository::add_report_rollup(const ReportEvseKey &evse, const std::vector<ReportDayDelta> &days,
                                         const std::vector<ReportQuarterDelta> &quarters) {
  for (const auto &d : days) {
    auto s = db_.prepare(upsert_day_sql());
    s.bind(1, evse.location_id).bind(2, d.day).bind(3, evse.station.str()).bind(4, evse.evse_id);
    int i = 5;
    s.bind(5, d.sessions);
    s.bind(6, d.successful);
    i = 7;
    for (auto n : d.failed)
      s.bind(i++, n);
    std::int64_t occupied = 0, charging = 0;
    for (int h = 0; h < 24; ++h) {
      occupied += d.occupied_ms[static_cast<std::size_t>(h)];
      charging += d.charging_ms[static_cast<std::size_t>(h)];
    }
    s.bind(i, d.energy_wh);
    s.bind(i + 1, occupied);
    s.bind(i + 2, charging);
    i += 3;
    for (auto v : d.occupied_ms)
      s.bind(i++, v);
    for (auto v : d.charging_ms)
      s.bind(i++, v);
    s.run();

    auto l = db_.prepare(upsert_location_day_sql());
    l.bind(1, evse.location_id).bind(2, d.day).bind(3, d.sessions).bind(4, d.successful);
    i = 5;
    for (auto n : d.failed)
      l.bind(i++, n);
    l.bind(i, d.energy_wh).bind(i + 1, occupied).bind(i + 2, charging).run();

    auto m = db_.prepare(upsert_month_sql());
    m.bind(1, evse.location_id).bind(2, month_start(d.day)).bind(3, evse.station.str()).bind(4, evse.evse_id);
    i = 5;
    for (auto v : d.occupied_ms)
      m.bind(i++, v);
    for (auto v : d.charging_ms)
      m.bind(i++, v);
    const auto wd = weekday_of(d.day);
    for (std::size_t w = 0; w < 7; ++w)
      m.bind(i++, w == wd ? occupied : std::int64_t{0});
    for (std::size_t w = 0; w < 7; ++w)
      m.bind(i++, w == wd ? charging : std::int64_t{0});
    m.run();
  }
  for (const auto &q : quarters) {
    std::int64_t total = 0;
    {
      auto s = db_.prepare(upsert_quarter_sql);
      s.bind(1, evse.location_id).bind(2, q.quarter).bind(3, q.day).bind(4, q.energy_wh);
      if (s.step()) total = s.int64(0);
      s.run();
    }
    auto s = db_.prepare(upsert_peak_sql);
    s.bind(1, evse.location_id).bind(2, q.day).bind(3, total).bind(4, q.quarter).run();
  }
}

void SqliteRepository::clear_report_days(std::optional<std::int64_t> from_day, std::optional<std::int64_t> to_day) {
  if (!from_day && !to_day) {
    db_.exec("DELETE FROM report_evse_days; DELETE FROM report_evse_months; DELETE FROM report_location_day_sums; "
             "DELETE FROM report_location_quarters; DELETE FROM report_location_days; DELETE FROM report_sessions;");
    return;
  }
  const std::int64_t from = from_day.value_or(INT64_MIN), to = to_day.value_or(INT64_MAX);
  for (const char *sql : {"DELETE FROM report_evse_days WHERE day BETWEEN ?1 AND ?2",
                          "DELETE FROM report_location_day_sums WHERE day BETWEEN ?1 AND ?2",
                          "DELETE FROM report_location_quarters WHERE day BETWEEN ?1 AND ?2",
                          "DELETE FROM report_location_days WHERE day BETWEEN ?1 AND ?2"}) {
    auto s = db_.prepare(sql);
    s.bind(1, from).bind(2, to).run();
  }
  // The months the range touches, recomputed from the days they keep (the rebuild adds the
  // range's sessions to both again).
  const std::int64_t months_from = from <= first_calendar_day ? INT64_MIN : month_start(from);
  const std::int64_t months_to = to >= last_calendar_day ? INT64_MAX : next_month_start(to) - 1;
  auto s = db_.prepare("DELETE FROM report_evse_months WHERE month BETWEEN ?1 AND ?2");
  s.bind(1, months_from).bind(2, months_to).run();
  auto again = db_.prepare(months_from_days_sql());
  again.bind(1, months_from).bind(2, months_to).run();
}

std::vector<std::int64_t> SqliteRepository::unreported_transactions(std::int64_t after_id, std::size_t limit) {
  auto s = db_.prepare("SELECT id FROM transactions t WHERE state = ?1 AND id > ?2 "
                       "AND NOT EXISTS (SELECT 1 FROM report_sessions r WHERE r.transaction_id = t.id) "
                       "ORDER BY id LIMIT ?3");
  s.bind(1, to_string(TransactionState::Ended)).bind(2, after_id).bind(3, static_cast<std::int64_t>(limit));
  std::vector<std::int64_t> out;
  while (s.step())
    out.push_back(s.int64(0));
  return out;
}

std::vector<std::int64_t> SqliteRepository::ended_transactions_between(Timestamp from, Timestamp to,
                                                                       std::int64_t after_id, std::size_t limit) {
  auto s = db_.prepare("SELECT id FROM transactions WHERE state = ?1 AND id > ?2 AND started_at < ?4 "
                       "AND COALESCE(stopped_at, started_at) >= ?3 ORDER BY id LIMIT ?5");
  s.bind(1, to_string(TransactionState::Ended))
      .bind(2, after_id)
      .bind(3, core::to_unix_ms(from))
      .bind(4, core::to_unix_ms(to))
      .bind(5, static_cast<std::int64_t>(limit));
  std::vector<std::int64_t> out;
  while (s.step())
    out.push_back(s.int64(0));
  return out;
}

std::vector<ReportEvseTimes> SqliteRepository::report_evse_times(const RollupFilter &f) {
  // The period's whole months from report_evse_months, the days around them from
  // report_evse_days (a year of a fleet is then twelve rows per EVSE, not 365), added per EVSE.
  std::map<std::tuple<std::string, std::string, int>, ReportEvseTimes> by_evse;
  const auto add = [&](Statement &s) {
    while (s.step()) {
      auto &t = by_evse[std::make_tuple(s.text(0), s.text(1), static_cast<int>(s.int64(2)))];
      t.evse = ReportEvseKey{s.text(0), core::StationId::unchecked(s.text(1)), static_cast<int>(s.int64(2))};
      for (std::size_t h = 0; h < 24; ++h) {
        t.occupied_by_hour[h] += s.int64(3 + static_cast<int>(h));
        t.charging_by_hour[h] += s.int64(27 + static_cast<int>(h));
      }
      for (std::size_t wd = 0; wd < 7; ++wd) {
        t.occupied_by_weekday[wd] += s.int64(51 + static_cast<int>(wd));
        t.charging_by_weekday[wd] += s.int64(58 + static_cast<int>(wd));
      }
    }
  };
  const auto range = [&f](std::int64_t from, std::int64_t to) {
    RollupFilter r = f;
    r.from_day = from;
    r.to_day = to;
    return r;
  };
  const auto parts = split(f.from_day, f.to_day);
  if (parts.months) {
    std::string weekdays;
    for (const char *prefix : {"wo", "wc"})
      for (int wd = 0; wd < 7; ++wd)
        weekdays += std::string(", SUM(") + prefix + std::to_string(wd) + ")";
    auto s = db_.prepare("SELECT location_id, station_id, evse_id" + sums('o') + sums('c') + weekdays +
                         " FROM report_evse_months" + where(f, "station_id", "month") +
                         " GROUP BY location_id, station_id, evse_id");
    bind_filter(s, range(parts.months->first, parts.months->second));
    add(s);
  }
  for (const auto &[from, to] : parts.days) {
    auto s = db_.prepare("SELECT location_id, station_id, evse_id" + sums('o') + sums('c') + weekday_sums() +
                         " FROM report_evse_days" + where(f) + " GROUP BY location_id, station_id, evse_id");
    bind_filter(s, range(from, to));
    add(s);
  }
  std::vector<ReportEvseTimes> out;
  out.reserve(by_evse.size());
  for (auto &entry : by_evse)
    out.push_back(std::move(entry.second));
  return out;
}

std::vector<ReportDayTotals> SqliteRepository::report_day_totals(const RollupFilter &f) {
  std::string cols = "location_id, day, SUM(sessions), SUM(successful)";
  for (const auto *c : failure_columns)
    cols += std::string(", SUM(") + c + ")";
  cols += ", SUM(energy_wh), SUM(occupied_ms), SUM(charging_ms)";
  // A location's days are summed already (one row each); a station's come from its EVSEs' days.
  const char *table = f.station ? "report_evse_days" : "report_location_day_sums";
  auto s = db_.prepare("SELECT " + cols + " FROM " + table + where(f) +
                       " GROUP BY location_id, day ORDER BY location_id, day");
  bind_filter(s, f);
  std::vector<ReportDayTotals> out;
  while (s.step()) {
    ReportDayTotals t;
    t.location_id = s.text(0);
    t.day = s.int64(1);
    t.sessions = s.int64(2);
    t.successful = s.int64(3);
    for (std::size_t i = 0; i < session_failure_count; ++i)
      t.failed[i] = s.int64(4 + static_cast<int>(i));
    t.energy_wh = s.int64(10);
    t.occupied_ms = s.int64(11);
    t.charging_ms = s.int64(12);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<ReportPeak> SqliteRepository::report_peaks(const RollupFilter &f) {
  // A station filter selects its location. SQLite takes the bare peak_quarter from the row of
  // the MAX.
  std::string w = " WHERE day BETWEEN ?1 AND ?2";
  if (f.location) w += " AND location_id = ?3";
  if (f.station) w += " AND location_id = (SELECT COALESCE(location_id, '') FROM stations WHERE id = ?4)";
  auto s = db_.prepare("SELECT location_id, MAX(peak_wh), peak_quarter FROM report_location_days" + w +
                       " GROUP BY location_id ORDER BY location_id");
  bind_filter(s, f);
  std::vector<ReportPeak> out;
  while (s.step())
    out.push_back(ReportPeak{s.text(0), s.int64(1), s.int64(2)});
  return out;
}

std::vector<ReportEvseKey> SqliteRepository::report_evses(const RollupFilter &f) {
  std::string sql = "SELECT COALESCE(s.location_id, ''), e.station_id, e.evse_id FROM evses e "
                    "JOIN stations s ON s.id = e.station_id WHERE 1 = 1";
  if (f.location) sql += " AND COALESCE(s.location_id, '') = ?3";
  if (f.station) sql += " AND e.station_id = ?4";
  sql += " ORDER BY 1, 2, 3";
  auto s = db_.prepare(sql);
  if (f.location) s.bind(3, *f.location);
  if (f.station) s.bind(4, f.station->str());
  std::vector<ReportEvseKey> out;
  while (s.step())
    out.push_back(ReportEvseKey{s.text(0), core::StationId::unchecked(s.text(1)), static_cast<int>(s.int64(2))});
  return out;
}

} // namespace gridlane::store::sqlite
