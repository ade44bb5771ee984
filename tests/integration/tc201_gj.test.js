// OCPP 2.0.1 part 6 CSMS test cases, blocks G (availability) and J (meter values), step by step
// from the catalogue. docs/conformance.md lists every case with what it exercises.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { conformanceServer, helpers } = require('./tc201_helpers');

let server;
const { stored, storedTx, shown, connector, station, operator } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

// ---- G03 ChangeAvailability -----------------------------------------------------------------

function availabilityStation(t, answers, options) {
  return station(t, (st) => {
    let i = 0;
    st.answer('ChangeAvailability', () => ({ status: answers[Math.min(i++, answers.length - 1)] }));
  }, options);
}

// The operator's ChangeAvailability and the request it became (the n-th one received).
async function changeAvailability(s, operative, target, nth = 0) {
  const params = { operative };
  if (target.evse) params.evse_id = target.evse;
  if (target.connector) params.connector_id = target.connector;
  const cmd = await operator(s, 'change_availability', params);
  const req = s.requests('ChangeAvailability')[nth];
  assert.ok(req, 'a ChangeAvailabilityRequest was received');
  assert.equal(req.operationalStatus, operative ? 'Operative' : 'Inoperative');
  if (!target.evse) assert.equal(req.evse, undefined, 'evse omitted');
  else if (!target.connector) assert.deepEqual(req.evse, { id: target.evse }, 'evse.id given, connectorId omitted');
  else assert.deepEqual(req.evse, { id: target.evse, connectorId: target.connector });
  return cmd;
}

// Reusable State Unavailable (table 392) for the given target; the station reports its connectors.
async function unavailable(s, target, connectors = [[1, 1]]) {
  const cmd = await changeAvailability(s, false, target);
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]);
  for (const [evse, c] of connectors) await s.connectorState('Unavailable', evse, c);
  for (const [evse, c] of connectors) assert.equal(connector(s, evse, c).status, 'Unavailable');
}

test('TC_G_03_CSMS Change Availability EVSE - Operative to inoperative', async (t) => {
  const s = await availabilityStation(t, ['Accepted']);
  await s.booted();
  await unavailable(s, { evse: 1 }); // step 1: Reusable State Unavailable for the EVSE
});

test('TC_G_05_CSMS Change Availability Charging Station - Operative to inoperative', async (t) => {
  const s = await availabilityStation(t, ['Accepted'], { connectors: [[1, 1], [2, 1]] });
  await s.booted();
  await unavailable(s, {}, [[1, 1], [2, 1]]); // steps 1-4, evseId and connectorId omitted
});

test('TC_G_07_CSMS Change Availability Connector - Operative to inoperative', async (t) => {
  const s = await availabilityStation(t, ['Accepted']);
  await s.booted();
  await unavailable(s, { evse: 1, connector: 1 });
});

for (const [id, name, target, connectors] of [
  ['TC_G_04_CSMS', 'Change Availability EVSE - Inoperative to operative', { evse: 1 }, [[1, 1]]],
  ['TC_G_06_CSMS', 'Change Availability Charging Station - Inoperative to operative', {}, [[1, 1], [2, 1]]],
  ['TC_G_08_CSMS', 'Change Availability Connector - Inoperative to operative', { evse: 1, connector: 1 }, [[1, 1]]]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await availabilityStation(t, ['Accepted'], { connectors });
    await s.booted();
    await unavailable(s, target, connectors); // before state: Unavailable (it was Available)
    const cmd = await changeAvailability(s, true, target, 1); // step 1
    assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]); // step 2
    for (const [evse, c] of connectors) await s.connectorState('Available', evse, c); // steps 3-4
    for (const [evse, c] of connectors) assert.equal(connector(s, evse, c).status, 'Available');
    const history = shown(s).status_history.filter((h) => h.evse_id === 1 && h.connector_id === 1).map((h) => h.status);
    assert.deepEqual(history.slice(-3), ['Available', 'Unavailable', 'Available']);
  });
}

