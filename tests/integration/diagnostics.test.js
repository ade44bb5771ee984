// Log and diagnostics retrieval with the upload endpoint Gridlane hosts (docs/operations.md
// "Diagnostics and monitoring"): a 1.6 GetDiagnostics answered by a multipart/form-data POST and
// a 2.0.1 GetLog answered by a PUT, the files listed per station and downloaded byte for byte,
// the one-time token's refusals (unknown 404, spent or expired 403), the body limit (413) and
// what the viewer role may see (never a token, never a file's bytes).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { startServer } = require('./harness');

const TTL_S = 4;
let server;
let token;
let viewer;
before(async () => {
  server = await startServer({ config: `[ocpp]\ncall_timeout_s = 5\nrequest_base_report = false\n[diagnostics]\nmax_upload_mb = 1\ntoken_ttl_s = ${TTL_S}\n` });
  token = await server.adminToken();
  const password = 'viewer password 123';
  server.admin('user', 'add', 'diag-viewer', '--role', 'viewer', '--password', password);
  viewer = (await server.request('POST', '/api/v1/auth/login', { body: { username: 'diag-viewer', password } })).body.token;
});
after(() => server.stop());

// An HTTP request with a binary body; the answer's body as a Buffer.
function send(method, url, { body, headers = {}, bearer } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(body ? { 'content-length': body.length } : {}), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
const api = (path) => `http://${server.address}/api/v1${path}`;
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

// Bytes that look like trouble to a careless multipart parser: CRLFs, dashes, NULs.
function logBytes(size) {
  const b = crypto.randomBytes(size);
  b.write('\r\n--\r\n\r\n--not-the-boundary\r\n', 100, 'latin1');
  b[5] = 0;
  return b;
}

function multipart(boundary, fileName, data) {
  return Buffer.concat([
    Buffer.from(`preamble to ignore\r\n--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nnot the file\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/zip\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

async function command(identity, kind, params, bearer = token) {
  const res = await server.request('POST', `/api/v1/stations/${encodeURIComponent(identity)}/commands?wait=10`, { token: bearer, body: { kind, params } });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function station16(identity, onRequest) {
  const cs = server.client(identity);
  cs.handle('GetDiagnostics', ({ params }) => { onRequest(params); return { fileName: 'diag.zip' }; });
  await cs.connect();
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M16' })).status, 'Accepted');
  return cs;
}

async function station201(identity, onRequest) {
  const cs = server.client(identity, { protocols: ['ocpp2.0.1'] });
  cs.handle('GetLog', ({ params }) => { onRequest(params); return { status: 'Accepted', filename: 'station-log.txt' }; });
  await cs.connect();
  const boot = await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M2', vendorName: 'Acme' } });
  assert.equal(boot.status, 'Accepted');
  return cs;
}

async function files(identity, bearer = token) {
  const res = await server.request('GET', `/api/v1/stations/${encodeURIComponent(identity)}/diagnostics-files`, { token: bearer });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

test('1.6 GetDiagnostics: the station POSTs multipart/form-data to the hosted URL; listed and downloaded intact', async (t) => {
  let asked;
  const cs = await station16('DIAG-16', (p) => { asked = p; });
  t.after(() => cs.close());
  const cmd = await command('DIAG-16', 'get_diagnostics', {});
  assert.equal(cmd.status, 'accepted');
  assert.deepEqual(cmd.response, { fileName: 'diag.zip' });
  assert.match(asked.location, new RegExp(`^http://${server.address}/diagnostics/upload/dlu_[A-Za-z0-9_-]{43}$`));
  assert.equal(cmd.params.location, `http://${server.address}/diagnostics/upload/{token}`);

  assert.deepEqual(await cs.call('DiagnosticsStatusNotification', { status: 'Uploading' }), {});
  const data = logBytes(200 * 1024);
  const boundary = '----GridlaneTest' + crypto.randomBytes(8).toString('hex');
  const up = await send('POST', asked.location, { body: multipart(boundary, 'diag.zip', data),
    headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` } });
  assert.equal(up.status, 200, up.body.toString());
  assert.deepEqual(await cs.call('DiagnosticsStatusNotification', { status: 'Uploaded' }), {});

  const list = await files('DIAG-16');
  assert.equal(list.total, 1);
  const [f] = list.items;
  assert.deepEqual([f.file_name, f.size_bytes, f.sha256, f.log_type, f.content_type], ['diag.zip', data.length, sha256(data), 'DiagnosticsLog', 'application/zip']);
  const down = await send('GET', api(`/diagnostics-files/${f.id}`), { bearer: token });
  assert.equal(down.status, 200);
  assert.ok(down.body.equals(data), 'downloaded byte for byte');
  assert.equal(down.headers['x-content-sha256'], sha256(data));
  assert.match(down.headers['content-disposition'], /filename="diag\.zip"/);

  // The token is spent: a second upload to the same URL is refused and stores nothing.
  const again = await send('POST', asked.location, { body: multipart(boundary, 'diag.zip', data),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(again.status, 403);
  assert.equal((await files('DIAG-16')).total, 1);
});

test('2.0.1 GetLog: the station PUTs the file (its name in the URL); listed and downloaded intact', async (t) => {
  let asked;
  const cs = await station201('DIAG-201', (p) => { asked = p; });
  t.after(() => cs.close());
  const cmd = await command('DIAG-201', 'get_log', { log_type: 'SecurityLog' });
  assert.equal(cmd.status, 'accepted');
  assert.equal(asked.requestId, cmd.id);
  assert.equal(asked.logType, 'SecurityLog');
  const data = logBytes(300 * 1024);
  const up = await send('PUT', `${asked.log.remoteLocation}/station-log.txt`, { body: data, headers: { 'content-type': 'text/plain' } });
  assert.equal(up.status, 201, up.body.toString());
  assert.deepEqual(await cs.call('LogStatusNotification', { status: 'Uploaded', requestId: asked.requestId }), {});
  const [f] = (await files('DIAG-201')).items;
  assert.deepEqual([f.file_name, f.size_bytes, f.sha256, f.log_type], ['station-log.txt', data.length, sha256(data), 'SecurityLog']);
  const down = await send('GET', api(`/diagnostics-files/${f.id}`), { bearer: token });
  assert.ok(down.body.equals(data), 'downloaded byte for byte');
});

test('an upload above [diagnostics] max_upload_mb is refused with 413 and leaves the token unspent', async (t) => {
  let asked;
  const cs = await station201('DIAG-BIG', (p) => { asked = p; });
  t.after(() => cs.close());
  await command('DIAG-BIG', 'get_log', {});
  const big = await send('PUT', asked.log.remoteLocation, { body: Buffer.alloc(1024 * 1024 + 1, 7) });
  assert.equal(big.status, 413);
  // Far above the limit: the station may still be writing when the 413 is sent. It gets the 413
  // and its whole body is taken (and dropped), not a reset connection (EPIPE) in mid-write.
  for (let i = 0; i < 3; i++) {
    const huge = await send('PUT', asked.log.remoteLocation, { body: Buffer.alloc(16 * 1024 * 1024, 7) });
    assert.equal(huge.status, 413);
  }
  assert.equal((await files('DIAG-BIG')).total, 0);
  const small = await send('PUT', asked.log.remoteLocation, { body: Buffer.alloc(1024 * 1024, 7) });
  assert.equal(small.status, 201, 'exactly the limit is accepted');
  assert.equal((await files('DIAG-BIG')).items[0].size_bytes, 1024 * 1024);
});

test('unknown and malformed tokens are 404, an expired one 403; a bad multipart body 400; GET 405', async (t) => {
  const base = `http://${server.address}/diagnostics/upload/`;
  const body = Buffer.from('log');
  assert.equal((await send('PUT', base + 'dlu_' + 'A'.repeat(43), { body })).status, 404);
  assert.equal((await send('PUT', base + 'not-a-token', { body })).status, 404);
  assert.equal((await send('PUT', base, { body })).status, 404);
  assert.equal((await send('PUT', base.slice(0, -1), { body })).status, 404, 'the mount without its last slash');
  let asked;
  const cs = await station201('DIAG-EXP', (p) => { asked = p; });
  t.after(() => cs.close());
  await command('DIAG-EXP', 'get_log', {});
  assert.equal((await send('GET', asked.log.remoteLocation)).status, 405);
  const broken = await send('POST', asked.log.remoteLocation, { body: Buffer.from('--b\r\nno header end'),
    headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  assert.equal(broken.status, 400);
  await new Promise((r) => setTimeout(r, TTL_S * 1000 + 500));
  const late = await send('PUT', asked.log.remoteLocation, { body });
  assert.equal(late.status, 403);
  assert.match(late.body.toString(), /expired/);
  assert.equal((await files('DIAG-EXP')).total, 0);
});

test('the viewer role sees no upload token and cannot download a file', async (t) => {
  let asked;
  const cs = await station201('DIAG-VIEW', (p) => { asked = p; });
  t.after(() => cs.close());
  const cmd = await command('DIAG-VIEW', 'get_log', {});
  const secret = asked.log.remoteLocation.split('/').pop();
  assert.match(secret, /^dlu_/);
  for (const path of [`/commands/${cmd.id}`, '/stations/DIAG-VIEW/commands', '/stations/DIAG-VIEW/events']) {
    const res = await server.request('GET', `/api/v1${path}`, { token: viewer });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.ok(!res.text.includes(secret), `${path} does not show the token`);
  }
  const asViewer = await server.request('GET', `/api/v1/commands/${cmd.id}`, { token: viewer });
  assert.equal(asViewer.body.params.location, `http://${server.address}/diagnostics/upload/{token}`);
  assert.equal(asViewer.body.params.hosted_upload, true);
  // A viewer may not send the command either.
  const refused = await server.request('POST', '/api/v1/stations/DIAG-VIEW/commands', { token: viewer, body: { kind: 'get_log', params: {} } });
  assert.equal(refused.status, 403);
  assert.equal((await send('PUT', asked.log.remoteLocation, { body: Buffer.from('viewer test') })).status, 201);
  const list = await files('DIAG-VIEW', viewer);
  assert.equal(list.total, 1, 'the list is readable');
  assert.equal((await send('GET', api(`/diagnostics-files/${list.items[0].id}`), { bearer: viewer })).status, 403);
  assert.equal((await send('GET', api(`/diagnostics-files/${list.items[0].id}`), { bearer: token })).body.toString(), 'viewer test');
});
