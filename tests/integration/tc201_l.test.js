// OCPP 2.0.1 part 6, block L (firmware management), CSMS side: TC_L_01 to TC_L_11 and TC_L_13,
// against the real binary with strict stations (the OCTT's role).
//
// The operator prepares the firmware the way docs/operations.md describes: the file is uploaded
// (POST /api/v1/firmware/files, its signature in the query), its signing certificate set (PATCH),
// and the CSMS is prompted with POST /api/v1/stations/{id}/commands {kind: "update_firmware"}
// carrying the file's URL, signature and certificate (the <Configured ...> values of the cases).
// Every request the station receives is validated against the official schema by the strict
// client; each case's tool validations are asserted, every FirmwareStatusNotification is answered
// {} (the CSMS "responds"), and what Gridlane recorded is read back through the API: the
// station's status history (GET /stations/{id}/firmware/history) with the requestId each status
// carried, and the command's outcome.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { conformanceServer, helpers } = require('./tc201_helpers');

// <Configured signingCertificate> and <Configured signature> of the test tool.
const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUFirmwareSigningCertificateForTheTestTool0\n-----END CERTIFICATE-----\n';
const SIGNATURE = 'MEUCIQDfirmwareSignatureOfTheTestToolAiEA3q2+7w==';

let server;
let file; // the uploaded firmware as the API shows it
const { station, operator } = helpers(() => server);

before(async () => {
  server = await conformanceServer();
  const token = await server.adminToken();
  const bytes = Buffer.alloc(64 * 1024, 7);
  const up = await server.request('POST', '/api/v1/firmware/files?file_name=acme-2.1.0.bin&vendor=Acme&version=2.1.0' +
    `&models=Model-2X&signature=${encodeURIComponent(SIGNATURE)}`,
  { token, raw: bytes, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(up.status, 201, up.text);
  const patched = await server.request('PATCH', `/api/v1/firmware/files/${up.body.id}`, { token, body: { signing_certificate: CERTIFICATE } });
  assert.equal(patched.status, 200, patched.text);
  file = patched.body;
  assert.equal(file.signature, SIGNATURE);
  assert.equal(file.signing_certificate, CERTIFICATE);
});
after(() => server.stop());

// Step 1: the operator asks for the signed update; `extra` adds install_at / retrieve_at.
async function update(s, extra = {}) {
  return operator(s, 'update_firmware', { location: file.url, retrieve_at: new Date().toISOString(),
    signing_certificate: file.signing_certificate, signature: file.signature, ...extra });
}

// The station's FirmwareStatusNotification and the CSMS's (empty) response.
async function notify(s, status, requestId) {
  assert.deepEqual(await s.call('FirmwareStatusNotification', { status, requestId }), {}, `${status}: response`);
}

// What Gridlane recorded: the statuses in order, each with the requestId it carried, and the
// station's latest status.
async function recorded(s) {
  const token = await server.adminToken();
  const id = encodeURIComponent(s.identity);
  const history = await server.request('GET', `/api/v1/stations/${id}/firmware/history?limit=100`, { token });
  assert.equal(history.status, 200, history.text);
  const now = await server.request('GET', `/api/v1/stations/${id}/firmware`, { token });
  assert.equal(now.status, 200, now.text);
  return { statuses: history.body.items.reverse().map((h) => [h.status, h.request_id]), latest: now.body };
}

// Step 1's tool validations common to every signed request.
function signedRequest(s, cmd) {
  const req = s.requests('UpdateFirmware').at(-1);
  assert.equal(req.requestId, cmd.id, 'requestId ties the notifications to the command');
  assert.equal(req.firmware.location, file.url);
  assert.equal(req.firmware.signingCertificate, CERTIFICATE, 'firmware.signingCertificate <Configured signingCertificate>');
  assert.equal(req.firmware.signature, SIGNATURE, 'firmware.signature <Configured signature>');
  return req;
}

// The reboot into the new firmware: BootNotification FirmwareUpdate answered Accepted, then the
// state of every connector (StatusNotification and NotifyEvent AvailabilityState).
async function rebootIntoFirmware(s) {
  await s.reconnect();
  const boot = await s.booted('FirmwareUpdate');
  assert.equal(boot.status, 'Accepted', 'BootNotificationResponse status Accepted');
}

function firmwareStation(t, answers = {}, options) {
  return station(t, (st) => {
    st.answer('UpdateFirmware', answers.update || (() => ({ status: 'Accepted' })));
  }, options);
}

const full = ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting'];

test('TC_L_01_CSMS Secure Firmware Update - Installation successful', async (t) => {
  const s = await firmwareStation(t);
  await s.booted();
  const cmd = await update(s); // 1-2
  const req = signedRequest(s, cmd);
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]);
  for (const status of full) await notify(s, status, req.requestId); // 3-12
  await rebootIntoFirmware(s); // 13-16
  await notify(s, 'Installed', req.requestId); // 17-18
  const { statuses, latest } = await recorded(s);
  assert.deepEqual(statuses, [...full, 'Installed'].map((st) => [st, cmd.id]));
  assert.equal(latest.status, 'Installed');
});

