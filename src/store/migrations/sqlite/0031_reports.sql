-- Gridlane schema, version 31: the reports' daily roll-ups (docs/operations.md "Reports";
-- services/report_rollup.cpp computes them, store/sqlite/reports.cpp reads and writes them).
-- Reports read only these tables, never the sessions, so they answer in milliseconds over
-- millions of sessions. A day is a local date in the location's IANA zone (UTC for a station
-- without a location), numbered as days since 1970-01-01; times are milliseconds.

-- One row per EVSE and local day. Session counts and their outcomes belong to the day the
-- session started; energy, occupied and charging time to the day (and local hour) they happened.
-- o0..o23: occupied milliseconds in each local hour of the day (hour 2 of a fall-back day holds
-- both of its real hours, a spring-forward day has none); c0..c23 the same while charging.
CREATE TABLE report_evse_days (
  location_id            TEXT NOT NULL,    -- '' for a station without a location
  day                    INTEGER NOT NULL,
  station_id             TEXT NOT NULL,
  evse_id                INTEGER NOT NULL,
  sessions               INTEGER NOT NULL DEFAULT 0,
  successful             INTEGER NOT NULL DEFAULT 0,
  failed_start_rejected  INTEGER NOT NULL DEFAULT 0,
  failed_fault           INTEGER NOT NULL DEFAULT 0,
  failed_reset           INTEGER NOT NULL DEFAULT 0,
  failed_ev_disconnected INTEGER NOT NULL DEFAULT 0,
  failed_timeout         INTEGER NOT NULL DEFAULT 0,
  failed_no_energy       INTEGER NOT NULL DEFAULT 0,
  energy_wh              INTEGER NOT NULL DEFAULT 0,
  occupied_ms            INTEGER NOT NULL DEFAULT 0,
  charging_ms            INTEGER NOT NULL DEFAULT 0,
  o0 INTEGER NOT NULL DEFAULT 0, o1 INTEGER NOT NULL DEFAULT 0, o2 INTEGER NOT NULL DEFAULT 0,
  o3 INTEGER NOT NULL DEFAULT 0, o4 INTEGER NOT NULL DEFAULT 0, o5 INTEGER NOT NULL DEFAULT 0,
  o6 INTEGER NOT NULL DEFAULT 0, o7 INTEGER NOT NULL DEFAULT 0, o8 INTEGER NOT NULL DEFAULT 0,
  o9 INTEGER NOT NULL DEFAULT 0, o10 INTEGER NOT NULL DEFAULT 0, o11 INTEGER NOT NULL DEFAULT 0,
  o12 INTEGER NOT NULL DEFAULT 0, o13 INTEGER NOT NULL DEFAULT 0, o14 INTEGER NOT NULL DEFAULT 0,
  o15 INTEGER NOT NULL DEFAULT 0, o16 INTEGER NOT NULL DEFAULT 0, o17 INTEGER NOT NULL DEFAULT 0,
  o18 INTEGER NOT NULL DEFAULT 0, o19 INTEGER NOT NULL DEFAULT 0, o20 INTEGER NOT NULL DEFAULT 0,
  o21 INTEGER NOT NULL DEFAULT 0, o22 INTEGER NOT NULL DEFAULT 0, o23 INTEGER NOT NULL DEFAULT 0,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0,
  c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0,
  c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0,
  c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0, c11 INTEGER NOT NULL DEFAULT 0,
  c12 INTEGER NOT NULL DEFAULT 0, c13 INTEGER NOT NULL DEFAULT 0, c14 INTEGER NOT NULL DEFAULT 0,
  c15 INTEGER NOT NULL DEFAULT 0, c16 INTEGER NOT NULL DEFAULT 0, c17 INTEGER NOT NULL DEFAULT 0,
  c18 INTEGER NOT NULL DEFAULT 0, c19 INTEGER NOT NULL DEFAULT 0, c20 INTEGER NOT NULL DEFAULT 0,
  c21 INTEGER NOT NULL DEFAULT 0, c22 INTEGER NOT NULL DEFAULT 0, c23 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (location_id, station_id, evse_id, day)
) WITHOUT ROWID;
-- The key's order lets the per-EVSE sums stream without a sort; this covering index does the same
-- for the per-location-day sums (sessions, success, energy), and the station index for a station.
CREATE INDEX report_evse_days_by_location_day ON report_evse_days
  (location_id, day, sessions, successful, failed_start_rejected, failed_fault, failed_reset,
   failed_ev_disconnected, failed_timeout, failed_no_energy, energy_wh, occupied_ms, charging_ms);
CREATE INDEX report_evse_days_by_station ON report_evse_days (station_id, day);

-- Energy per location and UTC quarter hour (quarter = Unix seconds / 900): the peak-load
-- report's source. Kept by UTC quarter so the repeated hour of a fall-back night stays two hours.
CREATE TABLE report_location_quarters (
  location_id  TEXT NOT NULL,
  quarter      INTEGER NOT NULL,
  day          INTEGER NOT NULL,                  -- the local day the quarter starts in
  energy_wh    INTEGER NOT NULL,
  PRIMARY KEY (location_id, quarter)
) WITHOUT ROWID;

-- Per location and local day, its fullest quarter hour (kept as quarters only grow).
CREATE TABLE report_location_days (
  location_id  TEXT NOT NULL,
  day          INTEGER NOT NULL,
  peak_wh      INTEGER NOT NULL,
  peak_quarter INTEGER NOT NULL,
  PRIMARY KEY (location_id, day)
) WITHOUT ROWID;

-- The sessions already counted: a TransactionEnded heard twice, or a roll-up after a restart,
-- adds a session once.
CREATE TABLE report_sessions (
  transaction_id INTEGER PRIMARY KEY
);
