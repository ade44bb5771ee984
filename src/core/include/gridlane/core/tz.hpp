#pragma once
//! Civil time in named IANA zones ("Europe/Berlin"), over the system's tz database
//! (/usr/share/zoneinfo, Debian's tzdata) read by Howard Hinnant's date library. Timestamps stay
//! UTC everywhere else; a location's zone is applied only where people meet the time (opening
//! hours, tariff periods, a daily report).
//!
//! Local -> UTC is not a function everywhere: on a spring-forward day a stretch of local time
//! does not exist, on a fall-back day a stretch happens twice. LocalTimePolicy says what to do;
//! the default moves a nonexistent time forward by the length of the gap (02:30 on the day
//! Berlin skips 02:00-03:00 is 03:30 CEST) and takes the earlier of two (the first 02:30 on the
//! night it repeats, still CEST), as RFC 5545 reads such times. Refuse gives an error instead.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

#include "gridlane/core/time.hpp"

namespace gridlane::core {

//! A wall-clock reading. Fields are not checked by themselves; to_utc refuses what is no date.
struct LocalDateTime {
  int year = 1970;
  int month = 1;  //!< 1..12
  int day = 1;    //!< 1..31
  int hour = 0;   //!< 0..23
  int minute = 0; //!< 0..59
  int second = 0; //!< 0..59
  int millisecond = 0;
  bool operator==(const LocalDateTime &) const = default;
};

//! What a UTC instant reads as in a zone.
struct CivilTime {
  LocalDateTime local;
  int weekday = 0;                    //!< ISO 8601: 1 Monday .. 7 Sunday (as OCPI opening hours number days)
  std::chrono::seconds utc_offset{0}; //!< local minus UTC: +3600 s for CET, +19800 s for Asia/Kolkata
  bool dst = false;                   //!< daylight-saving (summer) time is in force
  std::string abbreviation;           //!< "CET", "CEST", "EDT", "IST", ...
};

enum class TzError {
  UnknownZone,      //!< not a zone of the tz database
  InvalidLocalTime, //!< a field out of range, or a day the month does not have
  Nonexistent,      //!< skipped by a spring-forward change (only with Nonexistent::Refuse)
  Ambiguous,        //!< repeated by a fall-back change (only with Ambiguous::Refuse)
};
std::string_view to_string(TzError e);
std::ostream &operator<<(std::ostream &os, TzError e);
[[noreturn]] void throw_exception_from_error(TzError e, const boost::source_location &loc);
template <class T> using TzResult = boost::system::result<T, TzError>;

struct LocalTimePolicy {
  enum class Nonexistent { ShiftForward, Refuse } nonexistent = Nonexistent::ShiftForward;
  enum class Ambiguous { Earlier, Later, Refuse } ambiguous = Ambiguous::Earlier;
};

struct TzZone; // the database's zone and its rule beyond the last listed transition (tz.cpp)

//! A zone of the tz database; cheap to copy (a pointer to data that lives as long as the
//! process). An unreadable database (tzdata not installed) knows no zones. Instants after the
//! last transition the database lists (2037) follow the zone's POSIX rule, as the tz files say.
class TimeZone {
public:
  //! An exact IANA name ("Europe/Berlin", "UTC", links such as "US/Eastern" too), else nullopt.
  static std::optional<TimeZone> find(std::string_view name);

  std::string_view name() const;
  CivilTime to_local(Timestamp utc) const;
  TzResult<Timestamp> to_utc(const LocalDateTime &local, LocalTimePolicy policy = {}) const;

private:
  explicit TimeZone(const TzZone *zone) : zone_(zone) {}
  const TzZone *zone_;
};

bool is_valid_zone(std::string_view name);
//! The same through a zone name: UnknownZone when there is no such zone.
TzResult<CivilTime> to_local(Timestamp utc, std::string_view zone);
TzResult<Timestamp> to_utc(const LocalDateTime &local, std::string_view zone, LocalTimePolicy policy = {});

} // namespace gridlane::core
