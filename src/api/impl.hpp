#pragma once
// Private to the API library: request context, route table, helpers shared by the handlers.
#include <boost/json.hpp>
#include <memory>

#include "gridlane/api/api.hpp"
#include "gridlane/api/json.hpp"
#include "gridlane/services/location_service.hpp"

namespace gridlane::api {
namespace json = boost::json;

//! Thrown by handlers for a client error; becomes a problem+json response.
struct Problem {
  int status;
  std::string detail;
};

struct Ctx {
  Request req;
  std::map<std::string, std::string> path; //!< {name} segments of the route
  domain::Principal who;
  bool authenticated = false; //!< `who` comes from a valid credential
  std::function<void(Response)> done;
  Api::Impl *api = nullptr;

  Ctx() = default;
  Ctx(const Ctx &) = delete;
  Ctx &operator=(const Ctx &) = delete;
  ~Ctx();

  void reply(int status, const json::value &body);
  void problem(int status, const std::string &detail);
  //! A problem+json with Retry-After (429, 503).
  void problem(int status, const std::string &detail, std::chrono::seconds retry_after);
  //! The request body as a JSON object (400 otherwise).
  json::object body() const;
  std::size_t limit() const; //!< ?limit= (default 100, at most 1000)
  //! The {id} path segment as an integer; 404 naming `what` otherwise.
  std::int64_t numeric_id(const char *what) const;
  std::size_t offset() const; //!< ?offset=
};
using CtxPtr = std::shared_ptr<Ctx>;

struct Api::Impl {
  domain::StoreExecutor &store;
  const core::Clock &clock;
  services::CommandService &commands;
  domain::StationGateway &gateway;
  services::BlockingRunner blocking;
  ApiOptions options;
  services::CompatService *compat = nullptr; //!< station compatibility settings (compat.cpp)
  services::LocationService locations{};     //!< the rules of the physical model (locations.cpp)
  core::CredentialThrottle login_throttle{options.login_per_user, options.login_per_address, clock};

  //! Runs fn(Repository&) -> json::value on the store and replies `status` with it; a Problem
  //! thrown inside becomes its problem+json; any other failure a 500. `after_commit`, if any,
  //! runs once the unit is committed, before the reply.
  void query(const CtxPtr &ctx, int status, std::function<json::value(domain::Repository &)> fn,
             std::function<void()> after_commit = nullptr);
  //! Runs `work` on the blocking pool (password hashing). A Problem thrown by it becomes its
  //! problem+json; a full queue or a wait too long 503 with Retry-After; any other failure 500.
  void run_blocking(const CtxPtr &ctx, std::function<void()> work);
};

using Handler = void (*)(const CtxPtr &);

// resources.cpp
void login(const CtxPtr &c);
void logout(const CtxPtr &c);
void me(const CtxPtr &c);
void list_stations(const CtxPtr &c);
void create_station(const CtxPtr &c);
void get_station(const CtxPtr &c);
void accept_station(const CtxPtr &c);
void enable_station(const CtxPtr &c);
void disable_station(const CtxPtr &c);
void set_station_password(const CtxPtr &c);
void set_station_site(const CtxPtr &c);
void delete_station(const CtxPtr &c);
void station_status_history(const CtxPtr &c);
void station_events(const CtxPtr &c);
void station_frames(const CtxPtr &c);
void list_transactions(const CtxPtr &c);
void get_transaction(const CtxPtr &c);
void list_tokens(const CtxPtr &c);
void get_token(const CtxPtr &c);
void put_token(const CtxPtr &c);
void delete_token(const CtxPtr &c);
void import_tokens(const CtxPtr &c);
void list_audit(const CtxPtr &c);
void create_user(const CtxPtr &c);
void list_users(const CtxPtr &c);
void create_api_key(const CtxPtr &c);
void list_api_keys(const CtxPtr &c);
void revoke_api_key(const CtxPtr &c);
// compat.cpp
void get_station_compat(const CtxPtr &c);
void put_station_compat(const CtxPtr &c);
// locations.cpp
void list_locations(const CtxPtr &c);
void create_location(const CtxPtr &c);
void get_location(const CtxPtr &c);
void update_location(const CtxPtr &c);
void delete_location(const CtxPtr &c);
void set_station_location(const CtxPtr &c);
void list_station_evses(const CtxPtr &c);
void create_station_evse(const CtxPtr &c);
void get_evse(const CtxPtr &c);
void put_evse(const CtxPtr &c);
void delete_evse(const CtxPtr &c);
void put_evse_connector(const CtxPtr &c);
// commands.cpp
void send_command(const CtxPtr &c);
void get_command(const CtxPtr &c);
void list_station_commands(const CtxPtr &c);

} // namespace gridlane::api
