// Energy management's configuration API (docs/api.md, "Energy management") against the real
// binary: every endpoint, the refusals with the field named, roles (viewers read, operators
// write), and `gridlane admin energy` through the same rules.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, BIN } = require('./harness');

let server;
let admin;
let operator;
let viewer;
const as = (token) => (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });
let api; // as the operator

const inHours = (h) => new Date(Date.now() + h * 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function login(name, role) {
  const password = `energy ${role} password`;
  server.admin('user', 'add', name, '--role', role, '--password', password);
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username: name, password } });
  assert.equal(res.status, 200, res.text);
  return res.body.token;
}

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'energy', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

function refused(res, status, field) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.status, status);
  if (field !== undefined) assert.equal(res.body.field, field, res.text);
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  admin = await server.adminToken();
  operator = await login('energy-op', 'operator');
  viewer = await login('energy-viewer', 'viewer');
  api = as(operator);
  const a = as(admin);
  // Depot DEP with stations DEP-1 (EVSEs 1, 2) and DEP-2 (EVSE 1); OTHER with OTH-1.
  for (const [id, name] of [['DEP', 'Depot'], ['OTHER', 'Elsewhere']]) assert.equal((await a('POST', '/locations', { id, name })).status, 201);
  for (const [station, loc, evses] of [['DEP-1', 'DEP', [1, 2]], ['DEP-2', 'DEP', [1]], ['OTH-1', 'OTHER', [1]]]) {
    assert.equal((await a('POST', '/stations', { id: station })).status, 201);
    assert.equal((await a('PUT', `/stations/${station}/location`, { location_id: loc })).status, 200);
    for (const evse_id of evses) assert.equal((await a('POST', `/stations/${station}/evses`, { evse_id })).status, 201);
  }
});
after(() => server.stop());

test('grid connection: PUT creates then replaces, GET reads it, DELETE removes; refusals name the field', async () => {
  assert.equal((await api('GET', '/locations/DEP/energy/grid')).status, 404);
  const grid = { limit: { per_phase_a: 63, power_kw: 40.5 }, voltage_v: 230, phases: 3, fallback_per_evse_a: 6.5,
    demand_charge_per_kw: 9.875, site_meter: 'DEP-2' };
  const created = await api('PUT', '/locations/DEP/energy/grid', grid);
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.body.limit, { per_phase_a: 63, power_kw: 40.5 });
  assert.equal(created.body.fallback_per_evse_a, 6.5);
  assert.equal(created.body.demand_charge_per_kw, 9.875);
  assert.equal(created.body.site_meter, 'DEP-2');
  assert.equal(created.body.enabled, true);
  const read = await api('GET', '/locations/DEP/energy/grid');
  assert.deepEqual(read.body, created.body);
  const replaced = await api('PUT', '/locations/DEP/energy/grid', { limit: { per_phase_a: 80 } });
  assert.equal(replaced.status, 200);
  assert.deepEqual(replaced.body.limit, { per_phase_a: 80, power_kw: null }, 'a PUT replaces the whole connection');

  for (const [body, field] of [
    [{}, 'limit'],
    [{ limit: { per_phase_a: 0 } }, 'limit.per_phase'],
    [{ limit: { per_phase_a: 16.0001 } }, 'limit.per_phase_a'],
    [{ limit: { per_phase_a: 'lots' } }, 'limit.per_phase_a'],
    [{ limit: { per_phase: 16 } }, 'limit.per_phase'],
    [{ limit: { power_kw: 100001 } }, 'limit.power'],
    [{ limit: { per_phase_a: 32 }, phases: 2 }, 'phases'],
    [{ limit: { per_phase_a: 32 }, voltage_v: 20 }, 'voltage'],
    [{ limit: { per_phase_a: 32 }, fallback_per_evse_a: 33 }, 'fallback_per_evse'],
    [{ limit: { per_phase_a: 32 }, site_meter: 'OTH-1' }, 'site_meter'],
    [{ limit: { per_phase_a: 32 }, volts: 230 }, 'volts'],
    [{ limit: { per_phase_a: 32 }, location_id: 'OTHER' }, 'location_id'],
  ]) refused(await api('PUT', '/locations/DEP/energy/grid', body), 422, field);
  assert.deepEqual((await api('GET', '/locations/DEP/energy/grid')).body.limit.per_phase_a, 80, 'nothing changed');
  refused(await api('PUT', '/locations/NOPE/energy/grid', { limit: { per_phase_a: 32 } }), 404);
  refused(await server.request('PUT', '/api/v1/locations/DEP/energy/grid', { token: admin, body: 'nope' }), 400);

  assert.equal((await api('PUT', '/locations/OTHER/energy/grid', { limit: { power_kw: 22 } })).status, 201);
  assert.equal((await api('DELETE', '/locations/OTHER/energy/grid')).status, 204);
  assert.equal((await api('DELETE', '/locations/OTHER/energy/grid')).status, 404);
});

