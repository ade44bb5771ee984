// Tariffs in their OCPI 2.2.1 shape (docs/api.md, "Tariffs") through the API and `gridlane admin
// tariff`, against the real binary: stored and served exactly, refused with the field named.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, tempDir, BIN } = require('./harness');

const EXAMPLES = process.env.GRIDLANE_OCPI_EXAMPLES || path.resolve(__dirname, '../data/ocpi/2.2.1');

let server;
let token;
const api = (method, p, body, as = token) => server.request(method, `/api/v1${p}`, { token: as, body });

// A time-of-day tariff: a start fee, a day and a night kWh price, an idle fee after an hour.
const timeOfDay = {
  country_code: 'DE',
  party_id: 'GRL',
  id: 'TOD-1',
  currency: 'EUR',
  type: 'REGULAR',
  tariff_alt_text: [{ language: 'en', text: '0.50 start, 0.30/kWh 07-23, 0.20/kWh at night, 6/h idle after 1 h' }],
  min_price: { excl_vat: 1, incl_vat: 1.19 },
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 19, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.3, vat: 19, step_size: 1 }],
      restrictions: { start_time: '07:00', end_time: '23:00' } },
    { price_components: [{ type: 'ENERGY', price: 0.2, vat: 19, step_size: 1 }],
      restrictions: { start_time: '23:00', end_time: '07:00' } },
    { price_components: [{ type: 'PARKING_TIME', price: 6, vat: 19, step_size: 60 }],
      restrictions: { min_duration: 3600, day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] } },
  ],
  start_date_time: '2026-01-01T00:00:00Z',
  energy_mix: { is_green_energy: true, energy_sources: [{ source: 'SOLAR', percentage: 60 }, { source: 'WIND', percentage: 40 }] },
};

const exampleId = (file) => `EX-${file.replace(/\.json$/, '').replace(/[^A-Za-z0-9]/g, '-')}`.slice(0, 36);
const withoutStamp = ({ last_updated, ...rest }) => rest;

