#!/usr/bin/env node
// A log file's round trip through the upload endpoint Gridlane hosts, measured: a 2.0.1 station
// (ocpp-rpc, strict) is asked for its log through the operator API, PUTs a file of SIZE_MIB to
// the one-time URL it was given, and the operator downloads it again. Prints the upload and
// download times (median and max over RUNS files, each a fresh command and URL) and checks every
// download against the bytes sent.
//
//   node bench/ops/diagnostics_upload.js            # build/release/gridlane, 20 MiB, 5 runs
//   GRIDLANE_BIN=... SIZE_MIB=64 RUNS=3 node bench/ops/diagnostics_upload.js
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { RPCClient } = require('../../tests/integration/node_modules/ocpp-rpc');

const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');
const SIZE = Number(process.env.SIZE_MIB || 20) * 1024 * 1024;
const RUNS = Number(process.env.RUNS || 5);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-diag-bench-'));
const db = path.join(dir, 'gridlane.db');
let server;
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

function send(method, url, { body, token, json } = {}) {
  return new Promise((resolve, reject) => {
    const data = json ? Buffer.from(JSON.stringify(json)) : body;
    const req = http.request(url, { method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(json ? { 'content-type': 'application/json' } : {}), ...(data ? { 'content-length': data.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const password = 'bench password 1234';
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'admin', '--password', password]);
  const config = path.join(dir, 'gridlane.toml');
  fs.writeFileSync(config, `[diagnostics]\nmax_upload_mb = ${Math.ceil(SIZE / 1048576) + 1}\n`);
  server = spawn(BIN, ['--db', db, '--config', config, '--log-level', 'warn', 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise((resolve) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (\S+)/); if (m) resolve(m[1]); });
  });
  const base = `http://${address}/api/v1`;
  const token = JSON.parse((await send('POST', `${base}/auth/login`, { json: { username: 'bench', password } })).body).token;

  let location;
  const cs = new RPCClient({ endpoint: `ws://${address}/ocpp`, identity: 'BENCH-LOG', protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false });
  cs.handle('GetLog', ({ params }) => { location = params.log.remoteLocation; return { status: 'Accepted', filename: 'bench.log' }; });
  await cs.connect();
  await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'Bench', vendorName: 'Gridlane' } });

  const data = crypto.randomBytes(SIZE);
  const digest = crypto.createHash('sha256').update(data).digest('hex');
  const up = [];
  const down = [];
  for (let i = 0; i < RUNS; i++) {
    const cmd = await send('POST', `${base}/stations/BENCH-LOG/commands?wait=10`, { token, json: { kind: 'get_log', params: {} } });
    if (cmd.status !== 200) throw new Error(`command: ${cmd.status} ${cmd.body}`);
    let t0 = process.hrtime.bigint();
    const put = await send('PUT', `${location}/bench.log`, { body: data });
    up.push(ms(t0));
    if (put.status !== 201) throw new Error(`upload: ${put.status} ${put.body}`);
    const list = JSON.parse((await send('GET', `${base}/stations/BENCH-LOG/diagnostics-files?limit=1`, { token })).body);
    t0 = process.hrtime.bigint();
    const got = await send('GET', `${base}/diagnostics-files/${list.items[0].id}`, { token });
    down.push(ms(t0));
    if (got.status !== 200 || !got.body.equals(data) || list.items[0].sha256 !== digest) throw new Error('download differs');
  }
  await cs.close();
  const mib = SIZE / 1048576;
  console.log(`diagnostics upload/download of ${mib} MiB, ${RUNS} runs, loopback, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
  console.log(`  upload (PUT, stored with SHA-256): median ${median(up).toFixed(0)} ms, max ${Math.max(...up).toFixed(0)} ms (${(mib / (median(up) / 1000)).toFixed(0)} MiB/s)`);
  console.log(`  download (GET, SHA-256 checked):  median ${median(down).toFixed(0)} ms, max ${Math.max(...down).toFixed(0)} ms (${(mib / (median(down) / 1000)).toFixed(0)} MiB/s)`);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
