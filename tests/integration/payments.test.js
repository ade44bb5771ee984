// Card payments for ad-hoc sessions (docs/payments.md) against the real binary and a local
// TEST DOUBLE of the PaymentIntents API (doubles/payment_provider_double.js): authorisation with
// a one-time id token a strict 1.6 station charges with, declines, releases, idempotency keys
// on every call, an answer lost after the money moved, and holds released when a token expires.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./harness');
const { PaymentProviderDouble } = require('./doubles/payment_provider_double');

let provider;
let server;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function config(baseUrl, extra = '') {
  return `[ocpp]\nrequest_base_report = false\n[payments]\ncard_provider = "stripe"\nbase_url = "${baseUrl}"\n` +
    `secret_key = "sk_test_double"\nretry_interval_s = 1\ntimeout_ms = 3000\n${extra}`;
}

// Polls GET /payments/{id} (up to 10 s) until `ok(payment)`.
async function until(id, ok) {
  let last;
  for (let i = 0; i < 100; i++) {
    last = await api('GET', `/payments/${id}`);
    if (last.status === 200 && ok(last.body)) return last.body;
    await sleep(100);
  }
  assert.fail(`payment ${id} never reached the state: ${JSON.stringify(last.body)}`);
}

before(async () => {
  provider = await new PaymentProviderDouble().start();
  server = await startServer({ config: config(provider.url) });
  token = await server.adminToken();
});
after(async () => {
  await server.stop();
  await provider.stop();
});

test('payments: an authorisation holds the amount with manual capture and gives a one-time token', async () => {
  const res = await api('POST', '/payments/authorizations', { amount: '20.00', currency: 'EUR', payment_method: 'pm_card_visa' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.status, 'authorized');
  assert.equal(res.body.amount_authorized, '20.00');
  assert.equal(res.body.amount_captured, '0.00');
  assert.match(res.body.id_token, /^PAY[0-9A-Z]{16}$/);
  assert.match(res.body.provider_ref, /^pi_/);

  const [create] = provider.calls(/^\/v1\/payment_intents$/).filter((r) => r.form['metadata[gridlane_payment_id]'] === String(res.body.id));
  assert.equal(create.form.amount, '2000');
  assert.equal(create.form.currency, 'eur');
  assert.equal(create.form.capture_method, 'manual');
  assert.equal(create.form.confirm, 'true');
  assert.equal(create.key, `gridlane-pay-${res.body.id}-${Date.parse(res.body.created_at)}-authorize`);
  assert.equal(provider.intents.get(res.body.provider_ref).status, 'requires_capture');

  const detail = await api('GET', `/payments/${res.body.id}`);
  assert.equal(detail.status, 200);
  assert.deepEqual(detail.body.operations.map((o) => [o.kind, o.status, o.idempotency_key]),
    [['authorize', 'succeeded', create.key]]);
  const tokenRow = await api('GET', `/id-tokens/${res.body.id_token}`);
  assert.equal(tokenRow.status, 200);
  assert.equal(tokenRow.body.status, 'Accepted');
});

test('payments: invalid requests are 422 naming the field and reach no provider', async () => {
  const before = provider.requests.length;
  for (const [body, field] of [
    [{ amount: 20.5, currency: 'EUR', payment_method: 'pm_card_visa' }, 'amount'],
    [{ amount: '20.001', currency: 'EUR', payment_method: 'pm_card_visa' }, 'amount'],
    [{ amount: '-5', currency: 'EUR', payment_method: 'pm_card_visa' }, 'amount'],
    [{ amount: '5', currency: 'euro', payment_method: 'pm_card_visa' }, 'currency'],
    [{ amount: '5', currency: 'EUR' }, 'payment_method'],
    [{ amount: '5', currency: 'EUR', payment_method: 'pm_card_visa', station: 'NO-SUCH' }, 'station'],
  ]) {
    const res = await api('POST', '/payments/authorizations', body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.field, field, JSON.stringify(body));
  }
  assert.equal(provider.requests.length, before);
});

test('payments: a declined card is 422 with the provider reason, recorded as failed, with no token', async () => {
  const res = await api('POST', '/payments/authorizations', { amount: '30.00', currency: 'EUR', payment_method: 'pm_card_chargeDeclined' });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.field, 'payment_method');
  assert.match(res.body.detail, /declined/);
  const list = await api('GET', '/payments?status=failed');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  assert.match(list.body.items[0].error, /card was declined/);
  const tokenRow = await api('GET', `/id-tokens/${list.body.items[0].id_token}`);
  assert.equal(tokenRow.status, 404);
});

