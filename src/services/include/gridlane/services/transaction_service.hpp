#pragma once
//! Transactions and meter values: every start and stop recorded exactly once.
#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/services/live_values.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

struct StartRequest {
  int connector_id = 0;
  std::string id_tag;
  std::int64_t meter_start_wh = 0;
  std::optional<std::int64_t> reservation_id;
  domain::Timestamp timestamp;
};
struct StartOutcome {
  std::int64_t transaction_id = 0;
  domain::Authorization authorization;
  bool duplicate = false; //!< a retry of a start already recorded
};

//! Samples decoded from the wire: those kept, and a description of each one dropped because its
//! number is not a finite decimal within bounds (docs/ocpp.md, "Numbers from stations").
struct DecodedSamples {
  std::vector<domain::MeterSample> samples;
  std::vector<std::string> rejected;
};

struct StopRequest {
  std::int64_t transaction_id = 0;
  std::optional<std::string> id_tag;
  //! absent: the station's meterStop was outside [0, max_energy_wh] (the stop is recorded
  //! with the running energy, and an anomaly)
  std::optional<std::int64_t> meter_stop_wh;
  std::string meter_stop_text; //!< meterStop as sent, for the anomaly
  domain::Timestamp timestamp;
  std::optional<domain::StopReason> reason;
  std::vector<domain::MeterSample> transaction_data;
  std::vector<std::string> rejected_samples; //!< dropped from transactionData, kept as an anomaly
};
struct StopOutcome {
  std::optional<domain::Authorization> authorization; //!< present when the stop named an id tag
  bool known = true;      //!< false: no such transaction (answered anyway, kept as an anomaly)
  bool duplicate = false; //!< a retry of a stop already recorded
};

struct MeterRequest {
  int evse_id = -1; //!< 2.x; -1 for 1.6, where the connector is the EVSE
  int connector_id = 0;
  std::optional<std::int64_t> transaction_id;
  std::vector<domain::MeterSample> samples;
};

//! An OCPP 2.x TransactionEvent, version-neutral.
struct TransactionEventRequest {
  domain::TransactionEventType event_type = domain::TransactionEventType::Updated;
  domain::Timestamp timestamp;
  domain::TriggerReason trigger_reason = domain::TriggerReason::Trigger;
  std::int64_t seq_no = 0;
  bool offline = false;
  std::optional<int> number_of_phases;
  std::optional<std::int64_t> reservation_id;
  std::string station_tx_id;
  std::optional<domain::ChargingState> charging_state;
  std::optional<domain::StopReason> stopped_reason;
  std::optional<std::int64_t> remote_start_id;
  std::optional<int> evse_id;
  std::optional<int> connector_id;
  std::optional<std::string> id_token; //!< the idToken value, when presented
  bool no_authorization = false;       //!< the idToken's type is NoAuthorization: accepted as is
  std::vector<domain::MeterSample> samples;
  std::vector<std::string> rejected_samples; //!< dropped from meterValue, kept as an anomaly
};
struct TransactionEventOutcome {
  std::int64_t transaction_id = 0;
  bool created = false; //!< this event created the transaction
  bool ended = false;   //!< this event ended it
  std::optional<std::int64_t> remote_start_id;
  std::string id_tag;
  int evse_id = 0;
  int connector_id = 0;
  std::optional<domain::Authorization> authorization; //!< present when the event carried an idToken
  bool duplicate = false;                             //!< (transaction, seqNo) already recorded: nothing changed
};

class TransactionService {
public:
  TransactionService(domain::StoreExecutor &store, const core::Clock &clock) : store_(store), clock_(clock) {}
  //! Publishes transaction.started / updated / ended after each commit.
  void set_bus(domain::EventBus *bus) { bus_ = bus; }
  //! The live values shared with the other services and the API (by default its own).
  void set_live(LiveValues &live) { live_ = &live; }

  void start(const StationContext &who, StartRequest request, Reply<StartOutcome> reply);
  void stop(const StationContext &who, StopRequest request, Reply<StopOutcome> reply);
  void meter_values(const StationContext &who, MeterRequest request, Reply<Done> reply);
  //! OCPP 2.x: creates the transaction on its first event (whatever its type: events queued
  //! offline may arrive out of order), records every event once by seqNo, notes gaps.
  //! A seqNo seen before: the same event again (a retry) is answered alike and not stored
  //! twice; a different event under it is recorded, with a seq_no_reused anomaly, and an Ended
  //! always ends the transaction.
  void transaction_event(const StationContext &who, TransactionEventRequest request,
                         Reply<TransactionEventOutcome> reply);

private:
  //! Publishes the events of a committed unit, stamped with the time of publication.
  void publish(std::vector<domain::Event> events);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus *bus_ = nullptr;
  LiveValues own_live_;
  LiveValues *live_ = &own_live_;
};

} // namespace gridlane::services
