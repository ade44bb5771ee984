#pragma once
//! Sends the stored alert deliveries (docs/operations.md "Alerts"): one thread of its own reads
//! the due ones from the store, sends each through the Transport (blocking, with a timeout) and
//! records the outcome. A failed attempt is retried after retry_min x 2^(attempts-1), at most
//! retry_max, until max_attempts; then the delivery is failed. A delivery stays pending in the
//! store until its outcome is recorded, so one in flight at a crash is sent again after the
//! restart (at least once; receivers de-duplicate by X-Gridlane-Delivery).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "gridlane/alerts/transport.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/repository.hpp"

namespace gridlane::alerts {

struct DispatcherOptions {
  int max_attempts = 8;
  std::chrono::milliseconds retry_min{5000};
  std::chrono::milliseconds retry_max{3600000};
  std::string smtp_from; //!< the e-mails' From
};

//! The wait before attempt `attempts` + 1 after `attempts` failed ones (1, 2, ...).
std::chrono::milliseconds retry_delay(int attempts, std::chrono::milliseconds min, std::chrono::milliseconds max);

class Dispatcher {
public:
  Dispatcher(domain::StoreExecutor &store, const core::Clock &clock, Transport &transport, DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher &) = delete;
  Dispatcher &operator=(const Dispatcher &) = delete;

  void start();
  //! New deliveries were stored: look now.
  void wake();
  //! Finishes the attempt in flight (bounded by the transport's timeout) and joins. Idempotent.
  void stop();

private:
  void run();
  bool pass(); //!< sends what is due; false when nothing was

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  Transport &transport_;
  DispatcherOptions options_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace gridlane::alerts
