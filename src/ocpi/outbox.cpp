// The roaming outbox's dispatcher (outbox.hpp). One thread reads the due items in a unit of
// work and hands each to the roaming worker pool; a worker makes the call and records its
// outcome in a second unit, whose completion comes back to the dispatcher thread. Only that
// thread touches the in-flight set, and it applies completions only between two reads, so an
// item still being recorded is never read as due and sent twice.
#include "gridlane/ocpi/outbox.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "gridlane/core/logging.hpp"

namespace gridlane::ocpi {
using namespace std::chrono_literals;
using domain::OutboxItem;
using domain::Partner;
using domain::PartnerStatus;

namespace {

constexpr std::size_t read_batch = 256;
constexpr std::size_t max_in_flight = 64;
constexpr int max_in_flight_per_partner = 8;
//! A Suspended (or Planned) partner's items are looked at again this often.
constexpr auto suspended_recheck = 10s;

bool absolute(std::string_view path) {
  return path.starts_with("https://") || path.starts_with("http://");
}

std::string join_url(std::string_view base, std::string_view path) {
  std::string url(base);
  if (path.empty()) return url;
  bool slash_end = !url.empty() && url.back() == '/';
  bool slash_start = path.front() == '/';
  if (slash_end && slash_start)
    url.pop_back();
  else if (!slash_end && !slash_start)
    url += '/';
  url += path;
  return url;
}

std::string describe(const domain::Result<InboundAnswer> &r) {
  if (!r) return r.error().message;
  const auto &a = *r;
  std::string out = fmt::format("HTTP {}", a.http_status);
  if (a.status_code) out += fmt::format(", OCPI {}", *a.status_code);
  if (!a.status_message.empty()) out += ": " + a.status_message;
  return out;
}

struct Completion {
  std::int64_t id = 0;
  std::int64_t partner_id = 0;
};

//! What one read found: the due items and, for each of their partners, the partner and its
//! consecutive failures.
struct DueRead {
  std::vector<OutboxItem> items;
  std::map<std::int64_t, std::optional<Partner>> partners;
  std::map<std::int64_t, int> failures;
};

} // namespace

Delivery classify(const domain::Result<InboundAnswer> &answer) {
  if (!answer) {
    // A URL Gridlane may not call will not get better by waiting; anything else is the network.
    return answer.error().code == domain::ServiceError::Code::Invalid ? Delivery::Refused : Delivery::Down;
  }
  auto http = answer->http_status;
  auto code = answer->status_code;
  if (http >= 500 || http == 408 || http == 429 || http == 401) return Delivery::Down;
  if (http >= 400) return Delivery::Refused;
  if (http < 200 || http >= 300) return Delivery::Down; // 1xx/3xx: no redirect is followed
  if (!code || (*code >= 1000 && *code < 2000)) return Delivery::Delivered;
  if (*code >= 2000 && *code < 3000) return Delivery::Refused;
  if (*code == 4001) return Delivery::Refused; // a hub that does not know the receiver
  return Delivery::Down;                       // 3xxx, 4000, 4002, 4003, anything else
}

std::chrono::milliseconds backoff(int failures, std::chrono::milliseconds retry_min,
                                  std::chrono::milliseconds retry_max) {
  auto lo = std::max<std::int64_t>(1, retry_min.count());
  auto hi = std::max<std::int64_t>(lo, retry_max.count());
  auto d = lo;
  for (int i = 1; i < failures && d < hi; ++i)
    d = std::min(hi, d * 2);
  return std::chrono::milliseconds(std::min(d, hi));
}

struct Outbox::State : std::enable_shared_from_this<Outbox::State> {
  State(domain::StoreExecutor &s, Client &c, core::WorkerPool &p, const core::Clock &k, core::OcpiConfig cfg)
      : store(s), client(c), pool(p), clock(k), config(std::move(cfg)), log(core::logger("ocpi.outbox")) {}

  domain::StoreExecutor &store;
  Client &client;
  core::WorkerPool &pool;
  const core::Clock &clock;
  core::OcpiConfig config;
  std::shared_ptr<spdlog::logger> log;

