// Shared pieces of the OCPP 2.0.1 part 6 CSMS conformance tests (tc201_*.test.js).
//
// The station side (the OCTT's role) is a strict ocpp-rpc client whose reusable states follow
// part 6 section 3.18 step by step. Where a case has the CSMS send a request, the test prompts it
// the way an operator does (POST /api/v1/stations/{id}/commands, `operator()` below) and asserts
// the request the station received, field by field, and what Gridlane stored from the answer.
// The debug call endpoint is not enabled here: no case can write the CSMS's request itself.
'use strict';
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { Station2 } = require('./ocpp2');

// <Configured ...> values of the test tool.
const VALID = { idToken: 'TOKEN-OK', type: 'ISO14443' };         // valid_idtoken
const VALID2 = { idToken: 'TOKEN-2', type: 'ISO14443' };         // valid_idtoken2, same group
const INVALID = { idToken: 'NOBODY-KNOWS-ME', type: 'ISO14443' }; // invalid_idtoken
const BLOCKED = { idToken: 'TOKEN-BLOCKED', type: 'ISO14443' };
const EXPIRED = { idToken: 'TOKEN-EXPIRED', type: 'ISO14443' };
const MASTER = { idToken: 'MASTER', type: 'ISO14443' };          // masterpass_idtoken
const GROUP = 'GROUP-1';                                         // groupIdToken
const MASTERPASS_GROUP = 'MASTERPASS';                           // masterPassGroupId

const config = '[ocpp]\ncall_timeout_s = 5\nrequest_base_report = false\n';

async function conformanceServer(options = {}) {
  const server = await startServer({ config, ...options });
  server.admin('token', 'add', VALID.idToken, '--parent', GROUP, '--expires', '2099-01-01T00:00:00Z');
  server.admin('token', 'add', VALID2.idToken, '--parent', GROUP);
  server.admin('token', 'add', BLOCKED.idToken, '--status', 'Blocked');
  server.admin('token', 'add', EXPIRED.idToken, '--expires', '2020-01-01T00:00:00Z');
  server.admin('token', 'add', MASTER.idToken, '--parent', MASTERPASS_GROUP);
  return server;
}

// The operator's remote command, waiting for its outcome: answers the command record.
async function operator(server, s, kind, params = {}) {
  const token = await server.adminToken();
  const res = await server.request('POST', `/api/v1/stations/${encodeURIComponent(s.identity)}/commands?wait=10`,
    { token, body: { kind, params } });
  assert.equal(res.status, 200, `command ${kind}: ${res.text}`);
  // The stored record reads back the same through GET /commands/{id}.
  const again = await server.request('GET', `/api/v1/commands/${res.body.id}`, { token });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, res.body);
  return res.body;
}

let n = 0;

// A part 6 test-tool station. Tracks, per transaction, which reusable states it went through
// so the states chain exactly as section 3.18 describes ("If State is NOT ... then execute ...").
class Station extends Station2 {
  constructor(server, identity, { connectors = [[1, 1]] } = {}) {
    super(server, identity || `TC201-${process.pid}-${++n}`);
    this.connectors = connectors;
    this.received = []; // [action, request] of every CSMS request, in order
    this.sent = []; // { payload, res } of every TransactionEvent, in order
    this.answers = new Map();
    this.answer('GetBaseReport', () => ({ status: 'Accepted' }));
  }

  // How the station answers a CSMS request; every request is recorded first.
  answer(action, fn) {
    this.answers.set(action, fn);
    this.cs.handle(action, ({ params }) => { this.received.push([action, params]); return fn(params); });
  }
  requests(action) { return this.received.filter(([a]) => a === action).map(([, p]) => p); }
  only(action) {
    const list = this.requests(action);
    assert.equal(list.length, 1, `exactly one ${action} received`);
    return list[0];
  }

