// OCPP 2.0.1 part 6 CSMS test cases, block C (authorization), step by step from the catalogue.
// docs/conformance.md lists every case with what it exercises.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { conformanceServer, helpers, VALID, VALID2, INVALID, BLOCKED, EXPIRED, MASTER, GROUP, MASTERPASS_GROUP } = require('./tc201_helpers');

let server;
const { stored, storedTx, station, operator } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

for (const [id, name, token, allowed] of [
  ['TC_C_02_CSMS', 'Local start transaction - Authorization Invalid/Unknown', INVALID, ['Unknown', 'Invalid']],
  ['TC_C_06_CSMS', 'Local start transaction - Authorization Blocked', BLOCKED, ['Blocked', 'Invalid']],
  ['TC_C_07_CSMS', 'Local start transaction - Authorization Expired', EXPIRED, ['Expired', 'Invalid']]]) {
  test(`${id} ${name}`, async (t) => {
    const s = await station(t);
    await s.booted();
    // Steps 1-2: the AuthorizeRequest alone.
    const auth = await s.call('Authorize', { idToken: token });
    assert.ok(allowed.includes(auth.idTokenInfo.status), `step 2: ${auth.idTokenInfo.status} is one of ${allowed}`);
    assert.equal(auth.idTokenInfo.status, allowed[0], 'Gridlane answers the precise status');
    assert.equal(stored(s).length, 0, 'no transaction comes of it');
  });
}

test('TC_C_08_CSMS Authorization through authorization cache - Accepted', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession();
  // Step 1: the cached token goes straight into the TransactionEvent, no AuthorizeRequest.
  const res = await s.te('Updated', 'Authorized', { idToken: VALID });
  assert.equal(res.idTokenInfo.status, 'Accepted', 'step 2: TransactionEventResponse Accepted');
  assert.equal(res.idTokenInfo.cacheExpiryDateTime, '2099-01-01T00:00:00.000Z', 'the cache entry expires with the token');
  assert.deepEqual(res.idTokenInfo.groupIdToken, { idToken: GROUP, type: 'Central' });
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.id_tag, tx.authorization], ['Active', VALID.idToken, 'Accepted']);
  assert.deepEqual(tx.events.map((e) => e.trigger_reason), ['CablePluggedIn', 'Authorized']);
});

test('TC_C_20_CSMS Authorization through authorization cache - Invalid', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession();
  // Step 1: a token the station has cached but the CSMS does not know.
  const res = await s.te('Updated', 'Authorized', { idToken: INVALID });
  assert.ok(['Invalid', 'Unknown'].includes(res.idTokenInfo.status), `step 2: ${res.idTokenInfo.status}`);
  const tx = storedTx(s);
  assert.equal(tx.state, 'Active', 'the station decides what to do with its transaction');
  assert.equal(tx.events.at(-1).id_token, INVALID.idToken, 'the presented token is recorded with the event');
  assert.deepEqual([tx.id_tag, tx.authorization], [INVALID.idToken, res.idTokenInfo.status], 'and its verdict with the transaction');
});

for (const [id, status, verdict] of [['TC_C_37_CSMS', 'Accepted', 'accepted'], ['TC_C_38_CSMS', 'Rejected', 'rejected']]) {
  test(`${id} Clear Authorization Data in Authorization Cache - ${status}`, async (t) => {
    const s = await station(t, (st) => st.answer('ClearCache', () => ({ status })));
    await s.booted();
    const cmd = await operator(s, 'clear_cache');
    assert.deepEqual(s.only('ClearCache'), {}, 'step 1: a ClearCacheRequest');
    assert.deepEqual([cmd.status, cmd.action, cmd.response], [verdict, 'ClearCache', { status }], 'step 2 recorded');
  });
}

