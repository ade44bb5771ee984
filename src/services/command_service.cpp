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
    if (replied.exchange(true)) return;
    auto once = std::move(reply); // what the reply holds (the request) goes with this call
    once(Outcome<std::optional<CommandRecord>>::success(std::move(r)));
  }
};

namespace {
// A 2.x station may accept a remote start long before the driver plugs in (EVConnectionTimeOut);
// its TransactionEvent names the command, so waiting long costs no wrong match.
constexpr auto max_remote_start_wait = std::chrono::hours(1);
} // namespace

CommandService::CommandService(StoreExecutor &store, const core::Clock &clock, StationGateway &gateway, EventBus &bus,
                               Scheduler scheduler, std::chrono::seconds remote_start_window)
    : store_(store), clock_(clock), gateway_(gateway), bus_(bus), scheduler_(std::move(scheduler)),
      remote_start_window_(remote_start_window) {
  subscription_ = bus_.subscribe([this](const Event &e) { on_event(e); });
}

CommandService::~CommandService() {
  subscription_.reset();
}

bool CommandService::settled(const CommandRecord &c) {
  if (!is_final(c.status)) return false;
  // A remote start is only useful to its caller once the transaction it started is known.
  return !(std::holds_alternative<commands::RemoteStart>(c.command) && c.status == CommandStatus::Accepted &&
           !c.transaction_id);
}

void CommandService::submit(const Principal &who, StationId station, Command command, Reply<CommandRecord> reply) {
  CommandRecord record;
  record.station = std::move(station);
  record.command = std::move(command);
  record.created_by = who.actor;
  record.created_at = clock_.now();
  run_unit<CommandRecord>(
      store_,
      [record](Repository &r) mutable {
        record.id = r.insert_command(record);
        return record;
      },
      [this, reply = std::move(reply)](Outcome<CommandRecord> o) {
        if (!o.ok()) return reply(o);
        auto record = o.value();
        auto protocol = gateway_.protocol(record.station);
        const auto *start = std::get_if<commands::RemoteStart>(&record.command);
        if (protocol && start) {
          // Known before the command leaves: the station may start the transaction before
          // its answer arrives (the wire allows it), and that start is this command's.
          // The connector is what the 1.6 RemoteStartTransaction names (evse_id is not rendered for 1.6).
          PendingStart p{record.station, *protocol, start->id_tag, start->connector_id, clock_.now(), std::nullopt};
          std::lock_guard lock{mutex_};
          forget_expired(p.sent_at);
          pending_starts_.insert_or_assign(record.id, std::move(p));
        }
        if (protocol) {
          record.status = CommandStatus::Sent;
          store_.submit([record](Repository &r) { r.update_command(record); }, nullptr); // before any answer: FIFO
        }
        reply(Outcome<CommandRecord>::success(record));
        gateway_.execute(record, [this, record](const GatewayOutcome &outcome) { finish(record, outcome); });
      });
}

void CommandService::finish(CommandRecord record, const GatewayOutcome &outcome) {
  record.status = outcome.status;
  record.action = outcome.action;
  record.response = outcome.response;
  record.error = outcome.error;
  record.finished_at = clock_.now();
  if (std::holds_alternative<commands::RemoteStart>(record.command)) {
    std::lock_guard lock{mutex_};
    if (auto it = pending_starts_.find(record.id); it != pending_starts_.end()) {
      // The 1.6 window runs from the station's Accepted; a start it refused is never linked.
      if (record.status == CommandStatus::Accepted)
        it->second.accepted_at = *record.finished_at;
      else
        pending_starts_.erase(it);
    }
  }
  run_unit<CommandRecord>(
      store_,
      [record](Repository &r) mutable {
        // The transaction may have been linked while the answer was on its way: keep the link.
        if (auto stored = r.command(record.id)) record.transaction_id = stored->transaction_id;
        r.update_command(record);
        return record;
      },
      [this](Outcome<CommandRecord> o) {
        if (!o.ok()) {
          core::log(core::Component::Commands).error("could not store a command outcome: {}", o.error());
          return;
        }
        const auto &c = o.value();
        bus_.publish(CommandFinished{c.station, clock_.now(), c});
        notify(c);
      });
}

void CommandService::forget_expired(Timestamp now) {
  std::erase_if(pending_starts_, [&](const auto &entry) {
    const auto &p = entry.second;
    if (!p.accepted_at) return false; // unanswered: the call's timeout ends it
    auto limit = p.protocol == ProtocolVersion::Ocpp16
                     ? std::chrono::duration_cast<std::chrono::milliseconds>(remote_start_window_)
                     : std::chrono::duration_cast<std::chrono::milliseconds>(max_remote_start_wait);
    return now - *p.accepted_at > limit;
  });
}

