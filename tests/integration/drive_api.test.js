// The driver portal's API (docs/api.md "Driver portal API") against the real binary and strict
// ocpp-rpc stations: the public charger search and QR landing (published locations only, live
// status, the ad-hoc tariff), driver logins of accounts (their tokens accepted only under
// /drive/), and the operator's management of them.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, BIN } = require('./harness');
const { Station2 } = require('./ocpp2');
const { PaymentProviderDouble } = require('./doubles/payment_provider_double');

let server;
let provider;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
const as = (bearer) => (method, path, body) => server.request(method, `/api/v1${path}`, { token: bearer, body });
const pub = as(undefined);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const berlin = {
  id: 'BER-HBF', name: 'Berlin Hauptbahnhof', address: 'Europaplatz 1', city: 'Berlin', postal_code: '10557',
  country: 'DEU', coordinates: { latitude: '52.5250839', longitude: '13.369402' }, time_zone: 'Europe/Berlin', publish: true,
};
const potsdam = {
  id: 'POT-DEPOT', name: 'Potsdam Depot', address: 'Am Depot 3', city: 'Potsdam', postal_code: '14467',
  country: 'DEU', coordinates: { latitude: '52.3905689', longitude: '13.064473' }, time_zone: 'Europe/Berlin', publish: true,
};
const hidden = { id: 'HIDDEN', name: 'Private Yard', city: 'Berlin', country: 'DEU' };
const type2 = { standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000 };
const ccs = { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000 };
const adHoc = {
  country_code: 'DE', party_id: 'GRL', id: 'ADHOC', currency: 'EUR',
  elements: [{ price_components: [{ type: 'FLAT', price: 0.5, vat: 19, step_size: 1 }, { type: 'ENERGY', price: 0.39, vat: 19, step_size: 1 }] }],
  last_updated: '2026-01-01T00:00:00Z',
};

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'driver', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

async function station16(identity) {
  const cs = server.client(identity);
  await cs.connect();
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W1' })).status, 'Accepted');
  return cs;
}

const status16 = (cs, connectorId, status) =>
  cs.call('StatusNotification', { connectorId, errorCode: 'NoError', status, timestamp: new Date().toISOString() });

// Polls `fn` (up to 5 s) until `ok(result)`.
async function until(fn, ok, what) {
  let last;
  for (let i = 0; i < 50; i++) {
    last = await fn();
    if (ok(last)) return last;
    await sleep(100);
  }
  assert.fail(`${what}: ${JSON.stringify(last && last.body)}`);
}

let uids = {};

before(async () => {
  provider = await new PaymentProviderDouble().start();
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n[payments]\ncard_provider = "stripe"\n' +
    `base_url = "${provider.url}"\nsecret_key = "sk_test_double"\nretry_interval_s = 1\ntimeout_ms = 3000\n` });
  token = await server.adminToken();
  for (const l of [berlin, potsdam, hidden]) assert.equal((await api('POST', '/locations', l)).status, 201);
  for (const [id, loc] of [['DRV-BER-1', 'BER-HBF'], ['DRV-POT-1', 'POT-DEPOT'], ['DRV-HID-1', 'HIDDEN']]) {
    assert.equal((await api('POST', '/stations', { id })).status, 201);
    assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: loc })).status, 200);
  }
  const evse = async (station, evseId, emi3, connector) => {
    const res = await api('POST', `/stations/${station}/evses`, { evse_id: evseId, emi3_id: emi3, connectors: [{ connector_id: 1, ...connector }] });
    assert.equal(res.status, 201, res.text);
    return res.body.uid;
  };
  uids.ber1 = await evse('DRV-BER-1', 1, 'DE*GRL*E0001*1', type2);
  uids.ber2 = await evse('DRV-BER-1', 2, 'DE*GRL*E0001*2', ccs);
  uids.pot1 = await evse('DRV-POT-1', 1, 'DE*GRL*E0002*1', type2);
  uids.hid1 = await evse('DRV-HID-1', 1, 'DE*GRL*E0003*1', type2);
  assert.equal((await api('PUT', '/tariffs/ADHOC', adHoc)).status, 201);
  assert.equal((await api('POST', '/tariff-assignments', { tariff_id: 'ADHOC', scope: 'location', location_id: 'BER-HBF' })).status, 201);
  assert.equal((await api('POST', '/accounts', { id: 'anna', kind: 'driver', name: 'Anna Schmidt', currency: 'EUR' })).status, 201);
  assert.equal((await api('PUT', '/id-tokens/ANNA-1', {})).status, 200);
  assert.equal((await api('PUT', '/account-tokens/ANNA-1', { account: 'anna', driver: 'Anna' })).status, 200);
  assert.equal((await api('PUT', '/id-tokens/STRANGER', {})).status, 200);
});
after(async () => {
  await server.stop();
  await provider.stop();
});

