// Typed remote commands: one API body, decoded once into the domain's ChargingProfile, reaches a
// 1.6, a 2.0.1 and a 2.1 strict station each in its own version's shape; what a version cannot
// carry is refused with 422 naming the field, and nothing is sent.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');

let server;
let token;
const stations = {};

before(async () => {
  server = await startServer();
  token = await server.adminToken();
  for (const version of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']) {
    const id = `TYPED-${version}`;
    const cs = server.client(id, { protocols: [version] });
    const received = [];
    cs.handle('SetChargingProfile', ({ params }) => { received.push(params); return { status: 'Accepted' }; });
    cs.handle('RequestStartTransaction', ({ params }) => { received.push(params); return { status: 'Rejected' }; });
    cs.handle('RemoteStartTransaction', ({ params }) => { received.push(params); return { status: 'Rejected' }; });
    await cs.connect();
    if (version === 'ocpp1.6') await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    else await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    stations[version] = { id, cs, received };
  }
});

after(async () => {
  for (const s of Object.values(stations)) await s.cs.close();
  await server.stop();
});

function send(version, kind, params) {
  return server.request('POST', `/api/v1/stations/${stations[version].id}/commands?wait=5`, { token, body: { kind, params } });
}

// The same profile in the two shapes the API accepts.
const profile2x = {
  id: 7, stackLevel: 1, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Recurring',
  recurrencyKind: 'Daily', validFrom: '2026-12-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z',
  chargingSchedule: [{ id: 1, startSchedule: '2026-12-01T06:00:00.000Z', duration: 86400, chargingRateUnit: 'A', minChargingRate: 6,
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 32, numberPhases: 3 }, { startPeriod: 3600, limit: 6.5, numberPhases: 1 }] }],
};
const profile16 = {
  chargingProfileId: 7, stackLevel: 1, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Recurring',
  recurrencyKind: 'Daily', validFrom: '2026-12-01T01:00:00+01:00', validTo: '2027-01-01T00:00:00Z',
  chargingSchedule: { startSchedule: '2026-12-01T06:00:00Z', duration: 86400, chargingRateUnit: 'A', minChargingRate: 6.0,
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 32.0, numberPhases: 3 }, { startPeriod: 3600, limit: 6.5, numberPhases: 1 }] },
};

// What each version's station must receive for that profile.
const expected16 = {
  connectorId: 0,
  csChargingProfiles: {
    chargingProfileId: 7, stackLevel: 1, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Recurring',
    recurrencyKind: 'Daily', validFrom: '2026-12-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z',
    chargingSchedule: { duration: 86400, startSchedule: '2026-12-01T06:00:00.000Z', chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 32, numberPhases: 3 }, { startPeriod: 3600, limit: 6.5, numberPhases: 1 }],
      minChargingRate: 6 },
  },
};
const expected2x = {
  evseId: 0,
  chargingProfile: {
    id: 7, stackLevel: 1, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Recurring',
    recurrencyKind: 'Daily', validFrom: '2026-12-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z',
    chargingSchedule: [{ id: 1, startSchedule: '2026-12-01T06:00:00.000Z', duration: 86400, chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 32, numberPhases: 3 }, { startPeriod: 3600, limit: 6.5, numberPhases: 1 }],
      minChargingRate: 6 }],
  },
};

for (const [shape, profile] of [['2.x', profile2x], ['1.6', profile16]]) {
  test(`one SetChargingProfile body (profile in the ${shape} shape) reaches 1.6, 2.0.1 and 2.1 stations in their own shapes`, async () => {
    for (const version of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']) {
      const s = stations[version];
      s.received.length = 0;
      const res = await send(version, 'set_charging_profile', { connector_id: 0, evse_id: 0, profile });
      assert.equal(res.status, 200, `${version}: ${res.text}`);
      assert.equal(res.body.status, 'accepted', `${version}: ${res.text}`);
      assert.equal(res.body.action, 'SetChargingProfile');
      assert.equal(s.received.length, 1, `${version} received one SetChargingProfile`);
      assert.deepEqual(s.received[0], version === 'ocpp1.6' ? expected16 : expected2x, version);
      // The record shows the command as understood: the profile in the 2.x shape, whichever was given.
      assert.deepEqual(res.body.params.profile, expected2x.chargingProfile, `${version}: the recorded profile`);
      const again = await server.request('GET', `/api/v1/commands/${res.body.id}`, { token });
      assert.deepEqual(again.body.params, res.body.params, 'read back from the store as recorded');
    }
  });
}

