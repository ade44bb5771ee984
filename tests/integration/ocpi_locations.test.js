// OCPI 2.2.1 Locations and Tariffs, Gridlane as Sender, against the real binary and the test
// eMSP over real HTTP: the GET list paged (Link, X-Total-Count, X-Limit) with date filters, a
// location, an EVSE and a connector, unknown ones answered 2003/404; a station's
// StatusNotification pushed to the eMSP as a PATCH of the EVSE's status; an operator's change
// pushed as a PUT; tariffs listed and pushed. Every object the eMSP sees is checked against the
// spec's field tables (emsp.assertConforms).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { startPartner, ocpiConfig } = require('./ocpi_partner');

let server;
let emsp;
let token;
const uids = {};

const api = async (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
const type2 = { standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32,
                max_electric_power: 22000 };
const place = (id, name, extra = {}) => ({ id, name, address: `${name} 1`, city: 'Berlin', postal_code: '10557',
  country: 'DEU', coordinates: { latitude: '52.525083', longitude: '13.369402' }, time_zone: 'Europe/Berlin',
  publish: true, ...extra });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  server = await startServer({ config: ocpiConfig({ page_limit: 2 }) + '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  for (const l of [place('LOC-A', 'Alpha'), place('LOC-B', 'Bravo'), place('LOC-C', 'Charlie'),
    place('LOC-HIDDEN', 'Hidden', { publish: false })])
    assert.equal((await api('POST', '/locations', l)).status, 201);
  for (const [station, loc] of [['OCPI-A', 'LOC-A'], ['OCPI-B', 'LOC-B'], ['OCPI-C', 'LOC-C'], ['OCPI-H', 'LOC-HIDDEN']]) {
    assert.equal((await api('POST', '/stations', { id: station })).status, 201);
    assert.equal((await api('PUT', `/stations/${station}/location`, { location_id: loc })).status, 200);
    const res = await api('POST', `/stations/${station}/evses`,
      { evse_id: 1, emi3_id: `DE*GRL*E${station.slice(-1)}1`, connectors: [{ connector_id: 1, ...type2 }] });
    assert.equal(res.status, 201, res.text);
    uids[station] = res.body.uid;
  }
  emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  await emsp.register(server, { direction: 'partner-first' });
});

after(async () => {
  if (emsp) await emsp.stop();
  if (server) await server.stop();
});

test('ocpi locations: the list is paged at the limit with Link and X-Total-Count, published locations only', async () => {
  const first = await emsp.get('locations');
  assert.equal(first.status, 200);
  assert.equal(first.body.status_code, 1000);
  assert.equal(first.body.data.length, 2, 'page_limit = 2');
  assert.equal(first.headers['x-total-count'], '3');
  assert.equal(first.headers['x-limit'], '2');
  assert.match(first.headers.link, /rel="?next"?/);

  const all = await emsp.getAll('locations');
  assert.deepEqual(all.items.map((l) => l.id), ['LOC-A', 'LOC-B', 'LOC-C']);
  assert.equal(all.pages.length, 2);
  const a = all.items[0];
  assert.equal(a.country_code, 'DE');
  assert.equal(a.party_id, 'GRL');
  assert.equal(a.evses.length, 1);
  assert.equal(a.evses[0].uid, String(uids['OCPI-A']));
  assert.equal(a.evses[0].evse_id, 'DE*GRL*EA1');
  assert.equal(a.evses[0].connectors[0].max_amperage, 32);
  emsp.assertConforms(assert);
});

test('ocpi locations: date_from and date_to filter on last_updated', async () => {
  const future = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const past = '2000-01-01T00:00:00Z';
  assert.equal((await emsp.getAll('locations', { date_from: future })).items.length, 0);
  assert.equal((await emsp.getAll('locations', { date_from: past })).items.length, 3);
  assert.equal((await emsp.getAll('locations', { date_to: past })).items.length, 0);
  assert.equal((await emsp.getAll('locations', { date_from: past, date_to: future })).items.length, 3);
  // A change of one EVSE moves its location's last_updated only.
  await sleep(1100);
  const mark = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const put = await api('PUT', `/evses/${uids['OCPI-B']}`,
    { emi3_id: 'DE*GRL*EB1', physical_reference: 'B-1', connectors: [{ connector_id: 1, ...type2 }] });
  assert.equal(put.status, 200, put.text);
  const since = await emsp.getAll('locations', { date_from: mark });
  assert.deepEqual(since.items.map((l) => l.id), ['LOC-B']);
  const bad = await emsp.get('locations', { date_from: 'yesterday' });
  assert.equal(bad.status, 200); // 2001 in the envelope, no HTTP error
  assert.equal(bad.body.status_code, 2001);
});

