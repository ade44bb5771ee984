// The console's admin area in a real browser: an admin adds a viewer, who then sees no admin
// menu and no write button anywhere it can reach, and is signed out for good when disabled; an
// API key is shown once, works, and stops working when revoked; the audit log is filtered.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

let server;
let browser;
before(async () => {
  server = await h.startConsole();
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const NEW_VIEWER = 'e2e-new-viewer';
const NEW_PASSWORD = 'a viewer password';
// A button whose name starts with one of these changes something: a viewer must see none.
const WRITE = /^(add|create|save|delete|remove|revoke|disable|enable|block|unblock|import|start|stop|reset|send|unlock|change|accept|credit|run|upload|edit|set|clear cache|trigger|reboot)\b/i;

async function signIn(page, username, password) {
  await page.goto(server.base + '/');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an admin adds a viewer; the viewer sees no admin menu and no write buttons; disabled, it cannot sign in', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'admin');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of ['Users', 'API keys', 'Audit log']) await nav.getByRole('link', { name }).waitFor();
  await nav.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  // The signed-in admin's own row offers nothing to click.
  const own = page.getByRole('row', { name: new RegExp(`^${h.USERS.admin}\\b`) });
  assert.equal(await own.getByRole('button').count(), 0);
  await own.getByText('You').waitFor();

  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('User name').fill(NEW_VIEWER);
  await form.getByLabel('Initial password').fill('too short');
  await form.getByLabel('Role').selectOption('viewer');
  // The browser's own check first: 12 characters at least.
  assert.equal(await form.getByLabel('Initial password').evaluate((el) => el.validity.valid), false);
  await form.getByLabel('Initial password').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Add user' }).click();
  await page.getByRole('status').getByText(`User ${NEW_VIEWER} added.`).waitFor();
  const row = page.getByRole('row', { name: new RegExp(`^${NEW_VIEWER}\\b`) });
  await row.getByText('Enabled').waitFor();
  assert.equal(await row.getByLabel(`Role of ${NEW_VIEWER}`).inputValue(), 'viewer');
  await h.checkA11y(page, 'users page');
  await h.shot(page, 'admin-users');
  h.assertClean(page);

  // The same user name again: refused by the API, said on the form.
  await form.getByLabel('User name').fill(NEW_VIEWER);
  await form.getByLabel('Initial password').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Add user' }).click();
  await form.getByRole('alert').getByText(`user ${NEW_VIEWER} already exists`).waitFor();

  // The new viewer signs in (its own tab): no admin entries, and no write button on any page.
  const viewer = await h.newPage(browser);
  await signIn(viewer, NEW_VIEWER, NEW_PASSWORD);
  const vnav = viewer.getByRole('navigation', { name: 'Main' });
  await vnav.waitFor();
  await viewer.getByText(`Signed in as ${NEW_VIEWER} (viewer)`).waitFor();
  const links = await vnav.getByRole('link').evaluateAll((as) => as.map((a) => ({ name: a.textContent.trim(), href: a.getAttribute('href') })));
  const names = links.map((l) => l.name);
  for (const name of ['Users', 'API keys', 'Audit log']) assert.ok(!names.includes(name), `no "${name}" for a viewer`);
  assert.ok(names.includes('Energy'), 'the energy area is for viewers too');
  for (const { name, href } of links) {
    await vnav.getByRole('link', { name, exact: true }).click();
    await viewer.waitForURL(server.base + href);
    await viewer.getByRole('heading', { level: 1 }).first().waitFor();
    // Loaded (the event stream never lets the network idle): no "Loading…" left.
    await viewer.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…'));
    const buttons = await viewer.getByRole('main').getByRole('button').evaluateAll((bs) => bs.map((b) => (b.getAttribute('aria-label') || b.textContent || '').trim()));
    const writes = buttons.filter((b) => WRITE.test(b) && !/filter/i.test(b));
    assert.deepEqual(writes, [], `no write buttons for a viewer on ${href}`);
  }
  // Typed in: the admin pages are no pages for a viewer, and the API refuses them as well.
  for (const path of ['/admin/users', '/admin/api-keys', '/admin/audit']) {
    await viewer.goto(server.base + path);
    await viewer.getByText('There is no such page.').waitFor();
    assert.equal(await viewer.getByRole('button', { name: /add|create|revoke|disable/i }).count(), 0);
  }
  h.assertClean(viewer);

  // The admin disables the viewer: its open tab is signed out at its next call, and it cannot sign in.
  await row.getByRole('button', { name: `Disable ${NEW_VIEWER}` }).click();
  await page.getByRole('status').getByText(`${NEW_VIEWER} is disabled and signed out everywhere.`).waitFor();
  await row.getByText('Disabled').waitFor();
  await viewer.goto(server.base + '/');
  await viewer.getByRole('button', { name: 'Sign in' }).waitFor();
  await signIn(viewer, NEW_VIEWER, NEW_PASSWORD);
  await viewer.getByRole('alert').getByText('Wrong user name or password.').waitFor();
  await viewer.context().close();

  // Enabled again, with another role chosen in the list.
  await row.getByRole('button', { name: `Enable ${NEW_VIEWER}` }).click();
  await row.getByText('Enabled').waitFor();
  await row.getByLabel(`Role of ${NEW_VIEWER}`).selectOption('operator');
  await page.getByRole('status').getByText(`${NEW_VIEWER} is now operator.`).waitFor();
  const listed = await server.request('GET', '/api/v1/users', { token: await h.token(server, 'admin') });
  const stored = listed.body.items.find((u) => u.username === NEW_VIEWER);
  assert.deepEqual([stored.role, stored.disabled], ['operator', false]);
  // Only the refused duplicate (409) may have been logged by the browser.
  assert.deepEqual(page.problems().filter((p) => !/409/.test(p)), []);
  await page.context().close();
});

test('an API key is shown once, works, and is refused once revoked', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
  await page.getByText('No API keys yet.').waitFor();

  const form = page.getByRole('form', { name: 'Create an API key' });
  await form.getByLabel('Name').fill('e2e-billing-export');
  await form.getByLabel('Role').selectOption('operator');
  await form.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('region', { name: 'The key “e2e-billing-export”' });
  await shown.getByText('it is shown only this once').waitFor();
  const key = await shown.getByLabel('New API key').inputValue();
  assert.match(key, /^glk_/);
  const row = page.getByRole('row', { name: /^e2e-billing-export\b/ });
  await row.getByText('Active').waitFor();
  await row.getByText(`user:${h.USERS.admin}`).waitFor();
  await h.checkA11y(page, 'API keys page with a new key');
  await h.shot(page, 'admin-api-keys');

  // The key is a working credential with its role.
  let me = await server.request('GET', '/api/v1/me', { token: key });
  assert.equal(me.status, 200);
  assert.equal(me.body.role, 'operator');

  // Gone from the page once dismissed, and not shown again after a reload.
  await shown.getByRole('button', { name: 'I have copied it' }).click();
  assert.equal(await page.getByLabel('New API key').count(), 0);
  await page.reload();
  await row.getByText('Active').waitFor();
  assert.equal(await page.getByLabel('New API key').count(), 0);
  assert.equal(await page.getByText(key).count(), 0, 'the key text is nowhere on the page');

  // Revoke: a second click confirms.
  await row.getByRole('button', { name: 'Revoke e2e-billing-export' }).click();
  await row.getByText('Calls with this key will be refused.').waitFor();
  await row.getByRole('button', { name: 'Revoke e2e-billing-export now' }).click();
  await page.getByRole('status').getByText('The key e2e-billing-export is revoked.').waitFor();
  await row.getByText('Revoked').waitFor();
  assert.equal(await row.getByRole('button', { name: /Revoke/ }).count(), 0);
  me = await server.request('GET', '/api/v1/me', { token: key });
  assert.equal(me.status, 401, 'a revoked key is refused');
  h.assertClean(page);
  await page.context().close();
});

