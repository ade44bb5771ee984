#pragma once
//! Firmware campaigns (docs/operations.md "Firmware"): one file rolled out over the stations a
//! filter chooses, canary stations first, a few at a time, paused by itself when too many fail.
//! The rule is domain::plan_campaign; this runs it as units of work on the store whenever a
//! station reports (FirmwareStatusChanged), answers (CommandFinished) or connects, and on a
//! timer (overdue stations, a station that booted with the new version). UpdateFirmware goes
//! through CommandService like an operator's command, recorded under "campaign:<id>".
#include <atomic>
#include <chrono>
#include <memory>

#include "gridlane/domain/events.hpp"
#include "gridlane/domain/firmware.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/firmware_service.hpp"

namespace gridlane::services {

struct CampaignOptions {
  std::chrono::seconds tick{5};               //!< how often overdue and pending stations are looked at
  std::chrono::seconds station_timeout{7200}; //!< a station not done this long after its command has failed
};

enum class CampaignAction { Start, Pause, Resume, Cancel };

//! Checks a new campaign's settings (name 1-100 characters, percentages 0-100, max_concurrent
//! 1-10000, retries 0-100, retry_interval_s 0-86400).
std::optional<domain::ServiceError> check_campaign(const domain::Campaign &c);

class FirmwareCampaigns : public std::enable_shared_from_this<FirmwareCampaigns> {
public:
  FirmwareCampaigns(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus,
                    CommandService &commands, domain::StationGateway &gateway, FirmwareService &files,
                    Scheduler scheduler, CampaignOptions options);
  //! Subscribes to the bus and starts the timer; on a shared_ptr.
  void start();
  //! No more timers or commands. Idempotent.
  void stop();

  //! Records a draft campaign (its file must exist).
  void create(domain::Campaign c, Reply<domain::Result<domain::Campaign>> reply);
  //! start: a draft takes the stations its filter matches now; pause, resume (past the failures
  //! so far) and cancel (stations not yet started are skipped).
  void act(std::int64_t id, CampaignAction action, Reply<domain::Result<domain::Campaign>> reply);

private:
  void on_event(const domain::Event &e);
  //! One unit: every running campaign's stations brought up to date, then its plan carried out.
  void advance();
  void schedule_tick();
  void send(const domain::Campaign &c, const domain::FirmwareFile &f, const domain::CampaignStation &s);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus &bus_;
  CommandService &commands_;
  domain::StationGateway &gateway_;
  FirmwareService &files_;
  Scheduler scheduler_;
  CampaignOptions options_;
  std::atomic<bool> stopped_{false};
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
