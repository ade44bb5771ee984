#include "gridlane/payments/idempotency.hpp"

#include <fmt/format.h>

namespace gridlane::payments {

namespace {
std::string base(const PaymentKeyBase &p) {
  return fmt::format("gridlane-pay-{}-{}", p.payment_id, core::to_unix_ms(p.created_at));
}
//! A CDR id is the operator's text: only [A-Za-z0-9._-] goes into a key, anything else as %XX,
//! so two ids never map to one key and the key stays printable ASCII.
std::string key_safe(std::string_view text) {
  std::string out;
  for (unsigned char ch : text) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
        ch == '-')
      out += static_cast<char>(ch);
    else
      out += fmt::format("%{:02X}", ch);
  }
  return out;
}
} // namespace

std::string authorize_key(const PaymentKeyBase &p) {
  return base(p) + "-authorize";
}
std::string capture_key(const PaymentKeyBase &p, std::int64_t transaction_id) {
  return fmt::format("{}-capture-tx-{}", base(p), transaction_id);
}
std::string cancel_key(const PaymentKeyBase &p) {
  return base(p) + "-cancel";
}
std::string refund_key(const PaymentKeyBase &p, std::string_view credit_cdr_id) {
  return base(p) + "-refund-cdr-" + key_safe(credit_cdr_id);
}

} // namespace gridlane::payments