test('drive: the charger search shows published locations only, with EVSEs, connectors, status and the ad-hoc tariff', async () => {
  const res = await pub('GET', '/drive/chargers');
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.items.map((i) => i.location.name), ['Berlin Hauptbahnhof', 'Potsdam Depot']);
  assert.equal(res.body.total, 2);
  assert.equal(res.body.limit, 20);
  const ber = res.body.items[0];
  assert.deepEqual(ber.location, {
    id: 'BER-HBF', name: 'Berlin Hauptbahnhof', address: 'Europaplatz 1', city: 'Berlin', postal_code: '10557', country: 'DEU',
    time_zone: 'Europe/Berlin', coordinates: { latitude: '52.5250839', longitude: '13.369402' } });
  assert.deepEqual(ber.evses.map((e) => [e.uid, e.evse_id, e.station_id, e.ocpp_evse_id, e.status]),
    [[uids.ber1, 'DE*GRL*E0001*1', 'DRV-BER-1', 1, 'Offline'], [uids.ber2, 'DE*GRL*E0001*2', 'DRV-BER-1', 2, 'Offline']]);
  assert.deepEqual(ber.evses[1].connectors, [{ connector_id: 1, standard: 'IEC_62196_T2_COMBO', power_type: 'DC', max_power_w: 150000 }]);
  assert.equal(ber.evses[0].tariff.id, 'ADHOC');
  assert.equal(ber.evses[0].tariff.currency, 'EUR');
  assert.equal(res.body.items[1].evses[0].tariff, null, 'no tariff assigned in Potsdam');
  assert.ok(!JSON.stringify(res.body).includes('Private Yard'), 'an unpublished location is never shown');
  uids.pot1Evse = res.body.items[1].evses[0];
});

