#include "serve_ops.hpp"

#include <filesystem>

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/diagnostics_service.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    // diagnostics: the upload endpoint stations are sent to, the API's files and reports.
    if (auto *diag = deps.diagnostics) {
      const auto &dc = deps.config.diagnostics;
      diag->set_public_url(dc.public_url.empty() ? "http://" + deps.listen_address : dc.public_url);
      deps.api.set_diagnostics(*diag);
      deps.server.mount(net::PlainMount{std::string(domain::diagnostics_upload_path),
                                        [diag](net::PlainRequest req, std::function<void(net::PlainResponse)> reply) {
                                          // /diagnostics/upload/TOKEN[/NAME]
                                          auto rest = req.path.substr(domain::diagnostics_upload_path.size());
                                          services::UploadRequest up;
                                          up.method = req.method;
                                          auto slash = rest.find('/');
                                          up.token = rest.substr(0, slash);
                                          if (slash != std::string::npos) up.path_name = rest.substr(slash + 1);
                                          if (auto it = req.headers.find("content-type"); it != req.headers.end())
                                            up.content_type = it->second;
                                          up.body = std::move(req.body);
                                          diag->receive(std::move(up),
                                                        [reply = std::move(reply)](services::UploadAnswer a) {
                                                          net::PlainResponse res;
                                                          res.status = a.status;
                                                          res.body = a.message + "\n";
                                                          if (a.status == 405)
                                                            res.headers.emplace_back("Allow", "PUT, POST");
                                                          reply(std::move(res));
                                                        });
                                        },
                                        static_cast<std::size_t>(dc.max_upload_mb) * 1024 * 1024});
    }
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
  }
};

std::string diagnostics_dir(const core::Config &config) {
  if (!config.diagnostics.dir.empty()) return config.diagnostics.dir;
  try {
    auto url = core::parse_database_url(config.database.url);
    if (url.engine == core::DatabaseEngine::Sqlite) {
      auto parent = std::filesystem::path(url.target).parent_path();
      return (parent / "diagnostics").string();
    }
  } catch (const core::ConfigError &) {
    // the store refused this URL already; the default below is never used
  }
  return "diagnostics";
}

Operations::Operations(OperationsDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}

Operations::~Operations() {
  try {
    impl_->stop();
  } catch (const std::exception &e) {
    core::log(core::Component::App).error("stopping operations: {}", e.what());
  } catch (...) {
    core::log(core::Component::App).error("stopping operations failed");
  }
}

void Operations::stop() {
  impl_->stop();
}

} // namespace gridlane::app
