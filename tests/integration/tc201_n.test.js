// OCPP 2.0.1 block N (diagnostics and monitoring), CSMS side: the part 6 cases TC_N_*_CSMS, each
// named by its id and following its steps, then the monitoring use cases the catalogue has no
// CSMS case for (N02-N08), named by use case. The CSMS is prompted the way an operator does
// (POST /api/v1/stations/{id}/commands); every request is validated against the official schema
// by the strict client and checked field by field here, and what Gridlane stored is read back
// through the API.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { rpcErrorCode } = require('./harness');
const { conformanceServer, helpers, VALID } = require('./tc201_helpers');

let server;
const { station, operator } = helpers(() => server);
before(async () => { server = await conformanceServer(); });
after(() => server.stop());

async function get(path) {
  const token = await server.adminToken();
  const res = await server.request('GET', `/api/v1${path}`, { token });
  assert.equal(res.status, 200, `GET ${path}: ${res.text}`);
  return res.body;
}
const stationPath = (s) => `/stations/${encodeURIComponent(s.identity)}`;
const lsn = (s, status, requestId) => s.call('LogStatusNotification', { status, requestId });

async function diagnosticsStation(t, answers = {}) {
  const s = await station(t, (st) => {
    st.answer('GetLog', answers.log || (() => ({ status: 'Accepted', filename: 'station.log' })));
    st.answer('CustomerInformation', answers.customer || (() => ({ status: 'Accepted' })));
    st.answer('SetVariableMonitoring', answers.setMonitoring || ((p) => ({ setMonitoringResult: p.setMonitoringData.map((d, i) => ({
      id: d.id ?? 100 + i, status: 'Accepted', type: d.type, severity: d.severity, component: d.component, variable: d.variable })) })));
    st.answer('SetMonitoringBase', () => ({ status: 'Accepted' }));
    st.answer('SetMonitoringLevel', () => ({ status: 'Accepted' }));
    st.answer('ClearVariableMonitoring', (p) => ({ clearMonitoringResult: p.id.map((id) => ({ id, status: 'Accepted' })) }));
    st.answer('GetMonitoringReport', () => ({ status: 'Accepted' }));
  });
  await s.booted();
  return s;
}

// The upload URL Gridlane hosts: its own endpoint with a one-time token (never shown by the API).
function assertHostedLocation(req, cmd) {
  assert.match(req.log.remoteLocation, new RegExp(`^http://${server.address.replace(/\./g, '\\.')}/diagnostics/upload/dlu_[A-Za-z0-9_-]{43}$`));
  assert.equal(cmd.params.location, `http://${server.address}/diagnostics/upload/{token}`, 'the API shows no token');
  assert.ok(!JSON.stringify(cmd).includes(req.log.remoteLocation.split('/').pop()));
}

// The live stream's events (GET /api/v1/events, parsed `data:` lines) until closed.
async function stream() {
  const token = await server.adminToken();
  const received = [];
  const req = http.request({ host: '127.0.0.1', port: server.port, path: '/api/v1/events', headers: { Authorization: `Bearer ${token}` } });
  await new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const line = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
          buf = buf.slice(i + 2);
          if (line) received.push(JSON.parse(line.slice(6)));
        }
      });
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
  return { received, close: () => req.destroy() };
}

// ---- N01 Retrieve log information ------------------------------------------------------------

test('TC_N_25_CSMS Retrieve Log Information - Diagnostics Log - Success', async (t) => {
  const s = await diagnosticsStation(t);
  const cmd = await operator(s, 'get_log', { log_type: 'DiagnosticsLog' }); // step 1
  const req = s.only('GetLog');
  assert.equal(req.logType, 'DiagnosticsLog'); // tool validation, step 1
  assert.equal(req.requestId, cmd.id);
  assertHostedLocation(req, cmd);
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted', filename: 'station.log' }]); // step 2
  assert.deepEqual(await lsn(s, 'Uploading', req.requestId), {}); // steps 3-4
  assert.deepEqual(await lsn(s, 'Uploaded', req.requestId), {}); // steps 5-6
  const kept = (await get(`${stationPath(s)}/events?kind=LogStatusNotification`)).messages;
  assert.deepEqual(kept.map((m) => [m.payload.status, m.payload.requestId]), [['Uploading', req.requestId], ['Uploaded', req.requestId]]);
});

test('TC_N_34_CSMS Retrieve Log Information - Rejected', async (t) => {
  const s = await diagnosticsStation(t, { log: () => ({ status: 'Rejected' }) });
  const cmd = await operator(s, 'get_log', {}); // step 1
  s.only('GetLog');
  assert.deepEqual([cmd.status, cmd.response], ['rejected', { status: 'Rejected' }]); // step 2
});

