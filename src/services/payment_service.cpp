// Payments (docs/payments.md): plan in one unit of work, call the provider on the blocking
// runner, record the answer in a second unit. The operation row, with its idempotency key, is
// committed before the call is made.
#include "gridlane/services/payment_service.hpp"

#include <algorithm>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/payments/idempotency.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

//! A payment and the operation to send for it; `call` false when the operation is already
//! settled (a repeat: the answer recorded the first time stands).
struct PaymentService::Planned {
  Payment payment;
  PaymentOperation op;
  bool call = true;
};

namespace {

spdlog::logger &plog() {
  static auto logger = core::logger("payments");
  return *logger;
}

payments::PaymentKeyBase key_base(const Payment &p) {
  return {p.id, p.created_at};
}

//! "PAY" + 16 characters of [0-9A-Z] without I and O (80 random bits): 19 characters, within
//! OCPP 1.6's idTag limit of 20, easy to read out.
std::string new_token_id() {
  static constexpr std::string_view digits = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  auto random = core::random_token("t"); // "t_" + 43 base64url characters
  std::string out = "PAY";
  for (std::size_t i = 2; out.size() < 19 && i < random.size(); ++i) {
    auto at = b64.find(random[i]);
    out += digits[(at == std::string_view::npos ? 0 : at) % 32];
  }
  return out;
}

PaymentOperation operation(const Payment &p, PaymentOperationKind kind, std::string key, std::int64_t amount,
                           std::optional<std::string> reference, Timestamp now) {
  PaymentOperation op;
  op.payment_id = p.id;
  op.kind = kind;
  op.status = PaymentOperationStatus::Pending;
  op.idempotency_key = std::move(key);
  op.amount_minor = amount;
  op.reference = std::move(reference);
  op.created_at = now;
  return op;
}

void expire_token(Repository &r, const Payment &p, Timestamp now) {
  if (!p.id_token) return;
  if (auto t = r.id_token(*p.id_token)) {
    t->status = TokenStatus::Expired;
    t->expires_at = now;
    r.upsert_id_token(*t);
  }
}

//! Records the provider's answer to `op` on its payment. Unavailable leaves the operation
//! pending (sweep() retries it with the same key).
Result<Payment> record(Repository &r, std::int64_t payment_id, const std::string &key, const payments::CallResult &res,
                       Timestamp now) {
  auto p = r.payment(payment_id);
  auto op = r.payment_operation_by_key(key);
  if (!p || !op) return ServiceError::internal("payment " + std::to_string(payment_id) + " vanished");
  if (op->status != PaymentOperationStatus::Pending) return *p; // recorded already (a sweep raced us)
  p->updated_at = now;
  if (res.outcome == payments::CallOutcome::Unavailable) {
    op->error = res.message;
    if (!p->error) p->error = res.message; // a note already there (a capture's shortfall) stays
    r.update_payment_operation(*op);
    r.update_payment(*p);
    return ServiceError::unavailable("the payment provider did not answer; the call is retried with the same "
                                     "idempotency key: " +
                                     res.message);
  }
  op->done_at = now;
  if (res.outcome == payments::CallOutcome::Refused) {
    op->status = PaymentOperationStatus::Failed;
    op->error = res.message;
    p->error = res.message;
    if (op->kind == PaymentOperationKind::Authorize) {
      p->status = PaymentStatus::Failed;
      if (res.ref) p->provider_ref = res.ref;
    }
    r.update_payment_operation(*op);
    r.update_payment(*p);
    if (op->kind == PaymentOperationKind::Authorize)
      return ServiceError::invalid("the payment was not authorised: " + res.message, "payment_method");
    return ServiceError::conflict("the payment provider refused the " + std::string(to_string(op->kind)) + ": " +
                                  res.message);
  }
  if (p->error == op->error) p->error.reset(); // this call's earlier failure, now answered
  op->status = PaymentOperationStatus::Succeeded;
  op->provider_ref = res.ref;
  switch (op->kind) {
  case PaymentOperationKind::Authorize:
    p->status = PaymentStatus::Authorized;
    p->provider_ref = res.ref;
    p->authorized_minor = std::min(res.amount_minor, op->amount_minor);
    if (p->id_token) r.upsert_id_token(IdToken{*p->id_token, TokenStatus::Accepted, p->token_expires_at, std::nullopt});
    break;
  case PaymentOperationKind::Capture:
    p->status = PaymentStatus::Captured;
    p->captured_minor = std::clamp<std::int64_t>(res.amount_minor, 0, p->authorized_minor);
    break;
  case PaymentOperationKind::Cancel:
    p->status = PaymentStatus::Canceled;
    expire_token(r, *p, now);
    break;
  case PaymentOperationKind::Refund:
    p->refunded_minor += std::clamp<std::int64_t>(res.amount_minor, 0, p->captured_minor - p->refunded_minor);
    if (p->refunded_minor == p->captured_minor) p->status = PaymentStatus::Refunded;
    break;
  }
  r.update_payment_operation(*op);
  r.update_payment(*p);
  return *p;
}

//! What an operation already settled answers when asked again.
Result<Payment> settled(const Payment &p, const PaymentOperation &op) {
  if (op.status == PaymentOperationStatus::Failed)
    return ServiceError::conflict("the payment provider refused the " + std::string(to_string(op.kind)) + ": " +
                                  op.error.value_or("?"));
  return p;
}

} // namespace

