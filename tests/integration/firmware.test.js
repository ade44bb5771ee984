// Firmware (docs/operations.md "Firmware"): files uploaded through the API and downloaded by
// stations over plain HTTP, 1.6 UpdateFirmware and FirmwareStatusNotification, 2.x security
// events, and campaigns over strict ocpp-rpc stations: one that pauses itself when its canary
// stations fail, resumed and completed, and one cancelled.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { startServer, until } = require('./harness');
const { Station2 } = require('./ocpp2');

const config = '[ocpp]\ncall_timeout_s = 5\nrequest_base_report = false\n' +
  '[firmware]\nmax_file_mb = 2\ncampaign_tick_s = 1\n';

let server;
let token;
before(async () => {
  server = await startServer({ config });
  token = await server.adminToken();
  server.admin('user', 'add', 'fw-viewer', '--role', 'viewer', '--password', 'viewer password 1');
});
after(() => server.stop());

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
let seq = 0;
const id = (prefix) => `${prefix}-${process.pid}-${String(++seq).padStart(3, '0')}`;

async function upload(bytes, query, as = token) {
  return server.request('POST', `/api/v1/firmware/files?${new URLSearchParams(query)}`,
    { token: as, raw: bytes, headers: { 'content-type': 'application/octet-stream' } });
}

// A plain HTTP GET/HEAD the way a station's downloader makes it: { status, headers, body (Buffer) }.
function download(url, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function viewerToken() {
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username: 'fw-viewer', password: 'viewer password 1' } });
  assert.equal(res.status, 200, res.text);
  return res.body.token;
}

const api = async (method, path, body) => {
  const res = await server.request(method, `/api/v1${path}`, { token, body });
  return res;
};

