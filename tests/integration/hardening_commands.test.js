// Remote starts and the transactions they start: what is linked to a command, and that an
// accepted remote start always carries its transaction id, also under load and whatever the
// order in which the station's answer and its StartTransaction / TransactionEvent arrive.
'use strict';
const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, now } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let token;
let fdBaseline;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Connection: close, so that the descriptor count can return to its baseline at once.
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body, headers: { connection: 'close' } });

before(async () => {
  // remote_start_window_s: how long after an accepted 1.6 RemoteStartTransaction a
  // StartTransaction with its tag (and connector) is taken as its transaction; a short one keeps
  // the test short.
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\ncall_timeout_s = 10\n' +
                                       'remote_start_window_s = 3\n' });
  token = await server.adminToken();
  fdBaseline = await server.fdBaseline(assert);
});
after(() => server.stop());
// A failed test leaves no station connected for the next one's descriptor count.
const opened = [];
afterEach(() => Promise.all(opened.splice(0).map((cs) => cs.close().catch(() => {}))));

async function station16(id, onRemoteStart) {
  const cs = server.client(id);
  opened.push(cs);
  cs.handle('RemoteStartTransaction', ({ params }) => onRemoteStart(cs, params));
  await cs.connect();
  const boot = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  assert.equal(boot.status, 'Accepted');
  return cs;
}

// Item 16: every accepted remote start answers with the transaction the station started,
// however the answer and the StartTransaction interleave, 30 stations at once.
for (const [label, mode] of [['at once', 0], ['200 ms later', 200], ['1 s later', 1000],
  ['before the CALLRESULT (sent, not awaited)', 'before'], ['before the CALLRESULT (answered first)', 'answered'],
  ['200 ms later, after a remote start with the same tag that the station accepted and ignored', 'ignored']]) {
  test(`1.6: 30 simultaneous remote starts, StartTransaction ${label}: each answer carries its transaction id`, async () => {
    const n = 30;
    const tag = (i) => `RS16-${String(mode)}-${i}`.slice(0, 20);
    const started = new Map(); // station -> transactionId the station was given
    const stations = [];
    for (let i = 0; i < n; i++) {
      const id = `RS16-${String(mode).slice(0, 8)}-${i}`;
      const start = async (cs, params) => {
        const st = await cs.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 0, timestamp: now() });
        started.set(id, st.transactionId);
      };
      let calls = 0;
      stations.push(await station16(id, async (cs, params) => {
        if (mode === 'ignored' && calls++ === 0) return { status: 'Accepted' }; // and nothing happens
        if (mode === 'ignored') cs.work = sleep(200).then(() => start(cs, params));
        else if (mode === 'answered') await start(cs, params);
        else if (mode === 'before') cs.work = start(cs, params); // the CALL leaves before our answer
        else cs.work = sleep(mode).then(() => start(cs, params));
        return { status: 'Accepted' };
      }));
    }
    if (mode === 'ignored') {
      const first = await Promise.all(stations.map((cs, i) => api('POST', `/stations/${cs.identity}/commands?wait=1`,
        { kind: 'start_transaction', params: { id_tag: tag(i), connector_id: 1 } })));
      for (const res of first) assert.equal(res.body.status, 'accepted', res.text);
    }
    const results = await Promise.all(stations.map((cs, i) => api('POST', `/stations/${cs.identity}/commands?wait=15`,
      { kind: 'start_transaction', params: { id_tag: tag(i), connector_id: 1 } })));
    await Promise.all(stations.map((cs) => cs.work));
    const missing = [];
    results.forEach((res, i) => {
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'accepted', res.text);
      const expected = started.get(stations[i].identity);
      assert.ok(Number.isInteger(expected), 'the station started its transaction');
      if (res.body.transaction_id !== expected) missing.push(`${stations[i].identity}: ${res.text}`);
    });
    assert.deepEqual(missing, [], `${missing.length} of ${n} accepted remote starts without their transaction id`);
    // And the stored command says so too.
    for (let i = 0; i < n; i++) {
      const c = await api('GET', `/commands/${results[i].body.id}`);
      assert.equal(c.body.transaction_id, started.get(stations[i].identity));
    }
    await Promise.all(stations.map((cs) => cs.close()));
    await server.assertHealthy(assert, { fdBaseline });
  });
}

