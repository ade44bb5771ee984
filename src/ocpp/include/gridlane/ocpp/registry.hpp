#pragma once
//! The connected stations of this node, and the domain's way to send them commands.
#include <memory>
#include <mutex>
#include <unordered_map>

#include "gridlane/domain/gateway.hpp"
#include "gridlane/ocpp/connection.hpp"

namespace gridlane::ocpp {

class ConnectionRegistry final : public domain::StationGateway {
public:
  //! Each connection added looks up its station's compatibility settings here.
  explicit ConnectionRegistry(domain::CompatDirectory* compat = nullptr) : compat_(compat) {}

  void add(const std::shared_ptr<Connection>& conn);
  void remove(const Connection* conn);
  std::shared_ptr<Connection> find(const core::StationId& id) const;

  void execute(const domain::CommandRecord& command, std::function<void(domain::GatewayOutcome)> done) override;
  bool is_connected(const core::StationId& station) const override { return find(station) != nullptr; }
  std::optional<core::ProtocolVersion> protocol(const core::StationId& station) const override;
  std::vector<domain::RecentFrame> recent_frames(const core::StationId& station) const override;
  std::optional<std::string> check(const domain::CommandRecord& command, core::ProtocolVersion version) const override;
  bool disconnect(const core::StationId& station, std::string reason) override;

private:
  domain::CompatDirectory* compat_;
  mutable std::mutex mutex_;
  std::unordered_map<core::StationId, std::weak_ptr<Connection>> connections_;
};

} // namespace gridlane::ocpp