test('a remote start carries the same typed profile, as chargingProfile in each version', async () => {
  const txProfile = { ...profile2x, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', recurrencyKind: undefined,
    validFrom: undefined, validTo: undefined };
  delete txProfile.recurrencyKind; delete txProfile.validFrom; delete txProfile.validTo;
  for (const version of ['ocpp1.6', 'ocpp2.0.1']) {
    const s = stations[version];
    s.received.length = 0;
    const res = await send(version, 'start_transaction', { id_tag: 'TYPED-TAG', connector_id: 1, evse_id: 1, charging_profile: txProfile });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'rejected');
    const got = s.received[0];
    if (version === 'ocpp1.6') {
      assert.equal(got.idTag, 'TYPED-TAG');
      assert.equal(got.chargingProfile.chargingProfileId, 7);
      assert.equal(got.chargingProfile.chargingProfilePurpose, 'TxProfile');
      assert.deepEqual(got.chargingProfile.chargingSchedule.chargingSchedulePeriod, expected16.csChargingProfiles.chargingSchedule.chargingSchedulePeriod);
    } else {
      assert.deepEqual(got.idToken, { idToken: 'TYPED-TAG', type: 'Central' });
      assert.equal(got.remoteStartId, res.body.id);
      assert.equal(got.chargingProfile.id, 7);
      assert.deepEqual(got.chargingProfile.chargingSchedule[0].chargingSchedulePeriod, expected2x.chargingProfile.chargingSchedule[0].chargingSchedulePeriod);
    }
  }
});

test('what a version cannot carry is refused with 422 naming the field, and nothing is sent', async () => {
  const external = { ...profile2x, chargingProfilePurpose: 'ChargingStationExternalConstraints' };
  const hundredths = { ...profile2x, chargingSchedule: [{ ...profile2x.chargingSchedule[0],
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.25 }] }] };
  const phase = { ...profile2x, chargingSchedule: [{ ...profile2x.chargingSchedule[0],
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 1, phaseToUse: 2 }] }] };
  const cases = [
    [external, /profile\.chargingProfilePurpose/],
    [hundredths, /profile\.chargingSchedule\.chargingSchedulePeriod\[0\]\.limit/],
    [phase, /profile\.chargingSchedule\.chargingSchedulePeriod\[0\]\.phaseToUse/],
  ];
  for (const [profile, field] of cases) {
    stations['ocpp1.6'].received.length = 0;
    const res = await send('ocpp1.6', 'set_charging_profile', { connector_id: 1, evse_id: 1, profile });
    assert.equal(res.status, 422, res.text);
    assert.match(res.body.detail, field);
    assert.equal(stations['ocpp1.6'].received.length, 0, 'nothing was sent to the 1.6 station');
    const ok = await send('ocpp2.0.1', 'set_charging_profile', { connector_id: 1, evse_id: 1, profile });
    assert.equal(ok.status, 200, `2.0.1 carries it: ${ok.text}`);
    assert.equal(ok.body.status, 'accepted');
  }
  // The codec's own refusals, before any version: the field is named.
  const bad = await send('ocpp2.0.1', 'set_charging_profile', { evse_id: 1, profile: { ...profile2x, chargingSchedule: [{ ...profile2x.chargingSchedule[0],
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 'lots' }] }] } });
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.body.detail, /'profile\.chargingSchedule\[0\]\.chargingSchedulePeriod\[0\]\.limit' must be a number/);
  const missing = await send('ocpp2.0.1', 'set_charging_profile', { profile: profile2x });
  assert.equal(missing.status, 422);
  assert.match(missing.body.detail, /evse_id/);
});
