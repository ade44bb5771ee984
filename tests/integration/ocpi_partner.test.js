// The test eMSP itself (ocpi_partner.js, ocpi_validate.js), without Gridlane: the checks the
// other OCPI tests rely on must be able to fail. Plain HTTP requests play Gridlane's part.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startPartner, encodeToken, nowIso } = require('./ocpi_partner');
const { validate } = require('./ocpi_validate');

const EXAMPLES = path.resolve(__dirname, '../data/ocpi/2.2.1');
const example = (name) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));

// A request as Gridlane would make it (routing headers for functional modules).
async function send(partner, method, urlPath, { token, body, routing = true, headers = {}, encoding = 'base64' } = {}) {
  const h = { 'X-Request-ID': 'req-1', 'X-Correlation-ID': 'cor-1', ...headers };
  if (token) h.Authorization = `Token ${encodeToken(token, encoding)}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (routing) Object.assign(h, { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'GRL', 'OCPI-to-country-code': 'NL', 'OCPI-to-party-id': 'EMS' });
  const res = await fetch(`${partner.base}${urlPath}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, body: json, text };
}

// A partner that considers itself registered with Gridlane (DE*GRL) and knows its token.
async function registeredPartner(options) {
  const p = await startPartner(options);
  p.tokenForGridlane = 'gridlane-calls-with-this';
  p.tokenA = null;
  p.gridlane = { endpoints: {}, party: { country_code: 'DE', party_id: 'GRL' } };
  return p;
}

test('the field tables accept the specification examples but their known errata', () => {
  assert.deepEqual(validate('Location', example('location_example.json')), []);
  assert.deepEqual(validate('Token', example('token_example_2_full_rfid.json')), []);
  assert.deepEqual(validate('Tariff', example('tariff_4_complex.json')), []);
  // The CDR example predates cdr_token.country_code/party_id, which the CdrToken table requires.
  assert.deepEqual(validate('CDR', example('cdr_example.json')).map((v) => v.path), ['cdr_token.country_code', 'cdr_token.party_id']);
});

test('the field tables refuse what breaks them, naming the field', () => {
  const loc = example('location_example.json');
  delete loc.city;
  loc.address = 'x'.repeat(46);
  loc.evses[0].status = 'BUSY';
  loc.coordinates.latitude = '51.0';
  loc.extra = 1;
  loc.last_updated = '2019-06-24T12:39:09+02:00';
  const problems = validate('Location', loc).map((v) => `${v.path}: ${v.problem}`);
  for (const p of ['city: required', 'address: longer than 45', 'evses[0].status: not a Status value', 'coordinates.latitude: latitude must match',
                   'extra: Location has no field', 'last_updated: not an OCPI DateTime']) {
    assert.ok(problems.some((x) => x.startsWith(p)), `${p} in ${problems.join('; ')}`);
  }
  // A PATCH: only what is present is checked, last_updated is required.
  assert.deepEqual(validate('EVSE', { status: 'CHARGING', last_updated: nowIso() }, { partial: true }), []);
  assert.deepEqual(validate('EVSE', { status: 'CHARGING' }, { partial: true }).map((v) => v.path), ['last_updated']);
});

test('versions and details answer token A; other modules refuse it; an unknown token is 401', async (t) => {
  const p = await startPartner();
  t.after(() => p.stop());
  const versions = await send(p, 'GET', '/versions', { token: p.tokenA, routing: false });
  assert.equal(versions.status, 200);
  assert.equal(versions.body.status_code, 1000);
  assert.deepEqual(versions.body.data, [{ version: '2.2.1', url: `${p.base}/2.2.1` }]);
  assert.equal(versions.headers.get('x-request-id'), 'req-1');
  const details = await send(p, 'GET', '/2.2.1', { token: p.tokenA, routing: false });
  const ids = details.body.data.endpoints.map((e) => `${e.identifier}:${e.role}`);
  for (const e of ['credentials:RECEIVER', 'locations:RECEIVER', 'sessions:RECEIVER', 'cdrs:RECEIVER', 'tariffs:RECEIVER', 'tokens:SENDER', 'commands:SENDER', 'chargingprofiles:SENDER']) {
    assert.ok(ids.includes(e), e);
  }
  assert.deepEqual(p.violations, []);
  assert.equal((await send(p, 'GET', '/2.2.1/locations/DE/GRL/L1', { token: p.tokenA })).status, 401);
  assert.equal((await send(p, 'GET', '/versions', { token: 'nobody', routing: false })).status, 401);
  assert.equal((await send(p, 'GET', '/versions', { routing: false })).status, 401);
  assert.deepEqual(p.violations.map((v) => v.problem), ['token A used outside versions/credentials']);
});

