#pragma once
//! Storage interfaces. A Repository is used inside one unit of work on the store's own thread;
//! the StoreExecutor runs units of work there, off the network threads, and reports each one
//! only after it is durable.
#include <exception>
#include <functional>
#include <optional>
#include <vector>

#include "gridlane/domain/model.hpp"
#include "gridlane/domain/operators.hpp"
#include "gridlane/domain/store/locations.hpp"

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

class Repository : public LocationStore {
public:
  virtual ~Repository() = default;

  // Stations
  virtual std::optional<Station> station(const StationId &id) = 0;
  virtual std::vector<Station> stations() = 0;
  virtual void insert_station(const Station &s) = 0;
  virtual void update_station_boot(const StationId &id, const StationIdentity &identity, Timestamp at) = 0;
  virtual void set_registration(const StationId &id, RegistrationStatus status) = 0;
  virtual void set_password_hash(const StationId &id, const std::optional<std::string> &hash) = 0;
  virtual void touch_station(const StationId &id, ProtocolVersion protocol, Timestamp at) = 0;

  // Connector status: the current value and the history of changes
  virtual void record_status(const StatusReport &r) = 0;
  virtual std::vector<StatusReport> current_statuses(const StationId &id) = 0;
  virtual std::vector<StatusReport> status_history(const StationId &id, std::size_t limit) = 0;

  // Id tokens
  virtual std::optional<IdToken> id_token(std::string_view id) = 0;
  virtual void upsert_id_token(const IdToken &t) = 0;
  virtual std::vector<IdToken> id_tokens() = 0;

  // Transactions
  virtual std::optional<Transaction> transaction(std::int64_t id) = 0;
  //! The transaction a retried 1.6 StartTransaction refers to, if it was already recorded.
  virtual std::optional<Transaction> find_start(const StationId &station, int connector_id, std::string_view id_tag,
                                                std::int64_t meter_start_wh, Timestamp started_at) = 0;
  //! Whether the tag has an active transaction other than `except`.
  virtual bool has_active_transaction(std::string_view id_tag, std::optional<std::int64_t> except = std::nullopt) = 0;
  //! A 2.x transaction by the station's own transactionId.
  virtual std::optional<Transaction> find_station_transaction(const StationId &station,
                                                              std::string_view station_tx_id) = 0;
  //! Writes every mutable field of an existing transaction.
  virtual void update_transaction(const Transaction &t) = 0;
  //! Records one event; a seqNo may repeat (the service decides what a repeat means).
  virtual void insert_transaction_event(const TransactionEventRecord &e) = 0;
  //! The events already recorded for a transaction under one seqNo.
  virtual std::vector<TransactionEventRecord> transaction_events_at(std::int64_t transaction_id,
                                                                    std::int64_t seq_no) = 0;
  virtual std::vector<TransactionEventRecord> transaction_events(std::int64_t transaction_id) = 0;
  virtual std::int64_t insert_transaction(const Transaction &t) = 0; //!< returns the new id
  virtual void end_transaction(const Transaction &t) = 0;            //!< writes the stop fields
  virtual void update_energy(std::int64_t transaction_id, std::int64_t energy_wh) = 0;
  virtual std::vector<Transaction> transactions(const TransactionFilter &f) = 0;

  // Meter values
  virtual void insert_meter_reading(const MeterReading &r) = 0;
  virtual std::vector<MeterSample> meter_samples(std::int64_t transaction_id) = 0;

  // Device model (OCPP 2.x)
  virtual void upsert_device_variable(const StationId &station, const DeviceVariable &v, Timestamp at) = 0;
  virtual std::vector<DeviceVariable> device_variables(const StationId &station) = 0;
  //! Records a report part; returns the previous last seqNo of that report (-1 for its first part).
  virtual std::int64_t record_report_part(const StationId &station, const ReportPart &part, Timestamp at) = 0;
  virtual bool has_complete_report(const StationId &station) = 0;

  // Station administration
  virtual void set_enabled(const StationId &id, bool enabled) = 0;
  virtual void set_site(const StationId &id, const std::optional<std::string> &site) = 0;
  //! Deletes a station with its status, device model and reports; transactions are kept.
  virtual bool delete_station(const StationId &id) = 0;
  virtual bool delete_id_token(std::string_view id) = 0;

  // Operators
  virtual std::optional<User> user_by_name(std::string_view username) = 0;
  virtual std::optional<User> user_by_id(std::int64_t id) = 0;
  virtual std::int64_t insert_user(const User &u) = 0;
  virtual std::vector<User> users() = 0;
  virtual void insert_session(std::string_view token_hash, std::int64_t user_id, Timestamp created,
                              Timestamp expires) = 0;
  //! The user of a live session.
  virtual std::optional<User> session_user(std::string_view token_hash, Timestamp now) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;
  virtual std::int64_t insert_api_key(const ApiKey &k) = 0;
  virtual std::optional<ApiKey> api_key_by_hash(std::string_view key_hash) = 0;
  virtual std::vector<ApiKey> api_keys() = 0;
  virtual bool revoke_api_key(std::int64_t id, Timestamp at) = 0;
  virtual void insert_audit(const AuditEntry &e) = 0;
  virtual std::vector<AuditEntry> audit(std::size_t limit, std::size_t offset) = 0;

  // Remote commands
  virtual std::int64_t insert_command(const CommandRecord &c) = 0;
  virtual void update_command(const CommandRecord &c) = 0;
  virtual std::optional<CommandRecord> command(std::int64_t id) = 0;
  virtual std::vector<CommandRecord> commands(const std::optional<StationId> &station, std::size_t limit,
                                              std::size_t offset) = 0;

  // Per-station compatibility settings (migration 0006)
  //! The station's settings; all off when none were set.
  virtual StationCompat station_compat(const StationId &station) = 0;
  virtual void set_station_compat(const StationId &station, const StationCompat &compat, Timestamp at) = 0;
  //! Every station with at least one setting on.
  virtual std::vector<std::pair<StationId, StationCompat>> stations_with_compat() = 0;

  // Audit trail
  virtual void record_anomaly(const Anomaly &a) = 0;
  virtual std::vector<Anomaly> anomalies(const StationId &station) = 0;
  virtual void record_event(const StationEvent &e) = 0;
  virtual std::vector<StationEvent> events(const StationId &station) = 0;

  // Pages for the API's lists (every list an API client can ask for is paged)
  //! Oldest first.
  virtual std::vector<StatusReport> status_history(const StationId &id, std::size_t limit, std::size_t offset) = 0;
  virtual std::vector<User> users(std::size_t limit, std::size_t offset) = 0;
  virtual std::vector<ApiKey> api_keys(std::size_t limit, std::size_t offset) = 0;
  //! Oldest first.
  virtual std::vector<Anomaly> anomalies(const StationId &station, std::size_t limit, std::size_t offset) = 0;
  //! Oldest first; only those of `kind` when given.
  virtual std::vector<StationEvent> events(const StationId &station, const std::optional<std::string> &kind,
                                           std::size_t limit, std::size_t offset) = 0;
};

class StoreExecutor {
public:
  using Work = std::function<void(Repository &)>;
  using Done = std::function<void(std::exception_ptr)>; //!< null on success, after the commit
  virtual ~StoreExecutor() = default;
  //! Runs `work` in a transaction on the store's thread; `done` runs on that thread once the
  //! work is committed (or failed and rolled back). Several submissions may share one commit.
  virtual void submit(Work work, Done done) = 0;
};

} // namespace gridlane::domain
