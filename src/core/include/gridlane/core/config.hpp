#pragma once
//! Server configuration: defaults that run with no file at all, overridden by a TOML file.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace gridlane::core {

//! What happens when a station that is not in the database connects.
enum class UnknownStationPolicy {
  Reject,  //!< HTTP 404 at the WebSocket handshake
  Pending, //!< registered as pending; BootNotification answered Pending until an operator accepts it
  Accept,  //!< registered and accepted automatically
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8180;
  //! Network threads; 0: one per core but one, which is left to the store's writer thread (on
  //! two cores, one network thread beats two: fewer hand-offs between threads per message).
  int threads = 0;
};

struct OcppConfig {
  UnknownStationPolicy unknown_station = UnknownStationPolicy::Accept;
  int heartbeat_interval_s = 300;      //!< sent in an accepted BootNotification
  int pending_retry_interval_s = 60;   //!< sent in a Pending BootNotification
  std::size_t max_frame_bytes = 65536; //!< larger frames close the connection with 1009
  //! With no frame for half this long the server pings; with nothing at all for this long
  //! (not even a pong) it closes the connection.
  int idle_timeout_s = 300;
  bool keepalive_pings = true;
  int call_timeout_s = 30;            //!< a CALL to a station unanswered for this long fails
  std::size_t max_pending_calls = 64; //!< outbound CALLs queued per station
  std::size_t max_write_queue = 256;  //!< outbound frames queued per connection before it is dropped
  std::size_t recent_frames = 20;     //!< frames kept per connection for /api/v1/stations/{id}/frames
  bool permessage_deflate = true;
  //! The subprotocols served, most preferred first: a station offering several gets the first
  //! of these it offers.
  std::vector<std::string> subprotocols = {"ocpp2.1", "ocpp2.0.1", "ocpp1.6"};
  //! A 1.6 StartTransaction is taken as the transaction of a remote start (same tag, and the
  //! command's connector if it named one) only while the RemoteStartTransaction is unanswered or
  //! for this long after the station accepted it. 2.x transactions are matched by remoteStartId.
  int remote_start_window_s = 30;
  //! Ask a 2.x station for its full device model (GetBaseReport) once it is accepted and none is stored.
  bool request_base_report = true;
  //! Enables POST /debug/stations/{id}/call, which sends any CALL to a connected station.
  //! For integration testing and troubleshooting on a trusted network only.
  bool debug_call_endpoint = false;
};

//! Where the store is, as `database.url`: `sqlite:PATH` (relative to the working directory),
//! `sqlite:///abs/path.db` or `sqlite:/abs/path.db`. `postgres:` / `postgresql:` URLs are
//! recognised (store::open answers that this build has no such engine). The config key
//! `database.path` and the `--db` option are aliases: a plain file path means `sqlite:PATH`.
struct DatabaseConfig {
  std::string url = "sqlite:gridlane.db";
  //! SQLite "synchronous" pragma: "full" survives power loss, "normal" survives a crash of the process.
  std::string synchronous = "full";
  std::size_t max_batch = 512;   //!< jobs committed together at most (group commit)
  int commit_interval_us = 1000; //!< under load, at most one commit (one disk sync) this often
};

//! Credential checks: where argon2id runs, and how failed attempts are throttled. The same
//! limits apply to API logins (per user name) and station Basic auth (per station id); each
//! also counts per client address, with its own, higher limit (many users may share one).
struct AuthConfig {
  int hash_threads = 2;              //!< threads that run argon2id (about 19 MiB each while hashing)
  std::size_t hash_queue = 64;       //!< checks waiting per lane (stations, API); more are answered 503
  int hash_wait_ms = 2000;           //!< a check not started by then is answered 503 with Retry-After
  int max_failures = 10;             //!< failures of one user or station within the window that lock it
  int max_failures_per_address = 50; //!< failures from one client address within the window that lock it
  int failure_window_s = 60;
  int lockout_s = 60; //!< a locked user, station or address is answered 429 this long
};

//! The driver's live cost (docs/ocpp.md, "Tariff and cost"): the running total sent during a
//! session (2.x CostUpdated, 1.6 pricing extension RunningCost) and the tariff text shown.
struct PricingConfig {
  //! How often a running session's cost is sent; 0: never (the final cost is still sent).
  //! In the file as "60s", "5m", "1h" or a whole number of seconds.
  std::chrono::seconds cost_update_interval{60};
  //! The language of the tariff text when a tariff has several and none was asked for (ISO 639-1).
  std::string tariff_language = "en";
};

//! [payments] (docs/payments.md): the card provider for ad-hoc sessions. The secret key is read
//! from the file or, when the file has none, from the environment variable `secret_key_env`.
struct PaymentsConfig {
  std::string card_provider = "none";              //!< "none" or "stripe" (the PaymentIntents API)
  std::string base_url = "https://api.stripe.com"; //!< https://; http:// only to a loopback address
  std::string secret_key;
  std::string secret_key_env = "GRIDLANE_PAYMENTS_SECRET_KEY";
  int timeout_ms = 10000;    //!< one provider call at most this long (then retried with its key)
  int threads = 1;           //!< threads that make provider calls (never network or store threads)
  std::size_t queue = 256;   //!< provider calls waiting for a thread; more are answered 503
  int token_ttl_s = 900;     //!< an authorisation's one-time id token unused this long is released
  int retry_interval_s = 30; //!< unanswered calls are retried (same key) and expired holds released this often
};