test('a firmware file is uploaded by an operator, listed with its SHA-256 and downloaded by a station over HTTP', async () => {
  const bytes = crypto.randomBytes(1536 * 1024);
  const viewer = await viewerToken();
  const refused = await upload(bytes, { file_name: 'x.bin', vendor: 'Acme', version: '1' }, viewer);
  assert.equal(refused.status, 403, 'a viewer may not upload');
  const bad = await upload(bytes, { file_name: '../x.bin', vendor: 'Acme', version: '1' });
  assert.equal(bad.status, 422);
  assert.match(bad.body.detail, /file_name/);
  const up = await upload(bytes, { file_name: 'acme-3.0.0.bin', vendor: 'Acme', version: '3.0.0', models: 'Model-2X,Model-3' });
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.sha256, sha256(bytes));
  assert.equal(up.body.size_bytes, bytes.length);
  assert.deepEqual(up.body.models, ['Model-2X', 'Model-3']);
  assert.equal(up.body.url, `http://${server.address}/firmware/${up.body.id}/acme-3.0.0.bin`);
  const listed = await server.request('GET', '/api/v1/firmware/files?limit=100', { token: viewer });
  assert.equal(listed.status, 200);
  assert.ok(listed.body.items.some((f) => f.id === up.body.id && f.sha256 === up.body.sha256));

  const got = await download(up.body.url);
  assert.equal(got.status, 200);
  assert.equal(sha256(got.body), up.body.sha256, 'the station gets the bytes uploaded');
  assert.equal(got.headers['content-type'], 'application/octet-stream');
  assert.equal(got.headers['accept-ranges'], 'bytes');
  const head = await download(up.body.url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), bytes.length);
  assert.equal(head.body.length, 0);
  // A resumed download: the rest from byte 1,000,000.
  const rest = await download(up.body.url, { headers: { range: 'bytes=1000000-' } });
  assert.equal(rest.status, 206);
  assert.equal(rest.headers['content-range'], `bytes 1000000-${bytes.length - 1}/${bytes.length}`);
  assert.ok(rest.body.equals(bytes.subarray(1000000)));
  const beyond = await download(up.body.url, { headers: { range: `bytes=${bytes.length}-` } });
  assert.equal(beyond.status, 416);
  assert.equal((await download(`http://${server.address}/firmware/${up.body.id}/other.bin`)).status, 404);
  assert.equal((await download(`http://${server.address}/firmware/999999/acme-3.0.0.bin`)).status, 404);
  for (const bare of ['/firmware', '/firmware/', '/firmware/12'])
    assert.equal((await download(`http://${server.address}${bare}`)).status, 404, `${bare} names no file`);
  const middle = await download(up.body.url, { headers: { range: 'bytes=10-19' } });
  assert.equal(middle.status, 206);
  assert.ok(middle.body.equals(bytes.subarray(10, 20)));

  // A campaign's stations download at once: every one gets the whole file (the bytes are streamed
  // from the file, not queued for a read into memory), and a kept-alive connection carries
  // a HEAD and two GETs in a row.
  const many = await Promise.all(Array.from({ length: 60 }, () => download(up.body.url)));
  assert.deepEqual([...new Set(many.map((g) => `${g.status} ${sha256(g.body)}`))], [`200 ${up.body.sha256}`]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set();
  for (const method of ['HEAD', 'GET', 'GET']) {
    const got = await new Promise((resolve, reject) => {
      const req = http.request(up.body.url, { method, agent }, (res) => {
        sockets.add(res.socket);
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(got.status, 200);
    assert.equal(got.body.length, method === 'HEAD' ? 0 : bytes.length);
  }
  agent.destroy();
  assert.equal(sockets.size, 1, 'one connection for the three requests');

  // A body over [firmware] max_file_mb = 2 is refused on its Content-Length, before it is sent.
  const big = await new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1', () => sock.write(
      'POST /api/v1/firmware/files?file_name=big.bin&vendor=Acme&version=9 HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: Bearer ${token}\r\nContent-Length: ${3 * 1024 * 1024}\r\n\r\n`));
    let text = '';
    sock.on('data', (d) => { text += d; });
    sock.on('end', () => resolve(text));
    sock.on('error', reject);
  });
  assert.match(big, /^HTTP\/1\.1 413 /, big.slice(0, 100));

  // The stored file gone from the disk: 500, not a crash or a short body; back in place, served again.
  const dir = path.join(server.dir, 'firmware');
  const stored = fs.readdirSync(dir).map((n) => path.join(dir, n))
    .find((f) => fs.statSync(f).size === bytes.length && sha256(fs.readFileSync(f)) === up.body.sha256);
  assert.ok(stored, 'the upload is stored beside the database');
  fs.renameSync(stored, `${stored}.away`);
  assert.equal((await download(up.body.url)).status, 500);
  fs.renameSync(`${stored}.away`, stored);
  assert.equal(sha256((await download(up.body.url)).body), up.body.sha256);

  const del = await api('DELETE', `/firmware/files/${up.body.id}`);
  assert.equal(del.status, 204, del.text);
  assert.equal((await download(up.body.url)).status, 404);
  assert.equal((await api('GET', `/firmware/files/${up.body.id}`)).status, 404);
});

test('OCPP 1.6 UpdateFirmware: location, retrieveDate, retries and retryInterval sent; statuses recorded per station', async () => {
  const identity = id('FW16');
  const cs = server.client(identity);
  await cs.connect();
  const got = [];
  cs.handle('UpdateFirmware', ({ params }) => { got.push(params); return {}; });
  await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-16', firmwareVersion: '1.0.0' });
  const retrieve = '2026-12-01T00:00:00.000Z';
  const cmd = await api('POST', `/stations/${identity}/commands?wait=10`, { kind: 'update_firmware',
    params: { location: 'http://fw.example/acme.bin', retrieve_at: retrieve, retries: 3, retry_interval_s: 60 } });
  assert.equal(cmd.status, 200, cmd.text);
  assert.equal(cmd.body.status, 'accepted');
  assert.deepEqual(got, [{ location: 'http://fw.example/acme.bin', retrieveDate: retrieve, retries: 3, retryInterval: 60 }]);
  const signed = await api('POST', `/stations/${identity}/commands`, { kind: 'update_firmware',
    params: { location: 'http://fw.example/acme.bin', retrieve_at: retrieve, signature: 'c2ln' } });
  assert.equal(signed.status, 422, 'signed firmware is a 2.x request');
  assert.match(signed.text, /signature/);
  for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed'])
    assert.deepEqual(await cs.call('FirmwareStatusNotification', { status }), {});
  const now = await api('GET', `/stations/${identity}/firmware`);
  assert.equal(now.status, 200);
  assert.equal(now.body.status, 'Installed');
  assert.equal(now.body.firmware_version, '1.0.0');
  const history = await api('GET', `/stations/${identity}/firmware/history`);
  assert.deepEqual(history.body.items.map((h) => h.status), ['Installed', 'Installing', 'Downloaded', 'Downloading']);
  await cs.close();
});

test('2.x SecurityEventNotification: recorded and shown per station', async () => {
  const s = new Station2(server, id('FWSEC'));
  await s.connect();
  await s.booted();
  assert.deepEqual(await s.call('SecurityEventNotification', { type: 'InvalidFirmwareSignature',
    timestamp: '2026-09-01T08:00:05.000Z', techInfo: 'signature does not match' }), {});
  assert.deepEqual(await s.call('SecurityEventNotification', { type: 'FirmwareUpdated', timestamp: '2026-09-01T08:10:00.000Z' }), {});
  const events = await api('GET', `/stations/${s.identity}/security-events`);
  assert.equal(events.status, 200);
  assert.deepEqual(events.body.items.map((e) => [e.type, e.timestamp, e.tech_info]), [
    ['FirmwareUpdated', '2026-09-01T08:10:00.000Z', null],
    ['InvalidFirmwareSignature', '2026-09-01T08:00:05.000Z', 'signature does not match']]);
  await s.close();
});

// A 2.0.1 station of a campaign: answers UpdateFirmware Accepted, then reports `outcome` after
// the usual steps, with the request's id. `downloads` records what it fetched over HTTP.
async function campaignStation(t, outcome, downloads) {
  const s = new Station2(server, id('FWC'));
  s.updates = [];
  s.cs.handle('UpdateFirmware', ({ params }) => {
    s.updates.push(params);
    setTimeout(async () => {
      try {
        await s.call('FirmwareStatusNotification', { status: 'Downloading', requestId: params.requestId });
        const got = await download(params.firmware.location);
        downloads.push([s.identity, got.status, sha256(got.body)]);
        await s.call('FirmwareStatusNotification', { status: 'Downloaded', requestId: params.requestId });
        await s.call('FirmwareStatusNotification', { status: 'Installing', requestId: params.requestId });
        await s.call('FirmwareStatusNotification', { status: outcome, requestId: params.requestId });
      } catch (e) { s.error = e; }
    }, 50);
    return { status: 'Accepted' };
  });
  await s.connect();
  await s.booted();
  t.after(() => s.close());
  return s;
}


const campaign = async (cid) => (await api('GET', `/firmware/campaigns/${cid}`)).body;
const campaignStations = async (cid) => (await api('GET', `/firmware/campaigns/${cid}/stations`)).body.items;

test('a campaign pauses itself when its canary stations fail, and runs the rest once resumed', async (t) => {
  const bytes = crypto.randomBytes(200 * 1024);
  const up = await upload(bytes, { file_name: 'acme-4.0.0.bin', vendor: 'Acme', version: '4.0.0', models: 'Model-2X' });
  assert.equal(up.status, 201, up.text);
  const downloads = [];
  // Station ids sort in creation order: the first two are the canary (50 % of four).
  const failing = [await campaignStation(t, 'InstallationFailed', downloads), await campaignStation(t, 'InstallationFailed', downloads)];
  const healthy = [await campaignStation(t, 'Installed', downloads), await campaignStation(t, 'Installed', downloads)];
  const all = [...failing, ...healthy];
  const created = await api('POST', '/firmware/campaigns', { name: 'Acme 4.0.0', file_id: up.body.id,
    filter: { vendor: 'Acme', model: 'Model-2X', version: '2.0.1-rc', stations: all.map((s) => s.identity) },
    canary_percent: 50, max_concurrent: 10, failure_threshold_percent: 30 });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.state, 'draft');
  const cid = created.body.id;
  const started = await api('POST', `/firmware/campaigns/${cid}/start`);
  assert.equal(started.status, 200, started.text);
  assert.equal(started.body.progress.total, 4);
  assert.equal(started.body.progress.canary, 2);

  // The first canary failure already passes the threshold; the second canary, still updating
  // then, is followed to its end while the campaign is paused.
  const paused = await until('the campaign to pause with both canaries failed', async () => {
    const c = await campaign(cid);
    return c.state === 'paused' && c.progress.failed === 2 && c;
  });
  assert.match(paused.pause_reason, /^failure rate \d+ % \([12] of 2 stations\) above the threshold of 30 %$/);
  assert.deepEqual([paused.progress.failed, paused.progress.pending], [2, 2]);
  for (const s of failing) assert.equal(s.updates.length, 1);
  for (const s of healthy) assert.equal(s.updates.length, 0, 'no UpdateFirmware beyond the canary');
  const rows = await campaignStations(cid);
  assert.deepEqual(rows.map((r) => [r.station_id, r.canary, r.state, r.firmware_status]), [
    [failing[0].identity, true, 'failed', 'InstallationFailed'], [failing[1].identity, true, 'failed', 'InstallationFailed'],
    [healthy[0].identity, false, 'pending', null], [healthy[1].identity, false, 'pending', null]]);
  // The request each canary got: the file's URL, the command's id as requestId.
  const req = failing[0].updates[0];
  assert.equal(req.firmware.location, up.body.url);
  assert.equal(req.requestId, rows[0].command_id);
  await new Promise((r) => setTimeout(r, 1500)); // a tick or more: still paused, nobody else started
  assert.equal((await campaign(cid)).state, 'paused');
  for (const s of healthy) assert.equal(s.updates.length, 0);

  // The operator looked at it and resumes: the other stations are updated.
  const resumed = await api('POST', `/firmware/campaigns/${cid}/resume`);
  assert.equal(resumed.status, 200, resumed.text);
  const done = await until('the campaign to complete', async () => { const c = await campaign(cid); return c.state === 'completed' && c; });
  assert.deepEqual([done.progress.succeeded, done.progress.failed], [2, 2]);
  assert.ok(done.finished_at);
  for (const s of healthy) assert.equal(s.updates.length, 1);
  for (const s of all) assert.equal(s.error, undefined);
  assert.equal(downloads.length, 4);
  for (const [, status, hash] of downloads) assert.deepEqual([status, hash], [200, sha256(bytes)], 'each station downloaded the file');
  const again = await api('POST', `/firmware/campaigns/${cid}/resume`);
  assert.equal(again.status, 409, 'a completed campaign cannot be resumed');
  assert.equal((await api('DELETE', `/firmware/files/${up.body.id}`)).status, 204, 'a finished campaign holds no file');
});

