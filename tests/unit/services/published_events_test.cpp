// What the services publish after each commit: typed events that carry their data (a start
// its transaction, an update its new readings and energy, an end the whole ended transaction),
// over a real SQLite file, a fake clock and a bus that records.
#include <filesystem>
#include <future>
#include <gtest/gtest.h>
#include <mutex>

#include "gridlane/services/station_service.hpp"
#include "gridlane/services/transaction_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

struct FakeClock : core::Clock {
  Timestamp t = *core::parse_iso8601("2026-06-01T12:00:00Z");
  Timestamp now() const override { return t; }
};

struct RecordingBus : EventBus {
  struct Sub : Subscription {};
  std::mutex mutex;
  std::vector<Event> events;
  void publish(Event e) override {
    std::lock_guard lock{mutex};
    events.push_back(std::move(e));
  }
  std::unique_ptr<Subscription> subscribe(Handler) override { return std::make_unique<Sub>(); }
  std::vector<Event> take() {
    std::lock_guard lock{mutex};
    return std::exchange(events, {});
  }
};

MeterSample sample(const std::string &value, std::string measurand, std::optional<std::string> phase = std::nullopt,
                   std::optional<std::string> context = std::nullopt) {
  MeterSample m;
  m.timestamp = *core::parse_iso8601("2026-06-01T11:10:00Z");
  m.value = value;
  m.numeric = std::stod(value);
  m.measurand = std::move(measurand);
  m.phase = std::move(phase);
  m.context = std::move(context);
  m.unit = m.measurand->starts_with("Energy") ? std::optional<std::string>("Wh") : std::nullopt;
  return m;
}

template <class T, class Fn> T await(Fn start) {
  std::promise<Outcome<T>> p;
  start([&p](Outcome<T> o) { p.set_value(std::move(o)); });
  auto o = p.get_future().get();
  if (!o.ok()) throw std::runtime_error(o.error());
  return std::move(o.value());
}

class PublishedEvents : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-events-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    stations = std::make_unique<StationService>(
        *store, clock, StationServiceConfig{core::UnknownStationPolicy::Accept, 300, 30},
        [](std::function<void()> f, std::function<void(core::JobRefusal)>) { f(); });
    tx = std::make_unique<TransactionService>(*store, clock);
    stations->set_bus(&bus);
    tx->set_bus(&bus);
    store->run([&](Repository &r) {
      Station s;
      s.id = who.id;
      s.registration = RegistrationStatus::Accepted;
      s.created_at = clock.now();
      r.insert_station(s);
      r.upsert_id_token(IdToken{"TAG1", TokenStatus::Accepted, {}, {}});
    });
  }
  void TearDown() override {
    tx.reset();
    stations.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  TransactionEventOutcome send(TransactionEventRequest e) {
    return await<TransactionEventOutcome>([&](auto reply) { tx->transaction_event(who, e, reply); });
  }
  TransactionEventRequest event2(TransactionEventType type, std::int64_t seq, TriggerReason trigger) {
    TransactionEventRequest e;
    e.event_type = type;
    e.seq_no = seq;
    e.trigger_reason = trigger;
    e.station_tx_id = "TX-1";
    e.timestamp = *core::parse_iso8601("2026-06-01T11:00:00Z") + std::chrono::minutes(seq);
    e.evse_id = 2;
    e.connector_id = 1;
    return e;
  }

  std::filesystem::path dir;
  FakeClock clock;
  RecordingBus bus;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<StationService> stations;
  std::unique_ptr<TransactionService> tx;
  StationContext who{StationId::unchecked("CS1"), ProtocolVersion::Ocpp16};
};

} // namespace

