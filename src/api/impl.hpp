#pragma once
// Private to the API library: request context, route table, helpers shared by the handlers.
#include <boost/json.hpp>
#include <memory>

#include "gridlane/api/api.hpp"
#include "gridlane/api/json.hpp"
#include "gridlane/api/problem.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/account_service.hpp"
#include "gridlane/services/admin_service.hpp"
#include "gridlane/services/cdr_service.hpp"
#include "gridlane/services/diagnostics_service.hpp"
#include "gridlane/services/driver_service.hpp"
#include "gridlane/services/energy_config_service.hpp"
#include "gridlane/services/energy_service.hpp"
#include "gridlane/services/invoice_service.hpp"
#include "gridlane/services/location_service.hpp"
#include "gridlane/services/payment_service.hpp"
#include "gridlane/services/tariff_service.hpp"

namespace gridlane::services {
class MaintenanceService;
}

namespace gridlane::pricing {
struct PricedSession;
}

namespace gridlane::api {
namespace json = boost::json;

struct Ctx {
  Request req;
  std::map<std::string, std::string> path; //!< {name} segments of the route
  domain::Principal who;
  bool authenticated = false; //!< `who` comes from a valid credential
  std::function<void(Response)> done;
  Api::Impl *api = nullptr;

  Ctx() = default;
  Ctx(const Ctx &) = delete;
  Ctx &operator=(const Ctx &) = delete;
  ~Ctx();

  void reply(int status, const json::value &body);
  //! Answers the problem+json of a service error (problem.hpp: the one mapping).
  void fail(const domain::ServiceError &e);
  void problem(int status, const std::string &detail);
  //! A problem+json with Retry-After (429, 503).
  void problem(int status, const std::string &detail, std::chrono::seconds retry_after);

  // Reading the request; a malformed one is an error value (400, 404 for a path).
  domain::Result<json::object> json_body() const;                   //!< the body as a JSON object
  domain::Result<domain::PageRequest> page() const;                 //!< ?limit (default 100, at most 1000), ?offset
  domain::Result<std::int64_t> path_number(const char *what) const; //!< {id} as an integer; 404 "no such <what>"
  domain::Result<domain::StationId> path_station() const;           //!< {id} as a station id; 404 "no such station"
  //! ?name: nullopt when absent.
  std::optional<std::string> query_param(const char *name) const;
};
using CtxPtr = std::shared_ptr<Ctx>;

struct Api::Impl {
  domain::StoreExecutor &store;
  const core::Clock &clock;
  services::CommandService &commands;
  domain::StationGateway &gateway;
  services::BlockingRunner blocking;
  ApiOptions options;
  services::CompatService *compat = nullptr; //!< station compatibility settings (compat.cpp)
  domain::StationTrace *trace = nullptr;     //!< the per-station OCPP trace switch (trace.cpp)
  services::LocationService locations{};     //!< the rules of the physical model (locations.cpp)
  services::AccountService accounts{};       //!< accounts, plans, coupons, loyalty (accounts.cpp)
  services::TariffService tariffs{};         //!< the rules of stored tariffs (tariffs.cpp)
  core::CredentialThrottle login_throttle{options.login_per_user, options.login_per_address, clock};
  services::AdminService admin{clock};    //!< the rules shared with the admin CLI
  services::DriverService drivers{clock}; //!< the driver portal's rules (drive.cpp)
  domain::EventBus *bus = nullptr;        //!< where problem reports are published (drive_sessions.cpp)
  //! Problem reports per client address: each report counts, at most 10 an hour (drive_sessions.cpp).
  core::FailureThrottle report_throttle{core::ThrottleLimits{10, std::chrono::hours{1}, std::chrono::hours{1}, 10000},
                                        clock};
  //! Failed driver logins, apart from the operators' (drive.cpp).
  core::CredentialThrottle driver_throttle{options.login_per_user, options.login_per_address, clock};
  services::InvoiceService *invoices = nullptr;  //!< invoice runs and revenue (invoices.cpp)
  services::PaymentService *payments = nullptr;  //!< authorisations, captures, refunds (payments.cpp)
  services::CdrService *cdrs = nullptr;          //!< CDRs: credits and their listeners (cdrs.cpp)
  services::EnergyConfigService energy_config{}; //!< the rules of energy management's configuration (energy.cpp)
  services::EnergyControl *energy = nullptr;     //!< the energy manager, when it runs (energy.cpp)
  ocpi::PartnerService *partners = nullptr;      //!< roaming partners (ocpi_partners.cpp)
  services::BlockingRunner roaming_calls{};      //!< where calls to partners run (ocpi_partners.cpp)
  services::AlertService *alerts = nullptr;      //!< alert rules, channels, alerts (alerts.cpp)

