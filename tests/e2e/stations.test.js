// The stations area in a real browser against the real server and strict ocpp-rpc stations:
// a station appears online live, a remote start from its page moves the power chart, a remote
// stop ends it, and a viewer is offered no command.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const { Station2 } = require('../integration/ocpp2');

const now = () => new Date().toISOString();
const later = (fn) => new Promise((resolve, reject) => setImmediate(() => fn().then(resolve, reject)));

let server;
let browser;
let admin;
const stations = [];

before(async () => {
  server = await h.startConsole();
  browser = await h.launchBrowser();
  admin = await h.token(server, 'admin');
  for (const [id, site] of [['E2E-LIVE-16', 'Harbour Car Park'], ['E2E-OTHER-1', undefined], ['E2E-DEPOT-01', 'Depot Nord'], ['E2E-DEPOT-02', 'Depot Nord'], ['E2E-DEPOT-03', 'Depot Nord']]) {
    const res = await server.request('POST', '/api/v1/stations', { token: admin, body: { id, site } });
    assert.equal(res.status, 201, res.text);
  }
  const tok = await server.request('PUT', '/api/v1/id-tokens/E2E-DRIVER', { token: admin, body: { status: 'Accepted' } });
  assert.ok(tok.status === 200 || tok.status === 201, tok.text);
});
after(async () => {
  for (const cs of stations) await cs.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

/** A strict 1.6 station that boots, reports its connector, and starts/stops what it is asked to. */
async function station16(id) {
  const cs = server.client(id);
  cs.meter = 10000;
  cs.handle('RemoteStartTransaction', ({ params }) => {
    cs.work = later(async () => {
      await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() });
      cs.clock = Date.now() - 20 * 60 * 1000; // the session began 20 minutes ago; readings follow minutes apart
      const st = await cs.call('StartTransaction', { connectorId: params.connectorId ?? 1, idTag: params.idTag, meterStart: cs.meter, timestamp: new Date(cs.clock).toISOString() });
      cs.tx = st.transactionId;
      await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: now() });
    });
    return { status: 'Accepted' };
  });
  cs.handle('RemoteStopTransaction', ({ params }) => {
    cs.work = later(async () => {
      await cs.call('StopTransaction', { transactionId: params.transactionId, meterStop: cs.meter, timestamp: now(), reason: 'Remote' });
      await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
    });
    return { status: 'Accepted' };
  });
  /** One meter reading: the register grown by `wh`, the power now in W. */
  cs.reading = (wh, watts) => {
    cs.meter += wh;
    cs.clock += 5 * 60 * 1000;
    return cs.call('MeterValues', {
      connectorId: 1,
      transactionId: cs.tx,
      meterValue: [
        {
          timestamp: new Date(cs.clock).toISOString(),
          sampledValue: [
            { value: String(cs.meter), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: String(watts), measurand: 'Power.Active.Import', unit: 'W' },
          ],
        },
      ],
    });
  };
  stations.push(cs);
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'Alfen', chargePointModel: 'Eve Double', firmwareVersion: '6.4.1' });
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
  return cs;
}

test('a station that connects turns online in the list without a reload; filters narrow the list', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stations' }).click();
  const row = page.locator('tr[data-station="E2E-LIVE-16"]');
  await row.getByText('Offline').waitFor();
  await page.getByText('Live', { exact: true }).waitFor(); // the event stream is open

  const cs = await station16('E2E-LIVE-16');
  await row.getByText('Online').waitFor();
  await row.getByText('1: Available').waitFor();
  await row.getByText('ocpp1.6').waitFor();
  // The other station stayed as it was, and nothing was reloaded to show the change.
  await page.locator('tr[data-station="E2E-OTHER-1"]').getByText('Offline').waitFor();

  await page.getByLabel('Connection').selectOption('true');
  await page.waitForURL(/connected=true/);
  await page.locator('tr[data-station="E2E-OTHER-1"]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('tbody tr').count(), 1);
  await page.getByLabel('Connection').selectOption('');
  await page.getByLabel('Search').fill('other');
  await page.waitForURL(/search=other/);
  await page.locator('tr[data-station="E2E-LIVE-16"]').waitFor({ state: 'detached' });
  await page.locator('tr[data-station="E2E-OTHER-1"]').waitFor();
  await page.getByLabel('Search').fill('');
  await page.locator('tr[data-station="E2E-LIVE-16"]').waitFor();

  // A status reported now changes the row in place.
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'GroundFailure', status: 'Faulted', timestamp: now() });
  await row.getByText('1: Faulted').waitFor();
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
  await row.getByText('1: Available').waitFor();

  await h.checkA11y(page, 'stations list');
  await h.shot(page, 'stations');
  h.assertClean(page);
  await page.context().close();
});

