// Starts the real gridlane binary on a free loopback port with its own temporary database,
// and builds strict-mode OCPP clients (ocpp-rpc validates every frame against the official schemas).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { RPCClient, createValidator } = require('ocpp-rpc');

// ocpp-rpc 2.2.1 bundles the official OCPP 2.1 schemas with $ids of the form
// "urn:BootNotificationRequest", but its client looks schemas up as "urn:BootNotification.req"
// and ".conf", so its built-in 2.1 strict mode rejects every call. Same validator, same
// schemas, ids renamed to what the client asks for.
const ocpp21Validator = (() => {
  const bundled = require('ocpp-rpc/lib/schemas/ocpp2_1.json');
  const renamed = bundled.map((schema) => ({
    ...schema,
    $id: schema.$id.replace(/^urn:(.*)Request$/, 'urn:$1.req').replace(/^urn:(.*)Response$/, 'urn:$1.conf'),
  }));
  return createValidator('ocpp2.1', renamed);
})();

let healthChecks = 0;
const BIN = process.env.GRIDLANE_BIN || path.resolve(__dirname, '../../build/release/gridlane');

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-it-'));
}

class Server {
  constructor(dir, options = {}) {
    this.dir = dir;
    this.db = path.join(dir, 'gridlane.db');
    this.options = options;
    this.stderr = '';
  }

