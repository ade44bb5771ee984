// What the console's admin and energy areas need from the API: changing a user's role and
// disabling it (its tokens end at once; nobody disables or demotes themselves, the last admin
// stays), the audit log filtered in its query, and the list of energy sites.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

let server;
let token;
const PASSWORD = 'console admin password';

before(async () => {
  server = await startServer();
  token = await server.adminToken();
});
after(() => server.stop());

const api = (method, path, body, as = token) => server.request(method, `/api/v1${path}`, { token: as, body });
const loginAs = async (username) => {
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } });
  return res;
};
const userId = async (username) => {
  const res = await api('GET', '/users?limit=1000');
  assert.equal(res.status, 200);
  return res.body.items.find((u) => u.username === username).id;
};

test('PATCH /users/{id}: a role changes, a disabled user is signed out and cannot sign in, and is enabled again', async () => {
  assert.equal((await api('POST', '/users', { username: 'carol', password: PASSWORD, role: 'viewer' })).status, 201);
  const id = await userId('carol');
  const login = await loginAs('carol');
  assert.equal(login.status, 200);
  const carol = login.body.token;
  assert.equal((await api('GET', '/me', undefined, carol)).body.role, 'viewer');

  let res = await api('PATCH', `/users/${id}`, { role: 'operator' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.body.username, res.body.role, res.body.disabled], ['carol', 'operator', false]);
  assert.equal((await api('GET', '/me', undefined, carol)).body.role, 'operator', 'the same token now carries the new role');

  res = await api('PATCH', `/users/${id}`, { disabled: true });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.body.role, res.body.disabled], ['operator', true]);
  assert.equal((await api('GET', '/me', undefined, carol)).status, 401, 'the disabled user\'s token ends at once');
  assert.equal((await loginAs('carol')).status, 401, 'a disabled user cannot sign in');
  const listed = (await api('GET', '/users?limit=1000')).body.items.find((u) => u.username === 'carol');
  assert.equal(listed.disabled, true);

  res = await api('PATCH', `/users/${id}`, { disabled: false });
  assert.equal(res.status, 200);
  assert.equal((await api('GET', '/me', undefined, carol)).status, 401, 'enabling does not revive the old token');
  assert.equal((await loginAs('carol')).status, 200, 'enabled: signs in again');

  // The change is in the audit log, with its target.
  const audit = await api('GET', `/audit?action=${encodeURIComponent('PATCH /api/v1/users')}&limit=10`);
  assert.equal(audit.status, 200);
  assert.equal(audit.body.total, 3);
  assert.ok(audit.body.items.every((e) => e.action.startsWith('PATCH /api/v1/users/') && e.status === 200));
});

test('PATCH /users/{id} refuses a bad role, an unknown member, an unknown user, a non-admin, and self-demotion', async () => {
  assert.equal((await api('POST', '/users', { username: 'dave', password: PASSWORD, role: 'operator' })).status, 201);
  const id = await userId('dave');
  let res = await api('PATCH', `/users/${id}`, { role: 'root' });
  assert.equal(res.status, 422);
  assert.equal(res.body.field, 'role');
  res = await api('PATCH', `/users/${id}`, { disabled: 'yes' });
  assert.equal(res.status, 422);
  assert.equal(res.body.field, 'disabled');
  res = await api('PATCH', `/users/${id}`, { rolle: 'viewer' });
  assert.equal(res.status, 422);
  assert.equal(res.body.field, 'rolle');
  assert.equal((await api('PATCH', '/users/999999', { disabled: true })).status, 404);
  assert.equal((await api('PATCH', '/users/abc', { disabled: true })).status, 404);

  const dave = (await loginAs('dave')).body.token;
  assert.equal((await api('PATCH', `/users/${id}`, { role: 'admin' }, dave)).status, 403, 'an operator cannot promote itself');

  const me = await userId('harness-admin');
  res = await api('PATCH', `/users/${me}`, { disabled: true });
  assert.equal(res.status, 409);
  assert.match(res.body.detail, /yourself/);
  res = await api('PATCH', `/users/${me}`, { role: 'viewer' });
  assert.equal(res.status, 409);
  // Nothing changed.
  assert.equal((await api('GET', '/me')).body.role, 'admin');
});

