-- Gridlane schema, version 3: operators (users, login sessions, API keys), the audit log, and
-- remote commands with their outcome.

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL,            -- admin | operator | viewer
  created_at     INTEGER NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0
);

-- Bearer credentials are stored only as hashes (BLAKE2b of the secret).
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  key_hash    TEXT NOT NULL UNIQUE,
  role        TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  actor    TEXT NOT NULL,      -- user:<name> | key:<name> | cli
  action   TEXT NOT NULL,      -- e.g. "POST /api/v1/stations"
  target   TEXT,
  detail   TEXT,
  remote   TEXT,
  status   INTEGER NOT NULL
);

CREATE TABLE commands (
  id              INTEGER PRIMARY KEY,
  station_id      TEXT NOT NULL,
  kind            TEXT NOT NULL,    -- e.g. "start_transaction", "reset"
  params          TEXT NOT NULL,    -- JSON as requested
  status          TEXT NOT NULL,    -- queued | sent | accepted | rejected | failed | timed_out | station_offline
  action          TEXT,             -- the OCPP action sent
  response        TEXT,             -- the station's answer (JSON)
  error           TEXT,
  transaction_id  INTEGER,
  created_by      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  finished_at     INTEGER
);
CREATE INDEX commands_by_station ON commands (station_id, id);
