-- Gridlane schema, version 21: roaming partners (OCPI 2.2.1 credentials, docs/ocpi.md). One row
-- per partner the operator connects (an eMSP, a hub, an NSP): its status, the roles its
-- credentials listed, the modules it may use, its versions URL and the endpoints of the version
-- agreed on (JSON arrays, read and written by the store's row codec only), the token Gridlane
-- sends it (plain: it must be sent), and the hash of the one token it may call Gridlane with
-- (core::token_hash; NULL once it has none, e.g. after unregistration). Times are ms since the
-- epoch.
CREATE TABLE ocpi_partners (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('PLANNED', 'REGISTERED', 'SUSPENDED', 'UNREGISTERED')),
  encoding       TEXT NOT NULL CHECK (encoding IN ('BASE64', 'RAW')),
  roles          TEXT NOT NULL DEFAULT '[]',  -- [{"role","country_code","party_id","business_name"}]
  modules        TEXT NOT NULL DEFAULT '[]',  -- ["locations", ...]; empty: every module
  versions_url   TEXT NOT NULL DEFAULT '',
  version        TEXT NOT NULL DEFAULT '',
  endpoints      TEXT NOT NULL DEFAULT '[]',  -- [{"identifier","role","url"}]
  token_to_them  TEXT NOT NULL DEFAULT '',
  token_hash     TEXT UNIQUE,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

-- What a hub told Gridlane of the parties connected to it (HubClientInfo module, pushed by the
-- hub with PUT /hubclientinfo/{country_code}/{party_id}): one row per (hub, party).
CREATE TABLE ocpi_hub_client_info (
  partner_id    INTEGER NOT NULL REFERENCES ocpi_partners(id) ON DELETE CASCADE,
  country_code  TEXT NOT NULL,
  party_id      TEXT NOT NULL,
  role          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('CONNECTED', 'OFFLINE', 'PLANNED', 'SUSPENDED')),
  last_updated  INTEGER NOT NULL,
  PRIMARY KEY (partner_id, country_code, party_id)
);
