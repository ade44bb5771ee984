#pragma once
//! Which tariff applies where (migration 0012): assignments of a tariff to a location, an EVSE,
//! a connector or to every session (the default), each optionally for one customer group; the
//! tariff resolved for a transaction when it started, kept as a snapshot of its OCPI JSON so
//! that editing the tariff later never changes a past price; and the status changes of a
//! session's connector, which the pricing reads. Used inside one unit of work; the rules
//! (precedence, validation) are services::TariffAssignmentService's.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/location.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! What an assignment covers, narrowest last: a connector beats its EVSE, an EVSE its location,
//! a location the default.
enum class AssignmentScope { Default, Location, Evse, Connector };

struct TariffAssignment {
  std::int64_t id = 0;
  std::string tariff_id;
  AssignmentScope scope = AssignmentScope::Default;
  std::optional<LocationId> location; //!< Location scope
  std::optional<StationId> station;   //!< Evse and Connector scopes
  std::optional<int> evse_id;         //!< Evse and Connector scopes: the OCPP evse id
  std::optional<int> connector_id;    //!< Connector scope
  //! Only for sessions of this customer group (a token's group id, a billing plan's group).
  std::optional<std::string> customer_group;
  Timestamp created_at;
};

struct TariffAssignmentFilter {
  std::optional<std::string> tariff_id;
  std::optional<LocationId> location;
  std::optional<StationId> station;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

//! The tariff a transaction is priced with, as it was when the session started.
struct TariffSnapshot {
  std::int64_t transaction_id = 0;
  std::string tariff_id;
  std::optional<std::int64_t> assignment_id; //!< the assignment that selected it
  std::optional<std::string> customer_group; //!< the group it was selected for, if any
  std::string tariff_json;                   //!< OCPI 2.2.1 Tariff object, as the codec writes it
  Timestamp resolved_at;
};

//! What put_tariff_assignment did: the id, and whether it is a new row (else the assignment of
//! the same target and group was replaced).
struct StoredAssignment {
  std::int64_t id = 0;
  bool inserted = false;
};

class TariffAssignmentStore {
public:
  virtual ~TariffAssignmentStore() = default;

  //! Creates the assignment, or replaces the tariff of the one with the same target and group.
  virtual StoredAssignment put_tariff_assignment(const TariffAssignment &a) = 0;
  virtual std::optional<TariffAssignment> tariff_assignment(std::int64_t id) = 0;
  //! Ordered by id; filtered and paged by the database.
  virtual std::vector<TariffAssignment> tariff_assignments(const TariffAssignmentFilter &f) = 0;
  virtual std::int64_t count_tariff_assignments(const TariffAssignmentFilter &f) = 0;
  virtual bool delete_tariff_assignment(std::int64_t id) = 0;
  //! Every assignment that could apply to a session on (station, evse, connector) at `location`:
  //! the default, the location's, the EVSE's and the connector's, for any group.
  virtual std::vector<TariffAssignment> tariff_assignments_for(const std::optional<LocationId> &location,
                                                               const StationId &station, int evse_id,
                                                               int connector_id) = 0;

  //! Stores the transaction's snapshot, replacing an earlier one (a 2.x session whose driver
  //! identified after it started is resolved again, once, for that driver's group).
  virtual void put_tariff_snapshot(const TariffSnapshot &s) = 0;
  virtual std::optional<TariffSnapshot> tariff_snapshot(std::int64_t transaction_id) = 0;

  //! The statuses a station reported for one connector with a time (station clock, else the
  //! server's) in [from, to], in the order received. 1.6 numbers the connector as evse_id.
  virtual std::vector<StatusReport> connector_statuses_between(const StationId &station, int evse_id, int connector_id,
                                                               Timestamp from, Timestamp to) = 0;
};

} // namespace gridlane::domain
