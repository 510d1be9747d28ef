import { afterEach, describe, expect, it, vi } from 'vitest';
import { print } from './harness';
import { partnerDown } from './scenarios';

afterEach(() => vi.useRealTimers());

describe('partner site down for a stretch', () => {
  it('delivers all 500 updates once green is back: nothing lost, nothing twice, no echoes', async () => {
    const t = await partnerDown({ issues: 50, updates: 500, seed: 501 });
    print(t);
    expect(t).toMatchObject({ changesMade: 500, changesArrived: 500, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });

  it('the same over a private connection (green polls blue): nothing lost, nothing twice, no echoes', async () => {
    const t = await partnerDown({ issues: 50, updates: 500, seed: 502, destination: 'private' });
    print(t);
    expect(t).toMatchObject({ changesMade: 500, changesArrived: 500, lost: 0, duplicated: 0, echoEvents: 0, finalStatesEqual: true });
  });
});
