-- Gridlane schema, version 10: indexes for the filters of the API's and the admin CLI's lists
-- (filtered and paged in SQL, store/sqlite/lists.cpp). Lists are ordered by id, so the
-- primary keys serve the paging; these serve the filters that look elsewhere.

-- GET /stations?status=...: stations with a connector in a status.
CREATE INDEX connector_status_by_status ON connector_status (status, station_id);
-- GET /stations?registration=... and ?protocol=...
CREATE INDEX stations_by_registration ON stations (registration, id);
CREATE INDEX stations_by_protocol ON stations (protocol, id);
-- GET /id-tokens?status=... and ?parent_id_tag=...
CREATE INDEX id_tokens_by_status ON id_tokens (status, id);
CREATE INDEX id_tokens_by_parent ON id_tokens (parent_id, id);
-- GET /transactions?id_tag=..., ?from=/?to=, ?state=
CREATE INDEX transactions_by_tag ON transactions (id_tag, id);
CREATE INDEX transactions_by_started_at ON transactions (started_at);
CREATE INDEX transactions_by_state ON transactions (state, id);
-- GET /stations/{id}/events?kind=...
CREATE INDEX station_events_by_kind ON station_events (station_id, kind, id);
