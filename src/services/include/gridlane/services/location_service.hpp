#pragma once
//! The rules of the physical model (docs/locations.md): creating, changing and deleting
//! locations, a station's EVSEs and their connectors, and what a station's reports add to it.
//! Each operation is a function of the repository (inside one unit of work) and `now`, so the
//! API and `gridlane admin location` apply the same rules. Refusals are values (Result).
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

//! Something created or replaced, and whether it is new (HTTP 201 rather than 200).
template <class T> struct Saved {
  T value;
  bool created = false;
};

//! How an EVSE description is written (put_evse).
struct EvseWrite {
  bool status_given = false;       //!< else an existing EVSE keeps its status
  bool must_be_new = false;        //!< Conflict when the station's EVSE is already known
  bool replace_connectors = false; //!< connectors not in the draft are deleted (else they stay)
};

//! Whether `zone` names a zone of the IANA tz database (core::is_valid_zone), e.g. "Europe/Oslo".
bool tzdata_zone_exists(std::string_view zone);

//! The OCPI EVSE status a connector status stands for (Charging for every in-use state).
domain::EvseStatus evse_status_of(domain::ConnectorStatus s);

class LocationService {
public:
  using ZoneCheck = std::function<bool(std::string_view)>;
  explicit LocationService(ZoneCheck zones = tzdata_zone_exists) : zones_(std::move(zones)) {}

  // ---- locations
  //! A draft with an empty id gets 16 random hex digits as its id.
  domain::Result<domain::Location> create_location(domain::Repository &r, domain::Location draft,
                                                   domain::Timestamp now) const;
  //! Replaces every descriptive field of the location `changed.id` (created_at is kept).
  domain::Result<domain::Location> update_location(domain::Repository &r, domain::Location changed,
                                                   domain::Timestamp now) const;
  domain::Result<domain::Location> location(domain::Repository &r, const domain::LocationId &id) const;
  std::vector<domain::Location> locations(domain::Repository &r, const domain::LocationFilter &f) const;
  //! Conflict while stations still belong to it.
  domain::Result<void> delete_location(domain::Repository &r, const domain::LocationId &id) const;
  //! Puts a station at a location (nullopt: at none); its `site` becomes the location's name.
  domain::Result<domain::Station> assign_station(domain::Repository &r, const domain::StationId &station,
                                                 const std::optional<domain::LocationId> &location) const;

  // ---- a station's EVSEs and connectors (the station need only exist in Gridlane)
  domain::Result<std::vector<domain::Evse>> evses(domain::Repository &r, const domain::StationId &station) const;
  domain::Result<domain::Evse> evse(domain::Repository &r, const domain::StationId &station, int evse_id) const;
  domain::Result<domain::Evse> evse(domain::Repository &r, domain::EvseUid uid) const;
  //! Describes EVSE `draft.evse_id` of `draft.station`: creates it, or replaces its own fields
  //! (eMI3 id, capabilities, floor level, physical reference; status when `how.status_given`).
  //! The draft's connectors are put too.
  domain::Result<Saved<domain::Evse>> put_evse(domain::Repository &r, domain::Evse draft, EvseWrite how,
                                               domain::Timestamp now) const;
  domain::Result<void> delete_evse(domain::Repository &r, const domain::StationId &station, int evse_id) const;
  //! Creates or replaces a connector of an EVSE that exists.
  domain::Result<Saved<domain::Evse>> put_connector(domain::Repository &r, const domain::StationId &station,
                                                    int evse_id, domain::Connector c, domain::Timestamp now) const;
  domain::Result<void> delete_connector(domain::Repository &r, const domain::StationId &station, int evse_id,
                                        int connector_id) const;

private:
  domain::Result<void> check(const domain::Location &l) const;
  ZoneCheck zones_;
};

//! The station reported (evse_id, connector_id) as its protocol numbers them (1.6: both the
//! connector id). Afterwards the EVSE and connector exist in the model (created, marked
//! `reported`, when Gridlane did not know them) and the EVSE's status follows `status`.
//! Called from the status path inside its unit of work; evse_id 0 (the whole station) adds nothing.
void observe_connector(domain::Repository &r, const domain::StationId &station, domain::ProtocolVersion protocol,
                       int evse_id, int connector_id, std::optional<domain::ConnectorStatus> status,
                       domain::Timestamp now);

} // namespace gridlane::services
