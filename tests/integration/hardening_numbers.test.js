// Numbers from the wire and transactions (issue 9, items 3, 4, 5, 12, 13, 14): what a station
// sends is range-checked before it is narrowed or stored, non-finite values never reach the
// database, reused seqNos are recorded, live values are current, decimals are written plainly.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rpcErrorCode, rawExchange, now } = require('./harness');

const PCV = 'PropertyConstraintViolation';

async function station16(server, identity) {
  const cs = server.client(identity);
  cs.on('badMessage', () => {}); // answers to raw frames are unrecognised by ocpp-rpc
  await cs.connect();
  const boot = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  assert.equal(boot.status, 'Accepted');
  return cs;
}

async function station2(server, identity) {
  const cs = server.client(identity, { protocols: ['ocpp2.0.1'] });
  cs.on('badMessage', () => {});
  cs.handle('GetBaseReport', () => ({ status: 'Accepted' }));
  await cs.connect();
  const boot = await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M2', vendorName: 'V2' } });
  assert.equal(boot.status, 'Accepted');
  return cs;
}

const reading = (value, extra = {}) => [{ timestamp: now(), sampledValue: [{ value, ...extra }] }];
const energy2 = (value, unitOfMeasure = { unit: 'Wh' }) =>
  [{ timestamp: now(), sampledValue: [{ value, measurand: 'Energy.Active.Import.Register', unitOfMeasure }] }];

async function api(server, path) {
  const res = await server.request('GET', `/api/v1${path}`, { token: await server.adminToken() });
  assert.equal(res.status, 200, `GET ${path}: ${res.text.slice(0, 300)}`);
  return res.body;
}
const anomalies = (server, id) => server.adminJson('station', 'show', id).anomalies;
const kinds = (server, id) => anomalies(server, id).map((a) => a.kind);

