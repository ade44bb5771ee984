// The global options (--db, --config, --log-level) as people type them: before the subcommand
// (gridlane --db x.db admin stations) and after it (gridlane admin --db x.db stations,
// gridlane serve --db x.db --config c.toml), reaching the same database and configuration.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { RPCClient } = require('ocpp-rpc');
const { tempDir, BIN } = require('./harness');

// Runs the binary to completion in `cwd` (a temp dir, so a default ./gridlane.db would show).
function run(cwd, args) {
  const r = spawnSync(BIN, args, { cwd, encoding: 'utf8', timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stationIds(cwd, args) {
  const r = run(cwd, args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout).map((s) => s.id).sort();
}

test('admin takes --db before the subcommand, between the subcommands and at the end', () => {
  const dir = tempDir();
  const db = path.join(dir, 'fleet.db');
  assert.equal(run(dir, ['--db', db, 'admin', 'station', 'add', 'CLI-BEFORE']).code, 0);
  assert.equal(run(dir, ['admin', '--db', db, 'station', 'add', 'CLI-MIDDLE']).code, 0);
  assert.equal(run(dir, ['admin', 'station', 'add', 'CLI-AFTER', '--db', db]).code, 0);
  assert.equal(run(dir, ['admin', 'station', 'add', 'CLI-SITE', '--site', 'Depot', '--db', db]).code, 0);
  const all = ['CLI-AFTER', 'CLI-BEFORE', 'CLI-MIDDLE', 'CLI-SITE'];
  assert.deepEqual(stationIds(dir, ['--db', db, 'admin', 'stations', '--json']), all);
  assert.deepEqual(stationIds(dir, ['admin', '--db', db, 'stations', '--json']), all);
  assert.deepEqual(stationIds(dir, ['admin', 'stations', '--json', '--db', db]), all);
  assert.ok(!fs.existsSync(path.join(dir, 'gridlane.db')), 'no command fell back to ./gridlane.db');

  // Without --db the default file in the working directory is used, and it is another database.
  assert.deepEqual(stationIds(dir, ['admin', 'stations', '--json']), []);
  assert.ok(fs.existsSync(path.join(dir, 'gridlane.db')));
});

test('--log-level after the subcommand sets the level, and an option given twice is refused', () => {
  const dir = tempDir();
  // A new database logs its migrations at info; warn silences them, wherever it is written.
  const loud = run(dir, ['admin', 'stations', '--db', path.join(dir, 'a.db')]);
  assert.equal(loud.code, 0);
  assert.match(loud.stderr, /applied migration/);
  for (const [name, args] of [
    ['b.db', ['--log-level', 'warn', 'admin', 'stations', '--db', path.join(dir, 'b.db')]],
    ['c.db', ['admin', 'stations', '--db', path.join(dir, 'c.db'), '--log-level', 'warn']],
    ['d.db', ['admin', '--log-level', 'warn', 'stations', '--db', path.join(dir, 'd.db')]],
  ]) {
    const quiet = run(dir, args);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /applied migration/, name);
    assert.ok(fs.existsSync(path.join(dir, name)));
  }

  const twice = run(dir, ['--db', path.join(dir, 'x.db'), 'admin', 'stations', '--db', path.join(dir, 'y.db')]);
  assert.notEqual(twice.code, 0);
  assert.match(twice.stderr, /--db/);
  const unknown = run(dir, ['admin', 'stations', '--no-such-option']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /not expected/);
  const missing = run(dir, ['serve', '--config', path.join(dir, 'missing.toml')]);
  assert.notEqual(missing.code, 0, 'the file check holds after the subcommand too');
});

test('sim takes --log-level after its own options', () => {
  const dir = tempDir();
  const r = run(dir, ['sim', '--url', 'ws://127.0.0.1:1/ocpp/', '--stations', '1', '--duration', '1', '--log-level', 'debug']);
  assert.doesNotMatch(r.stderr, /not expected/);
  assert.match(r.stdout, /simulating 1 stations/);
});

function startServe(dir, args) {
  const proc = spawn(BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  const address = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + stderr)), 15000);
    proc.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/listening on (\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', () => { clearTimeout(timer); reject(new Error('server exited:\n' + stderr)); });
  });
  return { proc, address, exited, stderr: () => stderr };
}

function health(address) {
  return new Promise((resolve, reject) => {
    http.get(`http://${address}/health`, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    }).on('error', reject);
  });
}

async function boots(address, identity) {
  const cs = new RPCClient({ endpoint: `ws://${address}/ocpp`, identity, protocols: ['ocpp1.6'], strictMode: true,
    reconnect: false, callTimeoutMs: 10000 });
  try {
    await cs.connect();
  } catch {
    return 'refused';
  }
  const boot = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  await cs.close();
  return boot.status;
}

for (const [form, order] of [
  ['before', (db, config) => ['--db', db, '--config', config, 'serve', '--listen', '127.0.0.1:0']],
  ['after', (db, config) => ['serve', '--listen', '127.0.0.1:0', '--db', db, '--config', config, '--log-level', 'warn']],
]) {
  test(`serve with --db and --config ${form} the subcommand uses both`, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'site.db');
    const config = path.join(dir, 'gridlane.toml');
    // Unknown stations are refused by the file's policy; the one registered in this database boots.
    fs.writeFileSync(config, '[ocpp]\nunknown_station = "reject"\n');
    // The admin commands around the server use the same form as the server's command line.
    const admin = (...args) => run(dir, form === 'before' ? ['--db', db, 'admin', ...args] : ['admin', ...args, '--db', db]);
    assert.equal(admin('station', 'add', 'CLI-KNOWN').code, 0);

    const server = startServe(dir, order(db, config));
    try {
      const address = await server.address;
      const h = await health(address);
      assert.equal(h.status, 200);
      assert.equal(h.body.status, 'ok');
      assert.equal(await boots(address, 'CLI-KNOWN'), 'Accepted', 'the station of --db is known');
      assert.equal(await boots(address, 'CLI-STRANGER'), 'refused', 'the policy of --config applies');
    } finally {
      server.proc.kill('SIGTERM');
    }
    assert.equal(await server.exited, 0);
    // Info lines by default; --log-level warn after serve silences them.
    if (form === 'before') assert.match(server.stderr(), /OCPP endpoint/);
    else assert.doesNotMatch(server.stderr(), /OCPP endpoint|connected/, '--log-level after serve is in force');
    assert.ok(!fs.existsSync(path.join(dir, 'gridlane.db')), 'the default database was not used');
    // What the server recorded is in the same file the admin command reads.
    const stations = JSON.parse(admin('stations', '--json').stdout);
    assert.deepEqual(stations.map((s) => s.id), ['CLI-KNOWN']);
    assert.equal(stations[0].vendor, 'V', 'the boot was stored in --db');
  });
}
