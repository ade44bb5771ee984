#pragma once
//! Provisioning and availability: who may connect, boot, heartbeat, connector status, and
//! notifications kept for audit.
#include <map>

#include "gridlane/core/config.hpp"
#include "gridlane/core/throttle.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/live_values.hpp"

namespace gridlane::services {

//! Which station is talking, over which protocol.
struct StationContext {
  domain::StationId id;
  domain::ProtocolVersion protocol;
};

struct Admission {
  enum class Verdict {
    Accept,
    NotFound,
    Unauthorized,
    Throttled, //!< too many wrong passwords for this station id or from this address: 429
    Busy,      //!< the password check could not run in time: 503
  };
  Verdict verdict = Verdict::NotFound;
  domain::RegistrationStatus registration = domain::RegistrationStatus::Pending;
  std::chrono::seconds retry_after{0}; //!< Throttled and Busy: when to try again
};

struct BootDecision {
  domain::RegistrationStatus status;
  int interval_s;
  domain::Timestamp now;
  bool has_device_model = false; //!< a complete 2.x report is stored already
};

struct DataTransferRequest {
  std::string vendor_id;
  std::optional<std::string> message_id;
  std::optional<std::string> data;
};
struct DataTransferResult {
  enum class Status { Accepted, Rejected, UnknownMessageId, UnknownVendorId };
  Status status = Status::UnknownVendorId;
  std::optional<std::string> data;
};
//! A vendor extension: answers DataTransfer messages for one vendorId. Runs on the store thread.
using DataTransferHandler = std::function<DataTransferResult(const StationContext &, const DataTransferRequest &)>;

struct StationServiceConfig {
  core::UnknownStationPolicy unknown_station = core::UnknownStationPolicy::Accept;
  int heartbeat_interval_s = 300;
  int pending_retry_interval_s = 60;
  core::ThrottleLimits per_station{}; //!< wrong Basic-auth passwords per station id
  core::ThrottleLimits per_address{50, std::chrono::seconds{60}, std::chrono::seconds{60}}; //!< and per client address
};

class StationService {
public:
  StationService(domain::StoreExecutor &store, const core::Clock &clock, StationServiceConfig config,
                 BlockingRunner blocking)
      : store_(store), clock_(clock), config_(config), blocking_(std::move(blocking)),
        throttle_(config_.per_station, config_.per_address, clock_) {}

  //! Decides whether a WebSocket handshake may proceed (registering unknown stations per policy,
  //! checking HTTP Basic credentials against the argon2id hash off the network threads).
  //! Wrong passwords are counted per station id and per client address (`remote`, may be
  //! empty); a locked id or address is answered Throttled before anything is looked up.
  void admit(const domain::StationId &id, std::optional<std::string> password, std::string remote,
             Reply<Admission> reply);
  void admit(const domain::StationId &id, std::optional<std::string> password, Reply<Admission> reply) {
    admit(id, std::move(password), std::string{}, std::move(reply));
  }

  void boot(const StationContext &who, domain::StationIdentity identity, Reply<BootDecision> reply);
  void heartbeat(const StationContext &who, const Reply<domain::Timestamp> &reply);
  void status(const StationContext &who, domain::StatusReport report, Reply<Done> reply);
  //! Keeps a notification (firmware, diagnostics, security event...) verbatim.
  void record_event(const StationContext &who, std::string kind, std::string payload, Reply<Done> reply);
  void data_transfer(const StationContext &who, DataTransferRequest request, std::string payload,
                     Reply<DataTransferResult> reply);

  //! OCPP 2.x NotifyReport: one part of a (possibly multi-part) device-model report.
  void report(const StationContext &who, domain::ReportPart part, std::vector<domain::DeviceVariable> variables,
              Reply<Done> reply);
  //! Values the station confirmed through GetVariables / SetVariables.
  void record_variables(const StationContext &who, std::vector<domain::DeviceVariable> variables, Reply<Done> reply);

  //! The station's WebSocket is open (registered as its live connection) / closed: publishes
  //! StationConnected (with the protocol and the peer's address, when known) /
  //! StationDisconnected, at the service clock's time. Called by the transport on its thread;
  //! stores nothing.
  void connected(const domain::StationId &id, domain::ProtocolVersion protocol, std::optional<std::string> remote);
  void disconnected(const domain::StationId &id);
  //! The station answered a WebSocket ping: it is heard (last seen moves, as for a message), so
  //! the availability watch does not count it silent. Called by the transport on its thread.
  void answered_ping(const StationContext &who);

  //! Publishes status.changed, station.booted, station.connected and station.disconnected.
  void set_bus(domain::EventBus *bus) { bus_ = bus; }
  //! The live values shared with the other services and the API (by default its own).
  void set_live(LiveValues &live) { live_ = &live; }

  //! The service's clock (the adapters stamp what stations report with it).
  const core::Clock &clock() const { return clock_; }

  //! Registers a DataTransfer handler; call before the server starts.
  void register_data_transfer(std::string vendor_id, DataTransferHandler handler) {
    data_transfer_handlers_[std::move(vendor_id)] = std::move(handler);
  }

private:
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  LiveValues own_live_;
  LiveValues *live_ = &own_live_;
  StationServiceConfig config_;
  BlockingRunner blocking_;
  core::CredentialThrottle throttle_;
  domain::EventBus *bus_ = nullptr;
  std::map<std::string, DataTransferHandler, std::less<>> data_transfer_handlers_;
};

} // namespace gridlane::services
