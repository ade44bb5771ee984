// Which tariff applies: the precedence of assignments (connector > EVSE > location > default, a
// customer group's before the general one at the same scope), and their store over a real
// SQLite file (one per target and group, the candidates of a session, snapshots, statuses).
#include <filesystem>
#include <gtest/gtest.h>
#include <set>

#include "gridlane/services/tariff_assignment_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

TariffAssignment at_default(std::string tariff, std::optional<std::string> group = std::nullopt) {
  TariffAssignment a;
  a.tariff_id = std::move(tariff);
  a.customer_group = std::move(group);
  return a;
}
TariffAssignment at_location(std::string tariff, std::string location,
                             std::optional<std::string> group = std::nullopt) {
  auto a = at_default(std::move(tariff), std::move(group));
  a.scope = AssignmentScope::Location;
  a.location = LocationId::unchecked(std::move(location));
  return a;
}
TariffAssignment at_evse(std::string tariff, std::string station, int evse,
                         std::optional<std::string> group = std::nullopt) {
  auto a = at_default(std::move(tariff), std::move(group));
  a.scope = AssignmentScope::Evse;
  a.station = StationId::unchecked(std::move(station));
  a.evse_id = evse;
  return a;
}
TariffAssignment at_connector(std::string tariff, std::string station, int evse, int connector,
                              std::optional<std::string> group = std::nullopt) {
  auto a = at_evse(std::move(tariff), std::move(station), evse, std::move(group));
  a.scope = AssignmentScope::Connector;
  a.connector_id = connector;
  return a;
}

SessionTarget target(std::vector<std::string> groups = {}) {
  SessionTarget t;
  t.station = StationId::unchecked("CS-1");
  t.evse_id = 2;
  t.connector_id = 1;
  t.location = LocationId::unchecked("L1");
  t.customer_groups = std::move(groups);
  return t;
}

std::vector<std::string> tariffs_of(const std::vector<TariffAssignment> &ranked) {
  std::vector<std::string> out;
  out.reserve(ranked.size());
  for (const auto &a : ranked)
    out.push_back(a.tariff_id);
  return out;
}

} // namespace

TEST(TariffPrecedence, connector_beats_evse_beats_location_beats_default) {
  auto ranked = rank_assignments(
      {at_default("D"), at_location("LOC", "L1"), at_evse("EVSE", "CS-1", 2), at_connector("CONN", "CS-1", 2, 1)},
      target());
  EXPECT_EQ(tariffs_of(ranked), (std::vector<std::string>{"CONN", "EVSE", "LOC", "D"}));
}

TEST(TariffPrecedence, a_group_assignment_beats_the_general_one_at_the_same_scope_only) {
  auto ranked = rank_assignments({at_location("LOC", "L1"), at_location("LOC-FLEET", "L1", "FLEET"),
                                  at_default("D-FLEET", "FLEET"), at_evse("EVSE", "CS-1", 2)},
                                 target({"FLEET"}));
  // The EVSE's general tariff is narrower than the location's group tariff: it wins.
  EXPECT_EQ(tariffs_of(ranked), (std::vector<std::string>{"EVSE", "LOC-FLEET", "LOC", "D-FLEET"}));
}

TEST(TariffPrecedence, assignments_of_other_groups_and_targets_are_left_out) {
  auto ranked = rank_assignments({at_location("OTHER-LOC", "L2"), at_evse("OTHER-EVSE", "CS-1", 3),
                                  at_connector("OTHER-CONN", "CS-1", 2, 2), at_evse("OTHER-STATION", "CS-2", 2),
                                  at_default("STAFF", "STAFF"), at_default("D")},
                                 target({"FLEET"}));
  EXPECT_EQ(tariffs_of(ranked), (std::vector<std::string>{"D"}));
}

TEST(TariffPrecedence, the_session_groups_keep_their_order) {
  auto ranked = rank_assignments({at_default("TOKEN-GROUP", "TG"), at_default("PLAN-GROUP", "PLAN"), at_default("D")},
                                 target({"PLAN", "TG"}));
  EXPECT_EQ(tariffs_of(ranked), (std::vector<std::string>{"PLAN-GROUP", "TOKEN-GROUP", "D"}));
}

