// One set of rules: a station, id token, user or API key created through the operator API and
// through the admin CLI is held to the same rules, refused with the same message; and every
// list is filtered and paged in the store, with its total.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { startServer, BIN } = require('./harness');

let server;
let token;

before(async () => {
  server = await startServer();
  token = await server.adminToken();
});
after(() => server.stop());

const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

// The admin CLI, its exit status and its messages (a refusal: "gridlane: <detail>" on stderr).
function cli(...args) {
  const r = spawnSync(BIN, ['--db', server.db, 'admin', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, error: r.stderr.trim().replace(/^gridlane: /, '') };
}

// The same request refused by both, with the same message; the API with `status`.
async function refusedByBoth(apiCall, cliArgs, status, field) {
  const res = await apiCall();
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers['content-type'], 'application/problem+json');
  if (field) assert.equal(res.body.field, field);
  const run = cli(...cliArgs);
  assert.equal(run.status, 1, `CLI ${cliArgs.join(' ')}: ${run.stdout} ${run.error}`);
  assert.equal(run.error, res.body.detail, `same message for ${cliArgs.join(' ')}`);
  return res.body.detail;
}

test('stations: password length, duplicates, id charset and site length refused alike by the API and the CLI', async () => {
  for (const password of ['short', 'x'.repeat(15), 'y'.repeat(41)]) {
    const detail = await refusedByBoth(() => api('POST', '/stations', { id: 'RULE-PW', password }),
      ['station', 'add', 'RULE-PW', '--password', password], 422, 'password');
    assert.equal(detail, 'password must be 16 to 40 characters');
  }
  for (const id of ['a:b', 'x'.repeat(49), 'café', 'tab\there']) {
    await refusedByBoth(() => api('POST', '/stations', { id }), ['station', 'add', id], 422, 'id');
  }
  await refusedByBoth(() => api('POST', '/stations', { id: 'RULE-SITE', site: 's'.repeat(65) }),
    ['station', 'add', 'RULE-SITE', '--site', 's'.repeat(65)], 422, 'site');
  // Nothing refused was stored.
  for (const id of ['RULE-PW', 'RULE-SITE']) assert.equal((await api('GET', `/stations/${id}`)).status, 404);

  // Created by one, a duplicate for the other; both at the bounds of the rules.
  assert.equal((await api('POST', '/stations', { id: 'RULE-API', password: 'p'.repeat(16), site: 's'.repeat(64) })).status, 201);
  assert.equal(cli('station', 'add', 'RULE-CLI', '--password', 'q'.repeat(40), '--site', 't'.repeat(64)).status, 0);
  const dupApi = await refusedByBoth(() => api('POST', '/stations', { id: 'RULE-API' }), ['station', 'add', 'RULE-API'], 409);
  assert.equal(dupApi, 'station RULE-API already exists');
  await refusedByBoth(() => api('POST', '/stations', { id: 'RULE-CLI' }), ['station', 'add', 'RULE-CLI'], 409);
  const viaCli = await api('GET', '/stations/RULE-CLI');
  assert.equal(viaCli.body.has_password, true);
  assert.equal(viaCli.body.site, 't'.repeat(64));
  assert.equal(viaCli.body.registration, 'Accepted');
  // Accepting a station that does not exist.
  await refusedByBoth(() => api('POST', '/stations/NO-SUCH/accept'), ['station', 'accept', 'NO-SUCH'], 404);
  await refusedByBoth(() => api('GET', '/stations/NO-SUCH'), ['station', 'show', 'NO-SUCH'], 404);
  await refusedByBoth(() => api('GET', '/stations/NO-SUCH/compat'), ['station', 'compat', 'NO-SUCH'], 404);
});

test('id tokens, users and API keys: the same rules and messages through the API and the CLI', async () => {
  await refusedByBoth(() => api('PUT', `/id-tokens/${'t'.repeat(37)}`, {}), ['token', 'add', 't'.repeat(37)], 422, 'id_tag');
  await refusedByBoth(() => api('PUT', '/id-tokens/RULE-T', { status: 'Happy' }),
    ['token', 'add', 'RULE-T', '--status', 'Happy'], 422, 'status');
  await refusedByBoth(() => api('PUT', '/id-tokens/RULE-T', { expires_at: 'tomorrow' }),
    ['token', 'add', 'RULE-T', '--expires', 'tomorrow'], 422, 'expires_at');
  await refusedByBoth(() => api('PUT', '/id-tokens/RULE-T', { parent_id_tag: '' }),
    ['token', 'add', 'RULE-T', '--parent', ''], 422, 'parent_id_tag');
  assert.equal(cli('token', 'add', 'RULE-T', '--status', 'Blocked', '--parent', 'FLEET').status, 0);
  assert.deepEqual((await api('GET', '/id-tokens/RULE-T')).body,
    { id_tag: 'RULE-T', status: 'Blocked', expires_at: null, parent_id_tag: 'FLEET' });

  const pw = 'twelve chars';
  assert.equal(await refusedByBoth(() => api('POST', '/users', { username: 'rule-u', password: 'short', role: 'viewer' }),
    ['user', 'add', 'rule-u', '--role', 'viewer', '--password', 'short'], 422, 'password'), 'password must be at least 12 characters');
  await refusedByBoth(() => api('POST', '/users', { username: 'u'.repeat(65), password: pw, role: 'viewer' }),
    ['user', 'add', 'u'.repeat(65), '--role', 'viewer', '--password', pw], 422, 'username');
  await refusedByBoth(() => api('POST', '/users', { username: 'rule-u', password: pw, role: 'god' }),
    ['user', 'add', 'rule-u', '--role', 'god', '--password', pw], 422, 'role');
  assert.equal((await api('POST', '/users', { username: 'rule-u', password: pw, role: 'viewer' })).status, 201);
  assert.equal(await refusedByBoth(() => api('POST', '/users', { username: 'rule-u', password: pw, role: 'viewer' }),
    ['user', 'add', 'rule-u', '--role', 'viewer', '--password', pw], 409), 'user rule-u already exists');

  await refusedByBoth(() => api('POST', '/api-keys', { name: 'k'.repeat(65), role: 'viewer' }),
    ['api-key', 'create', 'k'.repeat(65), '--role', 'viewer'], 422, 'name');
  await refusedByBoth(() => api('POST', '/api-keys', { name: 'rule-key', role: 'root' }),
    ['api-key', 'create', 'rule-key', '--role', 'root'], 422, 'role');
  const made = cli('api-key', 'create', 'rule-key', '--role', 'viewer');
  assert.equal(made.status, 0);
  const key = made.stdout.trim();
  assert.match(key, /^glk_/);
  const me = await server.request('GET', '/api/v1/me', { token: key });
  assert.deepEqual(me.body, { actor: 'key:rule-key', role: 'viewer' });
});

