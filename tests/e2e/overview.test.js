// The overview in a real browser: its figures follow the network (a station that connects is
// counted online without a reload), the sessions running now, and the live feed of events.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const now = () => new Date().toISOString();

let server;
let browser;
const clients = [];

before(async () => {
  server = await h.startConsole();
  browser = await h.launchBrowser();
  const admin = await h.token(server, 'admin');
  for (const id of ['OV-1', 'OV-2', 'OV-3']) {
    const res = await server.request('POST', '/api/v1/stations', { token: admin, body: { id } });
    assert.equal(res.status, 201, res.text);
  }
  await server.request('PUT', '/api/v1/id-tokens/OV-DRIVER', { token: admin, body: { status: 'Accepted' } });
});
after(async () => {
  for (const cs of clients) await cs.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

/** The figure card labelled `label` (its value is the card's second line). */
const figure = (page, label) =>
  page.getByRole('list', { name: 'The network now' }).getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });

test('the overview counts a station online as it connects, lists its session and feeds its events live', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await figure(page, 'Stations').getByText('3', { exact: true }).waitFor();
  await figure(page, 'Online').getByText('0', { exact: true }).waitFor();
  await page.getByText('No session is running.').waitFor();
  await page.getByText('Live', { exact: true }).waitFor();

  const cs = server.client('OV-2');
  clients.push(cs);
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });

  const feed = page.getByRole('list', { name: 'Live events' });
  await feed.getByText('connected (ocpp1.6)').waitFor();
  await feed.getByRole('link', { name: 'OV-2' }).first().waitFor();
  await figure(page, 'Online').getByText('1', { exact: true }).waitFor();
  await figure(page, 'Offline').getByText('2', { exact: true }).waitFor();

  // A session the station starts by itself shows up among the sessions running now.
  const st = await cs.call('StartTransaction', { connectorId: 1, idTag: 'OV-DRIVER', meterStart: 0, timestamp: now() });
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: now() });
  await feed.getByText(`session #${st.transactionId} started`).waitFor();
  const sessions = page.getByRole('table', { name: 'Sessions running now' });
  await sessions.getByRole('link', { name: 'OV-2' }).waitFor();
  await figure(page, 'Sessions now').getByText('1', { exact: true }).waitFor();

  // A fault on the connector is in the feed and in the count.
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'HighTemperature', status: 'Faulted', timestamp: now() });
  await feed.getByText('connector 1: Faulted (HighTemperature)').waitFor();
  await figure(page, 'Faulted').getByText('1', { exact: true }).waitFor();
  // The day's figures from GET /overview: the session started today, no CDR yet (no tariff),
  // and the connector-time lost to the fault.
  await figure(page, 'Sessions today').getByText('1', { exact: true }).waitFor();
  assert.match(await figure(page, 'Energy today').innerText(), /\d kWh$/);
  assert.match(await figure(page, 'Revenue today (incl. VAT)').innerText(), /–$/);
  assert.match(await figure(page, 'Availability, last 24 h').innerText(), /\d+(\.\d)? %$/);

  await h.checkA11y(page, 'overview');
  await h.shot(page, 'overview');

  // The figures link to the list they count.
  await figure(page, 'Online').getByRole('link').click();
  await page.waitForURL(/\/stations\?connected=true$/);
  await page.locator('tr[data-station="OV-2"]').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);
  h.assertClean(page);
  await page.context().close();
});
