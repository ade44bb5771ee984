#pragma once
//! Energy management's configuration and live picture as the JSON the operator API and
//! `gridlane admin energy` read and print (docs/api.md, "Energy management"). Currents are in
//! amperes (`..._a`), powers in kilowatts (`..._kw`), energies in kilowatt-hours (`..._kwh`),
//! each a JSON number (or decimal text) with at most three decimals, i.e. exactly mA, W and Wh;
//! prices are decimals of at most six places; times RFC 3339. A member a body does not know is
//! refused, with its name as the problem's field.
#include <boost/json/object.hpp>
#include <cstdint>
#include <vector>

#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::api {

boost::json::object grid_json(const domain::GridConnection &g);
boost::json::object circuit_json(const domain::Circuit &c);
boost::json::object attachment_json(const domain::EvseAttachment &a);
boost::json::object series_point_json(const domain::SeriesPoint &p);
boost::json::object price_json(const domain::PricePoint &p);
boost::json::object demand_response_json(const domain::DemandResponseEvent &e);
boost::json::object priority_json(const domain::GroupPriority &p);
boost::json::object departure_json(const domain::DepartureNeed &n);
boost::json::object picture_json(const domain::EnergyPicture &p);

//! The body of PUT .../energy/grid: the connection of `location`.
domain::Result<domain::GridConnection> grid_from_json(const boost::json::object &body,
                                                      const domain::LocationId &location);
//! The body of PUT .../energy/circuits/{cid} (an `id` member, if any, must be `id`).
domain::Result<domain::Circuit> circuit_from_json(const boost::json::object &body, const domain::LocationId &location,
                                                  const std::string &id);
domain::Result<domain::EvseAttachment> attachment_from_json(const boost::json::object &body,
                                                            const domain::StationId &station, int evse_id);
//! {"points": [{"at", "power_kw", "forecast"?}, ...]}
domain::Result<std::vector<domain::SeriesPoint>> series_from_json(const boost::json::object &body);
//! {"currency": "EUR", "points": [{"from", "per_kwh"}, ...]}
domain::Result<std::vector<domain::PricePoint>> prices_from_json(const boost::json::object &body);
//! {"from", "to", "max_power_kw", "source"?}
domain::Result<domain::DemandResponseEvent> demand_response_from_json(const boost::json::object &body,
                                                                      const domain::LocationId &location);
//! {"priority": 1..10}
domain::Result<domain::GroupPriority> priority_from_json(const boost::json::object &body, const std::string &group);
//! {"departure"?, "energy_kwh"?, "battery_capacity_kwh"?, "state_of_charge"?}
domain::Result<domain::DepartureNeed> departure_from_json(const boost::json::object &body, std::int64_t transaction_id);

} // namespace gridlane::api
