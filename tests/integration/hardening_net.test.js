// Issue 9, the transport and session boundary: hostile frames, identities, subprotocols,
// binary frames, event streams that outlive their credentials, unbounded lists and audit rows,
// and connections of one station racing on several network threads. Each case is triggered
// as a station or API client would, asserts the refusal, then that the server is healthy.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const WebSocket = require('ws');
const { startServer, rawExchange, now, until } = require('./harness');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


// A raw WebSocket handshake: { status, protocol, closeCode } (the close frame sent right after 101).
function handshake(server, rawPath, { protocols = 'ocpp1.6' } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
    };
    if (protocols) headers['Sec-WebSocket-Protocol'] = protocols;
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, headers });
    req.on('upgrade', (res, socket, head) => {
      const result = { status: res.statusCode, protocol: res.headers['sec-websocket-protocol'] };
      const readClose = (buf) => { result.closeCode = buf.readUInt16BE(2); socket.destroy(); resolve(result); };
      if (head && head.length >= 4) return readClose(head);
      socket.once('data', readClose);
      setTimeout(() => { socket.destroy(); resolve(result); }, 2000);
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

// An SSE consumer of /api/v1/events: its collected text, and `ended` resolving when the server ends it.
function eventStream(server, credential) {
  const stream = { text: '', status: undefined };
  stream.ended = new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/v1/events',
      headers: { Authorization: `Bearer ${credential}` } }, (res) => {
      stream.status = res.statusCode;
      res.on('data', (d) => { stream.text += d; });
      res.on('end', () => resolve(Date.now()));
      res.on('error', () => resolve(Date.now()));
    });
    req.on('error', reject);
    stream.destroy = () => req.destroy();
  });
  return stream;
}

async function login(server, username, password) {
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username, password } });
  assert.equal(res.status, 200, res.text);
  return res.body.token;
}

