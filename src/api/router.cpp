// Routing, authentication, roles, errors and the audit log: the one place an API failure
// becomes an HTTP status.
#include <array>
#include <charconv>
#include <optional>

#include "gridlane/core/json_text.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

void openapi(const CtxPtr &c) {
  Response r;
  r.body = std::string(openapi_document());
  auto finish = std::move(c->done);
  if (finish) finish(std::move(r));
}

struct Route {
  const char *method;
  const char *pattern;      //!< "/stations/{id}"
  std::optional<Role> role; //!< the least role allowed; nullopt: no credentials needed
  Handler handler;
};

constexpr Role V = Role::Viewer, O = Role::Operator, A = Role::Admin;
const std::array routes = {
    Route{"POST", "/auth/login", std::nullopt, login},
    Route{"POST", "/auth/logout", V, logout},
    Route{"GET", "/me", V, me},
    Route{"GET", "/overview", V, overview},
    Route{"GET", "/stations", V, list_stations},
    Route{"POST", "/stations", O, create_station},
    Route{"GET", "/stations/{id}", V, get_station},
    Route{"DELETE", "/stations/{id}", A, delete_station},
    Route{"POST", "/stations/{id}/accept", O, accept_station},
    Route{"POST", "/stations/{id}/enable", O, enable_station},
    Route{"POST", "/stations/{id}/disable", O, disable_station},
    Route{"PUT", "/stations/{id}/password", A, set_station_password},
    Route{"PUT", "/stations/{id}/site", O, set_station_site},
    Route{"GET", "/stations/{id}/compat", V, get_station_compat},
    Route{"PUT", "/stations/{id}/compat", O, put_station_compat},
    Route{"GET", "/stations/{id}/firmware", V, station_firmware},
    Route{"GET", "/stations/{id}/firmware/history", V, station_firmware_history},
    Route{"GET", "/stations/{id}/security-events", V, station_security_events},
    Route{"GET", "/firmware/files", V, list_firmware_files},
    Route{"POST", "/firmware/files", O, upload_firmware_file},
    Route{"GET", "/firmware/files/{id}", V, get_firmware_file},
    Route{"PATCH", "/firmware/files/{id}", O, patch_firmware_file},
    Route{"DELETE", "/firmware/files/{id}", O, delete_firmware_file},
    Route{"GET", "/firmware/campaigns", V, list_campaigns},
    Route{"POST", "/firmware/campaigns", O, create_campaign},
    Route{"GET", "/firmware/campaigns/{id}", V, get_campaign},
    Route{"GET", "/firmware/campaigns/{id}/stations", V, campaign_stations},
    Route{"POST", "/firmware/campaigns/{id}/start", O, start_campaign},
    Route{"POST", "/firmware/campaigns/{id}/pause", O, pause_campaign},
    Route{"POST", "/firmware/campaigns/{id}/resume", O, resume_campaign},
    Route{"POST", "/firmware/campaigns/{id}/cancel", O, cancel_campaign},
    Route{"GET", "/stations/{id}/trace", V, get_station_trace},
    Route{"PUT", "/stations/{id}/trace", O, put_station_trace},
    Route{"GET", "/stations/{id}/status-history", V, station_status_history},
    Route{"GET", "/stations/{id}/events", V, station_events},
    Route{"GET", "/stations/{id}/frames", O, station_frames},
    Route{"GET", "/stations/{id}/commands", V, list_station_commands},
    Route{"POST", "/stations/{id}/commands", O, send_command},
    Route{"GET", "/commands/{id}", V, get_command},
    Route{"GET", "/transactions", V, list_transactions},
    Route{"GET", "/transactions/{id}", V, get_transaction},
    Route{"GET", "/id-tokens", V, list_tokens},
    Route{"POST", "/id-tokens/import", O, import_tokens},
    Route{"GET", "/id-tokens/{id}", V, get_token},
    Route{"PUT", "/id-tokens/{id}", O, put_token},
    Route{"DELETE", "/id-tokens/{id}", O, delete_token},
    Route{"GET", "/audit", A, list_audit},
    Route{"GET", "/users", A, list_users},
    Route{"POST", "/users", A, create_user},
    Route{"PATCH", "/users/{id}", A, update_user},
    Route{"GET", "/api-keys", A, list_api_keys},
    Route{"POST", "/api-keys", A, create_api_key},
    Route{"DELETE", "/api-keys/{id}", A, revoke_api_key},
    Route{"POST", "/tariffs/preview", V, preview_tariff},
    Route{"GET", "/locations", V, list_locations},
    Route{"POST", "/locations", O, create_location},
    Route{"GET", "/locations/{id}", V, get_location},
    Route{"PATCH", "/locations/{id}", O, update_location},
    Route{"DELETE", "/locations/{id}", A, delete_location},
    Route{"PUT", "/stations/{id}/location", O, set_station_location},
    Route{"POST", "/invoices/run", O, run_invoices},
    Route{"GET", "/invoices", V, list_invoices},
    Route{"GET", "/invoices/{id}", V, get_invoice}, // also {id}.pdf
    Route{"GET", "/reports/revenue", V, revenue_report},
    Route{"GET", "/reports/utilisation", V, report_utilisation},
    Route{"GET", "/reports/sessions", V, report_sessions},
    Route{"GET", "/reports/success", V, report_success},
    Route{"GET", "/reports/peak-load", V, report_peak_load},
    Route{"POST", "/reports/rebuild", O, rebuild_reports},
    Route{"GET", "/stations/{id}/evses", V, list_station_evses},
    Route{"POST", "/stations/{id}/evses", O, create_station_evse},
    Route{"GET", "/evses/{id}", V, get_evse},
    Route{"PUT", "/evses/{id}", O, put_evse},
    Route{"DELETE", "/evses/{id}", O, delete_evse},
    Route{"POST", "/evses/{id}/connectors", O, put_evse_connector},
    Route{"POST", "/payments/authorizations", O, authorize_payment},
    Route{"GET", "/payments", V, list_payments},
    Route{"GET", "/payments/{id}", V, get_payment},
    Route{"POST", "/payments/{id}/cancel", O, cancel_payment},
    Route{"GET", "/ocpi/partners", A, list_ocpi_partners},
    Route{"POST", "/ocpi/partners", A, create_ocpi_partner},
    Route{"GET", "/ocpi/partners/{id}", A, get_ocpi_partner},
    Route{"PATCH", "/ocpi/partners/{id}", A, update_ocpi_partner},
    Route{"DELETE", "/ocpi/partners/{id}", A, delete_ocpi_partner},
    Route{"POST", "/ocpi/partners/{id}/register", A, register_ocpi_partner},
    Route{"POST", "/ocpi/partners/{id}/rotate", A, rotate_ocpi_partner},
    Route{"POST", "/ocpi/partners/{id}/suspend", A, suspend_ocpi_partner},
    Route{"POST", "/ocpi/partners/{id}/resume", A, resume_ocpi_partner},
    Route{"GET", "/cdrs", V, list_cdrs},
    Route{"GET", "/cdrs.csv", V, export_cdrs_csv},
    Route{"GET", "/cdrs/{id}", V, get_cdr},
    Route{"POST", "/cdrs/{id}/credit", O, credit_cdr},
    Route{"GET", "/tariff-assignments", V, list_tariff_assignments},
    Route{"POST", "/tariff-assignments", O, create_tariff_assignment},
    Route{"GET", "/tariff-assignments/{id}", V, get_tariff_assignment},
    Route{"DELETE", "/tariff-assignments/{id}", O, delete_tariff_assignment},
    Route{"GET", "/transactions/{id}/cost", V, transaction_cost},
    Route{"GET", "/accounts", V, list_accounts},
    Route{"POST", "/accounts", O, create_account},
    Route{"GET", "/accounts/{id}", V, get_account},
    Route{"PATCH", "/accounts/{id}", O, update_account},
    Route{"DELETE", "/accounts/{id}", A, delete_account},
    Route{"PUT", "/account-tokens/{id}", O, put_account_token},
    Route{"DELETE", "/account-tokens/{id}", O, delete_account_token},
    Route{"PUT", "/accounts/{id}/subscription", O, put_subscription},
    Route{"DELETE", "/accounts/{id}/subscription", O, delete_subscription},
    Route{"POST", "/accounts/{id}/coupons", O, claim_account_coupon},
    Route{"GET", "/accounts/{id}/loyalty", V, get_account_loyalty},
    Route{"POST", "/accounts/{id}/loyalty", O, adjust_account_loyalty},
    Route{"POST", "/accounts/{id}/benefits/preview", V, preview_account_benefits},
    Route{"GET", "/billing-plans", V, list_billing_plans},
    Route{"GET", "/billing-plans/{id}", V, get_billing_plan},
    Route{"PUT", "/billing-plans/{id}", O, put_billing_plan},
    Route{"DELETE", "/billing-plans/{id}", A, delete_billing_plan},
    Route{"GET", "/coupons", V, list_coupons},
    Route{"GET", "/coupons/{id}", V, get_coupon},
    Route{"PUT", "/coupons/{id}", O, put_coupon},
    Route{"DELETE", "/coupons/{id}", A, delete_coupon},
    Route{"GET", "/tariffs", V, list_tariffs},
    Route{"GET", "/tariffs/{id}", V, get_tariff},
    Route{"PUT", "/tariffs/{id}", O, put_tariff},
    Route{"DELETE", "/tariffs/{id}", O, delete_tariff},
    Route{"GET", "/energy/sites", V, list_energy_sites},
    Route{"GET", "/locations/{id}/energy", V, get_energy_picture},
    Route{"GET", "/locations/{id}/energy/grid", V, get_energy_grid},
    Route{"PUT", "/locations/{id}/energy/grid", O, put_energy_grid},
    Route{"DELETE", "/locations/{id}/energy/grid", O, delete_energy_grid},
    Route{"GET", "/locations/{id}/energy/circuits", V, list_energy_circuits},
    Route{"GET", "/locations/{id}/energy/circuits/{cid}", V, get_energy_circuit},
    Route{"PUT", "/locations/{id}/energy/circuits/{cid}", O, put_energy_circuit},
    Route{"DELETE", "/locations/{id}/energy/circuits/{cid}", O, delete_energy_circuit},
    Route{"GET", "/locations/{id}/energy/evses", V, list_energy_evses},
    Route{"PUT", "/locations/{id}/energy/evses/{station}/{evse}", O, put_energy_evse},
    Route{"DELETE", "/locations/{id}/energy/evses/{station}/{evse}", O, delete_energy_evse},
    Route{"GET", "/locations/{id}/energy/series/{kind}", V, get_energy_series},
    Route{"PUT", "/locations/{id}/energy/series/{kind}", O, put_energy_series},
    Route{"GET", "/locations/{id}/energy/prices", V, get_energy_prices},
    Route{"PUT", "/locations/{id}/energy/prices", O, put_energy_prices},
    Route{"DELETE", "/locations/{id}/energy/prices", O, delete_energy_prices},
    Route{"GET", "/locations/{id}/energy/dr-events", V, list_energy_dr},
    Route{"POST", "/locations/{id}/energy/dr-events", O, create_energy_dr},
    Route{"DELETE", "/energy/dr-events/{id}", O, delete_energy_dr},
    Route{"GET", "/energy/priorities", V, list_energy_priorities},
    Route{"GET", "/energy/priorities/{group}", V, get_energy_priority},
    Route{"PUT", "/energy/priorities/{group}", O, put_energy_priority},
    Route{"DELETE", "/energy/priorities/{group}", O, delete_energy_priority},
    Route{"GET", "/transactions/{id}/departure", V, get_departure},
    Route{"PUT", "/transactions/{id}/departure", O, put_departure},
    Route{"POST", "/accounts/{id}/drivers", O, create_driver},
    Route{"GET", "/accounts/{id}/drivers", V, list_drivers},
    Route{"DELETE", "/drivers/{id}", O, delete_driver},
    // Diagnostics and monitoring (diagnostics.cpp): file bytes and customer data to operators only.
    Route{"GET", "/stations/{id}/diagnostics-files", V, list_diagnostics_files},
    Route{"GET", "/diagnostics-files/{id}", O, get_diagnostics_file},
    Route{"GET", "/stations/{id}/monitors", V, list_station_monitors},
    Route{"GET", "/stations/{id}/monitoring-events", V, list_monitoring_events},
    Route{"GET", "/stations/{id}/customer-information", O, list_customer_information},
    // The driver portal: public, or authenticated by a driver token in the handler (drive*.cpp).
    Route{"GET", "/drive/chargers", std::nullopt, drive_chargers},
    Route{"GET", "/drive/evses/{id}", std::nullopt, drive_evse},
    Route{"POST", "/drive/auth/login", std::nullopt, drive_login},
    Route{"POST", "/drive/auth/logout", std::nullopt, drive_logout},
    Route{"GET", "/drive/me", std::nullopt, drive_me},
    Route{"GET", "/drive/me/sessions", std::nullopt, drive_my_sessions},
    Route{"POST", "/drive/sessions", std::nullopt, drive_start},
    Route{"GET", "/drive/sessions/{id}", std::nullopt, drive_session},
    Route{"POST", "/drive/sessions/{id}/stop", std::nullopt, drive_stop},
    Route{"GET", "/drive/sessions/{id}/receipt", std::nullopt, drive_receipt},
    Route{"POST", "/drive/reports", std::nullopt, drive_report},
    Route{"GET", "/reports", V, list_reports},
    Route{"PATCH", "/reports/{id}", O, update_report},
    // alerts (alerts.cpp)
    Route{"GET", "/alert-rules", V, list_alert_rules},
    Route{"POST", "/alert-rules", O, create_alert_rule},
    Route{"GET", "/alert-rules/{id}", V, get_alert_rule},
    Route{"PUT", "/alert-rules/{id}", O, put_alert_rule},
    Route{"DELETE", "/alert-rules/{id}", O, delete_alert_rule},
    Route{"GET", "/alert-channels", V, list_alert_channels},
    Route{"POST", "/alert-channels", O, create_alert_channel},
    Route{"GET", "/alert-channels/{id}", V, get_alert_channel},
    Route{"DELETE", "/alert-channels/{id}", O, delete_alert_channel},
    Route{"GET", "/alerts", V, list_alerts},
    Route{"GET", "/alerts/{id}", V, get_alert},
    Route{"POST", "/alerts/{id}/acknowledge", O, acknowledge_alert},
    Route{"POST", "/alerts/{id}/resolve", O, resolve_alert},
    Route{"GET", "/alert-deliveries", V, list_alert_deliveries},
    Route{"GET", "/tickets", V, list_tickets},
    Route{"POST", "/tickets", O, create_ticket},
    Route{"GET", "/tickets/{id}", V, get_ticket},
    Route{"PATCH", "/tickets/{id}", O, update_ticket},
    Route{"DELETE", "/tickets/{id}", A, delete_ticket},
    Route{"POST", "/tickets/{id}/notes", O, add_ticket_note},
    Route{"GET", "/inspections", V, list_inspections},
    Route{"POST", "/inspections", O, create_inspection},
    Route{"GET", "/inspections/{id}", V, get_inspection},
    Route{"DELETE", "/inspections/{id}", O, delete_inspection},
    Route{"GET", "/stations/{id}/healing", V, get_station_healing},
    Route{"PUT", "/stations/{id}/healing", O, put_station_healing},
    // Availability and uptime (availability.cpp)
    Route{"GET", "/outages", V, list_outages},
    Route{"GET", "/outages.csv", V, export_outages_csv},
    Route{"GET", "/outages/{id}", V, get_outage},
    Route{"PATCH", "/outages/{id}", O, patch_outage},
    Route{"GET", "/stations/{id}/timeline", V, station_timeline},
    Route{"GET", "/stations/{id}/uptime", V, station_uptime},
    Route{"GET", "/locations/{id}/uptime", V, location_uptime},
    Route{"GET", "/reports/uptime", V, uptime_report},
    Route{"GET", "/reports/uptime.csv", V, uptime_report_csv},
    Route{"GET", "/openapi.json", std::nullopt, openapi},
};

