-- Numbers from the wire, cleaned (docs/ocpp.md, "Numbers from stations").
--
-- 1. Meter readings written before the range checks may hold NaN or Infinity as a sample's
--    numeric value ("n"), which is not JSON: every query over such a row failed. The number is
--    dropped; the value as sent ("v") stays, so nothing the station said is lost. Boost.JSON
--    wrote the keys in the order t, v, n, ..., so "n" always follows a string and a comma.
UPDATE meter_readings
SET samples = replace(replace(replace(samples, ',"n":NaN', ''), ',"n":-Infinity', ''), ',"n":Infinity', '')
WHERE NOT json_valid(samples);

-- 2. A running or final energy that could not be right (a negative one from meterStop below
--    meterStart, or one beyond the 10^15 Wh register bound from an overflow) becomes 0; the
--    old value is kept in an anomaly of the transaction's station.
INSERT INTO anomalies (station_id, kind, detail, at)
SELECT station_id, 'energy_out_of_range',
       'transaction ' || id || ': stored energy_wh ' || energy_wh || ' reset to 0 by migration 0007',
       CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM transactions WHERE energy_wh < 0 OR energy_wh > 1000000000000000;
UPDATE transactions SET energy_wh = 0 WHERE energy_wh < 0 OR energy_wh > 1000000000000000;

-- 3. Device-model limits of 1e400 were stored as infinity, which the API cannot write as JSON.
UPDATE device_variables SET min_limit = NULL WHERE abs(min_limit) > 1.7976931348623157e308;
UPDATE device_variables SET max_limit = NULL WHERE abs(max_limit) > 1.7976931348623157e308;

-- 4. TransactionEvents: a seqNo may be used twice (a firmware that repeats one). A retry (the
--    same event again) is still stored once, but a different event under a used seqNo is kept
--    too, with an anomaly, so (transaction_id, seq_no) is no longer unique.
CREATE TABLE transaction_events_0007 (
  id               INTEGER PRIMARY KEY,
  transaction_id   INTEGER NOT NULL REFERENCES transactions(id),
  seq_no           INTEGER NOT NULL,
  event_type       TEXT NOT NULL,
  trigger_reason   TEXT NOT NULL,
  timestamp        INTEGER NOT NULL,
  offline          INTEGER NOT NULL DEFAULT 0,
  charging_state   TEXT,
  id_token         TEXT,
  received_at      INTEGER NOT NULL
);
INSERT INTO transaction_events_0007 (id, transaction_id, seq_no, event_type, trigger_reason, timestamp, offline,
                                     charging_state, id_token, received_at)
SELECT id, transaction_id, seq_no, event_type, trigger_reason, timestamp, offline, charging_state, id_token,
       received_at
FROM transaction_events;
DROP TABLE transaction_events;
ALTER TABLE transaction_events_0007 RENAME TO transaction_events;
CREATE INDEX transaction_events_by_seq_no ON transaction_events (transaction_id, seq_no);
