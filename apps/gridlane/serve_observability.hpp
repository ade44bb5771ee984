#pragma once
//! Observability as `gridlane serve` mounts it (docs/operations.md "Observability"): GET /metrics
//! (the process registry in the Prometheus text format, behind an optional bearer token), GET
//! /ready (200 once every part is up, 503 while starting or stopping), the process gauges and the
//! command outcome counters. The OCPP message metrics are counted on the message path
//! (ocpp::MessageMetrics); the store counts its own commits.
#include <atomic>
#include <memory>

#include "gridlane/core/config.hpp"
#include "gridlane/core/metrics.hpp"
#include "gridlane/domain/events.hpp"

namespace gridlane::ocpp {
class ConnectionRegistry;
} // namespace gridlane::ocpp
namespace gridlane::net {
class Server;
} // namespace gridlane::net

namespace gridlane::app {

struct ObservabilityDeps {
  const core::MetricsConfig &config;
  core::metrics::Registry &registry;
  domain::EventBus &bus;
  const ocpp::ConnectionRegistry &gateway;
  net::Server &server; //!< mounts /metrics and /ready; tells whether shutdown has begun
};

class Observability {
public:
  explicit Observability(ObservabilityDeps deps);
  ~Observability();
  Observability(const Observability &) = delete;
  Observability &operator=(const Observability &) = delete;

  //! Every part is built and the listener bound: /ready answers 200 (until stop or shutdown).
  void set_started();
  //! /ready answers 503 from now on; the gauges no longer read what serve() owns. Idempotent.
  void stop();

private:
  ObservabilityDeps deps_;
  std::shared_ptr<std::atomic<bool>> ready_; //!< shared with the /ready handler
  std::unique_ptr<domain::EventBus::Subscription> commands_;
};

} // namespace gridlane::app
