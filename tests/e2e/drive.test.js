// The driver portal (/drive) on a phone-sized viewport, in Debian's chromium against the real
// gridlane: a published location with a strict OCPP 1.6 station this test drives (it answers the
// remote start and stop and sends meter values), a tariff, a customer account with a driver login,
// and the card payment provider double. A driver opens the EVSE's QR URL, signs in, starts,
// watches the kWh grow, stops and gets the receipt with the total of the CDR; the same landing in
// German; finding the charger (list and map); a problem report that reaches the operator API.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');
const { PaymentProviderDouble } = require('../integration/doubles/payment_provider_double');

const PHONE = { width: 360, height: 740 };
const STATION = 'DRV-CS-16';
const EMI3 = 'DE*GRL*E0001*1';
const LOCATION = 'Lindenhof Garage';
const DRIVER = { email: 'anna@example.org', password: 'anna drives electric', name: 'Anna' };
const TAG = 'ANNA-0001';

// 0.35/kWh and 1.00 per session, 19 % VAT; parking 6.00/h after a 2-hour grace period.
const TARIFF = {
  country_code: 'DE', party_id: 'GRL', id: 'drive-e2e', currency: 'EUR',
  elements: [
    { price_components: [{ type: 'FLAT', price: 1.0, vat: 19, step_size: 1 }, { type: 'ENERGY', price: 0.35, vat: 19, step_size: 1 }] },
    { price_components: [{ type: 'PARKING_TIME', price: 0, vat: 19, step_size: 1 }], restrictions: { max_duration: 7200 } },
    { price_components: [{ type: 'PARKING_TIME', price: 6.0, vat: 19, step_size: 60 }] },
  ],
};
const PRICE_EN = '€0.4165 per kWh, €1.19 to start, €7.14 per hour when not charging after 2 hours';
const PRICE_DE = '0,4165 € pro kWh, 1,19 € pro Ladevorgang, 7,14 € pro Stunde ohne Laden nach 2 Stunden';

let server;
let browser;
let provider;
let token;
let uid;
let station;
const api = async (method, p, body, expect) => {
  const res = await server.request(method, `/api/v1${p}`, { token, body });
  if (expect) assert.ok(expect.includes(res.status), `${method} ${p}: ${res.status} ${res.text}`);
  return res;
};
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ').trim();

/**
 * A strict OCPP 1.6 station with one EVSE. It accepts a remote start, then starts the
 * transaction and reports a register that grows by 250 Wh a second at 15 kW; a remote stop
 * ends it with the last register reading. `meter` is what it reported last.
 */
async function startStation() {
  const cs = server.client(STATION);
  const st = { cs, tx: null, meter: 0, timer: null, idTag: null };
  const status = (s) => cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: s, timestamp: new Date().toISOString() });
  const sample = async () => {
    if (st.tx === null) return;
    st.meter += 250;
    try {
      await cs.call('MeterValues', {
        connectorId: 1,
        transactionId: st.tx,
        meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
          { value: String(st.meter), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: '15000', measurand: 'Power.Active.Import', unit: 'W' },
        ] }],
      });
    } catch {
      /* the test ends the station; a reading in flight then fails */
    }
  };
  cs.handle('RemoteStartTransaction', ({ params }) => {
    st.idTag = params.idTag;
    setTimeout(async () => {
      try {
        await status('Preparing');
        const res = await cs.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: 0, timestamp: new Date().toISOString() });
        st.tx = res.transactionId;
        await status('Charging');
        st.timer = setInterval(() => void sample(), 1000);
      } catch (e) {
        st.error = e;
      }
    }, 200);
    return { status: 'Accepted' };
  });
  cs.handle('RemoteStopTransaction', ({ params }) => {
    assert.equal(params.transactionId, st.tx);
    setTimeout(async () => {
      try {
        clearInterval(st.timer);
        const tx = st.tx;
        st.tx = null;
        await cs.call('StopTransaction', { transactionId: tx, meterStop: st.meter, timestamp: new Date().toISOString(), reason: 'Remote' });
        await status('Finishing');
        await status('Available');
      } catch (e) {
        st.error = e;
      }
    }, 200);
    return { status: 'Accepted' };
  });
  // What the server may ask a 1.6 station after its boot.
  cs.handle('GetConfiguration', () => ({ configurationKey: [], unknownKey: [] }));
  cs.handle('ChangeConfiguration', () => ({ status: 'Accepted' }));
  cs.handle('TriggerMessage', () => ({ status: 'Accepted' }));
  cs.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  await cs.connect();
  const boot = await cs.call('BootNotification', { chargePointVendor: 'Gridlane', chargePointModel: 'E2E-16' });
  assert.equal(boot.status, 'Accepted');
  await status('Available');
  return st;
}

