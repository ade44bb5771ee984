#pragma once
//! Availability and uptime (migration 0026, docs/operations.md "Availability and uptime"): each
//! EVSE's timeline of states and its outages, with the operator's exclusions.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "gridlane/domain/availability.hpp"
#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/location.hpp"

namespace gridlane::domain {

//! Which outages to list: each set filter must match. `from`/`to` keep the outages that overlap
//! [from, to).
struct OutageFilter {
  std::optional<StationId> station;
  std::optional<LocationId> location;
  std::optional<int> evse_id;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  std::optional<bool> excluded;
  std::optional<bool> open; //!< true: still going on; false: ended
};

//! A charging port as the uptime reports know it: its station, OCPP EVSE id and location.
struct Port {
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  std::optional<LocationId> location;
};

class AvailabilityStore {
public:
  virtual ~AvailabilityStore() = default;
  //! Every EVSE's current state (the open row of its timeline) of a station.
  virtual std::vector<EvseStateSpan> current_evse_states(const StationId &station) = 0;
  //! Ends the EVSE's current row at `at` (if any) and opens one of `state` from `at`.
  virtual void set_evse_state(const StationId &station, int evse_id, EvseState state, Timestamp at) = 0;
  //! The EVSE's rows that overlap [from, to), oldest first.
  virtual std::vector<EvseStateSpan> evse_timeline(const StationId &station, int evse_id, Timestamp from,
                                                   Timestamp to) = 0;

  //! Opens an outage (its id is answered); at most one is open per EVSE.
  virtual std::int64_t insert_outage(const Outage &o) = 0;
  virtual std::optional<Outage> open_outage(const StationId &station, int evse_id) = 0;
  virtual void end_outage(std::int64_t id, Timestamp at) = 0;
  virtual std::optional<Outage> outage(std::int64_t id) = 0;
  //! Newest first.
  virtual Paged<Outage> list_outages(const OutageFilter &f, PageRequest page) = 0;
  virtual void set_outage_exclusion(std::int64_t id, const std::optional<OutageExclusion> &exclusion) = 0;
  //! The outages overlapping [from, to) of these ports' stations, by station and EVSE.
  virtual std::vector<Outage> outages_of(const std::vector<StationId> &stations, Timestamp from, Timestamp to) = 0;
  //! The outages still open whose cause is Offline (what the availability watch resumes after a restart).
  virtual std::vector<Outage> open_offline_outages() = 0;

  //! The ports of these stations (every station when `stations` is empty): the EVSEs with a
  //! reported connector status or a timeline (EVSE 0, a 1.6 station as a whole, is none).
  virtual std::vector<Port> ports(const std::vector<StationId> &stations) = 0;
};

} // namespace gridlane::domain
