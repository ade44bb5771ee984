#pragma once
//! The OCPI 2.2.1 Location, EVSE and Connector objects (mod_locations) Gridlane sends, made from
//! the domain's physical model. Only what OCPI can carry whole is sent: a connector needs its
//! standard, format, power type, voltage and amperage (a connector a station reported but no
//! operator described is left out), an EVSE needs one such connector, a location needs the
//! address, city, country, coordinates and time zone (which publishing already demands).
//! The EVSE status combines its connectors' current reports (the busiest wins) with a
//! station-wide report (evse 0) and the operator's REMOVED/PLANNED.
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "gridlane/domain/location.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/roaming.hpp"
#include "gridlane/domain/store/roaming_locations.hpp"

namespace gridlane::ocpi {

//! The OCPI status of an EVSE from the current status reports of its station.
domain::EvseStatus evse_status(const domain::Evse &e, const std::vector<domain::StatusReport> &statuses);

//! Whether OCPI can carry the connector (every required field known).
bool publishable(const domain::Connector &c);
//! Whether OCPI can carry the EVSE (at least one publishable connector).
bool publishable(const domain::Evse &e);
//! Whether OCPI can carry the location (its required fields known); `publish` is not judged.
bool publishable(const domain::Location &l);

//! The OCPI Connector; nullopt when not publishable.
std::optional<boost::json::object> connector_json(const domain::Connector &c);
//! The OCPI EVSE with its publishable connectors; nullopt when not publishable.
std::optional<boost::json::object> evse_json(const domain::Evse &e, const std::vector<domain::StatusReport> &statuses);
//! The OCPI Location of `self` (Gridlane's party) with its publishable EVSEs; nullopt when the
//! location is not publishable.
std::optional<boost::json::object> location_json(const domain::LocationSnapshot &l, const domain::PartyId &self);

//! The body of a status PATCH: {"status": ..., "last_updated": ...}.
boost::json::object status_patch_json(domain::EvseStatus status, core::Timestamp last_updated);

//! An EVSE's last_updated: the latest of its own and its connectors' change times.
core::Timestamp evse_last_updated(const domain::Evse &e);

} // namespace gridlane::ocpi