  std::mutex mutex; // guards the fields up to `thread`
  std::condition_variable cv;
  bool woken = false;
  bool stopping = false;
  bool started = false;
  std::deque<Completion> completions;
  std::size_t jobs = 0;                         //!< calls handed to the pool and not yet completed
  std::map<std::int64_t, core::Timestamp> held; //!< partners held after a failure, until
  std::thread thread;

  // The dispatcher thread's own.
  std::set<std::int64_t> in_flight;
  std::unordered_map<std::int64_t, int> in_flight_of;
  std::string last_read_error;

  std::chrono::milliseconds retry_min() const { return std::chrono::milliseconds(config.retry_min_ms); }
  std::chrono::milliseconds retry_max() const { return std::chrono::milliseconds(config.retry_max_ms); }
  std::chrono::milliseconds poll_interval() const {
    return std::chrono::milliseconds(std::clamp(config.retry_min_ms, 50, 1000));
  }

  void complete(Completion c) {
    std::lock_guard lock(mutex);
    completions.push_back(c);
    if (jobs > 0) --jobs;
    cv.notify_all();
  }

  void run() {
    for (;;) {
      std::deque<Completion> done;
      {
        std::unique_lock lock(mutex);
        cv.wait_for(lock, poll_interval(), [this] { return stopping || woken || !completions.empty(); });
        if (stopping) return;
        woken = false;
        done.swap(completions);
      }
      for (const auto &c : done) {
        in_flight.erase(c.id);
        if (auto it = in_flight_of.find(c.partner_id); it != in_flight_of.end() && --it->second <= 0)
          in_flight_of.erase(it);
      }
      if (in_flight.size() >= max_in_flight) continue;
      try {
        if (auto read = read_due()) dispatch(std::move(*read));
      } catch (const std::exception &e) {
        log->error("outbox: {}", e.what());
      }
    }
  }

  //! One unit of work: the due items and their partners. Empty when the store failed.
  std::optional<DueRead> read_due() {
    auto result = std::make_shared<std::promise<std::optional<DueRead>>>();
    auto future = result->get_future();
    auto now = clock.now();
    auto slot = std::make_shared<DueRead>();
    store.submit(
        [slot, now](domain::Repository &repo) {
          slot->items = repo.due_items(now, read_batch);
          for (const auto &i : slot->items) {
            if (slot->partners.contains(i.partner_id)) continue;
            slot->partners[i.partner_id] = repo.partner(i.partner_id);
            slot->failures[i.partner_id] = repo.partner_failures(i.partner_id);
          }
        },
        [slot, result](std::exception_ptr e) {
          if (!e) {
            result->set_value(std::move(*slot));
            return;
          }
          std::string what = "unit of work failed";
          try {
            std::rethrow_exception(e);
          } catch (const std::exception &ex) {
            what = ex.what();
          } catch (...) {
          }
          result->set_exception(std::make_exception_ptr(std::runtime_error(what)));
        });
    if (future.wait_for(30s) != std::future_status::ready) {
      log->warn("outbox: the store did not answer within 30 s");
      return std::nullopt;
    }
    try {
      auto read = future.get();
      last_read_error.clear();
      return read;
    } catch (const std::exception &e) {
      if (last_read_error != e.what()) log->error("outbox: cannot read the due items: {}", e.what());
      last_read_error = e.what();
      return std::nullopt;
    }
  }

