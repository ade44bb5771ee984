// Which tariff applies (docs/tariff-assignments.md): assignments through the API and `gridlane
// admin tariff assign`, resolved when a 1.6 or 2.0.1 session starts and kept as a snapshot, and
// GET /transactions/{id}/cost pricing the session with that snapshot, against the real binary.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, BIN } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

// A tariff of one price per kWh (VAT 20 %), in OCPI 2.2.1 shape.
const perKwh = (id, price) => ({
  country_code: 'DE', party_id: 'GRL', id, currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price, vat: 20, step_size: 1 }] }],
  last_updated: '2026-01-01T00:00:00Z',
});

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'tariff', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

async function start16(identity) {
  const cs = server.client(identity, { protocols: ['ocpp1.6'] });
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
  return cs;
}

// A 1.6 session on connector 1: 10 kWh charged from 10:00 to 11:00 (station clock), stopped.
async function session16(cs, idTag, day) {
  const t = (hhmm) => `2026-${day}T${hhmm}:00.000Z`;
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: t('09:59') });
  const started = await cs.call('StartTransaction', { connectorId: 1, idTag, meterStart: 50000, timestamp: t('10:00') });
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: t('10:00') });
  await cs.call('MeterValues', { connectorId: 1, transactionId: started.transactionId,
    meterValue: [{ timestamp: t('10:30'), sampledValue: [{ value: '55000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
  return { id: started.transactionId, stop: () => cs.call('StopTransaction', { transactionId: started.transactionId, meterStop: 60000, timestamp: t('11:00'), reason: 'Local' }) };
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  assert.equal((await api('POST', '/locations', { id: 'DEPOT', name: 'Depot', time_zone: 'Europe/Berlin' })).status, 201);
  for (const id of ['CS-A16', 'CS-B2', 'CS-C16']) assert.equal((await api('POST', '/stations', { id })).status, 201);
  for (const id of ['CS-A16', 'CS-B2']) assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: 'DEPOT' })).status, 200);
  assert.equal((await api('PUT', '/id-tokens/DRV-1', { status: 'Accepted' })).status, 200);
  assert.equal((await api('PUT', '/id-tokens/DRV-FLEET', { status: 'Accepted', parent_id_tag: 'FLEET' })).status, 200);
  for (const [id, price] of [['STD', 0.3], ['FLEET', 0.2], ['HPC', 0.5]]) {
    const put = await api('PUT', `/tariffs/${id}`, perKwh(id, price));
    assert.ok(put.status === 201 || put.status === 200, put.text);
  }
});
after(() => server.stop());

test('assignments: created, replaced, listed, refused with the field, removed', async () => {
  const created = await api('POST', '/tariff-assignments', { tariff_id: 'HPC', scope: 'evse', station_id: 'CS-B2', evse_id: 1 });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual({ ...created.body, created_at: undefined },
    { id: created.body.id, tariff_id: 'HPC', scope: 'evse', station_id: 'CS-B2', evse_id: 1, customer_group: null, created_at: undefined });
  const again = await api('POST', '/tariff-assignments', { tariff_id: 'STD', scope: 'evse', station_id: 'CS-B2', evse_id: 1 });
  assert.equal(again.status, 200, 'the same target and group: the tariff replaced');
  assert.equal(again.body.id, created.body.id);
  assert.equal(again.body.tariff_id, 'STD');

  for (const [body, field] of [
    [{ tariff_id: 'NOPE', scope: 'default' }, 'tariff_id'],
    [{ tariff_id: 'STD', scope: 'evse', station_id: 'CS-B2' }, 'evse_id'],
    [{ tariff_id: 'STD', scope: 'evse', station_id: 'CS-B2', evse_id: 0 }, 'evse_id'],
    [{ tariff_id: 'STD', scope: 'location', location_id: 'NOWHERE' }, 'location_id'],
    [{ tariff_id: 'STD', scope: 'connector', station_id: 'CS-NONE', evse_id: 1, connector_id: 1 }, 'station_id'],
    [{ tariff_id: 'STD', scope: 'default', location_id: 'DEPOT' }, 'scope'],
    [{ tariff_id: 'STD', scope: 'site' }, 'scope'],
    [{ tariff_id: 'STD', scope: 'default', customer_group: '' }, 'customer_group'],
    [{ tariff_id: 'STD', scope: 'default', colour: 'red' }, 'colour'],
  ]) {
    const res = await api('POST', '/tariff-assignments', body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.field, field, JSON.stringify(body));
  }

  const listed = await api('GET', '/tariff-assignments?station_id=CS-B2');
  assert.equal(listed.status, 200);
  assert.equal(listed.body.total, 1);
  assert.equal(listed.body.items[0].id, created.body.id);
  assert.equal((await api('DELETE', `/tariff-assignments/${created.body.id}`)).status, 204);
  assert.equal((await api('GET', `/tariff-assignments/${created.body.id}`)).status, 404);
  assert.equal((await api('DELETE', `/tariff-assignments/${created.body.id}`)).status, 404);
});

