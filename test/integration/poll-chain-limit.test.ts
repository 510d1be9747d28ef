import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORGE_LIMITS } from '../../src/local/forge/limits';
import type { LocalRuntime } from '../../src/local/runtime';
import { connect, invoke, twoSites } from './helpers';

// The private side's poll chain under the local runtime's Forge limits: every
// push descending from one root invocation counts towards Forge's 1,000 per
// chain, so a chain polling every 2 s reaches it after about half an hour.
// With the five-minute scheduled maintenance running, the chain is re-rooted
// long before and polls on; without it (the control), the runtime refuses
// the 1,001st push and polling stops: the test sees the limit it guards.

const HUGO = '712020:96ee0000-2222-4000-8000-000000000002'; // a green user, no Jira admin
const MINUTES = 40;
const EVERY_2_S = { activeSeconds: 2, activeForSeconds: 60, backoffSeconds: 2, idleAfterSeconds: 60, idleSeconds: 2 };

let rt: LocalRuntime & { dataDir: string };

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  rt = await twoSites();
});

afterEach(() => {
  rt.close();
  vi.useRealTimers();
});

/** Runs the runtime's queue on the fake clock for `minutes`, with the scheduled triggers every five minutes or not at all. */
async function runFor(minutes: number, scheduled: boolean): Promise<void> {
  const end = Date.now() + minutes * 60_000;
  let lastSchedule = Date.now();
  while (Date.now() < end) {
    await rt.settle();
    const next = rt.forge.queue.nextDueAt() ?? end;
    vi.setSystemTime(Math.min(end, Math.max(Date.now() + 1, next)));
    if (scheduled && Date.now() - lastSchedule >= 5 * 60_000) {
      rt.forge.fireScheduledTriggers();
      lastSchedule = Date.now();
    }
  }
  await rt.settle();
}

async function privateConnectionPollingEvery2s(): Promise<void> {
  const { greenConnectionId } = await connect(rt, { destination: 'private' });
  await invoke(rt, 'green', 'setPollingIntervals', { connectionId: greenConnectionId, polling: EVERY_2_S });
  rt.resetUsage('blue');
  rt.resetUsage('green');
}

describe('the poll chain and Forge’s chain limit', () => {
  it(`polls every 2 s for ${MINUTES} minutes without reaching the limit: the scheduled maintenance re-roots the chain`, async () => {
    await privateConnectionPollingEvery2s();
    await runFor(MINUTES, true);
    const polls = rt.usage('blue').invocations.webtrigger;
    expect(polls).toBeGreaterThan(FORGE_LIMITS.events.cyclicPushesPerChain);
    expect(polls).toBeGreaterThanOrEqual(MINUTES * 30 * 0.95);
    expect(polls).toBeLessThanOrEqual(MINUTES * 30 * 1.05);
    // No limit of any kind was hit on either side.
    expect(rt.usage('green').limitsHit).toEqual({});
    expect(rt.usage('blue').limitsHit).toEqual({});
  }, 120_000);

  it('the control: without the scheduled maintenance the same chain is refused at Forge’s limit and polling stops', async () => {
    await privateConnectionPollingEvery2s();
    await runFor(MINUTES, false);
    expect(rt.usage('green').limitsHit['events.cyclicPushesPerChain']).toBeGreaterThanOrEqual(1);
    // One poll per link, plus the held polls of the links in the first minute (busy right after connecting:
    // src/transport/long-poll.ts), at most a few each.
    expect(rt.usage('blue').invocations.webtrigger).toBeLessThanOrEqual(FORGE_LIMITS.events.cyclicPushesPerChain + 10);
  }, 120_000);

  it('only a Jira admin sets the intervals: another person is refused and nothing changes', async () => {
    const { greenConnectionId } = await connect(rt, { destination: 'private' });
    await expect(invoke(rt, 'green', 'setPollingIntervals', { connectionId: greenConnectionId, polling: { activeSeconds: 5 } }, { accountId: HUGO })).rejects.toThrow(/403/);
    const rows = await invoke<{ connections: { id: string; polling: unknown }[] }>(rt, 'green', 'listConnections');
    expect(rows.connections.find((c) => c.id === greenConnectionId)?.polling).toMatchObject({ activeSeconds: 2 });
  });
});
