#pragma once
//! Remote commands: recorded, sent through the station gateway, their outcome kept; a remote
//! start is linked to the transaction the station then starts: on 2.x the one whose events name
//! its remoteStartId, on 1.6 a StartTransaction with its tag (and its connector, if it named
//! one) while the command is unanswered or within a window after the station accepted it.
#include <chrono>
#include <map>
#include <mutex>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::services {

//! Runs a function after a delay, off the caller's thread.
using Scheduler = std::function<void(std::chrono::milliseconds, std::function<void()>)>;

class CommandService {
public:
  CommandService(domain::StoreExecutor &store, const core::Clock &clock, domain::StationGateway &gateway,
                 domain::EventBus &bus, Scheduler scheduler,
                 std::chrono::seconds remote_start_window = std::chrono::seconds(30));
  ~CommandService();

  //! Records the command and sends it; replies with the record as recorded (queued or sent).
  void submit(const domain::Principal &who, domain::StationId station, domain::Command command,
              Reply<domain::CommandRecord> reply);
  //! Replies once the command is final (an accepted start: once its transaction is known), or
  //! with its state at the timeout.
  void wait(std::int64_t id, std::chrono::milliseconds timeout, Reply<std::optional<domain::CommandRecord>> reply);
  //! At shutdown, before the server that awaits them goes: answers every pending wait with the
  //! record as it is not known (nullopt) and forgets it.
  void end_waits();

private:
  struct Waiter;
  void finish(domain::CommandRecord record, const domain::GatewayOutcome &outcome);
  void on_event(const domain::Event &e);
  void link(std::int64_t command, std::int64_t transaction);
  void notify(const domain::CommandRecord &record);
  static bool settled(const domain::CommandRecord &c);
  struct PendingStart;
  //! What a transaction event tells about the start of a transaction, for matching.
  struct TransactionStart {
    domain::StationId station;
    domain::Timestamp at;
    std::int64_t transaction = 0;
    bool started = true; //!< a TransactionStarted (else a 2.x TransactionUpdated)
    std::string id_tag;
    std::optional<std::int64_t> connector;
    std::optional<std::int64_t> remote_start_id;
  };
  bool matches(std::int64_t command, const PendingStart &p, const TransactionStart &s) const;
  void forget_expired(domain::Timestamp now); // with mutex_ held

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::StationGateway &gateway_;
  domain::EventBus &bus_;
  Scheduler scheduler_;
  std::chrono::seconds remote_start_window_;
  std::mutex mutex_;
  std::multimap<std::int64_t, std::shared_ptr<Waiter>> waiters_;
  struct PendingStart {
    domain::StationId station;
    domain::ProtocolVersion protocol; //!< of the connection the command was sent on
    std::string id_tag;
    std::optional<std::int64_t> connector; //!< 1.6: the connector the command named
    domain::Timestamp sent_at;
    std::optional<domain::Timestamp> accepted_at; //!< when the station's Accepted was received
  };
  std::map<std::int64_t, PendingStart> pending_starts_; //!< accepted or unanswered remote starts
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
