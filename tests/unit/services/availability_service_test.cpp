// Availability's records (services/availability_service): each EVSE's timeline and outages from
// status notifications and StationOffline/Online, an operator's exclusion (audited), and the
// uptime of a station and a location over a Berlin month, over a real SQLite file.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/services/availability_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

Timestamp at(const char *text) {
  return *core::parse_iso8601(text);
}

const StationId cs1 = StationId::unchecked("CS-1");

class AvailabilityRecords : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-availability-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([](Repository &r) {
      Location l;
      l.id = LocationId::unchecked("BER-1");
      l.name = "Berlin depot";
      l.time_zone = "Europe/Berlin";
      l.created_at = l.updated_at = at("2026-01-01T00:00:00Z");
      r.insert_location(l);
      Station s;
      s.id = cs1;
      s.registration = RegistrationStatus::Accepted;
      s.created_at = at("2026-01-01T00:00:00Z");
      r.insert_station(s);
      r.set_station_location(cs1, l.id);
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  //! A StatusNotification as the station service records it, then the timeline's turn.
  void status(int evse, ConnectorStatus st, const char *when, ConnectorErrorCode code = ConnectorErrorCode::NoError) {
    StatusReport rep;
    rep.station = cs1;
    rep.evse_id = evse;
    rep.connector_id = evse == 0 ? 0 : 1;
    rep.status = st;
    rep.error_code = code;
    rep.received_at = at(when);
    store->run([&](Repository &r) {
      r.record_status(rep);
      record_status(r, StatusChanged{cs1, rep.received_at, rep});
    });
  }
  template <class F> auto read(F f) {
    std::optional<decltype(f(std::declval<Repository &>()))> out;
    store->run([&](Repository &r) { out.emplace(f(r)); });
    return std::move(*out);
  }
  std::vector<Outage> outages() {
    return read([](Repository &r) { return r.list_outages({}, PageRequest{100, 0}).items; });
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(AvailabilityRecords, a_fault_and_an_offline_stretch_become_outages_with_their_causes) {
  status(1, ConnectorStatus::Available, "2026-03-01T08:00:00Z");
  status(2, ConnectorStatus::Available, "2026-03-01T08:00:00Z");
  status(0, ConnectorStatus::Faulted, "2026-03-01T08:30:00Z"); // the station as a whole: no port
  status(1, ConnectorStatus::Charging, "2026-03-01T09:00:00Z");
  status(1, ConnectorStatus::Faulted, "2026-03-01T10:00:00Z", ConnectorErrorCode::GroundFailure);
  status(1, ConnectorStatus::Available, "2026-03-01T10:45:00Z");
  EXPECT_TRUE(read([](Repository &r) { return r.open_outage(cs1, 1); }) == std::nullopt);

  store->run([](Repository &r) {
    record_offline(r, StationOffline{cs1, at("2026-03-02T12:00:00Z"), std::nullopt, OfflineReason::Silent});
  });
  // Heard while counted offline (before the watch sees it back): the port stays offline.
  status(2, ConnectorStatus::Available, "2026-03-02T12:30:00Z");
  store->run([](Repository &r) {
    record_online(r, StationOnline{cs1, at("2026-03-02T12:30:00Z"), at("2026-03-02T12:00:00Z")});
  });

  auto all = outages();
  ASSERT_EQ(all.size(), 3u); // newest first
  EXPECT_EQ(all[2].evse_id, 1);
  EXPECT_EQ(all[2].cause, EvseState::Faulted);
  EXPECT_EQ(all[2].detail, "GroundFailure");
  EXPECT_EQ(all[2].started, at("2026-03-01T10:00:00Z"));
  EXPECT_EQ(all[2].ended, at("2026-03-01T10:45:00Z"));
  for (int i : {0, 1}) {
    EXPECT_EQ(all[i].cause, EvseState::Offline);
    EXPECT_EQ(all[i].detail, "silent");
    EXPECT_EQ(all[i].started, at("2026-03-02T12:00:00Z"));
    EXPECT_EQ(all[i].ended, at("2026-03-02T12:30:00Z"));
  }
  auto timeline = read(
      [](Repository &r) { return r.evse_timeline(cs1, 1, at("2026-03-01T00:00:00Z"), at("2026-03-03T00:00:00Z")); });
  std::vector<EvseState> states;
  for (const auto &s : timeline)
    states.push_back(s.state);
  EXPECT_EQ(states, (std::vector<EvseState>{EvseState::Available, EvseState::Charging, EvseState::Faulted,
                                            EvseState::Available, EvseState::Offline, EvseState::Available}));
  EXPECT_EQ(timeline.back().until, std::nullopt);
  EXPECT_EQ(timeline.front().until, at("2026-03-01T09:00:00Z"));
}

TEST_F(AvailabilityRecords, a_fault_then_offline_is_one_outage_with_the_first_cause) {
  status(1, ConnectorStatus::Faulted, "2026-03-01T08:00:00Z");
  store->run([](Repository &r) {
    record_offline(r, StationOffline{cs1, at("2026-03-01T09:00:00Z"), std::nullopt, OfflineReason::Disconnected});
    // Back, still faulted: the outage goes on.
    record_online(r, StationOnline{cs1, at("2026-03-01T10:00:00Z"), at("2026-03-01T09:00:00Z")});
  });
  auto all = outages();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].cause, EvseState::Faulted);
  EXPECT_EQ(all[0].ended, std::nullopt);
  status(1, ConnectorStatus::Available, "2026-03-01T11:00:00Z");
  EXPECT_EQ(outages()[0].ended, at("2026-03-01T11:00:00Z"));
}

TEST_F(AvailabilityRecords, an_exclusion_needs_a_reason_and_justification_and_is_audited) {
  status(1, ConnectorStatus::Unavailable, "2026-03-10T00:00:00Z");
  const auto id = outages().at(0).id;
  auto refuse = [&](ExclusionRequest req) {
    return read([&](Repository &r) { return classify_outage(r, id, req, "user:ops", at("2026-03-11T00:00:00Z")); });
  };
  auto no_reason = refuse({true, std::nullopt, "storm"});
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().field, "reason");
  auto no_text = refuse({true, ExclusionReason::GridOutage, ""});
  ASSERT_FALSE(no_text);
  EXPECT_EQ(no_text.error().field, "justification");
  auto unknown = read([](Repository &r) {
    return classify_outage(r, 999, {false, std::nullopt, ""}, "user:ops", at("2026-03-11T00:00:00Z"));
  });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ServiceError::Code::NotFound);

  auto ok = refuse({true, ExclusionReason::GridOutage, "Utility feeder fault, ticket 4711"});
  ASSERT_TRUE(ok);
  ASSERT_TRUE(ok->exclusion);
  EXPECT_EQ(ok->exclusion->by, "user:ops");
  auto stored = outages().at(0);
  ASSERT_TRUE(stored.exclusion);
  EXPECT_EQ(stored.exclusion->reason, ExclusionReason::GridOutage);
  EXPECT_EQ(stored.exclusion->justification, "Utility feeder fault, ticket 4711");
  auto audit = read([](Repository &r) { return r.audit(10, 0); });
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action, "outage.excluded");
  EXPECT_EQ(audit.front().detail, "grid_outage: Utility feeder fault, ticket 4711");
  OutageFilter only_excluded;
  only_excluded.excluded = true;
  EXPECT_EQ(read([&](Repository &r) { return r.list_outages(only_excluded, {10, 0}).total; }), 1);

  ASSERT_TRUE(refuse({false, std::nullopt, ""}));
  EXPECT_FALSE(outages().at(0).exclusion);
}

