#pragma once
//! OCPI roaming as `gridlane serve` wires it (docs/ocpi.md): the /ocpi server, the pool of
//! threads that call partners, and each module's part. serve.cpp builds one Roaming when
//! `[ocpi] enabled`, once the listener is bound, and hands its server to the network layer; each module adds its own
//! block in serve_ocpi.cpp (construct, add_module, subscribe), kept together so merges are unions.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/client.hpp"
#include "gridlane/ocpi/locations.hpp"
#include "gridlane/ocpi/outbox.hpp"
#include "gridlane/ocpi/partners.hpp"
#include "gridlane/ocpi/server.hpp"
#include "gridlane/ocpi/sessions.hpp"
#include "gridlane/ocpi/tokens.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::services {
class CommandService;
class CdrService;
class AuthorizationService;
class SmartChargingReports;
} // namespace gridlane::services
namespace gridlane::domain {
class StationGateway;
} // namespace gridlane::domain
namespace gridlane::ocpi {
class Outbox;
class ResultRelay;
class Commands;
class ChargingProfiles;
} // namespace gridlane::ocpi

namespace gridlane::app {

//! What the modules use from the rest of the server (serve.cpp owns all of it). A module that
//! needs more adds a pointer member with a null default at the end and sets it in serve.cpp on
//! a line of its own (`roaming_deps.x = &x;`), so the parts' additions merge as line unions.
struct RoamingDeps {
  const core::Config &config;
  domain::StoreExecutor &store;
  const core::Clock &clock;
  domain::EventBus &bus;
  services::CommandService &commands;
  services::CdrService &cdrs;
  services::AuthorizationService &authorization;
  //! Runs `f` after `delay` on the timer thread (the command waits' scheduler).
  std::function<void(std::chrono::milliseconds delay, std::function<void()> f)> scheduler;
  //! The bound listener ("127.0.0.1:8180"): the public base URL when `[ocpi] base_url` is empty.
  std::string listen_address;
  domain::StationGateway *gateway = nullptr;        //!< commands: the stations' connections
  services::SmartChargingReports *energy = nullptr; //!< chargingprofiles: the energy manager, if any
};

class Roaming {
public:
  explicit Roaming(RoamingDeps deps);
  ~Roaming();
  Roaming(const Roaming &) = delete;
  Roaming &operator=(const Roaming &) = delete;

  ocpi::Server &server() { return server_; }
  //! Roaming partners and their credentials (the operator API's /ocpi/partners).
  ocpi::PartnerService &partners() { return *partners_; }
  //! Runs a blocking call to a partner on the roaming pool (the operator API's register/rotate).
  services::BlockingRunner partner_calls();
  //! Stops what runs on its own (the outbox, timers) and the partner calls. Idempotent.
  void stop();

private:
  RoamingDeps deps_;
  ocpi::Server server_;
  //! Blocking calls to partners run here, never on network or store threads ([ocpi] threads).
  core::WorkerPool calls_;
  std::unique_ptr<ocpi::Client> client_;           //!< calls to partners (the outbox part makes it)
  std::unique_ptr<ocpi::Outbox> outbox_;           //!< every push: Outbox::enqueue in a unit, then outbox_->wake()
  std::vector<std::function<void()>> on_stop_;     //!< each module's shutdown, run in reverse order
  std::unique_ptr<ocpi::PartnerService> partners_; //!< credentials, hubclientinfo, /api/v1/ocpi/partners
  std::unique_ptr<ocpi::HttpRealtimeAuthorizer> realtime_; //!< tokens: real-time authorisation at eMSPs
  // locations: the push of the physical model and tariffs, woken by StatusChanged
  std::unique_ptr<ocpi::LocationPush> location_push_;
  std::unique_ptr<domain::EventBus::Subscription> location_events_;

  // commands: every push goes through the outbox (whoever needs it first makes it); the
  // results of commands and charging profiles, and the two Receivers.
  std::unique_ptr<ocpi::ResultRelay> command_results_;
  std::unique_ptr<ocpi::Commands> commands_module_;
  std::unique_ptr<ocpi::ChargingProfiles> charging_profiles_;

  bool stopped_ = false;
  std::shared_ptr<ocpi::SessionsModule> sessions_; //!< sessions: the Sessions Sender and its pushes
  std::shared_ptr<ocpi::CdrsModule> cdr_pushes_;   //!< sessions: the CDRs Sender and its POSTs
};

} // namespace gridlane::app