//! An audit field of at most `max` bytes: bytes outside printable ASCII (and '%') are
//! percent-encoded, so whatever a client sent is stored as bounded, valid UTF-8.
std::string bounded(std::string_view text, std::size_t max) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool plain = c >= 0x20 && c < 0x7f && c != '%';
    if (out.size() + (plain ? 1 : 3) > max) {
      out.append("...");
      break;
    }
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return out;
}

bool match(const char *pattern, const std::vector<std::string_view> &segs, std::map<std::string, std::string> &out) {
  auto parts = split(pattern);
  if (parts.size() != segs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].size() > 2 && parts[i].front() == '{') {
      found[std::string(parts[i].substr(1, parts[i].size() - 2))] = std::string(segs[i]);
    } else if (parts[i] != segs[i]) {
      return false;
    }
  }
  out = std::move(found);
  return true;
}

} // namespace

std::vector<std::pair<std::string, std::string>> route_table() {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(std::size(routes) + 1);
  for (const auto &r : routes)
    out.emplace_back(r.method, r.pattern);
  out.emplace_back("GET", "/events"); // served by the HTTP layer as a stream
  return out;
}

std::string loggable_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  std::size_t i = 0;
  while (i < path.size()) {
    const auto end = std::min(path.find_first_of("/?", i), path.size());
    const auto segment = path.substr(i, end - i);
    if (segment.starts_with("ds_"))
      out += "ds#" + core::token_hash(segment).substr(0, 16);
    else
      out += segment;
    if (end < path.size()) out += path[end];
    if (end < path.size() && path[end] == '?') {
      out += path.substr(end + 1); // the query names no session
      break;
    }
    i = end + 1;
  }
  return out;
}

