// Connection health on the Connections page, in Chromium against the real
// resolvers: after real syncs from blue to green, each side's card shows the
// figures the syncs produced (lag where the changes arrived, the connection's
// share of the units and calls counted), and an error paused issue is shown.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, launchChromium, root } from './browser-setup';
import { startLocalRuntime, type StartedRuntime } from '../../src/local/runtime';
import { connect, invoke, jira } from '../integration/helpers';

const artifacts = join(root, 'test-artifacts');
const EDITS = 4;

let runtime: StartedRuntime;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;
let ids: { blueConnectionId: string; greenConnectionId: string };

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error on ${path}: ${error.message}`);
  });
  await page.goto(`${runtime.url}${path}`);
  return page;
}

/** The summary green shows for blue's issue, once it is there. */
async function greenSummary(issueKey: string): Promise<string | null> {
  const status = await invoke<{ twins: { remoteKey: string | null }[] }>(runtime, 'blue', 'getIssueSyncStatus', { issueKey });
  const remoteKey = status.twins[0]?.remoteKey;
  if (!remoteKey) return null;
  return (await jira<{ fields: { summary: string } }>(runtime, 'green', 'GET', `/issue/${remoteKey}`)).body.fields.summary;
}

beforeAll(async () => {
  buildUi();
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ui-health-'));
  runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  ids = await connect(runtime);
  const created = await jira<{ key: string }>(runtime, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Health 0' } });
  await invoke(runtime, 'blue', 'exalateIssue', { connectionId: ids.blueConnectionId, issueKey: created.body.key });
  await runtime.settle();
  for (let n = 1; n <= EDITS; n++) {
    await jira(runtime, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: `Health ${n}` } });
    await runtime.settle();
  }
  expect(await greenSummary(created.body.key)).toBe(`Health ${EDITS}`);
  // One issue an outgoing rule refuses: paused on blue.
  const rules = await invoke<{ outgoing: string; incoming: string }>(runtime, 'blue', 'getRules', { connectionId: ids.blueConnectionId });
  await invoke(runtime, 'blue', 'publishRules', {
    connectionId: ids.blueConnectionId,
    outgoing: `if (issue.summary === "Breaks") {\n  throw new Error("bad data");\n}\n${rules.outgoing}`,
    incoming: rules.incoming,
  });
  const breaks = await jira<{ key: string }>(runtime, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Breaks' } });
  await invoke(runtime, 'blue', 'exalateIssue', { connectionId: ids.blueConnectionId, issueKey: breaks.body.key }).catch(() => undefined);
  await runtime.settle();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('connection health on the Connections page', () => {
  it('shows the partner lag where the changes arrived, with a chart of the hours', async () => {
    const page = await open('/green/apps/exalate-admin/connections');
    const card = page.getByTestId(`health-${ids.greenConnectionId}`);
    await card.waitFor();
    const lag = await card.getByTestId('health-lag').innerText();
    // The first sync and every edit arrived here: p50 and p95 in ms or s, and the count.
    expect(lag).toMatch(new RegExp(`^p50 \\d+(\\.\\d)? m?s · p95 \\d+(\\.\\d)? m?s \\(${EDITS + 1} changes\\)$`));
    expect(await card.getByTestId('health-queue').innerText()).toBe('0 waiting');
    expect(await card.getByTestId('health-paused').innerText()).toBe('0 issues');
    expect(await card.getByTestId('health-storage').innerText()).toMatch(/^100 % of the app's · busiest hour [\d.]+ units a minute, [\d.<\s]+ % of Forge's 4,000$/);
    expect(await card.getByTestId('health-jira').innerText()).toMatch(/^100 % of the app's · busiest hour \d+ calls?, at least [\d.<\s]+ % of the 65,000-point hourly quota$/);
    // The chart has a bar for the hour of the syncs, and says what it shows.
    const chart = card.getByTestId(`health-chart-${ids.greenConnectionId}`);
    expect(await chart.getAttribute('aria-label')).toMatch(new RegExp(`last 24 hours: ${EDITS + 1} syncs, p95 lag up to`));
    expect(await chart.locator('rect[fill]:not([fill="transparent"])').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(artifacts, 'connection-health-green.png'), fullPage: true });
    await page.close();
  });

  it('shows on the sending side the paused issue, no arrivals, and a share of storage from its counters', async () => {
    const page = await open('/blue/apps/exalate-admin/connections');
    const card = page.getByTestId(`health-${ids.blueConnectionId}`);
    await card.waitFor();
    expect(await card.getByTestId('health-lag').innerText()).toBe('no changes arrived');
    expect(await card.getByTestId('health-paused').innerText()).toBe('1 issue');
    const storage = await card.getByTestId('health-storage').innerText();
    expect(storage).toMatch(/^100 % of the app's/);
    // The read and write units counted, on hover.
    expect(await card.getByTestId('health-storage').getAttribute('title')).toMatch(/^[1-9][\d,]* read, [1-9][\d,]* write units counted$/);
    await page.close();
  });
});
