// Observability (docs/operations.md): GET /metrics behind its bearer token, scraped for real by
// Debian's Prometheus; message, command and connection counts that follow strict stations'
// traffic exactly; /ready; JSON log lines that each parse, however odd the text they carry.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const WebSocket = require('ws');
const { startServer, tempDir, rawExchange } = require('./harness');

const TOKEN = 'scrape-secret-7f3a';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let server;

before(async () => {
  server = await startServer({
    config: `[ocpp]\nrequest_base_report = false\n[metrics]\ntoken = "${TOKEN}"\n[log]\nformat = "json"\n`,
  });
});
after(() => server.stop());

async function scrape(srv = server) {
  const res = await srv.request('GET', '/metrics', { token: TOKEN });
  assert.equal(res.status, 200, res.text);
  return res.text;
}

// The value of one sample (the metric name with its labels exactly as written), 0 when absent.
function sample(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return 0;
}

const inbound = (version, action, result) =>
  `gridlane_ocpp_messages_total{version="${version}",direction="in",action="${action}",result="${result}"}`;

test('/metrics needs the configured bearer token: 401 without it or with another, 200 in the text format with it', async () => {
  const none = await server.request('GET', '/metrics');
  assert.equal(none.status, 401);
  assert.match(none.headers['www-authenticate'], /^Bearer/);
  assert.doesNotMatch(none.text, /gridlane_/);
  const wrong = await server.request('GET', '/metrics', { token: TOKEN + 'x' });
  assert.equal(wrong.status, 401);
  const basic = await server.request('GET', '/metrics', { headers: { Authorization: `Basic ${TOKEN}` } });
  assert.equal(basic.status, 401);
  const ok = await server.request('GET', '/metrics', { token: TOKEN });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.match(ok.text, /^# TYPE gridlane_uptime_seconds gauge$/m);
  assert.match(ok.text, /^# TYPE gridlane_ocpp_connections gauge$/m);
  assert.match(ok.text, /^gridlane_ocpp_connections\{version="ocpp2\.0\.1"\} 0$/m);
  assert.equal((await server.request('POST', '/metrics', { token: TOKEN })).status, 405);
});

test('/ready and /health answer 200 once the server is up', async () => {
  const ready = await server.request('GET', '/ready');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, { status: 'ready' });
  const health = await server.request('GET', '/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.status, 'ok');
});

test('message, latency, connection and store metrics count a strict 1.6 station\'s traffic exactly', async () => {
  const before = await scrape();
  const cs = server.client('METRICS-16');
  await cs.connect();
  for (let i = 0; i < 3; i++) {
    const boot = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    assert.equal(boot.status, 'Accepted');
  }
  await cs.call('Heartbeat', {});
  await cs.call('Heartbeat', {});
  // Refused before handling: a payload that fails its schema, and an action no catalogue knows.
  const bad = await rawExchange(cs, JSON.stringify([2, 'bad-1', 'Heartbeat', { extra: 1 }]), 'bad-1');
  assert.equal(bad[0], 4);
  const unknown = await rawExchange(cs, JSON.stringify([2, 'bad-2', 'NoSuchAction', {}]), 'bad-2');
  assert.equal(unknown[0], 4);

  const during = await scrape();
  const delta = (series) => sample(during, series) - sample(before, series);
  assert.equal(delta(inbound('ocpp1.6', 'BootNotification', 'accepted')), 3);
  assert.equal(delta(inbound('ocpp1.6', 'Heartbeat', 'accepted')), 2);
  assert.equal(delta(inbound('ocpp1.6', 'Heartbeat', 'rejected')), 1);
  assert.equal(delta(inbound('ocpp1.6', 'other', 'rejected')), 1);
  assert.doesNotMatch(during, /NoSuchAction/, 'a name from the wire never becomes a label');
  assert.equal(delta('gridlane_ocpp_handling_seconds_count{direction="in",action="BootNotification"}'), 3);
  assert.equal(delta('gridlane_ocpp_handling_seconds_bucket{direction="in",action="BootNotification",le="+Inf"}'), 3);
  assert.ok(delta('gridlane_ocpp_handling_seconds_sum{direction="in",action="BootNotification"}') > 0);
  assert.equal(sample(during, 'gridlane_ocpp_connections{version="ocpp1.6"}'), 1);
  assert.equal(sample(during, 'gridlane_connections_open'), 1);
  // Each boot stored something: the group commit counted its transactions and batch sizes.
  assert.ok(delta('gridlane_store_commits_total{result="committed"}') >= 1);
  assert.ok(delta('gridlane_store_batch_units_count') >= 1);
  assert.ok(sample(during, 'gridlane_store_commit_seconds_count') >= 1);
  assert.ok(sample(during, 'gridlane_uptime_seconds') > 0);
  assert.ok(sample(during, 'process_resident_memory_bytes') > 1e6);

  await cs.close();
  let after = await scrape();
  for (let i = 0; i < 50 && sample(after, 'gridlane_ocpp_connections{version="ocpp1.6"}') !== 0; i++) {
    await sleep(100);
    after = await scrape();
  }
  assert.equal(sample(after, 'gridlane_ocpp_connections{version="ocpp1.6"}'), 0, 'the closed connection is gone');
});

test('a command to a 2.0.1 station counts its outbound CALL and its outcome by kind and status', async () => {
  const token = await server.adminToken();
  const cs = server.client('METRICS-201', { protocols: ['ocpp2.0.1'] });
  cs.handle('ClearCache', () => ({ status: 'Accepted' }));
  const resets = [];
  cs.handle('Reset', ({ params }) => {
    resets.push(params);
    return { status: 'Rejected' };
  });
  await cs.connect();
  await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  const before = await scrape();
  const send = (kind, params) =>
    server.request('POST', '/api/v1/stations/METRICS-201/commands?wait=5', { token, body: { kind, params } });
  for (let i = 0; i < 2; i++) {
    const res = await send('clear_cache', {});
    assert.ok(res.status === 200 || res.status === 201, res.text);
    assert.equal(res.body.status, 'accepted');
  }
  // docs/api.md: reset `type` is soft | hard; on 2.x hard becomes Reset Immediate.
  const reset = await send('reset', { type: 'hard' });
  assert.ok(reset.status === 200 || reset.status === 201, reset.text);
  assert.equal(reset.body.status, 'rejected');
  assert.deepEqual(resets, [{ type: 'Immediate' }]);
  let after = await scrape();
  // The outcome is counted when its event is published (after the store commit): poll briefly.
  const commands = (kind, status) => `gridlane_commands_total{kind="${kind}",status="${status}"}`;
  for (let i = 0; i < 30 && sample(after, commands('reset', 'rejected')) === sample(before, commands('reset', 'rejected')); i++) {
    await sleep(100);
    after = await scrape();
  }
  const delta = (series) => sample(after, series) - sample(before, series);
  assert.equal(delta(commands('clear_cache', 'accepted')), 2);
  assert.equal(delta(commands('reset', 'rejected')), 1);
  const out = (action, result) =>
    `gridlane_ocpp_messages_total{version="ocpp2.0.1",direction="out",action="${action}",result="${result}"}`;
  assert.equal(delta(out('ClearCache', 'result')), 2);
  assert.equal(delta(out('Reset', 'result')), 1);
  assert.equal(delta('gridlane_ocpp_handling_seconds_count{direction="out",action="ClearCache"}'), 2);
  await cs.close();
});

test('JSON logs: every line is one object (UTC time, level, component, message), odd text escaped', async () => {
  const cs = server.client('METRICS-21', { protocols: ['ocpp2.1'] });
  await cs.connect();
  await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  // An OCPP 2.1 SEND of an unknown action is logged with its name: quotes, a backslash, a
  // newline, a control character and non-ASCII text must come out as one valid line.
  const odd = 'Odd"Name\\with\nnewline\u0001and é';
  const mark = server.stderr.length;
  cs.sendRaw(JSON.stringify([6, 'send-1', odd, {}]));
  let lines = [];
  for (let i = 0; i < 50; i++) {
    lines = server.stderr.slice(mark).split('\n').filter((l) => l.includes('SEND of unsupported action'));
    if (lines.length) break;
    await sleep(50);
  }
  assert.equal(lines.length, 1, server.stderr.slice(mark));
  const entry = JSON.parse(lines[0]);
  assert.equal(entry.component, 'ocpp');
  assert.equal(entry.level, 'warn');
  assert.equal(entry.station, 'METRICS-21');
  assert.equal(entry.message, `SEND of unsupported action ${odd} dropped`);
  await cs.close();

  const all = server.stderr.split('\n').filter((l) => l.length > 0);
  assert.ok(all.length >= 3, 'the server logged');
  for (const line of all) {
    const e = JSON.parse(line); // throws on a line that is not JSON
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
    assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'critical'].includes(e.level), line);
    assert.equal(typeof e.component, 'string');
    assert.equal(typeof e.message, 'string');
    assert.ok(Math.abs(Date.parse(e.time) - Date.now()) < 10 * 60 * 1000, `time is UTC now: ${e.time}`);
  }
  assert.ok(all.some((l) => JSON.parse(l).message.startsWith('OCPP endpoint ws://')));
});

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function getJson(port, urlPath) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        try { resolve(JSON.parse(text)); } catch (e) { reject(new Error(`${res.statusCode}: ${text}`)); }
      });
    }).on('error', reject);
  });
}