test('remote start from the station page: the session appears and its power chart moves; remote stop ends it', async () => {
  const cs = stations.find((s) => s.identity === 'E2E-LIVE-16');
  assert.ok(cs, 'the station of the first test is connected');
  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.goto(`${server.base}/stations/E2E-LIVE-16`);
  await page.getByRole('heading', { name: 'Station E2E-LIVE-16' }).waitFor();
  await page.getByTestId('connector-1-1').getByText('Available').waitFor();
  await page.getByText('No session is running on this station.').waitFor();

  await page.getByRole('tab', { name: 'Commands' }).click();
  const form = page.getByRole('form', { name: 'Send a command' });
  await form.getByLabel('Command').selectOption('start_transaction');
  await form.getByLabel('Id token *').fill('E2E-DRIVER');
  await form.getByLabel('Connector', { exact: true }).fill('1');
  await form.getByRole('button', { name: 'Send Remote start' }).click();
  const result = form.getByRole('status');
  await result.getByText('Accepted', { exact: true }).waitFor();
  await cs.work;
  assert.ok(Number.isInteger(cs.tx), 'the station started a transaction');
  await result.getByText(`#${cs.tx}`, { exact: true }).waitFor(); // the command names the session it started

  await page.getByRole('tab', { name: 'Live' }).click();
  await page.getByTestId('connector-1-1').getByText('Charging').waitFor();
  const card = page.getByRole('article', { name: new RegExp(`Session #${cs.tx}`) });
  await card.waitFor();
  const chart = page.getByTestId(`session-chart-${cs.tx}`);
  const points = async () => Number(await chart.getAttribute('data-points'));

  await cs.reading(250, 3700);
  await card.getByTestId('power-now').getByText('3.7 kW').waitFor();
  const first = await points();
  await cs.reading(600, 7400);
  await card.getByTestId('power-now').getByText('7.4 kW').waitFor();
  await card.getByTestId('energy-now').getByText('0.85 kWh').waitFor();
  await cs.reading(610, 7300);
  await card.getByTestId('power-now').getByText('7.3 kW').waitFor();
  assert.ok((await points()) >= first + 2, 'every reading adds a point to the chart');
  assert.equal(await chart.locator('canvas').count(), 2, 'power and energy are drawn');

  await h.checkA11y(page, 'station page');
  await h.shot(page, 'station', { fullPage: true });

  await page.getByRole('tab', { name: 'Commands' }).click();
  await form.getByLabel('Command').selectOption('stop_transaction');
  assert.equal(await form.getByLabel('Session id *').inputValue(), String(cs.tx), 'the stop offers the running session');
  await form.getByRole('button', { name: 'Send Remote stop' }).click();
  await form.getByRole('status').getByText('Accepted', { exact: true }).waitFor();
  await cs.work;
  // The history lists both commands, newest first.
  const history = page.getByRole('table', { name: 'Command history' });
  await history.getByText('Remote stop').waitFor();
  await history.getByText('Remote start').waitFor();
  await h.checkA11y(page, 'station commands');
  await h.shot(page, 'station-commands', { fullPage: true });

  await page.getByRole('tab', { name: 'Live' }).click();
  await page.getByText('No session is running on this station.').waitFor();
  await page.getByRole('list', { name: 'Status history' }).getByText('Charging').first().waitFor();

  await page.getByRole('tab', { name: 'OCPP frames' }).click();
  await page.getByRole('table', { name: 'OCPP frames' }).getByText('"RemoteStopTransaction"', { exact: false }).first().waitFor();
  h.assertClean(page);
  await page.context().close();
});

