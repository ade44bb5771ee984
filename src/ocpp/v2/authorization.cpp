// OCPP 2.x block C, authorization: Authorize for every idToken type against the token table
// shared with 1.6; group id token (parent) and cache expiry in the answer.
#include <boost/json.hpp>

#include "v2/dispatcher.hpp"

namespace gridlane::ocpp::v2 {

template <class V> void Dispatcher<V>::authorize(const boost::json::value &payload, Responder r) {
  auto req = decode_request<typename V::Authorize>(payload);
  auto type = text_of(req.idToken.type);
  if (type == "NoAuthorization") { // C01: no identifier to check; nothing to look up
    typename V::Authorize::Response res;
    res.idTokenInfo = to_id_token_info<V>(domain::Authorization{domain::TokenStatus::Accepted, {}, {}});
    return r.result(encode(res));
  }
  auto *live_cost = services_.live_cost;
  services_.authorization.authorize(
      who_, req.idToken.idToken,
      [r, live_cost, who = who_, token = req.idToken.idToken](services::Outcome<domain::Authorization> o) mutable {
        if (!o.ok()) return r.error(RpcError::InternalError, "could not authorize");
        typename V::Authorize::Response res;
        res.idTokenInfo = to_id_token_info<V>(o.value());
        if (!live_cost || o.value().status != domain::TokenStatus::Accepted) return r.result(encode(res));
        // I01: the tariff that will apply, as the driver's personal message.
        live_cost->authorize_answer(who, token,
                                    [r, res](services::Outcome<std::optional<services::DriverMessage>> m) mutable {
                                      if (m.ok() && m.value())
                                        res.idTokenInfo.personalMessage = to_message_content<V>(*m.value());
                                      r.result(encode(res));
                                    });
      });
}

template void Dispatcher<V201>::authorize(const boost::json::value &, Responder);
template void Dispatcher<V21>::authorize(const boost::json::value &, Responder);

} // namespace gridlane::ocpp::v2
