// OCPP 2.0.1 part 6 CSMS test cases, block B (provisioning), step by step from the catalogue.
// docs/conformance.md lists every case with what it exercises.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { rpcErrorCode } = require('./harness');
const { conformanceServer, helpers, Station, actualOrAbsent, VALID, operator: commandOn } = require('./tc201_helpers');

let server;
const { stored, storedTx, shown, connector, station, operator } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

async function pendingStation(t, setup) {
  const pending = await conformanceServer({ unknownStations: 'pending' });
  t.after(() => pending.stop());
  const s = new Station(pending);
  if (setup) setup(s);
  await s.connect();
  t.after(() => s.close());
  return { pending, s };
}

test('TC_B_01_CSMS Cold Boot Charging Station - Accepted', async (t) => {
  const s = await station(t);
  const res = await s.booted(); // Reusable State Booted: BootNotificationResponse Accepted
  assert.ok(res.interval > 0);
  const st = shown(s);
  assert.equal(st.registration, 'Accepted');
  assert.deepEqual([st.protocol, st.vendor, st.model, st.serial_number, st.firmware_version, st.iccid, st.imsi],
    ['ocpp2.0.1', 'Acme', 'Model-2X', `SN-${s.identity}`, '2.0.1-rc', '8931', '2620']);
  assert.equal(connector(s).status, 'Available');
  assert.ok(st.messages.some((m) => m.kind === 'NotifyEvent' && m.payload.eventData[0].actualValue === 'Available'));
});

test('TC_B_02_CSMS Cold Boot Charging Station - Pending', async (t) => {
  const { pending, s } = await pendingStation(t);
  // Steps 1-2: the CSMS is configured to answer Pending first.
  const first = await s.boot('PowerUp', 'Pending');
  assert.ok(first.interval > 0);
  assert.equal(pending.adminJson('station', 'show', s.identity).registration, 'Pending');
  // The operator accepts the station during the interval; steps 3-4: the next boot is Accepted.
  pending.admin('station', 'accept', s.identity);
  await s.boot('PowerUp', 'Accepted');
  // Steps 5-6: the connectors' state is taken.
  await s.connectorState('Available');
  const st = pending.adminJson('station', 'show', s.identity);
  assert.equal(st.registration, 'Accepted');
  assert.equal(st.connectors.find((c) => c.evse_id === 1 && c.connector_id === 1).status, 'Available');
});

test('TC_B_30_CSMS Cold Boot Charging Station - Pending/Rejected - SecurityError', async (t) => {
  const { pending, s } = await pendingStation(t);
  await s.boot('PowerUp', 'Pending'); // Step 2: status Pending
  // Steps 3-4: StatusNotification and NotifyEvent answered with CALLERROR SecurityError.
  assert.equal(await rpcErrorCode(s.status('Available')), 'SecurityError');
  assert.equal(await rpcErrorCode(s.call('NotifyEvent', { generatedAt: s.now(), seqNo: 0, eventData: [{ eventId: 1,
    timestamp: s.now(), trigger: 'Delta', actualValue: 'Available', component: { name: 'Connector' },
    variable: { name: 'AvailabilityState' }, eventNotificationType: 'HardWiredNotification' }] })), 'SecurityError');
  const st = pending.adminJson('station', 'show', s.identity);
  assert.deepEqual(st.connectors, [], 'nothing of the refused messages is stored');
  assert.ok(!st.messages.some((m) => m.kind === 'NotifyEvent'));
});