TEST(TariffPrecedence, a_station_without_location_matches_no_location_assignment) {
  auto t = target();
  t.location.reset();
  auto ranked = rank_assignments({at_location("LOC", "L1"), at_default("D")}, t);
  EXPECT_EQ(tariffs_of(ranked), (std::vector<std::string>{"D"}));
}

class TariffAssignmentStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-tassign-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    store->run([&](Repository &r) {
      Location l;
      l.id = LocationId::unchecked("L1");
      l.name = "Depot";
      l.created_at = l.updated_at = now;
      r.insert_location(l);
      Station s;
      s.id = StationId::unchecked("CS-1");
      s.registration = RegistrationStatus::Accepted;
      s.created_at = now;
      r.insert_station(s);
      r.set_station_location(s.id, l.id);
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
  Timestamp now = *core::parse_iso8601("2026-06-01T12:00:00Z");
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(TariffAssignmentStoreTest, one_assignment_per_target_and_group_assigning_again_replaces_the_tariff) {
  auto first = in_store([&](Repository &r) { return r.put_tariff_assignment(at_evse("A", "CS-1", 2)); });
  auto again = in_store([&](Repository &r) { return r.put_tariff_assignment(at_evse("B", "CS-1", 2)); });
  auto fleet = in_store([&](Repository &r) { return r.put_tariff_assignment(at_evse("C", "CS-1", 2, "FLEET")); });
  EXPECT_TRUE(first.inserted);
  EXPECT_FALSE(again.inserted);
  EXPECT_EQ(again.id, first.id);
  EXPECT_TRUE(fleet.inserted);
  auto stored = in_store([&](Repository &r) { return r.tariff_assignment(first.id); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->tariff_id, "B");
  EXPECT_EQ(stored->scope, AssignmentScope::Evse);
  EXPECT_EQ(stored->evse_id, 2);
  EXPECT_FALSE(stored->connector_id);
  EXPECT_FALSE(stored->customer_group);
  EXPECT_EQ(in_store([](Repository &r) { return r.count_tariff_assignments({}); }), 2);
}

TEST_F(TariffAssignmentStoreTest, the_candidates_of_a_session_are_its_default_location_evse_and_connector) {
  in_store([&](Repository &r) {
    for (const auto &a :
         {at_default("D"), at_location("LOC", "L1"), at_evse("EVSE", "CS-1", 2), at_connector("CONN", "CS-1", 2, 1),
          at_connector("CONN2", "CS-1", 2, 2), at_evse("EVSE3", "CS-1", 3), at_location("LOC-FLEET", "L1", "FLEET")})
      r.put_tariff_assignment(a);
    return 0;
  });
  auto found = in_store([](Repository &r) {
    return r.tariff_assignments_for(LocationId::unchecked("L1"), StationId::unchecked("CS-1"), 2, 1);
  });
  std::set<std::string> tariffs;
  for (const auto &a : found)
    tariffs.insert(a.tariff_id);
  EXPECT_EQ(tariffs, (std::set<std::string>{"D", "LOC", "EVSE", "CONN", "LOC-FLEET"}));
  auto ranked = rank_assignments(found, target({"FLEET"}));
  EXPECT_EQ(tariffs_of(ranked), (std::vector<std::string>{"CONN", "EVSE", "LOC-FLEET", "LOC", "D"}));
}

TEST_F(TariffAssignmentStoreTest, lists_filter_by_tariff_and_station_and_deleting_the_location_removes_its_own) {
  in_store([&](Repository &r) {
    r.put_tariff_assignment(at_default("D"));
    r.put_tariff_assignment(at_location("LOC", "L1"));
    r.put_tariff_assignment(at_evse("EVSE", "CS-1", 2));
    return 0;
  });
  TariffAssignmentFilter by_tariff;
  by_tariff.tariff_id = "LOC";
  EXPECT_EQ(in_store([&](Repository &r) { return r.tariff_assignments(by_tariff); }).size(), 1u);
  TariffAssignmentFilter by_station;
  by_station.station = StationId::unchecked("CS-1");
  auto of_station = in_store([&](Repository &r) { return r.tariff_assignments(by_station); });
  ASSERT_EQ(of_station.size(), 1u);
  EXPECT_EQ(of_station[0].tariff_id, "EVSE");
  EXPECT_TRUE(in_store([&](Repository &r) { return r.delete_tariff_assignment(of_station[0].id); }));
  EXPECT_FALSE(in_store([&](Repository &r) { return r.delete_tariff_assignment(of_station[0].id); }));
  in_store([](Repository &r) {
    r.set_station_location(StationId::unchecked("CS-1"), std::nullopt);
    return r.delete_location(LocationId::unchecked("L1"));
  });
  auto left = in_store([](Repository &r) { return r.tariff_assignments({}); });
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].tariff_id, "D");
}

TEST_F(TariffAssignmentStoreTest, a_snapshot_is_kept_per_transaction_and_replaced_only_when_put_again) {
  auto tx = in_store([&](Repository &r) {
    Transaction t;
    t.station = StationId::unchecked("CS-1");
    t.connector_id = t.evse_id = 1;
    t.id_tag = "TAG";
    t.started_at = t.start_received_at = now;
    return r.insert_transaction(t);
  });
  EXPECT_FALSE(in_store([&](Repository &r) { return r.tariff_snapshot(tx); }));
  in_store([&](Repository &r) {
    r.put_tariff_snapshot(TariffSnapshot{tx, "T1", 7, std::nullopt, R"({"id":"T1"})", now});
    return 0;
  });
  auto snap = in_store([&](Repository &r) { return r.tariff_snapshot(tx); });
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->tariff_id, "T1");
  EXPECT_EQ(snap->assignment_id, 7);
  EXPECT_EQ(snap->tariff_json, R"({"id":"T1"})");
  EXPECT_EQ(snap->resolved_at, now);
  in_store([&](Repository &r) {
    r.put_tariff_snapshot(TariffSnapshot{tx, "T2", std::nullopt, "FLEET", R"({"id":"T2"})", now});
    return 0;
  });
  snap = in_store([&](Repository &r) { return r.tariff_snapshot(tx); });
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->tariff_id, "T2");
  EXPECT_EQ(snap->customer_group, "FLEET");
  EXPECT_FALSE(snap->assignment_id);
}

