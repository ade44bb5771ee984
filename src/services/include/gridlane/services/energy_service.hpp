#pragma once
//! The energy manager at run time (docs/energy.md): keeps each site with a grid connection
//! within its limits, now and over the day ahead.
//!
//! It holds every site's live state in memory (the tree, the running sessions with what their
//! vehicles can take and were seen to draw, the inputs in force), fed by the event bus
//! (sessions starting, updating with per-phase meter values, ending; stations connecting) and
//! by reload() after an operator changed the configuration. On every event that matters it
//! runs energy::allocate for the site and sends each EVSE whose share changed by more than the
//! hysteresis (and not more often than the minimum interval, except to lower it) a
//! SetChargingProfile (TxProfile when the EVSE has a transaction, else TxDefaultProfile); at
//! boot each station gets a ChargingStationMaxProfile with its fail-safe share. Every
//! `replan_interval` (and when needs or forecasts change) it re-plans the horizon with
//! energy::schedule (model-predictive: the plan's first slot caps the allocation's site limit
//! and each vehicle's max). A station drawing more than it was given (its meter values) is
//! contained: the rest of its circuit is lowered at once by the excess, and EnergyAlert
//! published. Setpoints and alerts are published as domain events (energy.* on the stream).
//!
//! Thread-safe: OCPP adapters and the API call it from network threads; handlers run on the
//! store's thread and post to no one; sending goes through the StationGateway.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/charging_schedule_codec.hpp"
#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/command_service.hpp"

namespace gridlane::services {

//! [energy] in the configuration (docs/configuration.md).
struct EnergyOptions {
  bool enabled = true;
  //! A new share is sent only when it differs from the last one sent by at least this much
  //! (per phase), except a pause or a resume, which is always sent.
  core::Current hysteresis = core::amps(1);
  //! At most one raise per EVSE per this interval; a lower share is sent at once.
  std::chrono::milliseconds min_interval{10000};
  //! How often the horizon is re-planned (and at once when a need, price or forecast changes).
  std::chrono::seconds replan_interval{300};
  int horizon_slots = 96;
  std::chrono::seconds slot{900};
  //! A vehicle drawing less than its share for this long has its max lowered to what it draws
  //! (plus the hysteresis), freeing the rest for others.
  std::chrono::seconds underdraw_after{60};
  //! Draw above the share by more than this is an overdraw (containment).
  core::Current overdraw_tolerance = core::amps(1);
  //! Check the station's composite schedule after sending a profile (GetCompositeSchedule).
  bool verify = true;
};

//! What the 2.x NotifyEVChargingNeeds answer says (NotifyEVChargingNeedsStatusEnumType).
enum class ChargingNeedsStatus { Accepted, Rejected, Processing };

//! What the operator API and the admin CLI ask of the energy manager (after their unit of work
//! on the configuration committed).
class EnergyControl {
public:
  virtual ~EnergyControl() = default;
  //! The configuration of `location` changed (tree, inputs, priorities): read it again,
  //! re-allocate and re-plan.
  virtual void reload(const domain::LocationId &location) = 0;
  //! A departure need of a running transaction changed: re-plan its site.
  virtual void need_changed(std::int64_t transaction_id) = 0;
  //! The live picture; nullopt for a location without a grid connection.
  virtual void picture(const domain::LocationId &location, Reply<std::optional<domain::EnergyPicture>> reply) = 0;
};

//! What 2.x stations tell about smart charging; the v2 adapter calls these and answers the
//! station (Accepted) at once, except NotifyEVChargingNeeds, answered with `reply`'s status.
class SmartChargingReports {
public:
  virtual ~SmartChargingReports() = default;
  //! NotifyEVChargingNeeds: Accepted when a schedule will follow (a SetChargingProfile
  //! TxProfile for the EVSE's transaction, from the plan), Rejected when the EVSE is not
  //! managed, Processing when it needs time.
  virtual void charging_needs(const domain::StationId &station, domain::ChargingNeedsReport report,
                              Reply<ChargingNeedsStatus> reply) = 0;
  //! NotifyChargingLimit / ClearedChargingLimit: an external limit to respect on top of ours.
  virtual void charging_limit(domain::ExternalChargingLimit limit) = 0;
  virtual void limit_cleared(const domain::StationId &station, std::optional<int> evse_id, std::string source) = 0;
  //! NotifyEVChargingSchedule: the vehicle's own plan (kept for the picture).
  virtual void ev_schedule(const domain::StationId &station, int evse_id, domain::ChargingSchedule schedule) = 0;
  //! ReportChargingProfiles: what the station holds (compared with what was sent).
  virtual void reported_profiles(const domain::StationId &station, domain::ReportedProfiles report) = 0;
};

class EnergyService final : public EnergyControl, public SmartChargingReports {
public:
  EnergyService(domain::StoreExecutor &store, const core::Clock &clock, domain::StationGateway &gateway,
                domain::EventBus &bus, Scheduler scheduler, EnergyOptions options);
  ~EnergyService() override;
  EnergyService(const EnergyService &) = delete;
  EnergyService &operator=(const EnergyService &) = delete;

  //! Loads every site and subscribes; schedules re-planning. stop() before the scheduler goes.
  void start();
  void stop();

  void reload(const domain::LocationId &location) override;
  void need_changed(std::int64_t transaction_id) override;
  void picture(const domain::LocationId &location, Reply<std::optional<domain::EnergyPicture>> reply) override;

  void charging_needs(const domain::StationId &station, domain::ChargingNeedsReport report,
                      Reply<ChargingNeedsStatus> reply) override;
  void charging_limit(domain::ExternalChargingLimit limit) override;
  void limit_cleared(const domain::StationId &station, std::optional<int> evse_id, std::string source) override;
  void ev_schedule(const domain::StationId &station, int evse_id, domain::ChargingSchedule schedule) override;
  void reported_profiles(const domain::StationId &station, domain::ReportedProfiles report) override;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace gridlane::services
