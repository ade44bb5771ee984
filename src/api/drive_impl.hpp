#pragma once
// Private to the driver portal's API files (drive.cpp, drive_sessions.cpp): shared JSON and the
// driver's authentication.
#include "gridlane/services/driver_service.hpp"
#include "impl.hpp"

namespace gridlane::api {

//! A published location as the portal shows it: id, name, address, city, postal code, country,
//! time zone, coordinates (decimal strings as stored).
json::object drive_location_json(const domain::Location &l);
//! An EVSE as the portal shows it: uid, eMI3 id, station, OCPP evse id, status, connectors, tariff.
json::object drive_evse_json(const services::ChargerEvse &e);
//! An EVSE uid from a path (NotFound) or a body member `field` (Invalid).
domain::Result<domain::EvseUid> evse_uid_of(std::string_view text, std::optional<std::string> field);
//! Resolves the request's driver token (gld_...; nothing else is a driver credential) and runs
//! `then` with the driver, or answers 401.
void with_driver(const CtxPtr &c, std::function<void(const domain::DriverLogin &)> then);

} // namespace gridlane::api
