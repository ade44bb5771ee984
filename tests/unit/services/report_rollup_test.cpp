// The reports' roll-ups: the arithmetic of one session over local days and hours (midnight,
// both DST changes of Europe/Berlin, register readings, exact energy), the failure
// classification, and the roll-ups in a real SQLite file: added once, rebuilt (whole or a range
// of days) to exactly what the incremental roll-up made, and a period's whole months read from
// the monthly roll-up to the same sums as its days.
#include <filesystem>
#include <gtest/gtest.h>
#include <numeric>

#include "gridlane/services/report_rollup.hpp"
#include "gridlane/services/report_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using services::roll_up;
using services::SessionSpan;

namespace {

constexpr std::int64_t minute = 60'000;

Timestamp at(const char *iso) {
  return core::parse_iso8601(iso).value();
}
const core::TimeZone &berlin() {
  static const auto z = core::TimeZone::find("Europe/Berlin").value();
  return z;
}
std::int64_t day(int y, int m, int d) {
  return services::days_from_civil(y, m, d);
}
const ReportDayDelta *find_day(const services::Rollup &r, std::int64_t d) {
  for (const auto &x : r.days)
    if (x.day == d) return &x;
  return nullptr;
}

TEST(ReportRollup, a_session_across_midnight_is_split_by_local_day_and_hour) {
  // 22:30 CET on 10 March to 01:15 CET on 11 March (21:30Z to 00:15Z), 3250 Wh, no readings.
  SessionSpan s{at("2026-03-10T21:30:00Z"), at("2026-03-11T00:15:00Z"), 3250, {}, std::nullopt};
  auto r = roll_up(s, berlin());
  ASSERT_EQ(r.days.size(), 2u);
  const auto *d1 = find_day(r, day(2026, 3, 10));
  const auto *d2 = find_day(r, day(2026, 3, 11));
  ASSERT_TRUE(d1 && d2);
  EXPECT_EQ(d1->sessions, 1);
  EXPECT_EQ(d1->successful, 1);
  EXPECT_EQ(d2->sessions, 0);
  EXPECT_EQ(d1->occupied_ms[22], 30 * minute);
  EXPECT_EQ(d1->occupied_ms[23], 60 * minute);
  EXPECT_EQ(d2->occupied_ms[0], 60 * minute);
  EXPECT_EQ(d2->occupied_ms[1], 15 * minute);
  EXPECT_EQ(std::accumulate(d1->occupied_ms.begin(), d1->occupied_ms.end(), std::int64_t{0}), 90 * minute);
  // Energy in proportion to time, exactly: 3250 * 90 / 165 = 1772.7 -> 1772 and the rest.
  EXPECT_EQ(d1->energy_wh, 1772);
  EXPECT_EQ(d2->energy_wh, 1478);
  EXPECT_EQ(d1->charging_ms, d1->occupied_ms); // energy throughout
  // 11 quarter hours, UTC-keyed, energy summing to the total.
  ASSERT_EQ(r.quarters.size(), 11u);
  std::int64_t e = 0;
  for (const auto &q : r.quarters)
    e += q.energy_wh;
  EXPECT_EQ(e, 3250);
  EXPECT_EQ(r.quarters.front().quarter, core::to_unix_ms(at("2026-03-10T21:30:00Z")) / 900'000);
  EXPECT_EQ(r.quarters.back().day, day(2026, 3, 11));
}

TEST(ReportRollup, the_spring_forward_day_has_no_hour_2_and_23_hours) {
  // 01:30 CET to 03:30 CEST on 29 March 2026: one real hour.
  SessionSpan s{at("2026-03-29T00:30:00Z"), at("2026-03-29T01:30:00Z"), 0, {}, std::nullopt};
  auto r = roll_up(s, berlin());
  ASSERT_EQ(r.days.size(), 1u);
  EXPECT_EQ(r.days[0].occupied_ms[1], 30 * minute);
  EXPECT_EQ(r.days[0].occupied_ms[2], 0);
  EXPECT_EQ(r.days[0].occupied_ms[3], 30 * minute);
  EXPECT_EQ(r.days[0].charging_ms[1], 0); // no energy: occupied, not charging
  auto hours = services::hour_lengths(day(2026, 3, 29), berlin());
  EXPECT_EQ(hours[2], 0);
  EXPECT_EQ(hours[3], 60 * minute);
  EXPECT_EQ(std::accumulate(hours.begin(), hours.end(), std::int64_t{0}), std::int64_t{23} * 60 * minute);
}

TEST(ReportRollup, the_fall_back_day_counts_its_repeated_hour_twice_and_has_25_hours) {
  // 01:30 CEST to 03:30 CET on 25 October 2026: three real hours, two of them local hour 2.
  SessionSpan s{at("2026-10-24T23:30:00Z"), at("2026-10-25T02:30:00Z"), 3000, {}, std::nullopt};
  auto r = roll_up(s, berlin());
  ASSERT_EQ(r.days.size(), 1u);
  EXPECT_EQ(r.days[0].occupied_ms[1], 30 * minute);
  EXPECT_EQ(r.days[0].occupied_ms[2], 120 * minute);
  EXPECT_EQ(r.days[0].occupied_ms[3], 30 * minute);
  EXPECT_EQ(r.days[0].energy_wh, 3000);
  // The repeated hour's quarters stay apart (12 UTC quarters, 250 Wh each).
  ASSERT_EQ(r.quarters.size(), 12u);
  for (const auto &q : r.quarters)
    EXPECT_EQ(q.energy_wh, 250);
  auto hours = services::hour_lengths(day(2026, 10, 25), berlin());
  EXPECT_EQ(hours[2], 120 * minute);
  EXPECT_EQ(std::accumulate(hours.begin(), hours.end(), std::int64_t{0}), std::int64_t{25} * 60 * minute);
}

TEST(ReportRollup, register_readings_place_the_energy_and_the_charging_time) {
  // Plugged in at 10:00, nothing until 10:30, then 1000 Wh until 11:00 (UTC zone).
  auto utc = core::TimeZone::find("UTC").value();
  SessionSpan s{at("2026-05-04T10:00:00Z"),
                at("2026-05-04T11:00:00Z"),
                1000,
                {{at("2026-05-04T10:30:00Z"), 0}, {at("2026-05-04T10:15:00Z"), 0}},
                std::nullopt};
  auto r = roll_up(s, utc);
  ASSERT_EQ(r.days.size(), 1u);
  EXPECT_EQ(r.days[0].occupied_ms[10], 60 * minute);
  EXPECT_EQ(r.days[0].charging_ms[10], 30 * minute);
  ASSERT_EQ(r.quarters.size(), 2u); // only the quarters with energy
  EXPECT_EQ(r.quarters[0].quarter, core::to_unix_ms(at("2026-05-04T10:30:00Z")) / 900'000);
  EXPECT_EQ(r.quarters[0].energy_wh, 500);
  EXPECT_EQ(r.quarters[1].energy_wh, 500);
}

TEST(ReportRollup, a_failed_session_counts_its_reason_on_its_start_day) {
  SessionSpan s{at("2026-05-04T23:50:00Z"), at("2026-05-05T00:10:00Z"), 0, {}, SessionFailure::EVDisconnected};
  auto r = roll_up(s, core::TimeZone::find("UTC").value());
  ASSERT_EQ(r.days.size(), 2u);
  EXPECT_EQ(r.days[0].sessions, 1);
  EXPECT_EQ(r.days[0].successful, 0);
  EXPECT_EQ(r.days[0].failed[static_cast<std::size_t>(SessionFailure::EVDisconnected)], 1);
  EXPECT_EQ(r.days[1].sessions, 0);
  EXPECT_TRUE(r.quarters.empty());
}

TEST(ReportRollup, classifies_failures_from_what_the_transaction_records) {
  Transaction t;
  t.start_authorization.status = TokenStatus::Accepted;
  t.energy_wh = 500;
  t.stop_reason = StopReason::Local;
  EXPECT_EQ(services::classify_session(t), std::nullopt);
  t.stop_reason = StopReason::EVDisconnected;
  EXPECT_EQ(services::classify_session(t), std::nullopt); // unplugged after charging: success
  t.stop_reason = StopReason::GroundFault;
  EXPECT_EQ(services::classify_session(t), SessionFailure::Fault);
  t.stop_reason = StopReason::SoftReset;
  EXPECT_EQ(services::classify_session(t), SessionFailure::Reset);
  t.energy_wh = 0;
  t.stop_reason = StopReason::EVDisconnected;
  EXPECT_EQ(services::classify_session(t), SessionFailure::EVDisconnected);
  t.stop_reason = StopReason::Timeout;
  EXPECT_EQ(services::classify_session(t), SessionFailure::Timeout);
  t.stop_reason = StopReason::Local;
  EXPECT_EQ(services::classify_session(t), SessionFailure::NoEnergy);
  t.stop_reason = std::nullopt;
  EXPECT_EQ(services::classify_session(t), SessionFailure::NoEnergy);
  t.start_authorization.status = TokenStatus::Invalid;
  t.energy_wh = 100;
  EXPECT_EQ(services::classify_session(t), SessionFailure::StartRejected);
}

TEST(ReportRollup, parses_and_formats_local_days) {
  using services::ReportService;
  EXPECT_EQ(ReportService::parse_day("2026-03-29"), day(2026, 3, 29));
  EXPECT_EQ(ReportService::format_day(day(2026, 3, 29)), "2026-03-29");
  EXPECT_FALSE(ReportService::parse_day("2026-02-30"));
  EXPECT_FALSE(ReportService::parse_day("2026-3-29"));
  EXPECT_FALSE(ReportService::parse_day("1969-12-31"));
  EXPECT_FALSE(ReportService::parse_day("2026-03-2x"));
}

class ReportStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-reports-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([](Repository &r) {
      Location l;
      l.id = LocationId::unchecked("BER");
      l.name = "Berlin";
      l.time_zone = "Europe/Berlin";
      r.insert_location(l);
      Station s;
      s.id = StationId::unchecked("CS-1");
      r.insert_station(s);
      r.set_station_location(s.id, l.id);
    });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  std::int64_t session(const char *start, int minutes, std::int64_t wh, StopReason reason = StopReason::Local) {
    std::int64_t id = 0;
    store->run([&](Repository &r) {
      Transaction t;
      t.station = StationId::unchecked("CS-1");
      t.connector_id = t.evse_id = 1;
      t.id_tag = "TAG";
      t.started_at = at(start);
      t.start_received_at = t.started_at;
      t.station_tx_id = std::string(start);
      t.protocol = ProtocolVersion::Ocpp201;
      t.start_authorization.status = TokenStatus::Accepted;
      id = r.insert_transaction(t);
      t.id = id;
      t.state = TransactionState::Ended;
      t.meter_stop_wh = wh;
      t.energy_wh = wh;
      t.stopped_at = t.started_at + std::chrono::minutes(minutes);
      t.stop_reason = reason;
      r.end_transaction(t);
    });
    return id;
  }
  //! Every roll-up row as text, to compare two states of the tables.
  std::string dump() {
    std::string out;
    store->run([&](Repository &r) {
      RollupFilter f{0, 100000, std::nullopt, std::nullopt};
      for (const auto &d : r.report_day_totals(f))
        out += d.location_id + " " + std::to_string(d.day) + " " + std::to_string(d.sessions) + " " +
               std::to_string(d.successful) + " " + std::to_string(d.energy_wh) + " " + std::to_string(d.occupied_ms) +
               " " + std::to_string(d.charging_ms) + "\n";
      for (const auto &e : r.report_evse_times(f))
        for (std::size_t h = 0; h < 24; ++h)
          out += std::to_string(e.occupied_by_hour[h]) + "/" + std::to_string(e.charging_by_hour[h]) + " ";
      for (const auto &p : r.report_peaks(f))
        out += "\npeak " + p.location_id + " " + std::to_string(p.energy_wh) + " " + std::to_string(p.quarter);
    });
    return out;
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  services::ReportService service;
};

TEST_F(ReportStoreTest, a_session_is_added_once_and_a_rebuild_makes_the_same_rows) {
  std::vector<std::int64_t> ids{session("2026-03-10T21:30:00Z", 165, 3250),
                                session("2026-03-11T08:00:00Z", 60, 0, StopReason::EVDisconnected),
                                session("2026-03-11T08:30:00Z", 30, 4000), session("2026-03-29T00:30:00Z", 60, 1000)};
  for (auto id : ids)
    store->run([&](Repository &r) { EXPECT_TRUE(service.roll_up(r, id)); });
  store->run([&](Repository &r) { EXPECT_FALSE(service.roll_up(r, ids[0])); }); // heard twice
  const auto incremental = dump();

  services::SessionsReport rep;
  store->run([&](Repository &r) {
    rep = service.sessions(r, RollupFilter{day(2026, 3, 1), day(2026, 3, 31), std::string("BER"), std::nullopt},
                           services::ReportPeriod::Day);
  });
  ASSERT_EQ(rep.rows.size(), 3u);
  EXPECT_EQ(rep.total.sessions, 4);
  EXPECT_EQ(rep.total.successful, 3);
  EXPECT_EQ(rep.total.failed[static_cast<std::size_t>(SessionFailure::EVDisconnected)], 1);
  EXPECT_EQ(rep.total.energy_wh, 3250 + 4000 + 1000);
  EXPECT_EQ(rep.rows[0].counts.energy_wh, 1772);
  EXPECT_EQ(rep.rows[1].counts.energy_wh, 1478 + 4000);

  // Overlapping sessions: 08:30-09:00 UTC has 4000 Wh from one; the peak quarter holds 2000 Wh.
  services::PeakReport peaks;
  store->run([&](Repository &r) { peaks = service.peaks(r, RollupFilter{0, 100000, std::nullopt, std::nullopt}); });
  ASSERT_EQ(peaks.locations.size(), 1u);
  EXPECT_EQ(peaks.locations[0].energy_wh, 2000);
  EXPECT_EQ(peaks.locations[0].time_zone, "Europe/Berlin");

  store->run([&](Repository &r) { EXPECT_EQ(service.rebuild(r, std::nullopt, std::nullopt).sessions, 4); });
  EXPECT_EQ(dump(), incremental);
  store->run([&](Repository &r) { service.rebuild(r, day(2026, 3, 11), day(2026, 3, 11)); });
  EXPECT_EQ(dump(), incremental);
  store->run([&](Repository &r) { service.rebuild(r, day(2026, 3, 10), day(2026, 3, 29)); });
  EXPECT_EQ(dump(), incremental);
}

//! The utilisation sums of days from..to, one day at a time (never the monthly roll-up).
std::vector<ReportEvseTimes> day_by_day(store::SqliteStore &store, std::int64_t from, std::int64_t to) {
  ReportEvseTimes sum;
  bool any = false;
  store.run([&](Repository &r) {
    for (auto d = from; d <= to; ++d) {
      for (const auto &e : r.report_evse_times(RollupFilter{d, d, std::nullopt, std::nullopt})) {
        any = true;
        sum.evse = e.evse;
        for (std::size_t h = 0; h < 24; ++h) {
          sum.occupied_by_hour[h] += e.occupied_by_hour[h];
          sum.charging_by_hour[h] += e.charging_by_hour[h];
        }
        for (std::size_t w = 0; w < 7; ++w) {
          sum.occupied_by_weekday[w] += e.occupied_by_weekday[w];
          sum.charging_by_weekday[w] += e.charging_by_weekday[w];
        }
      }
    }
  });
  return any ? std::vector<ReportEvseTimes>{sum} : std::vector<ReportEvseTimes>{};
}

void expect_same(const std::vector<ReportEvseTimes> &a, const std::vector<ReportEvseTimes> &b,
                 const std::string &what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].evse.station.str(), b[i].evse.station.str()) << what;
    EXPECT_EQ(a[i].occupied_by_hour, b[i].occupied_by_hour) << what;
    EXPECT_EQ(a[i].charging_by_hour, b[i].charging_by_hour) << what;
    EXPECT_EQ(a[i].occupied_by_weekday, b[i].occupied_by_weekday) << what;
    EXPECT_EQ(a[i].charging_by_weekday, b[i].charging_by_weekday) << what;
  }
}

