#include "gridlane/services/availability_watch.hpp"

#include "gridlane/core/logging.hpp"
#include "gridlane/services/live_values.hpp"

namespace gridlane::services {

using domain::Event;
using domain::OfflineReason;
using domain::StationId;
using domain::StationOffline;
using domain::StationOnline;
using domain::Timestamp;

namespace {

void note_seen(std::optional<Timestamp> &held, std::optional<Timestamp> seen) {
  if (seen && (!held || *seen > *held)) held = seen;
}

} // namespace

void OfflineTracker::expect(const StationId &id, Timestamp start) {
  auto [it, added] = stations_.try_emplace(id);
  if (!added) return;
  it->second.expected = true;
  it->second.since = start;
}

void OfflineTracker::already_offline(const StationId &id, Timestamp since, OfflineReason reason) {
  auto &s = stations_[id];
  s.connected = false;
  s.expected = false;
  s.since = since;
  s.offline_since = since;
  s.reason = reason;
}

std::vector<Event> OfflineTracker::connected(const StationId &id, Timestamp at) {
  std::vector<Event> out;
  auto &s = stations_[id];
  if (s.offline_since) out.emplace_back(StationOnline{id, at, *s.offline_since});
  s.offline_since.reset();
  s.connected = true;
  s.expected = false;
  s.since = at;
  return out;
}

std::vector<Event> OfflineTracker::disconnected(const StationId &id, Timestamp at, std::optional<Timestamp> last_seen) {
  auto &s = stations_[id];
  note_seen(s.last_seen, last_seen);
  s.connected = false;
  s.expected = false;
  // A station already silent stays offline for that reason, from when it fell silent.
  if (s.offline_since) return {};
  s.since = at;
  // With no grace the outage is known at once.
  if (options_.disconnect_grace.count() > 0) return {};
  s.offline_since = at;
  s.reason = OfflineReason::Disconnected;
  return {StationOffline{id, at, s.last_seen, OfflineReason::Disconnected}};
}

std::vector<Event> OfflineTracker::tick(Timestamp now, const LastSeen &last_seen) {
  std::vector<Event> out;
  const auto silence = options_.silence_limit();
  const auto grace = std::chrono::duration_cast<std::chrono::milliseconds>(options_.disconnect_grace);
  const auto beat = std::chrono::duration_cast<std::chrono::milliseconds>(options_.heartbeat_interval);
  for (auto &[id, s] : stations_) {
    if (last_seen) note_seen(s.last_seen, last_seen(id));
    if (s.offline_since) {
      // Silent and heard again (a message or a ping answer after the silence began): back.
      if (s.connected && s.reason == OfflineReason::Silent && s.last_seen && *s.last_seen > s.since) {
        out.emplace_back(StationOnline{id, *s.last_seen, *s.offline_since});
        s.offline_since.reset();
        s.since = *s.last_seen;
      }
      continue;
    }
    if (!s.connected) {
      if (now - s.since < (s.expected ? silence : grace)) continue;
      s.offline_since = s.since;
      s.reason = OfflineReason::Disconnected;
      out.emplace_back(StationOffline{id, s.since, s.last_seen, OfflineReason::Disconnected});
      continue;
    }
    auto heard = s.since;
    if (s.last_seen && *s.last_seen > heard) heard = *s.last_seen;
    if (now - heard < silence) continue;
    // Offline from the first heartbeat it missed; `since` keeps the last moment heard, so a
    // later message tells it is back.
    s.since = heard;
    s.offline_since = heard + beat;
    s.reason = OfflineReason::Silent;
    out.emplace_back(StationOffline{id, heard + beat, s.last_seen, OfflineReason::Silent});
  }
  return out;
}

bool OfflineTracker::is_offline(const StationId &id) const {
  auto it = stations_.find(id);
  return it != stations_.end() && it->second.offline_since.has_value();
}

AvailabilityWatch::AvailabilityWatch(const core::Clock &clock, domain::EventBus &bus, const LiveValues &live,
                                     Scheduler scheduler, AvailabilityOptions options)
    : clock_(clock), bus_(bus), live_(live), scheduler_(std::move(scheduler)), tracker_(options) {
  subscription_ = bus_.subscribe([this](const Event &e) { on_event(e); });
}

AvailabilityWatch::~AvailabilityWatch() {
  stop();
  subscription_.reset();
}

void AvailabilityWatch::expect(const StationId &id) {
  std::lock_guard lock{state_};
  tracker_.expect(id, clock_.now());
}

void AvailabilityWatch::already_offline(const StationId &id, Timestamp since, OfflineReason reason) {
  std::lock_guard lock{state_};
  tracker_.already_offline(id, since, reason);
}

void AvailabilityWatch::start() {
  {
    std::lock_guard lock{state_};
    if (running_) return;
    running_ = true;
  }
  schedule();
}

void AvailabilityWatch::stop() {
  std::lock_guard lock{state_};
  running_ = false;
}

void AvailabilityWatch::schedule() {
  scheduler_(tracker_.options().check_interval, [this] {
    {
      std::lock_guard lock{state_};
      if (!running_) return; // stopped (a scheduler shut down runs this at once: no loop)
    }
    try {
      check();
    } catch (const std::exception &e) {
      core::log(core::Component::Services).error("availability check failed: {}", e.what());
    }
    schedule();
  });
}

void AvailabilityWatch::check() {
  std::lock_guard order{order_};
  std::vector<Event> events;
  {
    std::lock_guard lock{state_};
    events = tracker_.tick(clock_.now(), [this](const StationId &id) { return live_.last_seen(id); });
  }
  publish(std::move(events));
}

bool AvailabilityWatch::is_offline(const StationId &id) const {
  std::lock_guard lock{state_};
  return tracker_.is_offline(id);
}

void AvailabilityWatch::on_event(const Event &e) {
  const auto *c = std::get_if<domain::StationConnected>(&e);
  const auto *d = std::get_if<domain::StationDisconnected>(&e);
  if (!c && !d) return; // before the locks: our own events come back through here
  std::lock_guard order{order_};
  std::vector<Event> events;
  {
    std::lock_guard lock{state_};
    events = c ? tracker_.connected(c->station, c->at)
               : tracker_.disconnected(d->station, d->at, live_.last_seen(d->station));
  }
  publish(std::move(events));
}

void AvailabilityWatch::publish(std::vector<Event> events) {
  for (auto &e : events) {
    if (const auto *off = std::get_if<StationOffline>(&e))
      core::StationLog(core::Component::Services, off->station.str())
          .info("offline ({})", domain::name_of(domain::offline_reasons, off->reason));
    else if (const auto *on = std::get_if<StationOnline>(&e))
      core::StationLog(core::Component::Services, on->station.str()).info("online again");
    bus_.publish(std::move(e));
  }
}

} // namespace gridlane::services
