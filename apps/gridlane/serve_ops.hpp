#pragma once
//! Operations as `gridlane serve` wires them (docs/operations.md): the availability watch and
//! uptime, alerts and their deliveries, self-healing playbooks and maintenance tickets, firmware
//! and diagnostics, metrics and readiness, reports. serve.cpp builds one Operations once the
//! listener is bound; each part adds its own block in serve_ops.cpp (members in Impl, construct,
//! subscribe, hand to the API, mount, stop), kept together so merges are line unions.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"

namespace gridlane::services {
class CommandService;
class StationService;
class LiveValues;
class FirmwareService;
class DiagnosticsService;
} // namespace gridlane::services
namespace gridlane::ocpp {
class ConnectionRegistry;
} // namespace gridlane::ocpp
namespace gridlane::api {
class Api;
} // namespace gridlane::api
namespace gridlane::net {
class Server;
} // namespace gridlane::net

namespace gridlane::app {

//! What the parts use from the rest of the server (serve.cpp owns all of it). A part that needs
//! more adds a pointer member with a null default at the end and sets it in serve.cpp on a line
//! of its own (`ops_deps.x = &x;`), so additions merge as line unions.
struct OperationsDeps {
  const core::Config &config;
  domain::StoreExecutor &store;
  const core::Clock &clock;
  domain::EventBus &bus;
  services::CommandService &commands;
  services::StationService &stations;
  services::LiveValues &live;        //!< last seen per station, running energy
  ocpp::ConnectionRegistry &gateway; //!< the stations' connections (who is connected, commands)
  api::Api &api;                     //!< parts hand their services to the API (api.set_x)
  net::Server &server;               //!< parts mount plain HTTP endpoints (server.mount)
  //! Runs `f` after `delay` on the timer thread (the command waits' scheduler).
  std::function<void(std::chrono::milliseconds delay, std::function<void()> f)> scheduler;
  //! The bound listener ("127.0.0.1:8180"): the base of URLs handed to stations when
  //! `[firmware] public_url` is empty.
  std::string listen_address;
  //! Firmware files and reports (built before the session factory, which hands it the stations' reports).
  services::FirmwareService *firmware = nullptr;
  //! Hosted log uploads and block N reports (built in serve.cpp: the OCPP adapters need it).
  services::DiagnosticsService *diagnostics = nullptr;
};

//! Where received diagnostics files are kept: `[diagnostics] dir`, else "diagnostics" beside the
//! SQLite database file (the working directory for another engine).
std::string diagnostics_dir(const core::Config &config);

class Operations {
public:
  explicit Operations(OperationsDeps deps);
  ~Operations();
  Operations(const Operations &) = delete;
  Operations &operator=(const Operations &) = delete;

  //! Stops what runs on its own (timers, delivery threads). Idempotent; before the store stops.
  void stop();

  struct Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace gridlane::app
