#include "serve_ops.hpp"

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/station_service.hpp"
// firmware
#include <optional>

#include "gridlane/core/worker_pool.hpp"
#include "gridlane/services/firmware_campaigns.hpp"
#include "serve_firmware.hpp"

namespace gridlane::app {

struct Operations::Impl {
  OperationsDeps deps;
  bool stopped = false;
  // ---- each part's members, one block per part ----
  // firmware: uploads written and downloads read on a pool of their own; campaigns
  std::optional<core::WorkerPool> firmware_io;
  std::shared_ptr<services::FirmwareCampaigns> campaigns;

  explicit Impl(OperationsDeps d) : deps(std::move(d)) {
    // ---- each part's construction, one block per part ----
    // firmware (docs/operations.md "Firmware")
    if (deps.firmware) {
      const auto &fc = deps.config.firmware;
      auto &files = *deps.firmware;
      files.set_public_base(fc.public_url.empty() ? "http://" + deps.listen_address : fc.public_url);
      firmware_io.emplace("firmware", core::WorkerPoolOptions{2, 32, std::chrono::seconds(30)});
      services::BlockingRunner io = [this](std::function<void()> work, std::function<void(core::JobRefusal)> refused) {
        firmware_io->submit(core::WorkerPool::Lane::Normal, std::move(work), std::move(refused));
      };
      campaigns = std::make_shared<services::FirmwareCampaigns>(
          deps.store, deps.clock, deps.bus, deps.commands, deps.gateway, files, deps.scheduler,
          services::CampaignOptions{std::chrono::seconds(fc.campaign_tick_s),
                                    std::chrono::seconds(fc.station_timeout_s)});
      campaigns->start();
      deps.api.set_firmware(files, campaigns.get(), io);
      // The upload is an API route whose body may be a whole file: this exact path gets its own limit.
      deps.server.mount(net::PlainMount{"/api/v1/firmware/files", forward_to_api(deps.api), fc.max_file_mb << 20});
      deps.server.mount(net::PlainMount{"/firmware/", firmware_download(deps.store, files, io)});
    }
  }

  void stop() {
    if (stopped) return;
    stopped = true;
    // ---- each part's stop, one block per part ----
    if (campaigns) campaigns->stop(); // firmware
    if (firmware_io) firmware_io->stop();
  }
};

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
