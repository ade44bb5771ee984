// POST /api/v1/tariffs/preview (docs/pricing.md): a session priced under a tariff through the
// real binary, answered with the OCPI CDR field names; invalid input is a 422 naming the field.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./harness');

const EXAMPLES = path.resolve(__dirname, '../data/ocpi/2.2.1');
let server;
let token;
const api = (method, p, body, t = token) => server.request(method, `/api/v1${p}`, { token: t, body });

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
});
after(() => server.stop());

const example = (name) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));

test('preview: the OCPI start fee + kWh + parking example costs 7.00 / 7.90', async () => {
  const res = await api('POST', '/tariffs/preview', {
    tariff: example('tariff_10_025kwh_parking_start.json'),
    time_zone: 'Europe/Berlin',
    periods: [
      { start: '2026-03-02T10:00:00Z', end: '2026-03-02T12:00:00Z', state: 'charging', energy_wh: 20000, max_power_w: 11000, max_current_a: 48 },
      { start: '2026-03-02T12:00:00Z', end: '2026-03-02T12:40:00Z', state: 'parking', energy_wh: 0 },
    ],
  });
  assert.equal(res.status, 200, res.text);
  const b = res.body;
  assert.equal(b.currency, 'EUR');
  assert.deepEqual(b.total_cost, { excl_vat: 7, incl_vat: 7.9 });
  assert.deepEqual(b.total_fixed_cost, { excl_vat: 0.5, incl_vat: 0.6 });
  assert.deepEqual(b.total_energy_cost, { excl_vat: 5, incl_vat: 5.5 });
  assert.deepEqual(b.total_parking_cost, { excl_vat: 1.5, incl_vat: 1.8 });
  assert.equal(b.total_energy, 20);
  assert.equal(b.total_time, 2.666667);
  assert.equal(b.total_parking_time, 0.666667);
  assert.equal(b.total_time_cost, undefined, 'the tariff has no TIME price');
  assert.equal(b.charging_periods.length, 2);
  assert.equal(b.charging_periods[0].start_date_time, '2026-03-02T10:00:00Z');
  assert.equal(b.charging_periods[0].tariff_id, '18');
  assert.deepEqual(b.charging_periods[0].dimensions, [
    { type: 'ENERGY', volume: 20 }, { type: 'TIME', volume: 2 }, { type: 'MAX_POWER', volume: 11 }, { type: 'MAX_CURRENT', volume: 48 },
  ]);
  assert.deepEqual(b.charging_periods[1].dimensions, [{ type: 'PARKING_TIME', volume: 0.666667 }]);
});

test('preview: time of day in the location zone, across a daylight-saving change', async () => {
  const tariff = {
    country_code: 'DE', party_id: 'GRL', id: 'night-day', currency: 'EUR',
    elements: [
      { price_components: [{ type: 'ENERGY', price: 0.2, vat: 19, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00' } },
      { price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }] },
    ],
  };
  const res = await api('POST', '/tariffs/preview', {
    tariff, time_zone: 'Europe/Berlin',
    periods: [{ start: '2026-03-28T23:00:00Z', end: '2026-03-29T05:00:00Z', state: 'charging', energy_wh: 6000 }],
  });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.total_energy_cost, { excl_vat: 1.3, incl_vat: 1.547 });
  assert.equal(res.body.charging_periods[1].start_date_time, '2026-03-29T04:00:00Z', 'night ends 06:00 CEST');
});

test('preview: invalid input is a 422 naming the field, and a viewer may preview', async () => {
  const base = { tariff: example('tariff_8_simple_025kwh.json'), time_zone: 'UTC',
    periods: [{ start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z', state: 'charging', energy_wh: 1000 }] };
  const cases = [
    [{ ...base, time_zone: 'Mars/Olympus' }, 'time_zone'],
    [{ ...base, periods: [{ ...base.periods[0], energy_wh: -1 }] }, 'periods[0].energy_wh'],
    [{ ...base, periods: [{ ...base.periods[0], energy_wh: 1.5 }] }, 'periods[0].energy_wh'],
    [{ ...base, periods: [{ ...base.periods[0], state: 'idle' }] }, 'periods[0].state'],
    [{ ...base, periods: [{ ...base.periods[0], end: '2026-03-02T09:00:00Z' }] }, 'periods[0].end'],
    [{ ...base, periods: [{ ...base.periods[0], max_current_a: 1e300 }] }, 'periods[0].max_current_a'],
    [{ ...base, periods: [base.periods[0], base.periods[0]] }, 'periods[1].start'],
    [{ ...base, tariff: { ...base.tariff, currency: 'euro' } }, 'tariff.currency'],
    [{ ...base, extra: 1 }, 'extra'],
  ];
  for (const [body, field] of cases) {
    const res = await api('POST', '/tariffs/preview', body);
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.ok(JSON.stringify(res.body).includes(field), `${field} named in ${res.text}`);
  }
  assert.equal((await api('POST', '/tariffs/preview', base, null)).status, 401);
  server.admin('user', 'add', 'viewer1', '--role', 'viewer', '--password', 'viewer password 1');
  const login = await server.request('POST', '/api/v1/auth/login', { body: { username: 'viewer1', password: 'viewer password 1' } });
  const res = await api('POST', '/tariffs/preview', base, login.body.token);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.total_cost, { excl_vat: 0.25, incl_vat: 0.275 });
});