test('ocpi locations: a location, an EVSE and a connector by id; unknown ones are 404 with 2003', async () => {
  const loc = await emsp.get('locations/LOC-A');
  assert.equal(loc.status, 200);
  assert.equal(loc.body.data.id, 'LOC-A');
  const evse = await emsp.get(`locations/LOC-A/${uids['OCPI-A']}`);
  assert.equal(evse.status, 200);
  assert.equal(evse.body.data.uid, String(uids['OCPI-A']));
  const conn = await emsp.get(`locations/LOC-A/${uids['OCPI-A']}/1`);
  assert.equal(conn.status, 200);
  assert.equal(conn.body.data.id, '1');
  assert.equal(conn.body.data.standard, 'IEC_62196_T2');
  for (const path of ['locations/NOPE', 'locations/LOC-HIDDEN', `locations/LOC-A/${uids['OCPI-B']}`,
    `locations/LOC-A/${uids['OCPI-A']}/9`, 'locations/LOC-A/abc']) {
    const res = await emsp.get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.body.status_code, 2003, path);
  }
  emsp.assertConforms(assert);
});

test('ocpi locations: a station status change reaches the eMSP as a PATCH of the EVSE status', async () => {
  const cs = server.client('OCPI-A');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const path = `/DE/GRL/LOC-A/${uids['OCPI-A']}`;
  const patches = () => emsp.received('locations', 'PATCH').filter((r) => r.path.endsWith(path));
  const before = patches().length;
  const sent = Date.now();
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  await emsp.waitFor(() => patches().length > before && patches().at(-1).body.status === 'CHARGING', 5000);
  const took = Date.now() - sent;
  assert.ok(took < 2000, `PATCH after ${took} ms`);
  const patch = patches().at(-1);
  assert.deepEqual(Object.keys(patch.body).sort(), ['last_updated', 'status']);
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await emsp.waitFor(() => patches().at(-1).body.status === 'AVAILABLE', 5000);
  await cs.close();
  // A hidden location's station says nothing to partners.
  const hidden = server.client('OCPI-H');
  await hidden.connect();
  await hidden.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  await hidden.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  await hidden.close();
  await sleep(1500);
  assert.equal(emsp.requests.filter((r) => r.path.includes('LOC-HIDDEN')).length, 0);
  emsp.assertConforms(assert);
});

test('ocpi locations: an operator change is PUT; a deleted EVSE is PATCHed REMOVED', async () => {
  const renamed = await api('PATCH', '/locations/LOC-C', { name: 'Charlie Renamed' });
  assert.equal(renamed.status, 200, renamed.text);
  await emsp.waitFor(() => emsp.received('locations', 'PUT').some((r) => r.path.endsWith('/DE/GRL/LOC-C') &&
    r.body.name === 'Charlie Renamed'), 5000);
  assert.equal((await api('DELETE', `/evses/${uids['OCPI-C']}`)).status, 204);
  await emsp.waitFor(() => emsp.received('locations', 'PATCH').some((r) =>
    r.path.endsWith(`/DE/GRL/LOC-C/${uids['OCPI-C']}`) && r.body.status === 'REMOVED'), 5000);
  emsp.assertConforms(assert);
});

test('ocpi tariffs: the list is paged and a tariff put by the operator is pushed', async () => {
  const tariff = (id) => ({ country_code: 'DE', party_id: 'GRL', id, currency: 'EUR',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.35, step_size: 1 }] }] });
  for (const id of ['T1', 'T2', 'T3']) assert.equal((await api('PUT', `/tariffs/${id}`, tariff(id))).status, 201);
  const all = await emsp.getAll('tariffs');
  assert.deepEqual(all.items.map((t) => t.id), ['T1', 'T2', 'T3']);
  assert.equal(all.pages[0].headers['x-total-count'], '3');
  await emsp.waitFor(() => ['T1', 'T2', 'T3'].every((id) => emsp.received('tariffs', 'PUT').some((r) =>
    r.path.endsWith(`/DE/GRL/${id}`))), 5000);
  assert.equal((await api('DELETE', '/tariffs/T2')).status, 204);
  await emsp.waitFor(() => emsp.received('tariffs', 'DELETE').some((r) => r.path.endsWith('/DE/GRL/T2')), 5000);
  emsp.assertConforms(assert);
});
