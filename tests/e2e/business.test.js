// The console's business areas in a real browser against the real server: sessions and their
// cost and CDR, the CDR list and its CSV export, id tokens (block, unblock, CSV import), the
// tariff editor's live preview (the engine's exact total) and saving, the map of locations
// without any network beyond loopback, and the EVSE QR codes for the driver portal.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

let server;
let browser;
let token;
let txId;
let evseUid;
const api = async (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
// Stricter than the harness's rule (no serious or critical violation): these pages have none at all.
const a11y = async (page, label) => assert.deepEqual(await h.checkA11y(page, label), [], `${label}: no accessibility violation of any impact`);
const eur = (x) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(x);

// 0.50 start fee and 0.30 per kWh, 19 % VAT.
const tariff = {
  country_code: 'DE',
  party_id: 'GRL',
  currency: 'EUR',
  type: 'REGULAR',
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 19, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }] },
  ],
};
const locations = [
  { id: 'BER-HBF', name: 'Berlin Hauptbahnhof', address: 'Europaplatz 1', city: 'Berlin', postal_code: '10557', country: 'DEU', coordinates: { latitude: '52.525084', longitude: '13.369402' }, time_zone: 'Europe/Berlin', publish: true },
  { id: 'BER-DEPOT', name: 'Adlershof Depot', address: 'Rudower Chaussee 12', city: 'Berlin', postal_code: '12489', country: 'DEU', coordinates: { latitude: '52.431000', longitude: '13.530000' }, time_zone: 'Europe/Berlin', publish: false },
];

