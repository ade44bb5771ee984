// Invoice runs beyond one period (docs/billing.md "Invoices"): a first-hour-free coupon priced
// and taken off in the run, and a credit CDR made after its original's period was invoiced,
// which the account's next invoice takes. Real binary, a strict 1.6 station.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

let server;
let token;
const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });

async function cdrOf(tx) {
  for (let i = 0; i < 100; i++) {
    const res = await api('GET', `/cdrs/CDR-${tx}`);
    if (res.status === 200) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no CDR for transaction ${tx}`);
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  // 0.50 to start + 0.25 EUR/kWh, 21 % VAT.
  const tariff = { country_code: 'DE', party_id: 'GRL', id: 'RUN-KWH', currency: 'EUR', last_updated: '2026-01-01T00:00:00Z',
    elements: [{ price_components: [{ type: 'FLAT', price: 0.5, vat: 21.0, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21.0, step_size: 1 }] }] };
  const setup = [
    ['POST', '/locations', { id: 'RUN-LOC', name: 'Run Depot', address: 'Hafenstr. 2', city: 'Hamburg', postal_code: '20457',
      country: 'DEU', coordinates: { latitude: '53.541230', longitude: '9.984560' }, time_zone: 'Europe/Berlin' }],
    ['PUT', '/tariffs/RUN-KWH', tariff],
    ['POST', '/tariff-assignments', { tariff_id: 'RUN-KWH', scope: 'location', location_id: 'RUN-LOC' }],
    ['POST', '/accounts', { id: 'hour-co', kind: 'company', name: 'Hour Co', currency: 'EUR' }],
    ['PUT', '/coupons/FIRSTHOUR', { kind: 'first_hour_free', description: 'First hour free' }],
    ['POST', '/accounts/hour-co/coupons', { code: 'FIRSTHOUR' }],
  ];
  for (const [method, p, body] of setup) {
    const res = await api(method, p, body);
    assert.ok(res.status === 200 || res.status === 201, `${method} ${p}: ${res.text}`);
  }
  server.admin('station', 'add', 'CS-RUN-16');
  assert.equal((await api('PUT', '/stations/CS-RUN-16/location', { location_id: 'RUN-LOC' })).status, 200);
  server.admin('token', 'add', 'RUN-TAG');
  assert.equal((await api('PUT', '/account-tokens/RUN-TAG', { account: 'hour-co', driver: 'Ria' })).status, 200);
});
after(() => server.stop());

let session; // the May session's transaction id

test('a first-hour-free coupon takes the first hour\'s price off the session in the invoice run', async () => {
  const cs = server.client('CS-RUN-16');
  await cs.connect();
  try {
    await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' });
    // Two hours, 20 kWh at an even rate: the first hour is 0.50 + 10 kWh * 0.25 = 3.00 excl. VAT.
    session = (await cs.call('StartTransaction', { connectorId: 1, idTag: 'RUN-TAG', meterStart: 1000, timestamp: '2026-05-04T08:00:00.000Z' })).transactionId;
    await cs.call('StopTransaction', { transactionId: session, idTag: 'RUN-TAG', meterStop: 21000, timestamp: '2026-05-04T10:00:00.000Z' });
  } finally {
    await cs.close();
  }
  const cdr = await cdrOf(session);
  assert.deepEqual(cdr.total_cost, { excl_vat: 5.5, incl_vat: 6.655 });

  const run = await api('POST', '/invoices/run', { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', account_id: 'hour-co' });
  assert.equal(run.status, 201, run.text);
  assert.equal(run.body.created.length, 1, run.text);
  const inv = run.body.created[0];
  const line = inv.lines.find((l) => l.kind === 'session');
  assert.equal(line.excl_vat, '5.50');
  const discounts = inv.lines.filter((l) => l.kind === 'discount');
  assert.deepEqual(discounts.map((l) => [l.vat_rate, l.excl_vat]), [['21', '-3.00']], JSON.stringify(inv.lines));
  assert.equal(inv.total_excl_vat, '2.50');
  assert.equal(inv.total_incl_vat, '3.03'); // 2.50 + 21 % VAT of 0.525, rounded once
});

test('a credit CDR made after its period was invoiced goes on the account\'s next invoice, once', async () => {
  assert.ok(session, 'the first test made the session');
  const credited = await api('POST', `/cdrs/CDR-${session}/credit`, { remark: 'charger fault' });
  assert.equal(credited.status, 201, credited.text);
  assert.equal(credited.body.id, `CDR-${session}-C`);

  const june = { from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z', account_id: 'hour-co' };
  const run = await api('POST', '/invoices/run', june);
  assert.equal(run.status, 201, run.text);
  assert.equal(run.body.created.length, 1, run.text);
  const inv = run.body.created[0];
  const credit = inv.lines.find((l) => l.reference === `CDR-${session}-C`);
  assert.ok(credit, `the credit is on the June invoice: ${JSON.stringify(inv.lines)}`);
  assert.equal(credit.excl_vat, '-5.50');
  assert.equal(inv.total_excl_vat, '-5.50');
  assert.equal(inv.total_incl_vat, '-6.66'); // -5.50 and 21 % VAT of -1.155, rounded half up (away from zero)
  assert.equal((await api('GET', `/cdrs/CDR-${session}-C`)).body.invoice_reference_id, inv.number);

  const again = await api('POST', '/invoices/run', june);
  assert.deepEqual(again.body.created, []);
  const july = await api('POST', '/invoices/run', { from: '2026-07-01T00:00:00Z', to: '2026-08-01T00:00:00Z', account_id: 'hour-co' });
  assert.equal(july.status, 201, july.text);
  assert.deepEqual(july.body.created, [], 'a credit is invoiced once');
});