test('Debian\'s Prometheus scrapes /metrics with the token: target up, BootNotification count queried', async () => {
  let version;
  try {
    version = execFileSync('prometheus', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    assert.fail('prometheus is not installed (scripts/setup.sh installs Debian\'s package)');
  }
  assert.match(version, /prometheus, version/);
  const dir = tempDir();
  const port = await freePort();
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    '  - job_name: gridlane',
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Bearer',
    `      credentials: ${TOKEN}`,
    '    static_configs:',
    `      - targets: ['${server.address}']`,
    '',
  ].join('\n'));
  let log = '';
  const prom = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  prom.stdout.on('data', (d) => { log += d; });
  prom.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => prom.on('exit', resolve));
  try {
    // Known traffic first: four boots of one strict station.
    const cs = server.client('METRICS-PROM');
    await cs.connect();
    for (let i = 0; i < 4; i++) await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    await cs.close();
    const expected = sample(await scrape(), inbound('ocpp1.6', 'BootNotification', 'accepted'));
    assert.ok(expected >= 4);

    let target;
    for (let i = 0; i < 300; i++) {
      try {
        const targets = await getJson(port, '/api/v1/targets');
        target = targets.data.activeTargets.find((t) => t.labels.job === 'gridlane');
        if (target && target.health === 'up') break;
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    assert.ok(target, `prometheus lists the target\n${log}`);
    assert.equal(target.health, 'up', `${target.lastError}\n${log}`);
    assert.equal(target.scrapeUrl, `http://${server.address}/metrics`);

    const query = encodeURIComponent(
      'gridlane_ocpp_messages_total{version="ocpp1.6",direction="in",action="BootNotification",result="accepted"}');
    let value;
    for (let i = 0; i < 100; i++) {
      const res = await getJson(port, `/api/v1/query?query=${query}`);
      assert.equal(res.status, 'success');
      value = res.data.result.length ? Number(res.data.result[0].value[1]) : undefined;
      if (value === expected) break;
      await sleep(100);
    }
    assert.equal(value, expected, 'Prometheus holds the count the server reported');
    const up = await getJson(port, `/api/v1/query?query=${encodeURIComponent('up{job="gridlane"}')}`);
    assert.equal(up.data.result[0].value[1], '1');
  } finally {
    prom.kill('SIGTERM');
    const killer = setTimeout(() => prom.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('[metrics] enabled = false: /metrics is 404 (not the console), /ready still 200; text logs by default', async () => {
  const off = await startServer({ config: '[metrics]\nenabled = false\n' });
  try {
    const res = await off.request('GET', '/metrics');
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.text, /<html|gridlane_/i);
    assert.equal((await off.request('GET', '/ready')).status, 200);
    assert.match(off.stderr, /^\d{4}-\d\d-\d\dT\S+ info +\[gridlane\] /m);
  } finally {
    await off.stop();
  }
});

test('/ready answers 503 once shutdown has begun, while a station still holds the server open', async () => {
  const srv = await startServer();
  // A station that never reads the server's close frame keeps the drain going (up to 5 s).
  const ws = new WebSocket(`${srv.url}/READY-STUCK`, ['ocpp1.6']);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: srv.port, path: '/ready', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
  try {
    assert.equal(await get(), 200);
    ws._socket.pause(); // the close frame stays unread
    srv.proc.kill('SIGTERM');
    await sleep(300);
    assert.equal(await get(), 503, 'not ready while stopping');
  } finally {
    agent.destroy();
    ws.terminate();
    await srv.exited;
  }
});