  async start() {
    const args = ['--db', this.db];
    if (this.options.config) {
      const file = path.join(this.dir, 'gridlane.toml');
      fs.writeFileSync(file, this.options.config);
      args.push('--config', file);
    }
    args.push('serve', '--listen', '127.0.0.1:0');
    if (this.options.unknownStations) args.push('--unknown-stations', this.options.unknownStations);
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => { this.stderr += d.toString(); });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    const address = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('server did not start:\n' + this.stderr)), 15000);
      this.proc.stdout.on('data', (d) => {
        out += d.toString();
        const m = out.match(/listening on (\S+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      this.proc.on('exit', () => { clearTimeout(timer); reject(new Error('server exited:\n' + this.stderr)); });
    });
    this.address = address;
    this.port = Number(address.split(':').pop());
    this.url = `ws://${address}/ocpp`;
    return this;
  }

  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return this.exited;
    this.proc.kill(signal);
    return this.exited;
  }

  admin(...args) {
    return execFileSync(BIN, ['--db', this.db, 'admin', ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  }

  adminJson(...args) {
    // `station show` always prints JSON; the list commands take --json.
    return JSON.parse(args[0] === 'station' ? this.admin(...args) : this.admin(...args, '--json'));
  }

  client(identity, options = {}) {
    return new RPCClient({
      endpoint: this.url,
      identity,
      protocols: ['ocpp1.6'],
      strictMode: true,
      strictModeValidators: [ocpp21Validator],
      reconnect: false,
      callTimeoutMs: 10000,
      ...options,
    });
  }

  // Open file descriptors of the server process (sockets, database, logs).
  fdCount() {
    return fs.readdirSync(`/proc/${this.proc.pid}/fd`).length;
  }

  // The descriptor count to compare against after hostile input, taken once the server has done
  // everything once (a station booted, API requests served: some descriptors are opened on first
  // use) and this process's idle keep-alive HTTP sockets are closed (they hold server sockets).
  async fdBaseline(assert) {
    await this.assertHealthy(assert);
    http.globalAgent.destroy();
    await new Promise((r) => setTimeout(r, 300));
    return this.fdCount();
  }

  // Waits (up to 5 s) until the server holds no more descriptors than `baseline`; resolves with
  // the last count, so the caller asserts it.
  async settleFds(baseline) {
    http.globalAgent.destroy(); // this process's idle keep-alive sockets are not the server's
    let n = this.fdCount();
    for (let i = 0; i < 50 && n > baseline; i++) {
      await new Promise((r) => setTimeout(r, 100));
      n = this.fdCount();
    }
    return n;
  }

  // An HTTP request to the server: { status, headers, body (parsed JSON or undefined), text }.
  request(method, urlPath, { token, body, raw, headers = {} } = {}) {
    return new Promise((resolve, reject) => {
      const data = raw !== undefined ? raw : body !== undefined ? JSON.stringify(body) : undefined;
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path: urlPath,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}),
                   ...(data ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
        let text = '';
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let json;
          try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
          resolve({ status: res.statusCode, headers: res.headers, body: json, text });
        });
      });
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  // A bearer token of an admin user, created through the admin CLI on first use.
  async adminToken() {
    if (this.token) return this.token;
    const password = 'harness admin password';
    try {
      this.admin('user', 'add', 'harness-admin', '--role', 'admin', '--password', password);
    } catch (e) {
      // A server restarted on its database ({ dir: server.dir }) has the harness admin already.
      if (!/user harness-admin already exists/.test(String(e.stderr))) throw e;
    }
    const res = await this.request('POST', '/api/v1/auth/login', { body: { username: 'harness-admin', password } });
    if (res.status !== 200) throw new Error(`harness login failed: ${res.status} ${res.text}`);
    this.token = res.body.token;
    return this.token;
  }

  // After hostile input: the server still serves a normal BootNotification, holds no more
  // descriptors than `fdBaseline` (when given), and every stored record is still readable
  // through the API (list and each transaction) and the admin CLI's JSON.
  async assertHealthy(assert, { fdBaseline } = {}) {
    const identity = `HEALTH-${++healthChecks}`;
    const cs = this.client(identity);
    await cs.connect();
    const boot = await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    assert.equal(boot.status, 'Accepted', 'a normal station still boots');
    await cs.close();
    if (fdBaseline !== undefined) {
      const fds = await this.settleFds(fdBaseline);
      assert.ok(fds <= fdBaseline, `descriptors back to ${fdBaseline} (now ${fds})`);
    }
    const token = await this.adminToken();
    const stations = await this.request('GET', '/api/v1/stations?limit=500', { token });
    assert.equal(stations.status, 200, `GET /stations: ${stations.text.slice(0, 200)}`);
    const txs = await this.request('GET', '/api/v1/transactions?limit=500', { token });
    assert.equal(txs.status, 200, `GET /transactions: ${txs.text.slice(0, 200)}`);
    for (const tx of txs.body.items) {
      const one = await this.request('GET', `/api/v1/transactions/${tx.id}`, { token });
      assert.equal(one.status, 200, `GET /transactions/${tx.id}: ${one.text.slice(0, 200)}`);
    }
    assert.ok(Array.isArray(this.adminJson('stations')), 'admin stations --json parses');
    assert.ok(Array.isArray(this.adminJson('transactions')), 'admin transactions --json parses');
  }

  async debugCall(station, action, payload) {
    const res = await fetch(`http://${this.address}/debug/stations/${encodeURIComponent(station)}/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action, payload }),
    });
    return { status: res.status, body: await res.json() };
  }
}

async function startServer(options = {}) {
  const server = new Server(options.dir || tempDir(), options);
  await server.start();
  return server;
}

// Calls that are expected to fail with a CALLERROR: returns the error code.
async function rpcErrorCode(promise) {
  try {
    await promise;
  } catch (e) {
    return e.rpcErrorCode || e.code || e.message;
  }
  throw new Error('expected a CALLERROR');
}

// Sends a raw frame and resolves with the server's raw answer to that message id (or "-1").
function rawExchange(client, frame, id) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to ' + frame)), 5000);
    const onMessage = ({ message, outbound }) => {
      if (outbound) return;
      let msg;
      try { msg = JSON.parse(message.toString()); } catch { return; }
      if (Array.isArray(msg) && msg[1] === id) {
        clearTimeout(timer);
        client.off('message', onMessage);
        resolve(msg);
      }
    };
    client.on('message', onMessage);
    client.sendRaw(frame);
  });
}

const now = () => new Date().toISOString();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (sync or async) every 50 ms until it returns something truthy, which it resolves
 *  with; rejects with "timed out waiting for <what>" after `ms`. */
async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

module.exports = { startServer, tempDir, rpcErrorCode, rawExchange, now, BIN, sleep, until };
