-- Gridlane schema, version 11: tariffs after OCPI 2.2.1 mod_tariffs (docs/api.md, "Tariffs").
-- `body` is the tariff's OCPI JSON exactly as the codec writes it (domain/tariff_codec.hpp): what
-- the API serves and what a session's snapshot copies. The other columns repeat fields of it to
-- find and filter tariffs; they are written together with it, never on their own.

CREATE TABLE tariffs (
  id               TEXT PRIMARY KEY,          -- OCPI Tariff.id, chosen by the operator
  country_code     TEXT NOT NULL,             -- ISO 3166-1 alpha-2 of the CPO
  party_id         TEXT NOT NULL,             -- the CPO's OCPI party id
  currency         TEXT NOT NULL,             -- ISO 4217
  type             TEXT,                      -- OCPI TariffType name, e.g. REGULAR
  start_date_time  INTEGER,                   -- validity, ms since the epoch (UTC)
  end_date_time    INTEGER,
  last_updated     INTEGER NOT NULL,          -- ms since the epoch (UTC)
  body             TEXT NOT NULL,             -- the OCPI Tariff object as JSON
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX tariffs_by_last_updated ON tariffs (last_updated, id);
CREATE INDEX tariffs_by_currency ON tariffs (currency, id);