test('payments: a strict 1.6 station charges once with the token; the session is linked and the token spent', async (t) => {
  const auth = await api('POST', '/payments/authorizations', { amount: '25.00', currency: 'EUR', payment_method: 'pm_card_visa' });
  assert.equal(auth.status, 201, auth.text);
  const idTag = auth.body.id_token;
  const cs = server.client('CS-PAY-1');
  await cs.connect();
  t.after(() => cs.close());
  assert.equal((await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W1' })).status, 'Accepted');
  assert.equal((await cs.call('Authorize', { idTag })).idTagInfo.status, 'Accepted');
  const started = await cs.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: new Date().toISOString() });
  assert.equal(started.idTagInfo.status, 'Accepted');
  const linked = await until(auth.body.id, (p) => p.transaction_id === started.transactionId);
  assert.equal(linked.status, 'authorized');
  const byTx = await api('GET', `/payments?transaction_id=${started.transactionId}`);
  assert.deepEqual(byTx.body.items.map((p) => p.id), [auth.body.id]);

  const cancel = await api('POST', `/payments/${auth.body.id}/cancel`);
  assert.equal(cancel.status, 409, 'a hold whose session started stays until the CDR');

  await cs.call('StopTransaction', { transactionId: started.transactionId, idTag, meterStop: 5000, timestamp: new Date().toISOString() });
  let again;
  for (let i = 0; i < 50; i++) {
    again = await cs.call('Authorize', { idTag });
    if (again.idTagInfo.status !== 'Accepted') break;
    await sleep(100);
  }
  assert.equal(again.idTagInfo.status, 'Expired', 'one session per token');
  const second = await cs.call('StartTransaction', { connectorId: 1, idTag, meterStart: 5000, timestamp: new Date().toISOString() });
  assert.notEqual(second.idTagInfo.status, 'Accepted');
});

test('payments: an unused hold is released once; asking again moves nothing more', async () => {
  const auth = await api('POST', '/payments/authorizations', { amount: '10.00', currency: 'EUR', payment_method: 'pm_card_visa' });
  assert.equal(auth.status, 201, auth.text);
  const cancel = await api('POST', `/payments/${auth.body.id}/cancel`);
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.body.status, 'canceled');
  assert.equal(provider.intents.get(auth.body.provider_ref).status, 'canceled');
  const repeat = await api('POST', `/payments/${auth.body.id}/cancel`);
  assert.equal(repeat.status, 200);
  assert.equal(provider.calls(new RegExp(`^/v1/payment_intents/${auth.body.provider_ref}/cancel$`)).length, 1);
  const tokenRow = await api('GET', `/id-tokens/${auth.body.id_token}`);
  assert.equal(tokenRow.body.status, 'Expired');
});

test('payments: an answer lost after the money moved is retried with the same key and the provider replays it', async () => {
  const intentsBefore = provider.intents.size;
  provider.dropNextAnswer();
  const res = await api('POST', '/payments/authorizations', { amount: '12.34', currency: 'EUR', payment_method: 'pm_card_visa' });
  assert.equal(res.status, 503, res.text);
  const newest = await api('GET', '/payments?limit=1'); // pending, or authorised already by the sweep
  assert.equal(newest.body.items[0].amount_authorized, '12.34');
  const id = newest.body.items[0].id;
  const done = await until(id, (p) => p.status === 'authorized');
  assert.equal(provider.intents.size, intentsBefore + 1, 'one PaymentIntent, not two');
  const key = done.operations[0].idempotency_key;
  const sent = provider.requests.filter((r) => r.key === key);
  assert.ok(sent.length >= 2, 'the retry sent the same key');
  assert.ok(sent.slice(1).every((r) => r.replayed), 'and got the first answer back');
  assert.equal(done.amount_authorized, '12.34');
});

test('payments: a provider error (HTTP 500) leaves the call pending; the sweep completes it', async () => {
  provider.failNext(1, 500);
  const res = await api('POST', '/payments/authorizations', { amount: '7.00', currency: 'EUR', payment_method: 'pm_card_visa' });
  assert.equal(res.status, 503, res.text);
  const newest = await api('GET', '/payments?limit=1');
  assert.equal(newest.body.items[0].amount_authorized, '7.00');
  const id = newest.body.items[0].id;
  const done = await until(id, (p) => p.status === 'authorized');
  assert.equal(done.error, null);
});

test('payments: viewers read payments without their tokens and cannot authorise', async () => {
  server.admin('user', 'add', 'pay-viewer', '--role', 'viewer', '--password', 'viewer-password-1');
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'pay-viewer', password: 'viewer-password-1' } });
  assert.equal(login.status, 200, login.text);
  const viewer = login.body.token;
  const list = await server.request('GET', '/api/v1/payments', { token: viewer });
  assert.equal(list.status, 200);
  assert.ok(list.body.items.length > 0 && list.body.items.every((p) => p.id_token === null));
  const post = await server.request('POST', '/api/v1/payments/authorizations', {
    token: viewer, body: { amount: '5.00', currency: 'EUR', payment_method: 'pm_card_visa' } });
  assert.equal(post.status, 403);
});