Ctx::~Ctx() {
  // A request must be answered: one whose handler failed without answering (on the store or the
  // blocking pool) is answered 500 when its last reference goes.
  if (!done) return;
  core::log(core::Component::Api)
      .error("{} {}: ended without an answer; answered 500", req.method, bounded(loggable_path(req.path), 200));
  try {
    problem(500, "internal error");
  } catch (...) {
  }
}

void Ctx::reply(int status, const json::value &body) {
  Response r;
  r.status = status;
  if (!body.is_null()) r.body = core::to_json_text(body);
  auto finish = std::move(done);
  if (finish) finish(std::move(r));
}

void Ctx::fail(const ServiceError &e) {
  if (e.code == ServiceError::Code::Internal)
    core::log(core::Component::Api).error("{} {}: {}", req.method, bounded(loggable_path(req.path), 200), e.message);
  auto finish = std::move(done);
  if (finish) finish(problem_response(e));
}

void Ctx::problem(int status, const std::string &detail) {
  problem(status, detail, std::chrono::seconds{0});
}

void Ctx::problem(int status, const std::string &detail, std::chrono::seconds retry_after) {
  auto finish = std::move(done);
  if (finish) finish(problem_response(status, detail, std::nullopt, retry_after));
}

Result<json::object> Ctx::json_body() const {
  boost::system::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec) return bad_body("request body is not valid JSON: " + ec.message());
  if (!v.is_object()) return bad_body("request body must be a JSON object");
  return std::move(v.as_object());
}

