// OCPI 2.2.1 Tokens, Gridlane as Receiver, and real-time authorisation at the eMSP, against the
// real binary, the test eMSP over real HTTP and strict ocpp-rpc stations: PUT/PATCH/GET of
// tokens with the spec's status codes and every malformed push refused 2001 naming its field;
// a station's Authorize with an eMSP's card accepted from the whitelist, asked in real time
// (accepted, refused, unknown), timed out and unreachable (ALLOWED_OFFLINE accepted, NEVER
// refused), and a start right after an accepted real-time Authorize accepted (1.6 and 2.0.1).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { startPartner, ocpiConfig, nowIso } = require('./ocpi_partner');

const TIMEOUT_MS = 800; // [ocpi] realtime_auth_timeout_ms

let server;
let emsp;
let token;
let evseUid;
let cs16;
let cs201;

const api = async (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
const tokenUrl = (uid, cc = 'NL', pid = 'EMS') => `${emsp.gridlaneEndpoint('tokens', 'RECEIVER')}/${cc}/${pid}/${encodeURIComponent(uid)}`;
const card = (uid, extra = {}) => ({ country_code: 'NL', party_id: 'EMS', uid, type: 'RFID', contract_id: 'NL-EMS-C00000001',
  issuer: 'Test eMSP', valid: true, whitelist: 'ALLOWED', last_updated: nowIso(), ...extra });
const authorize16 = async (idTag) => (await cs16.call('Authorize', { idTag })).idTagInfo.status;
const authorize201 = async (idToken) => (await cs201.call('Authorize', { idToken: { idToken, type: 'ISO14443' } })).idTokenInfo.status;
const asked = () => emsp.received('tokens', 'POST');

before(async () => {
  server = await startServer({ config: ocpiConfig({ realtime_auth_timeout_ms: TIMEOUT_MS }) + '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  const loc = { id: 'LOC-TOK', name: 'Tokens', address: 'Tokenstrasse 1', city: 'Berlin', postal_code: '10557', country: 'DEU',
    coordinates: { latitude: '52.525083', longitude: '13.369402' }, time_zone: 'Europe/Berlin', publish: true };
  assert.equal((await api('POST', '/locations', loc)).status, 201);
  for (const id of ['TOK-16', 'TOK-201']) {
    assert.equal((await api('POST', '/stations', { id })).status, 201);
    assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: 'LOC-TOK' })).status, 200);
  }
  const evse = await api('POST', '/stations/TOK-16/evses', { evse_id: 1, emi3_id: 'DE*GRL*ETOK1',
    connectors: [{ connector_id: 1, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230,
      max_amperage: 32 }] });
  assert.equal(evse.status, 201, evse.text);
  evseUid = String(evse.body.uid);
  emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  await emsp.register(server, { direction: 'partner-first' });
  cs16 = server.client('TOK-16');
  await cs16.connect();
  await cs16.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  cs201 = server.client('TOK-201', { protocols: ['ocpp2.0.1'] });
  await cs201.connect();
  await cs201.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
});

after(async () => {
  if (cs16) await cs16.close().catch(() => {});
  if (cs201) await cs201.close().catch(() => {});
  if (emsp) await emsp.stop();
  if (server) await server.stop();
});

test('ocpi tokens: PUT creates (201) then replaces (200), GET reads it back, PATCH merges', async () => {
  const t = card('CARD-PUT-1', { visual_number: 'NL-EMS-0001', group_id: 'FAMILY-1', language: 'nl',
    energy_contract: { supplier_name: 'Greenpeace Energy eG', contract_id: '0123456789' } });
  const created = await emsp.call('PUT', tokenUrl(t.uid), { body: t, routing: true });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status_code, 1000);
  const replaced = await emsp.call('PUT', tokenUrl(t.uid), { body: { ...t, issuer: 'Renamed' }, query: { type: 'RFID' }, routing: true });
  assert.equal(replaced.status, 200, replaced.text);

  const got = await emsp.get(`tokens/NL/EMS/${t.uid}`);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.body.data, { ...t, issuer: 'Renamed' });
  // CiString: party and uid without regard to case.
  const lower = await emsp.call('GET', tokenUrl('card-put-1', 'nl', 'ems'), { routing: true });
  assert.equal(lower.status, 200, lower.text);

  const patched = await emsp.call('PATCH', tokenUrl(t.uid), { body: { valid: false, last_updated: '2030-01-01T00:00:00Z' }, routing: true });
  assert.equal(patched.status, 200, patched.text);
  const after = await emsp.get(`tokens/NL/EMS/${t.uid}`);
  assert.equal(after.body.data.valid, false);
  assert.equal(after.body.data.last_updated, '2030-01-01T00:00:00Z');
  assert.equal(after.body.data.issuer, 'Renamed', 'what the PATCH does not hold is unchanged');
  emsp.assertConforms(assert);
});

