-- Gridlane schema, version 24: the journal of changes that OCPI partners are told about
-- (docs/ocpi.md, "Locations" and "Tariffs"). Triggers write one row per change of a location,
-- an EVSE, a connector, a connector status or a tariff, in the same transaction as the change,
-- whoever made it (the API, `gridlane admin`, a station's report); the roaming push reads the
-- journal, enqueues the PUT/PATCH/DELETE for each partner in the outbox and forgets the rows.
-- kind: LOCATION, EVSE (its own fields or connectors), EVSE_STATUS, EVSE_GONE, TARIFF, TARIFF_GONE.

CREATE TABLE ocpi_changes (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL,
  location_id  TEXT,
  evse_uid     INTEGER,
  tariff_id    TEXT,
  party        TEXT,                        -- TARIFF_GONE: the tariff's "country_code/party_id"
  was_published INTEGER NOT NULL DEFAULT 0, -- LOCATION: the location was published before the change
  at           INTEGER NOT NULL
);

CREATE TRIGGER ocpi_location_inserted AFTER INSERT ON locations
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, at) VALUES ('LOCATION', NEW.id, NEW.updated_at);
END;

CREATE TRIGGER ocpi_location_updated AFTER UPDATE ON locations
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, was_published, at)
  VALUES ('LOCATION', NEW.id, OLD.publish, NEW.updated_at);
END;

-- A station moved between locations changes the EVSEs of both.
CREATE TRIGGER ocpi_station_moved AFTER UPDATE OF location_id ON stations
WHEN OLD.location_id IS NOT NEW.location_id
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, was_published, at)
  SELECT 'LOCATION', l.id, l.publish, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  FROM locations l WHERE l.id IN (OLD.location_id, NEW.location_id);
END;

CREATE TRIGGER ocpi_evse_inserted AFTER INSERT ON evses
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE', s.location_id, NEW.uid, NEW.updated_at FROM stations s
  WHERE s.id = NEW.station_id AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_evse_described AFTER UPDATE ON evses
WHEN OLD.emi3_id IS NOT NEW.emi3_id OR OLD.capabilities IS NOT NEW.capabilities
  OR OLD.floor_level IS NOT NEW.floor_level OR OLD.physical_reference IS NOT NEW.physical_reference
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE', s.location_id, NEW.uid, NEW.updated_at FROM stations s
  WHERE s.id = NEW.station_id AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_evse_status AFTER UPDATE OF status ON evses
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE_STATUS', s.location_id, NEW.uid, NEW.updated_at FROM stations s
  WHERE s.id = NEW.station_id AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_evse_deleted AFTER DELETE ON evses
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE_GONE', s.location_id, OLD.uid, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  FROM stations s WHERE s.id = OLD.station_id AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_connector_inserted AFTER INSERT ON connectors
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE', s.location_id, e.uid, NEW.updated_at FROM evses e JOIN stations s ON s.id = e.station_id
  WHERE e.uid = NEW.evse_uid AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_connector_updated AFTER UPDATE ON connectors
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE', s.location_id, e.uid, NEW.updated_at FROM evses e JOIN stations s ON s.id = e.station_id
  WHERE e.uid = NEW.evse_uid AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_connector_deleted AFTER DELETE ON connectors
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE', s.location_id, e.uid, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)
  FROM evses e JOIN stations s ON s.id = e.station_id
  WHERE e.uid = OLD.evse_uid AND s.location_id IS NOT NULL;
END;

-- The status an EVSE shows combines its connectors' reports (and a station-wide one, evse 0).
CREATE TRIGGER ocpi_connector_status_inserted AFTER INSERT ON connector_status
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE_STATUS', s.location_id, e.uid, NEW.received_at FROM evses e JOIN stations s ON s.id = e.station_id
  WHERE e.station_id = NEW.station_id AND (NEW.evse_id = 0 OR e.evse_id = NEW.evse_id) AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_connector_status_updated AFTER UPDATE ON connector_status
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO ocpi_changes (kind, location_id, evse_uid, at)
  SELECT 'EVSE_STATUS', s.location_id, e.uid, NEW.received_at FROM evses e JOIN stations s ON s.id = e.station_id
  WHERE e.station_id = NEW.station_id AND (NEW.evse_id = 0 OR e.evse_id = NEW.evse_id) AND s.location_id IS NOT NULL;
END;

CREATE TRIGGER ocpi_tariff_inserted AFTER INSERT ON tariffs
BEGIN
  INSERT INTO ocpi_changes (kind, tariff_id, at) VALUES ('TARIFF', NEW.id, NEW.updated_at);
END;

CREATE TRIGGER ocpi_tariff_updated AFTER UPDATE ON tariffs
BEGIN
  INSERT INTO ocpi_changes (kind, tariff_id, at) VALUES ('TARIFF', NEW.id, NEW.updated_at);
END;

CREATE TRIGGER ocpi_tariff_deleted AFTER DELETE ON tariffs
BEGIN
  INSERT INTO ocpi_changes (kind, tariff_id, party, at)
  VALUES ('TARIFF_GONE', OLD.id, OLD.country_code || '/' || OLD.party_id,
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;

-- The Sender's list: published locations by id (their EVSEs are found through
-- stations_by_location and the evses' UNIQUE (station_id, evse_id)).
CREATE INDEX locations_published ON locations (publish, id);
