import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from '../faults/harness';
import { lateEvents } from '../faults/late-events';

// test/faults/late-events.test.ts at a size `npm test` affords.

afterEach(() => vi.useRealTimers());

describe('faults, reduced: late product events', () => {
  it('product events 0–180 s late and out of order, edits on both sides', async () => {
    const t = await lateEvents({ issues: 5, updates: 40, seed: 16 });
    print(t);
    expect(t.overtaken).toBeGreaterThan(5);
    expect(t).toMatchObject({ changesMade: 40, changesArrived: 40, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });
});
