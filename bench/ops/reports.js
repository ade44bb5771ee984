#!/usr/bin/env node
// Reports over ten million sessions, measured: the daily roll-ups of 10,000,000 sessions
// (LOCATIONS locations x 20 stations x 2 EVSEs, one year of local days) written into a database
// the binary created and migrated, then each report of GET /api/v1/reports/* timed through the
// real server over loopback HTTP (median, p95 and max of RUNS requests, one at a time).
//
//   node bench/ops/reports.js                   # build/release/gridlane, 50 locations, 365 days
//   GRIDLANE_BIN=... LOCATIONS=100 DAYS=730 RUNS=15 node bench/ops/reports.js
//
// What is seeded: the roll-up tables only (report_evse_days: one row per EVSE and local day with
// its session count, outcomes, energy and occupied/charging time by local hour;
// report_evse_months and report_location_day_sums: the hours and weekdays per EVSE and local
// month, and the counts per location and day, computed from the days as migration 0032 does;
// report_location_days: each location-day's fullest quarter hour), with the locations, stations
// and EVSEs they refer to. The ten million raw sessions are not written: the reports never read
// them (only the roll-up and a rebuild do), and writing them would measure the seeding. The
// session counts are chosen so that the rows add up to exactly SESSIONS sessions, which the
// sessions report checks. The values are a deterministic pseudo-random pattern from one
// recursive CTE in the sqlite3 shell. Stops by itself (a few minutes at most on 2 cores).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');
const LOCATIONS = Number(process.env.LOCATIONS || 50);
const DAYS = Number(process.env.DAYS || 365);
const SESSIONS = Number(process.env.SESSIONS || 10_000_000);
const RUNS = Number(process.env.RUNS || 9);
const STATIONS_PER_LOCATION = 20;
const EVSES = LOCATIONS * STATIONS_PER_LOCATION * 2;
const FIRST_DAY = 20454; // 2026-01-01, days since 1970-01-01

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-reports-bench-'));
const db = path.join(dir, 'gridlane.db');
let server;

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
setTimeout(() => { console.error('reports bench: gave up after 10 minutes'); process.exit(2); }, 600_000).unref();

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

function seed() {
  const rows = EVSES * DAYS;
  const base = Math.floor(SESSIONS / rows);
  const extra = SESSIONS - base * rows; // the first `extra` rows have one session more
  if (base < 1) throw new Error('fewer sessions than EVSE-days');
  // A cheap deterministic hash of the row number and a salt, 0..(m-1).
  const h = (salt, m) => `((((i + ${salt}) * 2654435761) % 4294967291) % ${m})`;
  const hours = [];
  for (let k = 0; k < 24; k++) {
    // Busier by day: at most 3,600,000 ms; charging about 70 % of it.
    const cap = k >= 7 && k <= 21 ? 3600000 : 1200000;
    hours.push({ o: `${h(k * 7919 + 1, cap)}`, k });
  }
  const ocols = hours.map(({ k }) => `o${k}`).join(', ');
  const ccols = hours.map(({ k }) => `c${k}`).join(', ');
  const ovals = hours.map(({ o }) => o).join(', ');
  const cvals = hours.map(({ o }) => `(${o}) * 7 / 10`).join(', ');
  const osum = hours.map(({ o }) => `(${o})`).join(' + ');
  // Per ISO weekday, Monday first (1970-01-01 was a Thursday).
  const weekdays = (col) => [0, 1, 2, 3, 4, 5, 6].map((d) => `SUM(CASE WHEN (day + 3) % 7 = ${d} THEN ${col} ELSE 0 END)`).join(', ');
  const sql = `
    PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
    BEGIN;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LOCATIONS - 1})
    INSERT INTO locations (id, name, country, time_zone, created_at, updated_at)
    SELECT printf('LOC-%03d', i), printf('Bench location %03d', i), 'DEU', 'Europe/Berlin', 1767225600000, 1767225600000 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LOCATIONS * STATIONS_PER_LOCATION - 1})
    INSERT INTO stations (id, registration, enabled, vendor, model, protocol, created_at, location_id)
    SELECT printf('ST-%05d', i), 'Accepted', 1, 'Bench', 'B2', 'ocpp2.0.1', 1767225600000,
           printf('LOC-%03d', i / ${STATIONS_PER_LOCATION}) FROM n;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LOCATIONS * STATIONS_PER_LOCATION - 1}),
         e(k) AS (VALUES (1), (2))
    INSERT INTO evses (station_id, evse_id, created_at, updated_at) SELECT printf('ST-%05d', i), k, 1767225600000, 1767225600000 FROM n, e;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows - 1})
    INSERT INTO report_evse_days (location_id, day, station_id, evse_id, sessions, successful, failed_start_rejected,
      failed_fault, failed_reset, failed_ev_disconnected, failed_timeout, failed_no_energy, energy_wh, occupied_ms,
      charging_ms, ${ocols}, ${ccols})
    SELECT printf('LOC-%03d', (i / ${DAYS}) / ${STATIONS_PER_LOCATION * 2}), ${FIRST_DAY} + i % ${DAYS},
           printf('ST-%05d', (i / ${DAYS}) / 2), 1 + (i / ${DAYS}) % 2,
           s, s - f, f * 2 / 10, f * 1 / 10, f * 1 / 10, f - f * 2 / 10 - f * 1 / 10 - f * 1 / 10 - f * 1 / 10, f * 1 / 10, 0,
           s * 21000 + ${h(3, 5000)}, occupied, occupied * 7 / 10, ${ovals}, ${cvals}
    FROM (SELECT i, ${base} + (i < ${extra}) AS s, ${h(11, 3)} AS f, ${osum} AS occupied FROM n);
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${LOCATIONS * DAYS - 1})
    INSERT INTO report_location_days (location_id, day, peak_wh, peak_quarter)
    SELECT printf('LOC-%03d', i / ${DAYS}), ${FIRST_DAY} + i % ${DAYS}, 20000 + ${h(5, 30000)},
           (${FIRST_DAY} + i % ${DAYS}) * 96 + 64 + ${h(9, 12)} FROM n;
    INSERT INTO report_evse_months
    SELECT location_id, day - CAST(strftime('%d', day * 86400, 'unixepoch') AS INTEGER) + 1 AS month, station_id, evse_id,
           ${hours.map(({ k }) => `SUM(o${k})`).join(', ')}, ${hours.map(({ k }) => `SUM(c${k})`).join(', ')},
           ${weekdays('occupied_ms')}, ${weekdays('charging_ms')}
    FROM report_evse_days GROUP BY location_id, station_id, evse_id, month;
    INSERT INTO report_location_day_sums
    SELECT location_id, day, SUM(sessions), SUM(successful), SUM(failed_start_rejected), SUM(failed_fault), SUM(failed_reset),
           SUM(failed_ev_disconnected), SUM(failed_timeout), SUM(failed_no_energy), SUM(energy_wh), SUM(occupied_ms), SUM(charging_ms)
    FROM report_evse_days GROUP BY location_id, day;
    COMMIT;
    PRAGMA journal_mode = DELETE;
    ANALYZE;`;
  execFileSync('sqlite3', [db], { input: sql, maxBuffer: 64 * 1024 * 1024 });
  return rows;
}

