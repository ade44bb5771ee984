// OCPP 2.0.1 and 2.1 end to end: full sessions from strict clients, one storage model with
// 1.6, a mixed fleet, version changes, 2.x error codes, and what 2.1 adds to framing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { startServer, rawExchange, now } = require('./harness');
const { Station2 } = require('./ocpp2');

// Runs boot, device-model report, authorisation and a full transaction; returns the station.
async function fullSession(server, identity, version) {
  const s = new Station2(server, identity, version);
  const asked = new Promise((resolve) => s.cs.handle('GetBaseReport', ({ params }) => { resolve(params); return { status: 'Accepted' }; }));
  await s.connect();
  await s.booted();
  // The CSMS asks a newly accepted station for its device model, and stores the report.
  const request = await asked;
  assert.equal(request.reportBase, 'FullInventory');
  await s.call('NotifyReport', { requestId: request.requestId, generatedAt: s.now(), seqNo: 0, tbc: true, reportData: [
    { component: { name: 'SecurityCtrlr' }, variable: { name: 'Identity' }, variableAttribute: [{ value: identity, mutability: 'ReadOnly' }] }] });
  await s.call('NotifyReport', { requestId: request.requestId, generatedAt: s.now(), seqNo: 1, reportData: [
    { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' }, variableAttribute: [{ value: 'Available' }],
      variableCharacteristics: { dataType: 'OptionList', valuesList: 'Available,Occupied', supportsMonitoring: true } }] });
  await s.evConnectedPreSession();
  const { auth, res } = await s.authorized({ idToken: 'E2E-TOKEN', type: 'ISO14443' });
  assert.equal(auth.idTokenInfo.status, 'Accepted');
  assert.equal(res.idTokenInfo.status, 'Accepted');
  await s.energyTransferStarted();
  await s.event('Updated', 'MeterValuePeriodic', { meterValue: [{ timestamp: s.now(), sampledValue: [
    { value: 4.2, context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
    { value: 11000, context: 'Sample.Periodic', measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
    { value: 16, context: 'Sample.Periodic', measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } }] }] },
  { chargingState: 'Charging' });
  await s.call('MeterValues', { evseId: 1, meterValue: [{ timestamp: s.now(), sampledValue: [{ value: 231, measurand: 'Voltage', phase: 'L1-N' }] }] });
  await s.evDisconnected();
  return s;
}

function checkStored(server, s, version) {
  const [tx] = server.adminJson('transactions', '--station', s.identity);
  assert.equal(tx.protocol, version);
  assert.equal(tx.station_transaction_id, s.tx.id);
  assert.equal(tx.id_tag, 'E2E-TOKEN');
  assert.equal(tx.state, 'Ended');
  assert.equal(tx.meter_start_wh, 1000);
  assert.equal(tx.meter_stop_wh, 8000);
  assert.equal(tx.energy_wh, 7000);
  assert.equal(tx.stop_reason, 'EVDisconnected');
  assert.deepEqual(tx.events.map((e) => e.event_type), ['Started', 'Updated', 'Updated', 'Updated', 'Ended']);
  assert.ok(tx.meter_values.find((m) => m.measurand === 'Current.Import' && m.phase === 'L1' && m.value === '16' && m.unit === 'A'));
  const shown = server.adminJson('station', 'show', s.identity);
  assert.equal(shown.protocol, version);
  assert.equal(shown.device_model.length, 2);
  assert.equal(shown.device_model.find((v) => v.component === 'EVSE').values_list, 'Available,Occupied');
  return tx;
}

test('strict 2.0.1 and 2.1 stations complete full sessions stored like a 1.6 one', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'E2E-TOKEN');
  const s201 = await fullSession(server, 'CS-201', 'ocpp2.0.1');
  const s21 = await fullSession(server, 'CS-21', 'ocpp2.1');
  await s201.close();
  await s21.close();
  const tx201 = checkStored(server, s201, 'ocpp2.0.1');
  const tx21 = checkStored(server, s21, 'ocpp2.1');

  // A 1.6 transaction has the same shape: the same keys, the version noted.
  const cs16 = server.client('CS-16');
  await cs16.connect();
  await cs16.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const st = await cs16.call('StartTransaction', { connectorId: 1, idTag: 'E2E-TOKEN', meterStart: 0, timestamp: now() });
  await cs16.call('StopTransaction', { transactionId: st.transactionId, meterStop: 100, timestamp: now() });
  await cs16.close();
  const [tx16] = server.adminJson('transactions', '--station', 'CS-16');
  assert.deepEqual(Object.keys(tx16).sort(), Object.keys(tx201).sort());
  assert.deepEqual(Object.keys(tx21).sort(), Object.keys(tx201).sort());
  assert.equal(tx16.protocol, 'ocpp1.6');
});