test('the last enabled admin stays an admin, also when an admin API key asks', async () => {
  const key = await api('POST', '/api-keys', { name: 'ops-admin', role: 'admin' });
  assert.equal(key.status, 201);
  const me = await userId('harness-admin');
  let res = await api('PATCH', `/users/${me}`, { disabled: true }, key.body.key);
  assert.equal(res.status, 409);
  assert.match(res.body.detail, /last enabled admin/);

  // With a second admin, the first may be demoted by the key, and promoted back.
  assert.equal((await api('POST', '/users', { username: 'erin', password: PASSWORD, role: 'admin' })).status, 201);
  res = await api('PATCH', `/users/${me}`, { role: 'operator' }, key.body.key);
  assert.equal(res.status, 200, res.text);
  res = await api('PATCH', `/users/${me}`, { role: 'admin' }, key.body.key);
  assert.equal(res.status, 200, res.text);
  assert.equal((await api('GET', '/me')).body.role, 'admin');
});

test('GET /audit filters by actor, a part of the action, target, outcome and period, in the query, with its total', async () => {
  const before = new Date(Date.now() - 1000).toISOString();
  assert.equal((await api('POST', '/stations', { id: 'AUD-1' })).status, 201);
  assert.equal((await api('POST', '/stations', { id: 'AUD-1' })).status, 409);
  assert.equal((await api('POST', '/stations', { id: 'AUD-2' })).status, 201);

  let res = await api('GET', `/audit?action=${encodeURIComponent('POST /api/v1/stations')}&from=${encodeURIComponent(before)}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.total, 3);
  assert.deepEqual(res.body.items.map((e) => e.status), [201, 409, 201], 'newest first');
  assert.ok(res.body.items.every((e) => e.actor === 'user:harness-admin'));

  res = await api('GET', `/audit?action=stations&outcome=failed&from=${encodeURIComponent(before)}`);
  assert.equal(res.body.total, 1);
  assert.equal(res.body.items[0].status, 409);
  res = await api('GET', `/audit?action=stations&outcome=ok&from=${encodeURIComponent(before)}&limit=1`);
  assert.equal(res.body.total, 2);
  assert.equal(res.body.items.length, 1);
  assert.equal(res.body.next_offset, 1);

  res = await api('GET', '/audit?actor=user:nobody');
  assert.equal(res.body.total, 0);
  assert.deepEqual(res.body.items, []);
  res = await api('GET', `/audit?to=${encodeURIComponent(before)}&action=AUD`);
  assert.equal(res.body.total, 0, 'nothing about AUD- before the test began');
  assert.ok([200, 204].includes((await api('POST', '/stations/AUD-2/disable')).status));
  res = await api('GET', '/audit?target=AUD-2');
  assert.equal(res.body.total, 1, 'the target is the path\'s id');
  assert.equal(res.body.items[0].action, 'POST /api/v1/stations/AUD-2/disable');
  assert.ok(res.body.items.every((e) => e.target === 'AUD-2'));

  for (const [query, field] of [['outcome=maybe', 'outcome'], ['from=yesterday', 'from'], ['to=2026-13-01', 'to']]) {
    res = await api('GET', `/audit?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.field, field);
  }
});

test('GET /energy/sites lists the locations with a grid connection, with name and time zone', async () => {
  for (const [id, name] of [['ES-A', 'Site Alpha'], ['ES-B', 'Site Beta']])
    assert.equal((await api('POST', '/locations', { id, name, time_zone: 'Europe/Berlin' })).status, 201);
  let res = await api('GET', '/energy/sites');
  assert.equal(res.status, 200);
  assert.equal(res.body.total, 0);
  res = await api('PUT', '/locations/ES-B/energy/grid', { limit: { per_phase_a: 63, power_kw: 40 } });
  assert.ok(res.status === 201, res.text);
  res = await api('GET', '/energy/sites');
  assert.equal(res.body.total, 1);
  const [site] = res.body.items;
  assert.deepEqual([site.location_id, site.name, site.time_zone], ['ES-B', 'Site Beta', 'Europe/Berlin']);
  assert.deepEqual(site.grid.limit, { per_phase_a: 63, power_kw: 40 });
  assert.equal(site.grid.enabled, true);

  await server.admin('user', 'add', 'vic', '--role', 'viewer', '--password', PASSWORD);
  const vic = (await loginAs('vic')).body.token;
  assert.equal((await api('GET', '/energy/sites', undefined, vic)).status, 200, 'a viewer reads it');
  assert.equal((await server.request('GET', '/api/v1/energy/sites')).status, 401);
  assert.equal((await api('GET', '/energy/sites?limit=many')).status, 400);
});