std::optional<std::string> Ctx::query_param(const char *name) const {
  auto it = req.query.find(name);
  if (it == req.query.end()) return std::nullopt;
  return it->second;
}

namespace {
Result<std::size_t> number_param(const Request &r, const char *name, std::size_t fallback, std::size_t max) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return fallback;
  const auto &text = it->second;
  std::size_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size())
    return bad_query(name, std::string(name) + " must be a non-negative integer");
  if (ec == std::errc::result_out_of_range || v > max)
    return bad_query(name, std::string(name) + " must be at most " + std::to_string(max));
  return v;
}

} // namespace

Result<PageRequest> Ctx::page() const {
  auto limit = number_param(req, "limit", 100, 1000);
  if (!limit) return limit.error();
  auto offset = number_param(req, "offset", 0, 1u << 30);
  if (!offset) return offset.error();
  return PageRequest{*limit, *offset};
}

Result<std::int64_t> Ctx::path_number(const char *what) const {
  const auto &text = path.at("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return ServiceError::not_found(std::string("no such ") + what);
  return id;
}

Result<StationId> Ctx::path_station() const {
  auto id = StationId::parse(path.at("id"));
  if (!id) return ServiceError::not_found("no such station");
  return *id;
}

Result<std::string> text_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v) return ServiceError::invalid("'" + std::string(key) + "' is required", std::string(key));
  if (!v->is_string()) return ServiceError::invalid("'" + std::string(key) + "' must be a string", std::string(key));
  return std::string(v->get_string());
}

