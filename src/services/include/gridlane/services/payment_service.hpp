#pragma once
//! Payments for charging sessions (docs/payments.md). A card payment is authorised before an
//! ad-hoc session (an amount held, a one-time id token given for the session), captured when
//! the session's CDR exists (its total incl. VAT; the rest of the hold is released) and
//! refunded by credit CDRs. Each provider call is written first as a PaymentOperation with its
//! idempotency key (one unit of work), made on the blocking runner (never on a network thread
//! nor inside a unit of work), and its answer recorded in a second unit. A call left unanswered
//! (timeout, crash) is retried by sweep() with the same key, so money never moves twice.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gridlane/core/money.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/payment.hpp"
#include "gridlane/payments/provider.hpp"
#include "gridlane/payments/stripe.hpp"
#include "gridlane/services/async.hpp"

namespace gridlane::services {

struct PaymentServiceOptions {
  std::chrono::seconds token_ttl{900};         //!< an unused one-time token's hold is released after this
  std::int64_t max_amount_minor = 100'000'000; //!< the most one authorisation may hold, in minor units
};

struct PaymentAuthorizeRequest {
  core::Money amount;
  std::string payment_method; //!< the provider's payment method id, or "invoice" with an account
  std::optional<domain::StationId> station;
  std::optional<int> evse_id;
  std::optional<std::string> account_id; //!< post-paid (payment_method "invoice")
};

using PaymentReply = Reply<domain::Result<domain::Payment>>;

class PaymentService {
public:
  //! `card` may be null (no card provider configured: card authorisations are refused 503).
  //! `runner` runs the provider calls (a core::WorkerPool of their own).
  PaymentService(domain::StoreExecutor &store, const core::Clock &clock, payments::PaymentProvider *card,
                 BlockingRunner runner, PaymentServiceOptions options = {});
  ~PaymentService();
  PaymentService(const PaymentService &) = delete;
  PaymentService &operator=(const PaymentService &) = delete;

  //! Links a session started with a payment's one-time token to that payment, and expires the
  //! token when the session ends (one session per token).
  void watch(domain::EventBus &bus);
  //! Runs sweep() every `interval` on a thread of its own until stop().
  void start_sweeping(std::chrono::seconds interval);
  void stop();

  //! Holds the amount; the payment (status authorized, with its id token) or why not.
  void authorize(const PaymentAuthorizeRequest &request, PaymentReply reply);
  //! Releases the hold of an authorised payment whose token started no session.
  void cancel(std::int64_t payment_id, PaymentReply reply);
  //! The session's CDR was created: captures its total incl. VAT (at most the amount held; a
  //! total of zero releases the hold). NotFound when no payment paid for that session.
  void capture_for_cdr(std::int64_t transaction_id, const std::string &cdr_id, core::Money total_incl_vat,
                       PaymentReply reply);
  //! A credit CDR was created for `original_cdr_id`: refunds `amount` (its magnitude), at most
  //! what is captured and not yet refunded, once per credit CDR.
  void refund_for_credit_cdr(const std::string &original_cdr_id, const std::string &credit_cdr_id, core::Money amount,
                             PaymentReply reply);
  //! A CDR was committed (CdrService's listener): a session's CDR captures its payment, a credit
  //! CDR refunds the payment of the CDR it credits. Sessions paid otherwise are left alone.
  void on_cdr(const domain::Cdr &cdr);
  //! Retries the calls left unanswered (same key) and releases the holds of expired tokens.
  void sweep();

  bool card_enabled() const { return card_ != nullptr; }

  struct Planned; // what a unit of work decided to ask the provider (payment_service.cpp)

private:
  void run(std::function<domain::Result<Planned>(domain::Repository &)> plan, PaymentReply reply);
  void call_and_record(const Planned &planned, const PaymentReply &reply);
  payments::PaymentProvider *provider_of(const domain::Payment &p);
  void done_with(const std::string &key);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  payments::PaymentProvider *card_;
  payments::InvoiceProvider invoice_;
  BlockingRunner runner_;
  PaymentServiceOptions options_;
  std::unique_ptr<domain::EventBus::Subscription> subscription_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<std::string> in_flight_; //!< idempotency keys of the calls being made now
  std::thread sweeper_;
};

} // namespace gridlane::services
