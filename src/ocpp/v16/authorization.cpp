// OCPP 1.6 authorization: Authorize against the id-token table shared by every version.
#include <boost/json.hpp>

#include "v16/dispatcher.hpp"

namespace gridlane::ocpp::v16 {

void Dispatcher::authorize(const boost::json::value &payload, Responder r) {
  auto req = decode_request<Authorize>(payload);
  auto *live_cost = services_.live_cost;
  services_.authorization.authorize(
      who_, req.idTag, [r, live_cost, who = who_, tag = req.idTag](services::Outcome<domain::Authorization> o) mutable {
        if (!o.ok()) return r.error(RpcError::InternalError, "could not authorize");
        r.result(encode(AuthorizeResponse{to_id_tag_info(o.value())}));
        // Pricing extension: the price for this driver, after the answer (SetUserPrice).
        if (live_cost && o.value().status == domain::TokenStatus::Accepted) live_cost->authorized(who, tag);
      });
}

} // namespace gridlane::ocpp::v16