test('drive: filters by text, connector, power and availability now (live status from the station)', async (t) => {
  const names = async (query) => {
    const res = await pub('GET', `/drive/chargers?${query}`);
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    return res.body.items.map((i) => [i.location.id, i.evses.map((e) => e.ocpp_evse_id)]);
  };
  assert.deepEqual(await names('q=potsdam'), [['POT-DEPOT', [1]]]);
  assert.deepEqual(await names('q=10557'), [['BER-HBF', [1, 2]]]);
  assert.deepEqual(await names('q=%25'), [], 'a % is no wildcard');
  assert.deepEqual(await names('connector=IEC_62196_T2_COMBO'), [['BER-HBF', [2]]]);
  assert.deepEqual(await names('min_power_w=50000'), [['BER-HBF', [2]]]);
  assert.deepEqual(await names('min_power_w=22000&connector=IEC_62196_T2'), [['BER-HBF', [1]], ['POT-DEPOT', [1]]]);
  assert.deepEqual(await names('available=true'), [], 'nothing is connected yet');

  const cs = await station16('DRV-BER-1');
  t.after(() => cs.close());
  await status16(cs, 1, 'Available');
  await status16(cs, 2, 'Charging');
  const live = await until(() => pub('GET', '/drive/chargers?q=Hauptbahnhof'),
    (r) => r.body.items[0].evses.map((e) => e.status).join() === 'Available,Charging', 'live statuses');
  assert.equal(live.body.items[0].evses[0].status, 'Available');
  assert.deepEqual(await names('available=true'), [['BER-HBF', [1]]]);
  await status16(cs, 0, 'Unavailable');
  assert.deepEqual(await names('available=true'), [], 'a station-wide Unavailable counts for every EVSE');
  assert.equal((await pub('GET', `/drive/evses/${uids.ber1}`)).body.status, 'Unavailable');
  await status16(cs, 0, 'Available');
  assert.deepEqual(await names('available=true'), [['BER-HBF', [1]]]);

  for (const [query, field] of [['connector=SCHUKO', 'connector'], ['min_power_w=-1', 'min_power_w'], ['available=maybe', 'available'],
    ['limit=101', 'limit'], [`q=${'x'.repeat(101)}`, 'q']]) {
    const res = await pub('GET', `/drive/chargers?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.field, field, query);
  }
  const paged = await pub('GET', '/drive/chargers?limit=1');
  assert.deepEqual([paged.body.items.length, paged.body.next_offset, paged.body.total], [1, 1, 2]);
});

test('drive: the QR landing shows one EVSE of a published location with its tariff and card payment', async () => {
  const res = await pub('GET', `/drive/evses/${uids.ber2}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.uid, uids.ber2);
  assert.equal(res.body.evse_id, 'DE*GRL*E0001*2');
  assert.equal(res.body.location.name, 'Berlin Hauptbahnhof');
  assert.equal(res.body.tariff.elements[0].price_components[1].price, 0.39);
  assert.deepEqual(res.body.card_payment, { enabled: true, hold: { amount: '50.00', currency: 'EUR' } });
  for (const uid of [uids.hid1, '999999', 'abc', '-1']) assert.equal((await pub('GET', `/drive/evses/${uid}`)).status, 404, uid);
});

test('drive: operators add driver logins to an account; the id token must be the account\'s', async () => {
  const add = (body) => api('POST', '/accounts/anna/drivers', body);
  const created = await add({ email: 'Anna@Example.com', password: 'anna driver password', name: 'Anna', id_token: 'ANNA-1' });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual([created.body.email, created.body.account_id, created.body.id_token, created.body.disabled],
    ['anna@example.com', 'anna', 'ANNA-1', false]);
  assert.ok(!('password_hash' in created.body));
  assert.equal((await add({ email: 'ANNA@example.com', password: 'another password!', id_token: 'ANNA-1' })).status, 409);
  for (const [body, field] of [
    [{ email: 'not-an-email', password: 'anna driver password', id_token: 'ANNA-1' }, 'email'],
    [{ email: 'b@example.com', password: 'short', id_token: 'ANNA-1' }, 'password'],
    [{ email: 'b@example.com', password: 'anna driver password', id_token: 'STRANGER' }, 'id_token'],
    [{ email: 'b@example.com', password: 'anna driver password' }, 'id_token'],
  ]) {
    const res = await add(body);
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal(res.body.field, field);
  }
  assert.equal((await api('POST', '/accounts/nobody/drivers', { email: 'x@example.com', password: 'anna driver password', id_token: 'ANNA-1' })).status, 404);
  const list = await api('GET', '/accounts/anna/drivers');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((d) => d.email), ['anna@example.com']);
  assert.equal(list.body.total, 1);
  const audit = await api('GET', '/audit?limit=50');
  assert.ok(audit.body.items.some((e) => e.action === 'POST /api/v1/accounts/anna/drivers' && e.status === 201));
});

