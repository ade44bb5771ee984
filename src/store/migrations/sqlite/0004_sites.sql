-- Gridlane schema, version 4: stations belong to a site (a label the operator sets; the site
-- model with grid limits builds on it), for filtering and grouping.
ALTER TABLE stations ADD COLUMN site TEXT;
CREATE INDEX stations_by_site ON stations (site);
