// Pasting Exalate Groovy into the rule editor, in Chromium on the local
// runtime's host pages: the editor says rules are JavaScript and offers the
// translation, shows it beside the original with what was not translated,
// and accepting puts it in the editor without publishing it.
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

const GROOVY = [
  '// Outgoing sync, as written for Exalate',
  'replica.summary = "[${issue.key}] ${issue.summary}"',
  'replica.labels = issue.labels.collect { it.toLowerCase() }',
  'replica.comments = issue.comments.findAll { !it.body.contains("[internal]") }',
  'replica.components = issue.components',
  'def priority = issue.priority?.name ?: "Medium"',
].join('\n');

beforeAll(async () => {
  buildUi();
  dataDir = mkdtempSync(join(tmpdir(), 'ui-groovy-'));
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

const editorText = (page: Page, testId: string) => page.getByTestId(testId).locator('.cm-content').innerText();

describe('pasting Exalate Groovy into the rule editor', () => {
  it('offers the translation side by side and puts it in the editor, unpublished', async () => {
    const page = await openRules();
    const before = await invoke<{ outgoing: string }>(runtime, 'blue', 'getRules', { connectionId: blueConnectionId });

    const editor = page.getByTestId('outgoing-editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(GROOVY);

    const notice = page.getByTestId('outgoing-groovy');
    await notice.waitFor();
    expect(await notice.innerText()).toContain("Rules are JavaScript; this looks like Exalate's Groovy");
    expect(await page.getByTestId('incoming-groovy').count()).toBe(0);

    await page.getByTestId('outgoing-groovy-translate').click();
    const dialog = page.getByTestId('groovy-translation');
    await dialog.getByTestId('groovy-translated').waitFor();
    expect(await editorText(page, 'groovy-original')).toContain('def priority = issue.priority?.name ?: "Medium"');
    const translation = await editorText(page, 'groovy-translated');
    expect(translation).toContain('replica.summary = `[${issue.key}] ${issue.summary}`;');
    expect(translation).toContain('!plainText(it.body).includes("[internal]")');
    expect(translation).toContain('let priority = issue.priority?.name || "Medium";');
    expect(translation).toContain('// not translated: replica.components = issue.components');
    const items = dialog.getByTestId('groovy-unsupported-item');
    expect(await items.count()).toBe(1);
    expect(await items.first().innerText()).toMatch(/^Line 5: replica\.components — Components travel by name/);
    // Original left, translation right.
    const left = await page.getByTestId('groovy-original').boundingBox();
    const right = await page.getByTestId('groovy-translated').boundingBox();
    expect(left!.x).toBeLessThan(right!.x);
    await page.screenshot({ path: join(import.meta.dirname, '../../test-artifacts/groovy-translation.png') }).catch(() => undefined);

    await dialog.getByTestId('groovy-accept').click();
    await dialog.waitFor({ state: 'detached' });
    const inEditor = await editorText(page, 'outgoing-editor');
    expect(inEditor).toContain('let priority = issue.priority?.name || "Medium";');
    expect(await page.getByTestId('outgoing-groovy').count()).toBe(0);
    await page.getByTestId('unpublished').waitFor();
    // Nothing was published by accepting.
    const stored = await invoke<{ outgoing: string }>(runtime, 'blue', 'getRules', { connectionId: blueConnectionId });
    expect(stored.outgoing).toBe(before.outgoing);

    await page.getByTestId('publish-rules').click();
    await page.locator('.host-flag').filter({ hasText: 'Rules published' }).first().waitFor();
    const published = await invoke<{ outgoing: string }>(runtime, 'blue', 'getRules', { connectionId: blueConnectionId });
    expect(published.outgoing).toContain('let priority = issue.priority?.name || "Medium";');
    await page.context().close();
  });

  it('keeps the original when the admin declines, and says nothing about JavaScript that parses', async () => {
    const page = await openRules();
    const editor = page.getByTestId('incoming-editor').locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('def x = replica.summary ?: "none"\nissue.summary = x');
    await page.getByTestId('incoming-groovy').waitFor();
    await page.getByTestId('incoming-groovy-translate').click();
    await page.getByTestId('groovy-all-translated').waitFor();
    await page.getByRole('button', { name: 'Keep the original' }).click();
    expect(await editorText(page, 'incoming-editor')).toContain('def x = replica.summary ?: "none"');

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('issue.summary = replica.summary || "none";');
    expect(await editorText(page, 'incoming-editor')).toBe('issue.summary = replica.summary || "none";');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('incoming-groovy').count()).toBe(0);
    await page.context().close();
  });
});
