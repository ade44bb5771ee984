#pragma once
//! Throttling of failed credential checks (API logins, station Basic auth): after too many
//! failures of one key (a user name, a station id, a client address) within a window, the key
//! is locked for a while. No I/O, the clock injected: tests drive it with a fake clock.
#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gridlane/core/time.hpp"

namespace gridlane::core {

struct ThrottleLimits {
  int max_failures = 10;            //!< failures within `window` that lock the key
  std::chrono::seconds window{60};  //!< counted from the first failure of a window
  std::chrono::seconds lockout{60}; //!< how long a locked key is refused
  std::size_t max_keys = 10000;     //!< keys tracked at most (memory bound; see fail())
};

//! Fixed-window failure counting per key. Thread-safe.
class FailureThrottle {
public:
  FailureThrottle(ThrottleLimits limits, const Clock &clock) : limits_(limits), clock_(clock) {}

  //! How much longer `key` is locked, rounded up to whole seconds; zero when it may try.
  std::chrono::seconds locked_for(std::string_view key) const;

  //! Records a failure of `key`. Returns true when this failure locked it. Failures while the
  //! key is locked are not counted (the caller refuses those attempts before checking them).
  //! With `max_keys` keys tracked and none expired, a new key is not tracked: an attacker who
  //! fills the table gains nothing, since the per-address key of the same attempt still counts.
  bool fail(std::string_view key);

  //! A success forgets the key's failures; a running lockout stays.
  void succeed(std::string_view key);

  std::size_t tracked() const;

private:
  struct Entry {
    Timestamp window_start{};
    int failures = 0;
    Timestamp locked_until{};
  };
  void prune(Timestamp now);

  ThrottleLimits limits_;
  const Clock &clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

//! A credential check throttled twice: by the name tried (user name, station id) and by the
//! client's address, each with its own limits (an address may be shared by many users).
class CredentialThrottle {
public:
  CredentialThrottle(ThrottleLimits per_name, ThrottleLimits per_address, const Clock &clock)
      : names_(per_name, clock), addresses_(per_address, clock) {}

  //! Zero when an attempt may be checked; otherwise how long the caller should wait.
  std::chrono::seconds locked_for(std::string_view name, std::string_view address) const {
    return std::max(names_.locked_for(name),
                    address.empty() ? std::chrono::seconds{0} : addresses_.locked_for(address));
  }
  //! Records a failed attempt; true when it locked the name or the address.
  bool fail(std::string_view name, std::string_view address) {
    bool locked = names_.fail(name);
    if (!address.empty() && addresses_.fail(address)) locked = true;
    return locked;
  }
  //! A successful attempt clears the name's failures (not the address's: one valid account
  //! must not reset the count of guesses against others from the same address).
  void succeed(std::string_view name) { names_.succeed(name); }

private:
  FailureThrottle names_;
  FailureThrottle addresses_;
};

} // namespace gridlane::core
