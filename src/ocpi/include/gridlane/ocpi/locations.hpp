#pragma once
//! The Locations and Tariffs modules, Gridlane's side as CPO (docs/ocpi.md, "Locations" and
//! "Tariffs"): the Sender interfaces partners GET (lists paged with date_from/date_to on
//! last_updated, a location, an EVSE, a connector), and the push of every change to each
//! partner's Receiver through the outbox. The push reads the journal of changes that migration
//! 0024's triggers write in the same transaction as the change (so a change made by the API,
//! by `gridlane admin` in another process or by a station's report is seen alike): a location's
//! own change is a PUT of the Location, an EVSE's (or its connectors') a PUT of the EVSE, a status
//! a PATCH {status, last_updated}, a deleted EVSE a PATCH to REMOVED, a tariff a PUT or DELETE.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>

#include "gridlane/core/config.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/server.hpp"

namespace gridlane::ocpi {

//! GET /locations[/{location_id}[/{evse_uid}[/{connector_id}]]]: published locations only.
ModuleHandler make_locations_sender(domain::StoreExecutor &store, core::OcpiConfig config);
//! GET /tariffs: every tariff, paged.
ModuleHandler make_tariffs_sender(domain::StoreExecutor &store, core::OcpiConfig config);

//! How a push is stored (ocpi::Outbox::enqueue in the server; a vector in tests).
using Enqueue = std::function<void(domain::Repository &, domain::OutboxItem)>;

//! Reads the journal (at most `max` changes), enqueues what each Registered partner that may use
//! the module and has its Receiver endpoint must be told, and forgets what it read. Runs inside a
//! unit of work. Returns the number of items enqueued.
std::size_t push_changes(domain::Repository &r, const domain::PartyId &self, core::Timestamp now,
                         const Enqueue &enqueue, std::size_t max = 500);

//! Runs push_changes on the store when woken (a StatusChanged on the bus) and at least every
//! `poll` (changes made by another process), one unit at a time, on its own thread.
class LocationPush {
public:
  LocationPush(domain::StoreExecutor &store, const core::Clock &clock, domain::PartyId self, Enqueue enqueue,
               std::function<void()> delivered_to_outbox, std::chrono::milliseconds poll = std::chrono::seconds(1));
  ~LocationPush();
  LocationPush(const LocationPush &) = delete;
  LocationPush &operator=(const LocationPush &) = delete;

  //! A change may be in the journal: read it now. Does not block.
  void wake();
  void stop();

private:
  void run();
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::PartyId self_;
  Enqueue enqueue_;
  std::function<void()> wake_outbox_;
  std::chrono::milliseconds poll_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace gridlane::ocpi
