// Services over a real SQLite file: idempotent transactions, authorisation rules, admission.
#include <algorithm>
#include <filesystem>
#include <future>
#include <gtest/gtest.h>

#include "gridlane/core/password.hpp"
#include "gridlane/services/authorization_service.hpp"
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

MeterSample sample(Timestamp at, double value, std::optional<std::string> measurand, std::string unit,
                   std::optional<std::string> context = std::nullopt) {
  MeterSample m;
  m.timestamp = at;
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  m.value = text;
  m.numeric = value;
  m.measurand = std::move(measurand);
  m.unit = std::move(unit);
  m.context = std::move(context);
  return m;
}

template <class T, class Fn> T await(Fn start) {
  std::promise<Outcome<T>> p;
  start([&p](Outcome<T> o) { p.set_value(std::move(o)); });
  auto o = p.get_future().get();
  if (!o.ok()) throw std::runtime_error(o.error());
  return std::move(o.value());
}

class ServicesTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-test-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    open();
  }
  void TearDown() override {
    close();
    std::filesystem::remove_all(dir);
  }
  void open(core::UnknownStationPolicy policy = core::UnknownStationPolicy::Accept) {
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    stations =
        std::make_unique<StationService>(*store, clock, StationServiceConfig{policy, 300, 30},
                                         [](std::function<void()> f, std::function<void(core::JobRefusal)>) { f(); });
    auth = std::make_unique<AuthorizationService>(*store, clock);
    tx = std::make_unique<TransactionService>(*store, clock);
  }
  void close() {
    tx.reset();
    auth.reset();
    stations.reset();
    store.reset();
  }
  void add_station(const std::string &id, std::optional<std::string> hash = std::nullopt) {
    store->run([&](Repository &r) {
      Station s;
      s.id = StationId::unchecked(id);
      s.registration = RegistrationStatus::Accepted;
      s.password_hash = hash;
      s.created_at = clock.now();
      r.insert_station(s);
    });
  }
  void add_token(IdToken t) {
    store->run([&](Repository &r) { r.upsert_id_token(t); });
  }
  StartOutcome start(const std::string &tag, std::int64_t meter = 100, int connector = 1) {
    StartRequest req{connector, tag, meter, std::nullopt, *core::parse_iso8601("2026-06-01T11:00:00Z")};
    return await<StartOutcome>([&](auto reply) { tx->start(who, req, reply); });
  }
  StopOutcome stop(std::int64_t id, std::int64_t meter, std::optional<std::string> tag = std::nullopt) {
    StopRequest req;
    req.transaction_id = id;
    req.meter_stop_wh = meter;
    req.id_tag = tag;
    req.timestamp = *core::parse_iso8601("2026-06-01T11:30:00Z");
    req.transaction_data.push_back(sample(req.timestamp, 5000.0, std::nullopt, "Wh"));
    return await<StopOutcome>([&](auto reply) { tx->stop(who, req, reply); });
  }
  std::vector<Transaction> all_transactions() {
    std::vector<Transaction> out;
    store->run([&](Repository &r) { out = r.transactions({}); });
    return out;
  }

  std::filesystem::path dir;
  FakeClock clock;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<StationService> stations;
  std::unique_ptr<AuthorizationService> auth;
  std::unique_ptr<TransactionService> tx;
  StationContext who{StationId::unchecked("CS1"), ProtocolVersion::Ocpp16};
};

} // namespace

TEST_F(ServicesTest, a_retried_start_gets_the_same_transaction_and_no_duplicate) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  auto first = start("TAG1");
  auto again = start("TAG1");
  EXPECT_FALSE(first.duplicate);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(first.transaction_id, again.transaction_id);
  EXPECT_EQ(again.authorization.status, TokenStatus::Accepted); // not ConcurrentTx with itself
  EXPECT_EQ(all_transactions().size(), 1u);
}

TEST_F(ServicesTest, a_second_transaction_for_the_same_tag_is_concurrent) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  start("TAG1", 100, 1);
  auto second = start("TAG1", 0, 2);
  EXPECT_EQ(second.authorization.status, TokenStatus::ConcurrentTx);
  EXPECT_EQ(all_transactions().size(), 2u); // recorded anyway: the station has started charging
}

