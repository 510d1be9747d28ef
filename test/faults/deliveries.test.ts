import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { duplicatedAndReordered } from './scenarios';

afterEach(() => vi.useRealTimers());

describe('duplicated, delayed and reordered deliveries', () => {
  it('takes each message once and never goes back to an older state', async () => {
    const t = await duplicatedAndReordered({ issues: 20, updates: 200, seed: 7 });
    print(t);
    console.log(`[faults] replays: ${JSON.stringify(t.replays)}`);
    expect(t).toMatchObject({ changesMade: 200, changesArrived: 200, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
    expect(Object.keys(t.replays).filter((k) => k.startsWith('delayed 6 min'))).toEqual(['delayed 6 min → 401 bad-timestamp']);
  });
});
