#pragma once
// What the Sessions and CDRs Sender modules share (sessions.cpp, cdrs.cpp): an answer computed
// in a unit of work, and the small parsing they both need.
#include <charconv>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/roaming_names.hpp"
#include "gridlane/ocpi/server.hpp"

namespace gridlane::ocpi {

//! Partner `partner_id`'s token `uid`: the newest with that uid when it is the partner's, else the
//! partner's own among its parties (another partner may have pushed the same uid since). None
//! when the partner holds no such token (e.g. a hub's token of a party it no longer names).
inline std::optional<domain::RoamingToken> partner_token(domain::Repository &r, std::int64_t partner_id,
                                                         std::string_view uid) {
  auto newest = r.roaming_token_by_uid(uid);
  if (!newest || newest->partner_id == partner_id) return newest;
  auto partner = r.partner(partner_id);
  if (!partner) return std::nullopt;
  for (const auto &role : partner->roles)
    for (const auto &[type, name] : domain::ocpi_token_types)
      if (auto t = r.roaming_token(role.party, uid, type); t && t->partner_id == partner_id) return t;
  return std::nullopt;
}

inline std::string what(const std::exception_ptr &e) {
  try {
    if (e) std::rethrow_exception(e);
  } catch (const std::exception &x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
  return {};
}

//! Runs `make` in a unit of work and replies with its Response after the commit; a failure of
//! the unit answers 3000 (HTTP 500), logged. The reply runs exactly once.
inline void answer_from_store(domain::StoreExecutor &store, const std::shared_ptr<Call> &call, Reply reply,
                              std::function<Response(domain::Repository &)> make) {
  auto out = std::make_shared<std::optional<Response>>();
  store.submit([out, make = std::move(make)](domain::Repository &r) { out->emplace(make(r)); },
               [out, call, reply = std::move(reply)](const std::exception_ptr &failed) {
                 if (failed || !*out) {
                   core::logger("ocpi")->error("{} {}: {}", call->request.method, call->request.path, what(failed));
                   reply(failure(StatusCode::ServerError, "the request could not be served", call->now, 500));
                   return;
                 }
                 reply(std::move(**out));
               });
}

//! A method or path the module does not offer: HTTP 405 with the envelope.
inline Response not_allowed(const Call &call, const std::string &message) {
  return failure(StatusCode::ClientError, message, call.now, 405);
}

//! A positive decimal id ("101"), as Session ids are written.
inline std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t v = 0;
  const auto *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || ptr != end || v <= 0) return std::nullopt;
  return v;
}

} // namespace gridlane::ocpi
