// The HubClientInfo Receiver (mod_hub_client_info.asciidoc): a hub PUTs the ClientInfo of each
// party it connects to /hubclientinfo/{country_code}/{party_id} and may GET it back. Stored per
// hub; shown with the partner in the operator API. Only a partner that plays HUB may send it.
#include <boost/json.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/credentials.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::ocpi {
using namespace gridlane::domain;

namespace {

//! The body as JSON, or the 2001 answer.
std::optional<boost::json::value> body_json(const Call &call, const Reply &reply) {
  boost::system::error_code ec;
  auto v = boost::json::parse(call.request.body, ec);
  if (ec) {
    reply(failure(StatusCode::InvalidParameters, "the body is not JSON", call.now, 400));
    return std::nullopt;
  }
  return v;
}

} // namespace

ModuleHandler hub_client_info_module(StoreExecutor &store) {
  return [&store](const std::shared_ptr<Call> &call, const Reply &reply) {
    const auto now = call->now;
    if (call->segments.size() != 2)
      return reply(failure(StatusCode::ClientError, "use /hubclientinfo/{country_code}/{party_id}", now, 404));
    if (!call->partner.plays(OcpiRole::Hub))
      return reply(failure(StatusCode::ClientError, "only a hub sends ClientInfo", now, 403));
    PartyId party{call->segments[0], call->segments[1]};
    for (auto *s : {&party.country_code, &party.party_id})
      for (auto &ch : *s)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    const auto id = call->partner.id;
    auto answer = [reply, now](services::Outcome<Response> o) {
      if (!o.ok()) {
        core::logger("ocpi")->error("hubclientinfo: {}", o.error());
        return reply(failure(StatusCode::ServerError, "internal error", now, 500));
      }
      reply(std::move(o.value()));
    };
    if (call->request.method == "GET") {
      return services::run_unit<Response>(
          store,
          [id, party, now](Repository &r) {
            auto info = r.hub_client_info(id, party);
            if (!info) return failure(StatusCode::ClientError, "unknown party", now, 404);
            return success(client_info_json(*info), now);
          },
          answer);
    }
    if (call->request.method != "PUT") return reply(failure(StatusCode::ClientError, "method not allowed", now, 405));
    auto body = body_json(*call, reply);
    if (!body) return;
    auto parsed = parse_client_info(*body);
    if (auto *e = std::get_if<FieldError>(&parsed))
      return reply(failure(StatusCode::InvalidParameters, e->message, now, 400));
    auto info = std::get<HubClientInfo>(parsed);
    if (info.party != party)
      return reply(failure(StatusCode::InvalidParameters,
                           "the URL's country_code/party_id are not the ClientInfo's (country_code)", now, 400));
    info.partner_id = id;
    services::run_unit<Response>(
        store,
        [info, now](Repository &r) {
          bool existed = r.hub_client_info(info.partner_id, info.party).has_value();
          r.upsert_hub_client_info(info);
          return success(nullptr, now, existed ? 200 : 201);
        },
        answer);
  };
}

} // namespace gridlane::ocpi
