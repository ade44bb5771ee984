// The PaymentIntents card provider against a scripted transport: what it sends (form, path,
// idempotency key) and how it judges each kind of answer; idempotency keys; base URL rules.
#include <deque>
#include <gtest/gtest.h>

#include "gridlane/payments/idempotency.hpp"
#include "gridlane/payments/stripe.hpp"

using namespace gridlane;
using namespace gridlane::payments;

namespace {

struct Sent {
  std::string path;
  Form form;
  std::string key;
};

class ScriptedTransport final : public HttpTransport {
public:
  ScriptedTransport(std::vector<Sent> &sent, std::deque<domain::Result<HttpAnswer>> answers)
      : sent_(sent), answers_(std::move(answers)) {}
  domain::Result<HttpAnswer> post(const std::string &path, const Form &form, const std::string &key) override {
    sent_.push_back({path, form, key});
    auto a = answers_.front();
    answers_.pop_front();
    return a;
  }

private:
  std::vector<Sent> &sent_;
  std::deque<domain::Result<HttpAnswer>> answers_;
};

std::string field(const Form &form, const std::string &name) {
  for (const auto &[k, v] : form)
    if (k == name) return v;
  return "<absent>";
}

struct Provider {
  std::vector<Sent> sent;
  StripeProvider stripe;
  explicit Provider(std::deque<domain::Result<HttpAnswer>> answers)
      : stripe(std::make_unique<ScriptedTransport>(sent, std::move(answers))) {}
};

AuthorizeCall call(std::int64_t minor = 2000) {
  return AuthorizeCall{minor, core::Currency::eur(), "pm_card_visa", "session", 7, "gridlane-pay-7-1-authorize"};
}

} // namespace

TEST(StripeProvider, authorises_with_manual_capture_and_the_given_key) {
  Provider p(
      {HttpAnswer{200, R"({"id":"pi_123","status":"requires_capture","amount":2000,"amount_capturable":2000})"}});
  auto r = p.stripe.authorize(call());
  EXPECT_EQ(r.outcome, CallOutcome::Succeeded);
  EXPECT_EQ(r.ref, "pi_123");
  EXPECT_EQ(r.amount_minor, 2000);
  ASSERT_EQ(p.sent.size(), 1U);
  EXPECT_EQ(p.sent[0].path, "/v1/payment_intents");
  EXPECT_EQ(p.sent[0].key, "gridlane-pay-7-1-authorize");
  EXPECT_EQ(field(p.sent[0].form, "capture_method"), "manual");
  EXPECT_EQ(field(p.sent[0].form, "confirm"), "true");
  EXPECT_EQ(field(p.sent[0].form, "amount"), "2000");
  EXPECT_EQ(field(p.sent[0].form, "currency"), "eur");
  EXPECT_EQ(field(p.sent[0].form, "payment_method"), "pm_card_visa");
  EXPECT_EQ(field(p.sent[0].form, "metadata[gridlane_payment_id]"), "7");
}

TEST(StripeProvider, a_declined_card_is_a_refusal_with_the_providers_reason) {
  Provider p({HttpAnswer{402, R"({"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline",
                                   "message":"Your card was declined."}})"}});
  auto r = p.stripe.authorize(call());
  EXPECT_EQ(r.outcome, CallOutcome::Refused);
  EXPECT_EQ(r.message, "Your card was declined. (generic_decline)");
}

TEST(StripeProvider, an_intent_not_awaiting_capture_is_refused) {
  Provider p({HttpAnswer{200, R"({"id":"pi_9","status":"requires_action","amount":2000})"}});
  auto r = p.stripe.authorize(call());
  EXPECT_EQ(r.outcome, CallOutcome::Refused);
  EXPECT_NE(r.message.find("requires_action"), std::string::npos);
}

TEST(StripeProvider, no_answer_5xx_429_409_and_garbage_are_unavailable_to_retry_with_the_same_key) {
  Provider p({domain::ServiceError::unavailable("payment provider unreachable: Timeout was reached"),
              HttpAnswer{503, "{}"}, HttpAnswer{429, "{}"}, HttpAnswer{409, "{}"}, HttpAnswer{200, "<html>"}});
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(p.stripe.authorize(call()).outcome, CallOutcome::Unavailable) << i;
  for (const auto &s : p.sent)
    EXPECT_EQ(s.key, "gridlane-pay-7-1-authorize");
}

