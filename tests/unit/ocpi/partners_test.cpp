// Roaming partners over a real SQLite file (store/sqlite/partners.cpp, migration 0021) and
// ocpi::PartnerService's handshake both ways against a scripted partner (a Client that answers
// from a table: unit tests only; the integration tests use real HTTP): token A refused once
// registered, the new tokens accepted, 3001/3002/3003 when the partner's endpoints cannot be
// used, rotation that keeps the old token when the partner refuses, unregistration.
#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <unistd.h>

#include "gridlane/core/password.hpp"
#include "gridlane/ocpi/partners.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

Timestamp at(const char *iso) {
  return *core::parse_iso8601(iso);
}

class FixedClock : public core::Clock {
public:
  Timestamp now() const override { return at("2026-03-01T10:00:00Z"); }
};

//! Answers each "METHOD url" from a table of functions; records the calls.
class ScriptedPartner : public ocpi::Client {
public:
  using Answer = std::function<Result<ocpi::InboundAnswer>(const ocpi::OutboundCall &)>;
  std::map<std::string, Answer> routes;
  std::vector<ocpi::OutboundCall> calls;

  Result<ocpi::InboundAnswer> call(const ocpi::OutboundCall &c) override {
    calls.push_back(c);
    std::string method = c.get ? "GET"
                               : (c.method == PushMethod::Post  ? "POST"
                                  : c.method == PushMethod::Put ? "PUT"
                                                                : "DELETE");
    auto it = routes.find(method + " " + c.url);
    if (it == routes.end()) return ServiceError::unavailable("connection refused");
    return it->second(c);
  }

  static ocpi::InboundAnswer ok(json::value data) {
    json::object o{{"data", std::move(data)}, {"status_code", 1000}, {"timestamp", "2026-03-01T10:00:00Z"}};
    return ocpi::InboundAnswer{200, json::serialize(o), 1000, "", ""};
  }
};

const char *versions = "http://127.0.0.1:9/ocpi/emsp/versions";
const char *details = "http://127.0.0.1:9/ocpi/emsp/2.2.1";
const char *their_credentials = "http://127.0.0.1:9/ocpi/emsp/2.2.1/credentials";

json::object credentials(const std::string &token) {
  return json::object{{"token", token},
                      {"url", versions},
                      {"roles", json::array{json::object{{"role", "EMSP"},
                                                         {"party_id", "EMS"},
                                                         {"country_code", "NL"},
                                                         {"business_name", "x"},
                                                         {"business_details", json::object{{"name", "E-Mobility"}}}}}}};
}

class PartnersTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-partners-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    config.allow_plain_http_to_loopback = true;
    service = std::make_unique<ocpi::PartnerService>(*store, clock, partner, config,
                                                     [] { return "http://127.0.0.1:8180/ocpi/versions"; });
    serve_versions("2.2.1");
  }
  void TearDown() override {
    service.reset();
    store->stop();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  void serve_versions(const std::string &version, bool with_credentials = true, bool with_locations = true) {
    partner.routes["GET " + std::string(versions)] = [version](const ocpi::OutboundCall &) {
      return ScriptedPartner::ok(json::array{json::object{{"version", version}, {"url", details}}});
    };
    json::array endpoints;
    if (with_credentials)
      endpoints.push_back(json::object{{"identifier", "credentials"}, {"role", "SENDER"}, {"url", their_credentials}});
    if (with_locations)
      endpoints.push_back(
          json::object{{"identifier", "locations"}, {"role", "RECEIVER"}, {"url", "http://127.0.0.1:9/loc"}});
    endpoints.push_back(
        json::object{{"identifier", "x-custom"}, {"role", "RECEIVER"}, {"url", "http://127.0.0.1:9/x"}});
    partner.routes["GET " + std::string(details)] = [version, endpoints](const ocpi::OutboundCall &) {
      return ScriptedPartner::ok(json::object{{"version", version}, {"endpoints", endpoints}});
    };
  }

  ocpi::CreatedPartner create(TokenEncoding encoding = TokenEncoding::Base64) {
    std::optional<ocpi::CreatedPartner> out;
    store->run([&](Repository &r) { out = *service->create(r, {"E-Mobility", encoding, {}}); });
    return *out;
  }
  std::optional<Partner> by_token(const std::string &token) {
    std::optional<Partner> p;
    store->run([&](Repository &r) { p = r.partner_by_token_hash(core::token_hash(token)); });
    return p;
  }
  Partner get(std::int64_t id) {
    std::optional<Partner> p;
    store->run([&](Repository &r) { p = r.partner(id); });
    return *p;
  }
  ocpi::Credentials theirs(const std::string &token) {
    return std::get<ocpi::Credentials>(ocpi::parse_credentials(credentials(token)));
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  FixedClock clock;
  ScriptedPartner partner;
  core::OcpiConfig config;
  std::unique_ptr<ocpi::PartnerService> service;
};

TEST_F(PartnersTest, StoreRoundTripsRolesModulesEndpointsAndTokenHash) {
  Partner p;
  p.name = "Hub";
  p.status = PartnerStatus::Registered;
  p.encoding = TokenEncoding::Raw;
  p.roles = {{OcpiRole::Hub, {"NL", "HUB"}, "The Hub"}, {OcpiRole::Emsp, {"DE", "EMS"}, "Sub"}};
  p.modules = {OcpiModule::Locations, OcpiModule::Tokens};
  p.versions_url = versions;
  p.version = "2.2.1";
  p.endpoints = {{OcpiModule::Sessions, InterfaceRole::Receiver, "http://h/s"}};
  p.token_to_them = "theirs";
  p.created_at = p.updated_at = at("2026-03-01T10:00:00Z");
  std::int64_t id = 0;
  store->run([&](Repository &r) { id = r.insert_partner(p, core::token_hash("ours")); });
  auto back = get(id);
  EXPECT_EQ(back.name, "Hub");
  EXPECT_EQ(back.status, PartnerStatus::Registered);
  EXPECT_EQ(back.encoding, TokenEncoding::Raw);
  ASSERT_EQ(back.roles.size(), 2u);
  EXPECT_EQ(back.roles[1].party, (PartyId{"DE", "EMS"}));
  EXPECT_EQ(back.roles[0].role, OcpiRole::Hub);
  EXPECT_EQ(back.modules, (std::vector{OcpiModule::Locations, OcpiModule::Tokens}));
  ASSERT_EQ(back.endpoints.size(), 1u);
  EXPECT_EQ(back.endpoints[0].url, "http://h/s");
  EXPECT_EQ(back.token_to_them, "theirs");
  EXPECT_EQ(back.created_at, p.created_at);
  EXPECT_EQ(by_token("ours")->id, id);
  EXPECT_FALSE(by_token("theirs"));

  store->run([&](Repository &r) { r.set_partner_token_hash(id, ""); });
  EXPECT_FALSE(by_token("ours"));
  // Two partners without a token do not collide (NULL hashes).
  store->run([&](Repository &r) { r.insert_partner(p, ""); });
  std::vector<Partner> all;
  store->run([&](Repository &r) { all = r.partners(); });
  EXPECT_EQ(all.size(), 2u);
  // Two with the same token would: the hash identifies the caller.
  EXPECT_ANY_THROW(store->run([&](Repository &r) {
    r.insert_partner(p, core::token_hash("same"));
    r.insert_partner(p, core::token_hash("same"));
  }));
}

TEST_F(PartnersTest, HubClientInfoIsUpsertedPerHubAndParty) {
  auto hub = create().partner.id;
  HubClientInfo info{hub, {"NL", "ABC"}, OcpiRole::Cpo, HubConnectionStatus::Planned, at("2026-03-01T10:00:00Z")};
  store->run([&](Repository &r) { r.upsert_hub_client_info(info); });
  info.status = HubConnectionStatus::Connected;
  info.last_updated = at("2026-03-01T11:00:00Z");
  store->run([&](Repository &r) { r.upsert_hub_client_info(info); });
  std::vector<HubClientInfo> all;
  std::optional<HubClientInfo> one, none;
  store->run([&](Repository &r) {
    all = r.hub_client_infos(hub);
    one = r.hub_client_info(hub, {"NL", "ABC"});
    none = r.hub_client_info(hub, {"NL", "XYZ"});
  });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(one->status, HubConnectionStatus::Connected);
  EXPECT_EQ(one->last_updated, at("2026-03-01T11:00:00Z"));
  EXPECT_FALSE(none);
}

TEST_F(PartnersTest, PartnerRegistersWithTokenAAndGetsTokenC) {
  auto created = create();
  EXPECT_EQ(created.partner.status, PartnerStatus::Planned);
  EXPECT_EQ(by_token(created.token)->id, created.partner.id);

  auto answer = service->accept_credentials(created.partner.id, theirs("token-b"), true);
  ASSERT_TRUE(std::holds_alternative<ocpi::Credentials>(answer));
  const auto &ours = std::get<ocpi::Credentials>(answer);
  EXPECT_NE(ours.token, created.token);
  EXPECT_EQ(ours.url, "http://127.0.0.1:8180/ocpi/versions");
  ASSERT_EQ(ours.roles.size(), 1u);
  EXPECT_EQ(ours.roles[0].role, OcpiRole::Cpo);

  EXPECT_FALSE(by_token(created.token)) << "token A is no longer valid";
  auto p = by_token(ours.token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, PartnerStatus::Registered);
  EXPECT_EQ(p->token_to_them, "token-b");
  EXPECT_EQ(p->version, "2.2.1");
  EXPECT_EQ(p->endpoints.size(), 2u) << "the custom module is skipped";
  EXPECT_TRUE(p->plays(OcpiRole::Emsp));
  // Its versions were read with its token B.
  ASSERT_FALSE(partner.calls.empty());
  EXPECT_EQ(partner.calls[0].token, "token-b");

  // A second POST is refused 405; a PUT updates and gives a new token.
  auto again = service->accept_credentials(created.partner.id, theirs("token-b2"), true);
  ASSERT_TRUE(std::holds_alternative<ocpi::Failure>(again));
  EXPECT_EQ(std::get<ocpi::Failure>(again).http_status, 405);
  auto update = service->accept_credentials(created.partner.id, theirs("token-b2"), false);
  ASSERT_TRUE(std::holds_alternative<ocpi::Credentials>(update));
  EXPECT_FALSE(by_token(ours.token)) << "the previous token C is replaced";
  EXPECT_EQ(by_token(std::get<ocpi::Credentials>(update).token)->token_to_them, "token-b2");

  auto gone = service->accept_unregistration(created.partner.id);
  ASSERT_TRUE(std::holds_alternative<Partner>(gone));
  EXPECT_EQ(get(created.partner.id).status, PartnerStatus::Unregistered);
  EXPECT_FALSE(by_token(std::get<ocpi::Credentials>(update).token));
  EXPECT_TRUE(std::holds_alternative<ocpi::Failure>(service->accept_unregistration(created.partner.id)));
}

TEST_F(PartnersTest, RegistrationFailuresAnswer3001Or3002Or3003AndKeepTokenA) {
  auto created = create();
  partner.routes.clear(); // unreachable
  auto unreachable = service->accept_credentials(created.partner.id, theirs("b"), true);
  ASSERT_TRUE(std::holds_alternative<ocpi::Failure>(unreachable));
  EXPECT_EQ(std::get<ocpi::Failure>(unreachable).code, ocpi::StatusCode::UnableToUseClientApi);

  serve_versions("2.1.1");
  auto old = service->accept_credentials(created.partner.id, theirs("b"), true);
  ASSERT_TRUE(std::holds_alternative<ocpi::Failure>(old));
  EXPECT_EQ(std::get<ocpi::Failure>(old).code, ocpi::StatusCode::UnsupportedVersion);

  serve_versions("2.2.1", true, false);
  auto nothing = service->accept_credentials(created.partner.id, theirs("b"), true);
  ASSERT_TRUE(std::holds_alternative<ocpi::Failure>(nothing));
  EXPECT_EQ(std::get<ocpi::Failure>(nothing).code, ocpi::StatusCode::NoMatchingEndpoints);

  EXPECT_EQ(by_token(created.token)->status, PartnerStatus::Planned) << "token A still registers";
}

TEST_F(PartnersTest, GridlaneRegistersAtThePartnerRotatesAndUnregisters) {
  auto created = create(TokenEncoding::Raw);
  std::string posted;
  partner.routes["POST " + std::string(their_credentials)] = [&](const ocpi::OutboundCall &c) {
    EXPECT_EQ(c.token, "their-token-a");
    EXPECT_EQ(c.encoding, TokenEncoding::Raw);
    posted = json::parse(c.body).at("token").as_string().c_str();
    // Gridlane's new token works while the POST is in flight (the partner may call back).
    EXPECT_TRUE(by_token(posted));
    return ScriptedPartner::ok(credentials("their-token-c"));
  };
  auto registered = service->register_at(created.partner.id, versions, "their-token-a");
  ASSERT_TRUE(registered) << registered.error().message;
  EXPECT_EQ(registered->status, PartnerStatus::Registered);
  EXPECT_EQ(registered->token_to_them, "their-token-c");
  EXPECT_FALSE(by_token(created.token));
  EXPECT_EQ(by_token(posted)->id, created.partner.id);
  EXPECT_FALSE(service->register_at(created.partner.id, versions, "x")) << "already registered";

  // A refused rotation keeps the tokens as they were.
  partner.routes["PUT " + std::string(their_credentials)] = [](const ocpi::OutboundCall &) {
    return ocpi::InboundAnswer{405, R"({"status_code":2000,"timestamp":"2026-03-01T10:00:00Z"})", 2000, "", ""};
  };
  EXPECT_FALSE(service->rotate(created.partner.id));
  EXPECT_TRUE(by_token(posted));

  std::string rotated;
  partner.routes["PUT " + std::string(their_credentials)] = [&](const ocpi::OutboundCall &c) {
    EXPECT_EQ(c.token, "their-token-c");
    rotated = json::parse(c.body).at("token").as_string().c_str();
    return ScriptedPartner::ok(credentials("their-token-d"));
  };
  auto after = service->rotate(created.partner.id);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->token_to_them, "their-token-d");
  EXPECT_FALSE(by_token(posted)) << "the old token is refused after rotation";
  EXPECT_TRUE(by_token(rotated));

  bool deleted = false;
  partner.routes["DELETE " + std::string(their_credentials)] = [&](const ocpi::OutboundCall &c) {
    EXPECT_EQ(c.token, "their-token-d");
    deleted = true;
    return ScriptedPartner::ok(nullptr);
  };
  auto gone = service->unregister(created.partner.id);
  ASSERT_TRUE(gone);
  EXPECT_TRUE(deleted);
  EXPECT_EQ(gone->status, PartnerStatus::Unregistered);
  EXPECT_TRUE(gone->token_to_them.empty());
  EXPECT_FALSE(by_token(rotated));
}

