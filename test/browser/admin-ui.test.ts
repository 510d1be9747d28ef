// The built custom UI in Chromium, on the local runtime's host pages, against
// the real resolvers of two emulated sites: the reference flows from
// Initiate connection to the first synced issue, and a look at every page.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetUiIndexHtml } from '../../src/local/forge/host-page';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';

const root = resolve(import.meta.dirname, '../..');
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
  return page.getByRole('dialog');
}

beforeAll(async () => {
  // Built as `npm run build:ui` builds it, outside vitest's NODE_ENV=test (which would pick React's development build).
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'static/vite.config.ts', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  forgetUiIndexHtml();
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ui-browser-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
  it('walks the Script-mode wizard on blue and accepts the code on green', async () => {
    const green = await open('/green/apps/exalate-admin/settings');
    const greenUrl = await green.getByTestId('exalate-url').innerText();
    await green.close();

    const blue = await open('/blue/apps/exalate-admin/connections');
    await blue.getByTestId('initiate-connection-button').click();
    await dialog(blue).getByText('Choose the configuration type').waitFor();
    await dialog(blue).getByRole('button', { name: 'Next' }).click();
    await dialog(blue).getByText("Enter the destination instance URL, or choose \"I don't have a URL\".").waitFor();
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
    expect(await dialog(page).getByTestId('inviter').innerText()).toContain('blue');
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
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Remote instance short name').fill('partner');
    expect(await page.getByLabel('Connection name').inputValue()).toBe('blue_to_partner');
    await dialog(page).getByRole('button', { name: 'Next' }).click();
    await choose(page, 'incoming-project', 'UI Design (UD)');
    await dialog(page).getByRole('button', { name: 'Initiate', exact: true }).click();
    await page.getByTestId('invitation').waitFor();
    expect(await dialog(page).innerText()).toContain('Ensure that Exalate is installed on the destination side "unknown"');
    await shot(page, 'initiate-private-invitation');
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