test('drive: a driver logs in; the token works only under /drive/, an operator token is no driver credential', async () => {
  const login = await pub('POST', '/drive/auth/login', { email: 'ANNA@example.com', password: 'anna driver password' });
  assert.equal(login.status, 200, login.text);
  assert.match(login.body.token, /^gld_/);
  assert.deepEqual(login.body.driver, { email: 'anna@example.com', name: 'Anna', account_id: 'anna', currency: 'EUR' });
  const hours = (Date.parse(login.body.expires_at) - Date.now()) / 3600e3;
  assert.ok(hours > 11.9 && hours <= 12, `12 h (${hours})`);
  const driver = as(login.body.token);
  const me = await driver('GET', '/drive/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.email, 'anna@example.com');

  for (const [method, path] of [['GET', '/stations'], ['GET', '/me'], ['GET', '/accounts/anna/drivers'], ['POST', '/auth/logout']]) {
    const res = await driver(method, path);
    assert.equal(res.status, 401, `${method} ${path}`);
  }
  assert.equal((await api('GET', '/drive/me')).status, 401, 'an operator token is not a driver credential');
  assert.equal((await pub('GET', '/drive/me')).status, 401);

  assert.equal((await pub('POST', '/drive/auth/login', { email: 'anna@example.com', password: 'wrong password!!' })).status, 401);
  assert.equal((await pub('POST', '/drive/auth/login', { email: 'nobody@example.com', password: 'anna driver password' })).status, 401);
  assert.equal((await pub('POST', '/drive/auth/login', { email: 'anna@example.com' })).status, 422);

  assert.equal((await driver('POST', '/drive/auth/logout')).status, 204);
  assert.equal((await driver('GET', '/drive/me')).status, 401, 'logged out');
});

test('drive: failed driver logins are throttled like operator logins', async () => {
  await api('POST', '/accounts/anna/drivers', { email: 'locked@example.com', password: 'locked driver password', id_token: 'ANNA-1' });
  let status;
  for (let i = 0; i < 12; i++) {
    status = (await pub('POST', '/drive/auth/login', { email: 'locked@example.com', password: `wrong guess ${i}!!` })).status;
  }
  assert.equal(status, 429);
  const right = await pub('POST', '/drive/auth/login', { email: 'locked@example.com', password: 'locked driver password' });
  assert.equal(right.status, 429, 'even the right password while locked');
  assert.ok(Number(right.headers['retry-after']) > 0);
});

test('drive: the admin CLI adds, lists and disables driver logins; a disabled driver is logged out', async () => {
  const added = cli('add', '--account', 'anna', '--email', 'cli@example.com', '--password', 'cli driver password', '--id-token', 'ANNA-1', '--name', 'Cli');
  assert.equal(added.status, 0, added.stderr);
  const login = await pub('POST', '/drive/auth/login', { email: 'cli@example.com', password: 'cli driver password' });
  assert.equal(login.status, 200, login.text);
  const listed = JSON.parse(cli('list', '--json').stdout);
  assert.ok(listed.some((d) => d.email === 'cli@example.com' && d.account_id === 'anna' && !d.disabled));
  assert.equal(cli('add', '--account', 'anna', '--email', 'cli@example.com', '--password', 'cli driver password', '--id-token', 'ANNA-1').status, 1);
  assert.equal(cli('disable', 'cli@example.com').status, 0);
  assert.equal((await as(login.body.token)('GET', '/drive/me')).status, 401, 'disabled: its tokens end');
  assert.equal((await pub('POST', '/drive/auth/login', { email: 'cli@example.com', password: 'cli driver password' })).status, 401);
  assert.equal((await api('DELETE', '/drivers/cli@example.com')).status, 204);
  assert.equal((await api('DELETE', '/drivers/cli@example.com')).status, 404);
});

// A strict 1.6 station that answers remote starts and stops as a real one does: Accepted, then
// StartTransaction with the tag it was given, meter values, and StopTransaction.
async function remoteStation16(identity) {
  const cs = server.client(identity);
  const st = { cs, starts: [], stops: [], tx: null };
  cs.handle('RemoteStartTransaction', ({ params }) => {
    st.starts.push(params);
    setTimeout(async () => {
      const res = await cs.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 1000, timestamp: new Date().toISOString() });
      st.tx = { id: res.transactionId, connectorId: params.connectorId, idTag: params.idTag };
      await status16(cs, params.connectorId, 'Charging');
    }, 50);
    return { status: 'Accepted' };
  });
  cs.handle('RemoteStopTransaction', ({ params }) => {
    st.stops.push(params);
    setTimeout(async () => {
      await cs.call('StopTransaction', { transactionId: params.transactionId, meterStop: st.meterStop, timestamp: new Date().toISOString(), reason: 'Remote' });
      await status16(cs, st.tx.connectorId, 'Available');
    }, 50);
    return { status: 'Accepted' };
  });
  await cs.connect();
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W1' })).status, 'Accepted');
  return st;
}

async function meter16(st, wh, w) {
  st.meterStop = 1000 + wh;
  await st.cs.call('MeterValues', { connectorId: st.tx.connectorId, transactionId: st.tx.id, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [
    { value: String(1000 + wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    { value: String(w), measurand: 'Power.Active.Import', unit: 'W' }] }] });
}

let driverToken;

