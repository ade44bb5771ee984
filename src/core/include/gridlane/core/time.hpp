#pragma once
//! UTC timestamps with millisecond precision, ISO 8601 / RFC 3339 text, and an injectable clock.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gridlane::core {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

//! What a date-time without a zone ("2026-11-29T08:47:10") means.
enum class MissingOffset {
  Refuse,    //!< not a date-time (RFC 3339, JSON Schema "date-time"): the default everywhere
  ReadAsUtc, //!< the station's UTC time: a compatibility setting for known firmware only
};

//! Parses an RFC 3339 date-time ("2026-01-02T03:04:05.678Z", offsets allowed) into UTC.
//! The zone is required, as JSON Schema's "date-time" format demands, unless `missing` says
//! how to read a date-time without one.
std::optional<Timestamp> parse_iso8601(std::string_view text, MissingOffset missing = MissingOffset::Refuse);

//! Formats as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string format_iso8601(Timestamp t);

inline std::int64_t to_unix_ms(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp from_unix_ms(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

class Clock {
public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

} // namespace gridlane::core
