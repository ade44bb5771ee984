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