PaymentService::PaymentService(StoreExecutor &store, const core::Clock &clock, payments::PaymentProvider *card,
                               BlockingRunner runner, PaymentServiceOptions options)
    : store_(store), clock_(clock), card_(card), runner_(std::move(runner)), options_(options) {}

PaymentService::~PaymentService() {
  stop();
}

payments::PaymentProvider *PaymentService::provider_of(const Payment &p) {
  if (p.provider == invoice_.name()) return &invoice_;
  if (card_ && p.provider == card_->name()) return card_;
  return nullptr;
}

void PaymentService::run(std::function<Result<Planned>(Repository &)> plan, PaymentReply reply) {
  run_unit<Result<Planned>>(store_, std::move(plan), [this, reply = std::move(reply)](Outcome<Result<Planned>> o) {
    if (!o.ok()) {
      plog().error("payment unit of work failed: {}", o.error());
      if (reply) reply(Outcome<Result<Payment>>::failure(o.error()));
      return;
    }
    auto &planned = o.value();
    if (!planned) {
      if (reply) reply(Outcome<Result<Payment>>::success(planned.error()));
      return;
    }
    if (!planned->call) {
      if (reply) reply(Outcome<Result<Payment>>::success(settled(planned->payment, planned->op)));
      return;
    }
    call_and_record(*planned, reply);
  });
}

void PaymentService::call_and_record(const Planned &planned, const PaymentReply &reply) {
  {
    // One call per key at a time: a sweep never resends a call still in flight.
    std::lock_guard lock{mutex_};
    if (!in_flight_.insert(planned.op.idempotency_key).second) {
      if (reply)
        reply(Outcome<Result<Payment>>::success(
            ServiceError::unavailable("this payment call is in progress; try again shortly")));
      return;
    }
  }
  auto work = [this, planned, reply]() {
    const auto &p = planned.payment;
    const auto &op = planned.op;
    auto *provider = provider_of(p);
    payments::CallResult res;
    if (!provider) {
      res = {payments::CallOutcome::Unavailable, std::nullopt, 0, "no provider " + p.provider + " is configured"};
    } else {
      auto ref = p.provider_ref.value_or("");
      switch (op.kind) {
      case PaymentOperationKind::Authorize:
        res = provider->authorize(payments::AuthorizeCall{op.amount_minor, p.currency, p.payment_method,
                                                          "Gridlane charging session, payment " + std::to_string(p.id),
                                                          p.id, op.idempotency_key});
        break;
      case PaymentOperationKind::Capture: res = provider->capture(ref, op.amount_minor, op.idempotency_key); break;
      case PaymentOperationKind::Cancel: res = provider->cancel(ref, op.idempotency_key); break;
      case PaymentOperationKind::Refund: res = provider->refund(ref, op.amount_minor, op.idempotency_key); break;
      }
    }
    plog().info("payment {} {} (key {}): {}{}", p.id, to_string(op.kind), op.idempotency_key,
                res.outcome == payments::CallOutcome::Succeeded ? "succeeded"
                : res.outcome == payments::CallOutcome::Refused ? "refused"
                                                                : "unanswered",
                res.message.empty() ? "" : ": " + res.message);
    auto now = clock_.now();
    run_unit<Result<Payment>>(
        store_, [id = p.id, key = op.idempotency_key, res, now](Repository &r) { return record(r, id, key, res, now); },
        [this, key = op.idempotency_key, reply](Outcome<Result<Payment>> o) {
          done_with(key);
          if (!o.ok()) plog().error("recording a payment answer failed: {}", o.error());
          if (reply) reply(std::move(o));
        });
  };
  runner_(std::move(work), [this, key = planned.op.idempotency_key, reply](core::JobRefusal why) {
    done_with(key);
    // The operation stays pending with its key: sweep() sends it later.
    if (reply)
      reply(Outcome<Result<Payment>>::success(ServiceError::unavailable(
          "payment calls are busy (" + std::string(core::to_string(why)) + "); retried later")));
  });
}

