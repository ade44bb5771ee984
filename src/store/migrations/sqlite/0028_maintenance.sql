-- Gridlane schema, version 28: maintenance (docs/operations.md "Maintenance tickets" and
-- "Self-healing"). Tickets (work orders) for a station and optionally one EVSE/connector, with
-- append-only notes; recurring inspections per location; the history of what self-healing did
-- per station, and the stations that opted out of it. Statuses, priorities, sources, units,
-- steps and actions are stored as the API's names (domain/operations.hpp, maintenance.hpp).
-- Times are ms since the epoch (UTC).
CREATE TABLE maintenance_tickets (
  id            INTEGER PRIMARY KEY,
  station_id    TEXT NOT NULL,
  evse_id       INTEGER,
  connector_id  INTEGER,
  status        TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'on_hold', 'resolved', 'closed')),
  priority      TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  source        TEXT NOT NULL CHECK (source IN ('manual', 'playbook', 'problem_report', 'inspection', 'alert')),
  title         TEXT NOT NULL,
  assignee      TEXT,
  created_by    TEXT NOT NULL,
  report_id     INTEGER,
  schedule_id   INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  due_at        INTEGER NOT NULL,
  resolved_at   INTEGER
);
CREATE INDEX maintenance_tickets_station ON maintenance_tickets(station_id, status);
CREATE INDEX maintenance_tickets_due ON maintenance_tickets(status, due_at);

-- Notes are never changed or removed.
CREATE TABLE maintenance_ticket_notes (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES maintenance_tickets(id) ON DELETE CASCADE,
  author     TEXT NOT NULL,
  text       TEXT NOT NULL,
  at         INTEGER NOT NULL
);
CREATE INDEX maintenance_ticket_notes_ticket ON maintenance_ticket_notes(ticket_id, id);
CREATE TRIGGER maintenance_ticket_notes_append_only BEFORE UPDATE ON maintenance_ticket_notes
BEGIN
  SELECT RAISE(ABORT, 'ticket notes are append-only');
END;

CREATE TABLE maintenance_inspections (
  id           INTEGER PRIMARY KEY,
  location_id  TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  title        TEXT NOT NULL,
  every        INTEGER NOT NULL CHECK (every BETWEEN 1 AND 1000),
  unit         TEXT NOT NULL CHECK (unit IN ('day', 'week', 'month')),
  priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  next_due     INTEGER NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 1,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX maintenance_inspections_due ON maintenance_inspections(enabled, next_due);

CREATE TABLE healing_records (
  id            INTEGER PRIMARY KEY,
  station_id    TEXT NOT NULL,
  incident      INTEGER NOT NULL,
  evse_id       INTEGER NOT NULL,
  connector_id  INTEGER NOT NULL,
  fault         TEXT NOT NULL,
  action        TEXT NOT NULL,
  step          TEXT,
  detail        TEXT NOT NULL DEFAULT '',
  command_id    INTEGER,
  ticket_id     INTEGER,
  at            INTEGER NOT NULL
);
CREATE INDEX healing_records_station ON healing_records(station_id, id);

CREATE TABLE healing_opt_outs (
  station_id  TEXT PRIMARY KEY,
  by          TEXT NOT NULL,
  at          INTEGER NOT NULL
);