test('TC_L_02_CSMS Secure Firmware Update - InstallScheduled', async (t) => {
  const s = await firmwareStation(t);
  await s.booted();
  const installAt = new Date(Date.now() + 3600e3).toISOString();
  const cmd = await update(s, { install_at: installAt });
  const req = signedRequest(s, cmd);
  assert.ok(Date.parse(req.firmware.installDateTime) > Date.now(), 'firmware.installDateTime <A dateTime in the future>');
  assert.equal(Date.parse(req.firmware.installDateTime), Date.parse(installAt));
  const steps = ['Downloading', 'Downloaded', 'SignatureVerified', 'InstallScheduled', 'Installing', 'InstallRebooting'];
  for (const status of steps) await notify(s, status, req.requestId); // 3-14
  await rebootIntoFirmware(s); // 15-18
  await notify(s, 'Installed', req.requestId); // 19-20
  assert.deepEqual((await recorded(s)).statuses, [...steps, 'Installed'].map((st) => [st, cmd.id]));
});

test('TC_L_03_CSMS Secure Firmware Update - DownloadScheduled', async (t) => {
  const s = await firmwareStation(t);
  await s.booted();
  const retrieveAt = new Date(Date.now() + 3600e3).toISOString();
  const cmd = await update(s, { retrieve_at: retrieveAt });
  const req = signedRequest(s, cmd);
  assert.ok(Date.parse(req.firmware.retrieveDateTime) > Date.now(), 'firmware.retrieveDateTime <A dateTime in the future>');
  const steps = ['DownloadScheduled', ...full];
  for (const status of steps) await notify(s, status, req.requestId); // 3-14
  await rebootIntoFirmware(s); // 15-18
  await notify(s, 'Installed', req.requestId); // 19-20
  assert.deepEqual((await recorded(s)).statuses, [...steps, 'Installed'].map((st) => [st, cmd.id]));
});

for (const [id, name, status] of [['TC_L_04_CSMS', 'RevokedCertificate', 'RevokedCertificate'],
  ['TC_L_05_CSMS', 'InvalidCertificate', 'InvalidCertificate']]) {
  test(`${id} Secure Firmware Update - ${name}`, async (t) => {
    const s = await firmwareStation(t, { update: () => ({ status }) });
    await s.booted();
    const cmd = await update(s);
    signedRequest(s, cmd);
    // The station's refusal is the command's outcome, its answer kept.
    assert.deepEqual([cmd.status, cmd.response], ['rejected', { status }]);
    assert.deepEqual((await recorded(s)).statuses, []);
  });
}

for (const [id, name, steps] of [
  ['TC_L_06_CSMS', 'InvalidSignature', ['Downloading', 'Downloaded', 'InvalidSignature']],
  ['TC_L_07_CSMS', 'DownloadFailed', ['Downloading', 'DownloadFailed']],
  ['TC_L_08_CSMS', 'InstallVerificationFailed', ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'InstallVerificationFailed']],
]) {
  test(`${id} Secure Firmware Update - ${name}`, async (t) => {
    const s = await firmwareStation(t);
    await s.booted();
    const cmd = await update(s);
    const req = signedRequest(s, cmd);
    for (const status of steps) await notify(s, status, req.requestId);
    const { statuses, latest } = await recorded(s);
    assert.deepEqual(statuses, steps.map((st) => [st, cmd.id]));
    assert.equal(latest.status, name);
  });
}

