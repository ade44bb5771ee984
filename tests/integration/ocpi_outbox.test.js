// The roaming outbox against the real binary and the test eMSP over real HTTP: a partner that
// is down for a while (answering 503, then with its port closed) gets no call per update but
// a probe per back-off period; Gridlane is restarted in the middle; once the partner is back it
// receives every update it missed, each exactly once and in order, and the operator API shows
// the backlog while it waits and its end. A partner that never answers in time (a hung
// connection) is held the same way; one that refuses an object for good gets it three times,
// then the object is kept as dead and the updates after it flow.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { startPartner, ocpiConfig } = require('./ocpi_partner');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const type2 = { standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32,
                max_electric_power: 22000 };
const config = ocpiConfig({ retry_min_ms: 200, retry_max_ms: 1000, request_timeout_ms: 800 }) +
  '[ocpp]\nrequest_base_report = false\n';

let server;
let emsp;
let token;
let evseUid;

const api = async (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
const delivery = async () => {
  const res = await api('GET', `/ocpi/partners/${emsp.partnerId}`);
  assert.equal(res.status, 200, res.text);
  return res.body.delivery;
};
// Waits (bounded) until the partner's backlog is `n`.
async function backlogIs(n, ms = 8000) {
  const end = Date.now() + ms;
  let d;
  while (Date.now() < end) {
    d = await delivery();
    if (d.backlog === n) return d;
    await sleep(50);
  }
  assert.fail(`backlog ${d && d.backlog}, expected ${n}`);
}
const good = (r) => typeof r.answered === 'number' && r.answered >= 200 && r.answered < 300;
const statusPatches = () => emsp.received('locations', 'PATCH')
  .filter((r) => r.path.endsWith(`/DE/GRL/LOC-OUT/${evseUid}`));

async function station() {
  const cs = server.client('OUT-1');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  return cs;
}
const status = (cs, s) => cs.call('StatusNotification', { connectorId: 1, errorCode: s === 'Faulted' ? 'OtherError' : 'NoError', status: s });

before(async () => {
  server = await startServer({ config });
  token = await server.adminToken();
  // Registered first, so every change of the location below is the partner's to receive.
  emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  await emsp.register(server, { direction: 'partner-first' });
  const loc = await api('POST', '/locations', { id: 'LOC-OUT', name: 'Outbox', address: 'Weg 1', city: 'Berlin',
    postal_code: '10557', country: 'DEU', coordinates: { latitude: '52.525083', longitude: '13.369402' },
    time_zone: 'Europe/Berlin', publish: true });
  assert.equal(loc.status, 201, loc.text);
  assert.equal((await api('POST', '/stations', { id: 'OUT-1' })).status, 201);
  assert.equal((await api('PUT', '/stations/OUT-1/location', { location_id: 'LOC-OUT' })).status, 200);
  const evse = await api('POST', '/stations/OUT-1/evses',
    { evse_id: 1, emi3_id: 'DE*GRL*EOUT1', connectors: [{ connector_id: 1, ...type2 }] });
  assert.equal(evse.status, 201, evse.text);
  evseUid = evse.body.uid;
  // The location reaches the partner whole before any station reports: a report read in the
  // same drain as the location's own changes travels inside its PUT, not as a PATCH.
  await emsp.waitFor((p) => p.objects('locations').some((l) => l.id === 'LOC-OUT'
    && (l.evses || []).some((e) => e.uid === String(evseUid))), 5000);
  await backlogIs(0);
});

after(async () => {
  if (emsp) await emsp.stop();
  if (server) await server.stop();
});

test('ocpi outbox: a partner down for a while, Gridlane restarted meanwhile, gets every missed update in order', async () => {
  let cs = await station();
  await status(cs, 'Available');
  await emsp.waitFor(() => statusPatches().some((r) => r.body.status === 'AVAILABLE'), 5000);
  await backlogIs(0);

  const ok = () => statusPatches().filter(good);
  const okBefore = ok().length;
  await emsp.down('503');
  const downFrom = emsp.requests.length;
  const startedDown = Date.now();
  // Each change waits for its own item, so the test knows what the partner must receive.
  const expected = [];
  let backlog = 0;
  for (const [ocpp, ocpi] of [['Charging', 'CHARGING'], ['Unavailable', 'INOPERATIVE'], ['Faulted', 'OUTOFORDER']]) {
    await status(cs, ocpp);
    expected.push(ocpi);
    await backlogIs(++backlog);
  }
  const held = await delivery();
  assert.match(held.last_error, /HTTP 503/);
  assert.ok(held.oldest_pending_at, 'the oldest pending item is shown');
  assert.equal(held.dead, 0);

  // A restart while the partner is still down: the backlog is in the database.
  await cs.close();
  await server.stop();
  await server.start();
  assert.equal((await delivery()).backlog, backlog, 'nothing lost in the restart');
  await emsp.down('refuse'); // now its port is closed
  cs = await station();
  for (const [ocpp, ocpi] of [['Reserved', 'RESERVED'], ['Available', 'AVAILABLE']]) {
    await status(cs, ocpp);
    expected.push(ocpi);
    await backlogIs(++backlog);
  }
  await sleep(1500);
  const downFor = (Date.now() - startedDown) / 1000;
  const callsWhileDown = emsp.requests.length - downFrom;
  // Back-off 200 ms doubling to 1 s, one probe at a time: a few calls a second at most, not
  // one per item and retry.
  assert.ok(callsWhileDown <= 3 + 2 * downFor, `${callsWhileDown} calls in ${downFor.toFixed(1)} s while down`);
  assert.equal(ok().length, okBefore, 'nothing reached it while it was down');

  const before = statusPatches().length;
  await emsp.up();
  await emsp.waitFor(() => ok().length === okBefore + expected.length, 8000);
  const d = await backlogIs(0);
  assert.ok(d.last_success_at);
  assert.equal(d.dead, 0);
  const received = statusPatches().slice(before).filter(good).map((r) => r.body.status);
  assert.deepEqual(received, expected, 'every missed update once, in order');
  await cs.close();
  emsp.assertConforms(assert);
});

test('ocpi outbox: a partner that never answers in time is held like one that is down', async () => {
  const cs = await station();
  await emsp.down('hang');
  const from = emsp.requests.length;
  await status(cs, 'Charging');
  await backlogIs(1);
  await sleep(2500);
  const calls = emsp.requests.length - from;
  assert.ok(calls >= 1 && calls <= 5, `${calls} calls in 2.5 s to a partner that hangs`);
  assert.match((await delivery()).last_error, /no answer within 800 ms/);
  await emsp.up();
  await emsp.waitFor(() => good(statusPatches().at(-1)) && statusPatches().at(-1).body.status === 'CHARGING',
    8000);
  await backlogIs(0);
  await cs.close();
});

test('ocpi outbox: an update the partner refuses for good is tried three times, kept as dead, and does not block', async () => {
  const cs = await station();
  emsp.intercept = (r) => (r.module === 'locations' && r.method === 'PATCH' && r.body && r.body.status === 'OUTOFORDER'
    ? { status: 400, status_code: 2001, status_message: 'not today' } : null);
  const from = statusPatches().length;
  await status(cs, 'Faulted');
  await emsp.waitFor(() => statusPatches().slice(from).some((r) => r.body.status === 'OUTOFORDER'), 5000);
  await status(cs, 'Available');
  await emsp.waitFor(() => statusPatches().slice(from).some((r) => good(r) && r.body.status === 'AVAILABLE'),
    8000);
  emsp.intercept = null;
  const tried = statusPatches().slice(from).map((r) => `${r.body.status} ${good(r) ? 'accepted' : r.answered}`);
  assert.deepEqual(tried, ['OUTOFORDER 400', 'OUTOFORDER 400', 'OUTOFORDER 400', 'AVAILABLE accepted']);
  const d = await backlogIs(0);
  assert.equal(d.dead, 1);
  assert.match(d.last_error, /HTTP 400, OCPI 2001: not today/);
  await cs.close();
});
