#pragma once
//! The connected stations of this node, and the domain's way to send them commands.
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "gridlane/domain/gateway.hpp"
#include "gridlane/ocpp/connection.hpp"

namespace gridlane::ocpp {

//! The one place a station's live connection is registered. Registration replaces and removal
//! only removes one's own entry, both under one lock, so however connections of one station
//! race (several network threads, a reconnect while the old socket still looks open), exactly
//! the last one registered is found, and the ones it replaced are told to close.
class ConnectionRegistry final : public domain::StationGateway {
public:
  //! Each connection added looks up its station's compatibility settings here.
  explicit ConnectionRegistry(domain::CompatDirectory *compat = nullptr) : compat_(compat) {}

  //! Closes a connection from the transport's side, with a WebSocket close code. Any thread.
  using Closer = std::function<void(std::uint16_t code, std::string reason)>;
  static constexpr std::uint16_t replaced_code = 1008; //!< policy violation: a newer connection won

  //! The registry's revocation epoch. A handshake reads it before its admission check and hands
  //! it to add(): a station disconnected (disabled, deleted, password changed) after that read
  //! was admitted on stale data, and is closed instead of registered.
  std::uint64_t epoch() const;
  //! Makes `conn` its station's live connection; the connection it replaces, if any, is closed
  //! with `replaced_code` (outside the lock). The registry keeps no connection alive. If the
  //! station was disconnected after `admitted_at` (an epoch()), `conn` is not registered: it
  //! is closed with 1008 and the disconnect's reason, and add() answers false.
  bool add(const std::shared_ptr<Connection> &conn, const Closer &close,
           std::uint64_t admitted_at = std::numeric_limits<std::uint64_t>::max());
  //! Removes `conn` if it is still its station's registered connection (not one that replaced it).
  void remove(const Connection *conn);
  std::shared_ptr<Connection> find(const core::StationId &id) const;
  std::size_t size() const;
  //! Closes every registered connection with `code` (server shutdown).
  void close_all(std::uint16_t code, const std::string &reason);

  void execute(const domain::CommandRecord &command, std::function<void(domain::GatewayOutcome)> done) override;
  bool is_connected(const core::StationId &station) const override { return find(station) != nullptr; }
  std::vector<core::StationId> connected_stations() const override;
  std::optional<core::ProtocolVersion> protocol(const core::StationId &station) const override;
  std::vector<domain::RecentFrame> recent_frames(const core::StationId &station) const override;
  std::optional<domain::ServiceError> check(const domain::CommandRecord &command,
                                            core::ProtocolVersion version) const override;
  bool disconnect(const core::StationId &station, std::string reason) override;
  bool reconnect(const core::StationId &station, std::string reason) override;

private:
  struct Entry {
    std::weak_ptr<Connection> conn;
    Closer close;
  };
  struct Revocation {
    std::uint64_t epoch;
    std::string reason;
  };
  domain::CompatDirectory *compat_;
  mutable std::mutex mutex_;
  std::unordered_map<core::StationId, Entry> connections_;
  std::uint64_t epoch_ = 0;
  //! The last disconnect per station (few: operators' changes), dropped once a connection of the
  //! station is admitted after it.
  std::unordered_map<core::StationId, Revocation> revoked_;
};

} // namespace gridlane::ocpp
