// Firmware campaigns: domain::plan_campaign carried out on the store, UpdateFirmware through the
// command service, progress from the stations' reports (docs/operations.md "Firmware").
#include "gridlane/services/firmware_campaigns.hpp"

#include <algorithm>

#include "gridlane/core/logging.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

spdlog::logger &log() {
  return core::log(core::Component::Services);
}

std::string actor_of(const Campaign &c) {
  return "campaign:" + std::to_string(c.id);
}

//! The stations of a campaign whose row may take a station's report: started and not done, in a
//! campaign still followed (running or paused).
bool follows(CampaignState s) {
  return s == CampaignState::Running || s == CampaignState::Paused;
}

} // namespace

std::optional<ServiceError> check_campaign(const Campaign &c) {
  if (c.name.empty() || c.name.size() > 100) return ServiceError::invalid("'name' is 1 to 100 characters", "name");
  if (c.canary_percent < 0 || c.canary_percent > 100)
    return ServiceError::invalid("'canary_percent' is 0 to 100", "canary_percent");
  if (c.failure_threshold < 0 || c.failure_threshold > 100)
    return ServiceError::invalid("'failure_threshold_percent' is 0 to 100", "failure_threshold_percent");
  if (c.max_concurrent < 1 || c.max_concurrent > 10000)
    return ServiceError::invalid("'max_concurrent' is 1 to 10000", "max_concurrent");
  if (c.retries && (*c.retries < 0 || *c.retries > 100))
    return ServiceError::invalid("'retries' is 0 to 100", "retries");
  if (c.retry_interval_s && (*c.retry_interval_s < 0 || *c.retry_interval_s > 86400))
    return ServiceError::invalid("'retry_interval_s' is 0 to 86400", "retry_interval_s");
  return std::nullopt;
}

FirmwareCampaigns::FirmwareCampaigns(StoreExecutor &store, const core::Clock &clock, EventBus &bus,
                                     CommandService &commands, StationGateway &gateway, FirmwareService &files,
                                     Scheduler scheduler, CampaignOptions options)
    : store_(store), clock_(clock), bus_(bus), commands_(commands), gateway_(gateway), files_(files),
      scheduler_(std::move(scheduler)), options_(options) {}

void FirmwareCampaigns::start() {
  std::weak_ptr<FirmwareCampaigns> weak = weak_from_this();
  subscription_ = bus_.subscribe([weak](const Event &e) {
    if (auto self = weak.lock()) self->on_event(e);
  });
  schedule_tick();
}

void FirmwareCampaigns::stop() {
  stopped_ = true;
  subscription_.reset();
}

void FirmwareCampaigns::schedule_tick() {
  if (stopped_) return;
  std::weak_ptr<FirmwareCampaigns> weak = weak_from_this();
  scheduler_(std::chrono::duration_cast<std::chrono::milliseconds>(options_.tick), [weak] {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    self->advance();
    self->schedule_tick();
  });
}

void FirmwareCampaigns::on_event(const Event &e) {
  if (stopped_) return;
  if (const auto *fw = std::get_if<FirmwareStatusChanged>(&e)) {
    const auto ev = *fw;
    const auto now = clock_.now();
    auto self = shared_from_this();
    store_.submit(
        [ev, now](Repository &r) {
          for (auto state : {CampaignState::Running, CampaignState::Paused}) {
            for (const auto &c : r.campaigns_in(state)) {
              for (auto s : r.campaign_stations(c.id)) {
                if (s.station != ev.station || !campaign_station_active(s.state)) continue;
                // 2.x: the requestId is the UpdateFirmware's command id; another request's report is not ours.
                if (ev.request_id && s.command_id && *ev.request_id != *s.command_id) continue;
                s.firmware_status = ev.status;
                s.updated_at = now;
                if (ev.status == FirmwareState::Installed) {
                  s.state = CampaignStationState::Succeeded;
                  s.detail = "Installed";
                } else if (firmware_failed(ev.status)) {
                  s.state = CampaignStationState::Failed;
                  s.detail = "the station reported " + std::string(name_of(firmware_states, ev.status));
                } else {
                  s.state = CampaignStationState::Updating;
                }
                r.put_campaign_station(s);
              }
            }
          }
        },
        [self](std::exception_ptr ex) {
          if (ex) return log().error("firmware campaigns: a station's status was not recorded");
          self->advance();
        });
    return;
  }
  if (const auto *done = std::get_if<CommandFinished>(&e)) {
    if (!std::holds_alternative<commands::UpdateFirmware>(done->command.command)) return;
    const auto record = done->command;
    const auto now = clock_.now();
    auto self = shared_from_this();
    store_.submit(
        [record, now](Repository &r) {
          for (auto state : {CampaignState::Running, CampaignState::Paused}) {
            for (const auto &c : r.campaigns_in(state)) {
              if (record.created_by != actor_of(c)) continue;
              for (auto s : r.campaign_stations(c.id)) {
                if (s.station != record.station || s.state != CampaignStationState::Sent) continue;
                if (s.command_id && *s.command_id != record.id) continue;
                s.command_id = record.id;
                s.updated_at = now;
                if (record.status != CommandStatus::Accepted) {
                  s.state = CampaignStationState::Failed;
                  s.detail = "UpdateFirmware " + std::string(to_string(record.status)) +
                             (record.response ? ": " + *record.response
                              : record.error  ? ": " + *record.error
                                              : "");
                }
                r.put_campaign_station(s);
              }
            }
          }
        },
        [self](std::exception_ptr ex) {
          if (ex) return log().error("firmware campaigns: a command's outcome was not recorded");
          self->advance();
        });
    return;
  }
  if (std::holds_alternative<StationConnected>(e)) advance();
}