test('item 3, 1.6: meter values "nan", "inf", "1e400" are refused; a stop carrying one is recorded without it', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'NUM-3');
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station16(server, 'CS-NAN-16');
  const { transactionId } = await cs.call('StartTransaction', { connectorId: 1, idTag: 'NUM-3', meterStart: 1000, timestamp: now() });

  for (const value of ['nan', 'NaN', 'inf', '-inf', 'Infinity', '1e400', '-1e400', '0x10', ' 12', '']) {
    const code = await rpcErrorCode(cs.call('MeterValues', { connectorId: 1, transactionId, meterValue: reading(value) }));
    assert.equal(code, PCV, `MeterValues value ${JSON.stringify(value)} -> ${PCV}`);
  }
  await cs.call('MeterValues', { connectorId: 1, transactionId, meterValue: reading('1500') });
  // A signed value is not a number and is kept as sent.
  await cs.call('MeterValues', { connectorId: 1, transactionId, meterValue: reading('ABCDEF', { format: 'SignedData' }) });
  // The stop must end the transaction: the bad sample is dropped, the good one kept, an anomaly noted.
  await cs.call('StopTransaction', { transactionId, meterStop: 2000, timestamp: now(),
    transactionData: [{ timestamp: now(), sampledValue: [{ value: 'nan' }, { value: '2000' }] }] });

  const tx = await api(server, `/transactions/${transactionId}`);
  assert.equal(tx.state, 'Ended');
  assert.equal(tx.energy_wh, 1000);
  assert.deepEqual(tx.meter_values.map((m) => m.value), ['1500', 'ABCDEF', '2000']);
  const dropped = anomalies(server, 'CS-NAN-16').filter((a) => a.kind === 'sample_out_of_range');
  assert.equal(dropped.length, 1);
  assert.match(dropped[0].detail, /'nan'/);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 3, 2.0.1: 1e400 is refused anywhere; a multiplier of 400 is refused in MeterValues, dropped with an anomaly in a TransactionEvent', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station2(server, 'CS-NAN-2');
  const txId = 'TX-NAN-2';
  await cs.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'CablePluggedIn', seqNo: 0,
    transactionInfo: { transactionId: txId }, evse: { id: 1, connectorId: 1 },
    meterValue: [{ timestamp: now(), sampledValue: [
      { value: 10, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh', multiplier: 400 } },
      { value: 1000, measurand: 'Energy.Active.Import.Register', context: 'Transaction.Begin' }] }] });
  assert.equal(await rpcErrorCode(cs.call('MeterValues', { evseId: 1, meterValue: energy2(10, { unit: 'Wh', multiplier: 400 }) })), PCV);
  // 1e400 cannot be written by JSON.stringify: sent as raw frames, as a station's own serializer would.
  const ts = now();
  const mv = await rawExchange(cs, `[2,"n1","MeterValues",{"evseId":1,"meterValue":[{"timestamp":"${ts}","sampledValue":[{"value":1e400}]}]}]`, 'n1');
  assert.deepEqual([mv[0], mv[2]], [4, PCV]);
  // A number beyond the range of a double is refused wherever it stands in a frame (it would read
  // as infinity); the station's retry without it is recorded.
  const ev = await rawExchange(cs, `[2,"n2","TransactionEvent",{"eventType":"Updated","timestamp":"${ts}","triggerReason":"MeterValuePeriodic","seqNo":1,` +
    `"transactionInfo":{"transactionId":"${txId}"},"meterValue":[{"timestamp":"${ts}","sampledValue":[{"value":-1e400},{"value":1600}]}]}]`, 'n2');
  assert.deepEqual([ev[0], ev[2]], [4, PCV], `refused at the frame: ${JSON.stringify(ev)}`);
  // A finite value that is out of range only after its multiplier: the event is recorded, the
  // sample dropped with an anomaly.
  const ev2 = await cs.call('TransactionEvent', { eventType: 'Updated', timestamp: ts, triggerReason: 'MeterValuePeriodic', seqNo: 1,
    transactionInfo: { transactionId: txId }, meterValue: [{ timestamp: ts, sampledValue: [
      { value: 10, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh', multiplier: 400 } }, { value: 1600 }] }] });
  assert.deepEqual(ev2, {}, 'the event is recorded');
  await cs.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'EVDeparted', seqNo: 2,
    transactionInfo: { transactionId: txId, stoppedReason: 'EVDisconnected' }, meterValue: energy2(2500) });

  const [item] = (await api(server, '/transactions?station=CS-NAN-2')).items;
  const tx = await api(server, `/transactions/${item.id}`);
  assert.equal(tx.state, 'Ended');
  assert.equal(tx.meter_start_wh, 1000);
  assert.equal(tx.energy_wh, 1500);
  assert.deepEqual(tx.meter_values.map((m) => m.value), ['1000', '1600', '2500']);
  assert.equal(kinds(server, 'CS-NAN-2').filter((k) => k === 'sample_out_of_range').length, 2);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 4, 1.6: energies are bounded and never negative; meterStop < meterStart is energy 0 and an anomaly', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'NUM-4');
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station16(server, 'CS-OVF-16');
  for (const meterStart of [-5, 1e16, 2 ** 53]) {
    const code = await rpcErrorCode(cs.call('StartTransaction', { connectorId: 1, idTag: 'NUM-4', meterStart, timestamp: now() }));
    assert.equal(code, PCV, `meterStart ${meterStart}`);
  }
  const raw = await rawExchange(cs, `[2,"o1","StartTransaction",{"connectorId":1,"idTag":"NUM-4","meterStart":18446744073709551615,"timestamp":"${now()}"}]`, 'o1');
  assert.deepEqual([raw[0], raw[2]], [4, PCV]);
  assert.equal((await api(server, '/transactions?station=CS-OVF-16')).items.length, 0, 'nothing recorded from refused starts');

  const a = await cs.call('StartTransaction', { connectorId: 1, idTag: 'NUM-4', meterStart: 5000, timestamp: now() });
  for (const value of ['1e300', '1000000000000001']) {
    assert.equal(await rpcErrorCode(cs.call('MeterValues', { connectorId: 1, transactionId: a.transactionId, meterValue: reading(value) })), PCV);
  }
  assert.equal(await rpcErrorCode(cs.call('MeterValues', { connectorId: 1, transactionId: a.transactionId,
    meterValue: reading('2000000000000', { unit: 'kWh' }) })), PCV, '2e12 kWh is 2e15 Wh, beyond the register bound');
  await cs.call('StopTransaction', { transactionId: a.transactionId, meterStop: 4000, timestamp: now() });
  const ta = await api(server, `/transactions/${a.transactionId}`);
  assert.equal(ta.state, 'Ended');
  assert.equal(ta.meter_stop_wh, 4000);
  assert.equal(ta.energy_wh, 0, 'a meter that went backwards delivered nothing, not -1000 Wh');
  const below = anomalies(server, 'CS-OVF-16').filter((x) => x.kind === 'meter_stop_below_start');
  assert.equal(below.length, 1);
  assert.match(below[0].detail, /4000.*5000/);

  // A stop with a meterStop beyond the bound still ends the transaction, with the energy known so far.
  const b = await cs.call('StartTransaction', { connectorId: 2, idTag: 'NUM-4', meterStart: 1000, timestamp: now() });
  await cs.call('MeterValues', { connectorId: 2, transactionId: b.transactionId, meterValue: reading('1600') });
  await cs.call('StopTransaction', { transactionId: b.transactionId, meterStop: 1e16, timestamp: now() });
  const tb = await api(server, `/transactions/${b.transactionId}`);
  assert.equal(tb.state, 'Ended');
  assert.equal(tb.meter_stop_wh, null);
  assert.equal(tb.energy_wh, 600);
  assert.ok(kinds(server, 'CS-OVF-16').includes('meter_stop_out_of_range'));
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 4, 2.0.1: an INT64_MAX or larger seqNo is refused; an end register below the start is energy 0', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station2(server, 'CS-OVF-2');
  const txId = 'TX-OVF-2';
  await cs.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'CablePluggedIn', seqNo: 0,
    transactionInfo: { transactionId: txId }, evse: { id: 1, connectorId: 1 }, meterValue: energy2(5000) });
  for (const seqNo of ['9223372036854775807', '18446744073709551615', '2147483648']) {
    const ans = await rawExchange(cs, `[2,"q${seqNo.length}","TransactionEvent",{"eventType":"Updated","timestamp":"${now()}",` +
      `"triggerReason":"MeterValuePeriodic","seqNo":${seqNo},"transactionInfo":{"transactionId":"${txId}"}}]`, `q${seqNo.length}`);
    assert.deepEqual([ans[0], ans[2]], [4, PCV], `seqNo ${seqNo}`);
  }
  // Beyond the bound in a TransactionEvent: the event is recorded, the sample dropped.
  assert.deepEqual(await cs.call('TransactionEvent', { eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic',
    seqNo: 1, transactionInfo: { transactionId: txId }, meterValue: energy2(1e15 + 1) }), {});
  await cs.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'EVDeparted', seqNo: 2,
    transactionInfo: { transactionId: txId, stoppedReason: 'EVDisconnected' }, meterValue: energy2(4000) });
  const [item] = (await api(server, '/transactions?station=CS-OVF-2')).items;
  const tx = await api(server, `/transactions/${item.id}`);
  assert.equal(tx.state, 'Ended');
  assert.equal(tx.energy_wh, 0);
  assert.deepEqual(tx.events.map((e) => e.seq_no), [0, 1, 2], 'the refused seqNos were not stored');
  const k = kinds(server, 'CS-OVF-2');
  assert.ok(k.includes('meter_stop_below_start'), k.join());
  assert.ok(k.includes('sample_out_of_range'), k.join());
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 5: connector and EVSE ids beyond the int range are refused, never truncated', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'NUM-5');
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station16(server, 'CS-IDS-16');
  const big = 4294967297; // 2^32 + 1: static_cast<int> made it connector 1
  assert.equal(await rpcErrorCode(cs.call('StatusNotification', { connectorId: big, errorCode: 'NoError', status: 'Charging' })), PCV);
  assert.equal(await rpcErrorCode(cs.call('StartTransaction', { connectorId: big, idTag: 'NUM-5', meterStart: 0, timestamp: now() })), PCV);
  assert.equal(await rpcErrorCode(cs.call('MeterValues', { connectorId: big, meterValue: reading('1') })), PCV);
  const raw = await rawExchange(cs, '[2,"i1","StatusNotification",{"connectorId":18446744073709551615,"errorCode":"NoError","status":"Faulted"}]', 'i1');
  assert.deepEqual([raw[0], raw[2]], [4, PCV]);
  const st = await api(server, '/stations/CS-IDS-16');
  assert.deepEqual(st.connectors, [], 'no status recorded on a truncated connector');
  assert.equal((await api(server, '/transactions?station=CS-IDS-16')).items.length, 0);
  await cs.close();

  const cs2 = await station2(server, 'CS-IDS-2');
  assert.equal(await rpcErrorCode(cs2.call('StatusNotification', { timestamp: now(), connectorStatus: 'Occupied', evseId: big, connectorId: 1 })), PCV);
  assert.equal(await rpcErrorCode(cs2.call('StatusNotification', { timestamp: now(), connectorStatus: 'Occupied', evseId: 1, connectorId: big })), PCV);
  assert.equal(await rpcErrorCode(cs2.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'CablePluggedIn',
    seqNo: 0, transactionInfo: { transactionId: 'TX-IDS' }, evse: { id: big, connectorId: 1 } })), PCV);
  assert.equal(await rpcErrorCode(cs2.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'CablePluggedIn',
    seqNo: 0, transactionInfo: { transactionId: 'TX-IDS' }, evse: { id: 1, connectorId: big } })), PCV);
  assert.equal(await rpcErrorCode(cs2.call('MeterValues', { evseId: big, meterValue: energy2(1) })), PCV);
  assert.equal(await rpcErrorCode(cs2.call('NotifyReport', { requestId: 1, generatedAt: now(), seqNo: 0, reportData: [
    { component: { name: 'EVSE', evse: { id: big } }, variable: { name: 'Power' }, variableAttribute: [{ value: '1' }] }] })), PCV);
  const st2 = await api(server, '/stations/CS-IDS-2');
  assert.deepEqual(st2.connectors, []);
  assert.deepEqual(st2.device_model, []);
  assert.equal((await api(server, '/transactions?station=CS-IDS-2')).items.length, 0);
  await cs2.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 12, 2.0.1: Updated then Ended under one seqNo ends the transaction, with an anomaly; a retry is stored once', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'SEQ-12');
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station2(server, 'CS-SEQ');
  const idToken = { idToken: 'SEQ-12', type: 'ISO14443' };
  const txId = 'TX-SEQ-1';
  const started = await cs.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0,
    transactionInfo: { transactionId: txId, chargingState: 'Charging' }, evse: { id: 1, connectorId: 1 }, idToken, meterValue: energy2(100) });
  assert.equal(started.idTokenInfo.status, 'Accepted');
  await cs.call('TransactionEvent', { eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1,
    transactionInfo: { transactionId: txId }, meterValue: energy2(600) });
  const ended = { eventType: 'Ended', timestamp: now(), triggerReason: 'StopAuthorized', seqNo: 1,
    transactionInfo: { transactionId: txId, stoppedReason: 'Local' }, idToken, meterValue: energy2(900) };
  const first = await cs.call('TransactionEvent', ended);
  const retry = await cs.call('TransactionEvent', ended); // the same event again: same answer
  assert.deepEqual(retry, first);

  const [item] = (await api(server, '/transactions?station=CS-SEQ')).items;
  const tx = await api(server, `/transactions/${item.id}`);
  assert.equal(tx.state, 'Ended', 'an Ended always ends the transaction');
  assert.equal(tx.stop_reason, 'Local');
  assert.equal(tx.energy_wh, 800);
  assert.deepEqual(tx.events.map((e) => [e.seq_no, e.event_type]), [[0, 'Started'], [1, 'Updated'], [1, 'Ended']],
    'the Ended is stored once, beside the Updated that used its seqNo');
  const reused = anomalies(server, 'CS-SEQ').filter((a) => a.kind === 'seq_no_reused');
  assert.equal(reused.length, 1);
  assert.match(reused[0].detail, /Ended.*seqNo 1.*Updated/);

  // The token is free again: a new transaction is Accepted, not ConcurrentTx.
  const again = await cs.call('TransactionEvent', { eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0,
    transactionInfo: { transactionId: 'TX-SEQ-2' }, evse: { id: 1, connectorId: 1 }, idToken });
  assert.equal(again.idTokenInfo.status, 'Accepted');
  await cs.call('TransactionEvent', { eventType: 'Ended', timestamp: now(), triggerReason: 'StopAuthorized', seqNo: 1,
    transactionInfo: { transactionId: 'TX-SEQ-2', stoppedReason: 'Local' } });
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});

