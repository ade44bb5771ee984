// OCPI roaming wired for `gridlane serve` (serve_ocpi.hpp). Each module's block below is its
// own: construct it, add_module it to the server, subscribe it; nothing else here.
#include "serve_ocpi.hpp"

#include <algorithm>

#include "gridlane/core/logging.hpp"

namespace gridlane::app {

Roaming::Roaming(RoamingDeps deps)
    : deps_(std::move(deps)), server_(deps_.store, deps_.clock, deps_.config.ocpi),
      calls_("ocpi",
             core::WorkerPoolOptions{std::max(deps_.config.ocpi.threads, 1), 1024, std::chrono::milliseconds(60000)}) {
  // ---- transport: the server above; /ocpi/versions and /ocpi/2.2.1 need no module ----
  // Its public URLs (server_.versions_url(), endpoint_url()) are right from here on.
  server_.set_default_base_url("http://" + deps_.listen_address);
}

Roaming::~Roaming() {
  stop();
}

void Roaming::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto it = on_stop_.rbegin(); it != on_stop_.rend(); ++it) {
    try {
      (*it)();
    } catch (const std::exception &e) {
      core::log(core::Component::App).error("stopping OCPI roaming: {}", e.what());
    }
  }
  calls_.stop();
}

} // namespace gridlane::app
