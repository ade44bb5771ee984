-- Gridlane schema, version 15: invoices (docs/billing.md, "Invoices").
-- Amounts and rates are exact Decimals as integer counts of 10^-6 (core::Decimal::units);
-- times are Unix milliseconds. An issued invoice is never edited nor deleted (a correction is a
-- new invoice); the triggers below refuse it.

-- The last number taken per issuer. Taken in the unit of work that inserts the invoice, so a
-- run that fails rolls the number back with the invoice: the sequence has no gaps.
CREATE TABLE invoice_sequences (
  issuer  TEXT PRIMARY KEY,
  last    INTEGER NOT NULL
);

CREATE TABLE invoices (
  id              INTEGER PRIMARY KEY,
  issuer          TEXT NOT NULL,
  sequence        INTEGER NOT NULL,
  number          TEXT NOT NULL UNIQUE,
  account_id      TEXT NOT NULL,
  account_name    TEXT NOT NULL,
  currency        TEXT NOT NULL,        -- ISO 4217
  period_from     INTEGER NOT NULL,
  period_to       INTEGER NOT NULL,     -- exclusive
  issued_at       INTEGER NOT NULL,
  total_excl_vat  INTEGER NOT NULL,
  total_vat       INTEGER NOT NULL,
  total_incl_vat  INTEGER NOT NULL,
  UNIQUE (issuer, sequence),
  UNIQUE (account_id, period_from, period_to) -- a period is invoiced once per account
);
CREATE INDEX invoices_by_period ON invoices (period_from, period_to);

CREATE TABLE invoice_lines (
  invoice_id      INTEGER NOT NULL REFERENCES invoices (id),
  position        INTEGER NOT NULL,
  kind            TEXT NOT NULL,        -- session, plan_fee, discount, other
  description     TEXT NOT NULL,
  reference       TEXT,                 -- the CDR id, coupon code, plan id
  location_id     TEXT,
  at              INTEGER,
  energy_kwh      INTEGER,
  vat_rate        INTEGER,              -- percent; NULL: no VAT
  amount          INTEGER NOT NULL,     -- exact, before rounding
  excl_vat        INTEGER NOT NULL,
  vat             INTEGER NOT NULL,
  incl_vat        INTEGER NOT NULL,
  PRIMARY KEY (invoice_id, position)
);
CREATE INDEX invoice_lines_by_time ON invoice_lines (at);

CREATE TABLE invoice_vat (
  invoice_id      INTEGER NOT NULL REFERENCES invoices (id),
  position        INTEGER NOT NULL,
  vat_rate        INTEGER,
  excl_vat        INTEGER NOT NULL,
  vat             INTEGER NOT NULL,
  incl_vat        INTEGER NOT NULL,
  PRIMARY KEY (invoice_id, position)
);

CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoices_kept BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoice_lines_kept BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;
CREATE TRIGGER invoice_vat_immutable BEFORE UPDATE ON invoice_vat
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never edited'); END;
CREATE TRIGGER invoice_vat_kept BEFORE DELETE ON invoice_vat
BEGIN SELECT RAISE(ABORT, 'an issued invoice is never deleted'); END;
