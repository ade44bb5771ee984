// Bad input gets the right OCPP 1.6 CALLERROR; the connection and the stored data survive it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const WebSocket = require('ws');
const { startServer, rpcErrorCode, rawExchange, now } = require('./harness');

test('malformed and invalid frames get the right CALLERROR and the connection survives', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('token', 'add', 'T1');
  const cs = server.client('CS-BAD');
  cs.on('badMessage', () => {}); // answers to our raw frames are "unrecognised" for ocpp-rpc
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const tx = await cs.call('StartTransaction', { connectorId: 1, idTag: 'T1', meterStart: 0, timestamp: now() });

  const cases = [
    // [frame, id the answer carries, expected 1.6 code]
    ['this is not json', '-1', 'ProtocolError'],
    ['{"not":"an array"}', '-1', 'ProtocolError'],
    ['[2,"m1"]', '-1', 'ProtocolError'],
    ['[2,"m2","Heartbeat",{},"extra"]', 'm2', 'ProtocolError'],
    ['[9,"m3","Heartbeat",{}]', 'm3', 'ProtocolError'],
    ['[2,"m4","Heartbeat",[]]', 'm4', 'FormationViolation'],
    ['[2,"m5","Heartbeat",{"unexpected":true}]', 'm5', 'FormationViolation'],
    ['[2,"m6","BootNotification",{"chargePointVendor":"V"}]', 'm6', 'OccurenceConstraintViolation'],
    ['[2,"m7","StatusNotification",{"connectorId":"one","errorCode":"NoError","status":"Available"}]', 'm7', 'TypeConstraintViolation'],
    ['[2,"m8","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Dancing"}]', 'm8', 'PropertyConstraintViolation'],
    ['[2,"m9","Authorize",{"idTag":"THIS-TAG-IS-FAR-TOO-LONG-FOR-1.6"}]', 'm9', 'PropertyConstraintViolation'],
    ['[2,"m10","StartTransaction",{"connectorId":1,"idTag":"T1","meterStart":0,"timestamp":"yesterday"}]', 'm10', 'PropertyConstraintViolation'],
    ['[2,"m11","MeterValues",{"connectorId":1,"meterValue":[]}]', 'm11', 'OccurenceConstraintViolation'],
    ['[2,"m12","TakeOverTheWorld",{}]', 'm12', 'NotImplemented'],
    ['[2,"m13","RemoteStartTransaction",{"idTag":"T1"}]', 'm13', 'NotSupported'],
  ];
  for (const [frame, id, code] of cases) {
    const answer = await rawExchange(cs, frame, id);
    assert.equal(answer[0], 4, `${frame} -> CALLERROR`);
    assert.equal(answer[2], code, `${frame} -> ${code} (got ${answer[2]}: ${answer[3]})`);
    assert.equal(typeof answer[3], 'string');
  }

  // Still connected, still served, and the transaction is intact.
  assert.ok((await cs.call('Heartbeat', {})).currentTime);
  const stop = await cs.call('StopTransaction', { transactionId: tx.transactionId, meterStop: 10, timestamp: now() });
  assert.deepEqual(stop, {});
  const stored = server.adminJson('transactions');
  assert.equal(stored.length, 1);
  assert.equal(stored[0].state, 'Ended');
});

test('a frame above the size limit closes the connection with 1009, and the server lives on', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const ws = new WebSocket(`${server.url}/CS-BIG`, ['ocpp1.6']);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'X', data: 'x'.repeat(70 * 1024) }]));
  assert.equal(await closed, 1009);
  const cs = server.client('CS-AFTER-BIG');
  await cs.connect();
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status, 'Accepted');
  await cs.close();
});

function handshake(server, identity, { protocols = 'ocpp1.6', auth } = {}) {
  return new Promise((resolve, reject) => {
    const headers = {
      Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
    };
    if (protocols) headers['Sec-WebSocket-Protocol'] = protocols;
    if (auth) headers.Authorization = 'Basic ' + Buffer.from(auth).toString('base64');
    const req = require('node:http').request({ host: '127.0.0.1', port: server.port, path: `/ocpp/${identity}`, headers });
    req.on('upgrade', (res, socket, head) => {
      const result = { status: res.statusCode, protocol: res.headers['sec-websocket-protocol'] };
      // Read the close frame the server sends right away, if any (it may come with the headers).
      const readClose = (buf) => { result.closeOpcode = buf[0] & 0x0f; result.closeCode = buf.readUInt16BE(2); socket.destroy(); resolve(result); };
      if (head && head.length >= 4) return readClose(head);
      socket.once('data', readClose);
      setTimeout(() => { socket.destroy(); resolve(result); }, 1000);
    });
    req.on('response', (res) => { res.resume(); resolve({ status: res.statusCode, authenticate: res.headers['www-authenticate'] }); });
    req.on('error', reject);
    req.end();
  });
}