before(async () => {
  provider = await new PaymentProviderDouble().start();
  server = await h.startConsole({
    config:
      '[ocpp]\nrequest_base_report = false\n' +
      `[payments]\ncard_provider = "stripe"\nbase_url = "${provider.url}"\nsecret_key = "sk_test_double"\n`,
  });
  token = await h.token(server, 'admin');
  browser = await h.launchBrowser();

  await api('PUT', `/tariffs/${TARIFF.id}`, TARIFF, [200, 201]);
  await api('POST', '/tariff-assignments', { tariff_id: TARIFF.id, scope: 'default' }, [201]);
  await api('POST', '/locations', {
    id: 'LINDENHOF', name: LOCATION, address: 'Lindenstraße 12', city: 'Berlin', postal_code: '10969', country: 'DEU',
    coordinates: { latitude: '52.502100', longitude: '13.395600' }, time_zone: 'Europe/Berlin', publish: true,
  }, [201]);
  await api('POST', '/stations', { id: STATION, site: LOCATION }, [201]);
  const evse = await api('POST', `/stations/${STATION}/evses`, {
    evse_id: 1, emi3_id: EMI3, connectors: [{ connector_id: 1, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE',
      max_voltage: 230, max_amperage: 32, max_electric_power: 22000 }],
  }, [201]);
  uid = evse.body.uid;
  await api('PUT', `/id-tokens/${TAG}`, { status: 'Accepted' }, [200, 201]);
  await api('POST', '/accounts', { id: 'anna', kind: 'driver', name: 'Anna Schmidt', currency: 'EUR', email: DRIVER.email }, [201]);
  await api('PUT', `/account-tokens/${TAG}`, { account: 'anna', driver: 'Anna' }, [200, 201]);
  station = await startStation();
  await api('POST', '/accounts/anna/drivers', { ...DRIVER, id_token: TAG }, [201]);
});

after(async () => {
  if (station) {
    clearInterval(station.timer);
    await station.cs.close().catch(() => {});
  }
  await browser?.close();
  await server?.stop();
  await provider?.stop();
});

async function phone(locale = 'en-GB') {
  return h.newPage(browser, { viewport: PHONE, locale, isMobile: true, hasTouch: true });
}

/** The energy the page shows, in Wh (it shows kWh with two decimals in en-GB). */
async function shownWh(page) {
  const text = plain(await page.getByTestId('energy').textContent());
  const m = /^([\d.,]+) kWh$/.exec(text);
  return m ? Math.round(Number(m[1].replace(/,/g, '')) * 1000) : NaN;
}

