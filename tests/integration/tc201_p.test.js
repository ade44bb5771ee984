// OCPP 2.0.1 block P (DataTransfer), CSMS side: the part 6 cases TC_P_*_CSMS, each named by its
// id and following its steps, and P01 (the CSMS's own DataTransfer, prompted through the
// operator API), with strict stations validating every frame against the official schemas.
//
// Gridlane registers DataTransfer handlers per vendorId (services::StationService); a vendorId
// with none is answered UnknownVendorId (P02.FR.06), and the message is kept for the operator.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { conformanceServer, helpers } = require('./tc201_helpers');

let server;
const { station, operator, storedTx } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

const VENDOR = 'com.example.octt'; // <Configured vendorId>
const MESSAGE = 'TestMessage';     // <Configured messageId>

async function kept(s, kind) {
  const token = await server.adminToken();
  const res = await server.request('GET', `/api/v1/stations/${encodeURIComponent(s.identity)}/events?kind=${kind}`, { token });
  assert.equal(res.status, 200, res.text);
  return res.body.messages;
}

test('TC_P_02_CSMS Data Transfer to the CSMS - Rejected / Unknown VendorId / Unknown MessageId', async (t) => {
  const s = await station(t);
  await s.booted();
  const res = await s.call('DataTransfer', { vendorId: VENDOR, messageId: MESSAGE, data: { any: ['json', 1] } }); // step 1
  // Step 2: UnknownVendorId OR UnknownMessageId OR Rejected; Gridlane knows no such vendor.
  assert.ok(['UnknownVendorId', 'UnknownMessageId', 'Rejected'].includes(res.status));
  assert.deepEqual(res, { status: 'UnknownVendorId' });
  const [message] = await kept(s, 'DataTransfer');
  assert.deepEqual(message.payload, { vendorId: VENDOR, messageId: MESSAGE, data: { any: ['json', 1] } });
});

test('TC_P_03_CSMS CustomData - Receive custom data', async (t) => {
  const s = await station(t);
  await s.booted();
  const customData = { vendorId: VENDOR, reading: { temperature: 41.5 }, tag: 'octt' };
  const status = await s.call('StatusNotification', { timestamp: s.now(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1, customData }); // step 1
  assert.deepEqual(status, {}); // step 2
  s.begin();
  const res = await s.event('Started', 'CablePluggedIn', { customData, evse: { id: 1, connectorId: 1 } }, { chargingState: 'EVConnected', customData }); // step 3
  assert.equal(typeof res, 'object'); // step 4: a TransactionEventResponse (schema-checked by the strict client)
  assert.equal(res.idTokenInfo, undefined, 'no idToken was sent');
  const tx = storedTx(s);
  assert.equal(tx.state, 'Active');
  assert.equal(tx.charging_state, 'EVConnected');
});

test('P01 data transfer to the station: vendorId, messageId and data sent as given; the answer kept', async (t) => {
  const s = await station(t, (st) => st.answer('DataTransfer', (p) => ({ status: 'Accepted', data: { echo: p.data } })));
  await s.booted();
  const cmd = await operator(s, 'data_transfer', { vendor_id: VENDOR, message_id: MESSAGE, data: { limit: 16, unit: 'A' } });
  assert.deepEqual(s.only('DataTransfer'), { vendorId: VENDOR, messageId: MESSAGE, data: { limit: 16, unit: 'A' } });
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted', data: { echo: { limit: 16, unit: 'A' } } }]);
});

test('P01 data transfer to the station: UnknownVendorId is recorded as rejected', async (t) => {
  const s = await station(t, (st) => st.answer('DataTransfer', () => ({ status: 'UnknownVendorId' })));
  await s.booted();
  const cmd = await operator(s, 'data_transfer', { vendor_id: 'org.unknown' });
  assert.deepEqual(s.only('DataTransfer'), { vendorId: 'org.unknown' });
  assert.deepEqual([cmd.status, cmd.response], ['rejected', { status: 'UnknownVendorId' }]);
});