test('item 13: the API shows the energy and last_seen_at last received; the store is written at most every 15 s and at shutdown', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'LIVE-13');
  const fdBaseline = await server.fdBaseline(assert);
  const cs = await station16(server, 'CS-LIVE');
  const { transactionId } = await cs.call('StartTransaction', { connectorId: 1, idTag: 'LIVE-13', meterStart: 1000, timestamp: now() });
  await cs.call('MeterValues', { connectorId: 1, transactionId, meterValue: reading('2000') });
  assert.equal((await api(server, `/transactions/${transactionId}`)).energy_wh, 1000);
  await cs.call('MeterValues', { connectorId: 1, transactionId, meterValue: reading('3000') });
  assert.equal((await api(server, `/transactions/${transactionId}`)).energy_wh, 2000, 'the API shows the last value received');
  const listed = (await api(server, '/transactions?station=CS-LIVE')).items[0];
  assert.equal(listed.energy_wh, 2000);
  // The store itself was not written for the second reading (no extra write per message).
  const stored = server.adminJson('transactions').find((x) => x.id === transactionId);
  assert.equal(stored.energy_wh, 1000, 'the running energy is written at most every 15 s');

  const before = Date.parse((await api(server, '/stations/CS-LIVE')).last_seen_at);
  await new Promise((r) => setTimeout(r, 50));
  await cs.call('Heartbeat', {});
  const seen = Date.parse((await api(server, '/stations/CS-LIVE')).last_seen_at);
  assert.ok(seen > before, `a heartbeat moves last_seen_at (${before} -> ${seen})`);
  const inList = (await api(server, '/stations')).items.find((s) => s.id === 'CS-LIVE');
  assert.equal(Date.parse(inList.last_seen_at), seen);
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });

  // A clean shutdown writes what was held in memory.
  await server.stop();
  assert.equal(server.adminJson('transactions').find((x) => x.id === transactionId).energy_wh, 2000);
  assert.equal(Date.parse(server.adminJson('station', 'show', 'CS-LIVE').last_seen_at), seen);
});

