// Maintenance tickets (docs/operations.md "Maintenance tickets"): opened by hand, notes, the
// status flow, SLA and overdue, filters and paging, a driver's problem report and an inspection
// schedule falling due opening tickets, ticket.changed on the event stream.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer } = require('./harness');

let server;
let token;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

before(async () => {
  server = await startServer({ config: `
[maintenance]
sla_urgent = "1s"
sla_high = "1h"
inspection_check_s = 1
` });
  token = await server.adminToken();
  assert.equal((await api('POST', '/stations', { id: 'MT-1' })).status, 201);
  assert.equal((await api('POST', '/stations', { id: 'MT-2' })).status, 201);
});

after(async () => { await server.stop(); });

// Collects the SSE stream's ticket.changed events.
function watchTickets() {
  const events = [];
  const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/v1/events',
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
    let buf = '';
    res.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /event: (.*)/.exec(block);
        const data = /data: (.*)/.exec(block);
        // Each message's data is {type, station_id, at, data} (docs/api.md "Live events").
        if (ev && ev[1] === 'ticket.changed' && data) events.push(JSON.parse(data[1]));
      }
    });
  });
  req.on('error', () => {});
  return { events, close: () => req.destroy() };
}

test('a ticket by hand: notes, assignment, status flow to closed; then it changes no more', async () => {
  const stream = watchTickets();
  await sleep(200);
  const created = await api('POST', '/tickets', { station_id: 'MT-1', evse_id: 1, connector_id: 2, title: 'Cable cut',
    priority: 'high', note: 'seen by the night guard' });
  assert.equal(created.status, 201, created.text);
  const t = created.body;
  assert.equal(t.source, 'manual');
  assert.equal(t.status, 'open');
  assert.equal(t.created_by, 'user:harness-admin');
  assert.equal(Date.parse(t.due_at) - Date.parse(t.created_at), 3600 * 1000, 'the high SLA: 1 h');
  assert.deepEqual(t.notes.map((n) => n.text), ['seen by the night guard']);

  const note = await api('POST', `/tickets/${t.id}/notes`, { text: 'parts ordered' });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.body.author, 'user:harness-admin');
  let res = await api('PATCH', `/tickets/${t.id}`, { assignee: 'tech-7', status: 'in_progress' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.assignee, 'tech-7');
  res = await api('PATCH', `/tickets/${t.id}`, { status: 'resolved' });
  assert.equal(res.body.status, 'resolved');
  assert.ok(res.body.resolved_at);
  res = await api('PATCH', `/tickets/${t.id}`, { status: 'closed' });
  assert.equal(res.status, 200);
  res = await api('PATCH', `/tickets/${t.id}`, { status: 'open' });
  assert.equal(res.status, 409, 'a closed ticket changes no more');
  const full = (await api('GET', `/tickets/${t.id}`)).body;
  assert.deepEqual(full.notes.map((n) => n.text), ['seen by the night guard', 'parts ordered', 'assigned to tech-7',
    'status: open -> in_progress', 'status: in_progress -> resolved', 'status: resolved -> closed']);
  await sleep(300);
  assert.deepEqual(stream.events.filter((e) => e.data.ticket_id === t.id).map((e) => e.data.status),
    ['open', 'in_progress', 'resolved', 'closed'], 'ticket.changed on the live stream');
  stream.close();
});

