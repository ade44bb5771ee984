#pragma once
//! The energy manager's picture of one site, in memory, and the pure decisions made on it
//! (docs/energy.md, "How Gridlane keeps a site within its limits"): how the tree and the
//! running sessions become an allocation problem, what each EVSE is given, when a new share is
//! worth sending, when a draw is an overdraw or an underdraw. No clock, store or I/O: the
//! service (energy_service.cpp) feeds it events and sends what it decides; tests drive it
//! directly. Private to src/services.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/meter_reading.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/energy/allocator.hpp"
#include "gridlane/services/energy_service.hpp"

namespace gridlane::services::energy_site {

using EvseKey = std::pair<domain::StationId, int>;

//! A running session on an EVSE of the site.
struct Session {
  std::int64_t transaction_id = 0;
  std::string station_tx_id;
  domain::ProtocolVersion protocol = domain::ProtocolVersion::Ocpp16;
  int priority = 1;
  std::optional<int> vehicle_phases;            //!< learned from its per-phase draw or its needs
  std::optional<core::Current> vehicle_max;     //!< from NotifyEVChargingNeeds
  std::optional<core::Current> underdraw_max;   //!< lowered to what it draws (underdraw release)
  std::optional<domain::Timestamp> under_since; //!< drawing less than given since
  std::optional<domain::DepartureNeed> need;
  std::optional<core::Current> plan_max; //!< the plan's first slot for it (model-predictive)
  //! Its 2.x NotifyEVChargingNeeds gave a departure and an energy: the next plan that includes
  //! it is sent as a schedule (energy::plan_profile), once.
  bool answer_with_plan = false;
  std::optional<int> max_schedule_tuples; //!< the vehicle's bound on the periods of that schedule
};

//! A schedule sent to an EVSE (a plan profile): what it allows per slot, A per phase, until a
//! one-period profile replaces it.
struct SentPlan {
  domain::Timestamp start;
  std::chrono::seconds slot{900};
  std::vector<core::Current> per_slot;
};

//! One EVSE of the site: attached by the operator, or seen with a session at the site.
struct Evse {
  domain::EvseAttachment attachment;
  std::optional<core::Current> hardware_max; //!< from the connectors, when not in the attachment
  std::optional<core::Power> hardware_power; //!< idem
  std::optional<core::Current> external;     //!< a station-reported limit (NotifyChargingLimit)
  std::optional<Session> session;
  domain::MeasuredDraw measured;
  std::optional<domain::Timestamp> measured_at;
  //! Containment: it drew this much above what it was given; taken off its circuits first.
  std::optional<core::Current> reserved;
  domain::Setpoint given;               //!< the last allocation
  std::optional<domain::Setpoint> sent; //!< the last profile the station accepted or was sent
  std::optional<domain::Timestamp> sent_at;
  std::optional<SentPlan> sent_plan; //!< the last profile sent was a schedule of the plan
};

struct Site {
  domain::ElectricalTree tree;
  std::vector<domain::DemandResponseEvent> dr;   //!< now and ahead
  std::vector<domain::PricePoint> prices;        //!< over the horizon
  std::vector<domain::SeriesPoint> building, pv; //!< forecasts over the horizon
  std::map<EvseKey, Evse> evses;
  std::optional<core::Power> plan_cap; //!< the plan's first slot: chargers at most this
  std::vector<domain::PlanSlot> plan;
  std::optional<domain::Timestamp> planned_at;
};

//! Node 0 is the grid connection; circuits follow, parents first. A circuit whose parent is
//! unknown (or makes a cycle) hangs under the grid connection: the store refuses such trees,
//! this only keeps a bad one from losing a limit.
struct NodeIndex {
  std::vector<std::string> ids; //!< "" for the grid connection
  std::map<std::string, int> of;
  int node(const std::optional<std::string> &circuit) const;
};
NodeIndex index_nodes(const domain::ElectricalTree &tree);

//! The DR limit in force at `now` (the lowest of the events that hold it), when there is one.
std::optional<const domain::DemandResponseEvent *> active_dr(const Site &site, domain::Timestamp now);

//! The allocation problem of the site now: one demand per EVSE with a session, in `keys` order.
struct Problem {
  NodeIndex nodes;
  energy::AllocationInput input;
  std::vector<EvseKey> keys;
};
Problem problem(const Site &site, domain::Timestamp now);

//! Runs the allocator and stores each EVSE's new `given` setpoint (EVSEs without a session get
//! a zero TxDefault setpoint, unpaused). Returns the keys whose `given` changed.
std::vector<EvseKey> allocate(Site &site, domain::Timestamp now);

//! Whether `next` is worth sending now to a station that was last sent `last` at `last_at`
//! (energy::decide_send: hysteresis, minimum interval; a pause, a resume and any lowering at once).
bool worth_sending(const std::optional<domain::Setpoint> &last, std::optional<domain::Timestamp> last_at,
                   const domain::Setpoint &next, const EnergyOptions &options, domain::Timestamp now);

//! What a meter reading of the EVSE means for containment and underdraw.
enum class DrawVerdict { Normal, Overdraw, OverdrawChanged, Underdraw, UnderdrawEnded };
//! Records `draw` on the EVSE and judges it against what it was given (the last profile sent,
//! else its allocation). Overdraw: above by more than the tolerance; its `reserved` is then
//! what it draws, for the rest of the session (OverdrawChanged when that moves by more than
//! the hysteresis), so that a station ignoring its profile is not re-alerted every interval. Underdraw: below by more
//! than the hysteresis for `underdraw_after` (its session's max is lowered to the draw plus the hysteresis).
//! `voltage` (the site's, phase to neutral) turns a power-only reading into a current.
DrawVerdict observe(Evse &evse, const domain::MeasuredDraw &draw, core::Voltage voltage, const EnergyOptions &options,
                    domain::Timestamp now);

//! The per-phase current a setpoint means at a station (W for DC is computed by the caller).
core::Current given_current(const Evse &evse);
//! What the schedule last sent to `evse` (SentPlan) allows at `now`; 0 outside it or without one.
core::Current planned_current(const Evse &evse, domain::Timestamp now);

//! The live picture of the site.
domain::EnergyPicture picture(const Site &site, const domain::LocationId &location, domain::Timestamp now);

} // namespace gridlane::services::energy_site

namespace gridlane::services::energy_site {

//! The SetChargingProfile that gives `evse` its setpoint (energy::setpoint_profile): TxProfile
//! for its session's transaction (the station's id), else TxDefaultProfile; A with
//! numberPhases for AC, W for DC.
domain::Command profile_command(const Evse &evse, const domain::Setpoint &s, const domain::GridConnection &grid,
                                domain::Timestamp now);
//! The fail-safe ChargingStationMaxProfile of a station with `evses` EVSEs at the site
//! (energy::station_max_profile of energy::fail_safe_current), on the whole station (evse 0).
domain::Command station_max_command(const domain::GridConnection &grid, int evses, domain::Timestamp now);

} // namespace gridlane::services::energy_site