test('drive: a driver starts on the account, watches the kWh grow, stops and gets the receipt of the CDR (1.6)', async (t) => {
  const login = await pub('POST', '/drive/auth/login', { email: 'anna@example.com', password: 'anna driver password' });
  assert.equal(login.status, 200, login.text);
  driverToken = login.body.token;
  const driver = as(driverToken);
  const st = await remoteStation16('DRV-POT-1');
  t.after(() => st.cs.close());
  await status16(st.cs, 1, 'Available');

  assert.equal((await pub('POST', '/drive/sessions', { evse_uid: uids.pot1, payment: { method: 'account' } })).status, 401,
    'the account way needs a driver');
  const started = await driver('POST', '/drive/sessions', { evse_uid: uids.pot1, payment: { method: 'account' } });
  assert.equal(started.status, 202, started.text);
  assert.match(started.body.id, /^ds_[A-Za-z0-9_-]{43}$/);
  assert.equal(started.body.status, 'starting');
  assert.equal(started.body.payment_method, 'account');
  assert.equal(started.body.location_name, 'Potsdam Depot');
  assert.equal(started.body.time_zone, 'Europe/Berlin');
  await until(async () => ({ body: st.starts }), (r) => r.body.length === 1, 'the remote start');
  assert.deepEqual(st.starts, [{ connectorId: 1, idTag: 'ANNA-1' }], 'the remote start carries the account\'s token');
  const id = started.body.id;

  const charging = await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.status === 'charging', 'charging');
  assert.equal(charging.body.id, id);
  assert.ok(charging.body.started_at);
  await meter16(st, 1500, 11000);
  const grown = await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.energy_wh === 1500, 'energy');
  assert.equal(grown.body.power_w, 11000);
  assert.equal(grown.body.cost, null, 'no tariff in Potsdam: no price');
  await meter16(st, 4200, 10500);
  await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.energy_wh === 4200 && r.body.power_w === 10500, 'more energy');

  const mine = await driver('GET', '/drive/me/sessions');
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.body.items.map((s) => [s.ref, s.id, s.status]), [[started.body.ref, null, 'charging']],
    'the list shows a ref, never the capability');
  assert.equal((await driver('GET', `/drive/sessions/${started.body.ref}`)).body.energy_wh, 4200, 'the owner reads it by ref');
  assert.equal((await pub('GET', `/drive/sessions/${started.body.ref}`)).status, 401, 'a ref alone is no credential');

  assert.equal((await pub('GET', `/drive/sessions/${id}/receipt`)).status, 404, 'no receipt while it runs');
  const stopped = await pub('POST', `/drive/sessions/${id}/stop`);
  assert.equal(stopped.status, 202, stopped.text);
  await until(async () => ({ body: st.stops }), (r) => r.body.length === 1, 'the remote stop');
  assert.equal(st.stops[0].transactionId, st.tx.id);
  const ended = await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.status === 'ended', 'ended');
  assert.ok(ended.body.ended_at);
  assert.equal((await pub('POST', `/drive/sessions/${id}/stop`)).status, 409, 'ended already');
  const audit = await api('GET', '/audit?limit=200');
  assert.ok(audit.body.items.some((e) => e.action === 'POST /api/v1/drive/sessions/{id}/stop' && /^ds#[0-9a-f]{16}$/.test(e.target)));
  assert.ok(!JSON.stringify(audit.body).includes(id), 'the capability is never written to the audit log');
});

