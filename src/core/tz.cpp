#include "gridlane/core/tz.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <stdexcept>

#include <date/tz.h>

#include "tz_rule.hpp"

namespace gridlane::core {

struct TzZone {
  const date::time_zone *zone;
  std::optional<tzrule::Rule> beyond; //!< the file's closing rule, for instants after its last transition
};

namespace {

// Where Debian's tzdata puts the zone files, and where the date library reads them from.
constexpr std::string_view kZoneDir = "/usr/share/zoneinfo/";

//! The date library's last period of a zone ends at the end of its calendar (year 32767).
const std::chrono::sys_seconds kOpenEnded{date::sys_days{date::year{9999} / 12 / 31}};

//! The system tz database, read once (thread-safe static initialisation). Unreadable (no
//! tzdata): no zone is known, rather than an exception from every lookup.
const date::tzdb *database() {
  static const date::tzdb *const db = []() -> const date::tzdb * {
    try {
      return &date::get_tzdb();
    } catch (const std::exception &) {
      return nullptr;
    }
  }();
  return db;
}

//! One TzZone per zone used, made on first use (its file's closing rule read once) and kept for
//! the life of the process, so a TimeZone may point at it.
const TzZone *zone_data(const date::time_zone &z) {
  static std::mutex mutex;
  static std::map<const date::time_zone *, std::unique_ptr<TzZone>> zones;
  std::lock_guard lock(mutex);
  auto &entry = zones[&z];
  if (!entry) {
    entry = std::make_unique<TzZone>(TzZone{&z, tzrule::read_footer(std::string(kZoneDir) + std::string(z.name()))});
  }
  return entry.get();
}

//! Local time (seconds since 1970-01-01 on the wall clock) to UTC with the closing rule: both
//! candidate offsets are tried; a reading that neither gives is in a gap, one both give repeats.
TzResult<std::chrono::seconds> offset_by_rule(const tzrule::Rule &rule, std::chrono::seconds wall,
                                              LocalTimePolicy policy) {
  using std::chrono::seconds;
  const seconds lo = std::min(rule.std_offset, rule.dst_offset);
  const seconds hi = std::max(rule.std_offset, rule.dst_offset);
  auto holds = [&](seconds off) { return tzrule::at(rule, std::chrono::sys_seconds{wall - off}).offset == off; };
  const bool earlier = holds(hi), later = holds(lo);
  if (earlier && later && lo != hi) {
    if (policy.ambiguous == LocalTimePolicy::Ambiguous::Refuse) return TzError::Ambiguous;
    return policy.ambiguous == LocalTimePolicy::Ambiguous::Later ? lo : hi;
  }
  if (earlier) return hi;
  if (later) return lo;
  // In a gap the offset grows: the one before it is the smaller.
  if (policy.nonexistent == LocalTimePolicy::Nonexistent::Refuse) return TzError::Nonexistent;
  return lo;
}

std::chrono::milliseconds to_ms(std::chrono::seconds s) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(s);
}

} // namespace

std::string_view to_string(TzError e) {
  switch (e) {
  case TzError::UnknownZone: return "unknown time zone";
  case TzError::InvalidLocalTime: return "not a local date and time";
  case TzError::Nonexistent: return "the local time does not exist (skipped by a daylight-saving change)";
  case TzError::Ambiguous: return "the local time is ambiguous (repeated by a daylight-saving change)";
  }
  return "time zone error";
}

std::ostream &operator<<(std::ostream &os, TzError e) {
  return os << to_string(e);
}

void throw_exception_from_error(TzError e, const boost::source_location &) {
  throw std::logic_error(std::string(to_string(e)));
}

std::optional<TimeZone> TimeZone::find(std::string_view name) {
  const auto *db = database();
  if (db == nullptr || name.empty()) return std::nullopt;
  // The date library keeps the zones sorted by name (it binary-searches them itself); searching
  // here instead of locate_zone keeps an unknown name a value, not an exception.
  const auto it = std::lower_bound(db->zones.begin(), db->zones.end(), name,
                                   [](const date::time_zone &z, std::string_view n) { return z.name() < n; });
  if (it == db->zones.end() || it->name() != name) return std::nullopt;
  return TimeZone(zone_data(*it));
}

std::string_view TimeZone::name() const {
  return zone_->zone->name();
}