test('ocpi tokens: unknown tokens are 404 with 2004, wrong methods 405', async () => {
  const unknown = await emsp.get('tokens/NL/EMS/NO-SUCH-CARD');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.status_code, 2004);
  assert.equal((await emsp.pushToken({ uid: 'CARD-TYPE-1' })).status, 201);
  const otherType = await emsp.call('GET', tokenUrl('CARD-TYPE-1'), { query: { type: 'APP_USER' }, routing: true });
  assert.equal(otherType.status, 404, 'the key is uid and type');
  assert.equal(otherType.body.status_code, 2004);
  const patchUnknown = await emsp.call('PATCH', tokenUrl('NO-SUCH-CARD'), { body: { valid: false, last_updated: nowIso() }, routing: true });
  assert.equal(patchUnknown.status, 404);
  assert.equal(patchUnknown.body.status_code, 2004);
  for (const method of ['POST', 'DELETE']) {
    const res = await emsp.call(method, tokenUrl('CARD-TYPE-1'), { body: {}, routing: true, headers: { Connection: 'close' } });
    assert.equal(res.status, 405, `${method}: ${res.text}`);
  }
});

test('ocpi tokens: a malformed push is refused 2001 naming the field, and nothing is stored', async () => {
  const cases = [
    [{ uid: 'X'.repeat(37) }, 'uid'],
    [{ whitelist: 'SOMETIMES' }, 'whitelist'],
    [{ type: 'BARCODE' }, 'type'],
    [{ issuer: 'a'.repeat(65) }, 'issuer'],
    [{ valid: 'yes' }, 'valid'],
    [{ last_updated: 'yesterday' }, 'last_updated'],
    [{ contract_id: undefined }, 'contract_id'],
    [{ energy_contract: { contract_id: '1' } }, 'energy_contract.supplier_name'],
    [{ language: 'dutch' }, 'language'],
  ];
  for (const [change, field] of cases) {
    const uid = `BAD-${field}`;
    const body = { ...card(uid), ...change };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const res = await emsp.call('PUT', tokenUrl(uid), { body, routing: true });
    assert.equal(res.status, 200, `${field}: ${res.text}`); // 2001 in the envelope, no HTTP error
    assert.equal(res.body.status_code, 2001, field);
    assert.match(res.body.status_message, new RegExp(`^${field.replace('.', '\\.')}\\b`), field);
    assert.equal((await emsp.call('GET', tokenUrl(uid), { routing: true })).status, 404, `${field}: not stored`);
  }
  // The URL and the object must agree; the party must be one of the caller's.
  const mismatch = await emsp.call('PUT', tokenUrl('CARD-A'), { body: card('CARD-B'), routing: true });
  assert.equal(mismatch.status, 200);
  assert.equal(mismatch.body.status_code, 2001);
  const typeMismatch = await emsp.call('PUT', tokenUrl('CARD-A'), { body: card('CARD-A'), query: { type: 'APP_USER' }, routing: true });
  assert.equal(typeMismatch.body.status_code, 2001);
  const notTheirs = await emsp.call('PUT', tokenUrl('CARD-A', 'DE', 'XYZ'), { body: card('CARD-A', { country_code: 'DE', party_id: 'XYZ' }), routing: true });
  assert.equal(notTheirs.status, 404, notTheirs.text);
  const notJson = await emsp.call('PUT', tokenUrl('CARD-A'), { raw: '{"uid": ', routing: true });
  assert.equal(notJson.status, 400);
  assert.equal(notJson.body.status_code, 2001);
  assert.equal((await emsp.call('PUT', tokenUrl('CARD-PATCH-1'), { body: card('CARD-PATCH-1'), routing: true })).status, 201);
  const noLastUpdated = await emsp.call('PATCH', tokenUrl('CARD-PATCH-1'), { body: { valid: false }, routing: true });
  assert.equal(noLastUpdated.status, 200);
  assert.equal(noLastUpdated.body.status_code, 2001);
  assert.match(noLastUpdated.body.status_message, /last_updated/);
});