test('a cancelled campaign skips the stations it has not started', async (t) => {
  const up = await upload(crypto.randomBytes(1024), { file_name: 'acme-5.0.0.bin', vendor: 'Acme', version: '5.0.0' });
  const downloads = [];
  // The first station never finishes (no final status): it holds the one slot.
  const stuck = await campaignStation(t, 'Installing', downloads);
  const waiting = await campaignStation(t, 'Installed', downloads);
  const created = await api('POST', '/firmware/campaigns', { name: 'Acme 5', file_id: up.body.id,
    filter: { stations: [stuck.identity, waiting.identity] }, canary_percent: 0, max_concurrent: 1, failure_threshold_percent: 50 });
  assert.equal(created.status, 201, created.text);
  const cid = created.body.id;
  assert.equal((await api('POST', `/firmware/campaigns/${cid}/start`)).status, 200);
  await until('the first station to update', async () => (await campaignStations(cid))[0].state === 'updating');
  assert.equal((await api('DELETE', `/firmware/files/${up.body.id}`)).status, 409, 'the running campaign uses the file');
  const cancelled = await api('POST', `/firmware/campaigns/${cid}/cancel`);
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.state, 'cancelled');
  assert.deepEqual((await campaignStations(cid)).map((r) => r.state), ['updating', 'skipped']);
  assert.equal(waiting.updates.length, 0);
  assert.equal((await api('POST', `/firmware/campaigns/${cid}/start`)).status, 409);
  const bad = await api('POST', '/firmware/campaigns', { name: 'x', file_id: up.body.id, canary_percent: 101 });
  assert.equal(bad.status, 422);
  const none = await api('POST', '/firmware/campaigns', { name: 'x', file_id: up.body.id, filter: { vendor: 'Nobody' } });
  assert.equal((await api('POST', `/firmware/campaigns/${none.body.id}/start`)).status, 422, 'no station matches');
});
