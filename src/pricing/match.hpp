#pragma once
//! Inside the engine: which tariff element is in force for each dimension at one moment of a
//! session (OCPI 2.2.1 mod_tariffs, TariffRestrictions), and the moments at which that can
//! change. Restrictions are read once into integers (mWh, mW, mA, seconds, minutes of the day)
//! so that matching a moment is a few compares.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/tariff.hpp"
#include "gridlane/pricing/engine.hpp"

namespace gridlane::pricing::detail {

inline constexpr std::size_t kDimensions = 4; // domain::TariffDimension: Energy, Flat, ParkingTime, Time
inline constexpr int kNone = -1;

//! a * b / c rounded down (up with `ceil`), for a, b >= 0 and c > 0. In 64 bits when the product
//! fits (the common case, and 128-bit division is slow), else in 128 (a GCC and Clang extension).
inline std::int64_t mul_div(std::int64_t a, std::int64_t b, std::int64_t c, bool ceil = false) {
  std::int64_t ab = 0;
  if (!__builtin_mul_overflow(a, b, &ab)) return ab / c + (ceil && ab % c != 0 ? 1 : 0);
  __extension__ using i128 = __int128;
  const i128 wide = static_cast<i128>(a) * b;
  return static_cast<std::int64_t>(wide / c + (ceil && wide % c != 0 ? 1 : 0));
}

inline std::size_t index_of(domain::TariffDimension d) {
  return static_cast<std::size_t>(d);
}

//! One element's restrictions in integer units, and its first component per dimension.
struct Rule {
  std::array<int, kDimensions> component{kNone, kNone, kNone, kNone};
  std::optional<int> start_minute; //!< minutes after local midnight
  std::optional<int> end_minute;
  std::optional<int> start_day; //!< local days since 1970-01-01
  std::optional<int> end_day;
  std::optional<std::int64_t> min_mwh, max_mwh; //!< session energy so far, milli-Wh (kWh * 10^6)
  std::optional<std::int64_t> min_ua, max_ua;   //!< current, micro-A (A * 10^6)
  std::optional<std::int64_t> min_mw, max_mw;   //!< power, milli-W (kW * 10^6)
  std::optional<std::int64_t> min_s, max_s;     //!< seconds since the session started
  unsigned weekdays = 0;                        //!< bit (1 << iso weekday); 0: every day
  std::optional<domain::ReservationRestriction> reservation;
};

//! What a moment of the session looks like to the restrictions.
struct Moment {
  PeriodState state = PeriodState::Charging;
  bool expired = false; //!< a reservation that no charging followed
  int local_minute = 0; //!< only read when the tariff has time-of-day, date or weekday rules
  int local_day = 0;
  int weekday = 1;
  std::int64_t mwh_so_far = 0;
  std::int64_t seconds_in = 0;
  std::optional<std::int64_t> ma; //!< current, mA
  std::optional<std::int64_t> mw; //!< power, milli-W
};

//! The element index in force per dimension (kNone: that dimension is free at this moment).
using Active = std::array<int, kDimensions>;

class Rules {
public:
  explicit Rules(const domain::Tariff &tariff);

  bool needs_local_time() const { return local_; }
  Active active(const Moment &m) const;
  const std::vector<Rule> &rules() const { return rules_; }
  //! Distinct minutes of the day at which a time-of-day rule starts or ends, and midnight.
  const std::vector<int> &clock_minutes() const { return minutes_; }
  //! Distinct energy thresholds (mWh) and durations (s) at which a rule starts or stops.
  const std::vector<std::int64_t> &energy_marks() const { return mwh_; }
  const std::vector<std::int64_t> &duration_marks() const { return seconds_; }

private:
  bool matches(const Rule &r, const Moment &m) const;
  std::vector<Rule> rules_;
  std::vector<int> minutes_;
  std::vector<std::int64_t> mwh_;
  std::vector<std::int64_t> seconds_;
  bool local_ = false;
};

//! Local civil time of UTC instants in one zone; cheap when the UTC offset is the same at both
//! ends of a stretch (no daylight-saving change inside it).
struct LocalReading {
  int minute_of_day = 0;
  int day = 0; //!< days since 1970-01-01, local
  int weekday = 1;
};
LocalReading read_local(core::Timestamp t, std::chrono::seconds offset);

//! Every instant in (from, to) at which a local-time rule may switch: the listed minutes of
//! each local day, and any change of the UTC offset. Appended to `out`, unsorted.
void local_switches(const core::TimeZone &zone, core::Timestamp from, core::Timestamp to,
                    const std::vector<int> &minutes, std::vector<core::Timestamp> &out);

} // namespace gridlane::pricing::detail