TEST_F(ServicesTest, authorisation_follows_status_expiry_and_parent) {
  add_station("CS1");
  add_token({"OK", TokenStatus::Accepted, *core::parse_iso8601("2027-01-01T00:00:00Z"), std::string("GROUP")});
  add_token({"OLD", TokenStatus::Accepted, *core::parse_iso8601("2026-01-01T00:00:00Z"), {}});
  add_token({"BAD", TokenStatus::Blocked, {}, {}});
  auto check = [&](const std::string &tag) {
    return await<Authorization>([&](auto reply) { auth->authorize(who, tag, reply); });
  };
  auto ok = check("OK");
  EXPECT_EQ(ok.status, TokenStatus::Accepted);
  EXPECT_EQ(ok.parent_id, "GROUP");
  EXPECT_EQ(ok.expires_at, core::parse_iso8601("2027-01-01T00:00:00Z"));
  EXPECT_EQ(check("OLD").status, TokenStatus::Expired);
  EXPECT_EQ(check("BAD").status, TokenStatus::Blocked);
  EXPECT_EQ(check("NOBODY").status, TokenStatus::Unknown);
}

TEST_F(ServicesTest, stop_closes_once_and_a_retry_changes_nothing) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  auto s = start("TAG1", 1000);
  auto first = stop(s.transaction_id, 6000, "TAG1");
  EXPECT_TRUE(first.known);
  EXPECT_FALSE(first.duplicate);
  ASSERT_TRUE(first.authorization);
  EXPECT_EQ(first.authorization->status, TokenStatus::Accepted); // no ConcurrentTx on its own stop
  auto again = stop(s.transaction_id, 6000, "TAG1");
  EXPECT_TRUE(again.duplicate);
  auto txs = all_transactions();
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_EQ(txs[0].state, TransactionState::Ended);
  EXPECT_EQ(txs[0].energy_wh, 5000);
  EXPECT_EQ(txs[0].stop_reason, StopReason::Local);
  std::size_t samples = 0;
  store->run([&](Repository &r) { samples = r.meter_samples(s.transaction_id).size(); });
  EXPECT_EQ(samples, 1u); // the retry's transactionData was not stored twice
}

TEST_F(ServicesTest, stop_of_an_unknown_transaction_is_answered_and_kept_as_an_anomaly) {
  add_station("CS1");
  auto out = stop(424242, 10);
  EXPECT_FALSE(out.known);
  std::vector<Anomaly> anomalies;
  store->run([&](Repository &r) { anomalies = r.anomalies(who.id); });
  ASSERT_EQ(anomalies.size(), 1u);
  EXPECT_EQ(anomalies[0].kind, "stop_unknown_transaction");
  EXPECT_NE(anomalies[0].detail.find("424242"), std::string::npos);
}

TEST_F(ServicesTest, meter_values_keep_the_energy_current) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  auto s = start("TAG1", 1000);
  MeterRequest m;
  m.connector_id = 1;
  m.transaction_id = s.transaction_id;
  auto at = *core::parse_iso8601("2026-06-01T11:10:00Z");
  m.samples.push_back(sample(at, 2.5, "Energy.Active.Import.Register", "kWh"));
  m.samples.push_back(sample(at, 7000.0, "Power.Active.Import", "W"));
  await<Done>([&](auto reply) { tx->meter_values(who, m, reply); });
  auto txs = all_transactions();
  EXPECT_EQ(txs[0].energy_wh, 1500);
  std::vector<MeterSample> samples;
  store->run([&](Repository &r) { samples = r.meter_samples(s.transaction_id); });
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].value, "2.5");
  EXPECT_EQ(samples[0].unit, "kWh");
}

TEST_F(ServicesTest, committed_data_survives_reopening_the_database) {
  add_station("CS1");
  auto s = start("TAG1");
  close();
  open();
  auto again = start("TAG1");
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.transaction_id, s.transaction_id);
}

