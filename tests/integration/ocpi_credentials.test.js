// OCPI credentials (credentials.asciidoc) against the real binary and the test eMSP over real
// HTTP: the handshake both ways (the partner POSTs with token A; Gridlane registers at the
// partner), token rotation from either side, unregistration from either side, the old token
// refused after each, the 405s, a bad Credentials object (2001), a partner whose versions cannot
// be read (3001), suspension, the operator API never showing a token after creation, and the
// admin CLI over the same partners.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { startPartner, ocpiConfig, encodeToken } = require('./ocpi_partner');

async function setup(t, options = {}) {
  const server = await startServer({ config: ocpiConfig() });
  const emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS', ...options });
  t.after(async () => {
    await emsp.stop();
    await server.stop();
  });
  const admin = await server.adminToken();
  const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token: admin, body });
  const versions = `http://${server.address}/ocpi/versions`;
  return { server, emsp, api, versions };
}

// GET Gridlane's versions with a token in the partner's encoding: the HTTP status.
async function versionsStatus(emsp, versions, token, encoding = emsp.encoding) {
  const res = await emsp.call('GET', versions, { token, encoding });
  return res.status;
}

function assertNoToken(partner) {
  const text = JSON.stringify(partner);
  assert.ok(!('token' in partner) && !('credentials' in partner), `no token in ${text}`);
  assert.ok(!/token_to_them|token_hash/.test(text), `no token field in ${text}`);
}

test('partner-first: token A registers, then only token C works; POST again is 405; the partner rotates and unregisters', async (t) => {
  const { server, emsp, api, versions } = await setup(t);
  const { partnerId, tokenToGridlane } = await emsp.register(server, { direction: 'partner-first', encoding: 'base64' });
  const tokenA = emsp.registeredTokenA;
  assert.ok(tokenA && tokenToGridlane && tokenA !== tokenToGridlane);

  assert.equal(await versionsStatus(emsp, versions, tokenA), 401, 'token A is refused once registered');
  assert.equal(await versionsStatus(emsp, versions, tokenToGridlane), 200, 'token C works');

  const shown = await api('GET', `/ocpi/partners/${partnerId}`);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.status, 'registered');
  assert.equal(shown.body.version, '2.2.1');
  assert.equal(shown.body.versions_url, emsp.versionsUrl);
  assert.deepEqual(shown.body.roles.map((r) => `${r.role} ${r.country_code}*${r.party_id}`), ['EMSP NL*EMS']);
  assert.ok(shown.body.endpoints.some((e) => e.identifier === 'credentials'), 'its endpoints are stored');
  assert.ok(shown.body.endpoints.some((e) => e.identifier === 'locations' && e.role === 'RECEIVER'));
  assert.equal(typeof shown.body.delivery.backlog, 'number');
  assertNoToken(shown.body);

  const credentialsUrl = emsp.gridlaneEndpoint('credentials');
  const got = await emsp.call('GET', credentialsUrl);
  assert.equal(got.status, 200);
  assert.equal(got.body.data.token, tokenToGridlane, 'GET answers the token the partner uses');
  assert.deepEqual(got.body.data.roles.map((r) => r.role), ['CPO']);

  const again = await emsp.call('POST', credentialsUrl, { body: emsp.credentials('another-token') });
  assert.equal(again.status, 405, `POST on a registered partner: ${again.text}`);

  const rotated = await emsp.rotate();
  assert.equal(rotated.status, 200, rotated.text);
  assert.equal(rotated.body.status_code, 1000);
  assert.notEqual(emsp.tokenToGridlane, tokenToGridlane);
  assert.equal(await versionsStatus(emsp, versions, tokenToGridlane), 401, 'the token before the PUT is refused');
  assert.equal(await versionsStatus(emsp, versions, emsp.tokenToGridlane), 200, 'the new token works');
  // Gridlane fetched the partner's versions with the new token the PUT gave.
  const fetched = emsp.requests.filter((r) => r.module === 'versions');
  assert.equal(fetched.at(-1).headers.authorization, `Token ${encodeToken(emsp.tokenForGridlane, 'base64')}`);

  const current = emsp.tokenToGridlane;
  const gone = await emsp.unregister();
  assert.equal(gone.status, 200, gone.text);
  assert.equal(await versionsStatus(emsp, versions, current), 401, 'refused after unregistration');
  assert.equal((await api('GET', `/ocpi/partners/${partnerId}`)).body.status, 'unregistered');
  emsp.assertConforms(assert);
});

