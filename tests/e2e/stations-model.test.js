// The stations area's pure parts, checked outside the browser (web/src/console/stations/model.ts
// and commandSpecs.ts, compiled with the web project's own TypeScript, then imported): what the
// live stream does to a station, a session's power and energy series, and the command forms'
// parameters.
'use strict';
const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { loadTs: load } = require('./typescript');

let model;
let specs;
before(async () => {
  model = await load('src/console/stations/model.ts');
  specs = await load('src/console/stations/commandSpecs.ts');
});

const station = () => ({
  id: 'CS-1',
  connected: false,
  protocol: null,
  last_seen_at: null,
  connectors: [
    { evse_id: 2, connector_id: 2, status: 'Available', error_code: 'NoError', received_at: '2026-11-29T10:00:00.000Z' },
    { evse_id: 1, connector_id: 1, status: 'Available', error_code: 'NoError', received_at: '2026-11-29T10:00:00.000Z' },
  ],
});

test('the live stream: connect, status and disconnect change only the station they name', () => {
  const s = station();
  const at = '2026-11-29T11:00:00.000Z';
  const other = model.applyEvent(s, { type: 'station.connected', station_id: 'CS-2', at, data: { protocol: 'ocpp1.6' } });
  assert.equal(other, s, 'another station\'s event leaves the object as it was');

  const on = model.applyEvent(s, { type: 'station.connected', station_id: 'CS-1', at, data: { protocol: 'ocpp2.0.1' } });
  assert.equal(on.connected, true);
  assert.equal(on.protocol, 'ocpp2.0.1');
  assert.equal(on.last_seen_at, at);
  assert.equal(s.connected, false, 'the old state is not changed in place');

  const faulted = model.applyEvent(on, { type: 'status.changed', station_id: 'CS-1', at, data: { evse_id: 1, connector_id: 1, status: 'Faulted', error_code: 'GroundFailure' } });
  assert.deepEqual(faulted.connectors.map((c) => [c.evse_id, c.status, c.error_code]), [[1, 'Faulted', 'GroundFailure'], [2, 'Available', 'NoError']], 'replaced in place, ordered by EVSE');
  const added = model.applyEvent(faulted, { type: 'status.changed', station_id: 'CS-1', at, data: { evse_id: 3, connector_id: 1, status: 'Charging', error_code: 'NoError' } });
  assert.equal(added.connectors.length, 3, 'a connector reported for the first time is added');

  const off = model.applyEvent(added, { type: 'station.disconnected', station_id: 'CS-1', at, data: {} });
  assert.equal(off.connected, false);
  assert.equal(off.connectors.length, 3, 'a drop keeps the last known statuses');
  assert.equal(model.applyEvent(off, { type: 'transaction.updated', station_id: 'CS-1', at, data: {} }), off);
});

test('a session\'s series: kW and kWh read as W and Wh, phases summed, power from the register when none is sent', () => {
  const tx = (meter_values) => ({ meter_start_wh: 1000, started_at: '2026-11-29T10:00:00.000Z', meter_values });
  const v = (timestamp, value, measurand, unit, phase = null) => ({ timestamp, value: String(value), measurand, unit, phase });

  const measured = model.sessionSeries(tx([
    v('2026-11-29T10:05:00.000Z', 1.5, 'Energy.Active.Import.Register', 'kWh'),
    v('2026-11-29T10:05:00.000Z', 7.4, 'Power.Active.Import', 'kW'),
    v('2026-11-29T10:10:00.000Z', 2100, 'Energy.Active.Import.Register', 'Wh'),
    v('2026-11-29T10:10:00.000Z', 2300, 'Power.Active.Import', 'W', 'L1'),
    v('2026-11-29T10:10:00.000Z', 2400, 'Power.Active.Import', 'W', 'L2'),
    v('2026-11-29T10:10:00.000Z', 230, 'Voltage', 'V', 'L1-N'),
  ]));
  assert.deepEqual(measured.map((p) => [p.t - Date.parse('2026-11-29T10:00:00Z') / 1000, p.powerW, p.energyWh]), [
    [0, null, 0], // the start, from nothing
    [300, 7400, 500],
    [600, 4700, 1100],
  ]);

  // No power sampled: derived from the register's change (600 Wh in 10 min = 3.6 kW).
  const derived = model.sessionSeries(tx([v('2026-11-29T10:10:00.000Z', 1600, null, null)]));
  assert.deepEqual(derived.map((p) => [p.powerW, p.energyWh]), [[null, 0], [3600, 600]]);
  assert.deepEqual(model.sessionSeries(tx([])), [], 'no readings, no points');
});

