#pragma once
//! How the transport gets a station's OCPP conversation without knowing the adapters: it hands
//! the station id, the negotiated version and itself (the Transport) to a SessionFactory and
//! gets the Connection back, its version adapter installed.
#include <functional>
#include <memory>

#include "gridlane/ocpp/adapters.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/connection.hpp"

namespace gridlane::ocpp {

//! What a new station connection is made of. The transport outlives the Connection's use of it.
struct SessionStart {
  boost::asio::any_io_executor strand; //!< the connection's strand (the transport's)
  core::StationId station;
  core::ProtocolVersion version;
  domain::RegistrationStatus registration; //!< as admission found it
  Transport &transport;
};

using SessionFactory = std::function<std::shared_ptr<Connection>(const SessionStart &)>;

struct SessionFactoryOptions {
  ConnectionOptions connection;
  bool request_base_report = false;       //!< 2.x: ask a station with no device model for one
  const domain::StationTrace *trace = {}; //!< the per-station frame trace switch (none: never traced)
  MessageMetrics *metrics = nullptr;      //!< where messages are counted ([metrics] enabled; none: not measured)
};

//! The server's factory: a Connection with the version's message catalog and adapter
//! (ocpp::v16 or ocpp::v2) translating onto `services`. The catalogs outlive the factory.
SessionFactory make_session_factory(Services services, const MessageCatalog &catalog16,
                                    const MessageCatalog &catalog201, const MessageCatalog &catalog21,
                                    SessionFactoryOptions options);

} // namespace gridlane::ocpp
