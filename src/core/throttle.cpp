#include "gridlane/core/throttle.hpp"

namespace gridlane::core {

std::chrono::seconds FailureThrottle::locked_for(std::string_view key) const {
  auto now = clock_.now();
  std::lock_guard lock{mutex_};
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.locked_until <= now) return std::chrono::seconds{0};
  return std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now);
}

bool FailureThrottle::fail(std::string_view key) {
  if (limits_.max_failures <= 0) return false; // throttling switched off
  auto now = clock_.now();
  std::lock_guard lock{mutex_};
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    if (entries_.size() >= limits_.max_keys) prune(now);
    if (entries_.size() >= limits_.max_keys) return false;
    it = entries_.emplace(std::string(key), Entry{now, 0, {}}).first;
  }
  auto &e = it->second;
  if (e.locked_until > now) return false;
  if (now - e.window_start >= limits_.window) {
    e.window_start = now;
    e.failures = 0;
  }
  if (++e.failures < limits_.max_failures) return false;
  e.failures = 0;
  e.window_start = now;
  e.locked_until = now + limits_.lockout;
  return true;
}

void FailureThrottle::succeed(std::string_view key) {
  std::lock_guard lock{mutex_};
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  if (it->second.locked_until > clock_.now()) return;
  entries_.erase(it);
}

std::size_t FailureThrottle::tracked() const {
  std::lock_guard lock{mutex_};
  return entries_.size();
}

void FailureThrottle::prune(Timestamp now) {
  std::erase_if(entries_, [&](const auto &item) {
    const auto &e = item.second;
    return e.locked_until <= now && now - e.window_start >= limits_.window;
  });
}

} // namespace gridlane::core
