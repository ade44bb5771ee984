-- Gridlane schema, version 22: the roaming outbox (store/sqlite/outbox.cpp, ocpi::Outbox,
-- docs/ocpi.md "Delivery: the outbox").
--
-- Every push to an OCPI partner is a row, written in the unit of work that decided it, and kept
-- until the partner accepted it (then deleted and counted in ocpi_delivery). Items of one
-- (partner, object_key) go out in id order: only the oldest pending one of a key is ever due.
-- An item the partner refused for good (a 4xx, an OCPI 2xxx) a few times over is kept with
-- dead_at set: visible, no longer sent, and no longer in the way of the items after it.
CREATE TABLE ocpi_outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  partner_id      INTEGER NOT NULL,
  module          TEXT    NOT NULL,           -- OCPI module id ("locations")
  method          TEXT    NOT NULL CHECK (method IN ('PUT', 'PATCH', 'POST', 'DELETE')),
  path            TEXT    NOT NULL,           -- below the partner's Receiver endpoint, or an absolute URL
  object_key      TEXT    NOT NULL,           -- "location:LOC1": the order is kept per key
  body            TEXT    NOT NULL,
  to_country_code TEXT,                       -- OCPI-to-* when not the partner's own party
  to_party_id     TEXT,
  created_at      INTEGER NOT NULL,           -- ms since the epoch, UTC
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  dead_at         INTEGER                     -- refused for good: kept, never sent again
);

-- The head of each key (the oldest pending item), and a partner's pending items in order.
CREATE INDEX ocpi_outbox_by_key ON ocpi_outbox (partner_id, object_key, id) WHERE dead_at IS NULL;
CREATE INDEX ocpi_outbox_by_partner ON ocpi_outbox (partner_id, id) WHERE dead_at IS NULL;
CREATE INDEX ocpi_outbox_dead ON ocpi_outbox (partner_id, id) WHERE dead_at IS NOT NULL;

-- Per partner: what was delivered, the last success and error, and the hold of its back-off
-- (a partner that is down is not called again before hold_until, whatever item is due).
CREATE TABLE ocpi_delivery (
  partner_id      INTEGER PRIMARY KEY,
  delivered       INTEGER NOT NULL DEFAULT 0,
  last_success_at INTEGER,
  last_error_at   INTEGER,
  last_error      TEXT,
  failures        INTEGER NOT NULL DEFAULT 0, -- consecutive failed calls (the back-off's exponent)
  hold_until      INTEGER
);