void FirmwareCampaigns::advance() {
  if (stopped_) return;
  struct Send {
    Campaign campaign;
    FirmwareFile file;
    CampaignStation station;
  };
  auto sends = std::make_shared<std::vector<Send>>();
  const auto now = clock_.now();
  const auto timeout = options_.station_timeout;
  auto self = shared_from_this();
  store_.submit(
      [this, sends, now, timeout](Repository &r) {
        for (auto c : r.campaigns_in(CampaignState::Running)) {
          auto file = r.firmware_file(c.file_id);
          if (!file) {
            c.state = CampaignState::Paused;
            c.pause_reason = "its firmware file was deleted";
            r.update_campaign(c);
            continue;
          }
          auto stations = r.campaign_stations(c.id);
          for (auto &s : stations) {
            if (!campaign_station_active(s.state) || !s.sent_at) continue;
            // A new BootNotification with the file's version after the command: updated, whatever
            // statuses were lost on the way.
            auto st = r.station(s.station);
            if (st && st->identity.firmware_version == file->version && st->last_boot_at &&
                *st->last_boot_at > *s.sent_at) {
              s.state = CampaignStationState::Succeeded;
              s.detail = "booted with version " + file->version;
              s.updated_at = now;
              r.put_campaign_station(s);
            } else if (now - *s.sent_at > timeout) {
              s.state = CampaignStationState::Failed;
              s.detail = "not updated within " + std::to_string(timeout.count()) + " s";
              s.updated_at = now;
              r.put_campaign_station(s);
            }
          }
          auto plan = plan_campaign(
              c, stations, [this, &stations](std::size_t i) { return gateway_.is_connected(stations[i].station); });
          if (plan.completed) {
            c.state = CampaignState::Completed;
            c.finished_at = now;
            r.update_campaign(c);
            continue;
          }
          if (plan.pause_reason) {
            c.state = CampaignState::Paused;
            c.pause_reason = plan.pause_reason;
            r.update_campaign(c);
            log().warn("firmware campaign {} paused: {}", c.id, *plan.pause_reason);
            continue;
          }
          for (auto i : plan.start) {
            auto &s = stations[i];
            s.state = CampaignStationState::Sent;
            s.sent_at = now;
            s.updated_at = now;
            s.command_id.reset();
            s.firmware_status.reset();
            s.detail.reset();
            r.put_campaign_station(s);
            sends->push_back(Send{c, *file, s});
          }
        }
      },
      [self, sends](std::exception_ptr ex) {
        if (ex) return log().error("firmware campaigns: a step failed");
        for (const auto &s : *sends)
          self->send(s.campaign, s.file, s.station);
      });
}

void FirmwareCampaigns::send(const Campaign &c, const FirmwareFile &f, const CampaignStation &s) {
  if (stopped_) return;
  commands::UpdateFirmware cmd;
  cmd.location = files_.url_of(f);
  cmd.retrieve_at = clock_.now();
  if (c.retries) cmd.retries = *c.retries;
  if (c.retry_interval_s) cmd.retry_interval_s = *c.retry_interval_s;
  // Signed firmware goes to 2.x stations only; a 1.6 station gets the plain request.
  auto protocol = gateway_.protocol(s.station);
  if (protocol && *protocol != ProtocolVersion::Ocpp16) {
    cmd.signature = f.signature;
    cmd.signing_certificate = f.signing_certificate;
  }
  Principal who{actor_of(c), Role::Operator};
  auto self = shared_from_this();
  const auto campaign_id = c.id;
  const auto station = s.station;
  commands_.submit(who, station, cmd, [self, campaign_id, station](Outcome<CommandRecord> o) {
    const auto now = self->clock_.now();
    std::optional<CommandRecord> record;
    if (o.ok()) record = o.value();
    std::string error = o.ok() ? std::string{} : o.error();
    self->store_.submit(
        [campaign_id, station, record, error, now](Repository &r) {
          for (auto s : r.campaign_stations(campaign_id)) {
            if (s.station != station || s.state != CampaignStationState::Sent) continue;
            if (!record) {
              s.state = CampaignStationState::Failed;
              s.detail = "UpdateFirmware not sent: " + error;
            } else {
              s.command_id = record->id;
              if (is_final(record->status) && record->status != CommandStatus::Accepted) {
                s.state = CampaignStationState::Failed;
                s.detail = "UpdateFirmware " + std::string(to_string(record->status)) +
                           (record->error ? ": " + *record->error : "");
              }
            }
            s.updated_at = now;
            r.put_campaign_station(s);
          }
        },
        [](std::exception_ptr ex) {
          if (ex) log().error("firmware campaigns: a command id was not recorded");
        });
  });
}

