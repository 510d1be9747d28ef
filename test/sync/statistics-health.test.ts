import { describe, expect, it } from 'vitest';
import { binValue, latencyBin, percentile, readStatistics, recordStat } from '../../src/sync/statistics';
import { meterUsage } from '../../src/forge/usage-meter';
import { countPausedIssues, healthOf } from '../../src/operations/connection-health';
import { createMemoryPlatform, FakeClock, MemoryJira, MemoryKvs } from '../support/memory-platform';

// The health figures' maths: p50 and p95 from the latency histogram, hour
// buckets that roll over as the (injected) clock moves, the storage units and
// Jira calls each statistic carries, and the shares between connections.

const HOUR = 3_600_000;
const START = Date.parse('2026-03-10T22:30:00Z');

describe('percentiles from the latency histogram', () => {
  it('takes the bin holding rank ⌈p·n⌉, and nothing from an empty histogram', () => {
    const fast = latencyBin(100);
    const slow = latencyBin(1_000);
    const slowest = latencyBin(10_000);
    // 50 fast, 45 slow, 5 slowest: the 50th is fast, the 95th slow, the 96th slowest.
    const histogram = { [fast]: 50, [slow]: 45, [slowest]: 5 };
    expect(percentile(histogram, 0.5)).toBe(binValue(fast));
    expect(percentile(histogram, 0.95)).toBe(binValue(slow));
    expect(percentile(histogram, 0.96)).toBe(binValue(slowest));
    // One more slow one: 50 of 101 are fast, so rank 51, the median, is slow.
    expect(percentile({ ...histogram, [slow]: 46 }, 0.5)).toBe(binValue(slow));
    expect(percentile({}, 0.5)).toBeNull();
    expect(percentile({ [slow]: 1 }, 0.95)).toBe(binValue(slow));
    // Bin values sit within a fifth of what they stand for.
    expect(Math.abs(binValue(fast) - 100) / 100).toBeLessThan(0.2);
  });
});

describe('hour buckets over the last 24 hours', () => {
  it('moves an event back one bucket an hour, across the UTC day, and drops it after 24 hours', async () => {
    const clock = new FakeClock(START);
    const platform = createMemoryPlatform({ clock });
    await recordStat(platform, 'c1', { in: 1, sentAt: START - 200 });
    const at = async () => (await readStatistics(platform, 'c1', 'day', clock.now())).buckets.findIndex((b) => b.in > 0);
    expect(await at()).toBe(23);
    clock.advance(HOUR); // 23:30: the same day
    expect(await at()).toBe(22);
    clock.advance(HOUR); // 00:30 the next day: the event's day record is still read
    expect(await at()).toBe(21);
    await recordStat(platform, 'c1', { in: 1, sentAt: clock.now() - 4_000 });
    let day = await readStatistics(platform, 'c1', 'day', clock.now());
    expect(day.buckets[23]!.latency.medianMs).toBe(binValue(latencyBin(4_000)));
    expect(day.totals.latency.count).toBe(2);
    clock.advance(22 * HOUR); // 22:30: the first event's hour (22:00 two days ago) is out of the window
    day = await readStatistics(platform, 'c1', 'day', clock.now());
    expect(day.totals.in).toBe(1);
    expect(day.totals.latency.medianMs).toBe(binValue(latencyBin(4_000)));
    expect(day.buckets[1]!.in).toBe(1);
    clock.advance(2 * HOUR); // 00:30: the second event's hour (00:00 a day ago) has gone out too
    day = await readStatistics(platform, 'c1', 'day', clock.now());
    expect(day.buckets[0]!.in).toBe(0);
    expect(day.totals.in).toBe(0);
    expect(day.totals.latency).toEqual({ count: 0, medianMs: null, p95Ms: null });
  });
});

describe('what syncs cost, carried by their statistics', () => {
  it('counts storage units per started 10 KB, an empty read as one, a transaction as one write, and Jira calls', async () => {
    const jira = new MemoryJira();
    const { kvs, meter, jira: meteredJira } = meterUsage(new MemoryKvs(), jira);
    await kvs.set('small', { a: 1 });
    await kvs.set('large', { text: 'x'.repeat(25_000) });
    expect(meter.take()).toEqual({ readUnits: 0, writeUnits: 1 + 3, jiraCalls: 0 });
    await kvs.get('missing');
    await kvs.get('large');
    await kvs.transact([
      { kind: 'set', key: 'a', value: 1 },
      { kind: 'delete', key: 'small' },
    ]);
    await kvs.query('', { limit: 10 });
    await meteredJira.request({ method: 'GET', path: '/rest/api/3/myself' }).catch(() => undefined);
    expect(meter.take()).toEqual({ readUnits: 1 + 3 + 3, writeUnits: 1, jiraCalls: 1 });
    // Taken means counted afresh.
    expect(meter.take()).toEqual({ readUnits: 0, writeUnits: 0, jiraCalls: 0 });
  });

  it("puts each invocation's use on the statistic it writes, and shares it out between connections", async () => {
    const clock = new FakeClock(START);
    const platform = createMemoryPlatform({ clock });
    let used = { readUnits: 0, writeUnits: 0, jiraCalls: 0 };
    platform.meter = {
      take: () => {
        const taken = used;
        used = { readUnits: 0, writeUnits: 0, jiraCalls: 0 };
        return taken;
      },
    };
    for (let i = 0; i < 3; i++) {
      used = { readUnits: 20, writeUnits: 10, jiraCalls: 2 };
      await recordStat(platform, 'c1', { in: 1, sentAt: clock.now() - 100 });
    }
    used = { readUnits: 6, writeUnits: 4, jiraCalls: 2 };
    await recordStat(platform, 'c2', { out: 1 });
    clock.advance(HOUR);
    const row = async (id: string, on = platform) => ({
      connection: { id, name: id },
      stats: await readStatistics(on, id, 'day', clock.now()),
      queue: { depth: 0, more: false },
      pausedIssues: 0,
    });
    const [one, two] = healthOf([await row('c1'), await row('c2')]);
    expect(one!.storage).toMatchObject({ readUnits: 60, writeUnits: 30, share: 0.9, busiestPerMinute: 1, budgetPerMinute: 4_000 });
    expect(one!.jira).toMatchObject({ calls: 6, share: 0.75, busiestHourCalls: 6 });
    expect(two!.storage.share).toBeCloseTo(0.1);
    expect(one!.hours[22]).toMatchObject({ syncs: 3, storageUnits: 90, jiraCalls: 6, p50Ms: binValue(latencyBin(100)) });
    expect(one!.lag.count).toBe(3);
    expect(two!.lag).toEqual({ count: 0, medianMs: null, p95Ms: null });
    // No use counted anywhere: no share to speak of.
    const [none] = healthOf([await row('c1', createMemoryPlatform({ clock }))]);
    expect(none!.storage.share).toBeNull();
  });

  it('counts each issue an open error holds once, leaving warnings and connection-wide faults aside', async () => {
    const platform = createMemoryPlatform();
    await platform.kvs.set('synerr-twin:c1:incoming:10001', 'e1');
    await platform.kvs.set('synerr-twin:c1:outgoing:10001', 'e2');
    await platform.kvs.set('synerr-twin:c1:incoming:r20002', 'e3');
    await platform.kvs.set('synerr-twin:c1:transport:rconnection', 'e4');
    await platform.kvs.set('synerr-twin:c1:warn:10003:abc', 'e5');
    await platform.kvs.set('synerr-twin:c2:incoming:10004', 'e6');
    expect(await countPausedIssues(platform, 'c1')).toBe(2);
  });
});
