// Locations, EVSEs and connectors (docs/locations.md) through the API and `gridlane admin
// location`, against the real binary with strict OCPP stations.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, now, BIN } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

const amsterdam = {
  id: 'AMS-CS',
  name: 'Amsterdam Centraal',
  address: 'Stationsplein 1',
  city: 'Amsterdam',
  postal_code: '1012 AB',
  country: 'NLD',
  coordinates: { latitude: '52.3789010', longitude: '4.900581' },
  time_zone: 'Europe/Amsterdam',
  operator: { name: 'Gridlane Charging', website: 'https://gridlane.example' },
  opening_times: { twentyfourseven: false, regular_hours: [{ weekday: 1, period_begin: '06:00', period_end: '23:30' }],
    exceptional_closings: [{ period_begin: '2026-12-25T00:00:00Z', period_end: '2026-12-26T00:00:00Z' }] },
  facilities: ['TRAIN_STATION', 'WIFI'],
  parking_type: 'PARKING_GARAGE',
  publish: true,
};

const type2 = { standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32 };

// The CLI: { status, stdout, stderr } (exit status 1 for a refusal, its reason on stderr).
function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'location', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
});
after(() => server.stop());

test('locations: create, read, change, list, delete through the API, with its rules', async () => {
  const created = await api('POST', '/locations', amsterdam);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.id, 'AMS-CS');
  assert.deepEqual(created.body.coordinates, amsterdam.coordinates, 'coordinates kept as the exact text');
  assert.deepEqual(created.body.facilities, ['TRAIN_STATION', 'WIFI']);
  assert.equal(created.body.opening_times.regular_hours[0].period_end, '23:30');
  assert.equal(created.body.opening_times.exceptional_closings[0].period_begin, '2026-12-25T00:00:00.000Z');
  assert.deepEqual(created.body.stations, []);

  for (const [body, field] of [
    [{ ...amsterdam, id: 'X1', name: 'Zone', time_zone: 'Europe/Atlantis' }, 'time_zone'],
    [{ ...amsterdam, id: 'X2', name: 'Coords', coordinates: { latitude: '52.37', longitude: '4.9' } }, 'latitude'],
    [{ ...amsterdam, id: 'X3', name: 'Country', country: 'NL' }, 'country'],
    [{ ...amsterdam, id: 'X4', name: 'Unpublishable', address: null }, 'published'],
    [{ ...amsterdam, id: 'X5', name: 'Parking', parking_type: 'BIKE_SHED' }, 'parking_type'],
    [{ ...amsterdam, id: 'bad id!', name: 'Id' }, 'id'],
    [{ id: 'X6' }, 'name'],
  ]) {
    const res = await api('POST', '/locations', body);
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.match(res.body.detail, new RegExp(field));
  }
  assert.equal((await api('POST', '/locations', { ...amsterdam, name: 'Other' })).status, 409, 'the id is taken');
  assert.equal((await api('POST', '/locations', { ...amsterdam, id: 'AMS-2' })).status, 409, 'the name is taken');

  const generated = await api('POST', '/locations', { name: 'Rotterdam Depot', city: 'Rotterdam', country: 'NLD' });
  assert.equal(generated.status, 201, generated.text);
  assert.match(generated.body.id, /^[0-9a-f]{16}$/);
  assert.equal(generated.body.publish, false);

  const patched = await api('PATCH', '/locations/AMS-CS', { postal_code: null, state: 'Noord-Holland', facilities: ['WIFI'] });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.postal_code, null);
  assert.equal(patched.body.state, 'Noord-Holland');
  assert.deepEqual(patched.body.facilities, ['WIFI']);
  assert.equal(patched.body.name, 'Amsterdam Centraal', 'fields not given stay');
  assert.equal((await api('PATCH', '/locations/AMS-CS', { id: 'OTHER' })).status, 422);
  assert.equal((await api('PATCH', '/locations/AMS-CS', { time_zone: 'Nowhere/Here' })).status, 422);
  assert.equal((await api('PATCH', '/locations/NOPE', { city: 'X' })).status, 404);

  const list = await api('GET', '/locations?country=NLD&limit=1');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].name, 'Amsterdam Centraal', 'ordered by name');
  assert.equal(list.body.next_offset, 1);
  const page2 = await api('GET', '/locations?country=NLD&limit=1&offset=1');
  assert.equal(page2.body.items[0].name, 'Rotterdam Depot');
  assert.equal((await api('GET', '/locations?city=Rotterdam')).body.items.length, 1);
  assert.equal((await api('GET', '/locations?publish=true')).body.items.length, 1);
  assert.equal((await api('GET', '/locations/NOPE')).status, 404);

  assert.equal((await api('DELETE', `/locations/${generated.body.id}`)).status, 204);
  assert.equal((await api('DELETE', `/locations/${generated.body.id}`)).status, 404);
  const viewer = await server.request('GET', '/api/v1/locations/AMS-CS');
  assert.equal(viewer.status, 401, 'credentials needed');
});