CivilTime TimeZone::to_local(Timestamp utc) const {
  using namespace std::chrono;
  const auto at = floor<seconds>(utc);
  const auto info = zone_->zone->get_info(at);
  seconds offset = info.offset;
  bool dst = info.save != minutes{0};
  std::string_view abbrev = info.abbrev;
  if (zone_->beyond && info.end >= kOpenEnded) {
    const auto p = tzrule::at(*zone_->beyond, at);
    offset = p.offset, dst = p.dst, abbrev = p.abbrev;
  }
  const auto local = utc + to_ms(offset); // a count of local milliseconds since 1970-01-01
  const auto day = floor<days>(local);
  const date::year_month_day ymd{date::sys_days{day.time_since_epoch()}};
  const auto in_day = local - day;
  CivilTime c;
  c.local.year = static_cast<int>(ymd.year());
  c.local.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.local.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.local.hour = static_cast<int>(duration_cast<hours>(in_day).count());
  c.local.minute = static_cast<int>(duration_cast<minutes>(in_day).count() % 60);
  c.local.second = static_cast<int>(duration_cast<seconds>(in_day).count() % 60);
  c.local.millisecond = static_cast<int>(in_day.count() % 1000);
  c.weekday = static_cast<int>(date::weekday{date::sys_days{day.time_since_epoch()}}.iso_encoding());
  c.utc_offset = offset;
  c.dst = dst;
  c.abbreviation = std::string(abbrev);
  return c;
}

TzResult<Timestamp> TimeZone::to_utc(const LocalDateTime &l, LocalTimePolicy policy) const {
  using namespace std::chrono;
  if (l.year < 1 || l.year > 9999 || l.month < 1 || l.month > 12 || l.day < 1 || l.day > 31) {
    return TzError::InvalidLocalTime;
  }
  const date::year_month_day ymd{date::year{l.year}, date::month{static_cast<unsigned>(l.month)},
                                 date::day{static_cast<unsigned>(l.day)}};
  if (!ymd.ok() || l.hour < 0 || l.hour > 23 || l.minute < 0 || l.minute > 59 || l.second < 0 || l.second > 59 ||
      l.millisecond < 0 || l.millisecond > 999) {
    return TzError::InvalidLocalTime;
  }
  const date::local_seconds wall = date::local_days{ymd} + hours{l.hour} + minutes{l.minute} + seconds{l.second};
  const auto info = zone_->zone->get_info(wall);
  if (info.result == date::local_info::unique && zone_->beyond && info.first.end >= kOpenEnded) {
    auto offset = offset_by_rule(*zone_->beyond, wall.time_since_epoch(), policy);
    if (!offset) return offset.error();
    const sys_seconds utc{wall.time_since_epoch() - *offset};
    return Timestamp{duration_cast<milliseconds>(utc.time_since_epoch()) + milliseconds{l.millisecond}};
  }
  seconds offset = info.first.offset;
  switch (info.result) {
  case date::local_info::unique: break;
  case date::local_info::nonexistent:
    // Read with the offset in force before the gap: the instant lands the gap's length later
    // on the clock (02:30 -> 03:30 when an hour is skipped).
    if (policy.nonexistent == LocalTimePolicy::Nonexistent::Refuse) return TzError::Nonexistent;
    break;
  case date::local_info::ambiguous:
    if (policy.ambiguous == LocalTimePolicy::Ambiguous::Refuse) return TzError::Ambiguous;
    if (policy.ambiguous == LocalTimePolicy::Ambiguous::Later) offset = info.second.offset;
    break;
  }
  const sys_seconds utc{wall.time_since_epoch() - offset};
  return Timestamp{duration_cast<milliseconds>(utc.time_since_epoch()) + milliseconds{l.millisecond}};
}

bool is_valid_zone(std::string_view name) {
  return TimeZone::find(name).has_value();
}

TzResult<CivilTime> to_local(Timestamp utc, std::string_view zone) {
  auto z = TimeZone::find(zone);
  if (!z) return TzError::UnknownZone;
  return z->to_local(utc);
}

TzResult<Timestamp> to_utc(const LocalDateTime &local, std::string_view zone, LocalTimePolicy policy) {
  auto z = TimeZone::find(zone);
  if (!z) return TzError::UnknownZone;
  return z->to_utc(local, policy);
}

} // namespace gridlane::core