TEST_F(AvailabilityRecords, uptime_of_a_berlin_month_per_port_and_summed) {
  status(1, ConnectorStatus::Available, "2026-02-20T00:00:00Z");
  status(2, ConnectorStatus::Available, "2026-02-20T00:00:00Z");
  // Port 1: 150 min faulted; port 2: 90 min unavailable across the DST change, excluded.
  status(1, ConnectorStatus::Faulted, "2026-03-02T10:00:00Z");
  status(1, ConnectorStatus::Available, "2026-03-02T12:30:00Z");
  status(2, ConnectorStatus::Unavailable, "2026-03-29T00:30:00Z");
  status(2, ConnectorStatus::Available, "2026-03-29T02:00:00Z");
  const auto excluded = outages().at(0).id;
  store->run([&](Repository &r) {
    ASSERT_TRUE(classify_outage(r, excluded, {true, ExclusionReason::PlannedMaintenance, "Firmware window"}, "user:ops",
                                at("2026-03-30T00:00:00Z")));
  });
  UptimePeriod march{2026, 3, std::nullopt, std::nullopt};
  auto report = read([&](Repository &r) {
    return uptime_report(r, UptimeScope{std::nullopt, std::nullopt, LocationId::unchecked("BER-1")}, march,
                         at("2026-04-02T00:00:00Z"));
  });
  ASSERT_TRUE(report);
  ASSERT_EQ(report->ports.size(), 2u);
  const auto &p1 = report->ports[0];
  EXPECT_EQ(p1.zone, "Europe/Berlin");
  EXPECT_EQ(p1.period.from, at("2026-02-28T23:00:00Z"));
  EXPECT_EQ(minutes_of(p1.uptime.period_ms).to_string(), "44580");
  EXPECT_EQ(minutes_of(p1.uptime.outage_ms).to_string(), "150");
  EXPECT_EQ(p1.uptime.percent().to_fixed(2, core::Rounding::Down), "99.66"); // 44430 / 44580
  const auto &p2 = report->ports[1];
  EXPECT_EQ(minutes_of(p2.uptime.excluded_ms).to_string(), "90");
  EXPECT_EQ(p2.uptime.percent().to_fixed(2, core::Rounding::Down), "100.00");
  EXPECT_EQ(report->total.ports, 2);
  EXPECT_EQ(minutes_of(report->total.period_ms).to_string(), "89160");
  EXPECT_EQ(report->total.percent().to_fixed(2, core::Rounding::Down), "99.83"); // 89010 / 89160

  auto one = read([&](Repository &r) {
    return uptime_report(r, UptimeScope{cs1, 2, std::nullopt}, march, at("2026-04-02T00:00:00Z"));
  });
  ASSERT_TRUE(one);
  EXPECT_EQ(one->ports.size(), 1u);
  auto unknown = read([&](Repository &r) {
    return uptime_report(r, UptimeScope{StationId::unchecked("NOPE"), std::nullopt, std::nullopt}, march,
                         at("2026-04-02T00:00:00Z"));
  });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ServiceError::Code::NotFound);
  auto backwards = read([&](Repository &r) {
    return uptime_report(
        r, UptimeScope{},
        UptimePeriod{std::nullopt, std::nullopt, at("2026-03-02T00:00:00Z"), at("2026-03-01T00:00:00Z")},
        at("2026-04-02T00:00:00Z"));
  });
  EXPECT_FALSE(backwards);
}

} // namespace