TEST(StripeProvider, captures_cancels_and_refunds_on_the_documented_paths) {
  Provider p({HttpAnswer{200, R"({"id":"pi_1","status":"succeeded","amount_received":1234})"},
              HttpAnswer{200, R"({"id":"pi_2","status":"canceled"})"},
              HttpAnswer{200, R"({"id":"re_1","object":"refund","status":"succeeded","amount":234})"},
              HttpAnswer{400, R"({"error":{"type":"invalid_request_error","code":"payment_intent_unexpected_state",
                                   "message":"This PaymentIntent could not be captured."}})"}});
  auto captured = p.stripe.capture("pi_1", 1234, "k-capture");
  EXPECT_EQ(captured.outcome, CallOutcome::Succeeded);
  EXPECT_EQ(captured.amount_minor, 1234);
  EXPECT_EQ(p.sent[0].path, "/v1/payment_intents/pi_1/capture");
  EXPECT_EQ(field(p.sent[0].form, "amount_to_capture"), "1234");
  EXPECT_EQ(p.stripe.cancel("pi_2", "k-cancel").outcome, CallOutcome::Succeeded);
  EXPECT_EQ(p.sent[1].path, "/v1/payment_intents/pi_2/cancel");
  auto refunded = p.stripe.refund("pi_1", 234, "k-refund");
  EXPECT_EQ(refunded.outcome, CallOutcome::Succeeded);
  EXPECT_EQ(refunded.ref, "re_1");
  EXPECT_EQ(p.sent[2].path, "/v1/refunds");
  EXPECT_EQ(field(p.sent[2].form, "payment_intent"), "pi_1");
  EXPECT_EQ(field(p.sent[2].form, "amount"), "234");
  EXPECT_EQ(p.stripe.capture("pi_1", 10, "k-again").outcome, CallOutcome::Refused);
  EXPECT_EQ(p.stripe.capture("pi_1/../x", 10, "k").outcome, CallOutcome::Refused) << "never a path from an odd id";
  EXPECT_EQ(p.sent.size(), 4U);
}

TEST(PaymentForms, encode_names_and_values) {
  EXPECT_EQ(encode_form({{"metadata[a]", "x y&z"}, {"n", "1"}}), "metadata%5Ba%5D=x%20y%26z&n=1");
}

TEST(IdempotencyKeys, are_stable_per_operation_and_distinct_between_operations) {
  PaymentKeyBase p{42, core::from_unix_ms(1700000000000)};
  PaymentKeyBase q{42, core::from_unix_ms(1700000000001)}; // the same id in a database created afresh
  EXPECT_EQ(authorize_key(p), authorize_key(p));
  EXPECT_EQ(authorize_key(p), "gridlane-pay-42-1700000000000-authorize");
  EXPECT_NE(authorize_key(p), authorize_key(q));
  EXPECT_EQ(capture_key(p, 9), "gridlane-pay-42-1700000000000-capture-tx-9");
  EXPECT_NE(capture_key(p, 9), capture_key(p, 10));
  EXPECT_NE(refund_key(p, "CDR-1"), refund_key(p, "CDR-2"));
  EXPECT_EQ(refund_key(p, "a b"), "gridlane-pay-42-1700000000000-refund-cdr-a%20b");
  EXPECT_NE(refund_key(p, "a%20b"), refund_key(p, "a b"));
}

TEST(PaymentBaseUrl, https_or_plain_http_to_loopback_only) {
  EXPECT_EQ(check_base_url("https://api.stripe.com", false), "");
  EXPECT_EQ(check_base_url("http://127.0.0.1:4242", true), "");
  EXPECT_EQ(check_base_url("http://localhost/", true), "");
  EXPECT_NE(check_base_url("http://127.0.0.1:4242", false), "");
  EXPECT_NE(check_base_url("http://127.0.0.1.evil.example", true), "");
  EXPECT_NE(check_base_url("http://api.stripe.com", true), "");
  EXPECT_NE(check_base_url("ftp://x", true), "");
}
