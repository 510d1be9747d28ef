import { vi } from 'vitest';
import { FORGE_PRODUCT_EVENT_MAX_LATENESS_MS, lateDelivery } from '../../src/local/forge/product-event-delivery';
import { drain, makeChange, makeTwins, openWorld, seeded, stateOf, tally, type Change, type Tally } from './harness';

// Product events delivered late (0 to 3 minutes, as Forge allows) and so out
// of order, while people edit the same issues on both sides. Nothing an event
// carries is trusted: each one only queues a sync that reads the issue fresh,
// so the sides must still end equal, every comment once, nothing bounced back.

export async function lateEvents(size: { issues: number; updates: number; seed: number; maxDelayMs?: number }): Promise<Tally & { delayedEvents: number; overtaken: number; lastSummaryKept: number; summariesEdited: number }> {
  const world = await openWorld('late');
  try {
    const pairs = await makeTwins(world, size.issues, 'late');
    const random = seeded(size.seed);
    // From here on every product event on both sites comes 0–180 s late, drawn from the seed.
    const late = lateDelivery({ seed: size.seed, maxDelayMs: size.maxDelayMs ?? FORGE_PRODUCT_EVENT_MAX_LATENESS_MS });
    // When each event is due, in the order the changes fired them: to count those overtaken by a later one.
    const dueAt: number[] = [];
    world.rt.forge.productEventDelivery = {
      delayMs: (eventType) => {
        const delay = late.delayMs(eventType);
        dueAt.push(Date.now() + delay);
        return delay;
      },
    };
    const changes: Change[] = [];
    for (let n = 0; n < size.updates; n++) {
      const pair = pairs[Math.floor(random() * pairs.length)]!;
      const site = random() < 0.5 ? 'blue' : 'green';
      const kind = random() < 0.6 ? 'comment' : 'summary';
      const change: Change = { site, pair, kind, marker: `${site} ${kind} ${n}` };
      await makeChange(world, change);
      changes.push(change);
      vi.setSystemTime(Date.now() + Math.floor(random() * 2_000));
      // What is due runs between people's edits; the late events come as the clock reaches them.
      if (n % 10 === 9) await world.rt.settle();
    }
    await drain(world);
    // No loops: once settled, a maintenance round finds nothing more to send.
    world.rt.forge.fireScheduledTriggers();
    await drain(world);
    let latest = -Infinity;
    let overtaken = 0;
    for (const at of dueAt) {
      if (at < latest) overtaken++;
      latest = Math.max(latest, at);
    }
    // Last edit wins: where both sides edited a summary, the edit made last is the one both kept (the sides
    // being equal is checked by the tally), however late each edit's product event came.
    const lastSummary = new Map<string, string>();
    for (const change of changes) if (change.kind === 'summary') lastSummary.set(change.pair.blue, change.marker);
    let lastKept = 0;
    for (const [blueKey, marker] of lastSummary) if ((await stateOf(world, 'blue', blueKey)).summary === marker) lastKept++;
    const t = await tally(world, `product events 0–${Math.round((size.maxDelayMs ?? FORGE_PRODUCT_EVENT_MAX_LATENESS_MS) / 1000)} s late and out of order, ${size.updates} edits on both sides of ${size.issues} issues`, changes, pairs, {
      notes: `${dueAt.length} product events delivered late, ${overtaken} of them after a later one; the last summary edit kept on ${lastKept} of ${lastSummary.size} issues`,
    });
    return { ...t, delayedEvents: dueAt.length, overtaken, lastSummaryKept: lastKept, summariesEdited: lastSummary.size };
  } finally {
    world.rt.close();
  }
}