async function main() {
  const password = 'reports benchmark password';
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'viewer', '--password', password]);
  const t0 = process.hrtime.bigint();
  const rows = seed();
  const seeded = Number(process.hrtime.bigint() - t0) / 1e9;
  const size = fs.statSync(db).size / 1024 / 1024;

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

  const year = `from=2026-01-01&to=${new Date(Date.UTC(2026, 0, DAYS)).toISOString().slice(0, 10)}`;
  const check = await request(port, token, 'GET', `/api/v1/reports/success?${year}`);
  const sessions = JSON.parse(check.text).totals.sessions;
  if (sessions !== SESSIONS) throw new Error(`the roll-ups hold ${sessions} sessions, not ${SESSIONS}`);

  const cases = [
    `utilisation?${year}`,
    `utilisation?${year}&group_by=evse`,
    `utilisation?${year}&location=LOC-007`,
    `utilisation?${year}&station=ST-00042&group_by=evse`,
    `sessions?${year}&period=day`,
    `sessions?${year}&period=week`,
    `sessions?${year}&period=month`,
    `sessions?${year}&period=month&location=LOC-007`,
    `success?${year}`,
    `peak-load?${year}`,
    `sessions?${year}&period=day&format=csv`,
    `utilisation?${year}&group_by=evse&format=csv`,
  ];
  console.log(`gridlane reports benchmark: ${SESSIONS.toLocaleString('en')} sessions as daily roll-ups of ${EVSES} EVSEs ` +
    `at ${LOCATIONS} locations over ${DAYS} local days (${rows.toLocaleString('en')} EVSE-day rows, seeded in ` +
    `${seeded.toFixed(1)} s, database ${size.toFixed(0)} MiB); ${RUNS} requests per report, one at a time, keep-alive`);
  console.log(`${'GET /api/v1/reports/'.padEnd(72)} ${'bytes'.padStart(9)} ${'median'.padStart(10)} ${'p95'.padStart(10)} ${'max'.padStart(10)}`);
  for (const query of cases) {
    const url = `/api/v1/reports/${query}`;
    const first = await request(port, token, 'GET', url); // warms the statement and page caches
    if (first.status !== 200) throw new Error(`${url}: ${first.status} ${first.text.slice(0, 300)}`);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      const res = await request(port, token, 'GET', url);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    const ms = (v) => `${v.toFixed(1)} ms`.padStart(10);
    console.log(`${query.replace(year, 'year').padEnd(72)} ${String(first.text.length).padStart(9)} ${ms(at(0.5))} ${ms(at(0.95))} ${ms(times[times.length - 1])}`);
  }
  keepAlive.destroy();
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
