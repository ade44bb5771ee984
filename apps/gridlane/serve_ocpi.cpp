// OCPI roaming wired for `gridlane serve` (serve_ocpi.hpp). Each module's block below is its
// own: construct it, add_module it to the server, subscribe it; nothing else here.
#include "serve_ocpi.hpp"

#include <algorithm>
#include <variant>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/commands.hpp"
#include "gridlane/ocpi/credentials.hpp"
#include "gridlane/ocpi/locations.hpp"
#include "gridlane/ocpi/outbox.hpp"
#include "gridlane/services/authorization_service.hpp"
#include "gridlane/services/cdr_service.hpp"

namespace gridlane::app {

Roaming::Roaming(RoamingDeps deps)
    : deps_(std::move(deps)), server_(deps_.store, deps_.clock, deps_.config.ocpi),
      calls_("ocpi",
             core::WorkerPoolOptions{std::max(deps_.config.ocpi.threads, 1), 1024, std::chrono::milliseconds(60000)}) {
  // ---- transport: the server above; /ocpi/versions and /ocpi/2.2.1 need no module ----
  // Its public URLs (server_.versions_url(), endpoint_url()) are right from here on.
  server_.set_default_base_url("http://" + deps_.listen_address);

  // ---- outbox: the calls to partners and the delivery of every push (the modules below use both) ----
  client_ = ocpi::make_http_client(ocpi::ClientOptions{deps_.config.ocpi.allow_plain_http_to_loopback});
  outbox_ = std::make_unique<ocpi::Outbox>(deps_.store, *client_, calls_, deps_.clock, deps_.config.ocpi);
  outbox_->start();
  on_stop_.emplace_back([this] { outbox_->stop(); }); // first in, so stopped after every module

  // ---- partners: the Credentials and HubClientInfo modules, the service behind /ocpi/partners ----
  partners_ = std::make_unique<ocpi::PartnerService>(deps_.store, deps_.clock, *client_, deps_.config.ocpi,
                                                     [this] { return server_.versions_url(); });
  server_.add_module(domain::OcpiModule::Credentials, domain::InterfaceRole::Sender,
                     ocpi::credentials_module(*partners_, calls_));
  server_.add_module(domain::OcpiModule::HubClientInfo, domain::InterfaceRole::Receiver,
                     ocpi::hub_client_info_module(deps_.store));

  // ---- tokens: the Tokens Receiver, and real-time authorisation at eMSPs in the authorisation chain ----
  server_.add_module(domain::OcpiModule::Tokens, domain::InterfaceRole::Receiver, ocpi::tokens_receiver(deps_.store));
  realtime_ = std::make_unique<ocpi::HttpRealtimeAuthorizer>(deps_.store, *client_, calls_, deps_.config.ocpi);
  deps_.authorization.set_realtime(realtime_.get());
  // Detached at stop; realtime_ itself lives until the store has run its last completion.
  on_stop_.push_back([this] { deps_.authorization.set_realtime(nullptr); });

  // ---- sessions: the Sessions and CDRs Sender modules (sessions.hpp) ----
  {
    const auto &cfg = deps_.config;
    sessions_ = std::make_shared<ocpi::SessionsModule>(
        deps_.store, deps_.clock, cfg.ocpi, [this] { outbox_->wake(); }, cfg.pricing.cost_update_interval);
    server_.add_module(domain::OcpiModule::Sessions, domain::InterfaceRole::Sender, sessions_->handler());
    sessions_->watch(deps_.bus);
    cdr_pushes_ = std::make_shared<ocpi::CdrsModule>(deps_.store, deps_.clock, cfg.ocpi, [this] { outbox_->wake(); });
    server_.add_module(domain::OcpiModule::Cdrs, domain::InterfaceRole::Sender, cdr_pushes_->handler());
    deps_.cdrs.add_listener([weak = std::weak_ptr<ocpi::CdrsModule>(cdr_pushes_)](const domain::Cdr &c) {
      if (auto m = weak.lock()) m->committed(c);
    });
    on_stop_.push_back([this] {
      sessions_->stop();
      cdr_pushes_->stop(); // no more CDRs taken; queued units still record theirs
    });
  }

  // ---- locations: the Locations and Tariffs Senders; every change pushed through the outbox ----
  {
    const auto &cfg = deps_.config.ocpi;
    server_.add_module(domain::OcpiModule::Locations, domain::InterfaceRole::Sender,
                       ocpi::make_locations_sender(deps_.store, cfg));
    server_.add_module(domain::OcpiModule::Tariffs, domain::InterfaceRole::Sender,
                       ocpi::make_tariffs_sender(deps_.store, cfg));
    location_push_ = std::make_unique<ocpi::LocationPush>(
        deps_.store, deps_.clock, domain::PartyId{cfg.country_code, cfg.party_id},
        [](domain::Repository &r, domain::OutboxItem item) { ocpi::Outbox::enqueue(r, std::move(item)); },
        [this] { outbox_->wake(); });
    // A station's report is in the journal once StatusChanged is published: read it now.
    location_events_ = deps_.bus.subscribe([push = location_push_.get()](const domain::Event &e) {
      if (std::holds_alternative<domain::StatusChanged>(e)) push->wake();
    });
    on_stop_.push_back([this] {
      location_events_.reset();
      location_push_->stop();
    });
  }

  // ---- commands: the Commands and ChargingProfiles Receivers; results POSTed through the outbox ----
  if (deps_.gateway) {
    command_results_ = std::make_unique<ocpi::ResultRelay>(
        deps_.store, deps_.clock, deps_.bus,
        [](domain::Repository &r, domain::OutboxItem item) { ocpi::Outbox::enqueue(r, std::move(item)); },
        [this] { outbox_->wake(); });
    // The station's answer, or the end of the OCPP call, is known by then.
    ocpi::CommandsOptions options{std::chrono::seconds(deps_.config.ocpp.call_timeout_s + 10)};
    commands_module_ =
        std::make_unique<ocpi::Commands>(deps_.store, *deps_.gateway, deps_.commands, *command_results_, options);
    charging_profiles_ = std::make_unique<ocpi::ChargingProfiles>(deps_.store, *deps_.gateway, deps_.commands,
                                                                  *command_results_, deps_.energy, options);
    server_.add_module(domain::OcpiModule::Commands, domain::InterfaceRole::Receiver,
                       [m = commands_module_.get()](const std::shared_ptr<ocpi::Call> &call, const ocpi::Reply &reply) {
                         m->handle(call, reply);
                       });
    server_.add_module(domain::OcpiModule::ChargingProfiles, domain::InterfaceRole::Receiver,
                       [m = charging_profiles_.get()](const std::shared_ptr<ocpi::Call> &call,
                                                      const ocpi::Reply &reply) { m->handle(call, reply); });
  }
}

Roaming::~Roaming() {
  stop();
}

services::BlockingRunner Roaming::partner_calls() {
  return [this](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
    calls_.submit(core::WorkerPool::Lane::Normal, std::move(work), std::move(refused));
  };
}

void Roaming::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto it = on_stop_.rbegin(); it != on_stop_.rend(); ++it) {
    try {
      (*it)();
    } catch (const std::exception &e) {
      core::log(core::Component::App).error("stopping OCPI roaming: {}", e.what());
    }
  }
  calls_.stop();
}

} // namespace gridlane::app
