// OCPI Commands and ChargingProfiles (Gridlane as the Receiver): the test eMSP sends commands over
// real HTTP; strict ocpp-rpc stations (1.6 and 2.0.1) answer them as real ones do; the
// asynchronous CommandResult / ChargingProfileResult reaches the eMSP's response_url through the
// outbox. Malformed requests get 2001, an unknown location 2003.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { Station2 } = require('./ocpp2');
const { startPartner, ocpiConfig, nowIso } = require('./ocpi_partner');

let server;
let emsp;
let token;
const uids = {};
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const place = (id, lat) => ({
  id, name: `Place ${id}`, address: 'Europaplatz 1', city: 'Berlin', postal_code: '10557', country: 'DEU',
  coordinates: { latitude: lat, longitude: '13.369402' }, time_zone: 'Europe/Berlin', publish: true,
});
const type2 = { standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000 };

// The eMSP's token (an app user the eMSP authorised; NEVER: Gridlane must not ask again).
const appToken = (uid, extra = {}) => ({
  country_code: 'NL', party_id: 'EMS', uid, type: 'APP_USER', contract_id: `NL-EMS-C${uid}`, issuer: 'Test eMSP',
  valid: true, whitelist: 'NEVER', last_updated: nowIso(), ...extra,
});

async function until(fn, ok, what, ms = 8000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (ok(last)) return last;
    await sleep(100);
  }
  assert.fail(`${what}: ${JSON.stringify(last && (last.body || last))}`);
}

const status16 = (cs, connectorId, status) =>
  cs.call('StatusNotification', { connectorId, errorCode: 'NoError', status, timestamp: new Date().toISOString() });

// A strict 1.6 station answering remote starts and stops as a real one does; `answer` decides.
async function station16(identity) {
  const cs = server.client(identity);
  const st = { cs, calls: [], tx: null, answer: {}, authorized: [] };
  cs.handle('RemoteStartTransaction', ({ params }) => {
    st.calls.push(['RemoteStartTransaction', params]);
    if (st.answer.start === 'Rejected') return { status: 'Rejected' };
    setTimeout(async () => {
      const res = await cs.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 1000, timestamp: new Date().toISOString() });
      st.authorized.push(res.idTagInfo.status);
      st.tx = { id: res.transactionId, connectorId: params.connectorId };
      await status16(cs, params.connectorId, 'Charging');
    }, 50);
    return { status: 'Accepted' };
  });
  cs.handle('RemoteStopTransaction', ({ params }) => {
    st.calls.push(['RemoteStopTransaction', params]);
    setTimeout(async () => {
      await cs.call('StopTransaction', { transactionId: params.transactionId, meterStop: 5000, timestamp: new Date().toISOString(), reason: 'Remote' });
      await status16(cs, st.tx.connectorId, 'Available');
    }, 50);
    return { status: 'Accepted' };
  });
  for (const [action, key, dflt] of [['ReserveNow', 'reserve', 'Accepted'], ['CancelReservation', 'cancel', 'Accepted'],
    ['UnlockConnector', 'unlock', 'Unlocked'], ['SetChargingProfile', 'profile', 'Accepted'], ['ClearChargingProfile', 'clear', 'Accepted']]) {
    cs.handle(action, ({ params }) => { st.calls.push([action, params]); return { status: st.answer[key] || dflt }; });
  }
  cs.handle('GetCompositeSchedule', ({ params }) => {
    st.calls.push(['GetCompositeSchedule', params]);
    return { status: 'Accepted', connectorId: params.connectorId, scheduleStart: '2030-01-01T10:00:00Z',
      chargingSchedule: { duration: params.duration, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 600, limit: 10.5 }] } };
  });
  await cs.connect();
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W1' })).status, 'Accepted');
  await status16(cs, 1, 'Available');
  return st;
}

const of = (st, action) => st.calls.filter(([a]) => a === action).map(([, p]) => p);

