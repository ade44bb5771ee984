#include "serve_ops.hpp"

#include <filesystem>
#include <future> // availability: the start's store read
#include <optional>

#include "gridlane/alerts/dispatcher.hpp"
#include "gridlane/alerts/transport.hpp"
#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/metrics.hpp"
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/alert_service.hpp"
#include "gridlane/services/availability_service.hpp"
#include "gridlane/services/availability_watch.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/diagnostics_service.hpp"
#include "gridlane/services/firmware_campaigns.hpp"
#include "gridlane/services/healing_service.hpp"
#include "gridlane/services/maintenance_service.hpp"
#include "gridlane/services/maintenance_watch.hpp"
#include "gridlane/services/report_service.hpp"
#include "gridlane/services/station_service.hpp"
#include "serve_firmware.hpp"
#include "serve_observability.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // availability (docs/operations.md "Availability and uptime"): the offline watch
  std::unique_ptr<services::AvailabilityRecorder> availability_log; // EVSE timelines and outages
  std::unique_ptr<services::AvailabilityWatch> availability;
  // alerts (docs/operations.md "Alerts"): rules over the bus, deliveries on a thread of their own
  std::unique_ptr<alerts::Transport> alert_transport;
  std::unique_ptr<alerts::Dispatcher> alert_dispatcher;
  std::unique_ptr<services::AlertService> alert_service;
  // healing and maintenance: ticket rules, what opens tickets, the playbooks
  std::optional<services::MaintenanceService> maintenance;
  std::optional<services::MaintenanceWatch> maintenance_watch;
  std::optional<services::HealingService> healing;
  // firmware: uploads written on a pool of their own (downloads are streamed by the listener); campaigns
  std::optional<core::WorkerPool> firmware_io;
  std::shared_ptr<services::FirmwareCampaigns> campaigns;
  // Observability: /metrics, /ready, process gauges, command outcomes.
  std::optional<Observability> observability;
  // Reports: the daily roll-ups, kept as sessions end (the API reads them through its own
  // ReportService; the rules are the same class's).
  services::ReportService reports;

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    start_availability();
    start_alerts();
    start_healing();
    start_firmware();
    start_diagnostics();
    // Reports: each ended session rolled up in its own unit of work, and what a previous run
    // left without a roll-up at once.
    reports.watch(deps.bus, deps.store);
    start_obs();
  }

  // availability: StationOffline / StationOnline from connections, silence and the start.
  void start_availability() {
    const auto &cfg = deps.config;
    services::AvailabilityOptions o;
    o.heartbeat_interval = std::chrono::seconds(cfg.ocpp.heartbeat_interval_s);
    o.offline_after_heartbeats = cfg.availability.offline_after_heartbeats;
    o.disconnect_grace = std::chrono::seconds(cfg.availability.disconnect_grace_s);
    availability_log = std::make_unique<services::AvailabilityRecorder>(deps.store, deps.bus);
    availability = std::make_unique<services::AvailabilityWatch>(deps.clock, deps.bus, deps.live, deps.scheduler, o);
    // Stations heard from before this start are expected back; one that is not back within the
    // silence limit is counted offline from the start. One still offline when the server stopped
    // stays offline until it is back.
    struct Known {
      std::vector<domain::Station> stations;
      std::vector<domain::Outage> offline;
    };
    std::promise<Known> known;
    auto loaded = known.get_future();
    deps.store.submit(
        [&known](domain::Repository &r) {
          known.set_value(Known{r.stations(), r.open_offline_outages()});
        },
        [&known](const std::exception_ptr &e) {
          if (e) known.set_exception(e);
        });
    auto start = loaded.get();
    for (const auto &s : start.stations) {
      if (s.enabled && s.registration == domain::RegistrationStatus::Accepted && s.last_seen_at)
        availability->expect(s.id);
    }
    for (const auto &outage : start.offline) {
      auto reason = domain::value_of(domain::offline_reasons, outage.detail.value_or(""));
      availability->already_offline(outage.station, outage.started,
                                    reason.value_or(domain::OfflineReason::Disconnected));
    }
    availability->start();
  }

  // alerts: off with [alerts] enabled = false (the API's changes then answer 503)
  void start_alerts() {
    if (const auto &ac = deps.config.alerts; ac.enabled) {
      using ms = std::chrono::milliseconds;
      alert_transport = alerts::make_curl_transport(
          alerts::CurlOptions{ms(ac.timeout_ms), ac.smtp_url, ac.smtp_from, ac.smtp_username, ac.smtp_password,
                              ac.smtp_require_tls, ac.allow_plain_http_to_loopback});
      alert_dispatcher = std::make_unique<alerts::Dispatcher>(
          deps.store, deps.clock, *alert_transport,
          alerts::DispatcherOptions{ac.max_attempts, ms(ac.retry_min_ms), ms(ac.retry_max_ms), ac.smtp_from});
      alert_service = std::make_unique<services::AlertService>(
          deps.store, deps.clock, deps.bus, deps.scheduler,
          services::AlertOptions{!ac.smtp_url.empty(), ac.allow_plain_http_to_loopback,
                                 std::chrono::seconds(ac.uptime_check_s)});
      alert_service->set_wake([d = alert_dispatcher.get()] { d->wake(); });
      alert_service->start();
      alert_dispatcher->start(); // sends what a previous run left pending
      deps.api.set_alerts(*alert_service);
    }
  }

  void start_healing() {
    // healing and maintenance (docs/operations.md "Self-healing", "Maintenance tickets")
    maintenance.emplace(deps.config.maintenance);
    deps.api.set_maintenance(*maintenance, deps.bus, deps.config.healing.enabled);
    maintenance_watch.emplace(deps.store, deps.clock, deps.bus, deps.scheduler, *maintenance,
                              std::chrono::seconds(deps.config.maintenance.inspection_check_s));
    healing.emplace(deps.store, deps.clock, deps.bus, deps.commands, deps.gateway, deps.scheduler, deps.config.healing,
                    *maintenance);
  }

  void start_firmware() {
    // firmware (docs/operations.md "Firmware")
    if (deps.firmware) {
      const auto &fc = deps.config.firmware;
      auto &files = *deps.firmware;
      files.set_public_base(fc.public_url.empty() ? "http://" + deps.listen_address : fc.public_url);
      firmware_io.emplace("firmware", core::WorkerPoolOptions{2, 32, std::chrono::seconds(30)});
      services::BlockingRunner io = [this](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
        firmware_io->submit(core::WorkerPool::Lane::Normal, std::move(work), std::move(refused));
      };
      campaigns = std::make_shared<services::FirmwareCampaigns>(
          deps.store, deps.clock, deps.bus, deps.commands, deps.gateway, files, deps.scheduler,
          services::CampaignOptions{std::chrono::seconds(fc.campaign_tick_s),
                                    std::chrono::seconds(fc.station_timeout_s)});
      campaigns->start();
      deps.api.set_firmware(files, campaigns.get(), io);
      // The upload is an API route whose body may be a whole file: this exact path gets its own limit.
      deps.server.mount(net::PlainMount{"/api/v1/firmware/files", forward_to_api(deps.api), fc.max_file_mb << 20});
      deps.server.mount(net::PlainMount{"/firmware/", firmware_download(deps.store, files)});
    }
  }

  // diagnostics: the upload endpoint stations are sent to, the API's files and reports.
  void start_diagnostics() {
    if (auto *diag = deps.diagnostics) {
      const auto &dc = deps.config.diagnostics;
      diag->set_public_url(dc.public_url.empty() ? "http://" + deps.listen_address : dc.public_url);
      deps.api.set_diagnostics(*diag);
      deps.server.mount(net::PlainMount{std::string(domain::diagnostics_upload_path),
                                        [diag](net::PlainRequest req, std::function<void(net::PlainResponse)> reply) {
                                          // /diagnostics/upload/TOKEN[/NAME]; the mount also serves
                                          // the path without its last slash (no token: 404).
                                          const auto n = domain::diagnostics_upload_path.size();
                                          auto rest = req.path.size() > n ? req.path.substr(n) : std::string{};
                                          services::UploadRequest up;
                                          up.method = req.method;
                                          auto slash = rest.find('/');
                                          up.token = rest.substr(0, slash);
                                          if (slash != std::string::npos) up.path_name = rest.substr(slash + 1);
                                          if (auto it = req.headers.find("content-type"); it != req.headers.end())
                                            up.content_type = it->second;
                                          up.body = std::move(req.body);
                                          diag->receive(std::move(up),
                                                        [reply = std::move(reply)](const services::UploadAnswer &a) {
                                                          net::PlainResponse res;
                                                          res.status = a.status;
                                                          res.body = a.message + "\n";
                                                          if (a.status == 405)
                                                            res.headers.emplace_back("Allow", "PUT, POST");
                                                          reply(std::move(res));
                                                        });
                                        },
                                        static_cast<std::size_t>(dc.max_upload_mb) * 1024 * 1024});
    }
  }

  void start_obs() {
    // Observability (docs/operations.md): mounted now; /ready says 200 once every part is built.
    observability.emplace(
        ObservabilityDeps{deps.config.metrics, core::metrics::registry(), deps.bus, deps.gateway, deps.server});
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
    // Observability: not ready from the first step of stopping.
    if (observability) observability->stop();
    if (availability) availability->stop();         // availability
    if (alert_service) alert_service->stop();       // alerts: no more evaluation
    if (alert_dispatcher) alert_dispatcher->stop(); // alerts: the attempt in flight ends (timeout)
    // healing and maintenance
    if (healing) healing->stop();
    if (maintenance_watch) maintenance_watch->stop();
    if (campaigns) campaigns->stop(); // firmware
    if (firmware_io) firmware_io->stop();
  }
};

Operations::Operations(OperationsDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  // Every part is built (the store open, its migrations applied, the listener bound): ready.
  if (impl_->observability) impl_->observability->set_started();
}

Operations::~Operations() {
  try {
    impl_->stop();
  } catch (const std::exception &e) {
    core::log(core::Component::App).error("stopping operations: {}", e.what());
  } catch (...) {
    core::log(core::Component::App).error("stopping operations failed");
  }
}

void Operations::stop() {
  impl_->stop();
}

std::string diagnostics_dir(const core::Config &config) {
  if (!config.diagnostics.dir.empty()) return config.diagnostics.dir;
  try {
    auto url = core::parse_database_url(config.database.url);
    if (url.engine == core::DatabaseEngine::Sqlite) {
      auto parent = std::filesystem::path(url.target).parent_path();
      return (parent / "diagnostics").string();
    }
  } catch (const core::ConfigError &) {
    // the store refused this URL already; the default below is never used
  }
  return "diagnostics";
}

} // namespace gridlane::app
