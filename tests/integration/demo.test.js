// `gridlane demo` as a newcomer meets it: it prints the console's and the driver portal's URLs
// and a login, the login works, the fleet is there on two published Berlin locations with a
// tariff and an energy-managed depot, the overview counts it, and / serves the console.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { tempDir, BIN } = require('./harness');

function request(address, method, urlPath, { token, body } = {}) {
  return fetch(`http://${address}${urlPath}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  }).then(async (res) => ({ status: res.status, headers: res.headers, text: await res.text() }));
}

test('the demo prints its URLs and logins; the login sees the fleet, its sites, tariff and energy', async (t) => {
  const dir = tempDir();
  const web = path.join(dir, 'dist');
  fs.mkdirSync(web);
  fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>demo console</title>\n');
  const demo = spawn(BIN, ['--db', path.join(dir, 'demo.db'), 'demo', '--listen', '127.0.0.1:0', '--stations', '6',
    '--web-root', web], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => demo.on('exit', (code) => resolve(code)));
  t.after(() => { if (demo.exitCode === null) demo.kill('SIGKILL'); });
  let out = '';
  demo.stdout.on('data', (d) => { out += d; });
  for (let i = 0; i < 150 && !/login viewer/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  const address = out.match(/listening on (\S+)/)?.[1];
  assert.ok(address, `the demo listens:\n${out}`);
  assert.match(out, new RegExp(`console +http://${address.replace(/[.]/g, '\\.')}/\\n`));
  assert.match(out, new RegExp(`driver portal +http://${address.replace(/[.]/g, '\\.')}/drive\\n`));
  const password = out.match(/login demo \(admin\) password (\S+)/)?.[1];
  assert.ok(password && password.length >= 12, `an admin login is printed:\n${out}`);
  assert.match(out, /login viewer \(viewer\) password \S{12,}/);
  const driverPassword = out.match(/login driver@demo\.test \(driver\) password (\S+)/)?.[1];
  assert.ok(driverPassword && driverPassword.length >= 12, `a driver login is printed:\n${out}`);
  assert.doesNotMatch(out, /not set up/, 'everything of the demo was set up');

  // The driver signs in to the portal's API; the account is the demo's, with its own card.
  const driver = await request(address, 'POST', '/api/v1/drive/auth/login',
    { body: { email: 'driver@demo.test', password: driverPassword } });
  assert.equal(driver.status, 200, driver.text);
  assert.equal(JSON.parse(driver.text).driver.account_id, 'DEMO-DRIVER');

  const login = await request(address, 'POST', '/api/v1/auth/login', { body: { username: 'demo', password } });
  assert.equal(login.status, 200, login.text);
  const token = JSON.parse(login.text).token;

  let stations = [];
  for (let i = 0; i < 100; i++) {
    stations = JSON.parse((await request(address, 'GET', '/api/v1/stations?connected=true', { token })).text).items;
    if (stations.length === 6) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(stations.length, 6, 'the six stations are connected');

  const locations = JSON.parse((await request(address, 'GET', '/api/v1/locations', { token })).text).items;
  assert.deepEqual(locations.map((l) => l.name).sort(), ['Depot North', 'Mall']);
  for (const l of locations) {
    assert.equal(l.publish, true);
    assert.equal(l.time_zone, 'Europe/Berlin');
    assert.equal(l.city, 'Berlin');
    const lat = Number(l.coordinates.latitude);
    assert.ok(lat > 52.3 && lat < 52.7, `${l.name} is in Berlin`);
  }
  const depot = locations.find((l) => l.name === 'Depot North');
  const energy = await request(address, 'GET', `/api/v1/locations/${depot.id}/energy`, { token });
  assert.equal(energy.status, 200, `the depot has an energy picture: ${energy.text}`);
  const assignments = JSON.parse((await request(address, 'GET', '/api/v1/tariff-assignments', { token })).text).items;
  assert.equal(assignments.filter((a) => a.tariff_id === 'DEMO-AC').length, 2, 'the tariff applies at both sites');
  const evses = JSON.parse((await request(address, 'GET', `/api/v1/stations/${stations[0].id}/evses`, { token })).text);
  const evse = (evses.items || evses)[0];
  assert.equal(evse.connectors[0].standard, 'IEC_62196_T2');

  const overview = JSON.parse((await request(address, 'GET', '/api/v1/overview?time_zone=Europe/Berlin', { token })).text);
  assert.equal(overview.stations.total, 6);
  assert.equal(overview.stations.online, 6);

  const page = await request(address, 'GET', '/');
  assert.equal(page.status, 200);
  assert.match(page.text, /demo console/, '--web-root is served at /');

  demo.kill('SIGTERM');
  assert.equal(await exited, 0);
});
