#pragma once
//! Batch readers of the billing run: what SessionPricing needs for many sessions at once, one
//! statement per kind instead of one per session (services::BatchPricing; docs/cdrs.md "The
//! billing run at scale"). The meter samples and events of a batch come from ListStore
//! (meter_samples_of, transaction_events_of).
#include <cstdint>
#include <map>
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
};

} // namespace gridlane::domain
