// The /ocpi endpoint (ocpi::Server) over a real SQLite file, with a module registered here:
// versions and version details, authentication by the credentials token in both encodings,
// the partner's status and modules, routing to a module, the request's checks (body, routing
// headers, method) and a failing handler answered 3000, never a crash. The ids always echoed.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <future>
#include <unistd.h>

#include "gridlane/core/base64.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/ocpi/server.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

class FixedClock : public core::Clock {
public:
  Timestamp now() const override { return *core::parse_iso8601("2026-03-01T10:00:00Z"); }
};

std::string header(const ocpi::Response &r, std::string_view name) {
  for (const auto &[n, v] : r.headers)
    if (n == name) return v;
  return {};
}

int code(const ocpi::Response &r) {
  return static_cast<int>(json::parse(r.body).at("status_code").as_int64());
}

class OcpiServerTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-ocpi-server-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    config.base_url = "https://cpo.example.com";
    config.country_code = "DE";
    config.party_id = "GRL";
    make_server();
  }
  void TearDown() override {
    server.reset();
    store->stop();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void make_server() {
    server = std::make_unique<ocpi::Server>(*store, clock, config);
    // A module registered by the test: records the call and answers its segments.
    server->add_module(OcpiModule::Locations, InterfaceRole::Sender,
                       [this](const std::shared_ptr<ocpi::Call> &call, const ocpi::Reply &reply) {
                         last = call;
                         json::array segs;
                         for (const auto &s : call->segments)
                           segs.emplace_back(s);
                         reply(ocpi::success(std::move(segs), call->now));
                       });
    server->add_module(
        OcpiModule::Tokens, InterfaceRole::Receiver,
        [](const std::shared_ptr<ocpi::Call> &, const ocpi::Reply &) { throw std::runtime_error("boom"); });
    server->add_module(OcpiModule::Sessions, InterfaceRole::Sender,
                       [](const std::shared_ptr<ocpi::Call> &, const ocpi::Reply &) { /* drops the reply */ });
  }

  //! A partner with this token and status; returns its id.
  std::int64_t partner(const std::string &token, PartnerStatus status = PartnerStatus::Registered,
                       std::vector<OcpiModule> modules = {}) {
    Partner p;
    p.name = "E-Mobility";
    p.status = status;
    p.roles = {PartnerRole{OcpiRole::Emsp, PartyId{"NL", "EMS"}, "E-Mobility"}};
    p.modules = std::move(modules);
    std::int64_t id = 0;
    store->run([&](Repository &r) { id = r.insert_partner(p, core::token_hash(token)); });
    return id;
  }

  ocpi::Response call(std::string method, std::string path, std::map<std::string, std::string> headers = {},
                      std::string body = {}) {
    ocpi::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.headers = std::move(headers);
    req.body = std::move(body);
    auto promise = std::make_shared<std::promise<ocpi::Response>>();
    auto future = promise->get_future();
    auto once = std::make_shared<std::atomic<int>>(0);
    server->handle(std::move(req), [promise, once](ocpi::Response r) {
      if (once->fetch_add(1) == 0) promise->set_value(std::move(r));
    });
    EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
    auto r = future.get();
    std::this_thread::sleep_for(10ms);
    EXPECT_EQ(once->load(), 1) << "answered more than once";
    return r;
  }

  static std::map<std::string, std::string> auth(const std::string &token) {
    return {{"authorization", "Token " + core::base64_encode(token)}};
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  FixedClock clock;
  core::OcpiConfig config;
  std::unique_ptr<ocpi::Server> server;
  std::shared_ptr<ocpi::Call> last;
};

TEST_F(OcpiServerTest, versions_lists_2_2_1_at_the_public_url) {
  partner("tok-b");
  auto r = call("GET", "/ocpi/versions", auth("tok-b"));
  ASSERT_EQ(r.status, 200);
  auto v = json::parse(r.body);
  EXPECT_EQ(v.at("status_code").as_int64(), 1000);
  EXPECT_EQ(v.at("timestamp").as_string(), "2026-03-01T10:00:00Z");
  EXPECT_EQ(v.at("data"),
            (json::array{json::object{{"version", "2.2.1"}, {"url", "https://cpo.example.com/ocpi/2.2.1"}}}));
  EXPECT_EQ(server->versions_url(), "https://cpo.example.com/ocpi/versions");
  EXPECT_EQ(server->endpoint_url(OcpiModule::Locations), "https://cpo.example.com/ocpi/2.2.1/locations");
}

TEST_F(OcpiServerTest, details_list_every_module_with_its_role_and_credentials_always) {
  partner("tok-b");
  auto r = call("GET", "/ocpi/2.2.1/", auth("tok-b"));
  ASSERT_EQ(r.status, 200);
  auto data = json::parse(r.body).at("data");
  EXPECT_EQ(data.at("version").as_string(), "2.2.1");
  std::map<std::string, std::pair<std::string, std::string>> seen;
  for (const auto &e : data.at("endpoints").as_array())
    seen[std::string(e.at("identifier").as_string())] = {std::string(e.at("role").as_string()),
                                                         std::string(e.at("url").as_string())};
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen["credentials"].first, "SENDER");
  EXPECT_EQ(seen["locations"],
            std::make_pair(std::string("SENDER"), std::string("https://cpo.example.com/ocpi/2.2.1/locations")));
  EXPECT_EQ(seen["tokens"].first, "RECEIVER");
}

