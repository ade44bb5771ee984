#!/usr/bin/env node
// The time from a station going offline to the alert's webhook being delivered, measured: the
// real binary, a rule "station_offline for 0 minutes" with a webhook channel to a receiver in this
// process, and RUNS stations (ocpp-rpc, strict 1.6) that boot and then drop their connection. For
// each, the clock starts when the station closes its socket and stops when the signed webhook of
// its alert arrives (the signature is checked). Prints median, p95 and max.
//
//   node bench/ops/alert_latency.js               # build/release/gridlane, RUNS=30
//   GRIDLANE_BIN=... RUNS=100 node bench/ops/alert_latency.js
//
// The config it writes sets [availability] disconnect_grace_s = 0 (a dropped connection is an outage
// at once; the default 10 s grace would be measured otherwise) and prints that it did. Bounded: the
// server must listen within 20 s, each webhook must arrive within 30 s, the whole run within
// 30 s + RUNS * 35 s; on loopback only. What is measured: the watch's StationOffline, the rule's unit of work, the
// delivery's commit, the dispatcher's wake-up and one HTTP POST over loopback.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { RPCClient } = require('../../tests/integration/node_modules/ocpp-rpc');

const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');
const RUNS = Number(process.env.RUNS || 30);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 1000) throw new Error('RUNS must be 1 to 1000');
const overall = setTimeout(() => {
  console.error('alert_latency: gave up (overall time limit)');
  process.exit(1);
}, 30000 + RUNS * 35000);
overall.unref();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-alert-latency-'));
const db = path.join(dir, 'gridlane.db');
let server;
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

function request(port, token, method, urlPath, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : undefined;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath,
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

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  let secret;
  const waiting = new Map(); // station -> resolve(arrival time)
  const receiver = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const at = process.hrtime.bigint();
      const ts = req.headers['x-gridlane-timestamp'];
      const want = 'sha256=' + crypto.createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex');
      if (req.headers['x-gridlane-signature'] !== want) throw new Error('a webhook with a bad signature');
      const body = JSON.parse(raw);
      res.writeHead(204);
      res.end();
      const done = body.event === 'alert.raised' && waiting.get(body.alert.station);
      if (done) done(at);
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));

  const config = path.join(dir, 'gridlane.toml');
  fs.writeFileSync(config, '[availability]\ndisconnect_grace_s = 0\n[alerts]\nallow_plain_http_to_loopback = true\n');
  console.log('config: [availability] disconnect_grace_s = 0 (a dropped connection is offline at once), ' +
    'rule station_offline minutes = 0, webhook on 127.0.0.1');
  const password = 'bench admin password';
  execFileSync(BIN, ['--db', db, '--log-level', 'warn', 'admin', 'user', 'add', 'bench', '--role', 'admin', '--password', password]);
  server = spawn(BIN, ['--db', db, '--config', config, '--log-level', 'warn', 'serve', '--listen', '127.0.0.1:0', '--unknown-stations', 'accept'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not listen within 20 s')), 20000);
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', () => reject(new Error('server exited')));
  });
  const port = Number(address.split(':').pop());
  const token = (await request(port, null, 'POST', '/api/v1/auth/login', { username: 'bench', password })).body.token;
  const channel = await request(port, token, 'POST', '/api/v1/alert-channels',
    { name: 'bench', kind: 'webhook', url: `http://127.0.0.1:${receiver.address().port}/hook` });
  if (channel.status !== 201) throw new Error(`channel: ${channel.status} ${JSON.stringify(channel.body)}`);
  secret = channel.body.secret;
  const rule = await request(port, token, 'POST', '/api/v1/alert-rules',
    { name: 'offline', condition: 'station_offline', minutes: 0, severity: 'critical', channels: [channel.body.id] });
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);

  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const identity = `LAT-${i}`;
    const cs = new RPCClient({ endpoint: `ws://${address}/ocpp`, identity, protocols: ['ocpp1.6'], strictMode: true, reconnect: false });
    await cs.connect();
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const arrived = new Promise((resolve) => waiting.set(identity, resolve));
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no webhook for ${identity} within 30 s`)), 30000);
    });
    const start = process.hrtime.bigint();
    await cs.close({ force: true });
    const at = await Promise.race([arrived, timeout]);
    clearTimeout(timer); // a pending timer would reject later, unhandled, and end the process
    waiting.delete(identity);
    ms.push(Number(at - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const median = percentile(ms, 50);
  console.log(`offline -> webhook delivered over ${RUNS} runs: median ${median.toFixed(1)} ms, ` +
    `p95 ${percentile(ms, 95).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms`);
  receiver.close();
  server.kill('SIGTERM');
  clearTimeout(overall);
}

main().catch((e) => { console.error(e); process.exit(1); });
