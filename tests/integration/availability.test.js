// Availability and uptime against the real binary (docs/operations.md "Availability and uptime"):
// strict OCPP 2.0.1 stations that disconnect and that fall silent, station.offline/online on the
// live event stream, the outages recorded, an operator's exclusion, the NEVI uptime figures
// recomputed here from the outages, and the CSV exports.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let admin;
let viewer;
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

async function login(name, role) {
  server.admin('user', 'add', name, '--role', role, '--password', 'availability password');
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username: name, password: 'availability password' } });
  assert.equal(res.status, 200, res.text);
  return res.body.token;
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

// What the server must answer, computed here from the outages it lists: exact minutes (as the
// server writes them: at most two decimals, no trailing zeros) and the percentage rounded down.
function minutes(ms) {
  const hundredths = (BigInt(ms) * 100n + 30000n) / 60000n; // half up, ms >= 0
  const whole = hundredths / 100n;
  let frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}
function percent(periodMs, countedMs) {
  const h = ((BigInt(periodMs) - BigInt(countedMs)) * 10000n) / BigInt(periodMs);
  return `${h / 100n}.${(h % 100n).toString().padStart(2, '0')}`;
}
function overlap(o, from, to) {
  const start = Math.max(Date.parse(o.started_at), from);
  const end = Math.min(o.ended_at ? Date.parse(o.ended_at) : to, to);
  return Math.max(0, end - start);
}

before(async () => {
  server = await startServer({
    config: '[ocpp]\nheartbeat_interval_s = 1\nrequest_base_report = false\n' +
      '[availability]\noffline_after_heartbeats = 2\ndisconnect_grace_s = 0\n',
  });
  admin = await server.adminToken();
  viewer = await login('av-viewer', 'viewer');
  const loc = await api('POST', '/locations', { body: { id: LOC, name: 'Availability depot', time_zone: 'Europe/Berlin' } });
  assert.equal(loc.status, 201, loc.text);
});
after(async () => {
  clearInterval(beating);
  if (returned) await returned.cs.close().catch(() => {});
  await server.stop();
});

test('a station that disconnects is offline at once and online when it is back; each port gets an outage', async (t) => {
  const stream = events(admin);
  await stream.ready;
  t.after(() => stream.close());
  const s = await station('AV-DISC');
  await s.cs.close();
  const off = await stream.until((e) => e.type === 'station.offline' && e.station_id === 'AV-DISC');
  assert.equal(off.data.reason, 'disconnected');
  assert.ok(off.data.last_seen, 'the last message is told');

  // The outage is open while it is away.
  let open;
  for (let i = 0; i < 50; i++) {
    open = await api('GET', '/outages?station=AV-DISC&open=true');
    if (open.body.total === 2) break;
    await sleep(100);
  }
  assert.equal(open.status, 200);
  assert.equal(open.body.total, 2);
  assert.deepEqual(open.body.items.map((o) => o.evse_id).sort(), [1, 2]);
  for (const o of open.body.items) {
    assert.equal(o.cause, 'offline');
    assert.equal(o.detail, 'disconnected');
    assert.equal(o.started_at, off.at);
    assert.equal(o.ended_at, null);
    assert.equal(o.open, true);
  }

  await sleep(300);
  returned = new Station2(server, 'AV-DISC', 'ocpp2.0.1', { pingIntervalMs: 0 });
  await returned.connect();
  beating = setInterval(() => returned.call('Heartbeat', {}).catch(() => {}), 400);
  const on = await stream.until((e) => e.type === 'station.online' && e.station_id === 'AV-DISC');
  assert.equal(on.data.offline_since, off.at);
  let ended;
  for (let i = 0; i < 50; i++) {
    ended = await api('GET', '/outages?station=AV-DISC&open=false');
    if (ended.body.total === 2) break;
    await sleep(100);
  }
  assert.equal(ended.body.total, 2);
  for (const o of ended.body.items) assert.equal(o.ended_at, on.at);

  // The timeline: available, offline, available again.
  const timeline = await api('GET', '/stations/AV-DISC/timeline?evse=1');
  assert.equal(timeline.status, 200);
  assert.deepEqual(timeline.body.items.map((s) => s.state), ['available', 'offline', 'available']);
  assert.equal(timeline.body.items[2].until, null);
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
  let outages;
  for (let i = 0; i < 50; i++) {
    outages = await api('GET', '/outages?station=AV-SILENT');
    if (outages.body.items.every((o) => o.ended_at)) break;
    await sleep(100);
  }
  assert.equal(outages.body.total, 2);
  for (const o of outages.body.items) {
    assert.equal(o.detail, 'silent');
    assert.equal(o.started_at, off.at);
    assert.equal(o.ended_at, on.at);
  }
});

