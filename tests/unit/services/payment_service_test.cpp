// PaymentService over a real SQLite file and a scripted provider: authorisation with a one-time
// id token, capture of a CDR total (at most the hold; zero releases it), refunds per credit CDR,
// every call once per idempotency key, unanswered calls retried with the same key, expired
// holds released, and the token linked to its session and spent when it ends.
#include <filesystem>
#include <future>
#include <gtest/gtest.h>
#include <mutex>

#include "gridlane/bus/local_bus.hpp"
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/services/payment_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using namespace gridlane::services;
using payments::CallOutcome;
using payments::CallResult;

namespace {

struct FakeClock : core::Clock {
  Timestamp t = *core::parse_iso8601("2026-06-01T12:00:00Z");
  Timestamp now() const override { return t; }
};

//! Answers as scripted (Succeeded by default) and records every call with its key.
struct ScriptedProvider final : payments::PaymentProvider {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> calls; // (kind, key)
  std::deque<CallOutcome> next;
  std::string_view name() const override { return "stripe"; }
  CallOutcome outcome() {
    if (next.empty()) return CallOutcome::Succeeded;
    auto o = next.front();
    next.pop_front();
    return o;
  }
  CallResult answer(const char *kind, std::string_view key, std::string ref, std::int64_t amount) {
    std::lock_guard lock{mutex};
    calls.emplace_back(kind, std::string(key));
    auto o = outcome();
    return CallResult{o, o == CallOutcome::Succeeded ? std::optional{ref} : std::nullopt, amount,
                      o == CallOutcome::Succeeded ? "" : "scripted"};
  }
  CallResult authorize(const payments::AuthorizeCall &c) override {
    return answer("authorize", c.idempotency_key, "pi_" + std::to_string(c.payment_id), c.amount_minor);
  }
  CallResult capture(std::string_view ref, std::int64_t amount, std::string_view key) override {
    return answer("capture", key, std::string(ref), amount);
  }
  CallResult cancel(std::string_view ref, std::string_view key) override {
    return answer("cancel", key, std::string(ref), 0);
  }
  CallResult refund(std::string_view, std::int64_t amount, std::string_view key) override {
    return answer("refund", key, "re_1", amount);
  }
  std::size_t count(const std::string &kind) {
    std::lock_guard lock{mutex};
    return std::count_if(calls.begin(), calls.end(), [&](const auto &c) { return c.first == kind; });
  }
};

core::Money eur(const char *amount) {
  return *core::Money::parse(amount, core::Currency::eur());
}

class PaymentServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("gridlane-pay-" + std::to_string(::getpid()) + "-" +
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{(dir / "t.db").string(), "normal", 64});
    pool =
        std::make_unique<core::WorkerPool>("payments-test", core::WorkerPoolOptions{1, 64, std::chrono::seconds(10)});
    service = std::make_unique<PaymentService>(
        *store, clock, &provider,
        [this](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
          pool->submit(core::WorkerPool::Lane::Normal, std::move(work), std::move(refused));
        },
        PaymentServiceOptions{std::chrono::seconds(900)});
    service->watch(bus);
  }
  void TearDown() override {
    service.reset();
    pool->stop();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  template <class Start> Result<Payment> wait(Start start) {
    std::promise<Result<Payment>> done;
    start([&done](Outcome<Result<Payment>> o) {
      done.set_value(o.ok() ? o.value() : Result<Payment>(ServiceError::internal(o.error())));
    });
    return done.get_future().get();
  }
  Result<Payment> authorize(const char *amount = "20.00") {
    return wait([&](PaymentReply r) { service->authorize({eur(amount), "pm_card_visa", {}, {}, {}}, std::move(r)); });
  }
  template <class Fn> auto in_store(Fn fn) {
    std::optional<decltype(fn(std::declval<Repository &>()))> out;
    store->run([&](Repository &r) { out.emplace(fn(r)); });
    return std::move(*out);
  }
  //! Waits (up to 5 s) until the condition holds in the store.
  template <class Fn> bool eventually(Fn fn) {
    for (int i = 0; i < 500; ++i) {
      if (in_store(fn)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  void start_session(const Payment &p, std::int64_t tx_id) {
    Transaction t;
    t.id = tx_id;
    t.id_tag = *p.id_token;
    bus.publish(TransactionStarted{StationId::unchecked("CS-1"), clock.now(), t});
    ASSERT_TRUE(eventually([&](Repository &r) { return r.payment(p.id)->transaction_id == tx_id; }));
  }

  FakeClock clock;
  std::filesystem::path dir;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<core::WorkerPool> pool;
  ScriptedProvider provider;
  bus::LocalBus bus;
  std::unique_ptr<PaymentService> service;
};

} // namespace

TEST_F(PaymentServiceTest, authorising_holds_the_amount_and_gives_a_one_time_token) {
  auto p = authorize("20.00");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->status, PaymentStatus::Authorized);
  EXPECT_EQ(p->authorized_minor, 2000);
  EXPECT_EQ(p->provider_ref, "pi_" + std::to_string(p->id));
  ASSERT_TRUE(p->id_token);
  EXPECT_EQ(p->id_token->size(), 19U) << "within OCPP 1.6's idTag limit of 20";
  auto token = in_store([&](Repository &r) { return r.id_token(*p->id_token); });
  ASSERT_TRUE(token);
  EXPECT_EQ(token->status, TokenStatus::Accepted);
  EXPECT_EQ(token->expires_at, clock.now() + std::chrono::seconds(900));
  auto ops = in_store([&](Repository &r) { return r.payment_operations(p->id); });
  ASSERT_EQ(ops.size(), 1U);
  EXPECT_EQ(ops[0].status, PaymentOperationStatus::Succeeded);
  EXPECT_EQ(ops[0].idempotency_key, provider.calls.at(0).second);
}

TEST_F(PaymentServiceTest, refuses_amounts_finer_than_the_currency_and_declined_cards) {
  auto fine = authorize("20.001");
  ASSERT_FALSE(fine);
  EXPECT_EQ(fine.error().field, "amount");
  EXPECT_EQ(provider.calls.size(), 0U) << "nothing is sent for an invalid request";
  provider.next.push_back(CallOutcome::Refused);
  auto declined = authorize("10.00");
  ASSERT_FALSE(declined);
  EXPECT_EQ(declined.error().field, "payment_method");
  auto stored = in_store([](Repository &r) { return r.payments(PaymentFilter{}); });
  ASSERT_EQ(stored.size(), 1U);
  EXPECT_EQ(stored[0].status, PaymentStatus::Failed);
  EXPECT_FALSE(in_store([&](Repository &r) { return r.id_token(*stored[0].id_token).has_value(); }))
      << "a declined card gives no token";
}

TEST_F(PaymentServiceTest, captures_the_cdr_total_once_and_the_token_is_spent_when_the_session_ends) {
  auto p = authorize("20.00");
  ASSERT_TRUE(p);
  start_session(*p, 41);
  Transaction ended;
  ended.id = 41;
  ended.id_tag = *p->id_token;
  bus.publish(TransactionEnded{StationId::unchecked("CS-1"), clock.now(), ended});
  ASSERT_TRUE(eventually([&](Repository &r) { return r.id_token(*p->id_token)->status == TokenStatus::Expired; }));
  auto captured = wait([&](PaymentReply r) { service->capture_for_cdr(41, "CDR-41", eur("12.345"), std::move(r)); });
  ASSERT_TRUE(captured) << captured.error().message;
  EXPECT_EQ(captured->status, PaymentStatus::Captured);
  EXPECT_EQ(captured->captured_minor, 1235) << "12.345 EUR rounded half up to cents";
  EXPECT_EQ(captured->cdr_id, "CDR-41");
  auto again = wait([&](PaymentReply r) { service->capture_for_cdr(41, "CDR-41", eur("12.345"), std::move(r)); });
  ASSERT_TRUE(again);
  EXPECT_EQ(again->captured_minor, 1235);
  EXPECT_EQ(provider.count("capture"), 1U) << "money never moves twice";
}

TEST_F(PaymentServiceTest, a_price_above_the_hold_captures_the_hold_and_a_zero_price_releases_it) {
  auto p = authorize("5.00");
  ASSERT_TRUE(p);
  start_session(*p, 7);
  auto over = wait([&](PaymentReply r) { service->capture_for_cdr(7, "CDR-7", eur("8.00"), std::move(r)); });
  ASSERT_TRUE(over);
  EXPECT_EQ(over->captured_minor, 500);
  ASSERT_TRUE(over->error);
  EXPECT_NE(over->error->find("300 remain"), std::string::npos) << *over->error;

  auto q = authorize("5.00");
  ASSERT_TRUE(q);
  start_session(*q, 8);
  auto zero = wait([&](PaymentReply r) { service->capture_for_cdr(8, "CDR-8", eur("0"), std::move(r)); });
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->status, PaymentStatus::Canceled);
  EXPECT_EQ(zero->captured_minor, 0);
  EXPECT_EQ(provider.count("cancel"), 1U);
}

