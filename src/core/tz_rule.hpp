#pragma once
// Internal to core/tz: the POSIX TZ rule at the end of a TZif file ("CET-1CEST,M3.5.0,M10.5.0/3"),
// which says how a zone goes on after the file's last listed transition (2037 in Debian's
// tzdata). The date library's reader of the system database does not apply it, so after 2037 it
// would keep the last offset for ever (Berlin on winter time all summer); core/tz applies this
// rule there instead. Only the forms tzdata writes are read: a name (or <...>), an offset, and
// for zones with daylight-saving time a second name, an optional offset and two Mm.w.d[/time]
// dates (RFC 8536: the time may be negative or beyond 24 h). Anything else: no rule.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gridlane::core::tzrule {

struct Date {
  unsigned month = 1;   //!< 1..12
  unsigned week = 1;    //!< 1..4, or 5 for the last such weekday of the month
  unsigned weekday = 0; //!< 0 Sunday .. 6 Saturday
  std::chrono::seconds time{7200};
};

struct Rule {
  std::string std_abbrev, dst_abbrev;
  std::chrono::seconds std_offset{0}, dst_offset{0}; //!< local minus UTC (POSIX writes the opposite sign)
  Date start, end;                                   //!< DST starts at `start` in standard time, ends at `end` in DST
};

//! A rule with daylight-saving time; nullopt for a fixed offset (nothing to apply) or text not read.
std::optional<Rule> parse(std::string_view text);

struct Period {
  std::chrono::seconds offset;
  bool dst;
  std::string_view abbrev;
};

//! What the rule says at a UTC instant.
Period at(const Rule &rule, std::chrono::sys_seconds t);

//! The rule at the end of a TZif file (version 2 or later), if it has one with DST.
std::optional<Rule> read_footer(const std::string &path);

} // namespace gridlane::core::tzrule
