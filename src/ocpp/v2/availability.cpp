// OCPP 2.x block G, availability: StatusNotification per EVSE and connector; Heartbeat.
#include <boost/json.hpp>

#include "v2/dispatcher.hpp"

namespace gridlane::ocpp::v2 {

template <class V> void Dispatcher<V>::heartbeat(const boost::json::value &, Responder r) {
  services_.stations.heartbeat(who_, [r](services::Outcome<domain::Timestamp> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the heartbeat");
    typename V::Heartbeat::Response res;
    res.currentTime = o.value();
    r.result(encode(res));
  });
}

template <class V> void Dispatcher<V>::status_notification(const boost::json::value &payload, Responder r) {
  auto req = decode_request<typename V::StatusNotification>(payload);
  auto evse = domain::wire_int(req.evseId, 0);
  auto connector = domain::wire_int(req.connectorId, 0);
  if (!evse || !connector)
    return r.error(RpcError::PropertyConstraintViolation, "evseId or connectorId is out of range");
  domain::StatusReport report;
  report.evse_id = *evse;
  report.connector_id = *connector;
  report.status =
      domain::parse_connector_status(text_of(req.connectorStatus)).value_or(domain::ConnectorStatus::Unavailable);
  report.station_time = req.timestamp;
  services_.stations.status(who_, std::move(report), [r](const services::Outcome<services::Done> &o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the status");
    r.result(boost::json::object{});
  });
}

template void Dispatcher<V201>::heartbeat(const boost::json::value &, Responder);
template void Dispatcher<V201>::status_notification(const boost::json::value &, Responder);
template void Dispatcher<V21>::heartbeat(const boost::json::value &, Responder);
template void Dispatcher<V21>::status_notification(const boost::json::value &, Responder);

} // namespace gridlane::ocpp::v2
