// OCPP 1.6 transactions and meter values. Start and stop are answered only after they are
// committed; retries get the same answer and change nothing. Numbers are range-checked here,
// before they are narrowed (docs/ocpp.md, "Numbers from stations"): a StartTransaction or
// MeterValues with one out of range is refused with PropertyConstraintViolation; a
// StopTransaction is never refused for one (the transaction must end): the number is dropped
// and an anomaly recorded.
#include <boost/json.hpp>

#include "v16/dispatcher.hpp"

namespace gridlane::ocpp::v16 {
using services::Outcome;

void Dispatcher::start_transaction(const boost::json::value &payload, Responder r) {
  auto req = decode_request<StartTransaction>(payload);
  auto connector = connector_of(req.connectorId);
  if (!connector) return r.error(RpcError::PropertyConstraintViolation, "connectorId is out of range");
  if (req.meterStart < 0 || req.meterStart > domain::max_energy_wh)
    return r.error(RpcError::PropertyConstraintViolation,
                   "meterStart must be between 0 and " + std::to_string(domain::max_energy_wh) + " Wh");
  services::StartRequest start;
  start.connector_id = *connector;
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

void Dispatcher::stop_transaction(const boost::json::value &payload, Responder r) {
  auto req = decode_request<StopTransaction>(payload);
  services::StopRequest stop;
  stop.transaction_id = req.transactionId;
  stop.id_tag = req.idTag;
  if (req.meterStop >= 0 && req.meterStop <= domain::max_energy_wh) stop.meter_stop_wh = req.meterStop;
  stop.meter_stop_text = std::to_string(req.meterStop);
  stop.timestamp = req.timestamp;
  if (req.reason) stop.reason = domain::parse_stop_reason(to_string(*req.reason)); // every 1.6 Reason is one
  if (req.transactionData) {
    auto decoded = to_samples(*req.transactionData);
    stop.transaction_data = std::move(decoded.samples);
    stop.rejected_samples = std::move(decoded.rejected);
  }
  services_.transactions.stop(who_, std::move(stop), [r](Outcome<services::StopOutcome> o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the stop");
    StopTransactionResponse res;
    if (o.value().authorization) res.idTagInfo = to_id_tag_info(*o.value().authorization);
    r.result(encode(res));
  });
}

void Dispatcher::meter_values(const boost::json::value &payload, Responder r) {
  auto req = decode_request<MeterValues>(payload);
  auto connector = connector_of(req.connectorId);
  if (!connector) return r.error(RpcError::PropertyConstraintViolation, "connectorId is out of range");
  auto decoded = to_samples(req.meterValue);
  if (!decoded.rejected.empty()) return r.error(RpcError::PropertyConstraintViolation, decoded.rejected.front());
  services::MeterRequest m;
  m.connector_id = *connector;
  m.transaction_id = req.transactionId;
  m.samples = std::move(decoded.samples);
  services_.transactions.meter_values(who_, std::move(m), [r](const Outcome<services::Done> &o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the meter values");
    r.result(boost::json::object{});
  });
}

} // namespace gridlane::ocpp::v16