TEST_F(PublishedEvents, a_status_carries_the_report) {
  StatusReport r;
  r.evse_id = 1;
  r.connector_id = 1;
  r.status = ConnectorStatus::Faulted;
  r.error_code = ConnectorErrorCode::HighTemperature;
  r.vendor_error_code = "E42";
  await<Done>([&](auto reply) { stations->status(who, r, reply); });
  auto events = bus.take();
  ASSERT_EQ(events.size(), 1u);
  const auto *changed = std::get_if<StatusChanged>(&events[0]);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->station, who.id);
  EXPECT_EQ(changed->at, clock.now());
  EXPECT_EQ(changed->report.status, ConnectorStatus::Faulted);
  EXPECT_EQ(changed->report.error_code, ConnectorErrorCode::HighTemperature);
  EXPECT_EQ(changed->report.vendor_error_code, "E42");
}

TEST_F(PublishedEvents, a_16_transaction_starts_updates_and_ends_with_its_data) {
  StartRequest start{2, "TAG1", 1000, std::nullopt, *core::parse_iso8601("2026-06-01T11:00:00Z")};
  auto started = await<StartOutcome>([&](auto reply) { tx->start(who, start, reply); });
  await<StartOutcome>([&](auto reply) { tx->start(who, start, reply); }); // a retry: nothing new
  auto events = bus.take();
  ASSERT_EQ(events.size(), 1u);
  const auto *s = std::get_if<TransactionStarted>(&events[0]);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->transaction.id, started.transaction_id);
  EXPECT_EQ(s->transaction.station_tx_id, std::to_string(started.transaction_id));
  EXPECT_EQ(s->transaction.id_tag, "TAG1");
  EXPECT_EQ(s->transaction.evse_id, 2);
  EXPECT_EQ(s->transaction.connector_id, 2);
  EXPECT_EQ(s->transaction.meter_start_wh, 1000);
  EXPECT_EQ(s->transaction.start_authorization.status, TokenStatus::Accepted);

  MeterRequest m{-1,
                 2,
                 started.transaction_id,
                 {sample("1600", "Energy.Active.Import.Register"), sample("16.5", "Current.Import", "L1"),
                  sample("16.0", "Current.Import", "L2")}};
  await<Done>([&](auto reply) { tx->meter_values(who, m, reply); });
  events = bus.take();
  ASSERT_EQ(events.size(), 1u);
  const auto *u = std::get_if<TransactionUpdated>(&events[0]);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->transaction_id, started.transaction_id);
  EXPECT_FALSE(u->subject) << "a MeterValues names no token";
  ASSERT_EQ(u->readings.size(), 3u);
  EXPECT_EQ(u->readings[1].measurand, "Current.Import");
  EXPECT_EQ(u->readings[1].phase, "L1");
  EXPECT_EQ(u->readings[2].phase, "L2");
  EXPECT_EQ(u->energy_wh, 600);

  StopRequest stop;
  stop.transaction_id = started.transaction_id;
  stop.meter_stop_wh = 2500;
  stop.meter_stop_text = "2500";
  stop.id_tag = "TAG1";
  stop.reason = StopReason::EVDisconnected;
  stop.timestamp = *core::parse_iso8601("2026-06-01T11:30:00Z");
  await<StopOutcome>([&](auto reply) { tx->stop(who, stop, reply); });
  await<StopOutcome>([&](auto reply) { tx->stop(who, stop, reply); }); // a retry: nothing new
  events = bus.take();
  ASSERT_EQ(events.size(), 1u);
  const auto *e = std::get_if<TransactionEnded>(&events[0]);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->transaction.id, started.transaction_id);
  EXPECT_EQ(e->transaction.state, TransactionState::Ended);
  EXPECT_EQ(e->transaction.meter_start_wh, 1000);
  EXPECT_EQ(e->transaction.meter_stop_wh, 2500);
  EXPECT_EQ(e->transaction.energy_wh, 1500);
  EXPECT_EQ(e->transaction.stop_reason, StopReason::EVDisconnected);
  EXPECT_EQ(e->transaction.stop_id_tag, "TAG1");
  EXPECT_EQ(e->transaction.stopped_at, stop.timestamp);
}

