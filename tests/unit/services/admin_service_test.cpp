// The rules of administration (services::AdminService), each refused with its message and
// field, and the units of work against a real SQLite store.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/core/password.hpp"
#include "gridlane/services/admin_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;

namespace {

struct FixedClock : core::Clock {
  Timestamp t = *core::parse_iso8601("2026-06-01T12:00:00Z");
  Timestamp now() const override { return t; }
};

//! The error of a failed result (fails the test when it succeeded).
template <class T> ServiceError error_of(const Result<T> &r) {
  EXPECT_FALSE(r.has_value());
  return r ? ServiceError{} : r.error();
}

class AdminServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-admin-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class T, class Fn> Result<T> unit(Fn fn) {
    std::optional<Result<T>> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }

  std::filesystem::path dir;
  FixedClock clock;
  AdminService admin{clock};
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(AdminServiceTest, station_id_must_be_an_identity_of_1_to_48_characters) {
  for (const std::string &bad : {std::string(), std::string("a:b"), std::string("a/b"), std::string(49, 'x'),
                                 std::string("caf\xc3\xa9"), std::string("tab\there")}) {
    auto e = error_of(admin.check_station({bad, std::nullopt, std::nullopt, false}));
    EXPECT_EQ(e.code, ServiceError::Code::Invalid) << bad;
    EXPECT_EQ(e.field, "id") << bad;
    EXPECT_EQ(e.message, "id must be 1 to 48 characters: letters, digits, space and * - _ = + | @ .");
  }
  for (const std::string &good :
       {std::string("CS-1"), std::string("RDAM 123"), std::string(48, 'x'), std::string("a*b-c_d=e+f|g@h.i")})
    EXPECT_TRUE(admin.check_station({good, std::nullopt, std::nullopt, false})) << good;
}

TEST_F(AdminServiceTest, station_password_is_16_to_40_characters_or_none) {
  for (std::size_t n : {1u, 15u, 41u, 100u}) {
    auto e = error_of(admin.check_station({"CS-1", std::string(n, 'p'), std::nullopt, false}));
    EXPECT_EQ(e.message, "password must be 16 to 40 characters") << n;
    EXPECT_EQ(e.field, "password");
  }
  for (std::size_t n : {16u, 40u}) {
    auto d = admin.check_station({"CS-1", std::string(n, 'p'), std::nullopt, false});
    ASSERT_TRUE(d) << n;
    EXPECT_EQ(d->password, std::string(n, 'p'));
  }
  // Absent or empty: no password is asked of the station.
  EXPECT_FALSE(admin.check_station({"CS-1", std::nullopt, std::nullopt, false})->password);
  EXPECT_FALSE(admin.check_station({"CS-1", std::string(), std::nullopt, false})->password);
}

TEST_F(AdminServiceTest, site_is_at_most_64_characters) {
  auto e = error_of(admin.check_station({"CS-1", std::nullopt, std::string(65, 's'), false}));
  EXPECT_EQ(e.message, "site must be 1 to 64 characters");
  EXPECT_EQ(e.field, "site");
  EXPECT_EQ(admin.check_station({"CS-1", std::nullopt, std::string(64, 's'), false})->station.site,
            std::string(64, 's'));
  EXPECT_FALSE(admin.check_station({"CS-1", std::nullopt, std::string(), false})->station.site);
  EXPECT_FALSE(admin.check_site(""));
}

TEST_F(AdminServiceTest, a_created_station_is_stored_sealed_and_a_second_one_conflicts) {
  auto d = admin.check_station({"CS-1", std::string("correct-horse-battery"), std::string("Depot"), true});
  ASSERT_TRUE(d);
  EXPECT_EQ(error_of(unit<Station>([&](Repository &r) { return admin.create_station(r, *d); })).code,
            ServiceError::Code::Internal)
      << "an unsealed password is never stored";
  AdminService::seal(*d);
  auto created = unit<Station>([&](Repository &r) { return admin.create_station(r, *d); });
  ASSERT_TRUE(created);
  EXPECT_EQ(created->registration, RegistrationStatus::Pending);
  EXPECT_EQ(created->site, "Depot");
  EXPECT_EQ(created->created_at, clock.t);
  ASSERT_TRUE(created->password_hash);
  EXPECT_TRUE(core::verify_password(*created->password_hash, "correct-horse-battery"));
  auto again = error_of(unit<Station>([&](Repository &r) { return admin.create_station(r, *d); }));
  EXPECT_EQ(again.code, ServiceError::Code::Conflict);
  EXPECT_EQ(again.message, "station CS-1 already exists");
}

TEST_F(AdminServiceTest, accepting_needs_a_known_station) {
  auto missing =
      error_of(unit<Station>([&](Repository &r) { return admin.accept_station(r, StationId::unchecked("NOPE")); }));
  EXPECT_EQ(missing.code, ServiceError::Code::NotFound);
  auto d = admin.check_station({"CS-2", std::nullopt, std::nullopt, true});
  AdminService::seal(*d);
  ASSERT_TRUE(unit<Station>([&](Repository &r) { return admin.create_station(r, *d); }));
  auto accepted = unit<Station>([&](Repository &r) { return admin.accept_station(r, StationId::unchecked("CS-2")); });
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->registration, RegistrationStatus::Accepted);
}

