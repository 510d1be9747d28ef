// The admin's journey from an empty sandbox, in Chromium against two emulated
// sites: connect blue and green, change a rule, add a trigger, create an issue
// on blue and find its twin on green; a private connection; and each page's
// main action done with the keyboard alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetUiIndexHtml } from '../../src/local/forge/host-page';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';

const root = resolve(import.meta.dirname, '../..');
const artifacts = join(root, 'test-artifacts');

let runtime: StartedRuntime;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;
const timings: Record<string, number> = {};

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

async function choose(page: Page, inputId: string, option: string): Promise<void> {
  await page.locator(`#${inputId}`).click();
  await page.getByRole('option', { name: option }).click();
}

function dialog(page: Page): Locator {
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

async function exalateUrl(site: string): Promise<string> {
  const page = await open(`/${site}/apps/exalate-admin/settings`);
  const url = await page.getByTestId('exalate-url').innerText();
  await page.close();
  return url;
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'static/vite.config.ts', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  forgetUiIndexHtml();
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ui-journey-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  context.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('from an empty sandbox to an issue synced through a trigger', () => {
  let code = '';
  let issueKey = '';

  it('initiates on blue from the keyboard and copies the invitation code', async () => {
    const greenUrl = await exalateUrl('green');
    const page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('connections-empty').waitFor();
    // First render: navigation start to the page's first content, as the browser measured it.
    timings.connectionsFirstRenderMs = await page.evaluate(() => performance.now());

    await tabTo(page, byText('Initiate connection'));
    await page.keyboard.press('Enter');
    await dialog(page).getByText('Choose the configuration type').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#destination-url').fill(greenUrl);
    await page.getByLabel('Script').check();
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Description').fill('Design requests to development');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await choose(page, 'incoming-project', 'UI Design (UD)');
    await dialog(page).getByRole('button', { name: 'Initiate', exact: true }).click();
    await page.getByTestId('invitation').waitFor();
    await page.getByTestId('copy-invitation-code').click();
    code = await page.evaluate(() => navigator.clipboard.readText());
    expect(code.length).toBeGreaterThan(40);
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('status-pending').waitFor();
    await page.close();
  });

  it('refuses a damaged invitation code with its reason, then accepts the copied one on green', async () => {
    const page = await open('/green/apps/exalate-admin/connections');
    await page.getByTestId('accept-invitation-button').click();
    const field = page.getByLabel('Please paste the invitation code, received from your partner');
    await field.fill(code.slice(0, -12));
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await dialog(page).getByText(/incomplete or damaged/).waitFor();
    await shot(page, 'journey-bad-code');
    await field.fill(code);
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await choose(page, 'accept-project', 'Software Chasers (SC)');
    await dialog(page).getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('first-sync').waitFor();
    await dialog(page).getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('status-active').waitFor();
    await page.close();
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
    await shot(page, 'journey-rules-error');

    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('"[Design] " + issue.summary;');
    await page.keyboard.press('Control+s');
    await page.locator('.host-flag').filter({ hasText: 'Rules published' }).waitFor();
    await page.getByTestId('unpublished').waitFor({ state: 'detached' });
    expect(await page.getByTestId('outgoing-editor').getByTestId('error-line').count()).toBe(0);

    await page.getByLabel('Issue key').fill('UD-1');
    await page.getByTestId('run-test').click();
    const replica = page.getByTestId('replica');
    await replica.waitFor();
    expect(await replica.innerText()).toMatch(/summary: "\[Design\] /);
    expect(await page.getByTestId('test-result').innerText()).toMatch(/Replica made in \d+\.\d ms/);
    await shot(page, 'journey-rules');

    await page.getByRole('tab', { name: 'Statistics' }).click();
    await page.getByTestId('chart-syncs').waitFor();
    await shot(page, 'journey-connection-statistics');
    await page.close();
  });

  it('creates a trigger with the keyboard alone, showing Jira\'s word on a bad query first', async () => {
    const page = await open('/blue/apps/exalate-admin/triggers');
    await page.getByTestId('triggers-empty').waitFor();
    await tabTo(page, byText('Create trigger'));
    await page.keyboard.press('Enter');
    await dialog(page).getByText('Create trigger').first().waitFor();
    // The connection select has the focus: type to filter, Enter to pick.
    await page.keyboard.type('blue_to');
    await page.keyboard.press('Enter');
    await tabTo(page, (element) => element.id === 'trigger-jql');
    await page.keyboard.type('labels = = sync');
    await tabTo(page, byText('Create'));
    await page.keyboard.press('Enter');
    const problem = dialog(page).locator('#trigger-jql-error');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/Jira does not accept this query/);
    await shot(page, 'journey-trigger-bad-query');

    await page.locator('#trigger-jql').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('labels = sync');
    await tabTo(page, (element) => element.id === 'trigger-notes');
    await page.keyboard.type('Design requests marked for development');
    await tabTo(page, byText('Create'));
    await page.keyboard.press('Enter');
    await page.getByTestId('triggers-table-row').filter({ hasText: 'labels = sync' }).waitFor();
    expect(await page.getByTestId('triggers-table-row').innerText()).toMatch(/blue_to_green[\s\S]*Issue[\s\S]*Design requests marked/);
    await shot(page, 'journey-triggers');
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
    expect(await bluePanel.getByTestId('twin-status').innerText()).toBe('SYNCHRONIZED');
    await bluePanel.close();

    const greenPanel = await open(`/green/apps/exalate-issue-panel?issueKey=${remoteKey}`);
    await greenPanel.getByTestId('twin').waitFor();
    expect(await greenPanel.getByTestId('twin-status').innerText()).toBe('SYNCHRONIZED');
    expect(await greenPanel.getByTestId('remote-link').innerText()).toBe(issueKey);
    expect(await greenPanel.getByTestId('remote-link').getAttribute('href')).toMatch(new RegExp(`/blue/browse/${issueKey}$`));
    const history = await greenPanel.getByTestId('twin-history').innerText();
    expect(history).toMatch(/Created from UD-\d+/);
    expect(history).toMatch(/summary empty → “\[Design\] Login button is misaligned”/);
    await shot(greenPanel, 'journey-issue-panel');
    await greenPanel.close();
  });

  it('runs Bulk Exalate from the trigger\'s menu with live progress', async () => {
    const page = await open('/blue/apps/exalate-admin/triggers');
    const row = page.getByTestId('triggers-table-row').first();
    await row.getByRole('button', { name: /More actions/ }).click();
    await page.getByRole('menuitem', { name: /Bulk Exalate/ }).first().click();
    const job = page.getByTestId('job');
    await job.waitFor();
    await page.locator('[data-testid="job"][data-status="done"]').waitFor();
    expect(await page.getByTestId('job-status').innerText()).toMatch(/Bulk Exalate: 1 of 1 issue \(done\)/);
    await shot(page, 'journey-bulk-exalate');
    await page.close();
  });

  it('shows the operations pages with the synced traffic', async () => {
    for (const route of ['errors', 'sync-queue'] as const) {
      const page = await open(`/blue/apps/exalate-admin/${route}`);
      await page.locator('[data-testid$="-empty"], [data-testid$="-table"]').first().waitFor();
      if (route === 'sync-queue') {
        await page.getByTestId('chart-syncs').waitFor();
        await page.getByRole('button', { name: 'Day' }).click();
        await page.getByTestId('statistics-totals').getByText(/^[1-9]\d*$/).first().waitFor();
      }
      expect(await page.locator('.host-main').first().innerText()).not.toMatch(/undefined|NaN|\[object Object\]/);
      await shot(page, `journey-${route}`);
      await page.close();
    }
  });
});

describe('a private connection', () => {
  it('initiates without a URL on blue, is accepted on green, and becomes active on both', async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('initiate-connection-button').click();
    await page.getByText("I don't have a URL").click();
    await page.getByLabel('Basic').check();
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Remote instance short name').fill('green');
    await page.getByLabel('Connection name').fill('blue_private_to_green');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await choose(page, 'incoming-project', 'Test (TEST)');
    await dialog(page).getByRole('button', { name: 'Initiate', exact: true }).click();
    await page.getByTestId('invitation').waitFor();
    const privateCode = await page.locator('#invitation-code').inputValue();
    await dialog(page).getByRole('button', { name: 'Done' }).click();

    const green = await open(`/green/apps/exalate-admin/connections?invitation=${encodeURIComponent(privateCode)}`);
    await choose(green, 'accept-project', 'Content Management (CM)');
    await dialog(green).getByRole('button', { name: 'Confirm' }).click();
    await green.getByTestId('first-sync').waitFor();
    await dialog(green).getByRole('button', { name: 'Done' }).click();
    const greenRow = green.getByTestId('connections-table-row').filter({ hasText: 'blue_private_to_green' });
    await greenRow.getByTestId('status-active').waitFor();
    expect(await greenRow.innerText()).toMatch(/Private|Public/);
    await green.close();

    await runtime.settle();
    await page.reload();
    const blueRow = page.getByTestId('connections-table-row').filter({ hasText: 'blue_private_to_green' });
    await blueRow.getByTestId('status-active').waitFor();
    expect(await blueRow.innerText()).toMatch(/Private/);
    await shot(page, 'journey-connections');
    await page.close();
    console.log(`Connections page first render: ${timings.connectionsFirstRenderMs?.toFixed(0)} ms after navigation start`);
  });
});