test('TC_L_09_CSMS Secure Firmware Update - InstallationFailed', async (t) => {
  const s = await firmwareStation(t);
  await s.booted();
  const cmd = await update(s);
  const req = signedRequest(s, cmd);
  for (const status of full) await notify(s, status, req.requestId); // 3-12
  await rebootIntoFirmware(s); // 13-16: step 14 Accepted
  await notify(s, 'InstallationFailed', req.requestId); // 17-18
  const { statuses, latest } = await recorded(s);
  assert.deepEqual(statuses, [...full, 'InstallationFailed'].map((st) => [st, cmd.id]));
  assert.equal(latest.status, 'InstallationFailed');
});

test('TC_L_10_CSMS Secure Firmware Update - AcceptedCanceled', async (t) => {
  let answers = 0;
  const s = await firmwareStation(t, { update: () => ({ status: ++answers === 1 ? 'Accepted' : 'AcceptedCanceled' }) });
  await s.booted();
  const first = await update(s); // 1-2
  await notify(s, 'Downloading', signedRequest(s, first).requestId); // 3-4
  const second = await update(s); // 5-6: the ongoing update is cancelled, the new one starts
  const req = signedRequest(s, second);
  assert.notEqual(second.id, first.id);
  assert.deepEqual([second.status, second.response], ['accepted', { status: 'AcceptedCanceled' }]);
  for (const status of full) await notify(s, status, req.requestId); // 7-16
  await rebootIntoFirmware(s); // 17-20: step 18 Accepted
  await notify(s, 'Installed', req.requestId); // 21-22
  assert.deepEqual((await recorded(s)).statuses,
    [['Downloading', first.id], ...[...full, 'Installed'].map((st) => [st, second.id])]);
});

test('TC_L_11_CSMS Secure Firmware Update - Unable to cancel', async (t) => {
  let answers = 0;
  const s = await firmwareStation(t, { update: () => ({ status: ++answers === 1 ? 'Accepted' : 'Rejected' }) });
  await s.booted();
  const first = await update(s); // 1-2
  const req = signedRequest(s, first);
  await notify(s, 'Downloading', req.requestId); // 3-4
  const second = await update(s); // 5-6: Rejected, the first update goes on
  signedRequest(s, second);
  assert.deepEqual([second.status, second.response], ['rejected', { status: 'Rejected' }]);
  const rest = ['Downloaded', 'SignatureVerified', 'Installing', 'InstallRebooting'];
  for (const status of rest) await notify(s, status, req.requestId); // 7-14
  await rebootIntoFirmware(s); // 15-18: step 16 Accepted
  await notify(s, 'Installed', req.requestId); // 19-20
  assert.deepEqual((await recorded(s)).statuses, ['Downloading', ...rest, 'Installed'].map((st) => [st, first.id]));
});

test('TC_L_13_CSMS Secure Firmware Update - Unable to download/install firmware with ongoing transaction - AllowNewSessionsPendingFirmwareUpdate is false', async (t) => {
  const s = await firmwareStation(t, {}, { connectors: [[1, 1], [2, 1]] });
  await s.booted();
  await s.energyTransferStarted(1); // Reusable State EnergyTransferStarted on EVSE 1
  const cmd = await update(s); // 1-2
  const req = signedRequest(s, cmd); // step 1: firmware.signingCertificate <configured signingCertificate>
  await notify(s, 'DownloadScheduled', req.requestId); // 3-4
  await s.connectorState('Unavailable', 2, 1); // 5-6: the connector without a transaction
  await s.stopAuthorized(); // 7
  await s.evConnectedPostSession(); // 8
  await s.evDisconnected(); // 9
  for (const status of full) await notify(s, status, req.requestId); // 10-19
  await rebootIntoFirmware(s); // 20-23: step 21 Accepted
  await notify(s, 'Installed', req.requestId); // 24-25
  assert.deepEqual((await recorded(s)).statuses, ['DownloadScheduled', ...full, 'Installed'].map((st) => [st, cmd.id]));
  const token = await server.adminToken();
  const shown = await server.request('GET', `/api/v1/stations/${encodeURIComponent(s.identity)}`, { token });
  const evse2 = shown.body.connectors.find((c) => c.evse_id === 2);
  assert.equal(evse2.status, 'Available', 'EVSE 2 available again after the reboot');
});
