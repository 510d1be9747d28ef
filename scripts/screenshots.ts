// `npm run screenshots`: the README's pictures of the main pages, taken again.
// Starts the sandbox on a free port with its own temporary data directory,
// seeds a realistic state through the app's own resolvers and the emulated
// Jira REST API (two sites; a public Script connection and a private Visual
// one, and a Basic one of a single project; a few synced issues with comments;
// one issue a rule refuses; a change waiting for a deactivated partner), then
// photographs each page in Chromium at 1280×800 into docs/screenshots/.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLocalRuntime, type StartedRuntime } from '../src/local/runtime';
import { adf, invoke, jira } from '../test/integration/helpers';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs/screenshots');
const VIEWPORT = { width: 1280, height: 800 };

type Site = 'blue' | 'green';

async function connectSites(runtime: StartedRuntime, options: { name: string; description: string; mode: 'script' | 'visual' | 'basic'; privateBlue: boolean; blueProject: string; greenProject: string }) {
  const green = await invoke<{ exalateUrl: string; siteUrl: string }>(runtime, 'green', 'getInstance');
  const initiated = await invoke<{ connectionId: string; invitationCode: string }>(runtime, 'blue', 'initiateConnection', {
    destinationUrl: options.privateBlue ? null : green.exalateUrl,
    ...(options.privateBlue ? { partnerSiteUrl: green.siteUrl } : {}),
    mode: options.mode,
    localName: 'Blue',
    remoteName: 'Green',
    name: options.name,
    description: options.description,
    projectKey: options.blueProject,
  });
  const accepted = await invoke<{ connectionId: string }>(runtime, 'green', 'acceptInvitation', { invitationCode: initiated.invitationCode, projectKey: options.greenProject });
  await runtime.settle();
  return { blue: initiated.connectionId, green: accepted.connectionId };
}

async function createIssue(runtime: StartedRuntime, site: Site, project: string, summary: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await jira<{ key: string }>(runtime, site, 'POST', '/issue', {
    fields: { project: { key: project }, issuetype: { name: 'Task' }, summary, description: adf(`${summary}: seen by the support team.`), ...extra },
  });
  if (created.status !== 201) throw new Error(`creating "${summary}" on ${site}: ${created.status}`);
  return created.body.key;
}

