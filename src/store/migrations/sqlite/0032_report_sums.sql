-- Gridlane schema, version 32: the reports' monthly and per-location roll-ups (docs/operations.md
-- "Reports"), so that a year of a whole fleet reads thousands of rows, not a million.
-- The utilisation report sums 62 columns per EVSE; over a year of daily rows for a whole fleet
-- that is millions of rows. report_evse_months holds the same sums per EVSE and local calendar month, so
-- a period reads its whole months here and only its partial months' days from report_evse_days
-- (store/sqlite/reports.cpp). A month is the day number of its first local day; o0..o23 and
-- c0..c23 as in report_evse_days; wo0..wo6 and wc0..wc6 the occupied and charging time by ISO
-- weekday, Monday first. Kept by the same upsert as the days; a rebuild of a range of days
-- recomputes the months it touches from their days.
CREATE TABLE report_evse_months (
  location_id TEXT NOT NULL,
  month       INTEGER NOT NULL,
  station_id  TEXT NOT NULL,
  evse_id     INTEGER NOT NULL,
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
  wo0 INTEGER NOT NULL DEFAULT 0, wo1 INTEGER NOT NULL DEFAULT 0, wo2 INTEGER NOT NULL DEFAULT 0,
  wo3 INTEGER NOT NULL DEFAULT 0, wo4 INTEGER NOT NULL DEFAULT 0, wo5 INTEGER NOT NULL DEFAULT 0,
  wo6 INTEGER NOT NULL DEFAULT 0,
  wc0 INTEGER NOT NULL DEFAULT 0, wc1 INTEGER NOT NULL DEFAULT 0, wc2 INTEGER NOT NULL DEFAULT 0,
  wc3 INTEGER NOT NULL DEFAULT 0, wc4 INTEGER NOT NULL DEFAULT 0, wc5 INTEGER NOT NULL DEFAULT 0,
  wc6 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (location_id, station_id, evse_id, month)
) WITHOUT ROWID;

-- The months of the days already rolled up (1970-01-01 was a Thursday: (day + 3) % 7 is 0 on
-- Mondays; strftime's %d is the day of the month).
INSERT INTO report_evse_months
SELECT location_id, day - CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER) + 1 AS month,
       station_id, evse_id,
       SUM(o0), SUM(o1), SUM(o2), SUM(o3), SUM(o4), SUM(o5), SUM(o6), SUM(o7), SUM(o8), SUM(o9), SUM(o10), SUM(o11), SUM(o12), SUM(o13), SUM(o14), SUM(o15), SUM(o16), SUM(o17), SUM(o18), SUM(o19), SUM(o20), SUM(o21), SUM(o22), SUM(o23), SUM(c0), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5), SUM(c6), SUM(c7), SUM(c8), SUM(c9), SUM(c10), SUM(c11), SUM(c12), SUM(c13), SUM(c14), SUM(c15), SUM(c16), SUM(c17), SUM(c18), SUM(c19), SUM(c20), SUM(c21), SUM(c22), SUM(c23),
       SUM(CASE WHEN (day + 3) % 7 = 0 THEN occupied_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 1 THEN occupied_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 2 THEN occupied_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 3 THEN occupied_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 4 THEN occupied_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 5 THEN occupied_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 6 THEN occupied_ms ELSE 0 END),
       SUM(CASE WHEN (day + 3) % 7 = 0 THEN charging_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 1 THEN charging_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 2 THEN charging_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 3 THEN charging_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 4 THEN charging_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 5 THEN charging_ms ELSE 0 END), SUM(CASE WHEN (day + 3) % 7 = 6 THEN charging_ms ELSE 0 END)
FROM report_evse_days GROUP BY location_id, station_id, evse_id, month;

-- The counting columns of report_evse_days summed per location and local day: the sessions and
-- success reports of a fleet read these (one row per location and day) unless they select a
-- station. Kept by the same upsert as the days.
CREATE TABLE report_location_day_sums (
  location_id            TEXT NOT NULL,
  day                    INTEGER NOT NULL,
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
  PRIMARY KEY (location_id, day)
) WITHOUT ROWID;

INSERT INTO report_location_day_sums
SELECT location_id, day, SUM(sessions), SUM(successful), SUM(failed_start_rejected), SUM(failed_fault), SUM(failed_reset), SUM(failed_ev_disconnected), SUM(failed_timeout), SUM(failed_no_energy), SUM(energy_wh), SUM(occupied_ms), SUM(charging_ms)
FROM report_evse_days GROUP BY location_id, day;

-- Served by report_location_day_sums now; a station's days keep report_evse_days_by_station.
DROP INDEX report_evse_days_by_location_day;