TEST_F(PartnersTest, SuspendAndResumeOnlyARegisteredPartner) {
  auto created = create();
  std::optional<Result<Partner>> r;
  store->run([&](Repository &repo) { r = service->suspend(repo, created.partner.id); });
  EXPECT_FALSE(*r) << "a planned partner is not suspended";
  ASSERT_TRUE(
      std::holds_alternative<ocpi::Credentials>(service->accept_credentials(created.partner.id, theirs("b"), true)));
  store->run([&](Repository &repo) { r = service->suspend(repo, created.partner.id); });
  ASSERT_TRUE(*r);
  EXPECT_EQ((*r)->status, PartnerStatus::Suspended);
  store->run([&](Repository &repo) { r = service->resume(repo, created.partner.id); });
  EXPECT_EQ((*r)->status, PartnerStatus::Registered);
}

TEST(CredentialsCodec, RefusesABadObjectNamingTheField) {
  auto field = [](const char *text) {
    auto r = ocpi::parse_credentials(json::parse(text));
    return std::holds_alternative<ocpi::FieldError>(r) ? std::get<ocpi::FieldError>(r).field : std::string("ok");
  };
  EXPECT_EQ(field(R"({"url":"https://a/v","roles":[]})"), "token");
  EXPECT_EQ(field(R"({"token":"t","url":"ftp://a","roles":[]})"), "url");
  EXPECT_EQ(field(R"({"token":"t","url":"https://a/v","roles":[]})"), "roles");
  EXPECT_EQ(field(R"({"token":"t","url":"https://a/v","roles":[{"role":"EMSP","party_id":"TOOLONG",
                     "country_code":"NL","business_details":{"name":"x"}}]})"),
            "roles[0].party_id");
  EXPECT_EQ(field(R"({"token":"t","url":"https://a/v","roles":[{"role":"X","party_id":"ABC",
                     "country_code":"NL","business_details":{"name":"x"}}]})"),
            "roles[0].role");
  EXPECT_EQ(field(R"({"token":"t","url":"https://a/v","roles":[{"role":"EMSP","party_id":"ABC",
                     "country_code":"NL"}]})"),
            "roles[0].business_details");
  std::string long_token(65, 'x');
  EXPECT_EQ(field((R"({"token":")" + long_token + R"(","url":"https://a/v","roles":[]})").c_str()), "token");
  EXPECT_EQ(field(R"({"token":"t","url":"https://a/v","roles":[{"role":"EMSP","party_id":"abc",
                     "country_code":"nl","business_details":{"name":"x"}}]})"),
            "ok");
}

TEST(CredentialsCodec, ReadsTheSpecExample) {
  auto r = ocpi::parse_credentials(json::parse(R"({"token":"ebf3b399-779f-4497-9b9d-ac6ad3cc44d2",
    "url":"https://example.com/ocpi/versions/","roles":[{"role":"CPO","party_id":"EXA","country_code":"NL",
    "business_details":{"name":"Example Operator"}}]})"));
  ASSERT_TRUE(std::holds_alternative<ocpi::Credentials>(r));
  const auto &c = std::get<ocpi::Credentials>(r);
  EXPECT_EQ(c.roles[0].business_name, "Example Operator");
  auto back = ocpi::credentials_json(c);
  EXPECT_EQ(back.at("roles").as_array()[0].at("business_details").at("name"), "Example Operator");
}

} // namespace
