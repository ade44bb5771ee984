#pragma once
//! The one HTTP listener. Requests are served by the mount of their path (listener.cpp):
//! /ocpp/{stationId} WebSocket upgrades (OCPP-J), the operator API under /api/v1/ (with its
//! Server-Sent Events stream /api/v1/events), OCPI under /ocpi/, /health, and the optional debug call endpoint.
//! The transport knows no OCPP version adapter and publishes no domain event: a station's
//! Connection comes from the injected session factory, and its connection and disconnection
//! are told to the station service.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridlane/api/api.hpp"
#include "gridlane/core/config.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/ocpi/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/ocpp/session_factory.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::net {

//! A plain HTTP request for the small mounts other parts add (/metrics, /ready, firmware
//! downloads, diagnostics uploads): no Beast outside src/net.
struct PlainRequest {
  std::string method;                         //!< "GET", "PUT", ...
  std::string path;                           //!< percent-decoded, without the query
  std::map<std::string, std::string> query;   //!< decoded; a repeated key keeps its last value
  std::map<std::string, std::string> headers; //!< names in lower case; repeated ones joined by ", "
  std::string body;
  std::string remote; //!< the peer's address
};

//! Bytes of a file sent as a response's body: streamed from the file in chunks as the client
//! takes them, never read into memory whole (a firmware image for many stations at once).
struct FileSpan {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0; //!< the Content-Length
};

struct PlainResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers; //!< more headers (Content-Disposition, ...)
  std::string body;
  //! When set, the body is these bytes of a file instead of `body`. A file that cannot be opened
  //! is answered 500; one found shorter than the span ends the connection after what it had.
  std::optional<FileSpan> file;
};

//! Answers a plain request by calling `reply` once, on any thread. A handler that throws, or drops
//! `reply` without calling it, gets 500, as does one that has not answered after 60 s.
using PlainHandler = std::function<void(PlainRequest request, std::function<void(PlainResponse)> reply)>;

struct PlainMount {
  std::string path; //!< exact, or a prefix when it ends in '/'
  PlainHandler handler;
  std::size_t body_limit = std::size_t{64} * 1024; //!< larger bodies are refused with 413 before they are read
};

struct ServerDeps {
  const core::Config &config;
  //! Builds each admitted station's Connection (its version adapter installed).
  ocpp::SessionFactory sessions;
  //! Admission of a handshake; told when a station connects and disconnects.
  services::StationService &stations;
  api::Api &api;
  ocpp::ConnectionRegistry &registry;
  domain::EventBus &bus;        //!< what the event stream relays
  ocpi::Server *ocpi = nullptr; //!< /ocpi/ (OCPI roaming); null: /ocpi/ answers 404
};

class Server {
public:
  explicit Server(ServerDeps deps);
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  //! Binds the listener; returns the bound "host:port" (the port is chosen when 0 was asked).
  std::string bind();
  //! Serves /ocpi/ with `ocpi` (null: 404), set once the listener is bound so the OCPI server
  //! knows its public address. Before run().
  void set_ocpi(ocpi::Server *ocpi);
  //! Serves `mount.path` with a plain handler. Before run(); a path mounted twice keeps the last.
  void mount(PlainMount mount);
  //! Runs the I/O threads until shutdown() completes. Blocks.
  void run();
  //! Stops accepting, closes every station connection with 1001, and lets run() return. Any thread.
  void shutdown();
  //! Number of open station connections.
  std::size_t station_count() const;
  //! True once shutdown() has begun (a signal, or a caller): /ready answers 503 from then on.
  bool stopping() const;

  struct Impl; //!< src/net/internal.hpp, seen only by the network layer's translation units

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace gridlane::net
