// The OCPP-J engine end to end: server-initiated CALLs, crossing CALLs, retries, reconnects.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, now } = require('./harness');

const debugConfig = '[ocpp]\ndebug_call_endpoint = true\ncall_timeout_s = 2\n';

test('the server sends a CALL to a connected station and gets its result', async (t) => {
  const server = await startServer({ config: debugConfig });
  t.after(() => server.stop());
  const cs = server.client('CS-CALLEE');
  cs.handle('GetConfiguration', ({ params }) => ({
    configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
    unknownKey: params.key?.filter((k) => k !== 'HeartbeatInterval') ?? [],
  }));
  cs.handle('Reset', () => ({ status: 'Rejected' }));
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });

  const res = await server.debugCall('CS-CALLEE', 'GetConfiguration', { key: ['HeartbeatInterval', 'Nope'] });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'result');
  assert.deepEqual(res.body.payload.unknownKey, ['Nope']);
  assert.equal(res.body.payload.configurationKey[0].value, '300');

  const reset = await server.debugCall('CS-CALLEE', 'Reset', { type: 'Soft' });
  assert.deepEqual(reset.body.payload, { status: 'Rejected' });

  // A payload that fails its schema is never sent.
  const invalid = await server.debugCall('CS-CALLEE', 'Reset', { type: 'Gentle' });
  assert.equal(invalid.body.status, 'not_sent');
  // A station that answers NotImplemented (no handler) yields an error outcome.
  const unhandled = await server.debugCall('CS-CALLEE', 'ClearCache', {});
  assert.equal(unhandled.body.status, 'error');
  assert.equal(unhandled.body.error_code, 'NotImplemented');
  // Unknown station.
  assert.equal((await server.debugCall('NOBODY', 'ClearCache', {})).status, 404);
});

test('CALLs that cross: the station calls while the server waits for its answer', async (t) => {
  const server = await startServer({ config: debugConfig });
  t.after(() => server.stop());
  const cs = server.client('CS-CROSS');
  let heartbeatDuringCall;
  cs.handle('ClearCache', async () => {
    // While the server's CALL is outstanding, the station sends its own and gets an answer.
    heartbeatDuringCall = await cs.call('Heartbeat', {});
    return { status: 'Accepted' };
  });
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const res = await server.debugCall('CS-CROSS', 'ClearCache', {});
  assert.equal(res.body.status, 'result');
  assert.deepEqual(res.body.payload, { status: 'Accepted' });
  assert.ok(heartbeatDuringCall.currentTime);
});

test('outbound CALLs go one at a time, and an unanswered one times out', async (t) => {
  const server = await startServer({ config: debugConfig });
  t.after(() => server.stop());
  const cs = server.client('CS-SLOW');
  let inFlight = 0;
  let maxInFlight = 0;
  cs.handle('ClearCache', async () => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 100));
    inFlight--;
    return { status: 'Accepted' };
  });
  cs.handle('UnlockConnector', () => new Promise(() => {})); // never answers
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const results = await Promise.all([1, 2, 3].map(() => server.debugCall('CS-SLOW', 'ClearCache', {})));
  assert.deepEqual(results.map((r) => r.body.status), ['result', 'result', 'result']);
  assert.equal(maxInFlight, 1);
  const started = Date.now();
  const timedOut = await server.debugCall('CS-SLOW', 'UnlockConnector', { connectorId: 1 });
  assert.equal(timedOut.body.status, 'timeout');
  assert.ok(Date.now() - started >= 1900);
});

test('retried StartTransaction and StopTransaction after a reconnect get the same answers', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'RETRY');
  const start = { connectorId: 2, idTag: 'RETRY', meterStart: 4242, timestamp: '2026-07-01T08:00:00.000Z' };
  const cs1 = server.client('CS-RETRY');
  await cs1.connect();
  await cs1.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const first = await cs1.call('StartTransaction', start);
  await cs1.close();

  const cs2 = server.client('CS-RETRY'); // reconnects and re-sends what it was not sure about
  await cs2.connect();
  t.after(() => cs2.close());
  const again = await cs2.call('StartTransaction', start);
  assert.deepEqual(again, first);
  const stop = { transactionId: first.transactionId, meterStop: 5000, timestamp: '2026-07-01T09:00:00.000Z', reason: 'Local' };
  const stop1 = await cs2.call('StopTransaction', stop);
  const stop2 = await cs2.call('StopTransaction', stop);
  assert.deepEqual(stop2, stop1);
  const txs = server.adminJson('transactions');
  assert.equal(txs.length, 1);
  assert.equal(txs[0].energy_wh, 758);
  assert.equal(txs[0].state, 'Ended');
});

test('StopTransaction for an unknown transaction is still answered', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const cs = server.client('CS-GHOST');
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const res = await cs.call('StopTransaction', { transactionId: 999999, meterStop: 1, timestamp: now(), idTag: 'X' });
  assert.deepEqual(res, { idTagInfo: { status: 'Invalid' } });
  assert.equal(server.adminJson('transactions').length, 0);
  const anomalies = server.adminJson('station', 'show', 'CS-GHOST').anomalies;
  assert.equal(anomalies.length, 1);
  assert.equal(anomalies[0].kind, 'stop_unknown_transaction');
  assert.match(anomalies[0].detail, /999999/);
});

test('a new connection from the same station replaces the old one', async (t) => {
  const server = await startServer({ config: debugConfig });
  t.after(() => server.stop());
  const old = server.client('CS-TWICE');
  await old.connect();
  const oldClosed = new Promise((resolve) => old.once('close', resolve));
  const fresh = server.client('CS-TWICE');
  fresh.handle('ClearCache', () => ({ status: 'Accepted' }));
  await fresh.connect();
  t.after(() => fresh.close());
  await oldClosed;
  const res = await server.debugCall('CS-TWICE', 'ClearCache', {});
  assert.equal(res.body.status, 'result');
});
