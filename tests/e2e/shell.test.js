// The console's shell in a real browser: signing in (and being refused), the menu, signing out.
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

test('the sign-in page refuses a wrong password, then signs in and out', async () => {
  const page = await h.newPage(browser);
  await page.goto(server.base + '/');
  await h.checkA11y(page, 'sign-in page');
  await h.shot(page, 'login');
  await page.getByLabel('User name').fill(h.USERS.operator);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('Wrong user name or password.').waitFor();

  await page.getByLabel('Password').fill(h.PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current'), 'page');
  await page.getByText(`Signed in as ${h.USERS.operator} (operator)`).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  // The tab keeps no token after signing out.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('gridlane.session')), null);
  // The failed login above logged the 401; everything else stayed clean.
  assert.deepEqual(page.problems().filter((p) => !/401/.test(p)), []);
  await page.context().close();
});

test('a path that is no page of the console says so inside the shell', async () => {
  const page = await h.newPage(browser);
  await h.login(page, server, 'viewer');
  await page.goto(server.base + '/no/such/page');
  await page.getByText('There is no such page.').waitFor();
  h.assertClean(page);
  await page.context().close();
});