TEST_F(ServicesTest, admission_follows_the_unknown_station_policy) {
  auto admit = [&](const std::string &id, std::optional<std::string> pw = std::nullopt) {
    return await<Admission>([&](auto reply) { stations->admit(StationId::unchecked(id), pw, reply); });
  };
  EXPECT_EQ(admit("NEW1").registration, RegistrationStatus::Accepted);
  close();
  open(core::UnknownStationPolicy::Pending);
  auto pending = admit("NEW2");
  EXPECT_EQ(pending.verdict, Admission::Verdict::Accept);
  EXPECT_EQ(pending.registration, RegistrationStatus::Pending);
  EXPECT_EQ(admit("NEW1").registration, RegistrationStatus::Accepted); // known stations keep theirs
  close();
  open(core::UnknownStationPolicy::Reject);
  EXPECT_EQ(admit("NEW3").verdict, Admission::Verdict::NotFound);
}

TEST_F(ServicesTest, a_station_with_a_password_must_present_it) {
  add_station("CS1", core::hash_password("s3cret-passw0rd!"));
  auto admit = [&](std::optional<std::string> pw) {
    return await<Admission>([&](auto reply) { stations->admit(who.id, pw, reply); }).verdict;
  };
  EXPECT_EQ(admit(std::nullopt), Admission::Verdict::Unauthorized);
  EXPECT_EQ(admit("wrong"), Admission::Verdict::Unauthorized);
  EXPECT_EQ(admit("s3cret-passw0rd!"), Admission::Verdict::Accept);
}

TEST_F(ServicesTest, a_failing_unit_does_not_undo_its_neighbours_in_the_same_commit) {
  add_station("CS1");
  std::promise<void> a, b, c;
  store->submit(
      [](Repository &r) {
        r.upsert_id_token({"A", TokenStatus::Accepted, {}, {}});
      },
      [&](std::exception_ptr e) { e ? a.set_exception(e) : a.set_value(); });
  store->submit([](Repository &) { throw std::runtime_error("boom"); },
                [&](std::exception_ptr e) { e ? b.set_exception(e) : b.set_value(); });
  store->submit(
      [](Repository &r) {
        r.upsert_id_token({"C", TokenStatus::Accepted, {}, {}});
      },
      [&](std::exception_ptr e) { e ? c.set_exception(e) : c.set_value(); });
  a.get_future().get();
  EXPECT_THROW(b.get_future().get(), std::runtime_error);
  c.get_future().get();
  std::vector<IdToken> tokens;
  store->run([&](Repository &r) { tokens = r.id_tokens(); });
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].id, "A");
  EXPECT_EQ(tokens[1].id, "C");
}

TEST_F(ServicesTest, data_transfer_is_unknown_vendor_unless_a_handler_is_registered) {
  add_station("CS1");
  stations->register_data_transfer("com.example", [](const StationContext &who, const DataTransferRequest &req) {
    return DataTransferResult{DataTransferResult::Status::Accepted, who.id.str() + ":" + req.data.value_or("")};
  });
  auto send = [&](const std::string &vendor) {
    DataTransferRequest req{vendor, std::string("ping"), std::string("42")};
    return await<DataTransferResult>([&](auto reply) { stations->data_transfer(who, req, "{}", reply); });
  };
  auto known = send("com.example");
  EXPECT_EQ(known.status, DataTransferResult::Status::Accepted);
  EXPECT_EQ(known.data, "CS1:42");
  EXPECT_EQ(send("org.other").status, DataTransferResult::Status::UnknownVendorId);
  std::vector<StationEvent> events;
  store->run([&](Repository &r) { events = r.events(who.id); });
  EXPECT_EQ(events.size(), 2u); // both kept
}

namespace {
TransactionEventRequest event(const std::string &type, std::int64_t seq, std::optional<double> kwh = std::nullopt) {
  TransactionEventRequest e;
  e.event_type = *parse_transaction_event_type(type);
  e.seq_no = seq;
  e.trigger_reason = TriggerReason::MeterValuePeriodic;
  e.station_tx_id = "TX-1";
  e.timestamp = *core::parse_iso8601("2026-06-01T11:00:00Z") + std::chrono::minutes(seq);
  e.evse_id = 1;
  e.connector_id = 1;
  if (kwh)
    e.samples.push_back(sample(e.timestamp, *kwh, "Energy.Active.Import.Register", "kWh",
                               type == "Started" ? std::optional<std::string>("Transaction.Begin") : std::nullopt));
  return e;
}
} // namespace