Result<std::optional<std::string>> optional_text_member(const json::object &o, std::string_view key, bool null_ok) {
  const auto *v = o.if_contains(key);
  if (!v || (null_ok && v->is_null())) return std::optional<std::string>{};
  if (!v->is_string()) return ServiceError::invalid("'" + std::string(key) + "' must be a string", std::string(key));
  return std::optional<std::string>(std::string(v->get_string()));
}

json::object page_json(json::array items, const PageRequest &page, std::int64_t total) {
  const auto shown = static_cast<std::int64_t>(page.offset + items.size());
  json::object out{{"items", std::move(items)}, {"limit", page.limit}, {"offset", page.offset}};
  out["next_offset"] =
      shown < total && !out["items"].as_array().empty() ? json::value(page.offset + page.limit) : json::value(nullptr);
  out["total"] = total;
  return out;
}

void Api::Impl::unit(const CtxPtr &ctx, int status, Unit fn, std::function<void()> after_commit) {
  services::run_unit<Result<json::value>>(
      store, [fn = std::move(fn)](Repository &r) { return fn(r); },
      [ctx, status, after_commit = std::move(after_commit)](services::Outcome<Result<json::value>> o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", ctx->req.method, loggable_path(ctx->req.path), o.error());
          return ctx->problem(500, "internal error");
        }
        if (!o.value()) return ctx->fail(o.value().error());
        if (after_commit) after_commit();
        ctx->reply(status, *o.value());
      });
}

