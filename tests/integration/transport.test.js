// WebSocket transport behaviour: keepalive pings, idle timeout, permessage-deflate, configuration.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const WebSocket = require('ws');
const { startServer, tempDir, BIN } = require('./harness');

test('a quiet connection is pinged, and a dead one is closed after the idle timeout', async (t) => {
  const server = await startServer({ config: '[ocpp]\nidle_timeout_s = 2\n' });
  t.after(() => server.stop());

  // A live client answers pings (ws does so by itself) and stays connected.
  const ws = new WebSocket(`${server.url}/CS-ALIVE`, ['ocpp1.6']);
  let pings = 0;
  ws.on('ping', () => pings++);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });

  // A dead peer: completes the handshake, then never reads or answers anything.
  const dead = await new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: '/ocpp/CS-DEAD', headers: {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': Buffer.from('fedcba9876543210').toString('base64'), 'Sec-WebSocket-Protocol': 'ocpp1.6' } });
    req.on('upgrade', (res, socket) => resolve(socket));
    req.on('error', reject);
    req.end();
  });
  const started = Date.now();
  const deadClosed = new Promise((resolve) => dead.on('close', () => resolve(Date.now() - started)));
  dead.resume();
  const closedAfter = await deadClosed;
  assert.ok(closedAfter >= 1500 && closedAfter < 6000, `dead peer closed after ${closedAfter} ms`);

  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(pings >= 1, 'the quiet live client was pinged');
  assert.equal(ws.readyState, WebSocket.OPEN, 'the live client is still connected');
  ws.close();
});

test('permessage-deflate is negotiated and compressed frames are understood', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const ws = new WebSocket(`${server.url}/CS-DEFLATE`, ['ocpp1.6'], { perMessageDeflate: { threshold: 0 } });
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  assert.match(ws.extensions, /permessage-deflate/);
  const answer = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
  ws.send(JSON.stringify([2, 'z1', 'BootNotification', { chargePointVendor: 'V'.repeat(20), chargePointModel: 'M' }]));
  const res = await answer;
  assert.equal(res[0], 3);
  assert.equal(res[2].status, 'Accepted');
  ws.close();
});

test('a bad configuration is refused with a clear message', () => {
  const dir = tempDir();
  const file = path.join(dir, 'bad.toml');
  fs.writeFileSync(file, '[ocpp]\nheartbeat_intervall_s = 10\n');
  let failure;
  try {
    execFileSync(BIN, ['--db', path.join(dir, 'x.db'), '--config', file, 'serve', '--listen', '127.0.0.1:0'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    failure = e;
  }
  assert.ok(failure, 'the server refuses to start');
  assert.equal(failure.status, 1);
  assert.match(failure.stderr, /unknown key ocpp\.heartbeat_intervall_s/);
});

test('the status history keeps every change with its timestamps', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const cs = server.client('CS-HIST');
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  for (const status of ['Available', 'Preparing', 'Charging', 'Finishing', 'Available'])
    await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status, timestamp: '2026-02-02T02:02:02.000Z' });
  await cs.call('StatusNotification', { connectorId: 2, errorCode: 'GroundFailure', status: 'Faulted', vendorErrorCode: 'GF-7' });
  const shown = server.adminJson('station', 'show', 'CS-HIST');
  assert.deepEqual(shown.status_history.filter((h) => h.connector_id === 1).map((h) => h.status),
    ['Available', 'Preparing', 'Charging', 'Finishing', 'Available']);
  for (const h of shown.status_history) assert.ok(h.received_at);
  assert.equal(shown.status_history[0].station_time, '2026-02-02T02:02:02.000Z');
  const c2 = shown.connectors.find((c) => c.connector_id === 2);
  assert.equal(c2.status, 'Faulted');
  assert.equal(c2.error_code, 'GroundFailure');
  assert.equal(c2.vendor_error_code, 'GF-7');
});
