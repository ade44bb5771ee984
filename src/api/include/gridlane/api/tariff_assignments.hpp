#pragma once
//! A tariff assignment as the JSON the operator API and `gridlane admin tariff assign` read and
//! print (docs/tariff-assignments.md).
#include <boost/json/object.hpp>

#include "gridlane/domain/result.hpp"
#include "gridlane/domain/store/tariff_assignments.hpp"

namespace gridlane::api {

boost::json::object tariff_assignment_json(const domain::TariffAssignment &a);
//! The body of POST /tariff-assignments: tariff_id, scope (default, location, evse, connector),
//! location_id, station_id, evse_id, connector_id, customer_group; any other member is refused.
domain::Result<domain::TariffAssignment> tariff_assignment_from_json(const boost::json::object &body);

} // namespace gridlane::api
