#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "app.hpp"
#include "gridlane/api/api.hpp"
#include "gridlane/bus/local_bus.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/metrics.hpp"
#include "gridlane/core/throttle.hpp"
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/message_metrics.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/ocpp/session_factory.hpp"
#include "gridlane/ocpp/trace.hpp"
#include "gridlane/payments/stripe.hpp"
#include "gridlane/services/authorization_service.hpp"
#include "gridlane/services/cdr_service.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/compat_service.hpp"
#include "gridlane/services/diagnostics_service.hpp"
#include "gridlane/services/energy_service.hpp"
#include "gridlane/services/firmware_service.hpp"
#include "gridlane/services/invoice_service.hpp"
#include "gridlane/services/live_cost.hpp"
#include "gridlane/services/payment_service.hpp"
#include "gridlane/services/station_service.hpp"
#include "gridlane/services/transaction_service.hpp"
#include "gridlane/store/store.hpp"
#include "serve_firmware.hpp"
#include "serve_ocpi.hpp"
#include "serve_ops.hpp"

namespace gridlane::app {
namespace {

//! One thread running timers. A handler that throws is logged; the thread goes on.
struct TimerThread {
  boost::asio::io_context context;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{context.get_executor()};
  // Creates the timer service (and its epoll, eventfd and timerfd descriptors) at startup, not
  // with the first command wait: the descriptors the server holds do not grow with use.
  boost::asio::steady_timer ready{context};
  std::thread thread{[this] {
    for (;;) {
      try {
        context.run();
        return;
      } catch (const std::exception &e) {
        core::log(core::Component::App).error("a timer handler threw: {}", e.what());
      } catch (...) {
        core::log(core::Component::App).error("a timer handler threw");
      }
    }
  }};
  void stop() {
    guard.reset();
    context.stop();
    if (thread.joinable()) thread.join();
  }
  ~TimerThread() { stop(); }
};

} // namespace

int serve(const core::Config &config, std::function<void(const std::string &address)> on_listening) {
  auto &log = core::log(core::Component::App);
  auto opened = store::open(config.database);
  auto &store = *opened;
  log.info("database {} at schema version {}", store.describe(), store.schema_version());

  core::SystemClock clock;
  // argon2id runs on its own bounded pool, never on network or store threads: station
  // handshakes in the urgent lane, API logins and password changes in the normal one.
  const auto &auth = config.auth;
  core::WorkerPool hashing{"hashing", core::WorkerPoolOptions{auth.hash_threads, auth.hash_queue,
                                                              std::chrono::milliseconds(auth.hash_wait_ms)}};
  auto runner = [&hashing](core::WorkerPool::Lane lane) -> services::BlockingRunner {
    return [&hashing, lane](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
      hashing.submit(lane, std::move(work), std::move(refused));
    };
  };
  core::ThrottleLimits per_name{auth.max_failures, std::chrono::seconds(auth.failure_window_s),
                                std::chrono::seconds(auth.lockout_s)};
  core::ThrottleLimits per_address{auth.max_failures_per_address, std::chrono::seconds(auth.failure_window_s),
                                   std::chrono::seconds(auth.lockout_s)};
  services::StationService stations{
      store, clock,
      services::StationServiceConfig{config.ocpp.unknown_station, config.ocpp.heartbeat_interval_s,
                                     config.ocpp.pending_retry_interval_s, per_name, per_address},
      runner(core::WorkerPool::Lane::Urgent)};
  services::AuthorizationService authorization{store, clock};
  services::TransactionService transactions{store, clock};
  services::LiveValues live; // last_seen_at and running energy, shared by the services and the API
  stations.set_live(live);
  authorization.set_live(live);
  transactions.set_live(live);
  bus::LocalBus bus;
  services::CompatService compat{store, clock};
  store.run([&compat](domain::Repository &r) { compat.load(r); });
  transactions.set_bus(&bus);
  compat.watch(bus);
  stations.set_bus(&bus);
  authorization.set_bus(&bus); // refused tokens (AuthorizationRefused), read by alerts
  ocpp::ConnectionRegistry registry{&compat};
  // Command-wait timers get a thread of their own: a hashing backlog must not delay them.
  std::optional<TimerThread> timers;
  std::mutex timers_mutex; // the store thread schedules too
  timers.emplace();
  auto scheduler = [&timers, &timers_mutex](std::chrono::milliseconds delay, std::function<void()> f) {
    std::unique_lock lock{timers_mutex};
    if (!timers) {
      lock.unlock();
      return f(); // shut down: nothing waits any more
    }
    auto timer = std::make_shared<boost::asio::steady_timer>(timers->context, delay);
    timer->async_wait([timer, f = std::move(f)](boost::system::error_code) { f(); });
  };
  services::CommandService commands{store, clock,     registry,
                                    bus,   scheduler, std::chrono::seconds(config.ocpp.remote_start_window_s)};
  // The driver's live cost (block I, 1.6 pricing extension), priced by SessionPricing.
  services::LiveCost live_cost{store,
                               clock,
                               registry,
                               bus,
                               scheduler,
                               {config.pricing.cost_update_interval, config.pricing.tariff_language},
                               services::session_cost_source()};
  live_cost.start();
  // The energy manager (docs/energy.md): keeps each site with a grid connection within its limits.
  const auto &ec = config.energy;
  services::EnergyService energy{store,
                                 clock,
                                 registry,
                                 bus,
                                 scheduler,
                                 services::EnergyOptions{ec.enabled, core::milliamps(ec.hysteresis_ma), ec.min_interval,
                                                         ec.replan_interval, ec.horizon_slots, ec.slot,
                                                         ec.underdraw_after, core::milliamps(ec.overdraw_tolerance_ma),
                                                         ec.verify}};
  energy.start();
  api::ApiOptions api_options;
  api_options.login_per_user = per_name;
  api_options.login_per_address = per_address;
  api_options.live = &live;
  services::AccountCdrSource billing_source;
  services::InvoiceService invoices{billing_source};
  api::Api api{store, clock, commands, registry, runner(core::WorkerPool::Lane::Normal), api_options};
  api.set_compat(compat);
  api.set_bus(bus);       // the driver portal's problem reports
  api.set_energy(energy); // reloads after configuration writes; the live picture
  api.set_invoices(invoices);
  ocpp::TraceSet trace; // stations whose OCPP frames are logged (in memory: survives reconnects)
  api.set_trace(trace);
  services::CdrService cdrs{clock}; // each ended session's CDR, made after its stop is committed
  cdrs.watch(bus, store);
  api.set_cdrs(cdrs);
  // Payment provider calls block on the network: a bounded pool of their own (docs/payments.md).
  const auto &pay = config.payments;
  core::WorkerPool payment_calls{"payments", core::WorkerPoolOptions{pay.threads, pay.queue, std::chrono::seconds(60)}};
  std::unique_ptr<payments::PaymentProvider> card;
  if (pay.card_provider == "stripe") {
    if (auto why = payments::check_base_url(pay.base_url, true); !why.empty()) throw core::ConfigError(why);
    card = std::make_unique<payments::StripeProvider>(payments::make_curl_transport(
        payments::CurlOptions{pay.base_url, pay.secret_key, std::chrono::milliseconds(pay.timeout_ms)}));
  }
  services::PaymentService payment_service{
      store, clock, card.get(),
      [&payment_calls](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
        payment_calls.submit(core::WorkerPool::Lane::Normal, std::move(work), std::move(refused));
      },
      services::PaymentServiceOptions{std::chrono::seconds(pay.token_ttl_s)}};
  payment_service.watch(bus);
  payment_service.start_sweeping(std::chrono::seconds(pay.retry_interval_s));
  api.set_payments(payment_service);
  cdrs.add_listener([&payment_service](const domain::Cdr &cdr) { payment_service.on_cdr(cdr); }); // capture, refund
  ocpp::MessageCatalog catalog16{core::ProtocolVersion::Ocpp16};
  ocpp::MessageCatalog catalog201{core::ProtocolVersion::Ocpp201};
  ocpp::MessageCatalog catalog21{core::ProtocolVersion::Ocpp21};

  // OCPP messages counted and timed by catalogue action (docs/operations.md, Observability).
  ocpp::MessageMetrics message_metrics{core::metrics::registry(), catalog16, catalog201, catalog21};

  // Diagnostics (docs/operations.md): hosted log uploads, written on a file pool of their own, and
  // block N reports from 2.x stations; Operations mounts the upload endpoint once bound.
  core::WorkerPool diagnostics_files{"diag-files", core::WorkerPoolOptions{1, 16, std::chrono::seconds(60)}};
  services::DiagnosticsService diagnostics{
      store, clock, bus,
      [&diagnostics_files](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
        diagnostics_files.submit(core::WorkerPool::Lane::Normal, std::move(work), std::move(refused));
      },
      services::DiagnosticsOptions{diagnostics_dir(config), std::chrono::seconds(config.diagnostics.token_ttl_s)}};
  const auto &ocpp_cfg = config.ocpp;
  // Firmware files and the stations' firmware and security reports (docs/operations.md "Firmware").
  services::FirmwareService firmware{store, clock, bus, firmware_directory(config)};
  ocpp::Services ocpp_services{stations, authorization, transactions, &live_cost, &energy};
  ocpp_services.firmware = &firmware;
  ocpp_services.diagnostics = &diagnostics;
  ocpp::SessionFactoryOptions session_options{ocpp::ConnectionOptions{std::chrono::seconds(ocpp_cfg.call_timeout_s),
                                                                      ocpp_cfg.max_pending_calls,
                                                                      ocpp_cfg.recent_frames},
                                              ocpp_cfg.request_base_report, &trace};
  session_options.metrics = config.metrics.enabled ? &message_metrics : nullptr;
  auto sessions = ocpp::make_session_factory(ocpp_services, catalog16, catalog201, catalog21, session_options);
  net::Server server{net::ServerDeps{config, std::move(sessions), stations, api, registry, bus, nullptr}};
  auto address = server.bind();
  // OCPI roaming (docs/ocpi.md): its server under /ocpi/, its modules, its calls to partners.
  // Built once the listener is bound: its public URLs may be the bound address.
  std::optional<Roaming> roaming;
  if (config.ocpi.enabled) {
    RoamingDeps roaming_deps{config, store, clock, bus, commands, cdrs, authorization, scheduler, address};
    roaming_deps.gateway = &registry; // commands
    roaming_deps.energy = &energy;    // chargingprofiles: the partner's limit to the energy manager
    roaming.emplace(std::move(roaming_deps));
    api.set_roaming(roaming->partners(), roaming->partner_calls()); // /api/v1/ocpi/partners
    server.set_ocpi(&roaming->server());
  }
  // Operations (docs/operations.md): availability, alerts, healing, maintenance, firmware, metrics.
  OperationsDeps ops_deps{config, store,    clock, bus,    commands,  stations,
                          live,   registry, api,   server, scheduler, address};
  ops_deps.firmware = &firmware;
  ops_deps.diagnostics = &diagnostics;
  std::optional<Operations> operations;
  operations.emplace(std::move(ops_deps));
  std::cout << "listening on " << address << std::endl; // tests and scripts read this line
  log.info("OCPP endpoint ws://{}/ocpp/{{stationId}}", address);
  if (on_listening) on_listening(address);
  server.run();
  if (roaming) roaming->stop(); // no more pushes or partner calls
  operations->stop();           // no more watches, deliveries or playbook steps
  // Whatever still holds a reply to a request of the server (a command wait, its timer) lets go
  // of it now, while the server's io_context exists: the reply's coroutine is destroyed with it.
  live_cost.stop(); // schedules no more running costs
  energy.stop();    // no more ticks, no more events
  {
    std::lock_guard lock{timers_mutex};
    timers.reset(); // stops the thread; its pending timers and what they hold are destroyed
  }
  commands.end_waits();
  payment_service.stop();
  payment_calls.stop();
  diagnostics_files.stop(); // uploads being written finish; queued ones are refused
  hashing.stop();
  live.flush(store); // the live values not yet written, before the store's last commit
  store.stop();      // everything acknowledged is already committed; this finishes the rest
  log.info("stopped");
  return 0;
}

} // namespace gridlane::app