test('TC_C_39_CSMS Authorization by GroupId - Success', async (t) => {
  const s = await station(t);
  await s.booted();
  await s.evConnectedPreSession();
  const group = { idToken: GROUP, type: 'Central' };
  const a2 = await s.call('Authorize', { idToken: VALID2 }); // steps 1-2
  assert.deepEqual([a2.idTokenInfo.status, a2.idTokenInfo.groupIdToken], ['Accepted', group]);
  const started = await s.te('Updated', 'Authorized', { idToken: VALID }); // steps 3-4 (transaction already started)
  assert.deepEqual([started.idTokenInfo.status, started.idTokenInfo.groupIdToken], ['Accepted', group]);
  s.state.authorized = true;
  s.tx.idToken = VALID;
  await s.energyTransferStarted(); // step 5
  const a7 = await s.call('Authorize', { idToken: VALID2 }); // steps 6-7
  assert.deepEqual([a7.idTokenInfo.status, a7.idTokenInfo.groupIdToken], ['Accepted', group]);
  const stop = await s.stopAuthorized(VALID2); // steps 8-9
  assert.deepEqual([stop.idTokenInfo.status, stop.idTokenInfo.groupIdToken], ['Accepted', group]);
  await s.evConnectedPostSession(); // step 10
  await s.evDisconnected(); // step 11
  const tx = storedTx(s);
  assert.deepEqual([tx.state, tx.id_tag, tx.stop_reason], ['Ended', VALID.idToken, 'EVDisconnected']);
  assert.equal(tx.events.find((e) => e.trigger_reason === 'StopAuthorized').id_token, VALID2.idToken);
});

// Before state of C_47/C_49: EnergyTransferStarted on EVSE 1 with valid_idtoken and on EVSE 2
// with valid_idtoken2 (C_48: "for all EVSE", the same two).
async function twoCharging(t) {
  const s = await station(t, undefined, { connectors: [[1, 1], [2, 1]] });
  await s.booted();
  const txs = [];
  for (const [evse, token] of [[1, VALID], [2, VALID2]]) {
    s.newTx();
    await s.energyTransferStarted(evse, token);
    txs.push(s.tx);
  }
  return { s, txs };
}

async function masterAuthorize(s) {
  const master = await s.call('Authorize', { idToken: MASTER }); // steps 1-2
  assert.deepEqual([master.idTokenInfo.status, master.idTokenInfo.groupIdToken], ['Accepted', { idToken: MASTERPASS_GROUP, type: 'Central' }]);
}

async function endWith(s, tx, idToken) {
  s.tx = tx;
  const res = await s.te('Ended', 'StopAuthorized', { idToken }, { stoppedReason: 'MasterPass' });
  tx.ended = true;
  return res;
}

test('TC_C_47_CSMS Stop Transaction with a Master Pass - With UI - All transactions', async (t) => {
  const { s, txs } = await twoCharging(t);
  await masterAuthorize(s);
  for (const tx of txs) { // steps 3-4, for both EVSE, with the master pass token
    const res = await endWith(s, tx, MASTER);
    assert.deepEqual([res.idTokenInfo.status, res.idTokenInfo.groupIdToken.idToken], ['Accepted', MASTERPASS_GROUP]);
  }
  for (const tx of txs) {
    const x = storedTx(s, tx);
    assert.deepEqual([x.state, x.stop_reason, x.stop_id_tag], ['Ended', 'MasterPass', MASTER.idToken]);
  }
});

test('TC_C_48_CSMS Stop Transaction with a Master Pass - With UI - Specific transactions', async (t) => {
  const { s, txs } = await twoCharging(t);
  // Step 1 names valid_idtoken, but its step 2 validation expects the MasterPass group: the
  // master pass card is the one presented.
  await masterAuthorize(s);
  const res = await endWith(s, txs[0], MASTER); // steps 3-4: one transaction only
  assert.deepEqual([res.idTokenInfo.status, res.idTokenInfo.groupIdToken.idToken], ['Accepted', MASTERPASS_GROUP]);
  const [first, second] = txs.map((tx) => storedTx(s, tx));
  assert.deepEqual([first.state, first.stop_reason], ['Ended', 'MasterPass']);
  assert.equal(second.state, 'Active', 'the other transaction goes on');
});

test('TC_C_49_CSMS Stop Transaction with a Master Pass - Without UI', async (t) => {
  const { s, txs } = await twoCharging(t);
  await masterAuthorize(s);
  // Steps 3-4: without a UI the station ends both, each Ended carrying valid_idtoken.
  for (const tx of txs) {
    const res = await endWith(s, tx, VALID);
    assert.equal(res.idTokenInfo.status, 'Accepted');
  }
  for (const tx of txs) {
    const x = storedTx(s, tx);
    assert.deepEqual([x.state, x.stop_reason, x.stop_id_tag], ['Ended', 'MasterPass', VALID.idToken]);
  }
});

test('after these cases every stored record reads back through the API and the admin CLI', async () => {
  await server.assertHealthy(assert);
});