before(async () => {
  server = await startServer({ config: ocpiConfig() + '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  for (const [loc, lat, station] of [['OC-16', '52.5250839', 'OCPI-CMD-16'], ['OC-201', '52.5250840', 'OCPI-CMD-201'], ['OC-OFF', '52.5250841', 'OCPI-CMD-OFF']]) {
    assert.equal((await api('POST', '/locations', place(loc, lat))).status, 201);
    assert.equal((await api('POST', '/stations', { id: station })).status, 201);
    assert.equal((await api('PUT', `/stations/${station}/location`, { location_id: loc })).status, 200);
    const evse = await api('POST', `/stations/${station}/evses`, { evse_id: 1, emi3_id: `DE*GRL*E${station.split('-').pop()}*1`, connectors: [{ connector_id: 1, ...type2 }] });
    assert.equal(evse.status, 201, evse.text);
    uids[loc] = String(evse.body.uid);
  }
  emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  await emsp.register(server, { direction: 'partner-first', encoding: 'base64' });
});
after(async () => {
  if (emsp) await emsp.stop();
  await server.stop();
});

test('ocpi commands: START_SESSION on a 1.6 station starts a real session and reports ACCEPTED; STOP_SESSION stops it', async (t) => {
  const st = await station16('OCPI-CMD-16');
  t.after(() => st.cs.close());
  const start = await emsp.command('START_SESSION', { token: appToken('APP-16'), location_id: 'OC-16', evse_uid: uids['OC-16'], connector_id: '1' });
  assert.equal(start.response.status, 200, start.response.text);
  assert.equal(start.response.body.status_code, 1000);
  assert.equal(start.response.body.data.result, 'ACCEPTED');
  assert.ok(Number.isInteger(start.response.body.data.timeout) && start.response.body.data.timeout > 0);
  assert.deepEqual(await start.result(), { result: 'ACCEPTED' });
  assert.deepEqual(of(st, 'RemoteStartTransaction'), [{ connectorId: 1, idTag: 'APP-16' }]);
  await until(async () => st, (s) => s.tx, 'the transaction');
  assert.deepEqual(st.authorized, ['Accepted'], 'the eMSP authorised the token: accepted without asking it (whitelist NEVER)');
  assert.equal(emsp.received('tokens', 'POST').length, 0, 'no real-time authorisation after a START_SESSION');

  const stop = await emsp.command('STOP_SESSION', { session_id: String(st.tx.id) });
  assert.equal(stop.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await stop.result(), { result: 'ACCEPTED' });
  assert.deepEqual(of(st, 'RemoteStopTransaction'), [{ transactionId: st.tx.id }]);
  const tx = await until(() => api('GET', `/transactions/${st.tx.id}`), (r) => r.body && r.body.state === 'Ended', 'the ended transaction');
  assert.equal(tx.body.id_tag, 'APP-16');

  const again = await emsp.command('STOP_SESSION', { session_id: String(st.tx.id) });
  assert.equal(again.response.body.data.result, 'REJECTED', 'an ended session is not stopped again');
  emsp.assertConforms(assert);
});

test('ocpi commands: a session belongs to the partner it began for, not to whoever stores its uid later', async (t) => {
  const st = await station16('OCPI-CMD-16');
  t.after(() => st.cs.close());
  const start = await emsp.command('START_SESSION', { token: appToken('APP-OWN'), location_id: 'OC-16', evse_uid: uids['OC-16'], connector_id: '1' });
  assert.deepEqual(await start.result(), { result: 'ACCEPTED' });
  await until(async () => st, (s) => s.tx, 'the transaction');
  const session = String(st.tx.id);
  // Another eMSP stores a token of its own party with the same uid: the session stays the first one's.
  const other = await startPartner({ countryCode: 'NL', partyId: 'OTH' });
  t.after(() => other.stop());
  await other.register(server, { direction: 'partner-first' });
  const put = await other.call('PUT', `${other.gridlaneEndpoint('tokens', 'RECEIVER')}/NL/OTH/APP-OWN`,
    { body: appToken('APP-OWN', { party_id: 'OTH', contract_id: 'NL-OTH-CAPPOWN' }), query: { type: 'APP_USER' }, routing: true });
  assert.equal(put.body.status_code, 1000, put.text);
  const theirs = await other.command('STOP_SESSION', { session_id: session });
  assert.equal(theirs.response.body.data.result, 'REJECTED', 'not the other eMSP\'s session');
  const profile = await other.chargingProfile('PUT', session, { profile: { charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 6 }] } });
  assert.equal(profile.response.body.data.result, 'REJECTED', 'not the other eMSP\'s session');
  assert.equal(of(st, 'RemoteStopTransaction').length, 0);
  assert.equal(of(st, 'SetChargingProfile').length, 0);

  const stop = await emsp.command('STOP_SESSION', { session_id: session });
  assert.equal(stop.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await stop.result(), { result: 'ACCEPTED' });
  await until(() => api('GET', `/transactions/${session}`), (r) => r.body && r.body.state === 'Ended', 'the ended transaction');
  await sleep(500); // the station's StatusNotification Available follows its StopTransaction: let it finish before closing
});

