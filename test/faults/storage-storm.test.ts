import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { storageStorm } from './storage-storm';

afterEach(() => vi.useRealTimers());

describe('a storage 429 storm at the unit limits', () => {
  it('gets 1,500 edits on both sides through while each site is refused for storage units, the last edit kept', async () => {
    const t = await storageStorm({ issues: 50, edits: 1_500, seed: 4_000, spacingMs: 8 });
    print(t);
    console.log(`[faults] unit refusals per site ${JSON.stringify(t.unitRefusals)}`);
    // The storm is real: the sites went over their storage units a minute many times (each refusal counted
    // once, though the app sends a refused request again after short waits), each site at least once. The
    // side refused first paces the exchange, which spreads its partner's work over more minutes: since a
    // received replica keeps no replay record, that side's share stays near the limit rather than far over.
    const refusals = (site: string) => (t.unitRefusals[site]?.read ?? 0) + (t.unitRefusals[site]?.write ?? 0);
    expect(refusals('blue') + refusals('green')).toBeGreaterThan(50);
    for (const site of ['blue', 'green']) expect(refusals(site)).toBeGreaterThan(0);
    expect(t).toMatchObject({ changesMade: 1_500, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
    expect(t.changesArrived).toBe(t.changesMade);
    expect(t.lastSummaryKept).toBe(t.summariesEdited);
  });
});
