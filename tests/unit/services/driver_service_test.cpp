// The driver portal's rules over a real SQLite file and a fake clock: driver logins of accounts
// and their tokens, the public charger search (published only, filters in the query, a status
// a driver reads), the start of a portal session, what its driver sees of it, problem reports.
#include <filesystem>
#include <gtest/gtest.h>
#include <set>
#include <unistd.h>

#include "gridlane/core/password.hpp"
#include "gridlane/services/account_service.hpp"
#include "gridlane/services/driver_service.hpp"
#include "gridlane/store/sqlite_store.hpp"
#include "support/fakes.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

class DriverServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-drv-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    seed();
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

  //! Two published locations (BER with CS-1: EVSE 1 Type 2 22 kW, EVSE 2 CCS 150 kW; POT with
  //! CS-2: EVSE 1 Type 2 11 kW), one not published (HID with CS-3), an account "anna" with token
  //! ANNA-1, and a token STRANGER of no account.
  void seed() {
    in_store([&](Repository &r) {
      auto location = [&](const char *id, const char *name, bool publish) {
        Location l;
        l.id = LocationId::unchecked(id);
        l.name = name;
        l.address = "Street 1";
        l.city = id == std::string("POT") ? "Potsdam" : "Berlin";
        l.country = "DEU";
        l.coordinates = GeoLocation{"52.5200000", "13.4050000"};
        l.time_zone = "Europe/Berlin";
        l.publish = publish;
        l.created_at = l.updated_at = clock.t;
        r.insert_location(l);
      };
      location("BER", "Berlin Mitte", true);
      location("POT", "Potsdam Depot", true);
      location("HID", "Hidden Yard", false);
      auto evse = [&](const char *station, int evse_id, ConnectorStandard standard, std::int64_t watts) {
        Evse e;
        e.station = StationId::unchecked(station);
        e.evse_id = evse_id;
        e.created_at = e.updated_at = clock.t;
        Connector c;
        c.standard = standard;
        c.max_electric_power = core::Power{watts};
        c.created_at = c.updated_at = clock.t;
        e.connectors.push_back(c);
        return r.insert_evse(e);
      };
      for (auto [id, loc] : {std::pair{"CS-1", "BER"}, {"CS-2", "POT"}, {"CS-3", "HID"}}) {
        Station s;
        s.id = StationId::unchecked(id);
        s.registration = RegistrationStatus::Accepted;
        s.created_at = clock.t;
        r.insert_station(s);
        r.set_station_location(s.id, LocationId::unchecked(loc));
      }
      ber1 = evse("CS-1", 1, ConnectorStandard::Iec62196T2, 22000);
      ber2 = evse("CS-1", 2, ConnectorStandard::Iec62196T2Combo, 150000);
      pot1 = evse("CS-2", 1, ConnectorStandard::Iec62196T2, 11000);
      hid1 = evse("CS-3", 1, ConnectorStandard::Iec62196T2, 22000);
      r.upsert_id_token(IdToken{"ANNA-1", TokenStatus::Accepted, std::nullopt, std::nullopt});
      r.upsert_id_token(IdToken{"STRANGER", TokenStatus::Accepted, std::nullopt, std::nullopt});
      Account a;
      a.id = "anna";
      a.name = "Anna";
      EXPECT_TRUE(accounts.create_account(r, a, clock.t));
      EXPECT_TRUE(accounts.link_token(r, "anna", AccountToken{"ANNA-1", "Anna"}));
      return 0;
    });
  }

  void status(const char *station, int evse_id, ConnectorStatus s) {
    in_store([&](Repository &r) {
      StatusReport report;
      report.station = StationId::unchecked(station);
      report.evse_id = evse_id;
      report.connector_id = evse_id == 0 ? 0 : 1;
      report.status = s;
      report.received_at = clock.t;
      r.record_status(report);
      return 0;
    });
  }

  //! The search: per location id, its EVSEs' OCPP ids.
  std::vector<std::pair<std::string, std::vector<int>>> search(ChargerFilter f) {
    f.connected.clear();
    for (const auto &id : online)
      f.connected.push_back(StationId::unchecked(id));
    auto page = in_store([&](Repository &r) {
      return drivers.chargers(r, f, [&](const StationId &id) { return online.contains(id.str()); });
    });
    std::vector<std::pair<std::string, std::vector<int>>> out;
    for (const auto &l : page.items) {
      std::vector<int> evses;
      for (const auto &e : l.evses)
        evses.push_back(e.evse.evse_id);
      out.emplace_back(l.location.id.str(), evses);
    }
    return out;
  }

  test::FakeClock clock;
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  AccountService accounts;
  DriverService drivers{clock};
  std::set<std::string> online;
  EvseUid ber1{0}, ber2{0}, pot1{0}, hid1{0};
};

