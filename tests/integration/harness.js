// Starts the real gridlane binary on a free loopback port with its own temporary database,
// and builds strict-mode OCPP clients (ocpp-rpc validates every frame against the official schemas).
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
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
    return execFileSync(BIN, ['--db', this.db, 'admin', ...args], { encoding: 'utf8' });
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

module.exports = { startServer, tempDir, rpcErrorCode, rawExchange, now, BIN };