bool CommandService::matches(std::int64_t command, const PendingStart &p, const TransactionStart &s) const {
  if (p.station != s.station) return false;
  if (p.protocol != ProtocolVersion::Ocpp16) return s.remote_start_id == command; // 2.x names the command, or nothing
  // 1.6 names nothing: its StartTransaction with the command's tag (and connector, if named),
  // while the command is unanswered or within the window after the station accepted it. A start
  // later than that is a local one, even with the same tag.
  if (!s.started || s.remote_start_id) return false;
  if (s.id_tag != p.id_tag) return false;
  if (p.connector && s.connector != p.connector) return false;
  return !p.accepted_at || s.at - *p.accepted_at <= remote_start_window_;
}

void CommandService::on_event(const Event &e) {
  // A transaction's start, or a 2.x event that names its remote start; nothing else links.
  TransactionStart s{station_of(e), time_of(e), 0, true, "", std::nullopt, std::nullopt};
  if (const auto *started = std::get_if<TransactionStarted>(&e)) {
    const auto &t = started->transaction;
    s.transaction = t.id;
    s.id_tag = t.id_tag;
    s.connector = t.connector_id;
    s.remote_start_id = t.remote_start_id;
  } else if (const auto *updated = std::get_if<TransactionUpdated>(&e); updated && updated->subject) {
    s.transaction = updated->transaction_id;
    s.started = false;
    s.id_tag = updated->subject->id_tag;
    s.connector = updated->subject->connector_id;
    s.remote_start_id = updated->subject->remote_start_id;
  } else {
    return;
  }
  std::optional<std::int64_t> matched;
  {
    std::lock_guard lock{mutex_};
    // Every meter value publishes transaction.updated on the store thread: only look further
    // when a remote start is waiting for its transaction.
    if (pending_starts_.empty()) return;
    forget_expired(s.at);
    // Newest first: a 1.6 remote start the station accepted and then ignored must not take the
    // transaction of a later one with the same tag.
    for (auto it = pending_starts_.rbegin(); it != pending_starts_.rend(); ++it) {
      if (!matches(it->first, it->second, s)) continue;
      matched = it->first;
      pending_starts_.erase(std::next(it).base());
      break;
    }
  }
  if (matched) link(*matched, s.transaction);
}

void CommandService::link(std::int64_t command, std::int64_t transaction) {
  run_unit<std::optional<CommandRecord>>(
      store_,
      [command, transaction](Repository &r) -> std::optional<CommandRecord> {
        // Units run one at a time: an answer recorded before this one is kept.
        auto c = r.command(command);
        if (!c) return std::nullopt;
        c->transaction_id = transaction;
        r.update_command(*c);
        return c;
      },
      [this, command, transaction](Outcome<std::optional<CommandRecord>> o) {
        if (!o.ok()) {
          core::log(core::Component::Commands)
              .error("could not link command {} to transaction {}: {}", command, transaction, o.error());
          return;
        }
        if (o.value()) notify(*o.value());
      });
}

void CommandService::notify(const CommandRecord &record) {
  if (!settled(record)) return;
  std::vector<std::shared_ptr<Waiter>> ready;
  {
    std::lock_guard lock{mutex_};
    auto [first, last] = waiters_.equal_range(record.id);
    for (auto it = first; it != last; ++it)
      ready.push_back(it->second);
    waiters_.erase(first, last);
  }
  for (auto &w : ready)
    w->answer(record);
}

void CommandService::end_waits() {
  std::multimap<std::int64_t, std::shared_ptr<Waiter>> pending;
  {
    std::lock_guard lock{mutex_};
    pending.swap(waiters_);
  }
  for (auto &[id, w] : pending)
    w->answer(std::nullopt);
}

void CommandService::wait(std::int64_t id, std::chrono::milliseconds timeout,
                          Reply<std::optional<CommandRecord>> reply) {
  auto waiter = std::make_shared<Waiter>();
  waiter->reply = std::move(reply);
  {
    std::lock_guard lock{mutex_};
    waiters_.emplace(id, waiter);
  }
  auto current = [this, id, waiter] {
    run_unit<std::optional<CommandRecord>>(
        store_, [id](Repository &r) { return r.command(id); },
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
      store_, [id](Repository &r) { return r.command(id); },
      [this, waiter, current, timeout](Outcome<std::optional<CommandRecord>> o) {
        if (o.ok() && (!o.value() || settled(*o.value()))) return current();
        scheduler_(timeout, current);
      });
}

} // namespace gridlane::services
