#pragma once
//! The driver portal's rules (docs/api.md "Driver portal API"), shared by the API and
//! `gridlane admin driver`: driver logins of customer accounts, their bearer tokens, and what the
//! public pages may see of the network (published locations only, an EVSE's status as a driver
//! reads it, the tariff an ad-hoc session there would get).
//!
//! Like AdminService, an operation comes in steps: check_*() needs nothing stored (any thread),
//! seal() hashes a password (slow: the API runs it on its blocking pool), and the methods taking
//! a Repository are units of work on the store's thread.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/driver.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/tariff.hpp"
#include "gridlane/services/live_values.hpp"

namespace gridlane::services {

struct DriverLimits {
  static constexpr std::size_t email_max = 254;
  static constexpr std::size_t name_max = 100;
  static constexpr std::size_t password_min = 12; //!< like users
  static constexpr std::size_t password_max = 256;
  static constexpr std::size_t query_max = 100;
  static constexpr std::size_t report_text_max = 1000;
  static constexpr std::size_t contact_max = 254;
};

//! A driver login to add, as given (API body or CLI options).
struct NewDriver {
  std::string account_id;
  std::string email;
  std::string password;
  std::optional<std::string> name;
  std::string id_token;
};

//! A checked driver: complete but for the password hash, which seal() adds.
struct DriverDraft {
  domain::DriverLogin login;
  std::optional<std::string> password; //!< still to hash; empty once sealed
};

//! One EVSE as the portal shows it.
struct ChargerEvse {
  domain::Evse evse;
  domain::DriveEvseStatus status = domain::DriveEvseStatus::Unknown;
  std::optional<domain::Tariff> tariff; //!< what an ad-hoc session started there would be priced with
};

//! A published location with the EVSEs that matched the search.
struct ChargerLocation {
  domain::Location location;
  std::vector<ChargerEvse> evses;
};

struct ChargerPage {
  std::vector<ChargerLocation> items;
  std::int64_t total = 0;
};

//! A portal session as its driver sees it (driver_sessions.cpp).
struct DriveView {
  domain::DriveSession session;
  domain::DriveSessionStatus status = domain::DriveSessionStatus::Starting;
  std::optional<domain::Transaction> transaction; //!< once the station started it
  std::optional<domain::Location> location;
  std::optional<std::int64_t> power_w; //!< the latest Power.Active.Import
  std::optional<domain::Price> cost;   //!< the engine's price so far (or final)
  core::Currency currency = core::Currency::eur();
  std::int64_t duration_s = 0;
};

//! Where a portal session is to be started: a published EVSE a driver may start on now.
struct StartTarget {
  domain::Evse evse;
  domain::Location location;
  std::optional<domain::Tariff> tariff;
};

//! A problem report as given.
struct NewReport {
  std::string evse_uid;
  std::string category;
  std::string text;
  std::optional<std::string> contact;
  std::string remote;
};

//! Tells whether a station has a live connection now (the StationGateway's answer).
using ConnectedFn = std::function<bool(const domain::StationId &)>;

class DriverService {
public:
  explicit DriverService(const core::Clock &clock) : clock_(clock) {}

  // ---- rules that need nothing stored ----
  //! An email address as stored: trimmed of nothing, lower-cased; one '@' with text either side,
  //! at most 254 characters, no spaces or control characters.
  static domain::Result<std::string> check_email(std::string_view email);
  domain::Result<DriverDraft> check_driver(const NewDriver &in) const;
  static void seal(DriverDraft &d);

  // ---- units of work ----
  //! Adds the login: NotFound for an unknown account, Invalid (field id_token) for a token that
  //! is not the account's, Conflict when the email is taken.
  domain::Result<domain::DriverLogin> add_driver(domain::Repository &r, const DriverDraft &d) const;
  domain::Result<void> set_disabled(domain::Repository &r, std::string_view email, bool disabled) const;
  domain::Result<void> delete_driver(domain::Repository &r, std::string_view email) const;
  //! The driver of a live login token whose login is enabled and whose account exists.
  std::optional<domain::DriverLogin> driver_of_token(domain::Repository &r, std::string_view token_hash) const;
  //! Stores a new login token for the driver; its expiry.
  domain::Timestamp issue_token(domain::Repository &r, const domain::DriverLogin &d, std::string_view token_hash,
                                std::chrono::seconds lifetime) const;

  //! The public charger search: published locations, each with its EVSEs that match the filter
  //! (`f.connected`: the stations connected now, which `available` needs).
  ChargerPage chargers(domain::Repository &r, const domain::ChargerFilter &f, const ConnectedFn &connected) const;
  //! One EVSE of a published location (the QR code's landing); NotFound otherwise.
  domain::Result<ChargerLocation> charger(domain::Repository &r, domain::EvseUid uid,
                                          const ConnectedFn &connected) const;

  //! What a card payment holds before a session: 50 in the currency of the EVSE's tariff (EUR
  //! without one); the capture takes the final price and releases the rest.
  static core::Money card_hold(const std::optional<domain::Tariff> &tariff);

  //! What a driver reads of an EVSE: its connector statuses combined (a station-wide Faulted or
  //! Unavailable one counts for every EVSE), Offline when its station is not connected.
  static domain::DriveEvseStatus evse_status(const domain::Evse &e, const std::vector<domain::StatusReport> &statuses,
                                             bool connected);

  // ---- portal sessions (driver_sessions.cpp) ----
  //! How long a started session may wait for its station's transaction before it failed.
  static constexpr std::chrono::seconds start_timeout{120};
  //! The EVSE of a new session: NotFound unless published; Conflict when it cannot start now
  //! (Offline, Charging, Faulted, Unavailable, Reserved, no status yet). With `on_account`, the
  //! session starts with that driver's card: Conflict unless the account still holds the card
  //! and the card is accepted (an operator may have moved or blocked it since the login was made).
  domain::Result<StartTarget> start_target(domain::Repository &r, domain::EvseUid uid, const ConnectedFn &connected,
                                           const domain::DriverLogin *on_account = nullptr) const;
  //! The remote start of a session on `evse` with `id_tag`, for the station's OCPP version.
  static domain::Command remote_start(const domain::Evse &evse, domain::ProtocolVersion version,
                                      const std::string &id_tag);
  //! The session now: links the station's transaction once it is known (from the remote start
  //! or the card payment), and reads its status, energy (`live` over the stored value), power
  //! and cost so far.
  DriveView view(domain::Repository &r, domain::DriveSession s, const LiveValues *live) const;
  //! A session by its capability (ds_...), or by its ref for the driver whose account it is;
  //! NotFound otherwise (another driver's session is not told apart from none).
  std::optional<domain::DriveSession> find_session(domain::Repository &r, std::string_view id,
                                                   const std::optional<domain::DriverLogin> &driver) const;

  // ---- problem reports (driver_sessions.cpp) ----
  domain::Result<domain::ProblemReport> check_report(const NewReport &in) const;
  //! Stores it: NotFound unless the EVSE is at a published location.
  domain::Result<domain::ProblemReport> add_report(domain::Repository &r, domain::ProblemReport p) const;
  domain::Result<domain::ProblemReport> set_report_status(domain::Repository &r, std::int64_t id,
                                                          domain::ReportStatus status) const;

private:
  ChargerEvse describe(domain::Repository &r, const domain::Location &l, const domain::Evse &e,
                       const std::vector<domain::StatusReport> &statuses, bool connected) const;
  const core::Clock &clock_;
};

} // namespace gridlane::services
