#include "gridlane/alerts/dispatcher.hpp"

#include <future>
#include <optional>

#include "gridlane/alerts/messages.hpp"
#include "gridlane/alerts/signature.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/metrics.hpp"

namespace gridlane::alerts {
using namespace gridlane::domain;

namespace {

auto &log() {
  return core::log(core::Component::App);
}

core::metrics::Counter &deliveries(AlertChannelKind kind, std::string_view result) {
  return core::metrics::registry().counter(
      "gridlane_alert_deliveries_total",
      "Alert delivery attempts by channel kind and result "
      "(delivered, retry: failed and tried again later, failed: given up)",
      {{"channel", std::string(name_of(alert_channel_kinds, kind))}, {"result", std::string(result)}});
}

//! Runs `fn` as a unit of work and waits for its commit (the dispatcher's own thread may wait).
template <class T, class Fn> std::optional<T> run_and_wait(StoreExecutor &store, Fn fn) {
  auto slot = std::make_shared<std::optional<T>>();
  std::promise<bool> done;
  auto future = done.get_future();
  store.submit([slot, fn = std::move(fn)](Repository &r) mutable { slot->emplace(fn(r)); },
               [&done](std::exception_ptr e) {
                 if (e) {
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception &ex) {
                     log().error("alerts: a delivery unit failed: {}", ex.what());
                   } catch (...) {
                     log().error("alerts: a delivery unit failed");
                   }
                 }
                 done.set_value(!e);
               });
  if (!future.get()) return std::nullopt;
  return std::move(*slot);
}

struct Item {
  AlertDelivery delivery;
  std::optional<AlertChannel> channel;
  std::optional<Alert> alert;
  std::string rule_name;
};

struct Due {
  std::vector<Item> items;
  std::optional<core::Timestamp> next; //!< when nothing is due now: the earliest pending one
};

} // namespace

std::chrono::milliseconds retry_delay(int attempts, std::chrono::milliseconds min, std::chrono::milliseconds max) {
  auto d = min;
  for (int i = 1; i < attempts && d < max; ++i)
    d *= 2;
  return std::min(d, max);
}

Dispatcher::Dispatcher(StoreExecutor &store, const core::Clock &clock, Transport &transport, DispatcherOptions options)
    : store_(store), clock_(clock), transport_(transport), options_(std::move(options)) {
  for (auto kind : {AlertChannelKind::Webhook, AlertChannelKind::Email})
    for (auto result : {"delivered", "retry", "failed"})
      deliveries(kind, result); // every series exposed from the start, at 0
}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::start() {
  thread_ = std::thread([this] { run(); });
}

void Dispatcher::wake() {
  {
    std::lock_guard lock{mutex_};
    woken_ = true;
  }
  cv_.notify_one();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Dispatcher::run() {
  for (;;) {
    bool sent = false;
    try {
      sent = pass();
    } catch (const std::exception &e) {
      log().error("alerts: a delivery pass failed: {}", e.what());
    } catch (...) {
      log().error("alerts: a delivery pass failed");
    }
    std::unique_lock lock{mutex_};
    if (stopping_) return;
    if (sent) continue; // more may be due
    // Nothing due: sleep until woken, or at most a second (a retry's time comes by the clock).
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return woken_ || stopping_; });
    woken_ = false;
    if (stopping_) return;
  }
}

bool Dispatcher::pass() {
  auto now = clock_.now();
  auto due = run_and_wait<Due>(store_, [now](Repository &r) {
    Due out;
    for (auto &d : r.due_alert_deliveries(now, 16)) {
      Item item{d, r.alert_channel(d.channel_id), r.alert(d.alert_id), {}};
      if (item.alert)
        if (auto rule = r.alert_rule(item.alert->rule_id)) item.rule_name = rule->name;
      out.items.push_back(std::move(item));
    }
    return out;
  });
  if (!due || due->items.empty()) return false;
  for (auto &item : due->items) {
    {
      std::lock_guard lock{mutex_};
      if (stopping_) return true;
    }
    auto &d = item.delivery;
    auto sent_at = clock_.now();
    SendResult result;
    if (!item.channel || !item.alert) {
      result.error = item.channel ? "the alert is gone" : "the channel was deleted";
      d.attempts = options_.max_attempts; // nothing to retry
    } else {
      Message m{*item.alert, item.rule_name, d.event, d.id, sent_at};
      try {
        if (item.channel->kind == AlertChannelKind::Webhook) {
          auto body = webhook_body(m);
          auto ts = core::to_unix_ms(sent_at) / 1000;
          std::vector<std::string> headers{
              "X-Gridlane-Event: " + std::string(name_of(alert_events, d.event)),
              "X-Gridlane-Delivery: " + std::to_string(d.id),
              "X-Gridlane-Timestamp: " + std::to_string(ts),
              "X-Gridlane-Signature: " + sign(item.channel->secret, ts, body),
          };
          result = transport_.post(item.channel->url, headers, body);
        } else {
          result =
              transport_.mail(item.channel->recipients, mail_document(m, options_.smtp_from, item.channel->recipients));
        }
      } catch (const std::exception &e) {
        result = SendResult{false, std::nullopt, e.what()};
      }
    }
    ++d.attempts;
    d.last_attempt_at = sent_at;
    d.response_status = result.status;
    std::string_view outcome;
    if (result.ok) {
      d.state = AlertDeliveryState::Delivered;
      d.delivered_at = clock_.now();
      d.last_error.clear();
      outcome = "delivered";
    } else if (d.attempts >= options_.max_attempts) {
      d.state = AlertDeliveryState::Failed;
      d.last_error = result.error;
      outcome = "failed";
    } else {
      d.next_attempt_at = clock_.now() + retry_delay(d.attempts, options_.retry_min, options_.retry_max);
      d.last_error = result.error;
      outcome = "retry";
    }
    deliveries(d.channel_kind, outcome).inc();
    if (!result.ok)
      log().warn("alerts: delivery {} of alert {} to channel {} ({} attempt(s)): {}", d.id, d.alert_id, d.channel_id,
                 d.attempts, result.error);
    run_and_wait<bool>(store_, [d](Repository &r) {
      r.update_alert_delivery(d);
      return true;
    });
  }
  return true;
}

} // namespace gridlane::alerts
