// The console's operations pages in a real browser against the real server and strict ocpp-rpc
// stations: alerts raised by a station's faults, acknowledged and resolved from the page (and so
// in the API), the alert rules enabled and disabled, and one created from its page with the
// values the server refuses said; maintenance tickets opened by hand, changed along their flow,
// noted, and an overdue one highlighted; a location's uptime for a period with a port under 97 %
// highlighted, an outage excluded with a reason and a justification, the CSV export; firmware
// campaigns with their progress, paused and resumed, and one created from the console with its
// file uploaded there. A viewer reads every page and is offered no action.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const h = require('./harness');
const { until } = require('../integration/harness.js');

let server;
let browser;
let admin;
const stations = [];
const api = (method, path, body) => server.request(method, `/api/v1${path}`, { token: admin, body });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => new Date().toISOString();
async function ok(res, what) {
  assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${res.text}`);
  return res.body;
}
// Buttons of the page's main part that change something: a viewer must be offered none.
const ACTIONS = /^(acknowledge|resolve|enable|disable|open a ticket|save|add|exclude|count again|start|pause|resume|cancel)/i;
async function actionButtons(page) {
  const names = await page.getByRole('main').getByRole('button').evaluateAll((bs) => bs.map((b) => (b.getAttribute('aria-label') || b.textContent || '').trim()));
  return names.filter((n) => ACTIONS.test(n));
}

/** A strict OCPP 1.6 station that boots and reports its two connectors Available. */
async function station16(id, location) {
  await ok(await api('POST', '/stations', { id }), `register ${id}`);
  if (location) await ok(await api('PUT', `/stations/${id}/location`, { location_id: location }), `locate ${id}`);
  const cs = server.client(id);
  await cs.connect();
  stations.push(cs);
  await cs.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22', firmwareVersion: '3.2.0' });
  for (const connectorId of [1, 2]) await cs.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Available', timestamp: now() });
  return cs;
}

before(async () => {
  server = await h.startConsole({
    config: '[ocpp]\ncall_timeout_s = 5\n' +
      '[maintenance]\nsla_urgent = "2s"\n' +
      '[availability]\ndisconnect_grace_s = 0\n' +
      '[firmware]\ncampaign_tick_s = 1\n',
  });
  browser = await h.launchBrowser();
  admin = await h.token(server, 'admin');
});
after(async () => {
  for (const cs of stations) await cs.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

test('alerts: raised by faults, acknowledged and resolved from the page, rules enabled and disabled; a viewer only reads', async () => {
  const faults = await ok(await api('POST', '/alert-rules', { name: 'Faulted connectors', condition: 'connector_faulted', severity: 'critical' }), 'rule');
  await ok(await api('POST', '/alert-rules', { name: 'Depot offline', condition: 'station_offline', minutes: 15, severity: 'warning' }), 'rule');
  const cs = await station16('E2E-AL-1');
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'GroundFailure', status: 'Faulted', timestamp: now() });
  await cs.call('StatusNotification', { connectorId: 2, errorCode: 'HighTemperature', status: 'Faulted', timestamp: now() });
  const raised = await until('two open alerts', async () => {
    const res = await api('GET', '/alerts?state=open');
    return res.body.total === 2 && res.body.items;
  });
  const first = raised.find((a) => a.subject === 'E2E-AL-1/1/1');
  const second = raised.find((a) => a.subject === 'E2E-AL-1/2/2');
  assert.ok(first && second, JSON.stringify(raised));

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  const row = page.locator(`tr[data-alert="${first.id}"]`);
  await row.getByText(first.summary).waitFor();
  await row.getByText('Critical').waitFor();
  await row.getByText('Faulted connectors').waitFor();
  await row.getByText('Open', { exact: true }).waitFor();
  await row.getByText('EVSE 1, connector 1').waitFor();
  assert.equal(await row.getByRole('link', { name: 'E2E-AL-1' }).getAttribute('href'), '/stations/E2E-AL-1');
  await h.checkA11y(page, 'alerts');

  // Acknowledged from the page: the API has it, by this operator.
  await row.getByRole('button', { name: `Acknowledge alert #${first.id}` }).click();
  await page.getByRole('status').getByText(`Alert #${first.id} is acknowledged.`).waitFor();
  await row.getByText('Acknowledged', { exact: true }).waitFor();
  await row.getByText(`by user:${h.USERS.operator}`, { exact: false }).waitFor();
  let stored = (await api('GET', `/alerts/${first.id}`)).body;
  assert.deepEqual([stored.state, stored.acknowledged_by], ['acknowledged', `user:${h.USERS.operator}`]);
  assert.equal(await row.getByRole('button', { name: `Acknowledge alert #${first.id}` }).count(), 0, 'acknowledged once');

  // "Open a ticket" hands the alert's station, port and summary to the new ticket form.
  await row.getByRole('link', { name: 'Open a ticket' }).click();
  const ticketForm = page.getByRole('form', { name: 'Open a ticket' });
  assert.deepEqual(
    [await ticketForm.getByLabel('Station').inputValue(), await ticketForm.getByLabel('EVSE (optional)').inputValue(),
      await ticketForm.getByLabel('Connector (optional)').inputValue(), await ticketForm.getByLabel('Title').inputValue()],
    ['E2E-AL-1', '1', '1', first.summary]);
  await page.goBack();
  await row.getByText('Acknowledged', { exact: true }).waitFor();

  // The other one clears by itself: the list follows the live stream without a reload.
  const secondRow = page.locator(`tr[data-alert="${second.id}"]`);
  await secondRow.getByText('Open', { exact: true }).waitFor();
  await cs.call('StatusNotification', { connectorId: 2, errorCode: 'NoError', status: 'Available', timestamp: now() });
  await secondRow.getByText('Resolved', { exact: true }).waitFor();
  await secondRow.getByText('cleared by itself', { exact: false }).waitFor();
  await h.shot(page, 'alerts');

  // Filtered to the open and acknowledged ones (kept in the URL), then resolved by hand.
  const filters = page.getByRole('form', { name: 'Filter the alerts' });
  await filters.getByLabel('State').selectOption('acknowledged');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/\/alerts\?state=acknowledged$/);
  await secondRow.waitFor({ state: 'detached' });
  await row.getByRole('button', { name: `Resolve alert #${first.id}` }).click();
  await page.getByRole('status').getByText(`Alert #${first.id} is resolved.`).waitFor();
  stored = (await api('GET', `/alerts/${first.id}`)).body;
  assert.deepEqual([stored.state, stored.resolved_by], ['resolved', `user:${h.USERS.operator}`]);
  await page.getByText('No alerts match these filters.').waitFor();

  // The rules: listed in words; disabled and enabled again from the page, as the API says.
  await page.getByRole('link', { name: 'Alert rules' }).click();
  await page.getByRole('heading', { name: 'Alert rules', level: 1 }).waitFor();
  const rules = page.getByRole('table', { name: 'Alert rules' });
  const ruleRow = rules.getByRole('row', { name: /^Faulted connectors\b/ });
  await ruleRow.getByText('Connector faulted').waitFor();
  await rules.getByRole('row', { name: /^Depot offline\b/ }).getByText('Station offline for 15 min').waitFor();
  await ruleRow.getByRole('button', { name: 'Disable rule Faulted connectors' }).click();
  await page.getByRole('status').getByText('The rule Faulted connectors is disabled', { exact: false }).waitFor();
  await ruleRow.getByText('Disabled', { exact: true }).waitFor();
  let rule = (await api('GET', `/alert-rules/${faults.id}`)).body;
  assert.deepEqual([rule.enabled, rule.name, rule.condition, rule.severity], [false, 'Faulted connectors', 'connector_faulted', 'critical']);
  await h.checkA11y(page, 'alert rules');
  await h.shot(page, 'alert-rules');
  await ruleRow.getByRole('button', { name: 'Enable rule Faulted connectors' }).click();
  await ruleRow.getByText('Enabled', { exact: true }).waitFor();
  rule = (await api('GET', `/alert-rules/${faults.id}`)).body;
  assert.equal(rule.enabled, true);
  h.assertClean(page);
  await page.context().close();

  // A viewer sees the same alerts and rules and is offered nothing to change.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(`${server.base}/alerts`);
  await viewer.locator(`tr[data-alert="${first.id}"]`).getByText('Resolved', { exact: true }).waitFor();
  assert.deepEqual(await actionButtons(viewer), []);
  assert.equal(await viewer.getByRole('link', { name: 'Open a ticket' }).count(), 0);
  assert.equal(await viewer.getByRole('columnheader', { name: 'Actions' }).count(), 0);
  await viewer.goto(`${server.base}/alerts/rules`);
  await viewer.getByRole('table', { name: 'Alert rules' }).getByText('Connector faulted').waitFor();
  assert.deepEqual(await actionButtons(viewer), []);
  h.assertClean(viewer);
  await viewer.context().close();
});