test('circuits: a tree within the location, no cycles, not deleted while something hangs under it', async () => {
  await api('PUT', '/locations/DEP/energy/grid', { limit: { per_phase_a: 80 } });
  refused(await api('PUT', '/locations/OTHER/energy/circuits/F', { limit: { per_phase_a: 32 } }), 409);
  const feeder = await api('PUT', '/locations/DEP/energy/circuits/F1', { limit: { per_phase_a: 63 }, name: 'feeder' });
  assert.equal(feeder.status, 201, feeder.text);
  assert.deepEqual(feeder.body.limit, { per_phase_a: 63, power_kw: null });
  assert.equal((await api('PUT', '/locations/DEP/energy/circuits/B1', { parent: 'F1', limit: { per_phase_a: 32 } })).status, 201);
  refused(await api('PUT', '/locations/DEP/energy/circuits/F1', { parent: 'B1' }), 422, 'parent');
  refused(await api('PUT', '/locations/DEP/energy/circuits/F1', { parent: 'F1' }), 422, 'parent');
  refused(await api('PUT', '/locations/DEP/energy/circuits/X', { parent: 'NOPE' }), 422, 'parent');
  refused(await api('PUT', '/locations/DEP/energy/circuits/X', { limit: { power_kw: -1 } }), 422, 'limit.power');
  refused(await api('PUT', '/locations/DEP/energy/circuits/X', { id: 'Y' }), 422, 'id');
  refused(await api('PUT', '/locations/DEP/energy/circuits/bad%20id', {}), 422, 'id');
  const list = await api('GET', '/locations/DEP/energy/circuits');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((c) => [c.id, c.parent]), [['B1', 'F1'], ['F1', null]]);
  assert.equal(list.body.total, 2);
  assert.equal((await api('GET', '/locations/DEP/energy/circuits?limit=1&offset=1')).body.items[0].id, 'F1');
  assert.equal((await api('GET', '/locations/DEP/energy/circuits/B1')).body.parent, 'F1');
  assert.equal((await api('GET', '/locations/DEP/energy/circuits/NOPE')).status, 404);
  refused(await api('DELETE', '/locations/DEP/energy/circuits/F1'), 409);
  assert.equal((await api('PUT', '/locations/DEP/energy/circuits/T', {})).status, 201, 'a circuit that only groups');
  assert.equal((await api('DELETE', '/locations/DEP/energy/circuits/T')).status, 204);
  assert.equal((await api('DELETE', '/locations/DEP/energy/circuits/T')).status, 404);
});

test('EVSE attachments: only the location\'s EVSEs, on its circuits, limits in range', async () => {
  const put = (station, evse, body) => api('PUT', `/locations/DEP/energy/evses/${station}/${evse}`, body);
  const a = await put('DEP-1', 1, { circuit: 'B1', rotation: 'TRS', max_current_a: 16, min_current_a: 6, bidirectional: true });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual({ ...a.body, updated_at: undefined }, { station_id: 'DEP-1', evse_id: 1, circuit: 'B1', rotation: 'TRS',
    max_current_a: 16, max_power_kw: null, min_current_a: 6, dc: false, bidirectional: true, updated_at: undefined });
  assert.equal((await put('DEP-1', 1, { circuit: 'F1' })).status, 200, 'replaced');
  assert.equal((await put('DEP-2', 1, { dc: true, max_power_kw: 150 })).status, 201);
  refused(await put('OTH-1', 1, {}), 422, 'station');
  refused(await put('DEP-1', 9, {}), 404);
  refused(await put('NOPE', 1, {}), 404);
  refused(await put('DEP-1', 2, { circuit: 'NOPE' }), 422, 'circuit');
  refused(await put('DEP-1', 2, { rotation: 'XYZ' }), 422, 'rotation');
  refused(await put('DEP-1', 2, { max_current_a: 0 }), 422, 'max_current');
  refused(await put('DEP-1', 2, { max_current_a: 10, min_current_a: 16 }), 422, 'min_current');
  refused(await put('DEP-1', 2, { max_power_kw: 2000.001 }), 422, 'max_power');
  refused(await put('DEP-1', 2, { dc: 'yes' }), 422, 'dc');
  refused(await api('PUT', '/locations/OTHER/energy/evses/OTH-1/1', {}), 409, undefined);
  const list = await api('GET', '/locations/DEP/energy/evses');
  assert.deepEqual(list.body.items.map((x) => `${x.station_id}/${x.evse_id}@${x.circuit}`), ['DEP-1/1@F1', 'DEP-2/1@null']);
  refused(await api('DELETE', '/locations/DEP/energy/circuits/F1'), 409);
  assert.equal((await api('DELETE', '/locations/DEP/energy/evses/DEP-2/1')).status, 204);
  assert.equal((await api('DELETE', '/locations/DEP/energy/evses/DEP-2/1')).status, 404);
});

