-- Gridlane schema, version 26: availability and uptime (store/sqlite/availability.cpp,
-- docs/operations.md "Availability and uptime"). Times are integer milliseconds since the Unix
-- epoch, UTC, on the server's clock.

-- Each EVSE's timeline of states (domain::EvseState's names); `until_at` is NULL on the current
-- row, of which an EVSE has at most one.
CREATE TABLE evse_states (
  station_id TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  evse_id    INTEGER NOT NULL CHECK (evse_id > 0),
  state      TEXT NOT NULL CHECK (state IN ('available', 'charging', 'faulted', 'unavailable', 'offline')),
  since_at   INTEGER NOT NULL,
  until_at   INTEGER CHECK (until_at IS NULL OR until_at >= since_at),
  PRIMARY KEY (station_id, evse_id, since_at)
) WITHOUT ROWID;
CREATE UNIQUE INDEX evse_states_current ON evse_states (station_id, evse_id) WHERE until_at IS NULL;

-- An EVSE's outages: maximal stretches not up, with the state that began each; an operator may
-- classify one as excluded (domain::ExclusionReason's names) with a justification.
CREATE TABLE outages (
  id               INTEGER PRIMARY KEY,
  station_id       TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  evse_id          INTEGER NOT NULL CHECK (evse_id > 0),
  cause            TEXT NOT NULL CHECK (cause IN ('faulted', 'unavailable', 'offline')),
  detail           TEXT,
  started_at       INTEGER NOT NULL,
  ended_at         INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at),
  exclusion_reason TEXT CHECK (exclusion_reason IS NULL OR exclusion_reason IN ('grid_outage', 'natural_disaster',
                              'vandalism', 'planned_maintenance', 'vehicle_fault', 'outside_operating_hours')),
  justification    TEXT,
  classified_by    TEXT,
  classified_at    INTEGER,
  CHECK ((exclusion_reason IS NULL) = (justification IS NULL))
);
CREATE UNIQUE INDEX outages_open ON outages (station_id, evse_id) WHERE ended_at IS NULL;
CREATE INDEX outages_by_station ON outages (station_id, evse_id, started_at);
CREATE INDEX outages_by_start ON outages (started_at);