test('handshake: subprotocols, identities and unknown-station policy', async (t) => {
  const server = await startServer({ unknownStations: 'reject' });
  t.after(() => server.stop());
  server.admin('station', 'add', 'KNOWN-1');
  assert.equal((await handshake(server, 'STRANGER')).status, 404);
  const ok = await handshake(server, 'KNOWN-1', { protocols: 'ocpp1.6' });
  assert.equal(ok.status, 101);
  assert.equal(ok.protocol, 'ocpp1.6');
  // Offered several: the newest the server speaks wins.
  assert.equal((await handshake(server, 'KNOWN-1', { protocols: 'ocpp1.6, ocpp2.0.1' })).protocol, 'ocpp2.0.1');
  assert.equal((await handshake(server, 'KNOWN-1', { protocols: 'ocpp1.6,ocpp2.1,ocpp2.0.1' })).protocol, 'ocpp2.1');
  // OCPP-J: no acceptable subprotocol -> complete the handshake without the header, then close.
  const none = await handshake(server, 'KNOWN-1', { protocols: 'ocpp0.9' });
  assert.equal(none.status, 101);
  assert.equal(none.protocol, undefined);
  assert.equal(none.closeOpcode, 8);
  assert.equal(none.closeCode, 1002);
  assert.equal((await handshake(server, 'x'.repeat(49))).status, 400);
  assert.equal((await handshake(server, 'bad%3Aid')).status, 400);
  // Percent-encoded identities are decoded.
  server.admin('station', 'add', 'CS 7/A'.replace('/', '-'));
  assert.equal((await handshake(server, 'CS%207-A')).status, 101);
});

test('security profile 1: a station with a password must present HTTP Basic auth', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  server.admin('station', 'add', 'LOCKED-1', '--password', 'correct-horse-battery');
  const missing = await handshake(server, 'LOCKED-1');
  assert.equal(missing.status, 401);
  assert.match(missing.authenticate, /^Basic/);
  assert.equal((await handshake(server, 'LOCKED-1', { auth: 'LOCKED-1:wrong-password-here' })).status, 401);
  assert.equal((await handshake(server, 'LOCKED-1', { auth: 'SOMEONE-ELSE:correct-horse-battery' })).status, 401);
  const cs = server.client('LOCKED-1', { password: 'correct-horse-battery' });
  await cs.connect();
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status, 'Accepted');
  await cs.close();
});

test('pending policy: Pending until an operator accepts, other messages refused meanwhile', async (t) => {
  const server = await startServer({ unknownStations: 'pending' });
  t.after(() => server.stop());
  const cs = server.client('NEWCOMER');
  await cs.connect();
  t.after(() => cs.close());
  const first = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  assert.equal(first.status, 'Pending');
  assert.equal(first.interval, 60);
  assert.equal(await rpcErrorCode(cs.call('Heartbeat', {})), 'SecurityError');
  assert.equal(server.adminJson('stations')[0].registration, 'Pending');
  server.admin('station', 'accept', 'NEWCOMER');
  const second = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  assert.equal(second.status, 'Accepted');
  assert.ok((await cs.call('Heartbeat', {})).currentTime);
});

test('a previously accepted station that reconnects without BootNotification is served', async (t) => {
  const server = await startServer({ unknownStations: 'reject' });
  t.after(() => server.stop());
  server.admin('station', 'add', 'RETURNING');
  const cs = server.client('RETURNING');
  await cs.connect();
  assert.ok((await cs.call('Heartbeat', {})).currentTime);
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await cs.close();
});

test('DataTransfer is answered UnknownVendorId and kept', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const cs = server.client('CS-DT');
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const res = await cs.call('DataTransfer', { vendorId: 'com.example', messageId: 'hello', data: '{"x":1}' });
  assert.deepEqual(res, { status: 'UnknownVendorId' });
  await cs.call('FirmwareStatusNotification', { status: 'Installed' });
  await cs.call('SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: now() });
  const sign = await cs.call('SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----' });
  assert.equal(sign.status, 'Rejected');
  const kept = server.adminJson('station', 'show', 'CS-DT').messages;
  assert.deepEqual(kept.map((m) => m.kind), ['DataTransfer', 'FirmwareStatusNotification', 'SecurityEventNotification', 'SignCertificate']);
  assert.deepEqual(kept[0].payload, { vendorId: 'com.example', messageId: 'hello', data: '{"x":1}' });
});
