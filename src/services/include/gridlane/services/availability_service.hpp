#pragma once
//! Availability and uptime's rules (docs/operations.md "Availability and uptime"), shared by the
//! API and anything else that asks: each EVSE's timeline and outages recorded from the bus, the
//! operator's classification of an outage as excluded, and the NEVI uptime of ports, stations
//! and locations over a period (domain::port_uptime). The record_* and query functions run inside
//! a unit of work; AvailabilityRecorder submits them for each event.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/availability.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

// ---- the timeline, from events (inside a unit of work) ------------------------------------------

//! A StatusNotification: the EVSE's state from its connectors' statuses, unless its station
//! counts as offline (only StationOnline ends that).
void record_status(domain::Repository &r, const domain::StatusChanged &e);
//! Every port of the station goes offline from e.at (an outage opens where one was up).
void record_offline(domain::Repository &r, const domain::StationOffline &e);
//! Every port of the station takes its connectors' state again from e.at.
void record_online(domain::Repository &r, const domain::StationOnline &e);

//! Subscribes to the bus and records each event above in a unit of its own (in order: one store
//! thread). Failures are logged.
class AvailabilityRecorder {
public:
  AvailabilityRecorder(domain::StoreExecutor &store, domain::EventBus &bus);
  ~AvailabilityRecorder();
  AvailabilityRecorder(const AvailabilityRecorder &) = delete;
  AvailabilityRecorder &operator=(const AvailabilityRecorder &) = delete;

private:
  domain::StoreExecutor &store_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

// ---- classification ------------------------------------------------------------------------------

//! PATCH /outages/{id}: excluded with a reason and a justification, or counted again.
struct ExclusionRequest {
  bool excluded = false;
  std::optional<domain::ExclusionReason> reason;
  std::string justification;
};
constexpr std::size_t max_justification = 2000;

//! Classifies an outage (404 when unknown; an exclusion needs a reason and a justification of
//! 1 to 2000 characters), writes an audit entry naming the reason, and answers the outage.
domain::Result<domain::Outage> classify_outage(domain::Repository &r, std::int64_t id, const ExclusionRequest &req,
                                               const std::string &actor, domain::Timestamp now);

// ---- uptime ------------------------------------------------------------------------------------

//! Whose uptime: one station (optionally one of its EVSEs), one location, or every port.
struct UptimeScope {
  std::optional<domain::StationId> station;
  std::optional<int> evse_id; //!< with `station`
  std::optional<domain::LocationId> location;
};

//! Over which period: a calendar month in each port's location zone (UTC without a location or
//! zone), or fixed instants.
struct UptimePeriod {
  std::optional<int> year;
  std::optional<int> month;
  std::optional<domain::Timestamp> from;
  std::optional<domain::Timestamp> to;
};

struct PortUptime {
  domain::Port port;
  std::string zone; //!< the zone the period was cut in
  domain::Period period;
  domain::Uptime uptime;
};

struct UptimeReport {
  std::vector<PortUptime> ports;
  domain::Uptime total;
};

//! The uptime of every port in scope over the period, counted up to `now`, and their sum.
//! 404 for an unknown station or location; 422 for a period that is not one.
domain::Result<UptimeReport> uptime_report(domain::Repository &r, const UptimeScope &scope, const UptimePeriod &period,
                                           domain::Timestamp now);

} // namespace gridlane::services
