#pragma once
//! Payments (migration 0016): a payment is the money side of one charging session, taken by a
//! provider (a card through a PaymentIntents gateway, or post-paid on the account's invoice);
//! every call made to the provider is a PaymentOperation with the idempotency key it was sent
//! with, written before the call, so a retry after a crash or a timeout sends the same key and
//! money never moves twice. The rules are services::PaymentService's, the provider calls
//! gridlane_payments'.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

enum class PaymentMethodKind {
  Card,    //!< ad-hoc: authorised before the session, captured after it (PaymentIntents, manual capture)
  Invoice, //!< post-paid: the session is billed on its account's invoice; nothing is held
};

enum class PaymentStatus {
  Pending,    //!< recorded; the authorisation is on its way to the provider
  Authorized, //!< the amount is held; its one-time id token may start one session
  Captured,   //!< the final price was taken; the rest of the hold was released
  Canceled,   //!< the hold was released without taking anything
  Failed,     //!< the provider refused (declined card, invalid request)
  Refunded,   //!< everything captured was refunded (by credit CDRs)
};

//! One call to the provider.
enum class PaymentOperationKind { Authorize, Capture, Cancel, Refund };
enum class PaymentOperationStatus {
  Pending,   //!< written with its key; the call has not been answered yet (retry with the same key)
  Succeeded, //!< the provider accepted it
  Failed,    //!< the provider refused it; retrying with the same key gives the same answer
};

struct Payment {
  std::int64_t id = 0;
  PaymentMethodKind method = PaymentMethodKind::Card;
  PaymentStatus status = PaymentStatus::Pending;
  std::string provider;                    //!< "stripe", "invoice"
  std::optional<std::string> provider_ref; //!< the provider's id of it (a PaymentIntent "pi_...")
  std::string payment_method;              //!< what the customer pays with ("pm_card_visa", "invoice")
  core::Currency currency = core::Currency::eur();
  std::int64_t authorized_minor = 0; //!< held, in the currency's minor units
  std::int64_t captured_minor = 0;
  std::int64_t refunded_minor = 0;
  std::optional<std::string> id_token;       //!< the one-time token of the session it pays for
  std::optional<Timestamp> token_expires_at; //!< unused by then, the hold is released
  std::optional<StationId> station;          //!< where the driver said they would charge
  std::optional<int> evse_id;
  std::optional<std::int64_t> transaction_id; //!< the session it paid for, once started
  std::optional<std::string> cdr_id;          //!< the CDR whose total was captured
  std::optional<std::string> account_id;      //!< post-paid: the account billed
  std::optional<std::string> error;           //!< the provider's last refusal, for people
  Timestamp created_at;
  Timestamp updated_at;
};

struct PaymentOperation {
  std::int64_t id = 0;
  std::int64_t payment_id = 0;
  PaymentOperationKind kind = PaymentOperationKind::Authorize;
  PaymentOperationStatus status = PaymentOperationStatus::Pending;
  std::string idempotency_key;             //!< derived from stable ids (payment, transaction, CDR)
  std::int64_t amount_minor = 0;           //!< what it asked to move (0 for a cancel)
  std::optional<std::string> provider_ref; //!< a refund's "re_..." id
  std::optional<std::string> reference;    //!< what caused it: the CDR or credit CDR id
  std::optional<std::string> error;
  Timestamp created_at;
  std::optional<Timestamp> done_at;
};

struct PaymentFilter {
  std::optional<PaymentStatus> status;
  std::optional<std::int64_t> transaction_id;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

// The stored and API text of the enums: for codecs only (the store's rows, the API's JSON).
inline std::string_view to_string(PaymentMethodKind v) {
  return v == PaymentMethodKind::Card ? "card" : "invoice";
}
inline std::optional<PaymentMethodKind> parse_payment_method_kind(std::string_view s) {
  if (s == "card") return PaymentMethodKind::Card;
  if (s == "invoice") return PaymentMethodKind::Invoice;
  return std::nullopt;
}
inline std::string_view to_string(PaymentStatus v) {
  switch (v) {
  case PaymentStatus::Pending: return "pending";
  case PaymentStatus::Authorized: return "authorized";
  case PaymentStatus::Captured: return "captured";
  case PaymentStatus::Canceled: return "canceled";
  case PaymentStatus::Failed: return "failed";
  case PaymentStatus::Refunded: return "refunded";
  }
  return "pending";
}
inline std::optional<PaymentStatus> parse_payment_status(std::string_view s) {
  for (auto v : {PaymentStatus::Pending, PaymentStatus::Authorized, PaymentStatus::Captured, PaymentStatus::Canceled,
                 PaymentStatus::Failed, PaymentStatus::Refunded})
    if (to_string(v) == s) return v;
  return std::nullopt;
}
inline std::string_view to_string(PaymentOperationKind v) {
  switch (v) {
  case PaymentOperationKind::Authorize: return "authorize";
  case PaymentOperationKind::Capture: return "capture";
  case PaymentOperationKind::Cancel: return "cancel";
  case PaymentOperationKind::Refund: return "refund";
  }
  return "authorize";
}
inline std::optional<PaymentOperationKind> parse_payment_operation_kind(std::string_view s) {
  for (auto v : {PaymentOperationKind::Authorize, PaymentOperationKind::Capture, PaymentOperationKind::Cancel,
                 PaymentOperationKind::Refund})
    if (to_string(v) == s) return v;
  return std::nullopt;
}
inline std::string_view to_string(PaymentOperationStatus v) {
  switch (v) {
  case PaymentOperationStatus::Pending: return "pending";
  case PaymentOperationStatus::Succeeded: return "succeeded";
  case PaymentOperationStatus::Failed: return "failed";
  }
  return "pending";
}
inline std::optional<PaymentOperationStatus> parse_payment_operation_status(std::string_view s) {
  for (auto v : {PaymentOperationStatus::Pending, PaymentOperationStatus::Succeeded, PaymentOperationStatus::Failed})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

} // namespace gridlane::domain