//! [energy] (docs/configuration.md, docs/energy.md): the energy manager's run-time settings
//! (services::EnergyOptions, filled from this in apps/gridlane/serve.cpp).
struct EnergyConfig {
  bool enabled = true;
  std::int64_t hysteresis_ma = 1000;         //!< "hysteresis" in A: a raise smaller than this is not sent
  std::chrono::seconds min_interval{10};     //!< at most one raise per EVSE this often
  std::chrono::seconds replan_interval{300}; //!< the sites are read again and re-planned this often
  int horizon_slots = 96;
  std::chrono::seconds slot{900};
  std::chrono::seconds underdraw_after{60};
  std::int64_t overdraw_tolerance_ma = 1000; //!< "overdraw_tolerance" in A
  bool verify = true;                        //!< GetCompositeSchedule after a profile
};

//! The compiled-in web root: the source tree's `web/dist` (a built checkout just works).
std::string default_web_root();

//! [web] (docs/configuration.md, docs/console.md "Serving the console"): the console's files.
struct WebConfig {
  bool enabled = true;                   //!< false: nothing is served under `/` but the server's own paths
  std::string root = default_web_root(); //!< the built web/dist, read once at start
};

//! [ocpi] (docs/ocpi.md, docs/configuration.md): roaming as a CPO over OCPI 2.2.1.
struct OcpiConfig {
  bool enabled = true;             //!< false: /ocpi answers 404 and nothing is pushed
  std::string base_url;            //!< the public URL partners reach Gridlane at ("https://cpo.example.com");
                                   //!< empty: http://<server.listen>
  std::string country_code = "DE"; //!< Gridlane's own party (ISO 3166 alpha-2)
  std::string party_id = "GRL";    //!< 3 characters [A-Z0-9]
  std::string business_name = "Gridlane";
  std::size_t page_limit = 100;        //!< the largest page a list GET answers (X-Limit)
  int request_timeout_ms = 10000;      //!< one call to a partner at most this long
  int retry_min_ms = 1000;             //!< the outbox's first back-off after a failed push
  int retry_max_ms = 300000;           //!< the longest back-off
  int realtime_auth_timeout_ms = 3000; //!< POST {token}/authorize at the eMSP waits this long
  int threads = 2;                     //!< threads making calls to partners (never network or store threads)
  //! Whether a plain http:// partner URL is allowed for a loopback host (tests, local peers). Off
  //! by default: a partner must not make Gridlane call local services over plain http.
  bool allow_plain_http_to_loopback = false;
};

//! [availability] (docs/operations.md "Availability and uptime", docs/configuration.md): when a
//! station counts as offline (services::AvailabilityOptions).
struct AvailabilityConfig {
  int offline_after_heartbeats = 3; //!< nothing heard for this many heartbeat intervals: offline (silent)
  int disconnect_grace_s = 10;      //!< a station that connects again within this is no outage
};

//! [alerts] (docs/operations.md "Alerts", docs/configuration.md): delivery of alerts by webhook
//! and e-mail.
struct AlertsConfig {
  bool enabled = true;           //!< false: no rule is evaluated and nothing is delivered
  std::string smtp_url;          //!< the relay ("smtp://relay.example.com:587", "smtps://..."); empty: no e-mail
  std::string smtp_from;         //!< the envelope and From address
  std::string smtp_username;     //!< empty: no SMTP AUTH
  std::string smtp_password;     //!< or smtp_password_env names the environment variable holding it
  bool smtp_require_tls = false; //!< smtp://: STARTTLS required (else used when the relay offers it)
  int max_attempts = 8;          //!< a delivery is given up after this many attempts
  int retry_min_ms = 5000;       //!< the first back-off; doubled after each failed attempt
  int retry_max_ms = 3600000;    //!< the longest back-off
  int timeout_ms = 10000;        //!< one webhook POST or SMTP exchange at most this long
  //! Whether a plain http:// webhook URL is allowed for a loopback host (tests, a local relay).
  //! Off by default: webhooks go over https://.
  bool allow_plain_http_to_loopback = false;
  int uptime_check_s = 900; //!< how often the uptime_below rules are evaluated
};

