// The PaymentIntents codec: forms out, JSON answers in. JSON exists only here in this library.
#include "gridlane/payments/stripe.hpp"

#include <cctype>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace gridlane::payments {
namespace json = boost::json;

namespace {

std::string lower(std::string_view code) {
  std::string out(code);
  for (auto &ch : out)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

//! A path segment from the provider's id: only [A-Za-z0-9_] (Stripe ids are "pi_3MtwBw...").
bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (unsigned char ch : id)
    if (!std::isalnum(ch) && ch != '_') return false;
  return true;
}

CallResult unavailable(std::string message) {
  return CallResult{CallOutcome::Unavailable, std::nullopt, 0, std::move(message)};
}
CallResult refused(std::string message) {
  return CallResult{CallOutcome::Refused, std::nullopt, 0, std::move(message)};
}

std::optional<json::object> parse_object(const std::string &body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.get_object();
}

std::string text(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

//! A non-negative integer member (amounts in minor units); nullopt when missing or not one.
std::optional<std::int64_t> amount(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  return std::nullopt;
}

//! The HTTP answer judged: a JSON object for 2xx, else the refusal or unavailability.
struct Judged {
  std::optional<json::object> object;
  CallResult failure;
};

Judged judge(const domain::Result<HttpAnswer> &answer) {
  if (!answer) return {std::nullopt, unavailable(answer.error().message)};
  auto status = answer->status;
  auto object = parse_object(answer->body);
  if (status >= 200 && status < 300) {
    if (!object) return {std::nullopt, unavailable("payment provider: an answer that is not a JSON object")};
    return {std::move(object), {}};
  }
  std::string message = fmt::format("payment provider answered HTTP {}", status);
  if (object) {
    if (const auto *e = object->if_contains("error"); e && e->is_object()) {
      const auto &err = e->get_object();
      auto m = text(err, "message");
      auto code = text(err, "decline_code");
      if (code.empty()) code = text(err, "code");
      if (!m.empty()) message = m;
      if (!code.empty()) message += " (" + code + ")";
    }
  }
  // 409: the same key is still being processed by an earlier request: ask again later.
  if (status == 409 || status == 429 || status >= 500) return {std::nullopt, unavailable(message)};
  return {std::nullopt, refused(message)};
}

} // namespace

CallResult StripeProvider::authorize(const AuthorizeCall &call) {
  Form form{{"amount", std::to_string(call.amount_minor)},
            {"currency", lower(call.currency.code())},
            {"payment_method", call.payment_method},
            {"payment_method_types[]", "card"},
            {"capture_method", "manual"},
            {"confirm", "true"},
            {"description", call.description},
            {"metadata[gridlane_payment_id]", std::to_string(call.payment_id)}};
  auto judged = judge(http_->post("/v1/payment_intents", form, call.idempotency_key));
  if (!judged.object) return judged.failure;
  const auto &pi = *judged.object;
  auto id = text(pi, "id");
  auto status = text(pi, "status");
  if (!plain_id(id)) return unavailable("payment provider: a PaymentIntent without a usable id");
  if (status != "requires_capture")
    return CallResult{CallOutcome::Refused, id, 0,
                      "the card was not authorised (PaymentIntent status " + (status.empty() ? "?" : status) + ")"};
  auto held = amount(pi, "amount_capturable");
  if (!held) held = amount(pi, "amount");
  if (!held) return unavailable("payment provider: a PaymentIntent without its amount");
  return CallResult{CallOutcome::Succeeded, id, *held, {}};
}

CallResult StripeProvider::capture(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) {
  if (!plain_id(ref)) return refused("not a PaymentIntent id");
  Form form{{"amount_to_capture", std::to_string(amount_minor)}};
  auto judged =
      judge(http_->post("/v1/payment_intents/" + std::string(ref) + "/capture", form, std::string(idempotency_key)));
  if (!judged.object) return judged.failure;
  auto status = text(*judged.object, "status");
  if (status != "succeeded") return refused("the capture did not succeed (PaymentIntent status " + status + ")");
  auto received = amount(*judged.object, "amount_received").value_or(amount_minor);
  return CallResult{CallOutcome::Succeeded, std::string(ref), received, {}};
}

CallResult StripeProvider::cancel(std::string_view ref, std::string_view idempotency_key) {
  if (!plain_id(ref)) return refused("not a PaymentIntent id");
  Form form{{"cancellation_reason", "abandoned"}};
  auto judged =
      judge(http_->post("/v1/payment_intents/" + std::string(ref) + "/cancel", form, std::string(idempotency_key)));
  if (!judged.object) return judged.failure;
  auto status = text(*judged.object, "status");
  if (status != "canceled") return refused("the cancellation did not succeed (PaymentIntent status " + status + ")");
  return CallResult{CallOutcome::Succeeded, std::string(ref), 0, {}};
}

CallResult StripeProvider::refund(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) {
  if (!plain_id(ref)) return refused("not a PaymentIntent id");
  Form form{{"payment_intent", std::string(ref)}, {"amount", std::to_string(amount_minor)}};
  auto judged = judge(http_->post("/v1/refunds", form, std::string(idempotency_key)));
  if (!judged.object) return judged.failure;
  auto id = text(*judged.object, "id");
  auto status = text(*judged.object, "status");
  // "pending": accepted, the money is on its way back; "failed"/"canceled": refused.
  if (status != "succeeded" && status != "pending")
    return CallResult{CallOutcome::Refused, id, 0, "the refund did not succeed (status " + status + ")"};
  auto given = amount(*judged.object, "amount").value_or(amount_minor);
  return CallResult{CallOutcome::Succeeded, id, given, {}};
}

CallResult InvoiceProvider::authorize(const AuthorizeCall &call) {
  return CallResult{CallOutcome::Succeeded, "invoice-" + std::to_string(call.payment_id), call.amount_minor, {}};
}
CallResult InvoiceProvider::capture(std::string_view ref, std::int64_t amount_minor, std::string_view) {
  return CallResult{CallOutcome::Succeeded, std::string(ref), amount_minor, {}};
}
CallResult InvoiceProvider::cancel(std::string_view ref, std::string_view) {
  return CallResult{CallOutcome::Succeeded, std::string(ref), 0, {}};
}
CallResult InvoiceProvider::refund(std::string_view ref, std::int64_t amount_minor, std::string_view) {
  return CallResult{CallOutcome::Succeeded, std::string(ref), amount_minor, {}};
}

} // namespace gridlane::payments
