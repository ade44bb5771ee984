// The console's energy area in a real browser: a depot with a 32 A / 22 kW grid connection (set
// up through the API) and a strict OCPP 1.6 station attached to it. The page shows the site's
// limit, and when the station starts a session the EVSE's allocation appears live (from
// energy.setpoint, no reload); a meter value's current shows as the phases' load.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

let server;
let browser;
let admin;
const LOC = 'E2E-DEPOT';
const CS = 'E2E-EN-1';
const TAG = 'E2E-EN-TAG';
const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token: admin, body });
const now = () => new Date().toISOString();

before(async () => {
  server = await h.startConsole({ config: '[energy]\nmin_interval = "1s"\n' });
  browser = await h.launchBrowser();
  admin = await h.token(server, 'admin');
  let res = await api('POST', '/locations', { id: LOC, name: 'Harbour depot', time_zone: 'Europe/Berlin' });
  assert.equal(res.status, 201, res.text);
  // A second location without a grid connection: it has no energy page.
  assert.equal((await api('POST', '/locations', { id: 'E2E-SHOP', name: 'Corner shop' })).status, 201);
  assert.equal((await api('POST', '/stations', { id: CS })).status, 201);
  assert.equal((await api('PUT', `/stations/${CS}/location`, { location_id: LOC })).status, 200);
  assert.equal((await api('POST', `/stations/${CS}/evses`, { evse_id: 1 })).status, 201);
  res = await api('PUT', `/locations/${LOC}/energy/grid`, { limit: { per_phase_a: 32, power_kw: 22 } });
  assert.equal(res.status, 201, res.text);
  res = await api('PUT', `/locations/${LOC}/energy/evses/${CS}/1`, { max_current_a: 32 });
  assert.equal(res.status, 201, res.text);
  assert.equal((await api('PUT', `/id-tokens/${TAG}`, { status: 'Accepted' })).status, 200);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a site shows its limit, a running session\'s allocation arrives live, and the measured load per phase', async (t) => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Energy' }).click();
  await page.getByRole('heading', { name: 'Energy', level: 1 }).waitFor();
  const sites = page.getByRole('table', { name: 'Energy sites' });
  await sites.getByRole('link', { name: 'Harbour depot' }).waitFor();
  assert.equal(await sites.getByText('Corner shop').count(), 0, 'a location without a grid connection is no energy site');
  await sites.getByText('32 A per phase · 22 kW').waitFor();
  await h.checkA11y(page, 'energy sites');

  await sites.getByRole('link', { name: 'Harbour depot' }).click();
  await page.waitForURL(`${server.base}/energy/${LOC}`);
  await page.getByRole('heading', { name: 'Energy at Harbour depot' }).waitFor();
  assert.equal(await page.getByTestId('site-limit').textContent(), '32 A per phase · 22 kW');
  const phases = page.getByRole('table', { name: 'Load against the limit per phase' }).first();
  for (const phase of ['L1', 'L2', 'L3']) await phases.getByRole('row', { name: new RegExp(`^${phase} 0 A 0 A 32 A`) }).waitFor();
  const allocation = page.getByTestId(`allocation-${CS}-1`);
  await allocation.getByText('idle').waitFor();
  await page.getByRole('status').getByText('Live').waitFor();

  // The station connects, answers every charging profile, and starts a session.
  const cs = server.client(CS);
  const profiles = [];
  cs.handle('SetChargingProfile', ({ params }) => {
    profiles.push(params.csChargingProfiles);
    return { status: 'Accepted' };
  });
  cs.handle('GetCompositeSchedule', () => ({ status: 'Rejected' }));
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'Gridlane', chargePointModel: 'E2E' });
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
  const start = await cs.call('StartTransaction', { connectorId: 1, idTag: TAG, meterStart: 0, timestamp: now() });
  assert.equal(start.idTagInfo.status, 'Accepted');

  // Without a reload: the session's set-point (it charges alone: its share of the connection),
  // exactly as the API's picture has it, and what the station was sent.
  await allocation.getByRole('link', { name: `#${start.transactionId}` }).waitFor();
  let share = null;
  for (let i = 0; i < 100 && share === null; i++) {
    const pic = (await api('GET', `/locations/${LOC}/energy`)).body;
    const evse = pic.evses.find((e) => e.station_id === CS);
    if (evse.transaction_id === start.transactionId && Number(evse.setpoint_a) > 0) share = Number(evse.setpoint_a);
    else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(share > 6 && share <= 32, `a share within the 32 A connection: ${share}`);
  const a = (v) => `${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 }).format(v)} A`;
  await allocation.getByText(`${a(share)} on 3 phase(s)`).waitFor();
  await phases.getByRole('row', { name: new RegExp(`^L1 0 A ${a(share).replace('.', '\\.')} 32 A`) }).waitFor();
  const tx = profiles.find((p) => p.chargingProfilePurpose === 'TxProfile');
  const sent = tx.chargingSchedule.chargingSchedulePeriod[0].limit;
  assert.ok(sent <= share && sent > share - 0.1, `the station got the share (to 0.1 A): ${sent} for ${share}`);

  // The vehicle draws 24 A on each phase: the measured load shows on the next refresh.
  await cs.call('MeterValues', {
    connectorId: 1,
    transactionId: start.transactionId,
    meterValue: [
      {
        timestamp: now(),
        sampledValue: [
          ...['L1', 'L2', 'L3'].map((phase) => ({ value: '24', measurand: 'Current.Import', phase, unit: 'A' })),
          { value: '16.5', measurand: 'Power.Active.Import', unit: 'kW' },
        ],
      },
    ],
  });
  await phases.getByRole('row', { name: new RegExp(`^L2 24 A ${a(share).replace('.', '\\.')} 32 A`) }).waitFor({ timeout: 20000 });
  await allocation.getByText('24 A / 24 A / 24 A').waitFor();
  // The plan ahead: a chart when the scheduler has slots, else the sentence saying why not.
  await page.getByTestId('energy-plan').or(page.getByText('No plan yet', { exact: false })).waitFor();
  await h.checkA11y(page, 'energy site');
  await h.shot(page, 'energy-site', { fullPage: true });
  assert.equal(await page.getByRole('main').getByRole('button').count(), 0, 'the picture offers a viewer nothing to change');
  h.assertClean(page);
  await page.context().close();
});

test('an unknown location has no energy picture and says so', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.goto(`${server.base}/energy/E2E-SHOP`);
  await page.getByRole('alert').getByText('the location has no grid connection', { exact: false }).waitFor();
  // The 404 of the picture is the one expected failure.
  assert.deepEqual(page.problems().filter((p) => !/404/.test(p)), []);
  await page.context().close();
});
