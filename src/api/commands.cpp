// Remote commands: POST /stations/{id}/commands answers 202 with the command's record; with
// ?wait=SECONDS it answers 200 once the outcome is known (an accepted remote start: once the
// station has started the transaction, whose id the record then carries) or the wait is over.
#include <algorithm>
#include <charconv>

#include "gridlane/domain/command_codec.hpp"
#include "gridlane/services/diagnostics_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

//! ?wait=SECONDS: nullopt when absent; at most the configured longest wait.
Result<std::optional<std::chrono::seconds>> wait_param(const Ctx &c) {
  auto text = c.query_param("wait");
  if (!text) return std::optional<std::chrono::seconds>{};
  std::int64_t s = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), s);
  if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || s < 0)
    return bad_query("wait", "wait must be a whole number of seconds");
  return std::optional(std::min(std::chrono::seconds(s), c.api->options.max_wait));
}

//! The command of a request, decoded by the one codec and checked for the station's version
//! (a unit of work: it reads the station and, for a stop, the transaction).
Result<Command> checked_command(Repository &r, const StationGateway &gateway,
                                const services::DiagnosticsService *diagnostics, const StationId &id,
                                const std::string &kind, const std::string &params) {
  auto station = r.station(id);
  if (!station) return ServiceError::not_found("no such station");
  // The one codec (domain/command_codec.hpp): what is stored is what was accepted here.
  auto version = station->protocol.value_or(ProtocolVersion::Ocpp16);
  auto decoded = decode_command(kind, params);
  if (!decoded) {
    // A command the station's version does not have is refused as such, whatever its params.
    // (ServiceError::field "kind": the version has no such command.)
    if (auto blank = blank_command(kind)) {
      CommandRecord probe;
      probe.command = std::move(*blank);
      if (auto why = gateway.check(probe, version); why && why->field == "kind") return *why;
    }
    return decoded.error();
  }
  auto command = std::move(*decoded);
  if (auto *stop = std::get_if<commands::RemoteStop>(&command)) {
    // The operator names Gridlane's transaction id; the station may know it by its own.
    auto tx = r.transaction(stop->transaction_id);
    if (!tx || tx->station != id) return ServiceError::not_found("no such transaction at this station");
    if (tx->state != TransactionState::Active) return ServiceError::conflict("the transaction has ended");
    stop->station_transaction_id = tx->station_tx_id;
  }
  if (auto *status = std::get_if<commands::GetTransactionStatus>(&command); status && status->transaction_id) {
    // Asked of ended transactions too: the station may still hold their messages (E14.FR.03).
    auto tx = r.transaction(*status->transaction_id);
    if (!tx || tx->station != id) return ServiceError::not_found("no such transaction at this station");
    status->station_transaction_id = tx->station_tx_id;
  }
  if (auto *cost = std::get_if<commands::CostUpdated>(&command)) {
    auto tx = r.transaction(cost->transaction_id);
    if (!tx || tx->station != id) return ServiceError::not_found("no such transaction at this station");
    cost->station_transaction_id = tx->station_tx_id;
  }
  // GetDiagnostics/GetLog without a location: Gridlane hosts the upload (a one-time URL).
  if (diagnostics) {
    if (auto refused = diagnostics->host_upload(r, id, command)) return *refused;
  }
  CommandRecord probe;
  probe.station = id;
  probe.command = command;
  if (auto why = gateway.check(probe, version)) return ServiceError::invalid(why->message, why->field);
  return command;
}

} // namespace

void send_command(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto b = c->json_body();
  if (!b) return c->fail(b.error());
  auto kind = text_member(*b, "kind");
  if (!kind) return c->fail(ServiceError::invalid("'kind' (string) is required", "kind"));
  json::object params;
  if (const auto *p = b->if_contains("params")) {
    if (!p->is_object()) return c->fail(ServiceError::invalid("'params' must be an object", "params"));
    params = p->as_object();
  }
  auto wait = wait_param(*c);
  if (!wait) return c->fail(wait.error());
  auto *api = c->api;
  services::run_unit<Result<Command>>(
      api->store,
      [id = *id, kind = *kind, params = json::serialize(params), gateway = &api->gateway,
       diagnostics = api->diagnostics](Repository &r) {
        return checked_command(r, *gateway, diagnostics, id, kind, params);
      },
      [c, api, id = *id, wait = *wait](services::Outcome<Result<Command>> o) {
        if (!o.ok()) return c->problem(503, "try again later");
        if (!o.value()) return c->fail(o.value().error());
        api->commands.submit(c->who, id, *o.value(), [c, api, wait](services::Outcome<CommandRecord> rec) {
          if (!rec.ok()) return c->problem(503, "try again later");
          if (!wait) return c->reply(202, command_json(rec.value()));
          api->commands.wait(rec.value().id, *wait, [c](services::Outcome<std::optional<CommandRecord>> w) {
            if (!w.ok() || !w.value()) return c->problem(500, "internal error");
            c->reply(200, command_json(*w.value()));
          });
        });
      });
}

void get_command(const CtxPtr &c) {
  auto id = c->path_number("command");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto cmd = r.command(id);
    if (!cmd) return ServiceError::not_found("no such command");
    return json::value(command_json(*cmd));
  });
}

void list_station_commands(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [station = *id, p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &cmd : r.commands(station, p.limit, p.offset))
      items.push_back(command_json(cmd));
    return json::value(page_json(std::move(items), p, r.count_commands(station)));
  });
}

} // namespace gridlane::api
