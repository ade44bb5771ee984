// OCPI Sessions and CDRs, Gridlane as Sender (docs/ocpi.md "Sessions", "CDRs"), against the real
// binary and the test eMSP over real HTTP: a strict 1.6 station charges with the eMSP's token
// under a tariff; the eMSP receives the Session PUT, PATCHes with energy and cost, then
// COMPLETED; the CDR is POSTed once (its credit CDR once more), and nothing again after a
// restart; both lists are GET paged with date filters, and hold only the partner's own.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { startPartner, ocpiConfig } = require('./ocpi_partner');

const CONFIG = ocpiConfig() + '[pricing]\ncost_update_interval = 0\n[ocpp]\nrequest_base_report = false\n';
const CARD = 'EMS-CARD-1';

let server;
let emsp;
let admin;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token: admin, body });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// 0.25 EUR/kWh excl. VAT with 21 % VAT, and a 0.50 start fee.
const tariff = {
  country_code: 'DE', party_id: 'GRL', id: 'ROAM-025', currency: 'EUR',
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 21.0, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21.0, step_size: 1 }] },
  ],
  last_updated: '2026-01-01T00:00:00Z',
};

async function startStation(id) {
  const cs = server.client(id);
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22', meterSerialNumber: 'MT-R1' });
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: new Date().toISOString() });
  return cs;
}

