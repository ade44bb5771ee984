// End-to-end harness: the real gridlane binary serving the built console (web/dist) on a free
// loopback port with its own database, and Debian's chromium (/usr/bin/chromium) driven by
// playwright-core. No browser is downloaded; nothing leaves loopback.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const integration = require('../integration/harness.js');

const ROOT = path.resolve(__dirname, '../..');
const WEB_ROOT = process.env.GRIDLANE_WEB_ROOT || path.join(ROOT, 'web/dist');
const CHROMIUM = process.env.GRIDLANE_CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'docs/img/console');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// One password for the harness's users; the user names are the roles.
const PASSWORD = 'e2e harness password';
const USERS = { admin: 'e2e-admin', operator: 'e2e-operator', viewer: 'e2e-viewer' };

/**
 * Starts gridlane with the console's files and an admin, an operator and a viewer.
 * `config` is appended to the generated TOML ([web] root is set here).
 */
async function startConsole({ config = '', ...options } = {}) {
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html')))
    throw new Error(`${WEB_ROOT}/index.html is missing: build the pages first (cd web && npm run build)`);
  const server = await integration.startServer({ ...options, config: `[web]\nroot = ${JSON.stringify(WEB_ROOT)}\n${config}` });
  for (const [role, name] of Object.entries(USERS)) server.admin('user', 'add', name, '--role', role, '--password', PASSWORD);
  server.base = `http://${server.address}`;
  return server;
}

/** Headless chromium with the flags this machine's closed network needs. Close it in `after`. */
function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A new page (own context: own storage) whose console errors, page errors and CSP violations
 * are collected; `page.problems()` lists them and `assertClean(page)` fails on any.
 * `viewport` defaults to a laptop; pass { width: 390, height: 844 } for a phone.
 */
async function newPage(browser, { viewport = { width: 1366, height: 900 }, locale = 'en-GB', ...rest } = {}) {
  const context = await browser.newContext({ viewport, locale, ...rest });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText || '';
    // A stream or poll cut off by navigation is not a fault of the page.
    if (!/ERR_ABORTED/.test(failure)) problems.push(`request failed: ${req.url()} ${failure}`);
  });
  page.problems = () => problems.slice();
  page.setDefaultTimeout(15000);
  return page;
}

/** No console error, uncaught exception, failed request or CSP violation so far. */
function assertClean(page) {
  assert.deepEqual(page.problems(), [], 'the page logged no errors and broke no Content-Security-Policy');
}

/** Signs in through the console's own form as `role` ('admin', 'operator' or 'viewer'). */
async function login(page, server, role = 'admin') {
  await page.goto(server.base + '/');
  await page.getByLabel('User name').fill(USERS[role]);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * axe-core over the page as it is now: fails on any serious or critical violation, naming
 * each rule and the elements it found. Evaluated through the DevTools protocol, so the page's
 * Content-Security-Policy stays in force for everything else.
 */
async function checkA11y(page, label) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${label}: no serious or critical accessibility violations`);
  return result;
}

/** A screenshot for docs/console.md (docs/img/console/<name>.png), made by the tests so it stays current. */
async function shot(page, name, options = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), ...options });
}

/** A bearer token for `role` through the API (for setting up what a test needs). */
async function token(server, role = 'admin') {
  const res = await server.request('POST', '/api/v1/auth/login', { body: { username: USERS[role], password: PASSWORD } });
  assert.equal(res.status, 200, `login ${role}: ${res.text}`);
  return res.body.token;
}

module.exports = {
  startConsole,
  launchBrowser,
  newPage,
  assertClean,
  login,
  checkA11y,
  shot,
  token,
  USERS,
  PASSWORD,
  integration,
};
