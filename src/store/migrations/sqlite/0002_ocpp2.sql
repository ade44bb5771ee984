-- Gridlane schema, version 2: what OCPP 2.0.1 and 2.1 add to the same model.

-- The 1.6 retry key applies to 1.6 transactions only; 2.x transactions are known by the
-- station's own transactionId, unique per station.
DROP INDEX transactions_start_key;
CREATE UNIQUE INDEX transactions_start_key
  ON transactions (station_id, connector_id, id_tag, meter_start_wh, started_at) WHERE protocol = 'ocpp1.6';
CREATE UNIQUE INDEX transactions_station_tx_id
  ON transactions (station_id, station_tx_id) WHERE protocol <> 'ocpp1.6';

ALTER TABLE transactions ADD COLUMN charging_state TEXT;
ALTER TABLE transactions ADD COLUMN number_of_phases INTEGER;
ALTER TABLE transactions ADD COLUMN remote_start_id INTEGER;
ALTER TABLE transactions ADD COLUMN last_seq_no INTEGER;
ALTER TABLE transactions ADD COLUMN offline_events INTEGER NOT NULL DEFAULT 0;

-- Every TransactionEvent as received; (transaction, seqNo) makes a retry a no-op.
CREATE TABLE transaction_events (
  id               INTEGER PRIMARY KEY,
  transaction_id   INTEGER NOT NULL REFERENCES transactions(id),
  seq_no           INTEGER NOT NULL,
  event_type       TEXT NOT NULL,
  trigger_reason   TEXT NOT NULL,
  timestamp        INTEGER NOT NULL,
  offline          INTEGER NOT NULL DEFAULT 0,
  charging_state   TEXT,
  id_token         TEXT,
  received_at      INTEGER NOT NULL,
  UNIQUE (transaction_id, seq_no)
);

-- Signed meter data (OCPP 2.x signedMeterValue, 1.6 format=SignedData), kept verbatim for audit.
ALTER TABLE meter_samples ADD COLUMN signed_data TEXT;

-- The device model a 2.x station reports (NotifyReport) and the CSMS reads or sets
-- (Get/SetVariables): one row per component, variable and attribute type.
CREATE TABLE device_variables (
  station_id          TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  component           TEXT NOT NULL,
  component_instance  TEXT NOT NULL DEFAULT '',
  evse_id             INTEGER NOT NULL DEFAULT -1,
  connector_id        INTEGER NOT NULL DEFAULT -1,
  variable            TEXT NOT NULL,
  variable_instance   TEXT NOT NULL DEFAULT '',
  attribute_type      TEXT NOT NULL DEFAULT 'Actual',
  value               TEXT,
  mutability          TEXT,
  persistent          INTEGER,
  constant            INTEGER,
  data_type           TEXT,
  unit                TEXT,
  min_limit           REAL,
  max_limit           REAL,
  values_list         TEXT,
  supports_monitoring INTEGER,
  updated_at          INTEGER NOT NULL,
  PRIMARY KEY (station_id, component, component_instance, evse_id, connector_id, variable, variable_instance,
               attribute_type)
);

-- Reports requested from or sent by a station, reassembled part by part.
CREATE TABLE device_reports (
  station_id      TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  request_id      INTEGER NOT NULL,
  parts           INTEGER NOT NULL DEFAULT 0,
  last_seq_no     INTEGER NOT NULL DEFAULT -1,
  complete        INTEGER NOT NULL DEFAULT 0,
  generated_at    INTEGER,
  received_at     INTEGER NOT NULL,
  PRIMARY KEY (station_id, request_id)
);