// G_11, G_14, G_17: Scheduled while charging; the change applies once the EV has left.
for (const [id, name, target] of [
  ['TC_G_11_CSMS', 'Change Availability EVSE - With ongoing transaction', { evse: 1 }],
  ['TC_G_14_CSMS', 'Change Availability Charging Station - With ongoing transaction', {}],
  ['TC_G_17_CSMS', 'Change Availability Connector - With ongoing transaction', { evse: 1, connector: 1 }]]) {
  test(`${id} ${name}`, async (t) => {
    const whole = !target.evse;
    const s = await availabilityStation(t, ['Scheduled'], { connectors: whole ? [[1, 1], [2, 1]] : [[1, 1]] });
    await s.booted();
    await s.energyTransferStarted();
    const cmd = await changeAvailability(s, false, target); // step 1
    assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Scheduled' }], 'Scheduled is recorded as accepted');
    if (whole) { // G_14 steps 3-4: the unoccupied connectors go at once
      await s.status('Unavailable', 2, 1);
      assert.equal(connector(s, 2, 1).status, 'Unavailable');
      assert.equal(connector(s, 1, 1).status, 'Occupied');
    }
    await s.stopAuthorized();
    await s.evConnectedPostSession();
    await s.evDisconnected();
    assert.deepEqual(await s.status('Unavailable'), {}); // the scheduled change, reported
    assert.equal(connector(s).status, 'Unavailable');
    assert.equal(storedTx(s).state, 'Ended');
    // "A response to report the state of a connector has been received for all connectors."
    const reported = new Set(shown(s).status_history.map((h) => `${h.evse_id}/${h.connector_id}`));
    for (const [evse, c] of s.connectors) assert.ok(reported.has(`${evse}/${c}`));
  });
}

test('TC_G_20_CSMS Connector status Notification - Lock Failure', async (t) => {
  const s = await station(t);
  await s.booted();
  const res = await s.call('NotifyEvent', { generatedAt: s.now(), seqNo: 0, eventData: [{ eventId: 9, timestamp: s.now(),
    trigger: 'Delta', actualValue: 'true', component: { name: 'ConnectorPlugRetentionLock', evse: { id: 1, connectorId: 1 } },
    variable: { name: 'Problem' }, eventNotificationType: 'HardWiredNotification' }] });
  assert.deepEqual(res, {}, 'step 2: NotifyEventResponse');
  const event = shown(s).messages.filter((m) => m.kind === 'NotifyEvent').map((m) => m.payload.eventData[0])
    .find((e) => e.component.name === 'ConnectorPlugRetentionLock');
  assert.deepEqual([event.variable.name, event.actualValue, event.trigger], ['Problem', 'true', 'Delta'], 'kept for the operator');
});

// ---- J Meter values -------------------------------------------------------------------------

const INTERVAL = 900 * 1000; // the configured clock-aligned / sampled interval
const clockAt = (ms) => new Date(Date.parse('2026-09-01T09:00:00.000Z') + ms).toISOString();
const sample = (at, kwh, context, extra = {}) => ({ timestamp: at, sampledValue: [
  { value: kwh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh', multiplier: 0 }, ...extra },
  { value: 230.4, context, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } }] });
const fiscalEvent = (at, id) => ({ generatedAt: at, seqNo: 0, eventData: [{ eventId: id, timestamp: at, trigger: 'Periodic',
  actualValue: '1234.5', component: { name: 'FiscalMetering' }, variable: { name: 'EnergyImport' }, eventNotificationType: 'HardWiredNotification' }] });

test('TC_J_01_CSMS Clock-aligned Meter Values - No transaction ongoing', async (t) => {
  const s = await station(t);
  await s.booted();
  // Three rounds at the clock-aligned interval, for evseId 0 and the configured EVSE.
  for (let i = 0; i < 3; i++) {
    const at = clockAt(i * INTERVAL);
    for (const evseId of [0, 1]) assert.deepEqual(await s.call('MeterValues', { evseId, meterValue: [sample(at, 1234.5 + i, 'Sample.Clock')] }), {});
    assert.deepEqual(await s.call('NotifyEvent', fiscalEvent(at, i + 1)), {});
  }
  assert.equal(stored(s).length, 0, 'no transaction is made of them');
  const fiscal = shown(s).messages.filter((m) => m.kind === 'NotifyEvent' && m.payload.eventData[0].component.name === 'FiscalMetering');
  assert.equal(fiscal.length, 3);
});

test('TC_J_02_CSMS Clock-aligned Meter Values - Transaction ongoing', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  for (let i = 0; i < 3; i++) {
    const at = clockAt(i * INTERVAL);
    // Steps 1-2 for evseId 0 (EVSE 1 is not idle), steps 3-4 for the transaction.
    assert.deepEqual(await s.call('MeterValues', { evseId: 0, meterValue: [sample(at, 100 + i, 'Sample.Clock')] }), {});
    assert.deepEqual(await s.call('NotifyEvent', fiscalEvent(at, i + 1)), {});
    assert.deepEqual(await s.te('Updated', 'MeterValueClock', { meterValue: [sample(at, 2 + i * 0.5, 'Sample.Clock')] }), {});
  }
  const tx = storedTx(s);
  assert.equal(tx.energy_wh, 2000, '3.0 kWh register - 1000 Wh at start');
  const clock = tx.meter_values.filter((m) => m.context === 'Sample.Clock' && m.measurand === 'Energy.Active.Import.Register');
  assert.deepEqual(clock.map((m) => m.timestamp), [0, 1, 2].map((i) => clockAt(i * INTERVAL)));
  assert.ok(tx.meter_values.find((m) => m.measurand === 'Voltage' && m.phase === 'L1-N'));
});

