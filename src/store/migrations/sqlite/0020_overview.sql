-- Gridlane schema, version 20: indexes for the console's overview (store/sqlite/overview.cpp,
-- GET /api/v1/overview): today's sessions by the time their start was received, and the status
-- changes of the last 24 hours, each read as a range instead of a scan of the whole table.
CREATE INDEX transactions_by_start_received ON transactions (start_received_at);
CREATE INDEX status_history_by_received ON status_history (received_at);
