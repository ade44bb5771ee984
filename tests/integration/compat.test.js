// Per-station compatibility settings: strict by default; each setting accepts one documented
// deviation from the schemas, from that station only, and keeps each use as an anomaly.
'use strict';
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rawExchange, now } = require('./harness');

let server;
let token;
let fdBaseline;
let frameNo = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body, headers: { connection: 'close' } });
const LOCAL = '2026-11-29T08:47:10'; // what the firmware sends: its UTC time without a zone
const LOCAL_MS = '2026-11-29T08:47:10.250';

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\ncall_timeout_s = 5\n' });
  token = await server.adminToken();
  fdBaseline = await server.fdBaseline(assert);
});
after(() => server.stop());
// A failed test leaves no station connected for the next one's descriptor count.
const opened = [];
afterEach(() => Promise.all(opened.splice(0).map((cs) => cs.close().catch(() => {}))));

// A station whose frames are not checked by its own library: it sends what a bent firmware sends.
async function station(id, protocol) {
  const cs = server.client(id, { protocols: [protocol], strictMode: false });
  opened.push(cs);
  cs.on('badMessage', () => {});
  await cs.connect();
  const boot = protocol === 'ocpp1.6'
    ? await cs.call('BootNotification', { chargePointVendor: 'Bent', chargePointModel: 'B1' })
    : await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'B2', vendorName: 'Bent' } });
  assert.equal(boot.status, 'Accepted');
  return cs;
}

function call(cs, action, payload) {
  const id = `c${++frameNo}`;
  return rawExchange(cs, JSON.stringify([2, id, action, payload]), id);
}