TEST_F(ServicesTest, transaction_events_are_recorded_once_by_seq_no) {
  add_station("CS1");
  who.protocol = ProtocolVersion::Ocpp201;
  auto send = [&](TransactionEventRequest e) {
    return await<TransactionEventOutcome>([&](auto reply) { tx->transaction_event(who, e, reply); });
  };
  auto started = send(event("Started", 0, 10.0));
  EXPECT_FALSE(started.duplicate);
  auto updated = send(event("Updated", 1, 12.5));
  auto retried = send(event("Updated", 1, 99.0)); // a retry (same event fields): ignored, meter values too
  EXPECT_TRUE(retried.duplicate);
  EXPECT_EQ(retried.transaction_id, updated.transaction_id);
  auto txs = all_transactions();
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_EQ(txs[0].station_tx_id, "TX-1");
  EXPECT_EQ(txs[0].meter_start_wh, 10000);
  EXPECT_EQ(txs[0].energy_wh, 2500);
  send(event("Ended", 2, 15.0));
  txs = all_transactions();
  EXPECT_EQ(txs[0].state, TransactionState::Ended);
  EXPECT_EQ(txs[0].meter_stop_wh, 15000);
  EXPECT_EQ(txs[0].energy_wh, 5000);
  EXPECT_EQ(txs[0].stop_reason, StopReason::Local);
  std::vector<TransactionEventRecord> events;
  store->run([&](Repository &r) { events = r.transaction_events(txs[0].id); });
  EXPECT_EQ(events.size(), 3u);
}

TEST_F(ServicesTest, an_event_before_the_start_creates_the_transaction_and_gaps_are_noted) {
  add_station("CS1");
  who.protocol = ProtocolVersion::Ocpp201;
  auto send = [&](TransactionEventRequest e) {
    return await<TransactionEventOutcome>([&](auto reply) { tx->transaction_event(who, e, reply); });
  };
  send(event("Updated", 2, 3.0));
  send(event("Updated", 5, 4.0));
  EXPECT_EQ(all_transactions().size(), 1u);
  std::vector<Anomaly> anomalies;
  store->run([&](Repository &r) { anomalies = r.anomalies(who.id); });
  ASSERT_EQ(anomalies.size(), 2u);
  EXPECT_EQ(anomalies[0].kind, "transaction_without_start");
  EXPECT_EQ(anomalies[1].kind, "seq_gap");
}

TEST_F(ServicesTest, a_token_presented_after_the_start_is_checked_without_counting_its_own_transaction) {
  add_station("CS1");
  add_token({"LATE", TokenStatus::Accepted, {}, {}});
  who.protocol = ProtocolVersion::Ocpp201;
  auto send = [&](TransactionEventRequest e) {
    return await<TransactionEventOutcome>([&](auto reply) { tx->transaction_event(who, e, reply); });
  };
  send(event("Started", 0, 1.0));
  auto e = event("Updated", 1);
  e.id_token = "LATE";
  e.no_authorization = false; // an ISO14443 token: looked up
  auto out = send(e);
  ASSERT_TRUE(out.authorization);
  EXPECT_EQ(out.authorization->status, TokenStatus::Accepted);
  EXPECT_EQ(all_transactions()[0].id_tag, "LATE");
  // Another transaction with the same token is concurrent.
  auto other = event("Started", 0);
  other.station_tx_id = "TX-2";
  other.id_token = "LATE";
  EXPECT_EQ(send(other).authorization->status, TokenStatus::ConcurrentTx);
}

// ---- issue 9: numbers from the wire, reused seqNos, live values ----------------------------

