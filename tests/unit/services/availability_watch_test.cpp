// The availability watch (services::OfflineTracker, AvailabilityWatch): when a station counts as
// offline (disconnected past the grace, silent past N heartbeat intervals, not back after a
// restart), from when, and when it is back; with a fake clock and bus.
#include <gtest/gtest.h>

#include "gridlane/services/availability_watch.hpp"
#include "gridlane/services/live_values.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char *text) {
  return *core::parse_iso8601(text);
}

const StationId cs1 = StationId::unchecked("CS-1");

AvailabilityOptions options(std::chrono::seconds grace = 0s) {
  AvailabilityOptions o;
  o.heartbeat_interval = 60s;
  o.offline_after_heartbeats = 3;
  o.disconnect_grace = grace;
  return o;
}

//! A last-seen lookup over a fixed value.
OfflineTracker::LastSeen seen(std::optional<Timestamp> t) {
  return [t](const StationId &) { return t; };
}

template <class E> E only(const std::vector<Event> &events) { // a copy: callers pass temporaries
  EXPECT_EQ(events.size(), 1u);
  return std::get<E>(events.at(0));
}

TEST(OfflineTracker, disconnect_without_grace_is_offline_at_once_from_the_disconnect) {
  OfflineTracker t{options()};
  EXPECT_TRUE(t.connected(cs1, at("2026-03-01T10:00:00Z")).empty());
  auto events = t.disconnected(cs1, at("2026-03-01T10:05:00Z"), at("2026-03-01T10:04:30Z"));
  const auto &off = only<StationOffline>(events);
  EXPECT_EQ(off.at, at("2026-03-01T10:05:00Z"));
  EXPECT_EQ(off.reason, OfflineReason::Disconnected);
  EXPECT_EQ(off.last_seen, at("2026-03-01T10:04:30Z"));
  EXPECT_TRUE(t.is_offline(cs1));
  // Later checks repeat nothing.
  EXPECT_TRUE(t.tick(at("2026-03-01T11:00:00Z"), seen(std::nullopt)).empty());
  const auto &on = only<StationOnline>(t.connected(cs1, at("2026-03-01T10:20:00Z")));
  EXPECT_EQ(on.at, at("2026-03-01T10:20:00Z"));
  EXPECT_EQ(on.offline_since, at("2026-03-01T10:05:00Z"));
  EXPECT_FALSE(t.is_offline(cs1));
}

TEST(OfflineTracker, reconnect_within_the_grace_is_no_outage) {
  OfflineTracker t{options(10s)};
  (void)t.connected(cs1, at("2026-03-01T10:00:00Z"));
  EXPECT_TRUE(t.disconnected(cs1, at("2026-03-01T10:05:00Z"), std::nullopt).empty());
  EXPECT_TRUE(t.tick(at("2026-03-01T10:05:09.999Z"), seen(std::nullopt)).empty());
  EXPECT_TRUE(t.connected(cs1, at("2026-03-01T10:05:09.999Z")).empty());
  EXPECT_TRUE(t.tick(at("2026-03-01T10:06:00Z"), seen(std::nullopt)).empty());
  EXPECT_FALSE(t.is_offline(cs1));
}

TEST(OfflineTracker, disconnect_past_the_grace_is_offline_from_the_disconnect) {
  OfflineTracker t{options(10s)};
  (void)t.connected(cs1, at("2026-03-01T10:00:00Z"));
  EXPECT_TRUE(t.disconnected(cs1, at("2026-03-01T10:05:00Z"), std::nullopt).empty());
  const auto &off = only<StationOffline>(t.tick(at("2026-03-01T10:05:10Z"), seen(std::nullopt)));
  EXPECT_EQ(off.at, at("2026-03-01T10:05:00Z"));
  EXPECT_EQ(off.reason, OfflineReason::Disconnected);
}

TEST(OfflineTracker, silent_after_n_heartbeats_is_offline_from_the_first_missed_heartbeat) {
  OfflineTracker t{options()};
  (void)t.connected(cs1, at("2026-03-01T10:00:00Z"));
  auto last = seen(at("2026-03-01T10:01:00Z"));
  // 3 x 60 s after the last message: 10:04:00.
  EXPECT_TRUE(t.tick(at("2026-03-01T10:03:59.999Z"), last).empty());
  const auto &off = only<StationOffline>(t.tick(at("2026-03-01T10:04:00Z"), last));
  EXPECT_EQ(off.reason, OfflineReason::Silent);
  EXPECT_EQ(off.at, at("2026-03-01T10:02:00Z"));
  EXPECT_EQ(off.last_seen, at("2026-03-01T10:01:00Z"));
  EXPECT_TRUE(t.tick(at("2026-03-01T10:10:00Z"), last).empty());
  // Heard again (a message or a ping answer): online from that moment.
  const auto &on = only<StationOnline>(t.tick(at("2026-03-01T10:12:01Z"), seen(at("2026-03-01T10:12:00Z"))));
  EXPECT_EQ(on.at, at("2026-03-01T10:12:00Z"));
  EXPECT_EQ(on.offline_since, at("2026-03-01T10:02:00Z"));
  EXPECT_FALSE(t.is_offline(cs1));
}