test('TC_N_35_CSMS Retrieve Log Information - Security Log - Success', async (t) => {
  const s = await diagnosticsStation(t);
  const cmd = await operator(s, 'get_log', { log_type: 'SecurityLog' });
  const req = s.only('GetLog');
  assert.equal(req.logType, 'SecurityLog'); // tool validation, step 1
  assert.equal(req.requestId, cmd.id);
  assert.equal(cmd.status, 'accepted');
  assert.deepEqual(await lsn(s, 'Uploading', req.requestId), {});
  assert.deepEqual(await lsn(s, 'Uploaded', req.requestId), {});
});

test('TC_N_36_CSMS Retrieve Log Information - Second Request', async (t) => {
  let calls = 0;
  const s = await diagnosticsStation(t, { log: () => (++calls === 1 ? { status: 'Accepted' } : { status: 'AcceptedCanceled' }) });
  const first = await operator(s, 'get_log', {}); // step 1
  assert.equal(first.status, 'accepted'); // step 2
  const req1 = s.requests('GetLog')[0];
  assert.deepEqual(await lsn(s, 'Uploading', req1.requestId), {}); // steps 3-4
  const second = await operator(s, 'get_log', {}); // step 5, while the first uploads
  const req2 = s.requests('GetLog')[1];
  assert.notEqual(req2.requestId, req1.requestId, 'a new requestId');
  assert.notEqual(req2.log.remoteLocation, req1.log.remoteLocation, 'a new one-time URL');
  assert.deepEqual([second.status, second.response], ['accepted', { status: 'AcceptedCanceled' }]); // step 6
  assert.deepEqual(await lsn(s, 'AcceptedCanceled', req1.requestId), {}); // steps 7-8
  assert.deepEqual(await lsn(s, 'Uploading', req2.requestId), {}); // steps 9-10
  assert.deepEqual(await lsn(s, 'Uploaded', req2.requestId), {}); // steps 11-12
});

// ---- N09/N10 Customer information ------------------------------------------------------------

async function customerCase(t, params, expect, notify) {
  const s = await diagnosticsStation(t, expect.answer ? { customer: expect.answer } : {});
  const cmd = await operator(s, 'customer_information', params); // step 1
  const req = s.only('CustomerInformation');
  assert.equal(req.report, expect.report); // tool validations, step 1
  assert.equal(req.clear, expect.clear);
  if (expect.idToken) assert.deepEqual(req.idToken, expect.idToken);
  else assert.equal(req.idToken, undefined);
  if (expect.customerIdentifier) assert.equal(req.customerIdentifier, expect.customerIdentifier);
  else assert.equal(req.customerIdentifier, undefined);
  assert.equal(req.requestId, cmd.id);
  if (notify !== undefined) {
    assert.equal(cmd.status, 'accepted'); // step 2
    const sent = { data: notify, seqNo: 0, generatedAt: s.now(), requestId: req.requestId };
    assert.deepEqual(await s.call('NotifyCustomerInformation', sent), {}); // steps 3-4
    const stored = (await get(`${stationPath(s)}/customer-information`)).items;
    assert.equal(stored.length, 1);
    assert.deepEqual([stored[0].request_id, stored[0].seq_no, stored[0].data, stored[0].tbc], [req.requestId, 0, notify, false]);
  }
  return { s, cmd };
}

test('TC_N_27_CSMS Get Customer Information - Accepted + data', async (t) => {
  await customerCase(t, { report: true, id_tag: VALID.idToken, id_token_type: VALID.type },
    { report: true, clear: false, idToken: VALID }, 'Customer TOKEN-OK: 12 sessions, last 2026-08-30');
});

test('TC_N_28_CSMS Get Customer Information - Accepted + no data', async (t) => {
  await customerCase(t, { report: true, id_tag: VALID.idToken, id_token_type: VALID.type },
    { report: true, clear: false, idToken: VALID }, '');
});

test('TC_N_29_CSMS Get Customer Information - Not Accepted', async (t) => {
  const { cmd } = await customerCase(t, { report: true, id_tag: VALID.idToken, id_token_type: VALID.type },
    { report: true, clear: false, idToken: VALID, answer: () => ({ status: 'Rejected' }) });
  assert.deepEqual([cmd.status, cmd.response], ['rejected', { status: 'Rejected' }]); // step 2
});

test('TC_N_30_CSMS Clear Customer Information - Clear and report + data', async (t) => {
  await customerCase(t, { report: true, clear: true, id_tag: VALID.idToken, id_token_type: VALID.type },
    { report: true, clear: true, idToken: VALID }, 'Cleared: 12 sessions of TOKEN-OK');
});

test('TC_N_31_CSMS Clear Customer Information - Clear and report + no data', async (t) => {
  await customerCase(t, { report: true, clear: true, id_tag: VALID.idToken, id_token_type: VALID.type },
    { report: true, clear: true, idToken: VALID }, '');
});

