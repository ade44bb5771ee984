#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <iostream>

#include "app.hpp"
#include "gridlane/api/api.hpp"
#include "gridlane/bus/local_bus.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/compat_service.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/services/authorization_service.hpp"
#include "gridlane/services/station_service.hpp"
#include "gridlane/services/transaction_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

namespace gridlane::app {

int serve(const core::Config& config, std::function<void(const std::string& address)> on_listening) {
  auto log = core::logger("gridlane");
  store::SqliteStore store{store::SqliteOptions::from(config.database)};
  log->info("database {} at schema version {}", config.database.path, store.schema_version());

  core::SystemClock clock;
  boost::asio::thread_pool blocking{1}; // password hashing: neither network nor store threads
  services::StationService stations{
      store, clock,
      services::StationServiceConfig{config.ocpp.unknown_station, config.ocpp.heartbeat_interval_s,
                                     config.ocpp.pending_retry_interval_s},
      [&blocking](std::function<void()> f) { boost::asio::post(blocking, std::move(f)); }};
  services::AuthorizationService authorization{store, clock};
  services::TransactionService transactions{store, clock};
  services::LiveValues live; // last_seen_at and running energy, shared by the services and the API
  stations.set_live(live);
  authorization.set_live(live);
  transactions.set_live(live);
  bus::LocalBus bus;
  services::CompatService compat{store, clock};
  store.run([&compat](domain::Repository& r) { compat.load(r); });
  transactions.set_bus(&bus);
  compat.watch(bus);
  stations.set_bus(&bus);
  ocpp::ConnectionRegistry registry{&compat};
  auto blocking_runner = [&blocking](std::function<void()> f) { boost::asio::post(blocking, std::move(f)); };
  auto scheduler = [&blocking](std::chrono::milliseconds delay, std::function<void()> f) {
    auto timer = std::make_shared<boost::asio::steady_timer>(blocking.get_executor(), delay);
    timer->async_wait([timer, f = std::move(f)](boost::system::error_code) { f(); });
  };
  services::CommandService commands{store, clock, registry, bus, scheduler,
                                    std::chrono::seconds(config.ocpp.remote_start_window_s)};
  api::ApiOptions api_options;
  api_options.live = &live;
  api::Api api{store, clock, commands, registry, blocking_runner, api_options};
  api.set_compat(compat);
  ocpp::MessageCatalog catalog16{core::ProtocolVersion::Ocpp16};
  ocpp::MessageCatalog catalog201{core::ProtocolVersion::Ocpp201};
  ocpp::MessageCatalog catalog21{core::ProtocolVersion::Ocpp21};

  net::Server server{net::ServerDeps{config, ocpp::Services{stations, authorization, transactions}, catalog16,
                                     catalog201, catalog21, api, registry, bus}};
  auto address = server.bind();
  std::cout << "listening on " << address << std::endl; // tests and scripts read this line
  log->info("OCPP endpoint ws://{}/ocpp/{{stationId}}", address);
  if (on_listening) on_listening(address);
  server.run();
  blocking.join();
  live.flush(store); // the live values not yet written, before the store's last commit
  store.stop(); // everything acknowledged is already committed; this finishes the rest
  log->info("stopped");
  return 0;
}

} // namespace gridlane::app