function cli(...args) {
  try {
    return { status: 0, stdout: execFileSync(BIN, ['--db', server.db, 'admin', 'tariff', ...args], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  server = await startServer({ config: '[ocpp]\nrequest_base_report = false\n' });
  token = await server.adminToken();
});
after(() => server.stop());

test('tariffs: PUT creates then replaces, GET serves the same OCPI JSON, DELETE removes', async () => {
  const before = Date.now();
  const created = await api('PUT', '/tariffs/TOD-1', timeOfDay);
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(withoutStamp(created.body), timeOfDay, 'stored in exactly the OCPI shape it was given');
  const stamped = Date.parse(created.body.last_updated);
  assert.ok(stamped >= before - 1000 && stamped <= Date.now() + 1000, `last_updated ${created.body.last_updated}`);

  const read = await api('GET', '/tariffs/TOD-1');
  assert.equal(read.status, 200);
  assert.deepEqual(read.body, created.body);

  const changed = { ...timeOfDay, elements: [timeOfDay.elements[1]], min_price: undefined };
  delete changed.min_price;
  const replaced = await api('PUT', '/tariffs/TOD-1', changed);
  assert.equal(replaced.status, 200, replaced.text);
  assert.deepEqual(withoutStamp(replaced.body), changed, 'a PUT replaces the whole tariff');
  assert.equal((await api('GET', '/tariffs/TOD-1')).body.elements.length, 1);

  // The id may be left out of the body (the path names it), never contradicted.
  const { id, ...noId } = timeOfDay;
  assert.equal((await api('PUT', '/tariffs/TOD-2', noId)).status, 201);
  assert.equal((await api('GET', '/tariffs/TOD-2')).body.id, 'TOD-2');
  const other = await api('PUT', '/tariffs/TOD-3', timeOfDay);
  assert.equal(other.status, 422);
  assert.equal(other.body.field, 'id');

  assert.equal((await api('DELETE', '/tariffs/TOD-2')).status, 204);
  assert.equal((await api('GET', '/tariffs/TOD-2')).status, 404);
  assert.equal((await api('DELETE', '/tariffs/TOD-2')).status, 404);
  assert.equal((await api('GET', '/tariffs/no%2Fsuch')).status, 404);
});

test('tariffs: every example tariff of OCPI 2.2.1 is stored and served back unchanged', async () => {
  const files = fs.readdirSync(EXAMPLES).filter((f) => /^tariff_.*\.json$/.test(f)).sort();
  assert.ok(files.length >= 19, `examples at ${EXAMPLES}`);
  for (const file of files) {
    const tariff = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8'));
    const id = exampleId(file);
    const res = await api('PUT', `/tariffs/${id}`, { ...tariff, id });
    assert.ok(res.status === 201, `${file}: ${res.text}`);
    const served = (await api('GET', `/tariffs/${id}`)).body;
    assert.deepEqual(withoutStamp(served), withoutStamp({ ...tariff, id }), file);
  }
  for (const file of files) assert.equal((await api('DELETE', `/tariffs/${exampleId(file)}`)).status, 204, file);
});

test('tariffs: an invalid tariff is a 422 problem naming the field, and nothing is stored', async () => {
  const element0 = (pc) => ({ ...timeOfDay, id: 'BAD', elements: [{ price_components: [pc] }] });
  for (const [body, field] of [
    [element0({ type: 'ENERGY', price: 0.3, step_size: 0 }), 'elements[0].price_components[0].step_size'],
    [{ ...timeOfDay, id: 'BAD', elements: [timeOfDay.elements[0], { price_components: [{ type: 'TIME', price: -2, step_size: 60 }] }] },
      'elements[1].price_components[0].price'],
    [element0({ type: 'ENERGY', price: 0.1234567, step_size: 1 }), 'elements[0].price_components[0].price'],
    [element0({ type: 'KWH', price: 0.3, step_size: 1 }), 'elements[0].price_components[0].type'],
    [{ ...timeOfDay, id: 'BAD', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }],
      restrictions: { start_time: '7:00' } }] }, 'elements[0].restrictions.start_time'],
    [{ ...timeOfDay, id: 'BAD', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }],
      restrictions: { min_kwh: 10, max_kwh: 5 } }] }, 'elements[0].restrictions.min_kwh'],
    [{ ...timeOfDay, id: 'BAD', elements: [] }, 'elements'],
    [{ ...timeOfDay, id: 'BAD', currency: 'euro' }, 'currency'],
    [{ ...timeOfDay, id: 'BAD', surprise: true }, 'surprise'],
    [{ ...timeOfDay, id: 'BAD', min_price: { excl_vat: 5 }, max_price: { excl_vat: 2 } }, 'min_price.excl_vat'],
    [{ ...timeOfDay, id: 'BAD', tariff_alt_text: [{ language: 'english', text: 'x' }] }, 'tariff_alt_text[0].language'],
  ]) {
    const res = await api('PUT', '/tariffs/BAD', body);
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.match(res.headers['content-type'], /application\/problem\+json/);
    assert.equal(res.body.field, field, res.text);
    assert.ok(res.body.detail.includes(`'${field}'`), res.body.detail);
  }
  assert.equal((await api('GET', '/tariffs/BAD')).status, 404, 'nothing stored');
  const notJson = await server.request('PUT', '/api/v1/tariffs/BAD', { token, raw: '{"id": ' , headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.status, 400, notJson.text);
});

