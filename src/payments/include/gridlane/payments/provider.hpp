#pragma once
//! The payment provider interface. A provider moves money for one payment: it holds an amount
//! before a session (authorise), takes the final price after it (capture, which releases the
//! rest of the hold), releases a hold unused (cancel) and gives money back (refund). Each call
//! carries an idempotency key derived from stable ids (idempotency.hpp): sent twice, it moves
//! money once. Calls may block on the network: run them on a worker pool, never on a network
//! thread nor inside a store unit of work (services::PaymentService does).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/core/money.hpp"

namespace gridlane::payments {

//! How a provider answered one call.
enum class CallOutcome {
  Succeeded,   //!< done (or done before under the same key: the provider replays its answer)
  Refused,     //!< a final no (declined card, invalid request, wrong state): do not retry
  Unavailable, //!< no answer (network, timeout, 429, 5xx): retry later with the same key
};

struct CallResult {
  CallOutcome outcome = CallOutcome::Unavailable;
  std::optional<std::string> ref; //!< the provider's id of what it created ("pi_...", "re_...")
  std::int64_t amount_minor = 0;  //!< held (authorise), taken (capture), given back (refund)
  std::string message;            //!< for people: why it was refused or unavailable
};

struct AuthorizeCall {
  std::int64_t amount_minor = 0;
  core::Currency currency = core::Currency::eur();
  std::string payment_method;  //!< the provider's payment method id ("pm_card_visa")
  std::string description;     //!< shown on the provider's dashboard
  std::int64_t payment_id = 0; //!< Gridlane's id, sent as metadata
  std::string idempotency_key;
};

class PaymentProvider {
public:
  virtual ~PaymentProvider() = default;
  //! "stripe", "invoice": stored with each payment.
  virtual std::string_view name() const = 0;
  //! Holds the amount without taking it (capture later).
  virtual CallResult authorize(const AuthorizeCall &call) = 0;
  //! Takes `amount_minor` (at most the amount held) of the hold `ref`; the rest is released.
  virtual CallResult capture(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) = 0;
  //! Releases the hold `ref` without taking anything.
  virtual CallResult cancel(std::string_view ref, std::string_view idempotency_key) = 0;
  //! Gives back `amount_minor` of what was taken on `ref`.
  virtual CallResult refund(std::string_view ref, std::int64_t amount_minor, std::string_view idempotency_key) = 0;
};

} // namespace gridlane::payments
