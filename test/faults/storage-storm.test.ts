import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { storageStorm } from './storage-storm';

afterEach(() => vi.useRealTimers());

describe('a storage 429 storm at the unit limits', () => {
  it('gets 1,500 edits on both sides through while each site is refused for storage units, the last edit kept', async () => {
    const t = await storageStorm({ issues: 50, edits: 1_500, seed: 4_000, spacingMs: 20 });
    print(t);
    console.log(`[faults] unit refusals per site ${JSON.stringify(t.unitRefusals)}`);
    // The storm is real: each site went over its storage units a minute, many times (each refusal counted
    // once, though the app sends a refused request again after short waits).
    for (const site of ['blue', 'green']) expect((t.unitRefusals[site]?.read ?? 0) + (t.unitRefusals[site]?.write ?? 0)).toBeGreaterThan(50);
    expect(t).toMatchObject({ changesMade: 1_500, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
    expect(t.changesArrived).toBe(t.changesMade);
    expect(t.lastSummaryKept).toBe(t.summariesEdited);
  });
});
