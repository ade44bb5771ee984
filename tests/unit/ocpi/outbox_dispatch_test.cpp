// ocpi::Outbox's dispatcher over a real SQLite file, a real worker pool and a Client the test
// answers: each key's items arrive in order, the call carries the partner's URL, token and
// parties, a partner that is down gets a probe per back-off period and not a call per item, and
// its backlog follows in order once it answers; a refused item dies after three refusals and
// stops holding its key; an item for a partner that is gone dies without a call; stop() ends
// with a call in flight.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "gridlane/core/password.hpp"
#include "gridlane/ocpi/outbox.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace std::chrono_literals;

namespace {

//! Answers every call with `answer(call)` (default: 200, status_code 1000) and records it.
class TestClient final : public ocpi::Client {
public:
  Result<ocpi::InboundAnswer> call(const ocpi::OutboundCall &c) override {
    std::function<Result<ocpi::InboundAnswer>(const ocpi::OutboundCall &)> answer;
    {
      std::lock_guard lock(mutex);
      calls.push_back(c);
      answer = answerer;
    }
    cv.notify_all();
    if (answer) return answer(c);
    ocpi::InboundAnswer a;
    a.http_status = 200;
    a.status_code = 1000;
    return a;
  }
  void answer_with(std::function<Result<ocpi::InboundAnswer>(const ocpi::OutboundCall &)> f) {
    std::lock_guard lock(mutex);
    answerer = std::move(f);
  }
  std::vector<ocpi::OutboundCall> seen() {
    std::lock_guard lock(mutex);
    return calls;
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return calls.size();
  }

  std::mutex mutex;
  std::condition_variable cv;
  std::vector<ocpi::OutboundCall> calls;
  std::function<Result<ocpi::InboundAnswer>(const ocpi::OutboundCall &)> answerer;
};

Result<ocpi::InboundAnswer> http(int status, std::optional<int> code) {
  ocpi::InboundAnswer a;
  a.http_status = status;
  a.status_code = code;
  return a;
}

class OcpiOutboxDispatchTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-outbox-d-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    pool = std::make_unique<core::WorkerPool>("ocpi-test", core::WorkerPoolOptions{2, 256, 5000ms});
    config.retry_min_ms = 100;
    config.retry_max_ms = 400;
    config.request_timeout_ms = 1000;
    config.country_code = "DE";
    config.party_id = "GRL";
    partner_id = add_partner(PartnerStatus::Registered);
    outbox = std::make_unique<ocpi::Outbox>(*store, client, *pool, clock, config);
  }
  void TearDown() override {
    outbox.reset();
    pool->stop();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::int64_t add_partner(PartnerStatus status) {
    Partner p;
    p.name = "eMSP";
    p.status = status;
    p.encoding = TokenEncoding::Raw;
    p.roles.push_back(PartnerRole{OcpiRole::Emsp, PartyId{"NL", "EMS"}, "Test eMSP"});
    p.version = "2.2.1";
    p.versions_url = "http://127.0.0.1:9/versions";
    p.endpoints.push_back(PartnerEndpoint{OcpiModule::Locations, InterfaceRole::Receiver,
                                          "http://127.0.0.1:9/ocpi/emsp/2.2.1/locations/"});
    p.token_to_them = "token-C";
    p.created_at = p.updated_at = clock.now();
    std::int64_t id = 0;
    store->run([&](Repository &r) { id = r.insert_partner(p, core::token_hash("their-" + std::to_string(++n))); });
    return id;
  }

  void enqueue(std::int64_t partner, const std::string &key, const std::string &path,
               OcpiModule module = OcpiModule::Locations) {
    OutboxItem i;
    i.partner_id = partner;
    i.module = module;
    i.method = PushMethod::Patch;
    i.path = path;
    i.object_key = key;
    i.body = "{\"n\":\"" + path + "\"}";
    i.created_at = clock.now();
    store->run([&](Repository &r) { ocpi::Outbox::enqueue(r, i); });
    outbox->wake();
  }

  std::vector<DeliveryState> states() {
    std::vector<DeliveryState> out;
    store->run([&](Repository &r) { out = r.delivery_states(); });
    return out;
  }

  //! Waits (bounded) until `pred` holds.
  bool eventually(const std::function<bool()> &pred, std::chrono::milliseconds limit = 5000ms) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }
  bool backlog_is(std::int64_t n) {
    auto s = states();
    return !s.empty() && s[0].backlog == n;
  }

  int n = 0;
  std::filesystem::path dir;
  core::SystemClock clock;
  core::OcpiConfig config;
  TestClient client;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<core::WorkerPool> pool;
  std::unique_ptr<ocpi::Outbox> outbox;
  std::int64_t partner_id = 0;
};

