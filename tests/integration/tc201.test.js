// OCPP 2.0.1 part 6 CSMS test cases for blocks B, C, E, G and J, named by their ids.
// The station side (the OCTT's role) is a strict ocpp-rpc client; where a case has the CSMS
// send a request on an operator's prompt, the prompt is the debug call endpoint (the operator
// API replaces it). docs/conformance.md lists every case with its status.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rpcErrorCode } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let n = 0;
const config = '[ocpp]\ndebug_call_endpoint = true\ncall_timeout_s = 5\nrequest_base_report = false\n';

before(async () => {
  server = await startServer({ config });
  server.admin('token', 'add', 'TOKEN-OK', '--parent', 'GROUP-1', '--expires', '2099-01-01T00:00:00Z');
  server.admin('token', 'add', 'TOKEN-2', '--parent', 'GROUP-1');
  server.admin('token', 'add', 'TOKEN-BLOCKED', '--status', 'Blocked');
  server.admin('token', 'add', 'TOKEN-EXPIRED', '--expires', '2020-01-01T00:00:00Z');
  server.admin('token', 'add', 'MASTER', '--parent', 'MASTERPASS');
});
after(() => server.stop());

async function station(t, setup) {
  const s = new Station2(server, `TC201-${++n}`);
  if (setup) setup(s);
  await s.connect();
  t.after(() => s.close());
  return s;
}
const prompt = (s, action, payload) => server.debugCall(s.identity, action, payload);
const stored = (s) => server.adminJson('transactions', '--station', s.identity);
const shown = (s) => server.adminJson('station', 'show', s.identity);

// ---- B Provisioning -------------------------------------------------------------------------

test('TC_B_01_CSMS Cold Boot Charging Station - Accepted', async (t) => {
  const s = await station(t);
  const res = await s.booted();
  assert.equal(res.status, 'Accepted');
  assert.ok(res.interval > 0);
  const st = shown(s);
  assert.equal(st.protocol, 'ocpp2.0.1');
  assert.equal(st.model, 'Model-2X');
  assert.equal(st.vendor, 'Acme');
  assert.equal(st.serial_number, `SN-${s.identity}`);
  assert.equal(st.iccid, '8931');
});

test('TC_B_02_CSMS Cold Boot Charging Station - Pending', async (t) => {
  const pending = await startServer({ unknownStations: 'pending', config });
  t.after(() => pending.stop());
  const s = new Station2(pending, 'TC-B02');
  await s.connect();
  t.after(() => s.close());
  const first = await s.boot('PowerUp', 'Pending');
  assert.ok(first.interval > 0);
  // While pending the CSMS may query the station (B06-B08): a report is accepted.
  const get = await pending.debugCall('TC-B02', 'GetBaseReport', { requestId: 7, reportBase: 'ConfigurationInventory' });
  assert.equal(get.body.status, 'result');
  assert.deepEqual(await s.call('NotifyReport', { requestId: 7, generatedAt: s.now(), seqNo: 0 }), {});
  pending.admin('station', 'accept', 'TC-B02');
  await s.boot('PowerUp', 'Accepted');
  await s.status('Available');
  await s.call('NotifyEvent', { generatedAt: s.now(), seqNo: 0, eventData: [{ eventId: 1, timestamp: s.now(),
    trigger: 'Delta', actualValue: 'Available', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
    variable: { name: 'AvailabilityState' }, eventNotificationType: 'HardWiredNotification' }] });
});

test('TC_B_30_CSMS Cold Boot Charging Station - Pending/Rejected - SecurityError', async (t) => {
  const pending = await startServer({ unknownStations: 'pending', config });
  t.after(() => pending.stop());
  const s = new Station2(pending, 'TC-B30');
  await s.connect();
  t.after(() => s.close());
  await s.boot('PowerUp', 'Pending');
  assert.equal(await rpcErrorCode(s.status('Available')), 'SecurityError');
  assert.equal(await rpcErrorCode(s.call('NotifyEvent', { generatedAt: s.now(), seqNo: 0, eventData: [{ eventId: 1,
    timestamp: s.now(), trigger: 'Delta', actualValue: 'Available', component: { name: 'Connector' },
    variable: { name: 'AvailabilityState' }, eventNotificationType: 'HardWiredNotification' }] })), 'SecurityError');
});

