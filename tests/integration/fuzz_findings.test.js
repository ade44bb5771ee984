// Inputs the fuzz targets (fuzz/, scripts/fuzz.sh) found, sent as a station sends them: each is
// refused with a CALLERROR that carries the message id (or answered normally), the connection
// keeps serving, and the server stays healthy (descriptors, stored records, a normal boot).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, rawExchange, now } = require('./harness');

test('numbers beyond int64 and beyond the double range are refused with the message id', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  await server.assertHealthy(assert); // warms up what the server opens once (API, pools)
  const fdBaseline = server.fdCount();
  for (const [protocol, typeCode] of [['ocpp1.6', 'ProtocolError'], ['ocpp2.0.1', 'MessageTypeNotSupported']]) {
    const cs = server.client(`FUZZ-${protocol}`, { protocols: [protocol] });
    cs.on('badMessage', () => {}); // answers to raw frames are "unrecognised" for ocpp-rpc
    await cs.connect();
    const v16 = protocol === 'ocpp1.6';
    await cs.call('BootNotification', v16 ? { chargePointVendor: 'V', chargePointModel: 'M' }
      : { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
    const cases = [
      // the message type, read as int64, used to throw out of the session's read loop
      ['[18446744073709551615,"u1","Heartbeat",{}]', 'u1', typeCode],
      // 1e400 was read as infinity and written back as "Infinity", which is not JSON
      [v16 ? `[2,"n1","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":1e400,"timestamp":"${now()}"}]`
        : `[2,"n1","StatusNotification",{"timestamp":"${now()}","connectorStatus":"Available","evseId":-1e400,"connectorId":1}]`,
      'n1', 'PropertyConstraintViolation'],
      // an integer above INT64_MAX passed its schema, then the decoder threw: InternalError
      [v16 ? '[2,"i1","StatusNotification",{"connectorId":18446744073709551615,"errorCode":"NoError","status":"Available"}]'
        : `[2,"i1","StatusNotification",{"timestamp":"${now()}","connectorStatus":"Available","evseId":18446744073709551615,"connectorId":1}]`,
      'i1', 'PropertyConstraintViolation'],
      // an error description quoting the action was cut at 255 bytes inside a UTF-8 character:
      // not valid UTF-8, so the station's WebSocket library dropped the connection
      [`[2,"d1","x${'é'.repeat(200)}",[]]`, 'd1', v16 ? 'FormationViolation' : 'FormatViolation'],
    ];
    for (const [frame, id, code] of cases) {
      const answer = await rawExchange(cs, frame, id);
      assert.equal(answer[0], 4, `${frame} -> CALLERROR`);
      assert.equal(answer[1], id);
      assert.equal(answer[2], code, `${frame} -> ${code} (got ${answer[2]}: ${answer[3]})`);
    }
    assert.ok((await cs.call('Heartbeat', {})).currentTime, 'the connection still serves');
    await cs.close();
  }
  await server.assertHealthy(assert, { fdBaseline });
});

test('a seqNo of INT64_MAX is refused with the message id and the transaction goes on', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  await server.assertHealthy(assert); // warms up what the server opens once (API, pools)
  const fdBaseline = server.fdCount();
  const cs = server.client('FUZZ-SEQ', { protocols: ['ocpp2.0.1'] });
  cs.on('badMessage', () => {});
  await cs.connect();
  await cs.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  // Raw frames: JavaScript numbers cannot carry INT64_MAX exactly. After it, the next event of
  // the transaction computed INT64_MAX + 1 (undefined behaviour).
  const huge = await rawExchange(cs, `[2,"e1","TransactionEvent",{"eventType":"Started","timestamp":"${now()}",` +
    '"triggerReason":"CablePluggedIn","seqNo":9223372036854775807,"transactionInfo":{"transactionId":"TX-MAX"},' +
    '"evse":{"id":1,"connectorId":1}}]', 'e1');
  assert.deepEqual(huge.slice(0, 3), [4, 'e1', 'PropertyConstraintViolation']);
  const started = await rawExchange(cs, `[2,"e2","TransactionEvent",{"eventType":"Started","timestamp":"${now()}",` +
    '"triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"TX-MAX"},"evse":{"id":1,"connectorId":1}}]', 'e2');
  assert.equal(started[0], 3, `Started answered (got ${JSON.stringify(started)})`);
  const ended = await rawExchange(cs, `[2,"e3","TransactionEvent",{"eventType":"Ended","timestamp":"${now()}",` +
    '"triggerReason":"EVCommunicationLost","seqNo":1,"transactionInfo":{"transactionId":"TX-MAX","stoppedReason":"EVDisconnected"}}]', 'e3');
  assert.equal(ended[0], 3, `Ended answered (got ${JSON.stringify(ended)})`);
  await cs.close();
  const txs = server.adminJson('transactions');
  const tx = txs.find((x) => x.station_id === 'FUZZ-SEQ' && x.station_transaction_id === 'TX-MAX');
  assert.ok(tx, `the transaction is stored: ${JSON.stringify(txs)}`);
  assert.equal(tx.state, 'Ended');
  await server.assertHealthy(assert, { fdBaseline });
});
