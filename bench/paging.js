#!/usr/bin/env node
// Paging in SQL, measured: 10,000 stations (20,000 connectors) in a prepared database, then
// GET /api/v1/stations pages of 50 with and without filters against the real binary, over
// loopback HTTP. Prints the latency of each query (median, p95, max over RUNS requests).
//
//   node bench/paging.js                      # build/release/gridlane, 10,000 stations
//   GRIDLANE_BIN=... STATIONS=50000 RUNS=100 node bench/paging.js
//
// The stations are written with the sqlite3 shell (scripts/setup.sh installs it) into a database
// the binary created and migrated: creating 10,000 through the API would measure the writes.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../build/release/gridlane');
const STATIONS = Number(process.env.STATIONS || 10000);
const RUNS = Number(process.env.RUNS || 50);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-paging-'));
const db = path.join(dir, 'gridlane.db');
let server;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);

function request(port, token, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : undefined;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent: keepAlive,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json' } : {}) } },
    (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function main() {
  // The binary creates and migrates the database (and an admin user to log in with).
  const password = 'paging benchmark password';
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'admin', '--password', password]);
  const t0 = process.hrtime.bigint();
  const last = STATIONS - 1;
  execFileSync('sqlite3', [db], { input: `
    BEGIN;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${last})
    INSERT INTO stations (id, registration, enabled, vendor, model, protocol, created_at, site)
    SELECT printf('BENCH-%05d', i), CASE WHEN i % 10 = 0 THEN 'Pending' ELSE 'Accepted' END, 1,
           CASE i % 4 WHEN 0 THEN 'Alpha' WHEN 1 THEN 'Beta' WHEN 2 THEN 'Gamma' ELSE 'Delta' END, 'Model ' || (i % 7),
           CASE WHEN i % 3 = 0 THEN 'ocpp2.0.1' ELSE 'ocpp1.6' END, 1767225600000, 'site-' || (i % 20)
    FROM n;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${last}), c(k) AS (VALUES (1), (2))
    INSERT INTO connector_status (station_id, evse_id, connector_id, status, error_code, received_at)
    SELECT printf('BENCH-%05d', i), k, k, CASE WHEN i % 97 = 0 AND k = 2 THEN 'Faulted'
                                             WHEN i % 5 = 0 THEN 'Charging' ELSE 'Available' END, 'NoError', 1767225600000
    FROM n, c;
    COMMIT;` });
  const prepared = Number(process.hrtime.bigint() - t0) / 1e6;

  server = spawn(BIN, ['--db', db, '--log-level', 'warn', 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on \S+:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', () => reject(new Error('server exited')));
  });
  const login = await request(port, null, 'POST', '/api/v1/auth/login', { username: 'bench', password });
  const token = login.body.token;

  const cases = [
    'limit=50',
    'limit=50&offset=9000',
    'limit=50&offset=9950',
    'limit=1000&offset=9000',
    'site=site-7&limit=50&offset=400',
    'registration=Pending&protocol=ocpp2.0.1&limit=50&offset=200',
    'status=Faulted&limit=50',
    'status=Charging&site=site-5&limit=50&offset=50',
    'search=bench-09&limit=50&offset=500',
    'search=gamma&limit=50&offset=2000',
    'connected=false&limit=50&offset=9000',
  ];
  console.log(`gridlane paging benchmark: ${STATIONS} stations, ${2 * STATIONS} connectors (prepared in ${prepared.toFixed(0)} ms); ${RUNS} requests per query, one at a time, keep-alive`);
  console.log(`${'GET /api/v1/stations?'.padEnd(64)} ${'items'.padStart(5)} ${'total'.padStart(6)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
  for (const query of cases) {
    const url = `/api/v1/stations?${query}`;
    let first;
    for (let i = 0; i < 3; i++) first = await request(port, token, 'GET', url); // warm the statement cache
    if (first.status !== 200) throw new Error(`${url}: ${first.status} ${JSON.stringify(first.body)}`);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      const res = await request(port, token, 'GET', url);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const ms = (v) => `${v.toFixed(2)} ms`.padStart(8);
    console.log(`${query.padEnd(64)} ${String(first.body.items.length).padStart(5)} ${String(first.body.total ?? '-').padStart(6)} ${ms(at(0.5))} ${ms(at(0.95))} ${ms(times[times.length - 1])}`);
  }
  keepAlive.destroy();
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
