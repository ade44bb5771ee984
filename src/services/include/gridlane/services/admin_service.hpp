#pragma once
//! Administration: stations, id tokens, users and API keys, with one set of rules for the
//! operator API and the admin CLI alike (locations: services::LocationService).
//!
//! An operation comes in up to three steps, so that each caller runs each step where it should:
//!   1. check_*(): the request against the rules that need nothing stored; cheap, any thread;
//!   2. seal(): hashes a password; slow (argon2id), so the API runs it on its blocking pool;
//!   3. the unit of work (a method taking the Repository): checks against what is stored and
//!      writes, on the store's thread (the API through the StoreExecutor, the CLI through
//!      SqliteStore::run).
//! Every refusal is a ServiceError value, with the offending field where there is one; the API
//! maps it to problem+json, the CLI prints its message.
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

struct AdminLimits {
  static constexpr std::size_t station_password_min = 16; //!< OCPP security profile 1: 16 to 40
  static constexpr std::size_t station_password_max = 40;
  static constexpr std::size_t site_max = 64;
  static constexpr std::size_t id_tag_max = 36; //!< OCPP 2.x IdToken.idToken (string[36])
  static constexpr std::size_t username_max = 64;
  static constexpr std::size_t user_password_min = 12;
  static constexpr std::size_t api_key_name_max = 64;
};

//! A station to register, as given (API body or CLI options).
struct NewStation {
  std::string id;
  std::optional<std::string> password; //!< HTTP Basic password; nullopt: none required
  std::optional<std::string> site;
  bool pending = false; //!< BootNotification answered Pending until accepted
};

//! A checked station: `station` is complete but for the password hash, which seal() adds.
struct StationDraft {
  domain::Station station;
  std::optional<std::string> password; //!< still to hash; empty once sealed
};

//! An id token to add or replace, as given.
struct TokenInput {
  std::string id_tag;
  std::optional<std::string> status;     //!< Accepted (default), Blocked, Expired or Invalid
  std::optional<std::string> expires_at; //!< RFC 3339 with a zone
  std::optional<std::string> parent_id;  //!< the group id tag
};

struct NewUser {
  std::string username;
  std::string password;
  std::string role; //!< admin, operator or viewer
};

struct UserDraft {
  domain::User user;
  std::optional<std::string> password; //!< still to hash; empty once sealed
};

struct NewApiKey {
  std::string name;
  std::string role;
  std::string created_by; //!< the actor creating it: "user:alice", "key:ci", "cli"
};

//! A change to a user (PATCH /users/{id}): what is left out stays.
struct UserChange {
  std::optional<std::string> role; //!< admin, operator or viewer
  std::optional<bool> disabled;
};

//! A created API key: the record and the secret, shown once and stored only as its hash.
struct CreatedApiKey {
  domain::ApiKey key;
  std::string secret;
};

class AdminService {
public:
  explicit AdminService(const core::Clock &clock) : clock_(clock) {}

  // ---- rules that need nothing stored ----
  domain::Result<domain::StationId> check_station_id(std::string_view id) const;
  //! 16 to 40 characters (the OCPP security profile 1 Basic-auth password).
  domain::Result<std::string> check_station_password(std::string_view password) const;
  //! 1 to 64 characters.
  domain::Result<std::string> check_site(std::string_view site) const;
  domain::Result<StationDraft> check_station(const NewStation &in) const;
  domain::Result<domain::IdToken> check_token(const TokenInput &in) const;
  domain::Result<domain::Role> check_role(std::string_view role) const;
  domain::Result<UserDraft> check_user(const NewUser &in) const;
  domain::Result<CreatedApiKey> check_api_key(const NewApiKey &in) const; //!< makes the secret too

  // ---- the slow step ----
  static void seal(StationDraft &d);
  static void seal(UserDraft &d);

  // ---- units of work ----
  domain::Result<domain::Station> create_station(domain::Repository &r, const StationDraft &d) const;
  domain::Result<domain::Station> accept_station(domain::Repository &r, const domain::StationId &id) const;
  domain::Result<domain::IdToken> put_token(domain::Repository &r, const domain::IdToken &t) const;
  //! All or nothing: the caller checked every token first.
  domain::Result<std::size_t> import_tokens(domain::Repository &r, const std::vector<domain::IdToken> &tokens) const;
  domain::Result<domain::User> create_user(domain::Repository &r, const UserDraft &d) const;
  domain::Result<CreatedApiKey> create_api_key(domain::Repository &r, CreatedApiKey k) const;
  //! Changes a user's role or disables it (its sessions end). `by` is the actor changing it
  //! ("user:alice"): a user does not demote or disable itself (409), and the last enabled admin
  //! stays one (409), so the console always keeps someone who can manage users.
  domain::Result<domain::User> update_user(domain::Repository &r, std::int64_t id, const UserChange &change,
                                           std::string_view by) const;

private:
  const core::Clock &clock_;
};

} // namespace gridlane::services