namespace {
std::vector<Anomaly> anomalies_of(store::SqliteStore &store, const StationId &id) {
  std::vector<Anomaly> out;
  store.run([&](Repository &r) { out = r.anomalies(id); });
  return out;
}
std::size_t count_kind(const std::vector<Anomaly> &all, const std::string &kind) {
  return static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [&](const Anomaly &a) { return a.kind == kind; }));
}
} // namespace

TEST_F(ServicesTest, an_ended_under_a_used_seq_no_is_recorded_with_an_anomaly_and_ends_the_transaction) {
  add_station("CS1");
  who.protocol = ProtocolVersion::Ocpp201;
  auto send = [&](TransactionEventRequest e) {
    return await<TransactionEventOutcome>([&](auto reply) { tx->transaction_event(who, e, reply); });
  };
  send(event("Started", 0, 10.0));
  send(event("Updated", 1, 12.0));
  auto ended_event = event("Ended", 1, 13.0);
  ended_event.trigger_reason = TriggerReason::StopAuthorized;
  auto ended = send(ended_event);
  EXPECT_FALSE(ended.duplicate);
  EXPECT_TRUE(ended.ended);
  auto retried = send(ended_event); // the same Ended again: a retry
  EXPECT_TRUE(retried.duplicate);
  EXPECT_FALSE(retried.ended);
  auto txs = all_transactions();
  ASSERT_EQ(txs.size(), 1u);
  EXPECT_EQ(txs[0].state, TransactionState::Ended);
  EXPECT_EQ(txs[0].energy_wh, 3000);
  std::vector<TransactionEventRecord> events;
  store->run([&](Repository &r) { events = r.transaction_events(txs[0].id); });
  ASSERT_EQ(events.size(), 3u); // Started 0, Updated 1, Ended 1: the retry not stored again
  EXPECT_EQ(events[2].event_type, TransactionEventType::Ended);
  EXPECT_EQ(events[2].seq_no, 1);
  auto anomalies = anomalies_of(*store, who.id);
  EXPECT_EQ(count_kind(anomalies, "seq_no_reused"), 1u);
  EXPECT_EQ(count_kind(anomalies, "seq_gap"), 0u);
}

TEST_F(ServicesTest, a_stop_below_the_start_is_zero_energy_and_an_anomaly) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  auto s = start("TAG1", 8000);
  stop(s.transaction_id, 7000, "TAG1");
  auto txs = all_transactions();
  EXPECT_EQ(txs[0].meter_stop_wh, 7000);
  EXPECT_EQ(txs[0].energy_wh, 0);
  EXPECT_EQ(count_kind(anomalies_of(*store, who.id), "meter_stop_below_start"), 1u);
}

TEST_F(ServicesTest, a_stop_whose_meter_stop_was_out_of_range_keeps_the_energy_known) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  auto s = start("TAG1", 1000);
  StopRequest req;
  req.transaction_id = s.transaction_id;
  req.meter_stop_text = "10000000000000000";
  req.timestamp = *core::parse_iso8601("2026-06-01T11:30:00Z");
  req.transaction_data.push_back(sample(req.timestamp, 4000.0, "Energy.Active.Import.Register", "Wh"));
  req.rejected_samples.push_back("sampledValue 'nan' (Energy.Active.Import.Register) is not a finite decimal");
  auto out = await<StopOutcome>([&](auto reply) { tx->stop(who, req, reply); });
  EXPECT_TRUE(out.known);
  auto txs = all_transactions();
  EXPECT_EQ(txs[0].state, TransactionState::Ended);
  EXPECT_FALSE(txs[0].meter_stop_wh);
  EXPECT_EQ(txs[0].energy_wh, 3000); // from the last register reading in transactionData
  auto anomalies = anomalies_of(*store, who.id);
  EXPECT_EQ(count_kind(anomalies, "meter_stop_out_of_range"), 1u);
  EXPECT_EQ(count_kind(anomalies, "sample_out_of_range"), 1u);
}

