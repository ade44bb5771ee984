#pragma once
//! Per-station compatibility settings as the protocol layer sees them: looked up where a message
//! fails its schema (never on the happy path), and every use of one recorded.
#include <string>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

class CompatDirectory {
public:
  virtual ~CompatDirectory() = default;
  //! The station's settings now. Any thread; does not block on the store.
  virtual StationCompat settings(const StationId &station) const = 0;
  //! Keeps one use of a setting as an anomaly of the station (kind: the setting's name). Any thread.
  virtual void record_use(const StationId &station, std::string kind, std::string detail) = 0;
};

} // namespace gridlane::domain