for (const [label, mode] of [['at once', 0], ['200 ms later', 200], ['before the CALLRESULT', 'before']]) {
  test(`2.0.1: 30 simultaneous remote starts, TransactionEvent ${label}: each answer carries its transaction id`, async () => {
    const n = 30;
    const stations = [];
    const started = new Map();
    for (let i = 0; i < n; i++) {
      const s = new Station2(server, `RS201-${String(mode).slice(0, 8)}-${i}`);
      opened.push(s.cs);
      const go = async (params) => {
        s.begin();
        await s.event('Started', 'RemoteStart', { evse: { id: params.evseId || 1, connectorId: 1 }, idToken: params.idToken },
          { remoteStartId: params.remoteStartId, chargingState: 'Charging' });
        started.set(s.identity, s.tx.id);
      };
      s.cs.handle('RequestStartTransaction', ({ params }) => {
        s.work = mode === 'before' ? go(params) : sleep(mode).then(() => go(params));
        return { status: 'Accepted' };
      });
      await s.connect();
      await s.boot();
      stations.push(s);
    }
    const results = await Promise.all(stations.map((s, i) => api('POST', `/stations/${s.identity}/commands?wait=15`,
      { kind: 'start_transaction', params: { id_tag: `RS201-${i}`, evse_id: 1 } })));
    await Promise.all(stations.map((s) => s.work));
    const missing = [];
    for (let i = 0; i < n; i++) {
      const res = results[i];
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'accepted', res.text);
      if (!Number.isInteger(res.body.transaction_id)) { missing.push(res.text); continue; }
      const tx = await api('GET', `/transactions/${res.body.transaction_id}`);
      assert.equal(tx.body.station_transaction_id, started.get(stations[i].identity));
    }
    assert.deepEqual(missing, [], `${missing.length} of ${n} accepted remote starts without their transaction id`);
    await Promise.all(stations.map((s) => s.close()));
    await server.assertHealthy(assert, { fdBaseline });
  });
}

