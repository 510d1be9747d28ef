import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LatencyProfileName } from '../src/local/forge/latency-profile';
import type { UsageSnapshot } from '../src/local/forge/usage';
import { createLocalRuntime, type LocalRuntime } from '../src/local/runtime';
import { connect, invoke, jira } from '../test/integration/helpers';
import { distribution, type Distribution } from './stats';
import { driveVirtually, VirtualClock } from './virtual-time';

// What one steady-state synced edit costs on each side, counted at the
// runtime boundary (GET /<site>/_local/usage): summary edits on blue over a
// public connection, after a warm-up, one at a time, each followed until all
// the work it caused has finished; the counters' deltas divided by the edits.
// Both latency profiles run on a virtual clock (bench/virtual-time.ts), so the
// Forge profile's delays cost no wall time; the edit → partner latency of each
// edit is read from the clock too: from the edit on blue until green's issue
// shows it (green's changelog, which green's Jira stamps with the same clock).
//
// `tsx bench/edit-cost.ts [local|forge] [edits] [out.json]`

/**
 * Memory billed per function: Forge's usage metrics count every function at 0.5 GB ("Compute in GB-sec =
 * execution time in seconds × 0.5", https://developer.atlassian.com/platform/forge/monitor-usage-metrics/),
 * the default that manifest.yml keeps (it declares no `memoryMB`).
 */
export const FUNCTION_MEMORY_MB = 512;

export interface SideCost {
  storageCalls: { total: number; get: number; set: number; delete: number; query: number; transaction: number; batchGet: number; batchSet: number; batchDelete: number; secret: number };
  readUnits: number;
  writeUnits: number;
  bytesWritten: number;
  bytesRead: number;
  invocations: { total: number; resolver: number; trigger: number; webtrigger: number; consumer: number; scheduled: number };
  asyncEvents: number;
  jiraCalls: number;
  /** Points of Jira's hourly quota the app's calls were charged (the points a call costs: src/local/jira/limits/points.ts). */
  jiraPoints: number;
  /** Jira REST calls per edit by operation, to see which ones a profile adds. */
  jiraByOperation: Record<string, number>;
  invocationMs: number;
  /** Invocation time × FUNCTION_MEMORY_MB, in GB-seconds (1 GB = 1,024 MB, as Forge's price page counts memory). */
  gbSeconds: number;
}

