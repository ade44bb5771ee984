-- Gridlane schema, version 27: alerts (services::AlertService, alerts::Dispatcher,
-- store/sqlite/alerts.cpp, docs/operations.md "Alerts").
--
-- Rules say what raises an alert and where it is delivered; an alert is unique per (rule,
-- subject) while it is not resolved (a repeat raises its count); every delivery to a channel is
-- a row written in the unit of work that raised or resolved the alert, kept as the delivery log.
-- Times are ms since the epoch, UTC; quiet hours are minutes after local midnight.
CREATE TABLE alert_rules (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  name         TEXT    NOT NULL,
  condition    TEXT    NOT NULL,
  severity     TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  scope        TEXT    NOT NULL CHECK (scope IN ('all', 'location', 'station')),
  scope_id     TEXT    NOT NULL DEFAULT '',
  minutes      INTEGER NOT NULL DEFAULT 0,
  count        INTEGER NOT NULL DEFAULT 1,
  error_code   TEXT,
  measurand    TEXT    NOT NULL DEFAULT '',
  min_value    REAL,
  max_value    REAL,
  quiet_start  INTEGER,
  quiet_end    INTEGER,
  enabled      INTEGER NOT NULL DEFAULT 1,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE alert_channels (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('webhook', 'email')),
  url        TEXT    NOT NULL DEFAULT '',
  recipients TEXT    NOT NULL DEFAULT '',  -- e-mail addresses, one per line
  secret     TEXT    NOT NULL DEFAULT '',  -- the webhook's HMAC key
  enabled    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE alert_rule_channels (
  rule_id    INTEGER NOT NULL,
  channel_id INTEGER NOT NULL,
  PRIMARY KEY (rule_id, channel_id)
);
CREATE INDEX alert_rule_channels_by_channel ON alert_rule_channels (channel_id);

CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  rule_id         INTEGER NOT NULL,
  subject         TEXT    NOT NULL,
  station         TEXT    NOT NULL DEFAULT '',
  severity        TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  state           TEXT    NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
  summary         TEXT    NOT NULL,
  count           INTEGER NOT NULL DEFAULT 1,
  first_at        INTEGER NOT NULL,
  last_at         INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT    NOT NULL DEFAULT '',
  resolved_at     INTEGER,
  resolved_by     TEXT    NOT NULL DEFAULT ''
);
-- De-duplication: one alert per (rule, subject) until it is resolved.
CREATE UNIQUE INDEX alerts_unresolved ON alerts (rule_id, subject) WHERE state <> 'resolved';
CREATE INDEX alerts_by_last ON alerts (last_at DESC, id DESC);

CREATE TABLE alert_deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id        INTEGER NOT NULL,
  channel_id      INTEGER NOT NULL,
  channel_kind    TEXT    NOT NULL CHECK (channel_kind IN ('webhook', 'email')),
  event           TEXT    NOT NULL CHECK (event IN ('alert.raised', 'alert.resolved')),
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  held_until      INTEGER,             -- quiet hours held it until then
  last_attempt_at INTEGER,
  delivered_at    INTEGER,
  response_status INTEGER,
  last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX alert_deliveries_by_alert ON alert_deliveries (alert_id, id);
