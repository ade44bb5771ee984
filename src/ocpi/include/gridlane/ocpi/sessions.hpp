#pragma once
//! The Sessions and CDRs modules, Gridlane as Sender (mod_sessions.asciidoc, mod_cdrs.asciidoc).
//!
//! Sessions: a transaction whose token is a partner's (RoamingToken.partner_id) is that partner's
//! session. It is PUT to the partner's Sessions Receiver when it becomes known, PATCHed with its
//! energy, cost, status and the charging periods that closed while it runs (at most once per
//! `patch_interval` per session), and PATCHed COMPLETED with its end when it ends. A partner
//! GETs its sessions, paged by last_updated.
//!
//! CDRs: a committed CDR of a partner's token is recorded as that partner's and POSTed to its
//! CDRs Receiver, once (the record is unique per CDR and partner, written in the unit of work
//! that enqueues the POST); credit CDRs too. A partner GETs its CDRs, paged by last_updated.
//!
//! Every push goes through the outbox; nothing here calls a partner.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/server.hpp"

namespace gridlane::ocpi {

class SessionsModule {
public:
  //! `wake` tells the outbox that items were enqueued (Outbox::wake).
  SessionsModule(domain::StoreExecutor &store, const core::Clock &clock, core::OcpiConfig config,
                 std::function<void()> wake, std::chrono::seconds patch_interval);
  ~SessionsModule();
  SessionsModule(const SessionsModule &) = delete;
  SessionsModule &operator=(const SessionsModule &) = delete;

  //! The Sender interface: GET the list; PUT {session_id}/charging_preferences.
  ModuleHandler handler();
  //! Pushes every roaming session's changes (TransactionStarted / Updated / Ended).
  void watch(domain::EventBus &bus);

  //! Inside a unit of work: records and enqueues what transaction `transaction_id` needs pushed
  //! now (the PUT of a new roaming session, a PATCH when its pace allows or it ended). True
  //! when something was enqueued. Public for the tests.
  bool sync(domain::Repository &r, std::int64_t transaction_id, bool force,
            std::optional<std::int64_t> energy_wh = std::nullopt) const;

private:
  void on_event(const domain::Event &e);
  void submit(std::int64_t transaction_id, bool force, std::optional<std::int64_t> energy_wh);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  core::OcpiConfig config_;
  std::function<void()> wake_;
  std::chrono::seconds patch_interval_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

class CdrsModule {
public:
  CdrsModule(domain::StoreExecutor &store, const core::Clock &clock, core::OcpiConfig config,
             std::function<void()> wake);

  //! The Sender interface: GET the list.
  ModuleHandler handler();
  //! Inside a unit of work: records CDR `c` as its token's partner's and enqueues its POST,
  //! unless it was recorded before. True when a POST was enqueued.
  bool record(domain::Repository &r, const domain::Cdr &c) const;
  //! For CdrService::add_listener: records and POSTs each committed CDR (its own unit of work).
  void committed(const domain::Cdr &c);

private:
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  core::OcpiConfig config_;
  std::function<void()> wake_;
};

} // namespace gridlane::ocpi
