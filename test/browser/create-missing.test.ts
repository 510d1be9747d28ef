// The connection's createMissing switch on the Edit connection dialog, in
// Chromium against the real resolvers: a Jira admin turns it on from the
// admin page and the connection holds it; project settings, which a project
// admin reaches, do not offer it (the resolver is for Jira admins only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';
import { connect, invoke } from '../integration/helpers';

/** Dan Evans: administers blue's project UD, no Jira admin. */
const PROJECT_ADMIN = '712020:b1e00000-4444-4000-8000-000000000004';
const LABEL = 'Create components, versions and link types the other side lacks';

let runtime: StartedRuntime;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;
let script: { blueConnectionId: string };
let basic: { blueConnectionId: string };

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error on ${path}: ${error.message}`);
  });
  await page.goto(`${runtime.url}${path}`);
  return page;
}

async function createMissingOnBlue(connectionId: string): Promise<boolean | undefined> {
  const rows = await invoke<{ connections: { id: string; createMissing: boolean }[] }>(runtime, 'blue', 'listConnections', {});
  return rows.connections.find((c) => c.id === connectionId)?.createMissing;
}

/** Opens the Edit dialog of a connection, on its Info tab. */
async function openInfo(page: Page, connectionId: string) {
  await page.getByTestId(`edit-${connectionId}`).click();
  const dialog = page.getByRole('dialog').last();
  await dialog.getByRole('tab', { name: 'Info' }).click();
  await dialog.getByLabel('Connection name').waitFor();
  return dialog;
}

beforeAll(async () => {
  buildUi();
  dataDir = mkdtempSync(join(tmpdir(), 'ui-create-missing-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  script = await connect(runtime);
  basic = await connect(runtime, { mode: 'basic' });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the createMissing switch', () => {
  it('is off for a new connection, and a Jira admin turns it on and off from the admin page', async () => {
    expect(await createMissingOnBlue(script.blueConnectionId)).toBe(false);
    const page = await open('/blue/apps/exalate-admin/connections');
    let dialog = await openInfo(page, script.blueConnectionId);
    const toggle = dialog.getByLabel(LABEL);
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click({ force: true });
    await expect.poll(() => createMissingOnBlue(script.blueConnectionId)).toBe(true);
    // The page shows the switch on once the resolver's answer is back, which
    // can be a moment after the connection already holds it.
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });

    // Read back from the connection when the dialog opens again.
    dialog = await openInfo(page, script.blueConnectionId);
    await expect.poll(() => dialog.getByLabel(LABEL).isChecked()).toBe(true);
    await dialog.getByLabel(LABEL).click({ force: true });
    await expect.poll(() => createMissingOnBlue(script.blueConnectionId)).toBe(false);
    await page.close();
  });

  it('is not offered on the project settings page, which a project admin reaches', async () => {
    const page = await open(`/blue/apps/exalate-project-settings?projectKey=UD&as=${encodeURIComponent(PROJECT_ADMIN)}`);
    const dialog = await openInfo(page, basic.blueConnectionId);
    expect(await dialog.getByText(LABEL).count()).toBe(0);
    expect(await dialog.getByTestId('create-missing-setting').count()).toBe(0);
    await page.close();
    // And the resolver refuses that person, whatever a page shows.
    await expect(invoke(runtime, 'blue', 'setCreateMissing', { connectionId: basic.blueConnectionId, create: true }, { accountId: PROJECT_ADMIN })).rejects.toThrow(/403/);
    expect(await createMissingOnBlue(basic.blueConnectionId)).toBe(false);
  });
});
