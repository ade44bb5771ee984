// Maintenance tickets and inspections over a real SQLite file: SLA from the priority, the status
// flow with its notes, problem reports, inspections falling due (services/maintenance_service).
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/services/location_service.hpp"
#include "gridlane/services/maintenance_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using namespace std::chrono_literals;

namespace {

const Timestamp t0 = *core::parse_iso8601("2026-01-31T09:00:00Z");

class MaintenanceServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-maint-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    for (const char *id : {"CS-1", "CS-2"})
      store->run([&](Repository &r) {
        Station s;
        s.id = StationId::unchecked(id);
        s.registration = RegistrationStatus::Accepted;
        s.created_at = t0;
        r.insert_station(s);
      });
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class Fn> auto in_store(Fn fn) {
    std::optional<decltype(fn(std::declval<Repository &>()))> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  MaintenanceService service{core::MaintenanceConfig{2h, 8h, 48h, 120h, 60}};
};

NewTicket ticket(const char *station, TicketPriority p = TicketPriority::Normal) {
  NewTicket n;
  n.station = StationId::unchecked(station);
  n.title = "Cable damaged";
  n.priority = p;
  return n;
}

} // namespace

TEST_F(MaintenanceServiceTest, due_time_is_the_priority_sla_and_overdue_follows_it) {
  auto t =
      in_store([&](Repository &r) { return service.open(r, ticket("CS-1", TicketPriority::Urgent), "user:a", t0); });
  ASSERT_TRUE(t);
  EXPECT_EQ(t->due_at, t0 + 2h);
  EXPECT_FALSE(ticket_overdue(*t, t0 + 2h));
  EXPECT_TRUE(ticket_overdue(*t, t0 + 2h + 1s));
  TicketFilter overdue;
  overdue.overdue_at = t0 + 3h;
  EXPECT_EQ(in_store([&](Repository &r) { return r.count_tickets(overdue); }), 1);
  // Lowering the priority moves the due time (from the opening), so it is no longer overdue.
  TicketChange low;
  low.priority = TicketPriority::Low;
  auto changed = in_store([&](Repository &r) { return service.change(r, t->id, low, "user:a", t0 + 3h); });
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->due_at, t0 + 120h);
  EXPECT_EQ(in_store([&](Repository &r) { return r.count_tickets(overdue); }), 0);
}

TEST_F(MaintenanceServiceTest, status_flow_writes_notes_and_a_closed_ticket_changes_no_more) {
  auto t = in_store([&](Repository &r) { return service.open(r, ticket("CS-1"), "user:a", t0); });
  ASSERT_TRUE(t);
  TicketChange start;
  start.status = TicketStatus::InProgress;
  start.assignee = std::optional<std::string>{"tech-7"};
  ASSERT_TRUE(in_store([&](Repository &r) { return service.change(r, t->id, start, "user:b", t0 + 1h); }));
  TicketChange resolve;
  resolve.status = TicketStatus::Resolved;
  auto resolved = in_store([&](Repository &r) { return service.change(r, t->id, resolve, "user:b", t0 + 2h); });
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->resolved_at, t0 + 2h);
  EXPECT_FALSE(ticket_overdue(*resolved, t0 + 1000h));
  TicketChange close;
  close.status = TicketStatus::Closed;
  ASSERT_TRUE(in_store([&](Repository &r) { return service.change(r, t->id, close, "user:b", t0 + 3h); }));
  auto again = in_store([&](Repository &r) { return service.change(r, t->id, start, "user:b", t0 + 4h); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ServiceError::Code::Conflict);
  auto notes = in_store([&](Repository &r) { return r.ticket_notes(t->id); });
  std::vector<std::string> texts;
  for (const auto &n : notes)
    texts.push_back(n.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"assigned to tech-7", "status: open -> in_progress",
                                             "status: in_progress -> resolved", "status: resolved -> closed"}));
  EXPECT_EQ(notes.front().author, "user:b");
}

