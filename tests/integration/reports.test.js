// Reports and analytics (docs/operations.md "Reports") against the real binary: strict ocpp-rpc
// 1.6 stations run sessions with their own clock around the spring-forward night of
// Europe/Berlin (28/29 March 2026); the reports (utilisation by local hour and weekday,
// sessions and energy per day, success and failure reasons, peak load) answer the exact
// numbers, as JSON and as CSV; a rebuild (API and CLI) and a restart give the same answers;
// roles and bad input.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

let server;
let token;
const api = (method, path, body, t = token, headers = {}) =>
  server.request(method, `/api/v1${path}`, { token: t, body, headers });
const range = 'from=2026-03-28&to=2026-03-29&location=REP-BER';

// RFC 4180 as the reports write it (no field here needs quoting, but quoted fields parse too).
function parseCsv(text) {
  assert.ok(text.endsWith('\r\n'), 'CSV lines end with CRLF');
  const rows = [];
  for (const line of text.slice(0, -2).split('\r\n')) {
    const fields = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { v += '"'; i += 2; } else if (line[i] === '"') { i++; break; } else v += line[i++];
        }
        fields.push(v);
        i++;
      } else {
        const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
        fields.push(line.slice(i, end));
        i = end + 1;
      }
    }
    rows.push(fields);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

async function get(path, t = token) {
  const res = await api('GET', path, undefined, t);
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  return res.body;
}