test('ocpi tokens: a whitelisted card is accepted without asking the eMSP; an invalidated one is refused', async () => {
  await emsp.pushToken({ uid: 'WL-ALWAYS', whitelist: 'ALWAYS' });
  await emsp.pushToken({ uid: 'WL-ALLOWED', whitelist: 'ALLOWED' });
  await emsp.pushToken({ uid: 'WL-INVALID', whitelist: 'ALLOWED', valid: false });
  const before = asked().length;
  assert.equal(await authorize16('WL-ALWAYS'), 'Accepted');
  assert.equal(await authorize16('WL-ALLOWED'), 'Accepted');
  assert.equal(await authorize201('WL-ALLOWED'), 'Accepted');
  assert.equal(await authorize16('WL-INVALID'), 'Invalid');
  assert.equal(await authorize16('NOBODY-KNOWS'), 'Invalid');
  assert.equal(asked().length, before, 'no real-time authorisation for whitelisted cards');
});

test('ocpi tokens: real-time authorisation accepted, then StartTransaction accepted without asking again', async () => {
  await emsp.pushToken({ uid: 'RT-NEVER-1', whitelist: 'NEVER' });
  emsp.authorize = { answer: 'ALLOWED', delayMs: 0 };
  const before = asked().length;
  assert.equal(await authorize16('RT-NEVER-1'), 'Accepted');
  const posts = asked().slice(before);
  assert.equal(posts.length, 1);
  assert.equal(posts[0].path.endsWith('/RT-NEVER-1/authorize'), true, posts[0].path);
  assert.equal(posts[0].query.type, 'RFID');
  assert.deepEqual(posts[0].body, { location_id: 'LOC-TOK', evse_uids: [evseUid] });
  assert.equal(posts[0].headers['ocpi-to-party-id'], 'EMS');
  const start = await cs16.call('StartTransaction', { connectorId: 1, idTag: 'RT-NEVER-1', meterStart: 0, timestamp: new Date().toISOString() });
  assert.equal(start.idTagInfo.status, 'Accepted');
  assert.equal(asked().length, before + 1, 'the start used the remembered answer');
  await cs16.call('StopTransaction', { transactionId: start.transactionId, meterStop: 10, timestamp: new Date().toISOString() });
  emsp.assertConforms(assert);
});

test('ocpi tokens: the eMSP refuses (BLOCKED, NO_CREDIT, unknown) and a 2.0.1 station is told', async () => {
  await emsp.pushToken({ uid: 'RT-NEVER-2', whitelist: 'NEVER' });
  emsp.authorize = { answer: 'BLOCKED', delayMs: 0 };
  assert.equal(await authorize16('RT-NEVER-2'), 'Blocked');
  assert.equal(await authorize201('RT-NEVER-2'), 'Blocked');
  const start = await cs16.call('StartTransaction', { connectorId: 1, idTag: 'RT-NEVER-2', meterStart: 0, timestamp: new Date().toISOString() });
  assert.equal(start.idTagInfo.status, 'Blocked', 'the remembered refusal holds for the start');
  await cs16.call('StopTransaction', { transactionId: start.transactionId, meterStop: 0, timestamp: new Date().toISOString() });
  emsp.authorize = { answer: 'NO_CREDIT', delayMs: 0 };
  assert.equal(await authorize16('RT-NEVER-2'), 'Invalid');
  emsp.authorize = { answer: () => ({ status: 404, status_code: 2004 }), delayMs: 0 };
  assert.equal(await authorize16('RT-NEVER-2'), 'Invalid');
  emsp.authorize = { answer: 'ALLOWED', delayMs: 0 };
  assert.equal(await authorize201('RT-NEVER-2'), 'Accepted');
});

