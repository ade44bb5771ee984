// Remote commands: POST /stations/{id}/commands answers 202 with the command's record; with
// ?wait=SECONDS it answers 200 once the outcome is known (an accepted remote start: once the
// station has started the transaction, whose id the record then carries) or the wait is over.
#include <algorithm>

#include "gridlane/domain/command_codec.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void send_command(const CtxPtr &c) {
  auto id = StationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such station"};
  auto b = c->body();
  const auto *kind_v = b.if_contains("kind");
  if (!kind_v || !kind_v->is_string()) throw Problem{422, "'kind' (string) is required"};
  json::object params;
  if (const auto *p = b.if_contains("params")) {
    if (!p->is_object()) throw Problem{422, "'params' must be an object"};
    params = p->as_object();
  }
  std::optional<std::chrono::seconds> wait;
  if (auto it = c->req.query.find("wait"); it != c->req.query.end()) {
    try {
      std::size_t used = 0;
      auto s = std::stoll(it->second, &used);
      if (s < 0 || used != it->second.size()) throw std::invalid_argument("");
      wait = std::min(std::chrono::seconds(s), c->api->options.max_wait);
    } catch (...) {
      throw Problem{400, "wait must be a whole number of seconds"};
    }
  }
  auto *api = c->api;
  std::string kind(kind_v->get_string());
  struct Checked {
    std::optional<Command> command;
    std::optional<std::string> problem;
    int status = 0;
  };
  services::run_unit<Checked>(
      api->store,
      [id = *id, kind, params = json::serialize(params), gateway = &api->gateway](Repository &r) {
        auto station = r.station(id);
        if (!station) return Checked{{}, "no such station", 404};
        // The one codec (domain/command_codec.hpp): what is stored is what was accepted here.
        auto version = station->protocol.value_or(ProtocolVersion::Ocpp16);
        auto decoded = decode_command(kind, params);
        if (!decoded) {
          // A command the station's version does not have is refused as such, whatever its params.
          // (ServiceError::field "kind": the version has no such command.)
          if (auto blank = blank_command(kind)) {
            CommandRecord probe;
            probe.command = std::move(*blank);
            if (auto why = gateway->check(probe, version); why && why->field == "kind")
              return Checked{{}, why->message, 422};
          }
          return Checked{{}, decoded.error().message, 422};
        }
        auto command = std::move(*decoded);
        if (auto *stop = std::get_if<commands::RemoteStop>(&command)) {
          // The operator names Gridlane's transaction id; the station may know it by its own.
          auto tx = r.transaction(stop->transaction_id);
          if (!tx || tx->station != id) return Checked{{}, "no such transaction at this station", 404};
          if (tx->state != TransactionState::Active) return Checked{{}, "the transaction has ended", 409};
          stop->station_transaction_id = tx->station_tx_id;
        }
        if (auto *status = std::get_if<commands::GetTransactionStatus>(&command); status && status->transaction_id) {
          // Asked of ended transactions too: the station may still hold their messages (E14.FR.03).
          auto tx = r.transaction(*status->transaction_id);
          if (!tx || tx->station != id) return Checked{{}, "no such transaction at this station", 404};
          status->station_transaction_id = tx->station_tx_id;
        }
        CommandRecord probe;
        probe.station = id;
        probe.command = command;
        if (auto why = gateway->check(probe, version)) return Checked{{}, why->message, 422};
        return Checked{std::move(command), std::nullopt, 0};
      },
      [c, api, id = *id, wait](services::Outcome<Checked> o) {
        if (!o.ok()) return c->problem(503, "try again later");
        if (o.value().problem) return c->problem(o.value().status, *o.value().problem);
        api->commands.submit(c->who, id, *o.value().command, [c, api, wait](services::Outcome<CommandRecord> rec) {
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
  auto id = c->numeric_id("command");
  c->api->query(c, 200, [id](Repository &r) {
    auto cmd = r.command(id);
    if (!cmd) throw Problem{404, "no such command"};
    return json::value(command_json(*cmd));
  });
}

void list_station_commands(const CtxPtr &c) {
  auto id = StationId::parse(c->path.at("id"));
  if (!id) throw Problem{404, "no such station"};
  auto limit = c->limit(), offset = c->offset();
  c->api->query(c, 200, [station = *id, limit, offset](Repository &r) {
    json::array items;
    for (const auto &cmd : r.commands(station, limit, offset))
      items.push_back(command_json(cmd));
    const bool full = items.size() == limit;
    json::object out{{"items", std::move(items)}, {"limit", limit}, {"offset", offset}};
    out["next_offset"] = full ? json::value(offset + limit) : json::value(nullptr);
    return json::value(std::move(out));
  });
}

} // namespace gridlane::api
