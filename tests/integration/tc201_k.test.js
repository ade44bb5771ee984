// OCPP 2.0.1 block K (smart charging), CSMS side, against the real binary with strict stations.
//
// The part 6 catalogue in specs/ (edition "Core & Advanced Security", 2023-06) lists no
// TC_K_*_CSMS case yet ("List will become available in a later version", part 5 section 4.5);
// what it does define for block K is the Smart Charging certification profile's functions
// (part 5 section 2: set charging profile, remote start with a profile, get composite schedule,
// get charging profile, clear charging profile), the Memory State SetChargingProfile (table 252)
// and the Reusable State ISO15118SmartCharging (table 402). The tests below follow those, named
// after the use cases (K01, K05, K08, K09, K10, K12, K13, K15, K17). The CSMS is prompted the way
// an operator does (POST /api/v1/stations/{id}/commands); every request the station receives is
// validated against the official schema by the strict client, and checked field by field here.
//
// NotifyEVChargingNeeds is answered by the energy manager (services::SmartChargingReports):
// Accepted with a TxProfile to follow for an EVSE on a managed site (the ISO15118SmartCharging
// test sets one up through the energy API; with a departure and an energy amount the TxProfile
// becomes the vehicle's part of the site's plan), Rejected for any other EVSE (and when no
// energy manager is wired).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { conformanceServer, helpers, Station } = require('./tc201_helpers');

let server;
const { station, operator } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

const schedule = (limit, extra = {}) => ({ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit, numberPhases: 3 }], ...extra });
const profile = (purpose, extra = {}) => ({ id: 100, stackLevel: 0, chargingProfilePurpose: purpose, chargingProfileKind: 'Absolute',
  chargingSchedule: [schedule(16, { startSchedule: '2026-09-01T08:00:00.000Z' })], ...extra });

// The messages Gridlane kept of this station, of one kind (GET /stations/{id}/events).
async function kept(s, kind) {
  const token = await server.adminToken();
  const res = await server.request('GET', `/api/v1/stations/${encodeURIComponent(s.identity)}/events?kind=${kind}`, { token });
  assert.equal(res.status, 200, res.text);
  return res.body.messages;
}

async function smartStation(t, answers = {}) {
  return station(t, (st) => {
    st.answer('SetChargingProfile', answers.set || (() => ({ status: 'Accepted' })));
    st.answer('ClearChargingProfile', answers.clear || (() => ({ status: 'Accepted' })));
    st.answer('GetChargingProfiles', answers.get || (() => ({ status: 'Accepted' })));
    st.answer('GetCompositeSchedule', answers.composite || (() => ({ status: 'Rejected' })));
    st.answer('RequestStartTransaction', answers.start || (() => ({ status: 'Accepted' })));
  });
}

// ---- K01 SetChargingProfile ------------------------------------------------------------------

test('K01 set charging profile: TxDefaultProfile on a specific EVSE (Memory State SetChargingProfile)', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  const sent = profile('TxDefaultProfile', { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily',
    chargingSchedule: [schedule(10.5, { startSchedule: '2026-09-01T00:00:00.000Z', duration: 86400 })] });
  const cmd = await operator(s, 'set_charging_profile', { evse_id: 1, profile: sent });
  const req = s.only('SetChargingProfile');
  assert.equal(req.evseId, 1);
  assert.deepEqual(req.chargingProfile, sent, 'the profile as the operator gave it');
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]); // table 252 step 2
});

test('K01 set charging profile: ChargingStationMaxProfile on EVSE 0, in W', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  const sent = profile('ChargingStationMaxProfile', { chargingSchedule: [{ id: 1, chargingRateUnit: 'W',
    startSchedule: '2026-09-01T08:00:00.000Z', chargingSchedulePeriod: [{ startPeriod: 0, limit: 22000 }] }] });
  const cmd = await operator(s, 'set_charging_profile', { evse_id: 0, profile: sent });
  const req = s.only('SetChargingProfile');
  assert.equal(req.evseId, 0);
  assert.equal(req.chargingProfile.chargingProfilePurpose, 'ChargingStationMaxProfile');
  assert.equal(req.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit, 22000);
  assert.equal(cmd.status, 'accepted');
});

