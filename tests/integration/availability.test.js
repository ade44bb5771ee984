// Availability against the real binary (docs/operations.md "Availability and uptime"): strict
// OCPP 2.0.1 stations that disconnect and that fall silent, station.offline/online on the live
// event stream.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let admin;
let returned; // AV-DISC once back: kept connected and heard (a heartbeat every 400 ms) until the end
let beating;
const LOC = 'AV-LOC';

const api = (method, path, { token = admin, body } = {}) => server.request(method, `/api/v1${path}`, { token, body });

// Collects the live event stream (SSE) until closed.
function events(token) {
  const received = [];
  const waiters = [];
  const req = http.request({ host: '127.0.0.1', port: server.port, path: '/api/v1/events',
    headers: { Authorization: `Bearer ${token}` } });
  const ready = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const line = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
          buf = buf.slice(i + 2);
          if (!line) continue;
          received.push(JSON.parse(line.slice(6)));
          for (const w of waiters.splice(0)) w();
        }
      });
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end();
  return {
    ready, received,
    async until(p, ms = 8000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = received.find(p);
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('event not seen: ' + JSON.stringify(received.map((e) => `${e.type} ${e.station_id}`)));
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, left); });
      }
    },
    close() { req.destroy(); },
  };
}

// A booted 2.0.1 station with two EVSEs reported Available.
async function station(id) {
  assert.equal((await api('POST', '/stations', { body: { id } })).status, 201);
  assert.equal((await api('PUT', `/stations/${id}/location`, { body: { location_id: LOC } })).status, 200);
  const s = new Station2(server, id, 'ocpp2.0.1', { pingIntervalMs: 0 });
  await s.connect();
  await s.boot();
  await s.status('Available', 1);
  await s.status('Available', 2);
  return s;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  server = await startServer({
    config: '[ocpp]\nheartbeat_interval_s = 1\nrequest_base_report = false\n' +
      '[availability]\noffline_after_heartbeats = 2\ndisconnect_grace_s = 0\n',
  });
  admin = await server.adminToken();
  const loc = await api('POST', '/locations', { body: { id: LOC, name: 'Availability depot', time_zone: 'Europe/Berlin' } });
  assert.equal(loc.status, 201, loc.text);
});
after(async () => {
  clearInterval(beating);
  if (returned) await returned.cs.close().catch(() => {});
  await server.stop();
});

test('a station that disconnects is offline at once and online when it is back', async (t) => {
  const stream = events(admin);
  await stream.ready;
  t.after(() => stream.close());
  const s = await station('AV-DISC');
  await s.cs.close();
  const off = await stream.until((e) => e.type === 'station.offline' && e.station_id === 'AV-DISC');
  assert.equal(off.data.reason, 'disconnected');
  assert.ok(off.data.last_seen, 'the last message is told');
  const gone = stream.received.find((e) => e.type === 'station.disconnected' && e.station_id === 'AV-DISC');
  assert.equal(off.at, gone.at, 'offline from the moment the connection ended (no grace)');

  await sleep(300);
  returned = new Station2(server, 'AV-DISC', 'ocpp2.0.1', { pingIntervalMs: 0 });
  await returned.connect();
  beating = setInterval(() => returned.call('Heartbeat', {}).catch(() => {}), 400);
  const on = await stream.until((e) => e.type === 'station.online' && e.station_id === 'AV-DISC');
  assert.equal(on.data.offline_since, off.at);
  // Heard every 400 ms: no further offline.
  await sleep(2500);
  assert.equal(stream.received.filter((e) => e.type === 'station.offline' && e.station_id === 'AV-DISC').length, 1);
});

test('a connected station that says nothing for two heartbeat intervals is offline (silent) until heard', async (t) => {
  const stream = events(admin);
  await stream.ready;
  t.after(() => stream.close());
  const s = await station('AV-SILENT');
  t.after(() => s.close());
  const heard = Date.now();
  const off = await stream.until((e) => e.type === 'station.offline' && e.station_id === 'AV-SILENT', 10000);
  assert.ok(Date.now() - heard >= 1800, 'not before two intervals of silence');
  assert.equal(off.data.reason, 'silent');
  // Offline from the first heartbeat it missed: one interval after it was last heard.
  assert.equal(Date.parse(off.at) - Date.parse(off.data.last_seen), 1000);
  assert.ok(!stream.received.some((e) => e.type === 'station.disconnected' && e.station_id === 'AV-SILENT'),
    'still connected');

  await s.call('Heartbeat', {});
  const on = await stream.until((e) => e.type === 'station.online' && e.station_id === 'AV-SILENT');
  assert.equal(on.data.offline_since, off.at);
  assert.ok(Date.parse(on.at) > Date.parse(off.at));
});
