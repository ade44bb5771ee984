-- Gridlane schema, version 19: each CDR's tariffs stored once (store/sqlite/cdrs.cpp,
-- docs/cdrs.md "The billing run at scale").
--
-- A CDR carries the tariff it was priced with (OCPI `tariffs`). Every session priced under the
-- same tariff snapshot repeats the same ~2 KiB of JSON, which made most of each row and most of
-- the billing run's writes. From this version a new CDR keeps its `tariffs` array in
-- `cdr_tariffs`, one row per distinct array, referenced by `cdrs.tariffs_id`; its `body` is the
-- OCPI CDR without `tariffs`, and the store puts the two back together when it reads the row, so
-- the CDR served is the same. CDRs stored before keep the array in their body and no
-- `tariffs_id`: they read as before.
CREATE TABLE cdr_tariffs (
  id   INTEGER PRIMARY KEY,
  body TEXT    NOT NULL UNIQUE -- the OCPI `tariffs` array of one or more CDRs, as JSON
);

ALTER TABLE cdrs ADD COLUMN tariffs_id INTEGER REFERENCES cdr_tariffs (id);

-- A CDR is never edited: the new column is part of its content like the body.
DROP TRIGGER cdrs_never_edited;
CREATE TRIGGER cdrs_never_edited BEFORE UPDATE OF
  id, transaction_id, credit, credit_reference_id, station_id, location_id, token_uid, currency,
  start_at, end_at, total_excl_vat, total_incl_vat, total_energy, last_updated, body, tariffs_id ON cdrs
BEGIN
  SELECT RAISE(ABORT, 'a CDR is never edited: issue a credit CDR instead');
END;

-- Nor are the tariffs CDRs refer to.
CREATE TRIGGER cdr_tariffs_never_edited BEFORE UPDATE ON cdr_tariffs
BEGIN
  SELECT RAISE(ABORT, 'a CDR''s tariffs are never edited');
END;
CREATE TRIGGER cdr_tariffs_never_deleted BEFORE DELETE ON cdr_tariffs
BEGIN
  SELECT RAISE(ABORT, 'a CDR''s tariffs are never deleted');
END;
