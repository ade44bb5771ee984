#pragma once
//! The availability watch (docs/operations.md, "Availability and uptime"): decides when a station
//! counts as offline and when it is back, and publishes domain::StationOffline / StationOnline.
//!
//! A station is offline when
//!  - its connection ended and it did not connect again within `disconnect_grace` (reason
//!    Disconnected, offline from the moment the connection ended), or
//!  - it is connected but nothing was heard from it (no OCPP message, no WebSocket ping answer:
//!    services::LiveValues' last seen) for `offline_after_heartbeats` heartbeat intervals (reason
//!    Silent, offline from the first heartbeat it missed: last heard + one interval), or
//!  - it was seen before this server started and has not connected within the same
//!    `offline_after_heartbeats` intervals of the start (reason Disconnected, from the start).
//! It is online again when it connects (at the connection) or, when silent, when it is heard
//! again (at that message). OfflineTracker is the pure part (no clock, bus or store);
//! AvailabilityWatch feeds it from the bus and the timer.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "gridlane/domain/events.hpp"

namespace gridlane::services {

class LiveValues;

struct AvailabilityOptions {
  std::chrono::seconds heartbeat_interval{300}; //!< [ocpp] heartbeat_interval_s: what stations are told at boot
  int offline_after_heartbeats = 3;             //!< [availability] offline_after_heartbeats
  std::chrono::seconds disconnect_grace{5};     //!< [availability] disconnect_grace_s
  std::chrono::milliseconds check_interval{1000};
  //! How long nothing heard counts as silence: offline_after_heartbeats x heartbeat_interval.
  std::chrono::milliseconds silence_limit() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(heartbeat_interval) * offline_after_heartbeats;
  }
};

//! The watch's decisions, as a function of what happened and `now`. Not thread-safe.
class OfflineTracker {
public:
  using LastSeen = std::function<std::optional<domain::Timestamp>(const domain::StationId &)>;
  explicit OfflineTracker(AvailabilityOptions options) : options_(options) {}

  //! A station known before the start (seen once) that is not connected yet: offline with reason
  //! Disconnected, from `start`, unless it connects within the silence limit.
  void expect(const domain::StationId &id, domain::Timestamp start);
  //! A station already counted offline since `since` (an outage still open when the server stopped).
  void already_offline(const domain::StationId &id, domain::Timestamp since, domain::OfflineReason reason);

  //! The events these cause, in order.
  std::vector<domain::Event> connected(const domain::StationId &id, domain::Timestamp at);
  std::vector<domain::Event> disconnected(const domain::StationId &id, domain::Timestamp at,
                                          std::optional<domain::Timestamp> last_seen);
  std::vector<domain::Event> tick(domain::Timestamp now, const LastSeen &last_seen);

  bool is_offline(const domain::StationId &id) const;
  const AvailabilityOptions &options() const { return options_; }

private:
  struct State {
    bool connected = false;
    bool expected = false;   //!< known before the start, not connected since
    domain::Timestamp since; //!< connected or disconnected at (the start for `expected`)
    std::optional<domain::Timestamp> last_seen;
    std::optional<domain::Timestamp> offline_since;
    domain::OfflineReason reason = domain::OfflineReason::Disconnected;
  };
  AvailabilityOptions options_;
  std::unordered_map<domain::StationId, State> stations_;
};

//! OfflineTracker on the bus (StationConnected / StationDisconnected) and a timer; publishes what
//! it decides. Thread-safe.
class AvailabilityWatch {
public:
  using Scheduler = std::function<void(std::chrono::milliseconds, std::function<void()>)>;
  AvailabilityWatch(const core::Clock &clock, domain::EventBus &bus, const LiveValues &live, Scheduler scheduler,
                    AvailabilityOptions options);
  ~AvailabilityWatch();
  AvailabilityWatch(const AvailabilityWatch &) = delete;
  AvailabilityWatch &operator=(const AvailabilityWatch &) = delete;

  //! What was known before the start (see OfflineTracker); before start().
  void expect(const domain::StationId &id);
  void already_offline(const domain::StationId &id, domain::Timestamp since, domain::OfflineReason reason);
  void start();
  void stop();
  //! One check now (tests; the timer calls it every check_interval).
  void check();
  bool is_offline(const domain::StationId &id) const;

private:
  void on_event(const domain::Event &e);
  void schedule();
  void publish(std::vector<domain::Event> events);

  const core::Clock &clock_;
  domain::EventBus &bus_;
  const LiveValues &live_;
  Scheduler scheduler_;
  //! Held while deciding and publishing, so events leave in the order they were decided (recursive:
  //! a subscriber's handler may cause a connection event on the same thread).
  std::recursive_mutex order_;
  //! Guards the tracker and running_ only, never held while publishing: a subscriber may ask
  //! is_offline() from its handler, under locks of its own.
  mutable std::mutex state_;
  OfflineTracker tracker_;
  bool running_ = false;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