test('drive: an ad-hoc driver pays by card on a strict 2.0.1 station; the receipt matches the CDR and the capture', async (t) => {
  const st = new Station2(server, 'DRV-BER-2', 'ocpp2.0.1');
  st.clock = Date.now();
  const starts = [];
  st.cs.handle('RequestStartTransaction', ({ params }) => {
    starts.push(params);
    setTimeout(async () => {
      st.begin();
      await st.event('Started', 'RemoteStart', { idToken: params.idToken, evse: { id: 1, connectorId: 1 }, meterValue: st.energy(2000, 'Transaction.Begin') },
        { chargingState: 'Charging', remoteStartId: params.remoteStartId });
    }, 50);
    return { status: 'Accepted' };
  });
  st.cs.handle('RequestStopTransaction', ({ params }) => {
    setTimeout(async () => {
      await st.event('Ended', 'RemoteStop', { meterValue: st.energy(12000, 'Transaction.End') }, { chargingState: 'EVConnected', stoppedReason: 'Remote' });
      await st.status('Available');
    }, 50);
    return { status: 'Accepted', transactionId: params.transactionId };
  });
  await api('POST', '/stations', { id: 'DRV-BER-2' });
  await api('PUT', '/stations/DRV-BER-2/location', { location_id: 'BER-HBF' });
  const evse = await api('POST', '/stations/DRV-BER-2/evses', { evse_id: 1, emi3_id: 'DE*GRL*E0004*1', connectors: [{ connector_id: 1, ...type2 }] });
  assert.equal(evse.status, 201, evse.text);
  await st.connect();
  t.after(() => st.close());
  await st.booted();

  const declined = await pub('POST', '/drive/sessions', { evse_uid: evse.body.uid, payment: { method: 'card', payment_method: 'pm_card_chargeDeclined' } });
  assert.equal(declined.status, 422, declined.text);
  assert.equal(starts.length, 0, 'a declined card starts nothing');
  const bad = await pub('POST', '/drive/sessions', { evse_uid: evse.body.uid, payment: { method: 'card' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.field, 'payment.payment_method');

  const started = await pub('POST', '/drive/sessions', { evse_uid: evse.body.uid, payment: { method: 'card', payment_method: 'pm_card_visa' } });
  assert.equal(started.status, 202, started.text);
  assert.equal(started.body.payment_method, 'card');
  const id = started.body.id;
  await until(async () => ({ body: starts }), (r) => r.body.length === 1, 'the remote start');
  assert.match(starts[0].idToken.idToken, /^PAY/, 'started with the payment\'s one-time token');
  const [create] = provider.calls(/^\/v1\/payment_intents$/).slice(-1);
  assert.equal(create.form.amount, '5000', 'a hold of 50.00 EUR');

  const charging = await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.status === 'charging', 'charging');
  assert.equal(charging.body.location_name, 'Berlin Hauptbahnhof');
  await st.event('Updated', 'MeterValuePeriodic', { meterValue: [{ timestamp: st.now(30000), sampledValue: [
    { value: 7000, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
    { value: 22000, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } }] }] });
  const live = await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.energy_wh === 5000, 'live energy');
  assert.equal(live.body.power_w, 22000);
  assert.deepEqual(live.body.cost, { currency: 'EUR', excl_vat: '2.45', incl_vat: '2.92' }, '0.50 + 5 kWh x 0.39, VAT 19 %');

  // Capability isolation: another id is 404; a driver's token does not reach a card session by its ref.
  assert.equal((await pub('GET', `/drive/sessions/ds_${'A'.repeat(43)}`)).status, 404);
  assert.equal((await as(driverToken)('GET', `/drive/sessions/${started.body.ref}`)).status, 404);

  assert.equal((await pub('POST', `/drive/sessions/${id}/stop`)).status, 202);
  await until(() => pub('GET', `/drive/sessions/${id}`), (r) => r.body.status === 'ended', 'ended');
  const receipt = await until(() => pub('GET', `/drive/sessions/${id}/receipt`), (r) => r.status === 200, 'receipt');
  const cdrs = await api('GET', '/cdrs?limit=100');
  const cdr = cdrs.body.items.find((c) => c.id === receipt.body.cdr_id);
  assert.ok(cdr, 'the receipt is the CDR\'s');
  assert.equal(receipt.body.total_excl_vat, '4.40');
  assert.equal(receipt.body.total_incl_vat, '5.24');
  assert.equal(receipt.body.total_incl_vat, cdr.total_cost.incl_vat.toFixed(2));
  assert.equal(receipt.body.total_excl_vat, cdr.total_cost.excl_vat.toFixed(2));
  assert.equal(receipt.body.energy_wh, 10000);
  assert.equal(receipt.body.evse_id, 'DE*GRL*E0004*1');
  assert.equal(receipt.body.location_name, 'Berlin Hauptbahnhof');
  assert.deepEqual(receipt.body.vat, [{ rate: '19', amount: '0.84' }]);
  assert.deepEqual(receipt.body.lines.map((l) => [l.dimension, l.quantity, l.unit, l.amount_excl_vat]),
    [['FLAT', '1', 'session', '0.50'], ['ENERGY', '10', 'kWh', '3.90']]);
  const captured = await until(() => pub('GET', `/drive/sessions/${id}/receipt`), (r) => r.body.payment.status === 'captured', 'captured');
  assert.deepEqual(captured.body.payment, { method: 'card', status: 'captured', captured: '5.24' });
});

