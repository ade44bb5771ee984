-- Gridlane schema, version 1: stations, connector status, id tokens, transactions, meter values.
-- Timestamps are integer milliseconds since the Unix epoch, UTC. Columns named *_received_at
-- hold the server's clock; the others hold the station's clock as the station reported it.

CREATE TABLE stations (
  id                        TEXT PRIMARY KEY,
  registration              TEXT NOT NULL,
  enabled                   INTEGER NOT NULL DEFAULT 1,
  password_hash             TEXT,
  vendor                    TEXT NOT NULL DEFAULT '',
  model                     TEXT NOT NULL DEFAULT '',
  serial_number             TEXT,
  charge_box_serial_number  TEXT,
  firmware_version          TEXT,
  iccid                     TEXT,
  imsi                      TEXT,
  meter_type                TEXT,
  meter_serial_number       TEXT,
  boot_reason               TEXT,
  protocol                  TEXT,
  created_at                INTEGER NOT NULL,
  last_boot_at              INTEGER,
  last_seen_at              INTEGER
);

CREATE TABLE connector_status (
  station_id         TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  evse_id            INTEGER NOT NULL,
  connector_id       INTEGER NOT NULL,
  status             TEXT NOT NULL,
  error_code         TEXT NOT NULL,
  info               TEXT,
  vendor_id          TEXT,
  vendor_error_code  TEXT,
  station_time       INTEGER,
  received_at        INTEGER NOT NULL,
  PRIMARY KEY (station_id, evse_id, connector_id)
);

CREATE TABLE status_history (
  id                 INTEGER PRIMARY KEY,
  station_id         TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  evse_id            INTEGER NOT NULL,
  connector_id       INTEGER NOT NULL,
  status             TEXT NOT NULL,
  error_code         TEXT NOT NULL,
  info               TEXT,
  vendor_id          TEXT,
  vendor_error_code  TEXT,
  station_time       INTEGER,
  received_at        INTEGER NOT NULL
);
CREATE INDEX status_history_by_station ON status_history (station_id, id);

CREATE TABLE id_tokens (
  id          TEXT PRIMARY KEY,
  status      TEXT NOT NULL,
  expires_at  INTEGER,
  parent_id   TEXT
);

CREATE TABLE transactions (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  station_id          TEXT NOT NULL REFERENCES stations(id),
  station_tx_id       TEXT NOT NULL,
  protocol            TEXT NOT NULL,
  evse_id             INTEGER NOT NULL,
  connector_id        INTEGER NOT NULL,
  id_tag              TEXT NOT NULL,
  reservation_id      INTEGER,
  state               TEXT NOT NULL,
  meter_start_wh      INTEGER NOT NULL,
  meter_stop_wh       INTEGER,
  energy_wh           INTEGER NOT NULL DEFAULT 0,
  started_at          INTEGER NOT NULL,
  start_received_at   INTEGER NOT NULL,
  stopped_at          INTEGER,
  stop_received_at    INTEGER,
  stop_reason         TEXT,
  stop_id_tag         TEXT,
  auth_status         TEXT NOT NULL,
  auth_expires_at     INTEGER,
  auth_parent_id      TEXT
);
-- A 1.6 StartTransaction re-sent after a reconnect is recognised by these fields.
CREATE UNIQUE INDEX transactions_start_key
  ON transactions (station_id, connector_id, id_tag, meter_start_wh, started_at);
CREATE INDEX transactions_active_by_tag ON transactions (id_tag) WHERE state = 'Active';
CREATE INDEX transactions_by_station ON transactions (station_id, id);

CREATE TABLE meter_samples (
  id              INTEGER PRIMARY KEY,
  station_id      TEXT NOT NULL,
  evse_id         INTEGER NOT NULL,
  connector_id    INTEGER NOT NULL,
  transaction_id  INTEGER REFERENCES transactions(id),
  timestamp       INTEGER NOT NULL,
  value           TEXT NOT NULL,
  numeric         REAL,
  measurand       TEXT,
  phase           TEXT,
  location        TEXT,
  unit            TEXT,
  context         TEXT,
  format          TEXT,
  received_at     INTEGER NOT NULL
);
CREATE INDEX meter_samples_by_transaction ON meter_samples (transaction_id, timestamp);

CREATE TABLE anomalies (
  id          INTEGER PRIMARY KEY,
  station_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  detail      TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX anomalies_by_station ON anomalies (station_id, id);

CREATE TABLE station_events (
  id          INTEGER PRIMARY KEY,
  station_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX station_events_by_station ON station_events (station_id, id);
