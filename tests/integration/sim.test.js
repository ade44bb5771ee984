// The fleet simulator and demo mode, against the real server.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const path = require('node:path');
const { startServer, tempDir, BIN } = require('./harness');

function run(args) {
  return new Promise((resolve) => execFile(BIN, args, { encoding: 'utf8', timeout: 60000 }, (err, stdout, stderr) =>
    resolve({ code: err ? err.code : 0, stdout, stderr })));
}

test('gridlane sim runs a mixed 1.6/2.0.1 fleet that boots, charges and stops by itself', async (t) => {
  const server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  const started = Date.now();
  const res = await run(['sim', '--url', `${server.url}`, '--stations', '12', '--duration', '6', '--sessions-per-hour', '1800',
    '--session-length', '2', '--meter-interval', '1', '--heartbeat-interval', '2', '--seed', '7']);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.ok(Date.now() - started < 15000, 'bounded in time');
  assert.match(res.stdout, /connects 12 \(failed 0\), boots accepted 12/);
  assert.match(res.stdout, /call round trip p50 [\d.]+ ms, p99 [\d.]+ ms/);
  const stations = server.adminJson('stations');
  assert.equal(stations.length, 12);
  assert.deepEqual([...new Set(stations.map((s) => s.protocol))].sort(), ['ocpp1.6', 'ocpp2.0.1']);
  const txs = server.adminJson('transactions');
  assert.ok(txs.filter((x) => x.state === 'Ended').length >= 5, `sessions completed (${txs.length})`);
  assert.ok(txs.some((x) => x.energy_wh > 0 && x.meter_values.length > 0), 'with meter values and energy');
  assert.ok(txs.some((x) => x.protocol === 'ocpp2.0.1' && x.state === 'Ended'));
});

test('simulated stations answer the CSMS: a remote start through the API starts a session', async (t) => {
  const server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  server.admin('user', 'add', 'ops', '--role', 'operator', '--password', 'operator-password');
  const sim = spawn(BIN, ['sim', '--url', server.url, '--stations', '2', '--share-16', '0.5', '--duration', '8', '--seed', '3',
    '--sessions-per-hour', '0', '--prefix', 'RS-'], { stdio: 'ignore' });
  t.after(() => sim.kill());
  const http = require('node:http');
  const call = (method, p, token, body) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: `/api/v1${p}`,
      headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = ''; res.on('data', (d) => { text += d; }); res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text || 'null') }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
  const { body: { token } } = await call('POST', '/auth/login', null, { username: 'ops', password: 'operator-password' });
  // Wait for both to connect.
  for (let i = 0; i < 50; i++) {
    const list = await call('GET', '/stations?connected=true', token);
    if (list.body.items.length === 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const id of ['RS-00001', 'RS-00002']) {
    const res = await call('POST', `/stations/${id}/commands?wait=10`, token, { kind: 'start_transaction', params: { id_tag: 'REMOTE-1', connector_id: 1, evse_id: 1 } });
    assert.equal(res.body.status, 'accepted', JSON.stringify(res.body));
    assert.ok(Number.isInteger(res.body.transaction_id), `${id}: the started transaction id`);
    const stop = await call('POST', `/stations/${id}/commands?wait=10`, token, { kind: 'stop_transaction', params: { transaction_id: res.body.transaction_id } });
    assert.equal(stop.body.status, 'accepted');
  }
  await new Promise((r) => setTimeout(r, 500));
  const txs = server.adminJson('transactions');
  assert.equal(txs.filter((x) => x.id_tag === 'REMOTE-1' && x.state === 'Ended').length, 2);
  assert.ok(txs.every((x) => x.stop_reason === 'Remote'));
});

test('gridlane demo shows live stations and sessions within seconds, and stops cleanly', async () => {
  const dir = tempDir();
  const demo = spawn(BIN, ['--db', path.join(dir, 'demo.db'), 'demo', '--listen', '127.0.0.1:0', '--stations', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => demo.on('exit', (code) => resolve(code)));
  const address = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('demo did not start')), 15000);
    demo.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (\S+)/); if (m) { clearTimeout(timer); resolve(m[1]); } });
  });
  const health = async () => new Promise((resolve) => require('node:http').get(`http://${address}/health`, (res) => {
    let text = ''; res.on('data', (d) => { text += d; }); res.on('end', () => resolve(JSON.parse(text)));
  }));
  let connected = 0;
  for (let i = 0; i < 100 && connected < 20; i++) {
    connected = (await health()).stations;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(connected, 20, 'twenty stations connected within seconds');
  demo.kill('SIGTERM');
  assert.equal(await exited, 0);
  const stations = JSON.parse(await new Promise((resolve) => execFile(BIN, ['--db', path.join(dir, 'demo.db'), 'admin', 'stations', '--json'],
    (err, stdout) => resolve(stdout))));
  assert.equal(stations.length, 20);
  assert.deepEqual([...new Set(stations.map((s) => s.site))].sort(), ['Depot North', 'Mall']);
});

