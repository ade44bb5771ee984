// Remote commands: POST /stations/{id}/commands answers 202 with the command's record; with
// ?wait=SECONDS it answers 200 once the outcome is known (an accepted remote start: once the
// station has started the transaction, whose id the record then carries) or the wait is over.
#include <algorithm>

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
    json::object params;
    std::optional<std::string> problem;
    int status = 0;
  };
  services::run_unit<Checked>(
      api->store,
      [id = *id, kind, params, gateway = &api->gateway](Repository &r) mutable {
        auto station = r.station(id);
        if (!station) return Checked{{}, "no such station", 404};
        if (kind == "stop_transaction") {
          // The operator names Gridlane's transaction id; the station may know it by its own.
          const auto *t = params.if_contains("transaction_id");
          if (!t || !t->is_int64()) return Checked{{}, "'transaction_id' (integer) is required", 422};
          auto tx = r.transaction(t->get_int64());
          if (!tx || tx->station != id) return Checked{{}, "no such transaction at this station", 404};
          if (tx->state != TransactionState::Active) return Checked{{}, "the transaction has ended", 409};
          params["station_transaction_id"] = tx->station_tx_id;
        }
        if (kind == "get_transaction_status" && params.contains("transaction_id")) {
          // Asked of ended transactions too: the station may still hold their messages (E14.FR.03).
          const auto *t = params.if_contains("transaction_id");
          if (!t->is_int64()) return Checked{{}, "'transaction_id' must be an integer", 422};
          auto tx = r.transaction(t->get_int64());
          if (!tx || tx->station != id) return Checked{{}, "no such transaction at this station", 404};
          params["station_transaction_id"] = tx->station_tx_id;
        }
        auto version = station->protocol.value_or(ProtocolVersion::Ocpp16);
        CommandRecord probe;
        probe.station = id;
        probe.kind = kind;
        probe.params = json::serialize(params);
        if (auto why = gateway->check(probe, version)) return Checked{{}, *why, 422};
        return Checked{std::move(params), std::nullopt, 0};
      },
      [c, api, id = *id, kind, wait](services::Outcome<Checked> o) {
        if (!o.ok()) return c->problem(503, "try again later");
        if (o.value().problem) return c->problem(o.value().status, *o.value().problem);
        api->commands.submit(
            c->who, id, kind, json::serialize(o.value().params), [c, api, wait](services::Outcome<CommandRecord> rec) {
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
