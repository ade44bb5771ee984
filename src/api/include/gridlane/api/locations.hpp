#pragma once
//! The physical model as the JSON the operator API and `gridlane admin location` read and
//! print (docs/locations.md): OCPI 2.2.1 names and enum texts; a connector's max_amperage in
//! amperes (up to three decimals), max_voltage in volts, max_electric_power in watts.
#include <boost/json/object.hpp>
#include <vector>

#include "gridlane/domain/location.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::api {

boost::json::object location_json(const domain::Location &l);
boost::json::object evse_json(const domain::Evse &e);
boost::json::object connector_json(const domain::Connector &c);

//! Applies the fields present in `body` to `l` (null clears an optional field): the body of a
//! create (on an empty Location) and of a PATCH. `id` is read only when `with_id`.
domain::Result<void> apply_location_fields(const boost::json::object &body, domain::Location &l, bool with_id);
//! Applies the fields present in `body` to `e`; `status_given` tells whether it set the status.
domain::Result<void> apply_evse_fields(const boost::json::object &body, domain::Evse &e, bool &status_given);
//! A connector described by `body` (every field but its id, which is `connector_id`).
domain::Result<domain::Connector> connector_from_json(const boost::json::object &body, int connector_id);

} // namespace gridlane::api