export interface EditCost {
  profile: LatencyProfileName;
  edits: number;
  warmupEdits: number;
  functionMemoryMb: number;
  /** Per steady-state synced edit, per side. */
  perEdit: { blue: SideCost; green: SideCost };
  /** Edit on blue → visible on green, on the virtual clock (compute + the profile's delays). */
  latency: Distribution;
  limitsHit: { blue: Record<string, number>; green: Record<string, number> };
  wallSeconds: number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `notTheApp`: Jira calls by operation that the bench made itself (a person's edits), left out of the app's. */
export function perEdit(usage: UsageSnapshot, edits: number, notTheApp: Record<string, number> = {}): SideCost {
  const c = usage.kvs.calls;
  const jiraByOperation = { ...usage.jira.byOperation };
  for (const [op, n] of Object.entries(notTheApp)) jiraByOperation[op] = (jiraByOperation[op] ?? 0) - n;
  const jiraCalls = usage.jira.calls - Object.values(notTheApp).reduce((a, b) => a + b, 0);
  const per = (n: number) => round(n / edits);
  return {
    storageCalls: {
      total: per(c.total),
      get: per(c.get),
      set: per(c.set),
      delete: per(c.delete),
      query: per(c.query),
      transaction: per(c.transaction),
      batchGet: per(c.batch.get),
      batchSet: per(c.batch.set),
      batchDelete: per(c.batch.delete),
      secret: per(c.secret.get + c.secret.set + c.secret.delete),
    },
    readUnits: per(usage.kvs.readUnits),
    writeUnits: per(usage.kvs.writeUnits),
    bytesWritten: per(usage.kvs.bytesWritten),
    bytesRead: per(usage.kvs.bytesRead),
    invocations: {
      total: per(usage.invocations.total),
      resolver: per(usage.invocations.resolver),
      trigger: per(usage.invocations.trigger),
      webtrigger: per(usage.invocations.webtrigger),
      consumer: per(usage.invocations.consumer),
      scheduled: per(usage.invocations.scheduled),
    },
    asyncEvents: per(usage.events.pushed),
    jiraCalls: per(jiraCalls),
    jiraPoints: per(usage.jira.points),
    jiraByOperation: Object.fromEntries(Object.entries(jiraByOperation).filter(([, n]) => n > 0).map(([op, n]) => [op, per(n)])),
    invocationMs: per(usage.invocationMs),
    gbSeconds: round((usage.invocationMs / 1000) * (FUNCTION_MEMORY_MB / 1024) / edits, 4),
  };
}

async function until(check: () => Promise<boolean>, what: string, limitMs = 600_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`edit-cost: ${what} did not happen`);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}

/** For each summary edit made on blue at `madeAt`, how long until green's changelog shows that summary. */
async function shownOnGreen(rt: LocalRuntime, greenKey: string, madeAt: Map<string, number>): Promise<number[]> {
  const shown = new Map<string, number>();
  for (let startAt = 0; ; startAt += 100) {
    const page = await jira<{ values: { created: string; items: { field: string; toString?: string }[] }[]; isLast: boolean }>(
      rt, 'green', 'GET', `/issue/${greenKey}/changelog?startAt=${startAt}&maxResults=100`);
    for (const history of page.body.values) {
      for (const item of history.items) if (item.field === 'summary' && item.toString && madeAt.has(item.toString)) shown.set(item.toString, Date.parse(history.created));
    }
    if (page.body.isLast || page.body.values.length === 0) break;
  }
  const missing = [...madeAt.keys()].filter((summary) => !shown.has(summary));
  if (missing.length > 0) throw new Error(`edit-cost: ${missing.length} edits never showed on green (first: ${missing[0]})`);
  return [...madeAt].map(([summary, at]) => shown.get(summary)! - at);
}

export async function measureEditCost(options: { profile?: LatencyProfileName; edits?: number; warmupEdits?: number; seed?: number } = {}): Promise<EditCost> {
  const profile = options.profile ?? 'local';
  const edits = options.edits ?? 30;
  const warmupEdits = options.warmupEdits ?? 5;
  const began = performance.now();
  const clock = new VirtualClock();
  clock.install();
  let rt: LocalRuntime | undefined;
  let driver: ReturnType<typeof driveVirtually> | undefined;
  try {
    rt = await createLocalRuntime({
      dataDir: mkdtempSync(join(tmpdir(), `bench-edit-cost-${profile}-`)),
      reset: true,
      baseUrl: `http://bench-edit-cost-${profile}.test`,
      profile,
      latency: { seed: options.seed ?? 20261205, wait: (ms) => clock.sleep(ms) },
    });
    const runtime = rt;
    driver = driveVirtually(runtime, clock, { concurrency: 4 });
    const { blueConnectionId } = await connect(runtime);
    await driver.settled();
    const created = await jira<{ key: string }>(runtime, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'edit cost' } });
    await invoke(runtime, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
    let greenKey = '';
    await until(async () => {
      const status = await invoke<{ twins: { remoteKey: string | null; status: string }[] }>(runtime, 'blue', 'getIssueSyncStatus', { issueKey: created.body.key });
      greenKey = status.twins[0]?.status === 'synchronized' ? status.twins[0].remoteKey ?? '' : '';
      return greenKey !== '';
    }, 'the first sync');
    await driver.settled();

    // Nothing but the app calls the sites while edits are measured (an observer's reads would count as
    // Jira calls): each edit is followed until all its work is done, and when it showed on green is read
    // afterwards from green's changelog, stamped by green's Jira on the same clock.
    const edit = async (summary: string): Promise<number> => {
      const at = Date.now();
      const put = await jira(runtime, 'blue', 'PUT', `/issue/${created.body.key}`, { fields: { summary } });
      if (put.status !== 204) throw new Error(`edit failed: ${put.status}`);
      await driver!.settled();
      return at;
    };
    for (let i = 0; i < warmupEdits; i++) await edit(`edit cost ${profile} warm-up ${i}`);
    runtime.resetUsage('blue');
    runtime.resetUsage('green');
    const madeAt = new Map<string, number>();
    for (let i = 0; i < edits; i++) {
      const summary = `edit cost ${profile} ${i}`;
      madeAt.set(summary, await edit(summary));
    }
    const blue = runtime.usage('blue');
    const green = runtime.usage('green');
    const latencies = await shownOnGreen(runtime, greenKey, madeAt);
    return {
      profile,
      edits,
      warmupEdits,
      functionMemoryMb: FUNCTION_MEMORY_MB,
      // Blue's counters include the edits themselves (one editIssue each, a person's, not the app's).
      perEdit: { blue: perEdit(blue, edits, { editIssue: edits }), green: perEdit(green, edits) },
      latency: distribution(latencies),
      limitsHit: { blue: blue.limitsHit, green: green.limitsHit },
      wallSeconds: round((performance.now() - began) / 1000, 1),
    };
  } finally {
    await driver?.stop();
    rt?.close();
    clock.uninstall();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const profile = (process.argv[2] ?? 'local') as LatencyProfileName;
  const figures = await measureEditCost({ profile, edits: Number(process.argv[3] ?? 30) });
  if (process.argv[4]) writeFileSync(process.argv[4], JSON.stringify(figures, null, 2));
  else console.log(JSON.stringify(figures, null, 2));
}