async function setCompat(id, settings) {
  const res = await api('PUT', `/stations/${id}/compat`, settings);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function anomalies(id, kind) {
  const res = await api('GET', `/stations/${id}/events`);
  assert.equal(res.status, 200, res.text);
  return res.body.anomalies.filter((a) => a.kind === kind);
}

test('the settings: off by default, shown with the station, set with PUT, refused when unknown or not boolean', async () => {
  const cs = await station('COMPAT-API', 'ocpp1.6');
  const off = { timestamps_without_offset: false, extra_properties_in_answers: false };
  let st = await api('GET', '/stations/COMPAT-API');
  assert.deepEqual(st.body.compat, off);
  assert.deepEqual((await api('GET', '/stations/COMPAT-API/compat')).body, off);

  assert.deepEqual(await setCompat('COMPAT-API', { timestamps_without_offset: true }),
    { timestamps_without_offset: true, extra_properties_in_answers: false });
  st = await api('GET', '/stations/COMPAT-API');
  assert.equal(st.body.compat.timestamps_without_offset, true);
  assert.equal(server.adminJson('station', 'show', 'COMPAT-API').compat.timestamps_without_offset, true);

  for (const [body, status] of [[{ lenient: true }, 422], [{ timestamps_without_offset: 'yes' }, 422],
    [{ timestamps_without_offset: 1 }, 422], [[true], 400]]) {
    const res = await api('PUT', '/stations/COMPAT-API/compat', body);
    assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
  }
  assert.equal((await api('PUT', '/stations/NO-SUCH-STATION/compat', { timestamps_without_offset: true })).status, 404);
  // A refused change leaves the settings as they were.
  assert.equal((await api('GET', '/stations/COMPAT-API/compat')).body.timestamps_without_offset, true);
  // The whole set is replaced: what is left out is off.
  assert.deepEqual(await setCompat('COMPAT-API', {}), off);
  assert.deepEqual(server.adminJson('station', 'compat', 'COMPAT-API'), off);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('1.6: a timestamp without offset is refused by default, read as UTC with timestamps_without_offset, each use an anomaly', async () => {
  const id = 'COMPAT-TS-16';
  const cs = await station(id, 'ocpp1.6');
  const status = { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: LOCAL };
  const start = { connectorId: 1, idTag: 'COMPAT-1', meterStart: 10, timestamp: LOCAL_MS };

  // Strict: the version's CALLERROR, nothing stored.
  for (const [action, payload] of [['StatusNotification', status], ['StartTransaction', start]]) {
    const answer = await call(cs, action, payload);
    assert.equal(answer[0], 4, `${action}: ${JSON.stringify(answer)}`);
    assert.equal(answer[2], 'PropertyConstraintViolation');
  }
  assert.equal((await anomalies(id, 'compat_timestamps_without_offset')).length, 0);
  // The other setting does not accept it either.
  await setCompat(id, { extra_properties_in_answers: true });
  assert.equal((await call(cs, 'StatusNotification', status))[2], 'PropertyConstraintViolation');

  await setCompat(id, { timestamps_without_offset: true });
  const ok = await call(cs, 'StatusNotification', status);
  assert.equal(ok[0], 3, JSON.stringify(ok));
  const started = await call(cs, 'StartTransaction', start);
  assert.equal(started[0], 3, JSON.stringify(started));
  const tx = await api('GET', `/transactions/${started[2].transactionId}`);
  assert.equal(tx.body.started_at, '2026-11-29T08:47:10.250Z', 'read as UTC');
  const history = await api('GET', `/stations/${id}/status-history`);
  assert.ok(history.body.items.some((h) => h.station_time === '2026-11-29T08:47:10.000Z'), JSON.stringify(history.body));

  // Still strict about everything else: a timestamp that is not one, an unknown property.
  assert.equal((await call(cs, 'StatusNotification', { ...status, timestamp: '29/11/2026 08:47' }))[2], 'PropertyConstraintViolation');
  assert.equal((await call(cs, 'StatusNotification', { ...status, timestamp: '2026-11-29T08:47' }))[2], 'PropertyConstraintViolation');
  assert.equal((await call(cs, 'StatusNotification', { ...status, timestamp: now(), extra: 1 }))[2], 'FormationViolation');
  // A conforming timestamp is no use of the setting.
  assert.equal((await call(cs, 'StatusNotification', { ...status, timestamp: now() }))[0], 3);

  await sleep(200);
  const used = await anomalies(id, 'compat_timestamps_without_offset');
  assert.equal(used.length, 2, JSON.stringify(used));
  assert.match(used[0].detail, /StatusNotification: '\/timestamp' 2026-11-29T08:47:10 read as UTC/);
  assert.match(used[1].detail, /StartTransaction: '\/timestamp' 2026-11-29T08:47:10\.250 read as UTC/);
  assert.equal(server.adminJson('station', 'show', id).anomalies.filter((a) => a.kind === 'compat_timestamps_without_offset').length, 2);

  // Switched off: strict again at once.
  await setCompat(id, {});
  assert.equal((await call(cs, 'StatusNotification', status))[2], 'PropertyConstraintViolation');
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('2.0.1: a timestamp without offset is refused by default, read as UTC with timestamps_without_offset, each use an anomaly', async () => {
  const id = 'COMPAT-TS-201';
  const cs = await station(id, 'ocpp2.0.1');
  const status = { timestamp: LOCAL, connectorStatus: 'Available', evseId: 1, connectorId: 1 };
  const event = { eventType: 'Started', timestamp: LOCAL, triggerReason: 'Authorized', seqNo: 0,
    transactionInfo: { transactionId: 'COMPAT-TX-1' }, evse: { id: 1, connectorId: 1 },
    meterValue: [{ timestamp: LOCAL_MS, sampledValue: [{ value: 1000, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' }] }] };

  for (const [action, payload] of [['StatusNotification', status], ['TransactionEvent', event]]) {
    const answer = await call(cs, action, payload);
    assert.equal(answer[0], 4, `${action}: ${JSON.stringify(answer)}`);
    assert.equal(answer[2], 'PropertyConstraintViolation');
  }
  assert.equal((await api('GET', '/transactions?limit=500')).body.items.filter((t) => t.station_id === id).length, 0);

  await setCompat(id, { timestamps_without_offset: true });
  assert.equal((await call(cs, 'StatusNotification', status))[0], 3);
  const ev = await call(cs, 'TransactionEvent', event);
  assert.equal(ev[0], 3, JSON.stringify(ev));
  const txs = (await api('GET', '/transactions?limit=500')).body.items.filter((t) => t.station_id === id);
  assert.equal(txs.length, 1);
  const tx = await api('GET', `/transactions/${txs[0].id}`);
  assert.equal(tx.body.started_at, '2026-11-29T08:47:10.000Z');
  assert.ok(tx.body.meter_values.some((m) => m.timestamp === '2026-11-29T08:47:10.250Z'), JSON.stringify(tx.body.meter_values));

  await sleep(200);
  const used = await anomalies(id, 'compat_timestamps_without_offset');
  assert.equal(used.length, 2, JSON.stringify(used));
  assert.match(used[1].detail, /TransactionEvent: '\/timestamp' 2026-11-29T08:47:10 read as UTC and 1 more/);
  await call(cs, 'TransactionEvent', { ...event, eventType: 'Ended', seqNo: 1, timestamp: now(), meterValue: undefined, triggerReason: 'StopAuthorized' });
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

for (const protocol of ['ocpp1.6', 'ocpp2.0.1']) {
  test(`${protocol}: an answer with an extra property fails the command by default; with extra_properties_in_answers it is dropped, the command accepted, each use an anomaly`, async () => {
    const id = `COMPAT-XP-${protocol === 'ocpp1.6' ? '16' : '201'}`;
    const cs = await station(id, protocol);
    cs.handle('Reset', () => ({ status: 'Accepted', firmwareBuild: 'r1234' }));
    const reset = async () => {
      const res = await api('POST', `/stations/${id}/commands?wait=5`, { kind: 'reset', params: { type: 'soft' } });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };

    const strict = await reset();
    assert.equal(strict.status, 'failed', JSON.stringify(strict));
    assert.match(strict.error, /firmwareBuild/);
    // The other setting does not accept it.
    await setCompat(id, { timestamps_without_offset: true });
    assert.equal((await reset()).status, 'failed');
    assert.equal((await anomalies(id, 'compat_extra_properties_in_answers')).length, 0);

    await setCompat(id, { extra_properties_in_answers: true });
    const lenient = await reset();
    assert.equal(lenient.status, 'accepted', JSON.stringify(lenient));
    assert.deepEqual(lenient.response, { status: 'Accepted' }, 'stored without the dropped property');

    // Only the top level, only unknown properties: a wrong value is still a failure.
    cs.handle('Reset', () => ({ status: 'Maybe', firmwareBuild: 'r1234' }));
    assert.equal((await reset()).status, 'failed');

    await sleep(200);
    const used = await anomalies(id, 'compat_extra_properties_in_answers');
    assert.equal(used.length, 1, JSON.stringify(used));
    assert.match(used[0].detail, /Reset answer: '\/firmwareBuild' dropped \("r1234"\)/);
    // CALLs are not answers: an extra property in one is still refused.
    const heartbeat = await call(cs, 'Heartbeat', { extra: true });
    assert.equal(heartbeat[2], protocol === 'ocpp1.6' ? 'FormationViolation' : 'FormatViolation');
    await cs.close();
    await server.assertHealthy(assert, { fdBaseline });
  });
}

test('a setting changed with the admin CLI applies when the station next connects', async () => {
  const id = 'COMPAT-CLI';
  let cs = await station(id, 'ocpp1.6');
  const status = { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: LOCAL };
  assert.equal((await call(cs, 'StatusNotification', status))[2], 'PropertyConstraintViolation');
  assert.deepEqual(JSON.parse(server.admin('station', 'compat', id, '--timestamps-without-offset', 'on')),
    { timestamps_without_offset: true, extra_properties_in_answers: false });
  await cs.close();
  cs = await station(id, 'ocpp1.6');
  await sleep(200); // the settings are read as it connects
  assert.equal((await call(cs, 'StatusNotification', status))[0], 3);
  assert.equal((await api('GET', `/stations/${id}`)).body.compat.timestamps_without_offset, true);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});