void PaymentService::done_with(const std::string &key) {
  std::lock_guard lock{mutex_};
  in_flight_.erase(key);
}

void PaymentService::authorize(const PaymentAuthorizeRequest &request, PaymentReply reply) {
  bool invoice = request.payment_method == "invoice";
  if (!invoice && !card_) {
    if (reply)
      reply(Outcome<Result<Payment>>::success(
          ServiceError::unavailable("no card payment provider is configured ([payments] card_provider)")));
    return;
  }
  auto now = clock_.now();
  auto ttl = options_.token_ttl;
  auto max_minor = options_.max_amount_minor;
  std::string provider = invoice ? std::string(invoice_.name()) : std::string(card_->name());
  run(
      [request, now, ttl, max_minor, provider, invoice](Repository &r) -> Result<Planned> {
        auto minor = request.amount.to_minor(core::Rounding::HalfUp);
        if (!minor || *minor <= 0 || *minor > max_minor)
          return ServiceError::invalid(
              "amount must be positive and at most " + std::to_string(max_minor) + " minor units", "amount");
        if (auto exact = request.amount.rounded(core::Rounding::HalfUp); !exact || !(*exact == request.amount))
          return ServiceError::invalid("amount has more decimals than its currency", "amount");
        if (request.payment_method.empty() || request.payment_method.size() > 255)
          return ServiceError::invalid("payment_method must be 1 to 255 characters", "payment_method");
        if (invoice && !request.account_id)
          return ServiceError::invalid("a post-paid (invoice) payment names its account", "account_id");
        if (request.station) {
          if (!r.station(*request.station)) return ServiceError::invalid("no such station", "station");
          if (request.evse_id && !r.evse(*request.station, *request.evse_id))
            return ServiceError::invalid("the station has no such EVSE", "evse");
        } else if (request.evse_id) {
          return ServiceError::invalid("an EVSE is named with its station", "evse");
        }
        Payment p;
        p.method = invoice ? PaymentMethodKind::Invoice : PaymentMethodKind::Card;
        p.provider = provider;
        p.payment_method = request.payment_method;
        p.currency = request.amount.currency();
        p.authorized_minor = *minor;
        for (int attempt = 0; attempt < 4 && !p.id_token; ++attempt) {
          auto candidate = new_token_id();
          if (!r.id_token(candidate) && !r.payment_by_token(candidate)) p.id_token = candidate;
        }
        if (!p.id_token) return ServiceError::internal("no free id token");
        p.token_expires_at = now + ttl;
        p.station = request.station;
        p.evse_id = request.evse_id;
        p.account_id = request.account_id;
        p.created_at = now;
        p.updated_at = now;
        p.id = r.insert_payment(p);
        auto op = r.insert_payment_operation(operation(
            p, PaymentOperationKind::Authorize, payments::authorize_key(key_base(p)), *minor, std::nullopt, now));
        return Planned{p, op, true};
      },
      std::move(reply));
}

