// A strict OCPP 2.x station for tests, with the part 6 "reusable states" (Booted,
// EVConnectedPreSession, Authorized, EnergyTransferStarted, EVDisconnected...) as methods.
'use strict';
const assert = require('node:assert/strict');

let txCounter = 0;
const iso = (ms) => new Date(ms).toISOString();

class Station2 {
  constructor(server, identity, version = 'ocpp2.0.1', options = {}) {
    this.server = server;
    this.identity = identity;
    this.version = version;
    this.cs = server.client(identity, { protocols: [version], ...options });
    this.cs.on('badMessage', () => {});
    this.handled = [];
    // A station answers what the CSMS asks during and after boot; tests override as needed.
    this.cs.handle('GetBaseReport', ({ params }) => { this.handled.push(['GetBaseReport', params]); return { status: 'Accepted' }; });
    this.clock = Date.parse('2026-09-01T08:00:00.000Z');
    this.tx = null;
    this.open = new Map(); // transactions started and not yet ended
  }
  now(stepMs = 1000) { this.clock += stepMs; return iso(this.clock); }
  call(action, payload) { return this.cs.call(action, payload); }
  async connect() { await this.cs.connect(); return this; }
  // Ends what it left open (so other tests' tokens are not ConcurrentTx), then disconnects.
  async close() {
    for (const tx of this.open.values()) {
      this.tx = tx;
      await this.event('Ended', 'StopAuthorized', {}, { stoppedReason: 'Local' }).catch(() => {});
    }
    return this.cs.close();
  }

  async boot(reason = 'PowerUp', expect = 'Accepted') {
    const res = await this.call('BootNotification', {
      reason, chargingStation: { model: 'Model-2X', vendorName: 'Acme', serialNumber: 'SN-' + this.identity,
        firmwareVersion: '2.0.1-rc', modem: { iccid: '8931', imsi: '2620' } },
    });
    if (expect) assert.equal(res.status, expect);
    return res;
  }
  // Reusable State Booted
  async booted() {
    const res = await this.boot();
    await this.status('Available');
    return res;
  }
  status(connectorStatus, evseId = 1, connectorId = 1) {
    return this.call('StatusNotification', { timestamp: this.now(), connectorStatus, evseId, connectorId });
  }
  begin(id) { this.tx = { id: id || `TX-${process.pid}-${++txCounter}`, seq: 0, started: false }; return this.tx; }
  event(eventType, triggerReason, extra = {}, transactionInfo = {}) {
    if (!this.tx) this.begin();
    const payload = {
      eventType, timestamp: this.now(), triggerReason, seqNo: this.tx.seq++,
      transactionInfo: { transactionId: this.tx.id, ...transactionInfo }, ...extra,
    };
    if (eventType === 'Started') { this.tx.started = true; payload.evse = payload.evse || { id: 1, connectorId: 1 }; }
    if (eventType === 'Ended') this.open.delete(this.tx.id);
    else this.open.set(this.tx.id, this.tx);
    return this.call('TransactionEvent', payload).then((res) => { this.last = { payload, res }; return res; });
  }
  energy(wh, context, extra = {}) {
    return [{ timestamp: iso(this.clock), sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register',
      unitOfMeasure: { unit: 'Wh' }, ...extra }] }];
  }
  // Reusable State EVConnectedPreSession: cable plugged in, transaction started.
  async evConnectedPreSession() {
    await this.status('Occupied');
    this.begin();
    return this.event('Started', 'CablePluggedIn', { meterValue: this.energy(1000, 'Transaction.Begin') }, { chargingState: 'EVConnected' });
  }
  // Reusable State Authorized
  async authorized(idToken = { idToken: 'TOKEN-OK', type: 'ISO14443' }) {
    const auth = await this.call('Authorize', { idToken });
    const res = this.tx && this.tx.started
      ? await this.event('Updated', 'Authorized', { idToken })
      : (this.begin(), await this.event('Started', 'Authorized', { idToken, meterValue: this.energy(1000, 'Transaction.Begin') }));
    return { auth, res };
  }
  // Reusable State EnergyTransferStarted
  async energyTransferStarted() {
    if (!this.tx || !this.tx.started) { await this.evConnectedPreSession(); await this.authorized(); }
    return this.event('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' });
  }
  // Reusable State EVDisconnected: the transaction ends.
  async evDisconnected(stoppedReason = 'EVDisconnected', extra = {}) {
    const res = await this.event('Ended', 'EVCommunicationLost', { meterValue: this.energy(8000, 'Transaction.End'), ...extra },
      { chargingState: 'Idle', stoppedReason });
    await this.status('Available');
    return res;
  }
}

module.exports = { Station2 };