test('TC_B_31_CSMS Cold Boot Charging Station - Pending/Rejected - TriggerMessage', async (t) => {
  const { pending, s } = await pendingStation(t, (st) => st.answer('TriggerMessage', () => ({ status: 'Accepted' })));
  await s.boot('PowerUp', 'Pending'); // Step 2: status Pending
  // The operator accepts the station and has the CSMS ask for a new boot (step 3).
  pending.admin('station', 'accept', s.identity);
  const cmd = await commandOn(pending, s, 'trigger_message', { message: 'BootNotification' });
  assert.deepEqual(s.only('TriggerMessage'), { requestedMessage: 'BootNotification' }, 'step 3: requestedMessage BootNotification');
  assert.deepEqual([cmd.status, cmd.action, cmd.response], ['accepted', 'TriggerMessage', { status: 'Accepted' }]);
  await s.boot('Triggered', 'Accepted'); // Steps 5-6: status Accepted
  await s.connectorState('Available'); // Steps 7-8
  assert.equal(pending.adminJson('station', 'show', s.identity).registration, 'Accepted');
});

test('TC_B_06_CSMS Get Variables - single value', async (t) => {
  const s = await station(t, (st) => st.answer('GetVariables', (p) => ({
    getVariableResult: p.getVariableData.map((d) => ({ attributeStatus: 'Accepted', attributeValue: '300', component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const cmd = await operator(s, 'get_variables', { variables: [{ component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' }] });
  // Step 1: the request Gridlane built.
  const req = s.only('GetVariables');
  assert.equal(req.getVariableData.length, 1);
  const [d] = req.getVariableData;
  actualOrAbsent(d);
  assert.equal(d.variable.name, 'OfflineThreshold');
  assert.equal(d.component.name, 'OCPPCommCtrlr');
  // What it stored: the command's outcome and the value read.
  assert.equal(cmd.status, 'accepted');
  assert.equal(cmd.response.getVariableResult[0].attributeValue, '300');
  const v = shown(s).device_model.find((m) => m.component === 'OCPPCommCtrlr' && m.variable === 'OfflineThreshold');
  assert.equal(v.value, '300');
});

test('TC_B_07_CSMS Get Variables - multiple values', async (t) => {
  const values = { OfflineThreshold: '300', AuthorizeRemoteStart: 'true' };
  const s = await station(t, (st) => st.answer('GetVariables', (p) => ({
    getVariableResult: p.getVariableData.map((d) => ({ attributeStatus: 'Accepted', attributeValue: values[d.variable.name],
      component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const cmd = await operator(s, 'get_variables', { variables: [
    { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' }, { component: 'AuthCtrlr', variable: 'AuthorizeRemoteStart' }] });
  const req = s.only('GetVariables');
  assert.equal(req.getVariableData.length, 2);
  const names = req.getVariableData.map((d) => { actualOrAbsent(d); return `${d.component.name}.${d.variable.name}`; }).sort();
  assert.deepEqual(names, ['AuthCtrlr.AuthorizeRemoteStart', 'OCPPCommCtrlr.OfflineThreshold'], 'in arbitrary order');
  assert.equal(cmd.status, 'accepted');
  const model = shown(s).device_model;
  assert.equal(model.find((m) => m.component === 'OCPPCommCtrlr' && m.variable === 'OfflineThreshold').value, '300');
  assert.equal(model.find((m) => m.component === 'AuthCtrlr' && m.variable === 'AuthorizeRemoteStart').value, 'true');
});

test('TC_B_09_CSMS Set Variables - single value', async (t) => {
  const s = await station(t, (st) => st.answer('SetVariables', (p) => ({
    setVariableResult: p.setVariableData.map((d) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const cmd = await operator(s, 'set_variables', { variables: [{ component: 'OCPPCommCtrlr', variable: 'OfflineThreshold', value: '123' }] });
  const req = s.only('SetVariables');
  assert.equal(req.setVariableData.length, 1);
  const [d] = req.setVariableData;
  assert.deepEqual([d.variable.name, d.component.name, d.attributeValue], ['OfflineThreshold', 'OCPPCommCtrlr', '123']);
  actualOrAbsent(d);
  assert.equal(cmd.status, 'accepted');
  assert.equal(shown(s).device_model.find((m) => m.variable === 'OfflineThreshold').value, '123', 'the accepted value is stored');
});

test('TC_B_10_CSMS Set Variables - multiple values', async (t) => {
  const s = await station(t, (st) => st.answer('SetVariables', (p) => ({
    setVariableResult: p.setVariableData.map((d) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })),
  })));
  await s.booted();
  const cmd = await operator(s, 'set_variables', { variables: [
    { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold', value: '123' },
    { component: 'AuthCtrlr', variable: 'AuthorizeRemoteStart', value: 'false' }] });
  const req = s.only('SetVariables');
  assert.equal(req.setVariableData.length, 2);
  const byName = Object.fromEntries(req.setVariableData.map((d) => { actualOrAbsent(d); return [`${d.component.name}.${d.variable.name}`, d.attributeValue]; }));
  assert.deepEqual(byName, { 'OCPPCommCtrlr.OfflineThreshold': '123', 'AuthCtrlr.AuthorizeRemoteStart': 'false' });
  assert.equal(cmd.status, 'accepted');
  const model = Object.fromEntries(shown(s).device_model.map((m) => [`${m.component}.${m.variable}`, m.value]));
  assert.deepEqual(model, { 'OCPPCommCtrlr.OfflineThreshold': '123', 'AuthCtrlr.AuthorizeRemoteStart': 'false' });
});

for (const [id, base] of [['TC_B_12_CSMS', 'ConfigurationInventory'], ['TC_B_13_CSMS', 'FullInventory']]) {
  test(`${id} Get Base Report - ${base}`, async (t) => {
    const s = await station(t);
    await s.booted();
    const cmd = await operator(s, 'get_base_report', { report_base: base });
    // Step 1: requestId an integer >= 0, reportBase as asked.
    const req = s.only('GetBaseReport');
    assert.ok(Number.isInteger(req.requestId) && req.requestId >= 0, `requestId ${req.requestId}`);
    assert.equal(req.reportBase, base);
    assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]);
    // Post scenario: the NotifyReport parts for this requestId make up what an operator is shown.
    const part = (seqNo, tbc, data) => s.call('NotifyReport', { requestId: req.requestId, generatedAt: s.now(), tbc, seqNo, reportData: data });
    assert.deepEqual(await part(0, true, [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' },
      variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite', persistent: true, constant: false }],
      variableCharacteristics: { dataType: 'integer', unit: 's', minLimit: 1, supportsMonitoring: true } }]), {});
    assert.deepEqual(await part(1, false, [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' },
      variableAttribute: [{ type: 'Actual', value: '0', mutability: 'ReadOnly' }, { type: 'MaxSet', value: '22000' }],
      variableCharacteristics: { dataType: 'decimal', unit: 'W', maxLimit: 22000, supportsMonitoring: false } }]), {});
    const model = shown(s).device_model;
    assert.equal(model.length, 3);
    const hb = model.find((m) => m.variable === 'HeartbeatInterval');
    assert.deepEqual([hb.value, hb.mutability, hb.persistent, hb.data_type, hb.unit, hb.min_limit], ['300', 'ReadWrite', true, 'integer', 's', 1]);
    const maxSet = model.find((m) => m.variable === 'Power' && m.attribute_type === 'MaxSet');
    assert.deepEqual([maxSet.evse_id, maxSet.value, maxSet.max_limit], [1, '22000', 22000]);
  });
}

// ---- B11/B12 Reset --------------------------------------------------------------------------

function resetStation(t, status) {
  return station(t, (st) => st.answer('Reset', () => ({ status })));
}

test('TC_B_20_CSMS Reset Charging Station - Without ongoing transaction - OnIdle', async (t) => {
  const s = await resetStation(t, 'Accepted');
  await s.booted();
  const bootBefore = shown(s).last_boot_at;
  const cmd = await operator(s, 'reset', { type: 'soft' });
  assert.deepEqual(s.only('Reset'), { type: 'OnIdle' }, 'step 1: ResetRequest OnIdle for the whole station');
  assert.deepEqual([cmd.status, cmd.action], ['accepted', 'Reset']);
  // The station reboots: a new connection, steps 3-4 (BootNotificationResponse Accepted), 5-6.
  await s.reconnect();
  await s.booted('RemoteReset');
  const st = shown(s);
  assert.ok(st.last_boot_at > bootBefore, 'the boot after the reset is recorded');
  assert.equal(connector(s).status, 'Available');
});

test('TC_B_21_CSMS Reset Charging Station - With Ongoing Transaction - OnIdle', async (t) => {
  const s = await resetStation(t, 'Scheduled');
  await s.booted();
  await s.energyTransferStarted();
  const cmd = await operator(s, 'reset', { type: 'soft' });
  assert.deepEqual(s.only('Reset'), { type: 'OnIdle' }, 'step 1: ResetRequest OnIdle');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Scheduled' }]);
  // Steps 3-6: the driver stops, the EV leaves.
  const stop = await s.te('Updated', 'StopAuthorized', { idToken: VALID }, { chargingState: 'EVConnected' });
  assert.equal(stop.idTokenInfo.status, 'Accepted');
  assert.deepEqual(await s.te('Ended', 'EVCommunicationLost', { meterValue: s.energy(7000, 'Transaction.End') },
    { chargingState: 'Idle', stoppedReason: 'EVDisconnected' }), {});
  // Steps 7-10: the scheduled reset happens.
  await s.reconnect();
  await s.booted('ScheduledReset'); // step 8: Accepted
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.stop_reason, tx.energy_wh], ['Ended', 'EVDisconnected', 6000]);
  assert.deepEqual(tx.events.slice(-2).map((e) => e.trigger_reason), ['StopAuthorized', 'EVCommunicationLost']);
  assert.equal(connector(s).status, 'Available');
});

test('TC_B_22_CSMS Reset Charging Station - With Ongoing Transaction - Immediate', async (t) => {
  const s = await resetStation(t, 'Accepted');
  await s.booted();
  await s.energyTransferStarted();
  const cmd = await operator(s, 'reset', { type: 'hard' });
  assert.deepEqual(s.only('Reset'), { type: 'Immediate' }, 'step 1: ResetRequest Immediate');
  assert.equal(cmd.status, 'accepted');
  // Steps 3-4: the station ends the transaction itself, no idToken.
  assert.deepEqual(await s.te('Ended', 'ResetCommand', { meterValue: s.energy(5000, 'Transaction.End') },
    { chargingState: 'EVConnected', stoppedReason: 'ImmediateReset' }), {});
  // Steps 5-8: reboot, BootNotification RemoteReset Accepted; the cable is still in.
  await s.reconnect();
  await s.boot('RemoteReset', 'Accepted');
  await s.connectorState('Occupied');
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.stop_reason, tx.meter_stop_wh, tx.stop_id_tag], ['Ended', 'ImmediateReset', 5000, null]);
  assert.equal(tx.events.at(-1).trigger_reason, 'ResetCommand');
  assert.equal(connector(s).status, 'Occupied');
});

test('TC_B_25_CSMS Reset EVSE - Without ongoing transaction', async (t) => {
  const s = await resetStation(t, 'Accepted');
  await s.booted();
  const cmd = await operator(s, 'reset', { type: 'soft', evse_id: 1 });
  assert.deepEqual(s.only('Reset'), { type: 'OnIdle', evseId: 1 }, 'step 1: type OnIdle, evseId');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]);
  assert.equal(stored(s).length, 0);
});

test('TC_B_26_CSMS Reset EVSE - With Ongoing Transaction - OnIdle', async (t) => {
  const s = await resetStation(t, 'Scheduled');
  await s.booted();
  await s.energyTransferStarted();
  const cmd = await operator(s, 'reset', { type: 'soft', evse_id: 1 });
  assert.deepEqual(s.only('Reset'), { type: 'OnIdle', evseId: 1 }, 'step 1: type OnIdle, evseId');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Scheduled' }]);
  const stop = await s.te('Updated', 'StopAuthorized', { idToken: VALID }, { chargingState: 'EVConnected' });
  assert.equal(stop.idTokenInfo.status, 'Accepted');
  assert.deepEqual(await s.te('Ended', 'EVCommunicationLost', {}, { chargingState: 'Idle', stoppedReason: 'EVDisconnected' }), {});
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.stop_reason, tx.charging_state], ['Ended', 'EVDisconnected', 'Idle']);
});

test('TC_B_27_CSMS Reset EVSE - With Ongoing Transaction - Immediate', async (t) => {
  const s = await resetStation(t, 'Accepted');
  await s.booted();
  await s.energyTransferStarted();
  const cmd = await operator(s, 'reset', { type: 'hard', evse_id: 1 });
  assert.deepEqual(s.only('Reset'), { type: 'Immediate', evseId: 1 }, 'step 1: type Immediate, evseId');
  assert.equal(cmd.status, 'accepted');
  assert.deepEqual(await s.te('Ended', 'ResetCommand', {}, { chargingState: 'EVConnected', stoppedReason: 'ImmediateReset' }), {});
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.stop_reason, tx.charging_state], ['Ended', 'ImmediateReset', 'EVConnected']);
});

// ---- B09 SetNetworkProfile ------------------------------------------------------------------

for (const [id, name, status, verdict] of [['TC_B_42_CSMS', 'Set new NetworkConnectionProfile - Accepted', 'Accepted', 'accepted'],
  ['TC_B_44_CSMS', 'Set new NetworkConnectionProfile - Failed', 'Failed', 'rejected']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t, (st) => st.answer('SetNetworkProfile', () => ({ status })));
    await s.booted();
    const cmd = await operator(s, 'set_network_profile', { configuration_slot: 2, connection_data: {
      ocpp_csms_url: 'wss://csms.example.com/ocpp', message_timeout: 30, security_profile: 2, ocpp_interface: 'Wired0' } });
    // Step 1 (B_42's tool validations; B_44 sends the same request).
    assert.deepEqual(s.only('SetNetworkProfile'), { configurationSlot: 2, connectionData: { ocppVersion: 'OCPP20',
      ocppTransport: 'JSON', ocppCsmsUrl: 'wss://csms.example.com/ocpp', messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wired0' } });
    // Step 2: the station's verdict is what the command record says.
    assert.deepEqual([cmd.status, cmd.action, cmd.response], [verdict, 'SetNetworkProfile', { status }]);
  });
}

test('set_network_profile is refused for a 1.6 station and with a security profile out of range', async (t) => {
  const s = await station(t);
  await s.booted();
  const token = await server.adminToken();
  const bad = await server.request('POST', `/api/v1/stations/${s.identity}/commands`, { token, body: { kind: 'set_network_profile',
    params: { configuration_slot: 1, connection_data: { ocpp_csms_url: 'wss://x/ocpp', message_timeout: 30, security_profile: 9, ocpp_interface: 'Wired0' } } } });
  assert.equal(bad.status, 422);
  assert.match(bad.body.detail, /security_profile/);
  assert.equal(s.requests('SetNetworkProfile').length, 0, 'nothing was sent');
  const cs = server.client(`TC201-V16-${process.pid}`);
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  for (const kind of ['set_network_profile', 'get_base_report', 'get_transaction_status']) {
    const res = await server.request('POST', `/api/v1/stations/TC201-V16-${process.pid}/commands`, { token, body: { kind, params: {
      configuration_slot: 1, connection_data: { ocpp_csms_url: 'wss://x/ocpp', message_timeout: 30, security_profile: 1, ocpp_interface: 'Wired0' } } } });
    assert.equal(res.status, 422, kind);
    assert.match(res.body.detail, /OCPP 2\.x/);
  }
});

test('after these cases every stored record reads back through the API and the admin CLI', async () => {
  await server.assertHealthy(assert);
});