function field(text, re) {
  const m = text.match(re);
  assert.ok(m, `${re} in:\n${text}`);
  return Number(m[1]);
}

test('gridlane sim --rate offers an open-loop load and reports its rate, latency and the CSMS CPU over the window', async (t) => {
  const server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  const res = await run(['sim', '--url', server.url, '--stations', '10', '--rate', '200', '--warmup', '2', '--window', '3',
    '--duration', '6', '--cpu-of', String(server.proc.pid), '--seed', '5']);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  const sent = field(res.stdout, /load window 3 s: sent (\d+)/);
  const answered = field(res.stdout, /answered in the window (\d+)/);
  assert.ok(sent >= 570 && sent <= 630, `about 200/s for 3 s: ${sent}`);
  assert.ok(answered >= sent - 20, `answered ${answered} of ${sent}`);
  assert.equal(field(res.stdout, /failed (\d+)/), 0);
  const achieved = field(res.stdout, /achieved ([\d.]+) messages\/s/);
  assert.ok(achieved > 180 && achieved < 220, `achieved ${achieved}`);
  assert.ok(field(res.stdout, /p99\.9 ([\d.]+) ms/) >= field(res.stdout, /intended send: p50 ([\d.]+) ms/));
  assert.ok(field(res.stdout, /csms cpu in the window ([\d.]+) s/) > 0, 'the server did work');
  field(res.stdout, /simulator cpu in the window ([\d.]+) s/);
  // What was offered is what the server stored: mostly meter values, in transactions.
  const txs = server.adminJson('transactions');
  const readings = txs.reduce((n, x) => n + x.meter_values.length, 0);
  assert.ok(readings > 300, `meter samples stored: ${readings}`);
});

test('open-loop latency counts from the intended send time: a CSMS that falls behind cannot hide it', async (t) => {
  // A deliberately slow CSMS: answers each CALL 100 ms late, so one station offered 20
  // messages/s gets at most 10/s through and its backlog grows.
  const { WebSocketServer } = require('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
  t.after(() => wss.close());
  await new Promise((r) => wss.on('listening', r));
  const answers = {
    BootNotification: () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }),
    Heartbeat: () => ({ currentTime: new Date().toISOString() }),
    StartTransaction: () => ({ transactionId: 1, idTagInfo: { status: 'Accepted' } }),
    Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
    StopTransaction: () => ({}),
  };
  wss.on('connection', (ws) => ws.on('message', (data) => {
    const [, id, action] = JSON.parse(data.toString());
    const answer = (answers[action] || (() => ({})))();
    setTimeout(() => ws.send(JSON.stringify([3, id, answer])), action === 'BootNotification' ? 0 : 100);
  }));
  const url = `ws://127.0.0.1:${wss.address().port}/ocpp`;
  const res = await run(['sim', '--url', url, '--stations', '1', '--share-16', '1', '--rate', '20', '--warmup', '2',
    '--window', '3', '--duration', '6']);
  const roundTrip = field(res.stdout, /call round trip p50 ([\d.]+) ms/);
  const fromIntended = field(res.stdout, /intended send: p50 [\d.]+ ms, p99 ([\d.]+) ms/);
  assert.ok(roundTrip >= 100 && roundTrip < 400, `each call takes ~100 ms: ${roundTrip}`);
  assert.ok(fromIntended > 1000, `the backlog shows in the latency: p99 ${fromIntended} ms`);
  const achieved = field(res.stdout, /achieved ([\d.]+) messages\/s/);
  assert.ok(achieved < 12, `at most ~10/s get through: ${achieved}`);
});

test('gridlane sim --storm-after drops every station at once; all reconnect, boot and report', async (t) => {
  const server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  const res = await run(['sim', '--url', server.url, '--stations', '30', '--storm-after', '1', '--duration', '5',
    '--sessions-per-hour', '0', '--faults-per-hour', '0', '--prefix', 'STORM-']);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /all 30 stations up after [\d.]+ s/);
  assert.match(res.stdout, /\[sim\] storm: dropping every connection at once/);
  assert.match(res.stdout, /storm: 30 of 30 stations back and reporting after [\d.]+ s/);
  assert.match(res.stdout, /connects 60 \(failed 0\), boots accepted 60/);
});
