import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLocalRuntime, type LocalRuntime } from '../src/local/runtime';
import { connect, invoke, jira } from '../test/integration/helpers';
import { driveVirtually, idle, VirtualClock } from './virtual-time';

// The ceiling measured, not derived: a sustained stream of summary edits on
// blue, spread over many synced issues, at a rate that rises a step at a time
// (a minute of virtual time each, bench/virtual-time.ts) until a step is not
// sustained: one of Forge's or Jira's limits refused a call during it
// (storage units or requests, events pushed, Jira's points or burst limits:
// strict limits, as on Forge), or edits were still on their way when the
// step's grace ran out (the backlog grew). The last step sustained is the
// ceiling; the first one not sustained says what bound. Every edit must
// still arrive in the end: a limit slows the app down, it never loses.
//
// Local latency profile: the limits are the same in both profiles, and the
// Forge profile's product events (up to minutes late by design) would make
// "arrived within the grace" a test of Forge's event delay, not of the app.
// Compute takes no virtual time: Forge runs invocations in parallel, so this
// machine's two cores must not be what falls behind (they would, at about
// 600 edits a minute, as each synced edit computes about 50 ms here).
//
// `tsx bench/edit-stream.ts [out.json] [rates…]`

export interface StreamStep {
  editsPerMinute: number;
  edits: number;
  /** Issues whose last edit had not reached green when the step's grace ran out. */
  behind: number;
  /** Calls a limit refused during the step (and its grace), by limit, both sites. */
  limitsHit: Record<string, number>;
  /** Storage read and write units per edit made in the step (its tail included), per side. */
  unitsPerEdit: { blue: { read: number; write: number }; green: { read: number; write: number } };
  sustained: boolean;
}

export interface StreamFigures {
  issues: number;
  graceSeconds: number;
  steps: StreamStep[];
  /** The highest rate sustained (0 when none was). */
  ceiling: number;
  /** What stopped the next step: the limits that refused calls, or "backlog". */
  boundBy: string[];
  /** After the stream, every issue equal on both sides. */
  allArrived: boolean;
  wallSeconds: number;
}

export const DEFAULT_RATES = [300, 450, 600, 700, 800, 900, 1_000, 1_200];
const ISSUES = 60;
const GRACE_MS = 10_000;

/** Summaries of a project's issues on one site, by key: one search, made as a person (not counted as the app's). */
async function summaries(rt: LocalRuntime, site: 'blue' | 'green', project: string): Promise<Map<string, string>> {
  const found = await jira<{ issues: { key: string; fields: { summary: string } }[] }>(rt, site, 'POST', '/search/jql', { jql: `project = ${project} ORDER BY key`, fields: ['summary'], maxResults: 100 });
  return new Map(found.body.issues.map((i) => [i.key, i.fields.summary]));
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [limit, n] of Object.entries(after)) if (n - (before[limit] ?? 0) > 0) out[limit] = n - (before[limit] ?? 0);
  return out;
}

function limitsHit(rt: LocalRuntime): Record<string, number> {
  const total: Record<string, number> = {};
  for (const site of ['blue', 'green']) for (const [limit, n] of Object.entries(rt.usage(site).limitsHit)) total[`${site} ${limit}`] = n;
  return total;
}