test('series and prices: stored in order, read with the point in force first, bounded', async () => {
  const t = (h) => inHours(h);
  const put = await api('PUT', '/locations/DEP/energy/series/pv', { points: [
    { at: t(-2), power_kw: 0 }, { at: t(-1), power_kw: 12.5, forecast: true }, { at: t(1), power_kw: 20 }] });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.stored, 3);
  const read = await api('GET', `/locations/DEP/energy/series/pv?from=${t(0)}&to=${t(2)}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.body.kind, 'pv');
  assert.deepEqual(read.body.items.map((p) => [p.power_kw, p.forecast]), [[12.5, true], [20, false]]);
  refused(await api('PUT', '/locations/DEP/energy/series/wind', { points: [] }), 404);
  refused(await api('PUT', '/locations/DEP/energy/series/pv', { points: [{ at: t(1), power_kw: 1 }, { at: t(0), power_kw: 1 }] }), 422, 'points[1].at');
  refused(await api('PUT', '/locations/DEP/energy/series/pv', { points: [{ at: t(1), power_kw: -1 }] }), 422, 'points[0].power');
  refused(await api('PUT', '/locations/DEP/energy/series/pv', { points: [{ at: 'yesterday', power_kw: 1 }] }), 422, 'points[0].at');
  refused(await api('PUT', '/locations/DEP/energy/series/pv', { points: [{ at: t(1), power_kw: 1, kw: 2 }] }), 422, 'points[0].kw');
  // A day of minutes in one call (the API's 64 KiB body carries about a thousand points: two calls).
  const day = Array.from({ length: 1440 }, (_, i) => ({ at: new Date(Date.UTC(2026, 0, 1) + i * 60e3).toISOString(), power_kw: 1 + i / 1000 }));
  for (const half of [day.slice(0, 720), day.slice(720)])
    assert.equal((await api('PUT', '/locations/DEP/energy/series/building_load', { points: half })).status, 200);
  const all = await api('GET', '/locations/DEP/energy/series/building_load?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=1000&offset=1000');
  assert.equal(all.body.total, 1440);
  assert.equal(all.body.items.length, 440);
  assert.equal(all.body.items[439].power_kw, 2.439);
  refused(await api('GET', `/locations/DEP/energy/series/pv?from=${t(0)}&to=${t(-1)}`), 422, 'from');
  refused(await api('GET', '/locations/DEP/energy/series/pv?from=soon'), 400, 'from');
  assert.equal((await api('PUT', '/locations/DEP/energy/series/battery', { points: [{ at: t(0), power_kw: -50 }] })).status, 200);

  const prices = await api('PUT', '/locations/DEP/energy/prices', { currency: 'EUR', points: [
    { from: t(-1), per_kwh: 0.31 }, { from: t(6), per_kwh: '0.123456' }, { from: t(7), per_kwh: -0.02 }] });
  assert.equal(prices.status, 200, prices.text);
  const got = await api('GET', `/locations/DEP/energy/prices?from=${t(0)}&to=${t(8)}`);
  assert.deepEqual(got.body.items.map((p) => [p.per_kwh, p.currency]), [[0.31, 'EUR'], [0.123456, 'EUR'], [-0.02, 'EUR']]);
  refused(await api('PUT', '/locations/DEP/energy/prices', { currency: 'euro', points: [{ from: t(0), per_kwh: 1 }] }), 422, 'points[0].currency');
  refused(await api('PUT', '/locations/DEP/energy/prices', { currency: 'EUR', points: [{ from: t(0), per_kwh: 0.1234567 }] }), 422, 'points[0].per_kwh');
  refused(await api('PUT', '/locations/DEP/energy/prices', { points: [] }), 422, 'currency');
  refused(await api('DELETE', `/locations/DEP/energy/prices?from=${t(0)}`), 400, 'to');
  const deleted = await api('DELETE', `/locations/DEP/energy/prices?from=${t(5)}&to=${t(8)}`);
  assert.equal(deleted.body.deleted, 2);
});

test('demand-response events, priorities and departure needs', async () => {
  const added = await api('POST', '/locations/DEP/energy/dr-events', { from: inHours(1), to: inHours(3), max_power_kw: 25, source: 'grid' });
  assert.equal(added.status, 201, added.text);
  assert.equal(added.body.max_power_kw, 25);
  assert.equal(added.body.location_id, 'DEP');
  refused(await api('POST', '/locations/DEP/energy/dr-events', { from: inHours(3), to: inHours(1), max_power_kw: 25 }), 422, 'to');
  refused(await api('POST', '/locations/DEP/energy/dr-events', { from: inHours(-3), to: inHours(-1), max_power_kw: 25 }), 422, 'to');
  refused(await api('POST', '/locations/DEP/energy/dr-events', { from: inHours(1), to: inHours(2) }), 422, 'max_power_kw');
  const list = await api('GET', '/locations/DEP/energy/dr-events');
  assert.deepEqual(list.body.items.map((e) => e.id), [added.body.id]);
  assert.equal((await api('DELETE', `/energy/dr-events/${added.body.id}`)).status, 204);
  assert.equal((await api('DELETE', `/energy/dr-events/${added.body.id}`)).status, 404);

  assert.equal((await api('PUT', '/energy/priorities/fleet', { priority: 8 })).status, 201);
  assert.equal((await api('PUT', '/energy/priorities/fleet', { priority: 9 })).status, 200);
  refused(await api('PUT', '/energy/priorities/fleet', { priority: 11 }), 422, 'priority');
  refused(await api('PUT', '/energy/priorities/fleet', { priority: 'high' }), 422, 'priority');
  assert.deepEqual((await api('GET', '/energy/priorities')).body.items, [{ customer_group: 'fleet', priority: 9 }]);
  assert.equal((await api('GET', '/energy/priorities/fleet')).body.priority, 9);
  assert.equal((await api('DELETE', '/energy/priorities/fleet')).status, 204);
  assert.equal((await api('GET', '/energy/priorities/fleet')).status, 404);

  // A running 1.6 session on DEP-1, then its departure need.
  await as(admin)('PUT', '/id-tokens/ENERGY-TAG', { status: 'Accepted' });
  const cs = server.client('DEP-1');
  await cs.connect();
  try {
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const started = await cs.call('StartTransaction', { connectorId: 1, idTag: 'ENERGY-TAG', meterStart: 0, timestamp: new Date().toISOString() });
    const tx = started.transactionId;
    assert.equal((await api('GET', `/transactions/${tx}/departure`)).status, 404);
    const need = await api('PUT', `/transactions/${tx}/departure`, { departure: inHours(8), energy_kwh: 30.5, state_of_charge: 40 });
    assert.equal(need.status, 200, need.text);
    assert.equal(need.body.energy_kwh, 30.5);
    assert.equal(need.body.source, 'operator');
    assert.deepEqual((await api('GET', `/transactions/${tx}/departure`)).body, need.body);
    refused(await api('PUT', `/transactions/${tx}/departure`, { departure: inHours(-1) }), 422, 'departure');
    refused(await api('PUT', `/transactions/${tx}/departure`, { state_of_charge: 101 }), 422, 'state_of_charge');
    refused(await api('PUT', `/transactions/${tx}/departure`, {}), 422, 'departure');
    refused(await api('PUT', '/transactions/999999/departure', { energy_kwh: 1 }), 404);
    await cs.call('StopTransaction', { transactionId: tx, meterStop: 10, timestamp: new Date().toISOString() });
    refused(await api('PUT', `/transactions/${tx}/departure`, { energy_kwh: 1 }), 409);
  } finally {
    await cs.close();
  }
});

test('roles: viewers read, operators write, no credentials is 401', async () => {
  const v = as(viewer);
  assert.equal((await v('GET', '/locations/DEP/energy/grid')).status, 200);
  assert.equal((await v('GET', '/locations/DEP/energy/circuits')).status, 200);
  assert.equal((await v('GET', '/energy/priorities')).status, 200);
  for (const [method, p, body] of [
    ['PUT', '/locations/DEP/energy/grid', { limit: { per_phase_a: 1 } }],
    ['DELETE', '/locations/DEP/energy/grid'],
    ['PUT', '/locations/DEP/energy/circuits/V', {}],
    ['PUT', '/locations/DEP/energy/evses/DEP-1/2', {}],
    ['PUT', '/locations/DEP/energy/series/pv', { points: [] }],
    ['PUT', '/locations/DEP/energy/prices', {}],
    ['POST', '/locations/DEP/energy/dr-events', {}],
    ['DELETE', '/energy/dr-events/1'],
    ['PUT', '/energy/priorities/x', { priority: 1 }],
    ['PUT', '/transactions/1/departure', {}],
  ]) assert.equal((await v(method, p, body)).status, 403, `${method} ${p} needs the operator role`);
  assert.equal((await server.request('GET', '/api/v1/locations/DEP/energy/grid')).status, 401);
  assert.equal((await api('GET', '/locations/DEP/energy/grid')).body.limit.per_phase_a, 80, 'unchanged by the viewer');
});

test('the live picture: 404 without a grid connection, the site with one (503 when no energy manager runs)', async (t) => {
  const res = await api('GET', '/locations/OTHER/energy');
  if (res.status === 503) {
    assert.match(res.body.detail, /energy management is not running/);
    t.skip('no energy manager in this build: the picture is the energy service\'s');
    return;
  }
  assert.equal(res.status, 404, res.text);
  const dep = await as(viewer)('GET', '/locations/DEP/energy');
  assert.equal(dep.status, 200, dep.text);
  assert.equal(dep.body.location_id, 'DEP');
  assert.equal(dep.body.grid.limit.per_phase_a, 80);
});

test('gridlane admin energy: the same rules and JSON as the API', async () => {
  let r = cli('grid', 'put', 'OTHER', '--limit-a', '32', '--phases', '1', '--voltage', '230');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).limit, { per_phase_a: 32, power_kw: null });
  assert.equal(JSON.parse(cli('grid', 'show', 'OTHER').stdout).phases, 1);
  r = cli('grid', 'put', 'OTHER', '--limit-a', '32', '--phases', '2');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /phases must be 1 or 3/);
  r = cli('circuit', 'put', 'OTHER', 'C1', '--limit-a', '16.5', '--name', 'board');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).limit.per_phase_a, 16.5);
  r = cli('circuit', 'put', 'OTHER', 'C1', '--parent', 'C1');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /parent/);
  r = cli('attach', 'OTHER', 'OTH-1', '1', '--circuit', 'C1', '--max-a', '16');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await api('GET', '/locations/OTHER/energy/evses')).body.items[0].circuit, 'C1', 'seen by the API');
  assert.equal(cli('attach', 'OTHER', 'DEP-1', '1').status, 1, 'a station of another location');
  r = cli('dr', 'add', 'OTHER', '--from', inHours(1), '--to', inHours(2), '--max-kw', '5');
  assert.equal(r.status, 0, r.stderr);
  const id = JSON.parse(r.stdout).id;
  assert.deepEqual(JSON.parse(cli('dr', 'list', 'OTHER').stdout).map((e) => e.id), [id]);
  assert.equal(cli('dr', 'delete', String(id)).status, 0);
  assert.equal(cli('priority', 'set', 'visitors', '2').status, 0);
  assert.equal(cli('priority', 'set', 'visitors', '0').status, 1);
  assert.deepEqual(JSON.parse(cli('priority', 'list').stdout), [{ customer_group: 'visitors', priority: 2 }]);
  assert.equal(cli('priority', 'delete', 'visitors').status, 0);
  assert.equal(cli('detach', 'OTHER', 'OTH-1', '1').status, 0);
  assert.equal(cli('circuit', 'delete', 'OTHER', 'C1').status, 0);
  assert.equal(cli('grid', 'delete', 'OTHER').status, 0);
  assert.equal(cli('grid', 'show', 'OTHER').status, 1);
});
