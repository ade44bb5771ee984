-- Idempotency held by the schema, so it stays correct with several writers: two writers that
-- store the same thing at once store one row (INSERT ... ON CONFLICT in the store), whoever
-- wins. Duplicates a single writer may have left are removed first (the oldest row is kept),
-- so this cannot fail on an existing database.
--
-- Already unique before this migration, and relied on by the same upserts: a station by id, the
-- current status of a connector (station, EVSE, connector), an id token, a device variable, a
-- report (station, requestId), a 1.6 transaction by its start (transactions_start_key) and a
-- 2.x one by (station, transactionId) (transactions_station_tx_id), a user name, an API key.

-- 1. TransactionEvents: a seqNo may be used twice by different events (migration 0007), but the
--    same event again (a retry) is one row. "Same" is what the service compares: type, trigger,
--    time, offline flag, charging state and id token; a NULL and an empty text differ.
DELETE FROM transaction_events WHERE id NOT IN (
  SELECT MIN(id) FROM transaction_events
  GROUP BY transaction_id, seq_no, event_type, trigger_reason, timestamp, offline,
           charging_state IS NULL, COALESCE(charging_state, ''), id_token IS NULL, COALESCE(id_token, ''));
CREATE UNIQUE INDEX transaction_events_once ON transaction_events (
  transaction_id, seq_no, event_type, trigger_reason, timestamp, offline,
  (charging_state IS NULL), COALESCE(charging_state, ''), (id_token IS NULL), COALESCE(id_token, ''));
-- Its leading columns serve the lookups by (transaction, seqNo).
DROP INDEX transaction_events_by_seq_no;

-- 2. Report parts: the last seqNo before the latest part, so that one upsert records a part and
--    answers what came before it (there is no read-then-write for a second writer to slip into).
ALTER TABLE device_reports ADD COLUMN previous_seq_no INTEGER NOT NULL DEFAULT -1;
