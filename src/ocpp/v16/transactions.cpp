// OCPP 1.6 transactions and meter values. Start and stop are answered only after they are
// committed; retries get the same answer and change nothing.
#include <boost/json.hpp>

#include "v16/dispatcher.hpp"

namespace gridlane::ocpp::v16 {
using services::Outcome;

void Dispatcher::start_transaction(const boost::json::value& payload, Responder r) {
  auto req = decode_request<StartTransaction>(payload);
  services::StartRequest start;
  start.connector_id = static_cast<int>(req.connectorId);
  start.id_tag = req.idTag;
  start.meter_start_wh = req.meterStart;
  start.reservation_id = req.reservationId;
  start.timestamp = req.timestamp;
  services_.transactions.start(who_, std::move(start), [r](Outcome<services::StartOutcome> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the transaction");
    StartTransactionResponse res;
    res.transactionId = o.value().transaction_id;
    res.idTagInfo = to_id_tag_info(o.value().authorization);
    r.result(encode(res));
  });
}

void Dispatcher::stop_transaction(const boost::json::value& payload, Responder r) {
  auto req = decode_request<StopTransaction>(payload);
  services::StopRequest stop;
  stop.transaction_id = req.transactionId;
  stop.id_tag = req.idTag;
  stop.meter_stop_wh = req.meterStop;
  stop.timestamp = req.timestamp;
  if (req.reason) stop.reason = std::string(to_string(*req.reason));
  if (req.transactionData) stop.transaction_data = to_samples(*req.transactionData);
  services_.transactions.stop(who_, std::move(stop), [r](Outcome<services::StopOutcome> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the stop");
    StopTransactionResponse res;
    if (o.value().authorization) res.idTagInfo = to_id_tag_info(*o.value().authorization);
    r.result(encode(res));
  });
}

void Dispatcher::meter_values(const boost::json::value& payload, Responder r) {
  auto req = decode_request<MeterValues>(payload);
  services::MeterRequest m;
  m.connector_id = static_cast<int>(req.connectorId);
  m.transaction_id = req.transactionId;
  m.samples = to_samples(req.meterValue);
  services_.transactions.meter_values(who_, std::move(m), [r](Outcome<services::Done> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the meter values");
    r.result(boost::json::object{});
  });
}

} // namespace gridlane::ocpp::v16
