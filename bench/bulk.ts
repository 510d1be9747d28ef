import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unitsFor } from '../src/local/forge/kvs-quota';
import type { LatencyProfileName } from '../src/local/forge/latency-profile';
import { createLocalRuntime, type LocalRuntime } from '../src/local/runtime';
import { adf, connect, invoke, jira, keptPushes } from '../test/integration/helpers';
import { peakRssMb, sleep } from './stats';
import { driveVirtually, VirtualClock } from './virtual-time';

// Bulk Exalate of N issues, each with three comments and one small
// attachment, from blue to green in one process with both sites: wall time
// from the bulkExalate call until every issue is on green, Jira REST calls per
// synced issue on each site, and peak RSS of the whole runtime.

export interface BulkFigures {
  /** `local`: real time. `forge`: Forge's latencies on a virtual clock (bench/virtual-time.ts); `seconds` is virtual time. */
  profile?: LatencyProfileName;
  /** Wall time the bulk phase took (equal to `seconds` in the local profile). */
  wallSeconds?: number;
  /** Requests turned away by a Forge limit during the bulk, per site. */
  limitsHit?: { blue: Record<string, number>; green: Record<string, number> };
  issues: number;
  seconds: number;
  issuesPerSecond: number;
  restCallsPerIssue: { blue: number; green: number };
  byOperation: { blue: Record<string, number>; green: Record<string, number> };
  peakRssMb: number;
  arrivedOnGreen: number;
  failed: number;
  /** What one bulk issue cost each side in storage and events, counted at the runtime boundary. */
  perIssue?: { blue: PerIssueStorage; green: PerIssueStorage };
}

export interface PerIssueStorage {
  storageCalls: number;
  readUnits: number;
  writeUnits: number;
  asyncEvents: number;
  invocations: number;
}

function perIssueOf(rt: LocalRuntime, site: string, count: number): PerIssueStorage {
  const usage = rt.usage(site);
  const per = (n: number) => Math.round((n / count) * 100) / 100;
  return { storageCalls: per(usage.kvs.calls.total), readUnits: per(usage.kvs.readUnits), writeUnits: per(usage.kvs.writeUnits), asyncEvents: per(usage.events.pushed), invocations: per(usage.invocations.total) };
}

/** Run due work until the queue is empty; delayed work (backoff) is waited for in real time. */
async function drainInRealTime(rt: LocalRuntime, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await rt.settle();
    if (rt.forge.queue.pendingCount() === 0) return;
    const nextAt = rt.forge.queue.nextDueAt();
    await sleep(Math.max(5, Math.min(1_000, (nextAt ?? Date.now() + 50) - Date.now())));
  }
  throw new Error(`bulk: work still queued after ${timeoutMs} ms (${rt.forge.queue.pendingCount()} events)`);
}

/** Forge runs the app's scheduled trigger every five minutes. */
const SCHEDULE_MS = 5 * 60_000;

/**
 * Drain, and while refused pushes wait in storage with nothing queued to flush them, run the five-minute
 * schedule as Forge would: five minutes after the last run; in the set-up (not measured) 15 s after.
 */
async function drainWithSchedule(rt: LocalRuntime, drain: () => Promise<void>, wait: (ms: number) => Promise<void>, schedule: 'set-up' | 'every five minutes'): Promise<void> {
  let lastRun = Date.now();
  for (;;) {
    await drain();
    if (keptPushes(rt) === 0) return;
    await wait(Math.max(0, lastRun + (schedule === 'set-up' ? 15_000 : SCHEDULE_MS) - Date.now()));
    rt.forge.fireScheduledTriggers();
    lastRun = Date.now();
  }
}

async function attach(rt: LocalRuntime, key: string, i: number): Promise<void> {
  const bytes = new Uint8Array(Array.from({ length: 2_048 }, (_, j) => (i * 31 + j * 7) % 256));
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), `log-${i}.bin`);
  const upload = await rt.fetch(`/blue/rest/api/3/issue/${key}/attachments`, { method: 'POST', headers: { 'X-Atlassian-Token': 'no-check' }, body: form });
  if (upload.status !== 200) throw new Error(`attachment upload failed: ${upload.status}`);
}

/** How many invocations Forge runs at once for one installation here: not documented; async events run in parallel. */
const FORGE_CONCURRENCY = 50;

