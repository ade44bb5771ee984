#pragma once
//! The people and programs that run the network: users with roles, API keys, the audit log,
//! and the remote commands they send to stations.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! admin: everything; operator: run the network (stations, tokens, commands); viewer: read only.
enum class Role { Viewer, Operator, Admin };
std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;
  Role role = Role::Viewer;
  Timestamp created_at;
  bool disabled = false;
};

struct ApiKey {
  std::int64_t id = 0;
  std::string name;
  std::string key_hash;
  Role role = Role::Viewer;
  std::string created_by;
  Timestamp created_at;
  std::optional<Timestamp> revoked_at;
};

//! Who is calling: resolved from a bearer credential.
struct Principal {
  std::string actor; //!< "user:alice", "key:billing-export"
  Role role = Role::Viewer;
};

struct AuditEntry {
  std::int64_t id = 0;
  Timestamp at;
  std::string actor;
  std::string action;
  std::optional<std::string> target;
  std::optional<std::string> detail;
  std::optional<std::string> remote;
  int status = 0;
};

//! Which audit entries to list (GET /audit): each set filter must match; all are exact except
//! `action`, a part of the action text ("POST", "/users").
struct AuditFilter {
  std::optional<std::string> actor;  //!< "user:alice", "key:billing"
  std::optional<std::string> action; //!< a part of "POST /api/v1/users"
  std::optional<std::string> target;
  std::optional<bool> failed;    //!< true: status >= 400; false: below
  std::optional<Timestamp> from; //!< at or after
  std::optional<Timestamp> to;   //!< before
};

enum class CommandStatus { Queued, Sent, Accepted, Rejected, Failed, TimedOut, StationOffline };
std::string_view to_string(CommandStatus s);
std::optional<CommandStatus> parse_command_status(std::string_view s);
inline bool is_final(CommandStatus s) {
  return s != CommandStatus::Queued && s != CommandStatus::Sent;
}

struct CommandRecord {
  std::int64_t id = 0;
  StationId station = StationId::unchecked("");
  Command command = commands::ClearCache{}; //!< what was asked; its kind and params: domain/command_codec.hpp
  CommandStatus status = CommandStatus::Queued;
  std::optional<std::string> action;
  std::optional<std::string> response; //!< JSON
  std::optional<std::string> error;
  std::optional<std::int64_t> transaction_id;
  std::string created_by;
  Timestamp created_at;
  std::optional<Timestamp> finished_at;
};

} // namespace gridlane::domain
