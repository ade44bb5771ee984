// OCPP 2.0.1 part 6 CSMS test cases, block E (transactions), step by step from the catalogue.
// docs/conformance.md lists every case with what it exercises.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { conformanceServer, helpers, VALID, INVALID } = require('./tc201_helpers');

let server;
const { stored, storedTx, shown, connector, station, operator } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

const triggers = (tx) => tx.events.map((e) => e.trigger_reason);

// ---- E01 start options ----------------------------------------------------------------------

// Steps 1-6 of E_01, E_02 and E_11: Authorize, the connector Occupied, a Started event.
async function authorizeOccupyStart(s, trigger, transactionInfo, meterValue) {
  const auth = await s.call('Authorize', { idToken: VALID });
  assert.equal(auth.idTokenInfo.status, 'Accepted', 'step 2: AuthorizeResponse Accepted');
  await s.connectorState('Occupied');
  s.newTx();
  const res = await s.te('Started', trigger, { idToken: VALID, evse: { id: 1, connectorId: 1 }, meterValue }, transactionInfo);
  assert.equal(res.idTokenInfo.status, 'Accepted', 'step 6: TransactionEventResponse Accepted');
  return res;
}

test('TC_E_01_CSMS Start transaction options - PowerPathClosed', async (t) => {
  const s = await station(t);
  await s.booted();
  await authorizeOccupyStart(s, 'ChargingStateChanged', { chargingState: 'SuspendedEVSE' }, s.energy(500, 'Transaction.Begin'));
  assert.equal(storedTx(s).charging_state, 'SuspendedEVSE');
  // Steps 7-8: the power path closes, energy flows.
  assert.deepEqual(await s.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' }), {});
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.id_tag, tx.evse_id, tx.connector_id, tx.charging_state], ['Active', VALID.idToken, 1, 1, 'Charging']);
  assert.deepEqual(tx.events.map((e) => [e.event_type, e.charging_state]), [['Started', 'SuspendedEVSE'], ['Updated', 'Charging']]);
  assert.equal(connector(s).status, 'Occupied');
});

test('TC_E_02_CSMS Start transaction options - EnergyTransfer', async (t) => {
  const s = await station(t);
  await s.booted();
  await authorizeOccupyStart(s, 'ChargingStateChanged', { chargingState: 'Charging' }, s.energy(500, 'Transaction.Begin'));
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.id_tag, tx.charging_state, tx.meter_start_wh], ['Active', VALID.idToken, 'Charging', 500]);
  assert.deepEqual(tx.events.map((e) => [e.event_type, e.trigger_reason]), [['Started', 'ChargingStateChanged']]);
});

test('TC_E_09_CSMS Start transaction options - EVConnected', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.connectorState('Occupied'); // steps 1-2
  s.newTx();
  const res = await s.te('Started', 'CablePluggedIn', { evse: { id: 1, connectorId: 1 } }, { chargingState: 'EVConnected' });
  assert.deepEqual(res, {}, 'no idToken, no idTokenInfo');
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.evse_id, tx.connector_id, tx.charging_state, triggers(tx)[0]], ['Active', 1, 1, 'EVConnected', 'CablePluggedIn']);
});

test('TC_E_10_CSMS Start transaction options - Authorized - Local', async (t) => {
  const s = await station(t);
  await s.booted();
  const auth = await s.call('Authorize', { idToken: VALID });
  assert.equal(auth.idTokenInfo.status, 'Accepted', 'step 2');
  s.newTx();
  const res = await s.te('Started', 'Authorized', { idToken: VALID });
  assert.equal(res.idTokenInfo.status, 'Accepted', 'step 4');
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.id_tag, triggers(tx)], ['Active', VALID.idToken, ['Authorized']]);
});