void PaymentService::cancel(std::int64_t payment_id, PaymentReply reply) {
  auto now = clock_.now();
  run(
      [payment_id, now](Repository &r) -> Result<Planned> {
        auto p = r.payment(payment_id);
        if (!p) return ServiceError::not_found("no such payment");
        auto key = payments::cancel_key(key_base(*p));
        if (auto done = r.payment_operation_by_key(key); done && done->status != PaymentOperationStatus::Pending)
          return Planned{*p, *done, false};
        if (p->status != PaymentStatus::Authorized)
          return ServiceError::conflict("only an authorised payment can be released; this one is " +
                                        std::string(to_string(p->status)));
        if (p->transaction_id)
          return ServiceError::conflict("its session started: the payment is captured when the session's CDR exists");
        auto op = r.insert_payment_operation(operation(*p, PaymentOperationKind::Cancel, key, 0, std::nullopt, now));
        return Planned{*p, op, op.status == PaymentOperationStatus::Pending};
      },
      std::move(reply));
}

void PaymentService::capture_for_cdr(std::int64_t transaction_id, const std::string &cdr_id, core::Money total,
                                     PaymentReply reply) {
  auto now = clock_.now();
  run(
      [transaction_id, cdr_id, total, now](Repository &r) -> Result<Planned> {
        auto p = r.payment_by_transaction(transaction_id);
        if (!p) return ServiceError::not_found("no payment paid for transaction " + std::to_string(transaction_id));
        auto key = payments::capture_key(key_base(*p), transaction_id);
        if (auto done = r.payment_operation_by_key(key))
          return Planned{*p, *done, done->status == PaymentOperationStatus::Pending};
        if (p->status != PaymentStatus::Authorized)
          return ServiceError::conflict("the payment is " + std::string(to_string(p->status)) + ", not authorised");
        if (!(total.currency() == p->currency))
          return ServiceError::invalid("the CDR is in " + std::string(total.currency().code()) + ", the payment in " +
                                       std::string(p->currency.code()));
        auto minor = total.to_minor(core::Rounding::HalfUp);
        if (!minor || *minor < 0) return ServiceError::invalid("a CDR total is never negative");
        p->cdr_id = cdr_id;
        p->updated_at = now;
        if (*minor == 0) { // nothing to take: release the hold
          r.update_payment(*p);
          auto op = r.insert_payment_operation(
              operation(*p, PaymentOperationKind::Cancel, payments::cancel_key(key_base(*p)), 0, cdr_id, now));
          return Planned{*p, op, op.status == PaymentOperationStatus::Pending};
        }
        auto amount = std::min(*minor, p->authorized_minor);
        if (amount < *minor)
          p->error = "the final price (" + std::to_string(*minor) + " minor units) exceeds the amount held; " +
                     std::to_string(*minor - amount) + " remain to be collected";
        r.update_payment(*p);
        auto op = r.insert_payment_operation(operation(*p, PaymentOperationKind::Capture, key, amount, cdr_id, now));
        return Planned{*p, op, op.status == PaymentOperationStatus::Pending};
      },
      std::move(reply));
}

void PaymentService::refund_for_credit_cdr(const std::string &original_cdr_id, const std::string &credit_cdr_id,
                                           core::Money amount, PaymentReply reply) {
  auto now = clock_.now();
  run(
      [original_cdr_id, credit_cdr_id, amount, now](Repository &r) -> Result<Planned> {
        auto p = r.payment_by_cdr(original_cdr_id);
        if (!p) return ServiceError::not_found("no payment captured CDR " + original_cdr_id);
        auto key = payments::refund_key(key_base(*p), credit_cdr_id);
        if (auto done = r.payment_operation_by_key(key))
          return Planned{*p, *done, done->status == PaymentOperationStatus::Pending};
        if (p->status != PaymentStatus::Captured)
          return ServiceError::conflict("the payment is " + std::string(to_string(p->status)) + ", not captured");
        if (!(amount.currency() == p->currency)) return ServiceError::invalid("the credit CDR is in another currency");
        auto minor = amount.to_minor(core::Rounding::HalfUp);
        if (!minor) return ServiceError::invalid("the credit amount is out of range");
        auto wanted = std::min(*minor < 0 ? -*minor : *minor, p->captured_minor - p->refunded_minor);
        if (wanted <= 0) return ServiceError::conflict("nothing captured is left to refund");
        auto op =
            r.insert_payment_operation(operation(*p, PaymentOperationKind::Refund, key, wanted, credit_cdr_id, now));
        return Planned{*p, op, op.status == PaymentOperationStatus::Pending};
      },
      std::move(reply));
}