TEST_F(PaymentServiceTest, refunds_each_credit_cdr_once_up_to_what_was_captured) {
  auto p = authorize("20.00");
  ASSERT_TRUE(p);
  start_session(*p, 9);
  ASSERT_TRUE(wait([&](PaymentReply r) { service->capture_for_cdr(9, "CDR-9", eur("10.00"), std::move(r)); }));
  auto partial =
      wait([&](PaymentReply r) { service->refund_for_credit_cdr("CDR-9", "CDR-9-C1", eur("-4.00"), std::move(r)); });
  ASSERT_TRUE(partial) << partial.error().message;
  EXPECT_EQ(partial->refunded_minor, 400);
  EXPECT_EQ(partial->status, PaymentStatus::Captured);
  auto repeat =
      wait([&](PaymentReply r) { service->refund_for_credit_cdr("CDR-9", "CDR-9-C1", eur("-4.00"), std::move(r)); });
  ASSERT_TRUE(repeat);
  EXPECT_EQ(repeat->refunded_minor, 400) << "the same credit CDR refunds once";
  auto rest =
      wait([&](PaymentReply r) { service->refund_for_credit_cdr("CDR-9", "CDR-9-C2", eur("-10.00"), std::move(r)); });
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->refunded_minor, 1000) << "at most what was captured";
  EXPECT_EQ(rest->status, PaymentStatus::Refunded);
  EXPECT_EQ(provider.count("refund"), 2U);
}

