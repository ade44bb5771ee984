#pragma once
//! The driver portal (docs/api.md "Driver portal API", migration 0018): driver logins of
//! customer accounts, the sessions drivers start from the portal (by account or by card), and
//! problem reports about chargers. The rules are services::DriverService's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/location.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! A driver's login to the portal. It belongs to a customer account and starts sessions with
//! one of that account's id tokens.
struct DriverLogin {
  std::string email; //!< lower-cased, unique
  std::string account_id;
  std::optional<std::string> name;
  std::string password_hash; //!< argon2id
  std::string id_token;      //!< an id token of the account
  bool disabled = false;
  Timestamp created_at;
};

//! How a portal session is paid.
enum class DrivePaymentMethod {
  Account, //!< a logged-in driver: the account's id token, billed to the account
  Card,    //!< ad hoc: a card hold through the payment provider, its one-time id token
};
inline std::string_view to_string(DrivePaymentMethod m) {
  return m == DrivePaymentMethod::Card ? "card" : "account";
}
inline std::optional<DrivePaymentMethod> parse_drive_payment_method(std::string_view s) {
  if (s == "account") return DrivePaymentMethod::Account;
  if (s == "card") return DrivePaymentMethod::Card;
  return std::nullopt;
}

//! A session started from the portal. Its id (ds_...) is a bearer capability: only its hash is
//! stored. `ref` is a public handle for the owning driver's list.
struct DriveSession {
  std::string id_hash;
  std::string ref;
  EvseUid evse_uid{0};
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  DrivePaymentMethod method = DrivePaymentMethod::Account;
  std::optional<std::string> account_id;
  std::optional<std::string> driver_email;
  std::optional<std::int64_t> payment_id;
  std::string id_token;
  std::optional<std::int64_t> command_id;
  std::optional<std::int64_t> transaction_id;
  std::optional<std::string> failure;
  Timestamp created_at;
};

//! Where a portal session is, as its driver reads it.
enum class DriveSessionStatus { Starting, Charging, Suspended, Finishing, Ended, Failed };
inline std::string_view to_string(DriveSessionStatus s) {
  switch (s) {
  case DriveSessionStatus::Starting: return "starting";
  case DriveSessionStatus::Charging: return "charging";
  case DriveSessionStatus::Suspended: return "suspended";
  case DriveSessionStatus::Finishing: return "finishing";
  case DriveSessionStatus::Ended: return "ended";
  case DriveSessionStatus::Failed: return "failed";
  }
  return "failed";
}

enum class ReportCategory { NotWorking, Damaged, Blocked, Payment, Other };
// The stored and API text of the enums: for codecs only (the store's rows, the API's JSON).
inline std::string_view to_string(ReportCategory c) {
  switch (c) {
  case ReportCategory::NotWorking: return "not_working";
  case ReportCategory::Damaged: return "damaged";
  case ReportCategory::Blocked: return "blocked";
  case ReportCategory::Payment: return "payment";
  case ReportCategory::Other: return "other";
  }
  return "other";
}
inline std::optional<ReportCategory> parse_report_category(std::string_view s) {
  for (auto c : {ReportCategory::NotWorking, ReportCategory::Damaged, ReportCategory::Blocked, ReportCategory::Payment,
                 ReportCategory::Other})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

enum class ReportStatus { Open, Resolved };
inline std::string_view to_string(ReportStatus s) {
  return s == ReportStatus::Open ? "open" : "resolved";
}
inline std::optional<ReportStatus> parse_report_status(std::string_view s) {
  if (s == "open") return ReportStatus::Open;
  if (s == "resolved") return ReportStatus::Resolved;
  return std::nullopt;
}

//! A driver's report of a problem with a charger.
struct ProblemReport {
  std::int64_t id = 0;
  EvseUid evse_uid{0};
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  ReportCategory category = ReportCategory::Other;
  std::string text;
  std::optional<std::string> contact;
  std::optional<std::string> remote;
  ReportStatus status = ReportStatus::Open;
  Timestamp created_at;
  std::optional<Timestamp> resolved_at;
};

struct ReportFilter {
  std::optional<StationId> station;
  std::optional<ReportStatus> status;
  std::size_t limit = 100;
  std::size_t offset = 0;
};

//! The public charger search: published locations with at least one EVSE that matches.
struct ChargerFilter {
  std::optional<std::string> query;           //!< in the location's name, address, city or postal code
  bool available = false;                     //!< an EVSE whose station is connected and Available
  std::optional<ConnectorStandard> connector; //!< an EVSE with a connector of this standard
  std::optional<std::int64_t> min_power_w;    //!< an EVSE with a connector of at least this power
  std::vector<StationId> connected;           //!< the stations connected now (for `available`)
  std::size_t limit = 20;
  std::size_t offset = 0;
};

//! What a driver sees of an EVSE's state: the connector statuses combined, or Offline.
enum class DriveEvseStatus { Available, Occupied, Charging, Reserved, Faulted, Unavailable, Offline, Unknown };
inline std::string_view to_string(DriveEvseStatus s) {
  switch (s) {
  case DriveEvseStatus::Available: return "Available";
  case DriveEvseStatus::Occupied: return "Occupied";
  case DriveEvseStatus::Charging: return "Charging";
  case DriveEvseStatus::Reserved: return "Reserved";
  case DriveEvseStatus::Faulted: return "Faulted";
  case DriveEvseStatus::Unavailable: return "Unavailable";
  case DriveEvseStatus::Offline: return "Offline";
  case DriveEvseStatus::Unknown: return "Unknown";
  }
  return "Unknown";
}

} // namespace gridlane::domain
