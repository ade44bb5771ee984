// Alert rules over a real SQLite file, a fake clock and a bus that delivers to the service:
// quiet hours in a location's zone (DST included), the rules' checks, de-duplication, scope,
// auto-resolve, failures in a row, and the deliveries stored with each change.
#include <filesystem>
#include <future>
#include <gtest/gtest.h>

#include "gridlane/services/alert_service.hpp"
#include "gridlane/services/availability_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

Timestamp at(const char *iso) {
  return *core::parse_iso8601(iso);
}

template <class T, class Fn> T await(Fn start) {
  std::promise<Outcome<T>> p;
  start([&p](Outcome<T> o) { p.set_value(std::move(o)); });
  auto o = p.get_future().get();
  if (!o.ok()) throw std::runtime_error(o.error());
  return std::move(o.value());
}

} // namespace

TEST(QuietHours, hold_until_the_local_end_in_the_zone_across_midnight_and_dst) {
  auto berlin = *core::TimeZone::find("Europe/Berlin");
  QuietHours night{22 * 60, 6 * 60};
  EXPECT_FALSE(quiet_hours_end(night, at("2026-06-01T12:00:00Z"), berlin)) << "14:00 CEST is not quiet";
  EXPECT_EQ(quiet_hours_end(night, at("2026-06-01T21:30:00Z"), berlin), at("2026-06-02T04:00:00Z"))
      << "23:30 CEST: held until 06:00 CEST the next morning";
  EXPECT_EQ(quiet_hours_end(night, at("2026-06-02T01:00:00Z"), berlin), at("2026-06-02T04:00:00Z"))
      << "03:00 CEST: held until 06:00 the same morning";
  EXPECT_EQ(quiet_hours_end(night, at("2026-03-28T22:30:00Z"), berlin), at("2026-03-29T04:00:00Z"))
      << "23:30 CET the night clocks go forward: 06:00 CEST is 04:00 UTC";
  EXPECT_FALSE(quiet_hours_end(night, at("2026-06-01T04:00:00Z"), berlin)) << "06:00 itself is no longer quiet";
  QuietHours lunch{12 * 60, 13 * 60};
  auto utc = *core::TimeZone::find("UTC");
  EXPECT_EQ(quiet_hours_end(lunch, at("2026-06-01T12:59:00Z"), utc), at("2026-06-01T13:00:00Z"));
}

TEST(AlertRules, refuse_out_of_range_parameters_naming_the_field) {
  AlertRule r;
  r.name = "offline";
  r.condition = AlertCondition::StationOffline;
  r.minutes = 10081;
  EXPECT_EQ(check_alert_rule(r).error().field, "minutes");
  r.minutes = 0;
  EXPECT_TRUE(check_alert_rule(r));
  r.condition = AlertCondition::ReadingOutOfRange;
  r.measurand = "Voltage";
  EXPECT_EQ(check_alert_rule(r).error().field, "min") << "a range needs a bound";
  r.min = 260;
  r.max = 200;
  EXPECT_EQ(check_alert_rule(r).error().field, "min");
  r.condition = AlertCondition::ErrorCode;
  r.error_code = ConnectorErrorCode::NoError;
  EXPECT_EQ(check_alert_rule(r).error().field, "error_code");
  r.condition = AlertCondition::FailedStarts;
  r.count = 0;
  EXPECT_EQ(check_alert_rule(r).error().field, "count");
  r.count = 3;
  r.quiet_hours = QuietHours{600, 600};
  EXPECT_EQ(check_alert_rule(r).error().field, "quiet_hours");
  r.quiet_hours.reset();
  r.condition = AlertCondition::UptimeBelow;
  r.min.reset();
  r.count = 30;
  EXPECT_EQ(check_alert_rule(r).error().field, "min") << "the percentage is required";
  r.min = 100.5;
  EXPECT_EQ(check_alert_rule(r).error().field, "min");
  r.min = 97;
  r.count = 91;
  EXPECT_EQ(check_alert_rule(r).error().field, "count") << "the window is 1 to 90 days";
  r.count = 30;
  r.max = 99;
  auto uptime = check_alert_rule(r);
  ASSERT_TRUE(uptime);
  EXPECT_EQ(uptime->min, 97.0);
  EXPECT_EQ(uptime->count, 30);
  EXPECT_EQ(uptime->max, std::nullopt) << "a bound it does not use is dropped";
  AlertChannel ch;
  ch.name = "hook";
  ch.url = "http://example.com/hook";
  EXPECT_EQ(check_alert_channel(ch, {false, true}).error().field, "url") << "plain http only to loopback";
  ch.url = "http://127.0.0.1:9/hook";
  EXPECT_TRUE(check_alert_channel(ch, {false, true}));
  EXPECT_FALSE(check_alert_channel(ch, {false, false}));
  ch.kind = AlertChannelKind::Email;
  ch.recipients = {"ops@example.com"};
  EXPECT_EQ(check_alert_channel(ch, {false, false}).error().field, "kind") << "no SMTP relay configured";
  ch.recipients = {"ops@example.com\r\nRCPT TO:<x@y>"};
  EXPECT_EQ(check_alert_channel(ch, {true, false}).error().field, "recipients");
}

class AlertServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-alerts-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([&](Repository &r) {
      for (const char *id : {"CS-1", "CS-2"}) {
        Station s;
        s.id = StationId::unchecked(id);
        s.registration = RegistrationStatus::Accepted;
        s.created_at = clock.now();
        r.insert_station(s);
      }
    });
    alerts = std::make_unique<AlertService>(
        *store, clock, bus, [this](std::chrono::milliseconds d, std::function<void()> f) { timers.emplace_back(d, f); },
        AlertOptions{false, true});
    alerts->start();
    sync();
    // The uptime rules' check, on the service's timer from the start.
    EXPECT_EQ(timers.size(), 1U);
    AlertChannel ch;
    ch.name = "hook";
    ch.url = "http://127.0.0.1:9/hook";
    channel = await<Result<AlertChannel>>([&](auto reply) { alerts->create_channel(ch, reply); }).value();
  }
  void TearDown() override {
    alerts.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void sync() {
    store->run([](Repository &) {});
  }
  AlertRule rule(AlertCondition c, std::function<void(AlertRule &)> edit = nullptr) {
    AlertRule r;
    r.name = "rule";
    r.condition = c;
    r.channels = {channel.id};
    if (edit) edit(r);
    return await<Result<AlertRule>>([&](auto reply) { alerts->create_rule(r, reply); }).value();
  }
  void status(const char *station, ConnectorStatus s, ConnectorErrorCode code = ConnectorErrorCode::NoError) {
    StatusReport rep;
    rep.station = StationId::unchecked(station);
    rep.evse_id = 1;
    rep.connector_id = 1;
    rep.status = s;
    rep.error_code = code;
    bus.publish(StatusChanged{rep.station, clock.now(), rep});
    sync();
  }
  Paged<Alert> list() {
    Paged<Alert> out;
    store->run([&](Repository &r) { out = r.alerts({}, {}); });
    return out;
  }
  Paged<AlertDelivery> deliveries() {
    Paged<AlertDelivery> out;
    store->run([&](Repository &r) { out = r.alert_deliveries({}, {}); });
    return out;
  }

  std::filesystem::path dir;
  test::FakeClock clock;
  test::FakeBus bus;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<AlertService> alerts;
  std::vector<std::pair<std::chrono::milliseconds, std::function<void()>>> timers;
  AlertChannel channel;
};

TEST_F(AlertServiceTest, a_fault_is_one_alert_counted_and_resolved_when_the_connector_recovers) {
  EXPECT_TRUE(channel.secret.starts_with("whsec_")) << "the secret is made by the service";
  auto r = rule(AlertCondition::ConnectorFaulted, [](AlertRule &x) { x.severity = AlertSeverity::Critical; });
  status("CS-1", ConnectorStatus::Faulted, ConnectorErrorCode::GroundFailure);
  status("CS-1", ConnectorStatus::Faulted, ConnectorErrorCode::GroundFailure);
  auto open = list();
  ASSERT_EQ(open.total, 1) << "de-duplicated per rule and connector";
  EXPECT_EQ(open.items[0].count, 2);
  EXPECT_EQ(open.items[0].subject, "CS-1/1/1");
  EXPECT_EQ(open.items[0].rule_id, r.id);
  EXPECT_EQ(open.items[0].severity, AlertSeverity::Critical);
  EXPECT_EQ(deliveries().total, 1) << "a repeat is not delivered again";
  status("CS-1", ConnectorStatus::Available);
  auto after = list();
  ASSERT_EQ(after.total, 1);
  EXPECT_EQ(after.items[0].state, AlertState::Resolved);
  EXPECT_EQ(after.items[0].resolved_by, "auto");
  auto log = deliveries();
  ASSERT_EQ(log.total, 2);
  EXPECT_EQ(log.items[0].event, AlertEvent::Resolved);
  EXPECT_EQ(log.items[1].event, AlertEvent::Raised);
  EXPECT_EQ(log.items[1].state, AlertDeliveryState::Pending);
  auto changes = bus.all<AlertChanged>();
  ASSERT_EQ(changes.size(), 3U);
  EXPECT_EQ(changes[2].state, AlertState::Resolved);
  status("CS-1", ConnectorStatus::Faulted);
  EXPECT_EQ(list().total, 2) << "after a resolution a new occurrence is a new alert";
}

