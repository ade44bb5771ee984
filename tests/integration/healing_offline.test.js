// Self-healing of offline stations (docs/operations.md "Self-healing", the `offline` playbook)
// against strict ocpp-rpc stations: one that falls silent while connected has its connection
// closed (1012) and, once it connects again, is recovered without a ticket; one that goes away
// gets a ticket from the playbook, and a second outage while that ticket is open starts nothing.
// Timing shortened by [ocpp], [availability] and [healing].
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, until, sleep } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

before(async () => {
  server = await startServer({ config: `
[ocpp]
heartbeat_interval_s = 1
request_base_report = false
[availability]
offline_after_heartbeats = 2
disconnect_grace_s = 0
[healing]
enabled = true
offline_after_s = 0
step_wait_s = 8
backoff = 1
max_wait_s = 8
` });
  token = await server.adminToken();
});

after(async () => { await server.stop(); });

async function history(id) {
  const res = await api('GET', `/stations/${id}/healing?limit=100`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}
const actions = (h) => h.items.slice().reverse().map((r) => (r.step ? `${r.action} ${r.step}` : r.action));

test('a silent station (2.0.1) is reconnected: its connection closed with 1012, back online, recovered, no ticket', async () => {
  const id = 'HEAL-SILENT';
  const first = new Station2(server, id, 'ocpp2.0.1', { pingIntervalMs: 0 });
  await first.connect();
  await first.boot();
  const closed = new Promise((resolve) => first.cs.once('close', resolve));
  const silentFrom = Date.now();
  // Says nothing from here: offline (silent) after two heartbeat intervals, then the reconnect.
  const { code, reason } = await closed;
  assert.ok(Date.now() - silentFrom >= 1800, 'not before two intervals of silence');
  assert.equal(code, 1012, 'service restart: connect again');
  assert.match(String(reason), /connect again/);
  const h1 = await until('the reconnect line', async () => {
    const got = await history(id);
    return got.items.some((r) => r.step === 'reconnect') && got;
  });
  assert.deepEqual(actions(h1), ['started', 'sent reconnect']);
  assert.equal(h1.items[1].fault, 'offline');
  assert.match(h1.items[1].detail, /^Offline \(silent: last heard 20\d\d-/);
  assert.equal(h1.items[0].evse_id, 0);

  // The station connects again, as a station whose connection was closed does.
  const again = new Station2(server, id, 'ocpp2.0.1', { pingIntervalMs: 0 });
  await again.connect();
  await again.call('Heartbeat', {});
  const h2 = await until('recovered', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'recovered') && got;
  });
  assert.deepEqual(actions(h2), ['started', 'sent reconnect', 'recovered']);
  assert.match(h2.items[0].detail, /^Online after \d+ s and 1 step\(s\)$/);
  await sleep(9000); // past the step wait: nothing more
  assert.deepEqual(actions(await history(id)).slice(0, 3), ['started', 'sent reconnect', 'recovered']);
  assert.equal((await api('GET', `/tickets?station=${id}`)).body.total, 0, 'no ticket');
  const audit = await api('GET', `/audit?actor=healing&limit=100`);
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.body.items.some((a) => a.action === 'healing reconnect' && a.target === id), 'audited');
  await again.cs.close();
});

test('a station that goes away (1.6) gets a ticket at once; offline again while it is open: nothing new', async () => {
  const id = 'HEAL-GONE';
  const cs = server.client(id);
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  await cs.close();
  const h = await until('the ticket', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'ticket') && got;
  });
  assert.deepEqual(actions(h), ['started', 'skipped reconnect', 'ticket open_ticket']);
  assert.equal(h.items[2].detail, 'Offline (disconnected)');
  assert.match(h.items[1].detail, /not connected/);
  const tickets = await api('GET', `/tickets?station=${id}&source=playbook`);
  assert.equal(tickets.body.total, 1);
  const t = tickets.body.items[0];
  assert.equal(t.id, h.items[0].ticket_id);
  assert.equal(t.title, 'Station offline');
  assert.equal(t.priority, 'high');
  assert.equal(t.evse_id, null);
  assert.equal(t.created_by, 'healing');
  const full = await api('GET', `/tickets/${t.id}`);
  assert.match(full.body.notes[0].text, /^Offline since 20\d\d-.*, not back after 0 step\(s\) of self-healing$/);

  // Back: the incident ends (the ticket stays for the person on it).
  const back = server.client(id);
  await back.connect();
  await back.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  await until('recovered', async () => (await history(id)).items.some((r) => r.action === 'recovered'));
  // Away again while the ticket is open: stopped, no second ticket.
  await back.close();
  const h2 = await until('stopped', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'stopped') && got;
  });
  assert.deepEqual(actions(h2), ['started', 'skipped reconnect', 'ticket open_ticket', 'recovered', 'started', 'stopped']);
  assert.match(h2.items[0].detail, /ticket self-healing opened for it is still open/);
  assert.equal((await api('GET', `/tickets?station=${id}`)).body.total, 1);
});

test('an outage shorter than offline_after_s (a reboot) leaves no healing line; a longer one is an incident from its start', async (t) => {
  const slow = await startServer({ config: `
[ocpp]
request_base_report = false
[availability]
disconnect_grace_s = 0
[healing]
enabled = true
offline_after_s = 3
` });
  t.after(() => slow.stop());
  const admin = await slow.adminToken();
  const lines = async (id) => (await slow.request('GET', `/api/v1/stations/${id}/healing?limit=100`, { token: admin })).body.items;
  const boot = async (id) => {
    const cs = slow.client(id);
    await cs.connect();
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    return cs;
  };
  const id = 'HEAL-REBOOT';
  await (await boot(id)).close();
  await sleep(1000);
  const back = await boot(id);
  await sleep(3500); // past offline_after_s from the first disconnect
  assert.deepEqual(await lines(id), [], 'a reboot is no incident');

  await back.close();
  const gone = Date.now();
  const items = await until('the ticket', async () => {
    const got = await lines(id);
    return got.some((r) => r.action === 'ticket') && got;
  });
  assert.ok(Date.now() - gone >= 2800, 'not before offline_after_s');
  const started = items.find((r) => r.action === 'started');
  assert.ok(Date.parse(started.at) <= gone + 500, 'the incident starts when the station went offline');
});
