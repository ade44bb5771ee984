#pragma once
//! Operators: users, their login sessions, API keys, and the audit log of what they did.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/operators.hpp"

namespace gridlane::domain {

class OperatorStore {
public:
  virtual ~OperatorStore() = default;

  virtual std::optional<User> user_by_name(std::string_view username) = 0;
  virtual std::optional<User> user_by_id(std::int64_t id) = 0;
  virtual std::int64_t insert_user(const User &u) = 0;
  virtual std::vector<User> users() = 0;
  virtual std::vector<User> users(std::size_t limit, std::size_t offset) = 0;
  //! Sets a user's role and whether it is disabled; disabling also ends its login sessions.
  //! False when there is no such user.
  virtual bool update_user(std::int64_t id, Role role, bool disabled) = 0;
  //! Enabled users with the admin role.
  virtual std::int64_t count_active_admins() = 0;

  virtual void insert_session(std::string_view token_hash, std::int64_t user_id, Timestamp created,
                              Timestamp expires) = 0;
  //! The user of a live session.
  virtual std::optional<User> session_user(std::string_view token_hash, Timestamp now) = 0;
  virtual void delete_session(std::string_view token_hash) = 0;

  virtual std::int64_t insert_api_key(const ApiKey &k) = 0;
  virtual std::optional<ApiKey> api_key_by_hash(std::string_view key_hash) = 0;
  virtual std::vector<ApiKey> api_keys() = 0;
  virtual std::vector<ApiKey> api_keys(std::size_t limit, std::size_t offset) = 0;
  virtual bool revoke_api_key(std::int64_t id, Timestamp at) = 0;

  virtual void insert_audit(const AuditEntry &e) = 0;
  //! Newest first.
  virtual std::vector<AuditEntry> audit(std::size_t limit, std::size_t offset) = 0;
  //! Newest first, filtered in the query.
  virtual std::vector<AuditEntry> audit(const AuditFilter &f, std::size_t limit, std::size_t offset) = 0;
  virtual std::int64_t count_audit(const AuditFilter &f) = 0;
};

} // namespace gridlane::domain
