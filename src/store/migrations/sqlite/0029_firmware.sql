-- Gridlane schema, version 29: firmware (store/sqlite/firmware.cpp, docs/operations.md "Firmware").
--
-- An uploaded firmware file: its bytes live in the firmware directory under `stored_name`, the
-- row keeps what stations and operators need to know of it (its SHA-256 checked when served).
CREATE TABLE firmware_files (
  id                  INTEGER PRIMARY KEY,
  file_name           TEXT    NOT NULL,
  stored_name         TEXT    NOT NULL,
  vendor              TEXT    NOT NULL,
  models              TEXT    NOT NULL,          -- JSON array of model names; empty: any model
  version             TEXT    NOT NULL,
  size_bytes          INTEGER NOT NULL,
  sha256              TEXT    NOT NULL,          -- lower-case hex
  signature           TEXT,                      -- 2.x signed firmware: base64 signature of the file
  signing_certificate TEXT,                      -- 2.x signed firmware: PEM certificate
  uploaded_by         TEXT    NOT NULL,
  uploaded_at         INTEGER NOT NULL           -- ms since the epoch, UTC
);

-- Each FirmwareStatusNotification as received, and the latest per station.
CREATE TABLE firmware_status_history (
  id          INTEGER PRIMARY KEY,
  station_id  TEXT    NOT NULL,
  status      TEXT    NOT NULL,                  -- domain::firmware_states
  request_id  INTEGER,
  received_at INTEGER NOT NULL
);
CREATE INDEX firmware_status_by_station ON firmware_status_history (station_id, id);

-- SecurityEventNotification, kept per station.
CREATE TABLE security_events (
  id          INTEGER PRIMARY KEY,
  station_id  TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  occurred_at INTEGER NOT NULL,                  -- the station's timestamp
  tech_info   TEXT,
  received_at INTEGER NOT NULL
);
CREATE INDEX security_events_by_station ON security_events (station_id, id);

-- A campaign: one firmware file rolled out over the stations a filter chose when it started.
CREATE TABLE firmware_campaigns (
  id                INTEGER PRIMARY KEY,
  name              TEXT    NOT NULL,
  file_id           INTEGER NOT NULL,
  filter            TEXT    NOT NULL,            -- JSON: vendor, model, version, location_id, stations
  canary_percent    INTEGER NOT NULL,
  max_concurrent    INTEGER NOT NULL,
  failure_threshold INTEGER NOT NULL,            -- percent
  failures_acknowledged INTEGER NOT NULL DEFAULT 0, -- failures an operator resumed past
  retries           INTEGER,
  retry_interval_s  INTEGER,
  state             TEXT    NOT NULL,            -- domain::campaign_states
  pause_reason      TEXT,
  created_by        TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  started_at        INTEGER,
  finished_at       INTEGER
);

-- A station of a campaign and how far it got.
CREATE TABLE firmware_campaign_stations (
  campaign_id     INTEGER NOT NULL,
  station_id      TEXT    NOT NULL,
  position        INTEGER NOT NULL,              -- the order stations are updated in
  canary          INTEGER NOT NULL,              -- 0/1
  state           TEXT    NOT NULL,              -- domain::campaign_station_states
  command_id      INTEGER,
  firmware_status TEXT,
  detail          TEXT,
  sent_at         INTEGER,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, station_id)
);
CREATE INDEX firmware_campaign_stations_by_station ON firmware_campaign_stations (station_id, state);
