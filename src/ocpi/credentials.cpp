// The Credentials module, server side (credentials.asciidoc): GET answers Gridlane's
// credentials; POST registers a Planned partner (its token B and versions URL stored, its
// endpoints fetched with B, a new token C answered, token A no longer valid); PUT updates a
// registered one the same way; DELETE unregisters it. 405 for POST on a registered partner and
// PUT/DELETE on one not registered; 2001 for a bad Credentials object; 3001/3002/3003 when its
// endpoints cannot be used (with HTTP 200: the request itself was valid, status_codes.asciidoc).
#include "gridlane/ocpi/credentials.hpp"

#include <boost/json.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

bool at_root(const Call &call) {
  return call.segments.empty() || (call.segments.size() == 1 && call.segments[0].empty());
}

//! The body as JSON, or the 2001 answer.
std::optional<json::value> body_json(const Call &call, const Reply &reply) {
  boost::system::error_code ec;
  auto v = json::parse(call.request.body, ec);
  if (ec) {
    reply(failure(StatusCode::InvalidParameters, "the body is not JSON", call.now, 400));
    return std::nullopt;
  }
  return v;
}

Response failed(const Failure &f, core::Timestamp now) {
  auto message = f.error.message;
  if (f.error.field) message += " (" + *f.error.field + ")";
  return failure(f.code, message, now, f.http_status);
}

//! Runs `work` on the pool; it answers through `reply` itself. A refusal or an exception is 3000.
void background(core::WorkerPool &pool, const std::shared_ptr<Call> &call, const Reply &reply,
                std::function<Response()> work) {
  pool.submit(
      core::WorkerPool::Lane::Normal,
      [call, reply, work] {
        Response r;
        try {
          r = work();
        } catch (const std::exception &e) {
          core::logger("ocpi")->error("credentials {} from partner {}: {}", call->request.method, call->partner.id,
                                      e.what());
          r = failure(StatusCode::ServerError, "internal error", call->now, 500);
        }
        reply(std::move(r));
      },
      [call, reply](core::JobRefusal why) {
        reply(failure(StatusCode::ServerError, "busy: " + std::string(core::to_string(why)), call->now, 503));
      });
}

} // namespace

ModuleHandler credentials_module(PartnerService &partners, core::WorkerPool &pool) {
  return [&partners, &pool](const std::shared_ptr<Call> &call, const Reply &reply) {
    const auto now = call->now;
    if (!at_root(*call)) return reply(failure(StatusCode::ClientError, "no such credentials path", now, 404));
    const auto &method = call->request.method;
    const auto status = call->partner.status;
    const auto id = call->partner.id;
    if (method == "GET") {
      const auto *header = call->request.header("authorization");
      auto presented = header ? decode_token_header(*header) : std::nullopt;
      if (!presented) return reply(failure(StatusCode::ClientError, "no credentials token", now, 401));
      return background(pool, call, reply, [&partners, id, presented = *presented, now] {
        auto token = partners.presented_token(id, presented);
        if (!token) return failure(StatusCode::ClientError, "unknown credentials token", now, 401);
        return success(credentials_json(partners.our_credentials(*token)), now);
      });
    }
    if (method == "POST" || method == "PUT") {
      bool registration = method == "POST";
      if (registration && status != PartnerStatus::Planned)
        return reply(
            failure(StatusCode::ClientError, "already registered: use PUT to update the credentials", now, 405));
      if (!registration && status != PartnerStatus::Registered)
        return reply(failure(StatusCode::ClientError, "not registered: use POST to register", now, 405));
      auto body = body_json(*call, reply);
      if (!body) return;
      auto parsed = parse_credentials(*body);
      if (auto *e = std::get_if<FieldError>(&parsed))
        return reply(failure(StatusCode::InvalidParameters, e->message, now, 400));
      return background(pool, call, reply, [&partners, id, registration, now, c = std::get<Credentials>(parsed)] {
        auto done = partners.accept_credentials(id, c, registration);
        if (auto *f = std::get_if<Failure>(&done)) return failed(*f, now);
        return success(credentials_json(std::get<Credentials>(done)), now);
      });
    }
    if (method == "DELETE") {
      if (status != PartnerStatus::Registered)
        return reply(failure(StatusCode::ClientError, "not registered", now, 405));
      return background(pool, call, reply, [&partners, id, now] {
        auto done = partners.accept_unregistration(id);
        if (auto *f = std::get_if<Failure>(&done)) return failed(*f, now);
        return success(nullptr, now);
      });
    }
    reply(failure(StatusCode::ClientError, "method not allowed", now, 405));
  };
}

} // namespace gridlane::ocpi