  void dispatch(DueRead read) {
    std::set<std::int64_t> suspended;
    for (auto &item : read.items) {
      if (in_flight.size() >= max_in_flight) break;
      if (in_flight.contains(item.id)) continue;
      const auto &partner = read.partners[item.partner_id];
      auto failures = read.failures[item.partner_id];
      if (!partner || partner->status == PartnerStatus::Unregistered) {
        settle_without_call(item, "the partner is not registered (any more)");
        continue;
      }
      if (partner->status != PartnerStatus::Registered) {
        suspended.insert(item.partner_id);
        continue;
      }
      if (!partner->may_use(item.module)) {
        settle_without_call(item, "the partner may not use this module");
        continue;
      }
      std::string url = item.path;
      if (!absolute(item.path)) {
        const auto *ep = partner->endpoint(item.module, domain::InterfaceRole::Receiver);
        if (!ep) {
          settle_without_call(item, "the partner offers no Receiver endpoint of this module");
          continue;
        }
        url = join_url(ep->url, item.path);
      }
      // A partner that failed last time gets one probe at a time; the rest follow its success.
      int limit = failures > 0 ? 1 : max_in_flight_per_partner;
      if (in_flight_of[item.partner_id] >= limit) continue;
      send(std::move(item), *partner, std::move(url));
    }
    for (auto id : suspended)
      hold_suspended(id);
  }

  void track(const OutboxItem &item) {
    in_flight.insert(item.id);
    ++in_flight_of[item.partner_id];
    std::lock_guard lock(mutex);
    ++jobs;
  }

  //! An item no call can deliver: dead at once, recorded like a refusal.
  void settle_without_call(const OutboxItem &item, const std::string &why) {
    track(item);
    auto self = shared_from_this();
    auto now = clock.now();
    log->warn("outbox: item {} for partner {} ({}) is dead: {}", item.id, item.partner_id, item.object_key, why);
    Completion c{item.id, item.partner_id};
    store.submit([id = item.id, now, why](domain::Repository &repo) { repo.mark_dead(id, now, why); },
                 [self, c](const std::exception_ptr &) { self->complete(c); });
  }

  void hold_suspended(std::int64_t partner_id) {
    auto until = clock.now() + suspended_recheck;
    store.submit([partner_id, until](domain::Repository &repo) { repo.hold_partner(partner_id, until); },
                 [](const std::exception_ptr &) {});
  }

  void send(OutboxItem item, const Partner &partner, std::string url) {
    track(item);
    auto self = shared_from_this();
    OutboundCall call;
    call.method = item.method;
    call.url = std::move(url);
    call.body = item.body;
    call.token = partner.token_to_them;
    call.encoding = partner.encoding;
    call.from = domain::PartyId{config.country_code, config.party_id};
    if (item.to)
      call.to = item.to;
    else if (!partner.roles.empty())
      call.to = partner.roles.front().party;
    call.timeout = std::chrono::milliseconds(std::max(1, config.request_timeout_ms));
    Completion c{item.id, item.partner_id};
    pool.submit(
        core::WorkerPool::Lane::Normal,
        [self, item = std::move(item), call = std::move(call), c]() mutable {
          try {
            self->deliver(item, call);
          } catch (const std::exception &e) {
            self->log->error("outbox: item {}: {}", item.id, e.what());
            self->complete(c);
          }
        },
        [self, c](core::JobRefusal why) {
          // Busy or stopping: nothing was sent; the item is read as due again later.
          self->log->debug("outbox: item {} not sent now ({})", c.id, core::to_string(why));
          self->complete(c);
        });
  }

  //! On a worker thread: the call, then its outcome in a unit of work.
  void deliver(const OutboxItem &item, const OutboundCall &call) {
    Completion c{item.id, item.partner_id};
    {
      std::lock_guard lock(mutex);
      if (stopping) {
        completions.push_back(c);
        if (jobs > 0) --jobs;
        cv.notify_all();
        return;
      }
    }
    auto answer = client.call(call);
    auto kind = classify(answer);
    auto error = describe(answer);
    auto now = clock.now();
    auto self = shared_from_this();
    auto record = [self, item, kind, error, now](domain::Repository &repo) {
      self->record(repo, item, kind, error, now);
    };
    store.submit(std::move(record), [self, c](const std::exception_ptr &e) {
      if (e) self->log->error("outbox: the outcome of item {} was not recorded; it will be sent again", c.id);
      self->complete(c);
    });
  }

