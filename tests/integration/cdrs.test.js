// Charge detail records (docs/cdrs.md) against the real binary: a 1.6 and a 2.0.1 station each
// charge under a tariff assigned to their location; each ended session gets exactly one CDR, in
// the OCPI 2.2.1 shape, priced as the session's cost; lists filter, the CSV export agrees, a
// credit CDR nets the original to zero and is issued once; the billing run finds nothing left.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, BIN } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

// 0.25 EUR/kWh excl. VAT with 21 % VAT, and a 0.50 start fee.
const tariff = {
  country_code: 'NL', party_id: 'GRL', id: 'KWH-025', currency: 'EUR',
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 21.0, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21.0, step_size: 1 }] },
  ],
  last_updated: '2026-01-01T00:00:00Z',
};

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'cdrs', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

// The CDR of a transaction, once the session-end hook has made it (it runs after the stop's commit).
async function cdrOf(transactionId) {
  for (let i = 0; i < 50; i++) {
    const res = await api('GET', `/cdrs/CDR-${transactionId}`);
    if (res.status === 200) return res.body;
    assert.equal(res.status, 404, res.text);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no CDR for transaction ${transactionId}`);
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  const loc = await api('POST', '/locations', {
    id: 'AMS-CDR', name: 'Amsterdam CDR', address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB',
    country: 'NLD', coordinates: { latitude: '52.378901', longitude: '4.900581' }, time_zone: 'Europe/Amsterdam',
  });
  assert.equal(loc.status, 201, loc.text);
  const put = await api('PUT', '/tariffs/KWH-025', tariff);
  assert.ok(put.status === 200 || put.status === 201, put.text);
  const assigned = await api('POST', '/tariff-assignments', { tariff_id: 'KWH-025', scope: 'location', location_id: 'AMS-CDR' });
  assert.ok(assigned.status === 200 || assigned.status === 201, assigned.text);
  for (const id of ['CS-CDR-16', 'CS-CDR-201']) {
    server.admin('station', 'add', id);
    const at = await api('PUT', `/stations/${id}/location`, { location_id: 'AMS-CDR' });
    assert.equal(at.status, 200, at.text);
  }
  server.admin('token', 'add', 'CDR-TAG');
  server.admin('token', 'add', 'TOKEN-OK');
});
after(() => server.stop());

let cdr16;

test('a 1.6 session ends and gets one OCPI CDR, priced as its cost, made once', async () => {
  const cs = server.client('CS-CDR-16');
  await cs.connect();
  try {
    await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22', meterSerialNumber: 'MT-9' });
    const started = await cs.call('StartTransaction', { connectorId: 1, idTag: 'CDR-TAG', meterStart: 1000, timestamp: '2026-05-04T08:00:00.000Z' });
    const id = started.transactionId;
    await cs.call('MeterValues', { connectorId: 1, transactionId: id, meterValue: [{ timestamp: '2026-05-04T08:30:00.000Z',
      sampledValue: [{ value: '6000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    const stop = { transactionId: id, idTag: 'CDR-TAG', meterStop: 11000, timestamp: '2026-05-04T09:00:00.000Z', reason: 'EVDisconnected' };
    await cs.call('StopTransaction', stop);
    const c = await cdrOf(id);
    cdr16 = c;
    assert.equal(c.id, `CDR-${id}`);
    assert.equal(c.session_id, String(id));
    assert.equal(c.country_code, 'NL');
    assert.equal(c.party_id, 'GRL');
    assert.equal(c.start_date_time, '2026-05-04T08:00:00Z');
    assert.equal(c.end_date_time, '2026-05-04T09:00:00Z');
    assert.deepEqual(c.cdr_token, { country_code: 'NL', party_id: 'GRL', uid: 'CDR-TAG', type: 'RFID', contract_id: 'CDR-TAG' });
    assert.equal(c.auth_method, 'WHITELIST');
    assert.equal(c.cdr_location.id, 'AMS-CDR');
    assert.equal(c.cdr_location.city, 'Amsterdam');
    assert.equal(c.cdr_location.country, 'NLD');
    assert.equal(c.cdr_location.connector_id, '1');
    assert.equal(c.meter_id, 'MT-9');
    assert.equal(c.currency, 'EUR');
    assert.equal(c.tariffs.length, 1);
    assert.equal(c.tariffs[0].id, 'KWH-025');
    assert.ok(c.charging_periods.length >= 1);
    assert.equal(c.total_energy, 10);
    // 0.50 start fee + 10 kWh at 0.25 = 3.00 excl. VAT, 3.63 incl. 21 % VAT.
    assert.deepEqual(c.total_cost, { excl_vat: 3, incl_vat: 3.63 });
    assert.deepEqual(c.total_energy_cost, { excl_vat: 2.5, incl_vat: 3.025 });
    assert.deepEqual(c.total_fixed_cost, { excl_vat: 0.5, incl_vat: 0.605 });
    assert.equal(c.remark, 'EVDisconnected');
    assert.equal(c.credit, undefined);

    // The session's cost as the API shows it is the CDR's, to the cent.
    const cost = await api('GET', `/transactions/${id}/cost`);
    assert.equal(cost.status, 200, cost.text);
    assert.deepEqual(cost.body.total_cost, c.total_cost);

    // A stop re-sent after a reconnect changes nothing: still one CDR, the same one.
    await cs.call('StopTransaction', stop);
    await new Promise((r) => setTimeout(r, 300));
    const list = await api('GET', '/cdrs?station=CS-CDR-16');
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.total, 1);
    assert.deepEqual(list.body.items[0], c);
  } finally {
    await cs.close();
  }
});

test('a 2.0.1 session ends and gets its CDR with the signed readings', async () => {
  const st = new Station2(server, 'CS-CDR-201');
  await st.connect();
  try {
    await st.booted();
    await st.status('Occupied');
    st.begin();
    const signed = (data, context) => ({ signedMeterData: data, signingMethod: '', encodingMethod: 'OCMF', publicKey: 'PUBKEY' });
    await st.event('Started', 'Authorized', { idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' },
      meterValue: st.energy(1000, 'Transaction.Begin', { signedMeterValue: signed('U1RBUlQ=') }) }, { chargingState: 'Charging' });
    st.clock += 3600 * 1000;
    await st.event('Ended', 'EVCommunicationLost', { meterValue: st.energy(5000, 'Transaction.End', { signedMeterValue: signed('RU5E') }) },
      { chargingState: 'Idle', stoppedReason: 'EVDisconnected' });
    const txs = await api('GET', '/transactions?station=CS-CDR-201');
    assert.equal(txs.status, 200, txs.text);
    const c = await cdrOf(txs.body.items[0].id);
    assert.equal(c.total_energy, 4);
    assert.deepEqual(c.total_cost, { excl_vat: 1.5, incl_vat: 1.815 });
    assert.equal(c.signed_data.encoding_method, 'OCMF');
    assert.equal(c.signed_data.public_key, 'PUBKEY');
    assert.deepEqual(c.signed_data.signed_values.map((v) => [v.nature, v.signed_data]), [['Start', 'U1RBUlQ='], ['End', 'RU5E']]);
  } finally {
    await st.close();
  }
});

test('lists filter in the database and the CSV export shows the same CDRs', async () => {
  const all = await api('GET', '/cdrs');
  assert.equal(all.body.total, 2);
  for (const [query, n] of [['location=AMS-CDR', 2], ['location=ELSEWHERE', 0], ['token=CDR-TAG', 1], ['currency=EUR', 2],
    ['currency=CHF', 0], ['from=2026-05-04T09:00:00Z&to=2026-05-04T09:00:01Z', 1], ['credit=true', 0], ['limit=1', 2]]) {
    const res = await api('GET', `/cdrs?${query}`);
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    assert.equal(res.body.total, n, query);
  }
  for (const query of ['from=yesterday', 'currency=euro', 'credit=maybe']) {
    const res = await api('GET', `/cdrs?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
  }
  assert.equal((await api('GET', '/cdrs/CDR-NOPE')).status, 404);

  const csv = await server.request('GET', '/api/v1/cdrs.csv?token=CDR-TAG', { token });
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  assert.equal(csv.headers['x-total-count'], '1');
  const lines = csv.text.trimEnd().split('\r\n');
  assert.equal(lines.length, 2);
  const header = lines[0].split(',');
  const row = Object.fromEntries(lines[1].split(',').map((v, i) => [header[i], v]));
  assert.equal(row.id, cdr16.id);
  assert.equal(row.total_cost_excl_vat, '3');
  assert.equal(row.total_cost_incl_vat, '3.63');
  assert.equal(row.total_energy_kwh, '10');
  assert.equal(row.tariff_id, 'KWH-025');
  assert.equal(row.location_id, 'AMS-CDR');
});