test('bad input is refused with the field named; unknown tickets are 404', async () => {
  for (const [body, field] of [
    [{ station_id: 'MT-1' }, 'title'],
    [{ station_id: 'NOPE', title: 'x' }, 'station_id'],
    [{ station_id: 'MT-1', title: 'x', priority: 'asap' }, 'priority'],
    [{ station_id: 'MT-1', title: 'x', evse_id: -1 }, 'evse_id'],
    [{ station_id: 'MT-1', title: 'x', colour: 'red' }, 'colour'],
    [{ station_id: 'MT-1', title: 'x'.repeat(201) }, 'title'],
  ]) {
    const res = await api('POST', '/tickets', body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    assert.match(res.text, new RegExp(field));
  }
  assert.equal((await api('GET', '/tickets/999999')).status, 404);
  assert.equal((await api('PATCH', '/tickets/999999', { status: 'open' })).status, 404);
  assert.equal((await api('POST', '/tickets/999999/notes', { text: 'x' })).status, 404);
  assert.equal((await api('GET', '/tickets?status=done')).status, 400);
});

test('overdue: an urgent ticket past its SLA is listed as overdue until resolved', async () => {
  const urgent = (await api('POST', '/tickets', { station_id: 'MT-2', title: 'Display dark', priority: 'urgent' })).body;
  assert.equal(urgent.overdue, false);
  await sleep(1300);
  let list = await api('GET', '/tickets?overdue=true');
  assert.deepEqual(list.body.items.map((t) => t.id), [urgent.id]);
  assert.equal(list.body.items[0].overdue, true);
  await api('PATCH', `/tickets/${urgent.id}`, { status: 'resolved' });
  list = await api('GET', '/tickets?overdue=true');
  assert.equal(list.body.total, 0);
});

test('a driver problem report opens a ticket (source problem_report)', async () => {
  // The portal's public report needs an EVSE of a published location; OCPI coordinates carry
  // 5 to 7 decimals (docs/locations.md).
  const loc = await api('POST', '/locations', { id: 'MT-LOC', name: 'Maintenance depot', address: 'Street 1',
    city: 'Berlin', postal_code: '10115', country: 'DEU', coordinates: { latitude: '52.5200080', longitude: '13.4049540' },
    time_zone: 'Europe/Berlin', publish: true });
  assert.equal(loc.status, 201, loc.text);
  assert.equal((await api('PUT', '/stations/MT-2/location', { location_id: 'MT-LOC' })).status, 200);
  const evse = await api('POST', '/stations/MT-2/evses', { evse_id: 1, connectors: [{ connector_id: 1, standard: 'IEC_62196_T2',
    format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, max_electric_power: 22000 }] });
  assert.equal(evse.status, 201, evse.text);
  const report = await server.request('POST', '/api/v1/drive/reports', { body: { evse_uid: String(evse.body.uid),
    category: 'not_working', text: 'screen says out of order' } });
  assert.equal(report.status, 201, report.text);
  const list = await (async () => {
    for (let i = 0; i < 50; i++) {
      const l = await api('GET', '/tickets?source=problem_report');
      if (l.body.total > 0) return l;
      await sleep(100);
    }
    return api('GET', '/tickets?source=problem_report');
  })();
  assert.equal(list.body.total, 1);
  const t = list.body.items[0];
  assert.equal(t.station_id, 'MT-2');
  assert.equal(t.evse_id, 1);
  assert.equal(t.priority, 'high');
  assert.equal(t.report_id, report.body.id);
});

test('an inspection schedule falling due opens a ticket per station of its location and moves on', async () => {
  const past = new Date(Date.now() - 60000).toISOString();
  const created = await api('POST', '/inspections', { location_id: 'MT-LOC', title: 'Monthly check', every: 1,
    unit: 'month', priority: 'low', next_due: past });
  assert.equal(created.status, 201, created.text);
  assert.equal((await api('POST', '/inspections', { location_id: 'NOPE', title: 'x', unit: 'day' })).status, 422);
  assert.equal((await api('POST', '/inspections', { location_id: 'MT-LOC', title: 'x', unit: 'year' })).status, 422);
  let list;
  for (let i = 0; i < 50; i++) {
    list = await api('GET', '/tickets?source=inspection');
    if (list.body.total > 0) break;
    await sleep(100);
  }
  assert.equal(list.body.total, 1, 'one station at the location');
  assert.equal(list.body.items[0].station_id, 'MT-2');
  assert.equal(list.body.items[0].title, 'Inspection: Monthly check');
  assert.equal(list.body.items[0].schedule_id, created.body.id);
  const after = (await api('GET', `/inspections/${created.body.id}`)).body;
  assert.ok(Date.parse(after.next_due) > Date.now(), 'next due in a month');
  await sleep(1500);
  assert.equal((await api('GET', '/tickets?source=inspection')).body.total, 1, 'not opened twice');
  const page = await api('GET', '/tickets?location=MT-LOC&limit=1');
  assert.equal(page.body.items.length, 1);
  assert.ok(page.body.total >= 2);
  assert.equal(page.body.next_offset, 1);
  assert.equal((await api('DELETE', `/inspections/${created.body.id}`)).status, 204);
});
