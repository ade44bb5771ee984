#pragma once
//! Storage of payments and of the provider calls made for them (migration 0016). Used inside
//! one unit of work; never while a provider call is in flight (services::PaymentService calls
//! the provider between two units).
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/payment.hpp"

namespace gridlane::domain {

class PaymentStore {
public:
  virtual ~PaymentStore() = default;

  //! Inserts the payment and returns its id.
  virtual std::int64_t insert_payment(const Payment &p) = 0;
  //! Writes every field of the payment `p.id`.
  virtual void update_payment(const Payment &p) = 0;
  virtual std::optional<Payment> payment(std::int64_t id) = 0;
  virtual std::optional<Payment> payment_by_token(std::string_view id_token) = 0;
  virtual std::optional<Payment> payment_by_transaction(std::int64_t transaction_id) = 0;
  virtual std::optional<Payment> payment_by_cdr(std::string_view cdr_id) = 0;
  //! Newest first, filtered and paged by the database.
  virtual std::vector<Payment> payments(const PaymentFilter &f) = 0;
  virtual std::int64_t count_payments(const PaymentFilter &f) = 0;
  //! Authorised payments whose one-time token expired unused before `now`.
  virtual std::vector<Payment> expired_authorizations(Timestamp now, std::size_t limit) = 0;

  //! Inserts the operation; when one with the same idempotency key exists already, returns
  //! that one instead (a second writer never creates a second call).
  virtual PaymentOperation insert_payment_operation(const PaymentOperation &op) = 0;
  virtual void update_payment_operation(const PaymentOperation &op) = 0;
  virtual std::optional<PaymentOperation> payment_operation_by_key(std::string_view key) = 0;
  virtual std::vector<PaymentOperation> payment_operations(std::int64_t payment_id) = 0;
  //! Operations written but not answered (a crash or a timeout between the two units).
  virtual std::vector<PaymentOperation> pending_payment_operations(std::size_t limit) = 0;
};

} // namespace gridlane::domain
