// The roaming outbox's store over a real SQLite file (store/sqlite/outbox.cpp, migration 0022)
// and its delivery policy (ocpi/outbox.cpp): items of one (partner, key) are due one at a
// time in the order they were enqueued, a refused item waits for its retry time and holds the
// items behind it, a partner that is down holds all its items, a dead item steps aside, the
// delivery record counts what happened, and everything is still there after a reopen.
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gridlane/ocpi/outbox.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace std::chrono_literals;

namespace {

const Timestamp t0 = core::from_unix_ms(1'750'000'000'000);

OutboxItem item(std::int64_t partner, std::string key, std::string path, Timestamp created = t0) {
  OutboxItem i;
  i.partner_id = partner;
  i.module = OcpiModule::Locations;
  i.method = PushMethod::Patch;
  i.path = std::move(path);
  i.object_key = std::move(key);
  i.body = R"({"status":"CHARGING"})";
  i.created_at = created;
  return i;
}

std::vector<std::string> paths(const std::vector<OutboxItem> &items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto &i : items)
    out.push_back(i.path);
  return out;
}

class OcpiOutboxStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-outbox-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    open();
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void open() {
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
  }
  template <class F> auto run(F f) {
    decltype(f(std::declval<Repository &>())) out{};
    store->run([&](Repository &r) { out = f(r); });
    return out;
  }
  std::int64_t add(OutboxItem i) {
    return run([&](Repository &r) { return ocpi::Outbox::enqueue(r, i); });
  }
  std::vector<OutboxItem> due(Timestamp now, std::size_t max = 100) {
    return run([&](Repository &r) { return r.due_items(now, max); });
  }
  std::vector<DeliveryState> states() {
    return run([&](Repository &r) { return r.delivery_states(); });
  }

  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
};

TEST_F(OcpiOutboxStoreTest, only_the_oldest_item_of_each_key_is_due_in_enqueue_order) {
  auto a1 = add(item(1, "location:A", "/A/1"));
  add(item(1, "location:B", "/B/1"));
  add(item(1, "location:A", "/A/2"));
  add(item(2, "location:A", "/A/1 of partner 2"));
  EXPECT_EQ(paths(due(t0)), (std::vector<std::string>{"/A/1", "/B/1", "/A/1 of partner 2"}));
  run([&](Repository &r) {
    r.mark_delivered(a1, t0 + 1s);
    return 0;
  });
  EXPECT_EQ(paths(due(t0 + 1s)), (std::vector<std::string>{"/B/1", "/A/2", "/A/1 of partner 2"})) << "oldest first";
  EXPECT_EQ(paths(due(t0 + 1s, 1)), (std::vector<std::string>{"/B/1"}));
}

TEST_F(OcpiOutboxStoreTest, an_item_is_not_due_before_it_is_created_nor_before_its_retry_time) {
  auto a1 = add(item(1, "location:A", "/A/1"));
  add(item(1, "location:A", "/A/2"));
  EXPECT_TRUE(due(t0 - 1ms).empty());
  run([&](Repository &r) {
    r.mark_failed(a1, t0, "HTTP 400, OCPI 2001: bad", t0 + 5s);
    return 0;
  });
  EXPECT_TRUE(due(t0 + 4999ms).empty()) << "the refused item and the one behind it wait";
  auto again = due(t0 + 5s);
  ASSERT_EQ(paths(again), (std::vector<std::string>{"/A/1"}));
  EXPECT_EQ(again[0].attempts, 1);
  EXPECT_EQ(again[0].last_error, "HTTP 400, OCPI 2001: bad");
  EXPECT_EQ(again[0].body, R"({"status":"CHARGING"})");
  EXPECT_EQ(again[0].module, OcpiModule::Locations);
  EXPECT_EQ(again[0].method, PushMethod::Patch);
}

