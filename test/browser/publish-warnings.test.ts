// Publishing a script that names a status this site does not have, in
// Chromium on the local runtime's host pages: the publish is held back, the
// warning shows with its line (and the line is marked in the editor),
// "Publish anyway" saves it, and the recorded warning stays on the rules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';
import { connect, invoke } from '../integration/helpers';

let runtime: StartedRuntime;
let browser: Browser;
let dataDir: string;
let blueConnectionId: string;

const INCOMING = ['issue.summary = replica.summary;', 'issue.setStatus("In Reveiw");'].join('\n');

beforeAll(async () => {
  buildUi();
  dataDir = mkdtempSync(join(tmpdir(), 'ui-publish-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  ({ blueConnectionId } = await connect(runtime));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openRules(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error: ${error.message}`);
  });
  await page.goto(`${runtime.url}/blue/apps/exalate-admin/connections`);
  await page.getByTestId('status-active').waitFor();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByTestId('script-rules').waitFor();
  return page;
}

describe('publishing rules that name a status this site does not have', () => {
  it('holds the publish back with the warning at its line, and publishes anyway when asked', async () => {
    const page = await openRules();
    const before = await invoke<{ version: number }>(runtime, 'blue', 'getRules', { connectionId: blueConnectionId });

    const editor = page.getByTestId('incoming-editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(INCOMING);
    await page.getByTestId('publish-rules').click();

    const warnings = page.getByTestId('publish-warnings');
    await warnings.waitFor();
    const warning = warnings.getByTestId('publish-warning');
    expect(await warning.count()).toBe(1);
    expect(await warning.getAttribute('data-script')).toBe('incoming');
    expect(await warning.getAttribute('data-line')).toBe('2');
    expect(await warning.innerText()).toContain('Incoming script, line 2: No status "In Reveiw" on this site; did you mean "In Review"?');
    // The line itself is marked in the incoming editor, and only there.
    const marked = page.getByTestId('incoming-editor').getByTestId('warning-line');
    expect(await marked.count()).toBe(1);
    expect(await marked.innerText()).toBe('issue.setStatus("In Reveiw");');
    expect(await page.getByTestId('outgoing-editor').getByTestId('warning-line').count()).toBe(0);
    // Nothing was saved yet.
    expect((await invoke<{ version: number }>(runtime, 'blue', 'getRules', { connectionId: blueConnectionId })).version).toBe(before.version);

    await page.getByTestId('publish-anyway').click();
    await page.getByTestId('recorded-warnings').waitFor();
    expect(await page.getByTestId('publish-warnings').count()).toBe(0);
    const after = await invoke<{ version: number; incoming: string; warnings: { name: string; line: number }[] }>(runtime, 'blue', 'getRules', { connectionId: blueConnectionId });
    expect(after.version).toBe(before.version + 1);
    expect(after.incoming).toBe(INCOMING);
    expect(after.warnings.map((w) => [w.name, w.line])).toEqual([['In Reveiw', 2]]);
    await page.context().close();
  });
});