// One whole session on a station: start, two readings, stop. Returns the transaction id.
async function charge(cs, idTag, { start = 1000, stop = 11000 } = {}) {
  const t0 = Date.now();
  const started = await cs.call('StartTransaction', { connectorId: 1, idTag, meterStart: start, timestamp: new Date(t0).toISOString() });
  const id = started.transactionId;
  return {
    id,
    reading: (wh) => cs.call('MeterValues', { connectorId: 1, transactionId: id, meterValue: [{ timestamp: new Date().toISOString(),
      sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] }),
    stop: () => cs.call('StopTransaction', { transactionId: id, idTag, meterStop: stop, timestamp: new Date().toISOString(), reason: 'EVDisconnected' }),
  };
}

const sessionRequests = (id) => emsp.received('sessions').filter((r) => r.segments[r.segments.length - 1] === String(id));
const cdrPosts = (id) => emsp.received('cdrs', 'POST').filter((r) => r.body && r.body.id === id);

before(async () => {
  server = await startServer({ config: CONFIG });
  admin = await server.adminToken();
  const loc = await api('POST', '/locations', {
    id: 'ROAM-LOC', name: 'Roaming Square', address: 'Marktplatz 1', city: 'Berlin', postal_code: '10117',
    country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, time_zone: 'Europe/Berlin', publish: true,
  });
  assert.equal(loc.status, 201, loc.text);
  const put = await api('PUT', '/tariffs/ROAM-025', tariff);
  assert.ok(put.status === 200 || put.status === 201, put.text);
  const assigned = await api('POST', '/tariff-assignments', { tariff_id: 'ROAM-025', scope: 'location', location_id: 'ROAM-LOC' });
  assert.ok(assigned.status === 200 || assigned.status === 201, assigned.text);
  for (const id of ['CS-ROAM-1', 'CS-ROAM-2']) {
    server.admin('station', 'add', id);
    const at = await api('PUT', `/stations/${id}/location`, { location_id: 'ROAM-LOC' });
    assert.equal(at.status, 200, at.text);
  }
  server.admin('token', 'add', 'OWN-TAG');
  emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  await emsp.register(server, { direction: 'partner-first', encoding: 'base64' });
  const pushed = await emsp.pushToken({ uid: CARD, whitelist: 'ALLOWED' });
  assert.ok(pushed.status === 200 || pushed.status === 201, pushed.text);
});

after(async () => {
  if (emsp) await emsp.stop();
  if (server) await server.stop();
});

let first; // the transaction id of the roaming session
let firstCdr;

test('a session with the eMSP token is PUT, PATCHed while it runs and PATCHed COMPLETED at the end', async () => {
  const cs = await startStation('CS-ROAM-1');
  try {
    const s = await charge(cs, CARD);
    first = s.id;
    const put = await emsp.waitFor(() => sessionRequests(s.id).find((r) => r.method === 'PUT'), 5000);
    assert.equal(put.path.endsWith(`/DE/GRL/${s.id}`), true, put.path);
    assert.equal(put.body.id, String(s.id));
    assert.equal(put.body.status, 'ACTIVE');
    assert.equal(put.body.country_code, 'DE');
    assert.equal(put.body.party_id, 'GRL');
    assert.equal(put.body.location_id, 'ROAM-LOC');
    assert.equal(put.body.connector_id, '1');
    assert.equal(put.body.auth_method, 'WHITELIST');
    assert.deepEqual(put.body.cdr_token, { country_code: 'NL', party_id: 'EMS', uid: CARD, type: 'RFID', contract_id: `NL-EMS-C${CARD}` });
    assert.equal(put.body.currency, 'EUR');

    await s.reading(5000);
    const patch = await emsp.waitFor(() => sessionRequests(s.id).find((r) => r.method === 'PATCH' && r.body.kwh === 4), 5000);
    assert.equal(patch.body.status, 'ACTIVE');
    assert.ok(patch.body.last_updated, 'a PATCH carries last_updated');
    assert.equal(patch.body.cdr_token, undefined, 'a PATCH carries what changes');
    // 0.50 start fee + 4 kWh at 0.25 = 1.50 excl. VAT.
    assert.equal(patch.body.total_cost.excl_vat, 1.5);

    await s.reading(9000);
    await emsp.waitFor(() => sessionRequests(s.id).find((r) => r.method === 'PATCH' && r.body.kwh === 8), 5000);
    await s.stop();
    const done = await emsp.waitFor(() => sessionRequests(s.id).find((r) => r.body && r.body.status === 'COMPLETED'), 5000);
    assert.equal(done.method, 'PATCH');
    assert.equal(done.body.kwh, 10);
    assert.ok(done.body.end_date_time);
    assert.deepEqual(done.body.total_cost, { excl_vat: 3, incl_vat: 3.63 });

    // In order, and what the eMSP holds is the finished session.
    const methods = sessionRequests(s.id).map((r) => `${r.method} ${r.body.status}`);
    assert.equal(methods[0], 'PUT ACTIVE');
    assert.equal(methods[methods.length - 1], 'PATCH COMPLETED');
    const held = emsp.objects('sessions').find((x) => x.id === String(s.id));
    assert.equal(held.status, 'COMPLETED');
    assert.equal(held.kwh, 10);
    assert.ok(held.charging_periods && held.charging_periods.length >= 1, 'the charging periods reached the eMSP');
  } finally {
    await cs.close();
  }
  emsp.assertConforms(assert);
});

test('the CDR of the roaming session is POSTed once to the eMSP, with its token and Gridlane as CPO', async () => {
  const id = `CDR-${first}`;
  const post = await emsp.waitFor(() => cdrPosts(id)[0], 5000);
  const c = post.body;
  firstCdr = c;
  assert.equal(c.country_code, 'DE');
  assert.equal(c.party_id, 'GRL');
  assert.equal(c.session_id, String(first));
  assert.deepEqual(c.cdr_token, { country_code: 'NL', party_id: 'EMS', uid: CARD, type: 'RFID', contract_id: `NL-EMS-C${CARD}` });
  assert.deepEqual(c.total_cost, { excl_vat: 3, incl_vat: 3.63 });
  assert.equal(c.total_energy, 10);
  assert.equal(c.cdr_location.id, 'ROAM-LOC');
  assert.equal(c.tariffs[0].id, 'ROAM-025');
  await sleep(1000);
  assert.equal(cdrPosts(id).length, 1, 'POSTed exactly once');

  // A credit CDR goes to the same eMSP, once.
  const credit = await api('POST', `/cdrs/${id}/credit`, { remark: 'wrong tariff' });
  assert.equal(credit.status, 201, credit.text);
  const posted = await emsp.waitFor(() => cdrPosts(`${id}-C`)[0], 5000);
  assert.equal(posted.body.credit, true);
  assert.equal(posted.body.credit_reference_id, id);
  assert.deepEqual(posted.body.total_cost, { excl_vat: -3, incl_vat: -3.63 });
  emsp.assertConforms(assert);
});

test('a session with a token of Gridlane\'s own is neither pushed nor listed to the eMSP', async () => {
  const before = emsp.received('sessions').length;
  const cs = await startStation('CS-ROAM-2');
  let own;
  try {
    const s = await charge(cs, 'OWN-TAG', { stop: 2000 });
    own = s.id;
    await s.stop();
  } finally {
    await cs.close();
  }
  await sleep(1000);
  assert.equal(emsp.received('sessions').length, before);
  assert.equal(emsp.received('cdrs', 'POST').filter((r) => r.body.id === `CDR-${own}`).length, 0);
  const all = await emsp.getAll('sessions');
  assert.ok(!all.items.some((x) => x.id === String(own)));
});

test('the eMSP GETs its sessions and CDRs paged, with date filters', async () => {
  // A second roaming session, so there are two to page over.
  const cs = await startStation('CS-ROAM-1');
  let second;
  try {
    const s = await charge(cs, CARD, { stop: 3000 });
    second = s.id;
    await s.stop();
  } finally {
    await cs.close();
  }
  await emsp.waitFor(() => cdrPosts(`CDR-${second}`)[0], 5000);

  const all = await emsp.getAll('sessions');
  assert.deepEqual(all.items.map((x) => x.id).sort(), [String(first), String(second)].sort());
  const paged = await emsp.getAll('sessions', { limit: 1 });
  assert.equal(paged.pages.length, 2, 'one session a page, Link to the next');
  assert.equal(paged.pages[0].headers['x-total-count'], '2');
  assert.equal(paged.pages[0].headers['x-limit'], '1');
  assert.deepEqual(paged.items.map((x) => x.id), all.items.map((x) => x.id));
  const firstSession = all.items.find((x) => x.id === String(first));
  assert.equal(firstSession.status, 'COMPLETED');
  assert.equal(firstSession.kwh, 10);
  assert.deepEqual(firstSession.total_cost, { excl_vat: 3, incl_vat: 3.63 });

  // date_from is inclusive and date_to exclusive, on last_updated.
  const future = iso(Date.now() + 3600e3);
  assert.equal((await emsp.getAll('sessions', { date_from: future })).items.length, 0);
  assert.equal((await emsp.getAll('sessions', { date_to: '2020-01-01T00:00:00Z' })).items.length, 0);
  const since = (await emsp.getAll('sessions', { date_from: firstSession.last_updated })).items.map((x) => x.id);
  assert.ok(since.includes(String(first)));

  const cdrs = await emsp.getAll('cdrs');
  assert.deepEqual(cdrs.items.map((x) => x.id).sort(), [`CDR-${first}`, `CDR-${first}-C`, `CDR-${second}`].sort());
  const cdrPages = await emsp.getAll('cdrs', { limit: 2 });
  assert.equal(cdrPages.pages.length, 2);
  assert.equal(cdrPages.pages[0].headers['x-total-count'], '3');
  assert.deepEqual(cdrs.items.find((x) => x.id === `CDR-${first}`), firstCdr);
  assert.equal((await emsp.getAll('cdrs', { date_from: future })).items.length, 0);

  // A malformed filter is 2001.
  const bad = await emsp.get('cdrs', { date_from: 'yesterday' });
  assert.equal(bad.status, 200); // 2001 in the envelope, no HTTP error
  assert.equal(bad.body.status_code, 2001);
  emsp.assertConforms(assert);
});

test('charging preferences: refused as the spec says for an EVSE without the capability; a bad body is 2001', async () => {
  const url = `${emsp.gridlaneEndpoint('sessions', 'SENDER')}/${first}/charging_preferences`;
  const ok = await emsp.call('PUT', url, { body: { profile_type: 'FAST' }, routing: true });
  assert.equal(ok.status, 404, ok.text);
  assert.equal(ok.body.status_code, 2001);
  const bad = await emsp.call('PUT', url, { body: { profile_type: 'SLOW' }, routing: true });
  assert.equal(bad.status, 200, bad.text);
  assert.equal(bad.body.status_code, 2001);
  assert.match(bad.body.status_message, /profile_type/);
});

test('after a restart nothing is pushed again', async () => {
  const posts = emsp.received('cdrs', 'POST').length;
  const sessions = emsp.received('sessions').length;
  await server.stop();
  server = await startServer({ dir: server.dir, config: CONFIG });
  admin = await server.adminToken();
  await sleep(1500);
  assert.equal(emsp.received('cdrs', 'POST').length, posts);
  assert.equal(emsp.received('sessions').length, sessions);
});