test('an operator excludes an outage with a reason and a justification; uptime counts it out; CSV is served', async () => {
  const list = await api('GET', '/outages?station=AV-DISC&evse=1');
  assert.equal(list.body.total, 1);
  const outage = list.body.items[0];
  const path = `/outages/${outage.id}`;

  // Refusals: a viewer, no justification, an unknown reason, an unknown outage, an unknown member.
  assert.equal((await api('PATCH', path, { token: viewer, body: { excluded: true, reason: 'grid_outage', justification: 'x' } })).status, 403);
  const bare = await api('PATCH', path, { body: { excluded: true, reason: 'grid_outage' } });
  assert.equal(bare.status, 422);
  assert.match(bare.text, /justification/);
  assert.equal((await api('PATCH', path, { body: { excluded: true, reason: 'bad_luck', justification: 'x' } })).status, 422);
  assert.equal((await api('PATCH', '/outages/999999', { body: { excluded: false } })).status, 404);
  assert.equal((await api('PATCH', path, { body: { excluded: false, colour: 'red' } })).status, 422);

  const ok = await api('PATCH', path, { body: { excluded: true, reason: 'grid_outage', justification: 'Feeder fault at the utility, ref. 4711' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.excluded, true);
  assert.equal(ok.body.exclusion.reason, 'grid_outage');
  assert.equal(ok.body.exclusion.by, 'user:harness-admin');
  const audit = await api('GET', '/audit?action=outage.excluded');
  assert.equal(audit.status, 200);
  assert.ok(audit.body.items.some((a) => a.target === `outage:${outage.id}` && /grid_outage: Feeder fault/.test(a.detail)),
    JSON.stringify(audit.body.items));
  assert.equal((await api('GET', '/outages?excluded=true')).body.total, 1);

  // Uptime over a closed window that holds the outages: recomputed here from the listed outages.
  const all = (await api('GET', '/outages?station=AV-DISC')).body.items;
  const from = Date.parse(all.reduce((a, o) => (o.started_at < a ? o.started_at : a), all[0].started_at)) - 60000;
  const to = Date.now() + 1; // nothing after now counts anyway: "to" stays in the past for the check below
  await sleep(5);
  const fromIso = new Date(from).toISOString();
  const toIso = new Date(to).toISOString();
  const up = await api('GET', `/stations/AV-DISC/uptime?from=${fromIso}&to=${toIso}`);
  assert.equal(up.status, 200, up.text);
  assert.equal(up.body.total, 2);
  let period = 0; let outageMs = 0; let excludedMs = 0;
  for (const port of up.body.items) {
    const mine = all.filter((o) => o.evse_id === port.evse_id);
    const o = mine.reduce((a, x) => a + overlap(x, from, to), 0);
    const x = mine.filter((m) => m.excluded).reduce((a, m) => a + overlap(m, from, to), 0);
    assert.equal(port.period_minutes, minutes(to - from));
    assert.equal(port.outage_minutes, minutes(o));
    assert.equal(port.excluded_minutes, minutes(x));
    assert.equal(port.uptime_percent, percent(to - from, o - x));
    assert.equal(port.zone, 'UTC');
    period += to - from; outageMs += o; excludedMs += x;
  }
  assert.ok(outageMs > 0 && excludedMs > 0);
  assert.equal(up.body.summary.ports, 2);
  assert.equal(up.body.summary.uptime_percent, percent(period, outageMs - excludedMs));
  const port1 = up.body.items.find((p) => p.evse_id === 1);
  const port2 = up.body.items.find((p) => p.evse_id === 2);
  assert.equal(port1.counted_outage_minutes, '0', 'the excluded outage does not count');
  assert.notEqual(port2.counted_outage_minutes, '0');

  // A month in the location's zone, and the refusals of a period that is not one.
  const month = new Date().toISOString().slice(0, 7);
  const monthly = await api('GET', `/locations/${LOC}/uptime?month=${month}`);
  assert.equal(monthly.status, 200);
  assert.equal(monthly.body.month, month);
  assert.ok(monthly.body.items.every((p) => p.zone === 'Europe/Berlin' && p.location_id === LOC));
  assert.equal((await api('GET', `/stations/AV-DISC/uptime?month=2026-13`)).status, 400);
  assert.equal((await api('GET', `/stations/AV-DISC/uptime`)).status, 400);
  assert.equal((await api('GET', `/stations/NOPE/uptime?month=${month}`)).status, 404);
  assert.equal((await api('GET', `/reports/uptime?month=${month}`, { token: viewer })).status, 200);

  // CSV: the outages, and the monthly report with its port, station, location and total rows.
  const csv = await server.request('GET', '/api/v1/outages.csv?station=AV-DISC', { token: viewer });
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines[0], 'id,station_id,evse_id,cause,detail,started_at,ended_at,duration_minutes,excluded,' +
    'exclusion_reason,justification,classified_by,classified_at');
  assert.equal(lines.length, 1 + all.length);
  assert.ok(lines.some((l) => l.startsWith(`${outage.id},AV-DISC,1,offline,disconnected,`) && l.includes(',true,grid_outage,')));
  const report = await server.request('GET', `/api/v1/reports/uptime.csv?month=${month}&location=${LOC}`, { token: viewer });
  assert.equal(report.status, 200);
  assert.match(report.headers['content-type'], /^text\/csv/);
  const rows = report.text.trim().split('\r\n').map((l) => l.split(','));
  assert.equal(rows[0][0], 'scope');
  const scopes = rows.slice(1).map((r) => r[0]);
  assert.equal(scopes.filter((s) => s === 'port').length, monthly.body.total);
  assert.deepEqual(scopes.filter((s) => s !== 'port'), ['station', 'station', 'location', 'total']);
  const total = rows[rows.length - 1];
  // The month is not over: both count up to their own "now", a few milliseconds apart.
  assert.ok(Math.abs(Number(total[total.length - 1]) - Number(monthly.body.summary.uptime_percent)) <= 0.01,
    `${total[total.length - 1]} vs ${monthly.body.summary.uptime_percent}`);
});