  // The OCTT closes the WebSocket and connects again (same identity, same handlers).
  async reconnect() {
    await this.cs.close();
    this.cs = this.server.client(this.identity, { protocols: [this.version] });
    this.cs.on('badMessage', () => {});
    for (const [action, fn] of this.answers) this.answer(action, fn);
    await this.cs.connect();
  }

  // A TransactionEvent of the current transaction; unlike Station2.event, a Started carries an
  // EVSE only when the step names one (TC_J_08: EVSE not known at the start).
  async te(eventType, triggerReason, extra = {}, transactionInfo = {}, { seqNo } = {}) {
    if (!this.tx) this.begin();
    const payload = { eventType, timestamp: this.now(), triggerReason, seqNo: seqNo ?? this.tx.seq++,
      transactionInfo: { transactionId: this.tx.id, ...transactionInfo }, ...extra };
    if (eventType === 'Started') this.tx.started = true;
    if (eventType === 'Ended') this.open.delete(this.tx.id);
    else this.open.set(this.tx.id, this.tx);
    const res = await this.call('TransactionEvent', payload);
    this.last = { payload, res };
    this.sent.push(this.last);
    return res;
  }
  newTx() { this.begin(); this.tx.state = {}; this.tx.evse = undefined; return this.tx; }
  get state() { if (!this.tx) this.newTx(); if (!this.tx.state) this.tx.state = {}; return this.tx.state; }

  // The connector's status change, reported both ways the catalogue lists: StatusNotification
  // and NotifyEvent AvailabilityState (trigger Delta).
  async connectorState(status, evseId = 1, connectorId = 1) {
    assert.deepEqual(await this.status(status, evseId, connectorId), {});
    assert.deepEqual(await this.call('NotifyEvent', { generatedAt: this.now(), seqNo: 0, eventData: [{ eventId: 1,
      timestamp: this.now(0), trigger: 'Delta', actualValue: status, component: { name: 'Connector', evse: { id: evseId, connectorId } },
      variable: { name: 'AvailabilityState' }, eventNotificationType: 'HardWiredNotification' }] }), {});
  }

  // Reusable State Booted (table 390).
  async booted(reason = 'PowerUp') {
    const res = await this.boot(reason, 'Accepted'); // Step 2: status Accepted
    for (const [evse, connector] of this.connectors) await this.connectorState('Available', evse, connector);
    return res;
  }

  evseObj(evse) { return { id: evse, connectorId: 1 }; }

  // Reusable State EVConnectedPreSession (table 393).
  async evConnectedPreSession(evse = 1, meterValue) {
    if (!this.tx || this.tx.ended) this.newTx();
    await this.connectorState('Occupied', evse, 1);
    const authorized = this.state.authorized;
    const extra = { evse: this.evseObj(evse) };
    // A Started carries the Transaction.Begin sample; an Updated only when the case asks (TC_J_08).
    if (meterValue || !authorized) extra.meterValue = meterValue || this.energy(1000, 'Transaction.Begin');
    const res = await this.te(authorized ? 'Updated' : 'Started', 'CablePluggedIn', extra, { chargingState: 'EVConnected' });
    this.tx.evse = evse;
    this.state.evConnected = true;
    return res;
  }

  // Reusable State Authorized (table 394), with its two tool validations.
  async authorized(idToken = VALID, evse) {
    if (!this.tx || this.tx.ended) this.newTx();
    const auth = await this.call('Authorize', { idToken });
    assert.equal(auth.idTokenInfo.status, 'Accepted', 'Authorized step 2: AuthorizeResponse Accepted');
    const connected = this.state.evConnected;
    const extra = { idToken };
    if (!connected) {
      extra.meterValue = this.energy(1000, 'Transaction.Begin');
      if (evse) { extra.evse = this.evseObj(evse); this.tx.evse = evse; }
    }
    const res = await this.te(connected ? 'Updated' : 'Started', 'Authorized', extra);
    assert.equal(res.idTokenInfo.status, 'Accepted', 'Authorized step 4: TransactionEventResponse Accepted');
    this.state.authorized = true;
    this.tx.idToken = idToken;
    return { auth, res };
  }