test('a station at a location: 409 on deleting the location, its site is the location name, filters by location', async () => {
  assert.equal((await api('POST', '/locations', { id: 'UTR', name: 'Utrecht' })).status, 201);
  assert.equal((await api('POST', '/stations', { id: 'LOC-A' })).status, 201);
  const put = await api('PUT', '/stations/LOC-A/location', { location_id: 'UTR' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.location_id, 'UTR');
  assert.equal(put.body.site, 'Utrecht');
  assert.equal((await api('PUT', '/stations/LOC-A/location', { location_id: 'NOPE' })).status, 422);
  assert.equal((await api('PUT', '/stations/NOPE/location', { location_id: 'UTR' })).status, 404);
  assert.equal((await api('DELETE', '/locations/UTR')).status, 409);
  assert.deepEqual((await api('GET', '/locations/UTR')).body.stations, ['LOC-A']);

  // A rename is the new site of its stations; the site filter still works.
  assert.equal((await api('PATCH', '/locations/UTR', { name: 'Utrecht Centraal' })).status, 200);
  const st = await api('GET', '/stations/LOC-A');
  assert.equal(st.body.site, 'Utrecht Centraal');
  assert.deepEqual((await api('GET', '/stations?site=Utrecht%20Centraal')).body.items.map((s) => s.id), ['LOC-A']);
  assert.deepEqual((await api('GET', '/stations?location=UTR')).body.items.map((s) => s.id), ['LOC-A']);

  // Transactions filtered by location.
  assert.equal((await api('POST', '/stations', { id: 'LOC-B' })).status, 201);
  await api('PUT', '/id-tokens/LOC-TAG', { status: 'Accepted' });
  for (const id of ['LOC-A', 'LOC-B']) {
    const cs = server.client(id);
    await cs.connect();
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const started = await cs.call('StartTransaction', { connectorId: 1, idTag: 'LOC-TAG', meterStart: 0, timestamp: now() });
    await cs.call('StopTransaction', { transactionId: started.transactionId, meterStop: 10, timestamp: now() });
    await cs.close();
  }
  const txs = await api('GET', '/transactions?location=UTR');
  assert.equal(txs.status, 200);
  assert.deepEqual(txs.body.items.map((t) => t.station_id), ['LOC-A']);
  assert.deepEqual((await api('GET', '/transactions?site=Utrecht%20Centraal')).body.items.map((t) => t.station_id), ['LOC-A']);
  assert.equal((await api('GET', '/transactions?location=NOPE')).body.items.length, 0);

  // Cleared: at no location, and then the location can go.
  const cleared = await api('PUT', '/stations/LOC-A/location', { location_id: null });
  assert.equal(cleared.body.location_id, null);
  assert.equal(cleared.body.site, null);
  assert.equal((await api('DELETE', '/locations/UTR')).status, 204);
});

test('stations created with a site (as before) are at the location of that name', async () => {
  for (const id of ['SITE-1', 'SITE-2']) assert.equal((await api('POST', '/stations', { id, site: 'Harbour' })).status, 201);
  const created = (await api('GET', '/stations/SITE-1')).body;
  assert.equal(created.site, 'Harbour');
  assert.ok(created.location_id);
  const loc = await api('GET', `/locations/${created.location_id}`);
  assert.equal(loc.body.name, 'Harbour');
  assert.deepEqual(loc.body.stations, ['SITE-1', 'SITE-2']);
  assert.equal((await api('GET', '/locations?name=Harbour')).body.items.length, 1, 'one location per site name');
  // A site changed through the old route moves the station too.
  assert.equal((await api('PUT', '/stations/SITE-2/site', { site: 'Airport' })).status, 200);
  const moved = (await api('GET', '/stations/SITE-2')).body;
  assert.notEqual(moved.location_id, created.location_id);
  assert.equal((await api('GET', `/locations/${moved.location_id}`)).body.name, 'Airport');
  // The CLI's --site does the same.
  server.admin('station', 'add', 'SITE-3', '--site', 'Harbour');
  assert.deepEqual((await api('GET', `/stations?location=${created.location_id}`)).body.items.map((s) => s.id), ['SITE-1', 'SITE-3']);
});

test('EVSEs described before the station connects receive its 1.6 status; unknown ones are created', async () => {
  assert.equal((await api('POST', '/stations', { id: 'EVSE-16' })).status, 201);
  assert.equal((await api('GET', '/stations/EVSE-16/evses')).body.items.length, 0);
  const created = await api('POST', '/stations/EVSE-16/evses', { evse_id: 1, emi3_id: 'NL*GLN*E000123*1',
    capabilities: ['RFID_READER'], floor_level: '-1', physical_reference: 'P1',
    connectors: [{ connector_id: 1, ...type2, max_amperage: 16.5, max_electric_power: 11000 }] });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, 'UNKNOWN');
  assert.equal(created.body.evse_id, 1);
  assert.equal(created.body.connectors[0].max_amperage, 16.5);
  assert.equal(created.body.reported, false);
  const uid = created.body.uid;
  assert.equal((await api('GET', `/evses/${uid}`)).body.emi3_id, 'NL*GLN*E000123*1');
  assert.equal((await api('POST', '/stations/EVSE-16/evses', { evse_id: 1 })).status, 409, 'already described');

  for (const [body, field] of [
    [{ evse_id: 2, emi3_id: 'NL-GLN-123' }, 'emi3_id'],
    [{ evse_id: 2, connectors: [{ connector_id: 1, ...type2, power_type: 'AC' }] }, 'power_type'],
    [{ evse_id: 2, connectors: [{ connector_id: 1, ...type2, max_amperage: 0.0001 }] }, 'max_amperage'],
    [{ evse_id: 2, connectors: [{ connector_id: 1, ...type2, max_voltage: null }] }, 'max_voltage'],
    [{ evse_id: 2, floor_level: '12345' }, 'floor_level'],
    [{ evse_id: 2, capabilities: ['TELEPORT'] }, 'capabilities'],
    [{ evse_id: 0 }, 'evse_id'],
    [{}, 'evse_id'],
  ]) {
    const res = await api('POST', '/stations/EVSE-16/evses', body);
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.match(res.body.detail, new RegExp(field));
  }
  assert.equal((await api('POST', '/stations/NOPE/evses', { evse_id: 1 })).status, 404);
  assert.equal((await api('GET', '/evses/999999')).status, 404);
  assert.equal((await api('GET', '/evses/x')).status, 404);
  assert.equal((await api('POST', '/stations', { id: 'EVSE-OTHER' })).status, 201);
  const dup = await api('POST', '/stations/EVSE-OTHER/evses', { evse_id: 1, emi3_id: 'nl*gln*e000123*1' });
  assert.equal(dup.status, 409, 'an eMI3 id is unique without regard to case');

  const cs = server.client('EVSE-16');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const status = (connectorId, s) => cs.call('StatusNotification', { connectorId, errorCode: 'NoError', status: s, timestamp: now() });
  await status(0, 'Available');
  await status(1, 'Charging');
  await status(2, 'Faulted'); // not described: EVSE 2 with connector 1
  await cs.close();

  const evses = (await api('GET', '/stations/EVSE-16/evses')).body.items;
  assert.deepEqual(evses.map((e) => [e.evse_id, e.status, e.reported]), [[1, 'CHARGING', false], [2, 'OUTOFORDER', true]]);
  assert.equal(evses[0].uid, uid);
  assert.equal(evses[0].connectors[0].standard, 'IEC_62196_T2', 'the description is kept');
  assert.deepEqual(evses[1].connectors.map((c) => [c.connector_id, c.standard]), [[1, null]]);

  // Now a 1.6 station: connector 2 of an EVSE is refused; describing connector 1 of EVSE 2 works.
  const reported = evses[1].uid;
  const second = await api('POST', `/evses/${reported}/connectors`, { connector_id: 2, ...type2 });
  assert.equal(second.status, 422);
  const first = await api('POST', `/evses/${reported}/connectors`, { connector_id: 1, ...type2, format: 'CABLE' });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.connectors[0].format, 'CABLE');
  assert.equal((await api('POST', '/evses/999999/connectors', { connector_id: 1, ...type2 })).status, 404);

  // PUT replaces the description: fields, and the connector set; the status a station reported stays.
  const put = await api('PUT', `/evses/${reported}`, { physical_reference: 'P2', connectors: [] });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual([put.body.physical_reference, put.body.connectors.length, put.body.status, put.body.reported], ['P2', 0, 'OUTOFORDER', false]);
  assert.equal((await api('PUT', `/evses/${reported}`, { evse_id: 7 })).status, 422, 'its OCPP id never changes');
  assert.equal((await api('PUT', `/evses/${reported}`, { status: 'REMOVED' })).body.status, 'REMOVED');
  assert.equal((await api('DELETE', `/evses/${reported}`)).status, 204);
  assert.equal((await api('DELETE', `/evses/${reported}`)).status, 404);
  assert.equal((await api('GET', `/evses/${uid}`)).body.physical_reference, 'P1');
  await server.assertHealthy(assert);
});

