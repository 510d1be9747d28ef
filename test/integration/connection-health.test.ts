import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, drain, invoke, jira, twoSites } from './helpers';

// The Connections page's health figures through the real resolver, after real
// syncs between the two emulated sites: partner lag, queue, paused issues,
// and the storage units and Jira calls the statistics counted, held against
// what the runtime itself measured. Only Jira admins on the admin page may ask.

const BEN = '712020:b1e00000-2222-4000-8000-000000000002'; // a developer in UD
const DAN = '712020:b1e00000-4444-4000-8000-000000000004'; // admin of UD and WEB
const EDITS = 6;

type Health = {
  connectionId: string;
  lag: { count: number; medianMs: number | null; p95Ms: number | null };
  hours: { syncs: number; storageUnits: number; jiraCalls: number }[];
  queue: { depth: number; more: boolean };
  pausedIssues: number;
  storage: { readUnits: number; writeUnits: number; share: number | null; busiestPerMinute: number; budgetPerMinute: number };
  jira: { calls: number; share: number | null; busiestHourCalls: number; pointsPerHour: number };
};

let rt: Awaited<ReturnType<typeof twoSites>>;
let ids: { blueConnectionId: string; greenConnectionId: string };
let usage: { blue: { units: number; jira: number }; green: { units: number; jira: number } };

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-23T09:00:00Z'));
  rt = await twoSites();
  ids = await connect(rt);
  rt.resetUsage('blue');
  rt.resetUsage('green');
  const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Health 0' } });
  await invoke(rt, 'blue', 'exalateIssue', { connectionId: ids.blueConnectionId, issueKey: created.body.key });
  await drain(rt);
  for (let n = 1; n <= EDITS; n++) {
    vi.setSystemTime(Date.now() + 60_000);
    expect((await jira(rt, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary: `Health ${n}` } })).status).toBe(204);
    await drain(rt);
  }
  const of = (site: 'blue' | 'green') => {
    const u = rt.usage(site);
    return { units: u.kvs.readUnits + u.kvs.writeUnits, jira: u.jira.calls };
  };
  usage = { blue: of('blue'), green: of('green') };
}, 300_000);

afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

const health = async (site: 'blue' | 'green') =>
  (await invoke<{ connections: Health[] }>(rt, site, 'getConnectionHealth', {}, { moduleKey: 'exalate-admin' })).connections;

describe('connection health after syncs', () => {
  it('shows the partner lag where the changes arrived, and an empty queue with nothing paused', async () => {
    const [green] = await health('green');
    expect(green!.connectionId).toBe(ids.greenConnectionId);
    // The first sync and every edit arrived here from blue.
    expect(green!.lag.count).toBe(EDITS + 1);
    expect(green!.lag.medianMs).not.toBeNull();
    expect(green!.lag.p95Ms!).toBeGreaterThanOrEqual(green!.lag.medianMs!);
    expect(green!.queue).toEqual({ depth: 0, more: false });
    expect(green!.pausedIssues).toBe(0);
    expect(green!.hours).toHaveLength(24);
    expect(green!.hours.reduce((sum, h) => sum + h.syncs, 0)).toBe(EDITS + 1);
    // Blue only sent: no arrivals to time there.
    const [blue] = await health('blue');
    expect(blue!.lag.count).toBe(0);
  });

  it("counts half or more of each side's storage units and Jira calls, and gives the one connection all of them", async () => {
    for (const site of ['blue', 'green'] as const) {
      const [row] = await health(site);
      const counted = row!.storage.readUnits + row!.storage.writeUnits;
      const coverage = counted / usage[site].units;
      console.log(`${site}: statistics counted ${counted} of the ${usage[site].units} storage units the runtime measured (${(coverage * 100).toFixed(0)} %), ${row!.jira.calls} of ${usage[site].jira} Jira calls`);
      // Counted up to each sync's (or ack's) own write: the delivery after it in the same invocation is not,
      // nor the maintenance no connection owns. Measured: about half on the sending side, 60 % receiving.
      expect(coverage).toBeGreaterThan(0.4);
      expect(coverage).toBeLessThanOrEqual(1.05);
      expect(row!.jira.calls).toBeGreaterThan(0);
      expect(row!.jira.calls).toBeLessThanOrEqual(usage[site].jira);
      expect(row!.storage.share).toBe(1);
      expect(row!.jira.share).toBe(1);
      expect(row!.storage.budgetPerMinute).toBe(4_000);
      expect(row!.jira.pointsPerHour).toBe(65_000);
    }
  });

  it('counts an issue an error pauses, and what waits in the queue', async () => {
    // An outgoing rule that fails on one issue: that issue is paused on blue, the others go on.
    const rules = await invoke<{ outgoing: string; incoming: string }>(rt, 'blue', 'getRules', { connectionId: ids.blueConnectionId });
    const outgoing = `if (issue.summary === "Breaks") {\n  throw new Error("bad data");\n}\n${rules.outgoing}`;
    await invoke(rt, 'blue', 'publishRules', { connectionId: ids.blueConnectionId, outgoing, incoming: rules.incoming });
    const exalate = async (summary: string) => {
      const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary } });
      await invoke(rt, 'blue', 'exalateIssue', { connectionId: ids.blueConnectionId, issueKey: created.body.key }).catch(() => undefined);
      await drain(rt);
    };
    await exalate('Breaks');
    // Deactivated on green: blue's next change waits in blue's outbox.
    await invoke(rt, 'green', 'setConnectionActive', { connectionId: ids.greenConnectionId, active: false });
    await drain(rt);
    await exalate('Waits');
    const [blue] = await health('blue');
    expect(blue!.pausedIssues).toBe(1);
    expect(blue!.queue).toEqual({ depth: 1, more: false });
    // The same as the Errors and Sync queue pages say.
    const errors = await invoke<{ errors: { severity?: string; issueKey: string | null }[] }>(rt, 'blue', 'listErrors', { connectionId: ids.blueConnectionId, status: 'open' });
    expect(errors.errors.filter((e) => e.severity !== 'warning').map((e) => e.issueKey)).toHaveLength(1);
    const queue = await invoke<{ items: { status: string }[] }>(rt, 'blue', 'listQueue', { connectionId: ids.blueConnectionId });
    expect(queue.items).toHaveLength(1);
  });
});

describe('who may ask', () => {
  it('refuses a plain user and a project admin, on the admin page and elsewhere, naming the permission', async () => {
    await expect(invoke(rt, 'blue', 'getConnectionHealth', {}, { moduleKey: 'exalate-admin', accountId: BEN })).rejects.toThrow(/403: .*\(ADMINISTER\)/);
    await expect(invoke(rt, 'blue', 'getConnectionHealth', {}, { moduleKey: 'exalate-admin', accountId: DAN })).rejects.toThrow(/403: .*\(ADMINISTER\)/);
    await expect(
      invoke(rt, 'blue', 'getConnectionHealth', {}, { moduleKey: 'exalate-project-settings', accountId: DAN, extension: { project: { key: 'UD' } } }),
    ).rejects.toThrow(/403: .*cannot be called from/);
    const [row] = await health('blue');
    expect(row!.connectionId).toBe(ids.blueConnectionId);
  });
});