TEST_F(AlertServiceTest, scope_limits_a_rule_to_its_station) {
  rule(AlertCondition::ConnectorFaulted, [](AlertRule &x) {
    x.scope = AlertScope::Station;
    x.scope_id = "CS-2";
  });
  status("CS-1", ConnectorStatus::Faulted);
  EXPECT_EQ(list().total, 0);
  status("CS-2", ConnectorStatus::Faulted);
  EXPECT_EQ(list().total, 1);
  AlertRule bad;
  bad.name = "x";
  bad.condition = AlertCondition::ConnectorFaulted;
  bad.scope = AlertScope::Station;
  bad.scope_id = "NOPE";
  auto refused = await<Result<AlertRule>>([&](auto reply) { alerts->create_rule(bad, reply); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "scope_id");
}

TEST_F(AlertServiceTest, refused_authorisations_in_a_row_raise_and_a_start_resets_the_count) {
  rule(AlertCondition::FailedAuthorizations, [](AlertRule &x) { x.count = 3; });
  auto refuse = [&] {
    bus.publish(AuthorizationRefused{StationId::unchecked("CS-1"), clock.now(), "BAD", TokenStatus::Invalid});
    sync();
  };
  refuse();
  refuse();
  Transaction t;
  t.station = StationId::unchecked("CS-1");
  bus.publish(TransactionStarted{t.station, clock.now(), t});
  refuse();
  refuse();
  EXPECT_EQ(list().total, 0) << "the start broke the streak";
  refuse();
  ASSERT_EQ(list().total, 1);
  EXPECT_NE(list().items[0].summary.find("3 authorisations refused in a row"), std::string::npos);
}

TEST_F(AlertServiceTest, offline_for_n_minutes_raises_only_if_still_offline_and_online_resolves) {
  rule(AlertCondition::StationOffline, [](AlertRule &x) { x.minutes = 5; });
  auto cs1 = StationId::unchecked("CS-1");
  bus.publish(StationOffline{cs1, clock.now(), clock.now(), OfflineReason::Disconnected});
  ASSERT_EQ(timers.size(), 2U); // after the uptime check's
  EXPECT_EQ(timers[1].first, std::chrono::minutes(5));
  bus.publish(StationOnline{cs1, clock.now() + std::chrono::minutes(1), clock.now()});
  timers[1].second(); // back within the 5 minutes: nothing
  sync();
  EXPECT_EQ(list().total, 0);
  bus.publish(StationOffline{cs1, clock.now() + std::chrono::minutes(2), std::nullopt, OfflineReason::Silent});
  ASSERT_EQ(timers.size(), 3U);
  timers[2].second();
  sync();
  ASSERT_EQ(list().total, 1);
  bus.publish(StationOnline{cs1, clock.now() + std::chrono::minutes(9), clock.now()});
  sync();
  EXPECT_EQ(list().items[0].state, AlertState::Resolved);
}

TEST_F(AlertServiceTest, acknowledge_then_resolve_by_hand_and_quiet_hours_hold_deliveries) {
  rule(AlertCondition::FirmwareFailed, [](AlertRule &x) { x.quiet_hours = QuietHours{11 * 60, 13 * 60}; });
  bus.publish(FirmwareStatusChanged{StationId::unchecked("CS-1"), clock.now(), FirmwareState::InstallationFailed, 5});
  sync();
  auto a = list().items.at(0);
  auto log = deliveries();
  ASSERT_EQ(log.total, 1);
  EXPECT_EQ(log.items[0].held_until, at("2026-06-01T13:00:00Z"))
      << "12:00 UTC is within 11:00-13:00 (no location: UTC)";
  EXPECT_EQ(log.items[0].next_attempt_at, at("2026-06-01T13:00:00Z"));
  auto acked = await<Result<Alert>>([&](auto reply) { alerts->acknowledge(a.id, "user:alice", reply); });
  ASSERT_TRUE(acked);
  EXPECT_EQ(acked->state, AlertState::Acknowledged);
  EXPECT_EQ(acked->acknowledged_by, "user:alice");
  auto resolved = await<Result<Alert>>([&](auto reply) { alerts->resolve(a.id, "user:alice", reply); });
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->state, AlertState::Resolved);
  auto again = await<Result<Alert>>([&](auto reply) { alerts->acknowledge(a.id, "user:bob", reply); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ServiceError::Code::Conflict);
  EXPECT_EQ(deliveries().total, 2) << "the resolution is delivered too";
  auto missing = await<Result<Alert>>([&](auto reply) { alerts->resolve(999, "user:alice", reply); });
  EXPECT_EQ(missing.error().code, ServiceError::Code::NotFound);
}

TEST_F(AlertServiceTest, a_reading_out_of_range_raises_and_one_in_range_clears) {
  rule(AlertCondition::ReadingOutOfRange, [](AlertRule &x) {
    x.measurand = "Voltage";
    x.min = 207;
    x.max = 253;
  });
  auto reading = [&](const char *v) {
    MeterSample s;
    s.value = v;
    s.numeric = std::stod(v);
    s.measurand = "Voltage";
    s.unit = "V";
    TransactionUpdated u;
    u.station = StationId::unchecked("CS-1");
    u.at = clock.now();
    u.transaction_id = 1;
    u.readings = {s};
    bus.publish(u);
    sync();
  };
  reading("230");
  EXPECT_EQ(list().total, 0);
  reading("262.5");
  ASSERT_EQ(list().total, 1);
  EXPECT_NE(list().items[0].summary.find("262.5 V outside [207, 253]"), std::string::npos) << list().items[0].summary;
  reading("231");
  EXPECT_EQ(list().items[0].state, AlertState::Resolved);
}

TEST_F(AlertServiceTest, a_port_under_its_uptime_threshold_alerts_once_and_clears_when_back_above) {
  EXPECT_EQ(timers[0].first, std::chrono::minutes(15));
  const auto now = clock.now();
  // CS-1's EVSE 1 faulted for 30 minutes within the last day: 97.91 % of the day; EVSE 2 up.
  const auto report = [&](int evse, ConnectorStatus st, Timestamp when) {
    StatusReport rep;
    rep.station = StationId::unchecked("CS-1");
    rep.evse_id = evse;
    rep.connector_id = 1;
    rep.status = st;
    rep.received_at = when;
    store->run([&](Repository &r) {
      r.record_status(rep);
      services::record_status(r, StatusChanged{rep.station, when, rep});
    });
  };
  report(1, ConnectorStatus::Available, now - std::chrono::hours(30));
  report(2, ConnectorStatus::Available, now - std::chrono::hours(30));
  report(1, ConnectorStatus::Faulted, now - std::chrono::hours(3));
  report(1, ConnectorStatus::Available, now - std::chrono::minutes(150));

  // The check reads in one unit of work and records what it found in a second.
  const auto check = [&] {
    alerts->check_uptime();
    sync();
    sync();
  };
  auto r = rule(AlertCondition::UptimeBelow, [](AlertRule &x) {
    x.count = 1;
    x.min = 98;
    x.scope = AlertScope::Station;
    x.scope_id = "CS-1";
  });
  check();
  auto all = list();
  ASSERT_EQ(all.total, 1) << "EVSE 2 is up all day";
  EXPECT_EQ(all.items[0].subject, "CS-1/1");
  EXPECT_EQ(all.items[0].state, AlertState::Open);
  EXPECT_NE(all.items[0].summary.find("uptime 97.91 %"), std::string::npos) << all.items[0].summary;
  EXPECT_EQ(deliveries().total, 1);

  // Checked again while still below: the same alert, not raised again nor counted up.
  check();
  all = list();
  ASSERT_EQ(all.total, 1);
  EXPECT_EQ(all.items[0].count, 1);
  EXPECT_EQ(deliveries().total, 1);

  // The threshold lowered under the port's uptime: the next check resolves it.
  r.min = 97.9;
  await<Result<AlertRule>>([&](auto reply) { alerts->replace_rule(r.id, r, reply); }).value();
  check();
  all = list();
  ASSERT_EQ(all.total, 1);
  EXPECT_EQ(all.items[0].state, AlertState::Resolved);
  EXPECT_EQ(all.items[0].resolved_by, "auto");

  // The timer keeps checking: running it schedules the next one.
  const auto before = timers.size();
  timers[0].second();
  sync();
  EXPECT_EQ(timers.size(), before + 1);
}