using V = std::vector<std::pair<std::string, std::vector<int>>>;

} // namespace

TEST_F(DriverServiceTest, a_driver_login_needs_a_valid_email_and_password_and_a_token_of_its_account) {
  EXPECT_EQ(DriverService::check_email("Anna@Example.COM").value(), "anna@example.com");
  for (auto bad : {"", "anna", "@example.com", "anna@", "a@b@c", "an na@example.com", "anna\n@example.com"})
    EXPECT_EQ(DriverService::check_email(bad).error().field, "email") << bad;
  EXPECT_EQ(drivers.check_driver({"anna", "a@example.com", "short", std::nullopt, "ANNA-1"}).error().field, "password");
  auto draft = drivers.check_driver({"anna", "Anna@Example.com", "anna's password", "Anna", "STRANGER"});
  ASSERT_TRUE(draft);
  DriverService::seal(*draft);
  EXPECT_FALSE(draft->password);
  EXPECT_TRUE(core::verify_password(draft->login.password_hash, "anna's password"));
  auto refused = in_store([&](Repository &r) { return drivers.add_driver(r, *draft); });
  EXPECT_EQ(refused.error().field, "id_token") << "a token of no account is refused";
  draft->login.id_token = "ANNA-1";
  EXPECT_TRUE(in_store([&](Repository &r) { return drivers.add_driver(r, *draft); }));
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.add_driver(r, *draft); }).error().code,
            ServiceError::Code::Conflict);
  auto other = *draft;
  other.login.account_id = "nobody";
  other.login.email = "b@example.com";
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.add_driver(r, other); }).error().code,
            ServiceError::Code::NotFound);
}

TEST_F(DriverServiceTest, tokens_expire_after_their_lifetime_and_end_when_the_driver_is_disabled) {
  auto draft = drivers.check_driver({"anna", "anna@example.com", "anna's password", std::nullopt, "ANNA-1"}).value();
  DriverService::seal(draft);
  auto login = in_store([&](Repository &r) { return drivers.add_driver(r, draft); }).value();
  auto hash = core::token_hash("gld_test");
  auto expires = in_store([&](Repository &r) { return drivers.issue_token(r, login, hash, std::chrono::hours(12)); });
  EXPECT_EQ(expires, clock.t + std::chrono::hours(12));
  EXPECT_TRUE(in_store([&](Repository &r) { return drivers.driver_of_token(r, hash); }));
  clock.t += std::chrono::hours(12);
  EXPECT_FALSE(in_store([&](Repository &r) { return drivers.driver_of_token(r, hash); })) << "expired";
  in_store([&](Repository &r) { return drivers.issue_token(r, login, hash + "2", std::chrono::hours(12)); });
  EXPECT_TRUE(in_store([&](Repository &r) { return drivers.set_disabled(r, "ANNA@example.com", true); }));
  EXPECT_FALSE(in_store([&](Repository &r) { return drivers.driver_of_token(r, hash + "2"); }));
  EXPECT_TRUE(in_store([&](Repository &r) { return drivers.set_disabled(r, "anna@example.com", false); }));
  EXPECT_FALSE(in_store([&](Repository &r) { return drivers.driver_of_token(r, hash + "2"); }))
      << "enabling again gives no old token back";
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.set_disabled(r, "x@example.com", true); }).error().code,
            ServiceError::Code::NotFound);
}

TEST_F(DriverServiceTest, the_search_shows_published_locations_with_the_evses_that_match) {
  EXPECT_EQ(search({}), (V{{"BER", {1, 2}}, {"POT", {1}}}));
  ChargerFilter f;
  f.query = "potsdam";
  EXPECT_EQ(search(f), (V{{"POT", {1}}}));
  f = {};
  f.connector = ConnectorStandard::Iec62196T2Combo;
  EXPECT_EQ(search(f), (V{{"BER", {2}}}));
  f = {};
  f.min_power_w = 20000;
  EXPECT_EQ(search(f), (V{{"BER", {1, 2}}}));
  f = {};
  f.limit = 1;
  f.offset = 1;
  EXPECT_EQ(search(f), (V{{"POT", {1}}}));
  auto total = in_store([&](Repository &r) { return drivers.chargers(r, f, [](const StationId &) { return false; }); });
  EXPECT_EQ(total.total, 2);
}