TEST_F(ServicesTest, live_values_are_held_in_memory_and_written_at_most_every_interval) {
  add_station("CS1");
  add_token({"TAG1", TokenStatus::Accepted, {}, {}});
  LiveValues live; // 15 s
  stations->set_live(live);
  tx->set_live(live);
  auto s = start("TAG1", 1000);
  auto meter = [&](double wh) {
    MeterRequest m;
    m.connector_id = 1;
    m.transaction_id = s.transaction_id;
    m.samples.push_back(sample(clock.now(), wh, "Energy.Active.Import.Register", "Wh"));
    await<Done>([&](auto reply) { tx->meter_values(who, m, reply); });
  };
  auto stored = [&] {
    Transaction t;
    std::optional<Station> st;
    store->run([&](Repository &r) {
      t = *r.transaction(s.transaction_id);
      st = r.station(who.id);
    });
    return std::pair{t, *st};
  };
  meter(2000);
  EXPECT_EQ(stored().first.energy_wh, 1000); // the first value is written
  clock.t += std::chrono::seconds(5);
  meter(3000);
  EXPECT_EQ(stored().first.energy_wh, 1000);         // within the interval: not written...
  EXPECT_EQ(live.energy_of(s.transaction_id), 2000); // ...but held
  auto shown = stored().first;
  live.apply(shown);
  EXPECT_EQ(shown.energy_wh, 2000);

  auto first_seen = stored().second.last_seen_at;
  clock.t += std::chrono::seconds(5);
  await<Timestamp>([&](auto reply) { stations->heartbeat(who, reply); });
  EXPECT_EQ(stored().second.last_seen_at, first_seen); // not written again within 15 s
  EXPECT_EQ(live.last_seen(who.id), clock.now());      // but a heartbeat moves it
  auto station = stored().second;
  live.apply(station);
  EXPECT_EQ(station.last_seen_at, clock.now());

  clock.t += std::chrono::seconds(11); // 16 s after the first write
  meter(3500);
  EXPECT_EQ(stored().first.energy_wh, 2500);
  EXPECT_EQ(stored().second.last_seen_at, clock.now());

  clock.t += std::chrono::seconds(1);
  meter(3600);
  live.flush(*store); // at shutdown: what memory holds is written
  store->run([](Repository &) {});
  EXPECT_EQ(stored().first.energy_wh, 2600);
  EXPECT_EQ(stored().second.last_seen_at, clock.now());

  stop(s.transaction_id, 6000);
  EXPECT_FALSE(live.energy_of(s.transaction_id)); // ended: its final energy is the stored one
}

TEST(LiveValuesTest, a_failed_write_is_due_again_and_a_failed_energy_note_is_forgotten) {
  LiveValues live{std::chrono::seconds(15)};
  auto id = StationId::unchecked("CS1");
  auto t0 = *core::parse_iso8601("2026-06-01T12:00:00Z");
  EXPECT_TRUE(live.station_seen(id, ProtocolVersion::Ocpp16, t0));
  EXPECT_FALSE(live.station_seen(id, ProtocolVersion::Ocpp16, t0 + std::chrono::seconds(1)));
  EXPECT_TRUE(live.station_seen(id, ProtocolVersion::Ocpp201, t0 + std::chrono::seconds(2))); // protocol changed
  live.station_write_failed(id); // its unit rolled back: the store still has the old value
  EXPECT_TRUE(live.station_seen(id, ProtocolVersion::Ocpp201, t0 + std::chrono::seconds(3)));
  EXPECT_EQ(live.last_seen(id), t0 + std::chrono::seconds(3));
  EXPECT_FALSE(live.station_seen(id, ProtocolVersion::Ocpp201, t0 + std::chrono::seconds(17)));
  EXPECT_TRUE(live.station_seen(id, ProtocolVersion::Ocpp201, t0 + std::chrono::seconds(18)));

  EXPECT_TRUE(live.energy(7, 100, t0));
  EXPECT_FALSE(live.energy(7, 200, t0 + std::chrono::seconds(1)));
  EXPECT_EQ(live.energy_of(7), 200);
  live.energy_write_failed(7);
  EXPECT_FALSE(live.energy_of(7)); // the API shows the stored value again
  EXPECT_TRUE(live.energy(7, 300, t0 + std::chrono::seconds(2)));
  live.ended(7);
  EXPECT_FALSE(live.energy_of(7));
}