test('a 2.x station: its StatusNotification and TransactionEvent land on described EVSEs and create unknown ones', async () => {
  assert.equal((await api('POST', '/stations', { id: 'EVSE-201' })).status, 201);
  const put = await api('POST', '/stations/EVSE-201/evses', { evse_id: 1, connectors: [{ connector_id: 1, ...type2 }, { connector_id: 2, ...type2, standard: 'IEC_62196_T2_COMBO', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000 }] });
  assert.equal(put.status, 201, put.text);
  await api('PUT', '/id-tokens/EVSE-TAG', { status: 'Accepted' });
  const st = new Station2(server, 'EVSE-201');
  await st.connect();
  await st.boot();
  await st.status('Available', 1, 1);
  await st.status('Occupied', 1, 2);
  await st.status('Unavailable', 3, 1); // unknown EVSE 3
  st.begin();
  await st.event('Started', 'Authorized', { evse: { id: 4, connectorId: 2 }, idToken: { idToken: 'EVSE-TAG', type: 'ISO14443' } });
  await st.close();

  const evses = (await api('GET', '/stations/EVSE-201/evses')).body.items;
  assert.deepEqual(evses.map((e) => e.evse_id), [1, 3, 4]);
  assert.equal(evses[0].status, 'CHARGING', 'Occupied: in use');
  assert.equal(evses[0].reported, false);
  assert.deepEqual(evses[0].connectors.map((c) => [c.connector_id, c.power_type]), [[1, 'AC_3_PHASE'], [2, 'DC']]);
  assert.equal(evses[1].status, 'INOPERATIVE');
  assert.equal(evses[1].reported, true);
  assert.deepEqual(evses[2].connectors.map((c) => c.connector_id), [2], 'from the TransactionEvent evse');
});

