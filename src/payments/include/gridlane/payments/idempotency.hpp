#pragma once
//! Idempotency keys derived from stable ids: the same payment operation always gets the same key,
//! two different operations never share one. The payment's creation time is part of each key so
//! that a database created afresh against the same provider account cannot collide with the keys
//! of an earlier one (payment ids start at 1 again; the provider remembers keys for a day).
#include <cstdint>
#include <string>
#include <string_view>

#include "gridlane/core/time.hpp"

namespace gridlane::payments {

struct PaymentKeyBase {
  std::int64_t payment_id = 0;
  core::Timestamp created_at;
};

std::string authorize_key(const PaymentKeyBase &p);
//! One capture per session: keyed by the transaction it pays for.
std::string capture_key(const PaymentKeyBase &p, std::int64_t transaction_id);
std::string cancel_key(const PaymentKeyBase &p);
//! One refund per credit CDR.
std::string refund_key(const PaymentKeyBase &p, std::string_view credit_cdr_id);

} // namespace gridlane::payments