test('drive: a start is refused on a busy, faulted or offline EVSE, and on a card when no provider is configured', async () => {
  const driver = as(driverToken);
  // DRV-BER-1 is offline now (its test closed it).
  const offline = await driver('POST', '/drive/sessions', { evse_uid: uids.ber1, payment: { method: 'account' } });
  assert.equal(offline.status, 409, offline.text);
  const cs = await station16('DRV-BER-1');
  await status16(cs, 1, 'Faulted');
  await until(() => pub('GET', `/drive/evses/${uids.ber1}`), (r) => r.body.status === 'Faulted', 'faulted');
  assert.equal((await driver('POST', '/drive/sessions', { evse_uid: uids.ber1, payment: { method: 'account' } })).status, 409);
  await cs.close();
  assert.equal((await driver('POST', '/drive/sessions', { evse_uid: uids.hid1, payment: { method: 'account' } })).status, 404);
  assert.equal((await driver('POST', '/drive/sessions', { evse_uid: 'x', payment: { method: 'account' } })).body.field, 'evse_uid');
  assert.equal((await driver('POST', '/drive/sessions', { evse_uid: uids.ber1, payment: { method: 'cash' } })).body.field, 'payment.method');

  const plain = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  try {
    const res = await plain.request('POST', '/api/v1/drive/sessions', { body: { evse_uid: '1', payment: { method: 'card', payment_method: 'pm_card_visa' } } });
    assert.equal(res.status, 503, res.text);
  } finally {
    await plain.stop();
  }
});

test('drive: a problem report reaches the operator API and the event stream; reports are limited per address', async () => {
  const events = [];
  const controller = new AbortController();
  const stream = fetch(`http://${server.address}/api/v1/events`, { headers: { Authorization: `Bearer ${token}` }, signal: controller.signal })
    .then(async (res) => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body) events.push(decoder.decode(chunk));
    }).catch(() => {});
  await sleep(200);
  const res = await pub('POST', '/drive/reports', { evse_uid: uids.ber2, category: 'damaged', text: 'The cable is cut.', contact: 'anna@example.com' });
  assert.equal(res.status, 201, res.text);
  assert.ok(Number.isInteger(res.body.id));
  const list = await api('GET', '/reports?station=DRV-BER-1&status=open');
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((r) => [r.id, r.evse_id, r.category, r.text, r.status]), [[res.body.id, 2, 'damaged', 'The cable is cut.', 'open']]);
  await until(async () => ({ body: events.join('') }), (r) => r.body.includes('event: report.created'), 'report.created on the stream');
  const frame = events.join('').split('\n\n').find((f) => f.startsWith('event: report.created'));
  const data = JSON.parse(frame.split('\ndata: ')[1]);
  assert.equal(data.station_id, 'DRV-BER-1');
  assert.deepEqual(data.data, { report_id: res.body.id, evse_id: 2, category: 'damaged' });
  controller.abort();
  await stream;

  const resolved = await api('PATCH', `/reports/${res.body.id}`, { status: 'resolved' });
  assert.equal(resolved.status, 200, resolved.text);
  assert.equal(resolved.body.status, 'resolved');
  assert.equal((await api('GET', '/reports?status=open')).body.total, 0);
  assert.equal((await as(driverToken)('GET', '/reports')).status, 401, 'a driver token is no operator credential');

  for (const [body, field] of [[{ evse_uid: uids.ber2, category: 'broken', text: 'x' }, 'category'],
    [{ evse_uid: uids.ber2, category: 'other', text: 'x'.repeat(1001) }, 'text']]) {
    const bad = await pub('POST', '/drive/reports', body);
    assert.equal(bad.status, 422);
    assert.equal(bad.body.field, field);
  }
  assert.equal((await pub('POST', '/drive/reports', { evse_uid: uids.hid1, category: 'other', text: 'x' })).status, 404);
  let last;
  for (let i = 0; i < 10; i++) last = await pub('POST', '/drive/reports', { evse_uid: uids.ber1, category: 'other', text: `report ${i}` });
  assert.equal(last.status, 429, 'at most 10 an hour from one address');
  assert.ok(Number(last.headers['retry-after']) > 0);
});