// J_03, J_04, J_10, J_11: the EVDisconnected state's Ended carries the samples, the last one
// Transaction.End (signed in J_04 and J_11).
for (const [id, name, context, signed] of [
  ['TC_J_03_CSMS', 'Clock-aligned Meter Values - EventType Ended', 'Sample.Clock', false],
  ['TC_J_04_CSMS', 'Clock-aligned Meter Values - Signed', 'Sample.Clock', true],
  ['TC_J_10_CSMS', 'Sampled Meter Values - EventType Ended', 'Sample.Periodic', false],
  ['TC_J_11_CSMS', 'Sampled Meter Values - Signed', 'Sample.Periodic', true]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    await s.energyTransferStarted();
    const sig = (i) => (signed ? { signedMeterValue: { signedMeterData: Buffer.from(`reading-${i}`).toString('base64'),
      signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'cHVi' } } : {});
    const meterValue = [sample(clockAt(0), 3, context, sig(0)), sample(clockAt(INTERVAL), 4, context, sig(1)),
      sample(clockAt(INTERVAL + 60000), 4.5, 'Transaction.End', sig(2))];
    await s.evDisconnected({ meterValue });
    const tx = storedTx(s);
    assert.deepEqual([tx.state, tx.meter_stop_wh, tx.energy_wh], ['Ended', 4500, 3500]);
    const energy = tx.meter_values.filter((m) => m.measurand === 'Energy.Active.Import.Register' && m.context !== 'Transaction.Begin');
    assert.deepEqual(energy.map((m) => m.context), [context, context, 'Transaction.End']);
    if (signed) {
      assert.deepEqual(energy.map((m) => JSON.parse(m.signed_data).signedMeterData), [0, 1, 2].map((i) => sig(i).signedMeterValue.signedMeterData));
      assert.ok(energy.every((m) => m.format === 'SignedData'));
    } else {
      assert.ok(energy.every((m) => m.signed_data === null));
    }
  });
}

test('TC_J_07_CSMS Sampled Meter Values - EventType Started - EVSE known', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession(1, [sample(clockAt(0), 2, 'Transaction.Begin')]); // step 1, with the Begin sample
  const tx = storedTx(s);
  assert.deepEqual([tx.meter_start_wh, tx.evse_id, tx.connector_id], [2000, 1, 1]);
  assert.equal(tx.meter_values.find((m) => m.measurand === 'Energy.Active.Import.Register').context, 'Transaction.Begin');
});

test('TC_J_08_CSMS Sampled Meter Values - Context Transaction.Begin - EVSE not known', async (t) => {
  const s = await station(t);
  await s.booted();
  s.newTx();
  // Step 1: Authorized, started without an EVSE and without a meter value.
  const auth = await s.call('Authorize', { idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' } });
  assert.equal(auth.idTokenInfo.status, 'Accepted');
  const res = await s.te('Started', 'Authorized', { idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' } });
  assert.equal(res.idTokenInfo.status, 'Accepted');
  assert.equal(s.last.payload.evse, undefined);
  s.state.authorized = true;
  // Step 2: the cable names the EVSE; its Updated carries the Transaction.Begin sample.
  await s.evConnectedPreSession(1, [sample(clockAt(0), 2, 'Transaction.Begin')]);
  await s.energyTransferStarted(); // step 3
  const tx = storedTx(s);
  assert.deepEqual([tx.evse_id, tx.connector_id, tx.meter_start_wh, tx.charging_state], [1, 1, 2000, 'Charging']);
});

test('TC_J_09_CSMS Sampled Meter Values - EventType Updated', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.energyTransferStarted();
  for (let i = 0; i < 3; i++) { // three periodic samples at the sampled interval
    assert.deepEqual(await s.te('Updated', 'MeterValuePeriodic', { meterValue: [sample(clockAt(i * INTERVAL), 5 + i, 'Sample.Periodic')] }), {});
  }
  const tx = storedTx(s);
  assert.equal(tx.energy_wh, 6000, '7 kWh - 1000 Wh');
  const periodic = tx.meter_values.filter((m) => m.context === 'Sample.Periodic' && m.measurand === 'Energy.Active.Import.Register');
  assert.deepEqual(periodic.map((m) => m.timestamp), [0, 1, 2].map((i) => clockAt(i * INTERVAL)));
});

test('after these cases every stored record reads back through the API and the admin CLI', async () => {
  await server.assertHealthy(assert);
});
