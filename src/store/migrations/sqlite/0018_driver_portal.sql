-- Gridlane schema, version 18: the driver portal (docs/api.md "Driver portal API").
-- Driver logins belong to customer accounts; their bearer tokens (gld_...), the capabilities of
-- the sessions started from the portal (ds_...) and problem reports. Secrets are stored only as
-- their hash (hex BLAKE2b-256). Timestamps are integer ms since the Unix epoch.

CREATE TABLE driver_logins (
  email          TEXT PRIMARY KEY,             -- lower-cased: unique without regard to case
  account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name           TEXT,
  password_hash  TEXT NOT NULL,                -- argon2id, like users
  id_token       TEXT NOT NULL,                -- a token of the account: starts the driver's sessions
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL
);
CREATE INDEX driver_logins_by_account ON driver_logins (account_id, email);

CREATE TABLE driver_tokens (
  token_hash  TEXT PRIMARY KEY,
  email       TEXT NOT NULL REFERENCES driver_logins(email) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX driver_tokens_by_email ON driver_tokens (email);

-- A session started from the portal: by a driver (account) or with a card (payment). Its id
-- (ds_...) is the bearer capability of an ad-hoc session; only its hash is kept. `ref` is the
-- public, non-secret handle the owning driver's lists use.
CREATE TABLE drive_sessions (
  id_hash         TEXT PRIMARY KEY,
  ref             TEXT NOT NULL UNIQUE,
  evse_uid        INTEGER NOT NULL,
  station_id      TEXT NOT NULL,
  evse_id         INTEGER NOT NULL,
  method          TEXT NOT NULL,               -- account | card
  account_id      TEXT,
  driver_email    TEXT,
  payment_id      INTEGER,
  id_token        TEXT NOT NULL,               -- the token the session was started with
  command_id      INTEGER,                     -- the remote start
  transaction_id  INTEGER,                     -- once the station started it
  failure         TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX drive_sessions_by_account ON drive_sessions (account_id, created_at);
CREATE INDEX drive_sessions_by_transaction ON drive_sessions (transaction_id);
CREATE INDEX drive_sessions_by_command ON drive_sessions (command_id);

CREATE TABLE problem_reports (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  evse_uid    INTEGER NOT NULL,
  station_id  TEXT NOT NULL,
  evse_id     INTEGER NOT NULL,
  category    TEXT NOT NULL,                   -- not_working | damaged | blocked | payment | other
  text        TEXT NOT NULL,
  contact     TEXT,
  remote      TEXT,
  status      TEXT NOT NULL DEFAULT 'open',    -- open | resolved
  created_at  INTEGER NOT NULL,
  resolved_at INTEGER
);
CREATE INDEX problem_reports_by_station ON problem_reports (station_id, id);
CREATE INDEX problem_reports_by_status ON problem_reports (status, id);
