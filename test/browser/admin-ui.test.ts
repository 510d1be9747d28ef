// The built custom UI in Chromium, on the local runtime's host pages, against
// the real resolvers of two emulated sites: the reference flows from
// Initiate connection to the first synced issue, rules, triggers and the
// issue panel, each page's main action from the keyboard, and a look at every page.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, root } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';

const artifacts = join(root, 'test-artifacts');

let runtime: StartedRuntime;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error on ${path}: ${error.message}`);
  });
  await page.goto(`${runtime.url}${path}`);
  return page;
}

/** Picks an option of an Atlaskit select by its input id. */
async function choose(page: Page, inputId: string, option: string): Promise<void> {
  await page.locator(`#${inputId}`).click();
  await page.getByRole('option', { name: option }).click();
}

/** The Connections table row whose connection is named exactly `name`. */
function connectionRow(page: Page, name: string) {
  return page.getByTestId('connections-table-row').filter({ has: page.locator('.connection-name__title', { hasText: new RegExp(`^${name}$`) }) });
}

function dialog(page: Page) {
  return page.getByRole('dialog').last();
}

/** Presses Tab until the focused element matches, as a keyboard user would; fails after `limit` presses. */
async function tabTo(page: Page, matches: (element: Element) => boolean, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(${matches.toString()})(document.activeElement)`)) return;
  }
  throw new Error('The element was not reached with Tab');
}

const byText = (text: string) => new Function('element', `return !!element && element.textContent.trim() === ${JSON.stringify(text)};`) as (element: Element) => boolean;

beforeAll(async () => {
  buildUi();
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ui-browser-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  context.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('admin pages', () => {
  it('shows an empty Connections page and moves between subpages through the host history', async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('connections-empty').waitFor();
    await expect(page.getByRole('heading', { name: 'Connections', level: 1 }).isVisible()).resolves.toBe(true);
    await shot(page, 'connections-empty');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('exalate-url').waitFor();
    expect(new URL(page.url()).pathname).toBe('/blue/apps/exalate-admin/settings');
    const exalateUrl = await page.getByTestId('exalate-url').innerText();
    expect(exalateUrl).toMatch(/^http:\/\/localhost:\d+\/blue\/x\/partner-endpoint$/);
    await page.getByTestId('copy-exalate-url').click();
    await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(exalateUrl);
    await shot(page, 'settings');

    await page.goBack();
    await page.getByTestId('connections-empty').waitFor();
    expect(await page.locator('.host-nav__link[aria-current=page]').innerText()).toBe('Connections');
    await page.close();
  });

  it('renders Triggers, Errors and Sync queue with their empty states or a plain reason', async () => {
    for (const [route, name] of [
      ['triggers', 'Triggers'],
      ['errors', 'Errors'],
      ['sync-queue', 'Sync queue'],
    ] as const) {
      const page = await open(`/blue/apps/exalate-admin/${route}`);
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      // Either the page's empty state, or a readable explanation of why it has no data yet.
      await page.locator('[data-testid$="-empty"], [data-testid="api-error"]').first().waitFor();
      const text = await page.locator('.host-main').first().innerText();
      expect(text).not.toMatch(/undefined|\[object Object\]/);
      await shot(page, route);
      await page.close();
    }
  });
});

describe('Initiate connection → Accept invitation → first sync', () => {
  let issueKey = '';
  it('walks the Script-mode wizard on blue and accepts the code on green', async () => {
    const green = await open('/green/apps/exalate-admin/settings');
    const greenUrl = await green.getByTestId('exalate-url').innerText();
    await green.close();

    const blue = await context.newPage();
    // First render: from navigation start to the Connections table, timed inside the page.
    await blue.addInitScript(() => {
      const seen = () => {
        if (!document.querySelector('[data-testid="connections-empty"], [data-testid="connections-table"]')) return false;
        (window as unknown as { firstRenderMs: number }).firstRenderMs = performance.now();
        return true;
      };
      const observer = new MutationObserver(() => seen() && observer.disconnect());
      observer.observe(document, { childList: true, subtree: true });
    });
    await blue.goto(`${runtime.url}/blue/apps/exalate-admin/connections`);
    await blue.getByTestId('connections-empty').waitFor();
    const firstRender = await blue.evaluate(() => (window as unknown as { firstRenderMs: number }).firstRenderMs);
    const firstPaint = await blue.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    const scripts = await blue.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('.js'))
        .reduce((sum, entry) => ({ files: sum.files + 1, bytes: sum.bytes + (entry as PerformanceResourceTiming).decodedBodySize }), { files: 0, bytes: 0 }),
    );
    console.log(
      `Connections page: first contentful paint ${firstPaint.toFixed(0)} ms, first render of its content ${firstRender.toFixed(0)} ms after navigation start; ${scripts.files} scripts, ${(scripts.bytes / 1024).toFixed(0)} KiB`,
    );

    // The page's main action, from the keyboard alone.
    await tabTo(blue, byText('Initiate connection'));
    await blue.keyboard.press('Enter');
    await dialog(blue).getByText('Choose the configuration type').waitFor();
    await blue.keyboard.press('Enter');
    await dialog(blue).getByText(/^Paste your partner's Jira site address, such as https:\/\/acme\.atlassian\.net, or the Exalate URL/).waitFor();
    await blue.locator('#destination-url').fill(greenUrl);
    await blue.getByLabel('Script').check();
    await shot(blue, 'initiate-destination');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();

    await blue.getByLabel('Connection name').waitFor();
    expect(await blue.getByLabel('Local instance short name').inputValue()).toBe('blue');
    expect(await blue.getByLabel('Remote instance short name').inputValue()).toBe('green');
    expect(await blue.getByLabel('Connection name').inputValue()).toBe('blue_to_green');
    await blue.getByLabel('Description').fill('Design requests to development');
    await shot(blue, 'initiate-information');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();

    await dialog(blue).getByText('Select a project for the incoming sync').waitFor();
    await choose(blue, 'incoming-project', 'UI Design (UD)');
    await shot(blue, 'initiate-project');
    await dialog(blue).getByRole('button', { name: 'Initiate', exact: true }).click();

    await blue.getByTestId('invitation').waitFor();
    expect(await blue.getByTestId('invitation-binding').innerText()).toMatch(new RegExp(`^The code works once, only on ${runtime.url}/green, until .+\\. You can revoke it`));
    const code = await blue.locator('#invitation-code').inputValue();
    expect(code.length).toBeGreaterThan(40);
    await blue.getByTestId('copy-invitation-code').click();
    await expect(blue.evaluate(() => navigator.clipboard.readText())).resolves.toBe(code);
    await shot(blue, 'initiate-invitation');
    await dialog(blue).getByRole('button', { name: 'Done' }).click();
    await blue.getByTestId('status-pending').waitFor();

    const page = await open('/green/apps/exalate-admin/connections');
    await page.getByTestId('accept-invitation-button').click();
    await page.getByLabel('Please paste the invitation code, received from your partner').fill('not a code!');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await dialog(page).getByText(/characters a code never has/).waitFor();
    await page.getByLabel('Please paste the invitation code, received from your partner').fill(code);
    await shot(page, 'accept-code');
    await dialog(page).getByRole('button', { name: 'Next' }).click();

    await dialog(page).getByTestId('inviter').waitFor();
    // Who invites, by name and site, before the admin confirms; and the site the code was made for.
    expect(await dialog(page).getByTestId('inviter').innerText()).toBe(`Invitation from blue at ${runtime.url}/blue · Script mode`);
    expect(await dialog(page).getByTestId('invitation-made-for').innerText()).toContain(`Made for ${runtime.url}/green.`);
    await choose(page, 'accept-project', 'Software Chasers (SC)');
    await shot(page, 'accept-project');
    await dialog(page).getByRole('button', { name: 'Confirm' }).click();

    await page.getByTestId('first-sync').waitFor();
    await page.getByLabel(/Please enter an issue key from the project/).fill('UD-1');
    await dialog(page).getByRole('button', { name: 'Exalate', exact: true }).click();
    await dialog(page).getByText('Enter an issue key from the project SC, such as SC-1.').waitFor();
    await page.getByLabel(/Please enter an issue key from the project/).fill('SC-1');
    await dialog(page).getByRole('button', { name: 'Exalate', exact: true }).click();
    await page.getByTestId('first-sync-done').waitFor();
    // Once the partner has answered, the box says so and links both issues.
    await runtime.settle();
    await page.getByTestId('first-sync-twins').waitFor();
    expect(await page.getByTestId('first-sync-twins').innerText()).toMatch(/^SC-1 here and UD-\d+ on the other side are twins now/);
    expect(await page.getByTestId('first-sync-remote').getAttribute('href')).toMatch(/\/blue\/browse\/UD-\d+$/);
    await shot(page, 'accept-established');
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('status-active').waitFor();
    await page.close();

    await runtime.settle();
    await blue.reload();
    await blue.getByTestId('status-active').waitFor();
    const row = connectionRow(blue, 'blue_to_green');
    expect(await row.innerText()).toMatch(/Design requests to development/);
    expect(await row.innerText()).toMatch(/Issue (UD|SC)-\d+ · (just now|\d+ (second|minute)s? ago)/);
    await shot(blue, 'connections-active');
    await blue.close();

    const panel = await open('/green/apps/exalate-issue-panel?issueKey=SC-1');
    await panel.getByTestId('twin').waitFor();
    expect(await panel.getByTestId('twin').innerText()).toMatch(/UD-\d+[\s\S]*blue_to_green/);
    await shot(panel, 'issue-panel');
    await panel.close();
  });

  it('marks the failing line, then publishes a changed rule with Ctrl+S and tests it on an issue', async () => {
    await runtime.settle();
    const page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('status-active').waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByTestId('outgoing-editor').locator('.cm-content');
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nreplica.summary = ;');
    await page.getByTestId('unpublished').waitFor();
    await page.keyboard.press('Control+s');
    await page.getByTestId('publish-error').getByText(/outgoing script does not compile/).waitFor();
    const marked = page.getByTestId('outgoing-editor').getByTestId('error-line');
    await marked.waitFor();
    expect(await marked.innerText()).toBe('replica.summary = ;');
    await shot(page, 'rules-error');

    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('"[Design] " + issue.summary;');
    await page.keyboard.press('Control+s');
    await page.locator('.host-flag').filter({ hasText: 'Rules published' }).waitFor();
    await page.getByTestId('unpublished').waitFor({ state: 'detached' });
    expect(await page.getByTestId('outgoing-editor').getByTestId('error-line').count()).toBe(0);
    // Undo takes back an edit, redo brings it again.
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' // draft');
    await page.getByTestId('unpublished').waitFor();
    await page.keyboard.press('Control+z');
    await page.getByTestId('unpublished').waitFor({ state: 'detached' });
    expect(await editor.innerText()).not.toContain('// draft');
    await page.keyboard.press('Control+Shift+z');
    await page.getByTestId('unpublished').waitFor();
    await page.keyboard.press('Control+z');
    await page.getByTestId('unpublished').waitFor({ state: 'detached' });

    // Completion offers what the sandbox binds: a helper's members after its dot.
    const incoming = page.getByTestId('incoming-editor').locator('.cm-content');
    await incoming.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\ncommentHelper.');
    const completion = page.locator('.cm-tooltip-autocomplete');
    // Under load the list may first show what matched before the dot was typed: wait for the members.
    await completion.getByText('mergeComments').first().waitFor();
    const offered = await completion.innerText();
    expect(offered).toContain('mergeComments');
    expect(offered).toContain('addComment');
    await shot(page, 'rules-completion');
    await page.keyboard.press('Escape');
    await completion.waitFor({ state: 'detached' });
    expect(await page.getByTestId('confirm-discard').count()).toBe(0);
    // Unpublished edits are not lost on Close (or Escape, the dialog's own close) or another tab: the dialog asks first.
    await page.getByRole('button', { name: 'Close', exact: true }).last().click();
    await page.getByTestId('confirm-discard').waitFor();
    await page.getByTestId('confirm-discard').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('confirm-discard').waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Triggers' }).click();
    await page.getByTestId('confirm-discard').waitFor();
    await page.getByTestId('confirm-discard').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('incoming-editor').innerText()).toContain('commentHelper.');
    await page.keyboard.press('Control+z');
    await page.getByTestId('unpublished').waitFor({ state: 'detached' });

    await page.getByLabel('Issue key').fill('UD-1');
    await page.getByTestId('run-test').click();
    const replica = page.getByTestId('replica');
    await replica.waitFor();
    expect(await replica.innerText()).toMatch(/summary: "\[Design\] /);
    expect(await page.getByTestId('test-result').innerText()).toMatch(/Replica made in \d+\.\d ms/);
    await shot(page, 'rules');

    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page.getByTestId('chart-syncs').waitFor();
    await shot(page, 'connection-statistics');
    await page.close();
  });

  it('creates a trigger with the keyboard alone, showing Jira\'s word on a bad query first', async () => {
    const page = await open('/blue/apps/exalate-admin/triggers');
    await page.getByTestId('triggers-empty').waitFor();
    await tabTo(page, byText('Create trigger'));
    await page.keyboard.press('Enter');
    await dialog(page).getByText('Create trigger').first().waitFor();
    // Blue has one accepted connection, so the dialog names it and the query has the focus.
    expect(await dialog(page).locator('.facts').innerText()).toMatch(/Connection\s+blue_to_green/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('trigger-jql');
    await page.keyboard.type('labels = = sync');
    await tabTo(page, byText('Create'));
    await page.keyboard.press('Enter');
    const problem = dialog(page).locator('#trigger-jql-error');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/Jira does not accept this query/);
    await shot(page, 'trigger-bad-query');

    await page.locator('#trigger-jql').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('labels = sync');
    // A moment after typing stops, Jira's count of what the query matches now.
    await page.getByTestId('trigger-matches').waitFor();
    expect(await page.getByTestId('trigger-matches').innerText()).toMatch(/Matches \d+ issues? of UD now\./);
    await tabTo(page, (element) => element.id === 'trigger-notes');
    await page.keyboard.type('Design requests marked for development');
    await tabTo(page, byText('Create'));
    await page.keyboard.press('Enter');
    await page.getByTestId('triggers-table-row').filter({ hasText: 'labels = sync' }).waitFor();
    expect(await page.getByTestId('triggers-table-row').innerText()).toMatch(/blue_to_green[\s\S]*Issue[\s\S]*Design requests marked/);
    await shot(page, 'triggers-list');
    await page.close();
  });

  it('syncs an issue created in the Jira shell on blue to green, where the panel shows it Synchronized', async () => {
    const shell = await open('/blue/projects/UD');
    await shell.locator('#create-summary').fill('Login button is misaligned');
    await shell.locator('#create-labels').fill('sync');
    await shell.getByRole('button', { name: 'Create', exact: true }).click();
    await shell.waitForURL(/\/blue\/browse\/UD-\d+/);
    issueKey = /UD-\d+/.exec(shell.url())![0];
    await runtime.settle();
    await shell.close();

    const bluePanel = await open(`/blue/apps/exalate-issue-panel?issueKey=${issueKey}`);
    const link = bluePanel.getByTestId('remote-link');
    await link.waitFor();
    const remoteKey = await link.innerText();
    expect(remoteKey).toMatch(/^SC-\d+$/);
    expect(await bluePanel.getByTestId('twin-status').innerText()).toMatch(/^synchronized$/i);
    await bluePanel.close();

    const greenPanel = await open(`/green/apps/exalate-issue-panel?issueKey=${remoteKey}`);
    await greenPanel.getByTestId('twin').waitFor();
    expect(await greenPanel.getByTestId('twin-status').innerText()).toMatch(/^synchronized$/i);
    expect(await greenPanel.getByTestId('remote-link').innerText()).toBe(issueKey);
    expect(await greenPanel.getByTestId('remote-link').getAttribute('href')).toMatch(new RegExp(`/blue/browse/${issueKey}$`));
    const history = await greenPanel.getByTestId('twin-history').innerText();
    expect(history).toMatch(/Created from UD-\d+/);
    expect(history).toMatch(/summary empty → “\[Design\] Login button is misaligned”/);
    await shot(greenPanel, 'issue-panel-history');
    await greenPanel.close();
  });

  it('runs Bulk Exalate from the trigger\'s menu with live progress, then Unexalates the issue from its panel', async () => {
    const page = await open('/blue/apps/exalate-admin/triggers');
    const row = page.getByTestId('triggers-table-row').first();
    await row.getByRole('button', { name: /More actions/ }).click();
    await page.getByRole('menuitem', { name: /Bulk Exalate/ }).first().click();
    // Nothing starts before the admin confirms, having seen how many issues it will touch.
    await page.getByTestId('bulk-count').waitFor();
    expect(await page.getByTestId('bulk-count').innerText()).toMatch(/^1 issue of UD matches it now\./);
    await shot(page, 'bulk-confirm');
    await page.getByTestId('confirm-bulk-button').click();
    const job = page.getByTestId('job');
    await job.waitFor();
    await page.locator('[data-testid="job"][data-status="done"]').waitFor();
    expect(await page.getByTestId('job-status').innerText()).toMatch(/Bulk Exalate: 1 of 1 issue \(done\)/);
    await shot(page, 'bulk-exalate');
    await page.close();

    const panel = await open(`/blue/apps/exalate-issue-panel?issueKey=${issueKey}`);
    await panel.getByTestId('unexalate').click();
    await panel.locator('.host-flag').filter({ hasText: `Stopping the sync of ${issueKey}` }).waitFor();
    await runtime.settle();
    await panel.reload();
    await panel.getByTestId('not-synced').waitFor();
    await panel.getByTestId('exalate-button').waitFor();
    // Connect asks for the initial sync, this side first; the request shows the choice (here refused: no such issue).
    const choice = panel.getByTestId('initial-sync');
    expect(await choice.getByLabel('This side wins').isChecked()).toBe(true);
    await choice.getByLabel('The other side wins').check();
    await panel.getByTestId('remote-issue-key').fill('SC-9999');
    await panel.getByTestId('connect-button').click();
    await panel.locator('.host-flag').filter({ hasText: 'Initial sync: the other side wins' }).waitFor();
    await runtime.settle();
    await panel.reload();
    const request = panel.getByTestId('connect-request');
    await request.waitFor();
    expect(await request.innerText()).toMatch(/SC-9999[\s\S]*Refused[\s\S]*Initial sync: the other side wins[\s\S]*There is no issue SC-9999/);
    await panel.close();
  });

  it('lists a failing script on the Errors page with its line, resolves it, and charts the traffic', async () => {
    const rules = await open('/blue/apps/exalate-admin/connections');
    await rules.getByRole('button', { name: 'Edit' }).click();
    const editor = rules.getByTestId('outgoing-editor').locator('.cm-content');
    await editor.click();
    await rules.keyboard.press('Control+End');
    await rules.keyboard.type('\nif (issue.labels.includes("boom")) throw new Error("Boom issues stay here");');
    await rules.getByTestId('publish-rules').click();
    await rules.locator('.host-flag').filter({ hasText: 'Rules published' }).first().waitFor();
    await rules.close();

    const shell = await open('/blue/projects/UD');
    await shell.locator('#create-summary').fill('Explodes on sync');
    await shell.locator('#create-labels').fill('sync boom');
    await shell.getByRole('button', { name: 'Create', exact: true }).click();
    await shell.waitForURL(/\/blue\/browse\/UD-\d+/);
    const failingKey = /UD-\d+/.exec(shell.url())![0];
    await shell.close();
    await runtime.settle();

    const errors = await open('/blue/apps/exalate-admin/errors');
    const row = errors.getByTestId('errors-table-row').filter({ hasText: failingKey });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/blue_to_green[\s\S]*Outgoing[\s\S]*Boom issues stay here[\s\S]*\b33\b/);
    await shot(errors, 'errors-after-sync');
    await row.getByRole('button', { name: 'Resolve' }).click();
    await errors.locator('.host-flag').filter({ hasText: 'Error resolved' }).waitFor();
    await row.waitFor({ state: 'detached' });
    await errors.close();

    const queue = await open('/blue/apps/exalate-admin/sync-queue');
    await queue.locator('[data-testid="queue-empty"], [data-testid="queue-table"]').first().waitFor();
    expect(await queue.locator('.host-main').first().innerText()).not.toMatch(/undefined|NaN|\[object Object\]/);
    await shot(queue, 'sync-queue-after-sync');
    // The queue points to Statistics rather than showing it a second time.
    expect(await queue.getByTestId('chart-syncs').count()).toBe(0);
    await queue.getByRole('button', { name: 'Statistics' }).click();
    await queue.getByRole('heading', { name: 'Statistics', level: 1 }).waitFor();
    await queue.close();

    // Statistics has its own entry in the sidebar.
    const stats = await open('/blue/apps/exalate-admin/statistics');
    await stats.getByRole('heading', { name: 'Statistics', level: 1 }).waitFor();
    expect(await stats.locator('.host-nav__link[aria-current=page]').innerText()).toBe('Statistics');
    await stats.getByTestId('chart-syncs').waitFor();
    await stats.getByRole('button', { name: 'Day' }).click();
    await stats.getByTestId('statistics-totals').getByText(/^[1-9]\d*$/).first().waitFor();
    expect(await stats.locator('.host-main').first().innerText()).not.toMatch(/undefined|NaN|\[object Object\]/);
    await shot(stats, 'statistics');
    await stats.close();
  });

  it('offers "Yes, I have admin access" for Basic mode and opens the partner\'s accept page with the code', async () => {
    const green = await open('/green/apps/exalate-admin/settings');
    const greenUrl = await green.getByTestId('exalate-url').innerText();
    await green.close();

    const blue = await open('/blue/apps/exalate-admin/connections');
    await blue.getByTestId('initiate-connection-button').click();
    await blue.locator('#destination-url').fill(greenUrl);
    await blue.getByLabel('Basic').check();
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await choose(blue, 'incoming-project', 'Test (TEST)');
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await dialog(blue).getByText('Do you have admin access to the destination instance?').waitFor();
    await blue.getByLabel('Yes, I have admin access').check();
    await shot(blue, 'initiate-admin-access');
    await dialog(blue).getByRole('button', { name: 'Initiate', exact: true }).click();
    await blue.getByTestId('redirect').waitFor();
    await shot(blue, 'initiate-redirect');

    const opened = context.waitForEvent('page');
    await dialog(blue).getByRole('button', { name: /Continue on green/ }).click();
    const accept = await opened;
    await accept.waitForLoadState();
    expect(new URL(accept.url()).pathname).toBe('/green/apps/exalate-admin/connections');
    await dialog(accept).getByText('Select a project for the incoming sync').waitFor();
    expect(await dialog(accept).innerText()).toContain('Issue types are mirrored');
    await choose(accept, 'accept-project', 'Content Management (CM)');
    await dialog(accept).getByRole('button', { name: 'Confirm' }).click();
    await accept.getByTestId('first-sync').waitFor();
    await dialog(accept).getByRole('button', { name: 'Done' }).click();
    // The code leaves the address once used.
    expect(new URL(accept.url()).search).toBe('');
    await accept.close();
    await blue.close();
  });

  it('makes a local connection between two projects from this site\'s own URL', async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('initiate-connection-button').click();
    await page.locator('#destination-url').fill(`${runtime.url}/blue`);
    await page.getByTestId('local-connection-note').waitFor();
    await page.getByLabel('Basic').check();
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await choose(page, 'incoming-project', 'UI Design (UD)');
    await choose(page, 'remote-project', 'Test (TEST)');
    await shot(page, 'initiate-local-projects');
    await dialog(page).getByRole('button', { name: 'Initiate', exact: true }).click();
    await page.getByTestId('first-sync').waitFor();
    await shot(page, 'initiate-local-established');
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await connectionRow(page, 'UD_to_TEST').getByTestId('status-active').waitFor();
    await connectionRow(page, 'UD_to_TEST \\(reverse\\)').getByTestId('status-active').waitFor();
    await page.close();
  });

  it('initiates a private connection from "I don\'t have a URL"', async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('initiate-connection-button').click();
    await page.getByText("I don't have a URL").click();
    await page.getByLabel('Visual').check();
    // The partner's site is asked for on this step: the code will work there only.
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await dialog(page).getByText(/^Paste your partner's Jira site address, such as https:\/\/acme\.atlassian\.net/).waitFor();
    await page.getByLabel("Partner's Jira site").fill('green');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await dialog(page).getByText(/^Paste a full address starting with https:\/\//).waitFor();
    await page.getByLabel("Partner's Jira site").fill(`${runtime.url}/green`);
    await shot(page, 'initiate-private-site');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Remote instance short name').fill('partner');
    expect(await page.getByLabel('Connection name').inputValue()).toBe('blue_to_partner');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await choose(page, 'incoming-project', 'UI Design (UD)');
    await dialog(page).getByRole('button', { name: 'Initiate', exact: true }).click();
    await page.getByTestId('invitation').waitFor();
    // Named from the start, as the admin named it: never "unknown".
    expect(await dialog(page).innerText()).toContain('Ensure that Exalate is installed on the destination side "partner"');
    await shot(page, 'initiate-private-invitation');
    const privateCode = await page.locator('#invitation-code').inputValue();
    await dialog(page).getByRole('button', { name: 'Done' }).click();

    // Green accepts; blue, never called, learns it on its next poll.
    const green = await open(`/green/apps/exalate-admin/connections?invitation=${encodeURIComponent(privateCode)}`);
    await choose(green, 'accept-project', 'Content Management (CM)');
    await dialog(green).getByRole('button', { name: 'Confirm' }).click();
    await green.getByTestId('first-sync').waitFor();
    await dialog(green).getByRole('button', { name: 'Done' }).click();
    await green.close();
    await runtime.settle();
    await page.reload();
    const row = connectionRow(page, 'blue_to_partner');
    await row.getByTestId('status-active').waitFor();
    expect(await row.innerText()).toMatch(/Private/);
    await page.close();
  });
});

describe('connection actions and the other modules', () => {
  it('deactivates, edits and deletes a connection, confirming the delete', async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    // The Script connection of the first flow (the Basic one shares its default name), held by id as its text changes.
    const editId = await page
      .getByTestId('connections-table-row')
      .filter({ hasText: 'Design requests to development' })
      .getByRole('button', { name: 'Edit' })
      .getAttribute('data-testid');
    const row = page.getByTestId('connections-table-row').filter({ has: page.getByTestId(editId ?? 'missing') });
    await row.getByRole('button', { name: 'Deactivate' }).click();
    // Deactivating asks first, saying what happens to the issues under sync.
    const confirm = page.getByTestId('confirm-deactivate');
    await confirm.waitFor();
    expect(await confirm.innerText()).toMatch(/nothing is lost/);
    await page.getByTestId('confirm-deactivate-button').click();
    await row.getByTestId('status-deactivated').waitFor();
    await page.locator('.host-flag').filter({ hasText: 'blue_to_green deactivated' }).waitFor();
    await row.getByRole('button', { name: 'Activate' }).click();
    await row.getByTestId('status-active').waitFor();

    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog(page).getByRole('tab', { name: 'Info' }).click();
    await dialog(page).getByLabel('Description').fill('Design requests, both ways');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await row.getByText('Design requests, both ways').waitFor();

    const privateRow = connectionRow(page, 'blue_to_partner');
    await privateRow.getByRole('button', { name: 'Delete' }).click();
    await dialog(page).getByText('Delete connection?').waitFor();
    await shot(page, 'delete-confirmation');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await privateRow.waitFor();
    await privateRow.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm-delete').click();
    await privateRow.waitFor({ state: 'detached' });
    await shot(page, 'connections');
    await page.close();
  });

  it("names the other side's people on the People tab: a fallback person, kept when the tab opens again", async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    const row = page.getByTestId('connections-table-row').filter({ hasText: 'Design requests, both ways' });
    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog(page).getByRole('tab', { name: 'People' }).click();
    await page.getByTestId('people-tab').waitFor();
    await page.locator('#people-fallback').fill('ben');
    // The select's own option (the host's "Act as" list names Ben Carter too, without his email).
    await page.getByRole('option', { name: /^Ben Carter \(ben/ }).waitFor({ state: 'attached' });
    await page.keyboard.press('Enter');
    await dialog(page).getByRole('button', { name: 'Save people' }).click();
    await dialog(page).getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await shot(page, 'connection-people');
    await dialog(page).getByRole('button', { name: 'Close', exact: true }).click();

    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog(page).getByRole('tab', { name: 'People' }).click();
    await page.getByTestId('people-tab').getByText('Ben Carter').waitFor();
    await page.close();
  });

  it('revokes a pending invitation code; the partner hears who revoked it, and a code made for another site is refused at once', async () => {
    async function privateCode(page: Page, partnerSite: string): Promise<{ code: string; name: string }> {
      await page.getByTestId('initiate-connection-button').click();
      await page.getByText("I don't have a URL").click();
      await page.getByLabel('Basic').check();
      await page.getByLabel("Partner's Jira site").fill(partnerSite);
      await dialog(page).getByRole('button', { name: 'Next' }).click();
      await choose(page, 'incoming-project', 'UI Design (UD)');
      // Basic mode asks for the name here, proposing one this site does not have yet.
      const name = await page.getByLabel('Connection name').inputValue();
      await dialog(page).getByRole('button', { name: 'Initiate', exact: true }).click();
      await page.getByTestId('invitation').waitFor();
      const code = await page.locator('#invitation-code').inputValue();
      await dialog(page).getByRole('button', { name: 'Done' }).click();
      return { code, name };
    }
    async function pasteOnGreen(green: Page, code: string) {
      await green.getByTestId('accept-invitation-button').click();
      await green.getByLabel('Please paste the invitation code, received from your partner').fill(code);
      await dialog(green).getByRole('button', { name: 'Next' }).click();
    }

    const page = await open('/blue/apps/exalate-admin/connections');
    const { code, name } = await privateCode(page, `${runtime.url}/green`);
    expect(name).toMatch(/^blue_to_green(_\d+)?$/);
    const row = connectionRow(page, name);
    await row.getByRole('button', { name: 'Revoke code' }).click();
    await dialog(page).getByText('Revoke invitation code?').waitFor();
    await shot(page, 'revoke-confirmation');
    await page.getByTestId('confirm-revoke').click();
    const flag = page.locator('.host-flag').filter({ hasText: `Invitation code of ${name} revoked` });
    await flag.waitFor();
    // Out of the way of the next dialog's project list, which opens over the corner it sits in.
    await flag.getByRole('button', { name: 'Dismiss' }).click();
    await row.getByText(/^The invitation code was revoked by Ava Blue on .+\. Delete this connection; to invite the partner again, initiate a new one\.$/).waitFor();
    expect(await row.getByRole('button', { name: 'Revoke code' }).count()).toBe(0);
    await shot(page, 'connections-revoked');
    // And one made for a site that is not green (made now, while blue's tab is in front).
    const elsewhere = (await privateCode(page, 'https://acme.atlassian.net')).code;

    const green = await open('/green/apps/exalate-admin/connections');
    await pasteOnGreen(green, code);
    await choose(green, 'accept-project', 'Content Management (CM)');
    await dialog(green).getByRole('button', { name: 'Confirm' }).click();
    await dialog(green).getByTestId('accept-error').getByText(/This invitation code was revoked by blue on .+\. Ask your partner for a new one\./).waitFor();
    await shot(green, 'accept-revoked');

    // A code made for another site: refused on the first step, before the admin picks a project.
    await green.reload();
    await pasteOnGreen(green, elsewhere);
    await dialog(green)
      .getByText(`This invitation was made for https://acme.atlassian.net; this site is ${runtime.url}/green. Ask your partner for a code made for this site.`)
      .waitFor();
    expect(await dialog(green).locator('#accept-project').count()).toBe(0);
    await green.close();
    await page.close();
  });

  it('shows the project settings page and an unsynced issue panel', async () => {
    const project = await open('/blue/apps/exalate-project-settings?projectKey=UD');
    await project.getByRole('heading', { name: 'Exalate', level: 1 }).waitFor();
    await project.locator('[data-testid="connections-table"], [data-testid="project-connections-empty"]').first().waitFor();
    await shot(project, 'project-settings');
    await project.close();

    const panel = await open('/blue/apps/exalate-issue-panel?issueKey=UD-3');
    await panel.getByTestId('issue-panel').waitFor();
    await panel.locator('[data-testid="not-synced"], [data-testid="twin"]').first().waitFor();
    await shot(panel, 'issue-panel-unsynced');
    await panel.close();
  });
});