test('ocpi commands: START_SESSION on a strict 2.0.1 station (RequestStartTransaction, remoteStartId) reports ACCEPTED', async (t) => {
  const st = new Station2(server, 'OCPI-CMD-201', 'ocpp2.0.1');
  const requests = [];
  let started;
  let ended;
  st.cs.handle('RequestStartTransaction', ({ params }) => {
    requests.push(params);
    setTimeout(async () => {
      st.begin();
      started = await st.event('Started', 'RemoteStart', { idToken: params.idToken, evse: { id: 1, connectorId: 1 } },
        { chargingState: 'Charging', remoteStartId: params.remoteStartId });
    }, 50);
    return { status: 'Accepted' };
  });
  st.cs.handle('RequestStopTransaction', ({ params }) => {
    requests.push(params);
    setTimeout(() => { ended = st.event('Ended', 'RemoteStop', {}, { stoppedReason: 'Remote' }); }, 50);
    return { status: 'Accepted' };
  });
  await st.connect();
  t.after(() => st.close());
  await st.booted();

  const start = await emsp.command('START_SESSION', { token: appToken('APP-201'), location_id: 'OC-201', evse_uid: uids['OC-201'] });
  assert.equal(start.response.body.data.result, 'ACCEPTED', start.response.text);
  assert.deepEqual(await start.result(), { result: 'ACCEPTED' });
  assert.equal(requests.length, 1);
  assert.deepEqual(requests[0].idToken, { idToken: 'APP-201', type: 'Central' });
  assert.equal(requests[0].evseId, 1);
  await until(async () => ({ started }), (r) => r.started, 'the TransactionEvent');
  assert.equal(started.idTokenInfo.status, 'Accepted');
  const txs = await until(() => api('GET', '/transactions?station=OCPI-CMD-201'), (r) => r.body.items && r.body.items.length === 1, 'the transaction');
  const session = String(txs.body.items[0].id);

  const stop = await emsp.command('STOP_SESSION', { session_id: session });
  assert.equal(stop.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await stop.result(), { result: 'ACCEPTED' });
  assert.equal(requests[1].transactionId, st.tx.id, 'the station is asked by its own transaction id');
  await until(async () => ({ ended }), (r) => r.ended, 'the ending TransactionEvent');
  await ended;
  await until(() => api('GET', `/transactions/${session}`), (r) => r.body && r.body.state === 'Ended', 'the ended transaction');
  emsp.assertConforms(assert);
});

test('ocpi commands: a station that refuses reports REJECTED; an offline one is refused at once', async (t) => {
  const st = await station16('OCPI-CMD-16');
  t.after(() => st.cs.close());
  st.answer.start = 'Rejected';
  const start = await emsp.command('START_SESSION', { token: appToken('APP-REJ'), location_id: 'OC-16', evse_uid: uids['OC-16'] });
  assert.equal(start.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await start.result(), { result: 'REJECTED' });

  const offline = await emsp.command('START_SESSION', { token: appToken('APP-OFF'), location_id: 'OC-OFF', evse_uid: uids['OC-OFF'] });
  assert.equal(offline.response.status, 200);
  assert.equal(offline.response.body.data.result, 'REJECTED');
  assert.match(offline.response.body.data.message[0].text, /offline/);
  await sleep(300);
  assert.equal(emsp.store.commandResults.has(offline.ref), false, 'no result follows a refused command');
  emsp.assertConforms(assert);
});

