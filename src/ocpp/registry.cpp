#include "gridlane/ocpp/registry.hpp"

#include <boost/json.hpp>

#include "gridlane/ocpp/commands.hpp"

namespace gridlane::ocpp {
namespace json = boost::json;

std::uint64_t ConnectionRegistry::epoch() const {
  std::lock_guard lock{mutex_};
  return epoch_;
}

bool ConnectionRegistry::add(const std::shared_ptr<Connection> &conn, const Closer &close, std::uint64_t admitted_at) {
  conn->set_compat(compat_); // added before its first frame is read
  Entry previous;
  std::optional<std::string> refused;
  {
    std::lock_guard lock{mutex_};
    if (auto it = revoked_.find(conn->station()); it != revoked_.end()) {
      if (it->second.epoch > admitted_at)
        refused = it->second.reason;
      else
        revoked_.erase(it);
    }
    if (!refused) previous = std::exchange(connections_[conn->station()], Entry{conn, close});
  }
  if (refused) {
    // Admitted on what the operator changed while the handshake ran: as if it had been open.
    close(1008, std::move(*refused));
    return false;
  }
  // A station that reconnects while its old connection still looks open (a half-open TCP
  // connection after a network drop) gets the new one; the old one is closed.
  if (previous.close && !previous.conn.expired()) previous.close(replaced_code, "replaced by a new connection");
  return true;
}

void ConnectionRegistry::remove(const Connection *conn) {
  std::lock_guard lock{mutex_};
  auto it = connections_.find(conn->station());
  if (it == connections_.end()) return;
  auto current = it->second.conn.lock();
  if (!current || current.get() == conn) connections_.erase(it);
}

std::shared_ptr<Connection> ConnectionRegistry::find(const core::StationId &id) const {
  std::lock_guard lock{mutex_};
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.conn.lock();
}

std::vector<core::StationId> ConnectionRegistry::connected_stations() const {
  std::lock_guard lock{mutex_};
  std::vector<core::StationId> out;
  out.reserve(connections_.size());
  for (const auto &[id, entry] : connections_)
    if (!entry.conn.expired()) out.push_back(id);
  return out;
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock{mutex_};
  return connections_.size();
}

void ConnectionRegistry::close_all(std::uint16_t code, const std::string &reason) {
  std::vector<Closer> open;
  {
    std::lock_guard lock{mutex_};
    for (const auto &[id, entry] : connections_) {
      if (entry.close && !entry.conn.expired()) open.push_back(entry.close);
    }
  }
  for (auto &close : open)
    close(code, reason);
}

std::optional<core::ProtocolVersion> ConnectionRegistry::protocol(const core::StationId &station) const {
  auto conn = find(station);
  if (!conn) return std::nullopt;
  return conn->version();
}

bool ConnectionRegistry::disconnect(const core::StationId &station, std::string reason) {
  {
    std::lock_guard lock{mutex_};
    revoked_[station] = Revocation{++epoch_, reason};
  }
  auto conn = find(station);
  if (!conn) return false;
  conn->close(1008, std::move(reason)); // policy violation
  return true;
}

bool ConnectionRegistry::reconnect(const core::StationId &station, std::string reason) {
  auto conn = find(station);
  if (!conn) return false;
  conn->close(1012, std::move(reason)); // service restart: come back
  return true;
}

std::vector<domain::RecentFrame> ConnectionRegistry::recent_frames(const core::StationId &station) const {
  std::vector<domain::RecentFrame> out;
  if (auto conn = find(station)) {
    for (auto &f : conn->recent_frames())
      out.push_back(domain::RecentFrame{std::chrono::time_point_cast<std::chrono::milliseconds>(f.at), f.inbound,
                                        std::move(f.text)});
  }
  return out;
}

std::optional<domain::ServiceError> ConnectionRegistry::check(const domain::CommandRecord &command,
                                                              core::ProtocolVersion version) const {
  auto rendered = render_command(version, command.command, 1);
  if (!rendered) return rendered.error();
  return std::nullopt;
}

void ConnectionRegistry::execute(const domain::CommandRecord &command,
                                 std::function<void(domain::GatewayOutcome)> done) {
  domain::GatewayOutcome out;
  auto conn = find(command.station);
  if (!conn) {
    out.status = domain::CommandStatus::StationOffline;
    out.error = "station is not connected";
    return done(std::move(out));
  }
  auto rendered = render_command(conn->version(), command.command, command.id);
  if (!rendered) {
    out.error = rendered.error().message;
    return done(std::move(out));
  }
  auto &call = *rendered;
  out.action = call.action;
  conn->call(call.action, std::move(call.payload), [out, done = std::move(done)](const CallOutcome &o) mutable {
    switch (o.status) {
    case CallOutcome::Status::Result:
      out.status = judge_answer(o.payload);
      out.response = json::serialize(o.payload);
      break;
    case CallOutcome::Status::Error:
      out.status = domain::CommandStatus::Failed;
      out.error = o.error_code + ": " + o.error_description;
      break;
    case CallOutcome::Status::Timeout:
      out.status = domain::CommandStatus::TimedOut;
      out.error = o.error_description;
      break;
    case CallOutcome::Status::Closed:
      out.status = domain::CommandStatus::StationOffline;
      out.error = "connection closed before the station answered";
      break;
    case CallOutcome::Status::NotSent:
      out.status = domain::CommandStatus::Failed;
      out.error = o.error_description;
      break;
    }
    done(std::move(out));
  });
}

} // namespace gridlane::ocpp
