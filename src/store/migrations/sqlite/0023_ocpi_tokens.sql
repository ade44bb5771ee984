-- Gridlane schema, version 23: tokens pushed by eMSPs (OCPI 2.2.1 Tokens module, receiver side;
-- docs/ocpi.md "Tokens and authorisation"). A token is keyed as OCPI keys it: the issuing party,
-- its uid and its type; party and uid are CiString, compared without regard to case. The
-- partner that sent it (the eMSP or the hub it came through) is kept with it: sessions and CDRs
-- of the token go to that partner. The last real-time authorisation the eMSP gave is kept on the
-- row so that a transaction start shortly after an accepted Authorize is accepted without asking
-- again. Timestamps are integer ms since the Unix epoch.

CREATE TABLE roaming_tokens (
  country_code          TEXT NOT NULL COLLATE NOCASE,
  party_id              TEXT NOT NULL COLLATE NOCASE,
  uid                   TEXT NOT NULL COLLATE NOCASE,
  type                  TEXT NOT NULL,           -- AD_HOC_USER | APP_USER | OTHER | RFID
  partner_id            INTEGER NOT NULL,        -- partners(id) (0021); no foreign key: branches merge in any order
  contract_id           TEXT NOT NULL,
  visual_number         TEXT,
  issuer                TEXT NOT NULL,
  group_id              TEXT,
  valid                 INTEGER NOT NULL,        -- 0 | 1
  whitelist             TEXT NOT NULL,           -- ALWAYS | ALLOWED | ALLOWED_OFFLINE | NEVER
  language              TEXT,
  default_profile_type  TEXT,                    -- CHEAP | FAST | GREEN | REGULAR
  energy_supplier       TEXT,                    -- EnergyContract.supplier_name
  energy_contract_id    TEXT,                    -- EnergyContract.contract_id
  last_updated          INTEGER NOT NULL,        -- the eMSP's last_updated
  received_at           INTEGER NOT NULL,        -- when Gridlane stored this version
  realtime_allowed      TEXT,                    -- the last real-time answer: ALLOWED | BLOCKED | EXPIRED | NO_CREDIT | NOT_ALLOWED
  realtime_at           INTEGER,
  realtime_reference    TEXT,                    -- its authorization_reference
  PRIMARY KEY (country_code, party_id, uid, type)
);
-- The uid a station presents, newest first.
CREATE INDEX roaming_tokens_by_uid ON roaming_tokens (uid, received_at);
CREATE INDEX roaming_tokens_by_partner ON roaming_tokens (partner_id, country_code, party_id, uid);