test('the command forms: the kinds and parameters of the station\'s version', () => {
  const v16 = specs.commandsFor(false).map((c) => c.kind);
  const v2 = specs.commandsFor(true).map((c) => c.kind);
  assert.ok(v16.includes('get_configuration') && !v16.includes('get_variables') && !v16.includes('get_base_report'));
  assert.ok(v2.includes('get_variables') && v2.includes('cost_updated') && !v2.includes('change_configuration'));
  const start = (v2x) => specs.commandsFor(v2x).find((c) => c.kind === 'start_transaction').params.map((p) => p.name);
  assert.deepEqual(start(false), ['id_tag', 'connector_id', 'charging_profile']);
  assert.deepEqual(start(true), ['id_tag', 'evse_id', 'charging_profile']);
});

test('the command forms: parameters read from the fields, refused ones named', () => {
  const messages = { required: 'required', integer: 'integer', json: 'json', decimal: 'decimal', datetime: 'datetime' };
  const spec = (kind, v2 = false) => specs.commandsFor(v2).find((c) => c.kind === kind);
  const build = (kind, values, v2) => specs.buildParams(spec(kind, v2), values, messages);
  const refused = (kind, values, param, message, v2) =>
    assert.throws(() => build(kind, values, v2), (e) => e instanceof specs.ParamError && e.param === param && e.message === message);

  assert.deepEqual(build('start_transaction', { id_tag: ' TAG-1 ', connector_id: '2', charging_profile: '' }), { id_tag: 'TAG-1', connector_id: 2 });
  refused('start_transaction', { connector_id: '1' }, 'id_tag', 'required');
  refused('start_transaction', { id_tag: 'T', connector_id: '-1' }, 'connector_id', 'integer');
  refused('start_transaction', { id_tag: 'T', connector_id: '2147483648' }, 'connector_id', 'integer');
  assert.deepEqual(build('stop_transaction', { transaction_id: '2147483647' }), { transaction_id: 2147483647 });
  refused('start_transaction', { id_tag: 'T', charging_profile: '{"a":' }, 'charging_profile', 'json');
  assert.deepEqual(build('start_transaction', { id_tag: 'T', charging_profile: '{"chargingProfileId":1}' }).charging_profile, { chargingProfileId: 1 });
  assert.deepEqual(build('change_availability', {}), { operative: true }, 'operative defaults to yes, as the field shows');
  assert.deepEqual(build('change_availability', { operative: 'false', connector_id: '0' }), { operative: false, connector_id: 0 });
  assert.deepEqual(build('get_configuration', { keys: 'HeartbeatInterval, MeterValueSampleInterval,' }), { keys: ['HeartbeatInterval', 'MeterValueSampleInterval'] });
  assert.deepEqual(build('get_charging_profiles', { profile_ids: '1, 2' }, true), { profile_ids: [1, 2] });
  refused('get_charging_profiles', { profile_ids: '1, x' }, 'profile_ids', 'integer', true);
  assert.deepEqual(build('cost_updated', { transaction_id: '7', total_cost: '2.38' }, true), { transaction_id: 7, total_cost: '2.38' }, 'money stays text, exact');
  refused('cost_updated', { transaction_id: '7', total_cost: '2,38' }, 'total_cost', 'decimal', true);
  const at = build('update_firmware', { location: 'https://fw.example/1.bin', retrieve_at: '2026-12-01T10:00' });
  assert.equal(at.retrieve_at, new Date('2026-12-01T10:00').toISOString(), 'a local date-time is sent as an instant');
  refused('update_firmware', { location: 'x', retrieve_at: 'tomorrow' }, 'retrieve_at', 'datetime');
});
