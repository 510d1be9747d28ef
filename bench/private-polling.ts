import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_POLLING, type PollingSettings } from '../src/domain/polling';
import type { LatencyProfileName } from '../src/local/forge/latency-profile';
import { FORGE_LIMITS } from '../src/local/forge/limits';
import type { UsageSnapshot } from '../src/local/forge/usage';
import { createLocalRuntime, type LocalRuntime } from '../src/local/runtime';
import { POLL_EVENTS_PER_MINUTE } from '../src/transport/poll-budget';
import { connect, invoke, jira } from '../test/integration/helpers';
import { FUNCTION_MEMORY_MB } from './edit-cost';
import { distribution, type Distribution } from './stats';
import { driveVirtually, VirtualClock } from './virtual-time';

// A private connection under a latency profile, on the virtual clock
// (bench/virtual-time.ts): how long an edit takes to show on the partner
// while the connection is busy, in both directions (the public side's edits
// wait for the private side's next poll; the private side's go out with a
// poll at once), and what the private side's polling costs per connection
// per day once it is idle, beside Forge's per-installation limits. The
// five-minute scheduled trigger fires every five virtual minutes, as on Forge.
//
// `tsx bench/private-polling.ts [forge|local] [edits per direction] [idle hours] [out.json|-] [private|public]`

/** DESIGN target (issue 20): an edit over a private connection shows on the partner within 5 s (p50) while it is busy. */
export const PRIVATE_ACTIVE_P50_TARGET_MS = 5_000;

export interface IdleCost {
  hoursMeasured: number;
  /** Times the scheduled triggers fired while idle (every five virtual minutes). */
  schedulesFired: number;
  /** Per connection per day, both sides (the private side's polls and the public side's answers). */
  perDay: {
    polls: number;
    invocations: { total: number; consumer: number; webtrigger: number; scheduled: number };
    storageCalls: number;
    readUnits: number;
    writeUnits: number;
    asyncEvents: number;
    gbSeconds: number;
  };
  /** What Forge allows one installation per day, at the per-minute limits. */
  forgePerDay: { asyncEvents: number; readUnits: number; writeUnits: number };
}

export interface PrivatePollingFigures {
  profile: LatencyProfileName;
  destination: 'private' | 'public';
  polling: PollingSettings;
  /** Edits on the public side (blue) → visible on the private side (green), while busy. */
  publicToPrivate: Distribution;
  /** Edits on the private side (green) → visible on the public side (blue), while busy. */
  privateToPublic: Distribution;
  targetP50Ms: number;
  /** Polls a busy connection makes a minute, and the share of Forge's 500 events a minute that is. */
  activeEventsPerMinute: number;
  pollEventsPerMinuteBudget: number;
  idle: IdleCost;
  /**
   * Per busy hour, both sides, the edits' own sync work included (the public connection's run gives the same
   * edits without polling: the difference is what polling and its held polls cost).
   */
  busyPerHour: { hoursMeasured: number } & IdleCost['perDay'];
  limitsHit: { blue: Record<string, number>; green: Record<string, number> };
  wallSeconds: number;
}

/**
 * Lets `ms` of virtual time pass in steps of at most a second. One long sleep would be the clock's only
 * waiter: an invocation that awaits real I/O for a moment looks idle to the driver, which would then jump
 * the clock to the end of that sleep, past every poll due meanwhile.
 */
async function pass(clock: VirtualClock, ms: number): Promise<void> {
  for (let left = Math.round(ms); left > 0; left -= 1_000) {
    await clock.sleep(Math.min(1_000, left));
    onStep();
  }
}

/** Called after every step of `pass`: the scheduled triggers' clock. */
let onStep: () => void = () => undefined;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The twin's key on the other side, once the first sync has arrived. */
async function twinOf(rt: LocalRuntime, clock: VirtualClock, site: 'blue' | 'green', key: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const status = await invoke<{ twins: { remoteKey: string | null; status: string }[] }>(rt, site, 'getIssueSyncStatus', { issueKey: key });
    const twin = status.twins[0];
    if (twin?.remoteKey && twin.status === 'synchronized') return twin.remoteKey;
    await pass(clock, 1_000);
  }
  throw new Error(`private-polling: ${key} never arrived`);
}