test('item 14: decimals go out as plain decimals (16.5, 16), on the OCPP wire and in the API', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  let fdBaseline; // taken after the first command: its timers' descriptors are opened on first use
  const cs = await station16(server, 'CS-DEC');
  const frames = [];
  cs.on('message', ({ message, outbound }) => { if (!outbound) frames.push(message.toString()); });
  cs.handle('SetChargingProfile', () => ({ status: 'Accepted' }));
  const token = await server.adminToken();
  const profile = (limit) => `{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Relative",` +
    `"chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":${limit}}],"minChargingRate":0.1}}`;
  for (const [limit, expected] of [['16.5', '"limit":16.5'], ['16.0', '"limit":16}'], ['1.65E1', '"limit":16.5']]) {
    frames.length = 0;
    const res = await server.request('POST', '/api/v1/stations/CS-DEC/commands?wait=5', { token,
      raw: `{"kind":"set_charging_profile","params":{"connector_id":1,"profile":${profile(limit)}}}` });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'accepted', res.text);
    const frame = frames.find((f) => f.includes('"SetChargingProfile"'));
    assert.ok(frame, 'the station received SetChargingProfile');
    assert.ok(frame.includes(expected), `limit ${limit} is written as ${expected}: ${frame}`);
    assert.ok(frame.includes('"minChargingRate":0.1'), frame);
    assert.doesNotMatch(frame.slice(frame.indexOf('"SetChargingProfile"')), /\d[eE][+-]?\d/, 'no exponent form in the payload');
    // The API's own JSON is plain too.
    assert.ok(res.text.includes(expected), res.text);
    assert.doesNotMatch(res.text, /\d[eE][+-]?\d/);
    if (fdBaseline === undefined) fdBaseline = server.fdCount(); // with this station's socket open
  }
  await cs.close();
  await server.assertHealthy(assert, { fdBaseline });
});