test('TC_E_11_CSMS Start transaction options - DataSigned', async (t) => {
  const s = await station(t);
  await s.booted();
  const signed = { signedMeterData: 'AQIDBAUGBwg=', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' };
  // Step 5: sampledValue 0.0, Transaction.Begin, signed.
  await authorizeOccupyStart(s, 'SignedDataReceived', {}, s.energy(0.0, 'Transaction.Begin', { signedMeterValue: signed }));
  assert.deepEqual(await s.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' }), {}); // steps 7-8
  const tx = storedTx(s);
  assert.deepEqual([tx.meter_start_wh, tx.charging_state, triggers(tx)], [0, 'Charging', ['SignedDataReceived', 'ChargingStateChanged']]);
  const sample = tx.meter_values.find((m) => m.context === 'Transaction.Begin');
  assert.deepEqual(JSON.parse(sample.signed_data), signed, 'signed meter data kept verbatim');
  assert.equal(sample.format, 'SignedData');
});

test('TC_E_12_CSMS Start transaction options - ParkingBayOccupied', async (t) => {
  const s = await station(t);
  await s.booted();
  s.newTx();
  assert.deepEqual(await s.te('Started', 'EVDetected'), {});
  const tx = storedTx(s);
  assert.deepEqual([tx.state, triggers(tx)], ['Active', ['EVDetected']]);
});

// ---- E02/E03 local start --------------------------------------------------------------------

test('TC_E_03_CSMS Local start transaction - Cable plugin first - Success', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession(); // before state
  await s.authorized(); // step 1 (Updated: the EV is connected)
  await s.energyTransferStarted(); // step 2 (part 2 only)
  const tx = storedTx(s);
  assert.deepEqual(tx.events.map((e) => [e.event_type, e.trigger_reason]),
    [['Started', 'CablePluggedIn'], ['Updated', 'Authorized'], ['Updated', 'ChargingStateChanged']]);
  assert.deepEqual([tx.id_tag, tx.charging_state, tx.meter_start_wh], [VALID.idToken, 'Charging', 1000]);
});

test('TC_E_04_CSMS Local start transaction - Authorization first - Success', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.authorized(); // step 1 (Started: no EV yet)
  await s.energyTransferStarted(); // step 2: part 1 (cable plugged in) and part 2
  const tx = storedTx(s);
  assert.deepEqual(tx.events.map((e) => [e.event_type, e.trigger_reason, e.charging_state]),
    [['Started', 'Authorized', null], ['Updated', 'CablePluggedIn', 'EVConnected'], ['Updated', 'ChargingStateChanged', 'Charging']]);
  assert.deepEqual([tx.id_tag, tx.evse_id, tx.connector_id, tx.charging_state], [VALID.idToken, 1, 1, 'Charging']);
  assert.equal(connector(s).status, 'Occupied');
});

test('TC_E_38_CSMS Local start transaction - EV not ready', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.authorized(); // before state
  await s.evConnectedPreSession(); // step 1 (Updated)
  assert.deepEqual(await s.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'SuspendedEV' }), {}); // steps 2-3
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.charging_state], ['Active', 'SuspendedEV']);
  assert.deepEqual(triggers(tx), ['Authorized', 'CablePluggedIn', 'ChargingStateChanged']);
});

// ---- E06 stop options -----------------------------------------------------------------------

async function endedAs(s, expect) {
  const tx = storedTx(s);
  assert.equal(tx.state, 'Ended');
  for (const [k, v] of Object.entries(expect)) assert.deepEqual(tx[k], v, k);
  assert.equal(tx.stopped_at, s.last.payload.timestamp);
  return tx;
}

// E_07 and E_15 have the same steps in the catalogue (a local StopAuthorized ending the
// transaction from EnergyTransferStarted); they differ only in the configured TxStopPoint.
for (const [id, name] of [['TC_E_07_CSMS', 'Stop transaction options - PowerPathClosed - Local stop'],
  ['TC_E_15_CSMS', 'Stop transaction options - StopAuthorized - Local']]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    await s.energyTransferStarted();
    const res = await s.te('Ended', 'StopAuthorized', { idToken: VALID, meterValue: s.energy(9500, 'Transaction.End') }, { stoppedReason: 'Local' });
    assert.equal(res.idTokenInfo.status, 'Accepted');
    const tx = await endedAs(s, { stop_reason: 'Local', stop_id_tag: VALID.idToken, meter_stop_wh: 9500, energy_wh: 8500 });
    assert.equal(tx.events.at(-1).trigger_reason, 'StopAuthorized');
  });
}

test('TC_E_08_CSMS Stop transaction options - EnergyTransfer stopped - StopAuthorized', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.stopAuthorized(); // before state StopAuthorized
  assert.deepEqual(await s.te('Ended', 'ChargingStateChanged', {}, { chargingState: 'EVConnected', stoppedReason: 'Local' }), {});
  const tx = await endedAs(s, { stop_reason: 'Local', charging_state: 'EVConnected' });
  assert.deepEqual(triggers(tx).slice(-2), ['StopAuthorized', 'ChargingStateChanged']);
});

