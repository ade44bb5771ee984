//! PaymentStore over SQLite (migration 0016).
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {

constexpr std::string_view payment_columns =
    "id, method, status, provider, provider_ref, payment_method, currency, authorized_minor, captured_minor, "
    "refunded_minor, id_token, token_expires_at, station_id, evse_id, transaction_id, cdr_id, account_id, error, "
    "created_at, updated_at";

Payment payment_row(const Statement &s) {
  Payment p;
  p.id = s.int64(0);
  p.method = parse_payment_method_kind(s.text(1)).value_or(PaymentMethodKind::Card);
  p.status = parse_payment_status(s.text(2)).value_or(PaymentStatus::Failed);
  p.provider = s.text(3);
  p.provider_ref = s.opt_text(4);
  p.payment_method = s.text(5);
  p.currency = core::Currency::parse(s.text(6)).value_or(core::Currency::eur());
  p.authorized_minor = s.int64(7);
  p.captured_minor = s.int64(8);
  p.refunded_minor = s.int64(9);
  p.id_token = s.opt_text(10);
  p.token_expires_at = ts(s.opt_int64(11));
  if (auto station = s.opt_text(12)) p.station = StationId::unchecked(*station);
  if (auto evse = s.opt_int64(13)) p.evse_id = static_cast<int>(*evse);
  p.transaction_id = s.opt_int64(14);
  p.cdr_id = s.opt_text(15);
  p.account_id = s.opt_text(16);
  p.error = s.opt_text(17);
  p.created_at = core::from_unix_ms(s.int64(18));
  p.updated_at = core::from_unix_ms(s.int64(19));
  return p;
}

//! Binds ?1..?19 in payment_columns' order after the id.
void bind_payment(Statement &s, const Payment &p) {
  std::optional<std::string> station;
  if (p.station) station = std::string(p.station->str());
  std::optional<std::int64_t> evse;
  if (p.evse_id) evse = *p.evse_id;
  s.bind(1, to_string(p.method))
      .bind(2, to_string(p.status))
      .bind(3, p.provider)
      .bind(4, p.provider_ref)
      .bind(5, p.payment_method)
      .bind(6, p.currency.code())
      .bind(7, p.authorized_minor)
      .bind(8, p.captured_minor)
      .bind(9, p.refunded_minor)
      .bind(10, p.id_token)
      .bind(11, ms(p.token_expires_at))
      .bind(12, station)
      .bind(13, evse)
      .bind(14, p.transaction_id)
      .bind(15, p.cdr_id)
      .bind(16, p.account_id)
      .bind(17, p.error)
      .bind(18, core::to_unix_ms(p.created_at))
      .bind(19, core::to_unix_ms(p.updated_at));
}

constexpr std::string_view operation_columns =
    "id, payment_id, kind, status, idempotency_key, amount_minor, provider_ref, reference, error, created_at, done_at";

PaymentOperation operation_row(const Statement &s) {
  PaymentOperation op;
  op.id = s.int64(0);
  op.payment_id = s.int64(1);
  op.kind = parse_payment_operation_kind(s.text(2)).value_or(PaymentOperationKind::Authorize);
  op.status = parse_payment_operation_status(s.text(3)).value_or(PaymentOperationStatus::Failed);
  op.idempotency_key = s.text(4);
  op.amount_minor = s.int64(5);
  op.provider_ref = s.opt_text(6);
  op.reference = s.opt_text(7);
  op.error = s.opt_text(8);
  op.created_at = core::from_unix_ms(s.int64(9));
  op.done_at = ts(s.opt_int64(10));
  return op;
}

std::optional<Payment> one_payment(Database &db, std::string_view where, const std::function<void(Statement &)> &bind) {
  auto s = db.prepare("SELECT " + std::string(payment_columns) + " FROM payments WHERE " + std::string(where));
  bind(s);
  if (!s.step()) return std::nullopt;
  return payment_row(s);
}

constexpr std::string_view payment_where = "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR transaction_id = ?2) ";

void bind_filter(Statement &s, const PaymentFilter &f) {
  std::optional<std::string> status;
  if (f.status) status = std::string(to_string(*f.status));
  s.bind(1, status).bind(2, f.transaction_id);
}

} // namespace