// Item 15: a 2.x transaction is linked by remoteStartId only.
test('2.0.1: a Started event without remoteStartId is not linked to a pending remote start', async () => {
  const s = new Station2(server, 'RS201-NOID');
  opened.push(s.cs);
  s.cs.handle('RequestStartTransaction', ({ params }) => {
    // The station starts a transaction with the same token and EVSE but does not name the
    // remote start (e.g. a local start that raced it).
    s.work = sleep(50).then(async () => {
      s.begin();
      await s.event('Started', 'Authorized', { evse: { id: 1, connectorId: 1 }, idToken: params.idToken }, { chargingState: 'Charging' });
    });
    return { status: 'Accepted' };
  });
  await s.connect();
  await s.boot();
  const res = await api('POST', `/stations/${s.identity}/commands?wait=2`,
    { kind: 'start_transaction', params: { id_tag: 'NOID-1', evse_id: 1 } });
  await s.work;
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, 'accepted');
  assert.equal(res.body.transaction_id, null, 'not linked: the event does not name the remote start');
  await sleep(300);
  const c = await api('GET', `/commands/${res.body.id}`);
  assert.equal(c.body.transaction_id, null);
  await s.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('2.0.1: a Started event naming another remote start is not linked to this one', async () => {
  const s = new Station2(server, 'RS201-OTHER');
  opened.push(s.cs);
  s.cs.handle('RequestStartTransaction', ({ params }) => {
    s.work = sleep(50).then(async () => {
      s.begin();
      await s.event('Started', 'RemoteStart', { evse: { id: 1, connectorId: 1 }, idToken: params.idToken },
        { chargingState: 'Charging', remoteStartId: params.remoteStartId + 1000 });
    });
    return { status: 'Accepted' };
  });
  await s.connect();
  await s.boot();
  const res = await api('POST', `/stations/${s.identity}/commands?wait=2`,
    { kind: 'start_transaction', params: { id_tag: 'OTHER-1', evse_id: 1 } });
  await s.work;
  assert.equal(res.body.status, 'accepted');
  assert.equal(res.body.transaction_id, null);
  await s.close();
  await server.assertHealthy(assert, { fdBaseline });
});

// Item 15: on 1.6 only a start within the window after the accepted command is linked.
test('1.6: a local start after the match window is not linked to a remote start the station ignored', async () => {
  const cs = await station16('RS16-LATE', () => ({ status: 'Accepted' })); // accepts, never starts
  const res = await api('POST', `/stations/RS16-LATE/commands?wait=1`,
    { kind: 'start_transaction', params: { id_tag: 'LATE-1', connector_id: 1 } });
  assert.equal(res.body.status, 'accepted');
  assert.equal(res.body.transaction_id, null);
  await sleep(3500); // past remote_start_window_s = 3
  const st = await cs.call('StartTransaction', { connectorId: 1, idTag: 'LATE-1', meterStart: 0, timestamp: now() });
  await sleep(300);
  const c = await api('GET', `/commands/${res.body.id}`);
  assert.equal(c.status, 200);
  assert.equal(c.body.transaction_id, null, `a local start ${st.transactionId} later is not the remote start's`);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('1.6: a remote start the station accepted and ignored does not take the transaction of a later one with the same tag', async () => {
  let act = false;
  const cs = await station16('RS16-IGNORED', (c, params) => {
    if (act) c.work = sleep(200).then(() => c.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: 0, timestamp: now() }));
    return { status: 'Accepted' };
  });
  const ignored = await api('POST', '/stations/RS16-IGNORED/commands?wait=1', { kind: 'start_transaction', params: { id_tag: 'AGAIN-1' } });
  assert.equal(ignored.body.status, 'accepted');
  act = true;
  const res = await api('POST', '/stations/RS16-IGNORED/commands?wait=10', { kind: 'start_transaction', params: { id_tag: 'AGAIN-1' } });
  const st = await cs.work;
  assert.equal(res.body.status, 'accepted');
  assert.equal(res.body.transaction_id, st.transactionId, 'the later remote start carries the transaction');
  assert.equal((await api('GET', `/commands/${ignored.body.id}`)).body.transaction_id, null);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('1.6: a start on another connector than the command named is not linked', async () => {
  const cs = await station16('RS16-CONN', (c, params) => {
    c.work = sleep(50).then(() => c.call('StartTransaction', { connectorId: params.connectorId + 1, idTag: params.idTag, meterStart: 0, timestamp: now() }));
    return { status: 'Accepted' };
  });
  const res = await api('POST', `/stations/RS16-CONN/commands?wait=1`,
    { kind: 'start_transaction', params: { id_tag: 'CONN-1', connector_id: 1 } });
  await cs.work;
  assert.equal(res.body.status, 'accepted');
  assert.equal(res.body.transaction_id, null);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('1.6: a start within the window on the named connector is linked; without a connector any connector matches', async () => {
  for (const [id, connector, startOn] of [['RS16-IN-1', 2, 2], ['RS16-IN-2', undefined, 3]]) {
    const cs = await station16(id, (c, params) => {
      c.work = sleep(1000).then(() => c.call('StartTransaction', { connectorId: startOn, idTag: params.idTag, meterStart: 0, timestamp: now() }));
      return { status: 'Accepted' };
    });
    const params = { id_tag: `IN-${id}` };
    if (connector !== undefined) params.connector_id = connector;
    const res = await api('POST', `/stations/${id}/commands?wait=10`, { kind: 'start_transaction', params });
    const st = await cs.work;
    assert.equal(res.body.status, 'accepted');
    assert.equal(res.body.transaction_id, st.transactionId);
    await cs.close();
  }
  await server.assertHealthy(assert, { fdBaseline });
});

test('1.6: a remote start the station rejected is never linked', async () => {
  const cs = await station16('RS16-REJ', () => ({ status: 'Rejected' }));
  const res = await api('POST', `/stations/RS16-REJ/commands?wait=2`,
    { kind: 'start_transaction', params: { id_tag: 'REJ-1', connector_id: 1 } });
  assert.equal(res.body.status, 'rejected');
  await cs.call('StartTransaction', { connectorId: 1, idTag: 'REJ-1', meterStart: 0, timestamp: now() });
  await sleep(300);
  const c = await api('GET', `/commands/${res.body.id}`);
  assert.equal(c.body.transaction_id, null);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});
