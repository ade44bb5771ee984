#pragma once
//! How the energy manager reads a site from the store (one unit of work): the tree, the DR
//! events ahead, each attached EVSE's hardware limits from its connectors, and the running
//! sessions with their priority and departure need. Private to src/services.
#include <optional>

#include "energy_site.hpp"
#include "gridlane/domain/repository.hpp"

namespace gridlane::services::energy_site {

//! The site of `location` as stored; nullopt when it has no grid connection.
std::optional<Site> load_site(domain::Repository &r, const domain::LocationId &location, domain::Timestamp now,
                              std::chrono::seconds horizon);
//! A session of transaction `t` (its priority from its customer groups, its departure need).
Session load_session(domain::Repository &r, const domain::Transaction &t);

} // namespace gridlane::services::energy_site
