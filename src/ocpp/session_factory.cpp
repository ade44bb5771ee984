#include "gridlane/ocpp/session_factory.hpp"

namespace gridlane::ocpp {

SessionFactory make_session_factory(Services services, const MessageCatalog &catalog16,
                                    const MessageCatalog &catalog201, const MessageCatalog &catalog21,
                                    SessionFactoryOptions options) {
  return [services, &catalog16, &catalog201, &catalog21, options](const SessionStart &s) {
    const auto &catalog = s.version == core::ProtocolVersion::Ocpp16    ? catalog16
                          : s.version == core::ProtocolVersion::Ocpp201 ? catalog201
                                                                        : catalog21;
    auto conn = std::make_shared<Connection>(s.strand, s.station, catalog, s.transport, options.connection);
    conn->set_trace(options.trace);
    conn->set_metrics(options.metrics);
    services::StationContext who{s.station, s.version};
    if (s.version == core::ProtocolVersion::Ocpp16)
      conn->set_dispatcher(v16::make_dispatcher(services, who, s.registration));
    else
      conn->set_dispatcher(v2::make_dispatcher(services, who, s.registration, conn, options.request_base_report));
    return conn;
  };
}

} // namespace gridlane::ocpp