TEST_F(DriverServiceTest, available_means_connected_and_every_status_of_the_evse_available) {
  ChargerFilter f;
  f.available = true;
  status("CS-1", 1, ConnectorStatus::Available);
  status("CS-2", 1, ConnectorStatus::Available);
  EXPECT_EQ(search(f), V{}) << "nothing connected";
  online = {"CS-1"};
  EXPECT_EQ(search(f), (V{{"BER", {1}}})) << "EVSE 2 has no status yet";
  status("CS-1", 2, ConnectorStatus::Charging);
  EXPECT_EQ(search(f), (V{{"BER", {1}}}));
  status("CS-1", 0, ConnectorStatus::Faulted);
  EXPECT_EQ(search(f), V{}) << "a station-wide fault counts for every EVSE";
  auto all = in_store([&](Repository &r) {
    return drivers.chargers(r, {}, [&](const StationId &id) { return online.contains(id.str()); });
  });
  std::vector<DriveEvseStatus> seen;
  for (const auto &l : all.items)
    for (const auto &e : l.evses)
      seen.push_back(e.status);
  EXPECT_EQ(seen, (std::vector{DriveEvseStatus::Faulted, DriveEvseStatus::Charging, DriveEvseStatus::Offline}));
}

TEST_F(DriverServiceTest, the_landing_and_a_start_need_a_published_evse_that_can_start_now) {
  auto connected = [&](const StationId &id) { return online.contains(id.str()); };
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.charger(r, hid1, connected); }).error().code,
            ServiceError::Code::NotFound);
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.charger(r, EvseUid{999}, connected); }).error().code,
            ServiceError::Code::NotFound);
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.start_target(r, ber1, connected); }).error().code,
            ServiceError::Code::Conflict)
      << "offline";
  online = {"CS-1"};
  status("CS-1", 1, ConnectorStatus::Faulted);
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.start_target(r, ber1, connected); }).error().code,
            ServiceError::Code::Conflict);
  status("CS-1", 1, ConnectorStatus::Preparing);
  auto target = in_store([&](Repository &r) { return drivers.start_target(r, ber1, connected); });
  ASSERT_TRUE(target);
  EXPECT_EQ(target->location.name, "Berlin Mitte");
  auto v16 = std::get<commands::RemoteStart>(DriverService::remote_start(target->evse, ProtocolVersion::Ocpp16, "T"));
  EXPECT_EQ(v16.connector_id, 1);
  EXPECT_FALSE(v16.evse_id);
  auto v2 = std::get<commands::RemoteStart>(DriverService::remote_start(target->evse, ProtocolVersion::Ocpp201, "T"));
  EXPECT_EQ(v2.evse_id, 1);
  EXPECT_FALSE(v2.connector_id);
}