TEST_F(ReportStoreTest, whole_months_and_location_days_read_from_their_roll_ups_sum_as_the_evse_days_do) {
  // Sessions from January to May 2026 in Berlin: month ends, both sides of a month boundary
  // at local midnight, the spring-forward night.
  std::vector<std::int64_t> ids;
  for (const char *start :
       {"2026-01-01T08:00:00Z", "2026-01-31T22:30:00Z", "2026-02-14T11:00:00Z", "2026-02-28T23:30:00Z",
        "2026-03-29T00:30:00Z", "2026-03-31T21:00:00Z", "2026-04-30T12:00:00Z", "2026-05-01T06:15:00Z"})
    ids.push_back(session(start, 95, 5000));
  for (auto id : ids)
    store->run([&](Repository &r) { service.roll_up(r, id); });

  const auto check = [&](std::int64_t from, std::int64_t to, const std::string &what) {
    std::vector<ReportEvseTimes> direct;
    store->run([&](Repository &r) {
      direct = r.report_evse_times(RollupFilter{from, to, std::nullopt, std::nullopt});
    });
    expect_same(direct, day_by_day(*store, from, to), what);
    ASSERT_FALSE(direct.empty()) << what;
  };
  check(day(2026, 1, 1), day(2026, 5, 31), "January to May: five whole months");
  check(day(2026, 1, 15), day(2026, 4, 30), "mid-January to the end of April: days, then three whole months");
  check(day(2026, 2, 1), day(2026, 2, 28), "February alone");
  check(day(2026, 1, 31), day(2026, 3, 1), "a partial month either side of February");
  check(day(2026, 3, 29), day(2026, 3, 29), "one day");
  check(day(2026, 2, 2), day(2026, 3, 30), "no whole month");

  // A rebuild of a range recomputes the months it touches from their days: the same sums.
  std::vector<ReportEvseTimes> before;
  store->run([&](Repository &r) {
    before = r.report_evse_times(RollupFilter{day(2026, 1, 1), day(2026, 5, 31), std::nullopt, std::nullopt});
  });
  store->run([&](Repository &r) { service.rebuild(r, day(2026, 2, 28), day(2026, 4, 1)); });
  std::vector<ReportEvseTimes> after;
  store->run([&](Repository &r) {
    after = r.report_evse_times(RollupFilter{day(2026, 1, 1), day(2026, 5, 31), std::nullopt, std::nullopt});
  });
  expect_same(after, before, "after a rebuild of 28 February to 1 April");
  check(day(2026, 3, 1), day(2026, 3, 31), "March after the rebuild");

  // The per-location day sums (read without a station) agree with the station's EVSE days
  // (read with one): CS-1 is the location's only station.
  store->run([&](Repository &r) {
    const RollupFilter all{day(2026, 1, 1), day(2026, 5, 31), std::nullopt, std::nullopt};
    RollupFilter one = all;
    one.station = StationId::unchecked("CS-1");
    const auto a = r.report_day_totals(all), b = r.report_day_totals(one);
    ASSERT_EQ(a.size(), b.size());
    ASSERT_GE(a.size(), 8u);
    std::int64_t sessions = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].day, b[i].day);
      EXPECT_EQ(a[i].sessions, b[i].sessions);
      EXPECT_EQ(a[i].successful, b[i].successful);
      EXPECT_EQ(a[i].failed, b[i].failed);
      EXPECT_EQ(a[i].energy_wh, b[i].energy_wh);
      EXPECT_EQ(a[i].occupied_ms, b[i].occupied_ms);
      EXPECT_EQ(a[i].charging_ms, b[i].charging_ms);
      sessions += a[i].sessions;
    }
    EXPECT_EQ(sessions, 8);
  });
}

TEST_F(ReportStoreTest, utilisation_shares_the_hours_of_the_locations_zone) {
  auto id = session("2026-03-29T00:30:00Z", 60, 1000); // 01:30 CET - 03:30 CEST
  store->run([&](Repository &r) { service.roll_up(r, id); });
  services::UtilisationReport u;
  store->run([&](Repository &r) {
    u = service.utilisation(r, RollupFilter{day(2026, 3, 29), day(2026, 3, 29), std::string("BER"), std::nullopt});
  });
  ASSERT_EQ(u.locations.size(), 1u);
  ASSERT_EQ(u.evses.size(), 1u);
  EXPECT_EQ(u.locations[0].occupied_by_hour[1], 30 * minute);
  EXPECT_EQ(u.locations[0].available_by_hour[1], 60 * minute);
  EXPECT_EQ(u.locations[0].available_by_hour[2], 0);
  // 29 March 2026 is a Sunday (ISO 7): 23 hours long.
  EXPECT_EQ(u.locations[0].available_by_weekday[6], std::int64_t{23} * 60 * minute);
  EXPECT_EQ(u.locations[0].occupied_by_weekday[6], 60 * minute);
}

} // namespace