test('a viewer sees the station but is offered no command and no frames', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.goto(`${server.base}/stations/E2E-LIVE-16`);
  await page.getByRole('heading', { name: 'Station E2E-LIVE-16' }).waitFor();
  await page.getByTestId('connector-1-1').waitFor();
  assert.equal(await page.getByRole('tab', { name: 'OCPP frames' }).count(), 0);
  // The tabs work from the keyboard: arrows move between them.
  await page.getByRole('tab', { name: 'Live' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Commands' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Commands');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getByRole('tab', { name: 'Live' }).getAttribute('aria-selected'), 'true');
  await page.getByRole('tab', { name: 'Commands' }).click();
  await page.getByRole('table', { name: 'Command history' }).getByText('Remote start').waitFor();
  assert.equal(await page.getByRole('form', { name: 'Send a command' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Send/ }).count(), 0);
  await page.getByRole('tab', { name: 'Configuration' }).click();
  await page.getByText('As the station reported it', { exact: false }).or(page.getByText('No configuration read yet', { exact: false })).waitFor();
  assert.equal(await page.getByRole('button', { name: /Read the/ }).count(), 0);
  // The only buttons on the page are navigation and the tabs: nothing that changes anything.
  const buttons = await page.getByRole('button').allInnerTexts();
  for (const b of buttons) assert.match(b, /^(Sign out|Previous|Next|Live|Commands|Configuration|Events and anomalies|Problem reports)$/, `a viewer's button: ${b}`);
  await h.checkA11y(page, 'station page (viewer)');
  h.assertClean(page);
  await page.context().close();
});

test('a 2.0.1 station: its device model, the commands of its version, a remote start on an EVSE charting kWh and W', async () => {
  const s = new Station2(server, 'E2E-V2-1', 'ocpp2.0.1');
  const asked = new Promise((resolve) => s.cs.handle('GetBaseReport', ({ params }) => { resolve(params); return { status: 'Accepted' }; }));
  s.cs.handle('RequestStartTransaction', ({ params }) => {
    s.cs.work = later(async () => {
      s.begin();
      await s.event('Started', 'RemoteStart', { evse: { id: params.evseId ?? 1, connectorId: 1 }, idToken: params.idToken, meterValue: s.energy(2000, 'Transaction.Begin') },
        { remoteStartId: params.remoteStartId, chargingState: 'Charging' });
      await s.status('Occupied');
    });
    return { status: 'Accepted' };
  });
  stations.push(s);
  await s.connect();
  await s.booted();
  const request = await asked;
  await s.call('NotifyReport', { requestId: request.requestId, generatedAt: s.now(), seqNo: 0, reportData: [
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, variableAttribute: [{ value: '300', mutability: 'ReadWrite' }] }] });

  const page = await h.newPage(browser);
  await h.login(page, server, 'admin');
  await page.goto(`${server.base}/stations/E2E-V2-1`);
  await page.getByRole('heading', { name: 'Station E2E-V2-1' }).waitFor();
  await page.getByText('ocpp2.0.1', { exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Configuration' }).click();
  const model = page.getByRole('table', { name: 'Device model' });
  await model.getByRole('row').filter({ hasText: 'HeartbeatInterval' }).getByText('300', { exact: true }).waitFor();

  await page.getByRole('tab', { name: 'Commands' }).click();
  const form = page.getByRole('form', { name: 'Send a command' });
  const kinds = await form.getByLabel('Command').locator('option').allInnerTexts();
  assert.ok(kinds.includes('Get variables') && kinds.includes('Get base report'), '2.x commands offered');
  assert.ok(!kinds.includes('Get configuration') && !kinds.includes('Change configuration'), 'no 1.6-only command offered');
  await form.getByLabel('Command').selectOption('start_transaction');
  assert.equal(await form.getByLabel('Connector', { exact: true }).count(), 0, 'a 2.x start names the EVSE, not the connector');
  await form.getByLabel('Id token *').fill('E2E-DRIVER');
  await form.getByLabel('EVSE', { exact: true }).fill('1');
  await form.getByRole('button', { name: 'Send Remote start' }).click();
  await form.getByRole('status').getByText('Accepted', { exact: true }).waitFor();
  await s.cs.work;

  // A malformed JSON parameter is refused in the page, next to its field, before anything is sent.
  await form.getByLabel('Command').selectOption('get_variables');
  await form.getByLabel('Variables (JSON) *').fill('[{"component": ');
  await form.getByRole('button', { name: 'Send Get variables' }).click();
  await form.getByRole('alert').getByText('Not valid JSON.').waitFor();

  await page.getByRole('tab', { name: 'Live' }).click();
  const chart = page.locator('[data-testid^="session-chart-"]');
  await chart.waitFor();
  await s.event('Updated', 'MeterValuePeriodic', { meterValue: [{ timestamp: s.now(60000), sampledValue: [
    { value: 3.1, context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
    { value: 11000, context: 'Sample.Periodic', measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } }] }] }, { chargingState: 'Charging' });
  await page.getByTestId('power-now').getByText('11 kW').waitFor();
  await page.getByTestId('energy-now').getByText('1.1 kWh').waitFor();
  await h.checkA11y(page, 'station page (2.0.1)');
  h.assertClean(page);
  await page.context().close();
});
