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

using Event = std::variant<StationConnected, StationDisconnected, StatusChanged, TransactionStarted, TransactionUpdated,
                           TransactionEnded, CommandFinished, EnergySetpointChanged, EnergyAlert, ProblemReported>;

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