  // Maintenance tickets, inspections and self-healing's history (maintenance.cpp).
  services::MaintenanceService *maintenance = nullptr;
  domain::EventBus *maintenance_bus = nullptr;      //!< where ticket changes are published
  bool healing_enabled = false;                     //!< [healing] enabled, shown per station
  services::FirmwareService *firmware = nullptr;    //!< firmware files and reports (firmware.cpp)
  services::FirmwareCampaigns *campaigns = nullptr; //!< firmware campaigns (firmware.cpp)
  services::BlockingRunner firmware_io{};           //!< where uploads are written and hashed (firmware.cpp)

  //! Hosted log uploads and their files (diagnostics.cpp).
  services::DiagnosticsService *diagnostics = nullptr;

  using Unit = std::function<domain::Result<json::value>(domain::Repository &)>;
  //! Runs fn as a unit of work on the store and replies `status` with its value, or the problem
  //! of its error; an exception (a broken store) is logged and answered 500. `after_commit`, if
  //! any, runs once a successful unit is committed, before the reply.
  void unit(const CtxPtr &ctx, int status, Unit fn, std::function<void()> after_commit = nullptr);
  //! Runs `work` on the blocking pool (password hashing); `work` answers the request itself. A
  //! full queue or a wait too long is 503 with Retry-After; an exception 500.
  void run_blocking(const CtxPtr &ctx, std::function<void()> work);
};

//! A string member of a request body: missing "'key' is required", another type "'key' must be a
//! string" (422, the field named).
domain::Result<std::string> text_member(const json::object &o, std::string_view key);
//! The same, optional: absent (or null, with `null_ok`) is nullopt.
domain::Result<std::optional<std::string>> optional_text_member(const json::object &o, std::string_view key,
                                                                bool null_ok = false);

//! The page object of a list: {"items", "limit", "offset", "next_offset", "total"}.
json::object page_json(json::array items, const domain::PageRequest &page, std::int64_t total);

using Handler = void (*)(const CtxPtr &);

// diagnostics.cpp
void list_diagnostics_files(const CtxPtr &c);
void get_diagnostics_file(const CtxPtr &c);
void list_station_monitors(const CtxPtr &c);
void list_monitoring_events(const CtxPtr &c);
void list_customer_information(const CtxPtr &c);

// resources.cpp
void login(const CtxPtr &c);
void logout(const CtxPtr &c);
void me(const CtxPtr &c);
void list_stations(const CtxPtr &c);
void create_station(const CtxPtr &c);
void get_station(const CtxPtr &c);
void accept_station(const CtxPtr &c);
void enable_station(const CtxPtr &c);
void disable_station(const CtxPtr &c);
void set_station_password(const CtxPtr &c);
void set_station_site(const CtxPtr &c);
void delete_station(const CtxPtr &c);
void station_status_history(const CtxPtr &c);
void station_events(const CtxPtr &c);
void station_frames(const CtxPtr &c);
void list_transactions(const CtxPtr &c);
void get_transaction(const CtxPtr &c);
void list_tokens(const CtxPtr &c);
void get_token(const CtxPtr &c);
void put_token(const CtxPtr &c);
void delete_token(const CtxPtr &c);
void import_tokens(const CtxPtr &c);
void list_audit(const CtxPtr &c);
void create_user(const CtxPtr &c);
void list_users(const CtxPtr &c);
void update_user(const CtxPtr &c);
void list_energy_sites(const CtxPtr &c);
void create_api_key(const CtxPtr &c);
void list_api_keys(const CtxPtr &c);
void revoke_api_key(const CtxPtr &c);
// firmware.cpp
void list_firmware_files(const CtxPtr &c);
void upload_firmware_file(const CtxPtr &c);
void get_firmware_file(const CtxPtr &c);
void patch_firmware_file(const CtxPtr &c);
void delete_firmware_file(const CtxPtr &c);
void station_firmware(const CtxPtr &c);
void station_firmware_history(const CtxPtr &c);
void station_security_events(const CtxPtr &c);
void create_campaign(const CtxPtr &c);
void list_campaigns(const CtxPtr &c);
void get_campaign(const CtxPtr &c);
void campaign_stations(const CtxPtr &c);
void start_campaign(const CtxPtr &c);
void pause_campaign(const CtxPtr &c);
void resume_campaign(const CtxPtr &c);
void cancel_campaign(const CtxPtr &c);

// compat.cpp
void get_station_compat(const CtxPtr &c);
void put_station_compat(const CtxPtr &c);
// trace.cpp
void get_station_trace(const CtxPtr &c);
void put_station_trace(const CtxPtr &c);
// locations.cpp
void list_locations(const CtxPtr &c);
void create_location(const CtxPtr &c);
void get_location(const CtxPtr &c);
void update_location(const CtxPtr &c);
void delete_location(const CtxPtr &c);
void set_station_location(const CtxPtr &c);
void list_station_evses(const CtxPtr &c);
void create_station_evse(const CtxPtr &c);
void get_evse(const CtxPtr &c);
void put_evse(const CtxPtr &c);
void delete_evse(const CtxPtr &c);
void put_evse_connector(const CtxPtr &c);
//! What a unit of work answers when the status depends on what it did (201 created, 200
//! replaced): a status and body, or the error of the first rule broken (nothing is written then).
struct Answer {
  int status = 200;
  json::value body;
};
//! Runs `fn` as a unit of work and answers its Answer, its ServiceError as problem+json, or 500
//! (logged) when the store failed (locations.cpp; used by locations.cpp and tariffs.cpp).
void respond(const CtxPtr &c, std::function<domain::Result<Answer>(domain::Repository &)> fn);
// invoices.cpp
void run_invoices(const CtxPtr &c);
void list_invoices(const CtxPtr &c);
void get_invoice(const CtxPtr &c);
void revenue_report(const CtxPtr &c);
// reports.cpp
void report_utilisation(const CtxPtr &c);
void report_sessions(const CtxPtr &c);
void report_success(const CtxPtr &c);
void report_peak_load(const CtxPtr &c);
void rebuild_reports(const CtxPtr &c);
// cdrs.cpp
void list_cdrs(const CtxPtr &c);
void get_cdr(const CtxPtr &c);
void export_cdrs_csv(const CtxPtr &c);
void credit_cdr(const CtxPtr &c);
// tariff_assignments.cpp
void list_tariff_assignments(const CtxPtr &c);
void create_tariff_assignment(const CtxPtr &c);
void get_tariff_assignment(const CtxPtr &c);
void delete_tariff_assignment(const CtxPtr &c);
void transaction_cost(const CtxPtr &c);
// tariff_preview.cpp
void preview_tariff(const CtxPtr &c);
// overview.cpp
void overview(const CtxPtr &c);
//! A priced session with the OCPI CDR field names (the preview's answer, a transaction's cost).
json::object priced_json(const pricing::PricedSession &p);
// accounts.cpp
void list_accounts(const CtxPtr &c);
void create_account(const CtxPtr &c);
void get_account(const CtxPtr &c);
void update_account(const CtxPtr &c);
void delete_account(const CtxPtr &c);
void put_account_token(const CtxPtr &c);
void delete_account_token(const CtxPtr &c);
void put_subscription(const CtxPtr &c);
void delete_subscription(const CtxPtr &c);
void claim_account_coupon(const CtxPtr &c);
void get_account_loyalty(const CtxPtr &c);
void adjust_account_loyalty(const CtxPtr &c);
void preview_account_benefits(const CtxPtr &c);
void list_billing_plans(const CtxPtr &c);
void get_billing_plan(const CtxPtr &c);
void put_billing_plan(const CtxPtr &c);
void delete_billing_plan(const CtxPtr &c);
void list_coupons(const CtxPtr &c);
void get_coupon(const CtxPtr &c);
void put_coupon(const CtxPtr &c);
void delete_coupon(const CtxPtr &c);
// tariffs.cpp
void list_tariffs(const CtxPtr &c);
void get_tariff(const CtxPtr &c);
void put_tariff(const CtxPtr &c);
void delete_tariff(const CtxPtr &c);
// energy.cpp
void get_energy_grid(const CtxPtr &c);
void put_energy_grid(const CtxPtr &c);
void delete_energy_grid(const CtxPtr &c);
void list_energy_circuits(const CtxPtr &c);
void get_energy_circuit(const CtxPtr &c);
void put_energy_circuit(const CtxPtr &c);
void delete_energy_circuit(const CtxPtr &c);
void list_energy_evses(const CtxPtr &c);
void put_energy_evse(const CtxPtr &c);
void delete_energy_evse(const CtxPtr &c);
void put_energy_series(const CtxPtr &c);
void get_energy_series(const CtxPtr &c);
void put_energy_prices(const CtxPtr &c);
void get_energy_prices(const CtxPtr &c);
void delete_energy_prices(const CtxPtr &c);
void create_energy_dr(const CtxPtr &c);
void list_energy_dr(const CtxPtr &c);
void delete_energy_dr(const CtxPtr &c);
void list_energy_priorities(const CtxPtr &c);
void get_energy_priority(const CtxPtr &c);
void put_energy_priority(const CtxPtr &c);
void delete_energy_priority(const CtxPtr &c);
void get_departure(const CtxPtr &c);
void put_departure(const CtxPtr &c);
void get_energy_picture(const CtxPtr &c);
// commands.cpp
void send_command(const CtxPtr &c);
void get_command(const CtxPtr &c);
void list_station_commands(const CtxPtr &c);
// drive.cpp: the driver portal (public routes and driver routes authenticate themselves)
void create_driver(const CtxPtr &c);
void list_drivers(const CtxPtr &c);
void delete_driver(const CtxPtr &c);
void drive_chargers(const CtxPtr &c);
void drive_evse(const CtxPtr &c);
void drive_login(const CtxPtr &c);
void drive_logout(const CtxPtr &c);
void drive_me(const CtxPtr &c);
// drive_sessions.cpp
void drive_start(const CtxPtr &c);
void drive_session(const CtxPtr &c);
void drive_stop(const CtxPtr &c);
void drive_receipt(const CtxPtr &c);
void drive_my_sessions(const CtxPtr &c);
void drive_report(const CtxPtr &c);
void list_reports(const CtxPtr &c);
void update_report(const CtxPtr &c);
// payments.cpp
void authorize_payment(const CtxPtr &c);
void cancel_payment(const CtxPtr &c);
void list_payments(const CtxPtr &c);
void get_payment(const CtxPtr &c);
// ocpi_partners.cpp
void list_ocpi_partners(const CtxPtr &c);
void create_ocpi_partner(const CtxPtr &c);
void get_ocpi_partner(const CtxPtr &c);
void update_ocpi_partner(const CtxPtr &c);
void delete_ocpi_partner(const CtxPtr &c);
void register_ocpi_partner(const CtxPtr &c);
void rotate_ocpi_partner(const CtxPtr &c);
void suspend_ocpi_partner(const CtxPtr &c);
void resume_ocpi_partner(const CtxPtr &c);
// alerts.cpp
void list_alert_rules(const CtxPtr &c);
void create_alert_rule(const CtxPtr &c);
void get_alert_rule(const CtxPtr &c);
void put_alert_rule(const CtxPtr &c);
void delete_alert_rule(const CtxPtr &c);
void list_alert_channels(const CtxPtr &c);
void create_alert_channel(const CtxPtr &c);
void get_alert_channel(const CtxPtr &c);
void delete_alert_channel(const CtxPtr &c);
void list_alerts(const CtxPtr &c);
void get_alert(const CtxPtr &c);
void acknowledge_alert(const CtxPtr &c);
void resolve_alert(const CtxPtr &c);
void list_alert_deliveries(const CtxPtr &c);
// maintenance.cpp
void list_tickets(const CtxPtr &c);
void create_ticket(const CtxPtr &c);
void get_ticket(const CtxPtr &c);
void update_ticket(const CtxPtr &c);
void delete_ticket(const CtxPtr &c);
void add_ticket_note(const CtxPtr &c);
void list_inspections(const CtxPtr &c);
void create_inspection(const CtxPtr &c);
void get_inspection(const CtxPtr &c);
void delete_inspection(const CtxPtr &c);
void get_station_healing(const CtxPtr &c);
void put_station_healing(const CtxPtr &c);

// availability.cpp: availability and uptime (docs/operations.md)
void list_outages(const CtxPtr &c);
void export_outages_csv(const CtxPtr &c);
void get_outage(const CtxPtr &c);
void patch_outage(const CtxPtr &c);
void station_timeline(const CtxPtr &c);
void station_uptime(const CtxPtr &c);
void location_uptime(const CtxPtr &c);
void uptime_report(const CtxPtr &c);
void uptime_report_csv(const CtxPtr &c);

} // namespace gridlane::api
