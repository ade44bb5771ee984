-- Gridlane schema, version 25: the sessions and CDRs of roaming tokens (store/sqlite/roaming_sessions.cpp,
-- docs/ocpi.md "Sessions" and "CDRs").
--
-- A session that runs with a partner's token is recorded here when it starts: the partner it
-- belongs to, the Session's last_updated (the GET list's date filters) and how far its pushes
-- went (the pace of its PATCHes, the charging periods the partner already has).
CREATE TABLE ocpi_sessions (
  transaction_id INTEGER PRIMARY KEY,
  partner_id     INTEGER NOT NULL,
  last_updated   INTEGER NOT NULL,           -- ms since the epoch, UTC
  last_pushed_at INTEGER,                    -- ms; the last PATCH enqueued while it ran
  periods_sent   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ocpi_sessions_by_partner ON ocpi_sessions (partner_id, last_updated, transaction_id);

-- A CDR of a partner's token, recorded once: the unit of work that records it enqueues its POST,
-- so a CDR is POSTed exactly once to that partner, whatever is retried or restarted.
CREATE TABLE ocpi_cdrs (
  cdr_id       TEXT    NOT NULL,
  partner_id   INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,             -- ms; the CDR's last_updated
  PRIMARY KEY (cdr_id, partner_id)
);
CREATE INDEX ocpi_cdrs_by_partner ON ocpi_cdrs (partner_id, last_updated, cdr_id);
