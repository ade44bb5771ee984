#pragma once
//! The /ocpi endpoint (Gridlane as CPO), independent of the HTTP server that carries it:
//! /ocpi/versions, /ocpi/2.2.1 (version details) and each module's endpoint below
//! /ocpi/2.2.1/<module>. The server authenticates the caller by its credentials token (a
//! registered partner; a Planned one only for versions and credentials), checks the partner
//! may use the module, reads X-Request-ID / X-Correlation-ID and the routing headers, and hands
//! the call to the module's handler; every answer carries both ids back.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {

//! One authenticated request for a module.
struct Call {
  Request request;
  domain::Partner partner;           //!< who calls (by its token)
  std::vector<std::string> segments; //!< the path below the module's endpoint, split at '/'
  std::string request_id;            //!< X-Request-ID (generated when absent)
  std::string correlation_id;        //!< X-Correlation-ID (generated when absent)
  Routing routing;                   //!< OCPI-from-* / OCPI-to-*
  core::Timestamp now{};
  std::string self_url; //!< the public URL of this module's endpoint (for Link headers)
};

using Reply = std::function<void(Response)>; //!< runs once, on any thread
using ModuleHandler = std::function<void(std::shared_ptr<Call>, Reply)>;

class Server {
public:
  Server(domain::StoreExecutor &store, const core::Clock &clock, core::OcpiConfig config);
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  //! Offers a module (Gridlane's side of it: Sender or Receiver) in the version details and
  //! routes its calls to `handler`. Before the first request.
  void add_module(domain::OcpiModule module, domain::InterfaceRole role, ModuleHandler handler);
  //! Handles one request under /ocpi; `done` runs once, on some thread.
  void handle(Request request, Reply done);

  //! The public base URL when `[ocpi] base_url` is empty ("http://127.0.0.1:8180", known once
  //! the listener is bound). Before the first request.
  void set_default_base_url(std::string url);

  const core::OcpiConfig &config() const;
  //! The public URL of one of Gridlane's endpoints ("<base_url>/ocpi/2.2.1/locations").
  std::string endpoint_url(domain::OcpiModule module) const;
  //! "<base_url>/ocpi/versions".
  std::string versions_url() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace gridlane::ocpi