test('ocpi commands: unknown sessions, unknown locations and malformed commands get the right answers', async () => {
  for (const id of ['999999', 'abc', '0']) {
    const r = await emsp.command('STOP_SESSION', { session_id: id });
    assert.equal(r.response.status, 200);
    assert.equal(r.response.body.data.result, 'UNKNOWN_SESSION', id);
  }
  const unknown = await emsp.command('UNLOCK_CONNECTOR', { location_id: 'NOWHERE', evse_uid: '1', connector_id: '1' });
  assert.equal(unknown.response.body.status_code, 2003);
  assert.equal(unknown.response.body.data.result, 'REJECTED');
  const wrongEvse = await emsp.command('START_SESSION', { token: appToken('APP-X'), location_id: 'OC-16', evse_uid: uids['OC-201'] });
  assert.equal(wrongEvse.response.body.status_code, 2003, 'an EVSE of another location is unknown here');
  const wrongConnector = await emsp.command('UNLOCK_CONNECTOR', { location_id: 'OC-16', evse_uid: uids['OC-16'], connector_id: '7' });
  assert.equal(wrongConnector.response.body.status_code, 2003);

  const url = emsp.gridlaneEndpoint('commands', 'RECEIVER');
  const bad = async (type, body, raw) => {
    const r = await emsp.call('POST', `${url}/${type}`, raw !== undefined ? { raw } : { body });
    // No JSON is the transport's HTTP 400; a JSON object that breaks the table reached the OCPI
    // layer: 2001 in the envelope with HTTP 200 (status_codes.asciidoc).
    assert.equal(r.status, raw !== undefined ? 400 : 200, `${type} ${r.text}`);
    assert.equal(r.body.status_code, 2001, r.text);
    return r.body.status_message;
  };
  const responseUrl = `${emsp.endpointUrl('commands')}/START_SESSION/never`;
  assert.match(await bad('START_SESSION', { response_url: responseUrl, location_id: 'OC-16' }), /token/);
  assert.match(await bad('START_SESSION', { response_url: responseUrl, location_id: 'OC-16', token: appToken('T', { type: 'CARD' }) }), /token\.type/);
  assert.match(await bad('START_SESSION', { response_url: 'not a url', location_id: 'OC-16', token: appToken('T') }), /response_url/);
  assert.match(await bad('START_SESSION', { response_url: responseUrl, location_id: 'x'.repeat(37), token: appToken('T') }), /location_id/);
  assert.match(await bad('STOP_SESSION', { response_url: responseUrl, session_id: 12 }), /session_id/);
  assert.match(await bad('RESERVE_NOW', { response_url: responseUrl, token: appToken('T'), reservation_id: 'R', location_id: 'OC-16' }), /expiry_date/);
  await bad('START_SESSION', undefined, '{"response_url":');
  assert.match(await bad('START_CHARGING', { response_url: responseUrl }), /CommandType/);
  const get = await emsp.call('GET', `${url}/START_SESSION`);
  assert.equal(get.status, 405);
  emsp.assertConforms(assert);
});

test('ocpi commands: RESERVE_NOW maps the eMSP\'s reservation id, CANCEL_RESERVATION finds it, UNLOCK_CONNECTOR unlocks', async (t) => {
  const st = await station16('OCPI-CMD-16');
  t.after(() => st.cs.close());
  const expiry = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
  st.answer.reserve = 'Occupied';
  const busy = await emsp.command('RESERVE_NOW', { token: appToken('APP-RES'), expiry_date: expiry, reservation_id: 'RES-1', location_id: 'OC-16', evse_uid: uids['OC-16'] });
  assert.equal(busy.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await busy.result(), { result: 'EVSE_OCCUPIED' });
  st.answer.reserve = 'Accepted';
  const ok = await emsp.command('RESERVE_NOW', { token: appToken('APP-RES'), expiry_date: expiry, reservation_id: 'RES-1', location_id: 'OC-16', evse_uid: uids['OC-16'] });
  assert.deepEqual(await ok.result(), { result: 'ACCEPTED' });
  const reserves = of(st, 'ReserveNow');
  assert.equal(reserves.length, 2);
  assert.equal(reserves[1].connectorId, 1);
  assert.equal(reserves[1].idTag, 'APP-RES');
  assert.equal(reserves[1].expiryDate.slice(0, 19), expiry.slice(0, 19));
  assert.equal(typeof reserves[1].reservationId, 'number', 'the station gets Gridlane\'s id, not the eMSP\'s');
  assert.equal(reserves[1].reservationId, reserves[0].reservationId, 'the same reservation_id replaces the reservation');

  const unknown = await emsp.command('CANCEL_RESERVATION', { reservation_id: 'RES-NONE' });
  assert.equal(unknown.response.body.data.result, 'REJECTED');
  const cancel = await emsp.command('CANCEL_RESERVATION', { reservation_id: 'res-1' });
  assert.equal(cancel.response.body.data.result, 'ACCEPTED', 'reservation ids are CiStrings');
  assert.deepEqual(await cancel.result(), { result: 'ACCEPTED' });
  assert.deepEqual(of(st, 'CancelReservation'), [{ reservationId: reserves[1].reservationId }]);

  const unlock = await emsp.command('UNLOCK_CONNECTOR', { location_id: 'OC-16', evse_uid: uids['OC-16'], connector_id: '1' });
  assert.equal(unlock.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await unlock.result(), { result: 'ACCEPTED' });
  assert.deepEqual(of(st, 'UnlockConnector'), [{ connectorId: 1 }]);
  st.answer.unlock = 'UnlockFailed';
  const failed = await emsp.command('UNLOCK_CONNECTOR', { location_id: 'OC-16', evse_uid: uids['OC-16'], connector_id: '1' });
  assert.deepEqual(await failed.result(), { result: 'FAILED' });
  emsp.assertConforms(assert);
});

