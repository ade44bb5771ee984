// Customer accounts, billing plans, subscriptions, coupons and loyalty points (docs/billing.md)
// through the API and `gridlane admin account|plan|coupon`, against the real binary.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { startServer, BIN } = require('./harness');

let server;
let token;
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token, body });

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

const fleet = {
  name: 'Fleet', currency: 'EUR', monthly_fee: 9.9, fee_vat: 19, included_kwh: 10,
  customer_group: 'fleet', trial_days: 30, points_per_kwh: 2, point_value: 0.05,
};

// A session of 16 kWh for 8.00 excl. VAT (19 %), started on 2026-06-02.
const session = {
  currency: 'EUR', started_at: '2026-06-02T08:00:00Z', total_energy: 16,
  total_cost: { excl_vat: 8, incl_vat: 9.52 }, total_energy_cost: { excl_vat: 8 },
  vat: [{ rate: 19, excl_vat: 8, vat: 1.52 }],
};

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
});
after(() => server.stop());

test('billing plans: put, read, list, validated with the field named', async () => {
  const created = await api('PUT', '/billing-plans/fleet', fleet);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.monthly_fee, 9.9);
  assert.equal(created.body.point_value, 0.05);
  assert.equal(created.body.customer_group, 'fleet');
  const replaced = await api('PUT', '/billing-plans/fleet', { ...fleet, monthly_fee: '12.50' });
  assert.equal(replaced.status, 200, replaced.text);
  assert.equal(replaced.body.monthly_fee, 12.5, 'a decimal string is read exactly');
  assert.equal((await api('PUT', '/billing-plans/fleet', fleet)).status, 200);

  for (const [body, field] of [
    [{ ...fleet, monthly_fee: -1 }, 'monthly_fee'],
    [{ ...fleet, currency: 'euro' }, 'currency'],
    [{ ...fleet, included_kwh: 0.1234567 }, 'included_kwh'],
    [{ ...fleet, trial_days: 4000 }, 'trial_days'],
    [{ ...fleet, customer_group: 'has space' }, 'customer_group'],
    [{ ...fleet, monthly_fe: 1 }, 'monthly_fe'],
    [{ ...fleet, name: undefined }, 'name'],
  ]) {
    const res = await api('PUT', '/billing-plans/bad', body);
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.equal(res.body.field, field, res.text);
  }
  const list = await api('GET', '/billing-plans');
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 1);
  assert.equal((await api('GET', '/billing-plans/nope')).status, 404);
});

test('accounts: a company with drivers and tokens, one account per token, subscribed to a plan of its currency', async () => {
  for (const tag of ['ACME-1', 'ACME-2', 'OTHER-1'])
    assert.equal((await api('PUT', `/id-tokens/${tag}`, { status: 'Accepted' })).status < 300, true);
  const created = await api('POST', '/accounts', { id: 'acme', kind: 'company', name: 'ACME Logistics', currency: 'EUR', email: 'billing@acme.example' });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.kind, 'company');
  assert.deepEqual(created.body.tokens, []);
  assert.equal(created.body.subscription, null);
  assert.equal((await api('POST', '/accounts', { id: 'acme', name: 'Again', currency: 'EUR' })).status, 409);
  const bad = await api('POST', '/accounts', { name: 'X', currency: 'EUR', kind: 'fleet' });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.field, 'kind');

  let acme = await api('PUT', '/account-tokens/ACME-1', { account: 'acme', driver: 'Ann' });
  assert.equal(acme.status, 200, acme.text);
  acme = await api('PUT', '/account-tokens/ACME-2', { account: 'acme', driver: 'Bo' });
  assert.deepEqual(acme.body.tokens, [{ token: 'ACME-1', driver: 'Ann' }, { token: 'ACME-2', driver: 'Bo' }]);
  assert.equal((await api('PUT', '/account-tokens/NO-SUCH', { account: 'acme' })).status, 404, 'the token must exist');

  const other = await api('POST', '/accounts', { id: 'other', name: 'Other', currency: 'EUR' });
  assert.equal(other.status, 201);
  assert.equal((await api('PUT', '/account-tokens/ACME-1', { account: 'other' })).status, 409, 'a token belongs to one account');
  assert.equal((await api('PUT', '/account-tokens/OTHER-1', { account: 'other' })).status, 200);
  const off = await api('DELETE', '/account-tokens/OTHER-1');
  assert.equal(off.status, 200, off.text);
  assert.deepEqual(off.body.tokens, []);
  assert.equal((await api('DELETE', '/account-tokens/OTHER-1')).status, 404, 'it belongs to no account now');

  const sub = await api('PUT', '/accounts/acme/subscription', { plan: 'fleet', start: '2026-06-01T00:00:00Z' });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.body.subscription.plan, 'fleet');
  assert.equal(sub.body.subscription.trial_ends_at, '2026-07-01T00:00:00.000Z', 'the trial lasts the plan\'s 30 days');
  assert.equal((await api('DELETE', '/billing-plans/fleet')).status, 409, 'a plan in use stays');

  await api('PUT', '/billing-plans/sek', { ...fleet, name: 'SEK', currency: 'SEK' });
  const wrong = await api('PUT', '/accounts/other/subscription', { plan: 'sek' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.field, 'plan');

  const list = await api('GET', '/accounts?limit=1');
  assert.equal(list.body.total, 2);
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.next_offset, 1);
});