TEST_F(OcpiOutboxStoreTest, a_partner_that_is_down_holds_all_its_items_until_its_back_off_ends) {
  add(item(1, "location:A", "/A/1"));
  add(item(1, "location:B", "/B/1"));
  add(item(2, "location:A", "/other"));
  run([&](Repository &r) {
    r.partner_down(1, 3, t0 + 8s, t0, "unreachable: Couldn't connect to server");
    return 0;
  });
  EXPECT_EQ(run([](Repository &r) { return r.partner_failures(1); }), 3);
  EXPECT_EQ(run([](Repository &r) { return r.partner_failures(2); }), 0);
  EXPECT_EQ(paths(due(t0 + 7s)), (std::vector<std::string>{"/other"}));
  add(item(1, "location:C", "/C/1", t0 + 1s)); // enqueued meanwhile: held too
  EXPECT_EQ(paths(due(t0 + 7s)), (std::vector<std::string>{"/other"}));
  EXPECT_EQ(paths(due(t0 + 8s)), (std::vector<std::string>{"/A/1", "/B/1", "/other", "/C/1"}));

  auto s = states();
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(s[0].partner_id, 1);
  EXPECT_EQ(s[0].backlog, 3);
  EXPECT_EQ(s[0].last_error, "unreachable: Couldn't connect to server");
  EXPECT_EQ(s[0].last_error_at, t0);
  EXPECT_EQ(s[0].oldest_pending_at, t0);
  EXPECT_FALSE(s[0].last_success_at);
}

TEST_F(OcpiOutboxStoreTest, a_delivery_ends_the_hold_and_counts) {
  auto a1 = add(item(1, "location:A", "/A/1"));
  add(item(1, "location:B", "/B/1"));
  run([&](Repository &r) {
    r.partner_down(1, 2, t0 + 60s, t0, "HTTP 503");
    r.mark_delivered(a1, t0 + 2s);
    r.mark_delivered(a1, t0 + 3s); // a second report of the same delivery counts once
    return 0;
  });
  EXPECT_EQ(run([](Repository &r) { return r.partner_failures(1); }), 0);
  EXPECT_EQ(paths(due(t0 + 2s)), (std::vector<std::string>{"/B/1"}));
  auto s = states();
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s[0].delivered, 1);
  EXPECT_EQ(s[0].backlog, 1);
  EXPECT_EQ(s[0].last_success_at, t0 + 2s);
  EXPECT_EQ(s[0].last_error, "HTTP 503") << "the last error stays visible after a success";
}

TEST_F(OcpiOutboxStoreTest, a_hold_for_a_suspended_partner_keeps_its_failures) {
  add(item(1, "location:A", "/A/1"));
  run([&](Repository &r) {
    r.partner_down(1, 4, t0 + 1s, t0, "HTTP 502");
    r.hold_partner(1, t0 + 10s);
    return 0;
  });
  EXPECT_TRUE(due(t0 + 9s).empty());
  EXPECT_EQ(run([](Repository &r) { return r.partner_failures(1); }), 4);
  run([&](Repository &r) {
    r.partner_up(1);
    return 0;
  });
  EXPECT_EQ(paths(due(t0 + 1s)), (std::vector<std::string>{"/A/1"}));
  EXPECT_EQ(run([](Repository &r) { return r.partner_failures(1); }), 0);
}

TEST_F(OcpiOutboxStoreTest, a_dead_item_is_kept_visible_and_lets_the_next_of_its_key_go) {
  auto a1 = add(item(1, "location:A", "/A/1"));
  add(item(1, "location:A", "/A/2"));
  run([&](Repository &r) {
    r.mark_dead(a1, t0 + 1s, "HTTP 404, OCPI 2003: unknown location");
    r.mark_delivered(a1, t0 + 2s); // a dead item is not counted as delivered later
    return 0;
  });
  EXPECT_EQ(paths(due(t0 + 1s)), (std::vector<std::string>{"/A/2"}));
  auto dead = run([](Repository &r) { return r.dead_items(1, 10); });
  ASSERT_EQ(dead.size(), 1U);
  EXPECT_EQ(dead[0].path, "/A/1");
  EXPECT_EQ(dead[0].last_error, "HTTP 404, OCPI 2003: unknown location");
  auto s = states();
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s[0].backlog, 1);
  EXPECT_EQ(s[0].dead, 1);
  EXPECT_EQ(s[0].delivered, 0);
  EXPECT_EQ(s[0].last_error, "HTTP 404, OCPI 2003: unknown location");
}