export async function benchBulk(options: { issues?: number; log?: (line: string) => void; profile?: LatencyProfileName } = {}): Promise<BulkFigures> {
  const count = options.issues ?? 1_000;
  const log = options.log ?? (() => undefined);
  const profile = options.profile ?? 'local';
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bulk-'));
  // `BULK_SETUP_CACHE=DIR` (local profile): the set-up (ten minutes for 1,000 issues) is made once and kept in
  // DIR; later runs start from a copy of it. The measured bulk is the same: it begins after the set-up's minute
  // of quiet either way, and every rate window starts empty.
  const cache = profile === 'local' && process.env.BULK_SETUP_CACHE ? join(process.env.BULK_SETUP_CACHE, String(count)) : undefined;
  const cached = cache !== undefined && existsSync(join(cache, 'setup.json'));
  if (cached) cpSync(join(cache, 'data'), dataDir, { recursive: true });
  // Under the Forge profile every delay is virtual, and so is the drain: the clock jumps whenever all work waits.
  const clock = profile === 'forge' ? new VirtualClock() : undefined;
  clock?.install();
  let rt = await createLocalRuntime({ dataDir, reset: !cached, baseUrl: 'http://bench-bulk.test', profile, ...(clock ? { latency: { seed: 20261205, wait: (ms: number) => clock.sleep(ms) } } : {}) });
  const driver = clock ? driveVirtually(rt, clock, { concurrency: FORGE_CONCURRENCY }) : undefined;
  const drainRealTime = async (runtime: LocalRuntime, timeoutMs: number) => (driver ? driver.settled() : drainInRealTime(runtime, timeoutMs));
  const wait = (ms: number) => (clock ? Promise.resolve(clock.advanceTo(Date.now() + ms)) : sleep(ms));
  /** Connects the sites and makes the issues; the connection's id on blue. */
  const setUp = async (issues: number): Promise<string> => {
    const { blueConnectionId } = await connect(rt);
    const setupStarted = Date.now();
    for (let i = 0; i < issues; i++) {
      const created = await jira<{ key: string }>(rt, 'blue', 'POST', '/issue', {
        fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `bulk ${i}`, description: adf(`bulk body ${i}`), labels: ['bulk'] },
      });
      if (created.status !== 201) throw new Error(`create failed: ${created.status}`);
      for (let c = 0; c < 3; c++) await jira(rt, 'blue', 'POST', `/issue/${created.body.key}/comment`, { body: adf(`comment ${c} on ${i}`) });
      await attach(rt, created.body.key, i);
    }
    // The set-up's own events (six product events an issue) may fill a minute's pushes: all of them settled, and
    // a minute passed, before the bulk starts.
    await drainWithSchedule(rt, () => drainRealTime(rt, 120_000), wait, 'set-up');
    await wait(60_000);
    await drainRealTime(rt, 120_000);
    log(`bulk: ${issues} issues with 3 comments and 1 attachment made on blue in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    return blueConnectionId;
  };
  try {
    const blueConnectionId = cached ? (JSON.parse(readFileSync(join(cache, 'setup.json'), 'utf8')) as { blueConnectionId: string }).blueConnectionId : await setUp(count);
    if (cache && !cached) {
      rt.close();
      cpSync(dataDir, join(cache, 'data'), { recursive: true });
      writeFileSync(join(cache, 'setup.json'), JSON.stringify({ blueConnectionId }));
      rt = await createLocalRuntime({ dataDir, baseUrl: 'http://bench-bulk.test', profile });
    }

    const { trigger } = await invoke<{ trigger: { id: string } }>(rt, 'blue', 'saveTrigger', {
      connectionId: blueConnectionId,
      entityType: 'issue',
      jql: 'labels = bulk',
      notes: 'bench',
      active: false,
    });
    rt.resetUsage('blue');
    rt.resetUsage('green');
    const tally = process.env.BULK_TALLY ? tallyStorageCalls(rt) : undefined;

    const started = performance.now();
    const startedAt = Date.now();
    const job = await invoke<{ id: string }>(rt, 'blue', 'bulkExalate', { triggerId: trigger.id });
    const trace = process.env.BULK_TRACE && !clock ? traceEvery(rt, 5_000, startedAt, log) : undefined;
    try {
      await drainWithSchedule(rt, () => drainRealTime(rt, 15 * 60_000), wait, 'every five minutes');
    } finally {
      if (trace) clearInterval(trace);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const seconds = clock ? (Date.now() - startedAt) / 1000 : wallSeconds;
    const finished = await invoke<{ status: string; done: number; failed: number }>(rt, 'blue', 'getJob', { id: job.id });
    if (finished.status !== 'done') throw new Error(`bulk job ended ${finished.status}`);

    const blue = rt.site('blue').counters;
    const green = rt.site('green').counters;
    const figures: Omit<BulkFigures, 'arrivedOnGreen'> = {
      profile,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      limitsHit: { blue: rt.usage('blue').limitsHit, green: rt.usage('green').limitsHit },
      issues: count,
      seconds: Math.round(seconds * 10) / 10,
      issuesPerSecond: Math.round((count / seconds) * 10) / 10,
      restCallsPerIssue: { blue: Math.round((blue.total / count) * 1000) / 1000, green: Math.round((green.total / count) * 1000) / 1000 },
      byOperation: { blue: { ...blue.byOperation }, green: { ...green.byOperation } },
      peakRssMb: peakRssMb(),
      failed: finished.failed,
      perIssue: { blue: perIssueOf(rt, 'blue', count), green: perIssueOf(rt, 'green', count) },
    };
    if (tally) log(`storage calls by site, operation and key family, per bulk issue:\n${tally(count)}`);
    // Jira's search sees a new issue up to a minute late under the Forge profile: let that pass before counting.
    if (clock) await wait(60_000);
    const arrived = await jira<{ count: number }>(rt, 'green', 'POST', '/search/approximate-count', { jql: 'project = SC AND labels = bulk' });
    if (process.env.BULK_MISSING && arrived.body.count < count) {
      const found = await jira<{ issues: { fields: { summary: string } }[] }>(rt, 'green', 'POST', '/search/jql', { jql: 'project = SC AND labels = bulk', fields: ['summary'], maxResults: 5000 });
      const names = new Set(found.body.issues.map((i) => i.fields.summary));
      const missing = Array.from({ length: count }, (_, i) => `bulk ${i}`).filter((s) => !names.has(s));
      log(`missing on green (${found.body.issues.length} found by search): ${missing.join(', ')}`);
      for (const summary of missing.slice(0, 3)) {
        const blueIssue = await jira<{ issues: { key: string }[] }>(rt, 'blue', 'POST', '/search/jql', { jql: `summary ~ "${summary}"`, fields: ['summary'] });
        const key = blueIssue.body.issues.find(() => true)?.key;
        if (key) log(`${summary} = ${key}: ${JSON.stringify(await invoke(rt, 'blue', 'getIssueSyncStatus', { issueKey: key }))}`);
      }
    }
    return { ...figures, arrivedOnGreen: arrived.body.count };
  } finally {
    await driver?.stop();
    rt.close();
    clock?.uninstall();
  }
}

/**
 * `BULK_TRACE=1` (local profile): every few seconds, what each site has spent so far (storage write and read
 * units, limits hit, invocations) and how many issues green has made, to see where a run's time goes.
 */
function traceEvery(rt: LocalRuntime, ms: number, startedAt: number, log: (line: string) => void): ReturnType<typeof setInterval> {
  return setInterval(() => {
    const line = ['blue', 'green'].map((site) => {
      const u = rt.usage(site);
      const hits = Object.entries(u.limitsHit).map(([limit, n]) => `${limit.replace(/^.*\./, '')} ${n}`).join(', ');
      return `${site}: w ${u.kvs.writeUnits} r ${u.kvs.readUnits} inv ${u.invocations.total} jira ${u.jira.calls}${hits ? ` [${hits}]` : ''}`;
    });
    log(`${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s  made on green ${rt.site('green').counters.byOperation.createIssue ?? 0}  ${line.join('  |  ')}`);
  }, ms);
}

/**
 * `BULK_TALLY=1`: count every storage request of both sites by operation and by the family of the keys it
 * names (the text before the first ':'), with the write units it is charged (one per started 10 KB of the
 * request, as the local KVS charges), to see what a bulk issue's calls are spent on. It watches through the
 * local KVS's fault hook with a rule that never matches, so it refuses nothing (a request refused for rate
 * is counted each time it is sent).
 */
function tallyStorageCalls(rt: LocalRuntime): (count: number) => string {
  const counts = new Map<string, { calls: number; writeUnits: number }>();
  for (const site of ['blue', 'green']) {
    rt.forge.kvs.refuseNext(rt.forge.installation(site).installationId, (path, body) => {
      const text = JSON.stringify(body ?? {});
      // A lease's key is named by what it guards too (lock:twin, lock:stats, …).
      const keys = [...text.matchAll(/"key":"([^":]+):([^":]+)?/g)].map((m) => (m[1] === 'lock' ? `lock:${m[2]}` : m[1]));
      const families = [...new Set(keys)].sort().join('+') || '-';
      const operation = path.replace(/^.*\/api\/v\d+\//, '');
      const id = `${site} ${operation} ${families}`;
      const writes = /set|delete|transaction/.test(operation);
      const tally = counts.get(id) ?? { calls: 0, writeUnits: 0 };
      tally.calls++;
      if (writes) tally.writeUnits += unitsFor(Buffer.byteLength(text));
      counts.set(id, tally);
      return false;
    });
  }
  return (count) =>
    ['  calls  write units', ...[...counts]
      .sort((a, b) => b[1].writeUnits - a[1].writeUnits || b[1].calls - a[1].calls)
      .map(([id, t]) => `${(t.calls / count).toFixed(2).padStart(7)}  ${(t.writeUnits / count).toFixed(2).padStart(6)}  ${id}`)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `tsx bench/bulk.ts [issues] [out.json]`; bench/run.ts runs it as a child so RSS is the bulk run's own.
  // `tsx bench/bulk.ts [issues] [out.json] [local|forge]`
  const issues = Number(process.argv[2] ?? 1_000);
  const figures = await benchBulk({ issues, log: console.log, profile: (process.argv[4] ?? 'local') as LatencyProfileName });
  if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(figures, null, 2));
  else console.log(JSON.stringify(figures, null, 2));
}