void Api::Impl::run_blocking(const CtxPtr &ctx, std::function<void()> work) {
  blocking(
      [ctx, work = std::move(work)] {
        try {
          work();
        } catch (const std::exception &e) {
          core::log(core::Component::Api).error("{} {}: {}", ctx->req.method, loggable_path(ctx->req.path), e.what());
          ctx->problem(500, "internal error");
        }
      },
      [ctx](core::JobRefusal why) {
        if (why == core::JobRefusal::Failed) return ctx->problem(500, "internal error"); // logged by the pool
        core::log(core::Component::Api)
            .debug("{} {}: password hashing {}", ctx->req.method, loggable_path(ctx->req.path), core::to_string(why));
        ctx->problem(503, "busy; try again later", std::chrono::seconds{1});
      });
}

Api::Api(StoreExecutor &store, const core::Clock &clock, services::CommandService &commands, StationGateway &gateway,
         services::BlockingRunner blocking, ApiOptions options)
    : impl_(new Impl{store, clock, commands, gateway, std::move(blocking), options}) {}

Api::~Api() = default;

void Api::authenticate(const std::string &authorization,
                       std::function<void(std::optional<Principal>, Response error)> done) {
  Request req;
  req.method = "GET";
  req.path = "/api/v1/events";
  req.authorization = authorization;
  auto ctx = std::make_shared<Ctx>();
  ctx->req = std::move(req);
  ctx->api = impl_.get();
  auto shared_done = std::make_shared<std::function<void(std::optional<Principal>, Response)>>(std::move(done));
  ctx->done = [shared_done](Response error) { (*shared_done)(std::nullopt, std::move(error)); };
  resolve(ctx, Role::Viewer, [ctx, shared_done] {
    auto principal = ctx->who;
    ctx->done = nullptr;
    (*shared_done)(principal, Response{});
  });
}

