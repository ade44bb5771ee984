// Self-healing (docs/operations.md "Self-healing") against strict ocpp-rpc stations: a connector
// that reports Faulted gets a status request, then resets, then is taken out of service and a
// ticket is opened; a report that it works again ends it. Timing shortened by [healing].
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, now, until } = require('./harness');

let server;
let token;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

before(async () => {
  server = await startServer({ config: `
[healing]
enabled = true
start_after_s = 0
step_wait_s = 1
backoff = 1
max_wait_s = 1
max_attempts = 3
` });
  token = await server.adminToken();
});

after(async () => { await server.stop(); });

// A strict station that records every CALL the CSMS sends it and answers each with `answers`.
async function station(id, version, answers = {}) {
  const cs = server.client(id, { protocols: [version] });
  const calls = [];
  const accepted = () => ({ status: 'Accepted' });
  for (const action of ['TriggerMessage', 'Reset', 'ChangeAvailability']) {
    cs.handle(action, async ({ params }) => {
      calls.push({ action, params });
      return (answers[action] || accepted)(params);
    });
  }
  await cs.connect();
  if (version === 'ocpp1.6') await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  else await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  return { cs, calls };
}

function status16(cs, connectorId, status, errorCode = 'NoError') {
  return cs.call('StatusNotification', { connectorId, status, errorCode, timestamp: now() });
}
function status2(cs, evseId, connectorStatus) {
  return cs.call('StatusNotification', { timestamp: now(), connectorStatus, evseId, connectorId: 1 });
}

async function history(id) {
  const res = await api('GET', `/stations/${id}/healing?limit=100`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}
const actions = (h) => h.items.slice().reverse().map((r) => (r.step ? `${r.action} ${r.step}` : r.action));

test('a transient fault: status request, then a soft reset; the station reports Available: recovered, no ticket', async () => {
  const id = 'HEAL-SOFT';
  let s;
  s = await station(id, 'ocpp1.6', {
    // Asked for its status: it still is Faulted (sent after the answer, as a station would).
    TriggerMessage: () => { setTimeout(() => status16(s.cs, 1, 'Faulted', 'GroundFailure').catch(() => {}), 50); return { status: 'Accepted' }; },
    // The soft reset clears the fault: after the "reboot" the connector is Available.
    Reset: () => { setTimeout(() => status16(s.cs, 1, 'Available').catch(() => {}), 200); return { status: 'Accepted' }; },
  });
  await status16(s.cs, 1, 'Available');
  await status16(s.cs, 1, 'Faulted', 'GroundFailure');
  const h = await until('recovery', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'recovered') && got;
  });
  await sleep(1500); // past the next step's time: nothing more may come
  assert.deepEqual(s.calls.map((c) => c.action), ['TriggerMessage', 'Reset'], 'no hard reset, no ChangeAvailability');
  assert.deepEqual(s.calls[0].params, { requestedMessage: 'StatusNotification', connectorId: 1 });
  assert.deepEqual(s.calls[1].params, { type: 'Soft' });
  assert.deepEqual(actions(h), ['started', 'sent trigger_status', 'sent soft_reset', 'recovered']);
  assert.equal(h.items[h.items.length - 1].fault, 'faulted_with_code');
  assert.match(h.items[h.items.length - 1].detail, /GroundFailure/);
  const sent = h.items.find((r) => r.step === 'soft_reset');
  const cmd = await api('GET', `/commands/${sent.command_id}`);
  assert.equal(cmd.body.created_by, 'healing', 'sent through the command service as "healing"');
  const tickets = await api('GET', `/tickets?station=${id}`);
  assert.equal(tickets.body.total, 0, 'no ticket');
  const audit = await api('GET', '/audit?actor=healing&limit=100');
  assert.ok(audit.body.items.some((e) => e.target === id && /soft_reset/.test(e.action)), 'every step audited');
  await s.cs.close();
});