TEST_F(TariffAssignmentStoreTest, the_statuses_of_a_connector_within_a_session) {
  auto report = [&](int evse, int connector, ConnectorStatus st, const char *at) {
    StatusReport s;
    s.station = StationId::unchecked("CS-1");
    s.evse_id = evse;
    s.connector_id = connector;
    s.status = st;
    s.station_time = *core::parse_iso8601(at);
    s.received_at = now;
    return s;
  };
  in_store([&](Repository &r) {
    r.record_status(report(1, 1, ConnectorStatus::Preparing, "2026-06-01T09:59:00Z"));
    r.record_status(report(1, 1, ConnectorStatus::Charging, "2026-06-01T10:00:00Z"));
    r.record_status(report(2, 2, ConnectorStatus::SuspendedEV, "2026-06-01T10:30:00Z"));
    r.record_status(report(1, 1, ConnectorStatus::SuspendedEV, "2026-06-01T11:00:00Z"));
    r.record_status(report(1, 1, ConnectorStatus::Available, "2026-06-01T12:01:00Z"));
    return 0;
  });
  auto got = in_store([&](Repository &r) {
    return r.connector_statuses_between(StationId::unchecked("CS-1"), 1, 1,
                                        *core::parse_iso8601("2026-06-01T10:00:00Z"),
                                        *core::parse_iso8601("2026-06-01T12:00:00Z"));
  });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].status, ConnectorStatus::Charging);
  EXPECT_EQ(got[1].status, ConnectorStatus::SuspendedEV);
}

namespace {

Tariff flat_tariff(std::string id, const char *price) {
  Tariff t;
  t.country_code = "NL";
  t.party_id = "GRL";
  t.id = std::move(id);
  TariffElement e;
  e.price_components.push_back(PriceComponent{TariffDimension::Energy, *core::Decimal::parse(price), std::nullopt, 1});
  t.elements.push_back(e);
  t.last_updated = *core::parse_iso8601("2026-01-01T00:00:00Z");
  return t;
}

} // namespace

