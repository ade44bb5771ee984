-- Gridlane schema, version 10: an index for the lists' filters (store/sqlite/lists.cpp).
--
-- A list's query is prepared once with every filter optional ("?1 IS NULL OR registration = ?1"),
-- so SQLite walks the list's order (the primary key) and tests each row; no index on a filtered
-- column can serve such a term, and none is added for one. A filter written as a subquery
-- ("stations with a connector in status X") is planned on its own and uses this index:
CREATE INDEX connector_status_by_status ON connector_status (status, station_id);