async function expectOk(res, what) {
  assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${res.text}`);
  return res.body;
}

before(async () => {
  server = await h.startConsole({ config: '[ocpp]\nrequest_base_report = false\n' });
  browser = await h.launchBrowser();
  token = await h.token(server, 'admin');
  for (const l of locations) await expectOk(await api('POST', '/locations', l), `location ${l.id}`);
  await expectOk(await api('PUT', '/tariffs/DEMO-1', tariff), 'tariff');
  await expectOk(await api('POST', '/tariff-assignments', { tariff_id: 'DEMO-1', scope: 'location', location_id: 'BER-HBF' }), 'assignment');
  server.admin('station', 'add', 'CS-BIZ-1');
  await expectOk(await api('PUT', '/stations/CS-BIZ-1/location', { location_id: 'BER-HBF' }), 'station location');
  const evse = await expectOk(
    await api('POST', '/stations/CS-BIZ-1/evses', {
      evse_id: 1,
      emi3_id: 'DE*GRL*E0001*1',
      connectors: [{ connector_id: 1, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000 }],
    }),
    'evse',
  );
  evseUid = evse.uid;
  server.admin('token', 'add', 'TAG-BIZ');
  server.admin('token', 'add', 'CARD-BLOCK-ME');

  // One ended 1.6 session with meter values, so it has a cost and a CDR.
  const cs = server.client('CS-BIZ-1');
  await cs.connect();
  try {
    await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' });
    const started = await cs.call('StartTransaction', { connectorId: 1, idTag: 'TAG-BIZ', meterStart: 1000, timestamp: '2026-05-04T08:00:00.000Z' });
    txId = started.transactionId;
    for (const [minute, wh, w] of [[15, 3750, 11000], [30, 6500, 11000], [45, 9000, 7400]]) {
      await cs.call('MeterValues', {
        connectorId: 1,
        transactionId: txId,
        meterValue: [{ timestamp: `2026-05-04T08:${minute}:00.000Z`, sampledValue: [
          { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: String(w), measurand: 'Power.Active.Import', unit: 'W' },
        ] }],
      });
    }
    await cs.call('StopTransaction', { transactionId: txId, idTag: 'TAG-BIZ', meterStop: 11000, timestamp: '2026-05-04T09:00:00.000Z', reason: 'EVDisconnected' });
  } finally {
    await cs.close();
  }
  for (let i = 0; i < 50 && (await api('GET', `/cdrs/CDR-${txId}`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('sessions: the list, a session with its meter chart, cost breakdown and CDR; the CDR list exports CSV', async () => {
  const cost = await expectOk(await api('GET', `/transactions/${txId}/cost`), 'cost');
  // 0.50 + 10 kWh x 0.30 = 3.50 excl. VAT, 4.165 incl. 19 %.
  assert.deepEqual(cost.total_cost, { excl_vat: 3.5, incl_vat: 4.165 });
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
  // Filtering by another station empties the list; the station's own brings the session back.
  await page.getByLabel('Station').fill('NO-SUCH-STATION');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('Nothing here yet.').waitFor();
  await page.getByLabel('Station').fill('CS-BIZ-1');
  await page.getByRole('button', { name: 'Filter' }).click();
  const link = page.getByRole('link', { name: `Session ${txId}` });
  await link.waitFor();
  await a11y(page, 'sessions list');
  await h.shot(page, 'sessions');
  await link.click();

  await page.getByRole('heading', { name: `Session ${txId}` }).waitFor();
  await page.getByText('Europe/Berlin', { exact: true }).waitFor();
  await page.getByTestId('meter-chart').locator('canvas').waitFor();
  const breakdown = page.getByRole('table', { name: 'Cost breakdown' });
  const total = breakdown.getByRole('row', { name: /Total/ });
  await total.waitFor();
  assert.match(await total.innerText(), new RegExp(`${eur(3.5).replace('.', '\\.')}\\s+${eur(4.165).replace('.', '\\.')}`));
  assert.match(await breakdown.getByRole('row', { name: /Start fee/ }).innerText(), /€0\.50/);
  const cdrTable = page.getByRole('table', { name: `Price of CDR-${txId}` });
  await cdrTable.waitFor();
  assert.match(await cdrTable.getByRole('row', { name: /Total/ }).innerText(), /€3\.50\s+€4\.17/);
  await page.getByRole('link', { name: `CDR-${txId}` }).waitFor();
  await a11y(page, 'session page');
  await h.shot(page, 'session', { fullPage: true });
  // Back to the list: the filter is in the URL, so the same selection shows.
  await page.goBack();
  await page.getByRole('link', { name: `Session ${txId}` }).waitFor();
  assert.equal(await page.getByLabel('Station').inputValue(), 'CS-BIZ-1');
  assert.equal(new URL(page.url()).search, '?station=CS-BIZ-1');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CDRs' }).click();
  await page.getByRole('heading', { name: 'Charge detail records' }).waitFor();
  const row = page.getByRole('row', { name: new RegExp(`CDR-${txId}`) });
  await row.waitFor();
  assert.match(await row.innerText(), /Berlin Hauptbahnhof/);
  await a11y(page, 'CDR list');
  await h.shot(page, 'cdrs');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'cdrs.csv');
  const csv = require('node:fs').readFileSync(await download.path(), 'utf8');
  assert.match(csv.split('\n')[0], /^id,credit,/);
  assert.match(csv, new RegExp(`^CDR-${txId},false,`, 'm'));
  // A CDR's own page; a viewer is offered no credit.
  await row.getByRole('link', { name: `CDR-${txId}` }).click();
  await page.getByRole('heading', { name: `CDR CDR-${txId}` }).waitFor();
  await page.getByRole('table', { name: 'Charging periods' }).getByText('10 kWh · 1 h charging · max 11 kW').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Issue credit CDR' }).count(), 0);
  await a11y(page, 'CDR page');
  h.assertClean(page);
  await page.context().close();
});

test('a session that starts appears in the list live; its page follows the meter values and gets its CDR when it ends', async () => {
  server.admin('station', 'add', 'CS-BIZ-2');
  await expectOk(await api('PUT', '/stations/CS-BIZ-2/location', { location_id: 'BER-HBF' }), 'station location');
  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.goto(server.base + '/sessions');
  await page.getByRole('link', { name: `Session ${txId}` }).waitFor();
  const cs = server.client('CS-BIZ-2');
  await cs.connect();
  try {
    await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' });
    const at = (minutesAgo) => new Date(Date.now() - minutesAgo * 60000).toISOString();
    const started = await cs.call('StartTransaction', { connectorId: 1, idTag: 'TAG-BIZ', meterStart: 0, timestamp: at(30) });
    const id = started.transactionId;
    const meter = (minutesAgo, wh) =>
      cs.call('MeterValues', { connectorId: 1, transactionId: id, meterValue: [{ timestamp: at(minutesAgo), sampledValue: [
        { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
      ] }] });
    await meter(20, 1800);
    // No reload: the list fetches again when the stream says a session started.
    await page.getByRole('link', { name: `Session ${id}` }).click();
    await page.getByRole('heading', { name: `Session ${id}` }).waitFor();
    await page.getByText('Price so far (the session is running).').waitFor();
    await page.getByRole('img', { name: 'Energy and power of the session over time, readings: 1' }).waitFor();
    await page.getByText('The CDR is made when the session ends.').waitFor();
    await meter(10, 3600);
    await page.getByRole('img', { name: 'Energy and power of the session over time, readings: 2' }).waitFor();
    await cs.call('StopTransaction', { transactionId: id, idTag: 'TAG-BIZ', meterStop: 5000, timestamp: at(0), reason: 'Local' });
    await page.getByText('Final price.').waitFor();
    const cdr = page.getByRole('table', { name: `Price of CDR-${id}` });
    await cdr.waitFor();
    const stored = await expectOk(await api('GET', `/cdrs/CDR-${id}`), 'CDR');
    assert.match(await cdr.getByRole('row', { name: /Total/ }).innerText(), new RegExp(eur(stored.total_cost.incl_vat).replace('.', '\\.')));

    // An operator issues its credit CDR from the CDR's page.
    await page.getByRole('link', { name: `CDR-${id}` }).first().click();
    await page.getByLabel('Reason for the credit').fill('test credit');
    await page.getByRole('button', { name: 'Issue credit CDR' }).click();
    await page.getByRole('heading', { name: `CDR CDR-${id}-C` }).waitFor();
    await page.getByText(`credit of CDR-${id}`).waitFor();
    const credit = await expectOk(await api('GET', `/cdrs/CDR-${id}-C`), 'credit CDR');
    assert.equal(credit.total_cost.excl_vat, -stored.total_cost.excl_vat);
    assert.equal(credit.remark, 'test credit');
    assert.equal(await page.getByRole('button', { name: 'Issue credit CDR' }).count(), 0, 'a credit is not credited');
  } finally {
    await cs.close();
  }
  h.assertClean(page);
  await page.context().close();
});

test('id tokens: block a token (still blocked after a reload), unblock it, import a CSV file', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Id tokens' }).click();
  const row = page.getByRole('row', { name: /CARD-BLOCK-ME/ });
  await row.getByText('Accepted').waitFor();
  await a11y(page, 'id tokens');
  await page.getByRole('button', { name: 'Block CARD-BLOCK-ME' }).click();
  await page.getByRole('status').getByText('CARD-BLOCK-ME is blocked.').waitFor();
  await row.getByText('Blocked').waitFor();
  await page.reload();
  await page.getByRole('row', { name: /CARD-BLOCK-ME/ }).getByText('Blocked').waitFor();
  assert.equal((await api('GET', '/id-tokens/CARD-BLOCK-ME')).body.status, 'Blocked');

  // A file with a refused line imports nothing and names the line.
  const input = page.getByLabel('CSV file', { exact: true });
  await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('id_tag,status\nCSV-OK-1,Accepted\nCSV-BAD,Sometimes\n') });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('alert').getByText(/^Line 3 was refused, nothing imported: .*status must be Accepted, Blocked, Expired or Invalid/).waitFor();
  assert.equal((await api('GET', '/id-tokens/CSV-OK-1')).status, 404);

  const csv = 'id_tag,status,expires_at,parent_id_tag\r\nCSV-1,Accepted,,\r\n"CSV-2",Blocked,2027-01-01T00:00:00Z,\r\nCSV-3,,,CSV-1\r\n';
  await input.setInputFiles({ name: 'tokens.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByRole('status').getByText('3 id tokens imported.').waitFor();
  await page.getByRole('row', { name: /CSV-2/ }).getByText('Blocked').waitFor();
  assert.deepEqual((await api('GET', '/id-tokens/CSV-2')).body, { id_tag: 'CSV-2', status: 'Blocked', expires_at: '2027-01-01T00:00:00.000Z', parent_id_tag: null });
  assert.equal((await api('GET', '/id-tokens/CSV-3')).body.parent_id_tag, 'CSV-1');
  await h.shot(page, 'tokens', { fullPage: true });

  await page.getByRole('button', { name: 'Unblock CARD-BLOCK-ME' }).click();
  await page.getByRole('row', { name: /CARD-BLOCK-ME/ }).getByText('Accepted').waitFor();
  assert.equal((await api('GET', '/id-tokens/CARD-BLOCK-ME')).body.status, 'Accepted');
  // The refused import above logged its 422; everything else stayed clean.
  assert.deepEqual(page.problems().filter((p) => !/status of 422/.test(p)), []);
  await page.context().close();

  // A viewer sees the tokens but is offered no block button and no import.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(server.base + '/tokens');
  await viewer.getByRole('row', { name: /CSV-2/ }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: /^(Block|Unblock) / }).count(), 0);
  assert.equal(await viewer.getByLabel('CSV file', { exact: true }).count(), 0);
  h.assertClean(viewer);
  await viewer.context().close();
});

test('tariffs: editing a price changes the preview to the exact total the engine gives, and saving stores it', async () => {
  const example = { time_zone: 'Europe/Berlin', start: '2026-03-02T18:00', charging_min: '70', energy_kwh: '12', max_power_kw: '11', parking_min: '30' };
  const periods = [
    { start: '2026-03-02T17:00:00Z', end: '2026-03-02T18:10:00Z', state: 'charging', energy_wh: 12000, max_power_w: 11000 },
    { start: '2026-03-02T18:10:00Z', end: '2026-03-02T18:40:00Z', state: 'parking', energy_wh: 0 },
  ];
  const engine = async (t) => (await expectOk(await api('POST', '/tariffs/preview', { tariff: t, time_zone: 'Europe/Berlin', periods }), 'preview')).total_cost;

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tariffs' }).click();
  await page.getByRole('link', { name: 'New tariff' }).waitFor();
  await a11y(page, 'tariff list');
  await h.shot(page, 'tariffs');
  await page.getByRole('link', { name: 'DEMO-1' }).click();
  await page.getByRole('heading', { name: 'Tariff DEMO-1' }).waitFor();
  // Where it applies: the location it is assigned to.
  await page.getByRole('listitem').filter({ hasText: 'Location: BER-HBF' }).getByRole('link', { name: 'BER-HBF' }).waitFor();
  const ex = page.getByRole('group', { name: 'Example session' });
  await ex.getByLabel('Time zone').fill(example.time_zone);
  await ex.getByLabel('Start (local time)').fill(example.start);
  await ex.getByLabel('Charging (min)').fill(example.charging_min);
  await ex.getByLabel('Energy (kWh)').fill(example.energy_kwh);
  await ex.getByLabel('Peak power (kW)').fill(example.max_power_kw);
  await ex.getByLabel('Parking after (min)').fill(example.parking_min);

  const before = await engine({ id: 'DEMO-1', ...tariff });
  assert.deepEqual(before, { excl_vat: 4.1, incl_vat: 4.879 }); // 0.50 + 12 x 0.30
  const totalOut = page.getByTestId('preview-total');
  await page.getByText(`exactly ${before.excl_vat} excl. / ${before.incl_vat} incl. VAT EUR`).waitFor();
  assert.equal(await totalOut.innerText(), eur(before.incl_vat));
  await a11y(page, 'tariff editor');

  // The energy price goes up as it is typed: the preview follows to the engine's total.
  const energy = page.getByRole('group', { name: 'Price component 1 of element 2' });
  await energy.getByLabel('Price per kWh (excl. VAT)').fill('0.45');
  const edited = { id: 'DEMO-1', ...tariff, elements: [tariff.elements[0], { price_components: [{ type: 'ENERGY', price: 0.45, vat: 19, step_size: 1 }] }] };
  const after = await engine(edited);
  assert.deepEqual(after, { excl_vat: 5.9, incl_vat: 7.021 });
  await page.getByText(`exactly ${after.excl_vat} excl. / ${after.incl_vat} incl. VAT EUR`).waitFor();
  assert.equal(await totalOut.innerText(), eur(after.incl_vat));

  // A value the server refuses is named at its field, and the preview says why.
  await energy.getByLabel('VAT %').fill('120');
  await page.getByRole('alert').getByText(/The tariff cannot be priced yet: .*vat/).waitFor();
  assert.equal(await energy.getByLabel('VAT %').getAttribute('aria-invalid'), 'true');
  await energy.getByLabel('VAT %').fill('19');
  await page.getByText(`exactly ${after.excl_vat} excl.`, { exact: false }).waitFor();
  await h.shot(page, 'tariff-editor', { fullPage: true });

  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Tariff DEMO-1 saved.').waitFor();
  const stored = (await api('GET', '/tariffs/DEMO-1')).body;
  assert.equal(stored.elements[1].price_components[0].price, 0.45);
  assert.equal(stored.type, 'REGULAR');

  // A new tariff: the preview refuses it until it is complete, then prices it; saving creates it.
  await page.goto(server.base + '/tariffs');
  await page.getByRole('link', { name: 'New tariff' }).click();
  await page.getByRole('heading', { name: 'New tariff' }).waitFor();
  await page.getByRole('alert').getByText(/The tariff cannot be priced yet: .*country_code/).waitFor();
  await page.getByLabel('Id', { exact: true }).fill('NEW-1');
  await page.getByLabel('Country code').fill('DE');
  await page.getByLabel('Party id').fill('GRL');
  const first = page.getByRole('group', { name: 'Price component 1 of element 1' });
  await first.getByLabel('Price per kWh (excl. VAT)').fill('0.25');
  await first.getByLabel('VAT %').fill('19');
  await page.getByTestId('preview-total').waitFor();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: 'Tariff NEW-1' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/tariffs/NEW-1');
  const created = (await api('GET', '/tariffs/NEW-1')).body;
  assert.deepEqual(created.elements, [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 19, step_size: 1 }] }]);
  assert.equal(created.currency, 'EUR');
  // The refused VAT and the incomplete new tariff above logged their 422s; nothing else was logged.
  assert.deepEqual(page.problems().filter((p) => !/status of 422/.test(p)), []);
  await page.context().close();

  // A viewer may try prices but is offered no save.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(server.base + '/tariffs/DEMO-1');
  await viewer.getByText('saving needs the operator role', { exact: false }).waitFor();
  await viewer.getByTestId('preview-total').waitFor();
  assert.equal(await viewer.getByRole('button', { name: 'Save' }).count(), 0);
  assert.equal(await viewer.getByRole('link', { name: 'New tariff' }).count(), 0);
  h.assertClean(viewer);
  await viewer.context().close();
});

test('the map shows every located location over the bundled outline, with no request beyond the server', async () => {
  const page = await h.newPage(browser);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await h.login(page, server, 'viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Map' }).click();
  const map = page.getByTestId('location-map');
  await map.waitFor();
  // One marker per location, and the country outline drawn (many more paths than markers).
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=location-map] path.leaflet-interactive').length === 2);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=location-map] .leaflet-outline-pane path').length > 20);
  // Each marker is on top: the point at its centre is the marker itself, not the outline.
  const onTop = await page.$$eval('[data-testid=location-map] path.leaflet-interactive', (paths) =>
    paths.map((p) => {
      const r = p.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === p;
    }),
  );
  assert.deepEqual(onTop, [true, true], 'both markers visible');
  await page.getByRole('region', { name: 'Map of 2 locations' }).waitFor();
  await page.getByRole('link', { name: 'Adlershof Depot' }).waitFor();
  const outside = requested.filter((u) => !u.startsWith(server.base + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(outside, [], 'nothing fetched beyond the server');
  assert.ok(requested.some((u) => /\/assets\/countries-110m-[\w-]+\.json$/.test(u)), 'the outline came from the build');
  await a11y(page, 'map');
  await h.shot(page, 'map');
  // A marker opens its location.
  await page.locator('[data-testid=location-map] path.leaflet-interactive').first().click({ force: true });
  await page.getByRole('heading', { level: 1, name: /Berlin Hauptbahnhof|Adlershof Depot/ }).waitFor();
  h.assertClean(page);
  await page.context().close();
});

test('a location lists its EVSEs and prints a QR code per EVSE that encodes the driver portal URL', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Locations' }).click();
  await page.getByRole('link', { name: 'Adlershof Depot' }).waitFor();
  await a11y(page, 'location list');
  await h.shot(page, 'locations');
  await page.getByRole('link', { name: 'Berlin Hauptbahnhof' }).click();
  await page.getByRole('heading', { name: 'Berlin Hauptbahnhof' }).waitFor();
  const evse = page.getByRole('row', { name: /DE\*GRL\*E0001\*1/ });
  await evse.getByText('Connector 1: IEC_62196_T2 · SOCKET · AC_3_PHASE · up to 22 kW').waitFor();
  await a11y(page, 'location page');
  await h.shot(page, 'location');
  await page.getByRole('link', { name: 'QR code of DE*GRL*E0001*1' }).click();
  await page.getByRole('heading', { name: 'QR codes: Berlin Hauptbahnhof' }).waitFor();
  const url = `${server.base}/drive/evse/${encodeURIComponent(evseUid)}`;
  await page.getByText(url, { exact: true }).waitFor();
  const qr = page.getByRole('img', { name: 'QR code for DE*GRL*E0001*1' });
  await qr.waitFor();
  assert.equal(await qr.evaluate((el) => el.tagName.toLowerCase()), 'svg');
  const dark = await qr.locator('path').getAttribute('d');
  assert.ok(dark.length > 500, 'the code has its dark modules');
  await page.getByRole('button', { name: 'Print' }).waitFor();
  await a11y(page, 'QR page');
  await h.shot(page, 'qr');
  h.assertClean(page);
  await page.context().close();
});
