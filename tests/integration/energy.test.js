// The energy manager through the real binary (docs/energy.md, "How Gridlane keeps a site within
// its limits"): a depot with a 32 A grid connection and two strict stations, one OCPP 1.6 and
// one 2.0.1. Both get their fail-safe at boot, SetChargingProfile shares that sum within the
// limit when both charge, the share follows when a session ends, and a station drawing more
// than its share raises energy.alert on the SSE stream and lowers the other at once.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer, until } = require('./harness');
const { Station2 } = require('./ocpp2');

let server;
let token;
const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });
const LOC = 'EN-DEPOT';
const now = () => new Date().toISOString();


// The SSE stream's events (parsed `data:` lines) until closed.
function events() {
  const received = [];
  const req = http.request({ host: '127.0.0.1', port: server.port, path: '/api/v1/events',
    headers: { Authorization: `Bearer ${token}` } });
  const ready = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const line = chunk.split('\n').find((l) => l.startsWith('data: '));
          if (line) received.push(JSON.parse(line.slice(6)));
        }
      });
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end();
  return { ready, received, close: () => req.destroy() };
}

// The limit (A) of each SetChargingProfile a station got, with its purpose: 1.6 and 2.x shapes.
function recordProfiles(cs) {
  const got = [];
  cs.handle('SetChargingProfile', ({ params }) => {
    const p = params.csChargingProfiles || params.chargingProfile;
    const sch = p.chargingSchedule.length !== undefined ? p.chargingSchedule[0] : p.chargingSchedule;
    got.push({ purpose: p.chargingProfilePurpose, limit: sch.chargingSchedulePeriod[0].limit,
      evse: params.connectorId ?? params.evseId });
    return { status: 'Accepted' };
  });
  return got;
}
const lastTx = (got) => [...got].reverse().find((p) => p.purpose === 'TxProfile');

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n[energy]\nmin_interval = "1s"\n' });
  token = await server.adminToken();
  assert.equal((await api('POST', '/locations', { id: LOC, name: 'Energy depot' })).status, 201);
  for (const id of ['EN-16', 'EN-201']) {
    assert.equal((await api('POST', '/stations', { id })).status, 201);
    assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: LOC })).status, 200);
    assert.equal((await api('POST', `/stations/${id}/evses`, { evse_id: 1 })).status, 201);
  }
  let res = await api('PUT', `/locations/${LOC}/energy/grid`, GRID);
  assert.ok(res.status === 200 || res.status === 201, res.text);
  for (const id of ['EN-16', 'EN-201']) {
    res = await api('PUT', `/locations/${LOC}/energy/evses/${id}/1`, ATTACH);
    assert.ok(res.status === 200 || res.status === 201, res.text);
  }
  for (const tag of ['EN-TAG-16', 'EN-TAG-2']) server.admin('token', 'add', tag);
});
after(() => server.stop());

const GRID = { limit: { per_phase_a: 32 } };
const ATTACH = { max_current_a: 32 };