TEST_F(TariffAssignmentStoreTest, a_session_start_keeps_the_resolved_tariff_whatever_happens_to_it_later) {
  const TariffAssignmentService service;
  auto tx = in_store([&](Repository &r) {
    r.put_tariff(flat_tariff("STD", "0.30"), now);
    r.put_tariff(flat_tariff("FLEET", "0.20"), now);
    auto expired = flat_tariff("OLD", "0.10");
    expired.end_date_time = *core::parse_iso8601("2026-05-01T00:00:00Z");
    r.put_tariff(expired, now);
    IdToken token{"CARD", TokenStatus::Accepted, std::nullopt, "FLEET"};
    r.upsert_id_token(token);
    EXPECT_TRUE(service.assign(r, at_default("STD"), now));
    EXPECT_TRUE(service.assign(r, at_location("FLEET", "L1", "FLEET"), now));
    EXPECT_TRUE(service.assign(r, at_connector("GONE", "CS-1", 1, 1), now).has_error()); // no such tariff
    r.put_tariff(flat_tariff("GONE", "0.90"), now);
    EXPECT_TRUE(service.assign(r, at_connector("GONE", "CS-1", 1, 1), now));
    r.delete_tariff("GONE");                                        // deleted later: resolution skips it
    EXPECT_TRUE(service.assign(r, at_evse("OLD", "CS-1", 1), now)); // not valid at the start: skipped
    Transaction t;
    t.station = StationId::unchecked("CS-1");
    t.protocol = ProtocolVersion::Ocpp16;
    t.connector_id = t.evse_id = 1;
    t.id_tag = "CARD";
    t.started_at = t.start_received_at = now;
    t.id = r.insert_transaction(t);
    snapshot_tariff(r, t, now);
    return t.id;
  });
  auto snap = in_store([&](Repository &r) { return r.tariff_snapshot(tx); });
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->tariff_id, "FLEET");
  EXPECT_EQ(snap->customer_group, "FLEET");
  in_store([&](Repository &r) { return r.put_tariff(flat_tariff("FLEET", "0.99"), now); });
  auto after = in_store([&](Repository &r) { return r.tariff_snapshot(tx); });
  ASSERT_TRUE(after);
  EXPECT_EQ(after->tariff_json, snap->tariff_json);
  EXPECT_NE(after->tariff_json.find("0.2"), std::string::npos) << after->tariff_json;
}

TEST_F(TariffAssignmentStoreTest, assign_refuses_what_does_not_exist_naming_the_field) {
  const TariffAssignmentService service;
  auto field_of = [&](TariffAssignment a) {
    return in_store([&](Repository &r) {
      r.put_tariff(flat_tariff("STD", "0.30"), now);
      auto res = service.assign(r, a, now);
      return res ? std::string("ok") : res.error().field.value_or("");
    });
  };
  EXPECT_EQ(field_of(at_default("NOPE")), "tariff_id");
  EXPECT_EQ(field_of(at_location("STD", "NOWHERE")), "location_id");
  EXPECT_EQ(field_of(at_evse("STD", "CS-9", 1)), "station_id");
  EXPECT_EQ(field_of(at_evse("STD", "CS-1", 0)), "evse_id");
  EXPECT_EQ(field_of(at_default("STD", "")), "customer_group");
  auto mixed = at_location("STD", "L1");
  mixed.station = StationId::unchecked("CS-1");
  EXPECT_EQ(field_of(mixed), "station_id");
  EXPECT_EQ(field_of(at_connector("STD", "CS-1", 1, 2)), "ok");
}

TEST_F(TariffAssignmentStoreTest, the_billing_plan_group_comes_before_the_token_group) {
  auto groups = in_store([&](Repository &r) {
    r.upsert_id_token(IdToken{"CARD", TokenStatus::Accepted, std::nullopt, "TOKEN-GROUP"});
    BillingPlan plan;
    plan.id = "PRO";
    plan.name = "Pro";
    plan.customer_group = "PLAN-GROUP";
    plan.created_at = plan.updated_at = now;
    r.put_billing_plan(plan);
    Account a;
    a.id = "ACME";
    a.name = "Acme";
    a.created_at = a.updated_at = now;
    r.insert_account(a);
    r.put_account_token("ACME", AccountToken{"CARD", std::nullopt});
    Subscription s;
    s.account_id = "ACME";
    s.plan_id = "PRO";
    s.started_at = s.trial_ends_at = now;
    r.insert_subscription(s);
    return customer_groups_of(r, "CARD");
  });
  EXPECT_EQ(groups, (std::vector<std::string>{"PLAN-GROUP", "TOKEN-GROUP"}));
  EXPECT_TRUE(in_store([](Repository &r) { return customer_groups_of(r, "UNKNOWN"); }).empty());
}
