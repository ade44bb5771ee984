#include "gridlane/ocpp/trace.hpp"

namespace gridlane::ocpp {

void TraceSet::set_traced(const core::StationId &station, bool on) {
  std::lock_guard lock{mutex_};
  if (on)
    stations_.insert(station);
  else
    stations_.erase(station);
  count_.store(stations_.size(), std::memory_order_release);
}

bool TraceSet::traced(const core::StationId &station) const {
  if (count_.load(std::memory_order_acquire) == 0) return false;
  std::lock_guard lock{mutex_};
  return stations_.count(station) != 0;
}

} // namespace gridlane::ocpp
