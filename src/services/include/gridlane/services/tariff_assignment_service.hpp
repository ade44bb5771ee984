#pragma once
//! Which tariff applies to a session (docs/tariff-assignments.md). An operator
//! assigns a tariff to a connector, an EVSE, a location or to every session (the default), each
//! optionally only for one customer group. When a session starts, the narrowest assignment wins
//! (connector > EVSE > location > default); at the same scope, an assignment for one of the
//! session's customer groups beats the general one. The tariff found is copied into a snapshot
//! kept with the transaction, inside the unit of work that stores the start, so that editing
//! the tariff later never changes the price of a session already started.
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/tariff.hpp"
#include "gridlane/services/location_service.hpp"

namespace gridlane::services {

//! Where and for whom a session runs: what resolution needs to know.
struct SessionTarget {
  domain::StationId station = domain::StationId::unchecked("");
  int evse_id = 0;
  int connector_id = 0;
  std::optional<domain::LocationId> location;
  //! The session's customer groups, the one to prefer first (a billing plan's, then the token's).
  std::vector<std::string> customer_groups;
};

//! The candidate assignments in the order resolution tries them: narrowest scope first; within
//! a scope, those for one of `target`'s groups (in the order of the groups) before the general
//! one. Assignments for a group the session is not in, or for another target, are left out.
std::vector<domain::TariffAssignment> rank_assignments(const std::vector<domain::TariffAssignment> &candidates,
                                                       const SessionTarget &target);

//! The customer groups of a session's token: the group of its account's billing plan, then the
//! token's group (its parent id), without repeats.
std::vector<std::string> customer_groups_of(domain::Repository &r, const std::string &id_tag);

//! The target of a stored transaction: its station, EVSE, connector, the station's location,
//! and the customer groups of its token.
SessionTarget session_target(domain::Repository &r, const domain::Transaction &t);

//! What resolution chose for a session, before it is stored.
struct Resolved {
  domain::TariffSnapshot snapshot;
  domain::Tariff tariff;
};

class TariffAssignmentService {
public:
  //! Assigns `draft.tariff_id` to the draft's target: creates the assignment, or replaces the
  //! tariff of the one for the same target and group (`created` false). Invalid (the field
  //! named) for an unknown tariff, location or station, or an id out of range.
  domain::Result<Saved<domain::TariffAssignment>> assign(domain::Repository &r, domain::TariffAssignment draft,
                                                         domain::Timestamp now) const;
  domain::Result<domain::TariffAssignment> assignment(domain::Repository &r, std::int64_t id) const;
  std::vector<domain::TariffAssignment> assignments(domain::Repository &r,
                                                    const domain::TariffAssignmentFilter &f) const;
  domain::Result<void> unassign(domain::Repository &r, std::int64_t id) const;

  //! The tariff a session at `target` starting at `at` gets: the first ranked assignment whose
  //! tariff exists and is valid at `at` (its start_date_time/end_date_time); nullopt if none.
  std::optional<Resolved> resolve(domain::Repository &r, const SessionTarget &target, domain::Timestamp at) const;
};

//! The hook of TransactionService, inside the unit of work that stores a start: resolves the
//! tariff of transaction `t` (already stored, its id set) and stores its snapshot. No tariff
//! applies: nothing is stored (the session is not priced).
void snapshot_tariff(domain::Repository &r, const domain::Transaction &t, domain::Timestamp now);
//! The hook for a 2.x session whose driver identified after it started (plug in, then badge):
//! when the driver's token has customer groups, the tariff is resolved again for them (the
//! snapshot replaced); otherwise the snapshot taken at the start stays.
void tariff_driver_identified(domain::Repository &r, const domain::Transaction &t, domain::Timestamp now);

} // namespace gridlane::services
