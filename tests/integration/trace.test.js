// The per-station OCPP trace: switched on and off at run time through the API (operators),
// every frame in and out of that station logged while on, nothing logged while off.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

let server;
let admin;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (method, path, opts = {}) => server.request(method, `/api/v1${path}`, { token: admin, ...opts });

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  admin = await server.adminToken();
});
after(() => server.stop());

async function login(username, role) {
  const password = 'a-long-password-1';
  assert.equal((await api('POST', '/users', { body: { username, password, role } })).status, 201);
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username, password } });
  assert.equal(res.status, 200, res.text);
  return res.body.token;
}

// The server's log lines that trace a frame of `station` (the log is the server's stderr).
function traced(station, from = 0) {
  const prefix = `[${station}] frame `;
  return server.stderr.slice(from).split('\n').filter((line) => line.includes(prefix));
}

// Waits (up to 3 s) until the log holds at least `n` traced frames of `station` after `from`.
async function waitTraced(station, n, from) {
  for (let i = 0; i < 60 && traced(station, from).length < n; i++) await sleep(50);
  return traced(station, from);
}

test('an operator turns a station\'s trace on: both frames of a Heartbeat are logged; off: no more', async () => {
  const operator = await login('olga', 'operator');
  const cs = server.client('TRACE-1');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const other = server.client('TRACE-2');
  await other.connect();
  await other.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });

  // Off by default, and nothing of the boot above was traced.
  const initial = await api('GET', '/stations/TRACE-1/trace');
  assert.equal(initial.status, 200, initial.text);
  assert.deepEqual(initial.body, { station_id: 'TRACE-1', enabled: false });
  assert.deepEqual(traced('TRACE-1'), []);

  const on = await api('PUT', '/stations/TRACE-1/trace', { token: operator, body: { enabled: true } });
  assert.equal(on.status, 200, on.text);
  assert.deepEqual(on.body, { station_id: 'TRACE-1', enabled: true });
  assert.equal((await api('GET', '/stations/TRACE-1/trace')).body.enabled, true);

  let mark = server.stderr.length;
  const beat = await cs.call('Heartbeat', {});
  await other.call('Heartbeat', {});
  let lines = await waitTraced('TRACE-1', 2, mark);
  assert.equal(lines.length, 2, lines.join('\n'));
  const [inbound, outbound] = lines;
  assert.match(inbound, /\sinfo\s+\[ocpp\] \[TRACE-1\] frame in: \[2,"[^"]+","Heartbeat",\{\}\]/);
  assert.match(outbound, /\sinfo\s+\[ocpp\] \[TRACE-1\] frame out: \[3,"[^"]+",\{"currentTime":"/);
  assert.ok(outbound.includes(beat.currentTime), 'the answer logged is the one the station got');
  assert.deepEqual(traced('TRACE-2', mark), [], 'another station is not traced');

  // The switch survives a reconnect while the server runs.
  await cs.close();
  const again = server.client('TRACE-1');
  await again.connect();
  mark = server.stderr.length;
  await again.call('Heartbeat', {});
  lines = await waitTraced('TRACE-1', 2, mark);
  assert.equal(lines.length, 2, 'still traced after reconnecting');

  const off = await api('PUT', '/stations/TRACE-1/trace', { token: operator, body: { enabled: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.enabled, false);
  mark = server.stderr.length;
  await again.call('Heartbeat', {});
  await again.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await sleep(300);
  assert.deepEqual(traced('TRACE-1', mark), [], 'no frame logged once off');

  // Audited like every other change.
  const audit = await api('GET', '/audit?limit=1000');
  const entries = audit.body.items.filter((e) => e.action === 'PUT /api/v1/stations/TRACE-1/trace' && e.actor === 'user:olga');
  assert.equal(entries.length, 2, 'on and off are both audited');
  assert.ok(entries.every((e) => e.status === 200 && e.target === 'TRACE-1'));
  await again.close();
  await other.close();
});

test('viewers may read the switch but not turn it; bad bodies and unknown stations are refused', async () => {
  const viewer = await login('vic', 'viewer');
  const cs = server.client('TRACE-3');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });

  const refused = await api('PUT', '/stations/TRACE-3/trace', { token: viewer, body: { enabled: true } });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers['content-type'], 'application/problem+json');
  const read = await api('GET', '/stations/TRACE-3/trace', { token: viewer });
  assert.equal(read.status, 200);
  assert.equal(read.body.enabled, false, 'the refused change did not happen');
  const mark = server.stderr.length;
  await cs.call('Heartbeat', {});
  await sleep(300);
  assert.deepEqual(traced('TRACE-3', mark), []);

  assert.equal((await api('PUT', '/stations/TRACE-3/trace', { token: null, body: { enabled: true } })).status, 401);
  assert.equal((await api('PUT', '/stations/TRACE-3/trace', { body: { enabled: 'yes' } })).status, 422);
  assert.equal((await api('PUT', '/stations/TRACE-3/trace', { body: { enabled: true, level: 'all' } })).status, 422);
  assert.equal((await api('PUT', '/stations/TRACE-3/trace', { raw: '{"enabled":' })).status, 400);
  assert.equal((await api('PUT', '/stations/NOPE-1/trace', { body: { enabled: true } })).status, 404);
  assert.equal((await api('GET', '/stations/NOPE-1/trace')).status, 404);
  const audit = await api('GET', '/audit?limit=1000');
  assert.ok(audit.body.items.some((e) => e.action === 'PUT /api/v1/stations/TRACE-3/trace' && e.actor === 'user:vic' && e.status === 403),
    'the refused change is audited');
  await cs.close();
});
