#pragma once
//! How services reach a connected station: one domain command in, the station's verdict out.
#include <functional>
#include <string>
#include <vector>

#include "gridlane/domain/operators.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::domain {

struct GatewayOutcome {
  CommandStatus status = CommandStatus::Failed; //!< Accepted, Rejected, Failed, TimedOut, StationOffline
  std::optional<std::string> action;            //!< the OCPP action sent
  std::optional<std::string> response;          //!< the station's answer, JSON
  std::optional<std::string> error;
};

//! One OCPP frame as it crossed the wire, for troubleshooting.
struct RecentFrame {
  Timestamp at;
  bool inbound = true; //!< from the station
  std::string text;    //!< truncated to 2 KiB
};

class StationGateway {
public:
  virtual ~StationGateway() = default;
  //! Renders the command for the station's OCPP version and sends it; `done` runs on a
  //! network thread once the station answered, the call failed or timed out.
  virtual void execute(const CommandRecord &command, std::function<void(GatewayOutcome)> done) = 0;
  virtual bool is_connected(const StationId &station) const = 0;
  //! Every station with a live connection now (a list's `connected` filter pages over them in
  //! the store's query). The default, for gateways that cannot tell, is none.
  virtual std::vector<StationId> connected_stations() const { return {}; }
  //! The OCPP version of the station's current connection; nullopt when it is not connected.
  virtual std::optional<ProtocolVersion> protocol(const StationId &station) const = 0;
  //! The last frames of a connected station's current connection, oldest first.
  virtual std::vector<RecentFrame> recent_frames(const StationId &station) const = 0;
  //! Why the command cannot be sent to a station of this version (a parameter the version
  //! cannot express, named in `field`; `field` is "kind" when the version has no such command),
  //! or nullopt when it can.
  virtual std::optional<ServiceError> check(const CommandRecord &command, ProtocolVersion version) const = 0;
  //! Ends the station's live connection at once, because an operator's change took its right
  //! to stay connected away (disabled, password changed, deleted): WebSocket close 1008 (policy
  //! violation) with `reason` as the close reason. True when a connection was open. Any thread.
  virtual bool disconnect(const StationId &station, std::string reason) = 0;
  //! Ends the station's live connection so that it connects again (self-healing's `reconnect`
  //! of a station that fell silent): WebSocket close 1012 (service restart) with `reason`; the
  //! station keeps its right to connect. True when a connection was open. Any thread.
  virtual bool reconnect(const StationId &station, std::string reason) = 0;
};

} // namespace gridlane::domain
