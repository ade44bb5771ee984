// The simulator obeys: simulated 1.6 and 2.0.1 stations sent a charging profile through the
// operator command API draw within it, report it in their per-phase meter values and in
// GetCompositeSchedule, and go back to their vehicle's own rate when it is cleared; a station
// told to ignore profiles accepts them and draws what its vehicle takes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { startServer, BIN } = require('./harness');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A fleet of two stations of one version; station 2 ignores profiles. 22 kW per connector (31.8 A
// on each of three phases), three-phase vehicles of 16 or 32 A, a meter value every second.
function fleet(prefix, share16) {
  return spawn(BIN, ['sim', '--url', globalThis.serverUrl, '--stations', '2', '--connectors', '1', '--share-16', String(share16),
    '--prefix', prefix, '--duration', '40', '--sessions-per-hour', '0', '--meter-interval', '1', '--power', '22000',
    '--share-1phase', '0', '--ignore-profiles', '2', '--session-length', '100000', '--seed', '11'], { stdio: 'ignore' });
}

// The newest Current.Import L1 and Power.Active.Import of a transaction taken after `since`.
async function latest(server, token, txId, since) {
  const tx = await server.request('GET', `/api/v1/transactions/${txId}`, { token });
  assert.equal(tx.status, 200, tx.text);
  const after = tx.body.meter_values.filter((m) => Date.parse(m.timestamp) > since);
  const last = (measurand, phase) => {
    const found = after.filter((m) => m.measurand === measurand && (phase === undefined || m.phase === phase));
    return found.length ? Number(found[found.length - 1].value) : undefined;
  };
  return { l1: last('Current.Import', 'L1'), l2: last('Current.Import', 'L2'), l3: last('Current.Import', 'L3'),
           power: last('Power.Active.Import') };
}

async function waitFor(fn, what, ms = 8000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test('simulated 1.6 and 2.0.1 stations draw within the profile they are sent, report it, and an ignoring one does not', async (t) => {
  const server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  globalThis.serverUrl = server.url;
  const sims = [fleet('E16-', 1), fleet('E2-', 0)];
  t.after(() => sims.forEach((p) => p.kill()));
  const token = await server.adminToken();
  const command = async (station, kind, params) => {
    const res = await server.request('POST', `/api/v1/stations/${station}/commands?wait=10`, { token, body: { kind, params } });
    assert.equal(res.status, 200, `${station} ${kind}: ${res.text}`);
    return res.body;
  };
  await waitFor(async () => (await server.request('GET', '/api/v1/stations?connected=true', { token })).body.items.length === 4,
    'four stations connected');

  const stations = [
    { id: 'E16-00001', version: '1.6', obeys: true }, { id: 'E16-00002', version: '1.6', obeys: false },
    { id: 'E2-00001', version: '2.0.1', obeys: true }, { id: 'E2-00002', version: '2.0.1', obeys: false },
  ];
  for (const s of stations) {
    const started = await command(s.id, 'start_transaction', { id_tag: 'ENERGY-1', connector_id: 1, evse_id: 1 });
    assert.equal(started.status, 'accepted', JSON.stringify(started));
    s.tx = started.transaction_id;
  }
  // Unlimited: each vehicle takes its own rate, 16 A or more on every phase.
  let since = Date.now();
  for (const s of stations) {
    const r = await waitFor(async () => { const x = await latest(server, token, s.tx, since); return x.l1 !== undefined && x; },
      `${s.id} reports per-phase currents`);
    assert.ok(r.l1 >= 15.9, `${s.id} draws its vehicle's rate: ${JSON.stringify(r)}`);
    assert.equal(r.l2, r.l1, 'three-phase vehicle: the same on L2');
    assert.equal(r.l3, r.l1, 'and on L3');
  }

  // A TxDefaultProfile of 8 A from a minute ago, stack level 1.
  const startSchedule = new Date(Date.now() - 60000).toISOString();
  const profile = { chargingProfileId: 41, stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { chargingRateUnit: 'A', startSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 8 }] } };
  for (const s of stations) {
    const res = await command(s.id, 'set_charging_profile', { connector_id: 1, evse_id: 1, profile });
    assert.equal(res.status, 'accepted', `${s.id}: ${JSON.stringify(res)}`);
    assert.equal(res.response.status, 'Accepted', 'the ignoring station accepts too');
  }
  since = Date.now();
  await sleep(1500);
  for (const s of stations) {
    const r = await waitFor(async () => { const x = await latest(server, token, s.tx, since); return x.l1 !== undefined && x; },
      `${s.id} reports after the profile`);
    if (s.obeys) {
      assert.ok(r.l1 <= 8 && r.l1 >= 7.9, `${s.id} draws 8 A: ${JSON.stringify(r)}`);
      assert.ok(r.power <= 8 * 230 * 3, `${s.id} power within the profile: ${r.power}`);
    } else {
      assert.ok(r.l1 >= 15.9, `${s.id} ignores it: ${JSON.stringify(r)}`);
    }
    // Its composite schedule shows the profile (an ignoring station claims it too: only its meter tells).
    const composite = await command(s.id, 'get_composite_schedule', { duration: 600, unit: 'A', connector_id: 1, evse_id: 1 });
    assert.equal(composite.status, 'accepted', JSON.stringify(composite));
    const schedule = s.version === '1.6' ? composite.response.chargingSchedule : composite.response.schedule;
    assert.equal(schedule.chargingRateUnit, 'A');
    assert.equal(schedule.duration, 600);
    assert.deepEqual(schedule.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]), [[0, 8]], JSON.stringify(schedule));
  }

  // A station maximum of 6 A over the whole station (stack 0) caps the TxDefault's 8 A.
  const stationMax = { chargingProfileId: 42, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { chargingRateUnit: 'W', startSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 * 230 * 3 }] } };
  const obeying16 = stations[0], obeying2 = stations[2];
  for (const s of [obeying16, obeying2]) {
    const res = await command(s.id, 'set_charging_profile', { connector_id: 0, evse_id: 0, profile: stationMax });
    assert.equal(res.response.status, 'Accepted', JSON.stringify(res));
    const composite = await command(s.id, 'get_composite_schedule', { duration: 300, unit: 'A', connector_id: 1, evse_id: 1 });
    const schedule = s.version === '1.6' ? composite.response.chargingSchedule : composite.response.schedule;
    assert.deepEqual(schedule.chargingSchedulePeriod.map((p) => p.limit), [6], `${s.id}: ${JSON.stringify(schedule)}`);
  }
  since = Date.now();
  await sleep(1500);
  for (const s of [obeying16, obeying2]) {
    const r = await waitFor(async () => { const x = await latest(server, token, s.tx, since); return x.l1 !== undefined && x; }, 'a reading');
    assert.ok(r.l1 <= 6 && r.l1 >= 5.9, `${s.id} draws the station maximum: ${JSON.stringify(r)}`);
  }

  // Cleared: back to the vehicle's own rate.
  for (const s of [obeying16, obeying2]) {
    const res = await command(s.id, 'clear_charging_profile', {});
    assert.equal(res.response.status, 'Accepted', JSON.stringify(res));
  }
  since = Date.now();
  await sleep(1500);
  for (const s of [obeying16, obeying2]) {
    const r = await waitFor(async () => { const x = await latest(server, token, s.tx, since); return x.l1 !== undefined && x; }, 'a reading');
    assert.ok(r.l1 >= 15.9, `${s.id} back to its vehicle's rate: ${JSON.stringify(r)}`);
  }
});