test('tariffs: the list is paged and filtered by currency, type and last_updated', async () => {
  for (const [id, currency, type] of [['L-1', 'EUR', 'REGULAR'], ['L-2', 'CHF', 'REGULAR'], ['L-3', 'EUR', 'AD_HOC_PAYMENT']])
    assert.equal((await api('PUT', `/tariffs/${id}`, { ...timeOfDay, id, currency, type })).status, 201);
  const all = await api('GET', '/tariffs?limit=2');
  assert.equal(all.status, 200);
  assert.equal(all.body.items.length, 2);
  assert.ok(all.body.total >= 4, all.text);
  assert.equal(all.body.next_offset, 2);
  const ids = (res) => res.body.items.map((t) => t.id);
  assert.deepEqual(ids(await api('GET', '/tariffs?currency=CHF')), ['L-2']);
  assert.deepEqual(ids(await api('GET', '/tariffs?currency=EUR&type=AD_HOC_PAYMENT')), ['L-3']);
  const chf = await api('GET', '/tariffs?currency=CHF');
  assert.equal(chf.body.total, 1);
  assert.deepEqual(chf.body.items[0], (await api('GET', '/tariffs/L-2')).body, 'list items are full OCPI tariffs');
  assert.deepEqual(ids(await api('GET', '/tariffs?date_from=2100-01-01T00:00:00Z')), []);
  assert.ok(ids(await api('GET', '/tariffs?date_to=2100-01-01T00:00:00Z')).includes('L-1'));
  assert.equal((await api('GET', '/tariffs?type=CHEAP')).status, 400);
  assert.equal((await api('GET', '/tariffs?date_from=yesterday')).status, 400);
});

test('tariffs: a viewer reads, only an operator writes', async () => {
  server.admin('user', 'add', 'tariff-viewer', '--role', 'viewer', '--password', 'viewer-password-1');
  server.admin('user', 'add', 'tariff-operator', '--role', 'operator', '--password', 'operator-password-1');
  const login = async (username, password) => (await server.request('POST', '/api/v1/auth/login', { body: { username, password } })).body.token;
  const viewer = await login('tariff-viewer', 'viewer-password-1');
  const operator = await login('tariff-operator', 'operator-password-1');
  assert.equal((await api('PUT', '/tariffs/R-1', { ...timeOfDay, id: 'R-1' }, viewer)).status, 403);
  assert.equal((await api('PUT', '/tariffs/R-1', { ...timeOfDay, id: 'R-1' }, operator)).status, 201);
  assert.equal((await api('GET', '/tariffs/R-1', undefined, viewer)).status, 200);
  assert.equal((await api('GET', '/tariffs', undefined, viewer)).status, 200);
  assert.equal((await api('DELETE', '/tariffs/R-1', undefined, viewer)).status, 403);
  assert.equal((await api('DELETE', '/tariffs/R-1', undefined, operator)).status, 204);
  assert.equal((await server.request('GET', '/api/v1/tariffs')).status, 401);
});

test('tariffs: gridlane admin tariff put, get, list, delete apply the same codec and rules', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'cli.json');
  fs.writeFileSync(file, JSON.stringify({ ...timeOfDay, id: 'CLI-1' }));
  const put = cli('put', 'CLI-1', '--file', file);
  assert.equal(put.status, 0, put.stderr);
  assert.deepEqual(withoutStamp(JSON.parse(put.stdout)), { ...timeOfDay, id: 'CLI-1' });
  assert.deepEqual((await api('GET', '/tariffs/CLI-1')).body, JSON.parse(put.stdout), 'the API serves what the CLI stored');

  const got = cli('get', 'CLI-1');
  assert.equal(got.status, 0);
  assert.deepEqual(JSON.parse(got.stdout), JSON.parse(put.stdout));
  const listed = cli('list', '--currency', 'EUR', '--json');
  assert.equal(listed.status, 0);
  assert.ok(JSON.parse(listed.stdout).some((t) => t.id === 'CLI-1'));
  assert.match(cli('list').stdout, /^CLI-1 {2}EUR {2}REGULAR {2}4 elements {2}\d{4}-/m);

  fs.writeFileSync(file, JSON.stringify({ ...timeOfDay, id: 'CLI-2', elements: [{ price_components: [{ type: 'TIME', price: 2, step_size: 0 }] }] }));
  const bad = cli('put', 'CLI-2', '--file', file);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /elements\[0\]\.price_components\[0\]\.step_size/);
  assert.equal(cli('get', 'CLI-2').status, 1);
  assert.equal(cli('put', 'CLI-3', '--file', file).status, 1, 'the file names another id');

  assert.equal(cli('delete', 'CLI-1').status, 0);
  assert.equal((await api('GET', '/tariffs/CLI-1')).status, 404);
  const again = cli('delete', 'CLI-1');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /no such tariff/);
});