TEST_F(AdminServiceTest, id_token_rules) {
  EXPECT_EQ(error_of(admin.check_token({"", {}, {}, {}})).field, "id_tag");
  EXPECT_EQ(error_of(admin.check_token({std::string(37, 't'), {}, {}, {}})).message,
            "id tag must be 1 to 36 characters");
  EXPECT_TRUE(admin.check_token({std::string(36, 't'), {}, {}, {}}));
  for (std::string bad : {"Happy", "ConcurrentTx", "Unknown", "accepted"}) {
    auto e = error_of(admin.check_token({"T", bad, {}, {}}));
    EXPECT_EQ(e.message, "status must be Accepted, Blocked, Expired or Invalid") << bad;
    EXPECT_EQ(e.field, "status");
  }
  EXPECT_EQ(admin.check_token({"T", std::string("Blocked"), {}, {}})->status, TokenStatus::Blocked);
  EXPECT_EQ(admin.check_token({"T", {}, {}, {}})->status, TokenStatus::Accepted);
  EXPECT_EQ(error_of(admin.check_token({"T", {}, std::string("tomorrow"), {}})).field, "expires_at");
  EXPECT_EQ(error_of(admin.check_token({"T", {}, std::string("2027-01-01T00:00:00"), {}})).field, "expires_at")
      << "a date-time without zone is refused";
  EXPECT_EQ(admin.check_token({"T", {}, std::string("2027-01-01T00:00:00Z"), {}})->expires_at,
            core::parse_iso8601("2027-01-01T00:00:00Z"));
  EXPECT_EQ(error_of(admin.check_token({"T", {}, {}, std::string()})).message,
            "parent_id_tag must be 1 to 36 characters");
  EXPECT_EQ(error_of(admin.check_token({"T", {}, {}, std::string(37, 'p')})).field, "parent_id_tag");
  EXPECT_EQ(admin.check_token({"T", {}, {}, std::string("FLEET")})->parent_id, "FLEET");
}

TEST_F(AdminServiceTest, user_rules_and_duplicates) {
  EXPECT_EQ(error_of(admin.check_user({"", "long enough pw", "admin"})).message, "username must be 1 to 64 characters");
  EXPECT_EQ(error_of(admin.check_user({std::string(65, 'u'), "long enough pw", "admin"})).field, "username");
  EXPECT_EQ(error_of(admin.check_user({"alice", "elevenchars", "admin"})).message,
            "password must be at least 12 characters");
  EXPECT_EQ(error_of(admin.check_user({"alice", "twelve chars", "god"})).message,
            "role must be admin, operator or viewer");
  auto d = admin.check_user({"alice", "twelve chars", "operator"});
  ASSERT_TRUE(d);
  AdminService::seal(*d);
  auto u = unit<User>([&](Repository &r) { return admin.create_user(r, *d); });
  ASSERT_TRUE(u);
  EXPECT_GT(u->id, 0);
  EXPECT_EQ(u->role, Role::Operator);
  EXPECT_TRUE(core::verify_password(u->password_hash, "twelve chars"));
  auto again = error_of(unit<User>([&](Repository &r) { return admin.create_user(r, *d); }));
  EXPECT_EQ(again.code, ServiceError::Code::Conflict);
  EXPECT_EQ(again.message, "user alice already exists");
}