test('pushed objects are stored (201 new, 200 replaced), PATCHes merged, and every violation recorded', async (t) => {
  const p = await registeredPartner();
  t.after(() => p.stop());
  const token = p.tokenForGridlane;
  const loc = { ...example('location_example.json'), country_code: 'DE', party_id: 'GRL' };
  assert.equal((await send(p, 'PUT', `/2.2.1/locations/DE/GRL/${loc.id}`, { token, body: loc })).status, 201);
  assert.equal((await send(p, 'PUT', `/2.2.1/locations/DE/GRL/${loc.id}`, { token, body: loc })).status, 200);
  const at = nowIso();
  const evse = loc.evses[0].uid;
  assert.equal((await send(p, 'PATCH', `/2.2.1/locations/DE/GRL/${loc.id}/${evse}`, { token, body: { status: 'CHARGING', last_updated: at } })).status, 200);
  const stored = p.objects('locations')[0];
  assert.equal(stored.evses[0].status, 'CHARGING');
  assert.equal(stored.last_updated, at, 'a child PATCH moves the location\'s last_updated');
  assert.deepEqual(p.violations, []);
  assert.equal(p.received('locations').length, 3);

  // Each kind of mistake Gridlane could make is recorded.
  await send(p, 'PATCH', `/2.2.1/locations/DE/GRL/${loc.id}/${evse}`, { token, body: { status: 'BUSY' } });
  await send(p, 'PUT', `/2.2.1/locations/DE/XXX/${loc.id}`, { token, body: loc });
  await send(p, 'GET', `/2.2.1/locations/DE/GRL/${loc.id}`, { token, routing: false });
  await send(p, 'GET', '/versions', { token, routing: true });
  await send(p, 'GET', '/versions', { token, routing: false, headers: { 'X-Request-ID': '' } });
  await send(p, 'GET', '/versions', { token, routing: false, encoding: 'raw' });
  const problems = p.violations.map((v) => v.problem);
  for (const expected of ['not a Status value: "BUSY"', 'a PATCH must contain last_updated', 'party_id GRL is not the URL\'s XXX',
                          'URL party DE*XXX is not Gridlane\'s', 'no ocpi-to-country-code header on a functional module',
                          'routing header ocpi-to-party-id on a configuration module', 'no X-Request-ID header',
                          'token sent raw, the partner\'s encoding is base64']) {
    assert.ok(problems.includes(expected), `${expected} in:\n${problems.join('\n')}`);
  }
});

test('a CDR POSTed twice, a command result for an unknown response_url: both recorded', async (t) => {
  const p = await registeredPartner();
  t.after(() => p.stop());
  const token = p.tokenForGridlane;
  const cdr = example('cdr_example.json');
  cdr.cdr_token = { country_code: 'NL', party_id: 'EMS', ...cdr.cdr_token };
  const first = await send(p, 'POST', '/2.2.1/cdrs', { token, body: cdr });
  assert.equal(first.status, 201);
  assert.match(first.headers.get('location'), /\/cdrs\/BE\/BEC\/12345$/);
  assert.deepEqual(p.violations, []);
  await send(p, 'POST', '/2.2.1/cdrs', { token, body: cdr });
  await send(p, 'POST', '/2.2.1/commands/START_SESSION/not-a-ref', { token, body: { result: 'ACCEPTED' } });
  assert.deepEqual(p.violations.map((v) => v.problem), ['CDR 12345 POSTed more than once', 'CommandResult for a response_url the eMSP never gave']);
});

test('real-time authorisation answers as configured, after the configured delay', async (t) => {
  const p = await registeredPartner();
  t.after(() => p.stop());
  const token = p.tokenForGridlane;
  p.tokens.set('CARD1', { country_code: 'NL', party_id: 'EMS', uid: 'CARD1', type: 'RFID', contract_id: 'NL-EMS-C1', issuer: 'T', valid: true, whitelist: 'ALLOWED', last_updated: nowIso() });
  const allowed = await send(p, 'POST', '/2.2.1/tokens/CARD1/authorize?type=RFID', { token });
  assert.equal(allowed.body.data.allowed, 'ALLOWED');
  assert.equal(allowed.body.data.token.uid, 'CARD1');
  const unknown = await send(p, 'POST', '/2.2.1/tokens/NOPE/authorize?type=RFID', { token });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.status_code, 2004);
  p.authorize = { answer: 'BLOCKED', delayMs: 300 };
  const started = Date.now();
  const blocked = await send(p, 'POST', '/2.2.1/tokens/CARD1/authorize?type=RFID', { token, body: { location_id: 'L1' } });
  assert.ok(Date.now() - started >= 290);
  assert.equal(blocked.body.data.allowed, 'BLOCKED');
  assert.deepEqual(p.violations, []);
});

test('down and up: 503, refused connections, and back', async (t) => {
  const p = await registeredPartner();
  t.after(() => p.stop());
  const token = p.tokenForGridlane;
  await p.down('503');
  assert.equal((await send(p, 'GET', '/versions', { token, routing: false })).status, 503);
  await p.down('refuse');
  await assert.rejects(send(p, 'GET', '/versions', { token, routing: false }));
  await p.up();
  assert.equal((await send(p, 'GET', '/versions', { token, routing: false })).status, 200);
  await p.waitFor((x) => x.requests.filter((r) => r.module === 'versions').length === 2, 1000);
  await assert.rejects(p.waitFor(() => false, 100), /condition not met within 100 ms/);
});
