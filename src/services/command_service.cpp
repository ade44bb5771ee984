#include "gridlane/services/command_service.hpp"

#include <boost/json.hpp>

#include "gridlane/core/logging.hpp"

namespace gridlane::services {
using namespace gridlane::domain;
namespace json = boost::json;

struct CommandService::Waiter {
  std::atomic<bool> replied{false};
  Reply<std::optional<CommandRecord>> reply;
  void answer(std::optional<CommandRecord> r) {
    if (!replied.exchange(true)) reply(Outcome<std::optional<CommandRecord>>::success(std::move(r)));
  }
};

CommandService::CommandService(StoreExecutor& store, const core::Clock& clock, StationGateway& gateway, EventBus& bus,
                               Scheduler scheduler)
    : store_(store), clock_(clock), gateway_(gateway), bus_(bus), scheduler_(std::move(scheduler)) {
  subscription_ = bus_.subscribe([this](const Event& e) { on_event(e); });
}

CommandService::~CommandService() { subscription_.reset(); }

bool CommandService::settled(const CommandRecord& c) {
  if (!is_final(c.status)) return false;
  // A remote start is only useful to its caller once the transaction it started is known.
  return !(c.kind == "start_transaction" && c.status == CommandStatus::Accepted && !c.transaction_id);
}

void CommandService::submit(const Principal& who, StationId station, std::string kind, std::string params_json,
                            Reply<CommandRecord> reply) {
  CommandRecord record;
  record.station = std::move(station);
  record.kind = std::move(kind);
  record.params = std::move(params_json);
  record.created_by = who.actor;
  record.created_at = clock_.now();
  run_unit<CommandRecord>(
      store_,
      [record](Repository& r) mutable {
        record.id = r.insert_command(record);
        return record;
      },
      [this, reply = std::move(reply)](Outcome<CommandRecord> o) {
        if (!o.ok()) return reply(o);
        auto record = o.value();
        if (record.kind == "start_transaction") {
          boost::system::error_code ec;
          auto params = json::parse(record.params, ec);
          PendingStart p{record.station, "", std::nullopt, record.created_at};
          if (!ec && params.is_object()) {
            if (const auto* tag = params.as_object().if_contains("id_tag"); tag && tag->is_string())
              p.id_tag = std::string(tag->get_string());
            for (const char* key : {"connector_id", "evse_id"}) {
              if (const auto* c = params.as_object().if_contains(key); c && c->is_int64()) p.connector = c->get_int64();
            }
          }
          std::lock_guard lock{mutex_};
          // A start the station accepted but never carried out is forgotten after the window.
          std::erase_if(pending_starts_, [&](const auto& entry) {
            return record.created_at - entry.second.created_at > std::chrono::minutes(10);
          });
          pending_starts_.emplace(record.id, std::move(p));
        }
        if (gateway_.is_connected(record.station)) {
          record.status = CommandStatus::Sent;
          store_.submit([record](Repository& r) { r.update_command(record); }, nullptr); // before any answer: FIFO
        }
        reply(Outcome<CommandRecord>::success(record));
        gateway_.execute(record, [this, record](GatewayOutcome outcome) { finish(record, std::move(outcome)); });
      });
}

void CommandService::finish(CommandRecord record, GatewayOutcome outcome) {
  record.status = outcome.status;
  record.action = outcome.action;
  record.response = outcome.response;
  record.error = outcome.error;
  record.finished_at = clock_.now();
  if (record.kind == "start_transaction" && record.status != CommandStatus::Accepted) {
    std::lock_guard lock{mutex_};
    pending_starts_.erase(record.id);
  }
  run_unit<CommandRecord>(
      store_,
      [record](Repository& r) mutable {
        // The transaction may have been linked while the answer was on its way.
        if (auto stored = r.command(record.id)) record.transaction_id = stored->transaction_id;
        r.update_command(record);
        return record;
      },
      [this](Outcome<CommandRecord> o) {
        if (!o.ok()) {
          core::logger("commands")->error("could not store a command outcome: {}", o.error());
          return;
        }
        const auto& c = o.value();
        json::object data{{"command_id", c.id}, {"kind", c.kind}, {"status", to_string(c.status)}};
        if (c.transaction_id) data["transaction_id"] = *c.transaction_id;
        bus_.publish(Event{"command.finished", c.station, json::serialize(data), clock_.now()});
        notify(c);
      });
}

void CommandService::on_event(const Event& e) {
  if (e.type != "transaction.started" && e.type != "transaction.updated") return;
  {
    // Every meter value publishes transaction.updated on the store thread: only look inside
    // when a remote start is waiting for its transaction.
    std::lock_guard lock{mutex_};
    if (pending_starts_.empty()) return;
  }
  boost::system::error_code ec;
  auto data = json::parse(e.data, ec);
  if (ec || !data.is_object()) return;
  const auto& d = data.as_object();
  auto tx = d.at("transaction_id").to_number<std::int64_t>();
  std::optional<std::int64_t> matched;
  {
    std::lock_guard lock{mutex_};
    for (auto it = pending_starts_.begin(); it != pending_starts_.end(); ++it) {
      const auto& p = it->second;
      if (p.station != e.station) continue;
      bool match = false;
      if (const auto* rs = d.if_contains("remote_start_id"); rs && rs->is_int64()) {
        match = rs->get_int64() == it->first; // 2.x names the command it answers
      } else if (e.type == "transaction.started") {
        // 1.6: the station starts with the tag (and connector) it was asked to use.
        const auto* tag = d.if_contains("id_tag");
        const auto* connector = d.if_contains("connector_id");
        match = tag && tag->is_string() && tag->get_string() == p.id_tag &&
                (!p.connector || (connector && connector->to_number<std::int64_t>() == *p.connector)) &&
                e.at - p.created_at < std::chrono::minutes(10);
      }
      if (match) {
        matched = it->first;
        pending_starts_.erase(it);
        break;
      }
    }
  }
  if (!matched) return;
  run_unit<std::optional<CommandRecord>>(
      store_,
      [id = *matched, tx](Repository& r) -> std::optional<CommandRecord> {
        auto c = r.command(id);
        if (!c) return std::nullopt;
        c->transaction_id = tx;
        r.update_command(*c);
        return c;
      },
      [this](Outcome<std::optional<CommandRecord>> o) {
        if (o.ok() && o.value()) notify(*o.value());
      });
}

void CommandService::notify(const CommandRecord& record) {
  if (!settled(record)) return;
  std::vector<std::shared_ptr<Waiter>> ready;
  {
    std::lock_guard lock{mutex_};
    auto [first, last] = waiters_.equal_range(record.id);
    for (auto it = first; it != last; ++it) ready.push_back(it->second);
    waiters_.erase(first, last);
  }
  for (auto& w : ready) w->answer(record);
}

void CommandService::wait(std::int64_t id, std::chrono::milliseconds timeout, Reply<std::optional<CommandRecord>> reply) {
  auto waiter = std::make_shared<Waiter>();
  waiter->reply = std::move(reply);
  {
    std::lock_guard lock{mutex_};
    waiters_.emplace(id, waiter);
  }
  auto current = [this, id, waiter] {
    run_unit<std::optional<CommandRecord>>(
        store_, [id](Repository& r) { return r.command(id); },
        [this, id, waiter](Outcome<std::optional<CommandRecord>> o) {
          {
            std::lock_guard lock{mutex_};
            auto [first, last] = waiters_.equal_range(id);
            for (auto it = first; it != last; ++it) {
              if (it->second == waiter) {
                waiters_.erase(it);
                break;
              }
            }
          }
          waiter->answer(o.ok() ? o.value() : std::nullopt);
        });
  };
  // Already settled? Answer now; otherwise at the timeout at the latest.
  run_unit<std::optional<CommandRecord>>(
      store_, [id](Repository& r) { return r.command(id); },
      [this, waiter, current, timeout](Outcome<std::optional<CommandRecord>> o) {
        if (!o.ok() || !o.value() || settled(*o.value())) return current();
        scheduler_(timeout, current);
      });
}

} // namespace gridlane::services