TEST_F(DriverServiceTest, a_session_starts_then_charges_or_fails_when_the_station_refuses_or_nothing_starts) {
  DriveSession s;
  s.id_hash = core::token_hash("ds_secret");
  s.ref = "dsr_1";
  s.evse_uid = ber1;
  s.station = StationId::unchecked("CS-1");
  s.evse_id = 1;
  s.account_id = "anna";
  s.id_token = "ANNA-1";
  s.created_at = clock.t;
  auto command = in_store([&](Repository &r) {
    CommandRecord c;
    c.station = s.station;
    c.command = commands::RemoteStart{"ANNA-1", 1, std::nullopt, std::nullopt, std::nullopt};
    c.status = CommandStatus::Sent;
    c.created_by = "driver:anna@example.com";
    c.created_at = clock.t;
    return r.insert_command(c);
  });
  s.command_id = command;
  in_store([&](Repository &r) {
    r.insert_drive_session(s);
    return 0;
  });
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.find_session(r, "ds_secret", std::nullopt); })->ref, "dsr_1");
  EXPECT_FALSE(in_store([&](Repository &r) { return drivers.find_session(r, "ds_other", std::nullopt); }));
  EXPECT_FALSE(in_store([&](Repository &r) { return drivers.find_session(r, "dsr_1", std::nullopt); }))
      << "a ref needs its driver";
  DriverLogin other;
  other.account_id = "bob";
  EXPECT_FALSE(in_store([&](Repository &r) { return drivers.find_session(r, "dsr_1", other); }));

  auto view = [&] {
    return in_store([&](Repository &r) { return drivers.view(r, *r.drive_session_by_ref("dsr_1"), nullptr); });
  };
  EXPECT_EQ(view().status, DriveSessionStatus::Starting);

  // The station starts it: the remote start carries the transaction, the session follows.
  auto tx = in_store([&](Repository &r) {
    Transaction t;
    t.station = s.station;
    t.evse_id = t.connector_id = 1;
    t.id_tag = "ANNA-1";
    t.station_tx_id = "1";
    t.started_at = t.start_received_at = clock.t;
    t.id = r.insert_transaction(t);
    auto c = *r.command(command);
    c.status = CommandStatus::Accepted;
    c.transaction_id = t.id;
    r.update_command(c);
    return t.id;
  });
  clock.t += std::chrono::minutes(10);
  auto charging = view();
  EXPECT_EQ(charging.status, DriveSessionStatus::Charging);
  EXPECT_EQ(charging.session.transaction_id, tx) << "linked once known";
  EXPECT_EQ(charging.duration_s, 600);
  status("CS-1", 1, ConnectorStatus::SuspendedEV);
  EXPECT_EQ(view().status, DriveSessionStatus::Suspended);

  // Another one the station rejects fails with a reason; one that never starts fails in time.
  auto rejected = s;
  rejected.id_hash = core::token_hash("ds_2");
  rejected.ref = "dsr_2";
  rejected.command_id = in_store([&](Repository &r) {
    auto c = *r.command(command);
    c.status = CommandStatus::Rejected;
    c.transaction_id.reset();
    return r.insert_command(c);
  });
  rejected.created_at = clock.t;
  auto never = rejected;
  never.id_hash = core::token_hash("ds_3");
  never.ref = "dsr_3";
  never.command_id.reset();
  in_store([&](Repository &r) {
    r.insert_drive_session(rejected);
    r.insert_drive_session(never);
    return 0;
  });
  auto failed = in_store([&](Repository &r) { return drivers.view(r, *r.drive_session_by_ref("dsr_2"), nullptr); });
  EXPECT_EQ(failed.status, DriveSessionStatus::Failed);
  EXPECT_EQ(failed.session.failure, "the charger refused to start the session");
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.view(r, *r.drive_session_by_ref("dsr_3"), nullptr); }).status,
            DriveSessionStatus::Starting);
  clock.t += DriverService::start_timeout + std::chrono::seconds(1);
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.view(r, *r.drive_session_by_ref("dsr_3"), nullptr); }).status,
            DriveSessionStatus::Failed);
  EXPECT_EQ(in_store([&](Repository &r) { return r.count_drive_sessions_of_account("anna"); }), 3);
}

TEST_F(DriverServiceTest, problem_reports_are_checked_kept_for_published_evses_and_resolved) {
  NewReport in{std::to_string(ber1.value()), "damaged", "the cable is cut", std::string("anna@example.com"),
               "10.0.0.1"};
  EXPECT_EQ(drivers.check_report({in.evse_uid, "broken", "x", std::nullopt, ""}).error().field, "category");
  EXPECT_EQ(drivers.check_report({in.evse_uid, "other", "", std::nullopt, ""}).error().field, "text");
  EXPECT_EQ(drivers.check_report({in.evse_uid, "other", std::string(1001, 'x'), std::nullopt, ""}).error().field,
            "text");
  EXPECT_EQ(drivers.check_report({"abc", "other", "x", std::nullopt, ""}).error().field, "evse_uid");
  auto report = drivers.check_report(in);
  ASSERT_TRUE(report);
  auto stored = in_store([&](Repository &r) { return drivers.add_report(r, *report); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->station.str(), "CS-1");
  EXPECT_EQ(stored->evse_id, 1);
  auto hidden = *report;
  hidden.evse_uid = hid1;
  EXPECT_EQ(in_store([&](Repository &r) { return drivers.add_report(r, hidden); }).error().code,
            ServiceError::Code::NotFound);
  clock.t += std::chrono::hours(1);
  auto resolved =
      in_store([&](Repository &r) { return drivers.set_report_status(r, stored->id, ReportStatus::Resolved); });
  EXPECT_EQ(resolved->resolved_at, clock.t);
  ReportFilter open;
  open.status = ReportStatus::Open;
  EXPECT_EQ(in_store([&](Repository &r) { return r.count_problem_reports(open); }), 0);
  open.status = ReportStatus::Resolved;
  open.station = StationId::unchecked("CS-1");
  EXPECT_EQ(in_store([&](Repository &r) { return r.problem_reports(open); }).size(), 1u);
}