test('the same through gridlane admin location', async () => {
  let r = cli('add', 'Eindhoven', '--id', 'EHV', '--city', 'Eindhoven', '--country', 'NLD', '--latitude', '51.4416420',
    '--longitude', '5.4697220', '--time-zone', 'Europe/Amsterdam', '--address', 'Stationsplein 17', '--facility', 'WIFI',
    '--operator', 'Gridlane', '--operator-website', 'https://gridlane.example', '--publish', 'true');
  assert.equal(r.status, 0, r.stderr);
  const added = JSON.parse(r.stdout);
  assert.equal(added.id, 'EHV');
  assert.equal(added.operator.website, 'https://gridlane.example');
  assert.equal((await api('GET', '/locations/EHV')).body.coordinates.latitude, '51.4416420', 'the API sees it');

  r = cli('add', 'Mars', '--time-zone', 'Mars/Olympus');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid: time_zone/);
  r = cli('add', 'Eindhoven');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /conflict/);
  r = cli('add', 'Half', '--latitude', '51.4416420');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--latitude and --longitude/);
  r = cli('add', 'Unpublished', '--publish', 'true');
  assert.equal(r.status, 1, 'the same rule as the API: a published location is complete');

  r = cli('update', 'EHV', '--city', 'Eindhoven Centrum', '--state', '');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).city, 'Eindhoven Centrum');
  assert.equal(cli('update', 'NOPE', '--city', 'X').status, 1);

  assert.equal((await api('POST', '/stations', { id: 'CLI-1' })).status, 201);
  r = cli('assign', 'CLI-1', 'EHV');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await api('GET', '/stations/CLI-1')).body.site, 'Eindhoven');
  r = cli('delete', 'EHV');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /conflict: .*station/);

  r = cli('evse', 'put', 'CLI-1', '1', '--emi3-id', 'NL*GLN*E000999*1', '--capability', 'RESERVABLE', '--status', 'PLANNED');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).status, 'PLANNED');
  r = cli('evse', 'put', 'CLI-1', '2', '--emi3-id', 'NL*GLN*E000999*1');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /conflict/);
  r = cli('evse', 'put', 'CLI-1', '2', '--emi3-id', 'not an id');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid: .*emi3_id/);
  r = cli('connector', 'put', 'CLI-1', '1', '1', '--standard', 'CHADEMO', '--format', 'CABLE', '--power-type', 'DC',
    '--max-voltage', '500', '--max-amperage', '125', '--max-power', '62500');
  assert.equal(r.status, 0, r.stderr);
  const api1 = (await api('GET', '/stations/CLI-1/evses')).body.items.find((e) => e.evse_id === 1);
  assert.deepEqual(api1.connectors.map((c) => [c.standard, c.max_amperage, c.max_electric_power]), [['CHADEMO', 125, 62500]]);
  r = cli('connector', 'put', 'CLI-1', '1', '2', '--standard', 'CHADEMO');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid: format/);
  assert.equal(JSON.parse(cli('evse', 'list', 'CLI-1').stdout).length, 1);
  const shown = JSON.parse(cli('show', 'EHV').stdout);
  assert.deepEqual(shown.stations.map((s) => [s.id, s.evses.length]), [['CLI-1', 1]]);
  const listed = JSON.parse(cli('list', '--json', '--country', 'NLD').stdout);
  assert.ok(listed.some((l) => l.id === 'EHV'));
  assert.match(cli('list').stdout, /EHV {2}Eindhoven/);

  assert.equal(cli('connector', 'delete', 'CLI-1', '1', '1').status, 0);
  assert.equal(cli('evse', 'delete', 'CLI-1', '1').status, 0);
  assert.equal(cli('evse', 'delete', 'CLI-1', '1').status, 1);
  assert.equal(cli('assign', 'CLI-1', '--none').status, 0);
  assert.equal(cli('delete', 'EHV').status, 0);
  assert.equal((await api('GET', '/locations/EHV')).status, 404);
});
