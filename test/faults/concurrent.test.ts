import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { concurrentEdits } from './scenarios';

afterEach(() => vi.useRealTimers());

describe('concurrent edits on both sides', () => {
  it('ends with equal issues on both sides of 100 twins, every comment once', async () => {
    const t = await concurrentEdits({ issues: 100, rounds: 3, seed: 100 });
    print(t);
    expect(t).toMatchObject({ lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
    expect(t.changesArrived).toBe(t.changesMade);
  });
});
