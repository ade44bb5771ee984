#pragma once
//! Batch readers of the billing run: what SessionPricing needs for many sessions at once, one
//! statement per kind instead of one per session (services::BatchPricing; docs/cdrs.md "The
//! billing run at scale"). The meter samples and events of a batch come from ListStore
//! (meter_samples_of, transaction_events_of).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gridlane/domain/model.hpp"
#include "gridlane/domain/store/tariff_assignments.hpp"

namespace gridlane::domain {

class BillingBatchStore {
public:
  virtual ~BillingBatchStore() = default;

  //! The tariff snapshots of these transactions; a transaction without one has no entry.
  virtual std::map<std::int64_t, TariffSnapshot>
  tariff_snapshots_of(const std::vector<std::int64_t> &transaction_ids) = 0;
  //! These stations, by id; an unknown id has no entry.
  virtual std::map<std::string, Station> stations_of(const std::vector<StationId> &ids) = 0;
  //! The statuses of these stations' connectors whose time (the station's, else the server's)
  //! lies in [from, to], in the order they were recorded: connector_statuses_between for many
  //! sessions at once (the caller picks each session's connector and span).
  virtual std::vector<StatusReport> statuses_of(const std::vector<StationId> &stations, Timestamp from,
                                                Timestamp to) = 0;
  //! Sets the store's page cache to `kib` KiB for what follows on this connection and answers
  //! the size it had, so that the billing run can give it back: the run's indexes outgrow the
  //! usual cache.
  virtual std::int64_t swap_page_cache_kib(std::int64_t kib) = 0;
};

} // namespace gridlane::domain