test('TC_N_32_CSMS Clear Customer Information - Clear and no report', async (t) => {
  const { s, cmd } = await customerCase(t, { report: false, clear: true, id_tag: VALID.idToken, id_token_type: VALID.type },
    { report: false, clear: true, idToken: VALID });
  assert.deepEqual([cmd.status, cmd.response], ['accepted', { status: 'Accepted' }]); // step 2
  assert.equal((await get(`${stationPath(s)}/customer-information`)).total, 0);
});

test('TC_N_62_CSMS Clear Customer Information - Clear and report - customerIdentifier', async (t) => {
  await customerCase(t, { report: true, clear: true, customer_identifier: 'OpenChargeAlliance' },
    { report: true, clear: true, customerIdentifier: 'OpenChargeAlliance' }, 'Cleared: OpenChargeAlliance');
});

test('N09 customer information: a request naming no customer, or two, is refused before sending', async (t) => {
  const s = await diagnosticsStation(t);
  const token = await server.adminToken();
  for (const params of [{ report: true }, { report: true, id_tag: 'A', customer_identifier: 'B' }, { id_tag: 'A' }]) {
    const res = await server.request('POST', `/api/v1${stationPath(s)}/commands`, { token, body: { kind: 'customer_information', params } });
    assert.equal(res.status, 422, res.text);
  }
  assert.equal(s.requests('CustomerInformation').length, 0);
});

// ---- N02-N08 Monitoring (no TC_N_*_CSMS case in the catalogue) --------------------------------

test('N04 set variable monitoring: monitors sent as given, results kept on the command', async (t) => {
  const s = await diagnosticsStation(t);
  const cmd = await operator(s, 'set_variable_monitoring', { monitors: [
    { component: 'EVSE', evse_id: 1, variable: 'Power', value: '22000.5', type: 'UpperThreshold', severity: 4 },
    { id: 7, transaction: true, component: 'ChargingStation', variable: 'Temperature', value: 5, type: 'Delta', severity: 2 }] });
  const req = s.only('SetVariableMonitoring');
  assert.deepEqual(req.setMonitoringData, [
    { value: 22000.5, type: 'UpperThreshold', severity: 4, component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } },
    { id: 7, transaction: true, value: 5, type: 'Delta', severity: 2, component: { name: 'ChargingStation' }, variable: { name: 'Temperature' } }]);
  assert.equal(cmd.status, 'accepted');
  assert.deepEqual(cmd.response.setMonitoringResult.map((r) => [r.id, r.status]), [[100, 'Accepted'], [7, 'Accepted']]);
  // A severity beyond 9 never reaches the station.
  const token = await server.adminToken();
  const bad = await server.request('POST', `/api/v1${stationPath(s)}/commands`, { token, body: { kind: 'set_variable_monitoring',
    params: { monitors: [{ component: 'EVSE', variable: 'Power', value: 1, type: 'Delta', severity: 10 }] } } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /monitors\[0\]\.severity/);
});

test('N03/N05/N06 monitoring base, level and clearing', async (t) => {
  const s = await diagnosticsStation(t);
  assert.equal((await operator(s, 'set_monitoring_base', { base: 'FactoryDefault' })).status, 'accepted');
  assert.deepEqual(s.only('SetMonitoringBase'), { monitoringBase: 'FactoryDefault' });
  assert.equal((await operator(s, 'set_monitoring_level', { severity: 3 })).status, 'accepted');
  assert.deepEqual(s.only('SetMonitoringLevel'), { severity: 3 });
  const clear = await operator(s, 'clear_variable_monitoring', { ids: [7, 100] });
  assert.deepEqual(s.only('ClearVariableMonitoring'), { id: [7, 100] });
  assert.deepEqual(clear.response.clearMonitoringResult, [{ id: 7, status: 'Accepted' }, { id: 100, status: 'Accepted' }]);
});

