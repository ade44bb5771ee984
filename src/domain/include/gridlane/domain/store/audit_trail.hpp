#pragma once
//! A station's audit trail: anomalies (what it sent that was wrong or odd) and station events.
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

class AuditTrailStore {
public:
  virtual ~AuditTrailStore() = default;

  virtual void record_anomaly(const Anomaly &a) = 0;
  virtual std::vector<Anomaly> anomalies(const StationId &station) = 0;
  //! Oldest first.
  virtual std::vector<Anomaly> anomalies(const StationId &station, std::size_t limit, std::size_t offset) = 0;
  virtual void record_event(const StationEvent &e) = 0;
  virtual std::vector<StationEvent> events(const StationId &station) = 0;
  //! Oldest first; only those of `kind` when given.
  virtual std::vector<StationEvent> events(const StationId &station, const std::optional<std::string> &kind,
                                           std::size_t limit, std::size_t offset) = 0;
};

} // namespace gridlane::domain
