// The driver's live cost through the real binary (docs/ocpp.md, "Tariff and cost"): a 2.0.1 and a
// 1.6 station charge under a tariff assigned to every session; the tariff text reaches the
// driver with the authorisation, the running cost arrives at [pricing] cost_update_interval
// (2.0.1 CostUpdated, 1.6 pricing extension RunningCost), and the final cost with the end (2.0.1
// totalCost in the Ended answer, 1.6 FinalCost). Every amount is compared with the engine's own
// price for the same session (POST /api/v1/tariffs/preview) and with the arithmetic by hand.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, until } = require('./harness');
const { Station2 } = require('./ocpp2');

const VENDOR = 'org.openchargealliance.costmsg';
let server;
let token;
const api = (method, p, body) => server.request(method, `/api/v1${p}`, { token, body });

// A start fee and a price per kWh, 19 % VAT: no time component, so the cost of a running
// session depends on its energy only and the test can know it exactly.
const TARIFF = {
  country_code: 'DE', party_id: 'GRL', id: 'live-flat', currency: 'EUR',
  tariff_alt_text: [
    { language: 'en', text: '0.25 EUR/kWh excl. VAT, 0.50 EUR per session' },
    { language: 'de', text: '0,25 EUR/kWh zzgl. MwSt., 0,50 EUR je Ladevorgang' },
  ],
  elements: [{ price_components: [
    { type: 'FLAT', price: 0.5, vat: 19, step_size: 1 },
    { type: 'ENERGY', price: 0.25, vat: 19, step_size: 1 },
  ] }],
  last_updated: '2026-11-01T00:00:00Z',
};

// The engine's price (incl. VAT) of a session that charged `wh` in one period.
async function enginePrice(wh) {
  const res = await api('POST', '/tariffs/preview', {
    tariff: TARIFF, time_zone: 'UTC',
    periods: [{ start: '2026-09-01T08:00:00Z', end: '2026-09-01T09:00:00Z', state: 'charging', energy_wh: wh }],
  });
  assert.equal(res.status, 200, res.text);
  return res.body.total_cost.incl_vat;
}


before(async () => {
  server = await startServer({
    config: '[ocpp]\nrequest_base_report = false\n[pricing]\ncost_update_interval = "1s"\ntariff_language = "en"\n',
  });
  token = await server.adminToken();
  let res = await api('PUT', `/tariffs/${TARIFF.id}`, TARIFF);
  assert.ok(res.status === 200 || res.status === 201, res.text);
  res = await api('POST', '/tariff-assignments', { tariff_id: TARIFF.id, scope: 'default' });
  assert.equal(res.status, 201, res.text);
  for (const tag of ['LIVE-2', 'LIVE-16', 'LIVE-16B']) server.admin('token', 'add', tag);
});
after(() => server.stop());

test('the engine prices the test tariff as the arithmetic says', async () => {
  // 0.50 + 5 kWh * 0.25 = 1.75, +19 % = 2.0825; 0.50 + 9 kWh * 0.25 = 2.75, +19 % = 3.2725
  assert.equal(await enginePrice(5000), 2.0825);
  assert.equal(await enginePrice(9000), 3.2725);
});

test('2.0.1: tariff text with the authorisation, CostUpdated while charging, totalCost in the Ended answer', async () => {
  const st = new Station2(server, 'LIVE-CS-2');
  const costs = [];
  st.cs.handle('CostUpdated', ({ params }) => { costs.push(params); return {}; });
  await st.connect();
  try {
    await st.booted();
    const idToken = { idToken: 'LIVE-2', type: 'ISO14443' };
    const auth = await st.call('Authorize', { idToken });
    assert.equal(auth.idTokenInfo.status, 'Accepted');
    assert.deepEqual(auth.idTokenInfo.personalMessage,
      { format: 'UTF8', language: 'en', content: TARIFF.tariff_alt_text[0].text }, 'I01: the tariff as the personal message');

    st.begin();
    const started = await st.event('Started', 'Authorized', { idToken, meterValue: st.energy(1000, 'Transaction.Begin') },
      { chargingState: 'Charging' });
    assert.equal(started.idTokenInfo.personalMessage.content, TARIFF.tariff_alt_text[0].text);
    assert.equal(started.totalCost, undefined, 'no total before the end');

    st.now(600000); // ten minutes of charging on the station's clock
    const updated = await st.event('Updated', 'MeterValuePeriodic', { meterValue: st.energy(6000, 'Sample.Periodic') });
    assert.equal(updated.totalCost, undefined);
    // A round may have priced the session just before the reading arrived: the second round
    // after it has certainly seen it.
    const from = costs.length;
    await until('two rounds of CostUpdated', () => costs.length >= from + 2);
    const cost = costs[costs.length - 1];
    assert.equal(cost.transactionId, st.tx.id);
    assert.equal(cost.totalCost, await enginePrice(5000), 'the running cost is the engine\'s price');
    assert.equal(cost.totalCost, 2.0825);
    const before5kWh = await enginePrice(0);
    for (const c of costs) assert.ok(c.totalCost === before5kWh || c.totalCost === 2.0825, `every CostUpdated is a price of the session: ${c.totalCost}`);

    st.now(600000);
    const ended = await st.event('Ended', 'EVCommunicationLost', { meterValue: st.energy(10000, 'Transaction.End') },
      { stoppedReason: 'EVDisconnected' });
    assert.equal(ended.totalCost, await enginePrice(9000), 'I04: the final cost in the Ended answer');
    assert.equal(ended.totalCost, 3.2725);
    const before = costs.length;
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal(costs.filter((c) => c.transactionId === st.tx.id).length, before, 'no CostUpdated after the end');
  } finally {
    await st.cs.close();
  }
});

