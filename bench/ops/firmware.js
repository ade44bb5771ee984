#!/usr/bin/env node
// Firmware figures against the real binary over loopback: the upload of a SIZE_MB file through
// the API (written and hashed by the server), its download by a station over plain HTTP
// (DOWNLOADS in a row, then PARALLEL at once), and a campaign over STATIONS simulated OCPP 2.0.1
// stations (ocpp-rpc, strict) that each download the file and report Downloading, Downloaded,
// Installing, Installed: the time from start to completed, with a canary and a concurrency limit.
//
//   node bench/ops/firmware.js            # build/release/gridlane, 50 MiB, 200 stations
//   GRIDLANE_BIN=... SIZE_MB=50 STATIONS=500 CONCURRENT=50 node bench/ops/firmware.js
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { RPCClient } = require(path.resolve(__dirname, '../../tests/integration/node_modules/ocpp-rpc'));

const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');
const SIZE_MB = Number(process.env.SIZE_MB || 50);
const DOWNLOADS = Number(process.env.DOWNLOADS || 5);
const PARALLEL = Number(process.env.PARALLEL || 4);
const STATIONS = Number(process.env.STATIONS || 200);
const CONCURRENT = Number(process.env.CONCURRENT || 50);
const CANARY = Number(process.env.CANARY || 5);
const CAMPAIGN_FILE_KB = Number(process.env.CAMPAIGN_FILE_KB || 1024);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-fw-bench-'));
const db = path.join(dir, 'gridlane.db');
let server;
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(port, token, method, urlPath, { body, raw } = {}) {
  return new Promise((resolve, reject) => {
    const data = raw !== undefined ? raw : body !== undefined ? JSON.stringify(body) : undefined;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent,
      headers: { Authorization: `Bearer ${token}`, ...(data ? { 'content-type': raw ? 'application/octet-stream' : 'application/json' } : {}) } },
    (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
function fetchBytes(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const hash = crypto.createHash('sha256');
      let n = 0;
      res.on('data', (d) => { hash.update(d); n += d.length; });
      res.on('end', () => resolve({ status: res.statusCode, bytes: n, sha256: hash.digest('hex') }));
    }).on('error', reject);
  });
}
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const mibs = (bytes, s) => (bytes / 1048576 / s).toFixed(0);

async function main() {
  const password = 'firmware benchmark password';
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'admin', '--password', password]);
  const config = path.join(dir, 'gridlane.toml');
  fs.writeFileSync(config, `[firmware]\nmax_file_mb = ${Math.max(SIZE_MB + 1, 2)}\ncampaign_tick_s = 1\n` +
    '[ocpp]\nrequest_base_report = false\n');
  server = spawn(BIN, ['--db', db, '--config', config, '--log-level', 'warn', 'serve', '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise((resolve) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (\S+)/); if (m) resolve(m[1]); });
  });
  const port = Number(address.split(':').pop());
  const login = await request(port, '', 'POST', '/api/v1/auth/login', { body: { username: 'bench', password } });
  const token = login.body.token;
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // Upload and download of one SIZE_MB file.
  const bytes = crypto.randomBytes(SIZE_MB * 1048576);
  const expected = crypto.createHash('sha256').update(bytes).digest('hex');
  let t0 = process.hrtime.bigint();
  const up = await request(port, token, 'POST', `/api/v1/firmware/files?file_name=bench.bin&vendor=Bench&version=2`, { raw: bytes });
  const upS = seconds(t0);
  if (up.status !== 201 || up.body.sha256 !== expected) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body)}`);
  console.log(`upload ${SIZE_MB} MiB: ${upS.toFixed(3)} s (${mibs(bytes.length, upS)} MiB/s, written and SHA-256 by the server)`);
  const times = [];
  for (let i = 0; i < DOWNLOADS; i++) {
    t0 = process.hrtime.bigint();
    const got = await fetchBytes(up.body.url);
    times.push(seconds(t0));
    if (got.status !== 200 || got.sha256 !== expected) throw new Error('download does not match');
  }
  times.sort((a, b) => a - b);
  console.log(`download ${SIZE_MB} MiB, ${DOWNLOADS} in a row: median ${times[times.length >> 1].toFixed(3)} s ` +
    `(${mibs(bytes.length, times[times.length >> 1])} MiB/s), best ${times[0].toFixed(3)} s`);
  t0 = process.hrtime.bigint();
  const all = await Promise.all(Array.from({ length: PARALLEL }, () => fetchBytes(up.body.url)));
  const parS = seconds(t0);
  if (all.some((g) => g.sha256 !== expected)) throw new Error('parallel download does not match');
  console.log(`download ${SIZE_MB} MiB x ${PARALLEL} at once: ${parS.toFixed(3)} s (${mibs(bytes.length * PARALLEL, parS)} MiB/s in all)`);

  // A campaign over STATIONS simulated stations.
  const small = crypto.randomBytes(CAMPAIGN_FILE_KB * 1024);
  const smallHash = crypto.createHash('sha256').update(small).digest('hex');
  const file = await request(port, token, 'POST', '/api/v1/firmware/files?file_name=campaign.bin&vendor=Bench&version=3', { raw: small });
  const stations = [];
  let bad = 0;
  for (let i = 0; i < STATIONS; i++) {
    const identity = `FWB-${String(i).padStart(5, '0')}`;
    const cs = new RPCClient({ endpoint: `ws://${address}/ocpp`, identity, protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false });
    cs.handle('UpdateFirmware', ({ params }) => {
      setImmediate(async () => {
        const r = params.requestId;
        await cs.call('FirmwareStatusNotification', { status: 'Downloading', requestId: r });
        const got = await fetchBytes(params.firmware.location);
        if (got.sha256 !== smallHash) bad++;
        await cs.call('FirmwareStatusNotification', { status: 'Downloaded', requestId: r });
        await cs.call('FirmwareStatusNotification', { status: 'Installing', requestId: r });
        await cs.call('FirmwareStatusNotification', { status: 'Installed', requestId: r });
      });
      return { status: 'Accepted' };
    });
    await cs.connect();
    await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'B-1', vendorName: 'Bench', firmwareVersion: '2' } });
    stations.push(cs);
  }
  const created = await request(port, token, 'POST', '/api/v1/firmware/campaigns', { body: { name: 'bench', file_id: file.body.id,
    filter: { vendor: 'Bench' }, canary_percent: CANARY, max_concurrent: CONCURRENT, failure_threshold_percent: 10 } });
  t0 = process.hrtime.bigint();
  await request(port, token, 'POST', `/api/v1/firmware/campaigns/${created.body.id}/start`);
  let state;
  for (;;) {
    state = (await request(port, token, 'GET', `/api/v1/firmware/campaigns/${created.body.id}`)).body;
    if (state.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const campS = seconds(t0);
  console.log(`campaign over ${STATIONS} stations (${CAMPAIGN_FILE_KB} KiB file, canary ${CANARY} %, ${CONCURRENT} at once): ` +
    `${state.state} in ${campS.toFixed(2)} s, ${state.progress.succeeded} succeeded, ${state.progress.failed} failed, ${bad} bad downloads`);
  for (const cs of stations) await cs.close();
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