test('K01 set charging profile: TxProfile for the running transaction carries its transactionId', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  await s.energyTransferStarted(1);
  const cmd = await operator(s, 'set_charging_profile', { evse_id: 1, profile: profile('TxProfile', { transactionId: s.tx.id, stackLevel: 1 }) });
  const req = s.only('SetChargingProfile');
  assert.equal(req.chargingProfile.chargingProfilePurpose, 'TxProfile');
  assert.equal(req.chargingProfile.transactionId, s.tx.id);
  assert.equal(cmd.status, 'accepted');
});

test('K01 set charging profile: a station that rejects it leaves the command rejected, with its answer', async (t) => {
  const s = await smartStation(t, { set: () => ({ status: 'Rejected', statusInfo: { reasonCode: 'InvalidSchedule' } }) });
  await s.booted();
  const cmd = await operator(s, 'set_charging_profile', { evse_id: 1, profile: profile('TxDefaultProfile') });
  assert.equal(cmd.status, 'rejected');
  assert.deepEqual(cmd.response, { status: 'Rejected', statusInfo: { reasonCode: 'InvalidSchedule' } });
});

// ---- K05 RequestStartTransaction with a charging profile -----------------------------------------

test('K05 remote start with a charging profile: TxProfile in the RequestStartTransaction', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  const cmd = await operator(s, 'start_transaction', { id_tag: 'TOKEN-OK', evse_id: 1, charging_profile: profile('TxProfile') });
  const req = s.only('RequestStartTransaction');
  assert.equal(req.evseId, 1);
  assert.equal(req.chargingProfile.chargingProfilePurpose, 'TxProfile');
  assert.equal(req.chargingProfile.transactionId, undefined, 'no transaction yet (K05.FR.04)');
  assert.equal(req.remoteStartId, cmd.id);
});

// ---- K08 GetCompositeSchedule --------------------------------------------------------------------

test('K08 get composite schedule: the request and the schedule answered, kept on the command', async (t) => {
  const answer = { status: 'Accepted', schedule: { evseId: 1, duration: 3600, scheduleStart: '2026-09-01T08:00:00.000Z',
    chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 1800, limit: 8 }] } };
  const s = await smartStation(t, { composite: () => answer });
  await s.booted();
  const cmd = await operator(s, 'get_composite_schedule', { duration: 3600, unit: 'A', evse_id: 1 });
  assert.deepEqual(s.only('GetCompositeSchedule'), { duration: 3600, chargingRateUnit: 'A', evseId: 1 });
  assert.equal(cmd.status, 'accepted');
  assert.deepEqual(cmd.response, answer);
});

// ---- K09 GetChargingProfiles + ReportChargingProfiles ---------------------------------------------

test('K09 get charging profiles: criteria sent, every ReportChargingProfiles part answered and kept', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  const cmd = await operator(s, 'get_charging_profiles', { evse_id: 1, purpose: 'TxDefaultProfile', stack_level: 0 });
  const req = s.only('GetChargingProfiles');
  assert.equal(req.requestId, cmd.id, 'requestId is the command id');
  assert.equal(req.evseId, 1);
  assert.deepEqual(req.chargingProfile, { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 });
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]);
  // The station reports in two parts (tbc), each with the request's id (K09.FR.03).
  const part = (tbc, id) => ({ requestId: req.requestId, chargingLimitSource: 'CSO', evseId: 1, tbc,
    chargingProfile: [profile('TxDefaultProfile', { id })] });
  assert.deepEqual(await s.call('ReportChargingProfiles', part(true, 100)), {});
  assert.deepEqual(await s.call('ReportChargingProfiles', part(false, 101)), {});
  const reports = await kept(s, 'ReportChargingProfiles');
  assert.deepEqual(reports.map((m) => [m.payload.requestId, m.payload.chargingProfile[0].id]), [[cmd.id, 100], [cmd.id, 101]]);
});