TEST_F(OcpiServerTest, details_leave_out_the_modules_a_partner_may_not_use) {
  partner("tok-b", PartnerStatus::Registered, {OcpiModule::Locations});
  auto data = json::parse(call("GET", "/ocpi/2.2.1", auth("tok-b")).body).at("data");
  std::set<std::string> ids;
  for (const auto &e : data.at("endpoints").as_array())
    ids.insert(std::string(e.at("identifier").as_string()));
  EXPECT_EQ(ids, (std::set<std::string>{"credentials", "locations"}));
}

TEST_F(OcpiServerTest, accepts_the_token_base64_encoded_or_raw) {
  partner("tok-b");
  EXPECT_EQ(call("GET", "/ocpi/versions", auth("tok-b")).status, 200);
  EXPECT_EQ(call("GET", "/ocpi/versions", {{"authorization", "Token tok-b"}}).status, 200);
}

TEST_F(OcpiServerTest, missing_malformed_or_unknown_token_is_401_with_the_envelope) {
  partner("tok-b");
  for (const auto &headers : std::vector<std::map<std::string, std::string>>{
           {}, {{"authorization", "Bearer tok-b"}}, auth("nobody"), {{"authorization", "Token "}}}) {
    auto r = call("GET", "/ocpi/versions", headers);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(code(r), 2000);
    EXPECT_EQ(header(r, "WWW-Authenticate"), "Token");
  }
}

TEST_F(OcpiServerTest, suspended_and_unregistered_partners_are_401) {
  partner("tok-s", PartnerStatus::Suspended);
  partner("tok-u", PartnerStatus::Unregistered);
  EXPECT_EQ(call("GET", "/ocpi/versions", auth("tok-s")).status, 401);
  EXPECT_EQ(call("GET", "/ocpi/2.2.1/locations", auth("tok-s")).status, 401);
  EXPECT_EQ(call("GET", "/ocpi/versions", auth("tok-u")).status, 401);
}

TEST_F(OcpiServerTest, token_a_opens_versions_and_details_only) {
  // transport_and_format: a valid CREDENTIALS_TOKEN_A on another module than credentials or
  // versions is 401.
  partner("tok-a", PartnerStatus::Planned);
  EXPECT_EQ(call("GET", "/ocpi/versions", auth("tok-a")).status, 200);
  EXPECT_EQ(call("GET", "/ocpi/2.2.1", auth("tok-a")).status, 200);
  auto r = call("GET", "/ocpi/2.2.1/locations", auth("tok-a"));
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(last);
}

