// A full OCPP 1.6 charging session from a strict client; every field it sent is found stored.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

test('a strict 1.6 station completes a full session and everything it sent is stored', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'RFID-001', '--expires', '2099-01-01T00:00:00Z', '--parent', 'FLEET-A');

  const cs = server.client('CS-FULL-1');
  await cs.connect();
  t.after(() => cs.close());

  const boot = await cs.call('BootNotification', {
    chargePointVendor: 'Acme', chargePointModel: 'Wallbox 22', chargePointSerialNumber: 'SN-0001',
    chargeBoxSerialNumber: 'CB-0001', firmwareVersion: '1.2.3', iccid: '8931440400012345678', imsi: '262011234567890',
    meterType: 'EM-3P', meterSerialNumber: 'MT-42',
  });
  assert.equal(boot.status, 'Accepted');
  assert.equal(boot.interval, 300);
  assert.ok(Math.abs(Date.parse(boot.currentTime) - Date.now()) < 60000);

  await cs.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
  await cs.call('StatusNotification', {
    connectorId: 1, errorCode: 'NoError', status: 'Preparing', info: 'cable in', timestamp: '2026-05-01T10:00:00.000Z',
    vendorId: 'Acme', vendorErrorCode: 'E0',
  });

  const auth = await cs.call('Authorize', { idTag: 'RFID-001' });
  assert.deepEqual(auth.idTagInfo, { status: 'Accepted', expiryDate: '2099-01-01T00:00:00.000Z', parentIdTag: 'FLEET-A' });

  const started = await cs.call('StartTransaction', {
    connectorId: 1, idTag: 'RFID-001', meterStart: 12000, timestamp: '2026-05-01T10:00:05.000Z',
  });
  assert.equal(started.idTagInfo.status, 'Accepted');
  assert.ok(Number.isInteger(started.transactionId) && started.transactionId > 0);

  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });

  const sampled = [
    { value: '12.5', measurand: 'Energy.Active.Import.Register', unit: 'kWh', context: 'Sample.Periodic', location: 'Outlet' },
    { value: '7200', measurand: 'Power.Active.Import', unit: 'W' },
    { value: '10.1', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
    { value: '10.2', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
    { value: '10.3', measurand: 'Current.Import', phase: 'L3', unit: 'A' },
    { value: '230.1', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
    { value: '231.2', measurand: 'Voltage', phase: 'L2-N', unit: 'V' },
    { value: '229.9', measurand: 'Voltage', phase: 'L3-N', unit: 'V' },
    { value: '41', measurand: 'SoC', unit: 'Percent', location: 'EV' },
    { value: '31.5', measurand: 'Temperature', unit: 'Celsius', location: 'Body', format: 'Raw' },
  ];
  await cs.call('MeterValues', {
    connectorId: 1, transactionId: started.transactionId,
    meterValue: [{ timestamp: '2026-05-01T10:15:00.000Z', sampledValue: sampled }],
  });

  let tx = server.adminJson('transactions').find((x) => x.id === started.transactionId);
  assert.equal(tx.state, 'Active');
  assert.equal(tx.energy_wh, 500, 'energy so far = 12.5 kWh register - 12000 Wh start');

  const stopped = await cs.call('StopTransaction', {
    transactionId: started.transactionId, idTag: 'RFID-001', meterStop: 19500, timestamp: '2026-05-01T11:00:00.000Z',
    reason: 'EVDisconnected',
    transactionData: [{ timestamp: '2026-05-01T11:00:00.000Z', sampledValue: [
      { value: '19500', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Transaction.End' }] }],
  });
  assert.equal(stopped.idTagInfo.status, 'Accepted');
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  const hb = await cs.call('Heartbeat', {});
  assert.ok(hb.currentTime);

  // Everything the station sent is stored.
  const station = server.adminJson('stations').find((s) => s.id === 'CS-FULL-1');
  assert.deepEqual(
    { vendor: station.vendor, model: station.model, serial: station.serial_number, box: station.charge_box_serial_number,
      fw: station.firmware_version, iccid: station.iccid, imsi: station.imsi, meterType: station.meter_type,
      meterSerial: station.meter_serial_number, protocol: station.protocol, registration: station.registration },
    { vendor: 'Acme', model: 'Wallbox 22', serial: 'SN-0001', box: 'CB-0001', fw: '1.2.3', iccid: '8931440400012345678',
      imsi: '262011234567890', meterType: 'EM-3P', meterSerial: 'MT-42', protocol: 'ocpp1.6', registration: 'Accepted' });
  assert.ok(station.last_seen_at && station.last_boot_at);
  const c1 = station.connectors.find((c) => c.connector_id === 1);
  assert.equal(c1.status, 'Available');
  const c0 = station.connectors.find((c) => c.connector_id === 0);
  assert.equal(c0.status, 'Available');

  tx = server.adminJson('transactions').find((x) => x.id === started.transactionId);
  assert.equal(tx.station_id, 'CS-FULL-1');
  assert.equal(tx.connector_id, 1);
  assert.equal(tx.id_tag, 'RFID-001');
  assert.equal(tx.state, 'Ended');
  assert.equal(tx.meter_start_wh, 12000);
  assert.equal(tx.meter_stop_wh, 19500);
  assert.equal(tx.energy_wh, 7500);
  assert.equal(tx.started_at, '2026-05-01T10:00:05.000Z');
  assert.equal(tx.stopped_at, '2026-05-01T11:00:00.000Z');
  assert.equal(tx.stop_reason, 'EVDisconnected');
  assert.equal(tx.stop_id_tag, 'RFID-001');
  assert.equal(tx.meter_values.length, 11);
  for (const sv of sampled) {
    const found = tx.meter_values.find((m) => m.value === sv.value && m.measurand === sv.measurand);
    assert.ok(found, `sample ${JSON.stringify(sv)} stored`);
    assert.equal(found.timestamp, '2026-05-01T10:15:00.000Z');
    for (const k of ['unit', 'phase', 'location', 'context', 'format']) assert.equal(found[k], sv[k] ?? null, k);
  }
  assert.ok(tx.meter_values.find((m) => m.context === 'Transaction.End' && m.value === '19500'));
});

test('authorisation answers follow the token table', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'GOOD');
  server.admin('token', 'add', 'BLOCKED', '--status', 'Blocked');
  server.admin('token', 'add', 'OLD', '--expires', '2020-01-01T00:00:00Z');
  const cs = server.client('CS-AUTH');
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const status = async (idTag) => (await cs.call('Authorize', { idTag })).idTagInfo.status;
  assert.equal(await status('GOOD'), 'Accepted');
  assert.equal(await status('BLOCKED'), 'Blocked');
  assert.equal(await status('OLD'), 'Expired');
  assert.equal(await status('STRANGER'), 'Invalid');
  const tx = await cs.call('StartTransaction', { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: new Date().toISOString() });
  assert.equal(tx.idTagInfo.status, 'Accepted');
  assert.equal(await status('GOOD'), 'ConcurrentTx', 'the tag already has a transaction in progress');
});
