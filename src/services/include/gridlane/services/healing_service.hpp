#pragma once
//! Self-healing at run time (docs/operations.md "Self-healing"): watches connectors' status
//! reports and stations going offline; a fault starts an incident that healing_playbook.hpp's decide() walks through
//! its playbook (a status request, resets, taking the connector out of service, a ticket), each step sent through the
//! CommandService like an operator's command, recorded in the station's healing history and the audit log. A report
//! that the connector works again ends the incident.
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "gridlane/core/config.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/healing_playbook.hpp"
#include "gridlane/services/maintenance_service.hpp"

namespace gridlane::services {

class HealingService {
public:
  //! Throws core::ConfigError when [healing] names an unknown step.
  HealingService(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus,
                 CommandService &commands, domain::StationGateway &gateway, Scheduler scheduler,
                 const core::HealingConfig &config, const MaintenanceService &maintenance);
  ~HealingService();
  HealingService(const HealingService &) = delete;
  HealingService &operator=(const HealingService &) = delete;

  //! Stops acting: no further step runs (steps in flight finish). Idempotent.
  void stop();
  bool enabled() const { return enabled_; }
  //! Incidents being worked on (for tests and the figures).
  std::size_t active() const;

private:
  using Key = std::tuple<std::string, int, int>; //!< station, EVSE, connector
  static constexpr int station_wide = -1;        //!< EVSE and connector of an offline station's key
  struct Active {
    healing::Incident incident;
    std::uint64_t generation = 0; //!< a timer of an older generation does nothing
    bool busy = false;            //!< a step is being decided or taken
    bool done = false;            //!< the playbook ended (kept until the connector recovers)
  };
  void on_event(const domain::Event &e);
  void on_status(const domain::StatusReport &r, domain::Timestamp at);
  void on_offline(const domain::StationOffline &o);
  void on_online(const domain::StationOnline &o);
  static Key offline_key(const domain::StationId &station);
  //! A history line of the incident at `key` (an offline station's: EVSE and connector 0).
  static domain::HealingRecord line_of(const Key &key, const healing::Incident &incident, domain::Timestamp at);
  //! A fault seen at `at`: a new incident unless one is being worked on there.
  void begin(const Key &key, domain::FaultKind fault, domain::Timestamp at, std::string detail);
  //! The fault at `key` is over (`now_reported`: what the station reported instead).
  void end(const Key &key, domain::Timestamp at, const std::string &now_reported);
  void schedule(const Key &key, std::uint64_t generation, domain::Timestamp due);
  void tick(const Key &key, std::uint64_t generation);
  void act(const Key &key, std::uint64_t generation, const healing::Facts &facts);
  void take(const Key &key, std::uint64_t generation, domain::HealingStep step, const healing::Incident &incident);
  void record(const domain::HealingRecord &r, const std::optional<std::string> &audit_detail);
  //! The incident past `step`, taken (`ran`) or skipped: its next step scheduled, or the playbook over.
  void settle(const Key &key, std::uint64_t generation, domain::HealingStep step, bool ran);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus &bus_;
  CommandService &commands_;
  domain::StationGateway &gateway_;
  Scheduler scheduler_;
  const MaintenanceService &maintenance_;
  healing::Playbooks playbooks_;
  bool enabled_;
  mutable std::mutex mutex_;
  bool stopped_ = false;
  std::uint64_t next_generation_ = 1;
  std::map<Key, Active> incidents_;
  //! Stations offline for less than offline_after_s so far (their timer's generation).
  std::map<std::string, std::uint64_t> pending_offline_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
