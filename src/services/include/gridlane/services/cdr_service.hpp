#pragma once
//! Charge detail records: one per ended session, made once from the session's price
//! (SessionPricing) and never edited; corrections as credit CDRs; the billing run that makes the
//! missing ones in batches. The rules live here, shared by the session-end hook, the API and
//! `gridlane admin cdrs`; the store only keeps rows (domain/store/cdrs.hpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/session_pricing.hpp"

namespace gridlane::services {

//! Prices a session inside a unit of work: SessionPricing::price, or a stand-in in tests.
using SessionPricer =
    std::function<domain::Result<SessionCost>(domain::Repository &, std::int64_t transaction_id, domain::Timestamp)>;

//! What the location, EVSE and station of a session looked like (a CDR's snapshot).
struct SessionPlace {
  std::optional<domain::Station> station;
  std::optional<domain::Location> location;
  std::optional<domain::Evse> evse;
};

//! The CDR of an ended transaction priced as `cost` (pure: the caller loads the parts).
//! Its id is "CDR-<transaction id>", so the same session always names the same CDR.
domain::Cdr build_cdr(const domain::Transaction &t, const SessionCost &cost, const SessionPlace &place,
                      const std::vector<domain::MeterSample> &samples, domain::Timestamp now);
//! The credit CDR of `original` (OCPI mod_cdrs "Credit CDRs"): all its data, id + "-C",
//! credit = true, credit_reference_id = the original's id, and total_cost negated, so the two
//! total_costs sum to zero. Pure.
domain::Cdr credit_cdr(const domain::Cdr &original, std::optional<std::string> remark, domain::Timestamp now);

//! A CDR and whether this call made it (false: it was made before, this is that one).
struct IssuedCdr {
  domain::Cdr cdr;
  bool created = false;
};

//! What one batch of the billing run did.
struct BillingBatch {
  std::size_t created = 0;
  std::size_t untariffed = 0;           //!< ended sessions without a tariff: no CDR can be made
  std::size_t failed = 0;               //!< sessions the engine refused (kept for the next run)
  std::int64_t last_transaction_id = 0; //!< resume after this one
  bool done = false;                    //!< no session after last_transaction_id is waiting
  std::vector<domain::Cdr> cdrs;        //!< the CDRs made, for the listeners
};

//! What a whole billing run did.
struct BillingRunReport {
  std::size_t created = 0;
  std::size_t untariffed = 0;
  std::size_t failed = 0;
  std::size_t batches = 0;
};

//! Runs one unit of work and returns after its commit (store::Store::run); rethrows its failure.
using UnitRunner = std::function<void(const std::function<void(domain::Repository &)> &)>;

class CdrService {
public:
  using Listener = std::function<void(const domain::Cdr &)>;

  //! Prices with SessionPricing (the billing run with its batch path, BatchPricing).
  explicit CdrService(const core::Clock &clock);
  //! Prices with `pricer`, one session at a time (a stand-in in tests).
  CdrService(const core::Clock &clock, SessionPricer pricer);
  ~CdrService();

  // ---- inside a unit of work ---------------------------------------------------------------------
  //! The CDR of an ended session, made now if it has none. NotFound: no such transaction, or it
  //! has no tariff; Conflict: it is still running.
  domain::Result<IssuedCdr> issue(domain::Repository &r, std::int64_t transaction_id) const;
  //! Credits CDR `id` (never editing it). NotFound: no such CDR; Conflict: it is itself a credit
  //! CDR, or it was credited already (the answer names the credit CDR's id).
  domain::Result<domain::Cdr> credit(domain::Repository &r, std::string_view id,
                                     std::optional<std::string> remark) const;
  //! One batch of the billing run: up to `limit` ended sessions without a CDR after
  //! `after_transaction_id`, each made into its CDR.
  BillingBatch generate_batch(domain::Repository &r, std::int64_t after_transaction_id, std::size_t limit) const;

  //! The billing run (`gridlane admin cdrs generate`): generate_batch over every waiting session,
  //! batch after batch, each batch stored in a unit of work of its own through `run_unit`;
  //! `on_batch` (optional) hears of each batch after its commit, and stops the run by answering
  //! false. With SessionPricing the batches
  //! overlap: batch N is priced on the pricing threads while the store's thread reads batch
  //! N + 1, and batch N + 1 is priced while batch N commits. A failed unit ends the run with its
  //! exception; the batches committed before it stay, and a new run continues after them.
  BillingRunReport run_billing(const UnitRunner &run_unit, std::size_t limit,
                               const std::function<bool(const BillingBatch &)> &on_batch = {}) const;

  //! Threads the billing run prices a batch on (its batch path; default 2, at least 1).
  void set_pricing_threads(std::size_t threads);
  //! The store's page cache during run_billing (MiB, 1 to 4096; default 256), set back after it.
  void set_run_cache_mib(std::size_t mib);

  // ---- wiring ------------------------------------------------------------------------------------
  //! Makes each session's CDR when it ends (TransactionEnded, after the stop is committed), as
  //! its own unit of work. A session without a tariff gets none; the billing run retries
  //! sessions whose CDR could not be made.
  void watch(domain::EventBus &bus, domain::StoreExecutor &store);
  //! Called after the commit with every CDR made (by the hook, the API or the billing run) and
  //! every credit CDR: payments capture or refund on it. Set before the first session ends.
  void add_listener(Listener listener);
  //! Tells the listeners about CDRs that were committed.
  void committed(const std::vector<domain::Cdr> &cdrs) const;

private:
  const core::Clock &clock_;
  SessionPricer pricer_;
  bool batch_pricing_ = false; //!< SessionPricing: the billing run prices with BatchPricing
  std::size_t pricing_threads_ = 2;
  std::size_t run_cache_mib_ = 256;
  std::vector<Listener> listeners_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