test('a session started before any assignment has no tariff: its cost is 404', async () => {
  const cs = await start16('CS-C16');
  const s = await session16(cs, 'DRV-1', '03-02');
  await s.stop();
  const cost = await api('GET', `/transactions/${s.id}/cost`);
  assert.equal(cost.status, 404, cost.text);
  assert.equal((await api('GET', '/transactions/999999/cost')).status, 404);
  await cs.close();
});

test('1.6: the location group tariff for a fleet token, the default otherwise; editing the tariff later changes no past price', async () => {
  assert.equal((await api('POST', '/tariff-assignments', { tariff_id: 'STD', scope: 'default' })).status, 201);
  assert.equal((await api('POST', '/tariff-assignments',
    { tariff_id: 'FLEET', scope: 'location', location_id: 'DEPOT', customer_group: 'FLEET' })).status, 201);
  const cs = await start16('CS-A16');

  const fleet = await session16(cs, 'DRV-FLEET', '03-03');
  let cost = await api('GET', `/transactions/${fleet.id}/cost`);
  assert.equal(cost.status, 200, cost.text);
  assert.equal(cost.body.final, false, 'running: the cost so far');
  assert.equal(cost.body.tariffs[0].id, 'FLEET');
  assert.equal(cost.body.time_zone, 'Europe/Berlin');
  await fleet.stop();
  cost = await api('GET', `/transactions/${fleet.id}/cost`);
  assert.equal(cost.body.final, true);
  assert.equal(cost.body.currency, 'EUR');
  assert.equal(cost.body.total_energy, 10);
  assert.deepEqual(cost.body.total_cost, { excl_vat: 2, incl_vat: 2.4 }, '10 kWh at 0.20 + 20 % VAT');
  assert.equal(cost.body.total_time, 1);
  assert.ok(cost.body.charging_periods.length >= 1);

  const plain = await session16(cs, 'DRV-1', '03-04');
  await plain.stop();
  cost = await api('GET', `/transactions/${plain.id}/cost`);
  assert.equal(cost.body.tariffs[0].id, 'STD');
  assert.deepEqual(cost.body.total_cost, { excl_vat: 3, incl_vat: 3.6 });

  // The tariff doubles: the sessions already started keep the price they started with.
  assert.ok([200, 201].includes((await api('PUT', '/tariffs/STD', perKwh('STD', 0.6))).status));
  cost = await api('GET', `/transactions/${plain.id}/cost`);
  assert.deepEqual(cost.body.total_cost, { excl_vat: 3, incl_vat: 3.6 });
  const later = await session16(cs, 'DRV-1', '03-05');
  await later.stop();
  cost = await api('GET', `/transactions/${later.id}/cost`);
  assert.deepEqual(cost.body.total_cost, { excl_vat: 6, incl_vat: 7.2 });
  await cs.close();
});

test('2.0.1: a connector assignment beats the location group tariff; parking after charging is priced', async () => {
  const hpc = await api('POST', '/tariff-assignments', { tariff_id: 'HPC', scope: 'connector', station_id: 'CS-B2', evse_id: 1, connector_id: 1 });
  assert.equal(hpc.status, 201, hpc.text);
  const st = new Station2(server, 'CS-B2');
  await st.connect();
  await st.booted();
  await st.authorized({ idToken: 'DRV-FLEET', type: 'ISO14443' });
  await st.event('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' });
  st.clock += 3600 * 1000;
  await st.event('Updated', 'ChargingStateChanged', { meterValue: st.energy(9000, 'Sample.Periodic') }, { chargingState: 'SuspendedEV' });
  const tx = (await api('GET', '/transactions?station=CS-B2')).body.items[0];
  await st.evDisconnected();
  const cost = await api('GET', `/transactions/${tx.id}/cost`);
  assert.equal(cost.status, 200, cost.text);
  assert.equal(cost.body.tariffs[0].id, 'HPC');
  assert.equal(cost.body.total_energy, 7, '8000 - 1000 Wh');
  assert.deepEqual(cost.body.total_cost, { excl_vat: 3.5, incl_vat: 4.2 });
  assert.ok(cost.body.total_parking_time > 0, 'suspended by the EV: parking');
  await st.close();
});

test('gridlane admin tariff assign|assignments|unassign: the same rules as the API', async () => {
  const made = cli('assign', 'HPC', '--station', 'CS-A16', '--evse', '1', '--group', 'VIP', '--json');
  assert.equal(made.status, 0, made.stderr);
  const a = JSON.parse(made.stdout);
  assert.equal(a.scope, 'evse');
  assert.equal(a.customer_group, 'VIP');
  const listed = cli('assignments', '--station', 'CS-A16', '--json');
  assert.equal(listed.status, 0, listed.stderr);
  assert.deepEqual(JSON.parse(listed.stdout).map((x) => x.id), [a.id]);
  const refused = cli('assign', 'NOPE', '--default');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /no tariff 'NOPE'/);
  assert.equal(cli('unassign', String(a.id)).status, 0);
  assert.equal(cli('unassign', String(a.id)).status, 1);
  assert.equal((await api('GET', `/tariff-assignments/${a.id}`)).status, 404);
});
