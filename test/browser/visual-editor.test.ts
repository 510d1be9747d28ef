// The Visual mapping editor in Chromium, on the local runtime's host pages:
// a status value mapping added in the Rules tab and published with Ctrl+S
// reaches the stored mapping, and a refused publish is explained inline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisualMapping } from '../../src/domain/visual-mapping';
import { buildUi, launchChromium } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';
import { connect, invoke } from '../integration/helpers';


let runtime: StartedRuntime;
let browser: Browser;
let dataDir: string;
let blueConnectionId: string;

const mappingOf = (site: string, connectionId: string) => invoke<{ side: string; mapping: VisualMapping }>(runtime, site, 'getMapping', { connectionId });

beforeAll(async () => {
  buildUi();
  dataDir = mkdtempSync(join(tmpdir(), 'ui-visual-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  ({ blueConnectionId } = await connect(runtime, { mode: 'visual' }));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openRules(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error: ${error.message}`);
  });
  await page.goto(`${runtime.url}/blue/apps/exalate-admin/connections`);
  await page.getByTestId('status-active').waitFor();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByTestId('visual-rules').waitFor();
  return page;
}

describe('Visual mapping editor', () => {
  it('shows both sides, adds a status value mapping and publishes it with Ctrl+S', async () => {
    const page = await openRules();
    const editor = page.getByTestId('visual-rules');
    expect(await editor.getByTestId('scope-left').locator('legend').innerText()).toBe('BlueJira');
    expect(await editor.getByTestId('scope-right').locator('legend').innerText()).toBe('GreenJira');
    expect(await page.locator('#scope-inviter-project').inputValue()).toBe('UD');

    await page.getByTestId('edit-mapping-status').click();
    await page.getByTestId('mapping-status').getByTestId('add-value').click();
    await page.getByLabel('BlueJira value 1').fill('To Do');
    await page.getByLabel('GreenJira value 1').fill('Open');
    await page.locator('#mapping-status-no-match').selectOption('error');
    await page.locator('#scope-inviter-labels').fill('new-features, ux');
    await page.getByTestId('unpublished').waitFor();
    await page.getByLabel('GreenJira value 1').press('Control+s');
    await page.locator('.host-flag').filter({ hasText: 'Mapping published' }).waitFor();
    await page.getByTestId('unpublished').waitFor({ state: 'detached' });

    const { mapping } = await mappingOf('blue', blueConnectionId);
    expect(mapping.version).toBe(1);
    const status = mapping.mappings.find((m) => m.field === 'status');
    expect(status?.values).toEqual([{ inviter: 'To Do', invitee: 'Open' }]);
    expect(status?.ifNoMatch).toEqual({ action: 'error' });
    expect(mapping.scope.inviter.filters).toEqual([{ field: 'labels', values: ['new-features', 'ux'] }]);
    await page.context().close();
  });

  it('explains a refused publish inline', async () => {
    const page = await openRules();
    await page.locator('#scope-invitee-project').fill('');
    await page.getByTestId('publish-mapping').click();
    await page.getByTestId('publish-error').getByText(/projectKey/).waitFor();
    expect((await mappingOf('blue', blueConnectionId)).mapping.version).toBe(1);
    await page.context().close();
  });
});
