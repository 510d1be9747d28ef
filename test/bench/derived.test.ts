import { describe, expect, it } from 'vitest';
import { ceiling, costPerMillionEdits, FORGE_PRICES } from '../../bench/derived';
import type { SideCost } from '../../bench/edit-cost';
import { FORGE_LIMITS } from '../../src/local/forge/limits';

// The bench's derived figures: the edits per minute one installation sustains
// before a Forge limit binds, and the cost per million synced edits.

const side = (over: Partial<SideCost> = {}): SideCost => ({
  storageCalls: { total: 0, get: 0, set: 0, delete: 0, query: 0, transaction: 0, batchGet: 0, batchSet: 0, batchDelete: 0, secret: 0 },
  readUnits: 0,
  writeUnits: 0,
  bytesWritten: 0,
  bytesRead: 0,
  invocations: { total: 0, resolver: 0, trigger: 0, webtrigger: 0, consumer: 0, scheduled: 0 },
  asyncEvents: 0,
  jiraCalls: 0,
  jiraPoints: 0,
  jiraByOperation: {},
  invocationMs: 0,
  gbSeconds: 0,
  ...over,
});

describe('ceiling', () => {
  it('counts Jira points against the hourly quota spread over its minutes', () => {
    // 100 points an edit on green, nothing else: the quota a minute allows (pointsPerHour / 60) / 100 edits.
    const found = ceiling({ blue: side(), green: side({ jiraPoints: 100 }) });
    expect(found).toMatchObject({ binds: 'jira.pointsPerHour', side: 'green', editsPerMinute: Math.floor(FORGE_LIMITS.jira.pointsPerHour / 60 / 100) });
  });

  it('names the limit that binds first, on the side where it binds', () => {
    // Blue: 30 read units an edit → 4,000 / 30 = 133 edits a minute; 2 events → 250. Green: 20 write units → 200.
    const found = ceiling({ blue: side({ readUnits: 30, asyncEvents: 2 }), green: side({ writeUnits: 20 }) });
    expect(found).toMatchObject({ editsPerMinute: Math.floor(FORGE_LIMITS.kvs.readUnitsPerMinute / 30), binds: 'kvs.readUnitsPerMinute', side: 'blue' });
    expect(found.rates.map((r) => r.editsPerMinute).slice(0, 3)).toEqual([133, 200, 250]);
  });

  it('lets the event rate bind when storage is lean, and counts web triggers against the invocation rate', () => {
    const lean = side({ readUnits: 4, writeUnits: 4, asyncEvents: 2, invocations: { total: 2, resolver: 0, trigger: 1, webtrigger: 1, consumer: 0, scheduled: 0 } });
    const found = ceiling({ blue: lean, green: lean });
    expect(found.binds).toBe('events.eventsPerMinute');
    expect(found.editsPerMinute).toBe(250);
    expect(found.rates.find((r) => r.limit === 'invocations.userLedPerInstallationPerMinute')?.editsPerMinute).toBe(5_000);
  });

  it('is unbounded by a limit an edit does not use', () => {
    const found = ceiling({ blue: side({ readUnits: 1 }), green: side() });
    expect(found.rates.filter((r) => r.limit === 'events.eventsPerMinute').every((r) => r.editsPerMinute === Infinity)).toBe(true);
  });
});

describe('cost per million edits', () => {
  it('prices GB-seconds, bytes read and bytes written of both sides at the published list', () => {
    const cost = costPerMillionEdits({ blue: side({ gbSeconds: 1, bytesRead: 5_000, bytesWritten: 5_000 }), green: side({ gbSeconds: 1, bytesRead: 5_000, bytesWritten: 5_000 }) });
    // 2 GB-s × 1e6 × $0.000025 = $50; 10 KB × 1e6 = 10 GB: reads $0.55, writes $10.90.
    expect(cost.perMillionEdits).toEqual({ functions: 50, kvsReads: 0.55, kvsWrites: 10.9, total: 61.45 });
    expect(cost.priceList).toBe(FORGE_PRICES.list);
    expect(cost.priceList).toMatch(/30 Jun 2025/);
  });
});