  // Reusable State EnergyTransferStarted (table 395): part 1 only when the EV is not connected yet.
  async energyTransferStarted(evse = 1, idToken = VALID) {
    if (!this.tx || this.tx.ended) this.newTx();
    if (!this.state.authorized) await this.authorized(idToken, this.state.evConnected ? undefined : evse);
    if (!this.state.evConnected) {
      await this.connectorState('Occupied', evse, 1);
      assert.deepEqual(await this.te('Updated', 'CablePluggedIn', { evse: this.evseObj(evse) }, { chargingState: 'EVConnected' }), {});
      this.tx.evse = evse;
      this.state.evConnected = true;
    }
    const res = await this.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'Charging' });
    this.state.energy = true;
    return res;
  }

  // Reusable State EnergyTransferSuspended (table 396).
  async energyTransferSuspended() {
    if (!this.tx || !this.state.energy) await this.energyTransferStarted();
    const res = await this.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'SuspendedEV' });
    this.state.suspended = true;
    return res;
  }

  // Reusable State StopAuthorized (table 397), with its tool validation.
  async stopAuthorized(idToken = this.tx?.idToken || VALID) {
    if (!this.tx || !this.state.energy) await this.energyTransferStarted();
    const res = await this.te('Updated', 'StopAuthorized', { idToken });
    assert.equal(res.idTokenInfo.status, 'Accepted', 'StopAuthorized step 2: TransactionEventResponse Accepted');
    this.state.stopAuthorized = true;
    return res;
  }

  // Reusable State EVConnectedPostSession (table 398).
  async evConnectedPostSession() {
    if (!this.tx || !this.state.stopAuthorized) await this.stopAuthorized();
    const res = await this.te('Updated', 'ChargingStateChanged', {}, { chargingState: 'EVConnected' });
    this.state.postSession = true;
    return res;
  }

  // Reusable State EVDisconnected (table 399); `extra` goes into the Ended event (meter values).
  async evDisconnected(extra = { meterValue: this.energy(8000, 'Transaction.End') }) {
    if (!this.tx || !this.state.postSession) await this.evConnectedPostSession();
    await this.connectorState('Available', this.tx.evse || 1, 1);
    const res = await this.te('Ended', 'EVCommunicationLost', extra, { chargingState: 'Idle', stoppedReason: 'EVDisconnected' });
    this.tx.ended = true;
    return res;
  }
}

// Test helpers over a running server.
function helpers(getServer) {
  const stored = (s) => getServer().adminJson('transactions', '--station', s.identity);
  const storedTx = (s, tx = s.tx) => {
    const found = stored(s).find((x) => x.station_transaction_id === tx.id);
    assert.ok(found, `transaction ${tx.id} stored`);
    return found;
  };
  const shown = (s) => getServer().adminJson('station', 'show', s.identity);
  const connector = (s, evse = 1, conn = 1) => shown(s).connectors.find((c) => c.evse_id === evse && c.connector_id === conn);
  async function station(t, setup, options) {
    const s = new Station(getServer(), undefined, options);
    if (setup) setup(s);
    await s.connect();
    t.after(() => s.close());
    return s;
  }
  return { stored, storedTx, shown, connector, station, operator: (s, kind, params) => operator(getServer(), s, kind, params) };
}

// "attributeType is absent or attributeType = Actual" (B06/B05 tool validations).
function actualOrAbsent(d) {
  assert.ok(d.attributeType === undefined || d.attributeType === 'Actual', `attributeType ${d.attributeType}`);
}

module.exports = { conformanceServer, operator, helpers, Station, actualOrAbsent, config,
  VALID, VALID2, INVALID, BLOCKED, EXPIRED, MASTER, GROUP, MASTERPASS_GROUP };