test('gridlane-first with raw tokens: Gridlane registers at the partner, rotates, and unregisters it', async (t) => {
  const { server, emsp, api, versions } = await setup(t);
  emsp.encoding = 'raw';
  const { partnerId } = await emsp.register(server, { direction: 'gridlane-first', encoding: 'raw' });
  const ours = emsp.tokenToGridlane;
  assert.ok(ours, 'Gridlane POSTed its credentials with a token');
  // Gridlane calls the partner with the raw token it got (emsp checks the encoding as a violation).
  const post = emsp.requests.find((r) => r.module === 'credentials' && r.method === 'POST');
  assert.ok(post, 'a POST of credentials reached the partner');
  assert.equal(post.body.url, versions);
  assert.deepEqual(post.body.roles.map((r) => `${r.role} ${r.country_code}*${r.party_id}`), ['CPO DE*GRL']);
  assert.equal(await versionsStatus(emsp, versions, ours, 'raw'), 200);
  assert.equal(await versionsStatus(emsp, versions, ours, 'base64'), 200, 'a raw partner may still send Base64');

  const shown = await api('GET', `/ocpi/partners/${partnerId}`);
  assert.equal(shown.body.status, 'registered');
  assert.equal(shown.body.encoding, 'raw');
  assertNoToken(shown.body);
  const again = await api('POST', `/ocpi/partners/${partnerId}/register`, { versions_url: emsp.versionsUrl, token: 'x' });
  assert.equal(again.status, 409, 'registering a registered partner is a conflict');

  const rotated = await api('POST', `/ocpi/partners/${partnerId}/rotate`);
  assert.equal(rotated.status, 200, rotated.text);
  assertNoToken(rotated.body);
  const put = emsp.requests.filter((r) => r.module === 'credentials' && r.method === 'PUT');
  assert.equal(put.length, 1, 'the rotation is a PUT at the partner');
  assert.notEqual(emsp.tokenToGridlane, ours);
  assert.equal(await versionsStatus(emsp, versions, ours, 'raw'), 401, 'the old token of the partner is refused');
  assert.equal(await versionsStatus(emsp, versions, emsp.tokenToGridlane, 'raw'), 200);

  const removed = await api('DELETE', `/ocpi/partners/${partnerId}`);
  assert.equal(removed.status, 200, removed.text);
  assert.equal(removed.body.status, 'unregistered');
  assert.ok(emsp.unregisteredByGridlane, 'Gridlane sent DELETE to the partner');
  assert.equal(await versionsStatus(emsp, versions, emsp.tokenToGridlane || ours, 'raw'), 401);
  emsp.assertConforms(assert);
});

test('405 before registration, 2001 for a bad Credentials object, 3001 when the partner cannot be read, 401 when suspended', async (t) => {
  const { server, emsp, api, versions } = await setup(t);
  const created = await api('POST', '/ocpi/partners', { name: 'Planned eMSP', encoding: 'base64', modules: ['locations', 'tokens'] });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, 'planned');
  assert.deepEqual(created.body.modules, ['locations', 'tokens']);
  assert.equal(created.body.credentials.url, versions);
  const tokenA = created.body.token;
  assert.ok(tokenA);
  const listed = await api('GET', '/ocpi/partners');
  assert.equal(listed.status, 200);
  assert.equal(listed.body.total, 1);
  assertNoToken(listed.body.items[0]);

  const credentialsUrl = `http://${server.address}/ocpi/2.2.1/credentials`;
  const call = (method, body, token = tokenA) => emsp.call(method, credentialsUrl, { token, body });
  assert.equal((await call('PUT', emsp.credentials('b'))).status, 405, 'PUT before registration');
  assert.equal((await call('DELETE')).status, 405, 'DELETE before registration');

  const bad = await call('POST', { token: 'b', url: emsp.versionsUrl, roles: [{ role: 'EMSP', party_id: 'TOOLONG', country_code: 'NL', business_details: { name: 'x' } }] });
  assert.equal(bad.status, 200, bad.text); // valid JSON: 2001 in the envelope, no HTTP error
  assert.equal(bad.body.status_code, 2001);
  assert.match(bad.body.status_message, /party_id/);

  emsp.down('503');
  const unreachable = await call('POST', emsp.credentials('b'));
  emsp.up();
  assert.equal(unreachable.body.status_code, 3001, unreachable.text);
  assert.equal((await api('GET', `/ocpi/partners/${created.body.id}`)).body.status, 'planned');

  // Token A still registers after the failed attempt.
  emsp.tokenForGridlane = 'emsp-token-for-gridlane';
  const ok = await call('POST', emsp.credentials(emsp.tokenForGridlane));
  assert.equal(ok.status, 200, ok.text);
  const tokenC = ok.body.data.token;
  assert.equal(await versionsStatus(emsp, versions, tokenC), 200);

  const suspended = await api('POST', `/ocpi/partners/${created.body.id}/suspend`);
  assert.equal(suspended.body.status, 'suspended');
  assert.equal(await versionsStatus(emsp, versions, tokenC), 401, 'a suspended partner is refused');
  const resumed = await api('POST', `/ocpi/partners/${created.body.id}/resume`);
  assert.equal(resumed.body.status, 'registered');
  assert.equal(await versionsStatus(emsp, versions, tokenC), 200);

  const changed = await api('PATCH', `/ocpi/partners/${created.body.id}`, { encoding: 'raw', modules: [] });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.body.encoding, 'raw');
  assert.deepEqual(changed.body.modules, []);
  assert.equal((await api('PATCH', `/ocpi/partners/${created.body.id}`, { modules: ['nope'] })).status, 422);
  assert.equal((await api('GET', '/ocpi/partners/999')).status, 404);

  // The admin CLI reads the same partners.
  const cli = server.adminJson('ocpi', 'partner', 'list');
  assert.deepEqual(cli.map((p) => p.status), ['registered']);
  assert.ok(!JSON.stringify(cli).includes(tokenC) && !JSON.stringify(cli).includes('emsp-token-for-gridlane'));
});

