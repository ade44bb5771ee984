// domain::AccountStore over SQLite (migration 0014): accounts and their tokens, billing plans,
// subscriptions, coupons and their redemptions, the loyalty ledger, what billed sessions used.
// Decimals are stored as their exact units (millionths), currencies as ISO 4217 codes.
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::Decimal;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

core::Currency currency_of(const std::string &code) {
  return core::Currency::parse(code).value_or(core::Currency::eur());
}
std::optional<std::int64_t> units(const std::optional<Decimal> &d) {
  return d ? std::optional{d->units()} : std::nullopt;
}
std::optional<Decimal> decimal(const std::optional<std::int64_t> &u) {
  return u ? std::optional{Decimal::from_units(*u)} : std::nullopt;
}

constexpr std::string_view account_columns = "id, kind, name, currency, email, redeem_points, created_at, updated_at";

Account read_account(const Statement &s) {
  Account a;
  a.id = s.text(0);
  a.kind = parse_account_kind(s.text(1)).value_or(AccountKind::Driver);
  a.name = s.text(2);
  a.currency = currency_of(s.text(3));
  a.email = s.opt_text(4);
  a.redeem_points = s.int64(5) != 0;
  a.created_at = from_unix_ms(s.int64(6));
  a.updated_at = from_unix_ms(s.int64(7));
  return a;
}

constexpr std::string_view plan_columns = "id, name, currency, monthly_fee, fee_vat, included_kwh, customer_group, "
                                          "trial_days, points_per_kwh, point_value, created_at, updated_at";

BillingPlan read_plan(const Statement &s) {
  BillingPlan p;
  p.id = s.text(0);
  p.name = s.text(1);
  p.currency = currency_of(s.text(2));
  p.monthly_fee = Decimal::from_units(s.int64(3));
  p.fee_vat = decimal(s.opt_int64(4));
  p.included_kwh = Decimal::from_units(s.int64(5));
  p.customer_group = s.opt_text(6);
  p.trial_days = static_cast<int>(s.int64(7));
  p.points_per_kwh = Decimal::from_units(s.int64(8));
  p.point_value = Decimal::from_units(s.int64(9));
  p.created_at = from_unix_ms(s.int64(10));
  p.updated_at = from_unix_ms(s.int64(11));
  return p;
}

constexpr std::string_view subscription_columns = "id, account_id, plan_id, started_at, trial_ends_at, ended_at";

Subscription read_subscription(const Statement &s) {
  return Subscription{s.int64(0),        s.text(1), s.text(2), from_unix_ms(s.int64(3)), from_unix_ms(s.int64(4)),
                      ts(s.opt_int64(5))};
}

constexpr std::string_view coupon_columns = "c.code, c.kind, c.description, c.amount, c.currency, c.percent, "
                                            "c.valid_from, c.valid_until, c.max_redemptions, c.max_per_account, "
                                            "c.created_at";

Coupon read_coupon(const Statement &s) {
  Coupon c;
  c.code = s.text(0);
  c.kind = parse_coupon_kind(s.text(1)).value_or(CouponKind::AmountOff);
  c.description = s.opt_text(2);
  c.amount = Decimal::from_units(s.int64(3));
  if (auto code = s.opt_text(4)) c.currency = core::Currency::parse(*code);
  c.percent = Decimal::from_units(s.int64(5));
  c.valid_from = ts(s.opt_int64(6));
  c.valid_until = ts(s.opt_int64(7));
  c.max_redemptions = s.opt_int64(8);
  c.max_per_account = s.int64(9);
  c.created_at = from_unix_ms(s.int64(10));
  return c;
}

constexpr std::string_view loyalty_columns = "id, account_id, transaction_id, kind, points, reason, at";

LoyaltyEntry read_loyalty(const Statement &s) {
  return LoyaltyEntry{s.int64(0),
                      s.text(1),
                      s.opt_int64(2),
                      parse_loyalty_entry_kind(s.text(3)).value_or(LoyaltyEntryKind::Adjusted),
                      s.int64(4),
                      s.opt_text(5),
                      from_unix_ms(s.int64(6))};
}

} // namespace

// ---- accounts