test('coupons: put, claim, limits; the benefits preview applies plan, coupon and points exactly', async () => {
  const c = await api('PUT', '/coupons/WELCOME50', { kind: 'percent_off', percent: 50, description: 'Welcome: half price', max_redemptions: 100 });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.percent, 50);
  for (const [body, field] of [
    [{ kind: 'amount_off', amount: 5 }, 'currency'],
    [{ kind: 'percent_off', percent: 101 }, 'percent'],
    [{ kind: 'free_lunch' }, 'kind'],
    [{ kind: 'first_hour_free', valid_from: '2026-07-01T00:00:00Z', valid_until: '2026-06-01T00:00:00Z' }, 'valid_until'],
  ]) {
    const res = await api('PUT', '/coupons/BAD', body);
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.equal(res.body.field, field, res.text);
  }
  const expired = await api('PUT', '/coupons/OLD', { kind: 'first_session_free', valid_until: '2020-01-01T00:00:00Z' });
  assert.equal(expired.status, 201);
  assert.equal((await api('POST', '/accounts/acme/coupons', { code: 'OLD' })).status, 409, 'expired');

  const claimed = await api('POST', '/accounts/acme/coupons', { code: 'WELCOME50' });
  assert.equal(claimed.status, 201, claimed.text);
  assert.deepEqual(claimed.body.coupons.map((h) => h.code), ['WELCOME50']);
  assert.equal((await api('POST', '/accounts/acme/coupons', { code: 'WELCOME50' })).status, 409, 'held already');

  // 10 kWh included: 10/16 of 8.00 = 5.00 off; then 50 % of 3.00 = 1.50; VAT 19 % on each.
  const preview = await api('POST', '/accounts/acme/benefits/preview', session);
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual(preview.body.lines.map((l) => [l.kind, l.reference, l.excl_vat, l.vat, l.vat_rate]), [
    ['included_energy', 'fleet', 5, 0.95, 19],
    ['coupon', 'WELCOME50', 1.5, 0.285, 19],
  ]);
  assert.deepEqual(preview.body.payable, { excl_vat: 1.5, incl_vat: 1.785 });
  assert.equal(preview.body.points_earned, 32);
  assert.equal(preview.body.coupon, 'WELCOME50');

  const wrongCurrency = await api('POST', '/accounts/acme/benefits/preview', { ...session, currency: 'USD' });
  assert.equal(wrongCurrency.status, 422);
  const badSplit = await api('POST', '/accounts/acme/benefits/preview', { ...session, vat: [{ rate: 19, excl_vat: 7, vat: 1.33 }] });
  assert.equal(badSplit.status, 422);
  assert.equal(badSplit.body.field, 'vat');
});

