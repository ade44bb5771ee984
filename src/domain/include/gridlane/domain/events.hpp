#pragma once
//! Domain events: what happened, for the live stream, and later OCPI push, smart charging,
//! monitoring and webhooks. Published after the change is committed. Each alternative carries
//! its data typed; the only text rendering is the API's event codec (api/event_codec.hpp).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gridlane/domain/driver.hpp"
#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/model.hpp"
#include "gridlane/domain/operations.hpp"
#include "gridlane/domain/operators.hpp"

namespace gridlane::domain {

//! A station's WebSocket connection was admitted.
struct StationConnected {
  StationId station = StationId::unchecked("");
  Timestamp at;
  ProtocolVersion protocol = ProtocolVersion::Ocpp16;
  std::optional<std::string> remote_address; //!< the peer's address, when known
};

//! A station's connection ended (closed by either side, or lost).
struct StationDisconnected {
  StationId station = StationId::unchecked("");
  Timestamp at;
};

//! A StatusNotification was recorded.
struct StatusChanged {
  StationId station = StationId::unchecked("");
  Timestamp at;
  StatusReport report;
};

//! A transaction became known: a 1.6 StartTransaction, or the first 2.x TransactionEvent of a
//! transaction (whatever its type). Carries the transaction as recorded (id, station tx id,
//! EVSE and connector, id token, meter start, remote start id...).
struct TransactionStarted {
  StationId station = StationId::unchecked("");
  Timestamp at;
  Transaction transaction;
};

//! A transaction received new readings (1.6 MeterValues) or a later 2.x TransactionEvent.
struct TransactionUpdated {
  //! Who and where, as a 2.x TransactionEvent leaves the transaction; remote_start_id is what
  //! this event named (it links a remote start to its transaction).
  struct Subject {
    std::string id_tag;
    int evse_id = 0;
    int connector_id = 0;
    std::optional<std::int64_t> remote_start_id;
  };
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::int64_t transaction_id = 0;
  std::optional<Subject> subject;              //!< 2.x TransactionEvent only
  std::vector<MeterSample> readings;           //!< the new samples, one per measurand, phase, location...
  std::optional<std::int64_t> energy_wh;       //!< energy delivered so far, when these readings tell it
  std::optional<ChargingState> charging_state; //!< 2.x: the state the event reported
};

//! A transaction ended; carries the whole ended transaction.
struct TransactionEnded {
  StationId station = StationId::unchecked("");
  Timestamp at;
  Transaction transaction;
};

//! A remote command reached a final state (answered, failed, timed out...).
struct CommandFinished {
  StationId station = StationId::unchecked("");
  Timestamp at;
  CommandRecord command;
};

//! The energy manager gave an EVSE a new share (docs/energy.md): what was sent to the station.
struct EnergySetpointChanged {
  StationId station = StationId::unchecked("");
  Timestamp at;
  LocationId location = LocationId::unchecked("");
  Setpoint setpoint;
};

//! What the energy manager raises for operators.
enum class EnergyAlertKind {
  Overdraw,         //!< a station or vehicle drew more than it was given; its circuit was lowered
  LimitExceeded,    //!< a circuit or the grid connection measured above its limit
  ProfileRefused,   //!< a station rejected a charging profile (or did not answer)
  ScheduleMismatch, //!< the composite schedule a station reported is not what was sent
};
std::string_view to_string(EnergyAlertKind k);

struct EnergyAlert {
  StationId station = StationId::unchecked(""); //!< the station concerned
  Timestamp at;
  LocationId location = LocationId::unchecked("");
  EnergyAlertKind kind = EnergyAlertKind::Overdraw;
  std::optional<int> evse_id;
  std::optional<std::string> circuit; //!< the circuit concerned ("" the grid connection)
  core::Current given;                //!< per phase, what was allowed
  core::Current measured;             //!< per phase, what was seen
  std::string detail;
};

//! A driver reported a problem with a charger (the driver portal, POST /drive/reports).
struct ProblemReported {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::int64_t report_id = 0;
  int evse_id = 0;
  ReportCategory category = ReportCategory::Other;
};

// ---- operations (docs/operations.md) ------------------------------------------------------------

//! The availability watch counts the station offline from `at`: its connection ended, or nothing
//! was heard from it for [availability] offline_after_heartbeats heartbeat intervals.
struct StationOffline {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::optional<Timestamp> last_seen; //!< the last message or ping answer, when known
  OfflineReason reason = OfflineReason::Disconnected;
};

//! A station counted offline was heard from again.
struct StationOnline {
  StationId station = StationId::unchecked("");
  Timestamp at;
  Timestamp offline_since;
};

//! A FirmwareStatusNotification (1.6, 2.x) or SignedFirmwareStatusNotification (1.6 security
//! extension) was recorded.
struct FirmwareStatusChanged {
  StationId station = StationId::unchecked("");
  Timestamp at;
  FirmwareState status = FirmwareState::Idle;
  std::optional<std::int64_t> request_id; //!< 2.x and signed 1.6: the UpdateFirmware's requestId
};

//! A SecurityEventNotification was recorded.
struct SecurityEventReported {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::string type; //!< OCPP's security event type ("FirmwareUpdated", "InvalidFirmwareSignature", ...)
  std::optional<std::string> tech_info;
};

//! One event of a 2.x NotifyEvent (block N), as recorded.
struct MonitoringEventReported {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::int64_t event_id = 0;
  EventTrigger trigger = EventTrigger::Alerting;
  std::string component;
  std::optional<int> evse_id;
  std::string variable;
  std::string actual_value;
  bool cleared = false;
  std::optional<std::string> tech_code;
};

//! A station was told a token may not charge (Authorize, a start, a 2.x TransactionEvent).
struct AuthorizationRefused {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::string id_token;
  TokenStatus status = TokenStatus::Invalid;
};

//! An alert was raised, raised again (de-duplicated: its count grew), acknowledged or resolved.
//! `station` is empty for an alert about a location as a whole.
struct AlertChanged {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::int64_t alert_id = 0;
  std::int64_t rule_id = 0;
  AlertSeverity severity = AlertSeverity::Warning;
  AlertState state = AlertState::Open;
  std::string summary;
};

//! A maintenance ticket was opened or changed. `station` is empty for a location's ticket.
struct TicketChanged {
  StationId station = StationId::unchecked("");
  Timestamp at;
  std::int64_t ticket_id = 0;
  TicketStatus status = TicketStatus::Open;
  TicketPriority priority = TicketPriority::Normal;
  TicketSource source = TicketSource::Manual;
  std::string title;
};

using Event = std::variant<StationConnected, StationDisconnected, StatusChanged, TransactionStarted, TransactionUpdated,
                           TransactionEnded, CommandFinished, EnergySetpointChanged, EnergyAlert, ProblemReported,
                           StationOffline, StationOnline, FirmwareStatusChanged, SecurityEventReported,
                           MonitoringEventReported, AuthorizationRefused, AlertChanged, TicketChanged>;

//! The station every event is about.
inline const StationId &station_of(const Event &e) {
  return std::visit([](const auto &v) -> const StationId & { return v.station; }, e);
}
//! When it happened (server clock).
inline Timestamp time_of(const Event &e) {
  return std::visit([](const auto &v) { return v.at; }, e);
}

class EventBus {
public:
  class Subscription {
  public:
    virtual ~Subscription() = default; //!< unsubscribes
  };
  using Handler = std::function<void(const Event &)>;
  virtual ~EventBus() = default;
  //! Delivers to every subscriber, on the publishing thread: handlers must not block.
  virtual void publish(Event event) = 0;
  [[nodiscard]] virtual std::unique_ptr<Subscription> subscribe(Handler handler) = 0;
};

} // namespace gridlane::domain
