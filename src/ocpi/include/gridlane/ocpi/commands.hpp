#pragma once
//! The Receiver side of the Commands and ChargingProfiles modules (docs/ocpi.md, "Commands",
//! "Charging profiles"): an eMSP's request is checked, answered at once (CommandResponse /
//! ChargingProfileResponse) and, when accepted, sent to the station as a domain command through
//! services::CommandService; the station's verdict (CommandFinished on the bus, which also
//! carries the call's timeout) becomes the asynchronous result, POSTed to the request's
//! response_url through the outbox.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/server.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/energy_service.hpp"

namespace gridlane::ocpi {

//! Turns the final record of a command sent for a partner into one POST to its response_url.
//! Results wait in memory until the station answers (at most the OCPP call timeout); once
//! decided they are in the outbox, which keeps them across restarts.
class ResultRelay {
public:
  //! The body to POST, from the command's final record.
  using Render = std::function<std::string(const domain::CommandRecord &)>;
  //! Stores one outbox item in the caller's unit of work (ocpi::Outbox::enqueue).
  using Enqueue = std::function<void(domain::Repository &, domain::OutboxItem)>;

  ResultRelay(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus, Enqueue enqueue,
              std::function<void()> wake);
  ~ResultRelay();
  ResultRelay(const ResultRelay &) = delete;
  ResultRelay &operator=(const ResultRelay &) = delete;

  //! Where a result goes: the partner, the URL it gave, and the party behind a hub that asked
  //! (the request's OCPI-from-*, sent back as OCPI-to-*; nullopt: the partner itself).
  struct Destination {
    std::int64_t partner_id = 0;
    domain::OcpiModule module = domain::OcpiModule::Commands;
    std::string response_url;
    std::optional<domain::PartyId> to;
  };
  //! Called before the command leaves (in CommandService::submit's reply).
  void expect(std::int64_t command_id, Destination to, Render render);
  //! Enqueues a result now (one unit of work), then wakes the outbox.
  void post_now(Destination to, std::string body);
  std::size_t pending() const;

private:
  struct Pending {
    Destination to;
    Render render;
  };
  void on_event(const domain::Event &e);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  Enqueue enqueue_;
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, Pending> pending_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

struct CommandsOptions {
  //! The CommandResponse's timeout: how long the station may take (OCPP call timeout) plus a margin.
  std::chrono::seconds result_timeout{40};
};

//! POST /ocpi/2.2.1/commands/{START_SESSION|STOP_SESSION|RESERVE_NOW|CANCEL_RESERVATION|UNLOCK_CONNECTOR}.
class Commands {
public:
  Commands(domain::StoreExecutor &store, domain::StationGateway &gateway, services::CommandService &commands,
           ResultRelay &results, CommandsOptions options);
  ~Commands();
  Commands(const Commands &) = delete;
  Commands &operator=(const Commands &) = delete;

  void handle(const std::shared_ptr<Call> &call, const Reply &reply);

private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

//! GET/PUT/DELETE /ocpi/2.2.1/chargingprofiles/{session_id}.
class ChargingProfiles {
public:
  //! `energy` (may be null): told the partner's limit as an external limit of the EVSE, so the
  //! energy manager respects it where it manages the site.
  ChargingProfiles(domain::StoreExecutor &store, domain::StationGateway &gateway, services::CommandService &commands,
                   ResultRelay &results, services::SmartChargingReports *energy, CommandsOptions options);
  ~ChargingProfiles();
  ChargingProfiles(const ChargingProfiles &) = delete;
  ChargingProfiles &operator=(const ChargingProfiles &) = delete;

  void handle(const std::shared_ptr<Call> &call, const Reply &reply);

private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

//! The stack level of a partner's TxProfile: below the energy manager's (energy::ProfilePolicy,
//! 1), so where the energy manager manages the site its profile (which already respects the
//! partner's limit as an external one) is the one in force.
inline constexpr std::int64_t partner_profile_stack_level = 0;
//! The id of the partner's TxProfile for a transaction: one per transaction, replaced by the
//! next PUT, cleared by DELETE; apart from the energy manager's ids (710,000,000 and up).
inline constexpr std::int64_t partner_profile_id_base = 720'000'000;

} // namespace gridlane::ocpi