//! [healing] (docs/operations.md "Self-healing", docs/configuration.md): the playbooks that act on
//! a faulted connector or an offline station before a person has to. The step names are checked when serve starts
//! (services::HealingService).
struct HealingConfig {
  bool enabled = false;              //!< off: faults are only recorded by the other parts
  bool reset_during_session = false; //!< true: a station with a running session may be reset
  int start_after_s = 30;            //!< a fault must last this long before the first step
  int offline_after_s = 900;         //!< a station must be offline this long before the offline playbook
  int step_wait_s = 60;              //!< the wait after the first step for the connector to recover
  int backoff = 2;                   //!< each later wait is this many times the one before
  int max_wait_s = 1800;             //!< no wait longer than this
  int max_attempts = 3;              //!< steps that send a command before the playbook gives up
  //! The steps for a connector Faulted without an error code (NoError, 2.x), in order.
  std::vector<std::string> faulted{"trigger_status", "soft_reset", "hard_reset", "make_unavailable", "open_ticket"};
  //! The steps for a connector Faulted with a 1.6 error code.
  std::vector<std::string> faulted_with_code{"trigger_status", "soft_reset", "hard_reset", "make_unavailable",
                                             "open_ticket"};
  //! The steps for a station offline (its connection ended, or it fell silent), in order.
  std::vector<std::string> offline{"reconnect", "open_ticket"};
};

//! [maintenance] (docs/operations.md "Maintenance tickets", docs/configuration.md): the SLA of a
//! ticket by priority (its due time after it was opened) and how often inspections are checked.
struct MaintenanceConfig {
  std::chrono::seconds sla_urgent{std::chrono::hours(4)}; //!< "sla_urgent": "30m", "4h", "2d"
  std::chrono::seconds sla_high{std::chrono::hours(24)};
  std::chrono::seconds sla_normal{std::chrono::hours(72)};
  std::chrono::seconds sla_low{std::chrono::hours(168)};
  int inspection_check_s = 60; //!< due inspection schedules are looked for this often
};

//! [firmware] (docs/operations.md "Firmware", docs/configuration.md): firmware files and campaigns.
struct FirmwareConfig {
  std::size_t max_file_mb = 256; //!< the largest firmware file an upload may carry (MiB)
  //! The base of the URL handed to stations ("http://fw.example.com:8180"); empty: http://<bound listener>.
  std::string public_url;
  //! Where uploaded files are kept; empty: a `firmware` folder beside the SQLite database.
  std::string directory;
  int campaign_tick_s = 5;      //!< campaigns look for stations to start and overdue ones this often
  int station_timeout_s = 7200; //!< a station not done this long after its UpdateFirmware has failed
};

//! [diagnostics] (docs/operations.md "Diagnostics and monitoring", docs/configuration.md): the log
//! uploads Gridlane hosts for GetDiagnostics / GetLog.
struct DiagnosticsConfig {
  std::string dir;                  //!< where received files are kept; empty: "diagnostics" beside the SQLite database
  std::string public_url;           //!< the base of upload URLs stations are given; empty: http://<server.listen>
  std::int64_t max_upload_mb = 64;  //!< a larger upload is refused with 413 before it is read (1..4096)
  std::int64_t token_ttl_s = 86400; //!< how long an upload URL can be used (1..604800)
};

//! [metrics] (docs/operations.md "Observability", docs/configuration.md): GET /metrics.
struct MetricsConfig {
  bool enabled = true; //!< false: /metrics answers 404 and OCPP messages are not counted
  std::string token;   //!< when set, GET /metrics needs "Authorization: Bearer <token>" (401 without)
};

struct Config {
  ServerConfig server;
  OcppConfig ocpp;
  DatabaseConfig database;
  AuthConfig auth;
  PricingConfig pricing;
  std::string log_level = "info";
  std::string log_format = "text"; //!< [log] format: "text" or "json" (one JSON object per line)
  PaymentsConfig payments;
  EnergyConfig energy;
  WebConfig web;
  OcpiConfig ocpi;
  AvailabilityConfig availability;
  AlertsConfig alerts; // operations: alerts
  HealingConfig healing;
  MaintenanceConfig maintenance;
  FirmwareConfig firmware;
  DiagnosticsConfig diagnostics;
  MetricsConfig metrics;
};

class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

enum class DatabaseEngine { Sqlite, Postgres };

struct DatabaseUrl {
  DatabaseEngine engine = DatabaseEngine::Sqlite;
  std::string target; //!< SQLite: the file path; PostgreSQL: the URL as given (a libpq conninfo)
};

//! Parses a `database.url`. Throws ConfigError on an unknown scheme or a malformed URL.
DatabaseUrl parse_database_url(const std::string &url);

//! `--db` / `database.path`: a URL of a known engine stays as it is; anything else is a SQLite
//! file path and becomes `sqlite:PATH`.
std::string database_url_of(const std::string &path_or_url);

//! Checks `[ocpi]` (party, base URL, limits) and normalises it (upper-case party, no final '/'
//! in base_url). Throws ConfigError naming the key.
void check_ocpi(OcpiConfig &o);

//! Reads a TOML file over the defaults. Throws ConfigError with the offending key on bad input.
Config load_config_file(const std::string &path);

//! Parses "HOST:PORT" ("[::1]:80" for IPv6). Throws ConfigError.
void parse_listen(const std::string &text, ServerConfig &out);

UnknownStationPolicy parse_unknown_station_policy(const std::string &text);

//! "90s", "5m", "1h" or "90" (seconds), 0 to 86400 s. Throws ConfigError naming `key`.
std::chrono::seconds parse_interval(const std::string &text, const std::string &key);

} // namespace gridlane::core