  //! On the store's thread, inside the unit of work.
  void record(domain::Repository &repo, const OutboxItem &item, Delivery kind, const std::string &error,
              core::Timestamp now) {
    switch (kind) {
    case Delivery::Delivered: {
      bool recovered = false;
      {
        std::lock_guard lock(mutex);
        recovered = held.erase(item.partner_id) > 0;
      }
      if (recovered) log->info("outbox: partner {} answers again; its backlog follows", item.partner_id);
      repo.mark_delivered(item.id, now); // also ends the partner's hold
      return;
    }
    case Delivery::Down: {
      // One hold per outage: calls that were in flight when it began do not deepen it.
      {
        std::lock_guard lock(mutex);
        if (auto it = held.find(item.partner_id); it != held.end() && it->second > now) return;
      }
      auto failures = repo.partner_failures(item.partner_id) + 1;
      auto until = now + backoff(failures, retry_min(), retry_max());
      repo.partner_down(item.partner_id, failures, until, now, error);
      {
        std::lock_guard lock(mutex);
        held[item.partner_id] = until;
      }
      log->warn("outbox: partner {} unreachable ({}); {} failure(s) in a row, next try in {} ms", item.partner_id,
                error, failures, std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count());
      return;
    }
    case Delivery::Refused: {
      // The partner answered: it is up, whatever it thinks of this item.
      {
        std::lock_guard lock(mutex);
        held.erase(item.partner_id);
      }
      if (repo.partner_failures(item.partner_id) > 0) repo.partner_up(item.partner_id);
      auto attempts = item.attempts + 1;
      if (attempts >= max_refusals) {
        log->error("outbox: partner {} refused item {} ({} {}) {} times: kept as dead: {}", item.partner_id, item.id,
                   item.object_key, item.path, attempts, error);
        repo.mark_dead(item.id, now, error);
        return;
      }
      log->warn("outbox: partner {} refused item {} ({}): {}", item.partner_id, item.id, item.object_key, error);
      repo.mark_failed(item.id, now, error, now + backoff(attempts, retry_min(), retry_max()));
      return;
    }
    }
  }
};

Outbox::Outbox(domain::StoreExecutor &store, Client &client, core::WorkerPool &pool, const core::Clock &clock,
               core::OcpiConfig config)
    : state_(std::make_shared<State>(store, client, pool, clock, std::move(config))) {}

Outbox::~Outbox() {
  stop();
}

std::int64_t Outbox::enqueue(domain::Repository &repo, OutboxItem item) {
  if (item.partner_id <= 0) throw std::invalid_argument("outbox: an item needs its partner");
  if (item.object_key.empty()) throw std::invalid_argument("outbox: an item needs its object key");
  if (item.created_at == core::Timestamp{}) item.created_at = core::SystemClock{}.now();
  return repo.enqueue(item);
}

bool Outbox::takes(const Partner &partner, domain::OcpiModule module) {
  return partner.status == PartnerStatus::Registered && partner.may_use(module) &&
         partner.endpoint(module, domain::InterfaceRole::Receiver) != nullptr;
}

void Outbox::start() {
  std::lock_guard lock(state_->mutex);
  if (state_->started || state_->stopping) return;
  state_->started = true;
  auto s = state_;
  state_->thread = std::thread([s] {
    try {
      s->run();
    } catch (const std::exception &e) {
      s->log->critical("outbox: the dispatcher stopped: {}", e.what());
    }
  });
}

void Outbox::wake() {
  std::lock_guard lock(state_->mutex);
  state_->woken = true;
  state_->cv.notify_all();
}

void Outbox::stop() {
  std::thread t;
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    state_->cv.notify_all();
    t = std::move(state_->thread);
  }
  if (t.joinable()) t.join();
  // The calls in flight end within the request timeout; their outcome is recorded if the store
  // still runs, and the item is simply due again after a restart otherwise.
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(1, state_->config.request_timeout_ms)) + 2s;
  std::unique_lock lock(state_->mutex);
  if (!state_->cv.wait_until(lock, deadline, [this] { return state_->jobs == 0; }))
    state_->log->warn("outbox: {} call(s) to partners still running at shutdown", state_->jobs);
}

} // namespace gridlane::ocpi