test('TC_B_31_CSMS Cold Boot Charging Station - Pending/Rejected - TriggerMessage', async (t) => {
  const pending = await startServer({ unknownStations: 'pending', config });
  t.after(() => pending.stop());
  const s = new Station2(pending, 'TC-B31');
  s.cs.handle('TriggerMessage', ({ params }) => { s.triggered = params.requestedMessage; return { status: 'Accepted' }; });
  await s.connect();
  t.after(() => s.close());
  await s.boot('PowerUp', 'Pending');
  pending.admin('station', 'accept', 'TC-B31');
  const res = await pending.debugCall('TC-B31', 'TriggerMessage', { requestedMessage: 'BootNotification' });
  assert.deepEqual(res.body.payload, { status: 'Accepted' });
  assert.equal(s.triggered, 'BootNotification');
  await s.boot('Triggered', 'Accepted');
});

test('TC_B_06_CSMS Get Variables - single value', async (t) => {
  const s = await station(t, (st) => st.cs.handle('GetVariables', ({ params }) => ({
    getVariableResult: params.getVariableData.map((d) => ({ attributeStatus: 'Accepted', attributeValue: '300', component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const res = await prompt(s, 'GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
  assert.equal(res.body.status, 'result');
  const v = shown(s).device_model.find((d) => d.component === 'OCPPCommCtrlr' && d.variable === 'HeartbeatInterval');
  assert.equal(v.value, '300', 'the answer updates the stored device model');
});

test('TC_B_07_CSMS Get Variables - multiple values', async (t) => {
  const s = await station(t, (st) => st.cs.handle('GetVariables', ({ params }) => ({
    getVariableResult: params.getVariableData.map((d, i) => (i === 2
      ? { attributeStatus: 'UnknownVariable', component: d.component, variable: d.variable }
      : { attributeStatus: 'Accepted', attributeValue: `v${i}`, component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const res = await prompt(s, 'GetVariables', { getVariableData: [
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
    { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
    { component: { name: 'Nope' }, variable: { name: 'Nothing' } }] });
  assert.equal(res.body.payload.getVariableResult.length, 3);
  const model = shown(s).device_model;
  assert.equal(model.length, 2, 'only accepted values are stored');
  assert.equal(model.find((d) => d.component === 'AuthCtrlr').value, 'v1');
});

test('TC_B_09_CSMS Set Variables - single value', async (t) => {
  const s = await station(t, (st) => st.cs.handle('SetVariables', ({ params }) => ({
    setVariableResult: params.setVariableData.map((d) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const res = await prompt(s, 'SetVariables', { setVariableData: [{ attributeValue: '120', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
  assert.equal(res.body.payload.setVariableResult[0].attributeStatus, 'Accepted');
  assert.equal(shown(s).device_model[0].value, '120');
});

test('TC_B_10_CSMS Set Variables - multiple values', async (t) => {
  const s = await station(t, (st) => st.cs.handle('SetVariables', ({ params }) => ({
    setVariableResult: params.setVariableData.map((d, i) => ({ attributeStatus: i ? 'Rejected' : 'Accepted', component: d.component, variable: d.variable })),
  })));
  await s.booted();
  await prompt(s, 'SetVariables', { setVariableData: [
    { attributeValue: 'true', component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
    { attributeValue: '5', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageTimeout' } }] });
  const model = shown(s).device_model;
  assert.deepEqual(model.map((m) => [m.component, m.value]), [['AuthCtrlr', 'true']], 'a rejected value is not stored');
});

for (const [id, base] of [['TC_B_12_CSMS', 'ConfigurationInventory'], ['TC_B_13_CSMS', 'FullInventory']]) {
  test(`${id} Get Base Report - ${base}`, async (t) => {
    const s = await station(t);
    await s.booted();
    const res = await prompt(s, 'GetBaseReport', { requestId: 42, reportBase: base });
    assert.deepEqual(res.body.payload, { status: 'Accepted' });
    // The report comes in two parts; the CSMS reassembles them into the device model.
    const part = (seqNo, tbc, data) => s.call('NotifyReport', { requestId: 42, generatedAt: s.now(), tbc, seqNo, reportData: data });
    await part(0, true, [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' },
      variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite', persistent: true, constant: false }],
      variableCharacteristics: { dataType: 'integer', unit: 's', minLimit: 1, supportsMonitoring: true } }]);
    await part(1, false, [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' },
      variableAttribute: [{ type: 'Actual', value: '0', mutability: 'ReadOnly' }, { type: 'MaxSet', value: '22000' }],
      variableCharacteristics: { dataType: 'decimal', unit: 'W', maxLimit: 22000, supportsMonitoring: false } }]);
    const model = shown(s).device_model;
    assert.equal(model.length, 3);
    const hb = model.find((m) => m.variable === 'HeartbeatInterval');
    assert.deepEqual([hb.value, hb.mutability, hb.persistent, hb.data_type, hb.unit, hb.min_limit], ['300', 'ReadWrite', true, 'integer', 's', 1]);
    const maxSet = model.find((m) => m.variable === 'Power' && m.attribute_type === 'MaxSet');
    assert.deepEqual([maxSet.evse_id, maxSet.value, maxSet.max_limit], [1, '22000', 22000]);
  });
}

for (const [id, name, type, evse] of [
  ['TC_B_20_CSMS', 'Reset Charging Station - Without ongoing transaction - OnIdle', 'OnIdle', undefined],
  ['TC_B_21_CSMS', 'Reset Charging Station - With Ongoing Transaction - OnIdle', 'OnIdle', undefined],
  ['TC_B_22_CSMS', 'Reset Charging Station - With Ongoing Transaction - Immediate', 'Immediate', undefined],
  ['TC_B_25_CSMS', 'Reset EVSE - Without ongoing transaction', 'OnIdle', 1],
  ['TC_B_26_CSMS', 'Reset EVSE - With Ongoing Transaction - OnIdle', 'OnIdle', 1],
  ['TC_B_27_CSMS', 'Reset EVSE - With Ongoing Transaction - Immediate', 'Immediate', 1]]) {
  test(`${id} ${name}`, async (t) => {
    const ongoing = name.includes('With Ongoing');
    const s = await station(t, (st) => st.cs.handle('Reset', ({ params }) => {
      st.reset = params;
      return { status: ongoing && type === 'OnIdle' ? 'Scheduled' : 'Accepted' };
    }));
    await s.booted();
    if (ongoing) await s.energyTransferStarted();
    const payload = evse ? { type, evseId: evse } : { type };
    const res = await prompt(s, 'Reset', payload);
    assert.equal(res.body.status, 'result');
    assert.deepEqual(s.reset, payload);
    if (ongoing) { // the station ends the transaction and reboots
      await s.evDisconnected(type === 'Immediate' ? 'ImmediateReset' : 'Local', { triggerReason: 'ResetCommand' });
      if (!evse) await s.boot('RemoteReset');
      assert.equal(stored(s)[0].state, 'Ended');
    }
  });
}

for (const [id, name, status] of [['TC_B_42_CSMS', 'Set new NetworkConnectionProfile - Accepted', 'Accepted'],
  ['TC_B_44_CSMS', 'Set new NetworkConnectionProfile - Failed', 'Failed']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t, (st) => st.cs.handle('SetNetworkProfile', () => ({ status })));
    await s.booted();
    const res = await prompt(s, 'SetNetworkProfile', { configurationSlot: 1, connectionData: { ocppVersion: 'OCPP20',
      ocppTransport: 'JSON', ocppCsmsUrl: 'wss://csms.example.com/ocpp', messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wired0' } });
    assert.deepEqual(res.body.payload, { status });
  });
}

// ---- C Authorization ------------------------------------------------------------------------

for (const [id, name, token, status] of [
  ['TC_C_02_CSMS', 'Local start transaction - Authorization Invalid/Unknown', 'NOBODY-KNOWS-ME', 'Unknown'],
  ['TC_C_06_CSMS', 'Local start transaction - Authorization Blocked', 'TOKEN-BLOCKED', 'Blocked'],
  ['TC_C_07_CSMS', 'Local start transaction - Authorization Expired', 'TOKEN-EXPIRED', 'Expired']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    await s.evConnectedPreSession();
    const { auth } = await s.authorized({ idToken: token, type: 'ISO14443' });
    assert.equal(auth.idTokenInfo.status, status);
    assert.equal(s.last.res.idTokenInfo.status, status, 'TransactionEvent answers with the same verdict');
  });
}

test('TC_C_08_CSMS Authorization through authorization cache - Accepted', async (t) => {
  const s = await station(t);
  await s.booted();
  const { auth } = await s.authorized({ idToken: 'TOKEN-OK', type: 'ISO14443' });
  assert.equal(auth.idTokenInfo.status, 'Accepted');
  assert.equal(auth.idTokenInfo.cacheExpiryDateTime, '2099-01-01T00:00:00.000Z', 'cache expiry is the token expiry');
  assert.deepEqual(auth.idTokenInfo.groupIdToken, { idToken: 'GROUP-1', type: 'Central' });
});

test('TC_C_20_CSMS Authorization through authorization cache - Invalid', async (t) => {
  const s = await station(t);
  await s.booted();
  // The cached token is started offline-authorised; the CSMS answers its real status.
  s.begin();
  const res = await s.event('Started', 'Authorized', { idToken: { idToken: 'TOKEN-BLOCKED', type: 'ISO14443' }, meterValue: s.energy(0, 'Transaction.Begin') });
  assert.equal(res.idTokenInfo.status, 'Blocked');
  await s.event('Ended', 'Deauthorized', {}, { stoppedReason: 'DeAuthorized' });
  assert.equal(stored(s)[0].stop_reason, 'DeAuthorized');
});

for (const [id, status] of [['TC_C_37_CSMS', 'Accepted'], ['TC_C_38_CSMS', 'Rejected']]) {
  test(`${id} Clear Authorization Data in Authorization Cache - ${status}`, async (t) => {
    const s = await station(t, (st) => st.cs.handle('ClearCache', () => ({ status })));
    await s.booted();
    assert.deepEqual((await prompt(s, 'ClearCache', {})).body.payload, { status });
  });
}

test('TC_C_39_CSMS Authorization by GroupId - Success', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession();
  const a2 = await s.call('Authorize', { idToken: { idToken: 'TOKEN-2', type: 'ISO14443' } });
  assert.deepEqual(a2.idTokenInfo.groupIdToken, { idToken: 'GROUP-1', type: 'Central' });
  const started = await s.event('Updated', 'Authorized', { idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' } });
  assert.equal(started.idTokenInfo.status, 'Accepted');
  await s.energyTransferStarted();
  const again = await s.call('Authorize', { idToken: { idToken: 'TOKEN-2', type: 'ISO14443' } });
  assert.equal(again.idTokenInfo.groupIdToken.idToken, started.idTokenInfo.groupIdToken.idToken, 'same group: may stop it');
  const stop = await s.event('Updated', 'StopAuthorized', { idToken: { idToken: 'TOKEN-2', type: 'ISO14443' } }, { chargingState: 'EVConnected' });
  assert.equal(stop.idTokenInfo.status, 'Accepted');
  await s.evDisconnected('Local');
  assert.equal(stored(s)[0].id_tag, 'TOKEN-OK');
});

for (const [id, name, evses] of [['TC_C_47_CSMS', 'Stop Transaction with a Master Pass - With UI - All transactions', [1, 2]],
  ['TC_C_48_CSMS', 'Stop Transaction with a Master Pass - With UI - Specific transactions', [1]],
  ['TC_C_49_CSMS', 'Stop Transaction with a Master Pass - Without UI', [1, 2]]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    const txs = [];
    for (const [evse, token] of [[1, 'TOKEN-OK'], [2, 'TOKEN-2']]) {
      s.begin();
      await s.event('Started', 'Authorized', { evse: { id: evse, connectorId: 1 }, idToken: { idToken: token, type: 'ISO14443' },
        meterValue: s.energy(0, 'Transaction.Begin') }, { chargingState: 'Charging' });
      txs.push(s.tx);
    }
    const master = await s.call('Authorize', { idToken: { idToken: 'MASTER', type: 'ISO14443' } });
    assert.deepEqual(master.idTokenInfo.groupIdToken, { idToken: 'MASTERPASS', type: 'Central' });
    for (const evse of evses) {
      s.tx = txs[evse - 1];
      const res = await s.event('Ended', 'StopAuthorized', { idToken: { idToken: 'MASTER', type: 'ISO14443' } }, { stoppedReason: 'MasterPass' });
      assert.equal(res.idTokenInfo.status, 'Accepted');
    }
    const ended = stored(s).filter((x) => x.state === 'Ended');
    assert.equal(ended.length, evses.length);
    for (const e of ended) assert.equal(e.stop_reason, 'MasterPass');
  });
}

// ---- E Transactions -------------------------------------------------------------------------

async function startOption(t, trigger, chargingState, withToken) {
  const s = await station(t);
  await s.booted();
  s.begin();
  const extra = { meterValue: s.energy(500, 'Transaction.Begin') };
  if (withToken) extra.idToken = { idToken: 'TOKEN-OK', type: 'ISO14443' };
  const res = await s.event('Started', trigger, extra, chargingState ? { chargingState } : {});
  if (withToken) assert.equal(res.idTokenInfo.status, 'Accepted');
  else assert.deepEqual(res, {});
  const tx = stored(s)[0];
  assert.equal(tx.station_transaction_id, s.tx.id);
  assert.equal(tx.state, 'Active');
  assert.equal(tx.events[0].trigger_reason, trigger);
  return s;
}

test('TC_E_01_CSMS Start transaction options - PowerPathClosed', (t) => startOption(t, 'ChargingStateChanged', 'Charging', true));
test('TC_E_02_CSMS Start transaction options - EnergyTransfer', (t) => startOption(t, 'ChargingStateChanged', 'Charging', true));
test('TC_E_09_CSMS Start transaction options - EVConnected', (t) => startOption(t, 'CablePluggedIn', 'EVConnected', false));
test('TC_E_10_CSMS Start transaction options - Authorized - Local', (t) => startOption(t, 'Authorized', undefined, true));
test('TC_E_11_CSMS Start transaction options - DataSigned', async (t) => {
  const s = await station(t);
  await s.booted();
  s.begin();
  const signed = { signedMeterData: 'AQIDBAUGBwg=', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' };
  await s.event('Started', 'SignedDataReceived', { meterValue: s.energy(500, 'Transaction.Begin', { signedMeterValue: signed }) });
  const sample = stored(s)[0].meter_values[0];
  assert.deepEqual(JSON.parse(sample.signed_data), signed, 'signed meter data kept verbatim');
  assert.equal(sample.format, 'SignedData');
});
test('TC_E_12_CSMS Start transaction options - ParkingBayOccupied', (t) => startOption(t, 'EVDetected', undefined, false));

for (const [id, name, first] of [['TC_E_03_CSMS', 'Local start transaction - Cable plugin first - Success', 'cable'],
  ['TC_E_04_CSMS', 'Local start transaction - Authorization first - Success', 'auth']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    if (first === 'cable') await s.evConnectedPreSession();
    const { auth, res } = await s.authorized();
    assert.equal(auth.idTokenInfo.status, 'Accepted');
    assert.equal(res.idTokenInfo.status, 'Accepted');
    await s.energyTransferStarted();
    const tx = stored(s)[0];
    assert.equal(tx.id_tag, 'TOKEN-OK', 'the idToken presented after the start is recorded');
    assert.equal(tx.charging_state, 'Charging');
    assert.equal(tx.meter_start_wh, 1000);
  });
}

for (const [id, name, trigger, stoppedReason, chargingState] of [
  ['TC_E_07_CSMS', 'Stop transaction options - PowerPathClosed - Local stop', 'StopAuthorized', 'Local', 'EVConnected'],
  ['TC_E_08_CSMS', 'Stop transaction options - EnergyTransfer stopped - StopAuthorized', 'StopAuthorized', 'Local', 'EVConnected'],
  ['TC_E_14_CSMS', 'Stop transaction options - EVDisconnected - Charging Station side', 'EVCommunicationLost', 'EVDisconnected', 'Idle'],
  ['TC_E_15_CSMS', 'Stop transaction options - StopAuthorized - Local', 'StopAuthorized', 'Local', 'EVConnected'],
  ['TC_E_16_CSMS', 'Stop transaction options - Deauthorized - Invalid idToken', 'Deauthorized', 'DeAuthorized', 'EVConnected'],
  ['TC_E_17_CSMS', 'Stop transaction options - Deauthorized - EV side disconnect', 'EVCommunicationLost', 'EVDisconnected', 'Idle'],
  ['TC_E_19_CSMS', 'Stop transaction options - ParkingBayUnoccupied', 'EVDeparted', 'Local', 'Idle'],
  ['TC_E_20_CSMS', 'Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)', 'EVCommunicationLost', 'EVDisconnected', 'Idle'],
  ['TC_E_21_CSMS', 'Stop transaction options - StopAuthorized - Remote', 'RemoteStop', 'Remote', 'EVConnected'],
  ['TC_E_22_CSMS', 'Stop transaction options - EnergyTransfer stopped - SuspendedEV', 'ChargingStateChanged', 'StoppedByEV', 'SuspendedEV'],
  ['TC_E_39_CSMS', 'Stop transaction options - Deauthorized - timeout', 'EVConnectTimeout', 'Timeout', 'Idle']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    await s.energyTransferStarted();
    const extra = { meterValue: s.energy(9500, 'Transaction.End') };
    if (trigger === 'StopAuthorized') extra.idToken = { idToken: 'TOKEN-OK', type: 'ISO14443' };
    const res = await s.event('Ended', trigger, extra, { stoppedReason, chargingState });
    if (extra.idToken) assert.equal(res.idTokenInfo.status, 'Accepted');
    const tx = stored(s)[0];
    assert.equal(tx.state, 'Ended');
    assert.equal(tx.stop_reason, stoppedReason);
    assert.equal(tx.meter_stop_wh, 9500);
    assert.equal(tx.energy_wh, 8500);
    assert.equal(tx.stopped_at, s.last.payload.timestamp);
  });
}

test('TC_E_26_CSMS Disconnect cable on EV-side - Suspend transaction', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  const res = await s.event('Updated', 'EVCommunicationLost', {}, { chargingState: 'Idle' });
  assert.deepEqual(res, {});
  const tx = stored(s)[0];
  assert.equal(tx.state, 'Active', 'suspended, not ended');
  assert.equal(tx.charging_state, 'Idle');
});

for (const [id, name, withId, ongoing, queued] of [
  ['TC_E_29_CSMS', 'Check Transaction status - Transaction with id ongoing - with message in queue', true, true, true],
  ['TC_E_30_CSMS', 'Check Transaction status - Transaction with id ongoing - without message in queue', true, true, false],
  ['TC_E_31_CSMS', 'Check Transaction status - Transaction with id ended - with message in queue', true, false, true],
  ['TC_E_33_CSMS', 'Check Transaction status - Without transactionId - with message in queue', false, undefined, true],
  ['TC_E_34_CSMS', 'Check Transaction status - Without transactionId - without message in queue', false, undefined, false]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t, (st) => st.cs.handle('GetTransactionStatus', ({ params }) => {
      st.asked = params;
      return ongoing === undefined ? { messagesInQueue: queued } : { ongoingIndicator: ongoing, messagesInQueue: queued };
    }));
    await s.booted();
    await s.energyTransferStarted();
    const res = await prompt(s, 'GetTransactionStatus', withId ? { transactionId: s.tx.id } : {});
    assert.equal(res.body.status, 'result');
    assert.equal(res.body.payload.messagesInQueue, queued);
    if (queued) { // the queued events arrive, marked offline
      const late = await s.event(ongoing === false ? 'Ended' : 'Updated', 'MeterValuePeriodic',
        { offline: true, meterValue: s.energy(4000, 'Sample.Periodic') }, ongoing === false ? { stoppedReason: 'Local' } : {});
      assert.deepEqual(late, {});
      assert.equal(stored(s)[0].offline_events, true);
    }
  });
}

test('TC_E_38_CSMS Local start transaction - EV not ready', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession();
  await s.authorized();
  const res = await s.event('Updated', 'ChargingStateChanged', {}, { chargingState: 'SuspendedEV' });
  assert.deepEqual(res, {});
  assert.equal(stored(s)[0].charging_state, 'SuspendedEV');
});

test('TC_E_53_CSMS Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction', async (t) => {
  const s = await station(t);
  await s.booted();
  for (let i = 0; i < 2; i++) {
    s.begin();
    await s.event('Started', 'CablePluggedIn', { meterValue: s.energy(1000, 'Transaction.Begin') }, { chargingState: 'EVConnected' });
    assert.equal(s.last.payload.seqNo, 0);
    await s.evDisconnected();
  }
  const txs = stored(s);
  assert.equal(txs.length, 2);
  for (const tx of txs) assert.deepEqual(tx.events.map((e) => e.seq_no), [0, 1]);
  assert.equal(shown(s).anomalies.length, 0);
});

// ---- G Availability -------------------------------------------------------------------------

for (const [id, name, evse, status, withTx] of [
  ['TC_G_03_CSMS', 'Change Availability EVSE - Operative to inoperative', { id: 1 }, 'Inoperative', false],
  ['TC_G_04_CSMS', 'Change Availability EVSE - Inoperative to operative', { id: 1 }, 'Operative', false],
  ['TC_G_05_CSMS', 'Change Availability Charging Station - Operative to inoperative', undefined, 'Inoperative', false],
  ['TC_G_06_CSMS', 'Change Availability Charging Station - Inoperative to operative', undefined, 'Operative', false],
  ['TC_G_07_CSMS', 'Change Availability Connector - Operative to inoperative', { id: 1, connectorId: 1 }, 'Inoperative', false],
  ['TC_G_08_CSMS', 'Change Availability Connector - Inoperative to operative', { id: 1, connectorId: 1 }, 'Operative', false],
  ['TC_G_11_CSMS', 'Change Availability EVSE - With ongoing transaction', { id: 1 }, 'Inoperative', true],
  ['TC_G_14_CSMS', 'Change Availability Charging Station - With ongoing transaction', undefined, 'Inoperative', true],
  ['TC_G_17_CSMS', 'Change Availability Connector - With ongoing transaction', { id: 1, connectorId: 1 }, 'Inoperative', true]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t, (st) => st.cs.handle('ChangeAvailability', ({ params }) => {
      st.asked = params;
      return { status: withTx ? 'Scheduled' : 'Accepted' };
    }));
    await s.booted();
    if (withTx) await s.energyTransferStarted();
    const payload = evse ? { operationalStatus: status, evse } : { operationalStatus: status };
    const res = await prompt(s, 'ChangeAvailability', payload);
    assert.deepEqual(res.body.payload, { status: withTx ? 'Scheduled' : 'Accepted' });
    assert.deepEqual(s.asked, payload);
    if (withTx) await s.evDisconnected();
    const after = status === 'Inoperative' ? 'Unavailable' : 'Available';
    assert.deepEqual(await s.status(after), {});
    const connector = shown(s).connectors.find((c) => c.evse_id === 1 && c.connector_id === 1);
    assert.equal(connector.status, after);
  });
}

test('TC_G_20_CSMS Connector status Notification - Lock Failure', async (t) => {
  const s = await station(t);
  await s.booted();
  assert.deepEqual(await s.status('Faulted'), {});
  const res = await s.call('NotifyEvent', { generatedAt: s.now(), seqNo: 0, eventData: [{ eventId: 9, timestamp: s.now(),
    trigger: 'Delta', actualValue: 'true', techCode: 'LockFailure', component: { name: 'ConnectorPlugRetentionLock', evse: { id: 1, connectorId: 1 } },
    variable: { name: 'Problem' }, eventNotificationType: 'HardWiredNotification' }] });
  assert.deepEqual(res, {});
  const st = shown(s);
  assert.equal(st.connectors.find((c) => c.connector_id === 1).status, 'Faulted');
  assert.equal(st.messages.find((m) => m.kind === 'NotifyEvent').payload.eventData[0].techCode, 'LockFailure');
});

// ---- J Meter values -------------------------------------------------------------------------

const clockSample = (s, wh, context = 'Sample.Clock', extra = {}) => [{ timestamp: s.now(), sampledValue: [
  { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 }, ...extra },
  { value: 230.4, context, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } }] }];

test('TC_J_01_CSMS Clock-aligned Meter Values - No transaction ongoing', async (t) => {
  const s = await station(t);
  await s.booted();
  assert.deepEqual(await s.call('MeterValues', { evseId: 0, meterValue: clockSample(s, 1234.5) }), {});
  assert.deepEqual(await s.call('MeterValues', { evseId: 1, meterValue: clockSample(s, 12.5) }), {});
});

test('TC_J_02_CSMS Clock-aligned Meter Values - Transaction ongoing', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  await s.event('Updated', 'MeterValueClock', { meterValue: clockSample(s, 3.5) });
  const tx = stored(s)[0];
  assert.equal(tx.energy_wh, 2500, '3.5 kWh register - 1000 Wh at start');
  assert.ok(tx.meter_values.find((m) => m.measurand === 'Voltage' && m.value === '230.4' && m.phase === 'L1-N'));
});

test('TC_J_03_CSMS Clock-aligned Meter Values - EventType Ended', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  await s.event('Ended', 'EVCommunicationLost', { meterValue: [...clockSample(s, 4, 'Sample.Clock'), ...clockSample(s, 5, 'Transaction.End')] },
    { stoppedReason: 'EVDisconnected' });
  const tx = stored(s)[0];
  assert.equal(tx.meter_stop_wh, 5000);
  assert.equal(tx.energy_wh, 4000);
});

test('TC_J_04_CSMS Clock-aligned Meter Values - Signed', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  const signed = { signedMeterData: 'c2lnbmVk', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'EDL', publicKey: 'cHVi' };
  await s.evDisconnected('EVDisconnected', { meterValue: clockSample(s, 6, 'Transaction.End', { signedMeterValue: signed }) });
  const withSig = stored(s)[0].meter_values.filter((m) => m.signed_data);
  assert.equal(withSig.length, 1);
  assert.deepEqual(JSON.parse(withSig[0].signed_data), signed);
});

test('TC_J_07_CSMS Sampled Meter Values - EventType Started - EVSE known', async (t) => {
  const s = await station(t);
  await s.booted();
  s.begin();
  await s.event('Started', 'CablePluggedIn', { evse: { id: 1, connectorId: 1 }, meterValue: clockSample(s, 2, 'Transaction.Begin') });
  const tx = stored(s)[0];
  assert.equal(tx.meter_start_wh, 2000);
  assert.equal(tx.evse_id, 1);
});

test('TC_J_08_CSMS Sampled Meter Values - Context Transaction.Begin - EVSE not known', async (t) => {
  const s = await station(t);
  await s.booted();
  s.begin();
  // The EVSE is not known yet at the start (e.g. a shared authorisation); it follows later.
  await s.call('TransactionEvent', { eventType: 'Started', timestamp: s.now(), triggerReason: 'Authorized', seqNo: s.tx.seq++,
    transactionInfo: { transactionId: s.tx.id }, idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' } });
  await s.event('Updated', 'CablePluggedIn', { evse: { id: 1, connectorId: 1 }, meterValue: clockSample(s, 2, 'Transaction.Begin') });
  const tx = stored(s)[0];
  assert.equal(tx.evse_id, 1);
  assert.equal(tx.connector_id, 1);
});

for (const [id, name, type] of [['TC_J_09_CSMS', 'Sampled Meter Values - EventType Updated', 'Updated'],
  ['TC_J_10_CSMS', 'Sampled Meter Values - EventType Ended', 'Ended'], ['TC_J_11_CSMS', 'Sampled Meter Values - Signed', 'Updated']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    await s.energyTransferStarted();
    const extra = id === 'TC_J_11_CSMS' ? { signedMeterValue: { signedMeterData: 'eA==', signingMethod: 'RSA', encodingMethod: 'OCMF', publicKey: 'cA==' } } : {};
    await s.event(type, 'MeterValuePeriodic', { meterValue: clockSample(s, 7.25, type === 'Ended' ? 'Transaction.End' : 'Sample.Periodic', extra) },
      type === 'Ended' ? { stoppedReason: 'Local' } : {});
    const tx = stored(s)[0];
    assert.equal(tx.energy_wh, 6250);
    if (extra.signedMeterValue) assert.ok(tx.meter_values.some((m) => m.signed_data));
  });
}
