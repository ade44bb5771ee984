// GET /api/v1/overview (docs/api.md "Overview") against the real binary: stations by state
// (connected, faulted, unavailable), sessions now and today with their energy, revenue today
// from CDRs, availability over the last 24 h, the day in a time zone; roles and bad input.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

let server;
let token;
const api = (method, path, body, t = token) => server.request(method, `/api/v1${path}`, { token: t, body });

// 0.25 EUR/kWh excl. VAT with 21 % VAT, and a 0.50 start fee (as in cdrs.test.js).
const tariff = {
  country_code: 'NL', party_id: 'GRL', id: 'OV-KWH', currency: 'EUR',
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 21.0, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21.0, step_size: 1 }] },
  ],
  last_updated: '2026-01-01T00:00:00Z',
};

async function overview(query = '') {
  const res = await api('GET', `/overview${query}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

// Polls the overview (up to 5 s) until `ok(body)`; returns the last body for the assertion.
async function overviewWhen(ok) {
  let body;
  for (let i = 0; i < 50; i++) {
    body = await overview();
    if (ok(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  return body;
}

async function bootWithStatus(id, status) {
  const cs = server.client(id);
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' });
  await cs.call('StatusNotification', { connectorId: 1, status, errorCode: status === 'Faulted' ? 'GroundFailure' : 'NoError' });
  return cs;
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
});
after(() => server.stop());

test('an empty fleet: zeros, no revenue, no availability yet', async () => {
  const o = await overview();
  assert.deepEqual(o.stations, { total: 0, online: 0, offline: 0, faulted: 0, unavailable: 0 });
  assert.equal(o.sessions_active, 0);
  assert.equal(o.sessions_today, 0);
  assert.equal(o.energy_today_wh, 0);
  assert.deepEqual(o.revenue_today, []);
  assert.equal(o.availability_24h, null);
  assert.equal(o.time_zone, 'UTC');
  assert.match(o.day_start, /T00:00:00(\.000)?Z$/);
  assert.ok(Math.abs(Date.parse(o.at) - Date.now()) < 60000);
});

test('stations by state, sessions and energy today, revenue from CDRs, availability', async () => {
  const loc = await api('POST', '/locations', {
    id: 'OV-LOC', name: 'Overview site', address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB',
    country: 'NLD', coordinates: { latitude: '52.378901', longitude: '4.900581' }, time_zone: 'Europe/Amsterdam',
  });
  assert.equal(loc.status, 201, loc.text);
  assert.ok([200, 201].includes((await api('PUT', '/tariffs/OV-KWH', tariff)).status));
  const assigned = await api('POST', '/tariff-assignments', { tariff_id: 'OV-KWH', scope: 'location', location_id: 'OV-LOC' });
  assert.ok([200, 201].includes(assigned.status), assigned.text);
  server.admin('station', 'add', 'OV-A');
  assert.equal((await api('PUT', '/stations/OV-A/location', { location_id: 'OV-LOC' })).status, 200);
  server.admin('token', 'add', 'OV-TAG');

  const a = await bootWithStatus('OV-A', 'Available');
  const b = await bootWithStatus('OV-B', 'Faulted');
  const c = await bootWithStatus('OV-C', 'Unavailable');
  await c.close();
  try {
    let o = await overviewWhen((x) => x.stations.online === 2);
    assert.deepEqual(o.stations, { total: 3, online: 2, offline: 1, faulted: 1, unavailable: 1 });
    // Two of three connectors have been down since they first reported, a moment after the
    // first: after 1.5 s, about a third of the connector-time was up.
    await new Promise((r) => setTimeout(r, 1500));
    o = await overview();
    assert.ok(o.availability_24h > 0.25 && o.availability_24h < 0.45, `availability ${o.availability_24h}`);

    const start = new Date(Date.now() - 60000).toISOString();
    const started = await a.call('StartTransaction', { connectorId: 1, idTag: 'OV-TAG', meterStart: 1000, timestamp: start });
    const tx = started.transactionId;
    await a.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: new Date().toISOString(),
      sampledValue: [{ value: '4000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    o = await overviewWhen((x) => x.sessions_active === 1 && x.energy_today_wh === 3000);
    assert.equal(o.sessions_active, 1);
    assert.equal(o.sessions_today, 1);
    assert.equal(o.energy_today_wh, 3000, 'a running session counts with its energy so far');
    assert.deepEqual(o.revenue_today, []);

    await a.call('StopTransaction', { transactionId: tx, idTag: 'OV-TAG', meterStop: 11000,
      timestamp: new Date().toISOString(), reason: 'EVDisconnected' });
    o = await overviewWhen((x) => x.revenue_today.length === 1);
    assert.equal(o.sessions_active, 0);
    assert.equal(o.sessions_today, 1);
    assert.equal(o.energy_today_wh, 10000);
    // 0.50 start fee + 10 kWh at 0.25 = 3.00 excl. VAT, 3.63 incl. 21 % VAT.
    assert.deepEqual(o.revenue_today, [{ currency: 'EUR', excl_vat: '3.00', incl_vat: '3.63' }]);

    // A credit CDR nets the day's revenue to zero.
    const credit = await api('POST', `/cdrs/CDR-${tx}/credit`, { remark: 'goodwill' });
    assert.ok([200, 201].includes(credit.status), credit.text);
    o = await overview();
    assert.deepEqual(o.revenue_today, [{ currency: 'EUR', excl_vat: '0.00', incl_vat: '0.00' }]);

    // The faulted station recovers: no station is faulted any more.
    await b.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    o = await overviewWhen((x) => x.stations.faulted === 0);
    assert.equal(o.stations.faulted, 0);
    assert.equal(o.stations.unavailable, 1);
  } finally {
    await a.close();
    await b.close();
  }
});

test('today in a time zone starts at its local midnight', async () => {
  const o = await overview('?time_zone=Europe/Berlin');
  assert.equal(o.time_zone, 'Europe/Berlin');
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23' }).format(new Date(o.day_start));
  assert.equal(local, '00:00');
  const ms = Date.parse(o.at) - Date.parse(o.day_start);
  assert.ok(ms >= 0 && ms < 25 * 3600 * 1000, 'now is within the day');
});

test('roles and bad input', async () => {
  const bad = await api('GET', '/overview?time_zone=Mars/Olympus');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.field, 'time_zone');
  assert.equal((await api('GET', '/overview', undefined, null)).status, 401);
  server.admin('user', 'add', 'ov-viewer', '--role', 'viewer', '--password', 'viewer password 1');
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'ov-viewer', password: 'viewer password 1' } });
  assert.equal(login.status, 200, login.text);
  const seen = await api('GET', '/overview', undefined, login.body.token);
  assert.equal(seen.status, 200, 'a viewer sees the overview');
  assert.equal(seen.body.stations.total, 3);
});