test('a party another partner represents is refused: 2001 naming roles from the partner, 409 from the operator\'s register', async (t) => {
  const { server, emsp, api } = await setup(t);
  await emsp.register(server, { direction: 'partner-first' });
  const twin = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  t.after(() => twin.stop());
  await assert.rejects(twin.register(server, { direction: 'partner-first' }), (e) => {
    assert.match(e.message, /POST credentials: 200 /);
    assert.match(e.message, /"status_code":\s*2001/);
    assert.match(e.message, /roles/);
    return true;
  });
  const refused = await api('GET', `/ocpi/partners/${twin.partnerId}`);
  assert.equal(refused.body.status, 'planned', refused.text);
  await assert.rejects(twin.register(server, { direction: 'gridlane-first' }), /POST \.\.\.\/register: 409 /);
  // The first partner is untouched and still works.
  assert.equal(await versionsStatus(emsp, `http://${server.address}/ocpi/versions`, emsp.tokenToGridlane), 200);
});

test('a hub PUTs the ClientInfo of its parties (201 new, 200 replaced), GETs it back, and the API shows them; a non-hub is refused', async (t) => {
  const { server, emsp: hub, api } = await setup(t, { countryCode: 'NL', partyId: 'HUB', role: 'HUB' });
  const { partnerId } = await hub.register(server, { direction: 'partner-first' });
  const first = await hub.pushClientInfo({ country_code: 'NL', party_id: 'ABC', role: 'EMSP', status: 'PLANNED' });
  assert.equal(first.status, 201, first.text);
  const second = await hub.pushClientInfo({ country_code: 'NL', party_id: 'ABC', role: 'EMSP', status: 'CONNECTED' });
  assert.equal(second.status, 200, second.text);
  const got = await hub.call('GET', `${hub.gridlaneEndpoint('hubclientinfo', 'RECEIVER')}/NL/ABC`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.body.data.status, 'CONNECTED');
  const unknown = await hub.call('GET', `${hub.gridlaneEndpoint('hubclientinfo', 'RECEIVER')}/NL/XYZ`);
  assert.equal(unknown.status, 404);
  const mismatch = await hub.call('PUT', `${hub.gridlaneEndpoint('hubclientinfo', 'RECEIVER')}/NL/DEF`,
    { body: { country_code: 'NL', party_id: 'ABC', role: 'EMSP', status: 'OFFLINE', last_updated: '2026-01-01T00:00:00Z' } });
  assert.equal(mismatch.status, 200);
  assert.equal(mismatch.body.status_code, 2001);
  const bad = await hub.pushClientInfo({ country_code: 'NL', party_id: 'ABC', status: 'GONE' });
  assert.equal(bad.body.status_code, 2001, bad.text);

  const shown = await api('GET', `/ocpi/partners/${partnerId}`);
  assert.deepEqual(shown.body.hub_clients.map((c) => `${c.country_code}*${c.party_id} ${c.role} ${c.status}`), ['NL*ABC EMSP CONNECTED']);

  const { startPartner: start } = require('./ocpi_partner');
  const emsp = await start({ countryCode: 'NL', partyId: 'EMS' });
  t.after(() => emsp.stop());
  await emsp.register(server, { direction: 'partner-first' });
  const refused = await emsp.call('PUT', `${emsp.gridlaneEndpoint('hubclientinfo', 'RECEIVER')}/NL/ABC`,
    { body: { country_code: 'NL', party_id: 'ABC', role: 'EMSP', status: 'OFFLINE', last_updated: '2026-01-01T00:00:00Z' } });
  assert.equal(refused.status, 403, 'only a hub sends ClientInfo');
});