// The server's traced frames in from `station`: [action, payload] of each CALL.
function callsFrom(server, station, action) {
  const prefix = `[${station}] frame in: `;
  return server.stderr.split('\n').filter((l) => l.includes(prefix)).map((l) => JSON.parse(l.slice(l.indexOf(prefix) + prefix.length)))
    .filter((f) => f[0] === 2 && f[2] === action).map((f) => f[3]);
}

test('a 2.0.1 vehicle tells its charging needs, and the site meter reports what the stations draw on connector 0', async (t) => {
  const server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  t.after(() => server.stop());
  const sim = spawn(BIN, ['sim', '--url', server.url, '--stations', '1', '--connectors', '1', '--share-16', '0', '--prefix', 'SM-',
    '--duration', '30', '--sessions-per-hour', '0', '--session-length', '100000', '--meter-interval', '1', '--power', '11000',
    '--charging-needs', '--site-meter', '--building-load', '0', '--pv-peak', '0', '--seed', '5'], { stdio: 'ignore' });
  t.after(() => sim.kill());
  const token = await server.adminToken();
  await waitFor(async () => (await server.request('GET', '/api/v1/stations?connected=true', { token })).body.items.length === 2,
    'the station and the site meter connected');
  for (const id of ['SM-00001', 'SM-METER'])
    assert.equal((await server.request('PUT', `/api/v1/stations/${id}/trace`, { token, body: { enabled: true } })).status, 200);
  const started = await server.request('POST', '/api/v1/stations/SM-00001/commands?wait=10', { token,
    body: { kind: 'start_transaction', params: { id_tag: 'ENERGY-2', evse_id: 1 } } });
  assert.equal(started.body.status, 'accepted', started.text);

  const [needs] = await waitFor(async () => { const n = callsFrom(server, 'SM-00001', 'NotifyEVChargingNeeds'); return n.length && n; },
    'NotifyEVChargingNeeds');
  assert.equal(needs.evseId, 1);
  const ac = needs.chargingNeeds.acChargingParameters;
  assert.ok(['AC_single_phase', 'AC_three_phase'].includes(needs.chargingNeeds.requestedEnergyTransfer));
  assert.ok(ac.energyAmount > 0 && [16, 32].includes(ac.evMaxCurrent), JSON.stringify(needs));
  assert.ok(Date.parse(needs.chargingNeeds.departureTime) > Date.now() + 3600e3, 'departs when the session is due to end');

  // The station draws its vehicle's rate; the site meter (no building, no PV) shows the same.
  const since = Date.now();
  const station = await waitFor(async () => { const x = await latest(server, token, started.body.transaction_id, since); return x.power && x; },
    'a reading of the station');
  const site = await waitFor(async () => {
    const frames = callsFrom(server, 'SM-METER', 'MeterValues').filter((p) => p.evseId === 0 && Date.parse(p.meterValue[0].timestamp) > since);
    return frames.length && frames[frames.length - 1];
  }, 'a site meter reading');
  const sampled = site.meterValue[0].sampledValue;
  const power = sampled.find((s) => s.measurand === 'Power.Active.Import').value;
  assert.ok(Math.abs(power - station.power) <= 1, `site ${power} W = station ${station.power} W`);
  const l1 = sampled.find((s) => s.measurand === 'Current.Import' && s.phase === 'L1').value;
  assert.ok(Math.abs(l1 - station.l1) <= 0.1, `site L1 ${l1} A = station L1 ${station.l1} A`);
  assert.ok(sampled.some((s) => s.measurand === 'Energy.Active.Import.Register'));
});
