#pragma once
//! Storage of the driver portal (migration 0018): driver logins and their bearer tokens, the
//! sessions started from the portal, problem reports, and the public charger search. Used
//! inside one unit of work; the rules are services::DriverService's.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/driver.hpp"

namespace gridlane::domain {

class DriverStore {
public:
  virtual ~DriverStore() = default;

  // ---- logins
  virtual std::optional<DriverLogin> driver_login(std::string_view email) = 0;
  //! false when the email is taken.
  virtual bool insert_driver_login(const DriverLogin &d) = 0;
  //! Ordered by email.
  virtual std::vector<DriverLogin> driver_logins(std::string_view account_id, std::size_t limit,
                                                 std::size_t offset) = 0;
  virtual std::int64_t count_driver_logins(std::string_view account_id) = 0;
  //! Every login, ordered by email (the CLI's list).
  virtual std::vector<DriverLogin> all_driver_logins() = 0;
  virtual bool set_driver_disabled(std::string_view email, bool disabled) = 0;
  //! Deletes the login and its tokens.
  virtual bool delete_driver_login(std::string_view email) = 0;

  // ---- login tokens (gld_...)
  virtual void insert_driver_token(std::string_view token_hash, std::string_view email, Timestamp created,
                                   Timestamp expires) = 0;
  //! The login of a live token (not expired; the login may be disabled: the caller decides).
  virtual std::optional<DriverLogin> driver_of_token(std::string_view token_hash, Timestamp now) = 0;
  virtual void delete_driver_token(std::string_view token_hash) = 0;
  virtual void delete_driver_tokens(std::string_view email) = 0;

  // ---- the public charger search
  //! The ids of the published locations that match, ordered by name, paged.
  virtual std::vector<LocationId> charger_locations(const ChargerFilter &f) = 0;
  virtual std::int64_t count_charger_locations(const ChargerFilter &f) = 0;

  // ---- portal sessions
  virtual void insert_drive_session(const DriveSession &s) = 0;
  virtual std::optional<DriveSession> drive_session_by_hash(std::string_view id_hash) = 0;
  virtual std::optional<DriveSession> drive_session_by_ref(std::string_view ref) = 0;
  virtual std::optional<DriveSession> drive_session_by_command(std::int64_t command_id) = 0;
  //! Writes command_id, transaction_id and failure.
  virtual void update_drive_session(const DriveSession &s) = 0;
  //! The account's portal sessions, newest first.
  virtual std::vector<DriveSession> drive_sessions_of_account(std::string_view account_id, std::size_t limit,
                                                              std::size_t offset) = 0;
  virtual std::int64_t count_drive_sessions_of_account(std::string_view account_id) = 0;

  // ---- problem reports
  virtual std::int64_t insert_problem_report(const ProblemReport &p) = 0;
  virtual std::optional<ProblemReport> problem_report(std::int64_t id) = 0;
  //! Newest first.
  virtual std::vector<ProblemReport> problem_reports(const ReportFilter &f) = 0;
  virtual std::int64_t count_problem_reports(const ReportFilter &f) = 0;
  virtual void update_problem_report(const ProblemReport &p) = 0;
};

} // namespace gridlane::domain
