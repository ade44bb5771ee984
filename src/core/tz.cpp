#include "gridlane/core/tz.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include <date/tz.h>

namespace gridlane::core {

namespace {

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
  return TimeZone(&*it);
}

std::string_view TimeZone::name() const {
  return zone_->name();
}

CivilTime TimeZone::to_local(Timestamp utc) const {
  using namespace std::chrono;
  const auto info = zone_->get_info(floor<seconds>(utc));
  const auto local = utc + to_ms(info.offset); // a count of local milliseconds since 1970-01-01
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
  c.utc_offset = info.offset;
  c.dst = info.save != minutes{0};
  c.abbreviation = info.abbrev;
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
  const auto info = zone_->get_info(wall);
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