std::optional<Account> SqliteRepository::account(std::string_view id) {
  static const std::string sql = select(account_columns, "FROM accounts WHERE id = ?1");
  std::optional<Account> a;
  {
    auto s = db_.prepare(sql);
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    a = read_account(s);
  }
  auto t = db_.prepare("SELECT token_id, driver FROM account_tokens WHERE account_id = ?1 ORDER BY token_id");
  t.bind(1, id);
  while (t.step())
    a->tokens.push_back({t.text(0), t.opt_text(1)});
  return a;
}

std::optional<Account> SqliteRepository::account_of_token(std::string_view token_id) {
  std::optional<std::string> id;
  {
    auto s = db_.prepare("SELECT account_id FROM account_tokens WHERE token_id = ?1");
    s.bind(1, token_id);
    if (s.step()) id = s.text(0);
  }
  return id ? account(*id) : std::nullopt;
}

std::vector<Account> SqliteRepository::accounts(const AccountFilter &f) {
  static const std::string sql =
      select(account_columns, "FROM accounts WHERE (?1 IS NULL OR name = ?1) ORDER BY id LIMIT ?2 OFFSET ?3");
  auto s = db_.prepare(sql);
  s.bind(1, f.name).bind(2, static_cast<std::int64_t>(f.limit)).bind(3, static_cast<std::int64_t>(f.offset));
  std::vector<Account> out;
  while (s.step())
    out.push_back(read_account(s));
  return out;
}

std::int64_t SqliteRepository::count_accounts(const AccountFilter &f) {
  auto s = db_.prepare("SELECT COUNT(*) FROM accounts WHERE (?1 IS NULL OR name = ?1)");
  s.bind(1, f.name);
  s.step();
  return s.int64(0);
}

