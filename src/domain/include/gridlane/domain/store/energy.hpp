#pragma once
//! Storage of energy management (migration 0017, docs/energy.md): each location's grid
//! connection, circuits and EVSE attachments, its time series (building load, PV, battery, site
//! meter), time-of-use prices, demand-response events, the priorities of customer groups and
//! the departure needs of sessions. Used inside one unit of work; the rules (a circuit's parent
//! exists and makes no cycle, limits in range, ...) are services::EnergyConfigService's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/energy.hpp"

namespace gridlane::domain {

class EnergyStore {
public:
  virtual ~EnergyStore() = default;

  // ---- the tree -------------------------------------------------------------------------------
  virtual std::optional<GridConnection> grid_connection(const LocationId &location) = 0;
  //! Every location that has a grid connection (the energy manager's sites).
  virtual std::vector<GridConnection> grid_connections() = 0;
  //! Inserts or replaces; true when new.
  virtual bool put_grid_connection(const GridConnection &g) = 0;
  //! Removes the connection, its circuits and its attachments; false when there was none.
  virtual bool delete_grid_connection(const LocationId &location) = 0;

  virtual std::vector<Circuit> circuits(const LocationId &location) = 0;
  virtual bool put_circuit(const Circuit &c) = 0; //!< true when new
  virtual bool delete_circuit(const LocationId &location, std::string_view id) = 0;

  virtual std::vector<EvseAttachment> attachments(const LocationId &location) = 0;
  virtual std::optional<EvseAttachment> attachment(const StationId &station, int evse_id) = 0;
  virtual bool put_attachment(const LocationId &location, const EvseAttachment &a) = 0; //!< true when new
  virtual bool delete_attachment(const StationId &station, int evse_id) = 0;

  //! The whole tree of a location (nullopt without a grid connection).
  virtual std::optional<ElectricalTree> tree(const LocationId &location) = 0;

  // ---- inputs ---------------------------------------------------------------------------------
  //! Points of one series in [from, to), ordered by time; the point in force at `from` (the
  //! last one before it) comes first when there is one.
  virtual std::vector<SeriesPoint> series(const LocationId &location, SeriesKind kind, Timestamp from,
                                          Timestamp to) = 0;
  //! Inserts the points, replacing those at the same times.
  virtual void put_series(const LocationId &location, SeriesKind kind, const std::vector<SeriesPoint> &points) = 0;
  //! Removes the points before `before` (retention).
  virtual std::int64_t prune_series(const LocationId &location, Timestamp before) = 0;

  //! Prices in force in [from, to): like series().
  virtual std::vector<PricePoint> prices(const LocationId &location, Timestamp from, Timestamp to) = 0;
  virtual void put_prices(const LocationId &location, const std::vector<PricePoint> &points) = 0;
  virtual std::int64_t delete_prices(const LocationId &location, Timestamp from, Timestamp to) = 0;

  //! Events of a location that overlap [from, to), by start time.
  virtual std::vector<DemandResponseEvent> demand_response(const LocationId &location, Timestamp from,
                                                           Timestamp to) = 0;
  virtual std::optional<DemandResponseEvent> demand_response_event(std::int64_t id) = 0;
  //! Stores a new event; returns its id.
  virtual std::int64_t add_demand_response(const DemandResponseEvent &e) = 0;
  virtual bool delete_demand_response(std::int64_t id) = 0;

  virtual std::vector<GroupPriority> group_priorities() = 0;
  virtual bool put_group_priority(const GroupPriority &p) = 0; //!< true when new
  virtual bool delete_group_priority(std::string_view customer_group) = 0;

  virtual std::optional<DepartureNeed> departure_need(std::int64_t transaction_id) = 0;
  //! The needs of the given transactions (those that have one).
  virtual std::vector<DepartureNeed> departure_needs(const std::vector<std::int64_t> &transaction_ids) = 0;
  virtual void put_departure_need(const DepartureNeed &n) = 0; //!< inserts or replaces
};

} // namespace gridlane::domain
