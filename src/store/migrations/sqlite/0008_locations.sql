-- Gridlane schema, version 8: the physical model after OCPI 2.2.1 (docs/locations.md).
-- A location holds stations; a station its EVSEs (by OCPP evse id); an EVSE its connectors.
-- Enum columns hold the OCPI names (AC_3_PHASE, IEC_62196_T2...); lists of enums are
-- comma-separated names; opening_times is the OCPI Hours object as JSON. Quantities are
-- integers of their unit: volts, milliamperes, watts.

CREATE TABLE locations (
  id                   TEXT PRIMARY KEY,          -- OCPI id: chosen by the operator, or 16 hex digits
  name                 TEXT NOT NULL UNIQUE,      -- a station's `site` is its location's name
  address              TEXT,
  city                 TEXT,
  postal_code          TEXT,
  state                TEXT,
  country              TEXT,                      -- ISO 3166-1 alpha-3
  latitude             TEXT,                      -- exact decimal text, as OCPI writes it
  longitude            TEXT,
  time_zone            TEXT,                      -- IANA
  operator_name        TEXT,
  operator_website     TEXT,
  suboperator_name     TEXT,
  suboperator_website  TEXT,
  owner_name           TEXT,
  owner_website        TEXT,
  opening_times        TEXT,
  facilities           TEXT NOT NULL DEFAULT '',
  parking_type         TEXT,
  publish              INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX locations_by_city ON locations (city, name);
CREATE INDEX locations_by_country ON locations (country, name);

ALTER TABLE stations ADD COLUMN location_id TEXT REFERENCES locations(id);
CREATE INDEX stations_by_location ON stations (location_id);

CREATE TABLE evses (
  uid                  INTEGER PRIMARY KEY AUTOINCREMENT, -- OCPI EVSE.uid, never reused
  station_id           TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  evse_id              INTEGER NOT NULL,          -- OCPP 2.x evseId; a 1.6 station's connector id
  emi3_id              TEXT,                      -- as written, e.g. NL*GLN*E000123*1
  emi3_key             TEXT UNIQUE,               -- upper-case emi3_id: unique without regard to case
  status               TEXT NOT NULL DEFAULT 'UNKNOWN',
  capabilities         TEXT NOT NULL DEFAULT '',
  floor_level          TEXT,
  physical_reference   TEXT,
  reported             INTEGER NOT NULL DEFAULT 0, -- created because the station reported it
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  UNIQUE (station_id, evse_id)
);

CREATE TABLE connectors (
  evse_uid             INTEGER NOT NULL REFERENCES evses(uid) ON DELETE CASCADE,
  connector_id         INTEGER NOT NULL,          -- within the EVSE; 1 for a 1.6 station
  standard             TEXT,
  format               TEXT,
  power_type           TEXT,
  max_voltage_v        INTEGER,
  max_amperage_ma      INTEGER,
  max_electric_power_w INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (evse_uid, connector_id)
);

-- Today's sites become locations: one per distinct site name, named after it, its stations
-- assigned. The site column stays (it is the location's name from now on): nothing is lost.
INSERT INTO locations (id, name, publish, created_at, updated_at)
SELECT lower(hex(randomblob(8))), site, 0, first_created, first_created
FROM (SELECT site, MIN(created_at) AS first_created FROM stations
      WHERE site IS NOT NULL AND site <> '' GROUP BY site);
UPDATE stations SET location_id = (SELECT id FROM locations WHERE name = stations.site)
WHERE site IS NOT NULL AND site <> '';

-- A station given a site (created with one, or its site changed, by any writer) belongs to the
-- location of that name, which is created if there is none. Clearing the site clears the location.
CREATE TRIGGER stations_site_on_insert AFTER INSERT ON stations
WHEN NEW.site IS NOT NULL AND NEW.site <> '' AND NEW.location_id IS NULL
BEGIN
  INSERT OR IGNORE INTO locations (id, name, publish, created_at, updated_at)
  VALUES (lower(hex(randomblob(8))), NEW.site, 0, NEW.created_at, NEW.created_at);
  UPDATE stations SET location_id = (SELECT id FROM locations WHERE name = NEW.site) WHERE id = NEW.id;
END;

CREATE TRIGGER stations_site_on_update AFTER UPDATE OF site ON stations
BEGIN
  INSERT OR IGNORE INTO locations (id, name, publish, created_at, updated_at)
  SELECT lower(hex(randomblob(8))), NEW.site, 0, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
         CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  WHERE NEW.site IS NOT NULL AND NEW.site <> '';
  UPDATE stations SET location_id = (SELECT id FROM locations WHERE name = NEW.site) WHERE id = NEW.id;
END;