/** For each summary edit in `made` (the twin's key on `site`, and when it was made), how long until that twin's changelog on `site` shows it (stamped on the same clock). */
async function shownAfter(rt: LocalRuntime, site: string, made: Map<string, { key: string; at: number }>): Promise<number[]> {
  const latencies: number[] = [];
  for (const [summary, { key, at }] of made) {
    const page = await jira<{ values: { created: string; items: { field: string; toString?: string }[] }[] }>(rt, site, 'GET', `/issue/${key}/changelog?maxResults=100`);
    const history = page.body.values.find((h) => h.items.some((item) => item.field === 'summary' && item.toString === summary));
    if (!history) throw new Error(`private-polling: "${summary}" never showed on ${site} (${key})`);
    latencies.push(Date.parse(history.created) - at);
  }
  return latencies;
}

function perDay(blue: UsageSnapshot, green: UsageSnapshot, hours: number): IdleCost['perDay'] {
  const scale = (n: number) => round((n * 24) / hours, 0);
  const both = (pick: (u: UsageSnapshot) => number) => scale(pick(blue) + pick(green));
  return {
    polls: scale(blue.invocations.webtrigger),
    invocations: {
      total: both((u) => u.invocations.total),
      consumer: both((u) => u.invocations.consumer),
      webtrigger: both((u) => u.invocations.webtrigger),
      scheduled: both((u) => u.invocations.scheduled),
    },
    storageCalls: both((u) => u.kvs.calls.total),
    readUnits: both((u) => u.kvs.readUnits),
    writeUnits: both((u) => u.kvs.writeUnits),
    asyncEvents: both((u) => u.events.pushed),
    gbSeconds: round((((blue.invocationMs + green.invocationMs) / 1000) * (FUNCTION_MEMORY_MB / 1024) * 24) / hours, 1),
  };
}

/**
 * `destination: 'public'` runs the same edits over a public connection (no polling), the baseline the
 * private figures are compared with; its idle figures are then zero.
 */