test('ocpi tokens: an eMSP too slow is given up at the timeout: ALLOWED_OFFLINE accepted, NEVER refused', async () => {
  await emsp.pushToken({ uid: 'RT-OFFLINE-1', whitelist: 'ALLOWED_OFFLINE' });
  await emsp.pushToken({ uid: 'RT-NEVER-3', whitelist: 'NEVER' });
  emsp.authorize = { answer: 'BLOCKED', delayMs: 3000 };
  for (const [uid, expected] of [['RT-OFFLINE-1', 'Accepted'], ['RT-NEVER-3', 'Invalid']]) {
    const t0 = Date.now();
    assert.equal(await authorize16(uid), expected, uid);
    const took = Date.now() - t0;
    assert.ok(took >= TIMEOUT_MS - 50 && took < TIMEOUT_MS + 1500, `${uid} answered after ${took} ms`);
  }
  emsp.authorize = { answer: 'ALLOWED', delayMs: 0 };
});

test('ocpi tokens: an eMSP that is down: ALLOWED_OFFLINE accepted, NEVER refused, and both again once it is back', async () => {
  await emsp.pushToken({ uid: 'RT-OFFLINE-2', whitelist: 'ALLOWED_OFFLINE' });
  await emsp.pushToken({ uid: 'RT-NEVER-4', whitelist: 'NEVER' });
  await emsp.down('refuse');
  try {
    assert.equal(await authorize16('RT-OFFLINE-2'), 'Accepted');
    assert.equal(await authorize16('RT-NEVER-4'), 'Invalid');
  } finally {
    await emsp.up();
  }
  await emsp.down('503');
  try {
    assert.equal(await authorize201('RT-OFFLINE-2'), 'Accepted');
    assert.equal(await authorize201('RT-NEVER-4'), 'Invalid');
  } finally {
    await emsp.up();
  }
  emsp.authorize = { answer: 'ALLOWED', delayMs: 0 };
  assert.equal(await authorize16('RT-NEVER-4'), 'Accepted');
  // A garbled AuthorizationInfo is no answer: the offline policy again.
  emsp.authorize = { answer: () => ({ allowed: 'PERHAPS' }), delayMs: 0 };
  assert.equal(await authorize16('RT-OFFLINE-2'), 'Accepted');
  assert.equal(await authorize16('RT-NEVER-4'), 'Invalid');
  emsp.authorize = { answer: 'ALLOWED', delayMs: 0 };
});

test('ocpi tokens: a token another partner stored is not taken over: 2001 naming uid, and it stays its partner\'s', async (t) => {
  const mine = card('CARD-OWNED-1');
  assert.equal((await emsp.call('PUT', tokenUrl(mine.uid), { body: mine, routing: true })).status, 201);
  // A hub may push for any party, but not over a token another partner stored.
  const hub = await startPartner({ countryCode: 'NL', partyId: 'HUB', role: 'HUB' });
  t.after(() => hub.stop());
  await hub.register(server, { direction: 'partner-first' });
  const url = `${hub.gridlaneEndpoint('tokens', 'RECEIVER')}/NL/EMS/${mine.uid}`;
  const put = await hub.call('PUT', url, { body: { ...mine, issuer: 'Hub' }, routing: true });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.status_code, 2001, put.text);
  assert.match(put.body.status_message, /uid/);
  const patch = await hub.call('PATCH', url, { body: { issuer: 'Hub', last_updated: nowIso() }, query: { type: 'RFID' }, routing: true });
  assert.equal(patch.body.status_code, 2001, patch.text);
  assert.match(patch.body.status_message, /uid/);
  const got = await emsp.call('GET', tokenUrl(mine.uid), { routing: true });
  assert.equal(got.body.data.issuer, 'Test eMSP', 'the token is still the eMSP\'s as it pushed it');
});
