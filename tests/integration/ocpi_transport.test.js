// OCPI 2.2.1 transport and format against the real binary over real HTTP
// (transport_and_format.asciidoc, version_information_endpoint.asciidoc, status_codes.asciidoc):
// the versions and details, the envelope, 401 for a missing, unknown, suspended token and for
// token A outside versions/credentials, both token encodings, X-Request-ID/X-Correlation-ID
// echoed or generated, routing headers answered swapped, and malformed requests answered with
// the right OCPI status code and HTTP status. The partner is the test eMSP (ocpi_partner.js).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer } = require('./harness');
const { startPartner, ocpiConfig, encodeToken } = require('./ocpi_partner');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// One raw request to Gridlane: { status, headers, body (parsed), text }.
function ocpi(server, method, path, { token, encoding = 'base64', headers = {}, raw } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (token) h.Authorization = `Token ${encodeToken(token, encoding)}`;
    if (raw !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers: h }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let body;
        try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    if (raw !== undefined) req.write(raw);
    req.end();
  });
}

// The error envelope: no data, the code, a message, the timestamp; JSON content.
function assertError(res, httpStatus, statusCode, what) {
  assert.equal(res.status, httpStatus, `${what}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(res.headers['content-type'] || '', /^application\/json/, what);
  assert.ok(res.body, `${what}: a JSON envelope`);
  assert.equal(res.body.status_code, statusCode, `${what}: ${res.text.slice(0, 200)}`);
  assert.equal(typeof res.body.status_message, 'string', what);
  assert.match(res.body.timestamp, DATETIME, what);
  assert.equal(res.body.data, undefined, `${what}: an error carries no data`);
  assert.match(res.headers['x-request-id'] || '', /./, `${what}: X-Request-ID`);
  assert.match(res.headers['x-correlation-id'] || '', /./, `${what}: X-Correlation-ID`);
}

test('OCPI transport and format', async (t) => {
  const server = await startServer({ config: ocpiConfig({ page_limit: 50 }) });
  const emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
  t.after(async () => { await emsp.stop(); await server.stop(); });
  const admin = await server.adminToken();

  await t.test('no token, another scheme or an unknown token: 401 with the envelope and new ids', async () => {
    for (const [what, headers] of [['no header', {}], ['Bearer', { Authorization: 'Bearer abc' }],
      ['empty token', { Authorization: 'Token ' }], ['unknown', { Authorization: `Token ${encodeToken('nobody', 'base64')}` }]]) {
      const res = await ocpi(server, 'GET', '/ocpi/versions', { headers });
      assertError(res, 401, 2000, what);
      assert.equal(res.headers['www-authenticate'], 'Token', what);
      assert.match(res.headers['x-request-id'], UUID, `${what}: a generated X-Request-ID`);
      assert.match(res.headers['x-correlation-id'], UUID, `${what}: a generated X-Correlation-ID`);
    }
    const module = await ocpi(server, 'GET', '/ocpi/2.2.1/locations');
    assertError(module, 401, 2000, 'a module without a token');
  });

  let tokenA;
  await t.test('token A opens the versions, the details and credentials only (401 elsewhere)', async () => {
    const created = await server.request('POST', '/api/v1/ocpi/partners', { token: admin, body: { name: 'Planned' } });
    assert.equal(created.status, 201, created.text);
    tokenA = created.body.token;
    assert.ok(tokenA, 'token A answered once');
    const versions = await ocpi(server, 'GET', '/ocpi/versions', { token: tokenA });
    assert.equal(versions.status, 200, versions.text);
    assert.equal(versions.body.status_code, 1000);
    assert.deepEqual(versions.body.data, [{ version: '2.2.1', url: `http://${server.address}/ocpi/2.2.1` }]);
    const details = await ocpi(server, 'GET', '/ocpi/2.2.1', { token: tokenA });
    assert.equal(details.status, 200, details.text);
    assert.ok(details.body.data.endpoints.some((e) => e.identifier === 'credentials'), 'credentials offered');
    for (const path of ['/ocpi/2.2.1/locations', '/ocpi/2.2.1/tokens/NL/EMS/X', '/ocpi/2.2.1/nothing'])
      assertError(await ocpi(server, 'GET', path, { token: tokenA }), 401, 2000, `token A on ${path}`);
  });

  await t.test('a registered partner: versions and details in the envelope, in either token encoding', async () => {
    await emsp.register(server, { direction: 'partner-first', encoding: 'base64' });
    assert.ok(emsp.tokenToGridlane);
    for (const encoding of ['base64', 'raw']) {
      const versions = await ocpi(server, 'GET', '/ocpi/versions', { token: emsp.tokenToGridlane, encoding });
      assert.equal(versions.status, 200, `${encoding}: ${versions.text}`);
      assert.deepEqual(Object.keys(versions.body).sort(), ['data', 'status_code', 'status_message', 'timestamp']);
      assert.match(versions.body.timestamp, DATETIME);
    }
    const details = await ocpi(server, 'GET', '/ocpi/2.2.1/', { token: emsp.tokenToGridlane });
    assert.equal(details.status, 200, details.text);
    assert.equal(details.body.data.version, '2.2.1');
    for (const e of details.body.data.endpoints) {
      assert.ok(['SENDER', 'RECEIVER'].includes(e.role), JSON.stringify(e));
      assert.equal(e.url, `http://${server.address}/ocpi/2.2.1/${e.identifier}`);
    }
    assert.deepEqual(emsp.violations, [], JSON.stringify(emsp.violations, null, 1));
  });

  await t.test('token A is refused once the partner registered with it', async () => {
    assertError(await ocpi(server, 'GET', '/ocpi/versions', { token: emsp.registeredTokenA }), 401, 2000, 'old token A');
  });

  await t.test('X-Request-ID and X-Correlation-ID are echoed', async () => {
    const headers = { 'X-Request-ID': 'req-123', 'X-Correlation-ID': 'corr-456' };
    const ok = await ocpi(server, 'GET', '/ocpi/versions', { token: emsp.tokenToGridlane, headers });
    assert.equal(ok.headers['x-request-id'], 'req-123');
    assert.equal(ok.headers['x-correlation-id'], 'corr-456');
    const refused = await ocpi(server, 'GET', '/ocpi/versions', { headers });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['x-request-id'], 'req-123', 'echoed on an error too');
    assert.equal(refused.headers['x-correlation-id'], 'corr-456');
  });

  await t.test('unknown paths are 404 and wrong methods 405, in the envelope', async () => {
    const token = emsp.tokenToGridlane;
    for (const path of ['/ocpi/2.2.1/nothing', '/ocpi/2.1.1', '/ocpi/2.1.1/locations', '/ocpi/', '/ocpi/versions/x'])
      assertError(await ocpi(server, 'GET', path, { token }), 404, 2000, path);
    const post = await ocpi(server, 'POST', '/ocpi/versions', { token, raw: '{}' });
    assertError(post, 405, 2000, 'POST versions');
    assert.equal(post.headers.allow, 'GET');
    assertError(await ocpi(server, 'DELETE', '/ocpi/2.2.1', { token }), 405, 2000, 'DELETE details');
  });

  await t.test('a body that is not JSON, not an object or not sent as JSON is 2001 with HTTP 400', async () => {
    const token = emsp.tokenToGridlane;
    const credentials = '/ocpi/2.2.1/credentials';
    for (const [what, raw, headers] of [['not JSON', '{"token": ', {}], ['an array', '[1,2]', {}], ['empty', '', {}],
      ['text/plain', '{}', { 'Content-Type': 'text/plain' }]])
      assertError(await ocpi(server, 'PUT', credentials, { token, raw, headers }), 400, 2001, what);
  });

  await t.test('a body over 64 KiB is 413 in the envelope; the server goes on', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    const res = await ocpi(server, 'PUT', '/ocpi/2.2.1/credentials', { token: emsp.tokenToGridlane, raw: big });
    assert.equal(res.status, 413, res.text.slice(0, 200));
    assert.equal(res.body.status_code, 2000);
    const after = await ocpi(server, 'GET', '/ocpi/versions', { token: emsp.tokenToGridlane });
    assert.equal(after.status, 200);
  });

  await t.test('routing headers: malformed ones are 2001, good ones come back swapped', async () => {
    const token = emsp.tokenToGridlane;
    // A functional module (tokens, Receiver); what it answers does not matter here, only that
    // the transport read the headers (a malformed pair never reaches the module).
    const path = '/ocpi/2.2.1/tokens/NL/EMS/CARD1';
    for (const [what, headers] of [
      ['half a pair', { 'OCPI-from-country-code': 'NL' }],
      ['a 3-letter country', { 'OCPI-from-country-code': 'NLD', 'OCPI-from-party-id': 'EMS' }],
      ['a bad party id', { 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'G_L' }]]) {
      const res = await ocpi(server, 'GET', path, { token, headers });
      assertError(res, 400, 2001, what);
    }
    const res = await ocpi(server, 'GET', path, { token, headers: {
      'OCPI-from-country-code': 'nl', 'OCPI-from-party-id': 'ems', 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'GRL' } });
    assert.equal(res.headers['ocpi-to-country-code'], 'NL');
    assert.equal(res.headers['ocpi-to-party-id'], 'EMS');
    assert.equal(res.headers['ocpi-from-country-code'], 'DE');
    assert.equal(res.headers['ocpi-from-party-id'], 'GRL');
  });

  await t.test('configuration modules carry no routing headers', async () => {
    const res = await ocpi(server, 'GET', '/ocpi/2.2.1/credentials', { token: emsp.tokenToGridlane });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['ocpi-to-party-id'], undefined);
    assert.equal(res.headers['ocpi-from-party-id'], undefined);
  });

  await t.test('a suspended partner is 401; resumed, it is served again', async () => {
    const id = emsp.partnerId;
    const s = await server.request('POST', `/api/v1/ocpi/partners/${id}/suspend`, { token: admin });
    assert.ok(s.status >= 200 && s.status < 300, s.text);
    assertError(await ocpi(server, 'GET', '/ocpi/versions', { token: emsp.tokenToGridlane }), 401, 2000, 'suspended');
    const r = await server.request('POST', `/api/v1/ocpi/partners/${id}/resume`, { token: admin });
    assert.ok(r.status >= 200 && r.status < 300, r.text);
    assert.equal((await ocpi(server, 'GET', '/ocpi/versions', { token: emsp.tokenToGridlane })).status, 200);
  });

  await t.test('the API and OCPP are untouched by the mount', async () => {
    const health = await server.request('GET', '/health');
    assert.equal(health.status, 200);
    const api = await server.request('GET', '/api/v1/stations', { token: admin });
    assert.equal(api.status, 200);
  });
});

test('OCPI disabled: /ocpi/ answers 404 and the rest is served', async (t) => {
  const server = await startServer({ config: ocpiConfig({ enabled: false }) });
  t.after(() => server.stop());
  const res = await ocpi(server, 'GET', '/ocpi/versions', { token: 'x' });
  assert.equal(res.status, 404);
  assert.equal((await server.request('GET', '/health')).status, 200);
});

test('a bad [ocpi] party or base_url is refused at startup', async () => {
  for (const overrides of [{ country_code: 'DEU' }, { party_id: 'G' }, { base_url: 'cpo.example.com' }]) {
    await assert.rejects(startServer({ config: ocpiConfig(overrides) }), /ocpi\.(country_code|party_id|base_url)/,
      JSON.stringify(overrides));
  }
});
