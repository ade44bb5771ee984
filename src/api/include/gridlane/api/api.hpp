#pragma once
//! The operator REST API (/api/v1), independent of the HTTP server that carries it: a request
//! in, a response out, asynchronously (handlers run their work on the store's thread).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/throttle.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/trace.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/compat_service.hpp"
#include "gridlane/services/live_values.hpp"

namespace gridlane::services {
class InvoiceService;
class PaymentService;
class CdrService;
class EnergyControl;
class AlertService;
class MaintenanceService;
class FirmwareService;
class FirmwareCampaigns;
class DiagnosticsService;
} // namespace gridlane::services

namespace gridlane::ocpi {
class PartnerService;
} // namespace gridlane::ocpi

namespace gridlane::api {

struct Request {
  std::string method; //!< "GET", "POST", ...
  std::string path;   //!< percent-decoded, without the query
  std::map<std::string, std::string> query;
  std::string body;
  std::string authorization; //!< the Authorization header, if any
  std::string accept;        //!< the Accept header, if any (reports answer CSV for text/csv)
  std::string remote;        //!< peer address, for the audit log
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Ctx; // a request in flight (router.cpp)

struct ApiOptions {
  std::chrono::hours session_lifetime{12};
  std::chrono::seconds max_wait{60}; //!< the longest ?wait= a command request may ask for
  //! Failed logins per user name, and per client address, before 429 with Retry-After.
  core::ThrottleLimits login_per_user{};
  core::ThrottleLimits login_per_address{50, std::chrono::seconds{60}, std::chrono::seconds{60}};
  //! What stations said last (last_seen_at, running energy), shown over the stored values.
  const services::LiveValues *live = nullptr;
};

//! The OpenAPI 3 document of this API (src/api/openapi.json), served at /api/v1/openapi.json.
std::string_view openapi_document();

//! Every route the API serves, as (method, path template relative to /api/v1).
std::vector<std::pair<std::string, std::string>> route_table();

class Api {
public:
  Api(domain::StoreExecutor &store, const core::Clock &clock, services::CommandService &commands,
      domain::StationGateway &gateway, services::BlockingRunner blocking, ApiOptions options = {});
  ~Api();
  //! Serves /stations/{id}/compat with these settings (compat.cpp); before the first request.
  void set_compat(services::CompatService &compat);
  //! Serves /stations/{id}/trace with this switch (trace.cpp); before the first request.
  void set_trace(domain::StationTrace &trace);
  //! Serves /invoices and /reports/revenue with this service (invoices.cpp); before the first request.
  void set_invoices(services::InvoiceService &invoices);
  //! Serves /payments with this service (payments.cpp); before the first request.
  void set_payments(services::PaymentService &payments);
  //! Credits CDRs through this service, which tells its listeners (cdrs.cpp); before the first request.
  void set_cdrs(services::CdrService &cdrs);
  //! Tells this energy manager of configuration changes and serves the live picture from it
  //! (energy.cpp); before the first request. Without one the picture answers 503.
  void set_energy(services::EnergyControl &energy);
  //! Serves /ocpi/partners with this service; `calls` runs the exchanges with partners (the
  //! roaming worker pool) (ocpi_partners.cpp); before the first request. Without it: 503.
  void set_roaming(ocpi::PartnerService &partners, services::BlockingRunner calls);

  //! Serves /alert-rules, /alert-channels, /alerts and /alert-deliveries with this service
  //! (alerts.cpp); before the first request. Without one the changes answer 503.
  void set_alerts(services::AlertService &alerts);
  //! Serves /tickets, /inspections and /stations/{id}/healing with these rules, publishing ticket
  //! changes on `bus` (maintenance.cpp); before the first request. Without it the writes answer 503.
  void set_maintenance(services::MaintenanceService &maintenance, domain::EventBus &bus, bool healing_enabled);
  //! Serves /firmware and a station's firmware with these services; uploads are written and hashed
  //! on `io` (firmware.cpp); before the first request. Without them: 503.
  void set_firmware(services::FirmwareService &files, services::FirmwareCampaigns *campaigns,
                    services::BlockingRunner io);
  //! Hosts GetDiagnostics/GetLog uploads (a command without a location) and serves the files,
  //! monitors, monitoring events and customer information (diagnostics.cpp); before the first request.
  void set_diagnostics(services::DiagnosticsService &diagnostics);

  //! Publishes the driver portal's problem reports (report.created) on this bus (drive_sessions.cpp);
  //! before the first request. Without one, reports are stored but not published.
  void set_bus(domain::EventBus &bus);

  //! Handles one request under /api/v1; `done` runs once, on some thread.
  void handle(Request request, std::function<void(Response)> done);

  //! Resolves a bearer credential (for the event stream, which the HTTP layer serves itself):
  //! the principal, or the error response to send.
  void authenticate(const std::string &authorization,
                    std::function<void(std::optional<domain::Principal>, Response error)> done);

  struct Impl;

private:
  void resolve(const std::shared_ptr<Ctx> &ctx, domain::Role least, std::function<void()> then);
  std::unique_ptr<Impl> impl_;
};

//! A request path or target as logs may show it: a driver portal session's id (a `ds_` segment,
//! the session's bearer capability) becomes "ds#" and a prefix of its hash, as in the audit log.
std::string loggable_path(std::string_view path);

} // namespace gridlane::api