void Api::handle(Request request, std::function<void(Response)> done) {
  auto ctx = std::make_shared<Ctx>();
  ctx->req = std::move(request);
  ctx->api = impl_.get();
  auto segs = split(ctx->req.path);
  if (segs.size() < 2 || segs[0] != "api" || segs[1] != "v1") {
    ctx->done = std::move(done);
    return ctx->problem(404, "no such resource");
  }
  segs.erase(segs.begin(), segs.begin() + 2);
  const Route *route = nullptr;
  bool path_known = false;
  for (const auto &r : routes) {
    std::map<std::string, std::string> params;
    if (!match(r.pattern, segs, params)) continue;
    path_known = true;
    if (ctx->req.method == r.method) {
      route = &r;
      ctx->path = std::move(params);
      break;
    }
  }

  // Every state-changing call is written to the audit log, whatever its outcome, with bounded
  // fields: a row is a few hundred bytes at most, whatever the request. A request that did not
  // authenticate is recorded by its route, not its path.
  const bool audited = ctx->req.method != "GET";
  auto *impl = impl_.get();
  std::string route_name = std::string(bounded(ctx->req.method, 16)) + " " +
                           (route ? "/api/v1" + std::string(route->pattern) : std::string("(no such route)"));
  ctx->done = [impl, ctx_raw = ctx.get(), audited, route_name, done = std::move(done)](Response res) {
    if (audited) {
      AuditEntry e;
      e.at = impl->clock.now();
      const bool authenticated = ctx_raw->authenticated;
      e.actor = ctx_raw->who.actor.empty() ? "anonymous" : bounded(ctx_raw->who.actor, 80);
      e.action = authenticated ? bounded(ctx_raw->req.method + " " + ctx_raw->req.path, 256) : route_name;
      if (auto it = ctx_raw->path.find("id"); it != ctx_raw->path.end()) e.target = bounded(it->second, 64);
      // A driver portal session's id is its bearer capability: the log keeps a prefix of its hash.
      if (auto it = ctx_raw->path.find("id"); it != ctx_raw->path.end() && it->second.starts_with("ds_")) {
        const auto shown = loggable_path(it->second);
        e.target = shown;
        if (authenticated) e.action = route_name + " " + shown;
      }
      e.remote = bounded(ctx_raw->req.remote, 64);
      e.status = res.status;
      impl->store.submit([e](Repository &r) { r.insert_audit(e); }, nullptr);
    }
    done(std::move(res));
  };
  if (!route) return ctx->problem(path_known ? 405 : 404, path_known ? "method not allowed here" : "no such resource");

  auto run = [route, ctx] {
    try {
      route->handler(ctx);
    } catch (const std::exception &e) {
      core::log(core::Component::Api).error("{} {}: {}", ctx->req.method, loggable_path(ctx->req.path), e.what());
      ctx->problem(500, "internal error");
    }
  };
  if (!route->role) return run();
  resolve(ctx, *route->role, run);
}

void Api::resolve(const std::shared_ptr<Ctx> &ctx, Role least, std::function<void()> then) {
  constexpr std::string_view bearer = "Bearer ";
  const auto &auth = ctx->req.authorization;
  if (auth.size() <= bearer.size() || auth.compare(0, bearer.size(), bearer) != 0)
    return ctx->problem(401, "an Authorization: Bearer token (login token or API key) is required");
  auto secret = auth.substr(bearer.size());
  // A driver's token is a credential of the driver portal (/drive/*) only.
  if (secret.rfind("gld_", 0) == 0) return ctx->problem(401, "a driver token is accepted only under /api/v1/drive/");
  auto hash = core::token_hash(secret);
  auto now = impl_->clock.now();
  services::run_unit<std::optional<Principal>>(
      impl_->store,
      [hash, now, is_key = secret.rfind("glk_", 0) == 0](Repository &r) -> std::optional<Principal> {
        if (is_key) {
          if (auto k = r.api_key_by_hash(hash)) return Principal{"key:" + k->name, k->role};
        } else if (auto u = r.session_user(hash, now)) {
          return Principal{"user:" + u->username, u->role};
        }
        return std::nullopt;
      },
      [ctx, least, then = std::move(then)](services::Outcome<std::optional<Principal>> o) {
        if (!o.ok()) return ctx->problem(503, "try again later");
        if (!o.value()) return ctx->problem(401, "unknown, expired or revoked credentials");
        ctx->who = *o.value();
        ctx->authenticated = true;
        if (ctx->who.role < least)
          return ctx->problem(403, "this needs the " + std::string(to_string(least)) + " role");
        then();
      });
}

} // namespace gridlane::api