test('the audit log is paged and filtered by action and outcome', async () => {
  const admin = await h.token(server, 'admin');
  // Something refused to find: a station that exists already.
  for (const expected of [201, 409]) {
    const res = await server.request('POST', '/api/v1/stations', { token: admin, body: { id: 'AUDIT-CS' } });
    assert.equal(res.status, expected);
  }
  const page = await h.newPage(browser);
  await h.login(page, server, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  const table = page.getByRole('table', { name: 'Audit log' });
  await table.getByRole('row').nth(1).waitFor();
  const total = (await server.request('GET', '/api/v1/audit?limit=1', { token: admin })).body.total;
  await page.getByText(`1–${Math.min(total, 50)} of ${total}`).first().waitFor();

  const filters = page.getByRole('search', { name: 'Filter the audit log' });
  await filters.getByLabel('Action').fill('POST /api/v1/stations');
  await filters.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByText('1–2 of 2').first().waitFor();
  const statuses = await table.locator('tbody tr td:nth-child(5)').allTextContents();
  assert.deepEqual(statuses.map((s) => s.trim().slice(0, 3)), ['409', '201'], 'newest first');

  await filters.getByLabel('Outcome').selectOption('failed');
  await filters.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByText('1–1 of 1').first().waitFor();
  await table.getByRole('cell', { name: 'POST /api/v1/stations' }).waitFor();
  await h.checkA11y(page, 'audit log');
  await h.shot(page, 'admin-audit');

  await filters.getByLabel('Who').fill('user:nobody');
  await filters.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByText('No entries match.').waitFor();
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByText(`of ${total + 0}`, { exact: false }).first().waitFor();
  h.assertClean(page);
  await page.context().close();
});