TEST_F(PublishedEvents, a_2x_transaction_carries_its_remote_start_charging_state_and_end) {
  who.protocol = ProtocolVersion::Ocpp201;
  auto first = event2(TransactionEventType::Started, 0, TriggerReason::RemoteStart);
  first.id_token = "TAG1";
  first.remote_start_id = 77;
  first.charging_state = ChargingState::EVConnected;
  first.samples = {sample("1000", "Energy.Active.Import.Register", std::nullopt, "Transaction.Begin")};
  auto out = send(first);
  send(first); // a retry: nothing new
  auto events = bus.take();
  ASSERT_EQ(events.size(), 1u);
  const auto *s = std::get_if<TransactionStarted>(&events[0]);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->transaction.id, out.transaction_id);
  EXPECT_EQ(s->transaction.station_tx_id, "TX-1");
  EXPECT_EQ(s->transaction.protocol, ProtocolVersion::Ocpp201);
  EXPECT_EQ(s->transaction.id_tag, "TAG1");
  EXPECT_EQ(s->transaction.evse_id, 2);
  EXPECT_EQ(s->transaction.connector_id, 1);
  EXPECT_EQ(s->transaction.meter_start_wh, 1000);
  EXPECT_EQ(s->transaction.remote_start_id, 77);
  EXPECT_EQ(s->transaction.charging_state, ChargingState::EVConnected);

  auto update = event2(TransactionEventType::Updated, 1, TriggerReason::ChargingStateChanged);
  update.charging_state = ChargingState::Charging;
  update.samples = {sample("1400", "Energy.Active.Import.Register"), sample("7200", "Power.Active.Import")};
  send(update);
  events = bus.take();
  ASSERT_EQ(events.size(), 1u);
  const auto *u = std::get_if<TransactionUpdated>(&events[0]);
  ASSERT_TRUE(u);
  ASSERT_TRUE(u->subject);
  EXPECT_EQ(u->subject->id_tag, "TAG1");
  EXPECT_EQ(u->subject->evse_id, 2);
  EXPECT_EQ(u->subject->connector_id, 1);
  EXPECT_EQ(u->subject->remote_start_id, std::nullopt) << "this event named no remote start";
  EXPECT_EQ(u->charging_state, ChargingState::Charging);
  ASSERT_EQ(u->readings.size(), 2u);
  EXPECT_EQ(u->readings[1].measurand, "Power.Active.Import");
  EXPECT_EQ(u->energy_wh, 400);

  auto end = event2(TransactionEventType::Ended, 2, TriggerReason::EVDeparted);
  end.stopped_reason = StopReason::EVDisconnected;
  end.charging_state = ChargingState::Idle;
  end.samples = {sample("1900", "Energy.Active.Import.Register", std::nullopt, "Transaction.End")};
  send(end);
  events = bus.take();
  ASSERT_EQ(events.size(), 2u) << "the update, then the end";
  ASSERT_TRUE(std::holds_alternative<TransactionUpdated>(events[0]));
  const auto *e = std::get_if<TransactionEnded>(&events[1]);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->transaction.state, TransactionState::Ended);
  EXPECT_EQ(e->transaction.stop_reason, StopReason::EVDisconnected);
  EXPECT_EQ(e->transaction.charging_state, ChargingState::Idle);
  EXPECT_EQ(e->transaction.meter_stop_wh, 1900);
  EXPECT_EQ(e->transaction.energy_wh, 900);
  EXPECT_EQ(e->transaction.remote_start_id, 77);
  EXPECT_EQ(e->transaction.last_seq_no, 2);
}

TEST_F(PublishedEvents, a_2x_transaction_seen_first_by_its_end_is_started_and_ended) {
  who.protocol = ProtocolVersion::Ocpp201;
  auto end = event2(TransactionEventType::Ended, 3, TriggerReason::StopAuthorized);
  end.stopped_reason = StopReason::Local;
  send(end);
  auto events = bus.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<TransactionStarted>(events[0]));
  const auto *e = std::get_if<TransactionEnded>(&events[1]);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->transaction.stop_reason, StopReason::Local);
}