test('K09 get charging profiles: by profile ids and sources, all EVSEs; NoProfiles is the station\'s answer', async (t) => {
  const s = await smartStation(t, { get: () => ({ status: 'NoProfiles' }) });
  await s.booted();
  const cmd = await operator(s, 'get_charging_profiles', { profile_ids: [100, 101], sources: ['CSO', 'EMS'] });
  const req = s.only('GetChargingProfiles');
  assert.equal(req.evseId, undefined, 'every EVSE');
  assert.deepEqual(req.chargingProfile, { chargingProfileId: [100, 101], chargingLimitSource: ['CSO', 'EMS'] });
  assert.deepEqual(cmd.response, { status: 'NoProfiles' });
});

test('K09 get charging profiles: a request without a criterion or with a 2.1-only source is refused, naming the field', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  const token = await server.adminToken();
  const send = (params) => server.request('POST', `/api/v1/stations/${encodeURIComponent(s.identity)}/commands?wait=5`,
    { token, body: { kind: 'get_charging_profiles', params } });
  const empty = await send({ evse_id: 1 });
  assert.equal(empty.status, 422, empty.text);
  assert.match(empty.body.detail, /purpose/);
  const open = await send({ sources: ['GridOperator'] });
  assert.equal(open.status, 422, open.text);
  assert.match(open.body.detail, /sources.*2\.0\.1/);
  assert.equal(s.requests('GetChargingProfiles').length, 0, 'nothing sent');
});

// ---- K10 ClearChargingProfile ----------------------------------------------------------------------

test('K10 clear charging profile: by id, and by criteria', async (t) => {
  const s = await smartStation(t, { clear: (p) => ({ status: p.chargingProfileId === 404 ? 'Unknown' : 'Accepted' }) });
  await s.booted();
  const byId = await operator(s, 'clear_charging_profile', { profile_id: 100 });
  assert.deepEqual(s.requests('ClearChargingProfile')[0], { chargingProfileId: 100 });
  assert.equal(byId.status, 'accepted');
  const byCriteria = await operator(s, 'clear_charging_profile', { evse_id: 1, purpose: 'TxDefaultProfile', stack_level: 0 });
  assert.deepEqual(s.requests('ClearChargingProfile')[1],
    { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 } });
  assert.equal(byCriteria.status, 'accepted');
  const unknown = await operator(s, 'clear_charging_profile', { profile_id: 404 });
  assert.deepEqual([unknown.status, unknown.response], ['rejected', { status: 'Unknown' }]);
});

// ---- K12/K13 NotifyChargingLimit / ClearedChargingLimit --------------------------------------------

test('K12 notify charging limit and K13 cleared charging limit: answered, kept', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  const limit = { evseId: 1, chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true },
    chargingSchedule: [schedule(10, { startSchedule: s.now() })] };
  assert.deepEqual(await s.call('NotifyChargingLimit', limit), {});
  assert.deepEqual(await s.call('ClearedChargingLimit', { chargingLimitSource: 'SO', evseId: 1 }), {});
  assert.deepEqual((await kept(s, 'NotifyChargingLimit')).map((m) => m.payload), [limit]);
  assert.equal((await kept(s, 'ClearedChargingLimit')).length, 1);
});

test('K12 notify charging limit: a limit beyond any charger is refused, not applied', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  await assert.rejects(s.call('NotifyChargingLimit', { chargingLimit: { chargingLimitSource: 'SO' },
    chargingSchedule: [schedule(1e12)] }), (e) => e.rpcErrorCode === 'PropertyConstraintViolation' || /PropertyConstraint/.test(e.message));
  assert.equal((await kept(s, 'NotifyChargingLimit')).length, 0);
});

// ---- K15/K17 ISO 15118: NotifyEVChargingNeeds / NotifyEVChargingSchedule ---------------------------

test('K15 notify EV charging needs without a managed site: Rejected, no profile follows (table 402 step 2)', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  await s.energyTransferStarted(1);
  const res = await s.call('NotifyEVChargingNeeds', { evseId: 1, maxScheduleTuples: 24, chargingNeeds: {
    requestedEnergyTransfer: 'AC_three_phase', departureTime: '2099-09-01T17:00:00.000Z',
    acChargingParameters: { energyAmount: 20000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 } } });
  assert.deepEqual(res, { status: 'Rejected' });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(s.requests('SetChargingProfile').length, 0, 'no TxProfile sent');
  assert.equal((await kept(s, 'NotifyEVChargingNeeds')).length, 1);
});

