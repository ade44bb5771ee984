// Invoices and revenue reports (docs/billing.md) through the API and `gridlane admin invoices`,
// against the real binary. The invoice PDF is read back with pdftotext (poppler-utils).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, tempDir, BIN } = require('./harness');


let server;
let token;
const api = (method, p, body, t = token) => server.request(method, `/api/v1${p}`, { token: t, body });

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'invoices', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

function pdftotext(bytes) {
  const file = path.join(tempDir(), 'invoice.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function getPdf(p) {
  return new Promise((resolve, reject) => {
    require('node:http').get({ host: '127.0.0.1', port: server.port, path: `/api/v1${p}`,
      headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// An issued invoice as the store holds it (migration 0015), written with the sqlite3 shell so
// the read side (JSON, PDF, reports) is tested on its own: amounts are Decimal units (10^-6).
// 2 sessions at 19 % (10.2345 + 5.00 -> 15.23 excl., 18.13 incl.) and a plan fee of 4.99 at 7 %
// (5.34 incl.): 23.47 incl. VAT.
function seedInvoice() {
  const u = (x) => Math.round(x * 1e6);
  const nov = Date.parse('2026-11-01T00:00:00Z'), dec = Date.parse('2026-12-01T00:00:00Z');
  const sql = `
INSERT INTO invoice_sequences (issuer, last) VALUES ('GL', 1);
INSERT INTO invoices (id, issuer, sequence, number, account_id, account_name, currency, period_from, period_to,
  issued_at, total_excl_vat, total_vat, total_incl_vat)
VALUES (1, 'GL', 1, 'GL-000001', 'ACME', 'Acme Fleet', 'EUR', ${nov}, ${dec}, ${dec + 3600000}, ${u(20.22)}, ${u(3.25)}, ${u(23.47)});
INSERT INTO invoice_lines VALUES
 (1, 0, 'session', 'Charging at Hauptbahnhof, 2026-11-03T08:00 UTC, 30 kWh', 'CDR-1', 'LOC-HBF', ${Date.parse('2026-11-03T09:00:00Z')}, ${u(30)}, ${u(19)}, ${u(10.2345)}, ${u(10.23)}, ${u(1.95)}, ${u(12.18)}),
 (1, 1, 'session', 'Charging at Hafen, 2026-11-20T18:00 UTC, 14 kWh', 'CDR-2', 'LOC-HAFEN', ${Date.parse('2026-11-20T19:00:00Z')}, ${u(14)}, ${u(19)}, ${u(5)}, ${u(5)}, ${u(0.95)}, ${u(5.95)}),
 (1, 2, 'plan_fee', 'Plan Basic', 'BASIC', NULL, NULL, NULL, ${u(7)}, ${u(4.99)}, ${u(4.99)}, ${u(0.35)}, ${u(5.34)});
INSERT INTO invoice_vat VALUES (1, 0, ${u(7)}, ${u(4.99)}, ${u(0.35)}, ${u(5.34)}), (1, 1, ${u(19)}, ${u(15.23)}, ${u(2.90)}, ${u(18.13)});
`;
  execFileSync('sqlite3', ['-bail', server.db], { input: `PRAGMA busy_timeout = 5000;\n${sql}`, encoding: 'utf8' });
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  await api('GET', '/invoices'); // the schema is migrated before the shell writes to it
  seedInvoice();
});
after(() => server.stop());

test('invoices: JSON with lines, VAT per rate and totals, by id and by number, and the list', async () => {
  const one = await api('GET', '/invoices/1');
  assert.equal(one.status, 200, one.text);
  const inv = one.body;
  assert.equal(inv.number, 'GL-000001');
  assert.equal(inv.currency, 'EUR');
  assert.equal(inv.period_to, '2026-12-01T00:00:00.000Z');
  assert.equal(inv.lines.length, 3);
  assert.deepEqual(inv.lines[0], {
    kind: 'session', description: 'Charging at Hauptbahnhof, 2026-11-03T08:00 UTC, 30 kWh', reference: 'CDR-1',
    location_id: 'LOC-HBF', at: '2026-11-03T09:00:00.000Z', energy_kwh: '30', vat_rate: '19', amount: '10.2345',
    excl_vat: '10.23', vat: '1.95', incl_vat: '12.18',
  });
  assert.deepEqual(inv.vat.map((v) => [v.rate, v.excl_vat, v.vat, v.incl_vat]),
    [['7', '4.99', '0.35', '5.34'], ['19', '15.23', '2.90', '18.13']]);
  assert.equal(inv.total_incl_vat, '23.47');
  // The property the builder guarantees, as the API shows it: the lines sum to the totals.
  const cents = (s) => Math.round(Number(s) * 100);
  assert.equal(inv.lines.reduce((a, l) => a + cents(l.incl_vat), 0), cents(inv.total_incl_vat));
  assert.equal(inv.lines.reduce((a, l) => a + cents(l.vat), 0), cents(inv.total_vat));

  const byNumber = await api('GET', '/invoices/GL-000001');
  assert.deepEqual(byNumber.body, inv);
  const list = await api('GET', '/invoices?account_id=ACME&limit=10');
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.equal(list.body.items[0].number, 'GL-000001');
  assert.equal((await api('GET', '/invoices?account_id=OTHER')).body.total, 0);
  assert.equal((await api('GET', '/invoices?from=yesterday')).status, 400);
  assert.equal((await api('GET', '/invoices/2')).status, 404);
  assert.equal((await api('GET', '/invoices/GL-000002.pdf')).status, 404);
});

test('invoices: the PDF opens with pdftotext and shows the number, the lines and the totals', async () => {
  const res = await getPdf('/invoices/GL-000001.pdf');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.equal(res.bytes.subarray(0, 5).toString(), '%PDF-');
  const text = pdftotext(res.bytes);
  for (const s of ['Invoice GL-000001', 'Acme Fleet (ACME)', 'Charging at Hauptbahnhof', 'Plan Basic',
    'Total excl. VAT', '20.22 EUR', '3.25 EUR', 'Total incl. VAT', '23.47 EUR'])
    assert.ok(text.includes(s), `the PDF shows "${s}":\n${text}`);
  const byId = await getPdf('/invoices/1.pdf');
  assert.equal(byId.status, 200);

  const out = path.join(tempDir(), 'cli.pdf');
  const written = cli('pdf', 'GL-000001', '--out', out);
  assert.equal(written.status, 0, written.stderr);
  assert.ok(pdftotext(fs.readFileSync(out)).includes('23.47 EUR'));
  const listed = JSON.parse(cli('list', '--account', 'ACME').stdout);
  assert.equal(listed[0].total_incl_vat, '23.47');
  const missing = cli('pdf', 'GL-000009', '--out', out);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no such invoice/);
});

test('revenue: per month and location, per day, in total, paged, with 400s for bad queries', async () => {
  const q = '/reports/revenue?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';
  const byLocation = await api('GET', `${q}&group_by=location`);
  assert.equal(byLocation.status, 200, byLocation.text);
  assert.equal(byLocation.body.total, 3);
  assert.deepEqual(byLocation.body.items.map((r) => [r.period, r.location_id, r.sessions, r.energy_kwh, r.incl_vat]), [
    ['2026-11', null, 0, '0', '5.34'], // the plan fee, at its period's start
    ['2026-11', 'LOC-HAFEN', 1, '14', '5.95'],
    ['2026-11', 'LOC-HBF', 1, '30', '12.18'],
  ]);
  const total = await api('GET', `${q}&period=total`);
  assert.deepEqual(total.body.items.map((r) => [r.period, r.currency, r.sessions, r.excl_vat, r.vat, r.incl_vat]),
    [['total', 'EUR', 2, '20.22', '3.25', '23.47']]);
  const days = await api('GET', `${q}&period=day&limit=1&offset=1`);
  assert.equal(days.body.total, 3);
  assert.equal(days.body.items[0].period, '2026-11-03');
  assert.equal(days.body.next_offset, 2);
  const december = await api('GET', '/reports/revenue?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z');
  assert.deepEqual(december.body.items, []);
  assert.equal((await api('GET', '/reports/revenue?from=2026-11-01T00:00:00Z')).status, 400);
  assert.equal((await api('GET', `${q}&group_by=station`)).status, 400);
  assert.equal((await api('GET', `${q}&period=week`)).status, 400);
  const reversed = await api('GET', '/reports/revenue?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
  assert.equal(reversed.status, 422);
});

test('invoice run: refuses a bad period or issuer with the field named, and viewers may not run it', async () => {
  const bad = [
    [{ to: '2026-12-01T00:00:00Z' }, 'from'],
    [{ from: '2026-11-01', to: '2026-12-01T00:00:00Z' }, 'from'],
    [{ from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 'to'],
    [{ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', issuer: 'gl lower' }, 'issuer'],
    [{ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', issuer: 7 }, 'issuer'],
  ];
  for (const [body, field] of bad) {
    const res = await api('POST', '/invoices/run', body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.field, field, res.text);
  }
  assert.equal((await api('POST', '/invoices/run', undefined)).status, 400);
  server.admin('user', 'add', 'inv-viewer', '--role', 'viewer', '--password', 'viewer password 123');
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'inv-viewer', password: 'viewer password 123' } });
  const viewer = login.body.token;
  const denied = await api('POST', '/invoices/run', { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }, viewer);
  assert.equal(denied.status, 403);
  assert.equal((await api('GET', '/invoices/1', undefined, viewer)).status, 200, 'viewers read invoices');
  // The number the shell wrote is still the only one: a refused run takes none.
  assert.equal((await api('GET', '/invoices')).body.total, 1);
});

test('end to end: a 1.6 session is priced into a CDR, invoiced with the plan fee, numbered after GL-000001, once', async () => {
  // 0.50 start fee + 0.25 EUR/kWh, 21 % VAT; a plan of 4.99 a month at 7 % VAT, no trial.
  const tariff = { country_code: 'DE', party_id: 'GRL', id: 'INV-KWH', currency: 'EUR', last_updated: '2026-01-01T00:00:00Z',
    elements: [{ price_components: [{ type: 'FLAT', price: 0.5, vat: 21.0, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21.0, step_size: 1 }] }] };
  const setup = [
    ['POST', '/locations', { id: 'INV-LOC', name: 'Invoice Depot', address: 'Hafenstr. 1', city: 'Hamburg', postal_code: '20457',
      country: 'DEU', coordinates: { latitude: '53.541230', longitude: '9.984560' }, time_zone: 'Europe/Berlin' }],
    ['PUT', '/tariffs/INV-KWH', tariff],
    ['POST', '/tariff-assignments', { tariff_id: 'INV-KWH', scope: 'location', location_id: 'INV-LOC' }],
    ['PUT', '/billing-plans/basic', { name: 'Basic', currency: 'EUR', monthly_fee: 4.99, fee_vat: 7, included_kwh: 0, trial_days: 0 }],
    ['POST', '/accounts', { id: 'fleet-co', kind: 'company', name: 'Fleet Co', currency: 'EUR' }],
  ];
  for (const [method, p, body] of setup) {
    const res = await api(method, p, body);
    assert.ok(res.status === 200 || res.status === 201, `${method} ${p}: ${res.text}`);
  }
  server.admin('station', 'add', 'CS-INV-16');
  assert.equal((await api('PUT', '/stations/CS-INV-16/location', { location_id: 'INV-LOC' })).status, 200);
  server.admin('token', 'add', 'INV-TAG');
  assert.equal((await api('PUT', '/account-tokens/INV-TAG', { account: 'fleet-co', driver: 'Dana' })).status, 200);
  const sub = await api('PUT', '/accounts/fleet-co/subscription', { plan: 'basic', start: '2026-05-01T00:00:00Z' });
  assert.equal(sub.status, 200, sub.text);

  const cs = server.client('CS-INV-16');
  await cs.connect();
  let id;
  try {
    await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' });
    id = (await cs.call('StartTransaction', { connectorId: 1, idTag: 'INV-TAG', meterStart: 1000, timestamp: '2026-05-04T08:00:00.000Z' })).transactionId;
    await cs.call('StopTransaction', { transactionId: id, idTag: 'INV-TAG', meterStop: 11000, timestamp: '2026-05-04T09:00:00.000Z' });
  } finally {
    await cs.close();
  }
  let cdr;
  for (let i = 0; i < 50 && !cdr; i++) {
    const res = await api('GET', `/cdrs/CDR-${id}`);
    if (res.status === 200) cdr = res.body;
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(cdr, 'the session got its CDR');
  assert.deepEqual(cdr.total_cost, { excl_vat: 3, incl_vat: 3.63 });

  const period = { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
  const run = await api('POST', '/invoices/run', period);
  assert.equal(run.status, 201, run.text);
  assert.equal(run.body.created.length, 1, run.text);
  const inv = run.body.created[0];
  assert.equal(inv.number, 'GL-000002', 'the sequence continues without a gap');
  assert.equal(inv.account_id, 'fleet-co');
  const session = inv.lines.find((l) => l.kind === 'session');
  assert.equal(session.reference, `CDR-${id}`);
  assert.equal(session.incl_vat, '3.63', 'the invoice line agrees with the CDR to the cent');
  const fee = inv.lines.find((l) => l.kind === 'plan_fee');
  assert.deepEqual([fee.vat_rate, fee.excl_vat, fee.incl_vat], ['7', '4.99', '5.34']);
  assert.equal(inv.total_incl_vat, '8.97');
  const cents = (x) => Math.round(Number(x) * 100);
  assert.equal(inv.lines.reduce((a, l) => a + cents(l.incl_vat), 0), cents(inv.total_incl_vat));

  assert.equal((await api('GET', `/cdrs/CDR-${id}`)).body.invoice_reference_id, 'GL-000002');
  const again = await api('POST', '/invoices/run', period);
  assert.equal(again.status, 201);
  assert.deepEqual(again.body.created, []);
  assert.deepEqual(again.body.already_invoiced, ['fleet-co']);

  const pdf = await getPdf('/invoices/GL-000002.pdf');
  const text = pdftotext(pdf.bytes);
  for (const s of ['Invoice GL-000002', 'Fleet Co', 'Plan Basic', '3.63', 'Total incl. VAT', '8.97 EUR'])
    assert.ok(text.includes(s), `the PDF shows "${s}":\n${text}`);
});