test('loyalty: points granted, redeemed in the preview when the account says so, never below zero', async () => {
  const granted = await api('POST', '/accounts/acme/loyalty', { points: 40, reason: 'launch bonus' });
  assert.equal(granted.status, 201, granted.text);
  assert.equal(granted.body.balance, 40);
  assert.equal((await api('POST', '/accounts/acme/loyalty', { points: -41 })).status, 409);
  assert.equal((await api('POST', '/accounts/acme/loyalty', { points: 1.5 })).status, 422);

  const ledger = await api('GET', '/accounts/acme/loyalty');
  assert.equal(ledger.body.balance, 40);
  assert.equal(ledger.body.items[0].kind, 'adjusted');
  assert.equal(ledger.body.items[0].reason, 'launch bonus');

  assert.equal((await api('PATCH', '/accounts/acme', { redeem_points: true })).status, 200);
  // After plan and coupon 1.50 is left: 30 points of 0.05 pay it all.
  const preview = await api('POST', '/accounts/acme/benefits/preview', session);
  assert.equal(preview.status, 200, preview.text);
  assert.equal(preview.body.points_redeemed, 30);
  assert.deepEqual(preview.body.payable, { excl_vat: 0, incl_vat: 0 });
  assert.equal((await api('GET', '/accounts/acme')).body.loyalty_points, 40, 'a preview records nothing');
});

test('credentials are needed; an admin deletes an account without billed sessions', async () => {
  const viewer = await server.request('GET', '/api/v1/accounts/acme');
  assert.equal(viewer.status, 401, 'credentials needed');
  const deleted = await api('DELETE', '/accounts/other');
  assert.equal(deleted.status, 204, deleted.text);
  assert.equal((await api('GET', '/accounts/other')).status, 404);
});

test('the CLI applies the same rules: account, plan and coupon commands', async () => {
  const plan = cli('plan', 'put', 'basic', '--json', JSON.stringify({ name: 'Basic', currency: 'EUR', monthly_fee: 4.5 }));
  assert.equal(plan.status, 0, plan.stderr);
  assert.equal(JSON.parse(plan.stdout).monthly_fee, 4.5);
  const bad = cli('plan', 'put', 'basic2', '--json', JSON.stringify({ name: 'Basic', currency: 'EUR', monthly_fee: -1 }));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /monthly_fee/);

  const added = cli('account', 'add', 'Dana Driver', '--id', 'dana', '--email', 'dana@example.org');
  assert.equal(added.status, 0, added.stderr);
  assert.equal(JSON.parse(added.stdout).kind, 'driver');
  assert.equal(cli('account', 'token', 'dana', 'OTHER-1', '--driver', 'Dana').status, 0);
  assert.equal(cli('account', 'token', 'dana', 'ACME-1').status, 1, 'another account\'s token');
  const sub = cli('account', 'subscribe', 'dana', 'basic');
  assert.equal(sub.status, 0, sub.stderr);
  assert.equal(JSON.parse(sub.stdout).subscription.plan, 'basic');
  assert.equal(cli('coupon', 'put', 'FIRST', '--json', '{"kind":"first_session_free"}').status, 0);
  assert.equal(cli('account', 'claim', 'dana', 'FIRST').status, 0);
  const points = cli('account', 'points', 'dana', '15', '--reason', 'welcome');
  assert.equal(JSON.parse(points.stdout).balance, 15);
  const shown = JSON.parse(cli('account', 'show', 'dana').stdout);
  assert.deepEqual(shown.coupons.map((h) => h.code), ['FIRST']);
  assert.equal(shown.loyalty_points, 15);
  // What the CLI wrote, the API serves.
  const viaApi = await api('GET', '/accounts/dana');
  assert.equal(viaApi.body.subscription.plan, 'basic');
  assert.equal(JSON.parse(cli('coupon', 'list').stdout).length, 3);
});