test('item 1: a message type beyond int64 is answered, the read loop lives, the server stops at once', { timeout: 120000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const token = await server.adminToken();

  const cs = server.client('HUGE-TYPE-1');
  cs.on('badMessage', () => {});
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const answer = await rawExchange(cs, '[18446744073709551615,"x","Heartbeat",{}]', 'x');
  assert.deepEqual(answer.slice(0, 3), [4, 'x', 'ProtocolError']);
  assert.match(answer[3], /18446744073709551615/);
  // Repeated, it costs nothing: the session answers each and keeps reading.
  for (let i = 0; i < 50; i++) await rawExchange(cs, `[18446744073709551615,"r${i}","Heartbeat",{}]`, `r${i}`);
  assert.ok((await cs.call('Heartbeat', {})).currentTime, 'the same connection is still served');
  const shown = await server.request('GET', '/api/v1/stations/HUGE-TYPE-1', { token });
  assert.equal(shown.body.connected, true);

  // 2.0.1 spells the refusal MessageTypeNotSupported.
  const cs2 = server.client('HUGE-TYPE-2', { protocols: ['ocpp2.0.1'] });
  cs2.on('badMessage', () => {});
  await cs2.connect();
  const answer2 = await rawExchange(cs2, '[18446744073709551615,"y","Heartbeat",{}]', 'y');
  assert.deepEqual(answer2.slice(0, 3), [4, 'y', 'MessageTypeNotSupported']);
  await cs2.close();

  // The station can leave and come back, and the API follows.
  await cs.close();
  await until('HUGE-TYPE-1 disconnected', async () =>
    (await server.request('GET', '/api/v1/stations/HUGE-TYPE-1', { token })).body.connected === false);
  const again = server.client('HUGE-TYPE-1');
  again.on('badMessage', () => {});
  await again.connect();
  assert.equal((await again.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status, 'Accepted');
  await until('HUGE-TYPE-1 connected', async () =>
    (await server.request('GET', '/api/v1/stations/HUGE-TYPE-1', { token })).body.connected === true);
  await again.close();

  await server.assertHealthy(assert, { fdBaseline });

  // A station that sent the frame is still connected at SIGTERM: shutdown does not wait 5 s for it.
  const last = server.client('HUGE-TYPE-3');
  last.on('badMessage', () => {});
  await last.connect();
  await rawExchange(last, '[18446744073709551615,"z","Heartbeat",{}]', 'z');
  const started = Date.now();
  const exit = await server.stop('SIGTERM');
  const took = Date.now() - started;
  assert.equal(exit.code, 0, `clean exit (${JSON.stringify(exit)})`);
  assert.ok(took < 1500, `stopped in ${took} ms`);
});

test('item 8: event streams end on logout, API-key revocation, expiry and role change', { timeout: 120000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const admin = await server.adminToken();
  const control = eventStream(server, admin);
  t.after(() => control.destroy());

  server.admin('user', 'add', 'ev-logout', '--role', 'viewer', '--password', 'event stream password 1');
  server.admin('user', 'add', 'ev-expire', '--role', 'viewer', '--password', 'event stream password 2');
  server.admin('user', 'add', 'ev-role', '--role', 'operator', '--password', 'event stream password 3');
  const loggedOut = await login(server, 'ev-logout', 'event stream password 1');
  const expiring = await login(server, 'ev-expire', 'event stream password 2');
  const demoted = await login(server, 'ev-role', 'event stream password 3');
  const created = await server.request('POST', '/api/v1/api-keys', { token: admin, body: { name: 'ev-key', role: 'viewer' } });
  assert.equal(created.status, 201, created.text);

  const streams = {
    logout: eventStream(server, loggedOut),
    revoked: eventStream(server, created.body.key),
    expired: eventStream(server, expiring),
    role: eventStream(server, demoted),
  };
  await until('all streams open', async () => Object.values(streams).every((s) => s.text.includes(': connected')));
  for (const s of Object.values(streams)) assert.equal(s.status, 200);

  const changed = Date.now();
  assert.equal((await server.request('POST', '/api/v1/auth/logout', { token: loggedOut })).status, 204);
  assert.equal((await server.request('DELETE', `/api/v1/api-keys/${created.body.id}`, { token: admin })).status, 204);
  // Expiry and a role change have no API of their own: made in the database, as time and an
  // administrator with the admin CLI would.
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.db,
    "UPDATE sessions SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'ev-expire');" +
    "UPDATE users SET role = 'viewer' WHERE username = 'ev-role';"]);

  for (const [why, s] of Object.entries(streams)) {
    const endedAt = await Promise.race([s.ended, sleep(9000).then(() => undefined)]);
    assert.ok(endedAt, `the ${why} stream ended`);
    assert.ok(endedAt - changed < 8000, `the ${why} stream ended within 8 s (${endedAt - changed} ms)`);
    assert.match(s.text, /event: end\ndata: \{"reason":"credentials no longer valid"\}/, why);
  }
  // The credentials themselves are refused for a new stream, and a valid one still streams.
  assert.equal((await server.request('GET', '/api/v1/events', { token: loggedOut })).status, 401);
  const cs = server.client('EV-STATION');
  await cs.connect();
  await until('the control stream to see the station', async () => control.text.includes('"station_id":"EV-STATION"'));
  await cs.close();
  control.destroy();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 9: identities must be identifierString, refused at the handshake, nothing stored', { timeout: 120000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const token = await server.adminToken();
  for (const path of ['/ocpp/%FF%FE', '/ocpp/M%C3%BCller', '/ocpp/a%22b', '/ocpp/%00', '/ocpp/' + 'x'.repeat(49)]) {
    const res = await handshake(server, path);
    assert.equal(res.status, 400, path);
    assert.match(res.text, /identity/);
  }
  assert.equal((await handshake(server, '/ocpp/RDAM%20123')).status, 101, 'the OCPP-J example identity is fine');
  const stations = await server.request('GET', '/api/v1/stations?limit=1000', { token });
  // (HEALTH-* are the health check's own stations)
  assert.deepEqual(stations.body.items.map((s) => s.id).filter((id) => !id.startsWith('HEALTH-')), ['RDAM 123']);
  // The API refuses such an identity too.
  const created = await server.request('POST', '/api/v1/stations', { token, body: { id: 'M\u00fcller' } });
  assert.ok([400, 422].includes(created.status), created.text);
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 9: a client without an OCPP subprotocol is refused before anything is stored', { timeout: 120000 }, async (t) => {
  const server = await startServer(); // unknown stations: accept (would register on admission)
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const token = await server.adminToken();
  const wrong = await handshake(server, '/ocpp/NOPROTO-1', { protocols: 'ocpp0.9' });
  assert.equal(wrong.status, 101);
  assert.equal(wrong.protocol, undefined);
  assert.equal(wrong.closeCode, 1002);
  const none = await handshake(server, '/ocpp/NOPROTO-2', { protocols: null });
  assert.equal(none.status, 101);
  assert.equal(none.closeCode, 1002);
  for (const id of ['NOPROTO-1', 'NOPROTO-2'])
    assert.equal((await server.request('GET', `/api/v1/stations/${id}`, { token })).status, 404, `${id} not stored`);
  assert.deepEqual(server.adminJson('stations').map((s) => s.id).filter((id) => !id.startsWith('HEALTH-')), [],
    'nothing but the health check\'s station stored');
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 9: anonymous requests write bounded audit rows', { timeout: 120000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const long = 'A'.repeat(7000);
  for (let i = 0; i < 5; i++) {
    assert.equal((await server.request('POST', `/api/v1/stations/${long}/commands`, { body: { kind: 'reset' } })).status, 401);
    assert.equal((await server.request('DELETE', `/api/v1/${long}%FF`)).status, 404);
    const res = await server.request('POST', '/api/v1/auth/login', { body: { username: 'u'.repeat(60000), password: 'x' } });
    assert.equal(res.status, 401);
  }
  const token = await server.adminToken();
  const audit = await server.request('GET', '/api/v1/audit?limit=1000', { token });
  assert.equal(audit.status, 200);
  const anonymous = audit.body.items.filter((e) => e.actor !== 'harness-admin' && e.status !== 200 && e.status !== 0);
  assert.equal(anonymous.length, 15, JSON.stringify(anonymous.map((e) => [e.action, e.status])));
  for (const e of anonymous) {
    const size = JSON.stringify(e).length;
    assert.ok(size < 600, `audit row of ${size} bytes: ${JSON.stringify(e).slice(0, 200)}`);
  }
  assert.ok(anonymous.some((e) => e.action === 'POST /api/v1/stations/{id}/commands'), 'recorded by route');
  assert.ok(anonymous.some((e) => e.action === 'DELETE (no such route)'));
  const rows = execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.db,
    "SELECT max(length(actor) + length(action) + coalesce(length(target), 0) + coalesce(length(remote), 0)) FROM audit_log"],
  { encoding: 'utf8' });
  assert.ok(Number(rows) < 500, `largest audit row ${rows.trim()} bytes`);
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 9: every list pages, the station events included', { timeout: 120000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const token = await server.adminToken();
  const cs = server.client('EVENTS-1');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  for (let i = 0; i < 230; i++) await cs.call('SecurityEventNotification', { type: `Event${i}`, timestamp: now() });
  await cs.close();
  const first = await server.request('GET', '/api/v1/stations/EVENTS-1/events', { token });
  assert.equal(first.status, 200);
  assert.equal(first.body.messages.length, 100, 'default limit');
  assert.equal(first.body.next_offset, 100);
  const seen = [];
  for (let offset = 0; offset !== null;) {
    const page = await server.request('GET', `/api/v1/stations/EVENTS-1/events?kind=SecurityEventNotification&limit=60&offset=${offset}`, { token });
    assert.equal(page.status, 200);
    seen.push(...page.body.messages.map((m) => m.payload.type));
    offset = page.body.next_offset;
  }
  assert.equal(seen.length, 230);
  assert.equal(new Set(seen).size, 230);
  assert.equal(seen[0], 'Event0');
  assert.equal((await server.request('GET', '/api/v1/stations/EVENTS-1/events?limit=1001', { token })).status, 400);
  const other = await server.request('GET', '/api/v1/stations/EVENTS-1/events?kind=Nothing', { token });
  assert.deepEqual(other.body.messages, []);
  assert.equal(other.body.next_offset, null);

  server.admin('user', 'add', 'pager-2', '--role', 'viewer', '--password', 'pager password two');
  for (const list of ['/stations', '/transactions', '/id-tokens', '/audit', '/users', '/api-keys',
    '/stations/EVENTS-1/commands', '/stations/EVENTS-1/status-history']) {
    const page = await server.request('GET', `/api/v1${list}?limit=1`, { token });
    assert.equal(page.status, 200, list);
    assert.equal(page.body.limit, 1, list);
    assert.ok('next_offset' in page.body, list);
    assert.ok(page.body.items.length <= 1, list);
    assert.equal((await server.request('GET', `/api/v1${list}?limit=5000`, { token })).status, 400, list);
  }
  const users = await server.request('GET', '/api/v1/users?limit=1&offset=1', { token });
  assert.equal(users.body.items.length, 1);
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 10: simultaneous connections under one id on 4 network threads leave exactly the live one registered', { timeout: 120000 }, async (t) => {
  const server = await startServer({ config: '[server]\nthreads = 4\n' });
  t.after(() => server.stop());
  const token = await server.adminToken();
  // The first command waiting for its answer creates the timer machinery of the server's
  // blocking pool (three descriptors, once): warm it up before taking the baseline.
  const warm = server.client('WARM-UP');
  warm.handle('ClearCache', () => ({ status: 'Accepted' }));
  await warm.connect();
  const warmed = await server.request('POST', '/api/v1/stations/WARM-UP/commands?wait=5', { token, body: { kind: 'clear_cache' } });
  assert.equal(warmed.body.status, 'accepted');
  await warm.close();
  await until('WARM-UP gone', async () => (await server.request('GET', '/health')).body.stations === 0);
  const fdBaseline = await server.fdBaseline(assert);
  const rounds = 20;
  const perRound = 10;
  let previous = [];
  for (let round = 0; round < rounds; round++) {
    const clients = [];
    for (let i = 0; i < perRound; i++) {
      const cs = server.client('RACE-1');
      cs.received = 0;
      cs.handle('ClearCache', () => { cs.received++; return { status: 'Accepted' }; });
      cs.isOpen = false;
      cs.on('open', () => { cs.isOpen = true; });
      cs.on('close', () => { cs.isOpen = false; });
      clients.push(cs);
    }
    const results = await Promise.allSettled(clients.map((cs) => cs.connect()));
    assert.ok(results.some((r) => r.status === 'fulfilled'), `round ${round}: some connected`);
    const all = previous.concat(clients);
    const open = await until(`round ${round}: one connection left`, async () => {
      const o = all.filter((cs) => cs.isOpen);
      return o.length === 1 ? o : undefined;
    });
    const health = await server.request('GET', '/health');
    assert.equal(health.body.stations, 1, `round ${round}: one registered`);
    const shown = await server.request('GET', '/api/v1/stations/RACE-1', { token });
    assert.equal(shown.body.connected, true, `round ${round}: the API says connected`);
    const cmd = await server.request('POST', '/api/v1/stations/RACE-1/commands?wait=5', { token, body: { kind: 'clear_cache' } });
    assert.equal(cmd.status, 200, cmd.text);
    assert.equal(cmd.body.status, 'accepted', `round ${round}: ${JSON.stringify(cmd.body)}`);
    assert.equal(open[0].received, 1, `round ${round}: the live connection got the command`);
    previous = open;
  }
  await previous[0].close();
  await until('no station left', async () => (await server.request('GET', '/health')).body.stations === 0);
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 11: a binary frame closes the connection with 1003', { timeout: 120000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const token = await server.adminToken();
  const ws = new WebSocket(`${server.url}/BINARY-1`, ['ocpp1.6']);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  const answers = [];
  ws.on('message', (m) => answers.push(m.toString()));
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  ws.send(Buffer.from(JSON.stringify([2, 'b1', 'Heartbeat', {}])), { binary: true });
  assert.equal(await Promise.race([closed, sleep(5000).then(() => 'still open after 5 s')]), 1003);
  assert.deepEqual(answers, [], 'the binary frame was not processed');
  await until('BINARY-1 disconnected', async () =>
    (await server.request('GET', '/api/v1/stations/BINARY-1', { token })).body.connected === false);
  const cs = server.client('BINARY-1');
  await cs.connect();
  assert.ok((await cs.call('Heartbeat', {})).currentTime, 'text frames are served');
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('SIGTERM while an operator waits for a command: the wait is answered or closed, the server exits 0', { timeout: 60000 }, async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const token = await server.adminToken();
  const cs = server.client('SILENT-1');
  let asked;
  const called = new Promise((resolve) => { asked = resolve; });
  cs.handle('ClearCache', () => { asked(); return new Promise(() => {}); }); // never answers
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  // The wait is held by the command service and its timer, outside the network layer.
  const waiting = server.request('POST', '/api/v1/stations/SILENT-1/commands?wait=30',
    { token, body: { kind: 'clear_cache' } }).then((r) => r.status, (e) => e.code || 'closed');
  await called;
  await sleep(200);
  const started = Date.now();
  const exit = await server.stop('SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null }, `clean exit: ${server.stderr.slice(-2000)}`);
  assert.ok(Date.now() - started < 10000, 'the pending wait does not hold the shutdown');
  // Answered, or its connection closed by the exiting server: either way it does not hang.
  const outcome = await Promise.race([waiting, sleep(5000).then(() => 'still waiting')]);
  assert.notEqual(outcome, 'still waiting', 'the waiting request ended with the server');
  cs.close({ force: true }).catch(() => {}); // the server is gone; the client's own close may fail
});
