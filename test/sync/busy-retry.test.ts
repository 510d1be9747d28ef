import { describe, expect, it } from 'vitest';
import { busyWaitSeconds, queueWhenFree } from '../../src/sync/busy-retry';
import type { QueueEvent } from '../../src/ports';

describe('work that finds its twin leased', () => {
  it('looks again after 2, 4, 8, 16, 32, then every 60 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(busyWaitSeconds)).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('waits out a lease a killed worker left (60 s) in five looks, not thirty', () => {
    let waited = 0;
    let looks = 0;
    while (waited < 60) waited += busyWaitSeconds(looks++);
    expect(looks).toBe(5);
  });

  it('counts its tries in the work it queues again, keeping the rest of the work', async () => {
    const pushed: QueueEvent[] = [];
    const queue = { push: async (events: QueueEvent[]) => { pushed.push(...events); return { jobId: 'j' }; } };
    const work = { kind: 'sync.outgoing', connectionId: 'c1', localIssueId: '10001', cause: 'event' };
    await queueWhenFree({ queue }, work);
    await queueWhenFree({ queue }, pushed[0]!.body);
    await queueWhenFree({ queue }, { ...work, busyTries: -3 });
    expect(pushed.map((e) => [e.body.busyTries, e.delayInSeconds])).toEqual([[1, 2], [2, 4], [1, 2]]);
    expect(pushed[1]!.body).toMatchObject(work);
  });
});
