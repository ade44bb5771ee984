#pragma once
//! The per-station OCPP trace switch: while a station's trace is on, every frame in and out of
//! it is logged. Off by default; an operator turns it on and off through the API.
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

class StationTrace {
public:
  virtual ~StationTrace() = default;
  //! Turns the station's trace on or off. Any thread.
  virtual void set_traced(const StationId &station, bool on) = 0;
  //! Whether the station's frames are logged. Any thread; cheap while no station is traced.
  virtual bool traced(const StationId &station) const = 0;
};

} // namespace gridlane::domain