// A strict 1.6 station that shows costs when `shows` is true, and records the pricing messages.
async function station16(identity, shows) {
  const cs = server.client(identity);
  const got = { config: 0, transfers: [] };
  cs.handle('GetConfiguration', ({ params }) => {
    got.config++;
    assert.deepEqual(params.key, ['CustomDisplayCostAndPrice']);
    return shows ? { configurationKey: [{ key: 'CustomDisplayCostAndPrice', readonly: true, value: 'true' }] }
      : { unknownKey: ['CustomDisplayCostAndPrice'] };
  });
  cs.handle('DataTransfer', ({ params }) => {
    assert.equal(params.vendorId, VENDOR);
    got.transfers.push({ messageId: params.messageId, data: JSON.parse(params.data) });
    return { status: 'Accepted' };
  });
  await cs.connect();
  const boot = await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M16' });
  assert.equal(boot.status, 'Accepted');
  return { cs, got, find: (id) => got.transfers.find((t) => t.messageId === id) };
}

test('1.6 pricing extension: SetUserPrice, RunningCost and FinalCost for a station that shows costs', async () => {
  const { cs, got, find } = await station16('LIVE-CS-16', true);
  try {
    const auth = await cs.call('Authorize', { idTag: 'LIVE-16' });
    assert.equal(auth.idTagInfo.status, 'Accepted');
    const price = await until('SetUserPrice', () => find('SetUserPrice'));
    assert.deepEqual(price.data.idToken, 'LIVE-16');
    assert.equal(price.data.priceText, TARIFF.tariff_alt_text[0].text);
    assert.deepEqual(price.data.priceTextExtra, [{ format: 'UTF8', language: 'de', content: TARIFF.tariff_alt_text[1].text }]);
    assert.equal(got.config, 1, 'asked once whether it shows costs');

    const t0 = Date.parse('2026-09-01T08:00:00Z');
    const start = await cs.call('StartTransaction', { connectorId: 1, idTag: 'LIVE-16', meterStart: 1000,
      timestamp: new Date(t0).toISOString() });
    const tx = start.transactionId;
    await cs.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [{ timestamp: new Date(t0 + 600000).toISOString(),
      sampledValue: [{ value: '6000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
    const runs = () => got.transfers.filter((t) => t.messageId === 'RunningCost' && t.data.transactionId === tx);
    const from = runs().length;
    await until('two rounds of RunningCost', () => runs().length >= from + 2);
    const running = runs()[runs().length - 1];
    assert.equal(running.data.cost, await enginePrice(5000), 'the running cost is the engine\'s price');
    assert.equal(running.data.cost, 2.0825);
    assert.equal(running.data.state, 'Charging');

    await cs.call('StopTransaction', { transactionId: tx, meterStop: 10000, timestamp: new Date(t0 + 3600000).toISOString() });
    const final = await until('FinalCost', () => find('FinalCost'));
    assert.equal(final.data.transactionId, tx);
    assert.equal(final.data.cost, await enginePrice(9000), 'the final cost is the engine\'s price');
    assert.equal(final.data.cost, 3.2725);
    assert.equal(final.data.priceText, 'Total: 3.27 EUR');
    const api_cost = await api('GET', `/transactions/${tx}/cost`);
    assert.equal(api_cost.status, 200, api_cost.text);
    assert.equal(api_cost.body.total_cost.incl_vat, final.data.cost, 'the driver saw what the API (and the CDR) says');
    assert.equal(got.config, 1, 'still asked only once on this connection');
  } finally {
    await cs.close();
  }
});

test('1.6: a station that does not know CustomDisplayCostAndPrice gets no pricing messages', async () => {
  const { cs, got } = await station16('LIVE-CS-16B', false);
  try {
    assert.equal((await cs.call('Authorize', { idTag: 'LIVE-16B' })).idTagInfo.status, 'Accepted');
    await until('the question', () => got.config === 1);
    const start = await cs.call('StartTransaction', { connectorId: 1, idTag: 'LIVE-16B', meterStart: 0,
      timestamp: '2026-09-01T08:00:00Z' });
    await new Promise((r) => setTimeout(r, 1500)); // a round of running costs passes
    await cs.call('StopTransaction', { transactionId: start.transactionId, meterStop: 2000, timestamp: '2026-09-01T09:00:00Z' });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(got.transfers, []);
    assert.equal(got.config, 1);
  } finally {
    await cs.close();
  }
});