test('ocpi charging profiles: PUT sets a TxProfile on the session, GET reports the composite schedule, DELETE clears it', async (t) => {
  const st = await station16('OCPI-CMD-16');
  t.after(() => st.cs.close());
  const start = await emsp.command('START_SESSION', { token: appToken('APP-CP'), location_id: 'OC-16', evse_uid: uids['OC-16'] });
  assert.deepEqual(await start.result(), { result: 'ACCEPTED' });
  await until(async () => st, (s) => s.tx, 'the transaction');
  const session = String(st.tx.id);

  const put = await emsp.chargingProfile('PUT', session, { profile: { charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 900, limit: 8.5 }] } });
  assert.equal(put.response.status, 200, put.response.text);
  assert.equal(put.response.body.data.result, 'ACCEPTED');
  assert.ok(put.response.body.data.timeout > 0);
  assert.deepEqual(await put.result(), { result: 'ACCEPTED' });
  const [set] = of(st, 'SetChargingProfile');
  assert.equal(set.connectorId, 1);
  assert.equal(set.csChargingProfiles.chargingProfilePurpose, 'TxProfile');
  assert.equal(set.csChargingProfiles.transactionId, st.tx.id);
  assert.equal(set.csChargingProfiles.stackLevel, 0, 'below the energy manager\'s TxProfile');
  assert.deepEqual(set.csChargingProfiles.chargingSchedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]), [[0, 16], [900, 8.5]]);

  const get = await emsp.chargingProfile('GET', session, { duration: 1800 });
  assert.equal(get.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await get.result(), { result: 'ACCEPTED', profile: { start_date_time: '2030-01-01T10:00:00Z', charging_profile: {
    duration: 1800, charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 600, limit: 10.5 }] } } });
  assert.equal(of(st, 'GetCompositeSchedule')[0].duration, 1800);

  st.answer.clear = 'Unknown';
  const del = await emsp.chargingProfile('DELETE', session);
  assert.equal(del.response.body.data.result, 'ACCEPTED');
  assert.deepEqual(await del.result(), { result: 'UNKNOWN' });
  assert.deepEqual(of(st, 'ClearChargingProfile'), [{ id: set.csChargingProfiles.chargingProfileId }]);

  const unknown = await emsp.chargingProfile('PUT', '424242', { profile: { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }] } });
  assert.equal(unknown.response.body.data.result, 'UNKNOWN_SESSION');
  const bad = await emsp.call('PUT', `${emsp.gridlaneEndpoint('chargingprofiles', 'RECEIVER')}/${session}`,
    { body: { response_url: put.responseUrl, charging_profile: { charging_rate_unit: 'kW', charging_profile_period: [] } } });
  assert.equal(bad.status, 200);
  assert.equal(bad.body.status_code, 2001);
  assert.match(bad.body.status_message, /charging_rate_unit/);
  const noUrl = await emsp.call('GET', `${emsp.gridlaneEndpoint('chargingprofiles', 'RECEIVER')}/${session}`, { query: { duration: 60 } });
  assert.equal(noUrl.body.status_code, 2001);
  emsp.assertConforms(assert);
});