test('K15/K17 Reusable State ISO15118SmartCharging on a managed site (table 402, every step)', async (t) => {
  // A site with a grid connection, the station's EVSE attached: the energy manager plans it.
  const token = await server.adminToken();
  const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });
  const loc = `K-SITE-${process.pid}`;
  const id = `TC201K-${process.pid}-M`;
  assert.equal((await api('POST', '/locations', { id: loc, name: 'K site' })).status, 201);
  assert.equal((await api('POST', '/stations', { id })).status, 201);
  assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: loc })).status, 200);
  assert.equal((await api('POST', `/stations/${id}/evses`, { evse_id: 1 })).status, 201);
  let res = await api('PUT', `/locations/${loc}/energy/grid`, { limit: { per_phase_a: 32 } });
  assert.ok(res.status === 200 || res.status === 201, res.text);
  res = await api('PUT', `/locations/${loc}/energy/evses/${id}/1`, { max_current_a: 32 });
  assert.ok(res.status === 200 || res.status === 201, res.text);

  const s = new Station(server, id);
  s.answer('SetChargingProfile', () => ({ status: 'Accepted' }));
  await s.connect();
  t.after(() => s.close());
  await s.booted();
  await s.energyTransferStarted(1);
  const before = s.requests('SetChargingProfile').length;
  // Steps 1-2: the needs, answered Accepted or Processing.
  const needs = await s.call('NotifyEVChargingNeeds', { evseId: 1, maxScheduleTuples: 24, chargingNeeds: {
    requestedEnergyTransfer: 'AC_three_phase', departureTime: new Date(Date.now() + 8 * 3600e3).toISOString(),
    acChargingParameters: { energyAmount: 20000, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 400 } } });
  assert.ok(['Accepted', 'Processing'].includes(needs.status), `step 2: ${JSON.stringify(needs)}`);
  // Steps 3-4: a TxProfile for the transaction (the tool waits up to 60 s after Processing).
  let tx;
  for (let i = 0; i < 100 && !tx; i++) {
    tx = s.requests('SetChargingProfile').slice(before).find((p) => p.chargingProfile.chargingProfilePurpose === 'TxProfile');
    if (!tx) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(tx, 'step 3: a SetChargingProfileRequest TxProfile');
  assert.equal(tx.chargingProfile.transactionId, s.tx.id, 'step 3: the transaction\'s id');
  // Steps 5-6: the vehicle's schedule, from the profile of step 3.
  const ev = await s.call('NotifyEVChargingSchedule', { timeBase: s.now(), evseId: 1, chargingSchedule: tx.chargingProfile.chargingSchedule[0] });
  assert.deepEqual(ev, { status: 'Accepted' });
  // Steps 7-8.
  assert.deepEqual(await s.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' }), {});
});

