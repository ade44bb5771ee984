#pragma once
//! Transactions, the 2.x TransactionEvents recorded for them, and meter readings.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

struct TransactionFilter {
  std::optional<StationId> station;
  std::optional<TransactionState> state;
  std::optional<std::string> id_tag;
  std::optional<std::string> site;
  std::optional<Timestamp> from; //!< started at or after
  std::optional<Timestamp> to;   //!< started before
  std::size_t limit = 1000;
  std::size_t offset = 0;
  std::optional<LocationId> location; //!< only transactions of stations at this location
};

//! What start_transaction did: the transaction's id, and whether this call stored it (false:
//! the same start was already stored, by an earlier attempt or by another writer).
struct StartedTransaction {
  std::int64_t id = 0;
  bool inserted = false;
};

class TransactionStore {
public:
  virtual ~TransactionStore() = default;

  virtual std::optional<Transaction> transaction(std::int64_t id) = 0;
  //! The transaction a retried 1.6 StartTransaction refers to, if it was already recorded.
  virtual std::optional<Transaction> find_start(const StationId &station, int connector_id, std::string_view id_tag,
                                                std::int64_t meter_start_wh, Timestamp started_at) = 0;
  //! Whether the tag has an active transaction other than `except`.
  virtual bool has_active_transaction(std::string_view id_tag, std::optional<std::int64_t> except = std::nullopt) = 0;
  //! A 2.x transaction by the station's own transactionId.
  virtual std::optional<Transaction> find_station_transaction(const StationId &station,
                                                              std::string_view station_tx_id) = 0;
  virtual std::int64_t insert_transaction(const Transaction &t) = 0; //!< returns the new id
  //! Stores a transaction unless the same start is stored already: a 1.6 start by (station,
  //! connector, id tag, meter start, start time), a 2.x one by (station, transactionId). Held
  //! by unique indexes, so two writers racing store one row and both get its id.
  virtual StartedTransaction start_transaction(const Transaction &t) = 0;
  //! Writes every mutable field of an existing transaction.
  virtual void update_transaction(const Transaction &t) = 0;
  virtual void end_transaction(const Transaction &t) = 0; //!< writes the stop fields
  //! A running transaction's energy. How often is the services' decision (LiveValues).
  virtual void update_energy(std::int64_t transaction_id, std::int64_t energy_wh) = 0;
  virtual std::vector<Transaction> transactions(const TransactionFilter &f) = 0;

  //! Records one event; a seqNo may repeat (the service decides what a repeat means), but an
  //! event identical to a stored one is not stored again. True when it was stored.
  virtual bool insert_transaction_event(const TransactionEventRecord &e) = 0;
  //! The events already recorded for a transaction under one seqNo.
  virtual std::vector<TransactionEventRecord> transaction_events_at(std::int64_t transaction_id,
                                                                    std::int64_t seq_no) = 0;
  virtual std::vector<TransactionEventRecord> transaction_events(std::int64_t transaction_id) = 0;

  // Meter values
  virtual void insert_meter_reading(const MeterReading &r) = 0;
  virtual std::vector<MeterSample> meter_samples(std::int64_t transaction_id) = 0;
};

} // namespace gridlane::domain
