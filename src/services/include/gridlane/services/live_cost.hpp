#pragma once
//! The driver's live cost: what a session costs, shown on the station while it runs and when it
//! ends, from the same pricing as the CDR and the invoice (services::SessionPricing).
//! OCPP 2.0.1 / 2.1 block I: the tariff text as the personal message of the authorisation
//! answers (Authorize, the TransactionEvent that carries the idToken), CostUpdated at
//! [pricing] cost_update_interval with the running total, totalCost in the answer to the Ended
//! TransactionEvent. OCPP 1.6: the Open Charge Alliance pricing extension (domain/cost_messages.hpp):
//! SetUserPrice after Authorize, RunningCost at the same interval, FinalCost at the end, only to
//! stations whose CustomDisplayCostAndPrice is true (learnt from their GetConfiguration answers
//! or a ChangeConfiguration of it; asked once per connection when there is a price to show).
//! Version-neutral: the adapters render what this decides.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/money.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"
#include "gridlane/domain/tariff.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

//! A session's price so far, as the driver is shown it.
struct CostQuote {
  core::Currency currency = core::Currency::eur();
  domain::Price total_cost;
  std::vector<domain::DisplayText> tariff_text; //!< the session's tariff's tariff_alt_text
  //! What the driver pays: incl. VAT where the tariff states VAT, else excl. VAT (OCPP's
  //! totalCost "including taxes").
  core::Decimal amount() const { return total_cost.incl_vat.value_or(total_cost.excl_vat); }
};

//! Where the prices come from: SessionPricing (the snapshot tariff of a session, priced by the
//! engine) and the tariff assignment (which tariff a token would get at a station). Both run on
//! the store's thread inside a unit of work. An empty function prices nothing.
struct CostSource {
  //! The cost so far (or final) of a transaction; an error when it has no tariff.
  std::function<domain::Result<CostQuote>(domain::Repository &, std::int64_t transaction_id, domain::Timestamp now)>
      session;
  //! The tariff text a session of `id_token` at `station` would be priced under now; empty: none.
  std::function<std::vector<domain::DisplayText>(domain::Repository &, const domain::StationId &station,
                                                 const std::string &id_token, domain::Timestamp now)>
      tariff_text;
};

//! The source of the server: SessionPricing::price for a session (its snapshot tariff, priced by
//! the engine), and for an authorisation the tariff the assignments would give the token at the
//! station's location (no EVSE is known yet: EVSE and connector assignments are not looked at).
CostSource session_cost_source();

//! A text for the driver, in one language.
struct DriverMessage {
  std::string language; //!< ISO 639-1; empty when the tariff does not say
  std::string content;
  bool operator==(const DriverMessage &) const = default;
};

//! The text in `language`, else the first one; nullopt when there is none.
std::optional<DriverMessage> pick_text(const std::vector<domain::DisplayText> &texts, std::string_view language);

struct LiveCostOptions {
  std::chrono::seconds update_interval{60}; //!< 0: no running cost (the final one is still given)
  std::string language = "en";              //!< of the tariff text, when the tariff has several
};

//! Whether a 1.6 station shows costs (its CustomDisplayCostAndPrice).
enum class CostDisplay { Unknown, Supported, Unsupported };

class LiveCost {
public:
  LiveCost(domain::StoreExecutor &store, const core::Clock &clock, domain::StationGateway &gateway,
           domain::EventBus &bus, Scheduler scheduler, LiveCostOptions options, CostSource source);
  ~LiveCost();
  LiveCost(const LiveCost &) = delete;
  LiveCost &operator=(const LiveCost &) = delete;

  //! Schedules the running costs (nothing when the interval is 0). stop() before the scheduler goes.
  void start();
  void stop();

  //! 2.x Authorize: the tariff text to show as idTokenInfo.personalMessage (C01, I01).
  void authorize_answer(const StationContext &who, std::string id_token, Reply<std::optional<DriverMessage>> reply);

  //! What a 2.x TransactionEventResponse adds: the tariff text with the idTokenInfo, and the
  //! final totalCost in the answer to the Ended event (I03/I04).
  struct EventAnswer {
    std::optional<DriverMessage> message;
    std::optional<core::Decimal> total_cost;
  };
  //! `with_message`: the answer carries an idTokenInfo; `ended`: the event ended the transaction.
  void event_answer(std::int64_t transaction_id, bool with_message, bool ended, Reply<EventAnswer> reply);
  //! True when event_answer can add anything (a pricing source is wired).
  bool prices() const { return static_cast<bool>(source_.session); }

  //! 1.6: an Authorize of `id_tag` was accepted: SetUserPrice, when the station shows prices.
  void authorized(const StationContext &who, const std::string &id_tag);
  //! 1.6: what the station said of CustomDisplayCostAndPrice (a GetConfiguration answer, an
  //! accepted ChangeConfiguration).
  void learned(const domain::StationId &station, bool shows_costs);
  CostDisplay cost_display(const domain::StationId &station) const;

  //! One round of running costs: every running transaction of a connected station is priced
  //! and its cost sent (2.x CostUpdated, 1.6 RunningCost). The timer calls it.
  void sweep();

private:
  void on_event(const domain::Event &e);
  //! Runs `then` once the station is known to show costs; asks it (GetConfiguration) when unknown.
  void when_displayed(const domain::StationId &station, std::function<void()> then);
  void running_costs(std::vector<std::int64_t> transaction_ids);
  void final_cost(const domain::Transaction &t);
  void send(const domain::StationId &station, domain::Command command);
  void schedule();

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::StationGateway &gateway_;
  LiveCostOptions options_;
  CostSource source_;
  Scheduler scheduler_;
  mutable std::mutex mutex_;
  bool running_ = false;
  std::map<std::int64_t, domain::StationId> sessions_; //!< running transactions, by Gridlane id
  std::unordered_map<domain::StationId, CostDisplay> display_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
};

} // namespace gridlane::services
