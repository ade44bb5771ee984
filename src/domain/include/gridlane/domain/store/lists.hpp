#pragma once
//! The lists the API and the admin CLI serve, filtered, ordered and paged by the store's query,
//! with the number of rows each filter matches (types: domain/lists.hpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/store/transactions.hpp"

namespace gridlane::domain {

class ListStore {
public:
  virtual ~ListStore() = default;

  //! Ordered by id, each with its connectors' current statuses (one query for the whole page).
  virtual Paged<StationListing> list_stations(const StationFilter &f, PageRequest page) = 0;
  //! Ordered by id.
  virtual Paged<IdToken> list_id_tokens(const TokenFilter &f, PageRequest page) = 0;

  //! The totals of the lists whose pages other stores give (with the same filter).
  virtual std::int64_t count_transactions(const TransactionFilter &f) = 0;
  virtual std::int64_t count_users() = 0;
  virtual std::int64_t count_api_keys() = 0;
  virtual std::int64_t count_audit() = 0;
  virtual std::int64_t count_commands(const std::optional<StationId> &station) = 0;
  virtual std::int64_t count_status_history(const StationId &station) = 0;
  virtual std::int64_t count_anomalies(const StationId &station) = 0;
  virtual std::int64_t count_events(const StationId &station, const std::optional<std::string> &kind) = 0;

  //! The meter samples and the events of several transactions, one query each instead of one
  //! per transaction; a transaction without any has no entry.
  virtual std::map<std::int64_t, std::vector<MeterSample>>
  meter_samples_of(const std::vector<std::int64_t> &transaction_ids) = 0;
  virtual std::map<std::int64_t, std::vector<TransactionEventRecord>>
  transaction_events_of(const std::vector<std::int64_t> &transaction_ids) = 0;
};

} // namespace gridlane::domain
