-- Gridlane schema, version 13: charge detail records (store/sqlite/cdrs.cpp, docs/cdrs.md).
--
-- A CDR is kept in its OCPI 2.2.1 JSON shape (`body`, the codec of domain/cdr_codec.hpp) with
-- the columns the lists filter and order by. It is created once and never edited: OCPI allows
-- no change to a CDR, a correction is a credit CDR that refers to the original. The triggers
-- below make that a property of the database, not only of the code that writes it: any UPDATE
-- of a CDR's content and any DELETE is refused. The invoice reference is the one column that may
-- be set later, once, from NULL (an invoice taking the CDR).
CREATE TABLE cdrs (
  id                   TEXT    PRIMARY KEY,
  transaction_id       INTEGER,             -- the session; a credit CDR: the original's session
  credit               INTEGER NOT NULL DEFAULT 0 CHECK (credit IN (0, 1)),
  credit_reference_id  TEXT    REFERENCES cdrs (id),
  station_id           TEXT    NOT NULL,
  location_id          TEXT    NOT NULL,    -- cdr_location.id
  token_uid            TEXT    NOT NULL,    -- cdr_token.uid
  currency             TEXT    NOT NULL,
  start_at             INTEGER NOT NULL,    -- ms since the epoch, UTC
  end_at               INTEGER NOT NULL,
  total_excl_vat       INTEGER NOT NULL,    -- millionths of the currency (core::Decimal units)
  total_incl_vat       INTEGER,
  total_energy         INTEGER NOT NULL,    -- millionths of a kWh
  last_updated         INTEGER NOT NULL,
  invoice_reference_id TEXT,
  body                 TEXT    NOT NULL,    -- the OCPI CDR object
  CHECK ((credit = 1) = (credit_reference_id IS NOT NULL))
);

-- One CDR per session, and one credit per CDR: a second attempt (a retried hook, two billing
-- runs at once) finds the first one's row.
CREATE UNIQUE INDEX cdrs_one_per_session ON cdrs (transaction_id) WHERE credit = 0;
CREATE UNIQUE INDEX cdrs_one_credit ON cdrs (credit_reference_id) WHERE credit = 1;
CREATE INDEX cdrs_by_end ON cdrs (end_at, id);

CREATE TRIGGER cdrs_never_deleted BEFORE DELETE ON cdrs
BEGIN
  SELECT RAISE(ABORT, 'a CDR is never deleted: issue a credit CDR instead');
END;

CREATE TRIGGER cdrs_never_edited BEFORE UPDATE OF
  id, transaction_id, credit, credit_reference_id, station_id, location_id, token_uid, currency,
  start_at, end_at, total_excl_vat, total_incl_vat, total_energy, last_updated, body ON cdrs
BEGIN
  SELECT RAISE(ABORT, 'a CDR is never edited: issue a credit CDR instead');
END;

CREATE TRIGGER cdrs_invoice_reference_once BEFORE UPDATE OF invoice_reference_id ON cdrs
WHEN OLD.invoice_reference_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a CDR''s invoice reference is set once');
END;
