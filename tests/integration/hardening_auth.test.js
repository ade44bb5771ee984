// Credentials and admin changes under hostile use: an admin request that used to abort the
// process, login and station Basic-auth throttling, password hashing that must not hold up
// station handshakes, and operator changes that reach live connections at once.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer, now } = require('./harness');

// A raw WebSocket handshake: { status, retryAfter } for a refusal, status 101 otherwise.
function handshake(server, identity, { auth, protocols = 'ocpp1.6' } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
      'Sec-WebSocket-Protocol': protocols,
    };
    if (auth) headers.Authorization = 'Basic ' + Buffer.from(auth).toString('base64');
    const req = http.request({ host: '127.0.0.1', port: server.port, path: `/ocpp/${identity}`, headers, agent: false });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve({ status: res.statusCode }); });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] });
    });
    req.on('error', reject);
    req.end();
  });
}

// Resolves with { code, reason } when the client's connection closes.
function closed(client) {
  return new Promise((resolve) => client.once('close', ({ code, reason }) => resolve({ code, reason: String(reason) })));
}

const boot = (cs) => cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });

test('PUT /stations/BAD:ID/password is refused with 404 and the server lives on', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const token = await server.adminToken();
  const fdBaseline = server.fdCount();
  // Before: the id was checked on the password-hashing thread, where the thrown refusal ended
  // the process ("terminate called").
  for (const id of ['BAD:ID', 'BAD%3AID', 'x'.repeat(49)]) {
    const res = await server.request('PUT', `/api/v1/stations/${id}/password`, { token, body: { password: 'sixteen-chars-pw' } });
    assert.equal(res.status, 404, `${id}: ${res.text}`);
    assert.equal(res.body.detail, 'no such station');
  }
  const unknown = await server.request('PUT', '/api/v1/stations/NOBODY/password', { token, body: { password: 'sixteen-chars-pw' } });
  assert.equal(unknown.status, 404);
  assert.equal(server.proc.exitCode, null, 'the server is still running');
  await server.assertHealthy(assert, { fdBaseline });
});

test('11 wrong logins: 429 with Retry-After, audited, the right password refused too, another user unaffected', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const token = await server.adminToken();
  server.admin('user', 'add', 'victim', '--role', 'viewer', '--password', 'victim-password-1');
  server.admin('user', 'add', 'bystander', '--role', 'viewer', '--password', 'bystander-password-1');
  const fdBaseline = server.fdCount();
  const login = (username, password) => server.request('POST', '/api/v1/auth/login', { body: { username, password } });

  for (let i = 1; i <= 10; i++) assert.equal((await login('victim', `guess-${i}`)).status, 401, `guess ${i}`);
  const locked = await login('victim', 'guess-11');
  assert.equal(locked.status, 429);
  const retryAfter = Number(locked.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${locked.headers['retry-after']}`);
  assert.equal(locked.headers['content-type'], 'application/problem+json');
  // While locked, even the right password is refused: the lock does not reveal it.
  assert.equal((await login('victim', 'victim-password-1')).status, 429);
  // Another user from the same address logs in.
  assert.equal((await login('bystander', 'bystander-password-1')).status, 200);

  const audit = await server.request('GET', '/api/v1/audit?limit=100', { token });
  const refusals = audit.body.items.filter((e) => e.action === 'POST /api/v1/auth/login' && e.status === 429);
  assert.equal(refusals.length, 2);
  assert.ok(refusals.every((e) => e.actor === 'user:victim' && e.remote === '127.0.0.1'));
  assert.equal(audit.body.items.filter((e) => e.actor === 'user:victim' && e.status === 401).length, 10);
  await server.assertHealthy(assert, { fdBaseline });
});

test('a station\'s wrong Basic-auth passwords are throttled per station id; other stations unaffected', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('station', 'add', 'PW-GUESSED', '--password', 'correct-horse-battery');
  server.admin('station', 'add', 'PW-OTHER', '--password', 'other-horse-battery');
  await server.adminToken();
  const fdBaseline = server.fdCount();

  for (let i = 1; i <= 10; i++) {
    assert.equal((await handshake(server, 'PW-GUESSED', { auth: `PW-GUESSED:wrong-password-${i}` })).status, 401, `guess ${i}`);
  }
  const locked = await handshake(server, 'PW-GUESSED', { auth: 'PW-GUESSED:wrong-password-11' });
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.retryAfter) >= 1 && Number(locked.retryAfter) <= 60, `Retry-After ${locked.retryAfter}`);
  assert.equal((await handshake(server, 'PW-GUESSED', { auth: 'PW-GUESSED:correct-horse-battery' })).status, 429);
  // Another station from the same address connects with its password.
  const other = server.client('PW-OTHER', { password: 'other-horse-battery' });
  await other.connect();
  assert.equal((await boot(other)).status, 'Accepted');
  await other.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('a password station\'s handshake completes while many logins hammer the API', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('user', 'add', 'busy', '--role', 'viewer', '--password', 'busy-password-1');
  server.admin('station', 'add', 'PW-PROMPT', '--password', 'correct-horse-battery');
  await server.adminToken();
  const fdBaseline = server.fdCount();

  // Right passwords, so that every login needs a hash and none is throttled.
  const statuses = new Map();
  let missingRetryAfter = 0;
  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
  const loop = async () => {
    while (running) {
      const res = await new Promise((resolve, reject) => {
        const body = JSON.stringify({ username: 'busy', password: 'busy-password-1' });
        const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/auth/login', agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          r.resume();
          r.on('end', () => resolve(r));
        });
        req.on('error', reject);
        req.end(body);
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) || 0) + 1);
      if (res.statusCode === 503 && !res.headers['retry-after']) missingRetryAfter++;
    }
  };
  const loops = Array.from({ length: 100 }, loop);
  t.after(() => { running = false; agent.destroy(); });
  await new Promise((r) => setTimeout(r, 1000)); // the hashing queue is full by now

  const started = Date.now();
  const cs = server.client('PW-PROMPT', { password: 'correct-horse-battery' });
  await cs.connect();
  const handshakeMs = Date.now() - started;
  assert.equal((await boot(cs)).status, 'Accepted');
  await cs.close();
  running = false;
  await Promise.all(loops);
  agent.destroy();
  t.diagnostic(`handshake under load: ${handshakeMs} ms; login answers: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(handshakeMs < 5000, `handshake took ${handshakeMs} ms`);
  assert.deepEqual([...statuses.keys()].filter((s) => s !== 200 && s !== 503), [], 'logins answered 200 or 503');
  assert.ok(statuses.get(200) > 0, 'logins still succeed');
  assert.ok(statuses.get(503) > 0, 'the hashing queue is bounded: the excess is refused at once');
  assert.equal(missingRetryAfter, 0, 'every 503 carries Retry-After');
  await server.assertHealthy(assert, { fdBaseline });
});