test('a credit CDR nets the original to zero, is issued once, and never changes the original', async () => {
  const credit = await api('POST', `/cdrs/${cdr16.id}/credit`, { remark: 'wrong tariff' });
  assert.equal(credit.status, 201, credit.text);
  const c = credit.body;
  assert.equal(c.id, `${cdr16.id}-C`);
  assert.equal(c.credit, true);
  assert.equal(c.credit_reference_id, cdr16.id);
  assert.equal(c.remark, 'wrong tariff');
  assert.deepEqual(c.total_cost, { excl_vat: -3, incl_vat: -3.63 });
  assert.equal(c.total_cost.excl_vat + cdr16.total_cost.excl_vat, 0);
  assert.equal(c.total_energy, cdr16.total_energy);
  assert.deepEqual((await api('GET', `/cdrs/${cdr16.id}`)).body, cdr16, 'the original is untouched');
  assert.equal((await api('POST', `/cdrs/${cdr16.id}/credit`, {})).status, 409, 'credited once');
  assert.equal((await api('POST', `/cdrs/${c.id}/credit`, {})).status, 409, 'a credit CDR is not credited');
  assert.equal((await api('POST', '/cdrs/CDR-NOPE/credit', {})).status, 404);
  const credits = await api('GET', '/cdrs?credit=true');
  assert.equal(credits.body.total, 1);

  // Viewers read CDRs but do not credit them.
  server.admin('user', 'add', 'cdr-viewer', '--role', 'viewer', '--password', 'viewer password 123');
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'cdr-viewer', password: 'viewer password 123' } });
  const viewer = login.body.token;
  assert.equal((await server.request('GET', '/api/v1/cdrs', { token: viewer })).status, 200);
  assert.equal((await server.request('POST', `/api/v1/cdrs/CDR-X/credit`, { token: viewer, body: {} })).status, 403);
});

test('the billing run finds every ended session already has its CDR; the CLI reads and credits CDRs', async () => {
  const run = cli('generate');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^0 CDRs created, 0 ended sessions without a tariff, 0 failed/m);
  const listed = JSON.parse(cli('list', '--token', 'CDR-TAG').stdout);
  assert.equal(listed.total, 2, 'the CDR and its credit');
  const shown = JSON.parse(cli('show', cdr16.id).stdout);
  assert.deepEqual(shown, cdr16);
  const again = cli('credit', cdr16.id);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /conflict: .*credited already/);
  assert.equal(cli('show', 'CDR-NOPE').status, 1);
});
