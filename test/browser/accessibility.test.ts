// Every admin page, the project settings page and the issue panel, checked
// by axe-core in Chromium: no serious or critical violation, every control
// labelled. The wizard is then walked with the keyboard alone.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, root } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';
import { connect } from '../integration/helpers';

const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

let runtime: StartedRuntime;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on what the page shows now. */
async function seriousViolations(page: Page): Promise<string[]> {
  // A dialog fading in has text at part opacity: contrast is judged once every animation has ended.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as Violation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function open(path: string, ready: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error on ${path}: ${error.message}`);
  });
  await page.goto(`${runtime.url}${path}`);
  await page.locator(ready).first().waitFor();
  return page;
}

beforeAll(async () => {
  buildUi();
  dataDir = mkdtempSync(join(tmpdir(), 'ui-axe-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  await connect(runtime, { mode: 'visual' });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const PAGES: [string, string, string][] = [
  ['Connections', '/blue/apps/exalate-admin/connections', '[data-testid="connections-table"]'],
  ['Triggers', '/blue/apps/exalate-admin/triggers', 'h1'],
  ['Errors', '/blue/apps/exalate-admin/errors', 'h1'],
  ['Sync queue', '/blue/apps/exalate-admin/sync-queue', 'h1'],
  ['Statistics', '/blue/apps/exalate-admin/statistics', 'h1'],
  ['Settings', '/blue/apps/exalate-admin/settings', '[data-testid="exalate-url"]'],
  ['Project settings', '/blue/apps/exalate-project-settings?projectKey=UD', 'h1'],
  ['Issue panel', '/blue/apps/exalate-issue-panel?issueKey=UD-1', 'body'],
];

describe('axe-core finds no serious violation', () => {
  for (const [name, path, ready] of PAGES) {
    it(`on ${name}`, async () => {
      const page = await open(path, ready);
      await page.waitForLoadState('networkidle');
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('in the Initiate wizard, the Accept dialog and the Visual rule editor', async () => {
    const page = await open('/blue/apps/exalate-admin/connections', '[data-testid="connections-table"]');
    await page.getByTestId('initiate-connection-button').click();
    await page.locator('#destination-url').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('accept-invitation-button').click();
    await page.locator('#invitation-code-input').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByTestId('visual-rules').waitFor();
    await page.getByTestId('edit-mapping-status').click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('keyboard only', () => {
  it('walks the Initiate wizard from the destination to the invitation code', async () => {
    const page = await open('/blue/apps/exalate-admin/connections', '[data-testid="connections-table"]');
    await page.getByTestId('initiate-connection-button').focus();
    await page.keyboard.press('Enter');
    await page.locator('#destination-url:focus').waitFor();
    await page.keyboard.type(`${runtime.url}/green`);
    // Tab into the configuration types, a radio group: the arrows move the choice to Script.
    for (let i = 0; i < 20 && !(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'mode')); i++) await page.keyboard.press('Tab');
    while (!(await page.evaluate(() => (document.activeElement as HTMLInputElement).value === 'script'))) await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#local-name').waitFor();
    // Focus stays in the dialog from one step to the next.
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    // The names are proposed from the sites' own (a resolver call): Enter once they are in, as a person would.
    await expect.poll(async () => [await page.locator('#local-name').inputValue(), await page.locator('#remote-name').inputValue()].every(Boolean), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('Select a project for the incoming sync').waitFor();
    await page.locator('#incoming-project').focus();
    await page.keyboard.type('UI Design');
    await page.keyboard.press('Enter');
    // With the choice taken, Enter submits the step, as in any form.
    await page.keyboard.press('Enter');
    await page.getByTestId('invitation').waitFor();
    await page.close();
  });
});