export async function measureEditStream(options: { rates?: number[] } = {}): Promise<StreamFigures> {
  const rates = options.rates ?? DEFAULT_RATES;
  const began = performance.now();
  const clock = new VirtualClock({ computeTakesNoTime: true });
  clock.install();
  let rt: LocalRuntime | undefined;
  let driver: ReturnType<typeof driveVirtually> | undefined;
  try {
    rt = await createLocalRuntime({
      dataDir: mkdtempSync(join(tmpdir(), 'bench-edit-stream-')),
      reset: true,
      baseUrl: 'http://bench-edit-stream.test',
      profile: 'local',
      latency: { seed: 20261206, wait: (ms) => clock.sleep(ms) },
    });
    const runtime = rt;
    driver = driveVirtually(runtime, clock, { concurrency: 4 });
    const { blueConnectionId } = await connect(runtime);
    await driver.settled();

    // The synced issues: made on blue, each brought under sync, then left to settle.
    const keys: string[] = [];
    for (let i = 0; i < ISSUES; i++) {
      const created = await jira<{ key: string }>(runtime, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: `stream ${i}` } });
      keys.push(created.body.key);
      await invoke(runtime, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
      await clock.sleep(1_000);
    }
    await driver.settled();
    const pairs = new Map<string, string>();
    for (const key of keys) {
      const status = await invoke<{ twins: { remoteKey: string | null }[] }>(runtime, 'blue', 'getIssueSyncStatus', { issueKey: key });
      pairs.set(key, status.twins[0]?.remoteKey ?? '');
    }
    // A quiet minute, so the set-up's storage use is out of the per-minute windows.
    await clock.sleep(61_000);
    await driver.settled();

    const behindNow = async () => {
      const blue = await summaries(runtime, 'blue', 'UD');
      const green = await summaries(runtime, 'green', 'SC');
      return keys.filter((key) => blue.get(key) !== green.get(pairs.get(key) ?? '')).length;
    };

    const steps: StreamStep[] = [];
    let n = 0;
    const units = () => ({ blue: runtime.usage('blue').kvs, green: runtime.usage('green').kvs });
    for (const rate of rates) {
      const before = limitsHit(runtime);
      const unitsBefore = units();
      const interval = 60_000 / rate;
      const start = clock.now();
      let edits = 0;
      // Edits at their times on the virtual clock; the app's work runs in between, as it would.
      // Whole milliseconds: the sites' clocks (and Jira's timestamps) count in them.
      for (let i = 0, at = start; at < start + 60_000; i++, at = start + Math.round(i * interval)) {
        if (clock.now() < at) await clock.sleep(at - clock.now());
        const key = keys[n % keys.length]!;
        const put = await jira(runtime, 'blue', 'PUT', `/issue/${key}`, { fields: { summary: `stream ${n}` } });
        if (put.status !== 204) throw new Error(`edit-stream: the person's edit failed (${put.status})`);
        n++;
        edits++;
      }
      await clock.sleep(GRACE_MS);
      await idle();
      const behind = await behindNow();
      const hit = delta(limitsHit(runtime), before);
      const sustained = behind === 0 && Object.keys(hit).length === 0;
      const unitsAfter = units();
      const per = (side: 'blue' | 'green') => ({
        read: Math.round(((unitsAfter[side].readUnits - unitsBefore[side].readUnits) / edits) * 100) / 100,
        write: Math.round(((unitsAfter[side].writeUnits - unitsBefore[side].writeUnits) / edits) * 100) / 100,
      });
      const unitsPerEdit = { blue: per('blue'), green: per('green') };
      steps.push({ editsPerMinute: rate, edits, behind, limitsHit: hit, unitsPerEdit, sustained });
      console.log(`[edit-stream] ${rate} edits a minute: ${behind} of ${ISSUES} issues behind after ${GRACE_MS / 1000} s, limits hit ${JSON.stringify(hit)}, units per edit ${JSON.stringify(unitsPerEdit)}${sustained ? '' : ' — not sustained'}`);
      if (!sustained) break;
      // Let the step's tail settle before the next one starts counting.
      await driver.settled();
      await clock.sleep(61_000);
    }
    // However far it fell behind, everything arrives.
    await driver.settled();
    for (let i = 0; i < 30 && (await behindNow()) > 0; i++) {
      await clock.sleep(60_000);
      await driver.settled();
    }
    const allArrived = (await behindNow()) === 0;
    const sustainedSteps = steps.filter((s) => s.sustained);
    const failed = steps.find((s) => !s.sustained);
    return {
      issues: ISSUES,
      graceSeconds: GRACE_MS / 1000,
      steps,
      ceiling: sustainedSteps.length ? sustainedSteps[sustainedSteps.length - 1]!.editsPerMinute : 0,
      boundBy: failed ? (Object.keys(failed.limitsHit).length ? Object.keys(failed.limitsHit) : ['backlog']) : [],
      allArrived,
      wallSeconds: Math.round((performance.now() - began) / 100) / 10,
    };
  } finally {
    await driver?.stop();
    rt?.close();
    clock.uninstall();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rates = process.argv.slice(3).map(Number).filter((r) => r > 0);
  const figures = await measureEditStream(rates.length ? { rates } : {});
  if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(figures, null, 2));
  else console.log(JSON.stringify(figures, null, 2));
}