TEST_F(PaymentServiceTest, an_unanswered_call_is_retried_by_the_sweep_with_the_same_key) {
  provider.next.push_back(CallOutcome::Unavailable);
  auto first = authorize("15.00");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ServiceError::Code::Unavailable);
  auto pending = in_store([](Repository &r) { return r.payments(PaymentFilter{}); });
  ASSERT_EQ(pending.size(), 1U);
  EXPECT_EQ(pending[0].status, PaymentStatus::Pending);
  service->sweep();
  ASSERT_TRUE(eventually([&](Repository &r) { return r.payment(pending[0].id)->status == PaymentStatus::Authorized; }));
  ASSERT_EQ(provider.calls.size(), 2U);
  EXPECT_EQ(provider.calls[0].second, provider.calls[1].second) << "the retry sends the same idempotency key";
}

TEST_F(PaymentServiceTest, the_hold_of_a_token_unused_until_it_expires_is_released) {
  auto p = authorize("20.00");
  ASSERT_TRUE(p);
  auto used = authorize("20.00");
  ASSERT_TRUE(used);
  start_session(*used, 3);
  clock.t += std::chrono::seconds(901);
  service->sweep();
  ASSERT_TRUE(eventually([&](Repository &r) { return r.payment(p->id)->status == PaymentStatus::Canceled; }));
  EXPECT_EQ(in_store([&](Repository &r) { return r.id_token(*p->id_token)->status; }), TokenStatus::Expired);
  EXPECT_EQ(in_store([&](Repository &r) { return r.payment(used->id)->status; }), PaymentStatus::Authorized)
      << "a token that started a session keeps its hold until the CDR";
  auto cancel = wait([&](PaymentReply r) { service->cancel(used->id, std::move(r)); });
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().code, ServiceError::Code::Conflict);
}

TEST_F(PaymentServiceTest, a_cdr_captures_its_session_and_its_credit_cdr_refunds_it_to_zero) {
  auto p = authorize("30.00");
  ASSERT_TRUE(p);
  start_session(*p, 77);
  Cdr cdr;
  cdr.id = "CDR-77";
  cdr.transaction_id = 77;
  cdr.currency = core::Currency::eur();
  cdr.total_cost = Price{*core::Decimal::parse("16.8067"), *core::Decimal::parse("20.0000")};
  service->on_cdr(cdr);
  ASSERT_TRUE(eventually([&](Repository &r) { return r.payment(p->id)->status == PaymentStatus::Captured; }));
  EXPECT_EQ(in_store([&](Repository &r) { return r.payment(p->id)->captured_minor; }), 2000) << "the total incl. VAT";
  auto credit = cdr;
  credit.id = "CDR-77-C";
  credit.credit = true;
  credit.credit_reference_id = "CDR-77";
  credit.total_cost = Price{*core::Decimal::parse("-16.8067"), *core::Decimal::parse("-20.0000")};
  service->on_cdr(credit);
  ASSERT_TRUE(eventually([&](Repository &r) { return r.payment(p->id)->status == PaymentStatus::Refunded; }));
  auto paid = in_store([&](Repository &r) { return *r.payment(p->id); });
  EXPECT_EQ(paid.captured_minor - paid.refunded_minor, 0) << "a credit CDR nets the payment to zero";
  Cdr other; // a session paid otherwise (no payment): nothing is called
  other.id = "CDR-5";
  other.transaction_id = 5;
  service->on_cdr(other);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(provider.count("capture"), 1U);
  EXPECT_EQ(provider.count("refund"), 1U);
}
