-- Gridlane schema, version 17: energy management (docs/energy.md). A location's electrical tree
-- (its grid connection over nested circuits down to attached EVSEs), the inputs that shape the
-- power its sessions get (time series, time-of-use prices, demand-response events), the
-- priorities of customer groups and the departure needs of sessions. Quantities are integers of
-- their unit (mA, W, Wh, V); prices are Decimal units (millionths); times are ms since the epoch.
-- The rules (a parent in the same location and no cycle, limits in range...) are the service's;
-- the keys below keep the rows consistent when a location, station, EVSE or session goes.

CREATE TABLE energy_grid_connections (
  location_id           TEXT PRIMARY KEY REFERENCES locations(id) ON DELETE CASCADE,
  limit_per_phase_ma    INTEGER CHECK (limit_per_phase_ma > 0),
  limit_power_w         INTEGER CHECK (limit_power_w > 0),
  voltage_v             INTEGER NOT NULL CHECK (voltage_v > 0),
  phases                INTEGER NOT NULL CHECK (phases IN (1, 3)),
  fallback_per_evse_ma  INTEGER NOT NULL CHECK (fallback_per_evse_ma >= 0),
  demand_charge_units   INTEGER CHECK (demand_charge_units >= 0), -- per kW, Decimal millionths
  site_meter            TEXT,                                      -- a station id
  enabled               INTEGER NOT NULL DEFAULT 1,
  updated_at            INTEGER NOT NULL
);

-- Circuits are replaced in place (INSERT ... ON CONFLICT DO UPDATE), never deleted and re-added:
-- removing one removes what hangs under it.
CREATE TABLE energy_circuits (
  location_id         TEXT NOT NULL REFERENCES energy_grid_connections(location_id) ON DELETE CASCADE,
  id                  TEXT NOT NULL,
  parent              TEXT,                  -- NULL: directly under the grid connection
  limit_per_phase_ma  INTEGER CHECK (limit_per_phase_ma > 0),
  limit_power_w       INTEGER CHECK (limit_power_w > 0),
  name                TEXT,
  updated_at          INTEGER NOT NULL,
  PRIMARY KEY (location_id, id),
  FOREIGN KEY (location_id, parent) REFERENCES energy_circuits(location_id, id) ON DELETE CASCADE
);
CREATE INDEX energy_circuits_by_parent ON energy_circuits (location_id, parent);

CREATE TABLE energy_attachments (
  station_id      TEXT NOT NULL,
  evse_id         INTEGER NOT NULL,
  location_id     TEXT NOT NULL REFERENCES energy_grid_connections(location_id) ON DELETE CASCADE,
  circuit_id      TEXT,                      -- NULL: directly under the grid connection
  rotation        TEXT NOT NULL,             -- OCPP PhaseRotation: RST, RTS, SRT, STR, TRS, TSR
  max_current_ma  INTEGER CHECK (max_current_ma > 0),
  max_power_w     INTEGER CHECK (max_power_w > 0),
  min_current_ma  INTEGER NOT NULL CHECK (min_current_ma >= 0),
  dc              INTEGER NOT NULL DEFAULT 0,
  bidirectional   INTEGER NOT NULL DEFAULT 0,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (station_id, evse_id),
  FOREIGN KEY (station_id, evse_id) REFERENCES evses(station_id, evse_id) ON DELETE CASCADE,
  FOREIGN KEY (location_id, circuit_id) REFERENCES energy_circuits(location_id, id) ON DELETE CASCADE
);
CREATE INDEX energy_attachments_by_location ON energy_attachments (location_id, circuit_id);

-- A station that moves to another location leaves its place in the old one's tree.
CREATE TRIGGER energy_attachments_on_station_move AFTER UPDATE OF location_id ON stations
WHEN OLD.location_id IS NOT NEW.location_id
BEGIN
  DELETE FROM energy_attachments WHERE station_id = NEW.id;
END;

CREATE TABLE energy_series (
  location_id  TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,                -- building_load | pv | battery | site_meter
  at           INTEGER NOT NULL,             -- start of the interval the value holds for
  power_w      INTEGER NOT NULL,
  forecast     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (location_id, kind, at)
) WITHOUT ROWID;

CREATE TABLE energy_prices (
  location_id  TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  from_at      INTEGER NOT NULL,             -- in force from here until the next point
  per_kwh      INTEGER NOT NULL,             -- Decimal millionths of the currency per kWh
  currency     TEXT NOT NULL,                -- ISO 4217
  PRIMARY KEY (location_id, from_at)
) WITHOUT ROWID;

CREATE TABLE energy_dr_events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  location_id  TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
  from_at      INTEGER NOT NULL,
  to_at        INTEGER NOT NULL CHECK (to_at > from_at),
  max_power_w  INTEGER NOT NULL CHECK (max_power_w >= 0),
  source       TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX energy_dr_events_by_location ON energy_dr_events (location_id, to_at);

CREATE TABLE energy_group_priorities (
  customer_group  TEXT PRIMARY KEY,
  priority        INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 10)
);

CREATE TABLE energy_departure_needs (
  transaction_id       INTEGER PRIMARY KEY REFERENCES transactions(id) ON DELETE CASCADE,
  departure            INTEGER,
  energy_wh            INTEGER CHECK (energy_wh >= 0),
  battery_capacity_wh  INTEGER CHECK (battery_capacity_wh > 0),
  state_of_charge      INTEGER CHECK (state_of_charge BETWEEN 0 AND 100),
  source               TEXT NOT NULL,
  updated_at           INTEGER NOT NULL
);