std::int64_t SqliteRepository::insert_payment(const Payment &p) {
  auto s =
      db_.prepare("INSERT INTO payments (" + std::string(payment_columns.substr(4)) +
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  bind_payment(s, p);
  s.run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_payment(const Payment &p) {
  auto s = db_.prepare(
      "UPDATE payments SET method = ?1, status = ?2, provider = ?3, provider_ref = ?4, payment_method = ?5, "
      "currency = ?6, authorized_minor = ?7, captured_minor = ?8, refunded_minor = ?9, id_token = ?10, "
      "token_expires_at = ?11, station_id = ?12, evse_id = ?13, transaction_id = ?14, cdr_id = ?15, account_id = ?16, "
      "error = ?17, created_at = ?18, updated_at = ?19 WHERE id = ?20");
  bind_payment(s, p);
  s.bind(20, p.id);
  s.run();
}

std::optional<Payment> SqliteRepository::payment(std::int64_t id) {
  return one_payment(db_, "id = ?1", [id](Statement &s) { s.bind(1, id); });
}

std::optional<Payment> SqliteRepository::payment_by_token(std::string_view id_token) {
  return one_payment(db_, "id_token = ?1", [id_token](Statement &s) { s.bind(1, id_token); });
}

std::optional<Payment> SqliteRepository::payment_by_transaction(std::int64_t transaction_id) {
  return one_payment(db_, "transaction_id = ?1", [transaction_id](Statement &s) { s.bind(1, transaction_id); });
}

std::optional<Payment> SqliteRepository::payment_by_cdr(std::string_view cdr_id) {
  return one_payment(db_, "cdr_id = ?1", [cdr_id](Statement &s) { s.bind(1, cdr_id); });
}

std::vector<Payment> SqliteRepository::payments(const PaymentFilter &f) {
  auto s = db_.prepare("SELECT " + std::string(payment_columns) + " FROM payments " + std::string(payment_where) +
                       "ORDER BY id DESC LIMIT ?3 OFFSET ?4");
  bind_filter(s, f);
  s.bind(3, static_cast<std::int64_t>(f.limit)).bind(4, static_cast<std::int64_t>(f.offset));
  std::vector<Payment> out;
  while (s.step())
    out.push_back(payment_row(s));
  return out;
}

std::int64_t SqliteRepository::count_payments(const PaymentFilter &f) {
  auto s = db_.prepare("SELECT COUNT(*) FROM payments " + std::string(payment_where));
  bind_filter(s, f);
  return s.step() ? s.int64(0) : 0;
}

std::vector<Payment> SqliteRepository::expired_authorizations(Timestamp now, std::size_t limit) {
  auto s =
      db_.prepare("SELECT " + std::string(payment_columns) +
                  " FROM payments WHERE status = 'authorized' AND transaction_id IS NULL AND token_expires_at < ?1 "
                  "ORDER BY id LIMIT ?2");
  s.bind(1, core::to_unix_ms(now)).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Payment> out;
  while (s.step())
    out.push_back(payment_row(s));
  return out;
}

PaymentOperation SqliteRepository::insert_payment_operation(const PaymentOperation &op) {
  auto s =
      db_.prepare("INSERT INTO payment_operations (payment_id, kind, status, idempotency_key, amount_minor, "
                  "provider_ref, reference, error, created_at, done_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                  "?10) ON CONFLICT (idempotency_key) DO NOTHING");
  s.bind(1, op.payment_id)
      .bind(2, to_string(op.kind))
      .bind(3, to_string(op.status))
      .bind(4, op.idempotency_key)
      .bind(5, op.amount_minor)
      .bind(6, op.provider_ref)
      .bind(7, op.reference)
      .bind(8, op.error)
      .bind(9, core::to_unix_ms(op.created_at))
      .bind(10, ms(op.done_at));
  s.run();
  auto stored = payment_operation_by_key(op.idempotency_key);
  return stored ? *stored : op;
}

void SqliteRepository::update_payment_operation(const PaymentOperation &op) {
  auto s = db_.prepare("UPDATE payment_operations SET status = ?1, provider_ref = ?2, error = ?3, done_at = ?4 "
                       "WHERE id = ?5");
  s.bind(1, to_string(op.status)).bind(2, op.provider_ref).bind(3, op.error).bind(4, ms(op.done_at)).bind(5, op.id);
  s.run();
}

std::optional<PaymentOperation> SqliteRepository::payment_operation_by_key(std::string_view key) {
  auto s =
      db_.prepare("SELECT " + std::string(operation_columns) + " FROM payment_operations WHERE idempotency_key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return operation_row(s);
}

std::vector<PaymentOperation> SqliteRepository::payment_operations(std::int64_t payment_id) {
  auto s = db_.prepare("SELECT " + std::string(operation_columns) +
                       " FROM payment_operations WHERE payment_id = ?1 "
                       "ORDER BY id");
  s.bind(1, payment_id);
  std::vector<PaymentOperation> out;
  while (s.step())
    out.push_back(operation_row(s));
  return out;
}

std::vector<PaymentOperation> SqliteRepository::pending_payment_operations(std::size_t limit) {
  auto s = db_.prepare("SELECT " + std::string(operation_columns) +
                       " FROM payment_operations WHERE status = 'pending' ORDER BY id LIMIT ?1");
  s.bind(1, static_cast<std::int64_t>(limit));
  std::vector<PaymentOperation> out;
  while (s.step())
    out.push_back(operation_row(s));
  return out;
}

} // namespace gridlane::store::sqlite