test('TC_E_14_CSMS Stop transaction options - EVDisconnected - Charging Station side', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPostSession(); // before state
  await s.evDisconnected(); // step 1
  const tx = await endedAs(s, { stop_reason: 'EVDisconnected', charging_state: 'Idle', meter_stop_wh: 8000 });
  assert.deepEqual(tx.events.slice(-3).map((e) => [e.trigger_reason, e.charging_state]),
    [['StopAuthorized', null], ['ChargingStateChanged', 'EVConnected'], ['EVCommunicationLost', 'Idle']]);
  assert.equal(connector(s).status, 'Available');
});

test('TC_E_16_CSMS Stop transaction options - Deauthorized - Invalid idToken', async (t) => {
  const s = await station(t);
  await s.booted();
  s.newTx();
  const res = await s.te('Started', 'Authorized', { idToken: INVALID }); // steps 1-2
  assert.ok(['Invalid', 'Unknown'].includes(res.idTokenInfo.status), `step 2: ${res.idTokenInfo.status}`);
  assert.deepEqual(await s.te('Ended', 'Deauthorized', {}, { stoppedReason: 'DeAuthorized' }), {}); // steps 3-4
  const tx = await endedAs(s, { stop_reason: 'DeAuthorized', id_tag: INVALID.idToken });
  assert.equal(tx.authorization, res.idTokenInfo.status, 'the verdict on the start token is stored with the transaction');
  assert.deepEqual(triggers(tx), ['Authorized', 'Deauthorized']);
});

test('TC_E_17_CSMS Stop transaction options - Deauthorized - EV side disconnect', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferSuspended(); // before state
  assert.deepEqual(await s.te('Ended', 'EVCommunicationLost', {}, { chargingState: 'Idle', stoppedReason: 'EVDisconnected' }), {});
  const tx = await endedAs(s, { stop_reason: 'EVDisconnected', charging_state: 'Idle' });
  assert.deepEqual(tx.events.slice(-2).map((e) => e.charging_state), ['SuspendedEV', 'Idle']);
});

test('TC_E_19_CSMS Stop transaction options - ParkingBayUnoccupied', async (t) => {
  const s = await station(t);
  await s.booted();
  // Before state EVDisconnected. With TxStopPoint ParkingBayOccupancy the cable's removal does
  // not end the transaction, so the state's last event is sent as an Updated (the catalogue's
  // state would send an Ended, after which no EVDeparted could end the transaction).
  await s.evConnectedPostSession();
  await s.connectorState('Available');
  assert.deepEqual(await s.te('Updated', 'EVCommunicationLost', {}, { chargingState: 'Idle' }), {});
  assert.equal(storedTx(s).state, 'Active');
  assert.deepEqual(await s.te('Ended', 'EVDeparted', {}, { stoppedReason: 'Local' }), {}); // steps 1-2
  const tx = await endedAs(s, { stop_reason: 'Local' });
  assert.equal(tx.events.at(-1).trigger_reason, 'EVDeparted');
});

test('TC_E_20_CSMS Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferSuspended(); // before state
  await s.evDisconnected(); // step 1: StopAuthorized, EVConnectedPostSession, then the EV leaves
  const tx = await endedAs(s, { stop_reason: 'EVDisconnected', charging_state: 'Idle' });
  assert.deepEqual(tx.events.map((e) => e.charging_state).slice(-5), ['Charging', 'SuspendedEV', null, 'EVConnected', 'Idle']);
});

test('TC_E_21_CSMS Stop transaction options - StopAuthorized - Remote', async (t) => {
  const s = await station(t, (st) => st.answer('RequestStopTransaction', () => ({ status: 'Accepted' })));
  await s.booted();
  await s.energyTransferStarted();
  const before = storedTx(s);
  // The operator stops it by Gridlane's id; step 1: the station's own transactionId is sent.
  const cmd = await operator(s, 'stop_transaction', { transaction_id: before.id });
  assert.deepEqual(s.only('RequestStopTransaction'), { transactionId: s.tx.id });
  assert.deepEqual([cmd.status, cmd.action, cmd.response], ['accepted', 'RequestStopTransaction', { status: 'Accepted' }]);
  assert.deepEqual(await s.te('Ended', 'RemoteStop', {}, { stoppedReason: 'Remote' }), {}); // steps 3-4
  const tx = await endedAs(s, { stop_reason: 'Remote' });
  assert.equal(tx.events.at(-1).trigger_reason, 'RemoteStop');
});

