#include "gridlane/domain/account.hpp"

namespace gridlane::domain {

bool valid_billing_id(std::string_view text) {
  if (text.empty() || text.size() > 36) return false;
  for (char c : text)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
          c == '-'))
      return false;
  return true;
}

std::string_view to_string(AccountKind k) {
  return k == AccountKind::Company ? "company" : "driver";
}

std::optional<AccountKind> parse_account_kind(std::string_view text) {
  if (text == "driver") return AccountKind::Driver;
  if (text == "company") return AccountKind::Company;
  return std::nullopt;
}

std::string_view to_string(CouponKind k) {
  switch (k) {
  case CouponKind::AmountOff: return "amount_off";
  case CouponKind::PercentOff: return "percent_off";
  case CouponKind::FirstSessionFree: return "first_session_free";
  case CouponKind::FirstHourFree: return "first_hour_free";
  }
  return "amount_off";
}

std::optional<CouponKind> parse_coupon_kind(std::string_view text) {
  for (auto k :
       {CouponKind::AmountOff, CouponKind::PercentOff, CouponKind::FirstSessionFree, CouponKind::FirstHourFree})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

std::string_view to_string(LoyaltyEntryKind k) {
  switch (k) {
  case LoyaltyEntryKind::Earned: return "earned";
  case LoyaltyEntryKind::Redeemed: return "redeemed";
  case LoyaltyEntryKind::Adjusted: return "adjusted";
  }
  return "adjusted";
}

std::optional<LoyaltyEntryKind> parse_loyalty_entry_kind(std::string_view text) {
  for (auto k : {LoyaltyEntryKind::Earned, LoyaltyEntryKind::Redeemed, LoyaltyEntryKind::Adjusted})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

} // namespace gridlane::domain
