import { vi } from 'vitest';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import { drain, makeChange, makeTwins, openWorld, seeded, stateOf, tally, type Change, type Tally } from './harness';

// A storage 429 storm: people on both sites edit 50 synced issues 1,500 times
// within 12 seconds (nine in ten on green in the first half, on blue in the second), so each site's app needs more of the Key-Value Store
// than Forge grants an installation and is refused with 429 over and over
// while the edits go on. (500 edits no longer make a storm: the lean sync
// path takes them within one minute's 4,000 read units.) The read units
// bind: a synced edit reads more units than it writes
// (test/sync/edit-cost.test.ts), so the read limit is met first. Each refusal
// queues its work again, so the storm also meets Forge's 500 events a minute:
// the pushes it refuses are kept and pushed again a minute on. The app must slow down
// and retry through the queue: nothing lost, nothing twice, nothing bounced
// back, both sides equal, and the edit made last kept.

export interface StormTally extends Tally {
  /** Issues whose summary was edited, and on how many of them both sides kept the edit made last. */
  summariesEdited: number;
  lastSummaryKept: number;
  /** Refusals per site for the two unit limits, over the storm alone. */
  unitRefusals: Record<string, { read: number; write: number }>;
  /** Fake time from the first edit until everything was in step again. */
  settledAfterMs: number;
}

export async function storageStorm(size: { issues: number; edits: number; seed: number; spacingMs: number }): Promise<StormTally> {
  const world = await openWorld('kvs-storm');
  try {
    const pairs = await makeTwins(world, size.issues, 'storm');
    // Count the storm alone: the set-up's usage and limits hit are forgotten.
    for (const site of ['blue', 'green']) await world.rt.fetch(`/${site}/_local/usage/reset`, { method: 'POST' });
    const random = seeded(size.seed);
    const changes: Change[] = [];
    const start = Date.now();
    for (let n = 0; n < size.edits; n++) {
      const pair = pairs[Math.floor(random() * pairs.length)]!;
      // Nine edits in ten on green for the first half, on blue for the second: each side's outgoing work
      // leads for a while. With even odds the side over its units first paces the exchange, and its partner,
      // its work spread out, may never be refused itself.
      const leading = n < size.edits / 2 ? 'green' : 'blue';
      const site = random() < 0.9 ? leading : leading === 'green' ? 'blue' : 'green';
      const kind = random() < 0.6 ? 'comment' : 'summary';
      const change: Change = { site, pair, kind, marker: `${site} ${kind} ${n}` };
      await makeChange(world, change);
      changes.push(change);
      // At least a millisecond apart, so "the edit made last" is one edit.
      vi.setSystemTime(Date.now() + 1 + Math.floor(random() * (2 * size.spacingMs - 1)));
      if (n % 5 === 4) await world.rt.settle();
    }
    await drain(world);
    // No loops: once settled, a maintenance round finds nothing more to send.
    world.rt.forge.fireScheduledTriggers();
    await drain(world);
    const settledAfterMs = Date.now() - start;

    const lastSummary = new Map<string, string>();
    for (const change of changes) if (change.kind === 'summary') lastSummary.set(change.pair.blue, change.marker);
    let lastKept = 0;
    for (const [blueKey, marker] of lastSummary) if ((await stateOf(world, 'blue', blueKey)).summary === marker) lastKept++;

    const units: string[] = [];
    for (const site of ['blue', 'green']) {
      const usage = (await (await world.rt.fetch(`/${site}/_local/usage`)).json()) as { kvs: { readUnits: number; writeUnits: number } };
      units.push(`${site} ${usage.kvs.readUnits} read / ${usage.kvs.writeUnits} write units`);
    }
    const t = await tally(world, `storage 429 storm: ${size.edits} edits on both sides of ${size.issues} issues in ${Math.round((size.edits * size.spacingMs) / 1000)} s, over Forge's ${FORGE_LIMITS.kvs.readUnitsPerMinute} read and ${FORGE_LIMITS.kvs.writeUnitsPerMinute} write units a minute`, changes, pairs, {
      notes: `in step again ${Math.round(settledAfterMs / 1000)} s after the first edit; ${units.join(', ')}; the last summary edit kept on ${lastKept} of ${lastSummary.size} issues`,
    });
    const unitRefusals: StormTally['unitRefusals'] = {};
    for (const [site, hit] of Object.entries(t.limitsHit ?? {})) unitRefusals[site] = { read: hit['kvs.readUnitsPerMinute'] ?? 0, write: hit['kvs.writeUnitsPerMinute'] ?? 0 };
    return { ...t, summariesEdited: lastSummary.size, lastSummaryKept: lastKept, unitRefusals, settledAfterMs };
  } finally {
    world.rt.close();
  }
}