test('TC_E_22_CSMS Stop transaction options - EnergyTransfer stopped - SuspendedEV', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  assert.deepEqual(await s.te('Ended', 'ChargingStateChanged', {}, { chargingState: 'SuspendedEV', stoppedReason: 'StoppedByEV' }), {});
  await endedAs(s, { stop_reason: 'StoppedByEV', charging_state: 'SuspendedEV' });
});

test('TC_E_39_CSMS Stop transaction options - Deauthorized - timeout', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.authorized(); // before state: authorised, no cable
  assert.deepEqual(await s.te('Ended', 'EVConnectTimeout', {}, { stoppedReason: 'Timeout' }), {});
  const tx = await endedAs(s, { stop_reason: 'Timeout', id_tag: VALID.idToken });
  assert.deepEqual(triggers(tx), ['Authorized', 'EVConnectTimeout']);
});

test('TC_E_26_CSMS Disconnect cable on EV-side - Suspend transaction', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferSuspended(); // before state
  assert.deepEqual(await s.te('Updated', 'EVCommunicationLost', {}, { chargingState: 'Idle' }), {}); // 1-2
  assert.deepEqual([storedTx(s).state, storedTx(s).charging_state], ['Active', 'Idle'], 'suspended, not ended');
  await s.connectorState('Available'); // 3-4
  assert.equal(connector(s).status, 'Available');
  assert.deepEqual(await s.te('Updated', 'CablePluggedIn', {}, { chargingState: 'EVConnected' }), {}); // 5-6
  assert.deepEqual(await s.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' }), {}); // 7-8
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.charging_state], ['Active', 'Charging']);
  assert.deepEqual(tx.events.slice(-4).map((e) => e.charging_state), ['SuspendedEV', 'Idle', 'EVConnected', 'Charging']);
});

// ---- E14 GetTransactionStatus ---------------------------------------------------------------

function statusStation(t, answer) {
  return station(t, (st) => st.answer('GetTransactionStatus', () => answer));
}

test('TC_E_29_CSMS Check Transaction status - Transaction with id ongoing - with message in queue', async (t) => {
  const s = await statusStation(t, { ongoingIndicator: true, messagesInQueue: true });
  await s.booted();
  await s.energyTransferStarted();
  await s.reconnect(); // steps 1-2
  const cmd = await operator(s, 'get_transaction_status', { transaction_id: storedTx(s).id });
  assert.deepEqual(s.only('GetTransactionStatus'), { transactionId: s.tx.id }, 'step 3: the transaction\'s id');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { ongoingIndicator: true, messagesInQueue: true }]);
  // Steps 5-6: the queued event arrives, marked offline.
  assert.deepEqual(await s.te('Updated', 'MeterValuePeriodic', { offline: true, meterValue: s.energy(4000, 'Sample.Periodic') }), {});
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.offline_events, tx.energy_wh, tx.events.at(-1).offline], ['Active', true, 3000, true]);
});

test('TC_E_30_CSMS Check Transaction status - Transaction with id ongoing - without message in queue', async (t) => {
  const s = await statusStation(t, { ongoingIndicator: true, messagesInQueue: false });
  await s.booted();
  await s.energyTransferStarted();
  const cmd = await operator(s, 'get_transaction_status', { transaction_id: storedTx(s).id });
  assert.deepEqual(s.only('GetTransactionStatus'), { transactionId: s.tx.id }, 'step 1');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { ongoingIndicator: true, messagesInQueue: false }]);
  assert.equal(storedTx(s).offline_events, false);
});