test('a mixed fleet of 1.6, 2.0.1 and 2.1 stations at once', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'E2E-TOKEN');
  const run16 = async (i) => {
    const cs = server.client(`MIX-16-${i}`);
    await cs.connect();
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const st = await cs.call('StartTransaction', { connectorId: 1, idTag: `MIX-TAG-${i}`, meterStart: 0, timestamp: now() });
    await cs.call('MeterValues', { connectorId: 1, transactionId: st.transactionId, meterValue: [{ timestamp: now(), sampledValue: [{ value: '500' }] }] });
    await cs.call('StopTransaction', { transactionId: st.transactionId, meterStop: 900, timestamp: now() });
    await cs.close();
  };
  const run2 = async (i, version) => {
    const s = new Station2(server, `MIX-${version}-${i}`, version);
    await s.connect();
    await s.booted();
    await s.evConnectedPreSession();
    await s.energyTransferStarted();
    await s.evDisconnected();
    await s.close();
  };
  const jobs = [];
  for (let i = 0; i < 5; i++) jobs.push(run16(i), run2(i, 'ocpp2.0.1'), run2(i, 'ocpp2.1'));
  await Promise.all(jobs);
  const txs = server.adminJson('transactions');
  assert.equal(txs.length, 15);
  for (const v of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']) {
    const mine = txs.filter((x) => x.protocol === v);
    assert.equal(mine.length, 5, v);
    for (const x of mine) assert.equal(x.state, 'Ended');
  }
});

test('a station that moves from 1.6 to 2.0.1 keeps its identity and history', async (t) => {
  const server = await startServer({ unknownStations: 'reject' });
  t.after(() => server.stop());
  server.admin('station', 'add', 'UPGRADED', '--password', 'same-password-both-times');
  const cs = server.client('UPGRADED', { password: 'same-password-both-times' });
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'Old', firmwareVersion: '1.6-fw' });
  const st = await cs.call('StartTransaction', { connectorId: 1, idTag: 'ANY', meterStart: 0, timestamp: now() });
  await cs.call('StopTransaction', { transactionId: st.transactionId, meterStop: 10, timestamp: now() });
  await cs.close();
  // Firmware update: the same station now speaks 2.0.1.
  const s = new Station2(server, 'UPGRADED', 'ocpp2.0.1', { password: 'same-password-both-times' });
  await s.connect();
  await s.boot('FirmwareUpdate');
  await s.energyTransferStarted();
  await s.evDisconnected();
  await s.close();
  const shown = server.adminJson('station', 'show', 'UPGRADED');
  assert.equal(shown.protocol, 'ocpp2.0.1');
  assert.equal(shown.firmware_version, '2.0.1-rc');
  const txs = server.adminJson('transactions', '--station', 'UPGRADED');
  assert.deepEqual(txs.map((x) => x.protocol), ['ocpp1.6', 'ocpp2.0.1']);
});

test('bad input on 2.x gets 2.x error codes and changes nothing', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const s = new Station2(server, 'CS-BAD-2', 'ocpp2.0.1');
  await s.connect();
  t.after(() => s.close());
  await s.booted();
  await s.energyTransferStarted();
  const cases = [
    ['not json at all', '-1', 'RpcFrameworkError'],
    ['[2]', '-1', 'RpcFrameworkError'],
    ['[7,"x1","Heartbeat",{}]', 'x1', 'MessageTypeNotSupported'],
    ['[6,"x2","NotifyPeriodicEventStream",{}]', 'x2', 'MessageTypeNotSupported'], // SEND is 2.1 only
    ['[2,"x3","Heartbeat",[]]', 'x3', 'FormatViolation'],
    ['[2,"x4","Heartbeat",{"extra":1}]', 'x4', 'FormatViolation'],
    ['[2,"x5","BootNotification",{"reason":"PowerUp"}]', 'x5', 'OccurrenceConstraintViolation'],
    ['[2,"x6","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z","connectorStatus":"Available","evseId":"1","connectorId":1}]', 'x6', 'TypeConstraintViolation'],
    ['[2,"x7","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z","connectorStatus":"Charging","evseId":1,"connectorId":1}]', 'x7', 'PropertyConstraintViolation'],
    ['[2,"x8","Authorize",{"idToken":{"idToken":"' + 'x'.repeat(37) + '","type":"ISO14443"}}]', 'x8', 'PropertyConstraintViolation'],
    ['[2,"x9","StartTransaction",{}]', 'x9', 'NotImplemented'],
    ['[2,"x10","RequestStartTransaction",{"idToken":{"idToken":"A","type":"ISO14443"},"remoteStartId":1}]', 'x10', 'NotSupported'],
  ];
  for (const [frame, id, code] of cases) {
    const answer = await rawExchange(s.cs, frame, id);
    assert.equal(answer[0], 4, frame);
    assert.equal(answer[2], code, `${frame}: got ${answer[2]} (${answer[3]})`);
  }
  // A retried event gets the same answer and changes nothing.
  const retry = await s.call('TransactionEvent', s.last.payload);
  assert.deepEqual(retry, s.last.res);
  const [tx] = server.adminJson('transactions', '--station', 'CS-BAD-2');
  assert.equal(tx.events.length, 3);
  assert.equal(tx.state, 'Active');
  assert.equal(new Set(tx.events.map((e) => e.seq_no)).size, tx.events.length);
});

