// Nothing acknowledged is ever lost: SIGKILL the server mid-traffic, restart it on the same
// database, and every acknowledged start and stop is there; re-sent messages get consistent answers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, tempDir } = require('./harness');

test('SIGKILL under load loses no acknowledged transaction', async () => {
  const dir = tempDir();
  let server = await startServer({ dir });
  server.admin('token', 'add', 'DUR');
  const stations = 10;
  const acked = []; // { station, start, transactionId, stopped }
  const lastSent = new Map(); // station -> the start it sent last (maybe unacknowledged)
  let running = true;

  const drive = async (i) => {
    const cs = server.client(`CS-DUR-${i}`);
    cs.on('error', () => {});
    await cs.connect();
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    for (let n = 0; running; n++) {
      const start = { connectorId: 1, idTag: 'DUR', meterStart: n * 100, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() };
      lastSent.set(i, start);
      const s = await cs.call('StartTransaction', start);
      const record = { station: `CS-DUR-${i}`, start, transactionId: s.transactionId, stopped: null };
      acked.push(record);
      const stop = { transactionId: s.transactionId, meterStop: n * 100 + 50, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n, 500)).toISOString() };
      await cs.call('StopTransaction', stop);
      record.stopped = stop;
    }
  };
  // A driver may only fail because the server was killed under it; anything before is a defect.
  let killed = false;
  const failures = [];
  const drivers = Array.from({ length: stations }, (_, i) => drive(i).catch((e) => {
    if (!killed) failures.push(`CS-DUR-${i}: ${e.message}`);
  }));
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(failures, [], 'no driver failed before the kill');
  killed = true;
  const exit = await server.stop('SIGKILL');
  running = false;
  assert.equal(exit.signal, 'SIGKILL');
  await Promise.all(drivers);
  assert.ok(acked.length > 20, `enough traffic before the kill (${acked.length} starts acknowledged)`);

  server = await startServer({ dir });
  try {
    const stored = new Map(server.adminJson('transactions').map((t) => [t.id, t]));
    for (const a of acked) {
      const t = stored.get(a.transactionId);
      assert.ok(t, `acknowledged transaction ${a.transactionId} survives`);
      assert.equal(t.station_id, a.station);
      assert.equal(t.meter_start_wh, a.start.meterStart);
      if (a.stopped) {
        assert.equal(t.state, 'Ended', `acknowledged stop of ${a.transactionId} survives`);
        assert.equal(t.meter_stop_wh, a.stopped.meterStop);
      }
    }
    // Each station re-sends its last start: already stored -> the same id; never a duplicate.
    for (const [i, start] of lastSent) {
      const cs = server.client(`CS-DUR-${i}`);
      await cs.connect();
      const again = await cs.call('StartTransaction', start);
      const before = acked.find((a) => a.station === `CS-DUR-${i}` && a.start.timestamp === start.timestamp);
      if (before) assert.equal(again.transactionId, before.transactionId);
      await cs.close();
    }
    const after = server.adminJson('transactions');
    const keys = new Set(after.map((t) => `${t.station_id}|${t.started_at}`));
    assert.equal(keys.size, after.length, 'no transaction stored twice');
  } finally {
    await server.stop();
  }
});

test('SIGTERM stops cleanly and keeps everything', async () => {
  const dir = tempDir();
  let server = await startServer({ dir });
  const cs = server.client('CS-TERM');
  await cs.connect();
  await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const s = await cs.call('StartTransaction', { connectorId: 1, idTag: 'ANY', meterStart: 1, timestamp: new Date().toISOString() });
  const closed = new Promise((resolve) => cs.once('close', ({ code }) => resolve(code)));
  const exit = await server.stop('SIGTERM');
  assert.equal(exit.code, 0);
  assert.equal(await closed, 1001, 'stations are told the server is going away');
  server = await startServer({ dir });
  try {
    const tx = server.adminJson('transactions');
    assert.equal(tx.length, 1);
    assert.equal(tx[0].id, s.transactionId);
  } finally {
    await server.stop();
  }
});
