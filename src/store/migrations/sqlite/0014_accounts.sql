-- Gridlane schema, version 14: customer accounts and what they are billed under (docs/billing.md).
-- Amounts and kWh are INTEGER millionths (core::Decimal units): exact, never a binary float.
-- Timestamps are integer ms since the Unix epoch, like every other column.

CREATE TABLE accounts (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL,                -- driver | company
  name           TEXT NOT NULL,
  currency       TEXT NOT NULL,                -- ISO 4217: every amount billed to it
  email          TEXT,
  redeem_points  INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX accounts_by_name ON accounts (name);

-- A token belongs to at most one account.
CREATE TABLE account_tokens (
  token_id    TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  driver      TEXT
);
CREATE INDEX account_tokens_by_account ON account_tokens (account_id);

CREATE TABLE billing_plans (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  currency        TEXT NOT NULL,
  monthly_fee     INTEGER NOT NULL,
  fee_vat         INTEGER,
  included_kwh    INTEGER NOT NULL,
  customer_group  TEXT,
  trial_days      INTEGER NOT NULL,
  points_per_kwh  INTEGER NOT NULL,
  point_value     INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

CREATE TABLE subscriptions (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  plan_id        TEXT NOT NULL REFERENCES billing_plans(id),
  started_at     INTEGER NOT NULL,
  trial_ends_at  INTEGER NOT NULL,
  ended_at       INTEGER
);
-- At most one open subscription per account.
CREATE UNIQUE INDEX subscriptions_open ON subscriptions (account_id) WHERE ended_at IS NULL;
CREATE INDEX subscriptions_by_plan ON subscriptions (plan_id);

CREATE TABLE coupons (
  code             TEXT PRIMARY KEY,
  kind             TEXT NOT NULL,              -- amount_off | percent_off | first_session_free | first_hour_free
  description      TEXT,
  amount           INTEGER NOT NULL DEFAULT 0,
  currency         TEXT,
  percent          INTEGER NOT NULL DEFAULT 0,
  valid_from       INTEGER,
  valid_until      INTEGER,
  max_redemptions  INTEGER,
  max_per_account  INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL
);

CREATE TABLE account_coupons (
  account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  code        TEXT NOT NULL REFERENCES coupons(code),
  claimed_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, code)
);

-- One coupon per session, recorded exactly once (the transaction id is unique).
CREATE TABLE coupon_redemptions (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  code            TEXT NOT NULL REFERENCES coupons(code),
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  transaction_id  INTEGER NOT NULL UNIQUE,
  amount          INTEGER NOT NULL,
  at              INTEGER NOT NULL
);
CREATE INDEX coupon_redemptions_by_code ON coupon_redemptions (code, account_id);

-- The loyalty ledger: the balance is the sum of points. A session earns and redeems once each.
CREATE TABLE loyalty_entries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  transaction_id  INTEGER,
  kind            TEXT NOT NULL,               -- earned | redeemed | adjusted
  points          INTEGER NOT NULL,
  reason          TEXT,
  at              INTEGER NOT NULL,
  UNIQUE (transaction_id, kind)
);
CREATE INDEX loyalty_entries_by_account ON loyalty_entries (account_id, id);

-- What each billed session used, once per transaction.
CREATE TABLE session_benefits (
  transaction_id  INTEGER PRIMARY KEY,
  account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  session_start   INTEGER NOT NULL,
  included_kwh    INTEGER NOT NULL,
  discount        INTEGER NOT NULL,
  lines           TEXT NOT NULL,
  at              INTEGER NOT NULL
);
CREATE INDEX session_benefits_by_account ON session_benefits (account_id, session_start);
