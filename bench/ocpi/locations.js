#!/usr/bin/env node
// OCPI Locations, measured (docs/ocpi.md, "Locations"): 10,000 EVSEs (1,000 published locations,
// one 1.6 station each with 10 EVSEs of one described connector) written into a database the
// binary created; then, against the real binary over loopback HTTP with the test eMSP
// (tests/integration/ocpi_partner.js) registered:
//   1. a full GET walk of /locations at the partner's limit (following Link), RUNS times;
//   2. the time from a station's StatusNotification (sent by a strict ocpp-rpc 1.6 station) to
//      the eMSP receiving the PATCH of that EVSE's status, over SAMPLES changes.
// Prints median and p95 of each. A command, not a test.
//
//   node bench/ocpi/locations.js
//   GRIDLANE_BIN=... LOCATIONS=1000 EVSES_PER_LOCATION=10 LIMIT=100 RUNS=5 SAMPLES=50 node bench/ocpi/locations.js
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('../../tests/integration/harness');
const { startPartner, ocpiConfig } = require('../../tests/integration/ocpi_partner');

const LOCATIONS = Number(process.env.LOCATIONS || 1000);
const PER = Number(process.env.EVSES_PER_LOCATION || 10);
const LIMIT = Number(process.env.LIMIT || 100);
const RUNS = Number(process.env.RUNS || 5);
const SAMPLES = Number(process.env.SAMPLES || 50);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-ocpi-bench-'));
  const db = path.join(dir, 'gridlane.db');
  const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');
  // The binary creates and migrates the database.
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'admin',
    '--password', 'ocpi locations benchmark password']);
  const last = LOCATIONS - 1;
  const t0 = process.hrtime.bigint();
  execFileSync('sqlite3', [db], { input: `
    BEGIN;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${last})
    INSERT INTO locations (id, name, address, city, postal_code, country, latitude, longitude, time_zone, publish,
                           created_at, updated_at)
    SELECT printf('LOC-%05d', i), printf('Bench location %05d', i), printf('Benchstrasse %d', i), 'Berlin', '10557',
           'DEU', '52.525083', '13.369402', 'Europe/Berlin', 1, 1767225600000, 1767225600000 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${last})
    INSERT INTO stations (id, registration, enabled, created_at, site, location_id)
    SELECT printf('OCPI-%05d', i), 'Accepted', 1, 1767225600000, printf('Bench location %05d', i), printf('LOC-%05d', i)
    FROM n;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${last}),
                   k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ${PER})
    INSERT INTO evses (station_id, evse_id, emi3_id, emi3_key, status, capabilities, created_at, updated_at)
    SELECT printf('OCPI-%05d', i), j, printf('DE*GRL*E%05d*%d', i, j), printf('DE*GRL*E%05d*%d', i, j), 'AVAILABLE',
           'RFID_READER', 1767225600000, 1767225600000 FROM n, k;
    INSERT INTO connectors (evse_uid, connector_id, standard, format, power_type, max_voltage_v, max_amperage_ma,
                            max_electric_power_w, created_at, updated_at)
    SELECT uid, 1, 'IEC_62196_T2', 'SOCKET', 'AC_3_PHASE', 230, 32000, 22000, 1767225600000, 1767225600000 FROM evses;
    DELETE FROM ocpi_changes; -- the seed is not news to push
    COMMIT;` });
  console.log(`seeded ${LOCATIONS} locations, ${LOCATIONS * PER} EVSEs in ${ms(t0).toFixed(0)} ms`);

  const server = await startServer({ dir, config: ocpiConfig({ page_limit: LIMIT }) + '[ocpp]\nrequest_base_report = false\n' });
  const emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  try {
    await emsp.register(server, { direction: 'partner-first' });

    // 1. The full walk.
    const walks = [];
    let count = 0;
    let evses = 0;
    let pages = 0;
    for (let i = 0; i < RUNS; i++) {
      const w0 = process.hrtime.bigint();
      const all = await emsp.getAll('locations', { limit: LIMIT }, { keep: i === RUNS - 1 });
      walks.push(ms(w0));
      count = all.items.length;
      pages = all.pages.length;
      evses = all.items.reduce((n, l) => n + (l.evses || []).length, 0);
    }
    console.log(`GET /locations walk: ${count} locations, ${evses} EVSEs, ${pages} pages of ${LIMIT}: ` +
      `median ${quantile(walks, 0.5).toFixed(0)} ms, p95 ${quantile(walks, 0.95).toFixed(0)} ms over ${RUNS} walks`);

    // 2. StatusNotification -> PATCH at the eMSP.
    const cs = server.client('OCPI-00000');
    await cs.connect();
    await cs.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'OCPI' });
    const latencies = [];
    for (let i = 0; i < SAMPLES; i++) {
      const connectorId = 1 + (i % PER);
      const status = Math.floor(i / PER) % 2 === 0 ? 'Charging' : 'Available'; // each report a change
      const expected = status === 'Charging' ? 'CHARGING' : 'AVAILABLE';
      const seen = emsp.requests.length;
      const s0 = process.hrtime.bigint();
      await cs.call('StatusNotification', { connectorId, errorCode: 'NoError', status });
      await emsp.waitFor((p) => p.requests.slice(seen).some((r) => r.method === 'PATCH' && r.body &&
        r.body.status === expected && r.path.startsWith('/') && r.path.includes('/LOC-00000/')), 10000);
      latencies.push(ms(s0));
    }
    await cs.close();
    console.log(`StatusNotification -> PATCH received: median ${quantile(latencies, 0.5).toFixed(1)} ms, ` +
      `p95 ${quantile(latencies, 0.95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${SAMPLES}`);
    if (emsp.violations.length) console.log(`conformance violations: ${emsp.violations.length}`, emsp.violations.slice(0, 3));
  } finally {
    await emsp.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