TEST(OfflineTracker, a_station_that_says_nothing_after_connecting_counts_from_its_connection) {
  OfflineTracker t{options()};
  (void)t.connected(cs1, at("2026-03-01T10:00:00Z"));
  // An old last-seen from an earlier connection does not count against it.
  auto old = seen(at("2026-03-01T08:00:00Z"));
  EXPECT_TRUE(t.tick(at("2026-03-01T10:02:59Z"), old).empty());
  const auto &off = only<StationOffline>(t.tick(at("2026-03-01T10:03:00Z"), old));
  EXPECT_EQ(off.at, at("2026-03-01T10:01:00Z"));
}

TEST(OfflineTracker, a_silent_station_that_disconnects_stays_offline_for_silence_until_it_connects) {
  OfflineTracker t{options()};
  (void)t.connected(cs1, at("2026-03-01T10:00:00Z"));
  (void)only<StationOffline>(t.tick(at("2026-03-01T10:03:00Z"), seen(std::nullopt)));
  EXPECT_TRUE(t.disconnected(cs1, at("2026-03-01T10:08:00Z"), std::nullopt).empty());
  EXPECT_TRUE(t.tick(at("2026-03-01T10:09:00Z"), seen(std::nullopt)).empty());
  const auto &on = only<StationOnline>(t.connected(cs1, at("2026-03-01T10:30:00Z")));
  EXPECT_EQ(on.offline_since, at("2026-03-01T10:01:00Z"));
}

TEST(OfflineTracker, a_known_station_not_back_after_a_restart_is_offline_from_the_start) {
  OfflineTracker t{options()};
  const auto cs2 = StationId::unchecked("CS-2");
  t.expect(cs1, at("2026-03-01T10:00:00Z"));
  t.expect(cs2, at("2026-03-01T10:00:00Z"));
  EXPECT_TRUE(t.connected(cs2, at("2026-03-01T10:00:30Z")).empty()); // back in time: nothing
  EXPECT_TRUE(t.tick(at("2026-03-01T10:02:59Z"), seen(std::nullopt)).empty());
  auto events = t.tick(at("2026-03-01T10:03:00Z"), [&](const StationId &id) -> std::optional<Timestamp> {
    if (id == cs2) return at("2026-03-01T10:02:30Z");
    return std::nullopt;
  });
  const auto &off = only<StationOffline>(events);
  EXPECT_EQ(off.station, cs1);
  EXPECT_EQ(off.at, at("2026-03-01T10:00:00Z"));
  EXPECT_EQ(off.reason, OfflineReason::Disconnected);
}

TEST(OfflineTracker, an_outage_open_at_the_restart_ends_when_the_station_connects) {
  OfflineTracker t{options()};
  t.already_offline(cs1, at("2026-02-28T22:00:00Z"), OfflineReason::Silent);
  EXPECT_TRUE(t.tick(at("2026-03-01T10:03:00Z"), seen(std::nullopt)).empty());
  const auto &on = only<StationOnline>(t.connected(cs1, at("2026-03-01T10:04:00Z")));
  EXPECT_EQ(on.offline_since, at("2026-02-28T22:00:00Z"));
}

TEST(AvailabilityWatch, publishes_offline_and_online_from_the_bus_and_its_checks) {
  test::FakeClock clock;
  test::FakeBus bus;
  LiveValues live;
  std::vector<std::function<void()>> timers;
  AvailabilityWatch watch{clock, bus, live,
                          [&timers](std::chrono::milliseconds, std::function<void()> f) { timers.push_back(f); },
                          options(5s)};
  watch.start();
  ASSERT_EQ(timers.size(), 1u);
  bus.publish(StationConnected{cs1, clock.t, ProtocolVersion::Ocpp201, std::nullopt});
  clock.t += 30s;
  (void)live.station_seen(cs1, ProtocolVersion::Ocpp201, clock.t);
  bus.publish(StationDisconnected{cs1, clock.t});
  EXPECT_TRUE(bus.all<StationOffline>().empty()); // within the grace
  clock.t += 5s;
  timers.back()(); // the timer fires: a check, and the next one scheduled
  EXPECT_EQ(timers.size(), 2u);
  auto offline = bus.all<StationOffline>();
  ASSERT_EQ(offline.size(), 1u);
  EXPECT_EQ(offline[0].at, clock.t - 5s);
  EXPECT_EQ(offline[0].last_seen, clock.t - 5s);
  EXPECT_TRUE(watch.is_offline(cs1));
  clock.t += 60s;
  bus.publish(StationConnected{cs1, clock.t, ProtocolVersion::Ocpp201, std::nullopt});
  auto online = bus.all<StationOnline>();
  ASSERT_EQ(online.size(), 1u);
  EXPECT_EQ(online[0].offline_since, offline[0].at);
  EXPECT_EQ(online[0].at, clock.t);
  watch.stop();
  timers.back()(); // stopped: no further check is scheduled
  EXPECT_EQ(timers.size(), 2u);
}

} // namespace
