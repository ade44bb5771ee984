-- Per-station compatibility settings: deviations from the OCPP schemas that an operator accepts
-- from a station whose firmware is known to make them. A row exists only while at least one
-- setting is on; deleting the station deletes its settings.
CREATE TABLE station_compat (
  station_id                   TEXT PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
  timestamps_without_offset    INTEGER NOT NULL DEFAULT 0,  -- a date-time without zone is read as UTC
  extra_properties_in_answers  INTEGER NOT NULL DEFAULT 0,  -- an unknown top-level property in a CALLRESULT is dropped
  updated_at                   INTEGER NOT NULL
);
