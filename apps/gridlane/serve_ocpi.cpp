// OCPI roaming wired for `gridlane serve` (serve_ocpi.hpp). Each module's block below is its
// own: construct it, add_module it to the server, subscribe it; nothing else here.
#include "serve_ocpi.hpp"

#include <algorithm>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/commands.hpp"
#include "gridlane/ocpi/credentials.hpp"
#include "gridlane/ocpi/outbox.hpp"

namespace gridlane::app {

Roaming::Roaming(RoamingDeps deps)
    : deps_(std::move(deps)), server_(deps_.store, deps_.clock, deps_.config.ocpi),
      calls_("ocpi",
             core::WorkerPoolOptions{std::max(deps_.config.ocpi.threads, 1), 1024, std::chrono::milliseconds(60000)}) {
  // ---- transport: the server above; /ocpi/versions and /ocpi/2.2.1 need no module ----
  // Its public URLs (server_.versions_url(), endpoint_url()) are right from here on.
  server_.set_default_base_url("http://" + deps_.listen_address);

  // ---- partners: the Credentials and HubClientInfo modules, the service behind /ocpi/partners ----
  if (!client_) {
    ocpi::ClientOptions options;
    options.allow_plain_http_to_loopback = deps_.config.ocpi.allow_plain_http_to_loopback;
    client_ = ocpi::make_http_client(options);
  }
  partners_ = std::make_unique<ocpi::PartnerService>(deps_.store, deps_.clock, *client_, deps_.config.ocpi,
                                                     [this] { return server_.versions_url(); });
  server_.add_module(domain::OcpiModule::Credentials, domain::InterfaceRole::Sender,
                     ocpi::credentials_module(*partners_, calls_));
  server_.add_module(domain::OcpiModule::HubClientInfo, domain::InterfaceRole::Receiver,
                     ocpi::hub_client_info_module(deps_.store));

  // ---- commands: the Commands and ChargingProfiles Receivers; results POSTed through the outbox ----
  if (deps_.gateway) {
    if (!outbox_) {
      outbox_ = std::make_unique<ocpi::Outbox>(deps_.store, *client_, calls_, deps_.clock, deps_.config.ocpi);
      outbox_->start();
      on_stop_.push_back([this] { outbox_->stop(); });
    }
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
                       [m = commands_module_.get()](std::shared_ptr<ocpi::Call> call, ocpi::Reply reply) {
                         m->handle(std::move(call), std::move(reply));
                       });
    server_.add_module(domain::OcpiModule::ChargingProfiles, domain::InterfaceRole::Receiver,
                       [m = charging_profiles_.get()](std::shared_ptr<ocpi::Call> call, ocpi::Reply reply) {
                         m->handle(std::move(call), std::move(reply));
                       });
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

void Roaming::listening(const std::string &address) {
  server_.set_default_base_url("http://" + address);
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
