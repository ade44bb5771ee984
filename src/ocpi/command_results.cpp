// The asynchronous results of Commands and ChargingProfiles: a command's final record
// (CommandFinished) becomes one POST to the response_url the partner gave, through the outbox.
#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/commands.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
using namespace gridlane::domain;

ResultRelay::ResultRelay(StoreExecutor &store, const core::Clock &clock, EventBus &bus, Enqueue enqueue,
                         std::function<void()> wake)
    : store_(store), clock_(clock), enqueue_(std::move(enqueue)), wake_(std::move(wake)) {
  subscription_ = bus.subscribe([this](const Event &e) { on_event(e); });
}

ResultRelay::~ResultRelay() {
  subscription_.reset();
}

void ResultRelay::expect(std::int64_t command_id, Destination to, Render render) {
  std::lock_guard lock{mutex_};
  pending_.insert_or_assign(command_id, Pending{std::move(to), std::move(render)});
}

std::size_t ResultRelay::pending() const {
  std::lock_guard lock{mutex_};
  return pending_.size();
}

void ResultRelay::post_now(Destination to, std::string body) {
  const auto partner_id = to.partner_id;
  OutboxItem item;
  item.partner_id = to.partner_id;
  item.module = to.module;
  item.method = PushMethod::Post;
  item.path = std::move(to.response_url); // absolute: the outbox calls it as it is
  item.to = std::move(to.to);
  item.object_key = "command:" + random_uuid();
  item.body = std::move(body);
  item.created_at = clock_.now();
  item.next_attempt_at = item.created_at;
  store_.submit([item, enqueue = enqueue_](Repository &r) { enqueue(r, item); },
                [wake = wake_, partner_id](std::exception_ptr e) {
                  if (e) {
                    try {
                      std::rethrow_exception(e);
                    } catch (const std::exception &ex) {
                      core::logger("ocpi")->error("partner {}: could not store a command result: {}", partner_id,
                                                  ex.what());
                    } catch (...) {
                      core::logger("ocpi")->error("partner {}: could not store a command result", partner_id);
                    }
                    return;
                  }
                  if (wake) wake();
                });
}

void ResultRelay::on_event(const Event &e) {
  // On the publishing thread: take the entry, render, hand it to the store; nothing blocks.
  const auto *finished = std::get_if<CommandFinished>(&e);
  if (!finished) return;
  Pending p;
  {
    std::lock_guard lock{mutex_};
    auto it = pending_.find(finished->command.id);
    if (it == pending_.end()) return;
    p = std::move(it->second);
    pending_.erase(it);
  }
  std::string body;
  try {
    body = p.render(finished->command);
  } catch (const std::exception &ex) {
    core::logger("ocpi")->error("command {}: its result could not be written: {}", finished->command.id, ex.what());
    return;
  }
  post_now(std::move(p.to), std::move(body));
}

} // namespace gridlane::ocpi
