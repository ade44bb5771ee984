#pragma once
//! The price of one session, running or ended: the tariff snapshot kept when it started
//! (TariffAssignmentService), its meter readings and its charging-state changes, turned into
//! periods (pricing::build_periods) and priced (pricing::price) in its location's time zone.
//! The one place that does this: the live cost sent to the driver, the CDR and the API's
//! GET /api/v1/transactions/{id}/cost all call SessionPricing::price, so they agree to the cent.
#include <cstdint>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/core/tz.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/tariff.hpp"
#include "gridlane/pricing/engine.hpp"
#include "gridlane/pricing/periods.hpp"

namespace gridlane::services {

//! A priced session: the tariff it was priced with (its snapshot), the zone its restrictions
//! were read in, and the engine's answer (OCPI CDR totals and charging periods).
struct SessionCost {
  domain::Tariff tariff;
  core::TimeZone zone;
  pricing::PricedSession priced;
};

class SessionPricing {
public:
  //! Prices transaction `transaction_id` inside a unit of work. A running session is priced up
  //! to `now` (its cost so far); an ended one up to its stop, whatever `now` is. NotFound when
  //! there is no such transaction or it has no tariff (none applied when it started).
  static domain::Result<SessionCost> price(domain::Repository &repo, std::int64_t transaction_id,
                                           domain::Timestamp now);
};

//! The zone a location's restrictions are read in: its IANA time zone, else UTC.
core::TimeZone session_zone(domain::Repository &repo, const domain::StationId &station);

//! What the engine needs from a stored transaction (pure; SessionPricing::price loads the
//! parts): the energy register, power and current readings among `samples` (current summed
//! over phases, kW and kWh converted), and the state changes, from the 2.x charging states of
//! `events` or else the 1.6 connector `statuses` (Charging charges; SuspendedEV, SuspendedEVSE
//! and Finishing park). A running transaction ends at `now`.
pricing::SessionSamples session_samples(const domain::Transaction &t, const std::vector<domain::MeterSample> &samples,
                                        const std::vector<domain::TransactionEventRecord> &events,
                                        const std::vector<domain::StatusReport> &statuses, domain::Timestamp now);

} // namespace gridlane::services