test('payments: the CDR of the session captures its total incl. VAT to the cent; its credit CDR refunds it to zero', async (t) => {
  // 0.50 start fee + 0.25 EUR/kWh, 21 % VAT: 10 kWh cost 3.00 excl. VAT, 3.63 incl. VAT.
  const loc = await api('POST', '/locations', { id: 'PAY-LOC', name: 'Payments Garage', address: 'Damrak 1', city: 'Amsterdam',
    postal_code: '1012 LG', country: 'NLD', coordinates: { latitude: '52.37500', longitude: '4.89600' }, time_zone: 'Europe/Amsterdam' });
  assert.equal(loc.status, 201, loc.text);
  const put = await api('PUT', '/tariffs/PAY-KWH', { country_code: 'NL', party_id: 'GRL', id: 'PAY-KWH', currency: 'EUR',
    elements: [{ price_components: [{ type: 'FLAT', price: 0.5, vat: 21.0, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21.0, step_size: 1 }] }],
    last_updated: '2026-01-01T00:00:00Z' });
  assert.ok(put.status === 200 || put.status === 201, put.text);
  const assigned = await api('POST', '/tariff-assignments', { tariff_id: 'PAY-KWH', scope: 'location', location_id: 'PAY-LOC' });
  assert.ok(assigned.status === 200 || assigned.status === 201, assigned.text);
  server.admin('station', 'add', 'CS-PAY-CDR');
  assert.equal((await api('PUT', '/stations/CS-PAY-CDR/location', { location_id: 'PAY-LOC' })).status, 200);

  const auth = await api('POST', '/payments/authorizations', { amount: '30.00', currency: 'EUR', payment_method: 'pm_card_visa', station: 'CS-PAY-CDR' });
  assert.equal(auth.status, 201, auth.text);
  const idTag = auth.body.id_token;
  const cs = server.client('CS-PAY-CDR');
  await cs.connect();
  t.after(() => cs.close());
  await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'W22' });
  const started = await cs.call('StartTransaction', { connectorId: 1, idTag, meterStart: 1000, timestamp: '2026-05-04T08:00:00.000Z' });
  assert.equal(started.idTagInfo.status, 'Accepted');
  await until(auth.body.id, (p) => p.transaction_id === started.transactionId);
  await cs.call('StopTransaction', { transactionId: started.transactionId, idTag, meterStop: 11000, timestamp: '2026-05-04T09:00:00.000Z' });

  const captured = await until(auth.body.id, (p) => p.status === 'captured');
  const cdr = (await api('GET', `/cdrs/${captured.cdr_id}`)).body;
  assert.deepEqual(cdr.total_cost, { excl_vat: 3, incl_vat: 3.63 });
  assert.equal(captured.amount_captured, '3.63', 'the capture agrees with the CDR to the cent');
  const [capture] = provider.calls(new RegExp(`^/v1/payment_intents/${auth.body.provider_ref}/capture$`));
  assert.equal(capture.form.amount_to_capture, '363');
  assert.equal(capture.key, `gridlane-pay-${auth.body.id}-${Date.parse(auth.body.created_at)}-capture-tx-${started.transactionId}`);
  const pi = provider.intents.get(auth.body.provider_ref);
  assert.equal(pi.amount_received, 363);
  assert.equal(pi.amount_capturable, 0, 'the rest of the 30.00 hold is released');

  const credit = await api('POST', `/cdrs/${cdr.id}/credit`, { remark: 'goodwill' });
  assert.equal(credit.status, 201, credit.text);
  const refunded = await until(auth.body.id, (p) => p.status === 'refunded');
  assert.equal(refunded.amount_refunded, '3.63');
  const refunds = [...provider.refunds.values()].filter((r) => r.payment_intent === pi.id);
  assert.deepEqual(refunds.map((r) => r.amount), [363], 'one refund, netting the payment to zero');
  assert.deepEqual(refunded.operations.map((o) => [o.kind, o.status, o.reference]),
    [['authorize', 'succeeded', null], ['capture', 'succeeded', cdr.id], ['refund', 'succeeded', credit.body.id]]);
});

test('payments: a token unused until it expires has its hold released by the server', async (t) => {
  const double = await new PaymentProviderDouble().start();
  const short = await startServer({ config: config(double.url, 'token_ttl_s = 1\n') });
  t.after(async () => { await short.stop(); await double.stop(); });
  const adminToken = await short.adminToken();
  const res = await short.request('POST', '/api/v1/payments/authorizations', {
    token: adminToken, body: { amount: '15.00', currency: 'EUR', payment_method: 'pm_card_visa' } });
  assert.equal(res.status, 201, res.text);
  let p;
  for (let i = 0; i < 100; i++) {
    p = (await short.request('GET', `/api/v1/payments/${res.body.id}`, { token: adminToken })).body;
    if (p.status === 'canceled') break;
    await sleep(100);
  }
  assert.equal(p.status, 'canceled');
  assert.equal(double.intents.get(res.body.provider_ref).status, 'canceled');
  assert.deepEqual(p.operations.map((o) => o.kind), ['authorize', 'cancel']);
});

test('payments: without a card provider configured an authorisation is 503 and the list still answers', async (t) => {
  const plain = await startServer();
  t.after(() => plain.stop());
  const adminToken = await plain.adminToken();
  const res = await plain.request('POST', '/api/v1/payments/authorizations', {
    token: adminToken, body: { amount: '5.00', currency: 'EUR', payment_method: 'pm_card_visa' } });
  assert.equal(res.status, 503);
  const list = await plain.request('GET', '/api/v1/payments', { token: adminToken });
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 0);
});