void PaymentService::on_cdr(const Cdr &cdr) {
  core::Money total(cdr.total_cost.incl_vat.value_or(cdr.total_cost.excl_vat), cdr.currency);
  auto logged = [id = cdr.id](Outcome<Result<Payment>> o) {
    if (!o.ok()) return plog().error("payment for CDR {}: {}", id, o.error());
    if (o.value()) return plog().info("payment {} settled by CDR {}", o.value()->id, id);
    if (o.value().error().code == ServiceError::Code::NotFound) return; // a session not paid by card
    plog().warn("payment for CDR {}: {}", id, o.value().error().message);
  };
  if (cdr.credit) {
    if (cdr.credit_reference_id) refund_for_credit_cdr(*cdr.credit_reference_id, cdr.id, total, logged);
  } else if (cdr.transaction_id) {
    capture_for_cdr(*cdr.transaction_id, cdr.id, total, logged);
  }
}

void PaymentService::sweep() {
  auto now = clock_.now();
  run_unit<std::vector<Planned>>(
      store_,
      [now](Repository &r) {
        std::vector<Planned> out;
        for (const auto &op : r.pending_payment_operations(32))
          if (auto p = r.payment(op.payment_id)) out.push_back(Planned{*p, op, true});
        for (auto &p : r.expired_authorizations(now, 32)) {
          auto op = r.insert_payment_operation(
              operation(p, PaymentOperationKind::Cancel, payments::cancel_key(key_base(p)), 0, std::nullopt, now));
          if (op.status == PaymentOperationStatus::Pending &&
              std::none_of(out.begin(), out.end(), [&op](const Planned &x) { return x.op.id == op.id; }))
            out.push_back(Planned{p, op, true});
        }
        return out;
      },
      [this](Outcome<std::vector<Planned>> o) {
        if (!o.ok()) return plog().error("payment sweep failed: {}", o.error());
        for (auto &planned : o.value())
          call_and_record(planned, nullptr);
      });
}

void PaymentService::watch(EventBus &bus) {
  subscription_ = bus.subscribe([this](const Event &e) {
    // 2.x: a session may start before its token is presented (cable first); the token then
    // comes with a later TransactionEvent.
    std::optional<std::pair<std::int64_t, std::string>> presented;
    if (const auto *started = std::get_if<TransactionStarted>(&e))
      presented.emplace(started->transaction.id, started->transaction.id_tag);
    else if (const auto *updated = std::get_if<TransactionUpdated>(&e); updated && updated->subject)
      presented.emplace(updated->transaction_id, updated->subject->id_tag);
    // Only tags shaped like a payment's token cost a unit of work (meter values come often).
    if (presented && presented->second.starts_with("PAY")) {
      auto now = clock_.now();
      store_.submit(
          [tx = presented->first, tag = presented->second, now](Repository &r) {
            auto p = r.payment_by_token(tag);
            if (!p || p->status != PaymentStatus::Authorized || p->transaction_id) return;
            if (r.payment_by_transaction(tx)) return;
            p->transaction_id = tx;
            p->updated_at = now;
            r.update_payment(*p);
          },
          [](std::exception_ptr) {});
    } else if (const auto *ended = std::get_if<TransactionEnded>(&e);
               ended && ended->transaction.id_tag.starts_with("PAY")) {
      auto id = ended->transaction.id;
      auto now = clock_.now();
      store_.submit(
          [id, now](Repository &r) {
            if (auto p = r.payment_by_transaction(id)) expire_token(r, *p, now); // one session per token
          },
          [](std::exception_ptr) {});
    }
  });
}

void PaymentService::start_sweeping(std::chrono::seconds interval) {
  sweeper_ = std::thread([this, interval] {
    std::unique_lock lock{mutex_};
    while (!stopping_) {
      lock.unlock();
      sweep();
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void PaymentService::stop() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
  subscription_.reset();
}

} // namespace gridlane::services
