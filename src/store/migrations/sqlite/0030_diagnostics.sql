-- Gridlane schema, version 30: diagnostics and monitoring (store/sqlite/diagnostics.cpp,
-- docs/operations.md "Diagnostics and monitoring").
--
-- A hosted upload is created with its GetDiagnostics/GetLog command: the station's URL carries a
-- one-time token, of which only the hash is kept; used_at spends it.
CREATE TABLE diagnostics_uploads (
  id         INTEGER PRIMARY KEY,
  station_id TEXT    NOT NULL,
  token_hash TEXT    NOT NULL UNIQUE,
  log_type   TEXT    NOT NULL,               -- DiagnosticsLog | SecurityLog
  created_at INTEGER NOT NULL,               -- ms since the epoch, UTC
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

CREATE TABLE diagnostics_files (
  id           INTEGER PRIMARY KEY,
  upload_id    INTEGER NOT NULL REFERENCES diagnostics_uploads (id),
  station_id   TEXT    NOT NULL,
  log_type     TEXT    NOT NULL,
  file_name    TEXT    NOT NULL,
  stored_path  TEXT    NOT NULL,             -- relative to [diagnostics] dir
  size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
  sha256       TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX diagnostics_files_by_station ON diagnostics_files (station_id, id);

-- The monitors a station reported (NotifyMonitoringReport); a monitor id is the station's own.
CREATE TABLE station_monitors (
  station_id         TEXT    NOT NULL,
  monitor_id         INTEGER NOT NULL,
  component          TEXT    NOT NULL,
  component_instance TEXT,
  evse_id            INTEGER,
  connector_id       INTEGER,
  variable           TEXT    NOT NULL,
  variable_instance  TEXT,
  transaction_only   INTEGER NOT NULL,
  value              TEXT    NOT NULL,       -- exact decimal text
  type               TEXT    NOT NULL,
  severity           INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 9),
  request_id         INTEGER NOT NULL,
  reported_at        INTEGER NOT NULL,
  PRIMARY KEY (station_id, monitor_id)
);

-- NotifyEvent's eventData, one row each.
CREATE TABLE monitoring_events (
  id                 INTEGER PRIMARY KEY,
  station_id         TEXT    NOT NULL,
  event_id           INTEGER NOT NULL,
  occurred_at        INTEGER NOT NULL,
  trigger            TEXT    NOT NULL,
  cause              INTEGER,
  actual_value       TEXT    NOT NULL,
  tech_code          TEXT,
  tech_info          TEXT,
  cleared            INTEGER NOT NULL,
  transaction_id     TEXT,
  component          TEXT    NOT NULL,
  component_instance TEXT,
  evse_id            INTEGER,
  connector_id       INTEGER,
  variable           TEXT    NOT NULL,
  variable_instance  TEXT,
  monitor_id         INTEGER,
  notification_type  TEXT    NOT NULL,
  received_at        INTEGER NOT NULL
);
CREATE INDEX monitoring_events_by_station ON monitoring_events (station_id, id);

-- NotifyCustomerInformation, one row per message.
CREATE TABLE customer_information (
  id           INTEGER PRIMARY KEY,
  station_id   TEXT    NOT NULL,
  request_id   INTEGER NOT NULL,
  seq_no       INTEGER NOT NULL,
  data         TEXT    NOT NULL,
  more_to_come INTEGER NOT NULL,
  generated_at INTEGER NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX customer_information_by_station ON customer_information (station_id, id);
