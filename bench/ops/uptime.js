#!/usr/bin/env node
// The monthly uptime report, measured: EVSES ports (25 stations of 4 by default) at one Berlin
// location, each with OUTAGES outages in March 2026 (a third of them excluded), written into a
// database the binary created and migrated; then GET /api/v1/reports/uptime?month=2026-03 (JSON,
// every port on one page) and /reports/uptime.csv against the real binary over loopback HTTP.
// Prints the median, p95 and max latency over RUNS requests each.
//
//   node bench/ops/uptime.js                  # build/release/gridlane, 100 EVSEs, 20 outages each
//   GRIDLANE_BIN=... EVSES=1000 OUTAGES=50 RUNS=30 node bench/ops/uptime.js
//
// The rows are written with the sqlite3 shell: creating them through stations would measure the
// OCPP path, not the report.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');
const EVSES = Number(process.env.EVSES || 100);
const OUTAGES = Number(process.env.OUTAGES || 20);
const RUNS = Number(process.env.RUNS || 50);
const PER_STATION = 4;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-uptime-'));
const db = path.join(dir, 'gridlane.db');
let server;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
function request(port, token, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : undefined;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent: keepAlive,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json' } : {}) } },
    (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
}

async function main() {
  const password = 'uptime benchmark password';
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'admin', '--password', password]);
  const stations = Math.ceil(EVSES / PER_STATION);
  const march = Date.parse('2026-02-28T23:00:00Z'); // 00:00 CET
  const step = Math.floor((743 * 3600000) / OUTAGES); // outages spread over the month's 743 hours
  execFileSync('sqlite3', [db], { input: `
    BEGIN;
    INSERT INTO locations (id, name, time_zone, publish, created_at, updated_at)
    VALUES ('BENCH-LOC', 'Bench depot', 'Europe/Berlin', 0, ${march}, ${march});
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${stations - 1})
    INSERT INTO stations (id, registration, enabled, vendor, model, protocol, created_at, location_id, site)
    SELECT printf('UP-%04d', i), 'Accepted', 1, 'Acme', 'M', 'ocpp2.0.1', ${march}, 'BENCH-LOC', 'Bench depot' FROM n;
    WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < ${EVSES - 1})
    INSERT INTO connector_status (station_id, evse_id, connector_id, status, error_code, received_at)
    SELECT printf('UP-%04d', i / ${PER_STATION}), i % ${PER_STATION} + 1, 1, 'Available', 'NoError', ${march} FROM p;
    WITH RECURSIVE p(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM p WHERE i < ${EVSES - 1}),
                   k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < ${OUTAGES - 1})
    INSERT INTO outages (station_id, evse_id, cause, started_at, ended_at, exclusion_reason, justification,
                         classified_by, classified_at)
    SELECT printf('UP-%04d', i / ${PER_STATION}), i % ${PER_STATION} + 1, 'faulted',
           ${march} + j * ${step} + (i * 7919) % 600000, ${march} + j * ${step} + (i * 7919) % 600000 + 60000 * (5 + (i + j) % 90),
           CASE WHEN j % 3 = 0 THEN 'grid_outage' END, CASE WHEN j % 3 = 0 THEN 'utility' END,
           CASE WHEN j % 3 = 0 THEN 'user:bench' END, CASE WHEN j % 3 = 0 THEN ${march} END
    FROM p, k;
    COMMIT;` });

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
  const token = JSON.parse(login.text).token;

  const json = `/api/v1/reports/uptime?month=2026-03&limit=1000`;
  const csv = `/api/v1/reports/uptime.csv?month=2026-03`;
  const first = await request(port, token, 'GET', json);
  if (first.status !== 200) throw new Error(`report: ${first.status} ${first.text}`);
  const summary = JSON.parse(first.text).summary;
  for (const [name, url] of [['JSON', json], ['CSV', csv]]) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      const res = await request(port, token, 'GET', url);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    }
    console.log(`monthly uptime report, ${name}, ${EVSES} EVSEs x ${OUTAGES} outages: ${stats(times)} (${RUNS} runs)`);
  }
  console.log(`  ports ${summary.ports}, uptime ${summary.uptime_percent} %, counted outage ${summary.counted_outage_minutes} min`);
  server.kill('SIGTERM');
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