test('TC_E_31_CSMS Check Transaction status - Transaction with id ended - with message in queue', async (t) => {
  const s = await statusStation(t, { ongoingIndicator: false, messagesInQueue: true });
  await s.booted();
  await s.energyTransferStarted();
  await s.reconnect(); // steps 1-2
  // Steps 3-4: the Ended event, skipping two sequence numbers.
  const skipped = [s.tx.seq, s.tx.seq + 1];
  assert.deepEqual(await s.te('Ended', 'EVCommunicationLost', { offline: true }, { chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
    { seqNo: s.tx.seq + 2 }), {});
  const cmd = await operator(s, 'get_transaction_status', { transaction_id: storedTx(s).id });
  assert.deepEqual(s.only('GetTransactionStatus'), { transactionId: s.tx.id }, 'step 5: the ended transaction\'s id');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { ongoingIndicator: false, messagesInQueue: true }]);
  // Steps 7-10: the two queued events with the skipped numbers.
  assert.equal((await s.te('Updated', 'StopAuthorized', { offline: true }, {}, { seqNo: skipped[0] })).idTokenInfo, undefined);
  assert.deepEqual(await s.te('Updated', 'ChargingStateChanged', { offline: true }, { chargingState: 'EVConnected' }, { seqNo: skipped[1] }), {});
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.stop_reason, tx.offline_events], ['Ended', 'EVDisconnected', true], 'late events do not reopen it');
  const seqs = tx.events.map((e) => e.seq_no).sort((a, b) => a - b);
  assert.deepEqual(seqs, [...Array(seqs.length).keys()], 'every event stored, no gap left');
  assert.deepEqual(tx.events.filter((e) => e.offline).map((e) => e.trigger_reason), ['StopAuthorized', 'ChargingStateChanged', 'EVCommunicationLost'], 'in seqNo order');
});

for (const [id, name, queued] of [
  ['TC_E_33_CSMS', 'Check Transaction status - Without transactionId - with message in queue', true],
  ['TC_E_34_CSMS', 'Check Transaction status - Without transactionId - without message in queue', false]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await statusStation(t, { messagesInQueue: queued });
    await s.booted();
    if (queued) { // E_33 before state and steps 1-2; E_34 has no before state
      await s.energyTransferStarted();
      await s.reconnect();
    }
    const cmd = await operator(s, 'get_transaction_status');
    assert.deepEqual(s.only('GetTransactionStatus'), {}, 'transactionId omitted');
    assert.deepEqual([cmd.status, cmd.response], ['accepted', { messagesInQueue: queued }]);
    if (queued) { // steps 5-6
      assert.deepEqual(await s.te('Updated', 'MeterValuePeriodic', { offline: true, meterValue: s.energy(4000, 'Sample.Periodic') }), {});
      assert.deepEqual([storedTx(s).offline_events, storedTx(s).energy_wh], [true, 3000]);
    } else {
      assert.equal(stored(s).length, 0);
    }
  });
}

test('get_transaction_status names a transaction of this station only', async (t) => {
  const s = await station(t);
  await s.booted();
  const token = await server.adminToken();
  const res = await server.request('POST', `/api/v1/stations/${s.identity}/commands`, { token,
    body: { kind: 'get_transaction_status', params: { transaction_id: 999999 } } });
  assert.equal(res.status, 404);
});

// ---- E01.FR.07 ------------------------------------------------------------------------------

test('TC_E_53_CSMS Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction', async (t) => {
  const s = await station(t);
  await s.booted();
  for (let i = 0; i < 2; i++) {
    s.newTx();
    await s.energyTransferStarted(); // steps 1 and 3
    const started = s.sent.find((e) => e.payload.transactionInfo.transactionId === s.tx.id && e.payload.eventType === 'Started');
    assert.equal(started.payload.seqNo, 0);
    assert.equal(started.res.idTokenInfo.status, 'Accepted', 'a TransactionEventResponse to the Started with seqNo 0');
    await s.evDisconnected(); // steps 2 and 4
    const tx = storedTx(s);
    assert.deepEqual([tx.events[0].event_type, tx.events[0].seq_no], ['Started', 0], 'Started with seqNo 0 accepted');
  }
  const txs = stored(s);
  assert.equal(txs.length, 2);
  for (const tx of txs) {
    assert.equal(tx.state, 'Ended');
    assert.deepEqual(tx.events.map((e) => e.seq_no), [...Array(tx.events.length).keys()]);
  }
  assert.equal(shown(s).anomalies.length, 0);
});

test('after these cases every stored record reads back through the API and the admin CLI', async () => {
  await server.assertHealthy(assert);
});