test('disabling a station closes its live connection with 1008; it cannot start a transaction', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const token = await server.adminToken();
  server.admin('token', 'add', 'TAG-D');
  const fdBaseline = server.fdCount();
  const cs = server.client('LIVE-DISABLED');
  await cs.connect();
  assert.equal((await boot(cs)).status, 'Accepted');
  const gone = closed(cs);
  const res = await server.request('POST', '/api/v1/stations/LIVE-DISABLED/disable', { token });
  assert.equal(res.status, 200);
  assert.equal(res.body.enabled, false);
  assert.deepEqual(await gone, { code: 1008, reason: 'station disabled' });
  // It cannot come back to start a transaction: a disabled station is refused at the handshake.
  assert.equal((await handshake(server, 'LIVE-DISABLED')).status, 404);
  const again = server.client('LIVE-DISABLED');
  await assert.rejects(again.connect());
  const txs = await server.request('GET', '/api/v1/transactions?station=LIVE-DISABLED', { token });
  assert.deepEqual(txs.body.items, []);
  const detail = await server.request('GET', '/api/v1/stations/LIVE-DISABLED', { token });
  assert.equal(detail.body.connected, false);
  // Enabled again, it connects and charges.
  assert.equal((await server.request('POST', '/api/v1/stations/LIVE-DISABLED/enable', { token })).status, 200);
  const back = server.client('LIVE-DISABLED');
  await back.connect();
  await boot(back);
  const tx = await back.call('StartTransaction', { connectorId: 1, idTag: 'TAG-D', meterStart: 0, timestamp: now() });
  assert.equal(tx.idTagInfo.status, 'Accepted');
  await back.call('StopTransaction', { transactionId: tx.transactionId, meterStop: 10, timestamp: now() });
  await back.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('setting a password closes an anonymous live connection with 1008; it must reconnect with the password', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const token = await server.adminToken();
  const fdBaseline = server.fdCount();
  const cs = server.client('LIVE-PW');
  await cs.connect();
  assert.equal((await boot(cs)).status, 'Accepted');
  const gone = closed(cs);
  const res = await server.request('PUT', '/api/v1/stations/LIVE-PW/password', { token, body: { password: 'sixteen-chars-pw' } });
  assert.equal(res.status, 200);
  assert.deepEqual(await gone, { code: 1008, reason: 'station password changed' });
  assert.equal((await handshake(server, 'LIVE-PW')).status, 401);
  const withPw = server.client('LIVE-PW', { password: 'sixteen-chars-pw' });
  await withPw.connect();
  assert.equal((await boot(withPw)).status, 'Accepted');
  // Removing the password asks less of the station: the connection stays.
  let closedEarly = false;
  withPw.once('close', () => { closedEarly = true; });
  assert.equal((await server.request('PUT', '/api/v1/stations/LIVE-PW/password', { token, body: { password: null } })).status, 200);
  assert.ok((await withPw.call('Heartbeat', {})).currentTime);
  assert.equal(closedEarly, false);
  await withPw.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('deleting a station closes its live connection with 1008', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const token = await server.adminToken();
  server.admin('station', 'add', 'LIVE-DELETED', '--password', 'correct-horse-battery');
  const fdBaseline = server.fdCount();
  const cs = server.client('LIVE-DELETED', { password: 'correct-horse-battery' });
  await cs.connect();
  assert.equal((await boot(cs)).status, 'Accepted');
  const gone = closed(cs);
  assert.equal((await server.request('DELETE', '/api/v1/stations/LIVE-DELETED', { token })).status, 204);
  assert.deepEqual(await gone, { code: 1008, reason: 'station deleted' });
  const detail = await server.request('GET', '/api/v1/stations/LIVE-DELETED', { token });
  assert.equal(detail.status, 404);
  await server.assertHealthy(assert, { fdBaseline });
});

test('a full password-check queue answers handshakes and logins 503 with Retry-After, and recovers', async (t) => {
  const server = await startServer({ config: '[auth]\nhash_threads = 1\nhash_queue = 1\nhash_wait_ms = 50\n' });
  t.after(() => server.stop());
  server.admin('station', 'add', 'PW-FULL', '--password', 'correct-horse-battery');
  server.admin('user', 'add', 'queued', '--role', 'viewer', '--password', 'queued-password-1');
  await server.adminToken();
  const fdBaseline = server.fdCount();
  const handshakes = await Promise.all(Array.from({ length: 20 },
    () => handshake(server, 'PW-FULL', { auth: 'PW-FULL:correct-horse-battery' })));
  const logins = await Promise.all(Array.from({ length: 20 },
    () => server.request('POST', '/api/v1/auth/login', { body: { username: 'queued', password: 'queued-password-1' } })));
  for (const h of handshakes) {
    assert.ok(h.status === 101 || (h.status === 503 && h.retryAfter === '1'), JSON.stringify(h));
  }
  for (const l of logins) {
    assert.ok(l.status === 200 || (l.status === 503 && l.headers['retry-after'] === '1'), `${l.status} ${l.text}`);
  }
  assert.ok(handshakes.some((h) => h.status === 503), 'some handshakes found the queue full');
  assert.ok(logins.some((l) => l.status === 503), 'some logins found the queue full');
  // Once the burst is over, a station and a user get through again.
  assert.equal((await handshake(server, 'PW-FULL', { auth: 'PW-FULL:correct-horse-battery' })).status, 101);
  assert.equal((await server.request('POST', '/api/v1/auth/login', { body: { username: 'queued', password: 'queued-password-1' } })).status, 200);
  await server.assertHealthy(assert, { fdBaseline });
});

test('a command wait ends on time while a backlog of logins waits for password hashing', async (t) => {
  // One hashing thread and a long queue: the logins below wait seconds for it. Command-wait
  // timers used to run on that same thread.
  const server = await startServer({ config: '[auth]\nhash_threads = 1\nhash_queue = 1000\nhash_wait_ms = 60000\n' });
  t.after(() => server.stop());
  server.admin('user', 'add', 'patient', '--role', 'viewer', '--password', 'patient-password-1');
  const token = await server.adminToken();
  const fdBaseline = server.fdCount();
  const cs = server.client('SILENT-1');
  cs.handle('Reset', () => new Promise(() => {})); // never answers
  await cs.connect();
  await boot(cs);

  let running = true;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
  const loop = async () => {
    while (running) {
      await new Promise((resolve) => {
        const body = JSON.stringify({ username: 'patient', password: 'patient-password-1' });
        const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/v1/auth/login', agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          r.resume();
          r.on('end', resolve);
        });
        req.on('error', resolve);
        req.end(body);
      });
    }
  };
  const loops = Array.from({ length: 200 }, loop);
  t.after(() => { running = false; agent.destroy(); });
  await new Promise((r) => setTimeout(r, 500));

  const started = Date.now();
  const res = await server.request('POST', '/api/v1/stations/SILENT-1/commands?wait=1', { token, body: { kind: 'reset' } });
  const waitedMs = Date.now() - started;
  running = false;
  await Promise.all(loops); // each loop ends with its login in flight, after the backlog
  agent.destroy();
  t.diagnostic(`?wait=1 answered after ${waitedMs} ms`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, 'sent', 'still unanswered when the wait ended');
  assert.ok(waitedMs < 3000, `the 1 s wait ended after ${waitedMs} ms`);
  await cs.close({ force: true }); // its Reset handler never settles
  await server.assertHealthy(assert, { fdBaseline });
});
