// Pricing and billing end to end, through the real binary: a strict 1.6 and a strict 2.0.1
// station charge across the evening switch of a time-of-day tariff at a location in
// Europe/Berlin. For each session the driver's live cost, the final cost, the CDR and the
// engine's own preview agree to the cent; the 1.6 driver paid by card (a local TEST DOUBLE of
// the PaymentIntents API) and exactly the CDR's total is captured; the 2.0.1 driver's account
// is invoiced, and the PDF (read back with pdftotext) shows the same total.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { startServer, tempDir } = require('./harness');
const { Station2 } = require('./ocpp2');
const { PaymentProviderDouble } = require('./doubles/payment_provider_double');

let server;
let provider;
let token;
const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });

// 1.00 per session, 0.40 EUR/kWh from 07:00 to 22:00 local time, 0.25 EUR/kWh at night; 19 % VAT.
const TARIFF = {
  country_code: 'DE', party_id: 'GRL', id: 'E2E-TOD', currency: 'EUR',
  tariff_alt_text: [{ language: 'en', text: '1.00 EUR per session, 0.40 EUR/kWh 07-22h, 0.25 EUR/kWh at night, excl. VAT' }],
  elements: [
    { price_components: [{ type: 'FLAT', price: 1.0, vat: 19, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.4, vat: 19, step_size: 1 }],
      restrictions: { start_time: '07:00', end_time: '22:00' } },
    { price_components: [{ type: 'ENERGY', price: 0.25, vat: 19, step_size: 1 }] },
  ],
  last_updated: '2026-01-01T00:00:00Z',
};
const ZONE = 'Europe/Berlin';

// Each session: 21:30 to 22:30 Berlin summer time (19:30Z-20:30Z), 5 kWh before 22:00 and
// 4 kWh after: 1.00 + 5 x 0.40 + 4 x 0.25 = 4.00 excl. VAT, 4.76 incl. VAT. Half-way (22:00,
// the first 5 kWh): 3.00 excl., 3.57 incl.
const FULL = { excl: 4, incl: 4.76 };
const HALF = { excl: 3, incl: 3.57 };

async function preview(periods) {
  const res = await api('POST', '/tariffs/preview', { tariff: TARIFF, time_zone: ZONE, periods });
  assert.equal(res.status, 200, res.text);
  return res.body.total_cost;
}
const periodsOf = (day, halfOnly) => [
  { start: `${day}T19:30:00Z`, end: `${day}T20:00:00Z`, state: 'charging', energy_wh: 5000 },
  ...(halfOnly ? [] : [{ start: `${day}T20:00:00Z`, end: `${day}T20:30:00Z`, state: 'charging', energy_wh: 4000 }]),
];

async function until(what, fn, ms = 10000, seen = () => '') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} ${seen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const cdrOf = (tx) => until(`the CDR of ${tx}`, async () => {
  const res = await api('GET', `/cdrs/CDR-${tx}`);
  return res.status === 200 && res.body;
});

function getPdf(p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path: `/api/v1${p}`, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], bytes: Buffer.concat(chunks) }));
      }).on('error', reject);
  });
}

before(async () => {
  provider = await new PaymentProviderDouble().start();
  server = await startServer({
    config: '[ocpp]\nrequest_base_report = false\n[pricing]\ncost_update_interval = "1s"\n' +
      `[payments]\ncard_provider = "stripe"\nbase_url = "${provider.url}"\nsecret_key = "sk_test_double"\nretry_interval_s = 1\n`,
  });
  token = await server.adminToken();
  const setup = [
    ['POST', '/locations', { id: 'E2E-LOC', name: 'Ladepark Mitte', address: 'Invalidenstr. 1', city: 'Berlin',
      postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.531000', longitude: '13.384000' }, time_zone: ZONE }],
    ['PUT', `/tariffs/${TARIFF.id}`, TARIFF],
    ['POST', '/tariff-assignments', { tariff_id: TARIFF.id, scope: 'location', location_id: 'E2E-LOC' }],
    ['POST', '/accounts', { id: 'e2e-driver', kind: 'driver', name: 'Erika Mustermann', currency: 'EUR' }],
  ];
  for (const [method, p, body] of setup) {
    const res = await api(method, p, body);
    assert.ok(res.status === 200 || res.status === 201, `${method} ${p}: ${res.text}`);
  }
  for (const id of ['E2E-CS-16', 'E2E-CS-201']) {
    server.admin('station', 'add', id);
    assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: 'E2E-LOC' })).status, 200);
  }
  server.admin('token', 'add', 'E2E-CARD-201');
  assert.equal((await api('PUT', '/account-tokens/E2E-CARD-201', { account: 'e2e-driver', driver: 'Erika' })).status, 200);
});
after(async () => {
  await server.stop();
  await provider.stop();
});