test('paging in SQL: limit, offset and total, filters combined, past the end, bad parameters', async () => {
  for (let i = 0; i < 25; i++) {
    const id = `PAGE-${String(i).padStart(2, '0')}`;
    const res = await api('POST', '/stations', { id, site: i % 2 ? 'odd' : 'even', pending: i % 5 === 0 });
    assert.equal(res.status, 201);
  }
  const first = await api('GET', '/stations?search=page-&limit=10');
  assert.equal(first.status, 200);
  assert.equal(first.body.total, 25);
  assert.equal(first.body.items.length, 10);
  assert.equal(first.body.next_offset, 10);
  assert.equal(first.body.items[0].id, 'PAGE-00');
  const last = await api('GET', '/stations?search=page-&limit=10&offset=20');
  assert.deepEqual(last.body.items.map((s) => s.id), ['PAGE-20', 'PAGE-21', 'PAGE-22', 'PAGE-23', 'PAGE-24']);
  assert.equal(last.body.next_offset, null);
  assert.equal(last.body.total, 25);
  const exact = await api('GET', '/stations?search=page-&limit=5&offset=20');
  assert.equal(exact.body.next_offset, null, 'no next page when this one ends the list');

  const combined = await api('GET', '/stations?search=PAGE&site=even&registration=Pending&connected=false');
  assert.deepEqual(combined.body.items.map((s) => s.id), ['PAGE-00', 'PAGE-10', 'PAGE-20']);
  assert.equal(combined.body.total, 3);
  assert.equal((await api('GET', '/stations?search=PAGE&connected=true')).body.total, 0);
  assert.equal((await api('GET', '/stations?search=PAGE&protocol=ocpp1.6')).body.total, 0, 'never connected');

  const beyond = await api('GET', '/stations?search=PAGE&offset=5000');
  assert.equal(beyond.status, 200);
  assert.deepEqual(beyond.body.items, []);
  assert.equal(beyond.body.total, 25);
  assert.equal(beyond.body.next_offset, null);

  // A live connection counts as connected, in the page and in the total.
  const cs = server.client('PAGE-07');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'PagerVendor', chargePointModel: 'M' });
  const live = await api('GET', '/stations?search=page-&connected=true');
  assert.deepEqual(live.body.items.map((s) => [s.id, s.connected]), [['PAGE-07', true]]);
  assert.equal(live.body.total, 1);
  assert.equal((await api('GET', '/stations?search=pagervendor')).body.items[0].id, 'PAGE-07');
  assert.equal((await api('GET', '/stations?search=PAGE&protocol=ocpp1.6')).body.total, 1);
  await cs.close();

  // Malformed paging and filters are 400 (as they always were), with the parameter named.
  for (const [query, field] of [['limit=0x10', 'limit'], ['limit=1001', 'limit'], ['limit=-1', 'limit'], ['offset=abc', 'offset'],
    ['protocol=ocpp9', 'protocol'], ['connected=yes', 'connected'], ['registration=Maybe', 'registration'], ['search=', 'search']]) {
    const res = await api('GET', `/stations?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.equal(res.body.field, field, query);
  }

  // Every list carries its total.
  for (const list of ['/transactions', '/id-tokens', '/audit', '/users', '/api-keys', '/stations/PAGE-07/status-history']) {
    const page = await api('GET', `${list}?limit=2`);
    assert.equal(page.status, 200, list);
    assert.equal(typeof page.body.total, 'number', list);
    assert.ok(page.body.total >= page.body.items.length, list);
  }
  const tokens = await api('GET', '/id-tokens?status=Blocked&parent_id_tag=FLEET');
  assert.ok(tokens.body.items.every((t) => t.status === 'Blocked' && t.parent_id_tag === 'FLEET'));
  assert.equal(tokens.body.total, tokens.body.items.length);
  const users = await api('GET', '/users?limit=1&offset=1');
  assert.equal(users.body.items.length, 1);
  assert.equal(users.body.total, 2);
  const events = await api('GET', '/stations/PAGE-07/events');
  assert.equal(typeof events.body.total_messages, 'number');
  assert.equal(typeof events.body.total_anomalies, 'number');

  // The CLI lists the same stations as the API.
  const all = server.adminJson('stations').filter((s) => s.id.startsWith('PAGE-'));
  assert.equal(all.length, 25);
});