TEST_F(MaintenanceServiceTest, refuses_an_unknown_station_and_an_empty_title) {
  auto unknown = in_store([&](Repository &r) { return service.open(r, ticket("CS-9"), "user:a", t0); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "station_id");
  auto n = ticket("CS-1");
  n.title.clear();
  auto empty = in_store([&](Repository &r) { return service.open(r, n, "user:a", t0); });
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "title");
}

TEST_F(MaintenanceServiceTest, a_problem_report_opens_one_ticket_per_evse_while_it_is_open) {
  ProblemReported p{StationId::unchecked("CS-1"), t0, 12, 1, ReportCategory::NotWorking};
  auto first = in_store([&](Repository &r) { return service.on_problem_report(r, p); });
  ASSERT_TRUE(first);
  EXPECT_EQ(first->source, TicketSource::ProblemReport);
  EXPECT_EQ(first->priority, TicketPriority::High);
  EXPECT_EQ(first->report_id, 12);
  EXPECT_EQ(first->evse_id, 1);
  p.report_id = 13;
  EXPECT_FALSE(in_store([&](Repository &r) { return service.on_problem_report(r, p); })) << "one open ticket is enough";
  p.evse_id = 2;
  EXPECT_TRUE(in_store([&](Repository &r) { return service.on_problem_report(r, p); }));
}

TEST_F(MaintenanceServiceTest, a_due_inspection_opens_a_ticket_per_station_and_moves_on_by_calendar_months) {
  LocationService locations{[](std::string_view) { return true; }};
  Location l;
  l.name = "Depot";
  l.address = "Street 1";
  l.city = "Berlin";
  l.country = "DEU";
  l.coordinates = GeoLocation{"52.5200080", "13.4049540"}; // OCPI: 5 to 7 decimals
  l.time_zone = "Europe/Berlin";
  auto loc = in_store([&](Repository &r) { return locations.create_location(r, l, t0); });
  ASSERT_TRUE(loc);
  store->run([&](Repository &r) {
    r.set_station_location(StationId::unchecked("CS-1"), loc->id);
    r.set_station_location(StationId::unchecked("CS-2"), loc->id);
  });
  InspectionSchedule s;
  s.location = loc->id;
  s.title = "Quarterly check";
  s.every = 1;
  s.unit = IntervalUnit::Month;
  s.next_due = t0; // 31 January
  auto created = in_store([&](Repository &r) { return service.create_inspection(r, s, "user:a", t0); });
  ASSERT_TRUE(created);
  EXPECT_TRUE(in_store([&](Repository &r) { return service.run_due_inspections(r, t0 - 1s); }).empty());
  auto opened = in_store([&](Repository &r) { return service.run_due_inspections(r, t0 + 1min); });
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0].source, TicketSource::Inspection);
  EXPECT_EQ(opened[0].title, "Inspection: Quarterly check");
  EXPECT_EQ(opened[0].schedule_id, created->id);
  auto after = in_store([&](Repository &r) { return r.inspection(created->id); });
  EXPECT_EQ(after->next_due, *core::parse_iso8601("2026-02-28T09:00:00Z")) << "the last day of a shorter month";
  EXPECT_TRUE(in_store([&](Repository &r) { return service.run_due_inspections(r, t0 + 2min); }).empty());
}

TEST(MaintenanceAdvance, days_weeks_and_months) {
  const auto jan31 = *core::parse_iso8601("2026-01-31T09:00:00Z");
  EXPECT_EQ(MaintenanceService::advance(jan31, 3, IntervalUnit::Day), *core::parse_iso8601("2026-02-03T09:00:00Z"));
  EXPECT_EQ(MaintenanceService::advance(jan31, 2, IntervalUnit::Week), *core::parse_iso8601("2026-02-14T09:00:00Z"));
  EXPECT_EQ(MaintenanceService::advance(jan31, 3, IntervalUnit::Month), *core::parse_iso8601("2026-04-30T09:00:00Z"));
  EXPECT_EQ(MaintenanceService::advance(jan31, 12, IntervalUnit::Month), *core::parse_iso8601("2027-01-31T09:00:00Z"));
}
