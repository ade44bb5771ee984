#pragma once
//! The stations whose OCPP frames are logged, kept in memory while the server runs: a trace
//! survives the station's reconnects, not a restart.
#include <atomic>
#include <mutex>
#include <unordered_set>

#include "gridlane/domain/trace.hpp"

namespace gridlane::ocpp {

class TraceSet final : public domain::StationTrace {
public:
  void set_traced(const core::StationId &station, bool on) override;
  bool traced(const core::StationId &station) const override;

  //! The longest frame text a trace line shows; longer frames are cut and marked.
  static constexpr std::size_t max_text = 4096;

private:
  mutable std::mutex mutex_;
  std::unordered_set<core::StationId> stations_;
  std::atomic<std::size_t> count_{0}; //!< read without the lock: no station traced, no lock taken
};

} // namespace gridlane::ocpp
