// The benchmark commands of docs/performance.md, run small: they must keep working and print
// their figures. (The figures themselves are measured by running them at full size.)
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { BIN } = require('./harness');

const root = path.resolve(__dirname, '../..');
function bench(script, args, env = {}) {
  return new Promise((resolve) => execFile('bash', [path.join(root, 'bench', script), ...args],
    { cwd: root, encoding: 'utf8', timeout: 120000, env: { ...process.env, GRIDLANE_BIN: path.resolve(BIN), ...env } },
    (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr })));
}
const number = '[0-9]+(\\.[0-9]+)?';

test('bench/idle_connections.sh prints the server memory per connection', async () => {
  const r = await bench('idle_connections.sh', ['40', '6']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /stations connected: +40 of 40/);
  assert.match(r.stdout, new RegExp(`server RSS per connection: ${number} bytes`));
});

test('bench/throughput.sh prints one line per offered rate', async () => {
  const r = await bench('throughput.sh', ['200,400', '2', '10'], { WARMUP: '2' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rows = r.stdout.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/));
  assert.equal(rows.length, 2, r.stdout);
  assert.deepEqual(rows.map((row) => row[0]), ['200', '400']);
  for (const row of rows) {
    assert.ok(Number(row[1]) > 0.8 * Number(row[0]), `achieved: ${row}`);
    assert.ok(row.slice(2, 9).every((v) => Number.isFinite(Number(v))), `numbers: ${row}`);
  }
});

test('bench/reconnect_storm.sh prints how long the storm took and what the others saw', async () => {
  const r = await bench('reconnect_storm.sh', ['60', '5', '50'], { STORM_AFTER: '2', DURATION: '12' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /all 60 stations up after/);
  assert.match(r.stdout, new RegExp(`storm: 60 of 60 stations back and reporting after ${number} s`));
  assert.match(r.stdout, new RegExp(`latency from intended send: p50 ${number} ms`));
});

test('bench/versus_peer.sh runs the same load against the ocpp-rpc CSMS and prints the ratio', async () => {
  const r = await bench('versus_peer.sh', ['200', '2', '10'], { WARMUP: '2' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^gridlane +achieved +\d+ msg\/s/m);
  assert.match(r.stdout, /^ocpp-rpc +achieved +\d+ msg\/s/m);
  assert.match(r.stdout, new RegExp(`ratio \\(messages per server cpu-s, gridlane / ocpp-rpc\\): ${number}`));
});
