#pragma once
//! The price of one session, running or ended: the tariff snapshot kept when it started
//! (TariffAssignmentService), its meter readings and its charging-state changes, turned into
//! periods (pricing::build_periods) and priced (pricing::price) in its location's time zone.
//! The one place that does this: the live cost sent to the driver, the CDR and the API's
//! GET /api/v1/transactions/{id}/cost all call SessionPricing::price, so they agree to the cent.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
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
  //! The periods it was priced over (a first-hour-free coupon prices their first hour).
  std::vector<pricing::SessionPeriod> periods = {};
};

class SessionPricing {
public:
  //! Prices transaction `transaction_id` inside a unit of work. A running session is priced up
  //! to `now` (its cost so far); an ended one up to its stop, whatever `now` is. NotFound when
  //! there is no such transaction or it has no tariff (none applied when it started).
  static domain::Result<SessionCost> price(domain::Repository &repo, std::int64_t transaction_id,
                                           domain::Timestamp now);
};

//! SessionPricing::price for a batch of sessions (the billing run): the tariff snapshots, meter
//! samples and events of all of them loaded with one statement each, each distinct snapshot
//! decoded once and each station's zone looked up once. price(t) gives exactly what
//! SessionPricing::price gives for t (both share one pricing of the loaded parts).
//! One session of a batch with everything its price needs, loaded (pointers into the batch and
//! its transaction: valid while both live).
struct PreparedSession {
  const domain::Transaction *transaction = nullptr;
  const domain::Tariff *tariff = nullptr;
  const core::TimeZone *zone = nullptr;
  const std::vector<domain::TransactionEventRecord> *events = nullptr;
  const std::vector<domain::MeterSample> *samples = nullptr;
  std::vector<domain::StatusReport> statuses; //!< 1.6: the connector's statuses in the session
};

class BatchPricing {
public:
  //! Loads the parts of these transactions (inside a unit of work, used within it): their
  //! snapshots, readings, events, stations and (1.6) connector statuses, one statement each;
  //! `now` ends a running session, as in SessionPricing::price.
  BatchPricing(domain::Repository &repo, const std::vector<domain::Transaction> &transactions, domain::Timestamp now);
  //! The cost of transaction `t`, one of the batch's; NotFound when it has no tariff.
  domain::Result<SessionCost> price(const domain::Transaction &t, domain::Timestamp now);
  //! The same in two steps: prepare (reads the repository, one thread) then price (pure: no
  //! repository, no shared state, so prepared sessions may be priced on several threads).
  domain::Result<PreparedSession> prepare(const domain::Transaction &t, domain::Timestamp now);
  static domain::Result<SessionCost> price(const PreparedSession &p, domain::Timestamp now);
  //! The meter samples of one of the batch's transactions (empty when it has none).
  const std::vector<domain::MeterSample> &samples(std::int64_t transaction_id) const;
  //! One of the batch's stations (nullptr when it is not stored).
  const domain::Station *station(const domain::StationId &id) const;

private:
  domain::Repository &repo_;
  std::map<std::int64_t, domain::TariffSnapshot> snapshots_;
  std::map<std::int64_t, std::vector<domain::MeterSample>> samples_;
  std::map<std::int64_t, std::vector<domain::TransactionEventRecord>> events_;
  std::map<std::string, domain::Station> stations_;
  std::map<std::int64_t, std::vector<domain::StatusReport>> statuses_;
  std::map<std::string, domain::Result<domain::Tariff>> tariffs_; //!< by snapshot JSON
  std::map<std::string, std::optional<domain::Location>> locations_;
  std::map<std::string, core::TimeZone> zones_; //!< by station id

  //! session_zone from the batch's stations, each location read once.
  const core::TimeZone &zone_of(const domain::StationId &station);
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