/** Waits for a condition the sandbox reaches by itself (queue pump, polls), for at most `ms`. */
async function until(what: string, condition: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function seed(runtime: StartedRuntime) {
  const scripted = await connectSites(runtime, {
    name: 'Design ↔ Development',
    description: 'UI Design requests travel to the developers of Software Chasers',
    mode: 'script',
    privateBlue: false,
    blueProject: 'UD',
    greenProject: 'SC',
  });
  const visual = await connectSites(runtime, {
    name: 'Test ↔ Customer',
    description: 'Private: this site has no public URL; Green keeps its messages until Blue collects them',
    mode: 'visual',
    privateBlue: true,
    blueProject: 'TEST',
    greenProject: 'CM',
  });
  // A Basic one a project admin looks after from the project's settings.
  await connectSites(runtime, {
    name: 'Website ↔ Support',
    description: 'Website bugs reported to support',
    mode: 'basic',
    privateBlue: false,
    blueProject: 'WEB',
    greenProject: 'SUP',
  });
  const synced: string[] = [];
  for (const [summary, labels] of [
    ['Login button is misaligned on mobile', ['ui', 'mobile']],
    ['Dark mode colours for the dashboard', ['ui']],
    ['Export of the weekly report times out', ['reports']],
  ] as const) {
    const key = await createIssue(runtime, 'blue', 'UD', summary, { labels: [...labels], priority: { name: 'High' } });
    await invoke(runtime, 'blue', 'exalateIssue', { connectionId: scripted.blue, issueKey: key });
    await runtime.settle();
    synced.push(key);
  }
  for (const key of synced.slice(0, 2)) {
    await jira(runtime, 'blue', 'POST', `/issue/${key}/comment`, { body: adf('Screens attached; the design review is on Thursday.') });
    await runtime.settle();
  }
  await jira(runtime, 'blue', 'PUT', `/issue/${synced[0]}`, { fields: { summary: 'Login button is misaligned on mobile Safari' } });
  await runtime.settle();
  // One issue the outgoing rules refuse: it shows on the Errors page and pauses on its own.
  const rules = await invoke<{ outgoing: string; incoming: string }>(runtime, 'blue', 'getRules', { connectionId: scripted.blue });
  await invoke(runtime, 'blue', 'publishRules', {
    connectionId: scripted.blue,
    outgoing: `${rules.outgoing}\nif (issue.labels.includes("confidential")) throw new Error("Confidential issues stay on this site");\n`,
    incoming: rules.incoming,
  });
  const refused = await createIssue(runtime, 'blue', 'UD', 'Customer contract renewal notes', { labels: ['confidential'] });
  await invoke(runtime, 'blue', 'exalateIssue', { connectionId: scripted.blue, issueKey: refused }).catch(() => undefined);
  await runtime.settle();
  // Wait for the private side to have collected its acceptance, so both lists say Active.
  await until('the private connection to be active on blue', async () => {
    const list = await invoke<{ connections: { id: string; status: string }[] }>(runtime, 'blue', 'listConnections');
    return list.connections.find((c) => c.id === visual.blue)?.status === 'Active';
  });
  return { scripted, visual, synced };
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
  console.log(`  ${name}.png  ${(statSync(join(out, `${name}.png`)).size / 1024).toFixed(0)} KB`);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'exalate-screenshots-'));
  mkdirSync(out, { recursive: true });
  const runtime = await startLocalRuntime({ port: 0, dataDir, reset: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    console.log(`sandbox at ${runtime.url}, data in ${dataDir}; seeding…`);
    const { synced, scripted } = await seed(runtime);
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(20_000);
    const open = async (path: string) => {
      const page = await context.newPage();
      await page.goto(`${runtime.url}${path}`);
      return page;
    };
    const row = (page: Page, name: string) => page.getByTestId('connections-table-row').filter({ hasText: name });

    let page = await open('/blue/apps/exalate-admin/connections');
    await page.getByTestId('connection-health').locator('[data-testid^="health-chart-"]').first().waitFor();
    await shoot(page, 'connections');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.locator('.host-frame, iframe').first().waitFor({ state: 'attached' }).catch(() => undefined);
    await page.close();

    page = await open('/blue/apps/exalate-admin/connections');
    await page.getByRole('button', { name: 'Initiate connection' }).first().click();
    const urlField = page.getByRole('dialog').getByRole('textbox').first();
    await urlField.fill(`${runtime.url}/green`);
    await shoot(page, 'wizard');
    await page.close();

    page = await open('/blue/apps/exalate-admin/connections');
    await row(page, 'Design ↔ Development').getByRole('button', { name: 'Edit' }).click();
    await page.getByTestId('outgoing-editor').locator('.cm-content').waitFor();
    await shoot(page, 'rule-editor');
    await page.close();

    page = await open('/blue/apps/exalate-admin/connections');
    await row(page, 'Test ↔ Customer').getByRole('button', { name: 'Edit' }).click();
    await page.getByTestId('visual-rules').waitFor();
    await shoot(page, 'visual-editor');
    await page.close();

    page = await open('/blue/apps/exalate-admin/errors');
    await page.getByText('Confidential issues stay on this site').first().waitFor();
    await shoot(page, 'errors');
    await page.close();

    page = await open('/blue/apps/exalate-admin/statistics');
    await page.locator('.chart').first().waitFor();
    await shoot(page, 'statistics');
    await page.close();

    page = await open(`/blue/browse/${synced[0]}`);
    await page.frameLocator('iframe.app-panel').getByTestId('twin-status').first().waitFor();
    await shoot(page, 'issue-panel');
    await page.close();

    page = await open('/blue/apps/exalate-project-settings?projectKey=WEB');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.locator('[data-testid="project-connections-empty"], [data-testid="connections-table"], table').first().waitFor();
    await shoot(page, 'project-settings');
    await page.close();

    // Last, as it needs something waiting: green's admin deactivates the public connection, so blue's next
    // change waits in blue's outbox until it is active again.
    await invoke(runtime, 'green', 'setConnectionActive', { connectionId: scripted.green, active: false });
    await runtime.settle();
    await jira(runtime, 'blue', 'PUT', `/issue/${synced[1]}`, { fields: { summary: 'Dark mode colours for the dashboard and the settings page' } });
    await runtime.settle();
    page = await open('/blue/apps/exalate-admin/sync-queue');
    await page.getByText(synced[1]!).first().waitFor();
    await shoot(page, 'sync-queue');
    await page.close();
  } finally {
    await browser.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