std::vector<std::string> urls_with(const std::vector<ocpi::OutboundCall> &calls, const std::string &part) {
  std::vector<std::string> out;
  for (const auto &c : calls)
    if (c.url.find(part) != std::string::npos) out.push_back(c.url.substr(c.url.rfind('/') + 1));
  return out;
}

TEST_F(OcpiOutboxDispatchTest, delivers_each_keys_items_in_order_with_the_partners_url_token_and_parties) {
  client.answer_with([](const ocpi::OutboundCall &) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::rand() % 5));
    return http(200, 1000);
  });
  outbox->start();
  for (int i = 1; i <= 6; ++i) {
    enqueue(partner_id, "location:A", "/DE/GRL/A/" + std::to_string(i));
    enqueue(partner_id, "location:B", "/DE/GRL/B/" + std::to_string(i));
  }
  ASSERT_TRUE(eventually([&] { return client.count() >= 12 && backlog_is(0); }));
  auto calls = client.seen();
  ASSERT_EQ(calls.size(), 12U) << "each item exactly once";
  EXPECT_EQ(urls_with(calls, "/A/"), (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(urls_with(calls, "/B/"), (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
  // The two keys are delivered side by side: either may be called first.
  auto first_a =
      std::find_if(calls.begin(), calls.end(), [](const auto &x) { return x.url.find("/A/") != std::string::npos; });
  ASSERT_NE(first_a, calls.end());
  const auto &c = *first_a;
  EXPECT_EQ(c.url.substr(0, c.url.rfind('/')), "http://127.0.0.1:9/ocpi/emsp/2.2.1/locations/DE/GRL/A")
      << "the endpoint's trailing slash and the path's leading one make one";
  EXPECT_EQ(c.method, PushMethod::Patch);
  EXPECT_FALSE(c.get);
  EXPECT_EQ(c.token, "token-C");
  EXPECT_EQ(c.encoding, TokenEncoding::Raw);
  ASSERT_TRUE(c.from && c.to);
  EXPECT_EQ(*c.from, (PartyId{"DE", "GRL"}));
  EXPECT_EQ(*c.to, (PartyId{"NL", "EMS"}));
  EXPECT_EQ(c.timeout, 1000ms);
  auto s = states();
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s[0].delivered, 12);
  EXPECT_TRUE(s[0].last_success_at);
}

TEST_F(OcpiOutboxDispatchTest, an_absolute_url_is_called_as_it_is) {
  outbox->start();
  enqueue(partner_id, "command:1", "http://127.0.0.1:9/results/abc", OcpiModule::Commands);
  ASSERT_TRUE(eventually([&] { return backlog_is(0) && client.count() == 1; }));
  EXPECT_EQ(client.seen()[0].url, "http://127.0.0.1:9/results/abc");
}

TEST_F(OcpiOutboxDispatchTest, a_partner_that_is_down_is_probed_not_hammered_and_catches_up_in_order) {
  std::atomic<bool> down{true};
  std::mutex m;
  std::vector<ocpi::OutboundCall> accepted;
  client.answer_with([&](const ocpi::OutboundCall &c) -> Result<ocpi::InboundAnswer> {
    if (down) return ServiceError::unavailable("unreachable: Couldn't connect to server");
    std::lock_guard lock(m);
    accepted.push_back(c);
    return http(200, 1000);
  });
  outbox->start();
  for (int i = 1; i <= 10; ++i)
    for (const char *key : {"A", "B", "C"})
      enqueue(partner_id, std::string("location:") + key, std::string("/DE/GRL/") + key + "/" + std::to_string(i));
  // Down for 1.5 s: back-off 100, 200, 400, 400... ms: a handful of calls, not one per item.
  std::this_thread::sleep_for(1500ms);
  auto s = states();
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s[0].backlog, 30);
  EXPECT_EQ(s[0].dead, 0) << "an unreachable partner kills nothing";
  EXPECT_EQ(s[0].last_error, "unreachable: Couldn't connect to server");
  auto during = client.count();
  EXPECT_GE(during, 3U);
  EXPECT_LE(during, 12U) << "30 items, but the partner is held as a whole";
  down = false;
  ASSERT_TRUE(eventually([&] { return backlog_is(0); }));
  std::vector<std::string> expect;
  for (int i = 1; i <= 10; ++i)
    expect.push_back(std::to_string(i));
  // Every item accepted exactly once, each key in order.
  std::lock_guard lock(m);
  EXPECT_EQ(urls_with(accepted, "/A/"), expect);
  EXPECT_EQ(urls_with(accepted, "/B/"), expect);
  EXPECT_EQ(urls_with(accepted, "/C/"), expect);
  EXPECT_EQ(states()[0].delivered, 30);
}

TEST_F(OcpiOutboxDispatchTest, a_refused_item_dies_after_three_refusals_and_frees_its_key) {
  client.answer_with([](const ocpi::OutboundCall &c) {
    if (c.url.ends_with("/bad")) return http(404, 2003);
    return http(200, 1000);
  });
  outbox->start();
  enqueue(partner_id, "location:A", "/DE/GRL/A/bad");
  enqueue(partner_id, "location:A", "/DE/GRL/A/good");
  ASSERT_TRUE(eventually([&] { return backlog_is(0); }));
  auto calls = client.seen();
  EXPECT_EQ(urls_with(calls, "/A/"), (std::vector<std::string>{"bad", "bad", "bad", "good"}));
  auto s = states();
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s[0].dead, 1);
  EXPECT_EQ(s[0].delivered, 1);
  std::vector<OutboxItem> dead;
  store->run([&](Repository &r) { dead = r.dead_items(partner_id, 10); });
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].path, "/DE/GRL/A/bad");
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(dead[0].last_error, "HTTP 404, OCPI 2003");
}