// Every report of the range, to compare before and after a rebuild or a restart.
async function everything() {
  return {
    days: await get(`/reports/sessions?${range}&period=day`),
    weeks: await get(`/reports/sessions?${range}&period=week`),
    success: await get(`/reports/success?${range}`),
    locations: await get(`/reports/utilisation?${range}`),
    evses: await get(`/reports/utilisation?${range}&group_by=evse`),
    peak: await get(`/reports/peak-load?${range}`),
  };
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
  const loc = await api('POST', '/locations', {
    id: 'REP-BER', name: 'Reports Berlin', address: 'Alexanderplatz 1', city: 'Berlin', postal_code: '10178',
    country: 'DEU', coordinates: { latitude: '52.521918', longitude: '13.413215' }, time_zone: 'Europe/Berlin',
  });
  assert.equal(loc.status, 201, loc.text);
  server.admin('station', 'add', 'REP-A');
  assert.equal((await api('PUT', '/stations/REP-A/location', { location_id: 'REP-BER' })).status, 200);
  server.admin('token', 'add', 'REP-TAG');

  const cs = server.client('REP-A');
  await cs.connect();
  try {
    await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'R1' });
    const session = async (connectorId, idTag, start, stop, meterStart, meterStop, reason, readings = []) => {
      const started = await cs.call('StartTransaction', { connectorId, idTag, meterStart, timestamp: start });
      for (const [at, wh] of readings)
        await cs.call('MeterValues', { connectorId, transactionId: started.transactionId, meterValue: [{ timestamp: at,
          sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
      await cs.call('StopTransaction', { transactionId: started.transactionId, meterStop, timestamp: stop, reason });
      return started.idTagInfo.status;
    };
    // S1: Saturday 22:30 CET to Sunday 00:45 CET, 3000 Wh, no readings: 2000 Wh on Saturday.
    assert.equal(await session(1, 'REP-TAG', '2026-03-28T21:30:00Z', '2026-03-28T23:45:00Z', 1000, 4000, 'Local'), 'Accepted');
    // S2: 01:30 CET to 03:30 CEST (one real hour across the skipped hour), unplugged without energy.
    await session(1, 'REP-TAG', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z', 4000, 4000, 'EVDisconnected');
    // S3: an unknown tag: its start is refused; the station stops it a minute later.
    assert.equal(await session(2, 'REP-NOBODY', '2026-03-29T08:00:00Z', '2026-03-29T08:01:00Z', 0, 0, 'DeAuthorized'), 'Invalid');
    // S4: 12:00 to 13:00 CEST, 2000 Wh all in the first half hour (the register says so).
    await session(2, 'REP-TAG', '2026-03-29T10:00:00Z', '2026-03-29T11:00:00Z', 0, 2000, 'Local',
      [['2026-03-29T10:30:00Z', 2000]]);
  } finally {
    await cs.close();
  }
  // The roll-ups follow each stop in their own unit of work.
  for (let i = 0; i < 50; i++) {
    const s = await get(`/reports/success?${range}`);
    if (s.totals.sessions === 4) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
after(() => server.stop());

test('sessions and energy per local day and week', async () => {
  const days = await get(`/reports/sessions?${range}&period=day`);
  assert.equal(days.period, 'day');
  assert.equal(days.from, '2026-03-28');
  assert.equal(days.to, '2026-03-29');
  assert.equal(days.total, 2);
  const [sat, sun] = days.items;
  assert.equal(sat.period_start, '2026-03-28');
  assert.equal(sat.sessions, 1);
  assert.equal(sat.successful, 1);
  assert.equal(sat.energy_wh, 2000, 'S1 split by time: 90 of its 135 minutes on Saturday');
  assert.equal(sun.period_start, '2026-03-29');
  assert.equal(sun.sessions, 3);
  assert.equal(sun.successful, 1);
  assert.equal(sun.failed, 2);
  assert.equal(sun.energy_wh, 3000);
  assert.equal(days.totals.energy_wh, 5000);
  const weeks = await get(`/reports/sessions?${range}&period=week`);
  assert.equal(weeks.items.length, 1);
  assert.equal(weeks.items[0].period_start, '2026-03-23', 'a week starts on Monday');
  assert.equal(weeks.items[0].sessions, 4);
});

test('success rate and failure reasons', async () => {
  const s = await get(`/reports/success?${range}`);
  assert.equal(s.totals.sessions, 4);
  assert.equal(s.totals.successful, 2);
  assert.equal(s.totals.failed, 2);
  assert.equal(s.totals.success_rate, 0.5);
  assert.deepEqual(s.totals.failures, { StartRejected: 1, Fault: 0, Reset: 0, EVDisconnectedBeforeEnergy: 1,
    TimeoutBeforeEnergy: 0, NoEnergy: 0 });
  assert.equal(s.items.length, 1);
  assert.equal(s.items[0].location_id, 'REP-BER');
});

test('utilisation by local hour and weekday, the skipped hour included', async () => {
  const u = await get(`/reports/utilisation?${range}`);
  assert.equal(u.items.length, 1);
  const loc = u.items[0];
  assert.equal(loc.evses, 2);
  const hour = (h) => loc.by_hour[h];
  // Two EVSEs over Saturday (24 h) and Sunday (23 h: 02:00 does not exist).
  assert.equal(hour(0).available_s, 4 * 3600);
  assert.equal(hour(2).available_s, 2 * 3600);
  assert.equal(hour(2).occupied_s, 0);
  assert.equal(hour(0).occupied_s, 45 * 60);
  assert.equal(hour(0).occupied_share, 0.1875);
  assert.equal(hour(1).occupied_s, 30 * 60);
  assert.equal(hour(3).occupied_s, 30 * 60);
  assert.equal(hour(10).occupied_s, 60);
  assert.equal(hour(12).occupied_s, 3600);
  assert.equal(hour(12).charging_s, 1800, 'the register stood still in the second half hour');
  assert.equal(hour(22).occupied_s, 1800);
  assert.equal(hour(23).occupied_s, 3600);
  assert.equal(loc.occupied_s, 5400 + 9960);
  assert.equal(loc.available_s, 2 * 47 * 3600);
  assert.equal(loc.by_weekday[5].weekday, 6);
  assert.equal(loc.by_weekday[5].occupied_s, 5400);
  assert.equal(loc.by_weekday[5].available_s, 2 * 24 * 3600);
  assert.equal(loc.by_weekday[6].occupied_s, 9960);
  assert.equal(loc.by_weekday[6].available_s, 2 * 23 * 3600);
  const e = await get(`/reports/utilisation?${range}&group_by=evse&limit=1`);
  assert.equal(e.total, 2);
  assert.equal(e.items.length, 1);
  assert.equal(e.next_offset, 1);
  assert.equal(e.items[0].station_id, 'REP-A');
  assert.equal(e.items[0].evse_id, 1);
  assert.equal(e.items[0].occupied_s, 135 * 60 + 60 * 60);
});

test('peak load from 15-minute energy', async () => {
  const p = await get(`/reports/peak-load?${range}`);
  assert.equal(p.items.length, 1);
  assert.equal(p.items[0].location_id, 'REP-BER');
  assert.equal(p.items[0].time_zone, 'Europe/Berlin');
  assert.equal(p.items[0].energy_wh, 1000);
  assert.equal(p.items[0].peak_w, 4000);
  assert.equal(Date.parse(p.items[0].quarter_start), Date.parse('2026-03-29T10:00:00Z'));
  assert.equal(p.method, '15-minute energy');
});

test('CSV by ?format=csv and by Accept', async () => {
  const byQuery = await api('GET', `/reports/sessions?${range}&format=csv`);
  assert.equal(byQuery.status, 200);
  assert.match(byQuery.headers['content-type'], /^text\/csv/);
  assert.deepEqual(parseCsv(byQuery.text), [
    { period_start: '2026-03-28', sessions: '1', successful: '1', failed: '0', energy_wh: '2000' },
    { period_start: '2026-03-29', sessions: '3', successful: '1', failed: '2', energy_wh: '3000' },
  ]);
  const byAccept = await api('GET', `/reports/utilisation?${range}`, undefined, token, { Accept: 'text/csv' });
  assert.equal(byAccept.status, 200);
  const rows = parseCsv(byAccept.text);
  assert.equal(rows.length, 24 + 7);
  const h0 = rows.find((r) => r.dimension === 'hour' && r.bucket === '0');
  assert.deepEqual(h0, { location_id: 'REP-BER', station_id: '', evse_id: '', dimension: 'hour', bucket: '0',
    occupied_s: '2700', charging_s: '2700', available_s: '14400', occupied_share: '0.1875' });
  const success = parseCsv((await api('GET', `/reports/success?${range}&format=csv`)).text);
  assert.equal(success[0].StartRejected, '1');
  assert.equal(success[0].success_rate, '0.5000');
  const peak = parseCsv((await api('GET', `/reports/peak-load?${range}&format=csv`)).text);
  assert.equal(peak[0].peak_w, '4000');
});

test('a rebuild (API and CLI) and a restart answer the same numbers', async () => {
  const before = await everything();
  const all = await api('POST', '/reports/rebuild', {});
  assert.equal(all.status, 200, all.text);
  assert.equal(all.body.sessions, 4);
  assert.deepEqual(await everything(), before);
  const some = await api('POST', '/reports/rebuild', { from: '2026-03-29', to: '2026-03-29' });
  assert.equal(some.status, 200, some.text);
  assert.deepEqual(await everything(), before);
  assert.match(server.admin('reports', 'rebuild', '--from', '2026-03-28', '--to', '2026-03-28'), /sessions rolled up again/);
  assert.deepEqual(await everything(), before);
  await server.stop();
  await server.start();
  server.token = undefined;
  token = await server.adminToken();
  assert.deepEqual(await everything(), before, 'a restart rolls nothing up twice');
});

test('roles and bad input', async () => {
  server.admin('user', 'add', 'rep-viewer', '--role', 'viewer', '--password', 'viewer password 1');
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'rep-viewer', password: 'viewer password 1' } });
  const viewer = login.body.token;
  assert.equal((await api('GET', `/reports/success?${range}`, undefined, viewer)).status, 200, 'a viewer reads reports');
  assert.equal((await api('POST', '/reports/rebuild', {}, viewer)).status, 403, 'a viewer cannot rebuild');
  assert.equal((await api('GET', `/reports/success?${range}`, undefined, null)).status, 401);
  for (const [query, field] of [['from=2026-02-30', 'from'], ['to=tomorrow', 'to'], ['from=2026-03-02&to=2026-03-01', 'from'],
    ['from=2000-01-01&to=2026-01-01', 'from'], ['location=bad%20id', 'location'], ['format=xml', 'format']]) {
    const res = await api('GET', `/reports/sessions?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.match(res.headers['content-type'], /problem\+json/);
    assert.ok(res.text.includes(field), `${query} names ${field}: ${res.text}`);
  }
  assert.equal((await api('GET', '/reports/sessions?period=year')).status, 400);
  assert.equal((await api('POST', '/reports/rebuild', { from: 'x' })).status, 422);
  assert.throws(() => server.admin('reports', 'rebuild', '--from', '2026-13-01'), /--from must be a date/);
});
