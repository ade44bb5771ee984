// The business areas' pure functions, compiled from the console's TypeScript sources with the
// web project's own compiler (no browser needed): the id-token CSV reader, the tariff editor's
// draft <-> OCPI tariff, the example session's periods (a wall time in a zone to UTC), and the
// meter values as chart series.
'use strict';
const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { loadTs } = require('./typescript');

const SOURCES = {
  csv: 'src/console/tokens/csv.ts',
  model: 'src/console/tariffs/model.ts',
  example: 'src/console/tariffs/example.ts',
  meter: 'src/console/sessions/meter.ts',
};
const m = {};

before(async () => {
  for (const [name, file] of Object.entries(SOURCES)) m[name] = await loadTs(file);
});

test('CSV: quoted cells, doubled quotes, CRLF, semicolons, a byte order mark, blank lines', () => {
  assert.deepEqual(m.csv.parseCsv('\ufeffa,"b ""c"", d"\r\n\r\nx;y\n'), [['a', 'b "c", d'], ['x', 'y']]);
  assert.deepEqual(m.csv.parseCsv('one'), [['one']]);
});

test('CSV: tokens by position or by a header in any order; empty cells left out; lines kept for errors', () => {
  const plain = m.csv.tokensFromCsv('T1,Blocked\nT2\n');
  assert.deepEqual(plain.tokens, [{ id_tag: 'T1', status: 'Blocked' }, { id_tag: 'T2' }]);
  assert.deepEqual(plain.lines, [1, 2]);
  const headed = m.csv.tokensFromCsv('id_tag,parent_id_tag,status\nT3,P,\n');
  assert.deepEqual(headed.tokens, [{ id_tag: 'T3', parent_id_tag: 'P' }]);
  assert.deepEqual(headed.lines, [2]);
  assert.equal(m.csv.tokensFromCsv('id_tag,colour\nT4,red\n').unknownColumn, 'colour');
  assert.equal(m.csv.entryIndex('tokens[12].status'), 12);
  assert.equal(m.csv.entryIndex('limit'), null);
});

test('tariff draft: an OCPI tariff survives the editor unchanged, fields it does not show included', () => {
  const tariff = {
    country_code: 'DE', party_id: 'GRL', id: 'T', currency: 'EUR', type: 'REGULAR',
    tariff_alt_text: [{ language: 'en', text: '0.39/kWh' }],
    min_price: { excl_vat: 1, incl_vat: 1.19 },
    elements: [
      { price_components: [{ type: 'ENERGY', price: 0.29, vat: 19, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00', day_of_week: ['SUNDAY', 'MONDAY'], min_kwh: 0.5 } },
      { price_components: [{ type: 'FLAT', price: 0, step_size: 0 }, { type: 'PARKING_TIME', price: 6, vat: 19, step_size: 900 }] },
    ],
    last_updated: '2026-01-01T00:00:00Z',
  };
  const back = m.model.toTariff(m.model.toDraft(tariff));
  const { last_updated, ...expected } = tariff;
  void last_updated;
  // Days come back in the week's order; everything else as it was.
  expected.elements[0].restrictions.day_of_week = ['MONDAY', 'SUNDAY'];
  assert.deepEqual(back, expected);
});

test('tariff draft: typed decimals are sent exactly; text that is no number goes to the server as text', () => {
  const d = m.model.emptyDraft();
  Object.assign(d, { country_code: ' de ', party_id: 'GRL' });
  d.elements[0].price_components[0] = { type: 'ENERGY', price: '0.123456', vat: '', step_size: '1' };
  d.elements[0].restrictions.max_power = '22.5';
  let t = m.model.toTariff(d);
  assert.equal(JSON.stringify(t.elements[0].price_components[0]), '{"type":"ENERGY","price":0.123456,"step_size":1}');
  assert.equal(t.country_code, 'de');
  assert.deepEqual(t.elements[0].restrictions, { max_power: 22.5 });
  d.elements[0].price_components[0].price = '0,39';
  t = m.model.toTariff(d);
  assert.equal(t.elements[0].price_components[0].price, '0,39');
});

test('example session: a wall time in the zone becomes UTC, across daylight saving', () => {
  assert.equal(new Date(m.example.zonedToUtc('2026-03-02T18:00', 'Europe/Berlin')).toISOString(), '2026-03-02T17:00:00.000Z');
  assert.equal(new Date(m.example.zonedToUtc('2026-07-02T18:00', 'Europe/Berlin')).toISOString(), '2026-07-02T16:00:00.000Z');
  assert.equal(new Date(m.example.zonedToUtc('2026-07-02T18:00', 'America/New_York')).toISOString(), '2026-07-02T22:00:00.000Z');
  assert.equal(m.example.zonedToUtc('2026-07-02T18:00', 'No/Such_Zone'), null);
  assert.equal(m.example.zonedToUtc('tomorrow', 'UTC'), null);
  const p = m.example.periods({ time_zone: 'Europe/Berlin', start: '2026-03-02T18:00', charging_min: '70', energy_kwh: '12', max_power_kw: '11', parking_min: '30' });
  assert.deepEqual(p.periods, [
    { start: '2026-03-02T17:00:00Z', end: '2026-03-02T18:10:00Z', state: 'charging', energy_wh: 12000, max_power_w: 11000 },
    { start: '2026-03-02T18:10:00Z', end: '2026-03-02T18:40:00Z', state: 'parking', energy_wh: 0 },
  ]);
  assert.deepEqual(m.example.periods({ time_zone: 'UTC', start: '2026-03-02T18:00', charging_min: '0', energy_kwh: '1', max_power_kw: '', parking_min: '' }), { error: 'tariffs.example.badCharging' });
});

test('meter series: energy since the start in kWh, power in kW (a total wins over phases, phases summed)', () => {
  const v = (timestamp, value, measurand, unit, phase = null) => ({ timestamp, value, measurand, unit, phase, context: null });
  const s = m.meter.meterSeries(
    [
      v('2026-05-04T08:15:00Z', '3750', 'Energy.Active.Import.Register', 'Wh'),
      v('2026-05-04T08:15:00Z', '11', 'Power.Active.Import', 'kW'),
      v('2026-05-04T08:30:00Z', '6.5', 'Energy.Active.Import.Register', 'kWh'),
      v('2026-05-04T08:30:00Z', '2000', 'Power.Active.Import', 'W', 'L1'),
      v('2026-05-04T08:30:00Z', '3000', 'Power.Active.Import', 'W', 'L2'),
      v('2026-05-04T08:30:00Z', '230', 'Voltage', 'V'),
    ],
    1000,
  );
  assert.equal(s.points, 2);
  assert.deepEqual(s.data[1], [2.75, 5.5]);
  assert.deepEqual(s.data[2], [11, 5]);
});