export async function measurePrivatePolling(options: { profile?: LatencyProfileName; edits?: number; idleHours?: number; seed?: number; destination?: 'private' | 'public' } = {}): Promise<PrivatePollingFigures> {
  const profile = options.profile ?? 'forge';
  const edits = options.edits ?? 40;
  const idleHours = options.idleHours ?? 2;
  const began = performance.now();
  const clock = new VirtualClock();
  clock.install();
  let rt: LocalRuntime | undefined;
  let driver: ReturnType<typeof driveVirtually> | undefined;
  try {
    rt = await createLocalRuntime({
      dataDir: mkdtempSync(join(tmpdir(), `bench-private-${profile}-`)),
      reset: true,
      baseUrl: `http://bench-private-${profile}.test`,
      profile,
      latency: { seed: options.seed ?? 20261205, wait: (ms) => clock.sleep(ms) },
    });
    const runtime = rt;
    // Forge runs invocations side by side; 16 at once keeps the pool from being what edits wait on.
    driver = driveVirtually(runtime, clock, { concurrency: 16 });
    // Forge's five-minute schedule, on the virtual clock: fired from the bench's own steps of time (`pass`),
    // which run whenever virtual time goes by, rather than from a loop of its own beside them.
    let schedulesFired = 0;
    let lastFired = Date.now();
    onStep = () => {
      if (Date.now() - lastFired < 5 * 60_000) return;
      lastFired = Date.now();
      runtime.forge.fireScheduledTriggers();
      schedulesFired++;
    };

    const destination = options.destination ?? 'private';
    const { blueConnectionId } = await connect(runtime, { destination });
    const make = async (summary: string) => {
      const created = await jira<{ key: string }>(runtime, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary } });
      await invoke(runtime, 'blue', 'exalateIssue', { connectionId: blueConnectionId, issueKey: created.body.key });
      return { blue: created.body.key, green: await twinOf(runtime, clock, 'blue', created.body.key) };
    };
    // Each edit on an issue of its own, so no edit is overtaken by a later one of the same issue (Forge may
    // deliver a product event up to three minutes late, and an outgoing sync sends the issue as it is then).
    const down: { blue: string; green: string }[] = [];
    const up: { blue: string; green: string }[] = [];
    for (let i = 0; i < edits; i++) {
      down.push(await make(`private polling: edited on blue ${i}`));
      up.push(await make(`private polling: edited on green ${i}`));
    }
    await pass(clock, 60_000);

    // Busy: an edit every 2–10 s (seeded), alternating sides, so the connection never goes quiet and each
    // edit lands at another moment of the poll interval.
    let seed = 20261205;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    runtime.resetUsage('blue');
    runtime.resetUsage('green');
    const busyFrom = Date.now();
    const madeOnBlue = new Map<string, { key: string; at: number }>();
    const madeOnGreen = new Map<string, { key: string; at: number }>();
    for (let i = 0; i < edits * 2; i++) {
      const onBlue = i % 2 === 0;
      const pair = (onBlue ? down : up)[Math.floor(i / 2)]!;
      const key = onBlue ? pair.blue : pair.green;
      const summary = `private polling ${onBlue ? 'blue' : 'green'} edit ${i}`;
      const at = Date.now();
      const put = await jira(runtime, onBlue ? 'blue' : 'green', 'PUT', `/issue/${key}`, { fields: { summary } });
      if (put.status !== 204) throw new Error(`private-polling: edit failed (${put.status})`);
      (onBlue ? madeOnBlue : madeOnGreen).set(summary, { key: onBlue ? pair.green : pair.blue, at });
      await pass(clock, Math.round(2_000 + random() * 8_000)); // whole ms: the clock stays on integers, as Date does
    }
    const busyHours = (Date.now() - busyFrom) / 3_600_000;
    const busy = perDay(runtime.usage('blue'), runtime.usage('green'), busyHours * 24);
    await pass(clock, 200_000);
    const publicToPrivate = await shownAfter(runtime, 'green', madeOnBlue);
    const privateToPublic = await shownAfter(runtime, 'blue', madeOnGreen);

    // Idle: nothing changes for ten minutes and more; then count what polling costs.
    await pass(clock, (DEFAULT_POLLING.idleAfterSeconds + 300) * 1000);
    runtime.resetUsage('blue');
    runtime.resetUsage('green');
    const firedBeforeIdle = schedulesFired;
    await pass(clock, idleHours * 3_600_000);
    const blue = runtime.usage('blue');
    const green = runtime.usage('green');
    const firedWhileIdle = schedulesFired - firedBeforeIdle;
    const minute = 60;
    return {
      profile,
      destination,
      polling: DEFAULT_POLLING,
      publicToPrivate: distribution(publicToPrivate),
      privateToPublic: distribution(privateToPublic),
      targetP50Ms: PRIVATE_ACTIVE_P50_TARGET_MS,
      activeEventsPerMinute: minute / DEFAULT_POLLING.activeSeconds,
      busyPerHour: { hoursMeasured: round(busyHours, 2), ...busy },
      pollEventsPerMinuteBudget: POLL_EVENTS_PER_MINUTE,
      idle: {
        hoursMeasured: idleHours,
        schedulesFired: firedWhileIdle,
        perDay: perDay(blue, green, idleHours),
        forgePerDay: {
          asyncEvents: FORGE_LIMITS.events.eventsPerMinute * 1440,
          readUnits: FORGE_LIMITS.kvs.readUnitsPerMinute * 1440,
          writeUnits: FORGE_LIMITS.kvs.writeUnitsPerMinute * 1440,
        },
      },
      limitsHit: { blue: blue.limitsHit, green: green.limitsHit },
      wallSeconds: round((performance.now() - began) / 1000),
    };
  } finally {
    onStep = () => undefined;
    await driver?.stop();
    rt?.close();
    clock.uninstall();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const profile = (process.argv[2] ?? 'forge') as LatencyProfileName;
  const destination = process.argv[6] === 'public' ? 'public' : 'private';
  const figures = await measurePrivatePolling({ profile, edits: Number(process.argv[3] ?? 40), idleHours: Number(process.argv[4] ?? 2), destination });
  if (process.argv[5] && process.argv[5] !== '-') writeFileSync(process.argv[5], JSON.stringify(figures, null, 2));
  else console.log(JSON.stringify(figures, null, 2));
}
