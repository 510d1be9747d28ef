import { RateLimitError } from '@forge/events';
import { describe, expect, it } from 'vitest';
import { DEFERRED_PREFIX, FLUSH_AFTER_MS, FLUSH_MAX_EVENTS, PUSH_MAX_EVENTS, workQueue } from '../../src/forge/queue';
import { forgetKeptPushes } from '../../src/forge/kept-pushes';
import type { QueueEvent } from '../../src/ports';
import { FakeClock, MemoryKvs, MemoryLog, SeededRandom } from '../support/memory-platform';

// The work queue keeps what Forge refuses (500 events a minute) and pushes it again later, packed into
// full pushes. The SDK's push is stood in for here so a test can say when Forge refuses; the local
// runtime's real limits drive the same code in test/faults/storage-storm.test.ts.

function setUp(installation = 'install-a') {
  forgetKeptPushes();
  const clock = new FakeClock();
  const kvs = new MemoryKvs(undefined, () => clock.now());
  const pushes: QueueEvent[][] = [];
  let refusing = false;
  let refuseAfter = Infinity;
  const push = async (events: QueueEvent[]) => {
    if (refusing || pushes.length >= refuseAfter) throw new RateLimitError('Too many events pushed this minute');
    pushes.push(events);
    return { jobId: `job-${pushes.length}` };
  };
  const queue = workQueue('work', { installation, kvs, clock, random: new SeededRandom(7), log: new MemoryLog(), push });
  const kept = async () => (await kvs.query(DEFERRED_PREFIX, { limit: 100 })).results.length;
  return {
    clock,
    kvs,
    pushes,
    queue,
    kept,
    refuse: (on: boolean) => (refusing = on),
    refuseAfterPushes: (n: number) => (refuseAfter = n),
    pushedIds: () => pushes.flat().map((e) => e.body.id),
  };
}

/** `n` pieces of work, each pushed alone while Forge refuses, as "later"s are. */
async function keepSingles(t: ReturnType<typeof setUp>, n: number, from = 0) {
  t.refuse(true);
  for (let i = from; i < from + n; i++) {
    await t.queue.push([{ body: { id: i } }]);
    // Kept batches are ordered by when they were kept; within one millisecond, in no set order.
    t.clock.advance(1);
  }
  t.refuse(false);
}

describe('the work queue under Forge\'s push limits', () => {
  it('keeps a push Forge refuses for rate, and pushes nothing twice when it goes again', async () => {
    const t = setUp();
    await keepSingles(t, 3);
    expect(t.pushes).toHaveLength(0);
    expect(await t.kept()).toBe(3);
    expect(await t.queue.flushDeferred()).toBe(3);
    expect(t.pushedIds()).toEqual([0, 1, 2]);
    expect(await t.kept()).toBe(0);
    expect(await t.queue.flushDeferred()).toBe(0);
    expect(t.pushes).toHaveLength(1);
  });

  it('packs kept single events into full pushes, oldest first', async () => {
    const t = setUp();
    await keepSingles(t, 120);
    expect(await t.queue.flushDeferred()).toBe(120);
    // 120 kept batches went in three pushes, not 120.
    expect(t.pushes.map((p) => p.length)).toEqual([PUSH_MAX_EVENTS, PUSH_MAX_EVENTS, 20]);
    expect(t.pushedIds()).toEqual([...Array(120).keys()]);
    expect(await t.kept()).toBe(0);
  });

  it('never packs past 200 KB a push', async () => {
    const t = setUp();
    const big = 'x'.repeat(60_000);
    t.refuse(true);
    for (let i = 0; i < 5; i++) {
      await t.queue.push([{ body: { id: i, big } }]);
      t.clock.advance(1);
    }
    t.refuse(false);
    expect(await t.queue.flushDeferred()).toBe(5);
    expect(t.pushes.map((p) => p.length)).toEqual([3, 2]);
    for (const pack of t.pushes) expect(Buffer.byteLength(JSON.stringify(pack))).toBeLessThanOrEqual(200_000);
  });

  it(`pushes at most ${FLUSH_MAX_EVENTS} events a flush, leaving the minute's own work room; the rest goes next time`, async () => {
    const t = setUp();
    await keepSingles(t, 300);
    expect(await t.queue.flushDeferred()).toBe(FLUSH_MAX_EVENTS);
    expect(await t.kept()).toBe(300 - FLUSH_MAX_EVENTS);
    expect(await t.queue.flushDeferred()).toBe(300 - FLUSH_MAX_EVENTS);
    expect(t.pushedIds()).toEqual([...Array(300).keys()]);
  });

  it('stops at a refused pack and keeps it, with everything after it', async () => {
    const t = setUp();
    await keepSingles(t, 120);
    t.refuseAfterPushes(1);
    expect(await t.queue.flushDeferred()).toBe(PUSH_MAX_EVENTS);
    expect(await t.kept()).toBe(70);
    t.refuseAfterPushes(Infinity);
    expect(await t.queue.flushDeferred()).toBe(70);
    // Every piece of work went exactly once.
    expect(t.pushedIds()).toEqual([...Array(120).keys()]);
  });

  it('flushes from a queue worker a minute after this container kept a push, and reads nothing otherwise', async () => {
    const t = setUp();
    const before = t.kvs.ops;
    expect(await t.queue.flushKeptIfDue()).toBe(0);
    expect(t.kvs.ops).toBe(before);

    const firstKeptAt = t.clock.now();
    await keepSingles(t, 4);
    t.clock.set(firstKeptAt + FLUSH_AFTER_MS - 1);
    const kept = t.kvs.ops;
    expect(await t.queue.flushKeptIfDue()).toBe(0);
    expect(t.kvs.ops).toBe(kept);

    t.clock.advance(1);
    expect(await t.queue.flushKeptIfDue()).toBe(4);
    expect(await t.kept()).toBe(0);
    // All flushed: the next worker reads nothing again.
    t.clock.advance(FLUSH_AFTER_MS);
    const after = t.kvs.ops;
    expect(await t.queue.flushKeptIfDue()).toBe(0);
    expect(t.kvs.ops).toBe(after);
  });

  it('holds what one installation kept apart from another served by the same container', async () => {
    const a = setUp('install-a');
    await keepSingles(a, 2);
    const b = workQueue('work', { installation: 'install-b', kvs: a.kvs, clock: a.clock, random: new SeededRandom(1), log: new MemoryLog(), push: async () => ({ jobId: 'b' }) });
    a.clock.advance(FLUSH_AFTER_MS);
    expect(await b.flushKeptIfDue()).toBe(0);
    expect(await a.queue.flushKeptIfDue()).toBe(2);
  });
});
