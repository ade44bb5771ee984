-- Gridlane schema, version 12: which tariff applies where, and the tariff a session was priced
-- with (docs/tariff-assignments.md).
--
-- An assignment names a tariff for a target: every session (DEFAULT), a location, a station's
-- EVSE, or one connector of it, optionally only for one customer group (a token's group id or a
-- billing plan's group; '' = every group). One assignment per target and group: assigning again
-- replaces the tariff. target_key spells the target ("evse:CS-1:2") so that this uniqueness
-- holds without NULLs in the key. The tariff id is not a foreign key: deleting a tariff leaves
-- its assignments, and resolution skips a tariff that no longer exists.
CREATE TABLE tariff_assignments (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  tariff_id       TEXT NOT NULL,
  scope           TEXT NOT NULL CHECK (scope IN ('DEFAULT', 'LOCATION', 'EVSE', 'CONNECTOR')),
  location_id     TEXT REFERENCES locations(id) ON DELETE CASCADE,
  station_id      TEXT REFERENCES stations(id) ON DELETE CASCADE,
  evse_id         INTEGER,
  connector_id    INTEGER,
  customer_group  TEXT NOT NULL DEFAULT '',
  target_key      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  UNIQUE (target_key, customer_group)
);
CREATE INDEX tariff_assignments_by_tariff ON tariff_assignments (tariff_id, id);
CREATE INDEX tariff_assignments_by_station ON tariff_assignments (station_id, evse_id, connector_id);
CREATE INDEX tariff_assignments_by_location ON tariff_assignments (location_id);

-- The tariff resolved when a transaction started, as its OCPI JSON at that moment: the session
-- is priced with this copy, so editing or deleting the tariff never changes a past price.
CREATE TABLE tariff_snapshots (
  transaction_id  INTEGER PRIMARY KEY REFERENCES transactions(id) ON DELETE CASCADE,
  tariff_id       TEXT NOT NULL,
  assignment_id   INTEGER,
  customer_group  TEXT,
  tariff_json     TEXT NOT NULL,
  resolved_at     INTEGER NOT NULL
);

-- The pricing reads the status changes of one connector during one session.
CREATE INDEX status_history_by_connector ON status_history (station_id, evse_id, connector_id, id);