TEST_F(AdminServiceTest, api_key_rules_and_the_secret_kept_only_as_a_hash) {
  EXPECT_EQ(error_of(admin.check_api_key({"", "viewer", "cli"})).message, "name must be 1 to 64 characters");
  EXPECT_EQ(error_of(admin.check_api_key({std::string(65, 'k'), "viewer", "cli"})).field, "name");
  EXPECT_EQ(error_of(admin.check_api_key({"billing", "root", "cli"})).field, "role");
  auto k = admin.check_api_key({"billing", "viewer", "user:alice"});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->secret.rfind("glk_", 0), 0u);
  auto created = unit<CreatedApiKey>([&](Repository &r) { return admin.create_api_key(r, *k); });
  ASSERT_TRUE(created);
  std::optional<ApiKey> found;
  store->run([&](Repository &r) { found = r.api_key_by_hash(core::token_hash(created->secret)); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->created_by, "user:alice");
  EXPECT_NE(found->key_hash, created->secret);
}

TEST_F(AdminServiceTest, changing_a_user_keeps_someone_who_can_manage_users) {
  auto add = [&](const std::string &name, const std::string &role) {
    auto d = admin.check_user({name, "twelve chars", role});
    EXPECT_TRUE(d);
    d->password.reset(); // the hash is not what this test is about
    auto u = unit<User>([&](Repository &r) { return admin.create_user(r, *d); });
    EXPECT_TRUE(u);
    return u->id;
  };
  const auto alice = add("alice", "admin");
  const auto bob = add("bob", "viewer");
  auto change = [&](std::int64_t id, UserChange c, std::string by) {
    return unit<User>([&](Repository &r) { return admin.update_user(r, id, c, by); });
  };

  // A role and the disabled flag, each kept when left out; disabling ends the user's sessions.
  store->run([&](Repository &r) { r.insert_session("bob-token", bob, clock.t, clock.t + std::chrono::hours(1)); });
  auto u = change(bob, {"operator", std::nullopt}, "user:alice");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->role, Role::Operator);
  EXPECT_FALSE(u->disabled);
  u = change(bob, {std::nullopt, true}, "user:alice");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->role, Role::Operator);
  EXPECT_TRUE(u->disabled);
  std::optional<User> session;
  store->run([&](Repository &r) { session = r.session_user("bob-token", clock.t); });
  EXPECT_FALSE(session);
  ASSERT_TRUE(change(bob, {std::nullopt, false}, "user:alice"));
  store->run([&](Repository &r) { session = r.session_user("bob-token", clock.t); });
  EXPECT_FALSE(session) << "enabling does not revive an ended session";

  EXPECT_EQ(error_of(change(bob, {"root", std::nullopt}, "user:alice")).field, "role");
  EXPECT_EQ(error_of(change(999, {std::nullopt, true}, "user:alice")).code, ServiceError::Code::NotFound);

  // Nobody disables or demotes themselves; the last enabled admin stays one, whoever asks.
  auto self = error_of(change(alice, {std::nullopt, true}, "user:alice"));
  EXPECT_EQ(self.code, ServiceError::Code::Conflict);
  EXPECT_EQ(self.message, "you cannot disable yourself or take away your own admin role");
  EXPECT_EQ(error_of(change(alice, {"viewer", std::nullopt}, "user:alice")).code, ServiceError::Code::Conflict);
  auto last = error_of(change(alice, {"operator", std::nullopt}, "key:ops"));
  EXPECT_EQ(last.message, "user alice is the last enabled admin");
  ASSERT_TRUE(change(bob, {"admin", std::nullopt}, "user:alice"));
  u = change(alice, {"operator", std::nullopt}, "user:bob");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->role, Role::Operator);
  std::int64_t admins = 0;
  store->run([&](Repository &r) { admins = r.count_active_admins(); });
  EXPECT_EQ(admins, 1);
}

} // namespace