test('a fault that persists (2.0.1): every step in order, then a ticket from the playbook, visible in the API', async () => {
  const id = 'HEAL-STICKY';
  const s = await station(id, 'ocpp2.0.1');
  await status2(s.cs, 1, 'Faulted');
  const h = await until('the ticket', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'ticket') && got;
  });
  assert.deepEqual(s.calls.map((c) => [c.action, c.params]), [
    ['TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } }],
    ['Reset', { type: 'OnIdle' }],
    ['Reset', { type: 'Immediate' }],
    ['ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } }],
  ]);
  assert.deepEqual(actions(h), ['started', 'sent trigger_status', 'sent soft_reset', 'sent hard_reset',
    'sent make_unavailable', 'ticket open_ticket']);
  const ticketLine = h.items[0];
  const tickets = await api('GET', `/tickets?station=${id}&source=playbook`);
  assert.equal(tickets.body.total, 1);
  const t = tickets.body.items[0];
  assert.equal(t.id, ticketLine.ticket_id);
  assert.equal(t.status, 'open');
  assert.equal(t.priority, 'high');
  assert.equal(t.evse_id, 1);
  assert.equal(t.created_by, 'healing');
  assert.equal(t.overdue, false);
  const full = await api('GET', `/tickets/${t.id}`);
  assert.match(full.body.notes[0].text, /Not cleared by self-healing after 3 step/);
  // Faulted again: the playbook is over for this connector; nothing more is sent, no second ticket.
  await status2(s.cs, 1, 'Faulted');
  await sleep(1500);
  assert.equal(s.calls.length, 4);
  assert.equal((await api('GET', `/tickets?station=${id}`)).body.total, 1);
  await s.cs.close();
});

test('no reset while a session runs on the station: resets skipped, the connector taken out, a ticket', async () => {
  const id = 'HEAL-BUSY';
  assert.ok((await api('PUT', '/id-tokens/HEAL-TAG', { status: 'Accepted' })).status < 300);
  const s = await station(id, 'ocpp1.6');
  await status16(s.cs, 2, 'Charging');
  const started = await s.cs.call('StartTransaction', { connectorId: 2, idTag: 'HEAL-TAG', meterStart: 0, timestamp: now() });
  assert.equal(started.idTagInfo.status, 'Accepted');
  await status16(s.cs, 1, 'Faulted');
  const h = await until('the ticket', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'ticket') && got;
  });
  assert.deepEqual(s.calls.map((c) => c.action), ['TriggerMessage', 'ChangeAvailability'], 'never a Reset');
  assert.deepEqual(s.calls[1].params, { connectorId: 1, type: 'Inoperative' });
  assert.deepEqual(actions(h), ['started', 'sent trigger_status', 'skipped soft_reset', 'skipped hard_reset',
    'sent make_unavailable', 'ticket open_ticket']);
  assert.match(h.items.find((r) => r.step === 'soft_reset').detail, /session is running/);
  await s.cs.call('StopTransaction', { transactionId: started.transactionId, meterStop: 1000, timestamp: now() });
  await s.cs.close();
});

test('an opted-out station is left alone; opting out needs an operator and is audited', async () => {
  const id = 'HEAL-OUT';
  const s = await station(id, 'ocpp1.6');
  const viewerPassword = 'healing viewer password';
  server.admin('user', 'add', 'heal-viewer', '--role', 'viewer', '--password', viewerPassword);
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'heal-viewer', password: viewerPassword } });
  const asViewer = await server.request('PUT', `/api/v1/stations/${id}/healing`, { token: login.body.token, body: { opted_out: true } });
  assert.equal(asViewer.status, 403);
  assert.equal((await api('PUT', `/stations/${id}/healing`, { opted_out: 'yes' })).status, 422);
  const put = await api('PUT', `/stations/${id}/healing`, { opted_out: true });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body, { station_id: id, enabled: true, opted_out: true });
  await status16(s.cs, 1, 'Faulted');
  const h = await until('the stop', async () => {
    const got = await history(id);
    return got.items.some((r) => r.action === 'stopped') && got;
  });
  await sleep(1500);
  assert.deepEqual(s.calls, [], 'no command reached the station');
  assert.equal(h.opted_out, true);
  assert.match(h.items[0].detail, /opted out/);
  assert.equal((await api('GET', `/tickets?station=${id}`)).body.total, 0);
  const audit = await api('GET', '/audit?limit=200');
  assert.ok(audit.body.items.some((e) => e.action === `PUT /api/v1/stations/${id}/healing` && e.status === 200));
  assert.equal((await api('GET', '/stations/NOPE/healing')).status, 404);
  await s.cs.close();
});
