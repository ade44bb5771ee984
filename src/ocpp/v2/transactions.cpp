// OCPP 2.x blocks E (TransactionEvent) and J (MeterValues). A TransactionEvent is answered
// after it is committed; a retry (same transaction and seqNo) gets the same answer and
// changes nothing. Signed meter data is kept verbatim. Numbers are range-checked before they
// are narrowed (docs/ocpp.md, "Numbers from stations"): ids, seqNo and counts out of range
// refuse the message with PropertyConstraintViolation; a sample out of range refuses a
// MeterValues, but in a TransactionEvent it is dropped and an anomaly recorded (the event,
// an Ended above all, must still be recorded).
#include <boost/json.hpp>

#include "v2/dispatcher.hpp"

namespace gridlane::ocpp::v2 {

template <class V> void Dispatcher<V>::transaction_event(const boost::json::value &payload, Responder r) {
  auto req = decode_request<typename V::TransactionEvent>(payload);
  auto refuse = [&r](const std::string &what) {
    r.error(RpcError::PropertyConstraintViolation, what + " is out of range");
  };
  services::TransactionEventRequest ev;
  // The generated enums decoded to the domain's (each 2.0.1 and 2.1 value has its domain value).
  auto event_type = domain::parse_transaction_event_type(text_of(req.eventType));
  auto trigger = domain::parse_trigger_reason(text_of(req.triggerReason));
  if (!event_type || !trigger)
    return r.error(RpcError::PropertyConstraintViolation, "unknown eventType or triggerReason");
  ev.event_type = *event_type;
  ev.timestamp = req.timestamp;
  ev.trigger_reason = *trigger;
  if (!domain::wire_int(req.seqNo, 0)) return refuse("seqNo");
  ev.seq_no = req.seqNo;
  ev.offline = req.offline.value_or(false);
  if (req.numberOfPhasesUsed) {
    ev.number_of_phases = domain::wire_int(*req.numberOfPhasesUsed, 0);
    if (!ev.number_of_phases) return refuse("numberOfPhasesUsed");
  }
  if (req.reservationId) {
    if (!domain::wire_int(*req.reservationId, -domain::max_wire_int - 1)) return refuse("reservationId");
    ev.reservation_id = req.reservationId;
  }
  const auto &info = req.transactionInfo;
  ev.station_tx_id = info.transactionId;
  if (info.chargingState) {
    ev.charging_state = domain::parse_charging_state(text_of(*info.chargingState));
    if (!ev.charging_state) return r.error(RpcError::PropertyConstraintViolation, "unknown chargingState");
  }
  if (info.stoppedReason) {
    ev.stopped_reason = domain::parse_stop_reason(text_of(*info.stoppedReason));
    if (!ev.stopped_reason) return r.error(RpcError::PropertyConstraintViolation, "unknown stoppedReason");
  }
  if (info.remoteStartId) {
    if (!domain::wire_int(*info.remoteStartId, -domain::max_wire_int - 1)) return refuse("remoteStartId");
    ev.remote_start_id = info.remoteStartId;
  }
  if (req.evse) {
    ev.evse_id = domain::wire_int(req.evse->id, 0);
    if (!ev.evse_id) return refuse("evse.id");
    if (req.evse->connectorId) {
      ev.connector_id = domain::wire_int(*req.evse->connectorId, 0);
      if (!ev.connector_id) return refuse("evse.connectorId");
    }
  }
  if (req.idToken) {
    ev.id_token = req.idToken->idToken;
    ev.no_authorization = text_of(req.idToken->type) == "NoAuthorization";
  }
  if (req.meterValue) {
    auto decoded = to_samples(*req.meterValue);
    ev.samples = std::move(decoded.samples);
    ev.rejected_samples = std::move(decoded.rejected);
  }
  auto *live_cost = services_.live_cost;
  services_.transactions.transaction_event(
      who_, std::move(ev), [r, live_cost](services::Outcome<services::TransactionEventOutcome> o) mutable {
        if (!o.ok()) return r.error(RpcError::InternalError, "could not record the transaction event");
        typename V::TransactionEvent::Response res;
        // E01.FR.xx: idTokenInfo whenever the event carried an idToken.
        const auto &out = o.value();
        if (out.authorization) res.idTokenInfo = to_id_token_info<V>(*out.authorization);
        const bool accepted = out.authorization && out.authorization->status == domain::TokenStatus::Accepted;
        if (!live_cost || !live_cost->prices() || (!accepted && !out.ended)) return r.result(encode(res));
        // I01: the tariff text with the idTokenInfo; I04: the final totalCost in the Ended answer.
        live_cost->event_answer(out.transaction_id, accepted, out.ended,
                                [r, res](services::Outcome<services::LiveCost::EventAnswer> a) mutable {
                                  if (a.ok()) {
                                    if (a.value().message && res.idTokenInfo)
                                      res.idTokenInfo->personalMessage = to_message_content<V>(*a.value().message);
                                    if (a.value().total_cost) res.totalCost = a.value().total_cost->to_wire();
                                  }
                                  r.result(encode(res));
                                });
      });
}

template <class V> void Dispatcher<V>::meter_values(const boost::json::value &payload, Responder r) {
  auto req = decode_request<typename V::MeterValues>(payload);
  auto evse = domain::wire_int(req.evseId, 0);
  if (!evse) return r.error(RpcError::PropertyConstraintViolation, "evseId is out of range");
  auto decoded = to_samples(req.meterValue);
  if (!decoded.rejected.empty()) return r.error(RpcError::PropertyConstraintViolation, decoded.rejected.front());
  services::MeterRequest m;
  m.evse_id = *evse;
  m.connector_id = 0;
  m.samples = std::move(decoded.samples);
  services_.transactions.meter_values(who_, std::move(m), [r](const services::Outcome<services::Done> &o) mutable {
    if (!o.ok()) return r.error(RpcError::InternalError, "could not record the meter values");
    r.result(boost::json::object{});
  });
}

template void Dispatcher<V201>::transaction_event(const boost::json::value &, Responder);
template void Dispatcher<V201>::meter_values(const boost::json::value &, Responder);
template void Dispatcher<V21>::transaction_event(const boost::json::value &, Responder);
template void Dispatcher<V21>::meter_values(const boost::json::value &, Responder);

} // namespace gridlane::ocpp::v2
