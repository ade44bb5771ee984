#pragma once
//! Storage of the physical model (migration 0008): locations, a station's location, its EVSEs
//! and their connectors. Used inside one unit of work; the rules are in
//! services::LocationService, not here.
#include <optional>
#include <vector>

#include "gridlane/domain/location.hpp"

namespace gridlane::domain {

class LocationStore {
public:
  virtual ~LocationStore() = default;

  virtual std::optional<Location> location(const LocationId &id) = 0;
  virtual std::optional<Location> location_by_name(std::string_view name) = 0;
  //! Ordered by name; filtered and paged by the database.
  virtual std::vector<Location> locations(const LocationFilter &f) = 0;
  virtual void insert_location(const Location &l) = 0;
  //! Writes every descriptive field; a changed name is also the new `site` of its stations.
  virtual void update_location(const Location &l) = 0;
  virtual bool delete_location(const LocationId &id) = 0;
  virtual std::size_t count_location_stations(const LocationId &id) = 0;
  //! The ids of the stations at a location, ordered.
  virtual std::vector<core::StationId> location_stations(const LocationId &id) = 0;
  //! Sets (or clears) a station's location; its `site` becomes the location's name.
  virtual void set_station_location(const core::StationId &station, const std::optional<LocationId> &location) = 0;

  //! A station's EVSEs by OCPP evse id, each with its connectors by connector id.
  virtual std::vector<Evse> evses(const core::StationId &station) = 0;
  virtual std::optional<Evse> evse(const core::StationId &station, int evse_id) = 0;
  virtual std::optional<Evse> evse_by_emi3(const Emi3EvseId &id) = 0;
  virtual std::optional<Evse> evse_by_uid(EvseUid uid) = 0;
  //! Inserts a new EVSE (its connectors too) and returns its uid; when the station's EVSE of
  //! that id exists already (another writer was first), puts the connectors on that one.
  virtual EvseUid insert_evse(const Evse &e) = 0;
  //! Writes the EVSE's own fields (not its connectors) by uid.
  virtual void update_evse(const Evse &e) = 0;
  virtual void set_evse_status(EvseUid uid, EvseStatus status, Timestamp at) = 0;
  //! Deletes the EVSE and its connectors.
  virtual bool delete_evse(EvseUid uid) = 0;
  //! Inserts or replaces the connector `c.connector_id` of the EVSE.
  virtual void put_connector(EvseUid evse, const Connector &c) = 0;
  virtual bool delete_connector(EvseUid evse, int connector_id) = 0;
};

} // namespace gridlane::domain
