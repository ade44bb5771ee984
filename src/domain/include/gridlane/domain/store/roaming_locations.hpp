#pragma once
//! What the OCPI Locations and Tariffs Sender read (docs/ocpi.md, "Locations"): a location with
//! its EVSEs and the current connector statuses of its stations in one value, the published
//! locations changed in a period (a Location's last_updated is the latest of its own, its EVSEs'
//! and their connectors' change times, mod_locations "GET List"), paged by the database; and
//! the journal of operator changes (migration 0024's triggers) that the push reads.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/location.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! A location as OCPI shows it: its EVSEs (of all its stations, by uid, with their connectors)
//! and the current status reports of those stations.
struct LocationSnapshot {
  Location location;
  std::vector<Evse> evses;
  std::vector<StatusReport> statuses;
  Timestamp last_updated; //!< the latest change of the location, an EVSE or a connector
};

struct RoamingLocationFilter {
  std::optional<Timestamp> updated_from; //!< last_updated at or after (OCPI date_from)
  std::optional<Timestamp> updated_to;   //!< last_updated before (OCPI date_to)
  std::size_t limit = 100;
  std::size_t offset = 0;
};

//! One recorded change of the physical model or a tariff, written by triggers in the same
//! transaction as the change itself (so every writer is seen: the API, the CLI, a station's report).
struct RoamingChange {
  enum class Kind {
    Location,   //!< the location's own fields, or which stations it holds
    Evse,       //!< an EVSE's own fields or its connectors (not its status)
    EvseStatus, //!< an EVSE's status, or a report of one of its connectors
    EvseGone,   //!< an EVSE was deleted
    Tariff,     //!< a tariff was created or replaced
    TariffGone,
  };
  std::int64_t seq = 0;
  Kind kind = Kind::Location;
  std::optional<LocationId> location;
  std::optional<EvseUid> evse;
  bool was_published = false; //!< Location: it was published before this change
  std::string tariff_id;
  std::optional<std::string> tariff_country_code, tariff_party_id; //!< TariffGone: whose tariff it was
  Timestamp at;
};

class RoamingLocationStore {
public:
  virtual ~RoamingLocationStore() = default;

  //! Published locations whose last_updated is in the filter's period, ordered by id.
  virtual std::vector<LocationSnapshot> published_locations(const RoamingLocationFilter &f) = 0;
  virtual std::int64_t count_published_locations(const RoamingLocationFilter &f) = 0;
  //! One location (published or not: the caller judges), with its EVSEs and statuses.
  virtual std::optional<LocationSnapshot> location_snapshot(const LocationId &id) = 0;
  //! The location a station belongs to, if any.
  virtual std::optional<LocationId> station_location(const StationId &station) = 0;

  //! The oldest recorded changes, at most `max`.
  virtual std::vector<RoamingChange> roaming_changes(std::size_t max) = 0;
  //! Forgets the changes up to and including `seq`.
  virtual void forget_roaming_changes(std::int64_t up_to_seq) = 0;
};

} // namespace gridlane::domain
