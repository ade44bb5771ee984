-- Gridlane schema, version 16: payments (docs/payments.md). A payment is the money side of one
-- session; payment_operations holds every call made to its provider with the idempotency key it
-- was sent with, written before the call (a retry sends the same key: money never moves twice).
-- Amounts are integers of the currency's minor unit, as the provider takes them.

CREATE TABLE payments (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  method            TEXT NOT NULL,             -- card | invoice
  status            TEXT NOT NULL,             -- pending | authorized | captured | canceled | failed | refunded
  provider          TEXT NOT NULL,             -- stripe | invoice
  provider_ref      TEXT,                      -- the provider's id (PaymentIntent "pi_...")
  payment_method    TEXT NOT NULL,
  currency          TEXT NOT NULL,             -- ISO 4217
  authorized_minor  INTEGER NOT NULL CHECK (authorized_minor >= 0),
  captured_minor    INTEGER NOT NULL DEFAULT 0 CHECK (captured_minor >= 0 AND captured_minor <= authorized_minor),
  refunded_minor    INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= captured_minor),
  id_token          TEXT UNIQUE,               -- the one-time token of the session it pays for
  token_expires_at  INTEGER,
  station_id        TEXT,
  evse_id           INTEGER,
  transaction_id    INTEGER UNIQUE,            -- one payment per session
  cdr_id            TEXT,
  account_id        TEXT,
  error             TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX payments_by_status ON payments (status, token_expires_at);
CREATE INDEX payments_by_cdr ON payments (cdr_id);

CREATE TABLE payment_operations (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id       INTEGER NOT NULL REFERENCES payments(id),
  kind             TEXT NOT NULL,              -- authorize | capture | cancel | refund
  status           TEXT NOT NULL,              -- pending | succeeded | failed
  idempotency_key  TEXT NOT NULL UNIQUE,
  amount_minor     INTEGER NOT NULL CHECK (amount_minor >= 0),
  provider_ref     TEXT,
  reference        TEXT,                       -- what caused it: the CDR or credit CDR id
  error            TEXT,
  created_at       INTEGER NOT NULL,
  done_at          INTEGER
);
CREATE INDEX payment_operations_by_payment ON payment_operations (payment_id, id);
CREATE INDEX payment_operations_pending ON payment_operations (status, id);