void SqliteRepository::insert_account(const Account &a) {
  auto s = db_.prepare("INSERT INTO accounts (id, kind, name, currency, email, redeem_points, created_at, updated_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  s.bind(1, a.id).bind(2, to_string(a.kind)).bind(3, a.name).bind(4, a.currency.code()).bind(5, a.email);
  s.bind(6, a.redeem_points ? 1 : 0).bind(7, to_unix_ms(a.created_at)).bind(8, to_unix_ms(a.updated_at));
  s.run();
}

void SqliteRepository::update_account(const Account &a) {
  auto s = db_.prepare("UPDATE accounts SET kind = ?2, name = ?3, currency = ?4, email = ?5, redeem_points = ?6, "
                       "updated_at = ?7 WHERE id = ?1");
  s.bind(1, a.id).bind(2, to_string(a.kind)).bind(3, a.name).bind(4, a.currency.code()).bind(5, a.email);
  s.bind(6, a.redeem_points ? 1 : 0).bind(7, to_unix_ms(a.updated_at));
  s.run();
}

bool SqliteRepository::delete_account(std::string_view id) {
  for (const char *sql :
       {"DELETE FROM account_coupons WHERE account_id = ?1", "DELETE FROM subscriptions WHERE account_id = ?1",
        "DELETE FROM account_tokens WHERE account_id = ?1", "DELETE FROM loyalty_entries WHERE account_id = ?1"}) {
    auto s = db_.prepare(sql);
    s.bind(1, id);
    s.run();
  }
  auto s = db_.prepare("DELETE FROM accounts WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

bool SqliteRepository::put_account_token(std::string_view account_id, const AccountToken &t) {
  auto s = db_.prepare("INSERT INTO account_tokens (token_id, account_id, driver) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (token_id) DO UPDATE SET driver = excluded.driver "
                       "WHERE account_tokens.account_id = excluded.account_id");
  s.bind(1, t.token_id).bind(2, account_id).bind(3, t.driver);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

bool SqliteRepository::delete_account_token(std::string_view account_id, std::string_view token_id) {
  auto s = db_.prepare("DELETE FROM account_tokens WHERE account_id = ?1 AND token_id = ?2");
  s.bind(1, account_id).bind(2, token_id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::optional<std::string> SqliteRepository::customer_group_of_token(std::string_view token_id) {
  auto s = db_.prepare("SELECT p.customer_group FROM account_tokens t "
                       "JOIN subscriptions s ON s.account_id = t.account_id AND s.ended_at IS NULL "
                       "JOIN billing_plans p ON p.id = s.plan_id WHERE t.token_id = ?1");
  s.bind(1, token_id);
  if (!s.step()) return std::nullopt;
  return s.opt_text(0);
}

// ---- billing plans

std::optional<BillingPlan> SqliteRepository::billing_plan(std::string_view id) {
  static const std::string sql = select(plan_columns, "FROM billing_plans WHERE id = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_plan(s);
}

std::vector<BillingPlan> SqliteRepository::billing_plans(std::size_t limit, std::size_t offset) {
  static const std::string sql = select(plan_columns, "FROM billing_plans ORDER BY id LIMIT ?1 OFFSET ?2");
  auto s = db_.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<BillingPlan> out;
  while (s.step())
    out.push_back(read_plan(s));
  return out;
}

std::int64_t SqliteRepository::count_billing_plans() {
  auto s = db_.prepare("SELECT COUNT(*) FROM billing_plans");
  s.step();
  return s.int64(0);
}

void SqliteRepository::put_billing_plan(const BillingPlan &p) {
  auto s = db_.prepare(
      "INSERT INTO billing_plans (id, name, currency, monthly_fee, fee_vat, included_kwh, customer_group, trial_days, "
      "points_per_kwh, point_value, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency, monthly_fee = "
      "excluded.monthly_fee, fee_vat = excluded.fee_vat, included_kwh = excluded.included_kwh, customer_group = "
      "excluded.customer_group, trial_days = excluded.trial_days, points_per_kwh = excluded.points_per_kwh, "
      "point_value = excluded.point_value, updated_at = excluded.updated_at");
  s.bind(1, p.id).bind(2, p.name).bind(3, p.currency.code()).bind(4, p.monthly_fee.units()).bind(5, units(p.fee_vat));
  s.bind(6, p.included_kwh.units()).bind(7, p.customer_group).bind(8, p.trial_days).bind(9, p.points_per_kwh.units());
  s.bind(10, p.point_value.units()).bind(11, to_unix_ms(p.created_at)).bind(12, to_unix_ms(p.updated_at));
  s.run();
}

bool SqliteRepository::delete_billing_plan(std::string_view id) {
  auto s = db_.prepare("DELETE FROM billing_plans WHERE id = ?1");
  s.bind(1, id);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::int64_t SqliteRepository::count_plan_subscriptions(std::string_view plan_id) {
  auto s = db_.prepare("SELECT COUNT(*) FROM subscriptions WHERE plan_id = ?1");
  s.bind(1, plan_id);
  s.step();
  return s.int64(0);
}

// ---- subscriptions

std::optional<Subscription> SqliteRepository::open_subscription(std::string_view account_id) {
  static const std::string sql = select(subscription_columns, "FROM subscriptions WHERE account_id = ?1 AND "
                                                              "ended_at IS NULL");
  auto s = db_.prepare(sql);
  s.bind(1, account_id);
  if (!s.step()) return std::nullopt;
  return read_subscription(s);
}

std::vector<Subscription> SqliteRepository::subscriptions(std::string_view account_id) {
  static const std::string sql = select(subscription_columns, "FROM subscriptions WHERE account_id = ?1 "
                                                              "ORDER BY id DESC");
  auto s = db_.prepare(sql);
  s.bind(1, account_id);
  std::vector<Subscription> out;
  while (s.step())
    out.push_back(read_subscription(s));
  return out;
}

std::int64_t SqliteRepository::insert_subscription(const Subscription &sub) {
  auto s = db_.prepare("INSERT INTO subscriptions (account_id, plan_id, started_at, trial_ends_at, ended_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, sub.account_id).bind(2, sub.plan_id).bind(3, to_unix_ms(sub.started_at));
  s.bind(4, to_unix_ms(sub.trial_ends_at)).bind(5, ms(sub.ended_at));
  s.run();
  return db_.last_insert_rowid();
}

void SqliteRepository::end_subscription(std::int64_t id, core::Timestamp at) {
  auto s = db_.prepare("UPDATE subscriptions SET ended_at = ?2 WHERE id = ?1 AND ended_at IS NULL");
  s.bind(1, id).bind(2, to_unix_ms(at));
  s.run();
}

// ---- coupons

std::optional<Coupon> SqliteRepository::coupon(std::string_view code) {
  static const std::string sql = select(coupon_columns, "FROM coupons c WHERE c.code = ?1");
  auto s = db_.prepare(sql);
  s.bind(1, code);
  if (!s.step()) return std::nullopt;
  return read_coupon(s);
}

std::vector<Coupon> SqliteRepository::coupons(std::size_t limit, std::size_t offset) {
  static const std::string sql = select(coupon_columns, "FROM coupons c ORDER BY c.code LIMIT ?1 OFFSET ?2");
  auto s = db_.prepare(sql);
  s.bind(1, static_cast<std::int64_t>(limit)).bind(2, static_cast<std::int64_t>(offset));
  std::vector<Coupon> out;
  while (s.step())
    out.push_back(read_coupon(s));
  return out;
}

std::int64_t SqliteRepository::count_coupons() {
  auto s = db_.prepare("SELECT COUNT(*) FROM coupons");
  s.step();
  return s.int64(0);
}

void SqliteRepository::put_coupon(const Coupon &c) {
  auto s = db_.prepare(
      "INSERT INTO coupons (code, kind, description, amount, currency, percent, valid_from, valid_until, "
      "max_redemptions, max_per_account, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, description = excluded.description, amount = "
      "excluded.amount, currency = excluded.currency, percent = excluded.percent, valid_from = excluded.valid_from, "
      "valid_until = excluded.valid_until, max_redemptions = excluded.max_redemptions, max_per_account = "
      "excluded.max_per_account");
  s.bind(1, c.code).bind(2, to_string(c.kind)).bind(3, c.description).bind(4, c.amount.units());
  s.bind(5, c.currency ? std::optional<std::string>{std::string(c.currency->code())} : std::nullopt);
  s.bind(6, c.percent.units()).bind(7, ms(c.valid_from)).bind(8, ms(c.valid_until)).bind(9, c.max_redemptions);
  s.bind(10, c.max_per_account).bind(11, to_unix_ms(c.created_at));
  s.run();
}

bool SqliteRepository::delete_coupon(std::string_view code) {
  {
    auto h = db_.prepare("DELETE FROM account_coupons WHERE code = ?1");
    h.bind(1, code);
    h.run();
  }
  auto s = db_.prepare("DELETE FROM coupons WHERE code = ?1");
  s.bind(1, code);
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::int64_t SqliteRepository::count_coupon_redemptions(std::string_view code,
                                                        std::optional<std::string_view> account) {
  auto s = db_.prepare("SELECT COUNT(*) FROM coupon_redemptions WHERE code = ?1 AND (?2 IS NULL OR account_id = ?2)");
  s.bind(1, code).bind(2, account);
  s.step();
  return s.int64(0);
}

bool SqliteRepository::claim_coupon(std::string_view account_id, std::string_view code, core::Timestamp at) {
  auto s = db_.prepare("INSERT OR IGNORE INTO account_coupons (account_id, code, claimed_at) VALUES (?1, ?2, ?3)");
  s.bind(1, account_id).bind(2, code).bind(3, to_unix_ms(at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<CouponHolding> SqliteRepository::coupon_holdings(std::string_view account_id) {
  static const std::string sql = select(
      coupon_columns, ", h.claimed_at, (SELECT COUNT(*) FROM coupon_redemptions r WHERE r.code = c.code AND "
                      "r.account_id = h.account_id), (SELECT COUNT(*) FROM coupon_redemptions r WHERE r.code = c.code) "
                      "FROM account_coupons h JOIN coupons c ON c.code = h.code WHERE h.account_id = ?1 "
                      "ORDER BY h.claimed_at, c.code");
  auto s = db_.prepare(sql);
  s.bind(1, account_id);
  std::vector<CouponHolding> out;
  while (s.step())
    out.push_back({read_coupon(s), from_unix_ms(s.int64(11)), s.int64(12), s.int64(13)});
  return out;
}

bool SqliteRepository::insert_coupon_redemption(const CouponRedemption &r) {
  auto s = db_.prepare("INSERT OR IGNORE INTO coupon_redemptions (code, account_id, transaction_id, amount, at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, r.code).bind(2, r.account_id).bind(3, r.transaction_id).bind(4, r.amount.units());
  s.bind(5, to_unix_ms(r.at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

std::vector<CouponRedemption> SqliteRepository::coupon_redemptions(std::string_view code) {
  auto s = db_.prepare("SELECT code, account_id, transaction_id, amount, at FROM coupon_redemptions WHERE code = ?1 "
                       "ORDER BY id");
  s.bind(1, code);
  std::vector<CouponRedemption> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.int64(2), Decimal::from_units(s.int64(3)), from_unix_ms(s.int64(4))});
  return out;
}

// ---- loyalty

std::int64_t SqliteRepository::loyalty_balance(std::string_view account_id) {
  auto s = db_.prepare("SELECT COALESCE(SUM(points), 0) FROM loyalty_entries WHERE account_id = ?1");
  s.bind(1, account_id);
  s.step();
  return s.int64(0);
}

std::vector<LoyaltyEntry> SqliteRepository::loyalty_entries(std::string_view account_id, std::size_t limit,
                                                            std::size_t offset) {
  static const std::string sql =
      select(loyalty_columns, "FROM loyalty_entries WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  auto s = db_.prepare(sql);
  s.bind(1, account_id).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<LoyaltyEntry> out;
  while (s.step())
    out.push_back(read_loyalty(s));
  return out;
}

std::int64_t SqliteRepository::count_loyalty_entries(std::string_view account_id) {
  auto s = db_.prepare("SELECT COUNT(*) FROM loyalty_entries WHERE account_id = ?1");
  s.bind(1, account_id);
  s.step();
  return s.int64(0);
}

bool SqliteRepository::insert_loyalty_entry(const LoyaltyEntry &e) {
  auto s = db_.prepare("INSERT OR IGNORE INTO loyalty_entries (account_id, transaction_id, kind, points, reason, at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  s.bind(1, e.account_id).bind(2, e.transaction_id).bind(3, to_string(e.kind)).bind(4, e.points);
  s.bind(5, e.reason).bind(6, to_unix_ms(e.at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

// ---- billed sessions

std::optional<SessionBenefitRecord> SqliteRepository::session_benefits(std::int64_t transaction_id) {
  auto s = db_.prepare("SELECT transaction_id, account_id, session_start, included_kwh, discount, lines, at "
                       "FROM session_benefits WHERE transaction_id = ?1");
  s.bind(1, transaction_id);
  if (!s.step()) return std::nullopt;
  return SessionBenefitRecord{s.int64(0),
                              s.text(1),
                              from_unix_ms(s.int64(2)),
                              Decimal::from_units(s.int64(3)),
                              Decimal::from_units(s.int64(4)),
                              s.text(5),
                              from_unix_ms(s.int64(6))};
}

bool SqliteRepository::insert_session_benefits(const SessionBenefitRecord &r) {
  auto s = db_.prepare("INSERT OR IGNORE INTO session_benefits (transaction_id, account_id, session_start, "
                       "included_kwh, discount, lines, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  s.bind(1, r.transaction_id).bind(2, r.account_id).bind(3, to_unix_ms(r.session_start));
  s.bind(4, r.included_kwh.units()).bind(5, r.discount.units()).bind(6, r.lines_json).bind(7, to_unix_ms(r.at));
  s.run();
  return sqlite3_changes(db_.handle()) > 0;
}

Decimal SqliteRepository::included_kwh_used(std::string_view account_id, core::Timestamp from, core::Timestamp to) {
  auto s = db_.prepare("SELECT COALESCE(SUM(included_kwh), 0) FROM session_benefits WHERE account_id = ?1 AND "
                       "session_start >= ?2 AND session_start < ?3");
  s.bind(1, account_id).bind(2, to_unix_ms(from)).bind(3, to_unix_ms(to));
  s.step();
  return Decimal::from_units(s.int64(0));
}

std::int64_t SqliteRepository::count_session_benefits(std::string_view account_id) {
  auto s = db_.prepare("SELECT COUNT(*) FROM session_benefits WHERE account_id = ?1");
  s.bind(1, account_id);
  s.step();
  return s.int64(0);
}

} // namespace gridlane::store::sqlite