test('seqNo gaps and events of a transaction never started are answered and recorded', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const s = new Station2(server, 'CS-GAPS', 'ocpp2.0.1');
  await s.connect();
  t.after(() => s.close());
  await s.booted();
  s.begin();
  s.tx.seq = 3; // an offline station whose first events were lost
  await s.event('Updated', 'MeterValuePeriodic', { offline: true, meterValue: s.energy(2000, 'Sample.Periodic') });
  s.tx.seq = 6;
  await s.event('Ended', 'EVCommunicationLost', { meterValue: s.energy(2600, 'Transaction.End') }, { stoppedReason: 'EVDisconnected' });
  const [tx] = server.adminJson('transactions', '--station', 'CS-GAPS');
  assert.equal(tx.state, 'Ended');
  assert.equal(tx.offline_events, true);
  assert.equal(tx.energy_wh, 600);
  const kinds = server.adminJson('station', 'show', 'CS-GAPS').anomalies.map((a) => a.kind);
  assert.deepEqual(kinds, ['transaction_without_start', 'seq_gap']);
});

test('OCPP 2.1: SEND frames are kept unanswered; an invalid CALLRESULT gets a CALLRESULTERROR', async (t) => {
  const server = await startServer({ config: '[ocpp]\ndebug_call_endpoint = true\ncall_timeout_s = 3\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  const ws = new WebSocket(`${server.url}/CS-21-RAW`, ['ocpp2.1']);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  assert.equal(ws.protocol, 'ocpp2.1');
  const inbox = [];
  const waiters = [];
  ws.on('message', (d) => { const m = JSON.parse(d.toString()); const w = waiters.shift(); if (w) w(m); else inbox.push(m); });
  const next = () => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise((r) => waiters.push(r)));
  ws.send(JSON.stringify([2, 'b1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } }]));
  assert.equal((await next())[2].status, 'Accepted');
  ws.send(JSON.stringify([6, 's1', 'NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: now(), data: [{ t: 0, v: '42' }] }]));
  // The server asks something; the station answers with a payload that fails the schema.
  const pending = server.debugCall('CS-21-RAW', 'ClearCache', {});
  const call = await next();
  assert.equal(call[0], 2);
  assert.equal(call[2], 'ClearCache');
  ws.send(JSON.stringify([3, call[1], { status: 'Perhaps' }]));
  const resultError = await next();
  assert.equal(resultError[0], 5, 'CALLRESULTERROR');
  assert.equal(resultError[1], call[1]);
  assert.equal(resultError[2], 'PropertyConstraintViolation');
  assert.equal((await pending).body.status, 'error');
  ws.close();
  const kept = server.adminJson('station', 'show', 'CS-21-RAW').messages;
  assert.equal(kept[0].kind, 'NotifyPeriodicEventStream', 'the SEND was kept and never answered');
  assert.deepEqual(inbox, []);
});

test('2.x notifications are kept and answered', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const s = new Station2(server, 'CS-NOTE', 'ocpp2.0.1');
  await s.connect();
  t.after(() => s.close());
  await s.booted();
  assert.deepEqual(await s.call('SecurityEventNotification', { type: 'FirmwareUpdated', timestamp: s.now() }), {});
  assert.deepEqual(await s.call('FirmwareStatusNotification', { status: 'Installed', requestId: 3 }), {});
  assert.deepEqual(await s.call('LogStatusNotification', { status: 'Uploaded', requestId: 4 }), {});
  assert.deepEqual(await s.call('DataTransfer', { vendorId: 'com.example', data: { any: ['json'] } }), { status: 'UnknownVendorId' });
  assert.deepEqual(await s.call('SignCertificate', { csr: 'CSR' }), { status: 'Rejected' });
  const kinds = server.adminJson('station', 'show', 'CS-NOTE').messages.map((m) => m.kind);
  assert.deepEqual(kinds, ['SecurityEventNotification', 'FirmwareStatusNotification', 'LogStatusNotification', 'DataTransfer', 'SignCertificate']);
});

test('subprotocol preference is configurable', async (t) => {
  const server = await startServer({ config: '[ocpp]\nsubprotocols = ["ocpp2.0.1", "ocpp1.6"]\n' });
  t.after(() => server.stop());
  const ws = new WebSocket(`${server.url}/CS-PREF`, ['ocpp2.1', 'ocpp1.6', 'ocpp2.0.1']);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  assert.equal(ws.protocol, 'ocpp2.0.1', '2.1 is not served here; 2.0.1 is preferred over 1.6');
  ws.close();
});