TEST_F(OcpiOutboxDispatchTest, items_for_a_partner_that_is_gone_or_lacks_the_endpoint_die_without_a_call) {
  auto gone = add_partner(PartnerStatus::Unregistered);
  outbox->start();
  enqueue(gone, "location:A", "/DE/GRL/A");
  enqueue(partner_id, "session:1", "/DE/GRL/1", OcpiModule::Sessions); // no sessions endpoint
  enqueue(partner_id, "location:A", "/DE/GRL/A");
  ASSERT_TRUE(eventually([&] {
    auto s = states();
    std::int64_t dead = 0, delivered = 0;
    for (const auto &d : s) {
      dead += d.dead;
      delivered += d.delivered;
    }
    return dead == 2 && delivered == 1;
  }));
  auto calls = client.seen();
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].url, "http://127.0.0.1:9/ocpi/emsp/2.2.1/locations/DE/GRL/A");
}

TEST_F(OcpiOutboxDispatchTest, stop_ends_with_a_call_in_flight_and_the_item_stays) {
  std::atomic<bool> release{false};
  client.answer_with([&](const ocpi::OutboundCall &) {
    for (int i = 0; i < 300 && !release; ++i)
      std::this_thread::sleep_for(10ms);
    return http(200, 1000);
  });
  outbox->start();
  enqueue(partner_id, "location:A", "/DE/GRL/A");
  ASSERT_TRUE(eventually([&] { return client.count() == 1; }));
  auto started = std::chrono::steady_clock::now();
  std::thread releaser([&] {
    std::this_thread::sleep_for(200ms);
    release = true;
  });
  outbox->stop();
  releaser.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  // The call ended after stop() began: its outcome is still recorded.
  EXPECT_TRUE(eventually([&] { return backlog_is(0); }, 2000ms));
}

} // namespace
