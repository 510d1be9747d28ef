import { describe, expect, it } from 'vitest';
import { binValue, latencyBin, readStatistics, recordStat } from '../../src/sync/statistics';
import { createMemoryPlatform, FakeClock } from '../support/memory-platform';

// The statistics counters on their own: exact counts under concurrent
// writers, folding into day records, percentiles from the histogram, buckets.

const START = Date.parse('2026-03-10T12:30:00Z');

describe('sync statistics', () => {
  it('loses no count when many workers record at once, and folds them into the day record', async () => {
    const platform = createMemoryPlatform({ clock: new FakeClock(START) });
    await Promise.all(Array.from({ length: 400 }, (_, i) => recordStat(platform, 'c1', i % 4 === 0 ? { in: 1, sentAt: START - 50 } : { out: 1 })));
    const stats = await readStatistics(platform, 'c1', 'day', START);
    expect(stats.totals).toMatchObject({ out: 300, in: 100, created: 0, errors: 0 });
    expect(stats.totals.latency.count).toBe(100);
    expect(await platform.kvs.get('stats:c1:2026-03-10')).toBeDefined();
    // Later writers fold the rest of the burst: what stays unfolded is a small tail, not one record per event.
    for (let i = 0; i < 64; i++) await recordStat(platform, 'c1', { out: 1 });
    const left = await platform.kvs.query('statd:c1:', { limit: 100 });
    expect(left.results.length).toBeLessThan(40);
    expect((await readStatistics(platform, 'c1', 'day', START)).totals.out).toBe(364);
    // Other connections are apart.
    expect((await readStatistics(platform, 'c2', 'day', START)).totals.out).toBe(0);
  });

  it('answers median and p95 within a bin (about a fifth) of the true values', async () => {
    const platform = createMemoryPlatform({ clock: new FakeClock(START) });
    for (let i = 0; i < 90; i++) await recordStat(platform, 'c1', { in: 1, sentAt: START - 120 });
    for (let i = 0; i < 10; i++) await recordStat(platform, 'c1', { in: 1, sentAt: START - 9_000 });
    const { latency } = (await readStatistics(platform, 'c1', 'day', START)).totals;
    expect(latency.count).toBe(100);
    expect(latency.medianMs! / 120).toBeGreaterThan(0.83);
    expect(latency.medianMs! / 120).toBeLessThan(1.2);
    expect(latency.p95Ms! / 9_000).toBeGreaterThan(0.83);
    expect(latency.p95Ms! / 9_000).toBeLessThan(1.2);
    expect(binValue(latencyBin(0))).toBe(0);
    for (const ms of [1, 7, 250, 60_000, 3_600_000]) expect(Math.abs(binValue(latencyBin(ms)) - ms) / ms).toBeLessThan(0.2);
  });

  it('puts each event in its hour for a day and its day for longer periods', async () => {
    const platform = createMemoryPlatform({ clock: new FakeClock(START) });
    const day = 24 * 3_600_000;
    await recordStat(platform, 'c1', { out: 1 }, START - 3 * 3_600_000);
    await recordStat(platform, 'c1', { out: 1, created: 1 }, START - 2 * day);
    await recordStat(platform, 'c1', { errors: 1 }, START - 40 * day);
    const today = await readStatistics(platform, 'c1', 'day', START);
    expect(today.buckets).toHaveLength(24);
    expect(today.buckets.filter((b) => b.out > 0).map((b) => new Date(b.start).toISOString())).toEqual(['2026-03-10T09:00:00.000Z']);
    const week = await readStatistics(platform, 'c1', 'week', START);
    expect(week.buckets.map((b) => b.out)).toEqual([0, 0, 0, 0, 1, 0, 1]);
    expect(week.totals).toMatchObject({ out: 2, created: 1, errors: 0 });
    expect((await readStatistics(platform, 'c1', 'month', START)).totals.errors).toBe(0);
    const quarter = await readStatistics(platform, 'c1', 'quarter', START);
    expect(quarter.buckets).toHaveLength(90);
    expect(quarter.totals).toMatchObject({ out: 2, errors: 1 });
  });
});
