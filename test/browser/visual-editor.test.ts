// The Visual mapping editor in Chromium, on the local runtime's host pages:
// a status value mapping added in the Rules tab and published with Ctrl+S
// reaches the stored mapping, and a refused publish is explained inline.
// Every picker offers this side's real values (statuses, priorities, custom
// fields and their options, people with avatars) through Atlaskit selects
// with search; the partner's side takes what the admin types, and offers the
// partner's names once it has reported them.
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

/** Opens an Atlaskit select by its input id and picks an option by its exact name. */
async function pick(page: Page, inputId: string, option: string): Promise<void> {
  await page.locator(`#${inputId}`).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('option', { name: option, exact: true }).click();
  // The menu closes once the choice is taken.
  await page.locator(`#${inputId}[aria-expanded="true"]`).waitFor({ state: 'detached' });
}

/** The options of the menu the select `inputId` has open. */
async function optionsOf(page: Page, inputId: string): Promise<string[]> {
  const listbox = await page.locator(`#${inputId}`).getAttribute('aria-controls');
  return page.locator(`#${listbox} [role="option"]`).allInnerTexts();
}

describe('Visual mapping editor', () => {
  it('shows both sides, adds a status value mapping and publishes it with Ctrl+S', async () => {
    const page = await openRules();
    const editor = page.getByTestId('visual-rules');
    expect(await editor.getByTestId('scope-left').locator('legend').innerText()).toBe('BlueJira');
    expect(await editor.getByTestId('scope-right').locator('legend').innerText()).toBe('GreenJira');
    expect(await editor.getByTestId('scope-left').innerText()).toContain('UI Design (UD)');

    await page.getByTestId('edit-mapping-status').click();
    await page.getByTestId('mapping-status').getByTestId('add-value').click();
    // This side: blue's own statuses, searched as typed.
    await page.getByLabel('BlueJira value 1').click();
    for (const status of ['To Do', 'In Progress', 'Done']) await page.getByRole('option', { name: status, exact: true }).waitFor();
    await page.getByLabel('BlueJira value 1').fill('to d');
    expect(await optionsOf(page, 'mapping-status-0-left')).toEqual(['To Do']);
    await page.keyboard.press('Enter');
    // The partner's side: typed as the partner names it.
    await page.getByLabel('GreenJira value 1').fill('Open');
    await page.getByRole('option', { name: 'Use "Open"' }).click();
    await pick(page, 'mapping-status-no-match', 'Report an error');
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
    await page.locator('#scope-invitee-project').focus();
    await page.keyboard.press('Backspace');
    await page.getByTestId('publish-mapping').click();
    await page.getByTestId('publish-error').getByText(/projectKey/).waitFor();
    expect((await mappingOf('blue', blueConnectionId)).mapping.version).toBe(1);
    await page.context().close();
  });

  it("offers this side's priorities, custom fields with their options, and people with avatars", async () => {
    const page = await openRules();
    // A scope filter on priorities: several of blue's, picked from the list.
    await pick(page, 'scope-inviter-priority', 'High');
    await pick(page, 'scope-inviter-priority', 'Highest');
    expect(await page.getByTestId('scope-left').innerText()).toMatch(/High[\s\S]*Highest/);

    // A select custom field: blue's fields of that kind, then that field's options.
    await pick(page, 'add-mapping-field', 'Custom field');
    await page.getByTestId('add-mapping').click();
    await pick(page, 'mapping-customField-type', 'Select list');
    await pick(page, 'mapping-customField-name-inviter', 'Severity');
    await page.locator('#mapping-customField-name-invitee').fill('Impact');
    await page.getByRole('option', { name: 'Use "Impact"' }).click();
    await page.getByTestId('mapping-customField').getByTestId('add-value').click();
    await page.getByLabel('BlueJira value 1').click();
    await page.getByRole('option', { name: 'Major' }).waitFor();
    expect(await optionsOf(page, 'mapping-customField-0-left')).toEqual(['Critical', 'Major', 'Minor']);
    await page.getByRole('option', { name: 'Major' }).click();
    await page.getByLabel('GreenJira value 1').fill('High');
    await page.getByRole('option', { name: 'Use "High"' }).click();

    // The assignee when the partner's person has no match here: blue's people, with avatars.
    await page.getByTestId('edit-mapping-assignee').click();
    await page.locator('#mapping-assignee-fallback-inviter').fill('ava');
    const ava = page.getByRole('option', { name: /^Ava Blue ava\.blue@/ });
    await ava.waitFor();
    expect(await ava.locator('img').getAttribute('src')).toMatch(/^http/);
    await ava.click();

    await page.getByTestId('publish-mapping').click();
    await page.locator('.host-flag').filter({ hasText: 'Mapping published' }).waitFor();
    const { mapping } = await mappingOf('blue', blueConnectionId);
    expect(mapping.scope.inviter.filters).toContainEqual({ field: 'priority', values: ['High', 'Highest'] });
    const custom = mapping.mappings.find((m) => m.field === 'customField');
    expect(custom).toMatchObject({ customField: { type: 'select', inviter: 'Severity', invitee: 'Impact' }, values: [{ inviter: 'Major', invitee: 'High' }] });
    expect(mapping.mappings.find((m) => m.field === 'assignee')?.users?.fallback.inviter).toBe('ava.blue@blue.example.com');
    await page.context().close();
  });

  it("offers the partner's statuses once it has reported its names, and still takes a typed one", async () => {
    // The maintenance schedule: each side sends the other its names (src/sync/partner-names.ts).
    runtime.forge.fireScheduledTriggers();
    await runtime.settle();
    const page = await openRules();
    await page.getByTestId('edit-mapping-status').click();
    await page.getByTestId('mapping-status').getByTestId('add-value').click();
    await page.getByLabel('GreenJira value 2').click();
    await page.getByRole('option', { name: 'Open', exact: true }).waitFor();
    const offered = await optionsOf(page, 'mapping-status-1-right');
    expect(offered).toEqual(expect.arrayContaining(['Open', 'In Progress', 'Done']));
    expect(offered).not.toContain('To Do');
    // Names a day old may miss a new status: typed text is taken too.
    await page.getByLabel('GreenJira value 2').fill('Waiting for customer');
    await page.getByRole('option', { name: 'Use "Waiting for customer"' }).click();
    expect(await page.getByTestId('mapping-status').innerText()).toContain('Waiting for customer');
    await page.context().close();
  });
});