test('N02 get monitoring report: criteria and components sent, NotifyMonitoringReport parts stored and paged', async (t) => {
  const s = await diagnosticsStation(t);
  const cmd = await operator(s, 'get_monitoring_report', { criteria: ['ThresholdMonitoring'], components: [{ component: 'EVSE', evse_id: 1 }] });
  const req = s.only('GetMonitoringReport');
  assert.deepEqual(req, { requestId: cmd.id, monitoringCriteria: ['ThresholdMonitoring'], componentVariable: [{ component: { name: 'EVSE', evse: { id: 1 } } }] });
  const monitor = (id, value) => ({ id, transaction: false, value, type: 'UpperThreshold', severity: 4 });
  // Two parts (tbc), as a station with many monitors sends them.
  assert.deepEqual(await s.call('NotifyMonitoringReport', { requestId: cmd.id, seqNo: 0, tbc: true, generatedAt: s.now(),
    monitor: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, variableMonitoring: [monitor(1, 22000.5), monitor(2, 11000)] }] }), {});
  assert.deepEqual(await s.call('NotifyMonitoringReport', { requestId: cmd.id, seqNo: 1, generatedAt: s.now(),
    monitor: [{ component: { name: 'EVSE', evse: { id: 1, connectorId: 1 } }, variable: { name: 'Current', instance: 'L1' }, variableMonitoring: [monitor(3, 32)] }] }), {});
  const page1 = await get(`${stationPath(s)}/monitors?limit=2`);
  assert.equal(page1.total, 3);
  assert.equal(page1.next_offset, 2);
  assert.deepEqual(page1.items.map((m) => [m.id, m.value, m.variable, m.severity, m.request_id]), [[1, '22000.5', 'Power', 4, cmd.id], [2, '11000', 'Power', 4, cmd.id]]);
  const page2 = await get(`${stationPath(s)}/monitors?limit=2&offset=2`);
  assert.deepEqual(page2.items.map((m) => [m.id, m.connector_id, m.variable, m.variable_instance]), [[3, 1, 'Current', 'L1']]);
  assert.equal(page2.next_offset, null);
  // A monitor reported again replaces the stored one.
  await s.call('NotifyMonitoringReport', { requestId: cmd.id + 1, seqNo: 0, generatedAt: s.now(),
    monitor: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, variableMonitoring: [monitor(1, 7400)] }] });
  const again = await get(`${stationPath(s)}/monitors`);
  assert.equal(again.total, 3);
  assert.equal(again.items[0].value, '7400');
  // A severity the schema allows but OCPP does not (above 9) is refused, not stored.
  assert.equal(await rpcErrorCode(s.call('NotifyMonitoringReport', { requestId: 1, seqNo: 0, generatedAt: s.now(),
    monitor: [{ component: { name: 'EVSE' }, variable: { name: 'Power' }, variableMonitoring: [{ ...monitor(9, 1), severity: 12 }] }] })),
  'PropertyConstraintViolation');
  assert.equal((await get(`${stationPath(s)}/monitors`)).total, 3);
});

test('N07/N08 NotifyEvent: stored per station, paged, published as monitoring.event', async (t) => {
  const s = await diagnosticsStation(t);
  const before = (await get(`${stationPath(s)}/monitoring-events`)).total; // Booted's AvailabilityState events
  const live = await stream();
  t.after(() => live.close());
  const event = { eventId: 42, timestamp: s.now(), trigger: 'Alerting', actualValue: '23500', techCode: 'OVERPOWER', cleared: false,
    component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' }, variableMonitoringId: 1, eventNotificationType: 'CustomMonitor' };
  const availability = { eventId: 43, timestamp: s.now(), trigger: 'Delta', actualValue: 'Faulted', cleared: true,
    eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' } };
  assert.deepEqual(await s.call('NotifyEvent', { generatedAt: s.now(), seqNo: 0, eventData: [event, availability] }), {});
  const list = await get(`${stationPath(s)}/monitoring-events?limit=2`);
  assert.equal(list.total, before + 2);
  // Newest first.
  assert.deepEqual(list.items.map((e) => [e.event_id, e.trigger, e.actual_value, e.cleared, e.notification_type, e.component, e.variable]),
    [[43, 'Delta', 'Faulted', true, 'HardWiredNotification', 'Connector', 'AvailabilityState'],
      [42, 'Alerting', '23500', false, 'CustomMonitor', 'EVSE', 'Power']]);
  assert.deepEqual([list.items[1].tech_code, list.items[1].monitor_id, list.items[1].evse_id], ['OVERPOWER', 1, 1]);
  assert.equal(list.next_offset, before > 0 ? 2 : null);
  // Published after the commit, one event per eventData.
  for (let i = 0; i < 50 && live.received.filter((e) => e.type === 'monitoring.event' && e.station_id === s.identity).length < 2; i++)
    await new Promise((r) => setTimeout(r, 100));
  const published = live.received.filter((e) => e.type === 'monitoring.event' && e.station_id === s.identity);
  assert.deepEqual(published.map((e) => [e.data.event_id, e.data.trigger, e.data.actual_value, e.data.cleared]),
    [[42, 'Alerting', '23500', false], [43, 'Delta', 'Faulted', true]]);
  assert.deepEqual([published[0].data.evse_id, published[0].data.tech_code, published[0].data.component], [1, 'OVERPOWER', 'EVSE']);
  // An unknown station is a 404, not an empty list.
  const token = await server.adminToken();
  assert.equal((await server.request('GET', '/api/v1/stations/NO-SUCH/monitoring-events', { token })).status, 404);
});