test('1.6 and 2.0.1 stations share a 32 A connection, follow a session end, and an overdraw is contained', async (t) => {
  const stream = events();
  await stream.ready;
  t.after(() => stream.close());

  const cs16 = server.client('EN-16');
  const got16 = recordProfiles(cs16);
  await cs16.connect();
  t.after(() => cs16.close());
  await cs16.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const st2 = new Station2(server, 'EN-201', 'ocpp2.0.1');
  const got2 = recordProfiles(st2.cs);
  await st2.connect();
  t.after(() => st2.close());
  await st2.booted();

  // The fail-safe at boot: 6 A for the station's one EVSE, on the whole station.
  await until('1.6 fail-safe', () => got16.find((p) => p.purpose === 'ChargePointMaxProfile'));
  await until('2.0.1 fail-safe', () => got2.find((p) => p.purpose === 'ChargingStationMaxProfile'));
  assert.equal(got16.find((p) => p.purpose === 'ChargePointMaxProfile').limit, 6);
  assert.equal(got2.find((p) => p.purpose === 'ChargingStationMaxProfile').evse, 0);

  const start = await cs16.call('StartTransaction', { connectorId: 1, idTag: 'EN-TAG-16', meterStart: 0, timestamp: now() });
  assert.equal(start.idTagInfo.status, 'Accepted');
  await until('1.6 alone gets the connection', () => lastTx(got16)?.limit === 32);
  const start2 = async () => {
    await st2.status('Occupied');
    st2.begin();
    await st2.event('Started', 'Authorized', { idToken: { idToken: 'EN-TAG-2', type: 'ISO14443' }, evse: { id: 1, connectorId: 1 },
      meterValue: st2.energy(0, 'Transaction.Begin') }, { chargingState: 'Charging' });
  };
  await start2();
  await until('both at 16 A', () => lastTx(got16)?.limit === 16 && lastTx(got2)?.limit === 16);
  assert.ok(lastTx(got16).limit + lastTx(got2).limit <= 32, 'the shares sum within the limit');
  const setpoints = stream.received.filter((e) => e.type === 'energy.setpoint');
  assert.ok(setpoints.some((e) => e.station_id === 'EN-201' && e.data.current_a === 16), 'energy.setpoint on the stream');

  // The 2.0.1 session ends: the 1.6 station gets the whole connection back (after min_interval).
  await st2.event('Ended', 'StopAuthorized', { meterValue: st2.energy(500, 'Transaction.End') }, { stoppedReason: 'Local' });
  await until('1.6 back at 32 A', () => lastTx(got16)?.limit === 32);
  await start2();
  await until('both at 16 A again', () => lastTx(got16)?.limit === 16 && lastTx(got2)?.limit === 16);

  // The 1.6 station ignores its 16 A: 24 A on each phase in its next meter value.
  await cs16.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: now(),
    sampledValue: ['L1', 'L2', 'L3'].map((phase) => ({ value: '24', measurand: 'Current.Import', phase, unit: 'A' })) }] });
  const alert = await until('energy.alert', () => stream.received.find((e) => e.type === 'energy.alert'));
  assert.equal(alert.station_id, 'EN-16');
  assert.equal(alert.data.kind, 'overdraw');
  assert.equal(alert.data.given_a, 16);
  assert.equal(alert.data.measured_a, 24);
  await until('the other lowered to what is left', () => lastTx(got2)?.limit === 8);

  await st2.event('Ended', 'StopAuthorized', { meterValue: st2.energy(900, 'Transaction.End') }, { stoppedReason: 'Local' });
  await cs16.call('StopTransaction', { transactionId: start.transactionId, meterStop: 1000, timestamp: now(), reason: 'Local' });
});

test('a station whose composite schedule allows more than its share raises schedule_mismatch; one that applies it does not', async (t) => {
  const stream = events();
  await stream.ready;
  t.after(() => stream.close());
  for (const id of ['EN-LIAR', 'EN-TRUE']) {
    assert.equal((await api('POST', '/stations', { id })).status, 201);
    assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: LOC })).status, 200);
    assert.equal((await api('POST', `/stations/${id}/evses`, { evse_id: 1 })).status, 201);
    const res = await api('PUT', `/locations/${LOC}/energy/evses/${id}/1`, ATTACH);
    assert.ok(res.status === 200 || res.status === 201, res.text);
  }
  server.admin('token', 'add', 'EN-TAG-L');
  server.admin('token', 'add', 'EN-TAG-T');
  const asked = { 'EN-LIAR': 0, 'EN-TRUE': 0 };
  const stations = [];
  for (const [id, tag] of [['EN-LIAR', 'EN-TAG-L'], ['EN-TRUE', 'EN-TAG-T']]) {
    const st = new Station2(server, id, 'ocpp2.0.1');
    const got = recordProfiles(st.cs);
    // The composite schedule: the liar says 40 A whatever it was sent; the other what it got.
    st.cs.handle('GetCompositeSchedule', ({ params }) => {
      asked[id]++;
      const limit = id === 'EN-LIAR' ? 40 : (lastTx(got)?.limit ?? 6);
      return { status: 'Accepted', schedule: { evseId: params.evseId, duration: params.duration, scheduleStart: now(),
        chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] } };
    });
    await st.connect();
    t.after(() => st.close());
    await st.booted();
    await st.status('Occupied');
    st.begin();
    await st.event('Started', 'Authorized', { idToken: { idToken: tag, type: 'ISO14443' }, evse: { id: 1, connectorId: 1 },
      meterValue: st.energy(0, 'Transaction.Begin') }, { chargingState: 'Charging' });
    stations.push([st, got]);
  }
  await until('both asked for their composite schedule', () => asked['EN-LIAR'] > 0 && asked['EN-TRUE'] > 0);
  const mismatch = await until('schedule_mismatch', () =>
    stream.received.find((e) => e.type === 'energy.alert' && e.data.kind === 'schedule_mismatch'));
  assert.equal(mismatch.station_id, 'EN-LIAR');
  assert.equal(mismatch.data.measured_a, 40);
  assert.ok(stations[0][1].some((p) => p.purpose === 'TxProfile' && p.limit === mismatch.data.given_a),
    'the alert names a share the station was sent');
  assert.ok(mismatch.data.given_a < 40);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!stream.received.some((e) => e.type === 'energy.alert' && e.station_id === 'EN-TRUE'),
    'the station that applies its share raises nothing');
  for (const [st] of stations)
    await st.event('Ended', 'StopAuthorized', { meterValue: st.energy(100, 'Transaction.End') }, { stoppedReason: 'Local' });
});