test('the engine prices the evening session as the arithmetic says', async () => {
  assert.deepEqual(await preview(periodsOf('2026-05-04')), { excl_vat: FULL.excl, incl_vat: FULL.incl });
  assert.deepEqual(await preview(periodsOf('2026-05-04', true)), { excl_vat: HALF.excl, incl_vat: HALF.incl });
});

test('1.6 with a card: running and final cost, the CDR and the capture agree to the cent', async (t) => {
  const auth = await api('POST', '/payments/authorizations', { amount: '25.00', currency: 'EUR', payment_method: 'pm_card_visa',
    station: 'E2E-CS-16' });
  assert.equal(auth.status, 201, auth.text);
  const idTag = auth.body.id_token;

  const cs = server.client('E2E-CS-16');
  const transfers = [];
  cs.handle('GetConfiguration', () => ({ configurationKey: [{ key: 'CustomDisplayCostAndPrice', readonly: true, value: 'true' }] }));
  cs.handle('DataTransfer', ({ params }) => {
    transfers.push({ messageId: params.messageId, data: JSON.parse(params.data) });
    return { status: 'Accepted' };
  });
  await cs.connect();
  t.after(() => cs.close());
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' })).status, 'Accepted');
  assert.equal((await cs.call('Authorize', { idTag })).idTagInfo.status, 'Accepted');
  const start = await cs.call('StartTransaction', { connectorId: 1, idTag, meterStart: 20000, timestamp: '2026-05-04T19:30:00.000Z' });
  assert.equal(start.idTagInfo.status, 'Accepted');
  const tx = start.transactionId;
  await cs.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: '2026-05-04T20:00:00.000Z',
    sampledValue: [{ value: '25000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });

  const running = await until('a RunningCost of the first half', () =>
    transfers.find((m) => m.messageId === 'RunningCost' && m.data.transactionId === tx && m.data.cost === HALF.incl),
  10000, () => JSON.stringify(transfers));
  assert.equal(running.data.cost, (await preview(periodsOf('2026-05-04', true))).incl_vat, 'the running cost is the engine\'s');

  await cs.call('StopTransaction', { transactionId: tx, idTag, meterStop: 29000, timestamp: '2026-05-04T20:30:00.000Z' });
  const final = await until('FinalCost', () => transfers.find((m) => m.messageId === 'FinalCost' && m.data.transactionId === tx));
  assert.equal(final.data.cost, FULL.incl, 'the driver saw the final cost');

  const cdr = await cdrOf(tx);
  assert.deepEqual(cdr.total_cost, { excl_vat: FULL.excl, incl_vat: FULL.incl }, 'the CDR says the same');
  assert.equal(cdr.total_energy, 9);
  assert.deepEqual(cdr.tariffs.map((x) => x.id), [TARIFF.id]);
  assert.deepEqual(cdr.total_cost, await preview(periodsOf('2026-05-04')), 'and so does the engine for the same periods');

  const captured = await until('the capture', async () => {
    const res = await api('GET', `/payments/${auth.body.id}`);
    return res.status === 200 && res.body.status === 'captured' && res.body;
  });
  assert.equal(captured.cdr_id, cdr.id);
  assert.equal(captured.amount_captured, '4.76', 'the card is charged exactly the CDR total');
  const captures = provider.calls(new RegExp(`^/v1/payment_intents/${auth.body.provider_ref}/capture$`));
  assert.equal(captures.length, 1, 'captured once');
  assert.equal(captures[0].form.amount_to_capture, '476');
  assert.equal(provider.intents.get(auth.body.provider_ref).amount_received, 476);
});

test('2.0.1 on an account: CostUpdated, totalCost, the CDR and the invoice PDF agree to the cent', async (t) => {
  const st = new Station2(server, 'E2E-CS-201');
  const costs = [];
  st.cs.handle('CostUpdated', ({ params }) => { costs.push(params); return {}; });
  await st.connect();
  t.after(() => st.close());
  await st.booted();
  const idToken = { idToken: 'E2E-CARD-201', type: 'ISO14443' };
  const auth = await st.call('Authorize', { idToken });
  assert.equal(auth.idTokenInfo.status, 'Accepted');
  assert.equal(auth.idTokenInfo.personalMessage.content, TARIFF.tariff_alt_text[0].text, 'the tariff shown before charging');

  st.clock = Date.parse('2026-05-05T19:30:00.000Z'); // the samples' time; event() stamps itself 1 s later
  st.begin();
  await st.event('Started', 'Authorized', { idToken, meterValue: st.energy(50000, 'Transaction.Begin') }, { chargingState: 'Charging' });
  st.clock = Date.parse('2026-05-05T20:00:00.000Z'); // the samples' time; event() stamps itself 1 s later
  await st.event('Updated', 'MeterValuePeriodic', { meterValue: st.energy(55000, 'Sample.Periodic') });
  const running = await until('a CostUpdated of the first half', () =>
    costs.find((c) => c.transactionId === st.tx.id && c.totalCost === HALF.incl), 10000, () => JSON.stringify(costs));
  assert.equal(running.totalCost, (await preview(periodsOf('2026-05-05', true))).incl_vat);

  st.clock = Date.parse('2026-05-05T20:30:00.000Z'); // the samples' time; event() stamps itself 1 s later
  const ended = await st.event('Ended', 'EVCommunicationLost', { meterValue: st.energy(59000, 'Transaction.End') },
    { stoppedReason: 'EVDisconnected' });
  assert.equal(ended.totalCost, FULL.incl, 'the final cost in the Ended answer');

  const txs = await api('GET', '/transactions?station=E2E-CS-201');
  assert.equal(txs.status, 200, txs.text);
  const tx = (txs.body.items || txs.body).find((x) => x.station_transaction_id === st.tx.id);
  assert.ok(tx, `the transaction is listed: ${txs.text}`);
  const cdr = await cdrOf(tx.id);
  assert.deepEqual(cdr.total_cost, { excl_vat: FULL.excl, incl_vat: FULL.incl });
  assert.deepEqual(cdr.total_cost, await preview(periodsOf('2026-05-05')));

  const run = await api('POST', '/invoices/run', { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', account_id: 'e2e-driver' });
  assert.equal(run.status, 201, run.text);
  assert.equal(run.body.created.length, 1, run.text);
  const inv = run.body.created[0];
  const line = inv.lines.find((l) => l.reference === cdr.id);
  assert.ok(line, `the session is on the invoice: ${JSON.stringify(inv.lines)}`);
  assert.equal(line.incl_vat, '4.76', 'the invoice line is the CDR total');
  assert.equal(inv.total_incl_vat, '4.76');
  assert.equal(inv.total_excl_vat, '4.00');
  assert.equal((await api('GET', `/cdrs/${cdr.id}`)).body.invoice_reference_id, inv.number);

  const pdf = await getPdf(`/invoices/${inv.number}.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  const file = path.join(tempDir(), 'invoice.pdf');
  fs.writeFileSync(file, pdf.bytes);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  for (const s of [`Invoice ${inv.number}`, 'Erika Mustermann', '4.76', 'Total incl. VAT', '4.76 EUR'])
    assert.ok(text.includes(s), `the PDF shows "${s}":\n${text}`);
});

test('revenue: the invoiced session and the one paid by card, each row saying its source', async () => {
  const res = await api('GET', '/reports/revenue?from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z&period=month');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.items.map((r) => [r.period, r.source, r.currency, r.sessions, r.energy_kwh, r.excl_vat, r.vat, r.incl_vat]), [
    ['2026-05', 'invoice', 'EUR', 1, '9', '4.00', '0.76', '4.76'],
    ['2026-05', 'card', 'EUR', 1, '9', '4.00', '0.76', '4.76'],
  ]);
});