void FirmwareCampaigns::create(Campaign c, Reply<Result<Campaign>> reply) {
  if (auto why = check_campaign(c)) return reply(Outcome<Result<Campaign>>::success(*why));
  c.state = CampaignState::Draft;
  c.created_at = clock_.now();
  run_unit<Result<Campaign>>(
      store_,
      [c](Repository &r) mutable -> Result<Campaign> {
        if (!r.firmware_file(c.file_id)) return ServiceError::invalid("no such firmware file", "file_id");
        c.id = r.insert_campaign(c);
        return c;
      },
      std::move(reply));
}

void FirmwareCampaigns::act(std::int64_t id, CampaignAction action, Reply<Result<Campaign>> reply) {
  const auto now = clock_.now();
  auto self = shared_from_this();
  run_unit<Result<Campaign>>(
      store_,
      [id, action, now](Repository &r) -> Result<Campaign> {
        auto c = r.campaign(id);
        if (!c) return ServiceError::not_found("no such campaign");
        auto refuse = [&c](const char *what) {
          return ServiceError::conflict(std::string("a ") + std::string(name_of(campaign_states, c->state)) +
                                        " campaign cannot be " + what);
        };
        switch (action) {
        case CampaignAction::Start: {
          if (c->state != CampaignState::Draft) return refuse("started");
          auto file = r.firmware_file(c->file_id);
          if (!file) return ServiceError::conflict("its firmware file was deleted");
          std::vector<Station> chosen;
          for (auto &s : r.stations()) {
            if (!campaign_filter_matches(c->filter, s)) continue;
            // Never another vendor's firmware, nor a model the file does not name.
            if (s.identity.vendor != file->vendor) continue;
            if (!file->models.empty() &&
                std::find(file->models.begin(), file->models.end(), s.identity.model) == file->models.end())
              continue;
            chosen.push_back(std::move(s));
          }
          if (chosen.empty())
            return ServiceError::invalid("no station matches the filter and the file's vendor and models", "filter");
          const int canaries = canary_count(static_cast<int>(chosen.size()), c->canary_percent);
          for (std::size_t i = 0; i < chosen.size(); ++i) {
            CampaignStation s;
            s.campaign_id = c->id;
            s.station = chosen[i].id;
            s.position = static_cast<int>(i);
            s.canary = static_cast<int>(i) < canaries;
            s.updated_at = now;
            r.put_campaign_station(s);
          }
          c->state = CampaignState::Running;
          c->started_at = now;
          break;
        }
        case CampaignAction::Pause:
          if (c->state != CampaignState::Running) return refuse("paused");
          c->state = CampaignState::Paused;
          c->pause_reason = "paused by an operator";
          break;
        case CampaignAction::Resume: {
          if (c->state != CampaignState::Paused) return refuse("resumed");
          int failed = 0;
          for (const auto &s : r.campaign_stations(c->id))
            if (s.state == CampaignStationState::Failed) ++failed;
          c->failures_acknowledged = failed; // the operator resumes past the failures so far
          c->state = CampaignState::Running;
          c->pause_reason.reset();
          break;
        }
        case CampaignAction::Cancel:
          if (!follows(c->state) && c->state != CampaignState::Draft) return refuse("cancelled");
          for (auto s : r.campaign_stations(c->id)) {
            if (s.state != CampaignStationState::Pending) continue;
            s.state = CampaignStationState::Skipped;
            s.detail = "campaign cancelled";
            s.updated_at = now;
            r.put_campaign_station(s);
          }
          c->state = CampaignState::Cancelled;
          c->finished_at = now;
          break;
        }
        r.update_campaign(*c);
        return *c;
      },
      [self, reply = std::move(reply)](Outcome<Result<Campaign>> o) {
        const bool moved = o.ok() && o.value().has_value();
        reply(std::move(o));
        if (moved) self->advance();
      });
}

} // namespace gridlane::services