TEST_F(OcpiOutboxStoreTest, items_and_holds_survive_a_restart) {
  auto i = item(1, "command:5b7e", "http://127.0.0.1:9/response/5b7e");
  i.module = OcpiModule::Commands;
  i.method = PushMethod::Post;
  i.to = PartyId{"NL", "EXA"};
  add(i);
  add(item(2, "location:A", "/A/1"));
  run([&](Repository &r) {
    r.partner_down(2, 1, t0 + 30s, t0, "no answer within 10000 ms");
    return 0;
  });
  store.reset();
  open();
  auto d = due(t0 + 1s);
  ASSERT_EQ(d.size(), 1U);
  EXPECT_EQ(d[0].path, "http://127.0.0.1:9/response/5b7e");
  EXPECT_EQ(d[0].module, OcpiModule::Commands);
  EXPECT_EQ(d[0].method, PushMethod::Post);
  EXPECT_EQ(d[0].object_key, "command:5b7e");
  ASSERT_TRUE(d[0].to);
  EXPECT_EQ(*d[0].to, (PartyId{"NL", "EXA"}));
  EXPECT_EQ(d[0].created_at, t0);
  EXPECT_EQ(paths(due(t0 + 30s)), (std::vector<std::string>{"http://127.0.0.1:9/response/5b7e", "/A/1"}));
}

TEST_F(OcpiOutboxStoreTest, enqueue_refuses_an_item_without_partner_or_key) {
  auto no_partner = item(0, "location:A", "/A/1");
  EXPECT_THROW(add(no_partner), std::exception);
  auto no_key = item(1, "", "/A/1");
  EXPECT_THROW(add(no_key), std::exception);
  EXPECT_TRUE(due(t0 + 1s).empty());
}

// ---- The policy ----

Result<ocpi::InboundAnswer> answer(int http, std::optional<int> code) {
  ocpi::InboundAnswer a;
  a.http_status = http;
  a.status_code = code;
  return a;
}

TEST(OcpiOutboxPolicy, classifies_each_answer_as_delivered_down_or_refused) {
  using ocpi::Delivery;
  EXPECT_EQ(ocpi::classify(answer(200, 1000)), Delivery::Delivered);
  EXPECT_EQ(ocpi::classify(answer(201, std::nullopt)), Delivery::Delivered) << "a 2xx without an envelope";
  EXPECT_EQ(ocpi::classify(answer(200, 2001)), Delivery::Refused);
  EXPECT_EQ(ocpi::classify(answer(400, 2001)), Delivery::Refused);
  EXPECT_EQ(ocpi::classify(answer(404, 2003)), Delivery::Refused);
  EXPECT_EQ(ocpi::classify(answer(405, std::nullopt)), Delivery::Refused);
  EXPECT_EQ(ocpi::classify(answer(200, 4001)), Delivery::Refused);
  EXPECT_EQ(ocpi::classify(answer(401, 2000)), Delivery::Down) << "its credentials, not the item";
  EXPECT_EQ(ocpi::classify(answer(408, std::nullopt)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(answer(429, std::nullopt)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(answer(500, 3000)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(answer(503, std::nullopt)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(answer(200, 3001)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(answer(200, 4002)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(answer(302, std::nullopt)), Delivery::Down);
  EXPECT_EQ(ocpi::classify(ServiceError::unavailable("no answer within 10000 ms")), Delivery::Down);
  EXPECT_EQ(ocpi::classify(ServiceError::invalid("a partner URL must be https://", "url")), Delivery::Refused);
}

TEST(OcpiOutboxPolicy, back_off_doubles_from_the_minimum_up_to_the_maximum) {
  EXPECT_EQ(ocpi::backoff(1, 1000ms, 300000ms), 1000ms);
  EXPECT_EQ(ocpi::backoff(2, 1000ms, 300000ms), 2000ms);
  EXPECT_EQ(ocpi::backoff(5, 1000ms, 300000ms), 16000ms);
  EXPECT_EQ(ocpi::backoff(9, 1000ms, 300000ms), 256000ms);
  EXPECT_EQ(ocpi::backoff(10, 1000ms, 300000ms), 300000ms);
  EXPECT_EQ(ocpi::backoff(1'000'000, 1000ms, 300000ms), 300000ms);
  EXPECT_EQ(ocpi::backoff(0, 1000ms, 300000ms), 1000ms);
  EXPECT_EQ(ocpi::backoff(3, 5000ms, 1000ms), 5000ms) << "a maximum below the minimum is the minimum";
}

} // namespace