TEST_F(OcpiServerTest, routes_a_module_call_with_segments_ids_and_self_url) {
  auto id = partner("tok-b");
  auto r = call("GET", "/ocpi/2.2.1/locations/LOC1/EVSE1/",
                {{"authorization", "Token " + core::base64_encode("tok-b")},
                 {"x-request-id", "req-1"},
                 {"x-correlation-id", "corr-1"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body).at("data"), (json::array{"LOC1", "EVSE1"}));
  ASSERT_TRUE(last);
  EXPECT_EQ(last->partner.id, id);
  EXPECT_EQ(last->request_id, "req-1");
  EXPECT_EQ(last->correlation_id, "corr-1");
  EXPECT_EQ(last->self_url, "https://cpo.example.com/ocpi/2.2.1/locations");
  EXPECT_EQ(header(r, "X-Request-ID"), "req-1");
  EXPECT_EQ(header(r, "X-Correlation-ID"), "corr-1");
}

TEST_F(OcpiServerTest, generates_ids_when_the_request_has_none) {
  partner("tok-b");
  auto r = call("GET", "/ocpi/versions", auth("tok-b"));
  EXPECT_EQ(header(r, "X-Request-ID").size(), 36u);
  EXPECT_EQ(header(r, "X-Correlation-ID").size(), 36u);
  auto unauthorized = call("GET", "/ocpi/versions");
  EXPECT_EQ(header(unauthorized, "X-Request-ID").size(), 36u);
}

TEST_F(OcpiServerTest, routing_headers_reach_the_module_and_come_back_swapped) {
  partner("tok-b");
  auto headers = auth("tok-b");
  headers["ocpi-from-country-code"] = "nl";
  headers["ocpi-from-party-id"] = "ems";
  headers["ocpi-to-country-code"] = "DE";
  headers["ocpi-to-party-id"] = "GRL";
  auto r = call("GET", "/ocpi/2.2.1/locations", headers);
  ASSERT_EQ(r.status, 200);
  ASSERT_TRUE(last && last->routing.from && last->routing.to);
  EXPECT_EQ(*last->routing.from, (PartyId{"NL", "EMS"}));
  EXPECT_EQ(header(r, "OCPI-to-country-code"), "NL");
  EXPECT_EQ(header(r, "OCPI-to-party-id"), "EMS");
  EXPECT_EQ(header(r, "OCPI-from-country-code"), "DE");
  EXPECT_EQ(header(r, "OCPI-from-party-id"), "GRL");
}

TEST_F(OcpiServerTest, malformed_routing_headers_are_2001) {
  partner("tok-b");
  auto headers = auth("tok-b");
  headers["ocpi-from-country-code"] = "NLD";
  headers["ocpi-from-party-id"] = "EMS";
  auto r = call("GET", "/ocpi/2.2.1/locations", headers);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code(r), 2001);
  EXPECT_FALSE(last);
}

TEST_F(OcpiServerTest, unknown_paths_are_404_and_modules_not_allowed_403) {
  partner("tok-b", PartnerStatus::Registered, {OcpiModule::Tokens});
  for (const char *path : {"/ocpi/2.2.1/nothing", "/ocpi/2.2.1/cdrs", "/ocpi/2.1.1/locations", "/ocpi/x"}) {
    auto r = call("GET", path, auth("tok-b"));
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(code(r), 2000) << path;
  }
  auto r = call("GET", "/ocpi/2.2.1/locations", auth("tok-b"));
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(last);
}

TEST_F(OcpiServerTest, a_body_must_be_a_json_object_sent_as_application_json) {
  partner("tok-b");
  auto json_headers = auth("tok-b");
  json_headers["content-type"] = "application/json; charset=utf-8";
  EXPECT_EQ(call("PUT", "/ocpi/2.2.1/locations/X", json_headers, "{\"a\":1}").status, 200);
  for (const char *body : {"", "{", "[1]", "not json"}) {
    auto r = call("PUT", "/ocpi/2.2.1/locations/X", json_headers, body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(code(r), 2001) << body;
  }
  auto text = auth("tok-b");
  text["content-type"] = "text/plain";
  EXPECT_EQ(code(call("POST", "/ocpi/2.2.1/locations/X", text, "{}")), 2001);
}

TEST_F(OcpiServerTest, methods_outside_the_endpoint_are_405) {
  partner("tok-b");
  auto r = call("POST", "/ocpi/versions", auth("tok-b"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "GET");
  EXPECT_EQ(call("DELETE", "/ocpi/2.2.1", auth("tok-b")).status, 405);
  EXPECT_EQ(call("TRACE", "/ocpi/2.2.1/locations", auth("tok-b")).status, 405);
}

TEST_F(OcpiServerTest, a_handler_that_throws_or_drops_the_reply_is_3000) {
  partner("tok-b");
  auto thrown = call("GET", "/ocpi/2.2.1/tokens/NL/EMS/1", auth("tok-b"));
  EXPECT_EQ(thrown.status, 500);
  EXPECT_EQ(code(thrown), 3000);
  EXPECT_FALSE(header(thrown, "X-Request-ID").empty());
  auto dropped = call("GET", "/ocpi/2.2.1/sessions", auth("tok-b"));
  EXPECT_EQ(dropped.status, 500);
  EXPECT_EQ(code(dropped), 3000);
}

TEST_F(OcpiServerTest, disabled_answers_404) {
  config.enabled = false;
  make_server();
  partner("tok-b");
  EXPECT_EQ(call("GET", "/ocpi/versions", auth("tok-b")).status, 404);
}

TEST_F(OcpiServerTest, default_base_url_is_used_when_none_is_configured) {
  config.base_url.clear();
  make_server();
  server->set_default_base_url("http://127.0.0.1:8180");
  EXPECT_EQ(server->versions_url(), "http://127.0.0.1:8180/ocpi/versions");
}

} // namespace