test('a driver opens the QR URL, signs in, starts, watches the kWh grow, stops and gets the receipt', async () => {
  const page = await phone();
  await page.goto(`${server.base}/drive/evse/${encodeURIComponent(uid)}`);
  await page.getByRole('heading', { level: 1, name: `Charger ${EMI3}` }).waitFor();
  await page.getByText(PRICE_EN).waitFor();
  await page.getByText('incl. VAT').waitFor();
  await page.getByText('Type 2, 22 kW').waitFor();
  // Card payment is enabled (the provider double): its field is offered beside the sign-in.
  await page.getByLabel('Payment method').waitFor();
  await h.checkA11y(page, 'QR landing');
  await h.shot(page, 'drive-landing', { fullPage: true });

  await page.getByRole('link', { name: 'Sign in to charge on your account' }).click();
  await page.getByLabel('Email').fill(DRIVER.email);
  await page.getByLabel('Password').fill(DRIVER.password);
  await h.checkA11y(page, 'driver sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back on the charger, signed in.
  await page.getByText(`Signed in as ${DRIVER.name}`).waitFor();
  await page.getByRole('button', { name: 'Start charging on my account' }).click();

  await page.waitForURL(/\/drive\/sessions\/ds_[^/]+$/);
  const sessionId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  await page.getByRole('status').filter({ hasText: 'Charging' }).waitFor({ timeout: 20000 });
  assert.equal(station.idTag, TAG, "the station was started with the driver's id token");

  // The page polls: the energy it shows grows while the station reports.
  let first = NaN;
  for (let i = 0; i < 40 && !(first > 0); i++) {
    first = await shownWh(page);
    if (!(first > 0)) await page.waitForTimeout(500);
  }
  assert.ok(first > 0, `energy shown: ${first}`);
  let later = first;
  for (let i = 0; i < 40 && later <= first; i++) {
    await page.waitForTimeout(500);
    later = await shownWh(page);
  }
  assert.ok(later > first, `the kWh grow without a reload: ${first} -> ${later}`);
  assert.match(plain(await page.getByTestId('cost').textContent()), /^€\d+\.\d{2}$/, 'the cost so far is shown');
  await h.checkA11y(page, 'live session');
  await h.shot(page, 'drive-session', { fullPage: true });

  await page.getByRole('button', { name: 'Stop charging' }).click();
  await page.getByRole('status').filter({ hasText: 'Ended' }).waitFor({ timeout: 20000 });
  const total = page.getByTestId('receipt-total');
  await total.waitFor({ timeout: 20000 });

  // The receipt is the CDR's: its total is the engine's price of the energy the station reported.
  const receipt = await server.request('GET', `/api/v1/drive/sessions/${encodeURIComponent(sessionId)}/receipt`);
  assert.equal(receipt.status, 200, receipt.text);
  assert.equal(receipt.body.energy_wh, station.meter);
  // The receipt rounds the CDR's amounts to the currency's minor unit (docs/api.md).
  const cents = (v) => Math.round(Number(v) * 100) / 100;
  const byHand = (1.0 + (station.meter / 1000) * 0.35) * 1.19;
  assert.equal(Number(receipt.body.total_incl_vat), cents(byHand), '(1.00 + kWh x 0.35) x 1.19');
  const shown = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(Number(receipt.body.total_incl_vat));
  assert.equal(plain(await total.textContent()), shown);
  const cdr = await api('GET', `/cdrs/${encodeURIComponent(receipt.body.cdr_id)}`, undefined, [200]);
  assert.equal(cents(cdr.body.total_cost.incl_vat), Number(receipt.body.total_incl_vat), 'the receipt is the CDR');
  await page.getByRole('cell', { name: 'Start fee' }).waitFor();
  await page.getByRole('cell', { name: 'Energy' }).waitFor();
  await h.checkA11y(page, 'receipt');
  await h.shot(page, 'drive-receipt', { fullPage: true });

  // Past sessions: the one just ended, newest first.
  await page.getByRole('link', { name: 'My sessions' }).click();
  await page.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
  await page.getByText(LOCATION).first().waitFor();
  await h.checkA11y(page, 'past sessions');
  h.assertClean(page);
  await page.context().close();
});

test('the same landing in German, and the language switch is remembered', async () => {
  const page = await phone('de-DE');
  await page.goto(`${server.base}/drive/evse/${encodeURIComponent(uid)}`);
  await page.getByRole('heading', { level: 1, name: `Ladepunkt ${EMI3}` }).waitFor();
  await page.getByText(PRICE_DE).waitFor();
  await page.getByText('inkl. MwSt.').waitFor();
  await page.getByRole('link', { name: 'Anmelden und über Ihr Konto laden' }).waitFor();
  await h.checkA11y(page, 'QR landing (de)');
  await h.shot(page, 'drive-landing-de', { fullPage: true });

  await page.getByLabel('Sprache').selectOption('nl');
  await page.getByRole('heading', { level: 1, name: `Laadpunt ${EMI3}` }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: `Laadpunt ${EMI3}` }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
  h.assertClean(page);
  await page.context().close();
});

test('finding the charger: search, available now, connector, power; list and map', async () => {
  const page = await phone();
  await page.goto(`${server.base}/drive`);
  await page.getByRole('heading', { level: 1, name: 'Find a charger' }).waitFor();
  await page.getByLabel('Place, street or charger').fill('Lindenhof');
  await page.getByRole('heading', { level: 2, name: LOCATION }).waitFor();
  await page.getByText(PRICE_EN).waitFor();
  await page.getByLabel('Available now').check();
  await page.getByLabel('Connector').selectOption('IEC_62196_T2');
  await page.getByLabel('Power').selectOption('22');
  await page.getByRole('link', { name: `Charge at ${EMI3}` }).waitFor();
  await h.checkA11y(page, 'find a charger');
  await h.shot(page, 'drive-find', { fullPage: true });

  // No charger of 50 kW here: the list says so.
  await page.getByLabel('Power').selectOption('50');
  await page.getByText('No charger matches.').waitFor();
  await page.getByLabel('Power').selectOption('0');

  await page.getByLabel('Map').check();
  const pin = page.getByRole('link', { name: new RegExp(`^${LOCATION}: 1/1`) });
  await pin.waitFor();
  await h.checkA11y(page, 'map');
  await h.shot(page, 'drive-map');
  await pin.click();
  await page.getByRole('heading', { level: 1, name: `Charger ${EMI3}` }).waitFor();
  h.assertClean(page);
  await page.context().close();
});

test('a problem report reaches the operator API', async () => {
  const page = await phone();
  await page.goto(`${server.base}/drive/evse/${encodeURIComponent(uid)}`);
  await page.getByRole('link', { name: 'Report a problem with this charger' }).click();
  await page.getByRole('heading', { level: 1, name: 'Report a problem' }).waitFor();
  await page.getByLabel('What is wrong?').selectOption('damaged');
  await page.getByLabel('Describe the problem').fill('The cable holder is broken off.');
  await page.getByLabel('Your email or phone (optional)').fill('anna@example.org');
  await h.checkA11y(page, 'problem report');
  await h.shot(page, 'drive-report', { fullPage: true });
  await page.getByRole('button', { name: 'Send report' }).click();
  const thanks = page.getByRole('status').filter({ hasText: 'reached the operator' });
  await thanks.waitFor();

  const reports = await api('GET', `/reports?station=${STATION}`, undefined, [200]);
  const mine = reports.body.items.find((r) => r.text === 'The cable holder is broken off.');
  assert.ok(mine, `the report is listed: ${JSON.stringify(reports.body.items)}`);
  assert.equal(mine.category, 'damaged');
  assert.match(plain(await thanks.textContent()), new RegExp(`report ${mine.id} reached`));
  h.assertClean(page);
  await page.context().close();
});