test('K15 charging needs with a departure on a site with a time-of-use price: the TxProfile is the vehicle\'s part of the plan', async (t) => {
  const token = await server.adminToken();
  const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });
  const loc = `K-PLAN-${process.pid}`;
  const id = `TC201K-${process.pid}-P`;
  assert.equal((await api('POST', '/locations', { id: loc, name: 'K plan' })).status, 201);
  assert.equal((await api('POST', '/stations', { id })).status, 201);
  assert.equal((await api('PUT', `/stations/${id}/location`, { location_id: loc })).status, 200);
  assert.equal((await api('POST', `/stations/${id}/evses`, { evse_id: 1 })).status, 201);
  let res = await api('PUT', `/locations/${loc}/energy/grid`, { limit: { per_phase_a: 32 } });
  assert.ok(res.status === 200 || res.status === 201, res.text);
  res = await api('PUT', `/locations/${loc}/energy/evses/${id}/1`, { max_current_a: 32 });
  assert.ok(res.status === 200 || res.status === 201, res.text);
  const at = (h) => new Date(Date.now() + h * 3600e3).toISOString();
  res = await api('PUT', `/locations/${loc}/energy/prices`, { currency: 'EUR', points: [
    { from: at(-0.1), per_kwh: 0.4 }, { from: at(1), per_kwh: 0.1 }, { from: at(3), per_kwh: 0.4 }] }); // dear, cheap, dear
  assert.equal(res.status, 200, res.text);

  const s = new Station(server, id);
  s.answer('SetChargingProfile', () => ({ status: 'Accepted' }));
  await s.connect();
  t.after(() => s.close());
  await s.booted();
  await s.energyTransferStarted(1);
  const before = s.requests('SetChargingProfile').length;
  // 20 kWh by 8 h from now at 16 A on three phases (11 kW): the two cheap hours hold it.
  const needs = await s.call('NotifyEVChargingNeeds', { evseId: 1, maxScheduleTuples: 12, chargingNeeds: {
    requestedEnergyTransfer: 'AC_three_phase', departureTime: at(8),
    acChargingParameters: { energyAmount: 20000, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 400 } } });
  assert.equal(needs.status, 'Accepted');
  let plan;
  for (let i = 0; i < 100 && !plan; i++) {
    plan = s.requests('SetChargingProfile').slice(before).find((p) => p.chargingProfile.chargingProfilePurpose === 'TxProfile' &&
      p.chargingProfile.chargingSchedule[0].chargingSchedulePeriod.length > 1);
    if (!plan) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(plan, 'a TxProfile whose schedule has more than one period');
  assert.equal(plan.chargingProfile.transactionId, s.tx.id);
  const periods = plan.chargingProfile.chargingSchedule[0].chargingSchedulePeriod;
  assert.ok(periods.length <= 12, 'within maxScheduleTuples');
  assert.equal(periods[0].startPeriod, 0);
  assert.equal(periods[0].limit, 0, 'waits in the dear hour');
  for (const p of periods) {
    assert.ok(p.limit <= 16, `within the vehicle's max: ${JSON.stringify(p)}`);
    if (p.startPeriod < 2700 || p.startPeriod >= 3 * 3600) assert.equal(p.limit, 0, `nothing in the dear hours: ${JSON.stringify(p)}`);
  }
  assert.ok(periods.some((p) => p.limit > 0), 'charges in the cheap hours');
});

test('K17 notify EV charging schedule: Accepted (table 402 steps 5-6)', async (t) => {
  const s = await smartStation(t);
  await s.booted();
  await s.energyTransferStarted(1);
  const res = await s.call('NotifyEVChargingSchedule', { timeBase: s.now(), evseId: 1,
    chargingSchedule: { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }] } });
  assert.deepEqual(res, { status: 'Accepted' });
});

// ---- OCPP 2.1: the profile's 2.1 shapes ---------------------------------------------------------------

test('2.1: per-phase limits and a 2.1 purpose are sent; a report with them is answered', async (t) => {
  const s = new Station(server, `TC21K-${process.pid}`);
  s.version = 'ocpp2.1';
  s.cs = server.client(s.identity, { protocols: ['ocpp2.1'] });
  s.cs.on('badMessage', () => {});
  s.answer('SetChargingProfile', () => ({ status: 'Accepted' }));
  s.answer('GetChargingProfiles', () => ({ status: 'Accepted' }));
  await s.connect();
  t.after(() => s.close());
  await s.booted();
  const sent = profile('LocalGeneration', { chargingSchedule: [{ id: 1, chargingRateUnit: 'A', startSchedule: '2026-09-01T08:00:00.000Z',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, limit_L2: 10, limit_L3: 6 }] }] });
  const cmd = await operator(s, 'set_charging_profile', { evse_id: 1, profile: sent });
  assert.equal(cmd.status, 'accepted');
  assert.deepEqual(s.only('SetChargingProfile').chargingProfile, sent);
  const get = await operator(s, 'get_charging_profiles', { sources: ['GridOperator'] });
  assert.deepEqual(s.only('GetChargingProfiles').chargingProfile, { chargingLimitSource: ['GridOperator'] });
  assert.deepEqual(await s.call('ReportChargingProfiles', { requestId: get.id, chargingLimitSource: 'GridOperator', evseId: 1,
    chargingProfile: [sent] }), {});
});
