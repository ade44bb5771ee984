#pragma once
//! The roaming outbox's dispatcher (docs/ocpi.md "Delivery: the outbox"). Every push to a
//! partner is an OutboxItem stored in the unit of work that decided it (Outbox::enqueue); the
//! dispatcher thread reads the due ones, sends each through the Client on the roaming worker
//! pool and records the answer in a second unit: delivered, failed (retried with back-off) or
//! dead (refused for good). Items of one (partner, object_key) go out one at a time, in order;
//! a partner that is down is held as a whole (its items wait together, one probe at a time
//! once the hold ends) and catches up in order when it answers again. Nothing lives only in
//! memory: after a restart the due items are simply in the table.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/client.hpp"

namespace gridlane::ocpi {

//! How one answer of a partner counts for the outbox.
enum class Delivery {
  Delivered, //!< HTTP 2xx, and the envelope (when there is one) says 1xxx
  Down,      //!< no answer, a timeout, HTTP 5xx/408/429/401, OCPI 3xxx, 4002/4003: the partner, not the item
  Refused,   //!< HTTP 4xx otherwise, OCPI 2xxx or 4001: this item; a few attempts, then dead
};

//! Classifies one call's outcome (pure; the policy in one place).
Delivery classify(const domain::Result<InboundAnswer> &answer);

//! The back-off after the n-th consecutive failure (n >= 1): retry_min doubled each time,
//! capped at retry_max.
std::chrono::milliseconds backoff(int failures, std::chrono::milliseconds retry_min,
                                  std::chrono::milliseconds retry_max);

class Outbox {
public:
  //! A refused item is tried this many times in all, then kept as dead.
  static constexpr int max_refusals = 3;

  Outbox(domain::StoreExecutor &store, Client &client, core::WorkerPool &pool, const core::Clock &clock,
         core::OcpiConfig config);
  ~Outbox(); //!< stop()
  Outbox(const Outbox &) = delete;
  Outbox &operator=(const Outbox &) = delete;

  //! Stores a push, inside the caller's unit of work (then call wake() once it is committed).
  //! created_at, when left at the epoch, is the system time. Returns the item's id.
  static std::int64_t enqueue(domain::Repository &repo, domain::OutboxItem item);
  //! Whether a partner gets pushes of a module below its Receiver endpoint: Registered, allowed
  //! the module, and offering its Receiver endpoint.
  static bool takes(const domain::Partner &partner, domain::OcpiModule module);

  //! Starts the dispatcher thread. Idempotent.
  void start();
  //! Something was enqueued or changed: look for due items now (any thread, never blocks).
  void wake();
  //! Stops the dispatcher and waits (bounded by the request timeout) for the calls in flight
  //! to end; what was not delivered stays in the table. Idempotent.
  void stop();

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace gridlane::ocpi
