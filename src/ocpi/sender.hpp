#pragma once
// What the Sender interfaces of src/ocpi share (locations.cpp, tariffs.cpp): the path below the
// module, the 405 of a method a Sender does not offer, a unit of work answered as a Response.
#include <functional>
#include <string>
#include <vector>

#include "gridlane/ocpi/server.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::ocpi::sender {

inline std::vector<std::string> path_of(const Call &c) {
  std::vector<std::string> out;
  for (const auto &s : c.segments)
    if (!s.empty()) out.push_back(s);
  return out;
}

inline Response method_not_allowed(const Call &c) {
  // The Sender interfaces have GET only (the other methods are n/a).
  auto r = failure(StatusCode::ClientError, "only GET is offered by this Sender interface", c.now, 405);
  r.headers.emplace_back("Allow", "GET");
  return r;
}

inline void answer(domain::StoreExecutor &store, std::function<Response(domain::Repository &)> work,
                   core::Timestamp now, Reply reply) {
  services::run_unit<Response>(store, std::move(work), [reply = std::move(reply), now](services::Outcome<Response> o) {
    if (o.ok()) return reply(std::move(o.value()));
    reply(failure(StatusCode::ServerError, "the store failed: " + o.error(), now, 500));
  });
}

} // namespace gridlane::ocpi::sender
