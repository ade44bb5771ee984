#pragma once
//! The plan ahead of a site (docs/energy.md): the sessions with a departure need, the site's
//! limits, DR events, forecasts and prices over the horizon as an energy::schedule problem, and
//! the solved plan applied model-predictively: each planned session's share now is capped by
//! the plan's first slot for it (raised to its minimum when the plan charges it at all), the
//! whole plan kept for the picture. Sessions without a need are not planned: the allocation
//! divides what the plan leaves. Private to src/services.
#include "energy_site.hpp"
#include "gridlane/energy/scheduler.hpp"

namespace gridlane::services::energy_site {

//! The problem of `site` now; `keys` says which session each vehicle is.
struct PlanProblem {
  energy::ScheduleProblem problem;
  std::vector<EvseKey> keys;
};
PlanProblem plan_problem(const Site &site, domain::Timestamp now, std::chrono::seconds slot, int slots);

//! Stores the solved plan on the site (plan slots, planned_at, each session's plan_max).
void apply_plan(Site &site, const PlanProblem &pp, const energy::Schedule &plan, domain::Timestamp now,
                std::chrono::seconds slot);

//! A 2.x vehicle's NotifyEVChargingNeeds taken into its session: its phases (transfer mode),
//! maximum current, departure need (source "vehicle"), and with a departure and an energy the
//! wish to be answered with its part of the next plan (answer_with_plan, max_schedule_tuples).
void take_needs(Session &session, const domain::ChargingNeeds &needs, domain::Timestamp now);

//! The TxProfile that answers a vehicle's NotifyEVChargingNeeds (energy::plan_profile): its
//! row of the plan (`power`, W per slot from `now`), the first slot set to what the allocation
//! gives it now (the live allocation keeps the site within its limits; later slots follow the
//! plan), within its maxScheduleTuples. `sent` is what the schedule allows per slot, in A.
domain::Command plan_command(const Evse &evse, std::vector<std::int64_t> power, const domain::GridConnection &grid,
                             domain::Timestamp now, std::chrono::seconds slot, SentPlan &sent);

} // namespace gridlane::services::energy_site
