#pragma once
//! A card provider following Stripe's documented PaymentIntents API with manual capture:
//!   authorise  POST /v1/payment_intents  amount, currency, payment_method, confirm=true,
//!              capture_method=manual           -> status "requires_capture"
//!   capture    POST /v1/payment_intents/{id}/capture  amount_to_capture  -> "succeeded"
//!              (the part of the hold not captured is released by the provider)
//!   cancel     POST /v1/payment_intents/{id}/cancel   -> "canceled"
//!   refund     POST /v1/refunds  payment_intent, amount  -> refund "succeeded" or "pending"
//! Every call sends the Idempotency-Key it is given. Answers: 2xx is read; 402 and other 4xx
//! (card_error, invalid_request_error, idempotency_error) are refusals; 409 (the key still in
//! use by an earlier request), 429, 5xx and no answer
//! are Unavailable (retry with the same key).
#include <memory>

#include "gridlane/payments/http.hpp"
#include "gridlane/payments/provider.hpp"

namespace gridlane::payments {

class StripeProvider final : public PaymentProvider {
public:
  explicit StripeProvider(std::unique_ptr<HttpTransport> http) : http_(std::move(http)) {}
  std::string_view name() const override { return "stripe"; }
  CallResult authorize(const AuthorizeCall &call) override;
  CallResult capture(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) override;
  CallResult cancel(std::string_view ref, std::string_view idempotency_key) override;
  CallResult refund(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) override;

private:
  std::unique_ptr<HttpTransport> http_;
};

//! Post-paid: the session is billed on its account's invoice. Nothing is held or moved at
//! authorisation; "capture" records the amount due (the invoice run bills it); a refund is a
//! credit on the next invoice. No network: every call succeeds at once.
class InvoiceProvider final : public PaymentProvider {
public:
  std::string_view name() const override { return "invoice"; }
  CallResult authorize(const AuthorizeCall &call) override;
  CallResult capture(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) override;
  CallResult cancel(std::string_view ref, std::string_view idempotency_key) override;
  CallResult refund(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) override;
};

} // namespace gridlane::payments
