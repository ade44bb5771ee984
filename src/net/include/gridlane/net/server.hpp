#pragma once
//! The one HTTP listener: /ocpp/{stationId} WebSocket upgrades (OCPP-J), the operator API
//! under /api/v1 (with its Server-Sent Events stream), /health, and the optional debug call
//! endpoint.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gridlane/api/api.hpp"
#include "gridlane/core/config.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/ocpp/adapters.hpp"
#include "gridlane/ocpp/catalog.hpp"

namespace gridlane::net {

struct ServerDeps {
  const core::Config& config;
  ocpp::Services services;
  const ocpp::MessageCatalog& catalog16;
  const ocpp::MessageCatalog& catalog201;
  const ocpp::MessageCatalog& catalog21;
  api::Api& api;
  ocpp::ConnectionRegistry& registry;
  domain::EventBus& bus;
};

class Server {
public:
  explicit Server(ServerDeps deps);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  //! Binds the listener; returns the bound "host:port" (the port is chosen when 0 was asked).
  std::string bind();
  //! Runs the I/O threads until shutdown() completes. Blocks.
  void run();
  //! Stops accepting, closes every station connection with 1001, and lets run() return. Any thread.
  void shutdown();
  //! Number of open station connections.
  std::size_t station_count() const;

  struct Impl; //!< defined in server.cpp, the only translation unit that sees Beast

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace gridlane::net
