-- Meter values, one row per reading instead of one per sample: a MeterValues message with
-- seven sampled values is one row and one index entry, not seven. The samples of a reading
-- are a JSON array of objects with short keys, absent when null:
--   t timestamp (ms, only when it differs from the row's), v value as sent, n numeric value,
--   m measurand, p phase, l location, u unit, c context, f format, s signed meter data.
CREATE TABLE meter_readings (
  id              INTEGER PRIMARY KEY,
  station_id      TEXT NOT NULL,
  evse_id         INTEGER NOT NULL,
  connector_id    INTEGER NOT NULL,
  transaction_id  INTEGER REFERENCES transactions(id),
  timestamp       INTEGER NOT NULL,  -- the first sample's time, station clock
  received_at     INTEGER NOT NULL,
  samples         TEXT NOT NULL
);
CREATE INDEX meter_readings_by_transaction ON meter_readings (transaction_id, timestamp)
  WHERE transaction_id IS NOT NULL;

-- Every stored sample is kept, each as a reading of its own (json_patch drops the null keys).
INSERT INTO meter_readings (station_id, evse_id, connector_id, transaction_id, timestamp, received_at, samples)
SELECT station_id, evse_id, connector_id, transaction_id, timestamp, received_at,
       json_array(json_patch(json_object('v', value),
                             json_object('n', numeric, 'm', measurand, 'p', phase, 'l', location, 'u', unit,
                                         'c', context, 'f', format, 's', signed_data)))
FROM meter_samples ORDER BY id;

DROP TABLE meter_samples;