test('tickets: an overdue one is highlighted; one opened by hand, changed along its flow, noted and closed; a viewer only reads', async () => {
  await ok(await api('POST', '/stations', { id: 'E2E-TK-1' }), 'station');
  const urgent = await ok(await api('POST', '/tickets', { station_id: 'E2E-TK-1', evse_id: 2, title: 'Display dark', priority: 'urgent' }), 'ticket');
  const normal = await ok(await api('POST', '/tickets', { station_id: 'E2E-TK-1', title: 'Repaint the bollards', priority: 'low' }), 'ticket');
  // The urgent SLA of this server is 2 s: overdue once it has passed.
  await until('the urgent ticket to be overdue', async () => (await api('GET', `/tickets/${urgent.id}`)).body.overdue);

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
  await page.getByRole('heading', { name: 'Maintenance tickets', level: 1 }).waitFor();
  const urgentRow = page.locator(`tr[data-ticket="${urgent.id}"]`);
  const normalRow = page.locator(`tr[data-ticket="${normal.id}"]`);
  await urgentRow.getByText('Overdue', { exact: true }).waitFor();
  assert.match(await urgentRow.getAttribute('class'), /\boverdue\b/);
  await urgentRow.getByText('Urgent').waitFor();
  await urgentRow.getByText('EVSE 2').waitFor();
  await urgentRow.getByText('Unassigned').waitFor();
  await normalRow.getByText('Low').waitFor();
  assert.equal(await normalRow.getByText('Overdue').count(), 0, 'the low one is within its SLA');
  assert.equal(await normalRow.getAttribute('class'), null);
  const filters = page.getByRole('form', { name: 'Filter the tickets' });
  await filters.getByLabel('SLA due').selectOption('true');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/\/tickets\?overdue=true$/);
  await normalRow.waitFor({ state: 'detached' });
  await urgentRow.waitFor();
  await page.goto(`${server.base}/tickets`);
  await normalRow.waitFor();
  await h.checkA11y(page, 'tickets');
  await h.shot(page, 'tickets');

  // Opening one by hand: an unknown station is refused and said; then the real one.
  await page.getByRole('link', { name: 'Open a ticket' }).click();
  await page.waitForURL(`${server.base}/tickets/new`);
  const form = page.getByRole('form', { name: 'Open a ticket' });
  await form.getByLabel('Station').fill('E2E-NOPE');
  await form.getByLabel('Title').fill('Cable cut');
  await form.getByRole('button', { name: 'Open ticket' }).click();
  await form.getByText('no such station').waitFor();
  assert.equal(await form.getByLabel('Station').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByRole('heading', { name: /^Ticket #/ }).count(), 0);
  await form.getByLabel('Station').fill('E2E-TK-1');
  await form.getByLabel('EVSE (optional)').fill('1');
  await form.getByLabel('Priority').selectOption('high');
  await form.getByLabel('Assignee (optional)').fill('tech-7');
  await form.getByLabel('First note (optional)').fill('Seen by the night guard');
  await h.checkA11y(page, 'new ticket form');
  await form.getByRole('button', { name: 'Open ticket' }).click();
  const heading = page.getByRole('heading', { name: /^Ticket #\d+: Cable cut$/ });
  await heading.waitFor();
  const id = Number((await heading.textContent()).match(/#(\d+)/)[1]);
  await page.waitForURL(`${server.base}/tickets/${id}`);
  let stored = (await api('GET', `/tickets/${id}`)).body;
  assert.deepEqual([stored.station_id, stored.evse_id, stored.priority, stored.source, stored.assignee, stored.status, stored.created_by],
    ['E2E-TK-1', 1, 'high', 'manual', 'tech-7', 'open', `user:${h.USERS.operator}`]);
  const notes = page.getByRole('list', { name: 'Notes' });
  await notes.getByText('Seen by the night guard').waitFor();
  await page.getByText('By hand (user:e2e-operator)').waitFor();

  // Along the flow: in progress and reassigned; the API writes both into the notes.
  const change = page.getByRole('form', { name: 'Change the ticket' });
  await change.getByLabel('Status').selectOption('in_progress');
  await change.getByLabel('Assignee').fill('tech-9');
  await change.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').getByText('The ticket is changed.').waitFor();
  await notes.getByText('status: open -> in_progress').waitFor();
  await notes.getByText('assigned to tech-9').waitFor();
  stored = (await api('GET', `/tickets/${id}`)).body;
  assert.deepEqual([stored.status, stored.assignee], ['in_progress', 'tech-9']);
  assert.equal(await change.getByLabel('Status').inputValue(), 'in_progress');

  const note = page.getByRole('form', { name: 'Add a note' });
  await note.getByLabel('Note').fill('Parts ordered, arriving Thursday');
  await note.getByRole('button', { name: 'Add note' }).click();
  await notes.getByText('Parts ordered, arriving Thursday').waitFor();
  assert.equal(await note.getByLabel('Note').inputValue(), '');
  stored = (await api('GET', `/tickets/${id}`)).body;
  assert.deepEqual(stored.notes.map((n) => n.text), ['Seen by the night guard', 'assigned to tech-9', 'status: open -> in_progress', 'Parts ordered, arriving Thursday']);
  await h.checkA11y(page, 'ticket page');
  await h.shot(page, 'ticket', { fullPage: true });

  // Closed: final, the page offers no more change (a note still may be added, as the API allows).
  await change.getByLabel('Status').selectOption('closed');
  await change.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('This ticket is closed: it changes no more.').waitFor();
  assert.equal(await page.getByRole('form', { name: 'Change the ticket' }).count(), 0);
  stored = (await api('GET', `/tickets/${id}`)).body;
  assert.equal(stored.status, 'closed');
  assert.ok(stored.resolved_at);
  // The refused unknown station (422) is the one failure the page logged.
  assert.deepEqual(page.problems().filter((p) => !/422/.test(p)), []);
  await page.context().close();

  // A viewer: the same list and ticket, nothing offered to change.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(`${server.base}/tickets`);
  await viewer.locator(`tr[data-ticket="${id}"]`).getByText('Closed').waitFor();
  assert.equal(await viewer.getByRole('link', { name: 'Open a ticket' }).count(), 0);
  await viewer.goto(`${server.base}/tickets/${urgent.id}`);
  await viewer.getByRole('heading', { name: `Ticket #${urgent.id}: Display dark` }).waitFor();
  await viewer.getByText('Overdue', { exact: true }).waitFor();
  assert.equal(await viewer.getByRole('form').count(), 0, 'no change and no note form');
  assert.deepEqual(await actionButtons(viewer), []);
  h.assertClean(viewer);
  await viewer.context().close();
});

/** An instant as a datetime-local value to the second, in this machine's zone (the browser's too). */
function localValue(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
const percent = (s) => `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(s))}%`;

test('uptime: a location\'s month and a period, a port under 97 % highlighted, an outage excluded and counted again, the CSV', async () => {
  await ok(await api('POST', '/locations', { id: 'E2E-UP', name: 'Uptime depot', time_zone: 'Europe/Berlin' }), 'location');
  const cs = await station16('E2E-UP-1', 'E2E-UP');
  // Connector 1 faulted for 8 s: its port's only outage.
  const start = Date.now();
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'GroundFailure', status: 'Faulted', timestamp: now() });
  await sleep(8000);
  await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
  const end = Date.now();
  const outage = await until('the outage to end', async () => {
    const res = await api('GET', '/outages?station=E2E-UP-1&open=false');
    return res.body.total === 1 && res.body.items[0];
  });
  assert.deepEqual([outage.evse_id, outage.cause, outage.detail], [1, 'faulted', 'GroundFailure']);

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Uptime' }).click();
  await page.getByRole('heading', { name: 'Uptime', level: 1 }).waitFor();
  const form = page.getByRole('form', { name: 'Choose the location and period' });
  await form.getByLabel('Location').selectOption('E2E-UP');
  await form.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/\/uptime\?location=E2E-UP&month=\d{4}-\d{2}$/);
  const month = new URL(page.url()).searchParams.get('month');

  // The month in Berlin: eight seconds of a month is no 3 %, nothing is highlighted.
  const monthly = (await api('GET', `/locations/E2E-UP/uptime?month=${month}`)).body;
  assert.equal(monthly.total, 2);
  const ports = page.getByRole('table', { name: 'Ports' });
  const port1 = ports.locator('tr[data-port="E2E-UP-1/1"]');
  await port1.getByText(percent(monthly.items.find((p) => p.evse_id === 1).uptime_percent)).waitFor();
  await ports.locator('tr[data-port="E2E-UP-1/2"]').getByText('100.00%').waitFor();
  assert.equal(await ports.locator('tr.below').count(), 0);
  await page.getByText('Europe/Berlin', { exact: true }).waitFor();
  const log = page.getByRole('table', { name: 'Outages in this period' });
  const row = log.locator(`tr[data-outage="${outage.id}"]`);
  await row.getByText('Faulted (GroundFailure)').waitFor();
  await row.getByText('Counted', { exact: true }).waitFor();

  // A period of half a minute around the fault (over by now, so the figures stay put): port 1
  // is down a quarter of it, under 97 %, and said so.
  const from = Math.floor((start - 20000) / 1000) * 1000;
  const to = Math.ceil((end + 2000) / 1000) * 1000;
  while (Date.now() <= to + 200) await sleep(100);
  await form.getByLabel('From').fill(localValue(from));
  await form.getByLabel('Until').fill(localValue(to));
  await form.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/&from=.*&to=/);
  const query = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  let period = (await api('GET', `/locations/E2E-UP/uptime?${query}`)).body;
  let down = period.items.find((p) => p.evse_id === 1);
  assert.ok(Number(down.uptime_percent) < 97, JSON.stringify(down));
  await port1.getByText(percent(down.uptime_percent)).waitFor();
  await port1.getByText('below 97 %').waitFor();
  assert.match(await port1.getAttribute('class'), /\bbelow\b/);
  assert.equal(await ports.locator('tr.below').count(), 1, 'port 2 stayed up');
  await page.getByTestId('uptime-total').getByText(percent(period.summary.uptime_percent)).waitFor();
  await h.checkA11y(page, 'uptime');
  await h.shot(page, 'uptime', { fullPage: true });

  // The CSV of the same period and location, as the API writes it.
  const [file] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export uptime CSV' }).click()]);
  assert.equal(file.suggestedFilename(), 'uptime-period-E2E-UP.csv');
  const rows = fs.readFileSync(await file.path(), 'utf8').trim().split('\r\n').map((l) => l.split(','));
  assert.equal(rows[0][0], 'scope');
  assert.equal(rows.filter((r) => r[0] === 'port').length, 2);
  const total = rows.find((r) => r[0] === 'total');
  assert.equal(total[total.length - 1], period.summary.uptime_percent);

  // Excluded with a reason and a justification: the API keeps both, and the port is up again.
  await row.getByRole('button', { name: `Exclude outage #${outage.id}` }).click();
  const exclude = row.getByRole('form', { name: `Exclude outage #${outage.id}` });
  // The keyboard goes on in the form that replaced the button.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'reason');
  await exclude.getByLabel('Reason').selectOption('grid_outage');
  await exclude.getByLabel('Justification').fill('Utility feeder fault, ref. 4711');
  await h.checkA11y(page, 'uptime with the exclusion form');
  await exclude.getByRole('button', { name: 'Exclude outage' }).click();
  await page.getByRole('status').getByText(`Outage #${outage.id} is excluded from the uptime.`).waitFor();
  await row.getByText('Excluded: Grid outage (utility)').waitFor();
  await row.getByText('Utility feeder fault, ref. 4711').waitFor();
  let stored = (await api('GET', `/outages/${outage.id}`)).body;
  assert.equal(stored.excluded, true);
  assert.deepEqual([stored.exclusion.reason, stored.exclusion.justification, stored.exclusion.by],
    ['grid_outage', 'Utility feeder fault, ref. 4711', `user:${h.USERS.operator}`]);
  await port1.getByText('100.00%').waitFor();
  assert.equal(await ports.locator('tr.below').count(), 0);
  period = (await api('GET', `/locations/E2E-UP/uptime?${query}`)).body;
  down = period.items.find((p) => p.evse_id === 1);
  assert.deepEqual([down.counted_outage_minutes, down.uptime_percent], ['0', '100.00']);

  // Counted again: under 97 % once more.
  await row.getByRole('button', { name: `Count outage #${outage.id} again` }).click();
  await row.getByText('Counted', { exact: true }).waitFor();
  await port1.getByText('below 97 %').waitFor();
  stored = (await api('GET', `/outages/${outage.id}`)).body;
  assert.deepEqual([stored.excluded, stored.exclusion], [false, null]);
  h.assertClean(page);
  const address = page.url();
  await page.context().close();

  // A viewer sees the same figures and log, and may export, not classify.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(address);
  await viewer.locator('tr[data-port="E2E-UP-1/1"]').getByText('below 97 %').waitFor();
  await viewer.locator(`tr[data-outage="${outage.id}"]`).getByText('Counted', { exact: true }).waitFor();
  assert.deepEqual(await actionButtons(viewer), []);
  await viewer.getByRole('button', { name: 'Export uptime CSV' }).waitFor();
  h.assertClean(viewer);
  await viewer.context().close();
});

test('firmware: campaigns with their progress, paused and resumed from the page, a draft cancelled; a viewer only reads', async () => {
  const bytes = crypto.randomBytes(64 * 1024);
  const file = await ok(await server.request('POST', '/api/v1/firmware/files?file_name=acme-4.0.0.bin&vendor=Acme&version=4.0.0&models=AC-22',
    { token: admin, raw: bytes, headers: { 'content-type': 'application/octet-stream' } }), 'upload');
  // FW-1 downloads and then waits for the test to say it installed; FW-2 installs at once.
  const one = await station16('E2E-FW-1');
  const two = await station16('E2E-FW-2');
  const updates = { 'E2E-FW-1': 0, 'E2E-FW-2': 0 };
  one.handle('UpdateFirmware', () => {
    updates['E2E-FW-1']++;
    setTimeout(() => one.call('FirmwareStatusNotification', { status: 'Downloading' }).catch(() => {}), 50);
    return {};
  });
  two.handle('UpdateFirmware', () => {
    updates['E2E-FW-2']++;
    setTimeout(async () => {
      for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed']) await two.call('FirmwareStatusNotification', { status }).catch(() => {});
    }, 50);
    return {};
  });
  const campaign = await ok(await api('POST', '/firmware/campaigns', { name: 'Acme 4.0.0 depot', file_id: file.id,
    filter: { vendor: 'Acme', stations: ['E2E-FW-1', 'E2E-FW-2'] }, canary_percent: 0, max_concurrent: 1, failure_threshold_percent: 50 }), 'campaign');
  const draft = await ok(await api('POST', '/firmware/campaigns', { name: 'Acme 4.0.0 rest', file_id: file.id, filter: { vendor: 'Acme' } }), 'draft');
  await ok(await api('POST', `/firmware/campaigns/${campaign.id}/start`), 'start');
  const rows = async () => (await api('GET', `/firmware/campaigns/${campaign.id}/stations`)).body.items;
  await until('FW-1 to update', async () => (await rows())[0].state === 'updating');

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Firmware' }).click();
  await page.getByRole('heading', { name: 'Firmware campaigns', level: 1 }).waitFor();
  const row = page.locator(`tr[data-campaign="${campaign.id}"]`);
  const draftRow = page.locator(`tr[data-campaign="${draft.id}"]`);
  await row.getByText('Running', { exact: true }).waitFor();
  await row.getByText('acme-4.0.0.bin (Acme 4.0.0)').waitFor();
  await row.getByText('0 of 2 succeeded · 1 updating · 1 pending').waitFor();
  await draftRow.getByText('Draft', { exact: true }).waitFor();
  await draftRow.getByRole('button', { name: 'Start campaign Acme 4.0.0 rest' }).waitFor();
  await h.checkA11y(page, 'firmware campaigns');

  // Paused from the page: FW-1 is still followed to its end, FW-2 is not started.
  await row.getByRole('button', { name: 'Pause campaign Acme 4.0.0 depot' }).click();
  await page.getByRole('status').getByText('The campaign Acme 4.0.0 depot is paused', { exact: false }).waitFor();
  await row.getByText('Paused', { exact: true }).waitFor();
  assert.equal((await api('GET', `/firmware/campaigns/${campaign.id}`)).body.state, 'paused');
  await one.call('FirmwareStatusNotification', { status: 'Installed' });
  await row.getByText('1 of 2 succeeded · 1 pending').waitFor();
  await sleep(1500); // a campaign tick or more
  assert.equal(updates['E2E-FW-2'], 0, 'a paused campaign starts no station');
  await h.shot(page, 'firmware');

  // Resumed: FW-2 is updated and the campaign completes, shown without a reload.
  await row.getByRole('button', { name: 'Resume campaign Acme 4.0.0 depot' }).click();
  await page.getByRole('status').getByText('The campaign Acme 4.0.0 depot runs again.').waitFor();
  await row.getByText('Completed', { exact: true }).waitFor({ timeout: 20000 });
  await row.getByText('2 of 2 succeeded').waitFor();
  const done = (await api('GET', `/firmware/campaigns/${campaign.id}`)).body;
  assert.deepEqual([done.state, done.progress.succeeded, updates['E2E-FW-1'], updates['E2E-FW-2']], ['completed', 2, 1, 1]);
  assert.equal(await row.getByRole('button').count(), 0, 'a completed campaign offers nothing');

  // The draft is cancelled after a second click that says what it does.
  await draftRow.getByRole('button', { name: 'Cancel campaign Acme 4.0.0 rest' }).click();
  await draftRow.getByText('Stations not started yet will be skipped.').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Cancel campaign Acme 4.0.0 rest now');
  await draftRow.getByRole('button', { name: 'Cancel campaign Acme 4.0.0 rest now' }).click();
  await draftRow.getByText('Cancelled', { exact: true }).waitFor();
  assert.equal((await api('GET', `/firmware/campaigns/${draft.id}`)).body.state, 'cancelled');

  // The campaign's page: its stations in update order with what each reported.
  await row.getByRole('link', { name: 'Acme 4.0.0 depot' }).click();
  await page.getByRole('heading', { name: 'Campaign Acme 4.0.0 depot' }).waitFor();
  // Loaded afresh too (the server answers the console's page for this path, not a firmware file).
  await page.reload();
  await page.getByRole('heading', { name: 'Campaign Acme 4.0.0 depot' }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/firmware-campaigns/${campaign.id}`);
  const stationsTable = page.getByRole('table', { name: 'Stations in update order' });
  for (const id of ['E2E-FW-1', 'E2E-FW-2']) {
    const r = stationsTable.locator(`tr[data-station="${id}"]`);
    await r.getByText('Succeeded', { exact: true }).waitFor();
    // Cells: order, state, last report, detail, sent, last change.
    assert.equal(await r.getByRole('cell').nth(2).textContent(), 'Installed');
  }
  await page.getByText('only E2E-FW-1, E2E-FW-2').waitFor();
  await h.checkA11y(page, 'firmware campaign');
  await h.shot(page, 'firmware-campaign', { fullPage: true });
  h.assertClean(page);
  await page.context().close();

  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(`${server.base}/firmware-campaigns`);
  await viewer.locator(`tr[data-campaign="${campaign.id}"]`).getByText('Completed', { exact: true }).waitFor();
  assert.deepEqual(await actionButtons(viewer), []);
  await viewer.goto(`${server.base}/firmware-campaigns/${campaign.id}`);
  await viewer.getByRole('table', { name: 'Stations in update order' }).getByText('E2E-FW-2').waitFor();
  assert.deepEqual(await actionButtons(viewer), []);
  h.assertClean(viewer);
  await viewer.context().close();
});

test('firmware: a campaign created from the page with its file uploaded there, a refused file name said; a viewer is offered neither', async () => {
  await ok(await api('POST', '/locations', { id: 'E2E-FWN', name: 'Firmware depot', time_zone: 'Europe/Berlin' }), 'location');
  // The one Acme station at this location: the campaign's filter matches it alone.
  await station16('E2E-FWN-1', 'E2E-FWN');
  const bytes = crypto.randomBytes(32 * 1024);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Firmware' }).click();
  await page.getByRole('heading', { name: 'Firmware campaigns', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.waitForURL(`${server.base}/firmware-campaigns/new`);
  await page.getByRole('heading', { name: 'New campaign', level: 1 }).waitFor();

  // A name with a blank is not a name the server keeps a file under: refused, said under the file.
  const send = page.getByRole('form', { name: 'Upload a firmware file' });
  const chooser = send.getByLabel('Firmware file');
  await chooser.setInputFiles({ name: 'acme 4.1.0.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await send.getByLabel('Vendor').fill('Acme');
  await send.getByLabel('Version').fill('4.1.0');
  await send.getByLabel('Models (optional, comma separated)').fill('AC-22, AC-11');
  await send.getByRole('button', { name: 'Upload file' }).click();
  await send.getByText('\'file_name\' may hold letters, digits, \'.\', \'_\' and \'-\' only').waitFor();
  assert.equal(await chooser.getAttribute('aria-invalid'), 'true');
  assert.equal(await chooser.getAttribute('aria-describedby'), 'upload-file_name-error');
  const named = async (name) => (await api('GET', '/firmware/files?limit=1000')).body.items.filter((f) => f.file_name === name);
  assert.deepEqual(await named('acme 4.1.0.bin'), []);
  await h.checkA11y(page, 'new campaign with a refused file');

  // The same bytes under a plain name: uploaded, said with its SHA-256, chosen for the campaign.
  await chooser.setInputFiles({ name: 'acme-4.1.0.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await send.getByRole('button', { name: 'Upload file' }).click();
  await page.getByRole('status').getByText(`acme-4.1.0.bin is uploaded (SHA-256 ${sha256})`, { exact: false }).waitFor();
  assert.equal(await chooser.getAttribute('aria-invalid'), null);
  const [file] = await named('acme-4.1.0.bin');
  assert.deepEqual([file.sha256, file.size_bytes, file.vendor, file.version, file.models, file.signature, file.uploaded_by],
    [sha256, bytes.length, 'Acme', '4.1.0', ['AC-22', 'AC-11'], null, `user:${h.USERS.operator}`]);
  const form = page.getByRole('form', { name: 'The campaign' });
  // The label's text runs on into the select's options ("FileChoose a file…"): matched by its start.
  const fileSelect = form.getByLabel(/^File/);
  await fileSelect.locator(`option[value="${file.id}"]`).waitFor({ state: 'attached' });
  assert.deepEqual([await fileSelect.inputValue(), await fileSelect.locator('option:checked').textContent()], [String(file.id), 'acme-4.1.0.bin (Acme 4.1.0)']);
  // The server's defaults, shown as such.
  assert.deepEqual([await form.getByLabel('Canary %').inputValue(), await form.getByLabel('At most at once').inputValue(),
    await form.getByLabel('Pause above % failed').inputValue(), await form.getByLabel('Retries (optional)').inputValue()], ['10', '10', '20', '']);

  await form.getByLabel('Name').fill('Acme 4.1.0 firmware depot');
  await form.getByLabel('Vendor (optional)').fill('Acme');
  await form.getByLabel('Location').selectOption('E2E-FWN');
  await form.getByLabel('Canary %').fill('0');
  await form.getByLabel('At most at once').fill('5');
  await form.getByLabel('Pause above % failed').fill('25');
  await form.getByLabel('Retries (optional)').fill('2');
  await form.getByLabel('Retry interval, s (optional)').fill('60');
  await h.checkA11y(page, 'new campaign');
  await h.shot(page, 'firmware-campaign-new', { fullPage: true });
  await form.getByRole('button', { name: 'Create campaign' }).click();

  // A draft, on its page, where Start is offered; the API has exactly what was entered.
  await page.getByRole('heading', { name: 'Campaign Acme 4.1.0 firmware depot' }).waitFor();
  await page.waitForURL(/\/firmware-campaigns\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByText('Draft', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Start campaign Acme 4.1.0 firmware depot' }).waitFor();
  const stored = (await api('GET', `/firmware/campaigns/${id}`)).body;
  assert.deepEqual(
    [stored.name, stored.file_id, stored.filter, stored.canary_percent, stored.max_concurrent, stored.failure_threshold_percent,
      stored.retries, stored.retry_interval_s, stored.state, stored.created_by],
    ['Acme 4.1.0 firmware depot', file.id, { vendor: 'Acme', model: null, version: null, location_id: 'E2E-FWN', stations: [] }, 0, 5, 25,
      2, 60, 'draft', `user:${h.USERS.operator}`]);
  // The refused file name (422) is the one failure the page logged.
  assert.deepEqual(page.problems().filter((p) => !/422/.test(p)), []);
  await page.context().close();

  // A viewer: the list offers no new campaign, and typed in, the path is no form for a viewer.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(`${server.base}/firmware-campaigns`);
  await viewer.locator(`tr[data-campaign="${id}"]`).getByText('Draft', { exact: true }).waitFor();
  assert.equal(await viewer.getByRole('link', { name: 'New campaign' }).count(), 0);
  // Not a viewer's route: the path is read as a campaign's, and the API knows no campaign "new".
  await viewer.goto(`${server.base}/firmware-campaigns/new`);
  await viewer.getByRole('alert').getByText('no such campaign', { exact: false }).waitFor();
  assert.equal(await viewer.getByRole('heading', { name: 'New campaign' }).count(), 0);
  assert.equal(await viewer.getByRole('form').count(), 0);
  assert.equal(await viewer.locator('input[type="file"]').count(), 0);
  assert.deepEqual(await actionButtons(viewer), []);
  // The campaign and its stations (404) are the only failures the page logged.
  assert.deepEqual(viewer.problems().filter((p) => !/404/.test(p)), []);
  await viewer.context().close();
});

test('alert rules: one created from the page with its parameter, scope, quiet hours and channel, refused values said; a viewer is offered no new rule', async () => {
  await ok(await api('POST', '/stations', { id: 'E2E-AR-1' }), 'station');
  // A channel to choose. An https webhook is taken as it is: nothing is sent before an alert is raised.
  const channel = await ok(await api('POST', '/alert-channels', { name: 'NOC hook', kind: 'webhook', url: 'https://127.0.0.1:9/gridlane' }), 'channel');
  const named = async (name) => (await api('GET', '/alert-rules?limit=1000')).body.items.filter((r) => r.name === name);

  const page = await h.newPage(browser);
  await h.login(page, server, 'operator');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('link', { name: 'Alert rules' }).click();
  await page.getByRole('heading', { name: 'Alert rules', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'New rule' }).click();
  await page.waitForURL(`${server.base}/alerts/rules/new`);
  await page.getByRole('heading', { name: 'New alert rule', level: 1 }).waitFor();
  const form = page.getByRole('form', { name: 'New alert rule' });

  // Only the parameters of the chosen condition are shown, at the server's defaults, each with its meaning.
  const minutes = form.getByLabel('Minutes offline');
  assert.equal(await minutes.inputValue(), '0');
  assert.equal(await minutes.getAttribute('aria-describedby'), 'rule-minutes-hint');
  await form.getByText('minutes: how long the station must be offline', { exact: false }).waitFor();
  await form.getByLabel('Condition').selectOption('uptime_below');
  await minutes.waitFor({ state: 'detached' });
  assert.deepEqual([await form.getByLabel('Uptime below, %').inputValue(), await form.getByLabel('Window, days').inputValue()], ['', '30']);
  await form.getByLabel('Condition').selectOption('connector_faulted');
  assert.equal(await form.locator('input[type="number"]').count(), 0, 'connector_faulted has no parameters');
  await form.getByLabel('Condition').selectOption('station_offline');

  await form.getByLabel('Name').fill('Depot station offline');
  await form.getByLabel('Minutes offline').fill('30');
  await form.getByLabel('Severity').selectOption('critical');
  await form.getByLabel('Where').selectOption('station');
  const station = form.getByLabel('Station id');
  const from = form.getByLabel('From', { exact: true });
  const until = form.getByLabel('Until', { exact: true });
  await station.fill('E2E-AR-1');
  await from.fill('22:00');
  await until.fill('06:00');
  await form.getByLabel('NOC hook').check();
  await h.shot(page, 'alert-rule-new', { fullPage: true });

  // A station the server does not know: refused, said under the station's field.
  await station.fill('E2E-AR-NOPE');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await form.getByText('no such station: E2E-AR-NOPE').waitFor();
  assert.deepEqual([await station.getAttribute('aria-invalid'), await station.getAttribute('aria-describedby')], ['true', 'rule-scope_id-error']);
  // Quiet hours that end when they start: refused, said under them.
  await station.fill('E2E-AR-1');
  await until.fill('22:00');
  await form.getByRole('button', { name: 'Create rule' }).click();
  await form.getByText('\'quiet_hours\' are two different local times HH:MM').waitFor();
  assert.equal(await station.getAttribute('aria-invalid'), null);
  assert.deepEqual([await from.getAttribute('aria-invalid'), await until.getAttribute('aria-describedby')], ['true', 'rule-quiet-hint rule-quiet_hours-error']);
  assert.deepEqual(await named('Depot station offline'), []);
  await h.checkA11y(page, 'new alert rule with refused quiet hours');

  await until.fill('06:00');
  await form.getByRole('button', { name: 'Create rule' }).click();

  // Back on the rules, the new one listed; the API has exactly what was entered.
  await page.waitForURL(`${server.base}/alerts/rules`);
  const row = page.getByRole('table', { name: 'Alert rules' }).getByRole('row', { name: /^Depot station offline\b/ });
  await row.getByText('Station offline for 30 min').waitFor();
  await row.getByText('Station E2E-AR-1').waitFor();
  await row.getByText('22:00 to 06:00').waitFor();
  await row.getByText(`#${channel.id}`).waitFor();
  const [stored] = await named('Depot station offline');
  const { id, created_at: _c, updated_at: _u, ...rule } = stored;
  assert.ok(id > 0 && _c && _u);
  assert.deepEqual(rule, {
    name: 'Depot station offline', condition: 'station_offline', severity: 'critical', scope: 'station', scope_id: 'E2E-AR-1',
    minutes: 30, count: 1, error_code: null, measurand: null, min: null, max: null,
    quiet_hours: { start: '22:00', end: '06:00' }, enabled: true, channels: [channel.id],
  });
  await h.checkA11y(page, 'alert rules with the new one');
  // The two refusals (422) are the only failures the page logged.
  assert.deepEqual(page.problems().filter((p) => !/422/.test(p)), []);
  await page.context().close();

  // A viewer: no new rule offered, and the path is no page for a viewer.
  const viewer = await h.newPage(browser);
  await h.login(viewer, server, 'viewer');
  await viewer.goto(`${server.base}/alerts/rules`);
  await viewer.getByRole('table', { name: 'Alert rules' }).getByText('Station offline for 30 min').waitFor();
  assert.equal(await viewer.getByRole('link', { name: 'New rule' }).count(), 0);
  await viewer.goto(`${server.base}/alerts/rules/new`);
  await viewer.getByText('There is no such page.').waitFor();
  assert.equal(await viewer.getByRole('form').count(), 0);
  h.assertClean(viewer);
  await viewer.context().close();
});
