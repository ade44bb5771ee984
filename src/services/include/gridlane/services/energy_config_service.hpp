#pragma once
//! The rules of energy management's configuration (docs/energy.md, "Configuring a site"): a
//! location's grid connection, circuits and EVSE attachments, its time series, prices and
//! demand-response events, the priorities of customer groups and the departure needs of
//! running sessions. Each operation is a function of the repository (inside one unit of work)
//! and `now`, so the API and `gridlane admin energy` apply the same rules; after a write commits,
//! the caller tells the energy manager (EnergyControl::reload / need_changed). Refusals are
//! values, with the offending field named where there is one.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/location_service.hpp"

namespace gridlane::services {

//! The bounds the rules check (docs/energy.md). Values are the largest a real site has, with
//! margin; they keep every sum of them far from overflowing the allocator's integers.
struct EnergyBounds {
  static constexpr core::Current max_current = core::amps(10000);         //!< per phase, any node
  static constexpr core::Power max_power = core::watts(100'000'000);      //!< 100 MW, any node or series
  static constexpr core::Power max_evse_power = core::watts(2'000'000);   //!< 2 MW (a megawatt charger)
  static constexpr core::Current max_evse_current = core::amps(1000);     //!< per phase
  static constexpr core::Energy max_energy = core::watt_hours(2'000'000); //!< a need or a battery
  static constexpr std::size_t max_points = 10000;                        //!< series or prices per call
  static constexpr std::chrono::hours max_window{24 * 31};                //!< a read's [from, to)
  static constexpr std::chrono::hours max_dr_length{24 * 7};              //!< one DR event
  static constexpr std::size_t max_name = 100;                            //!< a circuit's name
  static constexpr std::size_t max_group = 64;                            //!< a customer group
};

//! Whether `id` can be a circuit's id: 1..36 of A-Z a-z 0-9 . _ -
bool is_circuit_id(std::string_view id);

class EnergyConfigService {
public:
  // ---- the grid connection
  domain::Result<domain::GridConnection> grid(domain::Repository &r, const domain::LocationId &location) const;
  //! Creates or replaces the connection of `g.location` (which must exist): at least one limit,
  //! limits positive and in range, 1 or 3 phases, a voltage of 100..500 V, a fallback no higher
  //! than the per-phase limit, a site meter that is a station of the location.
  domain::Result<Saved<domain::GridConnection>> put_grid(domain::Repository &r, domain::GridConnection g,
                                                         domain::Timestamp now) const;
  //! Removes it with its circuits and attachments (NotFound when there is none).
  domain::Result<void> delete_grid(domain::Repository &r, const domain::LocationId &location) const;

  // ---- circuits
  domain::Result<std::vector<domain::Circuit>> circuits(domain::Repository &r,
                                                        const domain::LocationId &location) const;
  domain::Result<domain::Circuit> circuit(domain::Repository &r, const domain::LocationId &location,
                                          std::string_view id) const;
  //! Creates or replaces circuit `c.id` of a location with a grid connection (Conflict without
  //! one): its parent exists in the same location and is not the circuit or under it.
  domain::Result<Saved<domain::Circuit>> put_circuit(domain::Repository &r, domain::Circuit c,
                                                     domain::Timestamp now) const;
  //! Conflict while circuits or EVSEs hang under it (they are moved or removed first).
  domain::Result<void> delete_circuit(domain::Repository &r, const domain::LocationId &location,
                                      std::string_view id) const;

  // ---- EVSE attachments
  domain::Result<std::vector<domain::EvseAttachment>> attachments(domain::Repository &r,
                                                                  const domain::LocationId &location) const;
  //! Places EVSE `a.evse_id` of `a.station` in the tree of `location`: the station belongs to
  //! the location, the EVSE exists, the circuit (if any) is the location's; limits in range and
  //! the minimum current no higher than the maximum.
  domain::Result<Saved<domain::EvseAttachment>> put_attachment(domain::Repository &r,
                                                               const domain::LocationId &location,
                                                               domain::EvseAttachment a, domain::Timestamp now) const;
  domain::Result<void> delete_attachment(domain::Repository &r, const domain::LocationId &location,
                                         const domain::StationId &station, int evse_id) const;

  // ---- inputs
  //! 1..max_points points in strictly increasing time, each in range (building load and PV are
  //! never negative); replaces points at the same times.
  domain::Result<std::size_t> put_series(domain::Repository &r, const domain::LocationId &location,
                                         domain::SeriesKind kind, const std::vector<domain::SeriesPoint> &points) const;
  domain::Result<std::vector<domain::SeriesPoint>> series(domain::Repository &r, const domain::LocationId &location,
                                                          domain::SeriesKind kind, domain::Timestamp from,
                                                          domain::Timestamp to) const;
  //! 1..max_points prices in strictly increasing time, one ISO 4217 currency, |price| <= 1000.
  domain::Result<std::size_t> put_prices(domain::Repository &r, const domain::LocationId &location,
                                         const std::vector<domain::PricePoint> &points) const;
  domain::Result<std::vector<domain::PricePoint>> prices(domain::Repository &r, const domain::LocationId &location,
                                                         domain::Timestamp from, domain::Timestamp to) const;
  domain::Result<std::int64_t> delete_prices(domain::Repository &r, const domain::LocationId &location,
                                             domain::Timestamp from, domain::Timestamp to) const;

  //! A new event: from < to, not over yet, at most max_dr_length long, a power in range.
  domain::Result<domain::DemandResponseEvent> add_demand_response(domain::Repository &r, domain::DemandResponseEvent e,
                                                                  domain::Timestamp now) const;
  domain::Result<std::vector<domain::DemandResponseEvent>> demand_response(domain::Repository &r,
                                                                           const domain::LocationId &location,
                                                                           domain::Timestamp from,
                                                                           domain::Timestamp to) const;
  //! Removes it; the event removed (its location is the site to reload).
  domain::Result<domain::DemandResponseEvent> delete_demand_response(domain::Repository &r, std::int64_t id) const;

  // ---- priorities (every site: the caller reloads each location with a grid connection)
  std::vector<domain::GroupPriority> priorities(domain::Repository &r) const;
  domain::Result<domain::GroupPriority> priority(domain::Repository &r, std::string_view group) const;
  domain::Result<Saved<domain::GroupPriority>> put_priority(domain::Repository &r, domain::GroupPriority p) const;
  domain::Result<void> delete_priority(domain::Repository &r, std::string_view group) const;
  //! The locations the energy manager manages (those with a grid connection).
  std::vector<domain::LocationId> managed_locations(domain::Repository &r) const;

  // ---- departure needs (of running transactions only)
  domain::Result<domain::DepartureNeed> departure(domain::Repository &r, std::int64_t transaction_id) const;
  //! Something to plan with (a departure, an energy or a state of charge), a departure in the
  //! future, amounts in range.
  domain::Result<domain::DepartureNeed> put_departure(domain::Repository &r, domain::DepartureNeed n,
                                                      domain::Timestamp now) const;
};

} // namespace gridlane::services
